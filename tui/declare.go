package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/postmortem/postmortem/incident"
)

// declareScreen is the short form that opens an incident. Only the title is
// required; the rest can come later.
type declareScreen struct {
	c    *common
	form *huh.Form
	v    *declareValues
	err  error
	busy bool
}

type declareValues struct {
	title, services, severity, started, detected, users, symptoms string
}

// incidentCreatedMsg reports the declared incident, or why it was not saved.
type incidentCreatedMsg struct {
	id  int64
	err error
}

// formKeys makes Esc leave a form as well as ctrl+c.
func formKeys() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "cancel"))
	return km
}

func newDeclare(c *common) *declareScreen {
	now := c.now().In(c.loc).Format("2006-01-02 15:04:05")
	d := &declareScreen{c: c, v: &declareValues{severity: string(incident.SEV2), started: now, detected: now}}
	d.form = d.buildForm()
	return d
}

// buildForm makes the form over d.v; the fields start from its values, so
// a form rebuilt after a failed save shows what was typed.
func (d *declareScreen) buildForm() *huh.Form {
	c, v := d.c, d.v
	timeCheck := func(field string) func(string) error {
		return func(s string) error {
			if strings.TrimSpace(s) == "" {
				return nil
			}
			_, err := incident.ParseTime(field, s, c.loc, c.now())
			return err
		}
	}
	sevs := make([]huh.Option[string], len(incident.Severities))
	for i, s := range incident.Severities {
		sevs[i] = huh.NewOption(string(s), string(s))
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Title").Description("what is broken, in a line (required)").Value(&v.title).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return &incident.FieldError{Field: "title", Msg: "must not be empty"}
				}
				return nil
			}),
		huh.NewInput().Title("Services").Description("comma-separated").Value(&v.services),
		huh.NewSelect[string]().Title("Severity").Options(sevs...).Value(&v.severity).Inline(true),
		huh.NewInput().Title("Started").Description("now, HH:MM or YYYY-MM-DD HH:MM").Value(&v.started).Validate(timeCheck("started")),
		huh.NewInput().Title("Detected").Value(&v.detected).Validate(timeCheck("detected")),
		huh.NewInput().Title("Users affected %").Value(&v.users).Validate(func(s string) error {
			_, err := incident.ParsePercent(s)
			return err
		}),
		huh.NewInput().Title("What users see").Value(&v.symptoms),
	)).WithKeyMap(formKeys()).WithShowHelp(true)
	return c.fitForm(form, 3)
}

func (d *declareScreen) init() tea.Cmd { return d.form.Init() }

// dirty is true once anything was typed.
func (d *declareScreen) dirty() bool {
	return !d.busy && (strings.TrimSpace(d.v.title) != "" || strings.TrimSpace(d.v.symptoms) != "" || strings.TrimSpace(d.v.services) != "")
}

// save stores the declared incident.
func (d *declareScreen) save() tea.Cmd {
	c, v := d.c, *d.v
	return func() tea.Msg {
		sev, err := incident.ParseSeverity(v.severity)
		if err != nil {
			return incidentCreatedMsg{err: err}
		}
		in := &incident.Incident{Title: v.title, Services: incident.SplitList(v.services), Severity: sev, Status: incident.StatusOpen, Symptoms: strings.TrimSpace(v.symptoms)}
		for _, f := range []struct {
			name, val string
			dst       **time.Time
		}{{"started", v.started, &in.StartedAt}, {"detected", v.detected, &in.DetectedAt}} {
			if strings.TrimSpace(f.val) == "" {
				continue
			}
			t, err := incident.ParseTime(f.name, f.val, c.loc, c.now())
			if err != nil {
				return incidentCreatedMsg{err: err}
			}
			*f.dst = &t
		}
		if in.UsersAffectedPct, err = incident.ParsePercent(v.users); err != nil {
			return incidentCreatedMsg{err: err}
		}
		if err := c.store.CreateIncident(c.ctx, in); err != nil {
			return incidentCreatedMsg{err: err}
		}
		return incidentCreatedMsg{id: in.ID}
	}
}

func (d *declareScreen) Update(msg tea.Msg) (*declareScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		d.form = d.c.fitForm(d.form, 3)
	case incidentCreatedMsg:
		d.busy = false
		if msg.err != nil {
			// Keep what was typed: a completed form shows nothing, so a
			// new one is built over the same values, ready to submit again.
			d.err = msg.err
			d.form = d.buildForm()
			return d, d.form.Init()
		}
		return d, func() tea.Msg { return openIncidentMsg{msg.id} }
	}
	m, cmd := d.form.Update(msg)
	d.form = m.(*huh.Form)
	switch d.form.State {
	case huh.StateAborted:
		return d, func() tea.Msg { return backMsg{screenHome} }
	case huh.StateCompleted:
		if !d.busy {
			d.busy = true
			return d, d.save()
		}
	}
	return d, cmd
}

func (d *declareScreen) View() string {
	s := d.c.styles
	// The second line is the hint, or why the last submit was not saved.
	second := s.subtle.Render("Only the title is required; Enter moves on, Esc goes back.")
	if d.err != nil {
		second = s.err.Render(cell("not saved: "+d.err.Error(), d.c.width))
	}
	out := []string{s.title.Render("Declare an incident"), second, "", d.form.View()}
	return fitHeight(strings.Join(out, "\n"), d.c.height)
}
