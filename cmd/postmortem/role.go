package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newRoleCmd(f *factory) *cobra.Command {
	var commander, comms, scribe string
	var others []string
	cmd := &cobra.Command{
		Use:   "role ID [--commander NAME] [--comms NAME] [--scribe NAME] [--set ROLE=NAME]...",
		Short: "Show who holds which role on an incident, or hand roles over (each handover goes on the timeline)",
		Long: `role with no flags shows who holds which role. --commander, --comms and --scribe
give those roles to a person; --set ROLE=NAME gives any named role (tech-lead=
kim); an empty name removes a role (--scribe ""). Each change is a system entry
on the timeline, with who made it.`,
		Args: args(1, 1, "an incident id"),
		RunE: func(cmd *cobra.Command, a []string) error {
			id, err := incident.ParseID("incident", a[0])
			if err != nil {
				return err
			}
			fl := cmd.Flags()
			type give struct{ role, who string }
			var gives []give
			for _, r := range []struct {
				flag, role string
				who        *string
			}{{"commander", incident.RoleCommander, &commander}, {"comms", incident.RoleComms, &comms}, {"scribe", incident.RoleScribe, &scribe}} {
				if fl.Changed(r.flag) {
					gives = append(gives, give{r.role, *r.who})
				}
			}
			for _, o := range others {
				role, who, ok := strings.Cut(o, "=")
				if !ok {
					return &incident.FieldError{Field: "set", Msg: fmt.Sprintf("%q; accepted: ROLE=NAME, e.g. tech-lead=kim", o)}
				}
				gives = append(gives, give{role, who})
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			var in *incident.Incident
			if len(gives) == 0 {
				in, err = s.Incident(cmd.Context(), id)
			} else {
				in, err = s.UpdateIncident(cmd.Context(), id, func(in *incident.Incident) error {
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
				fmt.Fprintf(f.out, "incident %d: no roles held; give one with --commander NAME\n", id)
				return nil
			}
			tw := &table{}
			for _, role := range incident.SortRoles(keys(in.Roles)) {
				tw.row(role, in.Roles[role])
			}
			return tw.write(f.out)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&commander, "commander", "", "the incident commander")
	fl.StringVar(&comms, "comms", "", "the communications lead")
	fl.StringVar(&scribe, "scribe", "", "the scribe")
	fl.StringArrayVar(&others, "set", nil, "any role: ROLE=NAME (repeat)")
	f.reasonFlag(cmd)
	return cmd
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
