package incident

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A backup's path is a path: characters a URI would read ('?', '#', '%')
// are part of the name, the copy lands there whole with mode 0600, and no
// other file appears beside it.
func TestBackupPathIsAPath(t *testing.T) {
	s, _ := openFile(t)
	in := newIncident(t, s)
	ctx := context.Background()
	for _, name := range []string{"b?mode=memory.db", "b#frag.db", "b%41.db", "b c.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			v, err := s.Backup(ctx, path)
			require.NoError(t, err)
			assert.True(t, v.OK(), v.Problem)
			assert.Positive(t, v.Rows)
			fi, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			for _, e := range entries {
				assert.Contains(t, []string{name, name + "-wal", name + "-shm"}, e.Name(), "no file under another name")
			}
			c, err := Open(ctx, path)
			require.NoError(t, err)
			defer c.Close()
			got, err := c.Incident(ctx, in.ID)
			require.NoError(t, err)
			assert.Equal(t, in.Title, got.Title)
		})
	}
}

func TestBackupRefusesTheDatabasesOwnFiles(t *testing.T) {
	s, path := openFile(t)
	newIncident(t, s)
	ctx := context.Background()
	for _, target := range []string{path, path + "-wal", path + "-shm", path + "-journal",
		filepath.Join(filepath.Dir(path), ".", filepath.Base(path))} {
		before, _ := os.ReadFile(path + "-wal")
		_, err := s.Backup(ctx, target)
		require.Error(t, err, target)
		assert.Contains(t, err.Error(), "the database's own file")
		after, _ := os.ReadFile(path + "-wal")
		assert.Equal(t, before, after, "the WAL is untouched")
	}
	mustVerify(t, s)
	link := filepath.Join(t.TempDir(), "link.db")
	require.NoError(t, os.Symlink(path, link))
	_, err := s.Backup(ctx, link)
	assert.ErrorContains(t, err, "the database's own file", "a link to the database is the database")
}

// A backup killed half way leaves its temporary file; the next backup into
// that folder removes it, and leaves alone one whose writer still runs.
func TestBackupRemovesLeftovers(t *testing.T) {
	s, _ := openFile(t)
	newIncident(t, s)
	dir := t.TempDir()
	dead := filepath.Join(dir, fmt.Sprintf(".x.db%s%d-123", leftoverMark, deadPID(t)))
	live := filepath.Join(dir, fmt.Sprintf(".x.db%s%d-456", leftoverMark, os.Getpid()))
	other := filepath.Join(dir, ".unrelated")
	for _, f := range []string{dead, live, other} {
		require.NoError(t, os.WriteFile(f, make([]byte, 1<<20), 0o600))
	}
	_, err := s.Backup(context.Background(), filepath.Join(dir, "y.db"))
	require.NoError(t, err)
	assert.NoFileExists(t, dead, "a dead backup's leftover is removed")
	assert.FileExists(t, live, "a running backup's file is left alone")
	assert.FileExists(t, other, "files of others are left alone")
}

// deadPID is the pid of a process that has ended.
func deadPID(t *testing.T) int {
	for pid := 4_000_000; pid > 100_000; pid -= 7919 {
		if !processAlive(pid) {
			return pid
		}
	}
	t.Fatal("no free pid found")
	return 0
}
