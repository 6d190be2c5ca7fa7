package incident

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// ProgressFunc hears how far a long job has come: done out of total units
// (bytes or records; total 0 when not known).
type ProgressFunc func(done, total int64)

// dumpWriter writes an export one record at a time, so memory stays flat
// however large the database: the lists are laid out a record to a line,
// each record compact, which keeps the file diffable record by record and
// the writing fast (indenting every record cost more than reading them).
type dumpWriter struct {
	w     *bufio.Writer
	enc   *json.Encoder
	buf   bytes.Buffer
	first bool // the next record is the first of its list
	err   error
}

func newDumpWriter(w io.Writer) *dumpWriter {
	d := &dumpWriter{w: bufio.NewWriterSize(w, 1<<16)}
	d.enc = json.NewEncoder(&d.buf)
	d.enc.SetEscapeHTML(false)
	d.printf("{\n  \"format\": %q,\n  \"version\": %d", DumpFormat, DumpVersion)
	return d
}

func (d *dumpWriter) printf(format string, args ...any) {
	if d.err == nil {
		_, d.err = fmt.Fprintf(d.w, format, args...)
	}
}

// list opens a list; empty lists are closed by end as "[]".
func (d *dumpWriter) list(name string) {
	d.printf(",\n  %q: [", name)
	d.first = true
}

func (d *dumpWriter) record(v any) {
	if d.err != nil {
		return
	}
	d.buf.Reset()
	if d.err = d.enc.Encode(v); d.err != nil {
		return
	}
	if d.first {
		d.printf("\n    ")
	} else {
		d.printf(",\n    ")
	}
	d.first = false
	if d.err == nil {
		_, d.err = d.w.Write(bytes.TrimSuffix(d.buf.Bytes(), []byte("\n")))
	}
}

func (d *dumpWriter) end() {
	if d.first {
		d.printf("]")
	} else {
		d.printf("\n  ]")
	}
}

func (d *dumpWriter) close() error {
	d.printf("\n}\n")
	if d.err == nil {
		d.err = d.w.Flush()
	}
	return d.err
}

// WriteJSON writes d as indented JSON with a final newline, the bytes
// Store.ExportTo writes for the same records.
func (d *Dump) WriteJSON(w io.Writer) error {
	out := newDumpWriter(w)
	out.list("incidents")
	for i := range d.Incidents {
		out.record(&d.Incidents[i])
	}
	out.end()
	out.list("actions")
	for i := range d.Actions {
		out.record(&d.Actions[i])
	}
	out.end()
	out.list("orders")
	for i := range d.Orders {
		out.record(&d.Orders[i])
	}
	out.end()
	writeList(out, "services", d.Services)
	writeList(out, "freezes", d.Freezes)
	writeList(out, "duties", d.Duties)
	writeList(out, "org", d.Org)
	if len(d.History) > 0 {
		out.list("history")
		for i := range d.History {
			out.record(&d.History[i])
		}
		out.end()
	}
	return out.close()
}

// writeList writes a list only when it has records.
func writeList[T any](out *dumpWriter, name string, recs []T) {
	if len(recs) == 0 {
		return
	}
	out.list(name)
	for i := range recs {
		out.record(&recs[i])
	}
	out.end()
}

// ExportTo writes the whole database, with its history, as an export, in
// one snapshot, streaming: incidents and their timelines are read side by
// side in id order, so memory does not grow with the database.
func (s *Store) ExportTo(ctx context.Context, w io.Writer, progress ProgressFunc) error {
	return s.read(ctx, func(q querier) error {
		var total, done int64
		if progress != nil {
			if err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM actions)
				+ (SELECT count(*) FROM orders) + (SELECT count(*) FROM history) + (SELECT count(*) FROM services)
				+ (SELECT count(*) FROM freezes) + (SELECT count(*) FROM duties)`).Scan(&total); err != nil {
				return err
			}
		}
		tick := func() {
			if done++; progress != nil && done%1024 == 0 {
				progress(done, total)
			}
		}
		out := newDumpWriter(w)
		out.list("incidents")
		if err := exportIncidents(ctx, q, out, tick); err != nil {
			return err
		}
		out.end()
		out.list("actions")
		actions, err := q.QueryContext(ctx, `SELECT `+actionEntity.cols(dialectOf(q))+` FROM actions ORDER BY id`)
		if err != nil {
			return err
		}
		for actions.Next() {
			a, err := scanAction(actions)
			if err != nil {
				actions.Close()
				return err
			}
			r := a.record()
			out.record(&r)
			tick()
		}
		actions.Close()
		out.end()
		orders, err := queryOrders(ctx, q)
		if err != nil {
			return err
		}
		archives, err := readArchives(ctx, q, ``)
		if err != nil {
			return err
		}
		byOrder := map[int64][]Archive{}
		for _, a := range archives {
			byOrder[a.order] = append(byOrder[a.order], a)
		}
		out.list("orders")
		for _, o := range orders {
			r := o.record()
			r.Archives = byOrder[o.ID]
			out.record(&r)
			tick()
		}
		out.end()
		if err := exportCatalogue(ctx, q, out, tick); err != nil {
			return err
		}
		hist, err := q.QueryContext(ctx, `SELECT `+historyColumns+` FROM history ORDER BY seq`)
		if err != nil {
			return err
		}
		opened := false
		for hist.Next() {
			c, err := scanChange(hist)
			if err != nil {
				hist.Close()
				return err
			}
			if !opened {
				out.list("history")
				opened = true
			}
			out.record(&c)
			tick()
		}
		hist.Close()
		if opened {
			out.end()
		}
		if err := out.close(); err != nil {
			return err
		}
		if progress != nil {
			progress(total, total)
		}
		return nil
	})
}

// exportIncidents merges two ordered reads, incidents by id and events by
// incident, time and id, writing each incident with its timeline.
func exportIncidents(ctx context.Context, q querier, out *dumpWriter, tick func()) error {
	incs, err := openStream(ctx, q, `SELECT `+incidentEntity.cols(dialectOf(q))+` FROM incidents ORDER BY id`)
	if err != nil {
		return err
	}
	defer incs.Close()
	evs, err := openStream(ctx, q, `SELECT `+eventEntity.cols(dialectOf(q))+` FROM events ORDER BY incident_id, at, id`)
	if err != nil {
		return err
	}
	defer evs.Close()
	var pending *Event
	nextEvent := func() (*Event, error) {
		if !evs.Next() {
			return nil, evs.Err()
		}
		return scanEvent(evs)
	}
	if pending, err = nextEvent(); err != nil {
		return err
	}
	for incs.Next() {
		in, err := scanIncident(incs)
		if err != nil {
			return err
		}
		for pending != nil && pending.IncidentID <= in.ID {
			if pending.IncidentID == in.ID {
				in.Timeline = append(in.Timeline, *pending)
			}
			if pending, err = nextEvent(); err != nil {
				return err
			}
		}
		r := in.Record(time.UTC)
		out.record(&r)
		tick()
	}
	return incs.Err()
}

// dumpSink takes the records of an export as they are read.
type dumpSink interface {
	incident(i int, r *IncidentRecord) error
	action(i int, r *ActionRecord) error
	order(i int, r *OrderRecord) error
	service(i int, r *ServiceRecord) error
	freeze(i int, r *FreezeRecord) error
	duty(i int, r *DutyRecord) error
	org(i int, r *Org) error
	change(i int, c *Change) error
}

// readDump reads an export strictly, one record at a time: the format and
// version first, every field known, every id positive, every enum one of
// its values, nothing after the end. A refusal names the record (by its
// place in the file and its id) and the field.
func readDump(r io.Reader, sink dumpSink) error {
	strict := newStrictJSON(r)
	err := readDumpFrom(strict, sink)
	if strict.err != nil {
		return strict.err // what the decoder made of it says less
	}
	return err
}

func readDumpFrom(r io.Reader, sink dumpSink) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	bad := func(format string, args ...any) error { return invalid("import", format, args...) }
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return bad("not a postmortem export: it does not start with a JSON object")
	}
	var format string
	var version int
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad("not a postmortem export: %v", err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return bad("%q appears twice", key)
		}
		seen[key] = true
		if key != "format" && key != "version" && (format == "" || version == 0) {
			return bad(`"format" and "version" must come first; found %q`, key)
		}
		switch key {
		case "format":
			if err := dec.Decode(&format); err != nil || format != DumpFormat {
				return bad("format is %q; accepted: %q", format, DumpFormat)
			}
		case "version":
			if err := dec.Decode(&version); err != nil || version < 1 || version > DumpVersion {
				return bad("export version %d; this build reads 1 to %d", version, DumpVersion)
			}
		case "incidents":
			var rec IncidentRecord
			err = readList(dec, "incident", &rec, func(i int) error { return sink.incident(i, &rec) })
		case "actions":
			var rec ActionRecord
			err = readList(dec, "action", &rec, func(i int) error { return sink.action(i, &rec) })
		case "orders":
			var rec OrderRecord
			err = readList(dec, "order", &rec, func(i int) error { return sink.order(i, &rec) })
		case "services":
			var rec ServiceRecord
			err = readList(dec, "service", &rec, func(i int) error { return sink.service(i, &rec) })
		case "freezes":
			var rec FreezeRecord
			err = readList(dec, "freeze", &rec, func(i int) error { return sink.freeze(i, &rec) })
		case "duties":
			var rec DutyRecord
			err = readList(dec, "duty", &rec, func(i int) error { return sink.duty(i, &rec) })
		case "org":
			var rec Org
			err = readList(dec, "org", &rec, func(i int) error { return sink.org(i, &rec) })
		case "history":
			var rec Change
			err = readList(dec, "history row", &rec, func(i int) error { return sink.change(i, &rec) })
		default:
			return bad("unknown field %q; accepted: format, version, incidents, actions, orders, services, freezes, duties, org, history", key)
		}
		if err != nil {
			return err
		}
	}
	if format == "" || version == 0 {
		return bad("not a postmortem export: no format or version")
	}
	if _, err := dec.Token(); err != nil {
		return bad("not a postmortem export: %v", err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		return bad("trailing data after the export (%v%v)", tok, errText(err))
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

// readList reads a JSON list into rec, one element at a time, calling fn
// with its place (from 1); an error is prefixed with the record it
// concerns. rec is reset before each element, so no field carries over.
func readList[T any](dec *json.Decoder, what string, rec *T, fn func(i int) error) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return invalid("import", "the %ss are not a list", what)
	}
	for i := 1; dec.More(); i++ {
		var zero T
		*rec = zero
		if err := dec.Decode(rec); err != nil {
			return invalid("import", "%s %d in the file does not read: %v", what, i, err)
		}
		if err := fn(i); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) && fe.Field == "import" {
				return err
			}
			return fmt.Errorf("%s %d in the file: %w", what, i, err)
		}
	}
	_, err := dec.Token()
	return err
}

// ReadDump parses and checks a whole export in memory (small files and
// tests; the import command streams).
func ReadDump(r io.Reader) (*Dump, error) {
	d := &Dump{Format: DumpFormat, Version: DumpVersion, Incidents: []IncidentRecord{}, Actions: []ActionRecord{}, Orders: []OrderRecord{}}
	err := readDump(r, collect{d})
	if err != nil {
		return nil, err
	}
	return d, nil
}

type collect struct{ d *Dump }

func (c collect) incident(_ int, r *IncidentRecord) error {
	c.d.Incidents = append(c.d.Incidents, *r)
	return nil
}
func (c collect) action(_ int, r *ActionRecord) error {
	c.d.Actions = append(c.d.Actions, *r)
	return nil
}
func (c collect) order(_ int, r *OrderRecord) error {
	c.d.Orders = append(c.d.Orders, *r)
	return nil
}
func (c collect) service(_ int, r *ServiceRecord) error {
	c.d.Services = append(c.d.Services, *r)
	return nil
}
func (c collect) freeze(_ int, r *FreezeRecord) error {
	c.d.Freezes = append(c.d.Freezes, *r)
	return nil
}
func (c collect) duty(_ int, r *DutyRecord) error {
	c.d.Duties = append(c.d.Duties, *r)
	return nil
}
func (c collect) org(_ int, r *Org) error {
	c.d.Org = append(c.d.Org, *r)
	return nil
}
func (c collect) change(_ int, r *Change) error {
	c.d.History = append(c.d.History, *r)
	return nil
}
