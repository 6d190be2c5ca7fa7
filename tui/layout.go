package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

func splitLines(s string) []string { return strings.Split(s, "\n") }

// fitHeight cuts s to at most h lines, or pads it with empty lines to h.
func fitHeight(s string, h int) string {
	if h < 0 {
		h = 0
	}
	lines := splitLines(s)
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// cell fits s into exactly w terminal columns: wide (Korean) characters
// count two, longer text ends in an ellipsis, shorter is padded.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = strings.ReplaceAll(s, "\n", " ")
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// safe shows user text on the terminal: escape sequences, controls and
// bidirectional overrides are shown escaped, never obeyed.
func safe(s string) string { return incident.Printable(s) }

// safeLines is safe for text of several lines: the line breaks stay.
func safeLines(s string) string {
	lines := splitLines(s)
	for i, l := range lines {
		lines[i] = safe(l)
	}
	return strings.Join(lines, "\n")
}

// wrap breaks s into lines of at most w columns, at spaces where it can.
func wrap(s string, w int) []string {
	if w <= 0 {
		return []string{s}
	}
	return splitLines(ansi.Wrap(s, w, " "))
}

// longDur shows a running duration: "54m12s", "1h02m", past a day "2d 03h15m".
func longDur(d time.Duration) string {
	if d < 24*time.Hour {
		return clockDur(d)
	}
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	d -= time.Duration(days) * 24 * time.Hour
	return fmt.Sprintf("%dd %02dh%02dm", days, int(d.Hours()), int(d.Minutes())%60)
}

// shortDur shows a span in the largest units that matter: "45s", "12m",
// "1h05m", "3d 4h".
func shortDur(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// when shows t in the UI's zone in layout, with its date in front when it
// is not today: a past day typed as HH:MM never passes for today.
func (c *common) when(t time.Time, layout string) string {
	t = t.In(c.loc)
	if sameDay(t, c.now().In(c.loc)) {
		return t.Format(layout)
	}
	return t.Format("2006-01-02 " + layout)
}

// stampSince shows a key time: its date when it differs from prev (the
// key time before it) or, for the first, when it is not today.
func (c *common) stampSince(t, prev *time.Time) string {
	if t == nil {
		return "—"
	}
	at := t.In(c.loc)
	switch {
	case prev != nil && sameDay(at, prev.In(c.loc)):
		return at.Format("15:04")
	case prev != nil:
		return at.Format("2006-01-02 15:04") // another day than the time before it, said in full
	}
	return c.when(at, "15:04")
}

// cadence is how often stakeholders hear from the incident of severity s.
func (c *common) cadence(s incident.Severity) time.Duration {
	if d, ok := c.cadences[s]; ok {
		return d
	}
	return incident.UpdateCadence(s)
}

// clockDur shows a running duration as "1h02m" or "54m12s".
func clockDur(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	return fmt.Sprintf("%dm%02ds", m, s)
}

// stamp shows a time in the UI's zone, or "—".
func (c *common) stamp(t *time.Time, layout string) string {
	if t == nil {
		return "—"
	}
	return t.In(c.loc).Format(layout)
}

// wrapLines is wrap cut to at most n lines, the last ending in an
// ellipsis when more was said.
func wrapLines(s string, w, n int) []string {
	lines := wrap(s, w)
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = ansi.Truncate(lines[n-1], w-1, "") + "…"
	}
	return lines
}
