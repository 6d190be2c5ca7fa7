package report

import (
	"io"
	"testing"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// fuzzIncident puts text where users' text goes: title, cause, a step, an
// event and a measure.
func fuzzIncident(text string) *incident.PostmortemView {
	start := time.Date(2024, 5, 21, 8, 30, 0, 0, time.UTC)
	in := &incident.Incident{ID: 1, Title: text, Severity: incident.SEV2, Status: incident.StatusOpen, StartedAt: &start,
		Cause: text, Symptoms: text, RecoverySteps: []string{text}, Contributing: []string{text},
		Timeline: []incident.Event{{ID: 1, At: start, Kind: incident.KindNote, Text: text, Author: text}},
		Actions:  []incident.Action{{ID: 1, Area: incident.AreaRCA, Text: text, Owner: text, Due: incident.NewDate(2024, 6, 1), Status: incident.ActionPlanned}}}
	return viewOf(in)
}

var fuzzSeeds = []string{"plain", "a | b # c *d* `e` <script>alert(1)</script> {{.Title}} **(6분)**이", "경보 🚨 발생 㐀 끝",
	"\x00\x1b[2J\xff", "- [x](javascript:alert(1))\n\n---\n\n```\ncode\n```", "줄\n\n바꿈\r\n", "~~strike~~ ![img](x.png)"}

func FuzzMarkdownPDF(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	r, err := New(WithLang("ko"), WithZone(time.UTC), WithDate(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := r.Postmortem(io.Discard, PDF, fuzzIncident(s)); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
	})
}

func FuzzMarkdownHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	r, err := New(WithLang("en"), WithZone(time.UTC), WithDate(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := r.Postmortem(io.Discard, HTML, fuzzIncident(s)); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
	})
}
