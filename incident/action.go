package incident

import (
	"strings"
	"time"
)

// Area is the regulatory area an action item answers to.
type Area string

// The six areas of the 2024 MSIT order, and "other".
const (
	AreaPretest       Area = "pretest"
	AreaChangeControl Area = "change-control"
	AreaManuals       Area = "manuals"
	AreaMonitoring    Area = "monitoring"
	AreaRCA           Area = "rca"
	AreaUserNotice    Area = "user-notice"
	AreaOther         Area = "other"
)

// Areas lists every area in the order the ministry listed them.
var Areas = []Area{AreaPretest, AreaChangeControl, AreaManuals, AreaMonitoring, AreaRCA, AreaUserNotice, AreaOther}

// ParseArea accepts one of Areas.
func ParseArea(s string) (Area, error) {
	return parseEnum("area", "an area", s, Areas, strings.ToLower)
}

// ActionStatus is where an action item stands.
type ActionStatus string

// The action statuses.
const (
	ActionPlanned    ActionStatus = "planned"
	ActionInProgress ActionStatus = "in-progress"
	ActionDone       ActionStatus = "done"
	ActionDropped    ActionStatus = "dropped"
)

// ActionStatuses lists every action status.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionInProgress, ActionDone, ActionDropped}

// ParseActionStatus accepts one of ActionStatuses.
func ParseActionStatus(s string) (ActionStatus, error) {
	return parseEnum("status", "an action status", s, ActionStatuses, strings.ToLower)
}

// Action is a measure that will be taken, by whom and by when.
type Action struct {
	ID         int64
	IncidentID *int64
	OrderID    *int64
	Area       Area
	Text       string
	Owner      string
	// Due is a calendar date (midnight UTC stands for the day).
	Due    Date
	Status ActionStatus
	// Evidence shows completion, dated EvidenceOn; DoneOn is the day the
	// measure was completed.
	Evidence   string
	EvidenceOn *Date
	DoneOn     *Date
	Created    time.Time
	// RevisedDue is the later date a late measure is now due; Reason why it
	// is late, or why it was withdrawn.
	RevisedDue *Date
	Reason     string
	// RevisedOn is the day the due date was moved (nil when it was not,
	// or moved before the day was kept).
	RevisedOn *Date
	// Finding is the number of the order's finding the measure answers,
	// if it names one.
	Finding *int
	// DroppedOn is the day it was withdrawn (nil if not, or withdrawn
	// before the day was kept).
	DroppedOn *Date
	// Verify is how the measure's completion is to be confirmed (the
	// plan's 완료 확인 방법): a test, an inspection, a document; "" for the
	// evidence to be given when done.
	Verify string
	// English holds English texts of the measure, its 완료 확인 방법 and
	// its reason, for documents in English.
	English English
	// Version is the measure's version, the seq of its last change in the
	// history: a save built on an older one is refused with what changed
	// since (Store.UpdateActionAt). Filled by Store.Actions and the
	// updates.
	Version int64
}

// Late reports whether the measure missed its due date at the day on: done
// after it, or still open past it (a revised date does not undo that).
func (a *Action) Late(on Date) bool {
	switch {
	case a.Status == ActionDropped:
		return false
	case a.Status == ActionDone && a.DoneOn != nil:
		return a.DoneOn.After(a.Due)
	}
	return on.After(a.Due)
}

// Closed reports whether the action needs no more work.
func (a *Action) Closed() bool { return a.Status == ActionDone || a.Status == ActionDropped }

// Validate checks the action.
func (a *Action) Validate() error {
	a.Text = strings.TrimSpace(a.Text)
	a.Owner = strings.TrimSpace(a.Owner)
	if a.Text == "" {
		return invalid("text", "must not be empty")
	}
	if err := checkTexts(textField{"text", a.Text, MaxText}, textField{"owner", a.Owner, MaxName},
		textField{"evidence", a.Evidence, MaxProse}, textField{"reason", a.Reason, MaxText}, textField{"verify", a.Verify, MaxText}); err != nil {
		return err
	}
	if err := a.English.check(actionEnglish); err != nil {
		return err
	}
	if a.RevisedDue != nil {
		if !a.RevisedDue.After(a.Due) {
			return invalid("revised-due", "%s is not after the due date %s; a revised date is later", a.RevisedDue, a.Due)
		}
		if strings.TrimSpace(a.Reason) == "" {
			return invalid("reason", "a revised due date needs the reason it is late; give --reason TEXT")
		}
	}
	if a.DroppedOn != nil && a.Status != ActionDropped {
		return invalid("dropped-on", "the measure is %s; a withdrawal day is for a withdrawn one", a.Status)
	}
	if a.Status == ActionDropped && strings.TrimSpace(a.Reason) == "" {
		return invalid("reason", "a measure is withdrawn for a reason; give --reason TEXT")
	}
	if a.IncidentID == nil && a.OrderID == nil {
		return invalid("incident", "an action belongs to an incident or an order; give one")
	}
	if a.Finding != nil && a.OrderID == nil {
		return invalid("finding", "a measure answers a finding of an order; give --order too")
	}
	if _, err := ParseArea(string(a.Area)); err != nil {
		return err
	}
	if a.Owner == "" {
		return invalid("owner", "must not be empty")
	}
	if a.Due.IsZero() {
		return invalid("due", "a due date is required (YYYY-MM-DD)")
	}
	if _, err := ParseActionStatus(string(a.Status)); err != nil {
		return err
	}
	return nil
}

// validateAt checks the days that record what happened against the clock.
func (a *Action) validateAt(now time.Time) error {
	if err := happenedOn("done", a.DoneOn, now); err != nil {
		return err
	}
	if err := happenedOn("dropped-on", a.DroppedOn, now); err != nil {
		return err
	}
	if err := happenedOn("revised-on", a.RevisedOn, now); err != nil {
		return err
	}
	return happenedOn("evidence-on", a.EvidenceOn, now)
}
