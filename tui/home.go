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
	rows      []incident.Incident
	dues      []incident.Due
	cursor    int
	offset    int
	filtering bool
	filter    textinput.Model
	showHelp  bool
	err       error
	note      string // a refusal to say, until the next key
	loaded    bool
	// total and open count every incident the filter keeps; rows holds
	// the pages read so far (the list reads what the screen shows, a page
	// at a time, however many incidents there are).
	total, open int
	query       string
	more        bool // a next page is being read
	// selectID, when set, is the incident the next refresh selects (the
	// one the user comes back from).
	selectID int64
}

// homePage is how many incidents the home screen reads at a time.
const homePage = 200

// incidentsLoadedMsg carries the home screen's data.
type incidentsLoadedMsg struct {
	list        []incident.Incident
	dues        []incident.Due
	total, open int
	query       string
	offset      int  // where list starts: 0 for a fresh load, else a next page
	duesRead    bool // dues were read (they do not follow the filter)
	keep        bool // a refresh: the selected incident stays selected
	err         error
}

func newHome(c *common) *homeScreen {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = "title, service, status or severity"
	return &homeScreen{c: c, filter: f}
}

// load reads the first page of incidents the filter keeps, their counts,
// and (when asked) the open deadlines, in one read.
func (h *homeScreen) load() tea.Cmd { return h.read(true, false) }

// refresh reads the list again after a change by anyone, as far as it was
// read, keeping the incident under the cursor under it.
func (h *homeScreen) refresh() tea.Cmd {
	if !h.loaded {
		return nil
	}
	return h.read(true, true)
}

// read reads the first page the filter keeps, and the dues when asked;
// keep reads as many as the screen holds and keeps the selection.
func (h *homeScreen) read(withDues, keep bool) tea.Cmd {
	c, q, n := h.c, strings.TrimSpace(h.filter.Value()), homePage
	if keep {
		n = max(homePage, len(h.rows))
	}
	return func() tea.Msg {
		dues := 0
		if withDues {
			dues = 10
		}
		v, err := c.store.Overview(c.ctx, incident.ListFilter{OpenFirst: true, Query: q, Limit: n}, c.regimes, c.now(), c.loc, dues)
		if err != nil {
			return incidentsLoadedMsg{err: err}
		}
		return incidentsLoadedMsg{list: v.Incidents, total: v.Total, open: v.Open, dues: v.Dues, duesRead: withDues, query: q, keep: keep}
	}
}

// loadMore reads the next page when the cursor nears the end of those read.
func (h *homeScreen) loadMore() tea.Cmd {
	if h.more || len(h.rows) >= h.total || h.cursor < len(h.rows)-20 {
		return nil
	}
	h.more = true
	c, q, offset := h.c, h.query, len(h.rows)
	return func() tea.Msg {
		list, err := c.store.Incidents(c.ctx, incident.ListFilter{OpenFirst: true, Query: q, Limit: homePage, Offset: offset})
		return incidentsLoadedMsg{list: list, query: q, offset: offset, err: err, total: -1}
	}
}

// applyFilter reads the list again for what is typed in the filter: title
// or service, or a status or severity (/open, /SEV1).
func (h *homeScreen) applyFilter() tea.Cmd {
	h.cursor, h.offset = 0, 0
	return h.read(false, false)
}

// listRows is how many incidents the list shows, with the rest of the
// screen around it.
func (h *homeScreen) listRows() int {
	n := h.c.height - 2 - len(splitLines(h.c.helpView(h.keys(), h.showHelp))) - len(h.duesPanel(5)) - 3
	if h.err != nil {
		n--
	}
	if h.filtering || h.filter.Value() != "" {
		n--
	}
	return max(1, n)
}

// visibleFrom is the first row to show so that cursor is in view, moving
// as little as it can from offset.
func visibleFrom(cursor, offset, rows int) int {
	if cursor < offset {
		return cursor
	}
	if cursor >= offset+rows {
		return cursor - rows + 1
	}
	return offset
}

func (h *homeScreen) Update(msg tea.Msg) (*homeScreen, tea.Cmd) {
	defer func() { h.offset = visibleFrom(h.cursor, h.offset, h.listRows()) }()
	k := h.c.keys
	switch msg := msg.(type) {
	case incidentsLoadedMsg:
		h.err, h.loaded = msg.err, true
		if msg.offset > 0 {
			h.more = false
			if msg.err == nil && msg.query == h.query && msg.offset == len(h.rows) {
				h.rows = append(h.rows, msg.list...)
			}
			return h, nil
		}
		if msg.err == nil && msg.query == strings.TrimSpace(h.filter.Value()) {
			var selected int64
			if msg.keep && h.cursor < len(h.rows) {
				selected = h.rows[h.cursor].ID
			}
			if msg.keep && h.selectID != 0 {
				selected, h.selectID = h.selectID, 0
			}
			h.rows = msg.list
			for i, in := range h.rows {
				if selected != 0 && in.ID == selected {
					h.cursor = i
				}
			}
			if msg.duesRead {
				h.dues = msg.dues
			}
			h.total, h.open, h.query = msg.total, msg.open, msg.query
			h.cursor = min(h.cursor, max(0, len(h.rows)-1))
		}
		return h, nil
	case tea.KeyPressMsg:
		h.note = ""
		if h.filtering {
			switch msg.String() {
			case "esc":
				h.filtering = false
				h.filter.Blur()
				h.filter.SetValue("")
				return h, h.applyFilter()
			case "enter":
				h.filtering = false
				h.filter.Blur()
				return h, nil
			}
			var cmd tea.Cmd
			before := h.filter.Value()
			h.filter, cmd = h.filter.Update(msg)
			if h.filter.Value() != before {
				return h, tea.Batch(cmd, h.applyFilter())
			}
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
			h.cursor = min(max(0, len(h.rows)-1), h.cursor+1)
			return h, h.loadMore()
		case key.Matches(msg, k.Top):
			h.cursor = 0
		case key.Matches(msg, k.Bottom):
			h.cursor = max(0, len(h.rows)-1)
			return h, h.loadMore()
		case key.Matches(msg, k.New):
			return h, h.c.navigate(openDeclareMsg{})
		case key.Matches(msg, k.Filter):
			h.filtering = true
			return h, h.filter.Focus()
		case key.Matches(msg, k.Open):
			if h.cursor < len(h.rows) {
				id := h.rows[h.cursor].ID
				return h, h.c.navigate(openIncidentMsg{id})
			}
		case key.Matches(msg, k.Back) && h.showHelp:
			h.showHelp = false
		case key.Matches(msg, k.Back) && h.filter.Value() != "":
			h.filter.SetValue("")
			return h, h.applyFilter()
		}
	}
	return h, nil
}

func (h *homeScreen) keys() bindings {
	k := h.c.keys
	return bindings{
		short: []key.Binding{k.New, k.Open, k.Filter, k.Quit},
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
		case d.Regime != "":
			where = fmt.Sprintf("#%d duty", d.IncidentID)
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
		title = s.title.Render("postmortem") + s.subtle.Render(fmt.Sprintf("  %d %s, %d open", h.total, plural(h.total, "incident", "incidents"), h.open))
	}
	out = append(out, title, "")
	switch {
	case h.note != "":
		out = append(out, s.err.Render(cell(h.note, c.width)))
	case h.err != nil:
		out = append(out, s.err.Render("could not read the database: "+h.err.Error()))
	}
	helpLines := splitLines(c.helpView(h.keys(), h.showHelp))
	dues := h.duesPanel(5)
	listRows := h.listRows()
	if h.filtering || h.filter.Value() != "" {
		out = append(out, h.filter.View())
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
	case len(h.rows) == 0 && h.query == "":
		out = append(out, "", "No incidents yet. Press n to declare one.")
	case len(h.rows) == 0:
		out = append(out, s.subtle.Render("nothing matches the filter"))
	}
	listRows = max(1, listRows)
	offset := visibleFrom(h.cursor, h.offset, listRows)
	now := c.now()
	for i := offset; i < len(h.rows) && i < offset+listRows; i++ {
		in := &h.rows[i]
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

// column is one column of the incident list.
type column struct {
	name   string
	w      int
	render func(in *incident.Incident, now time.Time, w int) string
}

// columns are the list's columns for the window's width: narrow windows
// drop the services, then the elapsed time, and keep at least 20 columns
// for the title.
// idWidth fits the widest id read so far, and a gap.
func idWidth(list []incident.Incident) int {
	var most int64
	for i := range list {
		most = max(most, list[i].ID)
	}
	return max(5, len(fmt.Sprint(most))+1)
}

func (h *homeScreen) columns() []column {
	c, s := h.c, h.c.styles
	started := func(layout string) func(*incident.Incident, time.Time, int) string {
		return func(in *incident.Incident, _ time.Time, w int) string { return cell(c.stamp(in.StartedAt, layout), w) }
	}
	cols := []column{
		// Columns never touch: each cell leaves its last column blank.
		{"ID", idWidth(h.rows), func(in *incident.Incident, _ time.Time, w int) string { return cell(fmt.Sprint(in.ID), w-1) + " " }},
		{"STATUS", 10, func(in *incident.Incident, _ time.Time, w int) string { return cell(in.Shown(), w) }},
		{"SEV", 5, func(in *incident.Incident, _ time.Time, w int) string {
			return s.sev[string(in.Severity)].Render(cell(string(in.Severity), w))
		}},
		{"STARTED", 17, started("2006-01-02 15:04")},
		{"ELAPSED", 12, func(in *incident.Incident, now time.Time, w int) string {
			if in.StartedAt == nil {
				return cell("—", w)
			}
			return cell(longDur(in.Elapsed(now)), w-1) + " "
		}},
		{"SERVICES", 14, func(in *incident.Incident, _ time.Time, w int) string {
			return cell(safe(strings.Join(in.Services, ",")), w-1) + " "
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
