package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/postmortem/postmortem/incident"
)

// Text is the plain-text format, for a status post or a text message; only
// the notice to users is written in it.
const Text Format = "txt"

// MaxNoticeText is the most characters a plain-text notice may hold: what
// a status post takes.
const MaxNoticeText = 1000

// ParseNoticeFormat accepts md, html or txt.
func ParseNoticeFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Markdown, HTML, Text:
		return f, nil
	}
	return "", &incident.FieldError{Field: "format", Msg: fmt.Sprintf("%q is not a format for a notice; accepted: md, html, txt", s)}
}

// NoticeOptions is what the author of a notice adds to the record.
type NoticeOptions struct {
	Stage incident.Stage // "" to settle it from the record
	// Next is when the next notice comes; zero for the severity's cadence
	// after the notice's moment.
	Next time.Time
	// Advice replaces the stage's default "what you can do"; Message is a
	// paragraph of the communications lead's own.
	Advice, Message string
	// Shortened, when set, hears of each text cut to fit a status post
	// (the field's name), so the author learns of it.
	Shortened func(field string)
}

// NoticeData is what the notice template sees. Every text is ready to
// print in the output format (escaped for Markdown, plain for text).
type NoticeData struct {
	Stage    string // start, update, resolved
	Number   int    // the notice's number: 1 for the first
	Services string
	Symptoms string
	Since    string // when it began
	Until    string // when it ended (resolved), else ""
	Duration string // how long it lasted (resolved), else ""
	// Mitigated says users can mostly work again while the fix goes on.
	Mitigated bool
	Next      string // when the next notice comes (not resolved)
	Advice    string
	Message   string
	// Compensation says a compensation notice is owed (a regime's duty):
	// users are told it will follow.
	Compensation bool
	Plain        bool // plain text: no Markdown heading
}

// Notice writes what users read about the incident v shows, at the
// moment of v's state (its as-of, else the document date): what is
// affected, since when (and until when, once over), what they can do, and
// when the next notice comes. Plain words: no severity, no internal names.
func (r *Renderer) Notice(w io.Writer, f Format, v *incident.PostmortemView, o NoticeOptions) error {
	stage, number, err := v.NoticeStage(o.Stage)
	if err != nil {
		return err
	}
	v = v.In(r.cfg.lang)
	in := v.Incident
	moment := r.cfg.now
	if !v.Point.AsOf.IsZero() {
		moment = v.Point.AsOf
	}
	plain := f == Text
	esc := escapeCell
	if plain {
		esc = func(s string) string { return incident.Printable(strings.Join(strings.Fields(s), " ")) }
	}
	services := strings.Join(v.PublicServices, ", ")
	if services == "" {
		services = in.Title
	}
	d := NoticeData{Stage: string(stage), Number: number, Services: esc(services), Symptoms: esc(in.Symptoms),
		Mitigated: in.MitigatedAt != nil && stage != incident.StageResolved, Advice: esc(o.Advice), Message: esc(o.Message), Plain: plain}
	start := in.StartedAt
	if start == nil {
		start = in.DetectedAt
	}
	if start != nil {
		d.Since = r.noticeTime(*start, time.Time{})
	}
	if stage == incident.StageResolved && in.ResolvedAt != nil {
		d.Until = r.noticeTime(*in.ResolvedAt, derefOr(start, time.Time{}))
		if start != nil {
			d.Duration = duration(r.cfg.lang, in.ResolvedAt.Sub(*start))
		}
	} else {
		next := o.Next
		if next.IsZero() {
			next = moment.Add(incident.UpdateCadence(in.Severity)).Truncate(time.Minute)
		}
		d.Next = r.noticeTime(next, derefOr(start, moment))
	}
	for _, duty := range v.Duties {
		if duty.Kind == "compensation-notice" && !duty.Waived {
			d.Compensation = true
		}
	}
	if f != Text {
		return r.render(w, f, "notice", d, docMeta{Title: noticeTitle(r.cfg.lang, services, stage)})
	}
	var text []byte
	for try := 0; ; try++ {
		if text, err = r.markdown("notice", d); err != nil {
			return err
		}
		// The text and its final newline fit the limit.
		over := utf8.RuneCount(bytes.TrimSpace(text)) + 1 - MaxNoticeText
		if over <= 0 {
			break
		}
		// Too long for a status post: the free texts give way first.
		cut := func(name string, s *string) {
			*s = shorten(*s, over)
			if o.Shortened != nil {
				o.Shortened(name)
			}
		}
		switch {
		case try < 3 && utf8.RuneCountInString(d.Message) > 1:
			cut("message", &d.Message)
		case try < 3 && utf8.RuneCountInString(d.Symptoms) > 1:
			cut("symptoms", &d.Symptoms)
		case try < 3 && utf8.RuneCountInString(d.Advice) > 1:
			cut("advice", &d.Advice)
		default:
			return &incident.FieldError{Field: "format", Msg: fmt.Sprintf("the text notice is %d characters; a status post takes at most %d: shorten the services' names or the message", over+MaxNoticeText, MaxNoticeText)}
		}
	}
	_, err = w.Write(append(bytes.TrimSpace(text), '\n'))
	return err
}

func derefOr(t *time.Time, or time.Time) time.Time {
	if t == nil {
		return or
	}
	return *t
}

// shorten cuts s by at least n characters, ending it with "…".
func shorten(s string, n int) string {
	rs := []rune(s)
	keep := len(rs) - n - 1
	if keep < 1 {
		keep = 1
	}
	if keep >= len(rs) {
		return s
	}
	return strings.TrimSpace(string(rs[:keep])) + "…"
}

// noticeTime says t the way a notice to users does: "2024년 5월 21일
// 08:30", "May 21, 2024, 08:30 KST"; the time alone when it falls on the
// same day as ref.
func (r *Renderer) noticeTime(t, ref time.Time) string {
	t = t.In(r.cfg.loc)
	sameDay := false
	if !ref.IsZero() {
		ry, rm, rd := ref.In(r.cfg.loc).Date()
		y, m, d := t.Date()
		sameDay = ry == y && rm == m && rd == d
	}
	if r.cfg.lang == "ko" {
		if sameDay {
			return t.Format("15:04")
		}
		return fmt.Sprintf("%d년 %d월 %d일 %s", t.Year(), t.Month(), t.Day(), t.Format("15:04"))
	}
	if sameDay {
		return t.Format("15:04 MST")
	}
	return t.Format("January 2, 2006, 15:04 MST")
}

func noticeTitle(lang, what string, stage incident.Stage) string {
	if lang == "ko" {
		if stage == incident.StageResolved {
			return fmt.Sprintf("[%s] 서비스 장애 복구 안내", what)
		}
		return fmt.Sprintf("[%s] 서비스 장애 안내", what)
	}
	if stage == incident.StageResolved {
		return what + ": service restored"
	}
	return what + ": service disruption"
}
