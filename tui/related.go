package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// relatedPicker links the incident to others, picked from a list by
// title: type to narrow it, enter links or unlinks, esc closes.
type relatedPicker struct {
	c      *common
	in     *incident.Incident
	filter textinput.Model
	list   []incident.Incident
	// query is what list was read for; an Enter typed before the list of
	// what is typed now has come waits for it (enterPending).
	query        string
	enterPending bool
	cursor       int
	err          error
}

type (
	relatedListMsg struct {
		query string
		list  []incident.Incident
		err   error
	}
	relatedToggledMsg struct {
		in  *incident.Incident
		err error
	}
)

func newRelatedPicker(c *common, in *incident.Incident) *relatedPicker {
	f := textinput.New()
	f.Prompt = "find: "
	f.Placeholder = "title, service, status or severity"
	f.Focus()
	return &relatedPicker{c: c, in: in, filter: f, query: "\x00"} // no list read yet
}

// load reads the incidents the typed text keeps, newest first.
func (p *relatedPicker) load() tea.Cmd {
	c, q := p.c, strings.TrimSpace(p.filter.Value())
	return func() tea.Msg {
		list, err := c.store.Incidents(c.ctx, incident.ListFilter{Query: q, Limit: 50})
		return relatedListMsg{query: q, list: list, err: err}
	}
}

func (p *relatedPicker) update(msg tea.Msg) (*relatedPicker, tea.Cmd) {
	switch msg := msg.(type) {
	case relatedListMsg:
		if msg.query != strings.TrimSpace(p.filter.Value()) {
			return p, nil // an older read
		}
		p.err, p.list, p.query = msg.err, msg.list[:0:0], msg.query
		for _, in := range msg.list {
			if in.ID != p.in.ID {
				p.list = append(p.list, in)
			}
		}
		p.cursor = min(p.cursor, max(0, len(p.list)-1))
		if p.enterPending {
			p.enterPending = false
			if p.cursor < len(p.list) {
				return p, p.toggle(p.list[p.cursor].ID)
			}
		}
		return p, nil
	case relatedToggledMsg:
		if msg.err != nil {
			p.err = msg.err
			return p, nil
		}
		p.in = msg.in
		return p, nil
	case tea.KeyPressMsg:
		switch msg.String() {
		case "esc":
			return nil, nil
		case "up":
			p.cursor = max(0, p.cursor-1)
			return p, nil
		case "down":
			p.cursor = min(max(0, len(p.list)-1), p.cursor+1)
			return p, nil
		case "enter":
			if p.query != strings.TrimSpace(p.filter.Value()) {
				p.enterPending = true // the list of what is typed is on its way
				return p, nil
			}
			if p.cursor < len(p.list) {
				return p, p.toggle(p.list[p.cursor].ID)
			}
			return p, nil
		}
	}
	before := p.filter.Value()
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	if p.filter.Value() != before {
		p.cursor = 0
		return p, tea.Batch(cmd, p.load())
	}
	return p, cmd
}

// toggle links the incident to id, or unlinks it; the store writes it.
func (p *relatedPicker) toggle(id int64) tea.Cmd {
	c, self := p.c, p.in.ID
	return func() tea.Msg {
		in, err := c.store.UpdateIncident(c.ctx, self, func(in *incident.Incident) error {
			if i := slices.Index(in.Related, id); i >= 0 {
				in.Related = slices.Delete(in.Related, i, i+1)
			} else {
				in.Related = append(in.Related, id)
			}
			return nil
		})
		return relatedToggledMsg{in: in, err: err}
	}
}

func (p *relatedPicker) keys() bindings {
	k := p.c.keys
	return bindings{short: []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "link / unlink")), k.Up, k.Down,
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done")),
	}}
}

func (p *relatedPicker) view(rows int) []string {
	c, s := p.c, p.c.styles
	out := []string{s.header.Render(fmt.Sprintf("Related incidents of #%d", p.in.ID)), p.filter.View()}
	if p.err != nil {
		out = append(out, s.err.Render(cell(p.err.Error(), c.width)))
	}
	if len(p.list) == 0 {
		out = append(out, s.subtle.Render("no other incident matches"))
	}
	shown := max(1, rows-len(out))
	start := max(0, min(p.cursor-shown+1, len(p.list)-shown))
	for i := start; i < len(p.list) && i < start+shown; i++ {
		in := p.list[i]
		mark := "[ ] "
		if slices.Contains(p.in.Related, in.ID) {
			mark = "[x] "
		}
		line := cell(mark+fmt.Sprintf("#%d", in.ID), 10) + " " + cell(c.stamp(in.StartedAt, "2006-01-02 15:04"), 16) + " " +
			cell(string(in.Status), 9) + " " + cell(safe(in.Title), max(10, c.width-39))
		if i == p.cursor {
			line = s.selected.Render(ansi.Strip(line))
		}
		out = append(out, line)
	}
	return out
}
