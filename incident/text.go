package incident

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits on text that enters, in characters: generous for what people
// write, small enough that nothing typed or pasted by mistake (a log file,
// a binary) becomes a record.
const (
	// MaxName is a service, an owner, an author, a role, a reference.
	MaxName = 200
	// MaxTitle is an incident's title.
	MaxTitle = 500
	// MaxText is an event, a step, a measure, a finding, a reason.
	MaxText = 20_000
	// MaxProse is a cause, a trigger, symptoms, lessons, evidence.
	MaxProse = 100_000
)

// checkText refuses text that is not UTF-8, holds NUL, or is longer than
// max characters, naming the field.
func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return invalid(field, "is not valid UTF-8 (byte %d: %#x); accepted: UTF-8 text", i, s[i])
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return invalid(field, "holds a NUL character (at byte %d); accepted: text without NUL", i)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid(field, "is %d characters long; accepted: at most %d", n, max)
	}
	return nil
}

// CheckText is checkText for text that does not enter a record but is
// written out (a notice's message).
func CheckText(field, s string, max int) error { return checkText(field, s, max) }

// textField is one text a record carries, with its limit.
type textField struct {
	name, value string
	max         int
}

// checkTexts checks each field with checkText, stopping at the first
// refused.
func checkTexts(fields ...textField) error {
	for _, f := range fields {
		if err := checkText(f.name, f.value, f.max); err != nil {
			return err
		}
	}
	return nil
}

// Printable shows s safely on a terminal: control characters (C0, DEL and
// C1, so escape sequences are inert), bidirectional controls and bytes that
// are not UTF-8 become visible escapes (\x1b, \n, \u202e, \xff); everything
// else is left as it is. JSON output never goes through it.
func Printable(s string) string {
	if printableAlready(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unsafeRune reports the runes Printable escapes above ASCII: C1 controls,
// the bidirectional controls that reorder what a terminal shows, and the
// zero-width characters that show as nothing.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r == 0x00ad, r == 0x180e, r >= 0x200b && r <= 0x200d, r >= 0x2060 && r <= 0x2064, r == 0xfeff:
		// Zero-width and invisible: a name or a path that holds one looks
		// like another that does not.
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func printableAlready(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			// Rare in the fast path's ASCII; check the rest rune by rune.
			for _, r := range s[i:] {
				if r == utf8.RuneError || r < 0x20 || r == 0x7f || unsafeRune(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}
