package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/postmortem/postmortem/incident"
)

// eventDetail is one event shown whole: its text wrapped, who wrote it
// and when it was typed in, its retraction, and every change to it from
// the history (the wording it had before an edit).
type eventDetail struct {
	ev      incident.Event
	changes []incident.Change
	err     error
	offset  int
}

// eventHistoryMsg carries the history of one event.
type eventHistoryMsg struct {
	id      int64
	changes []incident.Change
	err     error
}

// openDetail shows ev whole and reads its history.
func (l *liveScreen) openDetail(ev incident.Event) tea.Cmd {
	l.detail = &eventDetail{ev: ev}
	c, id := l.c, l.id
	return func() tea.Msg {
		all, err := c.store.History(c.ctx, id)
		var mine []incident.Change
		for _, ch := range all {
			if ch.Entity == "event" && ch.RecordID == ev.ID {
				mine = append(mine, ch)
			}
		}
		return eventHistoryMsg{id: ev.ID, changes: mine, err: err}
	}
}

// lines is the detail as it is drawn, in width columns.
func (d *eventDetail) lines(c *common) []string {
	s, ev := c.styles, d.ev
	kind := string(ev.Kind)
	if ev.Notice != "" {
		kind += ", notice to " + string(ev.Notice)
	}
	out := []string{
		s.header.Render(fmt.Sprintf("Event #%d", ev.ID)) + "  " + s.label.Render(kind),
		s.label.Render("at ") + ev.At.In(c.loc).Format("2006-01-02 (Mon) 15:04:05 MST"),
		s.label.Render("by ") + safe(ev.Author) + s.label.Render("  typed in ") + ev.RecordedAt.In(c.loc).Format("2006-01-02 15:04:05"),
	}
	if ev.Retracted() {
		out = append(out, s.err.Render("RETRACTED "+c.when(*ev.RetractedAt, "15:04:05")))
		for _, l := range wrap(safeLines(ev.RetractReason), c.width-2) {
			out = append(out, "  "+s.err.Render(l))
		}
	}
	out = append(out, "")
	out = append(out, wrap(safeLines(ev.Text), c.width)...)
	switch {
	case d.err != nil:
		out = append(out, "", s.err.Render("history: "+d.err.Error()))
	case d.changes == nil:
		out = append(out, "", s.subtle.Render("reading its history…"))
	case len(d.changes) > 1:
		out = append(out, "", s.label.Render("History"))
		for _, ch := range d.changes[1:] { // the first is its creation, shown above
			head := fmt.Sprintf("%s %s changed %s", c.when(ch.Time(), "15:04:05"), safe(ch.Author), ch.Field)
			if ch.Reason != "" {
				head += " (" + safe(ch.Reason) + ")"
			}
			out = append(out, s.subtle.Render(cell(head, c.width)))
			for _, l := range wrap("was: "+safeLines(deref(ch.Old)), c.width-2) {
				out = append(out, "  "+l)
			}
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return "(empty)"
	}
	return *s
}

// detailKeys are the keys of the detail.
func (l *liveScreen) detailKeys() bindings {
	k := l.c.keys
	back := key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "back"))
	prev := key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous event"))
	next := key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next event"))
	scroll := key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("pgdn/pgup", "scroll"))
	return bindings{short: []key.Binding{back, prev, next, scroll, k.Edit, k.Retract}}
}

// detailKey handles a key while the detail is open: the arrows go to the
// event before or after (the timeline's cursor with them), the page keys
// scroll a long one.
func (l *liveScreen) detailKey(msg tea.KeyPressMsg) (*liveScreen, tea.Cmd) {
	k, d := l.c.keys, l.detail
	step := func(by int) tea.Cmd {
		i := l.cursor + by
		for i >= 0 && i < len(l.rows) && l.rows[i].saving {
			i += by
		}
		if i < 0 || i >= len(l.rows) {
			return nil
		}
		l.cursor, l.follow = i, i == len(l.rows)-1
		l.scroll()
		return l.openDetail(l.rows[i].ev)
	}
	page := max(1, l.c.height-12)
	switch {
	case msg.String() == "esc", msg.String() == "enter", key.Matches(msg, k.Quit):
		l.detail = nil
	case key.Matches(msg, k.Up):
		return l, step(-1)
	case key.Matches(msg, k.Down):
		return l, step(1)
	case msg.String() == "pgdown", msg.String() == "space", msg.String() == " ":
		d.offset = min(d.offset+page, max(0, len(d.lines(l.c))-1))
	case msg.String() == "pgup":
		d.offset = max(0, d.offset-page)
	case key.Matches(msg, k.Edit), key.Matches(msg, k.Retract):
		l.detail = nil
		return l.key(msg)
	}
	return l, nil
}

// detailView draws the detail in rows lines from its offset, saying
// where it is when it runs longer than the screen.
func (l *liveScreen) detailView(rows int) []string {
	lines := l.detail.lines(l.c)
	if len(lines) <= rows {
		return lines
	}
	from := min(l.detail.offset, max(0, len(lines)-rows+1))
	shown := lines[from:min(len(lines), from+rows-1)]
	where := fmt.Sprintf("lines %d–%d of %d · pgdn/pgup scroll", from+1, from+len(shown), len(lines))
	return append(shown, l.c.styles.subtle.Render(cell(where, l.c.width)))
}

// search is the timeline's search: / and the words, n and N to the next
// and previous event holding them (text, author or kind, any case).
type search struct {
	input  textinput.Model
	typing bool
}

func newSearch() *search {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "words in the timeline"
	in.Focus()
	return &search{input: in, typing: true}
}

// matches reports whether row r holds the query.
func (q *search) matches(r row) bool {
	v := strings.ToLower(strings.TrimSpace(q.input.Value()))
	if v == "" {
		return false
	}
	e := r.ev
	return strings.Contains(strings.ToLower(e.Text+"\x00"+e.Author+"\x00"+string(e.Kind)+"\x00"+e.RetractReason), v)
}

// find moves the cursor to the next event that matches, from the one
// after from in the direction step (from itself when same), wrapping.
func (l *liveScreen) find(from, step int, same bool) {
	n := len(l.rows)
	if n == 0 || l.search == nil {
		return
	}
	start := from + step
	if same {
		start = from
	}
	for i := 0; i < n; i++ {
		j := ((start+i*step)%n + n) % n
		if l.search.matches(l.rows[j]) {
			l.cursor, l.follow = j, j == n-1
			return
		}
	}
}

// searchLine says what the search found.
func (l *liveScreen) searchLine() string {
	s, q := l.c.styles, l.search
	count, at := 0, 0
	for i, r := range l.rows {
		if q.matches(r) {
			count++
			if i == l.cursor {
				at = count
			}
		}
	}
	if q.typing {
		return q.input.View()
	}
	switch {
	case strings.TrimSpace(q.input.Value()) == "":
		return ""
	case count == 0:
		return s.err.Render(cell(fmt.Sprintf("/%s: nothing on the timeline holds it", safe(q.input.Value())), l.c.width))
	}
	return s.subtle.Render(cell(fmt.Sprintf("/%s: %d of %d · n next · N previous · esc clears", safe(q.input.Value()), at, count), l.c.width))
}

// searchKey handles a key while the search is being typed.
func (l *liveScreen) searchKey(msg tea.KeyPressMsg) (*liveScreen, tea.Cmd) {
	q := l.search
	switch msg.String() {
	case "esc":
		l.search = nil
		return l, nil
	case "enter":
		q.typing = false
		q.input.Blur()
		return l, nil
	}
	var cmd tea.Cmd
	q.input, cmd = q.input.Update(msg)
	l.find(0, 1, true)
	l.scroll()
	return l, cmd
}
