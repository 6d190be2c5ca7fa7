package tui

import (
	"charm.land/bubbles/v2/key"
)

// keyMap holds every binding; each screen shows the ones it uses.
type keyMap struct {
	Up, Down, Top, Bottom, Open, Back, Quit, Help key.Binding
	New, Filter                                   key.Binding
	Add, AddAt, Edit, Mitigate, Resolve           key.Binding
	Postmortem, Export                            key.Binding
	Cause, Lessons, Related, AddAction, Status    key.Binding
	Save, MoveUp, MoveDown, NextField             key.Binding
	Fields, Roles, Retract, Cancel, Enter         key.Binding
	Duty, Search, Close, Update                   key.Binding
}

func newKeyMap() keyMap {
	k := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return keyMap{
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous")),
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next")), Top: k("first", "g", "home"), Bottom: k("last", "G", "end"),
		Open: k("open", "enter"), Back: k("back", "esc"), Quit: k("quit", "q", "ctrl+c"), Help: k("help", "?"),
		New: k("new incident", "n"), Filter: k("filter", "/"),
		Add: k("add now", "a"), AddAt: k("at time", "t"), Edit: k("edit", "e"),
		Mitigate: k("mitigated", "m"), Resolve: k("resolve", "R"),
		Postmortem: k("postmortem", "p"), Export: k("export", "x"),
		Cause: k("cause", "c"), Lessons: k("lessons", "l"), Related: k("related", "r"), AddAction: k("add action", "a"),
		Status: k("action status", "s"),
		Save:   k("save", "ctrl+s"), MoveUp: k("move step up", "ctrl+up"), MoveDown: k("move step down", "ctrl+down"),
		NextField: k("next field", "tab"),
		Fields:    k("fields", "f"), Roles: k("roles", "o"), Retract: k("retract", "w"),
		Cancel: k("cancel (asks if typed)", "esc"), Enter: k("save", "enter"), Duty: k("duty done", "D"),
		Search: k("search", "/"), Close: k("no outage: close / reopen", "C"),
		Update: k("draft update", "u"),
	}
}

// bindings is a help.KeyMap over a fixed list.
type bindings struct{ short, full []key.Binding }

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b.full} }
