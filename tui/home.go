package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
)

// homeScreen lists incidents, open ones first, and the nearest deadlines.
type homeScreen struct {
	c         *common
	all       []incident.Incident
	shown     []incident.Incident
	dues      []incident.Due
	cursor    int
	offset    int
	filtering bool
	filter    textinput.Model
	showHelp  bool
	err       error
	loaded    bool
}

// incidentsLoadedMsg carries the home screen's data.
type incidentsLoadedMsg struct {
	list []incident.Incident
	dues []incident.Due
	err  error
}

func newHome(c *common) *homeScreen {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = "title or service"
	return &homeScreen{c: c, filter: f}
}

// load reads the incidents and open deadlines.
func (h *homeScreen) load() tea.Cmd {
	c := h.c
	return func() tea.Msg {
		ctx := c.ctx
		list, err := c.store.Incidents(ctx, incident.ListFilter{OpenFirst: true})
		if err != nil {
			return incidentsLoadedMsg{err: err}
		}
		var dues []incident.Due
		if c.regimes != nil {
			if dues, err = c.store.OpenDues(ctx, c.regimes, c.now(), c.loc); err != nil {
				return incidentsLoadedMsg{err: err}
			}
		}
		return incidentsLoadedMsg{list: list, dues: dues}
	}
}

func (h *homeScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(h.filter.Value()))
	h.shown = h.shown[:0]
	for _, in := range h.all {
		if q == "" || strings.Contains(strings.ToLower(in.Title), q) ||
			strings.Contains(strings.ToLower(strings.Join(in.Services, " ")), q) {
			h.shown = append(h.shown, in)
		}
	}
	h.cursor = min(h.cursor, max(0, len(h.shown)-1))
}

func (h *homeScreen) Update(msg tea.Msg) (*homeScreen, tea.Cmd) {
	k := h.c.keys
	switch msg := msg.(type) {
	case incidentsLoadedMsg:
		h.err, h.loaded = msg.err, true
		if msg.err == nil {
			h.all, h.dues = msg.list, msg.dues
			h.shown = make([]incident.Incident, 0, len(h.all))
			h.applyFilter()
		}
		return h, nil
	case tea.KeyPressMsg:
		if h.filtering {
			switch msg.String() {
			case "esc":
				h.filtering = false
				h.filter.Blur()
				h.filter.SetValue("")
				h.applyFilter()
				return h, nil
			case "enter":
				h.filtering = false
				h.filter.Blur()
				return h, nil
			}
			var cmd tea.Cmd
			h.filter, cmd = h.filter.Update(msg)
			h.applyFilter()
			return h, cmd
		}
		switch {
		case key.Matches(msg, k.Quit):
			return h, quit
		case key.Matches(msg, k.Help):
			h.showHelp = !h.showHelp
		case key.Matches(msg, k.Up):
			h.cursor = max(0, h.cursor-1)
		case key.Matches(msg, k.Down):
			h.cursor = min(max(0, len(h.shown)-1), h.cursor+1)
		case key.Matches(msg, k.Top):
			h.cursor = 0
		case key.Matches(msg, k.Bottom):
			h.cursor = max(0, len(h.shown)-1)
		case key.Matches(msg, k.New):
			return h, func() tea.Msg { return openDeclareMsg{} }
		case key.Matches(msg, k.Filter):
			h.filtering = true
			return h, h.filter.Focus()
		case key.Matches(msg, k.Open):
			if h.cursor < len(h.shown) {
				id := h.shown[h.cursor].ID
				return h, func() tea.Msg { return openIncidentMsg{id} }
			}
		case key.Matches(msg, k.Back) && h.filter.Value() != "":
			h.filter.SetValue("")
			h.applyFilter()
		}
	}
	return h, nil
}

func (h *homeScreen) keys() bindings {
	k := h.c.keys
	return bindings{
		short: []key.Binding{k.New, k.Open, k.Filter, k.Help, k.Quit},
		full:  []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.New, k.Open, k.Filter, k.Back, k.Help, k.Quit},
	}
}

// duesPanel is the few nearest deadlines, overdue ones marked.
func (h *homeScreen) duesPanel(rows int) []string {
	if len(h.dues) == 0 || rows <= 1 {
		return nil
	}
	s := h.c.styles
	lines := []string{s.header.Render("Nearest deadlines")}
	for _, d := range h.dues[:min(len(h.dues), rows-1)] {
		left := fmt.Sprintf("%dd", d.DaysLeft)
		st := s.subtle
		if d.Overdue {
			left, st = "OVERDUE", s.err
		} else if d.DaysLeft <= 7 {
			st = s.warn
		}
		where := ""
		switch {
		case d.ActionID != 0:
			where = fmt.Sprintf("action %d", d.ActionID)
		case d.IncidentID != 0:
			where = fmt.Sprintf("order %d #%d", d.OrderID, d.IncidentID)
		default:
			where = fmt.Sprintf("order %d", d.OrderID)
		}
		lines = append(lines, cell(d.DueDate.String()+" "+st.Render(cell(left, 8))+cell(where, 16)+safe(d.Text), h.c.width))
	}
	return lines
}

func (h *homeScreen) View() string {
	c, s := h.c, h.c.styles
	var out []string
	title := s.title.Render("postmortem") + s.subtle.Render("  loading…")
	if h.loaded {
		title = s.title.Render("postmortem") + s.subtle.Render(fmt.Sprintf("  %d incidents, %d open", len(h.all), countOpen(h.all)))
	}
	out = append(out, title, "")
	if h.err != nil {
		out = append(out, s.err.Render("could not read the database: "+h.err.Error()))
	}
	helpLines := splitLines(c.helpView(h.keys(), h.showHelp))
	dues := h.duesPanel(5)
	listRows := c.height - len(out) - len(helpLines) - len(dues) - 3
	if h.filtering || h.filter.Value() != "" {
		out = append(out, h.filter.View())
		listRows--
	}
	cols := h.columns()
	titleW := c.width
	for _, col := range cols {
		titleW -= col.w
	}
	head := ""
	for _, col := range cols {
		head += cell(col.name, col.w)
	}
	out = append(out, s.header.Render(head+cell("TITLE", titleW)))
	switch {
	case len(h.shown) == 0 && len(h.all) == 0:
		out = append(out, "", "No incidents yet. Press n to declare one.")
	case len(h.shown) == 0:
		out = append(out, s.subtle.Render("nothing matches the filter"))
	}
	listRows = max(1, listRows)
	if h.cursor < h.offset {
		h.offset = h.cursor
	}
	if h.cursor >= h.offset+listRows {
		h.offset = h.cursor - listRows + 1
	}
	now := c.now()
	for i := h.offset; i < len(h.shown) && i < h.offset+listRows; i++ {
		in := &h.shown[i]
		row := ""
		for _, col := range cols {
			row += col.render(in, now, col.w)
		}
		row += cell(safe(in.Title), titleW)
		if i == h.cursor {
			row = s.selected.Render(ansi.Strip(row))
		}
		out = append(out, row)
	}
	body := fitHeight(strings.Join(out, "\n"), c.height-len(helpLines)-len(dues)-1)
	parts := []string{body}
	if len(dues) > 0 {
		parts = append(parts, strings.Join(dues, "\n"))
	}
	parts = append(parts, "", strings.Join(helpLines, "\n"))
	return strings.Join(parts, "\n")
}

func countOpen(list []incident.Incident) int {
	n := 0
	for i := range list {
		if list[i].Open() {
			n++
		}
	}
	return n
}

// column is one column of the incident list.
type column struct {
	name   string
	w      int
	render func(in *incident.Incident, now time.Time, w int) string
}

// columns are the list's columns for the window's width: narrow windows
// drop the services, then the elapsed time, and keep at least 20 columns
// for the title.
func (h *homeScreen) columns() []column {
	c, s := h.c, h.c.styles
	started := func(layout string) func(*incident.Incident, time.Time, int) string {
		return func(in *incident.Incident, _ time.Time, w int) string { return cell(c.stamp(in.StartedAt, layout), w) }
	}
	cols := []column{
		{"ID", 5, func(in *incident.Incident, _ time.Time, w int) string { return cell(fmt.Sprint(in.ID), w) }},
		{"STATUS", 10, func(in *incident.Incident, _ time.Time, w int) string { return cell(string(in.Status), w) }},
		{"SEV", 5, func(in *incident.Incident, _ time.Time, w int) string {
			return s.sev[string(in.Severity)].Render(cell(string(in.Severity), w))
		}},
		{"STARTED", 17, started("2006-01-02 15:04")},
		{"ELAPSED", 9, func(in *incident.Incident, now time.Time, w int) string {
			if in.StartedAt == nil {
				return cell("—", w)
			}
			return cell(clockDur(in.Elapsed(now)), w)
		}},
		{"SERVICES", 14, func(in *incident.Incident, _ time.Time, w int) string {
			return cell(safe(strings.Join(in.Services, ",")), w)
		}},
	}
	width := func() int {
		n := 0
		for _, col := range cols {
			n += col.w
		}
		return n
	}
	if width()+20 > c.width {
		cols = cols[:5] // no services
	}
	if width()+20 > c.width {
		cols = cols[:4] // no elapsed
	}
	if width()+20 > c.width {
		cols[3] = column{"STARTED", 12, started("01-02 15:04")}
	}
	return cols
}
