package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
