package main

import (
	"bytes"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

type reportOptions struct {
	f         *factory
	format    string
	output    string
	lang      string
	templates string
	paper     string
	date      string
	point     pointFlags
}

func newReportCmd(f *factory) *cobra.Command {
	o := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a report as Markdown, HTML or PDF, in Korean or English",
		Args:  args(0, 0, "a report: postmortem"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError{errors.New("name a report, e.g. report postmortem ID")}
		},
	}
	fl := cmd.PersistentFlags()
	fl.StringVar(&o.format, "format", "md", "md, html or pdf")
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
		RunE:  func(cmd *cobra.Command, a []string) error { return o.postmortem(cmd, a[0]) },
	})
	for _, kind := range []struct{ use, short string }{
		{"plan ORDER", "The improvement action plan answering an order"},
		{"correction ORDER", "The correction results report for an order"},
	} {
		cmd.AddCommand(&cobra.Command{
			Use:   kind.use,
			Short: kind.short,
			Args:  args(1, 1, "an order id"),
			RunE:  func(cmd *cobra.Command, a []string) error { return o.order(cmd, cmd.Name(), a[0]) },
		})
	}
	return cmd
}

// renderer builds the report renderer from the flags, with the state the
// document shows: the document date and --as-of settle each other.
func (o *reportOptions) renderer() (*report.Renderer, report.Format, incident.Point, error) {
	var pt incident.Point
	format, err := report.ParseFormat(o.format)
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

func (o *reportOptions) postmortem(cmd *cobra.Command, idArg string) error {
	r, format, pt, err := o.renderer()
	if err != nil {
		return err
	}
	v, err := o.f.Postmortem(cmd.Context(), idArg, pt)
	if err != nil {
		return err
	}
	return o.write(format, func(w io.Writer) error { return r.Postmortem(w, format, v) })
}

// order writes the plan or the correction report of an order.
func (o *reportOptions) order(cmd *cobra.Command, kind, idArg string) error {
	r, format, pt, err := o.renderer()
	if err != nil {
		return err
	}
	v, err := loadOrder(cmd.Context(), o.f, idArg, pt)
	if err != nil {
		return err
	}
	render := r.Plan
	if kind == "correction" {
		render = r.Correction
	}
	return o.write(format, func(w io.Writer) error { return render(w, format, v) })
}
