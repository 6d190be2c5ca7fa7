package tui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postmortem/postmortem/incident"
)

// declareScreen is the short form that opens an incident. Only the title is
// required; the rest can come later. Enter moves to the next field, ctrl+s
// declares from any field.
type declareScreen struct {
	c    *common
	form *form
	now  time.Time // when the form was opened: the start, unless typed
	busy bool
	// mirror is what the detected field was last given from the started
	// field: while it still holds that, detection follows the start, and
	// the field shows it (what a field shows is what is saved).
	mirror string
}

// incidentCreatedMsg reports the declared incident, or why it was not saved.
type incidentCreatedMsg struct {
	id  int64
	err error
}

func newDeclare(c *common) *declareScreen {
	d := &declareScreen{c: c, now: c.now().Truncate(time.Second)}
	sevs := severityChoices()
	d.form = newForm("",
		textField("title", "Title", "", "what is broken, in a line (required)"),
		textField("service", "Services", "", "comma-separated"),
		choiceField("severity", "Severity", string(incident.DefaultSeverity), sevs),
		c.timeField("started", "Started", &d.now, "now, HH:MM, -5m or YYYY-MM-DD HH:MM"),
		c.timeField("detected", "Detected", &d.now, "the start unless typed · now, HH:MM, -5m or YYYY-MM-DD HH:MM").within(d.startSpan, false),
		textField("users-affected", "Users affected %", "", "0 to 100, empty: not known"),
		textField("symptoms", "What users see", "", "in their words"),
		textField("commander", "Commander", c.author, "who leads the response (o hands it over later)").filled(),
	)
	d.form.resize(c)
	d.mirror = d.form.field("detected").value()
	return d
}

// startSpan is the start as typed so far: what a bare HH:MM in the
// detected field is read against.
func (d *declareScreen) startSpan() incident.Span {
	if d.form == nil {
		return incident.Span{} // the form is being made
	}
	t, err := d.c.parseTimeField(d.form, "started")
	if err != nil || t == nil {
		return incident.Span{}
	}
	return incident.Span{Start: t}
}

// follow shows the start in the detected field while that was not typed
// in: an outage entered after the fact was detected then too, not now.
func (d *declareScreen) follow() {
	det, start := d.form.field("detected"), d.form.field("started")
	if det.value() != d.mirror {
		return // typed in: it is the user's
	}
	d.mirror = start.value()
	det.set(d.mirror)
	det.initial, det.fresh = start.initial, true
}

func (d *declareScreen) init() tea.Cmd { return nil }

// dirty is true once anything was typed.
func (d *declareScreen) dirty() bool { return !d.busy && d.form.dirty() }

// save stores the declared incident, or refuses the form naming the field.
func (d *declareScreen) save() (tea.Cmd, error) {
	c, f := d.c, d.form
	title := f.value("title")
	if title == "" {
		return nil, &incident.FieldError{Field: "title", Msg: "must not be empty"}
	}
	sev, err := incident.ParseSeverity(f.value("severity"))
	if err != nil {
		return nil, err
	}
	in := &incident.Incident{Title: title, Services: incident.SplitList(f.value("service")), Severity: sev,
		Status: incident.StatusOpen, Symptoms: f.value("symptoms")}
	if in.StartedAt, err = c.parseTimeField(f, "started"); err != nil {
		return nil, err
	}
	if in.DetectedAt, err = c.parseTimeField(f, "detected"); err != nil {
		return nil, err
	}
	if f.field("detected").value() == d.mirror {
		in.DetectedAt = in.StartedAt // it shows the start
	}
	if in.UsersAffectedPct, err = incident.ParsePercent(f.value("users-affected")); err != nil {
		return nil, err
	}
	if who := f.value("commander"); who != "" {
		if err := in.SetRole(incident.RoleCommander, who); err != nil {
			return nil, err
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return func() tea.Msg {
		if err := c.store.CreateIncident(c.ctx, in); err != nil {
			return incidentCreatedMsg{err: err}
		}
		return incidentCreatedMsg{id: in.ID}
	}, nil
}

func (d *declareScreen) Update(msg tea.Msg) (*declareScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		d.form.resize(d.c)
		return d, nil
	case incidentCreatedMsg:
		d.busy = false
		if msg.err != nil {
			// What was typed stays, ready to submit again.
			d.form.refuse(msg.err)
			return d, nil
		}
		return d, d.c.navigate(openIncidentMsg{msg.id})
	}
	if d.busy {
		return d, nil // declaring: keys wait for the answer
	}
	res, cmd := d.form.update(msg)
	d.follow()
	switch res {
	case formCancelled:
		return d, d.c.navigate(backMsg{screenHome})
	case formSubmitted:
		save, err := d.save()
		if err != nil {
			d.form.refuse(err)
			return d, nil
		}
		d.busy = true
		return d, save
	}
	return d, cmd
}

func (d *declareScreen) keys() bindings {
	k := d.c.keys
	return bindings{short: []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")), k.Save, k.Cancel,
	}}
}

func (d *declareScreen) View() string {
	c, s := d.c, d.c.styles
	help := splitLines(c.helpView(d.keys(), false))
	out := []string{s.title.Render("Declare an incident"), s.subtle.Render(cell("Only the title is required; ctrl+s declares from any field.", c.width)), ""}
	out = append(out, d.form.viewIn(c, c.height-len(out)-len(help))...)
	return fitHeight(strings.Join(out, "\n"), c.height-len(help)) + "\n" + strings.Join(help, "\n")
}

// severityChoices are the severities as a form offers them, each on its
// number key.
func severityChoices() []choice {
	sevs := make([]choice, len(incident.Severities))
	for i, s := range incident.Severities {
		sevs[i] = choice{string(s), string(s), s2key(s)}
	}
	return sevs
}
