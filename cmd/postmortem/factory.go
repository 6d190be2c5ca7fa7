package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// factory carries what every command needs: streams, the environment, a
// clock, and a store opened on first use.
type factory struct {
	in     io.Reader
	out    io.Writer
	errOut io.Writer
	getenv func(string) string
	now    func() time.Time

	dbPath   string   // --db; empty means the default
	tzName   string   // --tz; empty means local
	holidays string   // --holidays: extra days off
	grace    []string // --grace: how long "without delay" is given (D, or KIND=D)
	reason   string   // --reason: why, on the commands that change things
	cadence  string   // --update-every: how often stakeholders hear, by severity

	regimes *incident.Regimes

	store *incident.Store
}

func newFactory(in io.Reader, out, errOut io.Writer, getenv func(string) string) *factory {
	return &factory{in: in, out: out, errOut: errOut, getenv: getenv, now: time.Now}
}

// defaultDBPath is $POSTMORTEM_DB, else $XDG_DATA_HOME/postmortem/postmortem.db,
// with XDG's default of ~/.local/share.
func defaultDBPath(getenv func(string) string) (string, error) {
	if p := getenv("POSTMORTEM_DB"); p != "" {
		return p, nil
	}
	data := getenv("XDG_DATA_HOME")
	if data == "" {
		home := getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", fmt.Errorf("no database path: set --db or POSTMORTEM_DB (%w)", err)
			}
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "postmortem", "postmortem.db"), nil
}

// DBPath is the database the commands use.
func (f *factory) DBPath() (string, error) {
	if f.dbPath != "" {
		return f.dbPath, nil
	}
	return defaultDBPath(f.getenv)
}

// Store opens the database the first time it is asked for.
func (f *factory) Store(ctx context.Context) (*incident.Store, error) {
	if f.store != nil {
		return f.store, nil
	}
	path, err := f.DBPath()
	if err != nil {
		return nil, err
	}
	s, err := incident.Open(ctx, path, incident.WithClock(f.now), incident.WithAuthor(f.Author()))
	if err != nil {
		return nil, err
	}
	if !incident.IsServerURL(path) {
		report.Protect(path) // no -o may write over it
	}
	f.store = s.As("", f.reason)
	return f.store, nil
}

// Postmortem reads the view of the incident named by arg (an id) at p.
func (f *factory) Postmortem(ctx context.Context, arg string, p incident.Point) (*incident.PostmortemView, error) {
	id, err := incident.ParseID("incident", arg)
	if err != nil {
		return nil, err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := f.Regimes()
	if err != nil {
		return nil, err
	}
	return s.Postmortem(ctx, id, p, rs)
}

// Close closes the store if it was opened.
func (f *factory) Close() error {
	if f.store == nil {
		return nil
	}
	return f.store.Close()
}

// Location is the zone times are read and shown in.
func (f *factory) Location() (*time.Location, error) {
	name := f.tzName
	if name == "" {
		name = f.getenv("POSTMORTEM_TZ")
	}
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &incident.FieldError{Field: "tz", Msg: fmt.Sprintf("%q is not a time zone; accepted: an IANA name such as Asia/Seoul, UTC or Local", name)}
	}
	return loc, nil
}

// ReviewLocation is where a review counts its days: --tz (or
// $POSTMORTEM_TZ) when given, else the organisation's or its regimes'
// zone, never the machine's by accident.
func (f *factory) ReviewLocation(ctx context.Context) (*time.Location, error) {
	if f.tzName != "" || f.getenv("POSTMORTEM_TZ") != "" {
		return f.Location()
	}
	rs, err := f.Regimes()
	if err != nil {
		return nil, err
	}
	s, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	return s.ReviewZone(ctx, rs)
}

// Author names who typed an event: $POSTMORTEM_AUTHOR, else $USER, else
// the account's login name (cron, containers and bare SSH commands often
// have no $USER).
func (f *factory) Author() string {
	for _, name := range []string{"POSTMORTEM_AUTHOR", "USER"} {
		if a := f.getenv(name); a != "" {
			return a
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

func isTerminal(w any) bool {
	fd, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(fd.Fd())
}

// status writes a line for a person watching; scripts reading stdout never
// see it, and it is quiet when stderr is not a terminal.
func (f *factory) status(format string, args ...any) {
	if isTerminal(f.errOut) {
		fmt.Fprintf(f.errOut, format+"\n", args...)
	}
}

// reasonFlag gives a command that changes things --reason, which goes into
// the history beside each change it makes.
func (f *factory) reasonFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.reason, "reason", "", "why: recorded in the history with the change")
}
