package tui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// exportScreen writes a report of the incident to a file and shows where.
// A failed write keeps every choice, to fix the one that failed.
type exportScreen struct {
	c    *common
	id   int64
	form *form
	path string // the file written, once it is
	busy bool
}

// exportedMsg reports the file written, or why not.
type exportedMsg struct {
	path string
	err  error
}

func newExport(c *common, id int64) *exportScreen {
	e := &exportScreen{c: c, id: id}
	file := textField("file", "File", "", "")
	file.preview = func(v string) string {
		if strings.TrimSpace(v) == "" {
			if c.fetch != "" {
				return "empty: " + filepath.Base(e.defaultPath())
			}
			return "empty: " + e.defaultPath()
		}
		return ""
	}
	e.form = newForm("",
		choiceField("format", "Format", "pdf", []choice{{"pdf", "pdf", "p"}, {"md", "md", "m"}, {"html", "html", "h"}}),
		choiceField("lang", "Language", "ko", []choice{{"ko", "ko", "k"}, {"en", "en", "e"}}),
		file)
	e.form.resize(c)
	return e
}

func (e *exportScreen) init() tea.Cmd { return nil }

// defaultPath is where the report goes when no file is typed: the export
// folder, named after the incident, language and format.
func (e *exportScreen) defaultPath() string {
	name := fmt.Sprintf("postmortem-%d.%s.%s", e.id, e.form.value("lang"), e.form.value("format"))
	return filepath.Join(e.c.exportDir, name)
}

// write renders the report into its file (report.SaveFile: whole or not
// at all).
func (e *exportScreen) write() tea.Cmd {
	c, id := e.c, e.id
	format, lang, path := report.Format(e.form.value("format")), e.form.value("lang"), e.form.value("file")
	if path == "" {
		path = e.defaultPath()
	} else if c.fetch != "" {
		// Served: a name in the reports folder, never a path of the
		// client's choosing on the server's disk.
		if path != filepath.Base(path) || strings.ContainsAny(path, `/\`) || strings.HasPrefix(path, ".") {
			return func() tea.Msg {
				return exportedMsg{err: &incident.FieldError{Field: "file", Msg: fmt.Sprintf("%q: a plain file name (no folder, not starting with a dot): the report is kept on the server, to fetch with scp", path)}}
			}
		}
		path = filepath.Join(c.exportDir, path)
	}
	return func() tea.Msg {
		view, err := c.store.Postmortem(c.ctx, id, incident.Point{}, c.regimes)
		if err != nil {
			return exportedMsg{err: err}
		}
		r, err := c.newRenderer(lang)
		if err != nil {
			return exportedMsg{err: err}
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return exportedMsg{err: err}
		}
		if err := report.SaveFile(abs, 0o644, func(w io.Writer) error { return r.Postmortem(w, format, view) }); err != nil {
			return exportedMsg{err: &incident.FieldError{Field: "file", Msg: err.Error()}}
		}
		return exportedMsg{path: abs}
	}
}

func (e *exportScreen) Update(msg tea.Msg) (*exportScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		e.form.resize(e.c)
		return e, nil
	case exportedMsg:
		e.busy = false
		if msg.err != nil {
			e.form.refuse(fmt.Errorf("not written: %w", msg.err))
			return e, nil
		}
		e.path = msg.path
		return e, nil
	case tea.KeyPressMsg:
		if e.path != "" {
			// The result is on screen; any key goes back.
			return e, e.c.navigate(backMsg{screenLive})
		}
	}
	if e.busy {
		return e, nil
	}
	res, cmd := e.form.update(msg)
	switch res {
	case formCancelled:
		return e, e.c.navigate(backMsg{screenLive})
	case formSubmitted:
		e.busy, e.form.err = true, nil
		return e, e.write()
	}
	return e, cmd
}

func (e *exportScreen) keys() bindings {
	k := e.c.keys
	return bindings{short: []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next / write")), k.Save, k.NextField, k.Cancel}}
}

func (e *exportScreen) View() string {
	c, s := e.c, e.c.styles
	help := splitLines(c.helpView(e.keys(), false))
	out := []string{s.title.Render(fmt.Sprintf("Export incident #%d", e.id)), ""}
	switch {
	case e.busy:
		out = append(out, s.subtle.Render("writing…"))
	case e.path != "":
		if c.fetch != "" {
			name := safe(filepath.Base(e.path))
			out = append(out, s.ok.Render(cell("✓ wrote "+name, c.width)), "", cell("fetch it with: "+fmt.Sprintf(c.fetch, name), c.width),
				"", s.subtle.Render("any key: back"))
			break
		}
		out = append(out, s.ok.Render(cell("✓ wrote "+e.path, c.width)), "", s.subtle.Render("any key: back"))
		help = nil
	default:
		out = append(out, e.form.viewIn(c, c.height-len(out)-len(help))...)
	}
	return fitHeight(strings.Join(out, "\n"), c.height-len(help)) + "\n" + strings.Join(help, "\n")
}
