package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var (
	seoul   = mustZone("Asia/Seoul")
	docDate = time.Date(2024, 6, 3, 9, 0, 0, 0, seoul)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// fixtureStore imports the May 2024 fixture into a fresh store whose clock
// is fixed, so the records (and so the reports) are the same every run.
func fixtureStore(t testing.TB) *incident.Store {
	t.Helper()
	return fixtureStoreAt(t, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
}

// fixtureStoreAt is fixtureStore with the store's clock stopped at now.
func fixtureStoreAt(t testing.TB, now time.Time) *incident.Store {
	t.Helper()
	clock := func() time.Time { return now }
	s, err := incident.Open(context.Background(), filepath.Join(t.TempDir(), "pm.db"), incident.WithClock(clock))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	f, err := os.Open(filepath.Join("..", "testdata", "kakao-2024-05.json"))
	require.NoError(t, err)
	defer f.Close()
	_, err = s.ImportFrom(context.Background(), f, false, nil)
	require.NoError(t, err)
	return s
}

func loadView(t testing.TB, s *incident.Store, id int64) *incident.PostmortemView {
	t.Helper()
	rs, err := incident.LoadRegimes()
	require.NoError(t, err)
	v, err := s.Postmortem(context.Background(), id, incident.Point{}, rs)
	require.NoError(t, err)
	return v
}

// viewOf wraps an incident built in memory as a view.
func viewOf(in *incident.Incident) *incident.PostmortemView {
	return &incident.PostmortemView{Incident: in, Figures: in.Figures()}
}

func newRenderer(t testing.TB, lang string, opts ...Option) *Renderer {
	t.Helper()
	r, err := New(append([]Option{WithLang(lang), WithZone(seoul), WithDate(docDate)}, opts...)...)
	require.NoError(t, err)
	return r
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report -update to create it")
	assert.Equal(t, string(want), string(got))
}

func TestPostmortemMarkdownGolden(t *testing.T) {
	s := fixtureStore(t)
	for _, lang := range Langs {
		r := newRenderer(t, lang)
		for id := int64(1); id <= 3; id++ {
			t.Run(fmt.Sprintf("%s/%d", lang, id), func(t *testing.T) {
				v := loadView(t, s, id)
				var buf bytes.Buffer
				require.NoError(t, r.Postmortem(&buf, Markdown, v))
				golden(t, fmt.Sprintf("postmortem-%d.%s.md", id, lang), buf.Bytes())
			})
		}
	}
}

func TestPostmortemLocalised(t *testing.T) {
	s := fixtureStore(t)
	v := loadView(t, s, 3)
	for lang, want := range map[string][]string{
		"ko": {"54분", "해결됨", "## 6. 복구 조치", "_기록 없음_"},
		"en": {"54 min", "resolved", "## 6. Recovery", "_None recorded._"},
	} {
		var buf bytes.Buffer
		require.NoError(t, newRenderer(t, lang).Postmortem(&buf, Markdown, v))
		for _, w := range want {
			assert.Contains(t, buf.String(), w, lang)
		}
	}
}

// pdfText runs pdftotext on a PDF and returns its text and page count.
func pdfText(t testing.TB, pdf []byte) (string, int) {
	t.Helper()
	_, err := exec.LookPath("pdftotext")
	require.NoError(t, err, "pdftotext is needed (apt-get install poppler-utils; .ci/run does it)")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o600))
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	require.NoError(t, err)
	return string(out), strings.Count(string(out), "\f")
}

func TestPostmortemPDFIsSearchable(t *testing.T) {
	s := fixtureStore(t)
	v := loadView(t, s, 3)
	var buf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Postmortem(&buf, PDF, v))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	text, pages := pdfText(t, buf.Bytes())
	assert.Contains(t, text, "카카오톡 PC 로그인 실패 및 모바일 메시지 지연")
	assert.Contains(t, text, "54")
	for _, step := range v.Incident.RecoverySteps {
		assert.Contains(t, text, step)
	}
	assert.Equal(t, 2, pages)
	nospace := strings.Join(strings.Fields(text), "")
	assert.Contains(t, nospace, "1/2쪽")
	assert.Contains(t, nospace, "2/2쪽")
}

func TestHostileTextStaysText(t *testing.T) {
	s := fixtureStore(t)
	ctx := context.Background()
	hostile := "a | b # c *d* `e` <script>alert(1)</script> {{.Title}} **(6분)**이"
	_, err := s.UpdateIncident(ctx, 1, func(in *incident.Incident) error {
		in.Cause = hostile
		in.Symptoms = hostile
		in.RecoverySteps = append(in.RecoverySteps, "# "+hostile)
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, s.AddEvent(ctx, &incident.Event{IncidentID: 1, At: time.Date(2024, 5, 13, 13, 49, 0, 0, seoul), Kind: incident.KindNote, Text: hostile}))
	v := loadView(t, s, 1)
	r := newRenderer(t, "en")

	var html bytes.Buffer
	require.NoError(t, r.Postmortem(&html, HTML, v))
	escaped := "a | b # c *d* `e` &lt;script&gt;alert(1)&lt;/script&gt; {{.Title}} **(6분)**이"
	assert.Contains(t, html.String(), "<p>"+escaped+"</p>", "paragraph")
	assert.Contains(t, html.String(), "<td>"+escaped+"</td>", "table cell")
	assert.Contains(t, html.String(), "<li># "+escaped+"</li>", "list item")
	assert.NotContains(t, html.String(), "<script>")

	var pdf bytes.Buffer
	require.NoError(t, r.Postmortem(&pdf, PDF, v))
	text, _ := pdfText(t, pdf.Bytes())
	flat := strings.Join(strings.Fields(text), " ")
	assert.Contains(t, flat, "a | b # c *d* `e` <script>alert(1)</script> {{.Title}} **(6분)**이")
}

func TestCharactersTheFontLacks(t *testing.T) {
	s := fixtureStore(t)
	ctx := context.Background()
	set, err := coverage()
	require.NoError(t, err)
	const rare = '㐀' // CJK Extension A, not in NanumGothic
	require.False(t, set.has(rare))
	require.NoError(t, s.AddEvent(ctx, &incident.Event{IncidentID: 2, At: time.Date(2024, 5, 20, 14, 56, 0, 0, seoul), Kind: incident.KindComms,
		Text: "경보 🚨 발생 " + string(rare) + " 끝"}))
	v := loadView(t, s, 2)
	var pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Postmortem(&pdf, PDF, v))
	text, _ := pdfText(t, pdf.Bytes())
	assert.Contains(t, text, "경보 □ 발생 □ 끝")
}

func TestFontCoversModernHangul(t *testing.T) {
	set, err := coverage()
	require.NoError(t, err)
	missing := 0
	for r := rune(0xAC00); r <= 0xD7A3; r++ {
		if !set.has(r) {
			missing++
		}
	}
	assert.Zero(t, missing, "of 11,172 Hangul syllables")
	assert.Contains(t, FontLicence, "SIL OPEN FONT LICENSE")
}

func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ko"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ko", "postmortem.md.tmpl"), []byte("# 사용자 양식 {{md .I.Title}}\n"), 0o644))
	s := fixtureStore(t)
	v := loadView(t, s, 1)
	var buf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko", WithTemplates(dir)).Postmortem(&buf, Markdown, v))
	assert.Equal(t, "# 사용자 양식 카카오톡 메시지 발송 지연 및 실패\n\n---\n\n이력 해시 "+v.Head+"\n", buf.String(),
		"the template's text, then the state's place on the history chain")
	assert.Len(t, v.Head, 64)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "ko", "postmortem.md.tmpl"), []byte("{{if}}"), 0o644))
	_, err := New(WithLang("ko"), WithTemplates(dir))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "postmortem.md.tmpl")
}

func TestOptionsRefuseBadValues(t *testing.T) {
	for _, o := range []Option{WithLang("fr"), WithPaper("a3"), WithTemplates("/does/not/exist")} {
		_, err := New(o)
		assert.ErrorIs(t, err, incident.ErrInvalid)
	}
	_, err := ParseFormat("odt")
	assert.ErrorIs(t, err, incident.ErrInvalid)
}

func TestLetterPaper(t *testing.T) {
	s := fixtureStore(t)
	v := loadView(t, s, 1)
	var buf bytes.Buffer
	require.NoError(t, newRenderer(t, "en", WithPaper("letter")).Postmortem(&buf, PDF, v))
	assert.Contains(t, buf.String(), "/MediaBox [0 0 612.00 792.00]")
}

func TestLongTableRepeatsHeaderOnEveryPage(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Postmortem(&buf, PDF, viewOf(bigIncident())))
	text, pages := pdfText(t, buf.Bytes())
	assert.Greater(t, pages, 3, "200 events run over several pages")
	timelinePages := 0
	for i, page := range strings.Split(text, "\f") {
		if strings.Contains(page, "번째 기록") {
			timelinePages++
			assert.Contains(t, page, "기록자", "page %d holds timeline rows without the header row", i+1)
		}
	}
	assert.Greater(t, timelinePages, 2)
	assert.Contains(t, text, "200번째 기록")
}

// TestMarkdownConstructs runs a user template using every construct the
// PDF writer knows through both renderers.
func TestMarkdownConstructs(t *testing.T) {
	dir := t.TempDir()
	tmpl := "# 제목 {{md .I.Title}}\n\n" +
		"Plain *emphasis*, **strong**, `code span` and [a link](https://example.com/x), <https://example.com/auto>.\n\n" +
		"## Lists\n\n1. first\n   - nested bullet 가\n   - nested bullet 나\n2. second\n\n" +
		"> quoted 인용문\n\n```\nfenced code 코드 | x\n```\n\n---\n\n" +
		"| left | right |\n|:--|--:|\n| 가나다 | 123 |\n\n#### Small heading\n\nend.\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "en"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "en", "postmortem.md.tmpl"), []byte(tmpl), 0o644))
	s := fixtureStore(t)
	v := loadView(t, s, 1)
	r := newRenderer(t, "en", WithTemplates(dir))

	var html bytes.Buffer
	require.NoError(t, r.Postmortem(&html, HTML, v))
	for _, want := range []string{"<em>emphasis</em>", "<strong>strong</strong>", "<code>code span</code>", `<a href="https://example.com/x">a link</a>`,
		"<ol>", "<li>nested bullet 가</li>", "<blockquote>", "<pre><code>fenced code 코드 | x", "<hr>", `<td style="text-align:right">123</td>`, "<h4>"} {
		assert.Contains(t, html.String(), want)
	}

	var pdf bytes.Buffer
	require.NoError(t, r.Postmortem(&pdf, PDF, v))
	text, _ := pdfText(t, pdf.Bytes())
	for _, want := range []string{"제목 카카오톡 메시지 발송 지연 및 실패", "emphasis", "strong", "code span", "a link", "https://example.com/auto",
		"1.", "nested bullet 가", "2.", "quoted 인용문", "fenced code 코드 | x", "가나다", "123", "Small heading", "end."} {
		assert.Contains(t, text, want)
	}
}

func TestTemplateFolderIsAFence(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ko"), 0o755))
	secret := filepath.Join(t.TempDir(), "shadow")
	require.NoError(t, os.WriteFile(secret, []byte("root:secret"), 0o600))
	require.NoError(t, os.Symlink(secret, filepath.Join(dir, "ko", "postmortem.md.tmpl")))
	_, err := New(WithLang("ko"), WithTemplates(dir))
	require.ErrorIs(t, err, incident.ErrInvalid)
	assert.Contains(t, err.Error(), "leads outside the templates folder")

	// A link inside the folder is fine.
	require.NoError(t, os.Remove(filepath.Join(dir, "ko", "postmortem.md.tmpl")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.tmpl"), []byte("# {{md .I.Title}}\n"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(dir, "mine.tmpl"), filepath.Join(dir, "ko", "postmortem.md.tmpl")))
	_, err = New(WithLang("ko"), WithTemplates(dir))
	require.NoError(t, err)
}

func TestRunawayTemplateStops(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "postmortem.md.tmpl"), []byte("{{range 1000000}}"+strings.Repeat("x", 100)+"{{end}}"), 0o644))
	s := fixtureStore(t)
	err := newRenderer(t, "ko", WithTemplates(dir)).Postmortem(io.Discard, Markdown, loadView(t, s, 1))
	require.ErrorIs(t, err, incident.ErrInvalid)
	assert.Contains(t, err.Error(), "writes more than 32 MiB of Markdown")
}

func TestSaveFileRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	keep := filepath.Join(dir, "keep.pdf")
	require.NoError(t, os.WriteFile(keep, []byte("old"), 0o444))
	err := SaveFile(keep, 0o644, write)
	assert.ErrorContains(t, err, "output: "+keep+" is read-only; it is not replaced")
	got, _ := os.ReadFile(keep)
	assert.Equal(t, "old", string(got))
	fi, _ := os.Stat(keep)
	assert.Equal(t, os.FileMode(0o444), fi.Mode().Perm())

	assert.ErrorContains(t, SaveFile(dir, 0o644, write), "output: "+dir+" is a folder; give a file name")
	assert.ErrorContains(t, SaveFile(filepath.Join(dir, "no", "such", "x.pdf"), 0o644, write), "output: folder "+filepath.Join(dir, "no", "such")+" does not exist")

	private := filepath.Join(dir, "private.md")
	require.NoError(t, os.WriteFile(private, []byte("old"), 0o600))
	require.NoError(t, SaveFile(private, 0o644, write))
	fi, _ = os.Stat(private)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "a replaced file keeps its permissions")

	assert.Error(t, SaveFile(filepath.Join(dir, "fails.md"), 0o644, func(io.Writer) error { return io.ErrUnexpectedEOF }))
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	assert.Empty(t, left, "no temporary file left")
}

// A sentence or a list item opening with a Korean date stays text: the
// year's full stop does not start a numbered list in HTML or PDF.
func TestDateOpeningALineIsNoList(t *testing.T) {
	s := fixtureStore(t)
	v := loadView(t, s, 3)
	var page, pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Postmortem(&page, HTML, v))
	assert.NotContains(t, page.String(), "<ol start=\"2024\"")
	assert.Contains(t, page.String(), "<span class=\"nw\">2024. 5. 21. 08:30</span>에 장애가 발생하여")
	require.NoError(t, newRenderer(t, "ko").Postmortem(&pdf, PDF, v))
	text, _ := pdfText(t, pdf.Bytes())
	assert.Contains(t, text, "2024. 5. 21. 08:30에 장애가 발생하여")
	assert.Contains(t, text, "2024. 5. 21. 09:00: PC 로그인 장애 공지")
}

// The longest title a record takes (500 Korean characters, 1,500 bytes)
// heads every page of its PDF, cut to the line, and the document renders.
func TestLongestTitleInThePageHead(t *testing.T) {
	s := fixtureStore(t)
	v := loadView(t, s, 3)
	v.Incident.Title = strings.Repeat("가", incident.MaxTitle)
	var pdf bytes.Buffer
	require.NoError(t, newRenderer(t, "ko").Postmortem(&pdf, PDF, v))
	text, pages := pdfText(t, pdf.Bytes())
	assert.Equal(t, pages, strings.Count(text, "가가가가가가가가가가…"), "each page's head shows the title, shortened")
}
