package tui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// exportScreen writes a report of the incident to a file and shows where.
type exportScreen struct {
	c    *common
	id   int64
	form *huh.Form
	v    *exportValues
	path string
	err  error
	busy bool
}

type exportValues struct{ report, format, lang, path string }

// exportedMsg reports the file written, or why not.
type exportedMsg struct {
	path string
	err  error
}

func newExport(c *common, id int64) *exportScreen {
	v := &exportValues{report: "postmortem", format: string(report.PDF), lang: "ko"}
	e := &exportScreen{c: c, id: id, v: v}
	opts := func(vals ...string) []huh.Option[string] {
		o := make([]huh.Option[string], len(vals))
		for i, s := range vals {
			o[i] = huh.NewOption(s, s)
		}
		return o
	}
	e.form = huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().Title("Report").Options(opts("postmortem")...).Value(&v.report).Inline(true),
		huh.NewSelect[string]().Title("Format").Options(opts("pdf", "md", "html")...).Value(&v.format).Inline(true),
		huh.NewSelect[string]().Title("Language").Options(opts("ko", "en")...).Value(&v.lang).Inline(true),
		huh.NewInput().Title("File").DescriptionFunc(func() string { return "default: " + e.defaultPath() }, &v.format).Value(&v.path),
	)).WithKeyMap(formKeys()).WithShowHelp(true)
	e.form = c.fitForm(e.form, 2)
	return e
}

func (e *exportScreen) init() tea.Cmd { return e.form.Init() }

func (e *exportScreen) defaultPath() string {
	name := fmt.Sprintf("postmortem-%d.%s.%s", e.id, e.v.lang, e.v.format)
	return filepath.Join(e.c.exportDir, name)
}

// write renders the report into its file (report.SaveFile: whole or not
// at all).
func (e *exportScreen) write() tea.Cmd {
	c, id, v := e.c, e.id, *e.v
	path := strings.TrimSpace(v.path)
	if path == "" {
		path = e.defaultPath()
	}
	return func() tea.Msg {
		ctx := c.ctx
		view, err := c.store.Postmortem(ctx, id, incident.Point{}, c.regimes)
		if err != nil {
			return exportedMsg{err: err}
		}
		r, err := c.newRenderer(v.lang)
		if err != nil {
			return exportedMsg{err: err}
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return exportedMsg{err: err}
		}
		err = report.SaveFile(abs, 0o644, func(w io.Writer) error {
			return r.Postmortem(w, report.Format(v.format), view)
		})
		if err != nil {
			return exportedMsg{err: err}
		}
		return exportedMsg{path: abs}
	}
}

func (e *exportScreen) Update(msg tea.Msg) (*exportScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		e.form = e.c.fitForm(e.form, 2)
	case exportedMsg:
		e.busy = false
		e.path, e.err = msg.path, msg.err
		return e, nil
	case tea.KeyPressMsg:
		if e.form.State != huh.StateNormal && !e.busy {
			// The result is on screen; any key goes back.
			return e, func() tea.Msg { return backMsg{screenLive} }
		}
	}
	m, cmd := e.form.Update(msg)
	e.form = m.(*huh.Form)
	switch e.form.State {
	case huh.StateAborted:
		return e, func() tea.Msg { return backMsg{screenLive} }
	case huh.StateCompleted:
		if !e.busy && e.path == "" && e.err == nil {
			e.busy = true
			return e, e.write()
		}
	}
	return e, cmd
}

func (e *exportScreen) View() string {
	s := e.c.styles
	out := []string{s.title.Render(fmt.Sprintf("Export incident #%d", e.id)), ""}
	switch {
	case e.busy:
		out = append(out, s.subtle.Render("writing…"))
	case e.path != "":
		out = append(out, s.ok.Render("✓ wrote "+e.path), "", s.subtle.Render("any key: back"))
	case e.err != nil:
		out = append(out, s.err.Render("not written: "+e.err.Error()), "", s.subtle.Render("any key: back"))
	default:
		out = append(out, e.form.View())
	}
	return fitHeight(strings.Join(out, "\n"), e.c.height)
}
