package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

// A template that grows a variable without writing it stops with an error
// naming it, instead of taking the machine's memory (and the process with a
// stack dump): through every function that builds text, in a report and in
// a page part.
func TestTemplateCannotExhaustMemory(t *testing.T) {
	s := fixtureStore(t)
	v := loadView(t, s, 3)
	for name, src := range map[string]string{
		"printf":    `{{$s := "ab"}}{{range 60}}{{$s = printf "%s%s" $s $s}}{{end}}{{len $s}}`,
		"print":     `{{$s := "ab"}}{{range 60}}{{$s = print $s $s}}{{end}}`,
		"html":      `{{$s := "&&"}}{{range 100000000}}{{$s = html $s}}{{end}}`,
		"urlquery":  `{{$s := "한국"}}{{range 100000000}}{{$s = urlquery $s}}{{end}}`,
		"md":        `{{$s := "**"}}{{range 60}}{{$s = md (printf "%s%s" $s $s)}}{{end}}`,
		"cell":      `{{$s := "||"}}{{range 60}}{{$s = cell (print $s $s)}}{{end}}`,
		"many vars": `{{range 1000000}}{{$a := printf "%0100000d" 1}}{{$b := md $a}}{{end}}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "ko"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "ko", "postmortem.md.tmpl"), []byte(src), 0o644))
			err := newRenderer(t, "ko", WithTemplates(dir)).Postmortem(&bytes.Buffer{}, Markdown, v)
			require.Error(t, err)
			assert.ErrorIs(t, err, errTooMuchText)
			assert.Contains(t, err.Error(), "template postmortem")
			runtime.GC()
		})
	}
	t.Run("page header", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "parts"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "parts", "header.txt.tmpl"),
			[]byte(`{{$s := "ab"}}{{range 60}}{{$s = printf "%s%s" $s $s}}{{end}}{{.Title}}`), 0o644))
		err := newRenderer(t, "ko", WithTemplates(dir)).Postmortem(&bytes.Buffer{}, PDF, v)
		require.Error(t, err)
		// Stopped by its size budget, or (a slow machine, -race) by its
		// time budget first: either way it never reaches the memory.
		assert.True(t, errors.Is(err, errTooMuchText) || errors.Is(err, errTooSlow), "stopped by a budget: %v", err)
	})
}

// The meter changes nothing a template builds within bounds.
func TestMeteredBuiltinsAgree(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "en"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "en", "postmortem.md.tmpl"), []byte(
		`{{printf "%03d|%s" 7 "x"}} {{print 1 "a" 2}} {{println "z"}}{{html "<&>"}} {{js "a'b"}} {{urlquery "a b&c"}} {{len "abc"}}`), 0o644))
	var buf bytes.Buffer
	require.NoError(t, newRenderer(t, "en", WithTemplates(dir)).Postmortem(&buf, Markdown, viewOf(&incident.Incident{Title: "t"})))
	assert.Equal(t, "007|x 1a2 z\n&lt;&amp;&gt; a\\'b a+b%26c 3", buf.String())
}
