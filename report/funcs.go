package report

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// funcs are the template functions. User text must go through md (inline
// and paragraphs) or cell (table cells): they escape every character
// Markdown would read, so a cause holding "|", "# ", "*" or "{{" shows as
// typed.
func (r *Renderer) funcs() template.FuncMap {
	lang, loc := r.cfg.lang, r.cfg.loc
	none := word(lang, "none")
	return template.FuncMap{
		// plural counts in English: plural 1 "measure" "measures" is
		// "1 measure"; 12 of them "12 measures".
		"plural": func(n any, one, many string) string {
			v, _ := strconv.Atoi(fmt.Sprint(n))
			if v == 1 {
				return "1 " + one
			}
			return fmt.Sprint(n) + " " + many
		},
		"md":   escapeBlock,
		"cell": escapeCell,
		"t":    func(key string, v any) string { return word(lang, key+"."+fmt.Sprint(v)) },
		"time": func(v any) string {
			t, ok := asTime(v)
			if !ok {
				return none
			}
			return t.In(loc).Format("2006-01-02 15:04 MST")
		},
		"stamp": func(v any) string {
			t, ok := asTime(v)
			if !ok {
				return none
			}
			if lang == "ko" {
				// As a Korean document writes a moment; the seconds only
				// when there are any, to tell close entries apart.
				t = t.In(loc)
				s := docWhen(lang, loc, t)
				if t.Second() != 0 {
					s += t.Format(":05")
				}
				return s
			}
			return t.In(loc).Format("2006-01-02 15:04:05")
		},
		"zone": func() string { return r.cfg.now.In(loc).Format("MST") },
		"day": func(v any) string {
			switch d := v.(type) {
			case incident.Date:
				if !d.IsZero() {
					return d.String()
				}
			case *incident.Date:
				if d != nil && !d.IsZero() {
					return d.String()
				}
			default:
				if t, ok := asTime(v); ok {
					return t.In(loc).Format(time.DateOnly)
				}
			}
			return none
		},
		"dur": func(v any) string {
			switch d := v.(type) {
			case time.Duration:
				return duration(lang, d)
			case *time.Duration:
				if d != nil {
					return duration(lang, *d)
				}
			}
			return none
		},
		"pct": func(v any) string {
			switch p := v.(type) {
			case *float64:
				if p != nil {
					return strconv.FormatFloat(*p, 'f', -1, 64) + "%"
				}
			case float64:
				return strconv.FormatFloat(p, 'f', -1, 64) + "%"
			}
			return none
		},
		"inc": func(i int) int { return i + 1 },
		// item is the marker of the i-th item (from 0) of the second level
		// of a Korean administrative document: 가, 나, …, 하, then 거, 너, ….
		"item": hangulItem,
		// entry is a timeline event's text cell: a retracted one struck
		// out, with its reason.
		"entry": func(e incident.Event) string {
			text := escapeCell(e.Text)
			if e.Kind == incident.KindSystem {
				text = escapeCell(systemText(lang, e.Text))
			}
			if e.Retracted() {
				return "~~" + text + "~~ (" + word(lang, "retracted") + ": " + escapeCell(e.RetractReason) + ")"
			}
			return text
		},
		// entryKind names an event's kind, marking a retracted one.
		"entryKind": func(e incident.Event) string {
			k := word(lang, "kind."+string(e.Kind))
			if e.Notice != "" {
				k += ", " + word(lang, "notice."+string(e.Notice))
			}
			if e.Retracted() {
				return k + ", " + word(lang, "retracted")
			}
			return k
		},
		"dutyName": func(d incident.Duty) string {
			if n := d.Name[lang]; n != "" {
				return escapeCell(n)
			}
			return escapeCell(d.Kind)
		},
		"dutyDue": func(d incident.Duty) string {
			switch {
			case d.WithoutDelay && d.HasTarget:
				return fmt.Sprintf(word(lang, "duty.target"), duration(lang, d.Target))
			case d.WithoutDelay:
				return word(lang, "duty.delay")
			case d.DateOnly:
				return dayText(lang, loc, d.DueDate, false)
			}
			return docWhen(lang, loc, d.Due)
		},
		// dutyStatus words a duty's state; one the law gives no period
		// (지체 없이) is late or overdue against a policy's target, not
		// against the law, and says so.
		"dutyStatus": func(d incident.Duty, at time.Time) string {
			st := d.Status(at)
			if d.WithoutDelay && (st == "late" || st == "overdue") {
				st = "target-" + st
			}
			return word(lang, "duty."+st)
		},
		"dutyMet": func(d incident.Duty) string {
			if why := d.NotRequired[lang]; why != "" {
				return escapeCell(fmt.Sprintf(word(lang, "duty.why"), why))
			}
			if d.Met == nil {
				return none
			}
			when := docWhen(lang, loc, *d.Met)
			if d.MetDay {
				when = dayText(lang, loc, *d.Met, false)
			}
			by := dutyBy(lang, d.By)
			if took, ok := d.Took(); ok && d.WithoutDelay {
				by = fmt.Sprintf(word(lang, "duty.took"), duration(lang, took)) + ", " + by
			}
			return when + " (" + escapeCell(by) + ")"
		},
		// dutyBasis is the texts in force the duties were judged under,
		// each once, in the order first met.
		"dutyBasis": func(ds []incident.Duty) string {
			var cites []string
			for _, d := range ds {
				if c := d.Cite[lang]; c != "" && !slices.Contains(cites, c) {
					cites = append(cites, c)
				}
			}
			if len(cites) == 0 {
				return ""
			}
			return fmt.Sprintf(word(lang, "duty.basis"), strings.Join(cites, "; "))
		},
		// state says which state of the record the document shows, when
		// it is not simply the latest.
		"state": func(d DocInfo) string {
			var parts []string
			if d.AsOf != nil && !endOfDay(*d.AsOf, d.Date, loc) {
				at := d.AsOf.In(loc).Format("2006-01-02 15:04 MST")
				if endOfDay(*d.AsOf, *d.AsOf, loc) {
					at = d.AsOf.In(loc).Format(time.DateOnly) // a day, as it was asked for
				}
				parts = append(parts, fmt.Sprintf(word(lang, "asof"), at))
			}
			if d.KnownAt != nil {
				parts = append(parts, fmt.Sprintf(word(lang, "knownat"), d.KnownAt.In(loc).Format("2006-01-02 15:04 MST")))
			}
			return strings.Join(parts, "; ")
		},

		"join": func(sep string, v []string) string { return strings.Join(v, sep) },
		// circled lists steps in one line as a Korean document does in a
		// table cell: "① 서버 재기동 ② 페일오버"; one step stands alone.
		"circled": circled,
		// or is text/template's or, except that text of blanks counts as
		// empty: the first argument that is set, else the last.
		"or": func(first any, rest ...any) any {
			all := append([]any{first}, rest...)
			for _, v := range all[:len(all)-1] {
				if set(v) {
					return v
				}
			}
			return all[len(all)-1]
		},
	}
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t != nil {
			return *t, true
		}
	}
	return time.Time{}, false
}

// escapeInline makes user text literal Markdown: it backslash-escapes the
// characters that open inline markup anywhere (* _ ` [ ] < > | ~ { } \ and
// & before an entity), and those that open a block at the start of a line
// (# - + = > and the dot or parenthesis after a number), and leaves the
// rest alone, so the Markdown still reads well as text.
func escapeInline(s string) string {
	// Control characters and escape sequences are shown, never passed on
	// to whatever prints the report (a terminal, for Markdown on stdout).
	s = incident.Printable(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	start := true // at the start of the line, past leading spaces
	digits := false
	for i, r := range s {
		switch {
		case strings.ContainsRune("*_`[]<>|~{}\\", r):
			b.WriteByte('\\')
		case r == '&' && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '#'):
			b.WriteByte('\\')
		case start && strings.ContainsRune("#-+=", r):
			b.WriteByte('\\')
		case digits && (r == '.' || r == ')'):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		switch {
		case start && r == ' ':
		case start && r >= '0' && r <= '9', digits && r >= '0' && r <= '9':
			digits = true
			start = false
			continue
		default:
			start = false
		}
		digits = false
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// escapeBlock escapes user text for a paragraph: blank lines separate
// paragraphs, single newlines become hard line breaks.
func escapeBlock(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		lines := strings.Split(strings.TrimSpace(p), "\n")
		for j, l := range lines {
			lines[j] = escapeInline(strings.TrimSpace(l))
		}
		paras[i] = strings.Join(lines, "\\\n")
	}
	return strings.Join(paras, "\n\n")
}

// escapeCell escapes user text for a table cell, which is one line.
func escapeCell(s string) string {
	return escapeInline(strings.Join(strings.Fields(s), " "))
}

// endOfDay reports whether t is the last second of day's date in loc: the
// state a document dated that day shows anyway, so it goes without saying.
func endOfDay(t, day time.Time, loc *time.Location) bool {
	y, m, d := day.In(loc).Date()
	return t.In(loc).Equal(time.Date(y, m, d, 23, 59, 59, 0, loc))
}

// set is whether v counts as given: text not blank, anything else not its
// zero value or empty.
func set(v any) bool {
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s) != ""
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return false
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array, reflect.String:
		return rv.Len() > 0
	}
	return !rv.IsZero()
}

// hangulItems are the second-level item markers, in order (행정업무규정
// 시행규칙 제2조): after 하 comes 거.
var hangulItems = []rune("가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허")

// hangulItem is the marker of the i-th item (from 0); past the last, its
// number.
func hangulItem(i int) string {
	if i >= 0 && i < len(hangulItems) {
		return string(hangulItems[i])
	}
	return strconv.Itoa(i + 1)
}

// circled numbers the items ①, ②, ... (⑳ is the last such sign; on from
// there, (21), (22), ...), one space between; a single item is unnumbered.
func circled(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i < 20 {
			b.WriteRune('①' + rune(i))
		} else {
			fmt.Fprintf(&b, "(%d)", i+1)
		}
		b.WriteByte(' ')
		b.WriteString(it)
	}
	return b.String()
}
