# Appends, half-written lines, truncation, rotation and in-place rewrites:
# each run reads only what is new, and nothing is ever counted twice.
. "$(dirname "$0")/lib.sh"

line() { # line N -> one native request with request_id rN and N output tokens
	printf '{"ts":"2026-11-20T10:00:%02dZ","developer":"ana","model":"m","output_tokens":%d,"request_id":"r%d"}\n' "$1" "$1" "$1"
}
total() {
	pb report --by developer --format csv | tr -d '\r' | sed -n 2p | cut -d, -f2,8
}
L="$TMP/logs"
mkdir -p "$L"

line 1 > "$L/a.ndjson"; line 2 >> "$L/a.ndjson"
pb ingest "$L" > /dev/null
expect_eq "first run" "2,3" "$(total)"

line 3 >> "$L/a.ndjson"
pb ingest "$L" > "$TMP/sum"
expect_eq "appended line is read" "3,6" "$(total)"
expect_eq "only the new line is read" 1 "$(summary_field "$TMP/sum" lines)"

# A half-written line waits, without being rejected, until it is complete.
printf '{"ts":"2026-11-20T10:00:04Z","developer":"ana","mod' >> "$L/a.ndjson"
pb ingest "$L" > "$TMP/sum"
expect_eq "half line waits" "3,6" "$(total)"
expect_eq "half line is not rejected" 0 "$(summary_field "$TMP/sum" rejected)"
printf 'el":"m","output_tokens":4,"request_id":"r4"}\n' >> "$L/a.ndjson"
pb ingest "$L" > /dev/null
expect_eq "completed line is read" "4,10" "$(total)"

# A complete last line without a newline is taken; the newline written
# after it later does not shift line numbers.
printf '{"ts":"2026-11-20T10:00:05Z","developer":"ana","model":"m","output_tokens":5,"request_id":"r5"}' >> "$L/a.ndjson"
pb ingest "$L" > /dev/null
expect_eq "unterminated complete line" "5,15" "$(total)"
printf '\nnot json\n' >> "$L/a.ndjson"
pb ingest "$L" > /dev/null
pb rejects > "$TMP/rej"
grep -q "a.ndjson:6: not JSON at column 1" "$TMP/rej" || { cat "$TMP/rej"; fail "line number after a late newline"; }
echo "ok: line numbers stay right"

# Truncated and rewritten: read again from the start, old events stay once.
line 1 > "$L/a.ndjson"; line 6 >> "$L/a.ndjson"
pb ingest "$L" > "$TMP/sum"
expect_eq "truncated file read again, new line counted" "6,21" "$(total)"
expect_eq "old line is a duplicate" 1 "$(summary_field "$TMP/sum" duplicates)"

# Rotated: renamed away and a new file in its place.
mv "$L/a.ndjson" "$L/a.ndjson.1"
line 7 > "$L/a.ndjson"
pb ingest "$L" > /dev/null
expect_eq "rotated file: the new one is read" "7,28" "$(total)"

# Replaced in place with the same size: the fingerprint notices.
line 8 > "$L/b.ndjson"
pb ingest "$L" > /dev/null
sleep 0.01
line 9 > "$L/b.ndjson"
pb ingest "$L" > "$TMP/sum" 2> "$TMP/err"
expect_eq "same-size rewrite is read again" "9,45" "$(total)"
expect_eq "only the rewritten file is read" 1 "$(summary_field "$TMP/sum" read)"
grep -q "b.ndjson: rewritten since last read" "$TMP/err" || fail "rewrite not named"

# Codex state (model, last totals) carries over between runs.
C="$TMP/codex"
mkdir -p "$C"
R="$C/rollout.jsonl"
printf '%s\n' '{"timestamp":"2026-11-20T09:00:00Z","type":"session_meta","payload":{"id":"s","cwd":"/x/infra"}}' \
	'{"timestamp":"2026-11-20T09:00:01Z","type":"turn_context","payload":{"model":"gpt-5-codex"}}' \
	'{"timestamp":"2026-11-20T09:00:02Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":0}}}}' > "$R"
"$PAYBACKD" --db "$TMP/c.db" ingest --developer ana "$C" > /dev/null
printf '%s\n' '{"timestamp":"2026-11-20T09:00:03Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":0}}}}' \
	'{"timestamp":"2026-11-20T09:00:04Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":250,"cached_input_tokens":100,"output_tokens":30,"reasoning_output_tokens":5}}}}' >> "$R"
"$PAYBACKD" --db "$TMP/c.db" ingest --developer ana "$C" > /dev/null
expect_eq "codex state across runs" "gpt-5-codex,2,150,100,30,5" \
	"$("$PAYBACKD" --db "$TMP/c.db" report --by model --format csv | tr -d '\r' | sed -n 2p | cut -d, -f1,2,5,6,8,9)"

# Lines over 1 MiB and garbage are rejected; the good lines around them stay.
B="$TMP/big"
mkdir -p "$B"
line 10 > "$B/c.ndjson"
python3 -c "import sys; sys.stdout.write('{\"ts\":\"2026-11-20T10:00:00Z\",\"developer\":\"ana\",\"model\":\"m\",\"pad\":\"' + 'x' * 1200000 + '\"}\n')" >> "$B/c.ndjson"
line 11 >> "$B/c.ndjson"
head -c 3000 /dev/urandom | tr -d '\n' >> "$B/c.ndjson"; echo >> "$B/c.ndjson"
line 12 >> "$B/c.ndjson"
"$PAYBACKD" --db "$TMP/b.db" ingest "$B" > "$TMP/sum"
expect_eq "good lines around bad ones" 3 "$(summary_field "$TMP/sum" "events added")"
expect_eq "long line and garbage rejected" 2 "$(summary_field "$TMP/sum" rejected)"
"$PAYBACKD" --db "$TMP/b.db" rejects > "$TMP/rej"
grep -q "c.ndjson:2: line longer than 1 MiB" "$TMP/rej" || { cat "$TMP/rej"; fail "long line"; }
grep -q "c.ndjson:4: " "$TMP/rej" || { cat "$TMP/rej"; fail "garbage line"; }
echo "ok: long line and garbage"

# CRLF line ends and a UTF-8 byte order mark, as Windows tools write them.
W="$TMP/win"
mkdir -p "$W"
printf '\357\273\277{"ts":"2026-11-20T10:00:00Z","developer":"ana","model":"m","output_tokens":1}\r\n{"ts":"2026-11-20T10:00:01Z","developer":"ana","model":"m","output_tokens":2}\r\n' > "$W/w.ndjson"
"$PAYBACKD" --db "$TMP/w.db" ingest "$W" > "$TMP/sum"
expect_eq "BOM and CRLF lines" 2 "$(summary_field "$TMP/sum" "events added")"
expect_eq "nothing rejected" 0 "$(summary_field "$TMP/sum" rejected)"
