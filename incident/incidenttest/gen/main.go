// Command gen writes a large, reproducible postmortem database for
// measuring: go run ./incident/incidenttest/gen -n 10000 -o big.db
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/incident/incidenttest"
)

func main() {
	n := flag.Int("n", 1000, "incidents")
	events := flag.Int("events", 100, "timeline events per incident")
	seed := flag.Int64("seed", 1, "seed: the same seed gives the same records")
	out := flag.String("o", "", "database file to write (must not exist)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: give -o FILE")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "gen: %s exists\n", *out)
		os.Exit(2)
	}
	s, err := incident.Open(context.Background(), *out)
	if err == nil {
		err = incidenttest.Load(context.Background(), s, *n, *events, *seed)
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
