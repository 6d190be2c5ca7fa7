package incident

import (
	"strings"
	"time"
)

// UpdateCadence is how often users are told how things stand while an
// incident of severity s runs: the next notice is due this long after the
// last.
func UpdateCadence(s Severity) time.Duration {
	switch s {
	case SEV1:
		return 30 * time.Minute
	case SEV2:
		return time.Hour
	case SEV3:
		return 2 * time.Hour
	}
	return 4 * time.Hour
}

// Stage is which notice to users is written: the first, a later one while
// the incident runs, or the one saying it is over.
type Stage string

// The notice stages.
const (
	StageStart    Stage = "start"
	StageUpdate   Stage = "update"
	StageResolved Stage = "resolved"
)

// Stages lists the notice stages.
var Stages = []Stage{StageStart, StageUpdate, StageResolved}

// ParseStage accepts one of Stages.
func ParseStage(s string) (Stage, error) {
	return parseEnum("stage", "a notice stage", s, Stages, strings.ToLower)
}

// over reports whether the incident is resolved (or reviewed).
func (in *Incident) over() bool { return in.Status == StatusResolved || in.Status == StatusReviewed }

// NoticeStage settles which notice the view's state calls for: asked
// (when not empty) is checked against it; otherwise a resolved incident
// gets the resolved notice, one with a notice to users already sent an
// update, and any other the first. It also gives the notice's number: 1
// for the first, one more than those sent before for an update.
func (v *PostmortemView) NoticeStage(asked Stage) (Stage, int, error) {
	in := v.Incident
	sent := len(v.usersNotices())
	if start := firstTime(in.StartedAt, in.DetectedAt); start == nil || (!v.Point.AsOf.IsZero() && v.Point.AsOf.Before(*start)) {
		return "", 0, invalid("as-of", "incident %d had not started at the moment shown; a notice needs the start of what it is about", in.ID)
	}
	switch {
	case asked == StageResolved && !in.over():
		return "", 0, invalid("stage", "incident %d is not resolved (as of the moment shown); a resolved notice needs its end: resolve it, or give --stage start or update", in.ID)
	case asked != "" && asked != StageResolved && in.over():
		return "", 0, invalid("stage", "incident %d is resolved; give --stage resolved, or --as-of a moment before its resolution for a notice written then", in.ID)
	case asked == StageStart:
		return StageStart, 1, nil
	case asked == StageUpdate:
		return StageUpdate, max(sent+1, 2), nil
	case in.over():
		return StageResolved, sent + 1, nil
	case sent > 0:
		return StageUpdate, sent + 1, nil
	}
	return StageStart, 1, nil
}

func (v *PostmortemView) usersNotices() []Event {
	var out []Event
	for _, e := range v.Notices() {
		if e.Notice == NoticeUsers {
			out = append(out, e)
		}
	}
	return out
}
