package tui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// kindKeys maps the single key that picks an event kind; u is a comms
// entry that is the notice to users (it meets that duty).
var kindKeys = map[string]incident.Kind{
	"d": incident.KindDetect, "a": incident.KindAction, "c": incident.KindComms, "u": incident.KindComms,
	"m": incident.KindMitigate, "r": incident.KindResolve, "n": incident.KindNote,
}

// kindChoices are the kinds as a form offers them, u the user notice.
var kindChoices = []choice{
	{"detect", "detect", "d"}, {"action", "action", "a"}, {"comms", "comms", "c"}, {"notice", "user notice", "u"},
	{"mitigate", "mitigate", "m"}, {"resolve", "resolve", "r"}, {"note", "note", "n"},
}

// row is one timeline line: a stored event, or one being saved.
type row struct {
	ev     incident.Event
	saving bool
	seq    int // matches a pending row with its save result
}

// liveScreen is the incident as it happens: the header with its clocks,
// the timeline, and one key for each thing a commander does. What takes
// typing opens a dialog (a form): one at a time, its own state and keys.
type liveScreen struct {
	c      *common
	id     int64
	in     *incident.Incident
	duties []incident.Duty
	view   *incident.PostmortemView // what in and duties were read from
	rows   []row
	cursor int
	offset int
	follow bool // keep the newest event in view
	// picking waits for the kind key of a new event, stamped pickAt (a),
	// or at a time typed next (t).
	picking   bool
	pickAt    time.Time
	pickTimed bool
	dlg       *dialog
	related   *relatedPicker
	detail    *eventDetail // one event shown whole (enter)
	search    *search      // the timeline's search (/)
	seq       int
	status    string
	err       error
	showHelp  bool
	// pending counts saves not yet answered, loading a read not yet back:
	// keys typed meanwhile wait, so they act on what the screen will show.
	pending int
	loading bool
	stale   bool // a change came while loading: read again
	ticks   int
}

// busy reports a save or a read in flight.
func (l *liveScreen) busy() bool { return l.pending > 0 || l.loading || (l.in == nil && l.err == nil) }

// dialog is a form and what submitting it does: check the values and
// return the command that saves them. A save that fails opens it again,
// with what was typed.
type dialog struct {
	name   string
	form   *form
	submit func(f *form) (tea.Cmd, error)
	// changed, when set, is told of each key the form took (a choice
	// that refills another field).
	changed func(f *form)
}

// update hands msg to the dialog's form; it reports whether the dialog
// is done (cancelled, or submitted and its save under way) and the
// command to run. A refused submit keeps it open, saying why.
func (d *dialog) update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	res, cmd := d.form.update(msg)
	if d.changed != nil && res == formOpen {
		d.changed(d.form)
	}
	switch res {
	case formCancelled:
		return true, nil
	case formSubmitted:
		save, err := d.submit(d.form)
		if err != nil {
			d.form.refuse(err)
			return false, nil
		}
		return true, save
	}
	return false, cmd
}

// Messages of the live screen.
type (
	incidentLoadedMsg struct {
		v   *incident.PostmortemView
		err error
	}
	eventSavedMsg struct {
		seq int
		ev  incident.Event
		dlg *dialog
		err error
	}
	// savedMsg reports a change saved (what), or the dialog to reopen.
	savedMsg struct {
		what string
		dlg  *dialog
		err  error
		// seen, when set, brings the dialog up to what the refusal
		// showed, on the screen's own goroutine.
		seen func()
	}
)

func newLive(c *common, id int64) *liveScreen {
	return &liveScreen{c: c, id: id, follow: true}
}

// load reads the incident and its duties in one read.
func (l *liveScreen) load() tea.Cmd {
	c, id := l.c, l.id
	l.loading = true
	return func() tea.Msg {
		v, err := c.store.Postmortem(c.ctx, id, incident.Point{}, c.regimes)
		return incidentLoadedMsg{v: v, err: err}
	}
}

// refresh reads the incident again after another's change, unless a read
// is already on its way; an open form stays as it is.
func (l *liveScreen) refresh() tea.Cmd {
	if l.loading {
		l.stale = true
		return nil
	}
	return l.load()
}

// dirty reports typed text not yet saved.
func (l *liveScreen) dirty() bool { return l.dlg != nil && l.dlg.form.dirty() }

// saved turns a store call's error into the message that reports it.
func (l *liveScreen) saved(what string, d *dialog, err error) tea.Msg {
	return savedMsg{what: what, dlg: d, err: err}
}

// change saves a change to the incident (one transaction; the store writes
// the system entries) for dialog d.
func (l *liveScreen) change(what string, d *dialog, edit func(*incident.Incident) error) tea.Cmd {
	return l.changeFor(what, d, "", edit)
}

// changeFor is change with the reason the history (and the timeline, for
// a closure) records.
func (l *liveScreen) changeFor(what string, d *dialog, reason string, edit func(*incident.Incident) error) tea.Cmd {
	c, id := l.c, l.id
	l.pending++
	return func() tea.Msg {
		_, err := c.store.As("", reason).UpdateIncident(c.ctx, id, edit)
		return l.saved(what, d, c.explain(id, err))
	}
}

func (l *liveScreen) setView(v *incident.PostmortemView) {
	l.in, l.duties, l.view = v.Incident, v.Duties, v
	var keep int64 // the event under the cursor stays under it
	if l.cursor < len(l.rows) {
		keep = l.rows[l.cursor].ev.ID
	}
	var pending []row
	for _, r := range l.rows {
		if r.saving {
			pending = append(pending, r)
		}
	}
	l.rows = l.rows[:0]
	for _, e := range l.in.Timeline {
		l.rows = append(l.rows, row{ev: e})
	}
	l.rows = append(l.rows, pending...)
	sort.SliceStable(l.rows, func(i, j int) bool { return l.rows[i].ev.At.Before(l.rows[j].ev.At) })
	for i := range l.rows {
		if keep != 0 && l.rows[i].ev.ID == keep {
			l.cursor = i
		}
	}
	if l.follow || l.cursor >= len(l.rows) {
		l.cursor = max(0, len(l.rows)-1)
	}
	l.scroll()
}

func (l *liveScreen) Update(msg tea.Msg) (*liveScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if l.dlg != nil {
			l.dlg.form.resize(l.c)
		}
		l.scroll()
		return l, nil
	case tickMsg:
		// Without the change feed, writers elsewhere (the command line, a
		// second screen) show up within a few seconds.
		if l.ticks++; l.c.feed == nil && l.ticks%5 == 0 && !l.busy() && l.dlg == nil && l.related == nil {
			return l, l.load()
		}
		return l, nil
	case incidentLoadedMsg:
		l.loading = false
		if msg.err != nil {
			l.err = msg.err
			return l, nil
		}
		l.setView(msg.v)
		if l.stale {
			// A change came while this read was on its way.
			l.stale = false
			return l, l.load()
		}
		return l, nil
	case eventSavedMsg:
		l.pending--
		for i := range l.rows {
			if l.rows[i].seq == msg.seq && l.rows[i].saving {
				if msg.err != nil {
					// The row goes; what was typed goes back into its dialog.
					l.rows = append(l.rows[:i], l.rows[i+1:]...)
					l.reopen(msg.dlg, fmt.Errorf("event NOT saved: %w", msg.err))
					return l, nil
				}
				l.rows[i].saving = false
				l.rows[i].ev = msg.ev
				l.status = fmt.Sprintf("✓ saved %s at %s", msg.ev.Kind, l.c.when(msg.ev.At, "15:04:05"))
				break
			}
		}
		return l, l.load()
	case savedMsg:
		l.pending--
		if msg.seen != nil {
			msg.seen()
		}
		if msg.err != nil {
			l.reopen(msg.dlg, fmt.Errorf("%s NOT saved: %w", msg.what, msg.err))
			return l, nil
		}
		l.err, l.status = nil, "✓ "+msg.what+" saved"
		return l, l.load()
	case relatedListMsg, relatedToggledMsg:
		if l.related != nil {
			var cmd tea.Cmd
			l.related, cmd = l.related.update(msg)
			if _, ok := msg.(relatedToggledMsg); ok {
				return l, tea.Batch(cmd, l.load())
			}
			return l, cmd
		}
		return l, nil
	case eventHistoryMsg:
		if l.detail != nil && l.detail.ev.ID == msg.id {
			l.detail.changes, l.detail.err = msg.changes, msg.err
			if l.detail.changes == nil && msg.err == nil {
				l.detail.changes = []incident.Change{}
			}
		}
		return l, nil
	case tea.PasteMsg:
		if l.search != nil && l.search.typing {
			var cmd tea.Cmd
			l.search.input, cmd = l.search.input.Update(msg)
			l.find(0, 1, true)
			return l, cmd
		}
		// A paste is text, never keys: into the open form, else it begins
		// a note (of the kind picked, after a or t), whatever it holds.
		switch {
		case l.dlg != nil:
			_, cmd := l.dlg.form.update(msg)
			return l, cmd
		case l.related != nil || l.in == nil:
			return l, nil
		case l.picking:
			l.picking = false
			l.open(l.eventDialog("n", l.pickAt, false))
		default:
			l.open(l.eventDialog("n", l.c.now().Truncate(time.Second), false))
		}
		_, cmd := l.dlg.form.update(msg)
		return l, cmd
	case tea.KeyPressMsg:
		return l.key(msg)
	}
	return l, nil
}

// reopen shows dialog d again, with err, after a save failed.
func (l *liveScreen) reopen(d *dialog, err error) {
	l.status = ""
	if d == nil {
		l.err = err
		return
	}
	l.dlg = d
	d.form.refuse(err)
	d.form.resize(l.c)
}

// open shows dialog d.
func (l *liveScreen) open(d *dialog) {
	l.dlg, l.err, l.status = d, nil, ""
	d.form.resize(l.c)
}

func (l *liveScreen) key(msg tea.KeyPressMsg) (*liveScreen, tea.Cmd) {
	k := l.c.keys
	if l.dlg != nil {
		done, cmd := l.dlg.update(msg)
		if done {
			l.dlg = nil
			l.scroll()
		}
		return l, cmd
	}
	if l.related != nil {
		var cmd tea.Cmd
		l.related, cmd = l.related.update(msg)
		return l, cmd
	}
	if l.detail != nil {
		return l.detailKey(msg)
	}
	if l.search != nil && l.search.typing {
		return l.searchKey(msg)
	}
	if l.picking {
		l.picking = false
		if msg.String() == "esc" {
			return l, nil
		}
		if _, ok := kindKeys[msg.String()]; ok {
			l.open(l.eventDialog(msg.String(), l.pickAt, l.pickTimed))
			return l, nil
		}
		// Typed straight on, as at full speed, past the question: the
		// entry is a note and what was typed begins it (the time, for t),
		// rather than the keys running as commands of this screen.
		if msg.Text != "" {
			l.open(l.eventDialog("n", l.pickAt, l.pickTimed))
			return l.key(msg)
		}
		return l, nil
	}
	if l.in == nil {
		if key.Matches(msg, k.Back) {
			return l, l.c.navigate(backMsg{screenHome})
		}
		return l, nil
	}
	l.err = nil // it was about the key before
	switch {
	case key.Matches(msg, k.Back) && l.showHelp:
		l.showHelp = false // esc closes the help, not the incident
	case key.Matches(msg, k.Back) && l.search != nil:
		l.search = nil
	case key.Matches(msg, k.Back):
		return l, l.c.navigate(backMsg{screenHome})
	case key.Matches(msg, k.Quit):
		return l, quit
	case key.Matches(msg, k.Open):
		if ev, ok := l.selected(); ok {
			return l, l.openDetail(ev)
		}
	case key.Matches(msg, k.Filter):
		l.search = newSearch()
	case msg.String() == "n" && l.search != nil:
		l.find(l.cursor, 1, false)
	case msg.String() == "N" && l.search != nil:
		l.find(l.cursor, -1, false)
	case key.Matches(msg, k.Help):
		l.showHelp = !l.showHelp
	case key.Matches(msg, k.Up):
		l.cursor, l.follow = max(0, l.cursor-1), false
	case key.Matches(msg, k.Down):
		l.cursor = min(max(0, len(l.rows)-1), l.cursor+1)
		l.follow = l.cursor == len(l.rows)-1
	case key.Matches(msg, k.Top):
		l.cursor, l.follow = 0, false
	case key.Matches(msg, k.Bottom):
		l.cursor, l.follow = max(0, len(l.rows)-1), true
	case key.Matches(msg, k.Add):
		l.picking, l.pickAt, l.pickTimed, l.err = true, l.c.now().Truncate(time.Second), false, nil
	case key.Matches(msg, k.AddAt):
		l.picking, l.pickAt, l.pickTimed, l.err = true, l.c.now().Truncate(time.Second), true, nil
	case key.Matches(msg, k.Edit):
		if ev, ok := l.selected(); ok {
			if d, err := l.editDialog(ev); err != nil {
				l.err = err
			} else {
				l.open(d)
			}
		}
	case key.Matches(msg, k.Retract):
		if ev, ok := l.selected(); ok {
			if ev.Kind == incident.KindSystem || ev.Retracted() {
				l.err = fmt.Errorf("event %d cannot be retracted: %s", ev.ID, map[bool]string{true: "it records a change", false: "it already is"}[ev.Kind == incident.KindSystem])
			} else {
				l.open(l.retractDialog(ev))
			}
		}
	case key.Matches(msg, k.Mitigate):
		if l.in.ResolvedAt != nil {
			l.err = fmt.Errorf("the incident is resolved; change its key times with f (fields)")
		} else {
			l.open(l.keyTimeDialog("mitigated", "Mitigated at", l.in.MitigatedAt))
		}
	case key.Matches(msg, k.Resolve):
		l.open(l.resolveDialog())
	case key.Matches(msg, k.Fields):
		l.open(l.fieldsDialog())
	case key.Matches(msg, k.Roles):
		l.open(l.roleDialog())
	case key.Matches(msg, k.Close):
		l.open(l.closeDialog())
	case key.Matches(msg, k.Update):
		if d, err := l.updateDialog(); err != nil {
			l.err = err
		} else {
			l.open(d)
		}
	case key.Matches(msg, k.Duty):
		if d, err := l.dutyDialog(); err != nil {
			l.err = err
		} else {
			l.open(d)
		}
	case key.Matches(msg, k.Related):
		l.related = newRelatedPicker(l.c, l.in)
		return l, l.related.load()
	case key.Matches(msg, k.Postmortem):
		return l, l.c.navigate(openPostmortemMsg{l.id})
	case key.Matches(msg, k.Export):
		return l, l.c.navigate(openExportMsg{l.id})
	}
	l.scroll()
	return l, nil
}

// span is the incident's, as the screen holds it now: what a typed clock
// time is read against.
func (l *liveScreen) span() incident.Span { return incident.SpanOf(l.in) }

// selected is the event under the cursor, once saved.
func (l *liveScreen) selected() (incident.Event, bool) {
	if l.cursor >= len(l.rows) || l.rows[l.cursor].saving {
		return incident.Event{}, false
	}
	return l.rows[l.cursor].ev, true
}

// eventDialog is the new event: kind picked by its key, stamped at (the
// moment a was pressed), text first; t puts the focus on the time.
func (l *liveScreen) eventDialog(kindKey string, at time.Time, timed bool) *dialog {
	kind := "note"
	for _, ch := range kindChoices {
		if ch.key == kindKey {
			kind = ch.value
		}
	}
	text := lineField("text", "What happened", "", "enter saves · tab: time, kind, author · esc cancels")
	when := l.c.timeField("at", "At", &at, "HH:MM, -5m, YYYY-MM-DD HH:MM or now").within(l.span, true)
	author := textField("author", "By", l.c.author, "who it is by (a scribe types for others)").filled()
	f := newForm("New event", text, when, choiceField("kind", "Kind", kind, kindChoices), author)
	f.enterSubmits = true
	if timed {
		when.enterNext = true
		f = newForm("New event", when, text, choiceField("kind", "Kind", kind, kindChoices), author)
		f.enterSubmits = true
	}
	d := &dialog{name: "event", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		ev := incident.Event{IncidentID: l.id, Text: f.value("text"), Author: f.value("author")}
		ev.Kind, ev.Notice = kindOf(f.value("kind"))
		t, err := l.c.parseTimeField(f, "at")
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, &incident.FieldError{Field: "at", Msg: "when did it happen? HH:MM, YYYY-MM-DD HH:MM or now"}
		}
		ev.At = *t
		if ev.Author == "" {
			ev.Author = l.c.author
		}
		if err := ev.Validate(l.c.now()); err != nil {
			return nil, err
		}
		l.seq++
		seq := l.seq
		l.rows = append(l.rows, row{ev: ev, saving: true, seq: seq})
		sort.SliceStable(l.rows, func(i, j int) bool { return l.rows[i].ev.At.Before(l.rows[j].ev.At) })
		for i := range l.rows {
			if l.rows[i].seq == seq {
				l.cursor = i
			}
		}
		l.follow = l.cursor == len(l.rows)-1
		c := l.c
		l.pending++
		return func() tea.Msg {
			err := c.store.AddEvent(c.ctx, &ev)
			return eventSavedMsg{seq: seq, ev: ev, dlg: d, err: err}
		}, nil
	}
	return d
}

// kindOf reads a kind choice: "notice" is a comms entry to users.
func kindOf(v string) (incident.Kind, incident.Notice) {
	if v == "notice" {
		return incident.KindComms, incident.NoticeUsers
	}
	return incident.Kind(v), ""
}

// editDialog changes an event's text, time or kind; the earlier wording
// stays in the history.
func (l *liveScreen) editDialog(ev incident.Event) (*dialog, error) {
	if ev.Kind == incident.KindSystem {
		return nil, fmt.Errorf("event %d records a change to the incident and cannot be edited (f changes the fields)", ev.ID)
	}
	if ev.Retracted() {
		return nil, fmt.Errorf("event %d is retracted; log a new one instead", ev.ID)
	}
	kind := string(ev.Kind)
	if ev.Notice == incident.NoticeUsers {
		kind = "notice"
	}
	at := ev.At
	when := l.c.timeField("at", "At", &at, "HH:MM, -5m, YYYY-MM-DD HH:MM or now").within(l.span, true)
	when.set(at.In(l.c.loc).Format("2006-01-02 15:04:05"))
	when.initial = when.value()
	text := lineField("text", "What happened", ev.Text, "enter saves · esc cancels")
	fields := []*formField{text, when, choiceField("kind", "Kind", kind, kindChoices)}
	if safeLines(ev.Text) != ev.Text {
		// Control characters cannot be typed or shown as they are here:
		// the text stays as it is, and only the time and kind change.
		fields = fields[1:]
	}
	f := newForm(fmt.Sprintf("Edit event %d", ev.ID), fields...)
	f.enterSubmits = true
	d := &dialog{name: "edit", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		t, err := l.c.parseTimeField(f, "at")
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, &incident.FieldError{Field: "at", Msg: "must not be empty"}
		}
		text := ev.Text
		if f.field("text") != nil {
			text = f.value("text")
		}
		kind, notice := kindOf(f.value("kind"))
		c, shown := l.c, ev
		l.pending++
		return func() tea.Msg {
			// Saved on the event as the dialog showed it: one changed by
			// another meanwhile is not written over. The dialog says what
			// it is now, and enter again saves knowingly.
			var stored *incident.Event
			_, err := c.store.EditEvent(c.ctx, l.id, shown.ID, func(x *incident.Event) error {
				if x.Text != shown.Text || !x.At.Equal(shown.At) || x.Kind != shown.Kind || x.Notice != shown.Notice {
					now := *x
					stored = &now
					return editedMeanwhile{c: c, was: shown, now: now}
				}
				x.At, x.Text, x.Kind, x.Notice = *t, text, kind, notice
				return nil
			})
			msg := savedMsg{what: "edit", dlg: d, err: err}
			if stored != nil {
				msg.seen = func() { ev = *stored }
			}
			return msg
		}, nil
	}
	return d, nil
}

// editedMeanwhile is an edit refused because another changed the event
// since the dialog opened: it says what the event is now.
type editedMeanwhile struct {
	c        *common
	was, now incident.Event
}

func (e editedMeanwhile) Error() string {
	var said []string
	if e.now.Text != e.was.Text {
		said = append(said, "text → "+shown(&e.now.Text))
	}
	if !e.now.At.Equal(e.was.At) {
		said = append(said, "at → "+e.c.when(e.now.At, "15:04:05"))
	}
	if e.now.Kind != e.was.Kind || e.now.Notice != e.was.Notice {
		said = append(said, "kind → "+string(e.now.Kind))
	}
	return fmt.Sprintf("event %d changed meanwhile: %s; nothing was saved: look, and save again to put yours", e.was.ID, strings.Join(said, "; "))
}

func (e editedMeanwhile) Unwrap() error { return incident.ErrConflict }

// retractDialog withdraws an event, with the reason; it stays on the
// timeline, struck out.
func (l *liveScreen) retractDialog(ev incident.Event) *dialog {
	f := newForm(fmt.Sprintf("Retract event %d: %s", ev.ID, safe(ev.Text)),
		textField("reason", "Why", "", "required: it stays on the timeline, struck out, with this reason"))
	f.enterSubmits = true
	d := &dialog{name: "retract", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		reason := f.value("reason")
		if reason == "" {
			return nil, &incident.FieldError{Field: "reason", Msg: "a retraction needs a reason"}
		}
		c := l.c
		l.pending++
		return func() tea.Msg {
			_, err := c.store.RetractEvent(c.ctx, l.id, ev.ID, reason)
			return l.saved("retraction", d, err)
		}, nil
	}
	return d
}

// keyTimeDialog asks for one key time, filled with its value or now.
func (l *liveScreen) keyTimeDialog(name, label string, was *time.Time) *dialog {
	t := l.c.now().Truncate(time.Second)
	if was != nil {
		t = *was
	}
	f := newForm(label, l.c.timeField(name, label, &t, "enter saves · now, HH:MM, -5m or YYYY-MM-DD HH:MM").within(l.span, false))
	d := &dialog{name: name, form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		at, err := l.c.parseTimeField(f, name)
		if err != nil {
			return nil, err
		}
		return l.change(name+" time", d, func(in *incident.Incident) error {
			*in.KeyTime(name) = at
			return nil
		}), nil
	}
	return d
}

// resolveDialog asks when it was resolved (now filled in) and the
// recovery steps, one a line (ctrl+↑/↓ moves one); ctrl+s saves.
func (l *liveScreen) resolveDialog() *dialog {
	t := l.c.now().Truncate(time.Second)
	if l.in.ResolvedAt != nil {
		t = *l.in.ResolvedAt
	}
	when := l.c.timeField("resolved", "Resolved at", &t, "now, HH:MM, -5m or YYYY-MM-DD HH:MM").within(l.span, false)
	steps := areaField("recovery", "Recovery steps", strings.Join(l.in.RecoverySteps, "\n"),
		"one step a line, in order · ctrl+↑/↓ moves a step · ctrl+s saves", max(3, min(8, l.c.height-14))).listed()
	f := newForm("Resolve", when, steps)
	d := &dialog{name: "resolve", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		at, err := l.c.parseTimeField(f, "resolved")
		if err != nil {
			return nil, err
		}
		if at == nil {
			return nil, &incident.FieldError{Field: "resolved", Msg: "when was it resolved? now, HH:MM or YYYY-MM-DD HH:MM"}
		}
		list := lines(f.field("recovery").value())
		return l.change("resolution", d, func(in *incident.Incident) error {
			in.ResolvedAt, in.RecoverySteps = at, list
			return nil
		}), nil
	}
	return d
}

// fieldsDialog edits every field of the incident at once; each change is
// a system entry on the timeline.
func (l *liveScreen) fieldsDialog() *dialog {
	in := l.in
	base := cloneIncident(in) // what the form was opened on
	sevs := severityChoices()
	statuses := []choice{{"open", "open", "o"}, {"mitigated", "mitigated", "m"}, {"resolved", "resolved", "r"}, {"reviewed", "reviewed", "v"}}
	pct, count := "", ""
	if in.UsersAffectedPct != nil {
		pct = fmt.Sprintf("%g", *in.UsersAffectedPct)
	}
	if in.UsersAffected != nil {
		count = fmt.Sprint(*in.UsersAffected)
	}
	full := func(name, label string, t *time.Time) *formField {
		f := l.c.timeField(name, label, t, "empty: not yet · HH:MM or YYYY-MM-DD HH:MM · typing replaces").within(l.span, false)
		if t != nil {
			f.set(t.In(l.c.loc).Format("2006-01-02 15:04:05"))
		}
		f.initial = f.value()
		return f
	}
	f := newForm(fmt.Sprintf("Incident #%d", in.ID),
		textField("title", "Title", in.Title, "what is broken, in a line"),
		textField("service", "Services", strings.Join(in.Services, ", "), "comma-separated"),
		choiceField("severity", "Severity", string(in.Severity), sevs),
		choiceField("status", "Status", string(in.Status), statuses),
		textField("users-affected", "Users affected %", pct, "0 to 100, empty: not known"),
		textField("users-affected-count", "Users affected", count, "a number, empty: not known"),
		textField("symptoms", "What users see", in.Symptoms, ""),
		full("started", "Started", in.StartedAt), full("detected", "Detected", in.DetectedAt),
		full("acknowledged", "Acknowledged", in.AcknowledgedAt), full("mitigated", "Mitigated", in.MitigatedAt),
		full("resolved", "Resolved", in.ResolvedAt),
		textField("why", "Why (optional)", "", "the reason for the change, kept in the history (as --reason)"),
	)
	d := &dialog{name: "fields", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		sev, err := incident.ParseSeverity(f.value("severity"))
		if err != nil {
			return nil, err
		}
		p, err := incident.ParsePercent(f.value("users-affected"))
		if err != nil {
			return nil, err
		}
		n, err := incident.ParseCount(f.value("users-affected-count"))
		if err != nil {
			return nil, err
		}
		times := map[string]*time.Time{}
		for _, name := range []string{"started", "detected", "acknowledged", "mitigated", "resolved"} {
			if times[name], err = l.c.parseTimeField(f, name); err != nil {
				return nil, err
			}
		}
		title, services, symptoms, status := f.value("title"), incident.SplitList(f.value("service")), f.value("symptoms"), incident.Status(f.value("status"))
		// Only what the form changed is written, over the record as it is
		// stored now: another's change to another field stays. A field
		// both changed since the form opened is refused, not written
		// over; the form then takes the record as it is now, so saving
		// again puts this value knowingly.
		return l.changeFor("fields", d, f.value("why"), func(x *incident.Incident) error {
			var clash []string
			merge(&clash, "title", &x.Title, base.Title, title, same[string])
			merge(&clash, "services", &x.Services, base.Services, services, slices.Equal[[]string])
			merge(&clash, "severity", &x.Severity, base.Severity, sev, same[incident.Severity])
			merge(&clash, "users affected %", &x.UsersAffectedPct, base.UsersAffectedPct, p, samePtr[float64])
			merge(&clash, "users affected", &x.UsersAffected, base.UsersAffected, n, samePtr[int64])
			merge(&clash, "what users see", &x.Symptoms, base.Symptoms, symptoms, same[string])
			for _, name := range []string{"started", "detected", "acknowledged", "mitigated", "resolved"} {
				merge(&clash, name, x.KeyTime(name), *base.KeyTime(name), times[name], sameTime)
			}
			wantStatus := status != base.Status && status != x.Status
			if wantStatus && x.Status != base.Status {
				clash = append(clash, "status")
			}
			if len(clash) > 0 {
				base = cloneIncident(x)
				return clashed(clash)
			}
			if wantStatus {
				return x.SetStatus(status)
			}
			return nil
		}), nil
	}
	return d
}

func s2key(s incident.Severity) string { return strings.TrimPrefix(string(s), "SEV") }

// roleDialog hands a role over: commander, comms, scribe, or any named.
func (l *liveScreen) roleDialog() *dialog {
	who := ""
	if l.in.Roles != nil {
		who = l.in.Roles[incident.RoleCommander]
	}
	f := newForm("Hand over a role",
		textField("role", "Role", incident.RoleCommander, "commander, comms, scribe, or any one word (tech-lead)").filled(),
		textField("who", "Person", who, "typing replaces · empty: nobody holds it").filled(),
		textField("why", "Why (optional)", "", "the reason for the handover, kept in the history"))
	// Enter hands it over from the person or the reason; from the role it
	// moves to the person.
	f.enterSubmits, f.fields[0].enterNext = true, true
	d := &dialog{name: "role", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		role, who := f.value("role"), f.value("who")
		probe := incident.Incident{}
		if err := probe.SetRole(role, who); err != nil {
			return nil, err
		}
		return l.changeFor("role", d, f.value("why"), func(in *incident.Incident) error { return in.SetRole(role, who) }), nil
	}
	return d
}

// closeDialog ends an incident that was no outage (a declaration
// cancelled, a false alarm, a duplicate of another), or reopens one so
// closed; either asks the reason, which goes on the timeline.
func (l *liveScreen) closeDialog() *dialog {
	reason := textField("reason", "Reason", "", "required: it goes on the timeline")
	if l.in.ClosedAs != "" {
		f := newForm(fmt.Sprintf("Reopen: closed as %s", l.in.ClosedAs), reason)
		f.enterSubmits = true
		d := &dialog{name: "reopen", form: f}
		d.submit = func(f *form) (tea.Cmd, error) {
			why := f.value("reason")
			if why == "" {
				return nil, &incident.FieldError{Field: "reason", Msg: "why is it reopened? type the reason"}
			}
			return l.changeFor("reopening", d, why, func(in *incident.Incident) error { return in.Reopen() }), nil
		}
		return d
	}
	as := choiceField("as", "Was", string(incident.ClosedFalseAlarm), []choice{
		{string(incident.ClosedFalseAlarm), "a false alarm", "f"}, {string(incident.ClosedCancelled), "declared by mistake", "c"},
		{string(incident.ClosedDuplicate), "a duplicate", "d"}})
	now := l.c.now().Truncate(time.Second)
	f := newForm("No outage: close it (it leaves the figures, duties and the gate)",
		as, textField("of", "Duplicate of", "", "a duplicate: the number of the incident it repeats"),
		l.c.timeField("at", "Found at", &now, "when it was found to be no outage · now, HH:MM, -5m").within(l.span, false), reason)
	d := &dialog{name: "close", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		c, err := incident.ParseClosure(f.value("as"))
		if err != nil {
			return nil, err
		}
		var of *int64
		if v := strings.TrimPrefix(f.value("of"), "#"); v != "" {
			id, err := incident.ParseID("of", v)
			if err != nil {
				return nil, err
			}
			of = &id
		}
		why := f.value("reason")
		if why == "" {
			return nil, &incident.FieldError{Field: "reason", Msg: "why was it no outage? type the reason"}
		}
		at, err := l.c.parseTimeField(f, "at")
		if err != nil {
			return nil, err
		}
		if at == nil {
			at = &now
		}
		probe := *l.in
		if err := probe.Close(c, *at, of); err != nil {
			return nil, err
		}
		return l.changeFor("closure", d, why, func(in *incident.Incident) error { return in.Close(c, *at, of) }), nil
	}
	return d
}

// dutyDialog marks one of the incident's open duties met (the report to
// the authority sent, say), at a time, with the record that meets it.
func (l *liveScreen) dutyDialog() (*dialog, error) {
	var open []choice
	for _, d := range l.duties {
		if d.Met == nil && d.NotRequired == nil {
			open = append(open, choice{d.Kind, d.Kind, ""})
		}
	}
	if len(open) == 0 {
		return nil, fmt.Errorf("no open duty on this incident (a notice to users is logged with a, then u)")
	}
	now := l.c.now().Truncate(time.Second)
	f := newForm("Duty done",
		choiceField("duty", "Duty", open[0].value, open),
		l.c.timeField("at", "Done at", &now, "now, HH:MM, -5m or YYYY-MM-DD HH:MM").within(l.span, false),
		textField("ref", "Record", "", "what meets it: a reference number, a link"))
	d := &dialog{name: "duty", form: f}
	d.submit = func(f *form) (tea.Cmd, error) {
		at, err := l.c.parseTimeField(f, "at")
		if err != nil {
			return nil, err
		}
		if at == nil {
			return nil, &incident.FieldError{Field: "at", Msg: "when was it done? now, HH:MM or YYYY-MM-DD HH:MM"}
		}
		kind, ref, c := f.value("duty"), f.value("ref"), l.c
		l.pending++
		return func() tea.Msg {
			_, err := c.store.MeetDuty(c.ctx, l.id, kind, *at, ref, false, c.regimes)
			return l.saved("duty", d, err)
		}, nil
	}
	return d, nil
}

// keys are the live screen's keys, most used first.
func (l *liveScreen) keys() bindings {
	k := l.c.keys
	switch {
	case l.dlg != nil:
		return dialogKeys(k, l.dlg)
	case l.related != nil:
		return l.related.keys()
	case l.detail != nil:
		return l.detailKeys()
	}
	return bindings{
		short: []key.Binding{k.Add, k.AddAt, k.Update, k.Edit, k.Mitigate, k.Resolve, k.Fields, k.Roles, k.Retract, k.Related, k.Postmortem, k.Export, k.Back},
		full: []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.Open, k.Search, k.Add, k.AddAt, k.Update, k.Edit, k.Retract, k.Mitigate, k.Resolve, k.Fields,
			k.Roles, k.Duty, k.Close, k.Related, k.Postmortem, k.Export, k.Back, k.Quit},
	}
}

// dialogKeys are the keys of an open dialog, as its focused field takes
// them: enter saves where it does, else it moves on and ctrl+s saves.
func dialogKeys(k keyMap, d *dialog) bindings {
	f := d.form
	x := f.fields[f.focus]
	switch {
	case x.kind == fieldArea && x.lines:
		return bindings{short: []key.Binding{k.Save, k.NextField, k.MoveUp, k.Cancel}}
	case x.kind == fieldArea && !x.enterSaves:
		return bindings{short: []key.Binding{k.Save, k.NextField, k.Cancel}}
	case f.enterSubmits && !x.enterNext, f.focus == len(f.fields)-1:
		return bindings{short: []key.Binding{k.Enter, k.NextField, k.Cancel}}
	}
	next := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next"))
	return bindings{short: []key.Binding{next, k.Save, k.Cancel}}
}

// header is the incident at a glance: status, title, the clocks, who holds
// which role, and the duties with their time left.
func (l *liveScreen) header() []string {
	c, s, in := l.c, l.c.styles, l.in
	now := c.now()
	status := strings.ToUpper(strings.ReplaceAll(in.Shown(), "-", " "))
	st := s.err
	switch in.Status {
	case incident.StatusMitigated:
		st = s.warn
	case incident.StatusResolved, incident.StatusReviewed:
		st = s.ok
	}
	first := st.Render("["+status+"]") + " " + s.sev[string(in.Severity)].Render(string(in.Severity)) + " " +
		s.title.Render(fmt.Sprintf("#%d %s", in.ID, safe(in.Title)))
	running := "—"
	if in.StartedAt != nil {
		running = longDur(in.Elapsed(now))
	}
	label := "running "
	switch {
	case in.ClosedAs != "" && in.StartedAt != nil && in.ClosedAt != nil:
		label, running = "closed after ", longDur(in.ClosedAt.Sub(*in.StartedAt))
	case in.ResolvedAt != nil:
		label = "lasted "
	}
	second := s.label.Render(label) + running + s.label.Render("  services ") + safe(orDash(strings.Join(in.Services, ", ")))
	if in.UsersAffectedPct != nil {
		second += s.label.Render("  users ") + fmt.Sprintf("%g%%", *in.UsersAffectedPct)
	}
	keyTimes := func(names [4]string) string {
		var times []string
		var prev *time.Time
		for i, t := range []*time.Time{in.StartedAt, in.DetectedAt, in.MitigatedAt, in.ResolvedAt} {
			times = append(times, s.label.Render(names[i]+" ")+c.stampSince(t, prev))
			if t != nil {
				prev = t
			}
		}
		return strings.Join(times, "  ")
	}
	times := keyTimes([4]string{"started", "detected", "mitigated", "resolved"})
	if ansi.StringWidth(times) > c.width {
		// Dates of other days take room: shorter labels keep every
		// time in view, the resolution's too.
		times = keyTimes([4]string{"start", "det", "mit", "res"})
	}
	out := []string{cell(first, c.width), cell(second, c.width), cell(times, c.width)}
	out = append(out, cell(l.rolesLine(), c.width), cell(l.clocksLine(now), c.width))
	return out
}

// rolesLine says who holds which role.
func (l *liveScreen) rolesLine() string {
	s := l.c.styles
	if len(l.in.Roles) == 0 {
		return s.label.Render("roles ") + s.subtle.Render("none yet (o hands one over)")
	}
	var parts []string
	for _, r := range incident.SortRoles(keysOf(l.in.Roles)) {
		name := r
		if r == incident.RoleCommander {
			name = "IC"
		}
		parts = append(parts, s.label.Render(name+" ")+safe(l.in.Roles[r]))
	}
	return strings.Join(parts, "  ")
}

// clocksLine is the time since the last update to stakeholders, when the
// next is due, and the open duties with their time left.
func (l *liveScreen) clocksLine(now time.Time) string {
	c, s, in := l.c, l.c.styles, l.in
	var parts []string
	if in.Open() && in.StartedAt != nil && now.Sub(*in.StartedAt) < 7*24*time.Hour {
		// (An incident entered long after the fact has no update clock.)
		last := *in.StartedAt
		updated := false
		for _, e := range in.Timeline {
			if e.Kind == incident.KindComms && !e.Retracted() && !e.At.Before(last) {
				last, updated = e.At, true
			}
		}
		next := last.Add(c.cadence(in.Severity))
		since := "no update yet"
		if updated {
			since = "last update " + shortDur(now.Sub(last)) + " ago"
		}
		if now.After(next) {
			parts = append(parts, s.err.Render(since+", UPDATE DUE "+shortDur(now.Sub(next))+" ago"))
		} else {
			parts = append(parts, s.label.Render(since+", next in ")+shortDur(next.Sub(now)))
		}
	}
	for _, d := range l.duties {
		switch {
		case d.Met != nil, d.NotRequired != nil:
		case d.WithoutDelay && !d.HasTarget:
			parts = append(parts, s.warn.Render(d.Kind+" without delay, open "+shortDur(now.Sub(d.Start))))
		case d.Overdue(now):
			parts = append(parts, s.err.Render(d.Kind+" OVERDUE "+shortDur(now.Sub(d.Due))))
		default:
			parts = append(parts, s.warn.Render(d.Kind+" due in "+shortDur(d.Due.Sub(now))))
		}
	}
	if len(parts) == 0 && in.Open() && in.StartedAt != nil {
		// Open for more than a week: no update clock, but not nothing.
		return s.warn.Render(fmt.Sprintf("open for %s with no update clock: R resolves it, C closes a false alarm", shortDur(now.Sub(*in.StartedAt))))
	}
	if len(parts) == 0 {
		return s.subtle.Render("no clocks running")
	}
	return strings.Join(parts, s.subtle.Render(" · "))
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// timelineRows is how many timeline rows fit with the rest of the screen.
func (l *liveScreen) timelineRows() int {
	below := max(1, len(l.errLines())) // the status line, or the error's
	if l.picking {
		below++
	}
	if l.search != nil {
		below++
	}
	return max(1, l.c.height-5-1-below-len(splitLines(l.c.helpView(l.keys(), l.showHelp))))
}

// errLines is the error said whole, wrapped: at most three lines.
func (l *liveScreen) errLines() []string {
	if l.err == nil {
		return nil
	}
	return wrapLines(safe(l.err.Error()), l.c.width, 3)
}

// scroll keeps the cursor inside the rows shown (in Update: View changes
// nothing).
func (l *liveScreen) scroll() {
	rows := l.timelineRows()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	l.offset = max(0, min(l.offset, max(0, len(l.rows)-rows)))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
}

func (l *liveScreen) View() string {
	c, s := l.c, l.c.styles
	if l.in == nil {
		if l.err != nil {
			return s.err.Render(l.err.Error()) + "\n\n" + s.subtle.Render("esc: back")
		}
		return s.subtle.Render("loading…")
	}
	helpLines := splitLines(c.helpView(l.keys(), l.showHelp))
	out := append(l.header(), s.subtle.Render(strings.Repeat("─", c.width)))
	switch {
	case l.dlg != nil:
		out = append(out, l.dlg.form.viewIn(c, c.height-len(out)-len(helpLines))...)
	case l.related != nil:
		out = append(out, l.related.view(c.height-len(out)-len(helpLines)-1)...)
	case l.detail != nil:
		out = append(out, l.detailView(c.height-len(out)-len(helpLines))...)
	default:
		out = append(out, l.timeline(l.timelineRows())...)
		if l.search != nil {
			out = append(out, l.searchLine())
		}
		if l.picking {
			out = append(out, cell(s.key.Render("kind?")+" d detect a action c comms u notice m mitigate r resolve n note", c.width))
		}
		switch {
		case l.err != nil:
			for _, line := range l.errLines() {
				out = append(out, s.err.Render(line))
			}
		case l.status != "":
			out = append(out, s.ok.Render(cell(l.status, c.width)))
		}
	}
	return fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)) + "\n" + strings.Join(helpLines, "\n")
}

// timeline draws the events from the offset: id, time (with the date when
// it changes from the row above, or is not today), kind, text, saved mark.
// Columns keep a gap between them.
func (l *liveScreen) timeline(rows int) []string {
	c, s := l.c, l.c.styles
	if len(l.rows) == 0 {
		return []string{s.subtle.Render("No events yet. Press a to log one now, t for a typed time.")}
	}
	now := c.now().In(c.loc)
	// The date column is there when some row is not today: the month and
	// day, with the year when some row is of another year.
	dateW, layout := 0, ""
	for _, r := range l.rows {
		switch at := r.ev.At.In(c.loc); {
		case at.Year() != now.Year():
			dateW, layout = 11, "2006-01-02 "
		case !sameDay(at, now) && dateW == 0:
			dateW, layout = 6, "01-02 "
		}
	}
	textW := max(10, c.width-33-dateW)
	var out []string
	for i := l.offset; i < len(l.rows) && i < l.offset+rows; i++ {
		r := l.rows[i]
		at := r.ev.At.In(c.loc)
		date := strings.Repeat(" ", dateW)
		var above time.Time
		if i > 0 {
			above = l.rows[i-1].ev.At.In(c.loc)
		}
		if i == l.offset || !sameDay(at, above) {
			if !(sameDay(at, now) && (i == 0 || sameDay(above, now))) {
				date = at.Format(layout)
			}
		}
		mark := s.ok.Render("✓ saved ")
		if r.saving {
			mark = s.warn.Render("saving… ")
		}
		id := ""
		if r.ev.ID != 0 {
			id = fmt.Sprintf("#%d", r.ev.ID)
		}
		text := cell(oneLine(r.ev.Text), textW)
		switch {
		case r.ev.Retracted():
			// Struck out where the terminal can, and said in words where
			// it cannot (NO_COLOR, plain terminals).
			text = s.retracted.Render(cell(oneLine("✗ "+r.ev.Text+" — retracted: "+r.ev.RetractReason), textW))
		case r.ev.Kind == incident.KindSystem:
			text = s.system.Render(cell(safe("· "+r.ev.Text), textW))
			mark = strings.Repeat(" ", 8)
		case r.ev.Notice != "":
			text = cell(oneLine("[notice to "+string(r.ev.Notice)+"] "+r.ev.Text), textW)
		}
		line := cell(id, 5) + " " + date + at.Format("15:04:05") + " " + cell(string(r.ev.Kind), 8) + " " + text + " " + mark
		if i == l.cursor {
			line = s.selected.Render(ansi.Strip(line))
		}
		out = append(out, line)
	}
	return out
}

// oneLine shows a text of several lines on one row, each break a ↵.
func oneLine(s string) string {
	return safe(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", " ↵ "))
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
