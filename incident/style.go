package incident

import (
	"fmt"
	"strings"
)

// StyleNotes name the texts of the order's records that end as a sentence
// does, in the 합니다 or the 한다 style (…했습니다, …하였다), where a
// Korean report's sentences, and the texts it quotes, use noun endings
// (…함, …음, …임, …예정): one ending style throughout, as a reviewer reads
// it. Each says which record and field.
func (v *OrderView) StyleNotes() []string {
	var notes []string
	check := func(what, text string) {
		t := strings.TrimRight(strings.TrimSpace(text), ".")
		style := ""
		switch {
		case strings.HasSuffix(t, "니다") || strings.HasSuffix(t, "니까"):
			style = "the 합니다 style"
		case strings.HasSuffix(t, "다"):
			style = "the 한다 style"
		default:
			return
		}
		notes = append(notes, fmt.Sprintf("%s ends in %s (%q): write it with a noun ending (…함, …음, …임, …예정), as the report's own sentences are", what, style, tail(t)))
	}
	for _, ci := range v.Covered {
		check(fmt.Sprintf("incident %d's cause", ci.I.ID), ci.I.Cause)
		check(fmt.Sprintf("incident %d's symptoms", ci.I.ID), ci.I.Symptoms)
		check(fmt.Sprintf("incident %d's trigger", ci.I.ID), ci.I.Trigger)
	}
	for _, f := range v.Order.Findings {
		check(fmt.Sprintf("finding %d", f.No), f.Text)
		check(fmt.Sprintf("finding %d's result", f.No), f.Result)
	}
	for _, a := range v.Actions {
		check(fmt.Sprintf("measure %d", a.ID), a.Text)
		check(fmt.Sprintf("measure %d's reason", a.ID), a.Reason)
		check(fmt.Sprintf("measure %d's evidence", a.ID), a.Evidence)
		check(fmt.Sprintf("measure %d's 완료 확인 방법", a.ID), a.Verify)
	}
	return notes
}

// tail is the last few words of s, for a message.
func tail(s string) string {
	r := []rune(s)
	if len(r) > 12 {
		return "…" + string(r[len(r)-12:])
	}
	return s
}
