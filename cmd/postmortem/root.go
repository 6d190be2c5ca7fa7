package main

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "postmortem",
		Short: "Capture an outage as it happens and write its postmortem and regulatory reports",
		Long: `postmortem walks an incident commander through an outage, keeps every entry
safe in SQLite, and turns it into the postmortem and the reports a regulator
demands. With no command it opens the terminal UI.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(_ *cobra.Command, a []string) error {
			if len(a) > 0 {
				return usageError{fmt.Errorf("unknown command %q", a[0])}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return runTUI(cmd, f) },
	}
	root.SetIn(f.in)
	root.SetOut(f.out)
	root.SetErr(f.errOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&f.dbPath, "db", "", "database file (default $POSTMORTEM_DB, else $XDG_DATA_HOME/postmortem/postmortem.db)")
	root.PersistentFlags().StringVar(&f.tzName, "tz", "", "time zone for reading and showing times, e.g. Asia/Seoul (default local)")
	root.PersistentFlags().StringVar(&f.holidays, "holidays", "", `file of extra days off, one "YYYY-MM-DD name" a line`)
	root.PersistentFlags().StringVar(&f.grace, "grace", "", `how long "without delay" duties are given, e.g. 2h (default: the regime's)`)
	root.AddCommand(newOrderCmd(f), newActionCmd(f), newDeadlinesCmd(f),

		newNewCmd(f), newLogCmd(f), newSetCmd(f), newResolveCmd(f),
		newShowCmd(f), newListCmd(f), newExportCmd(f), newImportCmd(f), newReportCmd(f),
	)
	return root
}

// version is the module version the binary was built from, with the
// schema version it writes.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("%s (schema %d)", v, incident.SchemaVersion())
}

// parseID reads a record id from the command line.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &incident.FieldError{Field: what, Msg: fmt.Sprintf("%q is not an id; accepted: a positive whole number", s)}
	}
	return id, nil
}

// parseIDs reads a comma-separated list of ids.
func parseIDs(what, s string) ([]int64, error) {
	var ids []int64
	for _, p := range strings.Split(s, ",") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		id, err := parseID(what, p)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// splitList reads a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// timeFlag reads a time flag in the chosen zone.
func (f *factory) parseTime(flag, value string) (*time.Time, error) {
	loc, err := f.Location()
	if err != nil {
		return nil, err
	}
	t, err := incident.ParseTime(flag, value, loc, f.now())
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// parsePct reads a users-affected share.
func parsePct(s string) (*float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil {
		return nil, &incident.FieldError{Field: "users-affected", Msg: fmt.Sprintf("%q is not a number; accepted: 0 to 100 (percent of users)", s)}
	}
	if v < 0 || v > 100 {
		return nil, &incident.FieldError{Field: "users-affected", Msg: fmt.Sprintf("%g is out of range; accepted: 0 to 100 (percent of users)", v)}
	}
	return &v, nil
}
