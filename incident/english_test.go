package incident

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// English texts are merged field by field: "" clears one, a name or a
// title stays on one line while prose may break, and a field with no
// English is refused, even to clear it. A refused merge leaves the texts
// as they were.
func TestEnglishMerge(t *testing.T) {
	e, err := English(nil).merge(map[string]string{"text": " Test first ", "evidence": "Report\nand logs"}, actionEnglish)
	require.NoError(t, err)
	assert.Equal(t, English{"text": "Test first", "evidence": "Report\nand logs"}, e)

	e, err = e.merge(map[string]string{"text": ""}, actionEnglish)
	require.NoError(t, err)
	assert.Equal(t, English{"evidence": "Report\nand logs"}, e)

	for ch, want := range map[string]string{
		"owner":      "en owner: holds a line break",
		"cause":      `en: "cause" has no English text; accepted: text, owner, evidence, verify, reason`,
		"reason\x1b": `has no English text`,
	} {
		text := "Infra\nteam"
		if ch != "owner" {
			text = ""
		}
		_, err := e.merge(map[string]string{ch: text}, actionEnglish)
		require.Error(t, err, ch)
		assert.Contains(t, err.Error(), want)
	}
	assert.Equal(t, English{"evidence": "Report\nand logs"}, e, "unchanged by a refusal")

	cleared, err := e.merge(map[string]string{"evidence": ""}, actionEnglish)
	require.NoError(t, err)
	assert.Nil(t, cleared, "none left is none, stored as {}")
}
