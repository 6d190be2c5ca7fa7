package main

import (
	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newOrgCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "org",
		Short: "Who submits: the organisation's profile, printed on every submission",
		Args:  args(0, 0, "a subcommand: set or show"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var vals [8]string
	names := []struct{ flag, help string }{
		{"name", "the organisation (e.g. 주식회사 카카오)"}, {"representative", "its representative (대표자)"},
		{"department", "the department responsible"}, {"person", "the person responsible"},
		{"contact", "telephone and e-mail"}, {"address", "postal address"},
		{"doc-prefix", "the document-number prefix: submissions are numbered PREFIX-1, PREFIX-2, ..."},
		{"marking", "the marking documents carry (e.g. 대외비)"},
	}
	set := &cobra.Command{
		Use:   "set [--name N] [--representative R] [--department D] [--person P] [--contact C] [--address A] [--doc-prefix X] [--marking M]",
		Short: "Set the profile (only what is given)",
		Args:  args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ch incident.OrgChange
			dst := []**string{&ch.Name, &ch.Representative, &ch.Department, &ch.Person, &ch.Contact, &ch.Address, &ch.DocPrefix, &ch.Marking}
			given := false
			for i, n := range names {
				if cmd.Flags().Changed(n.flag) {
					v := vals[i]
					*dst[i] = &v
					given = true
				}
			}
			if !given {
				return usageError{errNothingToSet}
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			o, err := s.SetOrg(cmd.Context(), ch)
			if err != nil {
				return err
			}
			return writeOrg(f, o)
		},
	}
	for i, n := range names {
		set.Flags().StringVar(&vals[i], n.flag, "", n.help)
	}
	f.reasonFlag(set)
	var asJSON bool
	show := &cobra.Command{
		Use:   "show [--json]",
		Short: "Show the profile",
		Args:  args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			o, err := s.Org(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(f.out, o)
			}
			return writeOrg(f, o)
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(set, show)
	return cmd
}

func writeOrg(f *factory, o *incident.Org) error {
	tw := &table{}
	for _, r := range [][2]string{{"name", o.Name}, {"representative", o.Representative}, {"department", o.Department}, {"person", o.Person},
		{"contact", o.Contact}, {"address", o.Address}, {"doc-prefix", o.DocPrefix}, {"marking", o.Marking}} {
		tw.row(r[0], orDash(r[1]))
	}
	return tw.write(f.out)
}
