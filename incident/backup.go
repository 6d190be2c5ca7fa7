package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// Backup copies the database to path with SQLite's online backup API: one
// consistent snapshot, taken while writers go on. The copy is written
// beside path and renamed onto it once complete and synced, so path holds
// either the old file or the whole new copy; a read-only path is refused.
// The copy is then opened and verified.
func (s *Store) Backup(ctx context.Context, path string) (*Verification, error) {
	if s.d.pg {
		return nil, invalid("backup", "a PostgreSQL database is backed up by the server's own tools: pg_dump --format=custom --file=FILE (and pg_restore to bring it back); postmortem copy --to FILE.db copies it into a SQLite file")
	}
	if strings.TrimSpace(path) == "" {
		return nil, invalid("backup", "no file named; give the file to write")
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return nil, invalid("backup", "%s is a folder; give a file name", path)
		}
		if fi.Mode().Perm()&0o222 == 0 {
			return nil, invalid("backup", "%s is read-only; it is not replaced", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if s.ownFile(path) {
		return nil, invalid("backup", "%s is the database's own file; give another file name", path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, invalid("backup", "folder %s does not exist", dir)
	}
	removeLeftovers(dir)
	tmp, err := os.CreateTemp(dir, fmt.Sprintf(".%s%s%d-*", filepath.Base(path), leftoverMark, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName) // gone once renamed; removed on any failure
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := s.backupTo(ctx, tmpName); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(dir); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	c, err := Open(ctx, path, WithClock(s.now))
	if err != nil {
		return nil, fmt.Errorf("backup %s does not open: %w", path, err)
	}
	defer c.Close()
	return c.Verify(ctx, "")
}

// leftoverMark names the temporary file of a backup under way, with the
// process writing it: ".NAME.pmbackup-PID-RANDOM".
const leftoverMark = ".pmbackup-"

// removeLeftovers removes the temporary files of backups in dir whose
// process is gone (killed before it could clean up): each may be as large
// as the database.
func removeLeftovers(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, ".*"+leftoverMark+"*"))
	for _, name := range names {
		_, rest, _ := strings.Cut(filepath.Base(name), leftoverMark)
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.Remove(name) //nolint:errcheck // best effort: the next run tries again
	}
}

// processAlive reports whether process pid exists (signal 0 checks
// without sending anything).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ownFile reports whether path is the database or one of the files SQLite
// keeps beside it.
func (s *Store) ownFile(path string) bool {
	for _, own := range OwnFiles(s.path) {
		if SamePlace(path, own) {
			return true
		}
	}
	return false
}

// OwnFiles are the database at path and the files SQLite keeps beside it:
// none may be written over by anything but SQLite.
func OwnFiles(path string) []string {
	return []string{path, path + "-wal", path + "-shm", path + "-journal"}
}

// SamePlace reports whether a and b name one file: the same path once
// made absolute through their folders' links, or, when both exist, the
// same file (a hard link, a link to it).
func SamePlace(a, b string) bool {
	if resolvePath(a) == resolvePath(b) {
		return true
	}
	ai, aerr := os.Stat(a)
	bi, berr := os.Stat(b)
	return aerr == nil && berr == nil && os.SameFile(ai, bi)
}

// resolvePath is path made absolute through its folder's links.
func resolvePath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

func (s *Store) backupTo(ctx context.Context, path string) error {
	// The path goes into SQLite's URI escaped, as Open's does: a '?', '#'
	// or '%' in a file name is part of the name, not a query.
	dst, err := sql.Open("sqlite3", dsn(path, "", "deferred", 2<<10))
	if err != nil {
		return err
	}
	defer dst.Close()
	dconn, err := dst.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	sconn, err := s.rdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	return dconn.Raw(func(d any) error {
		return sconn.Raw(func(src any) error {
			b, err := d.(*sqlite3.SQLiteConn).Backup("main", src.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			// One step copies every page under one read lock: a consistent
			// snapshot, however many writers run meanwhile.
			if _, err := b.Step(-1); err != nil {
				b.Finish() //nolint:errcheck // the step's error is the one to report
				return err
			}
			return b.Finish()
		})
	})
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
