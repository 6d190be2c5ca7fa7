package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles are the screens' looks. Colours are downsampled by Bubble Tea to
// what the terminal supports, and dropped entirely under NO_COLOR, so
// nothing depends on colour alone: status and saved marks are also words
// and symbols.
type styles struct {
	title, subtle, header, selected, err, ok, warn, key, label lipgloss.Style
	// system entries (changes to the record) and retracted events stand
	// apart from what people logged.
	system, retracted lipgloss.Style
	sev               map[string]lipgloss.Style
}

func newStyles() styles {
	accent := lipgloss.Color("#5f87ff")
	subtle := lipgloss.Color("#8a8a8a")
	red := lipgloss.Color("#ff5f5f")
	green := lipgloss.Color("#5fd787")
	amber := lipgloss.Color("#ffaf00")
	sevColor := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Bold(true).Foreground(c) }
	return styles{
		title:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		subtle:    lipgloss.NewStyle().Foreground(subtle),
		header:    lipgloss.NewStyle().Bold(true).Underline(true),
		selected:  lipgloss.NewStyle().Reverse(true),
		err:       lipgloss.NewStyle().Bold(true).Foreground(red),
		ok:        lipgloss.NewStyle().Foreground(green),
		warn:      lipgloss.NewStyle().Foreground(amber),
		key:       lipgloss.NewStyle().Bold(true),
		label:     lipgloss.NewStyle().Foreground(subtle),
		system:    lipgloss.NewStyle().Foreground(subtle).Italic(true),
		retracted: lipgloss.NewStyle().Foreground(subtle).Strikethrough(true),
		sev: map[string]lipgloss.Style{
			"SEV1": sevColor(red), "SEV2": sevColor(amber), "SEV3": sevColor(accent), "SEV4": sevColor(subtle),
		},
	}
}
