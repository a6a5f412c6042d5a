# kill -9 at random moments during ingest, again and again: the run that
# finally completes gives exactly the totals of one clean run. Twice: on a
# small corpus, and on one past the 57,344 events after which the writer
# merges the recent identities into uid_merged, so kills land in merges too.
. "$(dirname "$0")/lib.sh"

# crash_runs NAME CORPUS ITERATIONS
crash_runs() {
	name=$1 corpus=$2 iterations=$3
	pattern="$corpus/{developer}/..."
	clean="$TMP/$name-clean.db" crash="$TMP/$name-crash.db"

	start=$(date +%s%N)
	"$PAYBACKD" --db "$clean" ingest --developer "$pattern" "$corpus" > "$TMP/clean.sum" ||
		fail "$name: clean run"
	clean_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	cat "$TMP/clean.sum"
	"$PAYBACKD" --db "$clean" report --by developer,tool,day,model --format csv > "$TMP/clean.csv"
	"$PAYBACKD" --db "$clean" rejects --limit 100000 > "$TMP/clean.rej"

	# Each sequence kills runs on one database until a run gets to its end;
	# the totals are compared then, and the next sequence starts on a new
	# database. The moments are drawn from the clean run's duration.
	kills=0
	sequences=0
	i=0
	while [ $i -lt "$iterations" ]; do
		i=$((i + 1))
		"$PAYBACKD" -q --db "$crash" ingest --developer "$pattern" "$corpus" > "$TMP/run.sum" 2>/dev/null &
		pid=$!
		ms=$(( $(od -An -N2 -tu2 /dev/urandom) % (clean_ms + 1) + 2 ))
		sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
		if kill -9 "$pid" 2>/dev/null; then
			kills=$((kills + 1))
			wait "$pid" 2>/dev/null
		elif wait "$pid"; then
			same_as_clean
			sequences=$((sequences + 1))
			rm -f "$crash" "$crash-wal" "$crash-shm"
		else
			fail "$name: an ingest that was not killed failed"
		fi
	done
	echo "$name: killed $kills runs; $sequences sequences ran to their end"
	[ $kills -ge 3 ] || fail "$name: the runs finished too fast to be killed"
	"$PAYBACKD" --db "$crash" ingest --developer "$pattern" "$corpus" > /dev/null || fail "$name: final run"
	same_as_clean
	echo "ok: $name: totals after $kills kills in $((sequences + 1)) sequences equal one clean run ($(wc -l < "$TMP/clean.csv") rows)"
}

same_as_clean() {
	"$PAYBACKD" --db "$crash" report --by developer,tool,day,model --format csv > "$TMP/crash.csv"
	"$PAYBACKD" --db "$crash" rejects --limit 100000 > "$TMP/crash.rej"
	cmp "$TMP/clean.csv" "$TMP/crash.csv" || { diff "$TMP/clean.csv" "$TMP/crash.csv" | head; fail "$name: totals differ after kill -9"; }
	cmp "$TMP/clean.rej" "$TMP/crash.rej" || fail "$name: rejected lines differ after kill -9"
	# Every event's identity is merged, or its event is past the merged mark.
	python3 - "$crash" <<'PY' || fail "$name: identities out of step with the events"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
through = int(db.execute("SELECT coalesce((SELECT value FROM meta "
                         "WHERE key = 'uids_merged_through'), 0)").fetchone()[0])
bad = db.execute("SELECT count(*) FROM event e WHERE e.id <= ?1 AND NOT EXISTS "
                 "(SELECT 1 FROM uid_merged m WHERE m.uid = e.uid AND m.event_id = e.id)",
                 (through,)).fetchone()[0]
extra = db.execute("SELECT count(*) FROM uid_merged m WHERE NOT EXISTS "
                   "(SELECT 1 FROM event e WHERE e.id = m.event_id AND e.uid = m.uid "
                   "AND e.id <= ?1)", (through,)).fetchone()[0]
copies = db.execute("SELECT count(*) - count(DISTINCT uid) FROM event").fetchone()[0]
sys.exit(1 if bad or extra or copies else 0)
PY
}

"$LOGGEN" --out "$TMP/small" --developers 3 --days 6 --requests 6000 --seed 7 || fail "loggen"
# A few bad lines too, so rejects are part of the comparison.
printf 'not json at all\n{"ts":"2026-11-20T10:00:00Z"}\n' >> "$TMP/small/ana/native/chatgpt.ndjson"
crash_runs small "$TMP/small" 25

"$LOGGEN" --out "$TMP/large" --developers 4 --days 10 --requests 80000 --seed 8 || fail "loggen"
crash_runs large "$TMP/large" 12
