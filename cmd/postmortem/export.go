package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/report"
)

type exportOptions struct {
	parsed
	f      *factory
	output string
}

func newExportCmd(f *factory, runF func(*exportOptions) error) *cobra.Command {
	o := &exportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "export [-o FILE]",
		Short: "Write the whole database, with its history, as versioned JSON (deterministic)",
		Args:  args(0, 0, "no arguments"),
		RunE:  runE(o, nil, runF),
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "file to write (default stdout)")
	return cmd
}

func (o *exportOptions) run() error {
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	bar := o.f.progress("export", "records")
	defer bar.done()
	write := func(w io.Writer) error { return s.ExportTo(o.ctx, w, bar.fn()) }
	if o.output == "" || o.output == "-" {
		return write(o.f.out)
	}
	return report.SaveFile(o.output, 0o600, write)
}

type importOptions struct {
	parsed
	path     string
	f        *factory
	renumber bool
}

func newImportCmd(f *factory, runF func(*importOptions) error) *cobra.Command {
	o := &importOptions{f: f}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Load an export (or a fixture) into the database; prints the new incident ids",
		Long: `Load an export into the database, all of it or nothing. Ids are kept, so a
restored backup exports to the same bytes; if an id is taken, import refuses
unless --renumber gives every record a fresh id. FILE may be - for stdin.

The file's history chain is checked first, and a broken one refuses the whole
file. Into a database with no history yet (and without --renumber) the chain
is restored as it is, and the records must agree with it; otherwise each
record enters the history as created by this import.`,
		Args: args(1, 1, "a file"),
		RunE: runE(o, func(a []string) { o.path = a[0] }, runF),
	}
	cmd.Flags().BoolVar(&o.renumber, "renumber", false, "give imported records fresh ids")
	f.reasonFlag(cmd)
	return cmd
}

func (o *importOptions) run() error {
	var r io.Reader = o.f.in
	if o.path != "-" {
		fh, err := os.Open(o.path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer fh.Close()
		r = fh
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	bar := o.f.progress("import", "bytes")
	res, err := s.ImportFrom(o.ctx, r, o.renumber, bar.fn())
	bar.done()
	if err != nil {
		if !o.renumber && isConflict(err) {
			return fmt.Errorf("%w (import into an empty database, or add --renumber)", err)
		}
		return err
	}
	w := bufio.NewWriter(o.f.out)
	for _, id := range res.Read {
		fmt.Fprintln(w, res.Incidents[id])
	}
	if err := w.Flush(); err != nil {
		return err
	}
	o.f.status("imported %d incidents, %d orders, %d actions", len(res.Incidents), len(res.Orders), len(res.Actions))
	return nil
}
