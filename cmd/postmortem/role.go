package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newRoleCmd(f *factory, runF func(*roleOptions) error) *cobra.Command {
	o := &roleOptions{f: f}
	cmd := &cobra.Command{
		Use:   "role ID [--commander NAME] [--comms NAME] [--scribe NAME] [--set ROLE=NAME]...",
		Short: "Show who holds which role on an incident, or hand roles over (each handover goes on the timeline)",
		Long: `role with no flags shows who holds which role. --commander, --comms and --scribe
give those roles to a person; --set ROLE=NAME gives any named role (tech-lead=
kim); an empty name removes a role (--scribe ""). Each change is a system entry
on the timeline, with who made it.`,
		Args: args(1, 1, "an incident id"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	fl := cmd.Flags()
	fl.StringVar(&o.commander, "commander", "", "the incident commander")
	fl.StringVar(&o.comms, "comms", "", "the communications lead")
	fl.StringVar(&o.scribe, "scribe", "", "the scribe")
	fl.StringArrayVar(&o.others, "set", nil, "any role: ROLE=NAME (repeat)")
	f.reasonFlag(cmd)
	return cmd
}

type roleOptions struct {
	parsed
	f                        *factory
	args                     []string
	commander, comms, scribe string
	others                   []string
}

func (o *roleOptions) run() error {
	id, err := incident.ParseID("incident", o.args[0])
	if err != nil {
		return err
	}
	type give struct{ role, who string }
	var gives []give
	for _, r := range []struct {
		flag, role string
		who        *string
	}{{"commander", incident.RoleCommander, &o.commander}, {"comms", incident.RoleComms, &o.comms}, {"scribe", incident.RoleScribe, &o.scribe}} {
		if o.changed(r.flag) {
			gives = append(gives, give{r.role, *r.who})
		}
	}
	for _, kv := range o.others {
		role, who, ok := strings.Cut(kv, "=")
		if !ok {
			return &incident.FieldError{Field: "set", Msg: fmt.Sprintf("%q; accepted: ROLE=NAME, e.g. tech-lead=kim", kv)}
		}
		gives = append(gives, give{role, who})
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	var in *incident.Incident
	if len(gives) == 0 {
		in, err = s.Incident(o.ctx, id)
	} else {
		in, err = s.UpdateIncident(o.ctx, id, func(in *incident.Incident) error {
			for _, g := range gives {
				if err := in.SetRole(g.role, g.who); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	if len(in.Roles) == 0 {
		fmt.Fprintf(o.f.out, "incident %d: no roles held; give one with --commander NAME\n", id)
		return nil
	}
	tw := &table{}
	for _, role := range incident.SortRoles(keys(in.Roles)) {
		tw.row(role, in.Roles[role])
	}
	return tw.write(o.f.out)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
