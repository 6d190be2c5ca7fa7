// Package tui is the terminal UI over the incident package: a root model
// that switches between screens (home, declare, live, postmortem, export).
// Every read and write of the store runs in a tea.Cmd that returns a typed
// message, so the screen never waits on the disk.
package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// Config is what the UI needs from its caller.
type Config struct {
	Store   *incident.Store
	Regimes *incident.Regimes
	Zone    *time.Location
	Now     func() time.Time
	Author  string
	// ExportDir is where exported reports are written (default: the
	// working folder).
	ExportDir string
	// Context is the program's: every store call takes it (default:
	// context.Background()).
	Context context.Context
	// Cadence overrides how often stakeholders are to hear from an
	// incident, by severity (default: incident.UpdateCadence).
	Cadence map[incident.Severity]time.Duration
	// Viewer is a session whose key is read-only: every screen is there
	// to look at, search and export, and nothing that would change the
	// record opens (the store refuses it too).
	Viewer bool
	// Fetch, when set, is a session served over SSH: an export is a file
	// name inside ExportDir (no folder of the client's choosing on the
	// server's disk), and the screen says how to fetch it with Fetch, a
	// format taking the name ("scp -O -P 2222 host:%s .").
	Fetch string
}

// common is shared by every screen: size, looks, keys, the store, the
// clock.
type common struct {
	ctx           context.Context
	width, height int
	styles        styles
	keys          keyMap
	help          help.Model
	store         *incident.Store
	regimes       *incident.Regimes
	loc           *time.Location
	now           func() time.Time
	author        string
	exportDir     string
	fetch         string // Config.Fetch
	viewer        bool   // Config.Viewer
	cadences      map[incident.Severity]time.Duration
	newRenderer   func(lang string) (*report.Renderer, error)
	// nav is a move to another screen asked for by the screen handling a
	// key; the root makes it before the next key, never through a command.
	nav tea.Msg
	// feed tells of changes committed by anyone (another terminal, the
	// command line); nil when it could not start, and screens then look
	// again every few seconds.
	feed <-chan incident.Touched
}

// touchedMsg is a change committed to the record, by anyone.
type touchedMsg incident.Touched

// listen waits for the next change the feed tells of.
func (c *common) listen() tea.Cmd {
	feed := c.feed
	if feed == nil {
		return nil
	}
	return func() tea.Msg {
		t, ok := <-feed
		if !ok {
			return nil
		}
		return touchedMsg(t)
	}
}

// navigate asks the root to move to another screen at once: a key typed
// right after Enter reaches the screen Enter opened.
func (c *common) navigate(msg tea.Msg) tea.Cmd {
	c.nav = msg
	return nil
}

type screen int

const (
	screenHome screen = iota
	screenDeclare
	screenLive
	screenPostmortem
	screenExport
)

// Messages that move between screens.
type (
	openIncidentMsg   struct{ id int64 }
	openDeclareMsg    struct{}
	openPostmortemMsg struct{ id int64 }
	openExportMsg     struct{ id int64 }
	backMsg           struct{ to screen }
	tickMsg           time.Time
)

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Model is the root of the UI.
type Model struct {
	c          *common
	screen     screen
	home       *homeScreen
	declare    *declareScreen
	live       *liveScreen
	postmortem *postmortemScreen
	export     *exportScreen
	// confirmQuit is set while "quit with unsaved text?" is asked.
	confirmQuit bool
	// queue holds the keys typed (and text pasted) while a screen is busy
	// (declaring, loading): they are handed over, in order, once it is
	// ready.
	queue []tea.Msg
}

// New builds the UI on the given store.
func New(cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Zone == nil {
		cfg.Zone = time.Local
	}
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Store != nil {
		cfg.Store = cfg.Store.As(cfg.Author, "")
	}
	c := &common{
		ctx: cfg.Context, width: 80, height: 24, styles: newStyles(), keys: newKeyMap(), help: help.New(),
		store: cfg.Store, regimes: cfg.Regimes, loc: cfg.Zone, now: cfg.Now, author: cfg.Author, exportDir: cfg.ExportDir, fetch: cfg.Fetch, viewer: cfg.Viewer,
		cadences: cfg.Cadence,
	}
	c.newRenderer = func(lang string) (*report.Renderer, error) {
		return report.New(report.WithLang(lang), report.WithZone(c.loc), report.WithDate(c.now()))
	}
	return &Model{c: c, screen: screenHome, home: newHome(c)}
}

// Init loads the home screen, starts the clock, and listens for changes
// made by others, so every screen is current within a second.
func (m *Model) Init() tea.Cmd {
	if m.c.store != nil {
		if feed, err := m.c.store.Changes(m.c.ctx); err == nil {
			m.c.feed = feed
		}
	}
	return tea.Batch(m.home.load(), tick(), m.c.listen())
}

// dirty reports whether any screen holds text not yet saved.
func (m *Model) dirty() bool {
	switch m.screen {
	case screenDeclare:
		return m.declare != nil && m.declare.dirty()
	case screenLive:
		return m.live != nil && m.live.dirty()
	case screenPostmortem:
		return m.postmortem != nil && m.postmortem.dirty()
	}
	return false
}

// busy reports whether the current screen is waiting on the store before
// it can take keys: keys typed meanwhile wait for it.
func (m *Model) busy() bool {
	switch m.screen {
	case screenHome:
		return m.home != nil && !m.home.loaded && m.home.err == nil
	case screenDeclare:
		return m.declare != nil && m.declare.busy
	case screenLive:
		return m.live != nil && m.live.busy()
	case screenPostmortem:
		return m.postmortem != nil && m.postmortem.busy()
	case screenExport:
		return m.export != nil && m.export.busy
	}
	return false
}

// Update routes a message, makes the screen moves it asked for, and hands
// over the keys that waited while a screen was busy.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Mod == tea.ModAlt {
		// Esc and a key typed right after it reach a program as one
		// alt+key (the terminal's meta prefix). Nothing here is bound to
		// alt: it was Esc, then the key.
		_, c1 := m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
		k.Mod = 0
		_, c2 := m.Update(k)
		return m, tea.Batch(c1, c2)
	}
	if typed(msg) && !m.confirmQuit && (m.busy() || len(m.queue) > 0) {
		m.queue = append(m.queue, msg)
		return m, nil
	}
	cmds := []tea.Cmd{m.update(msg)}
	for m.c.nav != nil {
		nav := m.c.nav
		m.c.nav = nil
		cmds = append(cmds, m.update(nav))
	}
	for len(m.queue) > 0 && !m.busy() {
		k := m.queue[0]
		m.queue = m.queue[1:]
		cmds = append(cmds, m.update(k))
		for m.c.nav != nil {
			nav := m.c.nav
			m.c.nav = nil
			cmds = append(cmds, m.update(nav))
		}
	}
	if m.c.viewer {
		m.viewerRefuses()
	}
	return m, tea.Batch(cmds...)
}

// viewerRefuses closes what a viewer's key opened that would change the
// record (the declare screen, every dialog but the update draft, which
// only drafts), saying why, so no one types an entry to see it refused.
func (m *Model) viewerRefuses() {
	const said = "read-only: a viewer's key changes nothing (look, search, export)"
	why := errors.New(said)
	switch {
	case m.screen == screenDeclare:
		m.screen, m.declare, m.home.note = screenHome, nil, said
	case m.screen == screenLive && m.live != nil && m.live.picking:
		m.live.picking, m.live.err = false, why
	case m.screen == screenLive && m.live != nil && m.live.dlg != nil && m.live.dlg.name != "update":
		m.live.dlg, m.live.err = nil, why
	case m.screen == screenPostmortem && m.postmortem != nil && (m.postmortem.dlg != nil || m.postmortem.related != nil):
		m.postmortem.dlg, m.postmortem.related, m.postmortem.err = nil, nil, why
	}
}

// typed reports a message of what the user typed or pasted, which waits
// its turn behind the keys before it (ctrl+c never waits).
func typed(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return msg.String() != "ctrl+c"
	case tea.PasteMsg:
		return true
	}
	return false
}

// update routes one message: window size and navigation here, the rest to
// the current screen.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.c.help.SetWidth(msg.Width)
	case tea.KeyPressMsg:
		if m.confirmQuit {
			switch msg.String() {
			case "y", "Y":
				return tea.Quit
			default:
				m.confirmQuit = false
				return nil
			}
		}
		if msg.String() == "ctrl+c" {
			if m.dirty() {
				m.confirmQuit = true
				return nil
			}
			return tea.Quit
		}
	case quitMsg:
		if m.dirty() {
			m.confirmQuit = true
			return nil
		}
		return tea.Quit
	case openDeclareMsg:
		m.declare = newDeclare(m.c)
		m.screen = screenDeclare
		return m.declare.init()
	case openIncidentMsg:
		m.live = newLive(m.c, msg.id)
		m.screen = screenLive
		return m.live.load()
	case openPostmortemMsg:
		m.postmortem = newPostmortem(m.c, msg.id)
		m.screen = screenPostmortem
		return m.postmortem.load()
	case openExportMsg:
		m.export = newExport(m.c, msg.id)
		m.screen = screenExport
		return m.export.init()
	case backMsg:
		m.screen = msg.to
		switch msg.to {
		case screenHome:
			// Back on the incident it left from, wherever the list
			// moved it meanwhile: a reflex enter opens the same one.
			if m.live != nil {
				m.home.selectID = m.live.id
			}
			return m.home.refresh()
		case screenLive:
			return m.live.load()
		}
		return nil
	case touchedMsg:
		// Each screen reads again what the change touched, keeping its
		// selection and any form open.
		var cmd tea.Cmd
		switch m.screen {
		case screenHome:
			cmd = m.home.refresh()
		case screenLive:
			if incident.Touched(msg).Touches(m.live.id) {
				cmd = m.live.refresh()
			}
		case screenPostmortem:
			if incident.Touched(msg).Touches(m.postmortem.id) && !m.postmortem.busy() {
				cmd = m.postmortem.load()
			}
		}
		return tea.Batch(cmd, m.c.listen())
	case tickMsg:
		var cmd tea.Cmd
		if m.screen == screenHome {
			m.home, cmd = m.home.Update(msg)
		}
		if m.screen == screenLive {
			m.live, cmd = m.live.Update(msg)
		}
		return tea.Batch(cmd, tick())
	}
	var cmd tea.Cmd
	switch m.screen {
	case screenHome:
		m.home, cmd = m.home.Update(msg)
	case screenDeclare:
		m.declare, cmd = m.declare.Update(msg)
	case screenLive:
		m.live, cmd = m.live.Update(msg)
	case screenPostmortem:
		m.postmortem, cmd = m.postmortem.Update(msg)
	case screenExport:
		m.export, cmd = m.export.Update(msg)
	}
	return cmd
}

// quitMsg asks to quit; unsaved text makes the root ask first.
type quitMsg struct{}

func quit() tea.Msg { return quitMsg{} }

// View draws the current screen.
func (m *Model) View() tea.View {
	var body string
	switch m.screen {
	case screenHome:
		body = m.home.View()
	case screenDeclare:
		body = m.declare.View()
	case screenLive:
		body = m.live.View()
	case screenPostmortem:
		body = m.postmortem.View()
	case screenExport:
		body = m.export.View()
	}
	if m.confirmQuit {
		body = placeBottom(m.c, body, m.c.styles.err.Render("Unsaved text will be lost. Quit anyway? (y/N)"))
	}
	v := tea.NewView(body)
	v.AltScreen = true
	v.WindowTitle = "postmortem"
	return v
}

// placeBottom fits body into the window and puts line at its last row.
func placeBottom(c *common, body, line string) string {
	lines := splitLines(fitHeight(body, c.height-1))
	return lipgloss.JoinVertical(lipgloss.Left, append(lines, line)...)
}

// Run runs the UI until the user quits.
func Run(ctx context.Context, cfg Config) error {
	cfg.Context = ctx
	_, err := tea.NewProgram(New(cfg), tea.WithContext(ctx)).Run()
	return err
}

// helpView renders the short help of a screen, or the full help when ? was
// pressed. The short help is ranked: the keys come in the order given (the
// most used first), as many as fit, and "? all keys" ends the line when
// any were left out, so the core keys stay in view at 80 columns.
func (c *common) helpView(b bindings, full bool) string {
	if full && len(b.full) > 0 {
		c.help.ShowAll = true
		lines := splitLines(c.help.View(b))
		for i, l := range lines {
			lines[i] = ansi.Truncate(l, c.width, "…")
		}
		return strings.Join(lines, "\n")
	}
	s := c.styles
	sep := s.subtle.Render(" • ")
	item := func(k key.Binding) string {
		h := k.Help()
		return s.key.Render(h.Key) + " " + s.subtle.Render(h.Desc)
	}
	more := ""
	if len(b.full) > 0 {
		more = item(key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")))
	}
	var parts []string
	width := 0
	for i, k := range b.short {
		it := item(k)
		w := ansi.StringWidth(it)
		if width > 0 {
			w += 3
		}
		room := c.width
		if more != "" && i < len(b.short)-1 {
			room -= ansi.StringWidth(more) + 3
		}
		if width+w > room {
			break
		}
		parts, width = append(parts, it), width+w
	}
	if more != "" {
		parts = append(parts, more)
	}
	return ansi.Truncate(strings.Join(parts, sep), c.width, "…")
}
