package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// liveMode is what the live screen is doing with the keyboard.
type liveMode int

const (
	modeNormal  liveMode = iota
	modeKind             // waiting for the kind key of a new event
	modeTime             // typing the time of an event (t)
	modeText             // typing the event text
	modeEdit             // editing the selected event's time and text
	modeResolve          // the resolve dialog
)

// editPart is the part of an event being edited that has the focus.
type editPart int

const (
	editText editPart = iota
	editTime
	editKindPart
)

// kindKeys maps the single key that picks an event kind.
var kindKeys = map[string]incident.Kind{
	"d": incident.KindDetect, "a": incident.KindAction, "c": incident.KindComms,
	"m": incident.KindMitigate, "r": incident.KindResolve, "n": incident.KindNote,
}

// row is one timeline line: a stored event, or one being saved.
type row struct {
	ev     incident.Event
	saving bool
	failed bool
	seq    int // matches a pending row with its save result
}

// liveScreen is the incident as it happens: header, timeline, one-key
// entries.
type liveScreen struct {
	c        *common
	id       int64
	in       *incident.Incident
	rows     []row
	cursor   int
	offset   int
	follow   bool // keep the newest event in view
	mode     liveMode
	pendAt   time.Time
	pendKind incident.Kind
	input    textinput.Model
	steps    textarea.Model
	endAt    textinput.Model
	focusEnd bool
	editAt   textinput.Model // the time of the event being edited
	editKind incident.Kind   // its kind
	editPart editPart        // which part of it has the focus
	seq      int
	status   string
	err      error
	showHelp bool
}

// Messages of the live screen.
type (
	incidentLoadedMsg struct {
		in  *incident.Incident
		err error
	}
	eventSavedMsg struct {
		seq int
		ev  incident.Event
		err error
	}
	eventEditedMsg struct {
		ev  incident.Event
		err error
	}
	incidentSavedMsg struct {
		in   *incident.Incident
		what string
		err  error
	}
)

func newLive(c *common, id int64) *liveScreen {
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 2000
	end := textinput.New()
	end.Prompt = "resolved at: "
	editAt := textinput.New()
	editAt.Prompt = "at: "
	steps := textarea.New()
	steps.Placeholder = "one recovery step per line"
	steps.ShowLineNumbers = true
	return &liveScreen{c: c, id: id, input: in, endAt: end, editAt: editAt, steps: steps, follow: true}
}

func (l *liveScreen) load() tea.Cmd {
	c, id := l.c, l.id
	return func() tea.Msg {
		in, err := c.store.Incident(c.ctx, id)
		return incidentLoadedMsg{in: in, err: err}
	}
}

// dirty reports typed text not yet saved: an open input, a failed save.
func (l *liveScreen) dirty() bool {
	switch l.mode {
	case modeText, modeEdit, modeTime:
		return strings.TrimSpace(l.input.Value()) != ""
	case modeResolve:
		return strings.TrimSpace(l.steps.Value()) != ""
	}
	return false
}

// saveEvent writes one event; the row shows "saving…" until it returns.
func (l *liveScreen) saveEvent(seq int, ev incident.Event) tea.Cmd {
	store := l.c.store
	return func() tea.Msg {
		err := store.AddEvent(l.c.ctx, &ev)
		return eventSavedMsg{seq: seq, ev: ev, err: err}
	}
}

// update changes the incident through one transaction and reloads it.
func (l *liveScreen) update(what string, change func(*incident.Incident) error) tea.Cmd {
	store, id := l.c.store, l.id
	return func() tea.Msg {
		if _, err := store.UpdateIncident(l.c.ctx, id, change); err != nil {
			return incidentSavedMsg{what: what, err: err}
		}
		in, err := store.Incident(l.c.ctx, id)
		return incidentSavedMsg{in: in, what: what, err: err}
	}
}

func (l *liveScreen) setIncident(in *incident.Incident) {
	l.in = in
	var pending []row
	for _, r := range l.rows {
		if r.saving || r.failed {
			pending = append(pending, r)
		}
	}
	l.rows = l.rows[:0]
	for _, e := range in.Timeline {
		l.rows = append(l.rows, row{ev: e})
	}
	l.rows = append(l.rows, pending...)
	l.sortRows()
	if l.follow || l.cursor >= len(l.rows) {
		l.cursor = max(0, len(l.rows)-1)
	}
}

// sortRows keeps the timeline in time order, ties in the order entered,
// as the store lists it.
func (l *liveScreen) sortRows() {
	sort.SliceStable(l.rows, func(i, j int) bool { return l.rows[i].ev.At.Before(l.rows[j].ev.At) })
}

// selectSeq puts the cursor on the row entered as seq: the event just typed.
func (l *liveScreen) selectSeq(seq int) {
	for i := range l.rows {
		if l.rows[i].seq == seq {
			l.cursor = i
		}
	}
	l.follow = l.cursor == len(l.rows)-1
}

func (l *liveScreen) Update(msg tea.Msg) (*liveScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case incidentLoadedMsg:
		if msg.err != nil {
			l.err = msg.err
			return l, nil
		}
		l.setIncident(msg.in)
		return l, nil
	case eventSavedMsg:
		for i := range l.rows {
			if l.rows[i].seq == msg.seq && l.rows[i].saving {
				l.rows[i].saving = false
				if msg.err != nil {
					// Keep the text: it goes back into the input to retry.
					l.rows = append(l.rows[:i], l.rows[i+1:]...)
					l.err = fmt.Errorf("event NOT saved: %w", msg.err)
					l.mode, l.pendAt, l.pendKind = modeText, msg.ev.At, msg.ev.Kind
					l.input.SetValue(msg.ev.Text)
					return l, l.input.Focus()
				}
				l.rows[i].ev = msg.ev
				l.status = fmt.Sprintf("✓ saved %s at %s", msg.ev.Kind, msg.ev.At.In(l.c.loc).Format("15:04:05"))
				break
			}
		}
		return l, nil
	case eventEditedMsg:
		if msg.err != nil {
			l.err = fmt.Errorf("edit NOT saved: %w", msg.err)
			l.mode = modeEdit
			l.input.SetValue(msg.ev.Text)
			return l, l.input.Focus()
		}
		l.status = "✓ edit saved"
		return l, l.load()
	case incidentSavedMsg:
		if msg.err != nil {
			l.err = fmt.Errorf("%s NOT saved: %w", msg.what, msg.err)
			return l, nil
		}
		l.err = nil
		l.status = "✓ " + msg.what + " saved"
		if msg.what == "resolution" {
			l.mode = modeNormal
			l.steps.Reset()
			l.steps.Blur()
		}
		l.setIncident(msg.in)
		return l, nil
	case tea.KeyPressMsg:
		return l.key(msg)
	case tea.PasteMsg:
		if l.mode == modeResolve && !l.focusEnd {
			var cmd tea.Cmd
			l.steps, cmd = l.steps.Update(msg)
			return l, cmd
		}
		if l.mode == modeText || l.mode == modeEdit || l.mode == modeTime {
			var cmd tea.Cmd
			if l.mode == modeEdit && l.editPart == editTime {
				l.editAt, cmd = l.editAt.Update(msg)
			} else {
				l.input, cmd = l.input.Update(msg)
			}
			return l, cmd
		}
	}
	return l, nil
}

func (l *liveScreen) key(msg tea.KeyPressMsg) (*liveScreen, tea.Cmd) {
	k := l.c.keys
	switch l.mode {
	case modeKind:
		if kind, ok := kindKeys[msg.String()]; ok {
			l.pendKind, l.mode = kind, modeText
			l.input.Placeholder = "what happened? (enter saves, esc cancels)"
			return l, l.input.Focus()
		}
		if msg.String() == "esc" {
			l.mode = modeNormal
		}
		return l, nil
	case modeTime:
		switch msg.String() {
		case "esc":
			l.closeInput()
			return l, nil
		case "enter":
			at, err := incident.ParseTime("at", l.input.Value(), l.c.loc, l.c.now())
			if err != nil {
				l.err = err
				return l, nil
			}
			l.err = nil
			l.closeInput()
			l.pendAt, l.mode = at, modeKind
			return l, nil
		}
	case modeText:
		switch msg.String() {
		case "esc":
			l.closeInput()
			return l, nil
		case "enter":
			text := strings.TrimSpace(l.input.Value())
			if text == "" {
				return l, nil
			}
			l.seq++
			ev := incident.Event{IncidentID: l.id, At: l.pendAt, Kind: l.pendKind, Text: text, Author: l.c.author}
			l.rows = append(l.rows, row{ev: ev, saving: true, seq: l.seq})
			l.sortRows()
			l.selectSeq(l.seq)
			l.closeInput()
			l.err = nil
			return l, l.saveEvent(l.seq, ev)
		}
	case modeEdit:
		switch msg.String() {
		case "esc":
			l.closeInput()
			return l, nil
		case "tab", "shift+tab":
			step := 1
			if msg.String() == "shift+tab" {
				step = 2
			}
			l.editPart = (l.editPart + editPart(step)) % 3
			l.input.Blur()
			l.editAt.Blur()
			switch l.editPart {
			case editText:
				return l, l.input.Focus()
			case editTime:
				return l, l.editAt.Focus()
			}
			return l, nil
		case "enter":
			ev := l.rows[l.cursor].ev
			at, err := incident.ParseTime("at", l.editAt.Value(), l.c.loc, l.c.now())
			if err != nil {
				l.err = err
				return l, nil
			}
			ev.At, ev.Kind, ev.Text = at, l.editKind, strings.TrimSpace(l.input.Value())
			l.closeInput()
			store := l.c.store
			return l, func() tea.Msg {
				_, err := store.EditEvent(l.c.ctx, ev.IncidentID, ev.ID, func(x *incident.Event) error {
					x.At, x.Kind, x.Text = ev.At, ev.Kind, ev.Text
					return nil
				})
				return eventEditedMsg{ev: ev, err: err}
			}
		}
		if l.editPart == editKindPart {
			if kind, ok := kindKeys[msg.String()]; ok {
				l.editKind = kind
			}
			return l, nil
		}
	case modeResolve:
		return l.resolveKey(msg)
	case modeNormal:
		switch {
		case key.Matches(msg, k.Back):
			return l, func() tea.Msg { return backMsg{screenHome} }
		case key.Matches(msg, k.Quit):
			return l, quit
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
			l.pendAt, l.mode, l.err = l.c.now().Truncate(time.Second), modeKind, nil
		case key.Matches(msg, k.AddAt):
			l.mode, l.err = modeTime, nil
			l.input.Placeholder = "HH:MM, YYYY-MM-DD HH:MM or now"
			l.input.SetValue(l.c.now().In(l.c.loc).Format("15:04:05"))
			return l, l.input.Focus()
		case key.Matches(msg, k.Edit):
			if l.cursor < len(l.rows) && !l.rows[l.cursor].saving {
				ev := l.rows[l.cursor].ev
				l.mode, l.editPart, l.editKind, l.err = modeEdit, editText, ev.Kind, nil
				l.editAt.SetValue(ev.At.In(l.c.loc).Format("2006-01-02 15:04:05"))
				l.input.SetValue(ev.Text)
				l.input.Placeholder = ""
				return l, l.input.Focus()
			}
		case key.Matches(msg, k.Mitigate):
			now := l.c.now().Truncate(time.Second)
			return l, l.update("mitigation", func(in *incident.Incident) error {
				if in.MitigatedAt == nil {
					in.MitigatedAt = &now
				}
				return nil
			})
		case key.Matches(msg, k.Resolve):
			l.mode, l.focusEnd, l.err = modeResolve, true, nil
			l.endAt.SetValue("now")
			if l.in != nil {
				l.steps.SetValue(strings.Join(l.in.RecoverySteps, "\n"))
			}
			l.steps.SetWidth(min(l.c.width-4, 96))
			l.steps.SetHeight(max(3, min(10, l.c.height-14)))
			l.steps.Blur()
			return l, l.endAt.Focus()
		case key.Matches(msg, k.Postmortem):
			return l, func() tea.Msg { return openPostmortemMsg{l.id} }
		case key.Matches(msg, k.Export):
			return l, func() tea.Msg { return openExportMsg{l.id} }
		}
		return l, nil
	}
	var cmd tea.Cmd
	if l.mode == modeEdit && l.editPart == editTime {
		l.editAt, cmd = l.editAt.Update(msg)
		return l, cmd
	}
	l.input, cmd = l.input.Update(msg)
	return l, cmd
}

// closeInput empties and leaves the text input, back to normal mode.
func (l *liveScreen) closeInput() {
	l.mode = modeNormal
	l.input.Reset()
	l.input.Blur()
	l.editAt.Blur()
}

// resolveKey drives the resolve dialog: the end time, then the recovery
// steps, one per line, reordered with ctrl+up/down; ctrl+s saves.
func (l *liveScreen) resolveKey(msg tea.KeyPressMsg) (*liveScreen, tea.Cmd) {
	k := l.c.keys
	switch {
	case key.Matches(msg, k.Back):
		l.mode = modeNormal
		l.steps.Blur()
		l.endAt.Blur()
		return l, nil
	case key.Matches(msg, k.NextField), msg.String() == "shift+tab", l.focusEnd && msg.String() == "enter":
		l.focusEnd = !l.focusEnd
		if l.focusEnd {
			l.steps.Blur()
			return l, l.endAt.Focus()
		}
		l.endAt.Blur()
		return l, l.steps.Focus()
	case key.Matches(msg, k.Save):
		at, err := incident.ParseTime("resolved", l.endAt.Value(), l.c.loc, l.c.now())
		if err != nil {
			l.err = err
			return l, nil
		}
		var steps []string
		for _, s := range splitLines(l.steps.Value()) {
			if s = strings.TrimSpace(s); s != "" {
				steps = append(steps, s)
			}
		}
		return l, l.update("resolution", func(in *incident.Incident) error {
			in.ResolvedAt = &at
			in.RecoverySteps = steps
			return nil
		})
	case !l.focusEnd && (key.Matches(msg, k.MoveUp) || key.Matches(msg, k.MoveDown)):
		l.moveStep(key.Matches(msg, k.MoveUp))
		return l, nil
	}
	var cmd tea.Cmd
	if l.focusEnd {
		l.endAt, cmd = l.endAt.Update(msg)
	} else {
		l.steps, cmd = l.steps.Update(msg)
	}
	return l, cmd
}

// moveStep swaps the current recovery step with the one above or below.
func (l *liveScreen) moveStep(up bool) {
	lines := splitLines(l.steps.Value())
	i := l.steps.Line()
	j := i + 1
	if up {
		j = i - 1
	}
	if j < 0 || j >= len(lines) {
		return
	}
	lines[i], lines[j] = lines[j], lines[i]
	l.steps.SetValue(strings.Join(lines, "\n"))
	// SetValue leaves the cursor at the end; walk it to the moved line.
	for l.steps.Line() > j {
		l.steps.CursorUp()
	}
}

func (l *liveScreen) keys() bindings {
	k := l.c.keys
	switch l.mode {
	case modeResolve:
		return bindings{short: []key.Binding{k.NextField, k.MoveUp, k.MoveDown, k.Save, k.Back}}
	case modeText, modeEdit, modeTime:
		return bindings{short: []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")), k.Back}}
	}
	return bindings{
		short: []key.Binding{k.Add, k.AddAt, k.Edit, k.Mitigate, k.Resolve, k.Postmortem, k.Export, k.Back, k.Help},
		full:  []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.Add, k.AddAt, k.Edit, k.Mitigate, k.Resolve, k.Postmortem, k.Export, k.Back, k.Quit},
	}
}

func (l *liveScreen) header() []string {
	c, s, in := l.c, l.c.styles, l.in
	status := strings.ToUpper(string(in.Status))
	st := s.err
	switch in.Status {
	case incident.StatusMitigated:
		st = s.warn
	case incident.StatusResolved, incident.StatusReviewed:
		st = s.ok
	}
	elapsed := "—"
	if in.StartedAt != nil {
		elapsed = clockDur(in.Elapsed(c.now()))
	}
	first := st.Render("["+status+"]") + " " + s.sev[string(in.Severity)].Render(string(in.Severity)) + " " +
		s.title.Render(fmt.Sprintf("#%d %s", in.ID, safe(in.Title)))
	second := s.label.Render("elapsed ") + elapsed + s.label.Render("  services ") + safe(orDash(strings.Join(in.Services, ", ")))
	if in.UsersAffectedPct != nil {
		second += s.label.Render("  users ") + fmt.Sprintf("%g%%", *in.UsersAffectedPct)
	}
	times := s.label.Render("started ") + c.stamp(in.StartedAt, "01-02 15:04") +
		s.label.Render("  detected ") + c.stamp(in.DetectedAt, "15:04") +
		s.label.Render("  mitigated ") + c.stamp(in.MitigatedAt, "15:04") +
		s.label.Render("  resolved ") + c.stamp(in.ResolvedAt, "15:04")
	return []string{cell(first, c.width), cell(second, c.width), cell(times, c.width)}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (l *liveScreen) View() string {
	c, s := l.c, l.c.styles
	if l.in == nil {
		if l.err != nil {
			return s.err.Render(l.err.Error()) + "\n\n" + s.subtle.Render("esc: back")
		}
		return s.subtle.Render("loading…")
	}
	out := append(l.header(), s.subtle.Render(strings.Repeat("─", c.width)))
	var below []string
	switch l.mode {
	case modeKind:
		below = append(below, s.key.Render("kind?")+" d detect · a action · c comms · m mitigate · r resolve · n note   "+s.subtle.Render("(esc cancels)"))
	case modeText, modeEdit, modeTime:
		l.input.SetWidth(c.width - 4)
		switch l.mode {
		case modeEdit:
			kind := "kind: " + string(l.editKind)
			if l.editPart == editKindPart {
				kind = s.selected.Render(kind) + s.subtle.Render(" d a c m r n")
			}
			below = append(below, l.editAt.View()+"   "+kind+s.subtle.Render("   (tab: text → time → kind)"))
		case modeText:
			below = append(below, s.label.Render(fmt.Sprintf("new %s event at %s", l.pendKind, l.pendAt.In(c.loc).Format("15:04:05"))))
		case modeTime:
			below = append(below, s.label.Render("new event: when? (enter, then the kind key)"))
		}
		below = append(below, l.input.View())
	case modeResolve:
		below = append(below, s.header.Render("Resolve"), l.endAt.View(), s.label.Render("Recovery steps (in order; ctrl+↑/↓ moves a step):"), l.steps.View())
	}
	if l.err != nil {
		below = append(below, s.err.Render(ansi.Truncate(l.err.Error(), c.width, "…")))
	} else if l.status != "" {
		below = append(below, s.ok.Render(l.status))
	}
	helpLines := splitLines(c.helpView(l.keys(), l.showHelp))
	rows := max(1, c.height-len(out)-len(below)-len(helpLines)-1)
	out = append(out, l.timeline(rows)...)
	out = append(out, below...)
	return fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)) + "\n" + strings.Join(helpLines, "\n")
}

// timeline draws the events, newest at the bottom, scrolled to the cursor.
func (l *liveScreen) timeline(rows int) []string {
	c, s := l.c, l.c.styles
	if len(l.rows) == 0 {
		return []string{s.subtle.Render("No events yet. Press a to log one now, t for a typed time.")}
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	var out []string
	textW := max(10, c.width-6-8-1-9-10)
	for i := l.offset; i < len(l.rows) && i < l.offset+rows; i++ {
		r := l.rows[i]
		mark := s.ok.Render("✓ saved ")
		if r.saving {
			mark = s.warn.Render("saving… ")
		}
		id := ""
		if r.ev.ID != 0 {
			id = fmt.Sprintf("#%d", r.ev.ID)
		}
		text := cell(safe(r.ev.Text), textW)
		switch {
		case r.ev.Retracted():
			// Struck out where the terminal can, and said in words where
			// it cannot (NO_COLOR, plain terminals).
			text = s.retracted.Render(cell(safe("✗ "+r.ev.Text+" — retracted: "+r.ev.RetractReason), textW))
		case r.ev.Kind == incident.KindSystem:
			text = s.system.Render(cell(safe("· "+r.ev.Text), textW))
			mark = strings.Repeat(" ", 8)
		case r.ev.Notice != "":
			text = cell(safe("[notice to "+string(r.ev.Notice)+"] "+r.ev.Text), textW)
		}
		line := cell(id, 6) + r.ev.At.In(c.loc).Format("15:04:05") + " " + cell(string(r.ev.Kind), 9) + text + " " + mark
		if i == l.cursor {
			line = s.selected.Render(ansi.Strip(line))
		}
		out = append(out, line)
	}
	return out
}
