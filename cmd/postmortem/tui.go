package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/tui"
)

// runTUI opens the terminal UI on the database; it needs a terminal.
func runTUI(cmd *cobra.Command, f *factory) error {
	if !isTerminal(f.in) || !isTerminal(f.out) {
		return usageError{errors.New("the terminal UI needs a terminal; use a command (see postmortem --help)")}
	}
	loc, err := f.Location()
	if err != nil {
		return err
	}
	s, err := f.Store(cmd.Context())
	if err != nil {
		return err
	}
	rs, err := f.Regimes()
	if err != nil {
		return err
	}
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	return tui.Run(cmd.Context(), tui.Config{Store: s, Regimes: rs, Zone: loc, Now: f.now, Author: f.Author(), ExportDir: dir})
}
