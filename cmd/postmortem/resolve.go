package main

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

var errNothingToSet = errors.New("nothing to change: give at least one flag")

type resolveOptions struct {
	f        *factory
	at       string
	recovery []string
}

func newResolveCmd(f *factory) *cobra.Command {
	o := &resolveOptions{f: f}
	cmd := &cobra.Command{
		Use:   "resolve ID [--at T] [--recovery STEP]...",
		Short: "Mark an incident resolved and append its recovery steps",
		Args:  args(1, 1, "an incident id"),
		RunE:  func(cmd *cobra.Command, a []string) error { return o.run(cmd, a[0]) },
	}
	cmd.Flags().StringVar(&o.at, "at", "now", "when service was restored")
	cmd.Flags().StringArrayVar(&o.recovery, "recovery", nil, "a recovery step, in order (repeat)")
	f.reasonFlag(cmd)
	return cmd
}

func (o *resolveOptions) run(cmd *cobra.Command, idArg string) error {
	id, err := incident.ParseID("incident", idArg)
	if err != nil {
		return err
	}
	at, err := o.f.parseTimeOn(cmd.Context(), "at", o.at, id)
	if err != nil {
		return err
	}
	var steps []string
	for _, s := range o.recovery {
		if s = strings.TrimSpace(s); s != "" {
			steps = append(steps, s)
		}
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	in, err := s.UpdateIncident(cmd.Context(), id, func(in *incident.Incident) error {
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
