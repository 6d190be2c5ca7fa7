package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newBackupCmd(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the database, consistent while others write, and verify the copy",
		Args:  args(1, 1, "the file to write"),
		RunE: func(cmd *cobra.Command, a []string) error {
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			v, err := s.Backup(cmd.Context(), a[0])
			if err != nil {
				return err
			}
			if !v.OK() {
				fmt.Fprintf(f.errOut, "postmortem: broken: the copy does not verify: %s\n", v.Problem)
				return exitCodeError{exitBroken}
			}
			fmt.Fprintf(f.out, "%s: %d history rows, head %s\n", a[0], v.Rows, orDash(v.Head))
			return nil
		},
	}
}
