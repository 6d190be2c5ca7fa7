// Package tui is the terminal UI over the incident package: a root model
// that switches between screens (home, declare, live, postmortem, export).
// Every read and write of the store runs in a tea.Cmd that returns a typed
// message, so the screen never waits on the disk.
package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
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
	newRenderer   func(lang string) (*report.Renderer, error)
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
		store: cfg.Store, regimes: cfg.Regimes, loc: cfg.Zone, now: cfg.Now, author: cfg.Author, exportDir: cfg.ExportDir,
	}
	c.newRenderer = func(lang string) (*report.Renderer, error) {
		return report.New(report.WithLang(lang), report.WithZone(c.loc), report.WithDate(c.now()))
	}
	return &Model{c: c, screen: screenHome, home: newHome(c)}
}

// Init loads the home screen and starts the clock.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.home.load(), tick()) }

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

// Update routes messages: window size and navigation here, the rest to the
// current screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.c.help.SetWidth(msg.Width)
	case tea.KeyPressMsg:
		if m.confirmQuit {
			switch msg.String() {
			case "y", "Y":
				return m, tea.Quit
			default:
				m.confirmQuit = false
				return m, nil
			}
		}
		if msg.String() == "ctrl+c" {
			if m.dirty() {
				m.confirmQuit = true
				return m, nil
			}
			return m, tea.Quit
		}
	case quitMsg:
		if m.dirty() {
			m.confirmQuit = true
			return m, nil
		}
		return m, tea.Quit
	case openDeclareMsg:
		m.declare = newDeclare(m.c)
		m.screen = screenDeclare
		return m, m.declare.init()
	case openIncidentMsg:
		m.live = newLive(m.c, msg.id)
		m.screen = screenLive
		return m, m.live.load()
	case openPostmortemMsg:
		m.postmortem = newPostmortem(m.c, msg.id)
		m.screen = screenPostmortem
		return m, m.postmortem.load()
	case openExportMsg:
		m.export = newExport(m.c, msg.id)
		m.screen = screenExport
		return m, m.export.init()
	case backMsg:
		m.screen = msg.to
		switch msg.to {
		case screenHome:
			return m, m.home.load()
		case screenLive:
			return m, m.live.load()
		}
		return m, nil
	case tickMsg:
		var cmd tea.Cmd
		if m.screen == screenHome {
			m.home, cmd = m.home.Update(msg)
		}
		if m.screen == screenLive {
			m.live, cmd = m.live.Update(msg)
		}
		return m, tea.Batch(cmd, tick())
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
	return m, cmd
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
// pressed.
func (c *common) helpView(b bindings, full bool) string {
	c.help.ShowAll = full
	lines := splitLines(c.help.View(b))
	for i, l := range lines {
		// help drops items that overflow only when its ellipsis fits;
		// cut what is left to the window.
		lines[i] = ansi.Truncate(l, c.width, "…")
	}
	return strings.Join(lines, "\n")
}
