package main

import (
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type verifyOptions struct {
	f      *factory
	asJSON bool
	head   string
}

func newVerifyCmd(f *factory) *cobra.Command {
	o := &verifyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "verify [--json] [--head HASH]",
		Short: "Check the history chain and that it agrees with the records; exit 5 if not",
		Long: `verify walks the hash-chained history, checking each row's hash and link,
then replays it against the records, so that anything changed behind
postmortem's back (plain SQL on any table) is found and named. It prints the
number of rows and the head hash. --head checks that a hash printed earlier is
still on the chain: a cut tail is caught that way. Exit 0 when intact, 5 when
not.`,
		Args: args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&o.head, "head", "", "a head hash printed earlier, which must still be on the chain")
	return cmd
}

func (o *verifyOptions) run(cmd *cobra.Command) error {
	if o.head != "" {
		if _, err := hex.DecodeString(o.head); err != nil || len(o.head) != 64 {
			return &incident.FieldError{Field: "head", Msg: fmt.Sprintf("%q is not a head hash; accepted: the 64 hex digits verify printed", o.head)}
		}
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	v, err := s.Verify(cmd.Context(), o.head)
	if err != nil {
		return err
	}
	if err := o.print(v); err != nil {
		return err
	}
	if !v.OK() {
		return exitCodeError{exitBroken}
	}
	return nil
}

func (o *verifyOptions) print(v *incident.Verification) error {
	if o.asJSON {
		return writeJSON(o.f.out, struct {
			*incident.Verification
			OK bool `json:"ok"`
		}{v, v.OK()})
	}
	fmt.Fprintf(o.f.out, "%d history rows, head %s\n", v.Rows, orDash(v.Head))
	if v.HeadFound != nil && !*v.HeadFound {
		fmt.Fprintf(o.f.errOut, "postmortem: broken: head %s is not on the chain: history rows were removed\n", o.head)
	}
	if v.Problem != "" {
		fmt.Fprintf(o.f.errOut, "postmortem: broken: %s\n", v.Problem)
	}
	if v.OK() {
		fmt.Fprintln(o.f.out, "intact")
	}
	return nil
}
