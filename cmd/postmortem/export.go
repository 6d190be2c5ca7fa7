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
	f      *factory
	output string
}

func newExportCmd(f *factory) *cobra.Command {
	o := &exportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "export [-o FILE]",
		Short: "Write the whole database, with its history, as versioned JSON (deterministic)",
		Args:  args(0, 0, "no arguments"),
		RunE:  func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "file to write (default stdout)")
	return cmd
}

func (o *exportOptions) run(cmd *cobra.Command) error {
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	bar := o.f.progress("export", "records")
	defer bar.done()
	write := func(w io.Writer) error { return s.ExportTo(cmd.Context(), w, bar.fn()) }
	if o.output == "" || o.output == "-" {
		return write(o.f.out)
	}
	return report.SaveFile(o.output, 0o600, write)
}

type importOptions struct {
	f        *factory
	renumber bool
}

func newImportCmd(f *factory) *cobra.Command {
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
		RunE: func(cmd *cobra.Command, a []string) error { return o.run(cmd, a[0]) },
	}
	cmd.Flags().BoolVar(&o.renumber, "renumber", false, "give imported records fresh ids")
	f.reasonFlag(cmd)
	return cmd
}

func (o *importOptions) run(cmd *cobra.Command, path string) error {
	var r io.Reader = o.f.in
	if path != "-" {
		fh, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer fh.Close()
		r = fh
	}
	s, err := o.f.Store(cmd.Context())
	if err != nil {
		return err
	}
	bar := o.f.progress("import", "bytes")
	res, err := s.ImportFrom(cmd.Context(), r, o.renumber, bar.fn())
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
