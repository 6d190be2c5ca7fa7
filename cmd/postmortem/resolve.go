package main

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

var errNothingToSet = errors.New("nothing to change: give at least one flag")

type resolveOptions struct {
	parsed
	idArg    string
	f        *factory
	at       string
	recovery []string
}

func newResolveCmd(f *factory, runF func(*resolveOptions) error) *cobra.Command {
	o := &resolveOptions{f: f}
	cmd := &cobra.Command{
		Use:   "resolve ID [--at T] [--recovery STEP]...",
		Short: "Mark an incident resolved and append its recovery steps",
		Args:  args(1, 1, "an incident id"),
		RunE:  runE(o, func(a []string) { o.idArg = a[0] }, runF),
	}
	cmd.Flags().StringVar(&o.at, "at", "now", "when service was restored")
	cmd.Flags().StringArrayVar(&o.recovery, "recovery", nil, "a recovery step, in order (repeat)")
	f.reasonFlag(cmd)
	return cmd
}

func (o *resolveOptions) run() error {
	id, err := incident.ParseID("incident", o.idArg)
	if err != nil {
		return err
	}
	at, err := o.f.parseTimeOn(o.ctx, "at", o.at, id)
	if err != nil {
		return err
	}
	var steps []string
	for _, s := range o.recovery {
		if s = strings.TrimSpace(s); s != "" {
			steps = append(steps, s)
		}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	in, err := s.UpdateIncident(o.ctx, id, func(in *incident.Incident) error {
		in.ResolvedAt = at
		in.RecoverySteps = append(in.RecoverySteps, steps...)
		return nil
	})
	if err != nil {
		return err
	}
	o.f.status("resolved incident %d after %s", in.ID, in.Elapsed(o.f.now()).Round(1e9))
	return nil
}
