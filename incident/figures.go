package incident

import (
	"math"
	"time"
)

// Figures are the durations derived from an incident's key times. A figure
// is nil when a time it needs is missing.
//
// TimeToDetect runs from the start to detection; TimeToMitigate and
// TimeToResolve run from detection, so they measure the response, while
// Outage runs from the start to resolution.
type Figures struct {
	Outage         *time.Duration
	TimeToDetect   *time.Duration
	TimeToMitigate *time.Duration
	TimeToResolve  *time.Duration
	// UserMinutes is outage minutes times users affected (the FCC measure);
	// nil unless both the outage and the user count are known.
	UserMinutes *float64
}

// Figures derives the incident's durations.
func (in *Incident) Figures() Figures {
	var f Figures
	f.Outage = span(in.StartedAt, in.ResolvedAt)
	f.TimeToDetect = span(in.StartedAt, in.DetectedAt)
	f.TimeToMitigate = span(in.DetectedAt, in.MitigatedAt)
	f.TimeToResolve = span(in.DetectedAt, in.ResolvedAt)
	if f.Outage != nil && in.UsersAffected != nil {
		um := ExactMinutes(*f.Outage) * float64(*in.UsersAffected)
		f.UserMinutes = &um
	}
	return f
}

// KeyTime is the field holding the key time called name: started,
// detected, acknowledged, mitigated, or (any other) resolved.
func (in *Incident) KeyTime(name string) **time.Time {
	switch name {
	case "started":
		return &in.StartedAt
	case "detected":
		return &in.DetectedAt
	case "acknowledged":
		return &in.AcknowledgedAt
	case "mitigated":
		return &in.MitigatedAt
	case "classified":
		return &in.ClassifiedAt
	case "material":
		return &in.MaterialAt
	}
	return &in.ResolvedAt
}

// Elapsed is how long the incident has run at now: to resolution when
// resolved, else to now. Zero when the start is unknown.
func (in *Incident) Elapsed(now time.Time) time.Duration {
	if in.StartedAt == nil {
		return 0
	}
	end := now
	if in.ResolvedAt != nil {
		end = *in.ResolvedAt
	}
	if end.Before(*in.StartedAt) {
		return 0
	}
	return end.Sub(*in.StartedAt)
}

func span(from, to *time.Time) *time.Duration {
	if from == nil || to == nil {
		return nil
	}
	d := to.Sub(*from)
	return &d
}

// WholeMinutes is d in whole minutes, rounded down.
func WholeMinutes(d time.Duration) int64 { return int64(d / time.Minute) }

// ExactMinutes is d in minutes with the seconds as a fraction, to the
// millisecond.
func ExactMinutes(d time.Duration) float64 {
	return math.Round(d.Minutes()*1000) / 1000
}
