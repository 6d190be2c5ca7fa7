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

// Every screen of a server shares one watch on the database: two feeds of
// one store (and of its copies) each hear a change, and one ending leaves
// the other hearing.
func TestFeedsShareOneWatch(t *testing.T) {
	s, _ := openTemp(t)
	ctx1, cancel1 := context.WithCancel(context.Background())
	defer cancel1()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	a, err := s.Changes(ctx1)
	require.NoError(t, err)
	b, err := s.As("이인계", "").Changes(ctx2)
	require.NoError(t, err)
	w := s.hub.cur
	require.NotNil(t, w, "one watch")
	assert.Len(t, w.subs, 2, "both feeds on it")
	hear := func(feed <-chan Touched) Touched {
		select {
		case c := <-feed:
			return c
		case <-time.After(3 * time.Second):
			t.Fatal("the change was not heard")
		}
		return Touched{}
	}
	in := newIncident(t, s)
	assert.Equal(t, []int64{in.ID}, hear(a).Incidents)
	assert.Equal(t, []int64{in.ID}, hear(b).Incidents)

	cancel1()
	for range a {
	}
	require.NoError(t, s.AddEvent(context.Background(), &Event{IncidentID: in.ID, At: *in.StartedAt, Kind: KindNote, Text: "x"}))
	assert.Equal(t, []int64{in.ID}, hear(b).Incidents, "the other still hears")
	cancel2()
	for range b {
	}
	assert.Eventually(t, func() bool { s.hub.mu.Lock(); defer s.hub.mu.Unlock(); return s.hub.cur == nil },
		time.Second, 10*time.Millisecond, "the watch ends with its last listener")
}
