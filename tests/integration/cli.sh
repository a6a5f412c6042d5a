# The command-line contract: exit statuses and error messages scripts rely on.
. "$(dirname "$0")/lib.sh"

expect_status "no command is a usage error" 2 "$PAYBACKD"
expect_status "unknown command" 2 "$PAYBACKD" frobnicate
expect_status "unknown option" 2 "$PAYBACKD" --frob report
expect_status "unknown report key" 2 pb report --by developer,colour
grep -q "unknown key 'colour'" "$TMP/err" || fail "message for a bad key"
expect_status "bad date" 2 pb report --from 2026-02-30
expect_status "bad format" 2 pb report --format xml
expect_status "bad ingest format" 2 pb ingest --format yaml /dev/null
expect_status "missing path is an I/O error" 1 pb ingest "$TMP/does-not-exist"
expect_status "help" 0 "$PAYBACKD" --help
expect_status "version" 0 "$PAYBACKD" version

printf 'storage:\n  path: x.db\ntimezon: UTC\n' > "$TMP/bad.yaml"
expect_status "invalid config fails check" 1 "$PAYBACKD" -c "$TMP/bad.yaml" check
expect_eq "config error names file:line:col" \
	"$TMP/bad.yaml:3:1: unknown key 'timezon' (did you mean 'timezone'?)" "$(cat "$TMP/err")"
expect_status "invalid config fails any command" 1 "$PAYBACKD" -c "$TMP/bad.yaml" report
expect_status "missing config file" 1 "$PAYBACKD" -c "$TMP/none.yaml" check
printf 'timezone: Europe/Lisbon\nsources:\n  - path: logs\n    developer: "{developer}/..."\n' > "$TMP/ok.yaml"
expect_status "valid config passes check" 0 "$PAYBACKD" -c "$TMP/ok.yaml" check

# Sources from the configuration, with developers from the folder names.
mkdir -p "$TMP/logs/ana" "$TMP/logs/bruno"
printf '{"timestamp":"2026-11-20T09:00:02Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":5,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0}}}}\n' > "$TMP/logs/ana/r.jsonl"
printf '{"timestamp":"2026-11-20T09:00:03Z","type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":7,"cached_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0}}}}\n' > "$TMP/logs/bruno/r.jsonl"
expect_status "ingest configured sources" 0 "$PAYBACKD" -c "$TMP/ok.yaml" --db "$TMP/s.db" ingest
"$PAYBACKD" -c "$TMP/ok.yaml" --db "$TMP/s.db" report --by developer --format csv | tr -d "\r" | cut -d, -f1,5 > "$TMP/got"
printf 'developer,input_tokens\nana,5\nbruno,7\n' > "$TMP/want"
diff "$TMP/want" "$TMP/got" || fail "developers from the path pattern"
echo "ok: developers from the path pattern"

# The JSON report is valid JSON with the documented fields.
pb ingest "$FIXTURES" > /dev/null
pb report --by developer,week --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["by"] == ["developer", "week"], r["by"]
assert all(set(["developer", "week", "requests", "prompts", "active_minutes", "input_tokens", "cache_read_tokens",
                "cache_write_tokens", "output_tokens", "reasoning_tokens"]) <= set(row) for row in r["rows"])
assert r["totals"]["requests"] == 14 and r["totals"]["prompts"] == 9, r["totals"]
' || fail "JSON report"
echo "ok: JSON report"
pb check 2>&1 | grep -q "no price for model 'chatgpt-5.5' (1 requests stored)" ||
	fail "check warns of models stored with no price"
echo "ok: check names unpriced models"
pb report --by month | grep -q "^TOTAL" || fail "text report has a total line"
echo "ok: text report"

# People fold aliases into one developer and give reports their teams.
printf 'people:\n  - {id: ana@example.com, team: payments, aliases: [ana]}\n' > "$TMP/people.yaml"
"$PAYBACKD" --db "$TMP/ppl.db" ingest --developer ana "$FIXTURES" > /dev/null
"$PAYBACKD" -c "$TMP/people.yaml" --db "$TMP/ppl.db" report --by developer,team --format csv | tr -d '\r' | cut -d, -f1,2,3 > "$TMP/got"
printf 'developer,team,requests\nana@example.com,payments,12\nbruno@example.com,(no team),1\nchen,(no team),1\n' > "$TMP/want"
diff "$TMP/want" "$TMP/got" || fail "people and teams"
echo "ok: aliases and teams"

# A file in no known format is skipped with one warning, not rejected line by line.
mkdir -p "$TMP/other"
printf '{\n  "theme": "dark"\n}\n' > "$TMP/other/settings.jsonl"
expect_status "unknown format is not an error" 0 "$PAYBACKD" --db "$TMP/o.db" ingest "$TMP/other"
grep -q "settings.jsonl: not a format paybackd knows" "$TMP/err" || fail "warning for an unknown format"
expect_eq "no rejects for it" 0 "$(summary_field "$TMP/out" rejected)"

# Sections: overview and models, with periods.
printf 'people:\n  - {id: ana, seats: [{plan: pro, since: 2026-11-01}]}\nplans:\n  - {id: pro, monthly_usd: 300, covers: ["claude-*"]}\n' > "$TMP/seat.yaml"
"$PAYBACKD" -c "$TMP/seat.yaml" --db "$TMP/ppl.db" report overview --period 2026-11 --format json > "$TMP/ov.json" || fail "overview"
python3 - "$TMP/ov.json" <<'PY' || fail "overview JSON"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["report"] == "overview" and r["from"] == "2026-11-01" and r["to"] == "2026-11-30", r
assert abs(r["seat_cost_usd"] - 300) < 1e-9, r["seat_cost_usd"]
for k in ("hours_saved", "value_usd", "roi", "net_usd"):
    assert set(r[k]) == {"low", "likely", "high"}, k
assert abs(r["total_cost_usd"] - r["seat_cost_usd"] - r["payg_usd"]) < 1e-3
PY
echo "ok: overview JSON"
"$PAYBACKD" -c "$TMP/seat.yaml" --db "$TMP/ppl.db" report models --format csv | head -1 | tr -d '\r' > "$TMP/got"
expect_eq "models CSV header" "model,requests,seat_cost_usd,payg_usd,api_equivalent_usd,hours_saved_low,hours_saved_likely,hours_saved_high" "$(cat "$TMP/got")"
expect_status "bad period" 2 pb report overview --period 2026-13
expect_status "bad last" 2 pb report overview --last 7
expect_status "--by with a section" 2 pb report models --by model
expect_status "unknown section" 2 pb report seats-and-more
"$PAYBACKD" -c "$TMP/seat.yaml" --db "$TMP/ppl.db" report models --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["report"] == "models" and r["models"], r
assert all({"model", "requests", "seat_cost_usd", "payg_usd", "api_equivalent_usd", "hours_saved"} <= set(m) for m in r["models"])
' || fail "models JSON"
echo "ok: models JSON"
"$PAYBACKD" -c "$TMP/seat.yaml" --db "$TMP/ppl.db" report compare --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["report"] == "compare" and r["rows"] and r["recommendations"], r
' || fail "compare JSON"
echo "ok: compare JSON"
"$PAYBACKD" -c "$TMP/seat.yaml" --db "$TMP/ppl.db" report seats --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["report"] == "seats" and r["seats"][0]["advice"] in ("idle", "oversized", "undersized", "good value"), r
' || fail "seats JSON"
echo "ok: seats JSON"

# privacy.developers reaches the usage report grouped by developer too.
cp "$TMP/seat.yaml" "$TMP/pseudo.yaml"
printf 'privacy: {developers: pseudonymous}\n' >> "$TMP/pseudo.yaml"
"$PAYBACKD" -c "$TMP/pseudo.yaml" --db "$TMP/ppl.db" report --by developer --format csv > "$TMP/pseudo.csv" ||
	fail "pseudonymous usage report"
tail -n +2 "$TMP/pseudo.csv" | cut -d, -f1 | grep -qv '^developer-[0-9a-f]\{6\}$' &&
	fail "a developer shown by name under pseudonymous: $(cat "$TMP/pseudo.csv")"
"$PAYBACKD" -c "$TMP/seat.yaml" --db "$TMP/ppl.db" report --by developer --format csv > "$TMP/plain.csv"
expect_eq "pseudonyms keep the rows" "$(wc -l < "$TMP/plain.csv")" "$(wc -l < "$TMP/pseudo.csv")"
sed 's/pseudonymous/hidden/' "$TMP/pseudo.yaml" > "$TMP/hidden.yaml"
expect_status "hidden developers: no report by developer" 1 \
	"$PAYBACKD" -c "$TMP/hidden.yaml" --db "$TMP/ppl.db" report --by developer
expect_status "hidden developers: a report by team still works" 0 \
	"$PAYBACKD" -c "$TMP/hidden.yaml" --db "$TMP/ppl.db" report --by team
for section in usage overview models compare developers teams seats; do
	expect_status "report $section: an inverted period is a usage error" 2 \
		"$PAYBACKD" -c "$TMP/hidden.yaml" --db "$TMP/ppl.db" report $section \
		--from 2026-12-01 --to 2026-11-01
done
