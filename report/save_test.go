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
