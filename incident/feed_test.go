package incident

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The feed hears a commit by another connection to the file (as another
// process would make), says which incident it touched, and is quiet when
// nothing was committed.
func TestChangesHearAnotherWriter(t *testing.T) {
	s, path := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	feed, err := s.Changes(ctx)
	require.NoError(t, err)

	other, err := Open(context.Background(), path)
	require.NoError(t, err)
	defer other.Close()
	next := func() (Touched, bool) {
		select {
		case c, ok := <-feed:
			return c, ok
		case <-time.After(3 * time.Second):
			return Touched{}, false
		}
	}

	in := newIncident(t, other)
	c, ok := next()
	require.True(t, ok, "a declaration by another writer is heard")
	assert.Equal(t, []int64{in.ID}, c.Incidents)
	assert.True(t, c.Touches(in.ID))
	assert.False(t, c.Touches(in.ID+1))

	require.NoError(t, other.AddEvent(context.Background(), &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindNote, Text: "x"}))
	c, ok = next()
	require.True(t, ok)
	assert.Equal(t, []int64{in.ID}, c.Incidents, "an event is its incident's change")

	_, _, err = other.SetService(context.Background(), "talk", ServiceChange{}, nil)
	require.NoError(t, err)
	c, ok = next()
	require.True(t, ok)
	assert.True(t, c.Other, "a service may change what any screen shows")
	assert.True(t, c.Touches(in.ID+1))

	select {
	case c := <-feed:
		t.Fatalf("nothing was committed, yet the feed said %+v", c)
	case <-time.After(4 * feedEvery):
	}
	cancel()
	for range feed {
	}
}
