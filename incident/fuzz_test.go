package incident

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"
)

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"now", "08:30", "23:59:59", "2024-05-21 08:30", "2024-05-21T08:30:00+09:00",
		"2024-03-10 02:30", "2024-11-03 01:30 -05:00", "25:99", "", "2024-13-01 00:00", "\x00", "9999-12-31 23:59"} {
		f.Add(s, "America/New_York")
		f.Add(s, "Asia/Seoul")
	}
	now := time.Date(2024, 11, 3, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s, zone string) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			loc = time.UTC
		}
		got, err := ParseTime("at", s, loc, now)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "at: ") {
				t.Fatalf("error does not name the field: %v", err)
			}
			return
		}
		v := strings.TrimSpace(s)
		if len(v) <= 8 && strings.Count(v, ":") >= 1 && got.After(now.Add(MaxSkew)) {
			t.Fatalf("%q: a bare clock time became a future moment %s", s, got)
		}
	})
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"plain", "x\x1b]0;pwned\x07\x1b[2J", "bad\xff", "rtl \u202eevil", "C1 \u009b2J", "줄\n바꿈", "\x00\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || unsafeRune(r) {
				t.Fatalf("Printable(%q) = %q lets %U through", s, out, r)
			}
		}
		if printableAlready(s) && out != s {
			t.Fatalf("Printable changed safe text %q", s)
		}
	})
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"t","severity":"SEV3","status":"open"}],"actions":[],"orders":[]}`))
	f.Add([]byte(`{"format":"postmortem-export","version":1,"incidents":[{"id":-3,"title":"t","severity":"SEV3","status":"bogus"}]}`))
	f.Add([]byte(`{"format":"postmortem-export","version":1}{"trailing":1}`))
	f.Add([]byte(`{"version":1,"format":"postmortem-export","history":[{"seq":1,"at":"x","author":"","entity":"event","record_id":1,"field":"*","old":null,"new":"{}","reason":"","prev":"","hash":"00"}]}`))
	f.Add([]byte(`[]`))
	for _, crafted := range strictCorpus {
		f.Add([]byte(crafted))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "fuzz.db"), WithClock(func() time.Time {
			return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		before, _ := s.Verify(context.Background(), "")
		_, err = s.ImportFrom(context.Background(), bytes.NewReader(data), true, nil)
		after, verr := s.Verify(context.Background(), "")
		if verr != nil {
			t.Fatal(verr)
		}
		if !after.OK() {
			t.Fatalf("import left the history broken: %s", after.Problem)
		}
		if err != nil && after.Rows != before.Rows {
			t.Fatalf("a refused import changed the history: %d → %d rows", before.Rows, after.Rows)
		}
	})
}

// strictCorpus are crafted import files the strict reader must refuse (and
// a few it must pass), seeds for both fuzz targets.
var strictCorpus = []string{
	`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"t\xff","severity":"SEV3"}]}`,
	"{\"format\":\"postmortem-export\",\"version\":1,\"incidents\":[{\"id\":1,\"title\":\"\xc0\xaf\xed\xa0\x80\",\"severity\":\"SEV3\"}]}",
	`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"a\udc00","severity":"SEV3"}]}`,
	`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"a\ud800b","severity":"SEV3"}]}`,
	`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"a\ud83d\ude00","severity":"SEV3"}]}`,
	`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"a\\ud800","severity":"SEV3"}]}`,
	`{"format":"postmortem-export","version":1,"incidents":[{"id":9223372036854775807,"title":"t","severity":"SEV3","users_affected":9223372036854775807}]}`,
	`{"format":"postmortem-export","version":1,"incidents":[{"id":1,"title":"t","severity":"SEV3","services":["a","A"," a "]}]}`,
}

// FuzzStrictJSON: whatever the strict reader lets through whole is UTF-8
// with no lone surrogate escaped, so a decoder never puts U+FFFD in place
// of what was sent.
func FuzzStrictJSON(f *testing.F) {
	for _, s := range strictCorpus {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := io.ReadAll(newStrictJSON(bytes.NewReader(data)))
		// A byte at a time, every rule meets the chunk's edge: the same
		// verdict, at the same byte.
		_, oneErr := io.ReadAll(newStrictJSON(iotest.OneByteReader(bytes.NewReader(data))))
		if (err == nil) != (oneErr == nil) || (err != nil && err.Error() != oneErr.Error()) {
			t.Fatalf("whole: %v; a byte at a time: %v", err, oneErr)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("passed %d of %d bytes without an error", len(got), len(data))
		}
		if !utf8.Valid(data) {
			t.Fatalf("invalid UTF-8 passed: %q", data)
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		out, _ := json.Marshal(v)
		if bytes.Contains(out, []byte("\ufffd")) || bytes.ContainsRune(out, utf8.RuneError) {
			if !bytes.ContainsRune(data, utf8.RuneError) && !bytes.Contains(bytes.ToLower(data), []byte("\\ufffd")) {
				t.Fatalf("a decoder replaced something in %q", data)
			}
		}
	})
}
