#!/bin/sh
# pairs.sh times postmortem's commands beside what each is measured
# against (issue 23's table), on a database the repo's generator makes:
#
#   sh testdata/bench/pairs.sh [-n INCIDENTS] [-e EVENTS] [-r RUNS] [DB]
#
# DB is made by the generator when it does not exist (100,000 incidents of
# 20 events take a few minutes and 1.6 GB). Each command runs RUNS times
# (default 5), in turn with its anchor, after one run of each not
# counted; the median wall time is printed for both, and the median of
# the ratios of each pair. sqlite3 must be installed; pandoc and chromium
# too for the PDF pair, which is skipped without them.
set -eu

n=100000 events=20 runs=5
while getopts n:e:r: opt; do
	case $opt in
	n) n=$OPTARG ;;
	e) events=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
db=${1:-${TMPDIR:-/tmp}/postmortem-pairs-$n-$events.db}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v sqlite3 >/dev/null || { echo "pairs: sqlite3 is needed (apt-get install sqlite3)" >&2; exit 2; }
(cd "$root" && go build -o "$work/pm" ./cmd/postmortem)
if [ ! -e "$db" ]; then
	echo "making $db: $n incidents of $events events" >&2
	(cd "$root" && go run ./incident/incidenttest/gen -n "$n" -events "$events" -o "$db")
fi
pm="$work/pm --db $db --tz Asia/Seoul"
$pm verify >/dev/null 2>&1 || true # brings the schema up to date, once

# wall COMMAND: its wall time in microseconds, its output thrown away.
wall() {
	t0=$(date +%s%N)
	sh -c "$1" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}

# pair NAME A B [faster]: A's and B's median wall times and the median of
# A/B (with faster, of B/A: how many times faster A is).
# A and B run in turn (one run of each first, not counted), and each
# ratio is taken within a pair, so a machine whose speed drifts during
# the runs moves both sides of it alike.
pair() {
	wall "$2" >/dev/null
	wall "$3" >/dev/null
	i=0
	while [ $i -lt "$runs" ]; do
		echo "$(wall "$2") $(wall "$3")"
		i=$((i + 1))
	done | awk -v n="$1" -v faster="${4:-}" '
		function median(v, k,   i, j, t) {
			for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
		}
		{ a[NR] = $1; b[NR] = $2; r[NR] = faster ? ($1 > 0 ? $2 / $1 : 0) : ($2 > 0 ? $1 / $2 : 0) }
		END { printf "%-22s %9.4f s %9.4f s %7.2fx%s\n", n, median(a, NR) / 1e6, median(b, NR) / 1e6, median(r, NR), faster ? " faster" : "" }'
}

mid=$(sqlite3 "$db" "SELECT id FROM incidents ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM incidents)")
at=$(sqlite3 "$db" "SELECT substr(max(at), 1, 10) FROM history")
quarter=$(sqlite3 "$db" "SELECT substr(started_at, 1, 4) || 'Q' || ((cast(substr(started_at, 6, 2) AS int) + 2) / 3) FROM incidents WHERE id = $mid")
from=$(sqlite3 "$db" "SELECT substr(started_at, 1, 4) || '-' || printf('%02d', ((cast(substr(started_at, 6, 2) AS int) - 1) / 3) * 3 + 1) || '-01' FROM incidents WHERE id = $mid")
cp "$db" "$work/log.db"
sqlite3 "$work/insert.db" "PRAGMA journal_mode=WAL; CREATE TABLE t (x)" >/dev/null

printf "%-22s %11s %11s %8s\n" "figure" "postmortem" "anchor" "ratio"
pair "show --known-at" "$pm show $mid --known-at $at" "$pm show $mid"
pair "verify" "$pm verify" "sqlite3 $db \"SELECT count(*), sum(length(at) + length(author) + length(field) + length(coalesce(old, '')) + length(coalesce(new, '')) + length(reason) + length(prev) + length(hash)) FROM history\""
pair "log (durable)" "$work/pm --db $work/log.db log $mid 'a line of the timeline'" "sqlite3 $work/insert.db \"PRAGMA synchronous = FULL; INSERT INTO t VALUES ('a line of the timeline')\""
pair "--version" "$work/pm --version" "sqlite3 -version"
pair "report quarterly" "$pm report quarterly $quarter -o $work/q.md" "sqlite3 $db \"SELECT severity, count(*), sum(julianday(resolved_at) - julianday(started_at)) FROM incidents WHERE started_at >= '$from' AND started_at < date('$from', '+3 months') GROUP BY severity; SELECT services, count(*) FROM incidents WHERE started_at >= '$from' AND started_at < date('$from', '+3 months') GROUP BY services; SELECT substr(started_at, 1, 7), count(*) FROM incidents WHERE started_at >= date('$from', '-3 months') AND started_at < date('$from', '+3 months') GROUP BY 1\""
pair "deadlines" "$pm deadlines" "sqlite3 $db \"SELECT id, due, coalesce(revised_due, due) FROM actions WHERE status IN ('planned', 'in-progress') ORDER BY coalesce(revised_due, due) LIMIT 100\""
if command -v pandoc >/dev/null && command -v chromium >/dev/null; then
	# The issue's figure is a Korean postmortem of 200 events: the middle
	# incident is given them in the copy the log pair wrote to.
	lpm="$work/pm --db $work/log.db --tz Asia/Seoul"
	have=$(sqlite3 "$work/log.db" "SELECT count(*) FROM events WHERE incident_id = $mid")
	while [ "$have" -lt 200 ]; do
		$lpm log "$mid" "복구 작업 $have: 캐시 서버 전환 후 지연 시간 확인" >/dev/null
		have=$((have + 1))
	done
	$lpm report postmortem "$mid" --lang ko -o "$work/pm.md"
	pair "postmortem PDF (200)" "$lpm report postmortem $mid --lang ko -o $work/pm.pdf" "pandoc $work/pm.md -s --metadata title=postmortem -o $work/hand.html && chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --user-data-dir=$work/chromium --print-to-pdf=$work/hand.pdf file://$work/hand.html" faster
fi
