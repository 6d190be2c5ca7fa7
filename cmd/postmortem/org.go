package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

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
	var vals [9]string
	names := []struct{ flag, help string }{
		{"name", "the organisation (e.g. 주식회사 카카오)"}, {"representative", "its representative (대표자)"},
		{"department", "the department responsible"}, {"person", "the person responsible"},
		{"contact", "telephone and e-mail"}, {"address", "postal address"},
		{"doc-prefix", "the document-number prefix: submissions are numbered PREFIX-1, PREFIX-2, ..."},
		{"marking", "the marking documents carry (e.g. 대외비)"},
		{"via", "the body a submission passes through to the addressee (the letter's 경유), if any"},
	}
	var zone string
	var revenue, users []string
	var targets, en, approval []string
	set := &cobra.Command{
		Use:   "set [--name N] [--representative R] [--department D] [--person P] [--contact C] [--address A] [--doc-prefix X] [--marking M] [--via V] [--revenue [YEAR=]WON]... [--daily-users [YEAR=]N]... [--target KIND=DUR]... [--zone Z] [--approval POSITION[=NAME]]... [--en FIELD=TEXT]...",
		Short: "Set the profile (only what is given)",
		Long: `org set changes what is given of the profile. --revenue (the provider's
telecom revenue, in won) and --daily-users (its services' average daily
users) are what the law's exemptions are judged on. The law reads the year
before the incident's: --revenue 2023=7,000,000,000,000 gives a year's figure
(repeat for others), --revenue N the one for years not given; empty
clears them. --target KIND=DUR is the organisation's own time for a "without
delay" duty (user-notice=1h), over the regime's; KIND= clears it.
--approval gives the approval chain that signs a submission (결재란), drafter
first, each place POSITION or POSITION=NAME (--approval 대리=홍길동
--approval 팀장 --approval 대표이사); it replaces the chain, and --approval ""
goes back to 담당, 검토, 승인. --en FIELD=TEXT gives the English of a field
for documents in English (--en name="Kakao Corp.").`,
		Args: args(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ch incident.OrgChange
			dst := []**string{&ch.Name, &ch.Representative, &ch.Department, &ch.Person, &ch.Contact, &ch.Address, &ch.DocPrefix, &ch.Marking, &ch.Via}
			given := false
			fl := cmd.Flags()
			for i, n := range names {
				if fl.Changed(n.flag) {
					v := vals[i]
					*dst[i] = &v
					given = true
				}
			}
			var err error
			for _, fig := range []struct {
				flag   string
				vals   []string
				single **int64
				year   func(*incident.OrgYear) **int64
			}{
				{"revenue", revenue, &ch.Revenue, func(y *incident.OrgYear) **int64 { return &y.Revenue }},
				{"daily-users", users, &ch.DailyUsers, func(y *incident.OrgYear) **int64 { return &y.DailyUsers }},
			} {
				figs, err := keyed(fig.flag, fig.vals, "year", "the years not named", "N, or YEAR=N with a year 1900 to 9999")
				if err != nil {
					return err
				}
				for _, kv := range figs {
					year, n, err := yearlyCount(kv)
					if err != nil {
						return err
					}
					given = true
					if year == 0 {
						*fig.single = n
						continue
					}
					if ch.Yearly == nil {
						ch.Yearly = map[int]incident.OrgYear{}
					}
					y := ch.Yearly[year]
					*fig.year(&y) = n
					ch.Yearly[year] = y
				}
			}
			if fl.Changed("zone") {
				ch.Zone = &zone
				given = true
			}
			if fl.Changed("target") {
				kvs, err := keyed("target", splitAll(targets), "duty", "", "KIND=DURATION, e.g. user-notice=1h (KIND= clears)")
				if err != nil {
					return err
				}
				ch.Targets = map[string]string{}
				for _, kv := range kvs {
					ch.Targets[kv.key] = kv.value
				}
				given = true
			}
			if fl.Changed("en") {
				if ch.English, err = englishTexts(en, "org"); err != nil {
					return err
				}
				given = true
			}
			if fl.Changed("approval") {
				chain := []incident.Approver{}
				for _, v := range approval {
					if strings.TrimSpace(v) == "" && len(approval) == 1 {
						break
					}
					a, err := incident.ParseApprover(v)
					if err != nil {
						return err
					}
					chain = append(chain, a)
				}
				ch.Approval = &chain
				given = true
			}
			if !given {
				return usageError{errNothingToSet}
			}
			rs, err := f.Regimes()
			if err != nil {
				return err
			}
			s, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			o, err := s.SetOrg(cmd.Context(), ch, rs)
			if err != nil {
				return err
			}
			return writeOrg(f, o)
		},
	}
	for i, n := range names {
		set.Flags().StringVar(&vals[i], n.flag, "", n.help)
	}
	set.Flags().StringArrayVar(&revenue, "revenue", nil, "telecom revenue in won, YEAR=N for a year's (repeat; empty clears)")
	set.Flags().StringArrayVar(&users, "daily-users", nil, "average daily users of its services, YEAR=N for a year's (repeat; empty clears)")
	set.Flags().StringVar(&zone, "zone", "", "where it counts its days: quarters and reviews (an IANA name, e.g. Asia/Seoul; empty: its regimes' zone)")
	set.Flags().StringSliceVar(&targets, "target", nil, "its own time for a without-delay duty, KIND=DURATION (repeat; KIND= clears)")
	set.Flags().StringArrayVar(&approval, "approval", nil, `a place in the approval chain (결재란), drafter first: POSITION or POSITION=NAME (repeat; replaces; "" for the default)`)
	englishFlag(set, &en, "org")
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
		{"contact", o.Contact}, {"address", o.Address}, {"doc-prefix", o.DocPrefix}, {"marking", o.Marking}, {"via", o.Via},
		{"revenue", countText(o.Revenue)}, {"daily users", countText(o.DailyUsers)}, {"zone", o.Zone}} {
		tw.row(r[0], orDash(r[1]))
	}
	years := make([]int, 0, len(o.Yearly))
	for y := range o.Yearly {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		g := o.Yearly[y]
		tw.row(strconv.Itoa(y), fmt.Sprintf("revenue %s, daily users %s", orDash(countText(g.Revenue)), orDash(countText(g.DailyUsers))))
	}
	var kinds []string
	for k, d := range o.Targets {
		kinds = append(kinds, k+"="+d)
	}
	sort.Strings(kinds)
	tw.row("targets", orDash(strings.Join(kinds, ", ")))
	var chain []string
	for _, a := range o.Approval {
		chain = append(chain, strings.TrimSpace(a.Position+" "+a.Name))
	}
	tw.row("approval", orDash(strings.Join(chain, " → ")))
	for _, k := range incident.EnglishFields("org") {
		if t := o.English[k]; t != "" {
			tw.row(k+" (en)", t)
		}
	}
	return tw.write(f.out)
}

// countForm is a count as typed: digits, or digits grouped by three with
// commas or underscores (10,000,000,000 or 10_000_000_000).
var countForm = regexp.MustCompile(`^(\d+|\d{1,3}(,\d{3})+|\d{1,3}(_\d{3})+)$`)

// countFlag reads a count given on the command line; empty is -1, which
// clears.
func countFlag(field, v string) (*int64, error) {
	v = strings.TrimSpace(v)
	n := int64(-1)
	if v != "" {
		var err error
		if !countForm.MatchString(v) {
			err = strconv.ErrSyntax
		} else {
			n, err = strconv.ParseInt(strings.NewReplacer(",", "", "_", "").Replace(v), 10, 64)
		}
		if err != nil {
			return nil, &incident.FieldError{Field: field, Msg: fmt.Sprintf("%q is not a count; accepted: a whole number of 0 or more, e.g. 10000000000 or 10,000,000,000 (empty clears)", v)}
		}
	}
	return &n, nil
}

// yearlyCount reads a figure: N for the years not named (year 0), or
// YEAR=N.
func yearlyCount(kv keyValue) (int, *int64, error) {
	year := 0
	if kv.key != "" {
		var err error
		if year, err = strconv.Atoi(kv.key); err != nil || year < 1900 || year > 9999 {
			return 0, nil, &incident.FieldError{Field: kv.flag, Msg: fmt.Sprintf("%q is not a year; accepted: N, or YEAR=N with a year 1900 to 9999", kv.key)}
		}
	}
	n, err := countFlag(kv.flag, kv.value)
	return year, n, err
}

func countText(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}
