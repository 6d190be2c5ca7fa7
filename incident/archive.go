package incident

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Archive is a submitted document as it was handed in: the bytes of one
// format of one deliverable, their SHA-256, and the history head it was
// rendered at.
type Archive struct {
	Kind   string    `json:"kind"`
	Format string    `json:"format"`
	Bytes  []byte    `json:"bytes"`
	SHA256 string    `json:"sha256"`
	Head   string    `json:"head"`
	At     time.Time `json:"archived_at"`
	order  int64     // the order it was submitted under
}

// ArchiveFormats are the formats a submission is archived in.
var ArchiveFormats = []string{"pdf", "md"}

// Sum is the SHA-256 of b, in hex.
func Sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Archive keeps the documents of a deliverable submitted under an order:
// one per format, each once (a submitted document is never replaced), in
// the order's history. The deliverable must have been submitted.
func (s *Store) Archive(ctx context.Context, orderID int64, kind string, docs map[string][]byte, head string) error {
	return s.changeOrder(ctx, orderID, func(t *txn) error {
		o, err := liveSource{t}.order(ctx, orderID)
		if err != nil {
			return err
		}
		if _, ok := o.Submitted[kind]; !ok {
			return invalid("deliverable", "%s of order %d has not been submitted; a document is archived when it is (order submit)", kind, orderID)
		}
		for _, format := range ArchiveFormats {
			b, ok := docs[format]
			if !ok {
				continue
			}
			if _, done := o.Archived[kind+"."+format]; done {
				return invalid("deliverable", "the %s of %s is archived already; what was submitted stays as it was", format, kind)
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO archives (order_id, kind, format, bytes, sha256, head, archived_at) VALUES (?,?,?,?,?,?,?)`,
				orderID, kind, format, b, Sum(b), head, fmtTime(t.now)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Archived returns the document archived for a deliverable in a format,
// refused when none was, or when its bytes no longer match the hash the
// history recorded.
func (s *Store) Archived(ctx context.Context, orderID int64, kind, format string) (*Archive, error) {
	if !slices.Contains(ArchiveFormats, format) {
		return nil, invalid("format", "%q is not an archived format; accepted: %s", format, strings.Join(ArchiveFormats, ", "))
	}
	var a *Archive
	err := s.read(ctx, func(q querier) error {
		o, err := liveSource{q}.order(ctx, orderID)
		if err != nil {
			return err
		}
		recorded, ok := o.Archived[kind+"."+format]
		if !ok {
			kinds := make([]string, 0, len(o.Archived))
			for k := range o.Archived {
				kinds = append(kinds, k)
			}
			slices.Sort(kinds)
			have := strings.Join(kinds, ", ")
			if have == "" {
				have = "none"
			}
			return invalid("deliverable", "no %s of %s was archived for order %d; archived: %s", format, kind, orderID, have)
		}
		list, err := readArchives(ctx, q, `WHERE order_id = ? AND kind = ? AND format = ?`, orderID, kind, format)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			return fmt.Errorf("order %d: the archived %s of %s is missing: %w", orderID, format, kind, ErrBroken)
		}
		if got := Sum(list[0].Bytes); got != recorded || list[0].SHA256 != recorded {
			return fmt.Errorf("order %d: the archived %s of %s does not match the hash its history recorded (%s, now %s): %w",
				orderID, format, kind, recorded, got, ErrBroken)
		}
		a = &list[0]
		return nil
	})
	return a, err
}

// readArchives reads archived documents, by order, kind and format.
func readArchives(ctx context.Context, q querier, where string, args ...any) ([]Archive, error) {
	return queryAll(ctx, q, func(r scanner) (*Archive, error) {
		var a Archive
		var at string
		if err := r.Scan(&a.order, &a.Kind, &a.Format, &a.Bytes, &a.SHA256, &a.Head, &at); err != nil {
			return nil, err
		}
		var err error
		a.At, err = parseTime(at)
		return &a, err
	}, `SELECT order_id, kind, format, bytes, sha256, head, archived_at FROM archives `+where+` ORDER BY order_id, kind, format`, args...)
}

// insertArchives writes an imported order's archives as they were.
func insertArchives(t *txn, orderID int64, list []Archive) error {
	for _, a := range list {
		if !slices.Contains(ArchiveFormats, a.Format) || a.Kind == "" {
			return invalid("import", "order %d: an archived document of kind %q in format %q; accepted formats: %s", orderID, a.Kind, a.Format, strings.Join(ArchiveFormats, ", "))
		}
		if Sum(a.Bytes) != a.SHA256 {
			return invalid("import", "order %d: the archived %s of %s does not match its SHA-256", orderID, a.Format, a.Kind)
		}
		if _, err := t.ExecContext(t.ctx, `INSERT INTO archives (order_id, kind, format, bytes, sha256, head, archived_at) VALUES (?,?,?,?,?,?,?)`,
			orderID, a.Kind, a.Format, a.Bytes, a.SHA256, a.Head, fmtTime(a.At)); err != nil {
			return err
		}
	}
	return nil
}

// checkArchives finds an archived document whose bytes no longer have the
// SHA-256 recorded beside them.
func checkArchives(ctx context.Context, q querier) (string, error) {
	list, err := readArchives(ctx, q, ``)
	if err != nil {
		return "", err
	}
	for _, a := range list {
		if got := Sum(a.Bytes); got != a.SHA256 {
			return fmt.Sprintf("order %d: the archived %s of %s was changed: its bytes hash to %s, recorded %s", a.order, a.Format, a.Kind, got, a.SHA256), nil
		}
	}
	return "", nil
}
