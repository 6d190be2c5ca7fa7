// Package report turns incidents and orders into documents. Every report
// is a text/template that writes Markdown; the Markdown is the one source,
// parsed once with goldmark, and the PDF and HTML are both drawn from that
// AST. Renderers write to an io.Writer and take functional options.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/templates"
)

// Format is an output format.
type Format string

// The formats a report can be written in.
const (
	Markdown Format = "md"
	HTML     Format = "html"
	PDF      Format = "pdf"
	DOCX     Format = "docx"
)

// ParseFormat accepts md, html, pdf or docx.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Markdown, HTML, PDF, DOCX:
		return f, nil
	}
	return "", &incident.FieldError{Field: "format", Msg: fmt.Sprintf("%q is not a format; accepted: md, html, pdf, docx", s)}
}

// Paper is a page size.
type Paper string

// The paper sizes.
const (
	A4     Paper = "a4"
	Letter Paper = "letter"
)

type config struct {
	lang  string
	dir   string // override folder, "" for none
	paper Paper
	loc   *time.Location
	now   time.Time
	// submission: the rendering is the one handed in (archived at
	// order submit), the only one that carries the document number.
	submission bool
}

// Option configures a Renderer.
type Option func(*config) error

// WithLang sets the language: "ko" or "en".
func WithLang(lang string) Option {
	return func(c *config) error {
		for _, l := range Langs {
			if l == lang {
				c.lang = lang
				return nil
			}
		}
		return &incident.FieldError{Field: "lang", Msg: fmt.Sprintf("%q is not a language; accepted: ko, en", lang)}
	}
}

// WithTemplates overrides the embedded templates file by file from dir:
// dir/<lang>/<name>.md.tmpl, else dir/<name>.md.tmpl, else the embedded one.
func WithTemplates(dir string) Option {
	return func(c *config) error {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			return &incident.FieldError{Field: "templates", Msg: fmt.Sprintf("%q is not a folder", dir)}
		}
		c.dir = dir
		return nil
	}
}

// WithPaper sets the page size: a4 (default) or letter.
func WithPaper(p string) Option {
	return func(c *config) error {
		switch Paper(strings.ToLower(p)) {
		case A4, Letter:
			c.paper = Paper(strings.ToLower(p))
			return nil
		}
		return &incident.FieldError{Field: "paper", Msg: fmt.Sprintf("%q is not a paper size; accepted: a4, letter", p)}
	}
}

// WithZone sets the zone times are shown in.
func WithZone(loc *time.Location) Option {
	return func(c *config) error { c.loc = loc; return nil }
}

// AsSubmission renders the document handed in: it carries the number
// its submission was given. Any other rendering of a plan or a correction
// report is a draft (not yet submitted) or a copy for reference (it was),
// marked so, with no number.
func AsSubmission() Option {
	return func(c *config) error { c.submission = true; return nil }
}

// WithDate fixes the document date (and the PDF's creation date), so that
// the same record always gives the same bytes.
func WithDate(t time.Time) Option {
	return func(c *config) error { c.now = t; return nil }
}

// Renderer writes reports. Its templates are parsed once, by New.
type Renderer struct {
	cfg  config
	tmpl map[string]*template.Template
	// header and footer are the page furniture's parts, run for each page
	// with a PageData.
	header, footer *template.Template
	// fm are the report templates' functions (metered anew for each run).
	fm template.FuncMap
}

// Parts are the pieces of a document a template folder may replace one by
// one (parts/NAME.md.tmpl, parts/NAME.txt.tmpl): the cover and the
// signature block of a submission, called from the plan and correction
// templates as {{template "cover" .}}; the running header and footer of
// every PDF page, run with a PageData.
var Parts = []string{"cover.md.tmpl", "signature.md.tmpl", "header.txt.tmpl", "footer.txt.tmpl"}

// PageData is what the header and footer parts see. The header's text
// before a tab goes left, after it right.
type PageData struct {
	// Title is the document's title (and who submits it, in a
	// submission); Ref its number ("" for a submission not yet given
	// one; 관리 번호 3 or #3 for a postmortem).
	Title, Ref string
	// Marking is the organisation's security marking (대외비), on every
	// page of a submission; "" for none.
	Marking string
	// Page is this page's number; Pages stands for the count of pages,
	// filled in when the document is written.
	Page  int
	Pages string
}

// New parses the templates for the chosen language.
func New(opts ...Option) (*Renderer, error) {
	c := config{lang: "ko", paper: A4, loc: time.Local, now: time.Now()}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	r := &Renderer{cfg: c, tmpl: map[string]*template.Template{}}
	r.fm = r.funcs()
	for name, fn := range r.reviewFuncs() {
		r.fm[name] = fn
	}
	entries, err := fs.ReadDir(templates.FS, c.lang)
	if err != nil {
		return nil, err
	}
	parts, origin := map[string]string{}, map[string]string{}
	for _, file := range Parts {
		src, where, err := r.source("parts/" + file)
		if err != nil {
			return nil, fmt.Errorf("template part %s: %w", where, err)
		}
		name := strings.Split(file, ".")[0]
		parts[name], origin[name] = string(src), where
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".md.tmpl")
		src, from, err := r.source(e.Name())
		if err != nil {
			return nil, err
		}
		t, err := template.New(name).Funcs(r.fm).Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", from, err)
		}
		for _, part := range []string{"cover", "signature"} {
			if t.Lookup(part) != nil {
				continue // the template defines its own
			}
			if _, err := t.New(part).Parse(parts[part]); err != nil {
				return nil, fmt.Errorf("template part %s: %w", origin[part], err)
			}
		}
		r.tmpl[name] = t
	}
	for _, part := range []struct {
		name string
		dst  **template.Template
	}{{"header", &r.header}, {"footer", &r.footer}} {
		t, err := template.New(part.name).Parse(parts[part.name])
		if err != nil {
			return nil, fmt.Errorf("template part %s: %w", origin[part.name], err)
		}
		*part.dst = t
	}
	return r, nil
}

// source finds a template: the override folder first, then the embedded.
func (r *Renderer) source(file string) ([]byte, string, error) {
	if r.cfg.dir != "" {
		for _, p := range []string{filepath.Join(r.cfg.dir, r.cfg.lang, file), filepath.Join(r.cfg.dir, file)} {
			b, real, err := readInside(r.cfg.dir, p, MaxTemplate)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue
			case errors.Is(err, errOutside):
				return nil, p, &incident.FieldError{Field: "templates", Msg: fmt.Sprintf("%s leads outside the templates folder (to %s); accepted: files inside %s", p, real, r.cfg.dir)}
			case errors.Is(err, errNotRegular):
				return nil, p, &incident.FieldError{Field: "templates", Msg: fmt.Sprintf("%s is not a regular file; accepted: a template file", p)}
			case errors.As(err, new(tooBig)):
				return nil, p, &incident.FieldError{Field: "templates", Msg: fmt.Sprintf("%s is %v; accepted: at most %d KiB", p, err, MaxTemplate>>10)}
			case err != nil:
				return nil, p, err
			}
			return b, p, nil
		}
	}
	b, err := templates.FS.ReadFile(r.cfg.lang + "/" + file)
	return b, "embedded " + r.cfg.lang + "/" + file, err
}

// render executes template name with data and writes it in format f.
func (r *Renderer) render(w io.Writer, f Format, name string, data any, meta docMeta) error {
	src, err := r.markdown(name, data)
	if err != nil {
		return err
	}
	md := bytes.NewBuffer(noYearLists(src))
	if f != PDF && meta.Head != "" {
		// The PDF sets the head small at the foot of its last page.
		fmt.Fprintf(md, "\n---\n\n%s\n", headLine(r.cfg.lang, meta.Head))
		if meta.Seal != "" {
			fmt.Fprintf(md, "\n%s\n", escapeInline(meta.Seal))
		}
	}
	if f != Markdown {
		var err error
		if meta.images, err = r.images(md.Bytes()); err != nil {
			return err
		}
	}
	switch f {
	case Markdown:
		_, err := w.Write(md.Bytes())
		return err
	case HTML:
		return writeHTML(w, md.Bytes(), meta, r.cfg.lang)
	case PDF:
		meta.header, meta.footer = r.header, r.footer
		return writePDF(w, md.Bytes(), meta, r.cfg)
	case DOCX:
		return writeDOCX(w, md.Bytes(), meta, r.cfg)
	}
	return fmt.Errorf("format %q: %w", f, incident.ErrInvalid)
}

// markdown runs template name on data: within its budget and the size a
// report may have, the template named in any error.
func (r *Renderer) markdown(name string, data any) ([]byte, error) {
	t, ok := r.tmpl[name]
	if !ok {
		return nil, fmt.Errorf("no template %q for %s", name, r.cfg.lang)
	}
	var md bytes.Buffer
	if err := execute(t, r.fm, &capped{w: &md, left: MaxMarkdown}, data, TemplateBudget); err != nil {
		if errors.Is(err, errTooLong) {
			return nil, &incident.FieldError{Field: "template", Msg: fmt.Sprintf("%s writes more than %d MiB of Markdown; a report is refused past that (check the template for a runaway range)", name, MaxMarkdown>>20)}
		}
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return md.Bytes(), nil
}

// docMeta is what the page furniture shows.
type docMeta struct {
	Title string // running header and PDF title
	Ref   string // right side of the header, e.g. "#3"
	// Marking is the security marking each page carries (a submission's).
	Marking string
	Head    string // the history head of the state shown, on the last page
	Seal    string // the seal that vouches for it, as a line, if any
	// charts are the images the Markdown names as chart:NAME; images the
	// image files it names (a logo), read from the templates folder.
	charts map[string]*chart
	images map[string]*chart
	// header and footer draw the page furniture from a PageData; nil
	// for the built-in layout.
	header, footer *template.Template
}

// yearAtLineStart is a line (or a list item) opening with a year and a
// full stop, as a Korean date does: 2024. 5. 21.
var yearAtLineStart = regexp.MustCompile(`(?m)^([ \t]*(?:[-*+][ \t]+|\d{1,3}\.[ \t]+)?)(\d{4})\.([ \t])`)

// noYearLists escapes the full stop of a year that opens a line, so a
// sentence beginning "2024. 5. 21. 08:30에" stays a sentence: Markdown
// would read "2024." as an ordered list starting at 2024 (no list a
// template writes starts at a thousand).
func noYearLists(md []byte) []byte {
	return yearAtLineStart.ReplaceAll(md, []byte(`$1$2\.$3`))
}

// sealLine says which seal vouches for the state a document shows: when,
// with which key, over which head; "" when none does.
func (r *Renderer) sealLine(sl *incident.Seal) string {
	if sl == nil {
		return ""
	}
	when := sl.At.In(r.cfg.loc).Format("2006-01-02 15:04 MST")
	if r.cfg.lang == "ko" {
		when = docWhen(r.cfg.lang, r.cfg.loc, sl.At.In(r.cfg.loc))
	}
	return fmt.Sprintf(word(r.cfg.lang, "seal"), when, sl.Fingerprint, sl.Rows, sl.Head)
}

// headLine says which state of the record a document shows.
func headLine(lang, head string) string {
	return fmt.Sprintf(word(lang, "head"), head)
}

// TemplateBudget is how long a template may run: the built-in ones take
// milliseconds; a loop that writes nothing ({{range 3000000000}}{{end}})
// is stopped, not waited for.
var TemplateBudget = 30 * time.Second

var errTooSlow = errors.New("template ran too long")

// execute runs t on data into w, giving up after budget. A template
// cannot be interrupted: one given up on runs on, writing nowhere, until
// the process ends, into w and no further than w lets it (a command ends
// at once; the screens use only the built-in templates).
//
// The run has its own copy of t whose functions are metered (fm and the
// builtins that build text): what it builds is bounded, not only what it
// writes.
func execute(t *template.Template, fm template.FuncMap, w io.Writer, data any, budget time.Duration) error {
	run, err := t.Clone()
	if err != nil {
		return err
	}
	m := &meter{name: t.Name(), left: MaxFuncText}
	run.Funcs(m.funcs(fm))
	done := make(chan error, 1)
	go func() { done <- run.Execute(w, data) }()
	select {
	case err := <-done:
		return err
	case <-time.After(budget):
		return fmt.Errorf("template %s ran longer than %s: %w", t.Name(), budget, errTooSlow)
	}
}

// MaxTemplate is the largest template file read, in bytes: the built-in
// ones are a few KiB.
const MaxTemplate = 1 << 20

// MaxMarkdown is the most Markdown a template may write for one report:
// far beyond any record's text (each field has its limit), small enough
// that a runaway template stops before it eats the machine's memory.
const MaxMarkdown = 32 << 20

var errTooLong = errors.New("report too long")

// capped passes writes through until left bytes have gone.
type capped struct {
	w    io.Writer
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	if len(p) > c.left {
		return 0, errTooLong
	}
	c.left -= len(p)
	return c.w.Write(p)
}
