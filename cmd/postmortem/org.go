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
	cmd.AddCommand(newOrgSetCmd(f, nil), newOrgShowCmd(f, nil))
	return cmd
}

// orgFields are the profile's text fields, as org set names them.
var orgFields = []struct{ flag, help string }{
	{"name", "the organisation (e.g. 주식회사 카카오)"}, {"representative", "its representative (대표자)"},
	{"department", "the department responsible"}, {"person", "the person responsible"},
	{"contact", "telephone and e-mail"}, {"address", "postal address"},
	{"doc-prefix", "the document-number prefix: submissions are numbered PREFIX-1, PREFIX-2, ..."},
	{"marking", "the marking documents carry (e.g. 대외비)"},
	{"via", "the body a submission passes through to the addressee (the letter's 경유), if any"},
}

type orgSetOptions struct {
	parsed
	f                     *factory
	vals                  [9]string
	zone                  string
	revenue, users        []string
	targets, en, approval []string
}

func newOrgSetCmd(f *factory, runF func(*orgSetOptions) error) *cobra.Command {
	o := &orgSetOptions{f: f}
	cmd := &cobra.Command{
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
		RunE: runE(o, nil, runF),
	}
	for i, n := range orgFields {
		cmd.Flags().StringVar(&o.vals[i], n.flag, "", n.help)
	}
	cmd.Flags().StringArrayVar(&o.revenue, "revenue", nil, "telecom revenue in won, YEAR=N for a year's (repeat; empty clears)")
	cmd.Flags().StringArrayVar(&o.users, "daily-users", nil, "average daily users of its services, YEAR=N for a year's (repeat; empty clears)")
	cmd.Flags().StringVar(&o.zone, "zone", "", "where it counts its days: quarters and reviews (an IANA name, e.g. Asia/Seoul; empty: its regimes' zone)")
	cmd.Flags().StringSliceVar(&o.targets, "target", nil, "its own time for a without-delay duty, KIND=DURATION (repeat; KIND= clears)")
	cmd.Flags().StringArrayVar(&o.approval, "approval", nil, `a place in the approval chain (결재란), drafter first: POSITION or POSITION=NAME (repeat; replaces; "" for the default)`)
	englishFlag(cmd, &o.en, "org")
	f.reasonFlag(cmd)
	return cmd
}

func (o *orgSetOptions) run() error {
	var ch incident.OrgChange
	dst := []**string{&ch.Name, &ch.Representative, &ch.Department, &ch.Person, &ch.Contact, &ch.Address, &ch.DocPrefix, &ch.Marking, &ch.Via}
	given := false
	for i, n := range orgFields {
		if o.changed(n.flag) {
			v := o.vals[i]
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
		{"revenue", o.revenue, &ch.Revenue, func(y *incident.OrgYear) **int64 { return &y.Revenue }},
		{"daily-users", o.users, &ch.DailyUsers, func(y *incident.OrgYear) **int64 { return &y.DailyUsers }},
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
	if o.changed("zone") {
		ch.Zone = &o.zone
		given = true
	}
	if o.changed("target") {
		kvs, err := keyed("target", splitAll(o.targets), "duty", "", "KIND=DURATION, e.g. user-notice=1h (KIND= clears)")
		if err != nil {
			return err
		}
		ch.Targets = map[string]string{}
		for _, kv := range kvs {
			ch.Targets[kv.key] = kv.value
		}
		given = true
	}
	if o.changed("en") {
		if ch.English, err = englishTexts(o.en, "org"); err != nil {
			return err
		}
		given = true
	}
	if o.changed("approval") {
		chain := []incident.Approver{}
		for _, v := range o.approval {
			if strings.TrimSpace(v) == "" && len(o.approval) == 1 {
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
	rs, err := o.f.Regimes()
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	org, err := s.SetOrg(o.ctx, ch, rs)
	if err != nil {
		return err
	}
	return writeOrg(o.f, org)
}

type orgShowOptions struct {
	parsed
	f      *factory
	asJSON bool
}

func newOrgShowCmd(f *factory, runF func(*orgShowOptions) error) *cobra.Command {
	o := &orgShowOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show [--json]",
		Short: "Show the profile",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

func (o *orgShowOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	org, err := s.Org(o.ctx)
	if err != nil {
		return err
	}
	if o.asJSON {
		return writeJSON(o.f.out, org)
	}
	return writeOrg(o.f, org)
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
