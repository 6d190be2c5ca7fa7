package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/postmortem/postmortem/incident"
)

// postmortemScreen is the review: cause, trigger, contributing factors,
// lessons, related incidents and action items. Each part is edited in a
// form (long text in a multi-line editor) and saved on submit.
type postmortemScreen struct {
	c        *common
	id       int64
	in       *incident.Incident
	form     *huh.Form
	formKind string
	vals     *pmValues
	cursor   int // selected action
	status   string
	err      error
	busy     bool
	showHelp bool
}

// pmValues back the edit forms.
type pmValues struct {
	cause, trigger, contributing string
	wentWell, wentWrong, lucky   string
	related                      string
	area, owner, due, text       string
}

// Messages of the postmortem screen.
type (
	pmLoadedMsg struct {
		in  *incident.Incident
		err error
	}
	pmSavedMsg struct {
		what string
		err  error
	}
)

func newPostmortem(c *common, id int64) *postmortemScreen {
	return &postmortemScreen{c: c, id: id, vals: &pmValues{}}
}

func (p *postmortemScreen) load() tea.Cmd {
	store, id := p.c.store, p.id
	return func() tea.Msg {
		in, err := store.Incident(p.c.ctx, id)
		return pmLoadedMsg{in: in, err: err}
	}
}

func (p *postmortemScreen) dirty() bool {
	return p.form != nil && p.form.State == huh.StateNormal && p.changed()
}

// changed reports whether the open form differs from what is stored.
func (p *postmortemScreen) changed() bool {
	if p.in == nil {
		return false
	}
	v, in := p.vals, p.in
	switch p.formKind {
	case "cause":
		return v.cause != in.Cause || v.trigger != in.Trigger || v.contributing != strings.Join(in.Contributing, "\n")
	case "lessons":
		return v.wentWell != in.Lessons.WentWell || v.wentWrong != in.Lessons.WentWrong || v.lucky != in.Lessons.Lucky
	case "action":
		return strings.TrimSpace(v.text) != ""
	}
	return false
}

// openForm opens the form for one part of the review, filled from what is
// stored.
func (p *postmortemScreen) openForm(kind string) tea.Cmd {
	p.err = nil
	p.fill(kind)
	return p.buildForm(kind)
}

// fill copies the stored values of one part into the form's values.
func (p *postmortemScreen) fill(kind string) {
	v, in := p.vals, p.in
	switch kind {
	case "cause":
		v.cause, v.trigger, v.contributing = in.Cause, in.Trigger, strings.Join(in.Contributing, "\n")
	case "lessons":
		v.wentWell, v.wentWrong, v.lucky = in.Lessons.WentWell, in.Lessons.WentWrong, in.Lessons.Lucky
	case "related":
		ids := make([]string, len(in.Related))
		for i, r := range in.Related {
			ids[i] = strconv.FormatInt(r, 10)
		}
		v.related = strings.Join(ids, ", ")
	case "action":
		v.area, v.owner, v.due, v.text = string(incident.AreaRCA), "", incident.DateOf(p.c.now(), p.c.loc).AddDays(30).String(), ""
	}
}

// buildForm makes the form of one part over p.vals; its fields start from
// those values, so a form rebuilt after a failed save shows what was typed.
func (p *postmortemScreen) buildForm(kind string) tea.Cmd {
	v := p.vals
	text := func(title string, dst *string) *huh.Text {
		return huh.NewText().Title(title).Value(dst).Lines(4).CharLimit(20000)
	}
	var groups []*huh.Group
	switch kind {
	case "cause":
		groups = append(groups, huh.NewGroup(
			text("Root cause", &v.cause),
			huh.NewInput().Title("Trigger").Value(&v.trigger),
			text("Contributing factors (one per line)", &v.contributing),
		))
	case "lessons":
		groups = append(groups, huh.NewGroup(
			text("What went well", &v.wentWell), text("What went wrong", &v.wentWrong), text("Where we were lucky", &v.lucky),
		))
	case "related":
		groups = append(groups, huh.NewGroup(huh.NewInput().Title("Related incidents").Description("ids, comma-separated").Value(&v.related).
			Validate(func(s string) error { _, err := incident.ParseIDs("related", s); return err })))
	case "action":
		areas := make([]huh.Option[string], len(incident.Areas))
		for i, a := range incident.Areas {
			areas[i] = huh.NewOption(string(a), string(a))
		}
		groups = append(groups, huh.NewGroup(
			huh.NewInput().Title("Action").Value(&v.text).Validate(nonEmpty("text")),
			huh.NewSelect[string]().Title("Area").Options(areas...).Value(&v.area),
			huh.NewInput().Title("Owner").Value(&v.owner).Validate(nonEmpty("owner")),
			huh.NewInput().Title("Due (YYYY-MM-DD)").Value(&v.due).Validate(func(s string) error {
				_, err := incident.ParseDate("due", strings.TrimSpace(s))
				return err
			}),
		))
	}
	p.formKind = kind
	p.form = p.c.fitForm(huh.NewForm(groups...).WithKeyMap(formKeys()).WithShowHelp(true), 2)
	return p.form.Init()
}

func nonEmpty(field string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return &incident.FieldError{Field: field, Msg: "must not be empty"}
		}
		return nil
	}
}

// save writes the submitted form.
func (p *postmortemScreen) save() tea.Cmd {
	store, id, v, kind := p.c.store, p.id, *p.vals, p.formKind
	return func() tea.Msg {
		ctx := p.c.ctx
		var err error
		switch kind {
		case "cause":
			_, err = store.UpdateIncident(ctx, id, func(in *incident.Incident) error {
				in.Cause, in.Trigger = strings.TrimSpace(v.cause), strings.TrimSpace(v.trigger)
				in.Contributing = nil
				for _, l := range strings.Split(v.contributing, "\n") {
					if l = strings.TrimSpace(l); l != "" {
						in.Contributing = append(in.Contributing, l)
					}
				}
				return nil
			})
		case "lessons":
			_, err = store.UpdateIncident(ctx, id, func(in *incident.Incident) error {
				in.Lessons = incident.Lessons{WentWell: strings.TrimSpace(v.wentWell), WentWrong: strings.TrimSpace(v.wentWrong), Lucky: strings.TrimSpace(v.lucky)}
				return nil
			})
		case "related":
			ids, perr := incident.ParseIDs("related", v.related)
			if perr != nil {
				return pmSavedMsg{what: kind, err: perr}
			}
			_, err = store.UpdateIncident(ctx, id, func(in *incident.Incident) error { in.Related = ids; return nil })
		case "action":
			due, derr := incident.ParseDate("due", strings.TrimSpace(v.due))
			if derr != nil {
				return pmSavedMsg{what: kind, err: derr}
			}
			err = store.AddAction(ctx, &incident.Action{IncidentID: &id, Area: incident.Area(v.area), Owner: v.owner, Due: due, Text: v.text})
		}
		return pmSavedMsg{what: kind, err: err}
	}
}

// cycleStatus moves the selected action to its next status.
func (p *postmortemScreen) cycleStatus() tea.Cmd {
	if p.in == nil || p.cursor >= len(p.in.Actions) {
		return nil
	}
	a := p.in.Actions[p.cursor]
	next := incident.ActionStatuses[0]
	for i, st := range incident.ActionStatuses {
		if st == a.Status {
			next = incident.ActionStatuses[(i+1)%len(incident.ActionStatuses)]
		}
	}
	store, loc := p.c.store, p.c.loc
	return func() tea.Msg {
		_, err := store.UpdateAction(p.c.ctx, a.ID, loc, func(x *incident.Action) error { x.Status = next; return nil })
		return pmSavedMsg{what: "action status", err: err}
	}
}

func (p *postmortemScreen) Update(msg tea.Msg) (*postmortemScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case pmLoadedMsg:
		p.in, p.err = msg.in, msg.err
		if p.in != nil {
			p.cursor = min(p.cursor, max(0, len(p.in.Actions)-1))
		}
		return p, nil
	case pmSavedMsg:
		p.busy = false
		if msg.err != nil {
			p.err = fmt.Errorf("%s NOT saved: %w", msg.what, msg.err)
			if p.form != nil {
				// Reopen the form with what was typed.
				return p, p.buildForm(p.formKind)
			}
			return p, nil
		}
		p.form, p.status = nil, "✓ "+msg.what+" saved"
		return p, p.load()
	}
	if _, ok := msg.(tea.WindowSizeMsg); ok && p.form != nil {
		p.form = p.c.fitForm(p.form, 2)
	}
	if p.form != nil {
		m, cmd := p.form.Update(msg)
		p.form = m.(*huh.Form)
		switch p.form.State {
		case huh.StateAborted:
			p.form = nil
			return p, nil
		case huh.StateCompleted:
			if !p.busy {
				p.busy = true
				return p, p.save()
			}
		}
		return p, cmd
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || p.in == nil {
		if ok && key.Matches(km, p.c.keys.Back) {
			return p, func() tea.Msg { return backMsg{screenLive} }
		}
		return p, nil
	}
	k := p.c.keys
	switch {
	case key.Matches(km, k.Back):
		return p, func() tea.Msg { return backMsg{screenLive} }
	case key.Matches(km, k.Quit):
		return p, quit
	case key.Matches(km, k.Help):
		p.showHelp = !p.showHelp
	case key.Matches(km, k.Cause):
		return p, p.openForm("cause")
	case key.Matches(km, k.Lessons):
		return p, p.openForm("lessons")
	case key.Matches(km, k.Related):
		return p, p.openForm("related")
	case key.Matches(km, k.AddAction):
		return p, p.openForm("action")
	case key.Matches(km, k.Status):
		return p, p.cycleStatus()
	case key.Matches(km, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(km, k.Down):
		p.cursor = min(max(0, len(p.in.Actions)-1), p.cursor+1)
	case key.Matches(km, k.Export):
		return p, func() tea.Msg { return openExportMsg{p.id} }
	}
	return p, nil
}

func (p *postmortemScreen) keys() bindings {
	k := p.c.keys
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
	if p.form != nil {
		second := ""
		if p.err != nil {
			second = s.err.Render(cell(p.err.Error(), c.width))
		}
		out = append(out, second, p.form.View())
		return fitHeight(strings.Join(out, "\n"), c.height)
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
		line := "  " + cell(a.Due.String(), 11) + cell(string(a.Status), 12) + cell(string(a.Area), 15) + cell(safe(a.Owner), 12) + safe(a.Text)
		line = cell(line, c.width)
		if i == p.cursor {
			line = s.selected.Render(line)
		}
		out = append(out, line)
	}
	if p.err != nil {
		out = append(out, s.err.Render(p.err.Error()))
	} else if p.status != "" {
		out = append(out, s.ok.Render(p.status))
	}
	helpLines := splitLines(c.helpView(p.keys(), p.showHelp))
	return fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)) + "\n" + strings.Join(helpLines, "\n")
}
