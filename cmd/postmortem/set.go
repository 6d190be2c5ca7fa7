package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/postmortem/postmortem/incident"
)

type setOptions struct {
	parsed
	idArg string
	f     *factory
	// ifVersion, when given, is the version the change is built on.
	ifVersion int64
	// text fields, applied when their flag was given
	title, cause, trigger, symptoms, services, severity, status string
	wentWell, wentWrong, lucky                                  string
	contributing                                                []string
	usersAffected, usersCount                                   string
	times                                                       map[string]*string
	relatesTo, unrelate                                         string
	causeCategory                                               string
	tags                                                        []string
	en                                                          []string
}

var timeFields = []string{"started", "detected", "acknowledged", "mitigated", "resolved", "classified", "material-at"}

// timeHelp says what a time flag records, where "when it was NAME" would
// not.
var timeHelp = map[string]string{
	"classified":  `when it was classified as major (EU DORA's initial notification runs from it; "" clears)`,
	"material-at": `when it was determined to be material (SEC Form 8-K runs from it; "" clears)`,
}

func newSetCmd(f *factory, runF func(*setOptions) error) *cobra.Command {
	o := &setOptions{f: f, times: map[string]*string{}}
	cmd := &cobra.Command{
		Use:   "set ID [flags]",
		Short: "Change an incident's fields; only the flags given are changed",
		Args:  args(1, 1, "an incident id"),
		RunE:  runE(o, func(a []string) { o.idArg = a[0] }, runF),
	}
	fl := cmd.Flags()
	f.reasonFlag(cmd)
	fl.StringVar(&o.title, "title", "", "title")
	fl.Int64Var(&o.ifVersion, "if-version", 0, "save only if the incident is still at this version (show --json has it); else say what changed since")
	fl.StringVar(&o.services, "service", "", "affected services, comma-separated (replaces)")
	fl.StringVar(&o.severity, "severity", "", "SEV1 to SEV4")
	fl.StringVar(&o.status, "status", "", "reviewed, once resolved, or resolved to take a review back (the others follow the key times)")
	fl.StringVar(&o.cause, "cause", "", "root cause")
	fl.StringVar(&o.trigger, "trigger", "", "what set it off")
	fl.StringVar(&o.symptoms, "symptoms", "", "what users saw")
	fl.StringArrayVar(&o.contributing, "contributing", nil, "a contributing factor (repeat; replaces the list)")
	fl.StringVar(&o.wentWell, "went-well", "", "lessons: what went well")
	fl.StringVar(&o.wentWrong, "went-wrong", "", "lessons: what went wrong")
	fl.StringVar(&o.lucky, "lucky", "", "lessons: where we were lucky")
	fl.StringVar(&o.usersAffected, "users-affected", "", "percent of users affected, 0 to 100")
	fl.StringVar(&o.usersCount, "users-affected-count", "", "number of users affected")
	for _, name := range timeFields {
		help := timeHelp[name]
		if help == "" {
			help = "when it was " + name
		}
		o.times[name] = fl.String(name, "", help)
	}
	fl.StringVar(&o.relatesTo, "relates-to", "", "related incident ids, comma-separated (added)")
	fl.StringVar(&o.unrelate, "unrelate", "", "incident ids to unlink, comma-separated (a link made by mistake)")
	fl.StringVar(&o.causeCategory, "cause-category", "", "what the cause was, for what repeats: "+strings.Join(incident.CauseCategories, ", ")+` ("" clears)`)
	fl.StringSliceVar(&o.tags, "tag", nil, "a free tag (repeat, or comma-separated; replaces; --tag= clears)")
	englishFlag(cmd, &o.en, "incident")
	return cmd
}

func (o *setOptions) run() error {
	id, err := incident.ParseID("incident", o.idArg)
	if err != nil {
		return err
	}
	changed := o.changed
	var statusAsked incident.Status
	// Read every value before touching the database, so a bad one changes
	// nothing.
	var edits []func(*incident.Incident)
	str := func(flag string, v string, dst func(*incident.Incident) *string) {
		if changed(flag) {
			edits = append(edits, func(in *incident.Incident) { *dst(in) = v })
		}
	}
	str("title", o.title, func(in *incident.Incident) *string { return &in.Title })
	str("cause", o.cause, func(in *incident.Incident) *string { return &in.Cause })
	str("trigger", o.trigger, func(in *incident.Incident) *string { return &in.Trigger })
	str("symptoms", o.symptoms, func(in *incident.Incident) *string { return &in.Symptoms })
	str("went-well", o.wentWell, func(in *incident.Incident) *string { return &in.Lessons.WentWell })
	str("went-wrong", o.wentWrong, func(in *incident.Incident) *string { return &in.Lessons.WentWrong })
	str("lucky", o.lucky, func(in *incident.Incident) *string { return &in.Lessons.Lucky })
	if changed("service") {
		v := incident.SplitList(o.services)
		edits = append(edits, func(in *incident.Incident) { in.Services = v })
	}
	if changed("contributing") {
		v := o.contributing
		edits = append(edits, func(in *incident.Incident) { in.Contributing = v })
	}
	if changed("severity") {
		sev, err := incident.ParseSeverity(o.severity)
		if err != nil {
			return err
		}
		edits = append(edits, func(in *incident.Incident) { in.Severity = sev })
	}
	if changed("status") {
		st, err := incident.ParseStatus(o.status)
		if err != nil {
			return err
		}
		statusAsked = st
	}
	if changed("users-affected") {
		pct, err := incident.ParsePercent(o.usersAffected)
		if err != nil {
			return err
		}
		edits = append(edits, func(in *incident.Incident) { in.UsersAffectedPct = pct })
	}
	if changed("users-affected-count") {
		n, err := incident.ParseCount(o.usersCount)
		if err != nil {
			return err
		}
		edits = append(edits, func(in *incident.Incident) { in.UsersAffected = n })
	}
	for _, name := range timeFields {
		if !changed(name) {
			continue
		}
		var t *time.Time
		if _, clears := timeHelp[name]; !clears || strings.TrimSpace(*o.times[name]) != "" {
			var err error
			if t, err = o.f.parseTimeOn(o.ctx, name, *o.times[name], id); err != nil {
				return err
			}
		}
		edits = append(edits, func(in *incident.Incident) { *in.KeyTime(strings.TrimSuffix(name, "-at")) = t })
	}
	if changed("cause-category") {
		v := strings.TrimSpace(o.causeCategory)
		if v != "" {
			var err error
			if v, err = incident.ParseCauseCategory(v); err != nil {
				return err
			}
		}
		edits = append(edits, func(in *incident.Incident) { in.CauseCategory = v })
	}
	if changed("tag") {
		v := splitAll(o.tags)
		sort.Strings(v)
		v = slices.Compact(v)
		edits = append(edits, func(in *incident.Incident) { in.Tags = v })
	}
	if changed("relates-to") {
		ids, err := incident.ParseIDs("relates-to", o.relatesTo)
		if err != nil {
			return err
		}
		edits = append(edits, func(in *incident.Incident) { in.Related = append(in.Related, ids...) })
	}
	var unlink []int64
	if changed("unrelate") {
		var err error
		if unlink, err = incident.ParseIDs("unrelate", o.unrelate); err != nil {
			return err
		}
		edits = append(edits, func(in *incident.Incident) {
			// A new list: the record as it was shares the old one.
			var keep []int64
			for _, r := range in.Related {
				if !slices.Contains(unlink, r) {
					keep = append(keep, r)
				}
			}
			in.Related = keep
		})
	}
	var english map[string]string
	if changed("en") {
		if english, err = englishTexts(o.en, "incident"); err != nil {
			return err
		}
	}
	if len(edits) == 0 && statusAsked == "" && english == nil {
		return usageError{errNothingToSet}
	}
	s, err := o.f.Store(o.ctx)
	if err != nil {
		return err
	}
	update := s.UpdateIncident
	if changed("if-version") {
		update = func(ctx context.Context, id int64, change func(*incident.Incident) error) (*incident.Incident, error) {
			return s.UpdateIncidentAt(ctx, id, o.ifVersion, change)
		}
	}
	in, err := update(o.ctx, id, func(in *incident.Incident) error {
		for _, r := range unlink {
			if !slices.Contains(in.Related, r) {
				linked := joinIDs(in.Related)
				if linked == "" {
					linked = "none"
				}
				return &incident.FieldError{Field: "unrelate", Msg: fmt.Sprintf("incident %d is not linked to #%d; linked: %s", id, r, linked)}
			}
		}
		for _, e := range edits {
			e(in)
		}
		if err := in.SetEnglish(english); err != nil {
			return err
		}
		if statusAsked != "" {
			return in.SetStatus(statusAsked)
		}
		return nil
	})
	var stale *incident.StaleError
	if errors.As(err, &stale) {
		return staleError(o.f, stale, fmt.Sprintf("read it again (show %d --json has its version), then set with --if-version %d", stale.ID, stale.Now))
	}
	if err != nil {
		return err
	}
	o.f.status("saved incident %d (%s, version %d)", in.ID, in.Status, in.Version)
	return nil
}

// staleError says what changed since the version a script read, by whom
// and when, and (again) how to save over it knowingly.
func staleError(f *factory, e *incident.StaleError, again string) error {
	loc, _ := f.Location()
	var said []string
	for _, c := range e.Changes {
		said = append(said, fmt.Sprintf("%s %s → %s by %s at %s", c.Field, clip(inLoc(c.Old, loc)), clip(inLoc(c.New, loc)),
			incident.Printable(c.Author), c.Time().In(loc).Format(showTime)))
	}
	msg := fmt.Sprintf("%s %d changed since version %d (it is at %d)", e.Entity, e.ID, e.Had, e.Now)
	if len(said) > 0 {
		msg += ": " + strings.Join(said, "; ")
	}
	return toldError{fmt.Sprintf("%s; nothing was saved: %s", msg, again), e}
}

// toldError is an error told in words of its own, over the error it stands for
// (which decides the exit code), so the message says it once.
type toldError struct {
	msg string
	err error
}

func (e toldError) Error() string { return e.msg }
func (e toldError) Unwrap() error { return e.err }
