package tui

import (
	"charm.land/huh/v2"
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

// fitForm sizes a form to the window below a screen's header of the given
// number of lines, leaving a line for an error.
func (c *common) fitForm(f *huh.Form, header int) *huh.Form {
	return f.WithWidth(min(c.width-2, 100)).WithHeight(max(6, c.height-header-1))
}
