package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/postmortem/postmortem/incident"
)

// SaveFile writes a document to path through a temporary file in the same
// folder, synced and renamed into place: a crash or a failed render never
// leaves half a file, nor touches one already there, and no temporary file
// outlives the call. A file already at path keeps its permissions; a
// read-only one is refused, as are a folder and a missing folder, in words.
func SaveFile(path string, mode os.FileMode, write func(io.Writer) error) error {
	if err := checkProtected(path); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return &incident.FieldError{Field: "output", Msg: fmt.Sprintf("%s is a folder; give a file name", path)}
	case err == nil && !fi.Mode().IsRegular():
		return &incident.FieldError{Field: "output", Msg: fmt.Sprintf("%s is not a regular file; give a file name", path)}
	case err == nil && fi.Mode().Perm()&0o222 == 0:
		return &incident.FieldError{Field: "output", Msg: fmt.Sprintf("%s is read-only; it is not replaced", path)}
	case err == nil:
		mode = fi.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("write %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if di, err := os.Stat(dir); err != nil || !di.IsDir() {
		return &incident.FieldError{Field: "output", Msg: fmt.Sprintf("folder %s does not exist", dir)}
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: cannot create a file in %s: %w", path, dir, errors.Unwrap(err))
	}
	track(tmp.Name())
	defer func() {
		os.Remove(tmp.Name()) //nolint:errcheck // gone after the rename
		untrack(tmp.Name())
	}()
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// temporaries are the temporary files being written, removed by
// RemoveTemporaries when the process is interrupted.
var (
	tempMu      sync.Mutex
	temporaries = map[string]bool{}
	protected   []string
)

func track(name string)   { tempMu.Lock(); temporaries[name] = true; tempMu.Unlock() }
func untrack(name string) { tempMu.Lock(); delete(temporaries, name); tempMu.Unlock() }

// RemoveTemporaries removes the temporary files of writes under way; the
// interrupt handler calls it before the process exits.
func RemoveTemporaries() {
	tempMu.Lock()
	defer tempMu.Unlock()
	for name := range temporaries {
		os.Remove(name) //nolint:errcheck // best effort on the way out
	}
}

// Protect names files SaveFile must never replace: the database and the
// files SQLite keeps beside it.
func Protect(db string) {
	tempMu.Lock()
	defer tempMu.Unlock()
	protected = append(protected, incident.OwnFiles(db)...)
}

// checkProtected refuses a path that is, or resolves to, a protected file.
func checkProtected(path string) error {
	tempMu.Lock()
	files := append([]string(nil), protected...)
	tempMu.Unlock()
	for _, p := range files {
		if incident.SamePlace(path, p) {
			return &incident.FieldError{Field: "output", Msg: fmt.Sprintf("%s is the database's own file; give another file name", path)}
		}
	}
	return nil
}
