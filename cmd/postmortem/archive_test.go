package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"github.com/postmortem/postmortem/incident/testdb"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

// What was submitted stays submitted: order submit archives the document
// with its number; order submitted gives back those bytes days of edits
// later; any other rendering is a draft or a copy and carries no number;
// the package holds the document and its evidence by number and verifies,
// and fails when a file in it is changed.
func TestSubmittedStaysSubmitted(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	run("org", "set", "--name", "주식회사 카카오", "--doc-prefix", "서비스안정화실")
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	run("order", "finding", order, "--area", "pretest", "주요 작업 전 사전 테스트를 하지 않음")
	files := t.TempDir()
	for name, body := range map[string]string{"절차서.pdf": "사전 테스트 절차서\n", "회의록.pdf": "변경관리위원회 회의록\n"} {
		require.NoError(t, os.WriteFile(filepath.Join(files, name), []byte(body), 0o600))
	}
	run("order", "attach", order, "1", "--file", filepath.Join(files, "절차서.pdf"), "--on", "2024-08-12", "사전 테스트 절차서")
	run("order", "attach", order, "1", "--file", filepath.Join(files, "회의록.pdf"), "--on", "2024-08-20", "변경관리위원회 회의록")

	r := pm(t, db, append(kst, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-28")...)
	require.Equal(t, 0, r.code, r.stderr)
	number := strings.TrimSpace(r.stdout)
	require.NotEmpty(t, number)
	assert.Contains(t, r.stderr, "archived: improvement-plan pdf")
	assert.Contains(t, r.stderr, "note: order 1 has no reference", "a letter citing no document number is said before it goes")

	dir := t.TempDir()
	first, later := filepath.Join(dir, "first.pdf"), filepath.Join(dir, "later.pdf")
	run("order", "submitted", order, "--deliverable", "improvement-plan", "-o", first)
	// Edits after the submission: the archived bytes do not move.
	run("set", ids[2], "--cause", "나중에 고친 원인 서술")
	run("action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2024-09-30", "추가 조치")
	run("order", "submitted", order, "--deliverable", "improvement-plan", "-o", later)
	a, err := os.ReadFile(first)
	require.NoError(t, err)
	b, err := os.ReadFile(later)
	require.NoError(t, err)
	assert.Equal(t, a, b, "the same bytes, however the record moved since")
	text := pdfToText(t, first)
	assert.Contains(t, text, number, "the submission carries its number")
	assert.NotContains(t, text, "나중에 고친 원인 서술")

	// Any other rendering carries no number: a draft before, a copy after.
	for _, tc := range []struct{ date, mark string }{{"2024-06-20", "[초안]"}, {"2024-06-28", "[참고용 사본]"}, {"2024-07-10", "[참고용 사본]"}} {
		out := filepath.Join(dir, "plan-"+tc.date+".pdf")
		run("report", "plan", order, "--date", tc.date, "--format", "pdf", "-o", out)
		txt := pdfToText(t, out)
		assert.NotContains(t, txt, number, "dated %s: no number", tc.date)
		assert.Contains(t, txt, tc.mark, "dated %s", tc.date)
	}

	// Numbered as of its date: on 08-15 the first evidence is 붙임 2 and
	// there is no other; on 08-30 both, in turn.
	aug15 := run("report", "correction", order, "--date", "2024-08-15")
	assert.Contains(t, aug15, "붙임 2. 사전 테스트 절차서")
	assert.NotContains(t, aug15, "회의록")
	run("order", "submit", order, "--deliverable", "correction-report", "--at", "2024-08-30")
	src := filepath.Join(dir, "correction.md")
	run("order", "submitted", order, "--deliverable", "correction-report", "--format", "md", "-o", src)
	md, err := os.ReadFile(src)
	require.NoError(t, err)
	assert.Contains(t, string(md), "붙임 2. 사전 테스트 절차서")
	assert.Contains(t, string(md), "붙임 3. 변경관리위원회 회의록")

	pkg := filepath.Join(dir, "package.zip")
	run("order", "package", order, "--deliverable", "correction-report", "--files", files, "-o", pkg)
	z, err := zip.OpenReader(pkg)
	require.NoError(t, err)
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
	}
	z.Close()
	assert.ElementsMatch(t, []string{"correction-report.pdf", "correction-report.md", "붙임2-절차서.pdf", "붙임3-회의록.pdf", "manifest.json"}, names)
	out := run("verify-package", pkg)
	assert.Contains(t, out, "package intact")
	assert.Contains(t, out, "its document is the one archived in the database")

	// One byte changed in one file: refused, naming it, exit 5.
	tampered := filepath.Join(dir, "tampered.zip")
	rewriteZip(t, pkg, tampered, "붙임3-회의록.pdf", []byte("고친 회의록\n"))
	r = pm(t, db, "verify-package", tampered)
	assert.Equal(t, exitBroken, r.code, r.stderr)
	assert.Contains(t, r.stderr, "붙임3-회의록.pdf: changed")
	assert.NotContains(t, r.stderr, "records", "it is the package that differs, not the database")

	// A file swapped with its manifest line rewritten to match, or one
	// dropped from both: the manifest agrees with itself, not with what
	// was submitted.
	forged := filepath.Join(dir, "forged.zip")
	rewritePackage(t, pkg, forged, "붙임3-회의록.pdf", []byte("고친 회의록\n"), false)
	r = pm(t, db, "verify-package", forged)
	assert.Equal(t, exitBroken, r.code, r.stderr)
	assert.Contains(t, r.stderr, "붙임 3 (붙임3-회의록.pdf) is not the file recorded when it was attached")
	dropped := filepath.Join(dir, "dropped.zip")
	rewritePackage(t, pkg, dropped, "붙임3-회의록.pdf", nil, true)
	r = pm(t, db, "verify-package", dropped)
	assert.Equal(t, exitBroken, r.code, r.stderr)
	assert.Contains(t, r.stderr, "붙임 3 (변경관리위원회 회의록) is missing, though the document lists it")

	// An export carries the archive; the copy it restores gives back the
	// same bytes and verifies.
	dump := filepath.Join(dir, "backup.json")
	run("export", "-o", dump)
	restored := filepath.Join(t.TempDir(), "restored.db")
	mustPM(t, restored, "import", dump)
	assert.Contains(t, mustPM(t, restored, "verify"), "intact")
	again := filepath.Join(dir, "again.pdf")
	mustPM(t, restored, "order", "submitted", order, "--deliverable", "improvement-plan", "-o", again)
	c, err := os.ReadFile(again)
	require.NoError(t, err)
	assert.Equal(t, a, c)

	// Into a database that holds a record already, the order enters the
	// history as created by the import, its archive in it.
	other := testdb.New(t)
	mustPM(t, other, "new", "--title", "이미 있던 장애", "--started", "2024-05-01 00:00")
	mustPM(t, other, "import", "--renumber", dump)
	assert.Contains(t, mustPM(t, other, "verify"), "intact")
}

// rewriteZip copies a zip, replacing one file's bytes.
func rewriteZip(t *testing.T, from, to, name string, body []byte) {
	t.Helper()
	z, err := zip.OpenReader(from)
	require.NoError(t, err)
	defer z.Close()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range z.File {
		fw, err := w.Create(f.Name)
		require.NoError(t, err)
		if f.Name == name {
			_, err = fw.Write(body)
			require.NoError(t, err)
			continue
		}
		r, err := f.Open()
		require.NoError(t, err)
		_, err = io.Copy(fw, r)
		require.NoError(t, err)
		r.Close()
	}
	require.NoError(t, w.Close())
	require.NoError(t, os.WriteFile(to, buf.Bytes(), 0o600))
}

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", path, "-").Output()
	require.NoError(t, err, "pdftotext is needed (poppler-utils)")
	return string(out)
}

// An order's measure done after its due date says why, and the correction
// report shows it among the delayed measures; a moved date shows from the
// day it moved, with when and why.
func TestLateMeasureSaysWhy(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--incidents", strings.Join(ids, ",")))
	run("order", "finding", order, "--area", "pretest", "사전 테스트 없음")
	late := strings.TrimSpace(run("action", "add", "--order", order, "--finding", "1", "--owner", "품질팀", "--due", "2024-08-15", "재발 방지 위원회 구성"))
	moved := strings.TrimSpace(run("action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2030-08-16", "변경관리 시스템 도입"))

	r := pm(t, db, append(kst, "action", "update", late, "--done", "2024-08-20")...)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "reason: done on 2024-08-20, after its due date 2024-08-15")
	run("action", "update", late, "--done", "2024-08-20", "--reason", "위원 위촉 일정 지연")
	run("action", "update", moved, "--revised-due", "2030-10-31", "--reason", "도입 일정 지연")

	evidence := filepath.Join(t.TempDir(), "위원회.pdf")
	require.NoError(t, os.WriteFile(evidence, []byte("위원 명단\n"), 0o600))
	run("order", "attach", order, "1", "--file", evidence, "--on", "2024-08-21", "재발 방지 위원회 구성 결과")
	corr := run("report", "correction", order)
	assert.Contains(t, corr, "| (조치 1) 재발 방지 위원회 구성 | 품질팀 | 2024. 8. 15. | 완료 | 2024. 8. 20. | 붙임 2 |",
		"a done measure with no evidence of its own points to its finding's")
	assert.Contains(t, corr, "| 작업 전 사전 테스트 | (조치 1) 재발 방지 위원회 구성 | 품질팀 | 2024. 8. 15. | — | 완료 | 2024. 8. 20. | 위원 위촉 일정 지연 |")
	assert.Contains(t, corr, "| 작업 전 사전 테스트 | (조치 2) 변경관리 시스템 도입 | 인프라팀 | 2030. 8. 16. | 2030. 10. 31. | 미착수 | — | 도입 일정 지연 |",
		"moved before its first date passed: among the delayed, with why")
	early := run("report", "correction", order, "--date", "2024-08-30")
	assert.NotContains(t, early, "2030. 10. 31.", "a report dated before the move shows the date as it was")
}

// rewritePackage copies a package with one file replaced (its manifest
// line rewritten to match) or, with drop, removed with its line.
func rewritePackage(t *testing.T, from, to, name string, body []byte, drop bool) {
	t.Helper()
	z, err := zip.OpenReader(from)
	require.NoError(t, err)
	defer z.Close()
	var m manifest
	files := map[string][]byte{}
	var order []string
	for _, f := range z.File {
		r, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		r.Close()
		if f.Name == "manifest.json" {
			require.NoError(t, json.Unmarshal(b, &m))
			continue
		}
		files[f.Name], order = b, append(order, f.Name)
	}
	var kept []manifestFile
	for _, mf := range m.Files {
		switch {
		case mf.Name == name && drop:
			continue
		case mf.Name == name:
			mf.SHA256, mf.Size = incident.Sum(body), int64(len(body))
			files[name] = body
		}
		kept = append(kept, mf)
	}
	m.Files = kept
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range order {
		if n == name && drop {
			continue
		}
		fw, err := w.Create(n)
		require.NoError(t, err)
		_, err = fw.Write(files[n])
		require.NoError(t, err)
	}
	man, err := json.Marshal(m)
	require.NoError(t, err)
	fw, err := w.Create("manifest.json")
	require.NoError(t, err)
	_, err = fw.Write(man)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, os.WriteFile(to, buf.Bytes(), 0o600))
}

// A measure past its due date with no new one, in a document about to be
// submitted, is said first: the report would promise it "새 기한 미정".
func TestSubmitSaysUndatedPromises(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--reference", "과기정통부-1", "--incidents", strings.Join(ids, ",")))
	run("order", "finding", order, "--area", "pretest", "사전 테스트 미흡")
	late := strings.TrimSpace(run("action", "add", "--order", order, "--finding", "1", "--owner", "인프라팀", "--due", "2024-07-31", "시험 환경 구축"))
	r := pm(t, db, append(kst, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-28")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "measure "+late+" is past", "not yet due on 06-28")
	r = pm(t, db, append(kst, "order", "submit", order, "--deliverable", "correction-report", "--at", "2024-08-30")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "note: measure "+late+" is past its due date 2024-07-31 with no new one: the document says 새 기한 미정")
}

// A Korean report's sentences use noun endings (…함, …음); a record typed
// in the 합니다 style is named at submission, with how to write it, so the
// document keeps one ending style. The fixture's texts, in noun endings,
// raise nothing.
func TestSubmitSaysSentenceStyle(t *testing.T) {
	db, ids := importFixture(t)
	kst := []string{"--tz", "Asia/Seoul"}
	run := func(args ...string) string { return mustPM(t, db, append(kst, args...)...) }
	order := strings.TrimSpace(run("order", "new", "--received", "2024-05-31", "--reference", "과기정통부-1", "--incidents", strings.Join(ids, ",")))
	run("order", "finding", order, "--area", "pretest", "사전 테스트를 하지 않았습니다.")
	run("order", "finding", order, "--area", "rca", "근본 원인 분석이 미흡함")
	run("order", "finding", order, "--area", "manuals", "매뉴얼을 개정하지 않았다.")
	m := strings.TrimSpace(run("action", "add", "--order", order, "--finding", "2", "--owner", "품질팀", "--due", "2024-07-31", "분석 절차 수립"))
	r := pm(t, db, append(kst, "order", "submit", order, "--deliverable", "improvement-plan", "--at", "2024-06-28")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, `note: finding 1 ends in the 합니다 style ("…스트를 하지 않았습니다"): write it with a noun ending (…함, …음, …임, …예정)`)
	assert.NotContains(t, r.stderr, "finding 2 ends")
	assert.Contains(t, r.stderr, `note: finding 3 ends in the 한다 style ("…뉴얼을 개정하지 않았다")`)
	assert.NotContains(t, r.stderr, "incident ", "the fixture's causes are written in noun endings")
	assert.NotContains(t, r.stderr, "measure "+m+" ends")
}
