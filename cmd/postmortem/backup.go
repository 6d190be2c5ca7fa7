package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newBackupCmd(f *factory, runF func(*backupOptions) error) *cobra.Command {
	o := &backupOptions{f: f}
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the database, consistent while others write, and verify the copy",
		Args:  args(1, 1, "the file to write"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
}

type backupOptions struct {
	parsed
	f    *factory
	args []string
}

func (o *backupOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	v, err := s.Backup(o.ctx, o.args[0])
	if err != nil {
		return err
	}
	if !v.OK() {
		fmt.Fprintf(o.f.errOut, "postmortem: broken: the copy does not verify: %s\n", v.Problem)
		return exitCodeError{exitBroken}
	}
	fmt.Fprintf(o.f.out, "%s: %d history rows, head %s\n", o.args[0], v.Rows, orDash(v.Head))
	return nil
}
