package incident

import (
	"fmt"
	"io"
)

// Limits on an import file, checked as its bytes are read, before any
// value is decoded: the longest text a record holds (a history row's
// creation carries the whole record as one text) and the largest record
// (an incident with its whole timeline).
const (
	MaxImportText   = 4 << 20
	MaxImportRecord = 256 << 20
)

// strictJSON passes a JSON text through and stops it at the first byte a
// JSON decoder would take silently or hold at any cost: invalid UTF-8 (a
// decoder replaces it with U+FFFD), an escaped lone surrogate (\ud800, the
// same), a text longer than MaxImportText, a record longer than
// MaxImportRecord. The error names the byte offset and what is accepted.
type strictJSON struct {
	r   io.Reader
	off int64
	err error

	inString, escape bool
	hex              int  // hex digits of a \u escape still to come
	code             rune // the \u escape read so far
	wantLow          bool // a high surrogate was escaped: a low one must follow
	textLen          int64

	utfLeft      int  // continuation bytes still to come
	utfLo, utfHi byte // the range the next one must lie in

	depth       int
	recordStart int64 // offset where the current record began, -1 outside
}

func newStrictJSON(r io.Reader) *strictJSON { return &strictJSON{r: r, recordStart: -1} }

func (s *strictJSON) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	for i := 0; i < n; i++ {
		if msg := s.step(p[i]); msg != "" {
			s.err = invalid("import", "byte %d of the file: %s", s.off, msg)
			return i, s.err
		}
		s.off++
	}
	if err == io.EOF && s.utfLeft > 0 {
		s.err = invalid("import", "the file ends inside a UTF-8 character")
		return n, s.err
	}
	return n, err
}

// step takes one byte; it returns what is wrong with it, or "".
func (s *strictJSON) step(b byte) string {
	if msg := s.utf8(b); msg != "" {
		return msg
	}
	if s.recordStart >= 0 && s.off-s.recordStart > MaxImportRecord {
		return fmt.Sprintf("a record of more than %d MiB; accepted: records of at most %d MiB", MaxImportRecord>>20, MaxImportRecord>>20)
	}
	if !s.inString {
		switch b {
		case '"':
			s.inString, s.textLen = true, 0
		case '{', '[':
			s.depth++
			if s.depth == 3 {
				s.recordStart = s.off
			}
		case '}', ']':
			if s.depth == 3 {
				s.recordStart = -1
			}
			s.depth--
		}
		return ""
	}
	s.textLen++
	if s.textLen > MaxImportText {
		return fmt.Sprintf("a text of more than %d MiB; accepted: texts of at most %d MiB (the longest field holds %d characters)",
			MaxImportText>>20, MaxImportText>>20, MaxProse)
	}
	switch {
	case s.hex > 0:
		d := hexDigit(b)
		if d < 0 {
			return "a \\u escape with a character that is not a hex digit"
		}
		s.code = s.code<<4 | rune(d)
		s.hex--
		if s.hex == 0 {
			return s.escaped()
		}
		return ""
	case s.wantLow && !(s.escape && b == 'u') && !(!s.escape && b == '\\'):
		return "an escaped high surrogate (\\ud800-\\udbff) without the low one after it; accepted: UTF-8 text"
	case s.escape:
		s.escape = false
		if b == 'u' {
			s.hex, s.code = 4, 0
		}
	case b == '\\':
		s.escape = true
	case b == '"':
		s.inString = false
	}
	return ""
}

// escaped judges a completed \u escape.
func (s *strictJSON) escaped() string {
	switch c := s.code; {
	case s.wantLow && (c < 0xdc00 || c > 0xdfff):
		return "an escaped high surrogate (\\ud800-\\udbff) without the low one after it; accepted: UTF-8 text"
	case s.wantLow:
		s.wantLow = false
	case c >= 0xd800 && c <= 0xdbff:
		s.wantLow = true
	case c >= 0xdc00 && c <= 0xdfff:
		return fmt.Sprintf("an escaped lone surrogate (\\u%04x); accepted: UTF-8 text", c)
	}
	return ""
}

// utf8 follows the bytes of UTF-8 characters: shortest forms only, no
// surrogates, nothing past U+10FFFF.
func (s *strictJSON) utf8(b byte) string {
	if s.utfLeft > 0 {
		if b < s.utfLo || b > s.utfHi {
			return "invalid UTF-8; accepted: UTF-8 text"
		}
		s.utfLeft--
		s.utfLo, s.utfHi = 0x80, 0xbf
		return ""
	}
	s.utfLo, s.utfHi = 0x80, 0xbf
	switch {
	case b < 0x80:
	case b >= 0xc2 && b <= 0xdf:
		s.utfLeft = 1
	case b == 0xe0:
		s.utfLeft, s.utfLo = 2, 0xa0
	case b == 0xed:
		s.utfLeft, s.utfHi = 2, 0x9f
	case b >= 0xe1 && b <= 0xef:
		s.utfLeft = 2
	case b == 0xf0:
		s.utfLeft, s.utfLo = 3, 0x90
	case b >= 0xf1 && b <= 0xf3:
		s.utfLeft = 3
	case b == 0xf4:
		s.utfLeft, s.utfHi = 3, 0x8f
	default:
		return "invalid UTF-8; accepted: UTF-8 text"
	}
	return ""
}

func hexDigit(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}
