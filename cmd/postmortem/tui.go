package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/tui"
)

// runTUI opens the terminal UI on the database; it needs a terminal.
func runTUI(ctx context.Context, f *factory) error {
	if !isTerminal(f.in) || !isTerminal(f.out) {
		return usageError{errors.New("the terminal UI needs a terminal; use a command (see postmortem --help)")}
	}
	loc, err := f.Location()
	if err != nil {
		return err
	}
	cadence, err := parseCadence(f.cadence)
	if err != nil {
		return err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return err
	}
	rs, err := f.Regimes()
	if err != nil {
		return err
	}
	return tui.Run(ctx, tui.Config{Store: s, Regimes: rs, Zone: loc, Now: f.now, Author: f.Author(),
		ExportDir: exportDir(f.getenv), Cadence: cadence})
}

// exportDir is where the TUI writes reports: $POSTMORTEM_EXPORT_DIR, else
// the user's documents folder ($XDG_DOCUMENTS_DIR, else ~/Documents when
// it exists), else the home folder.
func exportDir(getenv func(string) string) string {
	if d := getenv("POSTMORTEM_EXPORT_DIR"); d != "" {
		return d
	}
	if d := getenv("XDG_DOCUMENTS_DIR"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	if fi, err := os.Stat(filepath.Join(home, "Documents")); err == nil && fi.IsDir() {
		return filepath.Join(home, "Documents")
	}
	return home
}

// parseCadence reads --update-every: "SEV1=30m,SEV2=1h".
func parseCadence(s string) (map[incident.Severity]time.Duration, error) {
	out := map[incident.Severity]time.Duration{}
	for _, part := range incident.SplitList(s) {
		sev, dur, ok := strings.Cut(part, "=")
		sv, err := incident.ParseSeverity(sev)
		d, derr := time.ParseDuration(strings.TrimSpace(dur))
		if !ok || err != nil || derr != nil || d <= 0 {
			return nil, &incident.FieldError{Field: "update-every", Msg: fmt.Sprintf("%q; accepted: SEV=DURATION, comma-separated, e.g. SEV1=30m,SEV2=1h", part)}
		}
		out[sv] = d
	}
	return out, nil
}

//go:embed demo.json
var demoData []byte

func newDemoCmd(f *factory, runF func(*demoOptions) error) *cobra.Command {
	o := &demoOptions{f: f}
	return &cobra.Command{
		Use:   "demo",
		Short: "Open the terminal UI on a throwaway database holding the May 2024 KakaoTalk outages",
		Long: `demo copies the May 2024 example (three KakaoTalk outages, the second and
third linked, with their timelines) into a new database in a temporary folder
and opens the terminal UI on it, so you can try every key on a real case. The
database is removed when you quit; your own is not touched.`,
		Args: args(0, 0, "no arguments"),
		RunE: runE(o, nil, runF),
	}
}

type demoOptions struct {
	parsed
	f *factory
}

func (o *demoOptions) run() error {
	if !isTerminal(o.f.in) || !isTerminal(o.f.out) {
		return usageError{errors.New("the demo is the terminal UI: it needs a terminal")}
	}
	dir, err := os.MkdirTemp("", "postmortem-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	o.f.dbPath = filepath.Join(dir, "demo.db")
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	if _, err := s.ImportFrom(o.ctx, bytes.NewReader(demoData), false, nil); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if o.f.tzName == "" {
		o.f.tzName = "Asia/Seoul" // the case's own zone
	}
	return runTUI(o.ctx, o.f)
}
