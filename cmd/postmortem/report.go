package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

type reportOptions struct {
	parsed
	f         *factory
	format    string
	output    string
	lang      string
	templates string
	paper     string
	date      string
	point     pointFlags
	notice    noticeFlags
	window    windowFlags
}

// windowFlags choose a review's window and scope.
type windowFlags struct {
	from, to string
	services []string
	group    string
	asOf     time.Time // judged then, not at the window's end
}

func (w *windowFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&w.from, "from", "", "window start, YYYY-MM-DD (with --to, instead of a quarter)")
	fl.StringVar(&w.to, "to", "", "window end, YYYY-MM-DD (its last day)")
	fl.StringSliceVar(&w.services, "service", nil, "only incidents on these services (repeat, or comma-separated)")
	fl.StringVar(&w.group, "group", "", "only incidents on the services of this group")
}

// window reads a quarter (the argument) or --from/--to, in the zone.
func (w *windowFlags) window(ctx context.Context, f *factory, a []string) (incident.Window, incident.ReviewFilter, error) {
	flt := incident.ReviewFilter{Services: splitAll(w.services), Group: strings.TrimSpace(w.group), AsOf: w.asOf}
	loc, err := f.ReviewLocation(ctx)
	if err != nil {
		return incident.Window{}, flt, err
	}
	switch {
	case len(a) == 1 && (w.from != "" || w.to != ""):
		return incident.Window{}, flt, usageError{errors.New("give a quarter or --from and --to, not both")}
	case len(a) == 1:
		win, err := incident.ParseQuarter(a[0], loc)
		return win, flt, err
	case w.from == "" || w.to == "":
		return incident.Window{}, flt, usageError{errors.New("name a quarter (2024Q2), or give --from and --to")}
	}
	from, err := incident.ParseDate("from", w.from)
	if err != nil {
		return incident.Window{}, flt, err
	}
	to, err := incident.ParseDate("to", w.to)
	if err != nil {
		return incident.Window{}, flt, err
	}
	win, err := incident.DaysWindow(from, to, loc)
	return win, flt, err
}

// review reads the window's figures.
func (w *windowFlags) review(ctx context.Context, f *factory, a []string) (*incident.Review, error) {
	win, flt, err := w.window(ctx, f, a)
	if err != nil {
		return nil, err
	}
	rs, err := f.Regimes()
	if err != nil {
		return nil, err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, win, flt, rs)
}

// noticeFlags are what the author of a notice to users adds.
type noticeFlags struct{ stage, next, advice, message string }

func newReportCmd(f *factory, runF func(*reportLeaf) error) *cobra.Command {
	o := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a report as Markdown, HTML, PDF or DOCX, in Korean or English",
		Args:  args(0, 0, "a report: postmortem"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError{errors.New("name a report, e.g. report postmortem ID")}
		},
	}
	fl := cmd.PersistentFlags()
	fl.StringVar(&o.format, "format", "md", "md, html, pdf or docx (for editing); default: the -o file's extension, else md")
	fl.StringVarP(&o.output, "output", "o", "", "file to write (md and html default to stdout; pdf needs it unless stdout is not a terminal)")
	fl.StringVar(&o.lang, "lang", "ko", "ko or en")
	fl.StringVar(&o.templates, "templates", "", "folder whose templates override the embedded ones, file by file")
	fl.StringVar(&o.paper, "paper", "a4", "a4 or letter")
	fl.StringVar(&o.date, "date", "", "document date, YYYY-MM-DD (default today, or the --as-of day); the state shown is as of its end unless --as-of")
	o.point.register(cmd, true)
	cmd.AddCommand(&cobra.Command{
		Use:   "postmortem ID",
		Short: "The incident's postmortem",
		Args:  args(1, 1, "an incident id"),
		RunE:  o.leaf("postmortem", runF),
	})
	notice := &cobra.Command{
		Use:   "notice ID [--stage start|update|resolved] [--format md|html|txt]",
		Short: "What users read: what is affected, since when (until when), what they can do, when the next notice comes",
		Long: `report notice writes the notice to users about an incident, in plain words:
no severity, no internal names. The stage follows the record (the first
notice, an update once one was logged with log --notice users, the resolved
notice once it is over) unless --stage says. --as-of writes the notice as it
stood at a moment. txt fits a status post (at most 1,000 characters).`,
		Args: args(1, 1, "an incident id"),
		RunE: o.leaf("notice", runF),
	}
	nf := notice.Flags()
	nf.StringVar(&o.notice.stage, "stage", "", "start, update or resolved (default: from the record)")
	nf.StringVar(&o.notice.next, "next", "", "when the next notice comes: a duration (45m) or a time (default: the severity's cadence, 30m for SEV1)")
	nf.StringVar(&o.notice.advice, "advice", "", "what users can do (replaces the default sentence)")
	nf.StringVar(&o.notice.message, "message", "", "a paragraph of your own, e.g. what happened in plain words")
	cmd.AddCommand(notice)
	quarterly := &cobra.Command{
		Use:   "quarterly [QUARTER] [--from DATE --to DATE] [--service S | --group G]",
		Short: "The quarterly review: counts, outage minutes, speed of response, what repeats, measures and duties, with charts",
		Long: `report quarterly reviews a quarter (2024Q2) or any window (--from, --to): incidents
by severity, service and month, outage minutes, user impact, time to detect,
mitigate and resolve (median, mean, worst), the longest incidents, chains of
related incidents, cause categories and tags, measures and duties, each against
the window before. Figures are as they stood at the window's end. HTML and PDF
carry charts; Markdown the tables.`,
		Args: args(0, 1, "a quarter, e.g. 2024Q2, or none with --from and --to"),
		RunE: o.leaf("quarterly", runF),
	}
	o.window.register(quarterly)
	cmd.AddCommand(quarterly, &cobra.Command{
		Use:   "fields [REPORT]",
		Short: "List what a report's template can use ({{.I.Title}} ...), for --templates",
		Long: `report fields lists the data each report's template sees, field by field, with
its type: postmortem, plan, correction, notice, quarterly, and the page's header
and footer. A template given with --templates (FOLDER/ko/NAME.md.tmpl, else
FOLDER/NAME.md.tmpl) replaces the built-in one file by file; it writes Markdown,
and a line <!-- pagebreak --> starts a new page. Parts are replaced the same way,
each on its own (FOLDER/ko/parts/NAME): cover.md.tmpl and signature.md.tmpl, the
cover and the closing of a plan or correction report ({{template "cover" .}});
header.txt.tmpl and footer.txt.tmpl, one line on every PDF page (the header's
text before a tab goes left, after it right).`,
		Args: args(0, 1, "a report name, or none for all"),
		RunE: o.leaf("fields", runF),
	})
	for _, kind := range []struct{ name, use, short string }{
		{"plan", "plan ORDER", "The improvement action plan answering an order"},
		{"correction", "correction ORDER", "The correction results report for an order"},
	} {
		cmd.AddCommand(&cobra.Command{
			Use:   kind.use,
			Short: kind.short,
			Args:  args(1, 1, "an order id"),
			RunE:  o.leaf(kind.name, runF),
		})
	}
	return cmd
}

// reportLeaf is one report's command: the flags every report shares, the
// report's name and its arguments.
type reportLeaf struct {
	*reportOptions
	name string
	args []string
}

// leaf is the RunE of the report called name.
func (o *reportOptions) leaf(name string, runF func(*reportLeaf) error) func(*cobra.Command, []string) error {
	l := &reportLeaf{reportOptions: o, name: name}
	return runE(l, func(a []string) { l.args = a }, runF)
}

func (l *reportLeaf) run() error {
	switch l.name {
	case "postmortem":
		return l.postmortem(l.args[0])
	case "notice":
		return l.userNotice(l.args[0])
	case "quarterly":
		return l.quarterly(l.args)
	case "fields":
		return l.fields(l.args)
	}
	return l.order(l.name, l.args[0])
}

// fields lists what each report's template can use.
func (o *reportOptions) fields(a []string) error {
	names := report.ReportNames()
	if len(a) == 1 {
		names = a
	}
	for _, n := range names {
		fields, err := report.Fields(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(o.f.out, "%s:\n", n)
		for _, fl := range fields {
			fmt.Fprintf(o.f.out, "  %s\n", fl)
		}
	}
	return nil
}

// renderer builds the report renderer from the flags, with the state the
// document shows: the document date and --as-of settle each other.
func (o *reportOptions) renderer() (*report.Renderer, report.Format, incident.Point, error) {
	return o.rendererFor(report.ParseFormat)
}

func (o *reportOptions) rendererFor(parse func(string) (report.Format, error)) (*report.Renderer, report.Format, incident.Point, error) {
	var pt incident.Point
	format, err := o.parseFormat(parse)
	if err != nil {
		return nil, "", pt, err
	}
	loc, err := o.f.Location()
	if err != nil {
		return nil, "", pt, err
	}
	if pt, err = o.f.point(o.point); err != nil {
		return nil, "", pt, err
	}
	date, err := o.f.documentDate(o.date, &pt)
	if err != nil {
		return nil, "", pt, err
	}
	opts := []report.Option{report.WithLang(o.lang), report.WithPaper(o.paper), report.WithZone(loc), report.WithDate(date)}
	if o.templates != "" {
		opts = append(opts, report.WithTemplates(o.templates))
	}
	r, err := report.New(opts...)
	return r, format, pt, err
}

// parseFormat is the format asked for, read by parse: --format when
// given, else the one the -o file's extension names when this report is
// written in it (report.pdf is a PDF), else --format's default. A
// --format at odds with such an extension is refused, not written into it.
func (o *reportOptions) parseFormat(parse func(string) (report.Format, error)) (report.Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(o.output)), ".")
	if ext == "htm" {
		ext = "html"
	}
	byExt, err := parse(ext)
	switch {
	case ext == "" || err != nil:
		return parse(o.format)
	case !o.changed("format"):
		return byExt, nil
	}
	given, err := parse(o.format)
	if err == nil && given != byExt {
		return "", &incident.FieldError{Field: "format", Msg: fmt.Sprintf("%s, but the file %s says %s; give one (the file's extension alone is enough)", o.format, o.output, ext)}
	}
	return given, err
}

// write renders to the file (whole or not at all), or to stdout after
// rendering into memory, so a failed render prints nothing.
func (o *reportOptions) write(format report.Format, render func(io.Writer) error) error {
	if o.output == "" || o.output == "-" {
		if format == report.PDF && isTerminal(o.f.out) {
			return usageError{errors.New("a PDF is binary: give -o FILE, or redirect stdout")}
		}
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return err
		}
		_, err := o.f.out.Write(buf.Bytes())
		return err
	}
	if err := report.SaveFile(o.output, 0o644, render); err != nil {
		return err
	}
	o.f.status("wrote %s", o.output)
	return nil
}

func (o *reportOptions) postmortem(idArg string) error {
	r, format, pt, err := o.renderer()
	if err != nil {
		return err
	}
	v, err := o.f.Postmortem(o.ctx, idArg, pt)
	if err != nil {
		return err
	}
	return o.write(format, func(w io.Writer) error { return r.Postmortem(w, format, v) })
}

// order writes the plan or the correction report of an order.
func (o *reportOptions) order(kind, idArg string) error {
	r, format, pt, err := o.renderer()
	if err != nil {
		return err
	}
	v, err := loadOrder(o.ctx, o.f, idArg, pt)
	if err != nil {
		return err
	}
	render := r.Plan
	if kind == "correction" {
		render = r.Correction
	}
	return o.write(format, func(w io.Writer) error { return render(w, format, v) })
}

// userNotice writes the notice to users about an incident.
func (o *reportOptions) userNotice(idArg string) error {
	r, format, pt, err := o.rendererFor(report.ParseNoticeFormat)
	if err != nil {
		return err
	}
	var opts report.NoticeOptions
	if o.notice.stage != "" {
		if opts.Stage, err = incident.ParseStage(o.notice.stage); err != nil {
			return err
		}
	}
	v, err := o.f.Postmortem(o.ctx, idArg, pt)
	if err != nil {
		return err
	}
	if o.notice.next != "" {
		moment := pt.AsOf
		if moment.IsZero() {
			moment = o.f.now()
		}
		if d, derr := time.ParseDuration(o.notice.next); derr == nil && d > 0 {
			opts.Next = moment.Add(d)
		} else if opts.Next, err = o.f.plannedTime("next", o.notice.next, false); err != nil {
			return &incident.FieldError{Field: "next", Msg: fmt.Sprintf("%q is neither a duration nor a time; accepted: e.g. 45m, 2h, or %s", o.notice.next, incident.TimeForms)}
		}
	}
	opts.Advice, opts.Message = o.notice.advice, o.notice.message
	opts.Shortened = func(field string) {
		fmt.Fprintf(o.f.errOut, "postmortem: note: the %s was shortened to fit a status post (%d characters)\n", field, report.MaxNoticeText)
	}
	for _, t := range []struct{ field, v string }{{"advice", opts.Advice}, {"message", opts.Message}} {
		if err := incident.CheckText(t.field, t.v, incident.MaxText); err != nil {
			return err
		}
	}
	return o.write(format, func(w io.Writer) error { return r.Notice(w, format, v, opts) })
}

// quarterly writes the review of a window.
func (o *reportOptions) quarterly(a []string) error {
	format, err := o.parseFormat(report.ParseFormat)
	if err != nil {
		return err
	}
	loc, err := o.f.ReviewLocation(o.ctx)
	if err != nil {
		return err
	}
	pt, err := o.f.point(o.point)
	if err != nil {
		return err
	}
	o.window.asOf = pt.AsOf
	rv, err := o.window.review(o.ctx, o.f, a)
	if err != nil {
		return err
	}
	date := o.f.now()
	if o.date != "" {
		d, err := incident.ParseDate("date", o.date)
		if err != nil {
			return err
		}
		date = d.In(loc)
	}
	opts := []report.Option{report.WithLang(o.lang), report.WithPaper(o.paper), report.WithZone(loc), report.WithDate(date)}
	if o.templates != "" {
		opts = append(opts, report.WithTemplates(o.templates))
	}
	r, err := report.New(opts...)
	if err != nil {
		return err
	}
	return o.write(format, func(w io.Writer) error { return r.Quarterly(w, format, rv) })
}
