package incident

import (
	"context"
	"sync/atomic"
	"testing"
)

// BenchmarkGuardCheck is what every write pays to see that the history's
// append-only guard is in place: a pragma read once the guard was found
// whole at the schema's version ("cached"), against reading the schema
// each time ("read").
func BenchmarkGuardCheck(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // nothing was written
	t := &txn{Tx: tx, ctx: ctx}
	b.Run("cached", func(b *testing.B) {
		seen := new(atomic.Int64)
		for i := 0; i < b.N; i++ {
			if err := restoreGuard(t, seen); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := guardState(ctx, t); err != nil {
				b.Fatal(err)
			}
		}
	})
}
