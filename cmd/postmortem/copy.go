package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type copyOptions struct {
	parsed
	f        *factory
	from, to string
}

func newCopyCmd(f *factory, runF func(*copyOptions) error) *cobra.Command {
	o := &copyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "copy --from DB --to DB",
		Short: "Copy a whole database, history included, to a new one on either engine, and prove it",
		Long: `Copy everything (incidents, orders, services, the organisation, and the
history with its chain) from one database to another: a SQLite file or a
PostgreSQL server (postgres://...), either way. The target must be empty; a
new SQLite file is made. The source is verified first; afterwards the target
is verified, and its history head must be the source's. Moving a team's
record from a laptop onto the organisation's server:

  postmortem copy --from ~/.local/share/postmortem/postmortem.db --to postgres://pm@db.internal/postmortem`,
		Args: args(0, 0, "no arguments; name the databases with --from and --to"),
		RunE: runE(o, nil, runF),
	}
	cmd.Flags().StringVar(&o.from, "from", "", "database to copy from: a SQLite file or postgres://...")
	cmd.Flags().StringVar(&o.to, "to", "", "empty database to copy into: a SQLite file (made if missing) or postgres://...")
	return cmd
}

func (o *copyOptions) run() error {
	ctx := o.ctx
	if o.from == "" || o.to == "" {
		return usageError{fmt.Errorf("copy: name both databases, --from and --to")}
	}
	if o.from == o.to {
		return &incident.FieldError{Field: "to", Msg: "is the database copied from; name another"}
	}
	open := func(db string) (*incident.Store, error) {
		return incident.Open(ctx, db, incident.WithClock(o.f.now), incident.WithAuthor(o.f.Author()))
	}
	src, err := open(o.from)
	if err != nil {
		return fmt.Errorf("from: %w", err)
	}
	defer src.Close()
	before, err := src.Verify(ctx, "")
	if err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if !before.OK() {
		return fmt.Errorf("from: %s does not verify, nothing copied: %s: %w", o.from, before.Problem, incident.ErrBroken)
	}
	dst, err := open(o.to)
	if err != nil {
		return fmt.Errorf("to: %w", err)
	}
	defer dst.Close()
	if v, err := dst.Verify(ctx, ""); err != nil {
		return fmt.Errorf("to: %w", err)
	} else if v.Rows > 0 {
		return &incident.FieldError{Field: "to", Msg: fmt.Sprintf("already holds a record (%d history rows); copy goes only into an empty database, nothing copied", v.Rows)}
	}

	// The export streams into the import: the whole record never sits in
	// memory. The import checks the chain it is given and keeps it.
	r, w := io.Pipe()
	go func() { w.CloseWithError(src.ExportTo(ctx, w, nil)) }()
	res, err := dst.ImportFrom(ctx, r, false, nil)
	r.CloseWithError(err)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	after, err := dst.Verify(ctx, "")
	switch {
	case err != nil:
		return fmt.Errorf("to: %w", err)
	case !after.OK():
		return fmt.Errorf("to: the copy does not verify: %s: %w", after.Problem, incident.ErrBroken)
	case !res.HistoryKept || after.Rows != before.Rows || after.Head != before.Head:
		return fmt.Errorf("to: the copy's history (%d rows, head %s) is not the source's (%d rows, head %s): %w",
			after.Rows, after.Head, before.Rows, before.Head, incident.ErrBroken)
	}
	noun := "incidents"
	if len(res.Read) == 1 {
		noun = "incident"
	}
	fmt.Fprintf(o.f.out, "copied %d %s with %d history rows\nhead %s on both; the copy verifies\n", len(res.Read), noun, after.Rows, after.Head)
	return nil
}
