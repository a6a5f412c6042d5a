# kill -9 at random moments during ingest, again and again: the run that
# finally completes gives exactly the totals of one clean run.
. "$(dirname "$0")/lib.sh"

"$LOGGEN" --out "$TMP/corpus" --developers 3 --days 6 --requests 6000 --seed 7 || fail "loggen"
# A few bad lines too, so rejects are part of the comparison.
printf 'not json at all\n{"ts":"2026-11-20T10:00:00Z"}\n' >> "$TMP/corpus/ana/native/chatgpt.ndjson"
PATTERN="$TMP/corpus/{developer}/..."

start=$(date +%s%N)
"$PAYBACKD" --db "$TMP/clean.db" ingest --developer "$PATTERN" "$TMP/corpus" > "$TMP/clean.sum" || fail "clean run"
clean_ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$TMP/clean.sum"
"$PAYBACKD" --db "$TMP/clean.db" report --by developer,tool,day,model --format csv > "$TMP/clean.csv"
"$PAYBACKD" --db "$TMP/clean.db" rejects --limit 100000 > "$TMP/clean.rej"

# Each sequence kills runs on one database until a run gets to its end; the
# totals are compared then, and the next sequence starts on a new database.
# The moments are drawn from the clean run's duration, however fast it was.
same_as_clean() {
	"$PAYBACKD" --db "$TMP/crash.db" report --by developer,tool,day,model --format csv > "$TMP/crash.csv"
	"$PAYBACKD" --db "$TMP/crash.db" rejects --limit 100000 > "$TMP/crash.rej"
	cmp "$TMP/clean.csv" "$TMP/crash.csv" || { diff "$TMP/clean.csv" "$TMP/crash.csv" | head; fail "totals differ after kill -9"; }
	cmp "$TMP/clean.rej" "$TMP/crash.rej" || fail "rejected lines differ after kill -9"
}
kills=0
sequences=0
i=0
while [ $i -lt 25 ]; do
	i=$((i + 1))
	"$PAYBACKD" -q --db "$TMP/crash.db" ingest --developer "$PATTERN" "$TMP/corpus" > "$TMP/run.sum" 2>/dev/null &
	pid=$!
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % (clean_ms + 1) + 2 ))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
		wait "$pid" 2>/dev/null
	elif wait "$pid"; then
		same_as_clean
		sequences=$((sequences + 1))
		rm -f "$TMP/crash.db" "$TMP/crash.db-wal" "$TMP/crash.db-shm"
	else
		fail "an ingest that was not killed failed"
	fi
done
echo "killed $kills runs; $sequences sequences ran to their end"
[ $kills -ge 3 ] || fail "the runs finished too fast to be killed"
"$PAYBACKD" --db "$TMP/crash.db" ingest --developer "$PATTERN" "$TMP/corpus" > /dev/null || fail "final run"
same_as_clean
echo "ok: totals after $kills kills in $((sequences + 1)) sequences equal one clean run ($(wc -l < "$TMP/clean.csv") rows)"
