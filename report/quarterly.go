package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/incident"
)

// QuarterlyData is what the quarterly review template sees.
type QuarterlyData struct {
	R *incident.Review
	// Scope names what the review covers: every service, some, a group.
	Scope string
	// Compare is the window against the one before, a row a figure.
	Compare []CompareRow
	// Charts says the document carries charts (HTML and PDF; Markdown has
	// the tables alone).
	Charts bool
	Doc    DocInfo
	// Previous is the window before, by its label.
	Previous string
}

// CompareRow is one figure in this window and the one before.
type CompareRow struct {
	Name, Before, Now, Change string
}

// Quarterly writes the review of a window: what happened, how fast it was
// recovered, what repeats, what is late; with charts in HTML and PDF.
func (r *Renderer) Quarterly(w io.Writer, f Format, rv *incident.Review) error {
	lang := r.cfg.lang
	d := QuarterlyData{R: rv, Charts: f != Markdown, Doc: DocInfo{Date: r.cfg.now}, Previous: periodName(lang, r.cfg.loc, rv.Window.Previous())}
	switch {
	case rv.Filter.Group != "":
		d.Scope = fmt.Sprintf(word(lang, "scope.group"), rv.Filter.Group)
	case len(rv.Filter.Services) > 0:
		d.Scope = strings.Join(rv.Filter.Services, ", ")
	default:
		d.Scope = word(lang, "scope.all")
	}
	mins := func(v float64) string { return minutesText(lang, v) }
	p, c := rv.Previous, rv.Current
	d.Compare = []CompareRow{
		{word(lang, "cmp.incidents"), strconv.Itoa(p.Incidents), strconv.Itoa(c.Incidents), change(lang, float64(p.Incidents), float64(c.Incidents), countUnit(lang))},
		{word(lang, "cmp.outage"), mins(p.OutageMinutes), mins(c.OutageMinutes), change(lang, p.OutageMinutes, c.OutageMinutes, minUnit(lang))},
		{word(lang, "cmp.median"), mins(p.MedianMinutes), mins(c.MedianMinutes), change(lang, p.MedianMinutes, c.MedianMinutes, minUnit(lang))},
		{word(lang, "cmp.resolve"), mins(p.MedianResolve), mins(c.MedianResolve), change(lang, p.MedianResolve, c.MedianResolve, minUnit(lang))},
	}
	meta := docMeta{Title: fmt.Sprintf(word(lang, "title.quarterly"), periodName(lang, r.cfg.loc, rv.Window)), Head: rv.Head}
	if d.Charts {
		charts, err := quarterlyCharts(lang, rv)
		if err != nil {
			return err
		}
		meta.charts = charts
	}
	return r.render(w, f, "quarterly", d, meta)
}

// quarterlyCharts draws the review's charts from its figures.
func quarterlyCharts(lang string, rv *incident.Review) (map[string]*chart, error) {
	var months, services []string
	var perMonth, minutes, perService []float64
	for _, m := range rv.ByMonth {
		months = append(months, monthName(lang, m.Name))
		perMonth = append(perMonth, float64(m.Count))
		minutes = append(minutes, m.Minutes)
	}
	for i, s := range rv.ByService {
		if i == 12 {
			break // the twelve with most incidents
		}
		services = append(services, s.Name)
		perService = append(perService, float64(s.Count))
	}
	out := map[string]*chart{}
	for _, c := range []struct {
		name, title, unit string
		labels            []string
		values            []float64
	}{
		{"months", word(lang, "chart.months"), word(lang, "chart.count"), months, perMonth},
		{"minutes", word(lang, "chart.minutes"), word(lang, "chart.min"), months, minutes},
		{"services", word(lang, "chart.services"), word(lang, "chart.count"), services, perService},
	} {
		ch, err := barChart(c.title, c.unit, c.labels, c.values)
		if err != nil {
			return nil, err
		}
		out[c.name] = ch
	}
	h, err := histogram(word(lang, "chart.resolve"), word(lang, "chart.min"), word(lang, "chart.count"), rv.Resolve.Values)
	if err != nil {
		return nil, err
	}
	out["resolve"] = h
	return out, nil
}

// minutesText is a number of minutes: whole, or to a tenth.
func minutesText(lang string, v float64) string {
	r := math.Round(v*10) / 10
	whole := math.Trunc(r)
	s := thousands(int64(whole))
	if frac := math.Round((r - whole) * 10); frac != 0 {
		s += "." + strconv.Itoa(int(math.Abs(frac)))
	}
	if lang == "ko" {
		return s + "분"
	}
	return s + " min"
}

func countUnit(lang string) string {
	if lang == "ko" {
		return "건"
	}
	return ""
}

func minUnit(lang string) string {
	if lang == "ko" {
		return "분"
	}
	return " min"
}

// change says how a figure moved: "▲ 3건", "▼ 12분", "변화 없음".
func change(lang string, before, now float64, unit string) string {
	d := math.Round((now-before)*10) / 10
	if d == 0 {
		return word(lang, "cmp.same")
	}
	arrow := "▲ "
	if d < 0 {
		arrow = "▼ "
	}
	s := arrow + strconv.FormatFloat(math.Abs(d), 'f', -1, 64) + unit
	if before > 0 {
		s += fmt.Sprintf(" (%+.0f%%)", (now-before)*100/before)
	}
	return s
}

// monthName names a month "2024-05" as the language does: "2024년 5월"
// in Korean; others as they are.
func monthName(lang, name string) string {
	var y, m int
	if n, err := fmt.Sscanf(name, "%d-%d", &y, &m); err == nil && n == 2 && lang == "ko" {
		return fmt.Sprintf("%d년 %d월", y, m)
	}
	return name
}

// periodName names a window: a quarter as "2024년 2분기" (Korean) or
// "Q2 2024"; any other span by its days.
func periodName(lang string, loc *time.Location, w incident.Window) string {
	var y, q int
	if n, err := fmt.Sscanf(w.Label, "%dQ%d", &y, &q); err == nil && n == 2 && fmt.Sprintf("%dQ%d", y, q) == w.Label {
		if lang == "ko" {
			return fmt.Sprintf("%d년 %d분기", y, q)
		}
		return fmt.Sprintf("Q%d %d", q, y)
	}
	return dayText(lang, loc, incident.DateOf(w.From, loc), false) + " ~ " + dayText(lang, loc, w.LastDay(), false)
}

// reviewFuncs are the template functions the review adds.
func (r *Renderer) reviewFuncs() map[string]any {
	lang, loc := r.cfg.lang, r.cfg.loc
	return map[string]any{
		"mins": func(v float64) string { return minutesText(lang, v) },
		"pctOf": func(n, of int) string {
			if of == 0 {
				return "—"
			}
			return strconv.Itoa(int(math.Round(float64(n)*100/float64(of)))) + "%"
		},
		"window": func(w incident.Window) string {
			if lang == "ko" {
				return dayText(lang, loc, incident.DateOf(w.From, loc), false) + " ~ " + dayText(lang, loc, w.LastDay(), false)
			}
			return w.From.In(loc).Format("2006-01-02") + " ~ " + w.LastDay().String()
		},
		// month names a month "2024-05" as the document's language does:
		// "2024년 5월"; others as they are.
		"month": func(name string) string { return monthName(lang, name) },
		// period names a window as people say it: "2024년 2분기", "Q2 2024".
		"period": func(w incident.Window) string { return periodName(lang, loc, w) },
		"number": func(v float64) string { return thousands(int64(math.Round(v))) },
		// date is a day as a document in the language writes it:
		// "2024. 5. 31.(금)", "31 May 2024".
		"date": func(v any) string { return dayText(lang, loc, v, false) },
		// dayw is date with the weekday: "2024. 5. 31.(금)".
		"dayw": func(v any) string { return dayText(lang, loc, v, true) },
		// when is a moment the same way, with its time: "2024. 5. 21. 08:30"
		// (no zone in a domestic document), "21 May 2024, 08:30 KST".
		"when": func(v any) string { return docWhen(lang, loc, v) },
		// due is a deadline: one that ends a day (23:59) is the day alone,
		// as a document says a deadline ("2024. 5. 31."); others as when.
		"due": func(v any) string {
			if t, ok := asTime(v); ok {
				if l := t.In(loc); l.Hour() == 23 && l.Minute() == 59 {
					return dayText(lang, loc, l, false)
				}
			}
			return docWhen(lang, loc, v)
		},
		// count is a whole number with thousands separators.
		"count": func(v any) string {
			switch n := v.(type) {
			case int:
				return thousands(int64(n))
			case int64:
				return thousands(n)
			case *int64:
				if n != nil {
					return thousands(*n)
				}
			}
			return "—"
		},
	}
}

// thousands writes n with separators: 4,000,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var koWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// dayText writes a day (a Date, a time, or a pointer to either) as an
// administrative document does; "—" for none.
func dayText(lang string, loc *time.Location, v any, weekday bool) string {
	var t time.Time
	switch d := v.(type) {
	case incident.Date:
		if d.IsZero() {
			return "—"
		}
		t = d.In(loc)
	case *incident.Date:
		if d == nil || d.IsZero() {
			return "—"
		}
		t = d.In(loc)
	default:
		x, ok := asTime(v)
		if !ok {
			return "—"
		}
		t = x.In(loc)
	}
	if lang == "ko" {
		s := fmt.Sprintf("%d. %d. %d.", t.Year(), t.Month(), t.Day())
		if weekday {
			s += "(" + koWeekdays[t.Weekday()] + ")"
		}
		return s
	}
	if weekday {
		return t.Format("Monday 2 January 2006")
	}
	return t.Format("2 January 2006")
}

// docWhen writes a moment as an administrative document does.
func docWhen(lang string, loc *time.Location, v any) string {
	t, ok := asTime(v)
	if !ok {
		return "—"
	}
	t = t.In(loc)
	if lang == "ko" {
		return fmt.Sprintf("%d. %d. %d. %s", t.Year(), t.Month(), t.Day(), t.Format("15:04"))
	}
	return t.Format("2 January 2006, 15:04 MST")
}
