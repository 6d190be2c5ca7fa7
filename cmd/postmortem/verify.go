package main

import (
	"crypto/ed25519"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type verifyOptions struct {
	parsed
	f      *factory
	asJSON bool
	head   string
	keys   []string
}

func newVerifyCmd(f *factory, runF func(*verifyOptions) error) *cobra.Command {
	o := &verifyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "verify [--json] [--head [ROWS:]HASH] [--key PUBFILE]",
		Short: "Check the history chain and that it agrees with the records; exit 5 if not",
		Long: `verify walks the hash-chained history, checking each row's hash and link,
then replays it against the records, so that anything changed behind
postmortem's back (plain SQL on any table) is found and named. It prints the
number of rows and the head hash. History time must move forward and never lie
ahead of the clock, and the history's append-only guard must be in place.

--head checks that a head printed earlier is still on the chain; given as
ROWS:HASH (the row count verify printed beside it) it also says whether rows
were removed or the history rewritten.

--key PUBFILE (an ssh-ed25519 public key, or an authorized_keys file of
several; repeat for more) checks every seal (see seal): each must be signed
by a key given and its head still be on the chain. This is what catches a
history rewritten by someone who can write the file and recomputed every
hash. Exit 0 when intact, 5 when not.`,
		Args: args(0, 0, "no arguments"),
		RunE: runE(o, nil, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&o.head, "head", "", "a head printed earlier, HASH or ROWS:HASH, which must still be on the chain")
	cmd.Flags().StringArrayVar(&o.keys, "key", nil, "a public key file whose seals are trusted (repeatable)")
	return cmd
}

func (o *verifyOptions) run() error {
	if _, err := incident.ParseHead(o.head); err != nil {
		return err
	}
	var keys []ed25519.PublicKey
	for _, path := range o.keys {
		k, err := readPublicKeys(path, o.f.getenv)
		if err != nil {
			return err
		}
		keys = append(keys, k...)
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	v, err := s.Verify(o.ctx, o.head, keys...)
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
	loc, err := o.f.Location()
	if err != nil {
		return err
	}
	for _, sc := range v.Seals {
		if sc.Problem == "" {
			fmt.Fprintf(o.f.out, "seal %d of %s by %s: row %d, head %.12s, key %s: good\n", sc.No, sc.At.In(loc).Format(showTime),
				incident.Printable(orDash(sc.Author)), sc.Rows, sc.Head, sc.Fingerprint)
		} else {
			fmt.Fprintf(o.f.errOut, "postmortem: broken: %s\n", incident.Printable(sc.Problem))
		}
	}
	if v.HeadProblem != "" {
		fmt.Fprintf(o.f.errOut, "postmortem: broken: %s\n", v.HeadProblem)
	}
	if v.Problem != "" {
		fmt.Fprintf(o.f.errOut, "postmortem: broken: %s\n", v.Problem)
	}
	if v.OK() {
		fmt.Fprintln(o.f.out, "intact")
	}
	return nil
}
