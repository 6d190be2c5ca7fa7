package tui

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// merge, field by field: what the form did not change stays as stored;
// what it changed is written when the store still holds what the form
// opened on (or the same value), and refused when another changed it.
func TestMerge(t *testing.T) {
	for _, tt := range []struct {
		name              string
		stored, was, want string
		after             string
		clashes           bool
	}{
		{"unchanged here, changed there", "theirs", "old", "old", "theirs", false},
		{"changed here only", "old", "old", "mine", "mine", false},
		{"both to the same", "mine", "old", "mine", "mine", false},
		{"both, differently", "theirs", "old", "mine", "theirs", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var clash []string
			dst := tt.stored
			merge(&clash, "cause", &dst, tt.was, tt.want, same[string])
			assert.Equal(t, tt.after, dst)
			assert.Equal(t, tt.clashes, len(clash) == 1)
		})
	}
}
