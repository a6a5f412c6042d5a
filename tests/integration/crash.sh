# kill -9 at random moments during ingest, again and again: the run that
# finally completes gives exactly the totals of one clean run.
. "$(dirname "$0")/lib.sh"

"$LOGGEN" --out "$TMP/corpus" --developers 3 --days 6 --requests 6000 --seed 7 || fail "loggen"
# A few bad lines too, so rejects are part of the comparison.
printf 'not json at all\n{"ts":"2026-11-20T10:00:00Z"}\n' >> "$TMP/corpus/ana/native/chatgpt.ndjson"
PATTERN="$TMP/corpus/{developer}/..."

"$PAYBACKD" --db "$TMP/clean.db" ingest --developer "$PATTERN" "$TMP/corpus" > "$TMP/clean.sum" || fail "clean run"
cat "$TMP/clean.sum"
"$PAYBACKD" --db "$TMP/clean.db" report --by developer,tool,day,model --format csv > "$TMP/clean.csv"
"$PAYBACKD" --db "$TMP/clean.db" rejects --limit 100000 > "$TMP/clean.rej"

kills=0
i=0
while [ $i -lt 25 ]; do
	i=$((i + 1))
	"$PAYBACKD" -q --db "$TMP/crash.db" ingest --developer "$PATTERN" "$TMP/corpus" > "$TMP/run.sum" 2>/dev/null &
	pid=$!
	# A random moment between 5 and 400 ms into the run.
	sleep "0.$(printf '%03d' $(( $(od -An -N2 -tu2 /dev/urandom) % 395 + 5 )))"
	if kill -9 "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null
done
echo "killed $kills runs"
[ $kills -ge 3 ] || fail "the runs finished too fast to be killed"
"$PAYBACKD" --db "$TMP/crash.db" ingest --developer "$PATTERN" "$TMP/corpus" > /dev/null || fail "final run"
"$PAYBACKD" --db "$TMP/crash.db" report --by developer,tool,day,model --format csv > "$TMP/crash.csv"
"$PAYBACKD" --db "$TMP/crash.db" rejects --limit 100000 > "$TMP/crash.rej"
cmp "$TMP/clean.csv" "$TMP/crash.csv" || { diff "$TMP/clean.csv" "$TMP/crash.csv" | head; fail "totals differ after kill -9"; }
cmp "$TMP/clean.rej" "$TMP/crash.rej" || fail "rejected lines differ after kill -9"
echo "ok: totals after $kills kills equal one clean run ($(wc -l < "$TMP/clean.csv") rows)"
