# The fixture logs hold every line type of FORMATS.md; every total below was
# worked out by hand from them (see the comments in tests/fixtures/README.md).
. "$(dirname "$0")/lib.sh"

pb ingest --developer ana "$FIXTURES" > "$TMP/sum" || fail "ingest failed"
cat "$TMP/sum"
expect_eq "events added" 14 "$(summary_field "$TMP/sum" "events added")"
expect_eq "duplicates" 5 "$(summary_field "$TMP/sum" duplicates)"
expect_eq "rejected" 9 "$(summary_field "$TMP/sum" rejected)"

pb report --by tool,model --format csv | tr -d '\r' | cut -d, -f1-3,6-10 > "$TMP/got"
cat > "$TMP/want" <<'CSV'
tool,model,requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens
chatgpt,codex-5.3-spark,1,1200,300,0,450,0
claude-code,claude-haiku-4-5-20251001,1,1,10,0,2,0
claude-code,claude-opus-4-1-20250805,1,30,0,300,70,0
claude-code,claude-sonnet-4-5-20250929,2,30,3000,120,150,0
codex,gpt-5,1,700,0,0,70,0
codex,gpt-5-codex,2,1000,1500,0,300,80
codex,gpt-5-mini,1,0,100,0,10,0
codex,gpt-5.1-codex,3,1200,700,0,260,40
native,chatgpt-5.5,1,100,0,0,50,20
native,codex-5.3-spark,1,0,0,7,9,0
CSV
diff "$TMP/want" "$TMP/got" || fail "report by tool,model differs"
echo "ok: totals by tool and model"

pb report --by developer --format csv | tr -d '\r' | cut -d, -f1,2,5-9 > "$TMP/got"
printf 'developer,requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens\nana,11,2961,5310,420,862,120\nana@example.com,1,1200,300,0,450,0\nbruno@example.com,1,100,0,0,50,20\nchen,1,0,0,7,9,0\n' > "$TMP/want"
diff "$TMP/want" "$TMP/got" || fail "report by developer differs"
echo "ok: totals by developer"

# Prompts: Claude's two typed prompts (not the meta line, the /model command, the
# subagent's sidechain prompt or the resumed copy), Codex's two user_message turns
# and one of each fork's own (not the replays), and each native request without a
# prompt_id.
pb report --by tool --format csv | tr -d '\r' | cut -d, -f1-3 > "$TMP/got"
printf 'tool,requests,prompts\nchatgpt,1,1\nclaude-code,4,2\ncodex,7,4\nnative,2,2\n' > "$TMP/want"
diff "$TMP/want" "$TMP/got" || fail "prompts by tool differ"
echo "ok: prompts by tool"

pb rejects > "$TMP/rej"
expect_eq "rejects listed" 9 "$(wc -l < "$TMP/rej")"
grep -q "s1.jsonl:15: truncated JSON (unterminated string) at column 76" "$TMP/rej" || fail "truncated line"
grep -q "s1.jsonl:16: impossible timestamp: '2026-02-30T10:00:00.000Z'" "$TMP/rej" || fail "bad date"
grep -q "sess-1.jsonl:13: token counts must be non-negative integers" "$TMP/rej" || fail "codex type"
grep -q "requests.ndjson:4: missing required field 'model'" "$TMP/rej" || fail "native missing"
grep -q "requests.ndjson:10: invalid UTF-8 at column 43" "$TMP/rej" || fail "utf8"
grep -q "requests.ndjson:11: binary data (NUL byte) at column 1" "$TMP/rej" || fail "binary"
echo "ok: reject reasons and line numbers"

# Agent edits: msg_A's Edit of a 2-line block added 1 line (its structuredPatch,
# not the 3 + 2 lines of its strings), accepted; msg_B's Write was declined;
# msg_C's Edit failed (string not found): no lines, no outcome; the Codex patch
# added 2 and removed 1.
pb report --by tool --format json > "$TMP/json"
sqlite_check() {
	python3 - "$TMP/p.db" "$1" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])
PY
}
expect_eq "accepted edit lines" "1 0 accepted" "$(sqlite_check "SELECT lines_added || ' ' || lines_removed || ' ' || outcome FROM event_named WHERE model LIKE 'claude-sonnet%' AND ts = (SELECT min(ts) FROM event_named WHERE model LIKE 'claude-sonnet%')")"
expect_eq "declined write" "0 rejected" "$(sqlite_check "SELECT lines_added || ' ' || outcome FROM event_named WHERE model LIKE 'claude-sonnet%' AND ts = (SELECT max(ts) FROM event_named WHERE model LIKE 'claude-sonnet%')")"
expect_eq "one-hour cache writes kept apart" "120 20" "$(sqlite_check "SELECT cache_write_tokens || ' ' || cache_write_1h_tokens FROM event_named WHERE model LIKE 'claude-sonnet%' AND ts = (SELECT min(ts) FROM event_named WHERE model LIKE 'claude-sonnet%')")"
expect_eq "failed edit" "0 none" "$(sqlite_check "SELECT lines_added || ' ' || coalesce(outcome, 'none') FROM event_named WHERE model LIKE 'claude-opus%'")"
expect_eq "codex patch lines" "2 1" "$(sqlite_check "SELECT sum(lines_added) || ' ' || sum(lines_removed) FROM event_named WHERE tool = 'codex'")"

# A second run over the same tree reads nothing.
pb ingest --developer ana "$FIXTURES" > "$TMP/sum2"
expect_eq "second run reads no file" 0 "$(summary_field "$TMP/sum2" "read")"
expect_eq "second run adds nothing" 0 "$(summary_field "$TMP/sum2" "events added")"

# Days are local days of the configured zone: msg_C at 00:30Z on Nov 21 is
# the evening of Nov 20 in New York.
printf 'timezone: America/New_York\n' > "$TMP/ny.yaml"
"$PAYBACKD" -c "$TMP/ny.yaml" --db "$TMP/p.db" report --by day,tool --format csv | tr -d '\r' > "$TMP/got"
grep -q "^2026-11-20,claude-code,4," "$TMP/got" || { cat "$TMP/got"; fail "New York days"; }
"$PAYBACKD" --db "$TMP/p.db" report --by day,tool --format csv | tr -d '\r' > "$TMP/got"
grep -q "^2026-11-21,claude-code,2," "$TMP/got" || { cat "$TMP/got"; fail "UTC days"; }
echo "ok: local days follow the configured time zone"

# The release binary under valgrind on the same files: no errors, no leaks.
if command -v valgrind > /dev/null && [ -x "$ROOT/build/paybackd" ]; then
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
		"$ROOT/build/paybackd" --db "$TMP/v.db" ingest "$FIXTURES" > /dev/null ||
		fail "valgrind found errors in ingest"
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
		"$ROOT/build/paybackd" --db "$TMP/v.db" report --by developer,week > /dev/null ||
		fail "valgrind found errors in report"
	echo "ok: valgrind clean"
fi
