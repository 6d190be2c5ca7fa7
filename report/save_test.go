package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pm.md")
	require.NoError(t, SaveFile(path, 0o640, func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }))
	b, _ := os.ReadFile(path)
	assert.Equal(t, "first", string(b))
	fi, _ := os.Stat(path)
	assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm())

	// A render that fails half-way leaves the old file whole and no
	// temporary file behind.
	err := SaveFile(path, 0o640, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return errors.New("render broke")
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "render broke")
	b, _ = os.ReadFile(path)
	assert.Equal(t, "first", string(b))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1)
}

// Interrupted mid-write (the handler calls RemoveTemporaries before the
// process exits), no temporary file is left beside the output.
func TestInterruptLeavesNoTemporary(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.pdf")
	err := SaveFile(out, 0o644, func(w io.Writer) error {
		_, err := w.Write([]byte("half"))
		left, _ := os.ReadDir(dir)
		require.Len(t, left, 1, "the temporary file being written")
		RemoveTemporaries() // what the signal handler does
		left, _ = os.ReadDir(dir)
		assert.Empty(t, left, "removed on interrupt")
		return err
	})
	require.Error(t, err, "the write cannot finish once its file is gone")
	left, _ := os.ReadDir(dir)
	assert.Empty(t, left)
}

// The database and the files SQLite keeps beside it are never an output.
func TestOutputIsNeverTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pm.db")
	require.NoError(t, os.WriteFile(db, []byte("SQLite format 3\x00"), 0o600))
	Protect(db)
	link := filepath.Join(dir, "link.db")
	require.NoError(t, os.Symlink(db, link))
	for _, path := range []string{db, db + "-wal", db + "-shm", link, filepath.Join(dir, ".", "pm.db")} {
		err := SaveFile(path, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("%PDF")); return err })
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), "is the database's own file", path)
	}
	got, err := os.ReadFile(db)
	require.NoError(t, err)
	assert.Equal(t, "SQLite format 3\x00", string(got))
}
