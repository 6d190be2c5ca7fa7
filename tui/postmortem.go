package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postmortem/postmortem/incident"
)

// postmortemScreen is the review: cause, trigger, contributing factors,
// lessons, related incidents and action items. Each part is edited in a
// dialog (long text in a multi-line editor), saved with ctrl+s.
type postmortemScreen struct {
	c        *common
	id       int64
	in       *incident.Incident
	dlg      *dialog
	related  *relatedPicker
	cursor   int // selected action
	status   string
	err      error
	showHelp bool
	// pending counts saves not yet answered, loading a read: keys typed
	// meanwhile wait, so they act on what the screen will show.
	pending int
	loading bool
}

// busy reports a save or a read in flight.
func (p *postmortemScreen) busy() bool {
	return p.pending > 0 || p.loading || (p.in == nil && p.err == nil)
}

// Messages of the postmortem screen.
type (
	pmLoadedMsg struct {
		in  *incident.Incident
		err error
	}
	pmSavedMsg struct {
		what string
		dlg  *dialog
		err  error
		// seen, when set, brings the dialog up to what the refusal
		// showed, on the screen's own goroutine.
		seen func()
	}
)

func newPostmortem(c *common, id int64) *postmortemScreen {
	return &postmortemScreen{c: c, id: id}
}

func (p *postmortemScreen) load() tea.Cmd {
	store, id := p.c.store, p.id
	p.loading = true
	return func() tea.Msg {
		in, err := store.Incident(p.c.ctx, id)
		return pmLoadedMsg{in: in, err: err}
	}
}

func (p *postmortemScreen) dirty() bool { return p.dlg != nil && p.dlg.form.dirty() }

// changeIncident saves a change to the incident for dialog d.
func (p *postmortemScreen) changeIncident(what string, d *dialog, edit func(*incident.Incident) error) tea.Cmd {
	c, id := p.c, p.id
	p.pending++
	return func() tea.Msg {
		_, err := c.store.UpdateIncident(c.ctx, id, edit)
		return pmSavedMsg{what: what, dlg: d, err: c.explain(id, err)}
	}
}

// lines splits a field of several lines into its non-empty lines.
func lines(v string) []string {
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// dialogFor opens the dialog of one part of the review, filled from what
// is stored.
func (p *postmortemScreen) dialogFor(kind string) *dialog {
	in, h := p.in, max(3, min(6, (p.c.height-10)/3))
	base := cloneIncident(in) // what the form was opened on (see merge)
	d := &dialog{name: kind}
	switch kind {
	case "cause":
		d.form = newForm("Cause",
			areaField("cause", "Root cause", in.Cause, "ctrl+s saves · tab: next field · esc cancels", h),
			textField("trigger", "Trigger", in.Trigger, "what set it off"),
			areaField("contributing", "Contributing factors", strings.Join(in.Contributing, "\n"), "one a line", h).listed())
		d.submit = func(f *form) (tea.Cmd, error) {
			cause, trigger, contributing := f.value("cause"), f.value("trigger"), lines(f.field("contributing").value())
			return p.changeIncident("cause", d, func(x *incident.Incident) error {
				var clash []string
				merge(&clash, "root cause", &x.Cause, base.Cause, cause, same[string])
				merge(&clash, "trigger", &x.Trigger, base.Trigger, trigger, same[string])
				merge(&clash, "contributing factors", &x.Contributing, base.Contributing, contributing, slices.Equal[[]string])
				if len(clash) > 0 {
					base = cloneIncident(x)
					return clashed(clash)
				}
				return nil
			}), nil
		}
	case "lessons":
		d.form = newForm("Lessons",
			areaField("went-well", "What went well", in.Lessons.WentWell, "ctrl+s saves · tab: next field · esc cancels", h),
			areaField("went-wrong", "What went wrong", in.Lessons.WentWrong, "", h),
			areaField("lucky", "Where we were lucky", in.Lessons.Lucky, "", h))
		d.submit = func(f *form) (tea.Cmd, error) {
			l := incident.Lessons{WentWell: f.value("went-well"), WentWrong: f.value("went-wrong"), Lucky: f.value("lucky")}
			return p.changeIncident("lessons", d, func(x *incident.Incident) error {
				var clash []string
				merge(&clash, "what went well", &x.Lessons.WentWell, base.Lessons.WentWell, l.WentWell, same[string])
				merge(&clash, "what went wrong", &x.Lessons.WentWrong, base.Lessons.WentWrong, l.WentWrong, same[string])
				merge(&clash, "where we were lucky", &x.Lessons.Lucky, base.Lessons.Lucky, l.Lucky, same[string])
				if len(clash) > 0 {
					base = cloneIncident(x)
					return clashed(clash)
				}
				return nil
			}), nil
		}
	case "action":
		areas := make([]choice, len(incident.Areas))
		for i, a := range incident.Areas {
			areas[i] = choice{string(a), string(a), fmt.Sprint(i + 1)}
		}
		due := incident.DateOf(p.c.now(), p.c.loc).AddDays(30).String()
		d.form = newForm("New action item",
			textField("text", "Action", "", "what will be done (required)"),
			choiceField("area", "Area", string(incident.AreaRCA), areas),
			textField("owner", "Owner", "", "the team or person (required)"),
			textField("due", "Due", due, "YYYY-MM-DD").filled())
		d.submit = func(f *form) (tea.Cmd, error) {
			text, owner := f.value("text"), f.value("owner")
			if text == "" {
				return nil, &incident.FieldError{Field: "text", Msg: "must not be empty"}
			}
			if owner == "" {
				return nil, &incident.FieldError{Field: "owner", Msg: "must not be empty"}
			}
			day, err := incident.ParseDate("due", f.value("due"))
			if err != nil {
				return nil, err
			}
			c, id := p.c, p.id
			a := &incident.Action{IncidentID: &id, Area: incident.Area(f.value("area")), Owner: owner, Due: day, Text: text}
			p.pending++
			return func() tea.Msg {
				return pmSavedMsg{what: "action", dlg: d, err: c.store.AddAction(c.ctx, a)}
			}, nil
		}
	}
	d.form.resize(p.c)
	return d
}

// statusDialog changes where the selected measure stands. Nothing moves
// by a key alone: the status is picked and saved with enter; done asks
// the day it was done (never today unasked: a 2024 measure was not done
// today) and the evidence; withdrawing it, or taking back a done or a
// withdrawn one, asks the reason, which goes on its record and into the
// history; done after its due date asks why it was late.
func (p *postmortemScreen) statusDialog() *dialog {
	if p.in == nil || p.cursor >= len(p.in.Actions) {
		return nil
	}
	a := p.in.Actions[p.cursor]
	version := a.Version // the one shown; a save is built on it
	measure := a.ID
	opts := []choice{{string(incident.ActionPlanned), "planned", "p"}, {string(incident.ActionInProgress), "in progress", "i"},
		{string(incident.ActionDone), "done", "d"}, {string(incident.ActionDropped), "withdrawn", "w"}}
	done := ""
	if a.DoneOn != nil {
		done = a.DoneOn.String()
	}
	today := incident.DateOf(p.c.now(), p.c.loc)
	doneOn := textField("done", "Done on", done, fmt.Sprintf("YYYY-MM-DD, the day it was done (today: %s)", today))
	doneOn.preview = func(v string) string {
		if strings.TrimSpace(v) == "" {
			return doneOn.hint
		}
		d, err := incident.ParseDate("done", v)
		if err != nil {
			return "✗ " + err.Error()
		}
		if d.After(a.Due) {
			return fmt.Sprintf("→ %s, %d days after its due date %s: give the reason", d, a.Due.DaysUntil(d), a.Due)
		}
		return "→ " + d.String()
	}
	f := newForm(cell(fmt.Sprintf("Measure: %s", safe(a.Text)), p.c.width),
		choiceField("status", "Status", string(a.Status), opts),
		doneOn,
		textField("evidence", "Evidence", a.Evidence, "what shows it is done (a document, a link)"),
		textField("reason", "Reason", "", "why: needed to withdraw, to take back done, or done late"))
	// Enter saves from the status (in progress, say); from the day done
	// it moves on to the evidence, and on to the reason.
	f.enterSubmits = true
	f.field("done").enterNext, f.field("evidence").enterNext = true, true
	d := &dialog{name: "measure status", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		status, err := incident.ParseActionStatus(f.value("status"))
		if err != nil {
			return nil, err
		}
		evidence, reason := f.value("evidence"), f.value("reason")
		var on *incident.Date
		if status == incident.ActionDone {
			if f.value("done") == "" {
				return nil, &incident.FieldError{Field: "done", Msg: fmt.Sprintf("on which day was it done? YYYY-MM-DD (today: %s)", today)}
			}
			x, err := incident.ParseDate("done", f.value("done"))
			if err != nil {
				return nil, err
			}
			on = &x
		}
		switch {
		case status == a.Status && (on == nil || a.DoneOn != nil && *on == *a.DoneOn) && evidence == a.Evidence:
			return nil, &incident.FieldError{Field: "status", Msg: "nothing changed; pick a status with its key (p i d w)"}
		case reason != "":
		case status == incident.ActionDropped:
			return nil, &incident.FieldError{Field: "reason", Msg: "a measure is withdrawn for a reason; type it"}
		case a.Closed() && !(status == incident.ActionDone && a.Status == incident.ActionDone):
			return nil, &incident.FieldError{Field: "reason", Msg: fmt.Sprintf("it is %s; taking that back needs the reason", a.Status)}
		case on != nil && on.After(a.Due) && a.OrderID != nil:
			return nil, &incident.FieldError{Field: "reason", Msg: fmt.Sprintf("done after its due date %s: the reason for the delay goes on the report", a.Due)}
		}
		c, loc, shown := p.c, p.c.loc, version
		p.pending++
		return func() tea.Msg {
			// Saved on the version the screen showed: a measure changed
			// by another meanwhile is not overwritten. The dialog says
			// what changed, by whom, and stays open; enter again saves
			// over what it said (the version it has now shown).
			_, err := c.store.As("", reason).UpdateActionAt(c.ctx, measure, shown, loc, func(x *incident.Action) error {
				x.Status, x.Evidence = status, evidence
				if on != nil {
					x.DoneOn = on
				}
				if reason != "" && (status == incident.ActionDropped || on != nil && on.After(x.Due)) {
					x.Reason = reason
				}
				return nil
			})
			var seen func()
			var se *incident.StaleError
			if errors.As(err, &se) {
				// What the dialog asks next is asked of the measure as it
				// now stands (a withdrawn one taken back needs a reason).
				now := se.Now
				fresh, ferr := c.store.Action(c.ctx, measure)
				seen = func() {
					version = now
					if ferr == nil {
						a, version = *fresh, fresh.Version
					}
				}
			}
			return pmSavedMsg{what: "measure status", dlg: d, err: c.stale(err), seen: seen}
		}, nil
	}
	d.form.resize(p.c)
	return d
}

func (p *postmortemScreen) Update(msg tea.Msg) (*postmortemScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case pmLoadedMsg:
		p.loading = false
		p.in, p.err = msg.in, msg.err
		if p.in != nil {
			p.cursor = min(p.cursor, max(0, len(p.in.Actions)-1))
		}
		return p, nil
	case pmSavedMsg:
		p.pending--
		if msg.seen != nil {
			msg.seen()
		}
		if msg.err != nil {
			err := fmt.Errorf("%s NOT saved: %w", msg.what, msg.err)
			if msg.dlg != nil {
				// Reopen the dialog with what was typed.
				p.dlg = msg.dlg
				p.dlg.form.refuse(err)
				return p, nil
			}
			p.err = err
			return p, nil
		}
		p.err, p.status = nil, "✓ "+msg.what+" saved"
		return p, p.load()
	case relatedListMsg, relatedToggledMsg:
		if p.related != nil {
			var cmd tea.Cmd
			p.related, cmd = p.related.update(msg)
			if _, ok := msg.(relatedToggledMsg); ok {
				return p, tea.Batch(cmd, p.load())
			}
			return p, cmd
		}
		return p, nil
	case tea.WindowSizeMsg:
		if p.dlg != nil {
			p.dlg.form.resize(p.c)
		}
		return p, nil
	}
	if p.dlg != nil {
		done, cmd := p.dlg.update(msg)
		if done {
			p.dlg = nil
		}
		return p, cmd
	}
	if p.related != nil {
		var cmd tea.Cmd
		p.related, cmd = p.related.update(msg)
		return p, cmd
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || p.in == nil {
		if ok && key.Matches(km, p.c.keys.Back) {
			return p, p.c.navigate(backMsg{screenLive})
		}
		return p, nil
	}
	k := p.c.keys
	switch {
	case key.Matches(km, k.Back):
		return p, p.c.navigate(backMsg{screenLive})
	case key.Matches(km, k.Quit):
		return p, quit
	case key.Matches(km, k.Help):
		p.showHelp = !p.showHelp
	case key.Matches(km, k.Cause):
		p.dlg, p.err, p.status = p.dialogFor("cause"), nil, ""
	case key.Matches(km, k.Lessons):
		p.dlg, p.err, p.status = p.dialogFor("lessons"), nil, ""
	case key.Matches(km, k.Related):
		p.related = newRelatedPicker(p.c, p.in)
		return p, p.related.load()
	case key.Matches(km, k.AddAction):
		p.dlg, p.err, p.status = p.dialogFor("action"), nil, ""
	case key.Matches(km, k.Status):
		if d := p.statusDialog(); d != nil {
			p.dlg, p.err, p.status = d, nil, ""
		}
	case key.Matches(km, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(km, k.Down):
		p.cursor = min(max(0, len(p.in.Actions)-1), p.cursor+1)
	case key.Matches(km, k.Export):
		return p, p.c.navigate(openExportMsg{p.id})
	}
	return p, nil
}

func (p *postmortemScreen) keys() bindings {
	k := p.c.keys
	switch {
	case p.dlg != nil:
		return dialogKeys(k, p.dlg)
	case p.related != nil:
		return p.related.keys()
	}
	return bindings{
		short: []key.Binding{k.Cause, k.Lessons, k.Related, k.AddAction, k.Status, k.Export, k.Back},
		full:  []key.Binding{k.Cause, k.Lessons, k.Related, k.AddAction, k.Up, k.Down, k.Status, k.Export, k.Back, k.Quit},
	}
}

func (p *postmortemScreen) View() string {
	c, s := p.c, p.c.styles
	if p.in == nil {
		if p.err != nil {
			return s.err.Render(p.err.Error())
		}
		return s.subtle.Render("loading…")
	}
	in := p.in
	out := []string{s.title.Render(cell(fmt.Sprintf("Postmortem #%d %s", in.ID, safe(in.Title)), c.width))}
	helpLines := splitLines(c.helpView(p.keys(), p.showHelp))
	switch {
	case p.dlg != nil:
		out = append(out, p.dlg.form.viewIn(c, c.height-1-len(helpLines))...)
		return fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)) + "\n" + strings.Join(helpLines, "\n")
	case p.related != nil:
		out = append(out, p.related.view(c.height-1-len(helpLines))...)
		return fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)) + "\n" + strings.Join(helpLines, "\n")
	}
	field := func(label, v string) {
		out = append(out, s.label.Render(label))
		if strings.TrimSpace(v) == "" {
			out = append(out, s.subtle.Render("  (none yet)"))
			return
		}
		for _, line := range wrap(safeLines(v), c.width-2) {
			out = append(out, "  "+line)
		}
	}
	field("Cause [c]", in.Cause)
	field("Trigger", in.Trigger)
	field("Contributing factors", strings.Join(in.Contributing, "; "))
	field("Went well [l]", in.Lessons.WentWell)
	field("Went wrong", in.Lessons.WentWrong)
	field("Lucky", in.Lessons.Lucky)
	rel := make([]string, len(in.Related))
	for i, r := range in.Related {
		rel[i] = fmt.Sprintf("#%d", r)
	}
	field("Related [r]", strings.Join(rel, ", "))
	out = append(out, s.label.Render(fmt.Sprintf("Action items [a] (%d)", len(in.Actions))))
	for i, a := range in.Actions {
		line := "  " + cell(a.Due.String(), 11) + cell(string(a.Status), 12) + cell(string(a.Area), 15) + cell(safe(a.Owner), 11) + " " + safe(a.Text)
		line = cell(line, c.width)
		if i == p.cursor {
			line = s.selected.Render(line)
		}
		out = append(out, line)
	}
	if p.err != nil {
		out = append(out, s.err.Render(cell(p.err.Error(), c.width)))
	} else if p.status != "" {
		out = append(out, s.ok.Render(p.status))
	}
	return fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)) + "\n" + strings.Join(helpLines, "\n")
}
