package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/report"
)

// TestLayers keeps imports pointing one way: cmd → tui → report → incident,
// with templates importing nothing of ours.
func TestLayers(t *testing.T) {
	const mod = "github.com/postmortem/postmortem/"
	forbidden := map[string][]string{
		"incident":  {"report", "tui", "templates", "cmd"},
		"templates": {"incident", "report", "tui", "cmd"},
		"report":    {"tui", "cmd"},
		"tui":       {"cmd"},
	}
	for pkg, not := range forbidden {
		if _, err := os.Stat("../../" + pkg); err != nil {
			continue // the layer does not exist yet
		}
		out, err := exec.Command("go", "list", "-deps", "../../"+pkg+"/...").CombinedOutput()
		require.NoError(t, err, string(out))
		for _, dep := range strings.Fields(string(out)) {
			for _, n := range not {
				assert.False(t, strings.HasPrefix(dep, mod+n), "%s imports %s", pkg, dep)
			}
		}
	}
}

// TestCobraOnlyParses keeps commands as gh writes them: cobra parses, and
// the work is in a run method that never sees it. No function takes a
// *cobra.Command but those that build commands and register flags, and no
// RunE is a closure holding logic.
func TestCobraOnlyParses(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		files[name] = f
	}
	require.NotEmpty(t, files)
	builders := map[string]bool{"parse": true, "reasonFlag": true, "englishFlag": true, "register": true}
	takesCobra := func(ft *ast.FuncType) bool {
		for _, p := range ft.Params.List {
			if star, ok := p.Type.(*ast.StarExpr); ok {
				if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Command" {
					return true
				}
			}
		}
		return false
	}
	runEs := 0
	for name, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if takesCobra(n.Type) && !builders[n.Name.Name] {
					t.Errorf("%s: %s takes a *cobra.Command: give it the options it needs instead", name, n.Name.Name)
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); !ok || id.Name != "RunE" {
					return true
				}
				runEs++
				if fn, ok := n.Value.(*ast.FuncLit); ok && len(fn.Body.List) > 1 {
					t.Errorf("%s: a RunE closure of %d statements at %s: move its work into a run method", name, len(fn.Body.List), fset.Position(fn.Pos()))
				}
			}
			return true
		})
	}
	assert.Greater(t, runEs, 40, "the commands were found")
}

// A command's flags and arguments reach its options without the store
// being opened: a test sees what was parsed through runF.
func TestOptionsFromTheCommandLine(t *testing.T) {
	f := newFactory(strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" })
	var got *actionUpdateOptions
	cmd := newActionUpdateCmd(f, func(o *actionUpdateOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"7", "--status", "done", "--en", "text=Test first", "--if-version", "12"})
	require.NoError(t, cmd.Execute())
	require.NotNil(t, got)
	assert.Equal(t, []string{"7"}, got.args)
	assert.Equal(t, "done", got.status)
	assert.Equal(t, []string{"text=Test first"}, got.en)
	assert.Equal(t, int64(12), got.ifVersion)
	assert.True(t, got.changed("status"))
	assert.False(t, got.changed("owner"), "a flag not given is not changed")
	assert.NotNil(t, got.ctx)
	assert.Nil(t, f.store, "parsing opened no database")

	var leaf *reportLeaf
	rep := newReportCmd(f, func(l *reportLeaf) error { leaf = l; return nil })
	rep.SetArgs([]string{"correction", "3", "--lang", "en", "-o", "c.pdf"})
	require.NoError(t, rep.Execute())
	require.NotNil(t, leaf)
	assert.Equal(t, "correction", leaf.name)
	assert.Equal(t, []string{"3"}, leaf.args)
	assert.Equal(t, "en", leaf.lang)
	format, err := leaf.parseFormat(report.ParseFormat)
	require.NoError(t, err)
	assert.Equal(t, report.PDF, format, "the -o file's extension, --format not given")
}
