package incident

import (
	"strings"
	"time"
)

// Kind says what a timeline event was.
type Kind string

// The event kinds.
const (
	KindDetect   Kind = "detect"
	KindAction   Kind = "action"
	KindComms    Kind = "comms"
	KindMitigate Kind = "mitigate"
	KindResolve  Kind = "resolve"
	KindNote     Kind = "note"
	// KindSystem entries are written by the store when the record changes
	// (declared, severity, key times, ...); nobody logs them by hand.
	KindSystem Kind = "system"
)

// Kinds lists every event kind a person logs, in the order a timeline
// usually runs (KindSystem is not among them).
var Kinds = []Kind{KindDetect, KindAction, KindComms, KindMitigate, KindResolve, KindNote}

// ParseKind accepts one of Kinds.
func ParseKind(s string) (Kind, error) {
	return parseEnum("kind", "an event kind", s, Kinds, strings.ToLower)
}

// Event is one entry of an incident's timeline.
type Event struct {
	ID         int64
	IncidentID int64
	// At is when it happened; RecordedAt is when it was typed in.
	At         time.Time
	Kind       Kind
	Text       string
	Author     string
	RecordedAt time.Time
	// RetractedAt is when the event was retracted, nil while it stands;
	// a retracted event stays on the timeline with its reason.
	RetractedAt   *time.Time
	RetractReason string
	// Notice is set on a comms entry that is a notice to an audience
	// outside (users, or users about compensation): the record that meets
	// a regime's notice duty.
	Notice Notice
}

// Notice names who a notice on the timeline was for.
type Notice string

// The notice audiences.
const (
	NoticeUsers        Notice = "users"
	NoticeCompensation Notice = "compensation"
)

// Notices lists the notice audiences.
var Notices = []Notice{NoticeUsers, NoticeCompensation}

// ParseNotice accepts one of Notices.
func ParseNotice(s string) (Notice, error) {
	return parseEnum("notice", "a notice audience", s, Notices, strings.ToLower)
}

// Retracted reports whether the event was withdrawn.
func (e *Event) Retracted() bool { return e.RetractedAt != nil }

// Validate checks the event against now.
func (e *Event) Validate(now time.Time) error {
	e.Text = strings.TrimSpace(e.Text)
	if e.Text == "" {
		return invalid("text", "must not be empty")
	}
	if err := checkTexts(textField{"text", e.Text, MaxText}, textField{"author", e.Author, MaxName}); err != nil {
		return err
	}
	if e.Kind != KindSystem {
		if _, err := ParseKind(string(e.Kind)); err != nil {
			return err
		}
	}
	if e.Notice != "" {
		if _, err := ParseNotice(string(e.Notice)); err != nil {
			return err
		}
		if e.Kind != KindComms {
			return invalid("notice", "a notice is a comms entry; log it with --kind comms (this one is %s)", e.Kind)
		}
	}
	if e.At.Before(minTime) {
		return invalid("at", "%s is before 1970", e.At.UTC().Format(time.RFC3339))
	}
	if err := happened("at", &e.At, now); err != nil {
		return err
	}
	return nil
}
