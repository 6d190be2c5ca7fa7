package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// bar draws a job's progress on stderr when stderr is a terminal, at most
// every tenth of a second, and nothing at all otherwise.
type bar struct {
	w     io.Writer
	label string
	unit  string
	last  time.Time
	drawn bool
}

// progress returns a bar for a long job (a nil-safe no-op when stderr is
// not a terminal).
func (f *factory) progress(label, unit string) *bar {
	if !isTerminal(f.errOut) {
		return nil
	}
	return &bar{w: f.errOut, label: label, unit: unit}
}

// fn is the bar as the store takes it: nil when nothing is drawn.
func (b *bar) fn() incident.ProgressFunc {
	if b == nil {
		return nil
	}
	return b.update
}

// update is an incident.ProgressFunc.
func (b *bar) update(done, total int64) {
	if b == nil || time.Since(b.last) < 100*time.Millisecond {
		return
	}
	b.last = time.Now()
	b.drawn = true
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s  %s %s", b.label, count(done, b.unit), strings.Repeat(" ", 10))
		return
	}
	const width = 30
	filled := int(float64(width) * float64(done) / float64(total))
	fmt.Fprintf(b.w, "\r%s  [%s%s] %3d%%  %s / %s", b.label, strings.Repeat("█", min(filled, width)),
		strings.Repeat("·", max(0, width-filled)), done*100/total, count(done, b.unit), count(total, b.unit))
}

// done clears the bar's line.
func (b *bar) done() {
	if b != nil && b.drawn {
		fmt.Fprint(b.w, "\r\x1b[2K")
	}
}

func count(n int64, unit string) string {
	if unit == "bytes" {
		switch {
		case n >= 1<<30:
			return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
		}
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d %s", n, unit)
}
