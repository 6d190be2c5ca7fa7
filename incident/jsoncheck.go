package incident

import (
	"fmt"
	"io"
	"unicode/utf8"
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
// It looks at each byte once, skipping the runs no rule is about (the
// inside of a text, between its quotes and escapes) a slice at a time, and
// leaves UTF-8 to the standard library.
type strictJSON struct {
	r   io.Reader
	off int64 // offset of the chunk being checked
	err error
	// tail is the start of a UTF-8 character the last chunk ended in.
	tail []byte

	inString, escape bool
	hex              int  // hex digits of a \u escape still to come
	code             rune // the \u escape read so far
	wantLow          bool // a high surrogate was escaped: a low one must follow
	textLen          int64

	depth       int
	recordStart int64 // offset where the current record began, -1 outside
}

func newStrictJSON(r io.Reader) *strictJSON { return &strictJSON{r: r, recordStart: -1} }

func (s *strictJSON) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	if at, msg := s.check(p[:n]); msg != "" {
		s.err = invalid("import", "byte %d of the file: %s", s.off+int64(at), msg)
		return max(at, 0), s.err
	}
	s.off += int64(n)
	if err == io.EOF && len(s.tail) > 0 {
		s.err = invalid("import", "the file ends inside a UTF-8 character")
		return n, s.err
	}
	return n, err
}

// check checks a chunk; it returns where the first fault is (from the
// chunk's start; before it when the fault is a character the last chunk
// ended in) and what it is, or "". Only bytes known to be UTF-8 are
// scanned for the other rules, so the first fault in the file is named,
// however the file comes in chunks.
func (s *strictJSON) check(p []byte) (int, string) {
	carried := len(s.tail)
	char, start, end, ok := s.checkUTF8(p)
	if at, msg := s.scan(char, s.off-int64(carried)); msg != "" {
		return at - carried, msg
	}
	if !ok && end == 0 && char == nil && carried > 0 {
		return -carried, invalidUTF8
	}
	if at, msg := s.scan(p[start:end], s.off+int64(start)); msg != "" {
		return start + at, msg
	}
	if !ok {
		return end, invalidUTF8
	}
	if s.recordStart >= 0 && s.off+int64(len(p))-s.recordStart > MaxImportRecord {
		return len(p) - 1, s.tooLarge()
	}
	return -1, ""
}

const invalidUTF8 = "invalid UTF-8; accepted: UTF-8 text"

// scan checks q, which begins at offset base of the file, for every rule
// but UTF-8; it returns the fault's place in q and what it is, or "".
func (s *strictJSON) scan(q []byte, base int64) (int, string) {
	for i := 0; i < len(q); i++ {
		if s.inString && s.hex == 0 && !s.escape && !s.wantLow {
			// A run of plain text: only its length matters.
			k := skip(q[i:], &inText)
			if s.textLen+int64(k) > MaxImportText {
				return i + int(MaxImportText-s.textLen), s.tooLong()
			}
			s.textLen += int64(k)
			if i += k; i == len(q) {
				break
			}
		} else if !s.inString {
			if i += skip(q[i:], &between); i == len(q) {
				break
			}
		}
		if msg := s.step(q[i], base+int64(i)); msg != "" {
			return i, msg
		}
	}
	return -1, ""
}

// checkUTF8 checks the chunk p for UTF-8. The character the last chunk
// ended in is finished with p's first bytes and returned whole as char
// once it is (nil if it is not, or there was none); p[start:end] is UTF-8;
// the character p ends in is kept for the next chunk. ok is false when
// the UTF-8 is broken: at p[end], or (end and char both empty) in the
// character carried over.
func (s *strictJSON) checkUTF8(p []byte) (char []byte, start, end int, ok bool) {
	if len(s.tail) > 0 {
		for start < len(p) && !utf8.FullRune(s.tail) {
			s.tail = append(s.tail, p[start])
			start++
		}
		if !utf8.FullRune(s.tail) {
			return nil, start, start, true // p too short to finish it: wait for more
		}
		if r, size := utf8.DecodeRune(s.tail); r == utf8.RuneError && size <= 1 || size != len(s.tail) {
			return nil, start, 0, false
		}
		char = append([]byte(nil), s.tail...)
		s.tail = s.tail[:0]
	}
	end = len(p)
	for k := len(p) - 1; k >= start && k >= len(p)-utf8.UTFMax+1; k-- {
		if utf8.RuneStart(p[k]) {
			if !utf8.FullRune(p[k:]) {
				end = k
			}
			break
		}
	}
	if !utf8.Valid(p[start:end]) {
		for i := start; i < end; {
			r, size := utf8.DecodeRune(p[i:end])
			if r == utf8.RuneError && size <= 1 {
				return char, start, i, false
			}
			i += size
		}
	}
	s.tail = append(s.tail[:0], p[end:]...)
	return char, start, end, true
}

// The bytes a rule is about, inside a text and between texts.
var inText, between = byteSet(`"\\`), byteSet(`"{}[]`)

func byteSet(bs string) (set [256]bool) {
	for i := 0; i < len(bs); i++ {
		set[bs[i]] = true
	}
	return set
}

// skip is how many bytes of p come before one in set (len(p) if none).
func skip(p []byte, set *[256]bool) int {
	for i, b := range p {
		if set[b] {
			return i
		}
	}
	return len(p)
}

func (s *strictJSON) tooLong() string {
	return fmt.Sprintf("a text of more than %d MiB; accepted: texts of at most %d MiB (the longest field holds %d characters)",
		MaxImportText>>20, MaxImportText>>20, MaxProse)
}

func (s *strictJSON) tooLarge() string {
	return fmt.Sprintf("a record of more than %d MiB; accepted: records of at most %d MiB", MaxImportRecord>>20, MaxImportRecord>>20)
}

// step takes a byte some rule is about, at offset off; it returns what is
// wrong with it, or "".
func (s *strictJSON) step(b byte, off int64) string {
	if s.recordStart >= 0 && off-s.recordStart > MaxImportRecord {
		return s.tooLarge()
	}
	if !s.inString {
		switch b {
		case '"':
			s.inString, s.textLen = true, 0
		case '{', '[':
			s.depth++
			if s.depth == 3 {
				s.recordStart = off
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
		return s.tooLong()
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
