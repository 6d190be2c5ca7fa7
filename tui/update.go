package tui

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// The next update to stakeholders, drafted from the notice templates (the
// incident's stage, numbered after the notices already on the timeline),
// edited by the commander, recorded as a comms entry (a notice to users
// meets that duty) and copied to the clipboard by OSC 52, which reaches
// the terminal's clipboard over SSH too.

// draftNotice renders the notice for the incident as it stands, in lang.
func (l *liveScreen) draftNotice(lang string) (string, error) {
	if l.view == nil {
		return "", fmt.Errorf("the incident is still loading")
	}
	r, err := l.c.newRenderer(lang)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := r.Notice(&b, report.Text, l.view, report.NoticeOptions{}); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// sinceLastUpdate says, for the commander, what happened since the last
// update went out: the changes to the incident and how many entries.
func (l *liveScreen) sinceLastUpdate() string {
	last := -1 // the timeline is in order: what comes after the last update
	for i, e := range l.in.Timeline {
		if e.Kind == incident.KindComms && !e.Retracted() {
			last = i
		}
	}
	if last < 0 {
		return "no update has gone out yet"
	}
	var changes []string
	entries := 0
	for _, e := range l.in.Timeline[last+1:] {
		if e.Retracted() {
			continue
		}
		if e.Kind == incident.KindSystem {
			changes = append(changes, e.Text)
		} else {
			entries++
		}
	}
	out := fmt.Sprintf("since the last update (%s): ", l.c.when(l.in.Timeline[last].At, "15:04"))
	if len(changes) == 0 && entries == 0 {
		return out + "nothing new"
	}
	if len(changes) > 0 {
		out += strings.Join(changes, "; ")
	}
	if entries > 0 {
		if len(changes) > 0 {
			out += "; "
		}
		out += fmt.Sprintf("%d %s", entries, plural(entries, "entry", "entries"))
	}
	return out
}

// updateDialog drafts the next update: the language (the draft follows it
// until edited), the text, and whether it is the notice to users.
func (l *liveScreen) updateDialog() (*dialog, error) {
	lang := "ko"
	draft, err := l.draftNotice(lang)
	if err != nil {
		return nil, err
	}
	text := areaField("text", "Update", draft, "edit freely · ctrl+s records it and copies it to the clipboard", max(4, min(12, l.c.height-16)))
	f := newForm("Draft update · "+safe(l.sinceLastUpdate()),
		choiceField("lang", "Language", lang, []choice{{"ko", "한국어", "k"}, {"en", "English", "e"}}),
		text,
		choiceField("as", "Record as", "notice", []choice{{"notice", "notice to users", "u"}, {"comms", "update to stakeholders", "c"}}))
	f.focusOn(1)
	d := &dialog{name: "update", form: f}
	shown := draft
	d.changed = func(f *form) {
		if v := f.value("lang"); v != lang {
			lang = v
			if strings.TrimSpace(text.value()) == strings.TrimSpace(shown) {
				if v, err := l.draftNotice(lang); err == nil {
					shown = v
					text.set(v)
					text.initial = v
				}
			} else {
				text.hint = "edited, so kept as written; for a fresh draft in this language, esc and u again"
			}
		}
	}
	d.submit = func(f *form) (tea.Cmd, error) {
		body := strings.TrimSpace(text.value())
		if body == "" {
			return nil, &incident.FieldError{Field: "text", Msg: "the update is empty; type what stakeholders should read"}
		}
		ev := incident.Event{IncidentID: l.id, Kind: incident.KindComms, Text: body, Author: l.c.author, At: l.c.now().Truncate(time.Second)}
		if f.value("as") == "notice" {
			ev.Notice = incident.NoticeUsers
		}
		if err := ev.Validate(l.c.now()); err != nil {
			return nil, err
		}
		c := l.c
		l.pending++
		save := func() tea.Msg {
			err := c.store.AddEvent(c.ctx, &ev)
			return l.saved("update (copied to the clipboard)", d, err)
		}
		return tea.Batch(save, tea.SetClipboard(body)), nil
	}
	return d, nil
}
