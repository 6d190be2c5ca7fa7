package main

import (
	"fmt"
	"runtime/debug"

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
		RunE: func(cmd *cobra.Command, _ []string) error { return runTUI(cmd.Context(), f) },
	}
	root.SetIn(f.in)
	root.SetOut(f.out)
	root.SetErr(f.errOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&f.dbPath, "db", "", "database: a SQLite file, or a PostgreSQL server as postgres://... (default $POSTMORTEM_DB, else $XDG_DATA_HOME/postmortem/postmortem.db)")
	root.PersistentFlags().StringVar(&f.tzName, "tz", "", "time zone for reading and showing times, e.g. Asia/Seoul (default local)")
	root.PersistentFlags().StringVar(&f.holidays, "holidays", "", `file of extra days off, one "YYYY-MM-DD name" a line`)
	root.Flags().StringVar(&f.cadence, "update-every", "", "terminal UI: how often stakeholders are to hear, by severity (default SEV1=30m,SEV2=1h,SEV3=2h,SEV4=4h)")
	root.PersistentFlags().StringSliceVar(&f.grace, "grace", nil, `how long "without delay" duties are given, over every target: 2h for all, or KIND=2h for one (repeat)`)
	root.AddCommand(newOrderCmd(f), newActionCmd(f), newDeadlinesCmd(f, nil),

		newNewCmd(f, nil), newLogCmd(f, nil), newSetCmd(f, nil), newResolveCmd(f, nil), newCloseCmd(f, nil), newVerifyPackageCmd(f, nil),
		newShowCmd(f, nil), newListCmd(f, nil), newExportCmd(f, nil), newImportCmd(f, nil), newReportCmd(f, nil),
		newHistoryCmd(f, nil), newVerifyCmd(f, nil), newSealCmd(f, nil), newBackupCmd(f, nil), newCopyCmd(f, nil), newServeCmd(f, nil),
		newServiceCmd(f), newDutyCmd(f), newGateCmd(f, nil), newFreezeCmd(f), newRoleCmd(f, nil), newDemoCmd(f, nil), newStatsCmd(f, nil), newOrgCmd(f),
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
