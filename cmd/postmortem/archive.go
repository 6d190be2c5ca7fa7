package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
	"github.com/postmortem/postmortem/report"
)

// archivedKinds are the deliverables whose document postmortem writes,
// and so archives when they are submitted.
var archivedKinds = map[string]string{"improvement-plan": "plan", "correction-report": "correction"}

// archiveSubmission renders the document of a deliverable just submitted,
// as it stood on its submission day and with its number (PDF and
// Markdown), and keeps the bytes in the database, in the history.
//
// s is the store to write with: the submitting one, so that a sealed
// submission's archive is sealed too.
func archiveSubmission(ctx context.Context, f *factory, s *incident.Store, orderID int64, kind, lang string) error {
	doc, ok := archivedKinds[kind]
	if !ok {
		return nil // a deliverable postmortem does not write (a duty's report)
	}
	rs, err := f.Regimes()
	if err != nil {
		return err
	}
	loc, err := f.Location()
	if err != nil {
		return err
	}
	now, err := s.OrderView(ctx, orderID, rs, incident.Point{}, loc)
	if err != nil {
		return err
	}
	on, ok := now.Order.Submitted[kind]
	if !ok {
		return &incident.FieldError{Field: "deliverable", Msg: fmt.Sprintf("%s of order %d has not been submitted (order submit records and archives it)", kind, orderID)}
	}
	var pt incident.Point
	date, err := f.documentDate(on.String(), &pt)
	if err != nil {
		return err
	}
	v, err := s.OrderView(ctx, orderID, rs, pt, loc)
	if err != nil {
		return err
	}
	r, err := report.New(report.WithLang(lang), report.WithZone(loc), report.WithDate(date), report.AsSubmission())
	if err != nil {
		return err
	}
	render := r.Plan
	if doc == "correction" {
		render = r.Correction
	}
	docs := map[string][]byte{}
	for _, format := range []report.Format{report.PDF, report.Markdown} {
		var buf bytes.Buffer
		if err := render(&buf, format, v); err != nil {
			return fmt.Errorf("render the %s to archive: %w", format, err)
		}
		docs[string(format)] = buf.Bytes()
	}
	if err := s.Archive(ctx, orderID, kind, docs, v.Head); err != nil {
		return err
	}
	for _, format := range incident.ArchiveFormats {
		fmt.Fprintf(f.errOut, "archived: %s %s, %d bytes, SHA-256 %s\n", kind, format, len(docs[format]), incident.Sum(docs[format]))
	}
	return nil
}

func newOrderArchiveCmd(f *factory, runF func(*orderArchiveOptions) error) *cobra.Command {
	o := &orderArchiveOptions{f: f}
	cmd := &cobra.Command{
		Use:   "archive ORDER --deliverable KIND [--lang ko|en]",
		Short: "Archive the document of a deliverable submitted before archiving existed, or whose archiving failed",
		Args:  args(1, 1, "an order id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.kind, "deliverable", "", "improvement-plan or correction-report")
	cmd.Flags().StringVar(&o.lang, "lang", "ko", "ko or en: the language it was submitted in")
	return cmd
}

type orderArchiveOptions struct {
	parsed
	f          *factory
	args       []string
	kind, lang string
}

func (o *orderArchiveOptions) run() error {
	id, err := incident.ParseID("order", o.args[0])
	if err != nil {
		return err
	}
	if _, ok := archivedKinds[o.kind]; !ok {
		return &incident.FieldError{Field: "deliverable", Msg: fmt.Sprintf("%q is not a document postmortem writes; accepted: improvement-plan, correction-report", o.kind)}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	return archiveSubmission(o.ctx, o.f, s, id, o.kind, o.lang)
}

func newOrderSubmittedCmd(f *factory, runF func(*orderSubmittedOptions) error) *cobra.Command {
	o := &orderSubmittedOptions{f: f}
	cmd := &cobra.Command{
		Use:   "submitted ORDER --deliverable KIND [--format pdf|md] -o FILE",
		Short: "Write the document as it was submitted: the archived bytes, exactly",
		Args:  args(1, 1, "an order id"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.kind, "deliverable", "", "improvement-plan or correction-report")
	cmd.Flags().StringVar(&o.format, "format", "pdf", "pdf or md")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "the file to write (- for stdout)")
	return cmd
}

type orderSubmittedOptions struct {
	parsed
	f                    *factory
	args                 []string
	kind, format, output string
}

func (o *orderSubmittedOptions) run() error {
	id, err := incident.ParseID("order", o.args[0])
	if err != nil {
		return err
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	arc, err := s.Archived(o.ctx, id, o.kind, o.format)
	if err != nil {
		return err
	}
	if o.output == "" || o.output == "-" {
		if o.format == "pdf" && isTerminal(o.f.out) {
			return usageError{errors.New("a PDF is binary: give -o FILE, or redirect stdout")}
		}
		_, err := o.f.out.Write(arc.Bytes)
		return err
	}
	if err := report.SaveFile(o.output, 0o644, func(w io.Writer) error { _, err := w.Write(arc.Bytes); return err }); err != nil {
		return err
	}
	o.f.status("wrote %s: %s of order %d as submitted, SHA-256 %s", o.output, o.kind, id, arc.SHA256)
	return nil
}

// listedFiles are the evidence files the archived document of kind lists
// under 붙임, numbered as it numbers them: 붙임 1 is the report itself,
// the evidence follows over what existed on the submission day.
func listedFiles(o *incident.Order, kind string) []incident.Attachment {
	on, ok := o.Submitted[kind]
	if kind != "correction-report" || !ok {
		return nil
	}
	var out []incident.Attachment
	no := 1
	for _, at := range o.Attachments {
		if at.AddedOn.After(on) {
			continue // not on the document
		}
		no++
		if at.File == "" {
			continue // no file to hand in
		}
		at.No = no
		out = append(out, at)
	}
	return out
}

// manifest is what a submission package says of itself: the order, the
// deliverable and its number, the history head the document was rendered
// at, and each file with its SHA-256.
type manifest struct {
	Format      string         `json:"format"`
	Version     int            `json:"version"`
	Order       int64          `json:"order"`
	Deliverable string         `json:"deliverable"`
	Number      string         `json:"number,omitempty"`
	Title       string         `json:"title"`
	Submitted   incident.Date  `json:"submitted"`
	HistoryHead string         `json:"history_head"`
	Files       []manifestFile `json:"files"`
}

type manifestFile struct {
	Name   string `json:"name"`
	Role   string `json:"role"` // document, source, attachment
	No     int    `json:"no,omitempty"`
	What   string `json:"what,omitempty"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

const packageFormat = "postmortem-package"

// errPackage is a package that is not what was submitted: exit 5, as a
// broken history, but about the file, not the records.
var errPackage = errors.New("the package is not what was submitted")

func newOrderPackageCmd(f *factory, runF func(*orderPackageOptions) error) *cobra.Command {
	o := &orderPackageOptions{f: f}
	cmd := &cobra.Command{
		Use:   "package ORDER --deliverable KIND [--files DIR] -o FILE.zip",
		Short: "Write the submission package: the archived document, its attachments by number, and a manifest of their SHA-256",
		Long: `Write what a ministry receives, so it can be proven later to be what was sent:
the document as archived at submission (PDF and its Markdown source), every
attachment file it lists under 붙임 (found in --files, checked against the
SHA-256 recorded when it was attached, and named by its number), and
manifest.json (order, deliverable, document number, title, submission day,
the history head, each file's SHA-256). verify-package checks one.`,
		Args: args(1, 1, "an order id"),
		RunE: runE(o, func(a []string) { o.args = a }, runF),
	}
	cmd.Flags().StringVar(&o.kind, "deliverable", "", "improvement-plan or correction-report")
	cmd.Flags().StringVar(&o.files, "files", ".", "the folder holding the attachment files")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "the .zip to write")
	return cmd
}

type orderPackageOptions struct {
	parsed
	f                   *factory
	args                []string
	kind, files, output string
}

func (o *orderPackageOptions) run() error {
	id, err := incident.ParseID("order", o.args[0])
	if err != nil {
		return err
	}
	if o.output == "" {
		return &incident.FieldError{Field: "output", Msg: "give -o FILE.zip"}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	v, err := loadOrder(o.ctx, o.f, o.args[0], incident.Point{})
	if err != nil {
		return err
	}
	doc, err := s.Archived(o.ctx, id, o.kind, "pdf")
	if err != nil {
		return err
	}
	src, err := s.Archived(o.ctx, id, o.kind, "md")
	if err != nil {
		return err
	}
	on := v.Order.Submitted[o.kind]
	m := manifest{Format: packageFormat, Version: 1, Order: id, Deliverable: o.kind, Number: v.Order.Numbers[o.kind],
		Title: kindTitle(o.kind), Submitted: on, HistoryHead: doc.Head}
	base := strings.NewReplacer("/", "-", " ", "-").Replace(o.kind)
	entries := []struct {
		name string
		b    []byte
	}{{base + ".pdf", doc.Bytes}, {base + ".md", src.Bytes}}
	m.Files = append(m.Files, manifestFile{Name: base + ".pdf", Role: "document", Size: int64(len(doc.Bytes)), SHA256: doc.SHA256},
		manifestFile{Name: base + ".md", Role: "source", Size: int64(len(src.Bytes)), SHA256: src.SHA256})
	for _, at := range listedFiles(v.Order, o.kind) {
		b, err := os.ReadFile(filepath.Join(o.files, filepath.Base(at.File)))
		if err != nil {
			return &incident.FieldError{Field: "files", Msg: fmt.Sprintf("붙임 %d (%s): %v; give --files DIR holding it", at.No, at.File, err)}
		}
		if got := incident.Sum(b); at.SHA256 != "" && got != at.SHA256 {
			return &incident.FieldError{Field: "files", Msg: fmt.Sprintf("붙임 %d: %s has SHA-256 %s, not the %s recorded when it was attached; the package holds the file recorded", at.No, at.File, got, at.SHA256)}
		}
		name := fmt.Sprintf("붙임%d-%s", at.No, filepath.Base(at.File))
		entries = append(entries, struct {
			name string
			b    []byte
		}{name, b})
		m.Files = append(m.Files, manifestFile{Name: name, Role: "attachment", No: at.No, What: at.What, Size: int64(len(b)), SHA256: incident.Sum(b)})
	}
	man, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	err = report.SaveFile(o.output, 0o644, func(w io.Writer) error {
		z := zip.NewWriter(w)
		for _, e := range append(entries, struct {
			name string
			b    []byte
		}{"manifest.json", append(man, '\n')}) {
			// Stored with a fixed time, so a package is the same
			// bytes however often it is made.
			h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: on.In(v.Regime.Location())}
			fw, err := z.CreateHeader(h)
			if err != nil {
				return err
			}
			if _, err := fw.Write(e.b); err != nil {
				return err
			}
		}
		return z.Close()
	})
	if err != nil {
		return err
	}
	o.f.status("wrote %s: %d files and the manifest", o.output, len(m.Files))
	return nil
}

func kindTitle(kind string) string {
	switch kind {
	case "improvement-plan":
		return "개선 조치 계획"
	case "correction-report":
		return "시정 조치 결과 보고"
	}
	return kind
}

// newVerifyPackageCmd checks a submission package: every file the
// manifest lists is there with its SHA-256, nothing else is, and the
// document is the one archived in the database (when it holds the order).
func newVerifyPackageCmd(f *factory, runF func(*verifyPackageOptions) error) *cobra.Command {
	o := &verifyPackageOptions{f: f}
	return &cobra.Command{
		Use:   "verify-package FILE.zip",
		Short: "Check a submission package against its manifest (and the archive, when the database holds it); exit 5 naming what differs",
		Args:  args(1, 1, "a package file"),
		RunE:  runE(o, func(a []string) { o.args = a }, runF),
	}
}

type verifyPackageOptions struct {
	parsed
	f    *factory
	args []string
}

func (o *verifyPackageOptions) run() error {
	z, err := zip.OpenReader(o.args[0])
	if err != nil {
		return &incident.FieldError{Field: "package", Msg: fmt.Sprintf("%s is not a zip file: %v", o.args[0], err)}
	}
	defer z.Close()
	read := func(zf *zip.File) ([]byte, error) {
		r, err := zf.Open()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return io.ReadAll(io.LimitReader(r, 1<<30))
	}
	byName := map[string]*zip.File{}
	for _, zf := range z.File {
		byName[zf.Name] = zf
	}
	mf, ok := byName["manifest.json"]
	if !ok {
		return fmt.Errorf("%s holds no manifest.json: %w", o.args[0], errPackage)
	}
	raw, err := read(mf)
	if err != nil {
		return err
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil || m.Format != packageFormat {
		return fmt.Errorf("%s: manifest.json is not a postmortem package manifest: %w", o.args[0], errPackage)
	}
	var problems []string
	listed := map[string]bool{"manifest.json": true}
	for _, want := range m.Files {
		listed[want.Name] = true
		zf, ok := byName[want.Name]
		if !ok {
			problems = append(problems, want.Name+": missing")
			continue
		}
		b, err := read(zf)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", want.Name, err))
			continue
		}
		if got := incident.Sum(b); got != want.SHA256 || int64(len(b)) != want.Size {
			problems = append(problems, fmt.Sprintf("%s: changed (SHA-256 %s, the manifest says %s)", want.Name, got, want.SHA256))
		}
	}
	for _, zf := range z.File {
		if !listed[zf.Name] {
			problems = append(problems, zf.Name+": not in the manifest")
		}
	}
	slices.Sort(problems)
	if len(problems) > 0 {
		return fmt.Errorf("%s does not match its manifest: %s: %w", o.args[0], strings.Join(problems, "; "), errPackage)
	}
	// Against the archive, when this database holds the order: the
	// document is the one archived, and every evidence file it
	// lists is there, as recorded when it was attached.
	archive := "the database holds no archive of it"
	if s, err := o.f.Store(o.ctx); err == nil {
		if arc, err := s.Archived(o.ctx, m.Order, m.Deliverable, "pdf"); err == nil {
			if err := matchArchive(o.ctx, o.f, m, arc); err != nil {
				return fmt.Errorf("%s: %w", o.args[0], err)
			}
			archive = "its document is the one archived in the database, with every file it lists"
		}
	}
	fmt.Fprintf(o.f.out, "package intact: order %d %s %s, submitted %s, %d files as the manifest lists; %s\n",
		m.Order, m.Deliverable, m.Number, m.Submitted, len(m.Files), archive)
	return nil
}

// matchArchive checks a manifest against what the database holds of the
// submission: the archived document's hash, and the evidence files the
// document lists, each by its number and recorded SHA-256.
func matchArchive(ctx context.Context, f *factory, m manifest, arc *incident.Archive) error {
	var problems []string
	byNo := map[int]manifestFile{}
	for _, file := range m.Files {
		switch file.Role {
		case "document":
			if file.SHA256 != arc.SHA256 {
				problems = append(problems, fmt.Sprintf("%s is not the document archived (SHA-256 %s)", file.Name, arc.SHA256))
			}
		case "attachment":
			byNo[file.No] = file
		}
	}
	v, err := loadOrder(ctx, f, strconv.FormatInt(m.Order, 10), incident.Point{})
	if err != nil {
		return err
	}
	want := listedFiles(v.Order, m.Deliverable)
	for _, at := range want {
		got, ok := byNo[at.No]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("붙임 %d (%s) is missing, though the document lists it", at.No, at.What))
		case at.SHA256 != "" && got.SHA256 != at.SHA256:
			problems = append(problems, fmt.Sprintf("붙임 %d (%s) is not the file recorded when it was attached (SHA-256 %s)", at.No, got.Name, at.SHA256))
		}
		delete(byNo, at.No)
	}
	for no, file := range byNo {
		problems = append(problems, fmt.Sprintf("%s (붙임 %d) is not listed by the document", file.Name, no))
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("%s: %w", strings.Join(problems, "; "), errPackage)
	}
	return nil
}
