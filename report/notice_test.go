package report

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

// The notices to users for the three May 2024 incidents, each stage, in
// both languages: the first while it ran, an update, the resolved one.
func TestNoticeGolden(t *testing.T) {
	s := fixtureStore(t)
	rs, err := incident.LoadRegimes()
	require.NoError(t, err)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, seoul)
		require.NoError(t, err)
		return v
	}
	moments := map[int64][2]time.Time{
		1: {at("2024-05-13 13:46"), at("2024-05-13 13:48")},
		2: {at("2024-05-20 14:54"), at("2024-05-20 14:56")},
		3: {at("2024-05-21 08:40"), at("2024-05-21 09:05")},
	}
	for _, lang := range Langs {
		r := newRenderer(t, lang)
		for id := int64(1); id <= 3; id++ {
			for _, stage := range incident.Stages {
				p := incident.Point{}
				switch stage {
				case incident.StageStart:
					p.AsOf = moments[id][0]
				case incident.StageUpdate:
					p.AsOf = moments[id][1]
				}
				v, err := s.Postmortem(context.Background(), id, p, rs)
				require.NoError(t, err)
				for _, f := range []Format{Markdown, Text} {
					name := fmt.Sprintf("notice/%d-%s.%s.%s", id, stage, lang, f)
					t.Run(name, func(t *testing.T) {
						var buf bytes.Buffer
						require.NoError(t, r.Notice(&buf, f, v, NoticeOptions{Stage: stage}))
						golden(t, name, buf.Bytes())
						if f == Text {
							assert.LessOrEqual(t, utf8.RuneCount(buf.Bytes()), MaxNoticeText)
						}
						// Plain words: none of the record's internal ones.
						for _, internal := range []string{"SEV", "#", "incident", "mitigat", "장애 선언", "이력"} {
							if internal == "#" && f == Markdown {
								continue
							}
							assert.NotContains(t, buf.String(), internal)
						}
					})
				}
			}
		}
	}
}

// The stage follows the record unless asked, and a stage the record does
// not allow is refused naming the way out.
func TestNoticeStage(t *testing.T) {
	s := fixtureStore(t)
	ctx := context.Background()
	v, err := s.Postmortem(ctx, 3, incident.Point{AsOf: time.Date(2024, 5, 21, 9, 5, 0, 0, seoul)}, nil)
	require.NoError(t, err)
	stage, n, err := v.NoticeStage("")
	require.NoError(t, err)
	assert.Equal(t, incident.StageUpdate, stage, "one notice went out at 09:00")
	assert.Equal(t, 2, n)
	_, _, err = v.NoticeStage(incident.StageResolved)
	assert.ErrorContains(t, err, "not resolved")

	v, err = s.Postmortem(ctx, 3, incident.Point{}, nil)
	require.NoError(t, err)
	stage, _, err = v.NoticeStage("")
	require.NoError(t, err)
	assert.Equal(t, incident.StageResolved, stage)
	_, _, err = v.NoticeStage(incident.StageStart)
	assert.ErrorContains(t, err, "--as-of")
}

// A long message in a status post gives way, so the post still fits.
func TestTextNoticeFits(t *testing.T) {
	s := fixtureStore(t)
	v, err := s.Postmortem(context.Background(), 3, incident.Point{}, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	msg := strings.Repeat("자바 업데이트 후 로그인 서버가 응답하지 않았습니다. ", 100)
	require.NoError(t, newRenderer(t, "ko").Notice(&buf, Text, v, NoticeOptions{Message: msg}))
	assert.LessOrEqual(t, utf8.RuneCount(buf.Bytes()), MaxNoticeText)
	assert.Contains(t, buf.String(), "…")
	assert.Contains(t, buf.String(), "이용에 불편을 드려 죄송합니다.")
}
