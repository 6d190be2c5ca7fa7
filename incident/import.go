package incident

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"time"
)

// Import stores everything in d, as ImportFrom does with a file.
func (s *Store) Import(ctx context.Context, d *Dump, renumber bool) (*ImportResult, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(d.WriteJSON(pw)) }()
	defer pr.Close()
	return s.ImportFrom(ctx, pr, renumber, nil)
}

// ImportFrom reads an export from r and stores it in one transaction, all
// of it or nothing, record by record as it is read. Ids are kept, so a
// restored backup exports to the same bytes; an id already taken is a
// conflict, unless renumber is set, when every record gets a fresh id and
// the links between them follow.
//
// The file's history chain is checked as it is read, and a broken one
// refuses the whole file. Into a database with no history yet, without
// renumbering, the chain is restored as it is and must account for every
// record imported (a file without one has its records enter the history as
// they stand); otherwise each record enters it as created by this import.
func (s *Store) ImportFrom(ctx context.Context, r io.Reader, renumber bool, progress ProgressFunc) (*ImportResult, error) {
	res := &ImportResult{Incidents: map[int64]int64{}, Orders: map[int64]int64{}, Actions: map[int64]int64{}}
	rs, err := LoadRegimes()
	if err != nil {
		return nil, err
	}
	counted := &countingReader{r: r, progress: progress}
	err = s.withTx(ctx, func(t *txn) error {
		var have int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM history`).Scan(&have); err != nil {
			return err
		}
		im := &importer{t: t, ctx: ctx, rs: rs, renumber: renumber, res: res, now: t.now}
		im.restore = have == 0 && !renumber
		res.HistoryKept = im.restore
		t.quiet = im.restore
		if !im.restore && t.reason == "" {
			t.reason = "imported"
		}
		if err := pipeline(counted, im); err != nil {
			return err
		}
		return im.finish()
	})
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(counted.n, counted.n)
	}
	return res, nil
}

type countingReader struct {
	r        io.Reader
	n        int64
	progress ProgressFunc
	last     int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.last >= 1<<20 {
		c.last = c.n
		c.progress(c.n, 0)
	}
	return n, err
}

// importer stores records as readDump hands them over.
type importer struct {
	t        *txn
	ctx      context.Context
	rs       *Regimes
	renumber bool
	restore  bool // the file's history is restored as it is
	now      time.Time
	res      *ImportResult

	related  map[int64][]int64 // stored incident id → related ids as in the file
	later    []*Action         // actions naming an order not read yet
	chain    int64             // history rows read
	prevHash string
	prevAt   time.Time
	history  bool // the file has a history
}

func positive(what string, id int64) error {
	if id <= 0 || id > MaxID {
		return invalid("id", "%s id %d; accepted: a whole number from 1 to %d", what, id, int64(MaxID))
	}
	return nil
}

func (im *importer) incident(i int, r *IncidentRecord) error {
	if err := positive("incident", r.ID); err != nil {
		return err
	}
	if _, err := ParseSeverity(string(r.Severity)); err != nil {
		return fmt.Errorf("incident %d: %w", r.ID, err)
	}
	if r.Status != "" {
		if _, err := ParseStatus(string(r.Status)); err != nil {
			return fmt.Errorf("incident %d: %w", r.ID, err)
		}
	}
	for j, e := range r.Timeline {
		if e.ID < 0 || e.ID > MaxID {
			return fmt.Errorf("incident %d event %d: %w", r.ID, j+1, positive("event", e.ID))
		}
	}
	in := r.incident(im.now)
	in.fillDefaults()
	if err := in.validateAt(im.now); err != nil {
		return fmt.Errorf("incident %d (%q): %w", in.ID, in.Title, err)
	}
	if err := in.Validate(); err != nil {
		return fmt.Errorf("incident %d (%q): %w", in.ID, in.Title, err)
	}
	for j := range in.Timeline {
		if err := in.Timeline[j].Validate(im.now); err != nil {
			return fmt.Errorf("incident %d event %d: %w", in.ID, j+1, err)
		}
	}
	old, related, timeline := in.ID, in.Related, in.Timeline
	if im.renumber {
		in.ID = 0
	}
	in.Related = nil
	if err := insertIncident(im.t, in); err != nil {
		if isConflict(mapErr(err)) {
			return fmt.Errorf("incident %d %w", old, mapErr(err))
		}
		return err
	}
	im.res.Incidents[old] = in.ID
	im.res.Read = append(im.res.Read, old)
	if len(related) > 0 {
		if im.related == nil {
			im.related = map[int64][]int64{}
		}
		im.related[in.ID] = related
	}
	for j := range timeline {
		timeline[j].IncidentID = in.ID
		if im.renumber {
			timeline[j].ID = 0
		}
		if err := insertEvent(im.t, &timeline[j], ""); err != nil {
			if isConflict(mapErr(err)) {
				return fmt.Errorf("incident %d event %d %w", old, timeline[j].ID, mapErr(err))
			}
			return err
		}
	}
	return nil
}

func (im *importer) action(i int, r *ActionRecord) error {
	if err := positive("action", r.ID); err != nil {
		return err
	}
	if _, err := ParseArea(string(r.Area)); err != nil {
		return fmt.Errorf("action %d: %w", r.ID, err)
	}
	if r.Status != "" {
		if _, err := ParseActionStatus(string(r.Status)); err != nil {
			return fmt.Errorf("action %d: %w", r.ID, err)
		}
	}
	a := r.action(im.now)
	if a.OrderID != nil {
		if _, ok := im.res.Orders[*a.OrderID]; !ok {
			im.later = append(im.later, a) // its order comes later in the file
			return nil
		}
	}
	return im.storeAction(a)
}

func (im *importer) storeAction(a *Action) error {
	old := a.ID
	if a.IncidentID != nil {
		a.IncidentID = remap(im.res.Incidents, *a.IncidentID)
	}
	if a.OrderID != nil {
		a.OrderID = remap(im.res.Orders, *a.OrderID)
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("action %d: %w", old, err)
	}
	if err := a.validateAt(im.now); err != nil {
		return fmt.Errorf("action %d: %w", old, err)
	}
	if im.renumber {
		a.ID = 0
	}
	if err := insertAction(im.t, a); err != nil {
		if isConflict(mapErr(err)) {
			return fmt.Errorf("action %d: %w", old, mapErr(err))
		}
		return err
	}
	im.res.Actions[old] = a.ID
	return nil
}

func (im *importer) order(i int, r *OrderRecord) error {
	if err := positive("order", r.ID); err != nil {
		return err
	}
	if _, err := im.rs.Regime(r.Regime); err != nil {
		return fmt.Errorf("order %d: %w", r.ID, err)
	}
	o := &Order{ID: r.ID, Regime: r.Regime, Authority: r.Authority, Reference: r.Reference,
		Findings: r.Findings, Attachments: r.Attachments, Submitted: r.Submitted, SubmittedAt: r.SubmittedAt, Terms: r.Terms, Numbers: r.Numbers, Created: im.now, English: r.English}
	// Exports made before findings were numbered carry none: they are
	// numbered as listed.
	if !slices.ContainsFunc(o.Findings, func(f Finding) bool { return f.No != 0 }) {
		for i := range o.Findings {
			o.Findings[i].No = i + 1
		}
	}
	if r.CreatedAt != nil {
		o.Created = *r.CreatedAt
	}
	var err error
	if o.Received, o.ReceivedClock, err = ParseReceived(r.Received); err != nil {
		return fmt.Errorf("order %d: %w", r.ID, err)
	}
	for _, inc := range r.Incidents {
		o.Incidents = append(o.Incidents, *remap(im.res.Incidents, inc))
	}
	sort.Slice(o.Incidents, func(i, j int) bool { return o.Incidents[i] < o.Incidents[j] })
	if err := o.Validate(); err != nil {
		return fmt.Errorf("order %d: %w", r.ID, err)
	}
	if err := o.validateAt(im.now); err != nil {
		return fmt.Errorf("order %d: %w", r.ID, err)
	}
	old := o.ID
	if im.renumber {
		o.ID = 0
	}
	if err := insertOrder(im.t, o, r.Archives...); err != nil {
		if isConflict(mapErr(err)) {
			return fmt.Errorf("order %d %w", old, mapErr(err))
		}
		return err
	}
	im.res.Orders[old] = o.ID
	return nil
}

func (im *importer) change(i int, c *Change) error {
	if p := checkLink(c, im.chain, im.prevHash); p != "" {
		return invalid("import", "the file's history is broken: %s", p)
	}
	if p := checkClock(c, im.prevAt, im.now); p != "" {
		return invalid("import", "the file's history is broken: %s", p)
	}
	if c.RecordID <= 0 || c.RecordID > MaxID || (c.IncidentID != nil && (*c.IncidentID <= 0 || *c.IncidentID > MaxID)) {
		return invalid("import", "the file's history is broken: history row %d names record %d; accepted: ids from 1 to %d", c.Seq, c.RecordID, int64(MaxID))
	}
	im.chain++
	im.prevHash, im.prevAt = c.Hash, c.Time()
	im.history = true
	if !im.restore {
		return nil // checked, then left: each record was logged as imported
	}
	return im.t.insertChange(c)
}

// finish writes what had to wait for the whole file: the links between
// incidents, the actions whose order came after them, and the history's
// account of every record.
func (im *importer) finish() error {
	ids := make([]int64, 0, len(im.related))
	for id := range im.related {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		in, err := loadIncident(im.ctx, im.t, id)
		if err != nil {
			return err
		}
		for _, r := range im.related[id] {
			if n, ok := im.res.Incidents[r]; ok {
				in.Related = append(in.Related, n)
			} else if im.renumber {
				return notFound("related incident", r)
			} else {
				in.Related = append(in.Related, r)
			}
		}
		if err := im.t.change(incidentEntity, id, "", func(row) error {
			if err := writeChildren(im.ctx, im.t, in); err != nil {
				return fmt.Errorf("incident %d: %w", id, err)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for _, a := range im.later {
		if err := im.storeAction(a); err != nil {
			return err
		}
	}
	if !im.restore {
		return nil
	}
	if !im.history {
		// A file without a history: its records enter it as they stand.
		im.t.quiet = false
		if im.t.reason == "" {
			im.t.reason = "imported"
		}
		return im.t.baseline()
	}
	if err := replayAll(im.ctx, im.t); err != nil {
		return invalid("import", "the file's records do not agree with its history: %v", err)
	}
	return nil
}

// pipeline reads the file in one goroutine while the records are stored
// in this one: parsing JSON and writing SQLite take about as long each,
// and there are two cores to share them.
func pipeline(r io.Reader, sink dumpSink) error {
	type item struct {
		what  string
		i     int
		store func() error
	}
	items := make(chan item, 256)
	stop := make(chan struct{})
	read := make(chan error, 1)
	send := func(what string, i int, store func() error) error {
		select {
		case items <- item{what, i, store}:
			return nil
		case <-stop:
			return errStopped
		}
	}
	go func() {
		defer close(items)
		read <- readDump(r, forward{sink: sink, send: send})
	}()
	var stored error
	for it := range items {
		if stored != nil {
			continue // draining, so the reader can see the stop
		}
		if err := it.store(); err != nil {
			stored = err
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "import" {
				stored = fmt.Errorf("%s %d in the file: %w", it.what, it.i, err)
			}
			close(stop)
		}
	}
	if err := <-read; err != nil && !errors.Is(err, errStopped) {
		return err
	}
	return stored
}

var errStopped = errors.New("stopped")

// forward is a dumpSink that hands a copy of each record to the storing
// goroutine.
type forward struct {
	sink dumpSink
	send func(what string, i int, store func() error) error
}

// handOver sends a copy of r, to be stored by fn.
func handOver[T any](f forward, what string, i int, r *T, fn func(int, *T) error) error {
	c := *r
	return f.send(what, i, func() error { return fn(i, &c) })
}

func (f forward) incident(i int, r *IncidentRecord) error {
	return handOver(f, "incident", i, r, f.sink.incident)
}
func (f forward) action(i int, r *ActionRecord) error {
	return handOver(f, "action", i, r, f.sink.action)
}
func (f forward) order(i int, r *OrderRecord) error { return handOver(f, "order", i, r, f.sink.order) }
func (f forward) service(i int, r *ServiceRecord) error {
	return handOver(f, "service", i, r, f.sink.service)
}
func (f forward) freeze(i int, r *FreezeRecord) error {
	return handOver(f, "freeze", i, r, f.sink.freeze)
}
func (f forward) duty(i int, r *DutyRecord) error { return handOver(f, "duty", i, r, f.sink.duty) }
func (f forward) org(i int, r *Org) error         { return handOver(f, "org", i, r, f.sink.org) }
func (f forward) change(i int, r *Change) error {
	return handOver(f, "history row", i, r, f.sink.change)
}
