package incident

import (
	"strconv"
	"strings"
)

// The readers below take values as people type them, on the command line
// or in a form, and refuse bad ones naming the field and what is accepted.
// (Times are read by ParseTime, dates by ParseDate.)

// ParseID reads a record id: a positive whole number, "#" allowed in front.
func ParseID(field, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid(field, "%q is not an id; accepted: a positive whole number", s)
	}
	return id, nil
}

// ParseIDs reads a comma-separated list of ids; blanks are skipped.
func ParseIDs(field, s string) ([]int64, error) {
	var ids []int64
	for _, p := range SplitList(s) {
		id, err := ParseID(field, p)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// SplitList reads a comma-separated list, trimmed, blanks dropped.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// MaxUsers is the most users an incident may affect: more people than
// live on Earth, so a count beyond it is a mistake (or an attack on the
// sums that add counts up).
const MaxUsers = 10_000_000_000

// MaxID is the largest id a record may have: 2^53-1, the largest whole
// number every JSON reader keeps exact.
const MaxID = 1<<53 - 1

// ParseCount reads the number of users affected, a whole number, 0 or
// more; thousands separators are taken (4,500,000), anything else (units,
// words) is refused rather than read in part. An empty value is nil.
func ParseCount(s string) (*int64, error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(strings.NewReplacer(",", "", " ", "", "_", "").Replace(v), 10, 64)
	if err != nil || n < 0 || n > MaxUsers {
		return nil, invalid("users-affected-count", "%q is not a count; accepted: a whole number of users, 0 to %d (4500000 or 4,500,000)", s, int64(MaxUsers))
	}
	return &n, nil
}

// ParsePercent reads the share of users affected, 0 to 100, "%" allowed;
// an empty value is nil (not known).
func ParsePercent(s string) (*float64, error) {
	v := strings.TrimSuffix(strings.TrimSpace(s), "%")
	if v == "" {
		return nil, nil
	}
	p, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, invalid("users-affected", "%q is not a number; accepted: 0 to 100 (percent of users)", s)
	}
	if p < 0 || p > 100 {
		return nil, invalid("users-affected", "%g is out of range; accepted: 0 to 100 (percent of users)", p)
	}
	return &p, nil
}
