package tui

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// A form is the one way text is typed in: a few fields, one with the
// focus. It moves the focus inside Update, never through a command, so a
// key typed right after Enter, at any speed, lands in the field Enter
// moved to. Esc on typed text asks before throwing it away; ctrl+s submits
// from any field.

// fieldKind is what a field holds.
type fieldKind int

const (
	fieldText   fieldKind = iota // one line
	fieldChoice                  // one of a few values, picked by key or ←/→
	fieldArea                    // several lines (enter starts a new one)
)

// choice is one value of a choice field, and the key that picks it.
type choice struct{ value, label, key string }

// formField is one field of a form.
type formField struct {
	name  string // as errors name it (incident.FieldError.Field)
	label string
	hint  string
	kind  fieldKind
	input textinput.Model
	area  textarea.Model
	opts  []choice
	pick  int
	// fresh: the value was filled in for the user (now, the stored value);
	// the first key typed replaces it rather than adding to it.
	fresh   bool
	initial string
	// enterNext makes enter move on from this field even in a form where
	// enter submits.
	enterNext bool
	// enterSaves makes an area take enter as a one-line field does (an
	// event's text: typed on one line, but a pasted text of several
	// keeps its line breaks).
	enterSaves bool
	// lines marks an area that is a list, a line an item (recovery
	// steps): its help offers ctrl+↑/↓ to move one.
	lines bool
	// preview says what the value will be stored as (a time's full date),
	// shown beside the field while it has the focus.
	preview func(string) string
	// span, for a time field, is what a bare clock time is read against;
	// confirmBefore asks before taking a time before its start, and
	// confirmed is the value the user was asked about.
	span          func() incident.Span
	confirmBefore bool
	confirmed     string
	// filledAt is the time a time field was filled with, in loc.
	filledAt *time.Time
	loc      *time.Location
}

// value is what the field holds now.
func (f *formField) value() string {
	switch f.kind {
	case fieldChoice:
		if f.pick < len(f.opts) {
			return f.opts[f.pick].value
		}
		return ""
	case fieldArea:
		return f.area.Value()
	}
	return f.input.Value()
}

func (f *formField) set(v string) {
	switch f.kind {
	case fieldChoice:
		for i, o := range f.opts {
			if o.value == v {
				f.pick = i
			}
		}
	case fieldArea:
		f.area.SetValue(v)
	default:
		f.input.SetValue(v)
		f.input.CursorEnd()
	}
}

// textField makes a one-line field holding value.
func textField(name, label, value, hint string) *formField {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = incident.MaxText
	f := &formField{name: name, label: label, hint: hint, kind: fieldText, input: in}
	f.set(value)
	f.initial = value
	return f
}

// filled marks a field's value as filled in for the user: typing replaces it.
func (f *formField) filled() *formField { f.fresh = true; return f }

// areaField makes a field of several lines.
func areaField(name, label, value, hint string, lines int) *formField {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = ""
	a.CharLimit = incident.MaxProse
	a.SetHeight(lines)
	f := &formField{name: name, label: label, hint: hint, kind: fieldArea, area: a}
	f.set(value)
	f.initial = value
	return f
}

// listed marks an area as a list of lines, in an order that matters.
func (f *formField) listed() *formField { f.lines = true; return f }

// lineField is a field typed on one line, as textField, that keeps the
// line breaks of a text pasted into it, growing to show up to five lines.
func lineField(name, label, value, hint string) *formField {
	f := areaField(name, label, value, hint, 1)
	f.enterSaves = true
	f.area.DynamicHeight, f.area.MinHeight, f.area.MaxHeight = true, 1, 5
	f.area.MaxContentHeight = incident.MaxText // never blocks: the limit is the characters'
	return f
}

// multiline reports an area whose text runs over several lines, where the
// arrows move inside it rather than between fields.
func (x *formField) multiline() bool {
	return x.kind == fieldArea && (!x.enterSaves || strings.Contains(x.area.Value(), "\n"))
}

// choiceField makes a field holding one of opts, value picked.
func choiceField(name, label, value string, opts []choice) *formField {
	f := &formField{name: name, label: label, kind: fieldChoice, opts: opts}
	f.set(value)
	f.initial = f.value()
	var keys []string
	for _, o := range opts {
		if o.key != "" {
			keys = append(keys, o.key+" "+o.label)
		}
	}
	f.hint = "←/→"
	if len(keys) > 0 {
		f.hint += " or " + strings.Join(keys, " · ")
	}
	return f
}

// form is a set of fields with the focus on one.
type form struct {
	title  string
	fields []*formField
	focus  int
	// enterSubmits: enter saves from any one-line field (the quick event
	// entry); otherwise enter moves to the next field and saves on the
	// last.
	enterSubmits bool
	err          error
	asking       bool // "discard what was typed?" is shown
}

type formResult int

const (
	formOpen formResult = iota
	formSubmitted
	formCancelled
)

func newForm(title string, fields ...*formField) *form {
	f := &form{title: title, fields: fields}
	f.focusOn(0)
	return f
}

// field returns the field called name.
func (f *form) field(name string) *formField {
	for _, x := range f.fields {
		if x.name == name {
			return x
		}
	}
	return nil
}

// value is the value of the field called name, trimmed.
func (f *form) value(name string) string {
	if x := f.field(name); x != nil {
		return strings.TrimSpace(x.value())
	}
	return ""
}

// focusOn gives field i the focus (synchronously: no command to wait for).
func (f *form) focusOn(i int) {
	if i < 0 || i >= len(f.fields) {
		return
	}
	for _, x := range f.fields {
		switch x.kind {
		case fieldText:
			x.input.Blur()
		case fieldArea:
			x.area.Blur()
		}
	}
	f.focus = i
	switch x := f.fields[i]; x.kind {
	case fieldText:
		x.input.Focus()
	case fieldArea:
		x.area.Focus()
	}
}

// focusNamed gives the focus to the field an error names, if there is one.
func (f *form) focusNamed(err error) {
	var fe *incident.FieldError
	if !errors.As(err, &fe) {
		return
	}
	for i, x := range f.fields {
		if x.name == fe.Field {
			f.focusOn(i)
			return
		}
	}
}

// refuse shows why a submit was not taken and puts the focus where it is.
func (f *form) refuse(err error) {
	f.err = err
	var ask askError
	if !errors.As(err, &ask) {
		f.focusNamed(err)
	}
}

// dirty reports whether anything differs from what the form was opened with.
func (f *form) dirty() bool {
	for _, x := range f.fields {
		if x.kind != fieldChoice && strings.TrimSpace(x.value()) != strings.TrimSpace(x.initial) {
			return true
		}
	}
	return false
}

// update handles one message; the result says whether the form was
// submitted or cancelled. A refusal shown goes once the field it was
// about is typed in: it says nothing true any more.
func (f *form) update(msg tea.Msg) (formResult, tea.Cmd) {
	x := f.fields[f.focus]
	before := x.value()
	res, cmd := f.handle(x, msg)
	if res == formOpen && x.value() != before {
		f.err = nil
	}
	return res, cmd
}

func (f *form) handle(x *formField, msg tea.Msg) (formResult, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if x.fresh {
			x.set("")
			x.fresh = false
		}
		return formOpen, f.pass(x, msg)
	case tea.KeyPressMsg:
		k := msg.String()
		if f.asking {
			f.asking = false
			if k == "y" || k == "Y" {
				return formCancelled, nil
			}
			return formOpen, nil
		}
		switch k {
		case "esc":
			if f.dirty() {
				f.asking = true
				return formOpen, nil
			}
			return formCancelled, nil
		case "ctrl+s":
			return formSubmitted, nil
		case "tab", "shift+tab":
			step := 1
			if k == "shift+tab" {
				step = len(f.fields) - 1
			}
			f.focusOn((f.focus + step) % len(f.fields))
			return formOpen, nil
		case "enter":
			if x.kind == fieldArea && !x.enterSaves {
				break
			}

			if (f.enterSubmits && !x.enterNext) || f.focus == len(f.fields)-1 {
				return formSubmitted, nil
			}
			f.focusOn(f.focus + 1)
			return formOpen, nil
		case "down", "up":
			if !x.multiline() {
				if k == "down" {
					f.focusOn(min(f.focus+1, len(f.fields)-1))
				} else {
					f.focusOn(max(f.focus-1, 0))
				}
				return formOpen, nil
			}
		case "ctrl+up", "ctrl+down":
			if x.kind == fieldArea && !x.enterSaves {
				moveLine(&x.area, k == "ctrl+up")
				return formOpen, nil
			}
		}
		if x.kind == fieldChoice {
			x.choose(k)
			return formOpen, nil
		}
		if x.fresh {
			switch {
			case k == "backspace" || k == "ctrl+u":
				x.set("")
				x.fresh = false
				return formOpen, nil
			case msg.Text != "":
				x.set("")
			}
			x.fresh = false
		}
		return formOpen, f.pass(x, msg)
	}
	return formOpen, f.pass(x, msg)
}

// pass hands msg to the field's editor.
func (f *form) pass(x *formField, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch x.kind {
	case fieldText:
		x.input, cmd = x.input.Update(msg)
	case fieldArea:
		x.area, cmd = x.area.Update(msg)
	}
	return cmd
}

// choose picks by key: an option's key, or ←/→ to step.
func (x *formField) choose(k string) {
	switch k {
	case "left", "h":
		x.pick = (x.pick + len(x.opts) - 1) % len(x.opts)
		return
	case "right", "l", " ", "space":
		x.pick = (x.pick + 1) % len(x.opts)
		return
	}
	for i, o := range x.opts {
		if o.key == k {
			x.pick = i
		}
	}
}

// moveLine swaps the area's current line with the one above or below.
func moveLine(a *textarea.Model, up bool) {
	lines := splitLines(a.Value())
	i := a.Line()
	j := i + 1
	if up {
		j = i - 1
	}
	if j < 0 || j >= len(lines) {
		return
	}
	lines[i], lines[j] = lines[j], lines[i]
	a.SetValue(strings.Join(lines, "\n"))
	// SetValue leaves the cursor at the end; walk it to the moved line.
	for a.Line() > j {
		a.CursorUp()
	}
}

// labelWidth is the width of the labels' column.
func (f *form) labelWidth() int {
	w := 0
	for _, x := range f.fields {
		w = max(w, ansi.StringWidth(x.label))
	}
	return min(w, 22)
}

// view draws the form in width columns. It changes nothing: sizes are
// applied by resize.
func (f *form) view(c *common) []string {
	s := c.styles
	lw := f.labelWidth()
	var out []string
	for _, l := range f.titleLines(c) {
		out = append(out, s.header.Render(l))
	}
	for i, x := range f.fields {
		mark, label := "  ", s.label.Render(cell(x.label, lw))
		if i == f.focus {
			mark, label = s.key.Render("› "), s.key.Render(cell(x.label, lw))
		}
		switch x.kind {
		case fieldChoice:
			var parts []string
			plain := 0
			for j, o := range x.opts {
				plain += ansi.StringWidth(o.label) + 2
				// The one picked is bracketed, so it shows without colour too.
				if j == x.pick {
					parts = append(parts, s.selected.Render("["+o.label+"]"))
				} else {
					parts = append(parts, s.subtle.Render(o.label))
				}
			}
			line := strings.Join(parts, " ")
			if plain > c.width-lw-3 {
				// Too many to show: the one picked, between arrows.
				line = s.subtle.Render("‹ ") + s.selected.Render("["+x.opts[x.pick].label+"]") + s.subtle.Render(" ›")
			}
			out = append(out, mark+label+" "+line)
		case fieldArea:
			if x.enterSaves {
				// On the label's row, as a one-line field, its further
				// lines under the first.
				for j, l := range splitLines(x.area.View()) {
					if j == 0 {
						out = append(out, mark+label+" "+l)
					} else {
						out = append(out, strings.Repeat(" ", lw+3)+l)
					}
				}
				break
			}
			out = append(out, mark+label)
			for _, l := range splitLines(x.area.View()) {
				out = append(out, "    "+l)
			}
		default:
			line := x.input.View()
			if x.fresh && i == f.focus {
				line = s.subtle.Render(safe(x.input.Value())) + s.subtle.Render("  (type to replace)")
			}
			out = append(out, mark+label+" "+line)
		}
		if i == f.focus {
			hint := x.hint
			if x.preview != nil {
				if p := x.preview(x.value()); p != "" {
					hint = p
				}
			}
			// Said whole (a time's reason, wrapped), at most three lines.
			for _, l := range wrapLines(hint, max(1, c.width-lw-3), 3) {
				out = append(out, strings.Repeat(" ", lw+3)+s.subtle.Render(l))
			}
		}
	}
	switch {
	case f.asking:
		out = append(out, s.err.Render(cell("Discard what you typed? (y/N)", c.width)))
	case f.err != nil:
		// Said whole, wrapped (at most four lines), not cut at the edge.
		for _, l := range wrapLines(f.message(), c.width, 4) {
			out = append(out, s.err.Render(l))
		}
	}
	for i, l := range out {
		out[i] = ansi.Truncate(l, c.width, "…")
	}
	return out
}

// resize fits the editors to the window.
func (f *form) resize(c *common) {
	w := max(10, c.width-f.labelWidth()-4)
	for _, x := range f.fields {
		switch x.kind {
		case fieldText:
			x.input.SetWidth(w)
		case fieldArea:
			x.area.SetWidth(max(10, c.width-6))
			if x.enterSaves {
				x.area.SetWidth(w)
			}
		}
	}
}

// viewIn is view cut to rows lines, the focused field kept in sight.
func (f *form) viewIn(c *common, rows int) []string {
	lines := f.view(c)
	if rows <= 0 || len(lines) <= rows {
		return lines
	}
	// Where the focused field starts: count the lines before it.
	at := len(f.titleLines(c))
	for i := 0; i < f.focus; i++ {
		at++
		if x := f.fields[i]; x.kind == fieldArea {
			at += len(splitLines(x.area.View()))
			if x.enterSaves {
				at--
			}
		}
	}
	start := max(0, min(at-1, len(lines)-rows))
	out := lines[start : start+rows]
	// The refusal or the question stays in view: it is the last lines.
	if tail := f.messageLines(c); tail > 0 && start+rows < len(lines) {
		tail = min(tail, rows)
		out = append(out[:rows-tail:rows-tail], lines[len(lines)-tail:]...)
	}
	return out
}

// titleLines is the title, wrapped: at most two lines.
func (f *form) titleLines(c *common) []string {
	if f.title == "" {
		return nil
	}
	return wrapLines(f.title, c.width, 2)
}

// messageLines is how many lines the refusal or question takes at the
// form's end.
func (f *form) messageLines(c *common) int {
	switch {
	case f.asking:
		return 1
	case f.err != nil:
		return len(wrapLines(f.message(), c.width, 4))
	}
	return 0
}

// message is the refusal, or the question a submit raised.
func (f *form) message() string {
	var ask askError
	if errors.As(f.err, &ask) {
		return safe("? " + ask.Error())
	}
	if msg := f.err.Error(); strings.Contains(msg, "NOT saved") {
		return safe(msg) // a failed save says so itself
	}
	return safe("not saved: " + f.err.Error())
}
