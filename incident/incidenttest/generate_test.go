package incidenttest

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/postmortem/postmortem/incident"
)

func TestGeneratorIsReproducible(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, WriteExport(&a, 50, 5, 7))
	require.NoError(t, WriteExport(&b, 50, 5, 7))
	assert.Equal(t, a.Bytes(), b.Bytes())
	s, err := incident.Open(context.Background(), filepath.Join(t.TempDir(), "pm.db"))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, Load(context.Background(), s, 50, 5, 7))
	list, err := s.Incidents(context.Background(), incident.ListFilter{})
	require.NoError(t, err)
	assert.Len(t, list, 50)
	v, err := s.Verify(context.Background(), "")
	require.NoError(t, err)
	assert.True(t, v.OK(), v.Problem)
	assert.Equal(t, int64(50+50*5+16+0), v.Rows, "a row for each incident, event and action")
}
