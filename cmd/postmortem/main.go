// Command postmortem captures an outage as it happens, keeps it in SQLite,
// and turns it into the postmortem and the reports a regulator demands.
package main

import (
	"os"

	_ "time/tzdata" // Asia/Seoul and friends on machines without zoneinfo
)

func main() { os.Exit(run()) }
