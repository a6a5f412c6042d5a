# E-mail digests against a real SMTP server (aiosmtpd on a loopback port):
# the message as it arrives (headers, both parts, figures, UTF-8 names), sent
# once across restarts, retried while the server is down, never retried after
# a permanent refusal; preview and send-now; SIGHUP with a broken file keeps
# serving; SIGTERM during a large ingest loses nothing.
. "$(dirname "$0")/lib.sh"

pid=
sink=
trap 'kill $pid $sink 2> /dev/null; rm -rf "$TMP"' EXIT
SINK="/usr/bin/python3 $ROOT/tests/integration/smtp_sink.py"
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # SECONDS COMMAND...: until COMMAND succeeds
	limit=$1
	shift
	for i in $(seq $((limit * 10))); do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
start_sink() { # PORT DIR [--refuse]
	$SINK "$@" > "$TMP/sink.log" 2>&1 &
	sink=$!
	wait_for 10 grep -q listening "$TMP/sink.log" || fail "SMTP server did not start"
}
# arm NAME...: waits until the running daemon has seen each digest (digest_state),
# so that a firing set a few seconds ahead afterwards counts as one it knew of.
arm() {
	for name in "$@"; do
		wait_for 20 python3 -c "import sqlite3,sys; sys.exit(not sqlite3.connect(sys.argv[1]).execute('SELECT 1 FROM digest_state WHERE digest = ?', (sys.argv[2],)).fetchone())" "$TMP/p.db" "$name" ||
			fail "the daemon never saw digest $name: $(tail -3 "$TMP/serve.log")"
	done
}
LATER=$(date -u -d '+1 hour' +%H:%M:%S) # a firing that stays in the future
count_mail() { ls "$1" 2> /dev/null | grep -c '\.eml$'; }
has_mail() { [ "$(count_mail "$1")" -ge "$2" ]; } # DIR N: at least N messages
at_offset() { date -u -d "+$1 sec" +%H:%M:%S; }

# Daily digests fire a few seconds ahead: keep the whole run within one UTC day.
left=$((86400 - $(date -u +%s) % 86400))
[ "$left" -gt 150 ] || sleep "$((left + 2))"

SMTP_PORT=$(free_port)
HTTP_PORT=$(free_port)
YESTERDAY=$(date -u -d yesterday +%Y-%m-%d)
BEFORE=$(date -u -d '2 days ago' +%Y-%m-%d)

# Usage yesterday and the day before, by two people of the payments team.
mkdir "$TMP/logs"
python3 - "$TMP/logs/usage.ndjson" "$YESTERDAY" "$BEFORE" <<'PY'
import json, sys
out, days = open(sys.argv[1], "w"), sys.argv[2:]
for d, day in enumerate(days):
    for i in range(40 - 10 * d):
        out.write(json.dumps({"ts": "%sT%02d:%02d:00Z" % (day, 8 + i % 10, i), "request_id": "%s-%d" % (day, i),
                              "developer": "zoe" if i % 2 else "ana", "tool": "claude-code",
                              "model": "claude-sonnet-4-5" if i % 3 else "gpt-5", "task": "debug",
                              "input_tokens": 12000, "output_tokens": 800, "latency_ms": 4000,
                              "outcome": "accepted" if i % 4 else "rejected"}) + "\n")
PY

write_config() { # SCHEDULE-TIME [EXTRA-DIGEST-YAML]
	cat > "$TMP/payback.yaml" << YAML
timezone: UTC
sources:
  - {path: $TMP/logs, format: native}
people:
  - {id: ana@example.com, name: Ana Lima, team: payments, aliases: [ana],
     seats: [{plan: claude-max, since: 2026-01-01}]}
  - {id: zoe, name: "Zoë Ñúñez-Østergård", email: zoe@example.com, team: payments, aliases: [zoe],
     seats: [{plan: claude-max, since: 2026-01-01}]}
plans:
  - {id: claude-max, vendor: anthropic, monthly_usd: 100, covers: ["claude-*"]}
http:
  public_url: https://payback.example.com/
smtp:
  url: smtp://127.0.0.1:$SMTP_PORT
  from: "Payback <payback@example.com>"
  tls: none
  retry_first: 1s
  retry_max: 2s
  timeout: 5s
digests:
  - {name: payments-daily, schedule: "daily $1", to: [lead@example.com], scope: "team:payments"}
  - {name: me, schedule: "daily $1", scope: personal}
${2:-}
YAML
}

# --- the scheduled digest, as it arrives
start_sink "$SMTP_PORT" "$TMP/mail"
write_config "$LATER"
"$PAYBACKD" -c "$TMP/payback.yaml" check > /dev/null || fail "config check"
serve() {
	"$PAYBACKD" -c "$TMP/payback.yaml" --db "$TMP/p.db" serve --listen "127.0.0.1:$HTTP_PORT" \
		2>> "$TMP/serve.log" &
	pid=$!
}
serve
arm payments-daily me
write_config "$(at_offset 3)"
kill -HUP "$pid"
wait_for 20 has_mail "$TMP/mail" 3 || fail "3 digests did not arrive: $(cat "$TMP/serve.log")"
echo "ok: the scheduled digests arrived (one team digest, two personal ones)"
pb -c "$TMP/payback.yaml" report overview --from "$YESTERDAY" --to "$YESTERDAY" --format json > "$TMP/overview.json" ||
	fail "report overview"

python3 - "$TMP/mail" "$TMP/overview.json" "$YESTERDAY" <<'PY' || fail "the digest as received"
import email, email.policy, glob, json, re, sys
folder, overview, day = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
msgs = {}
for path in glob.glob(folder + "/*.eml"):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    msgs[m["X-Envelope-To"]] = m
assert sorted(msgs) == ["ana@example.com", "lead@example.com", "zoe@example.com"], sorted(msgs)
team = msgs["lead@example.com"]
assert team.get_content_type() == "multipart/alternative", team.get_content_type()
parts = [p.get_content_type() for p in team.iter_parts()]
assert parts == ["text/plain", "text/html"], parts
assert team["From"] == "Payback <payback@example.com>", team["From"]
assert team["Auto-Submitted"] == "auto-generated"
assert re.match(r"<payback\.%s\.\.%s\.[0-9a-f]{16}@example\.com>$" % (day, day), team["Message-ID"]), team["Message-ID"]
assert team["Date"], "Date header"
subject = str(team["Subject"])
assert "daily digest for the payments team" in subject and day in subject, subject
assert re.search(r"ROI -?\d+% likely", subject), subject
text = team.get_body(("plain",)).get_content()
html = team.get_body(("html",)).get_content()
ov = overview
assert "Requests          %d" % ov["requests"] in text, (ov["requests"], text)
def money(v): return "${:,.2f}".format(v)
assert "Seat cost         %s" % money(ov["seat_cost_usd"]) in text, (ov["seat_cost_usd"], text)
assert "API-equivalent    %s" % money(ov["api_equivalent_usd"]) in text, text
h = ov["hours_saved"]
assert "%.1f to %.1f h (likely %.1f)" % (h["low"], h["high"], h["likely"]) in text, (h, text)
assert "Compared with the day before" in text and "requests +33%" in text, text
assert "Week over week (" in text and "against the 7 days before" in text, text
assert "Week over week: requests" in html, "week over week in the HTML"
assert "https://payback.example.com/?from=%s&to=%s" % (day, day) in text, text
for needle in ["Top models", "claude-sonnet-4-5", "Seat advice", money(ov["seat_cost_usd"]), "Hours saved (likely)"]:
    assert needle in html, needle
assert "<script" not in html and "<img" not in html and "<link" not in html, "nothing to load"
assert 'href="https://payback.example.com/?from=%s&amp;to=%s"' % (day, day) in html, "dashboard link"
# A personal digest with a UTF-8 name: encoded headers, decoded right.
zoe = msgs["zoe@example.com"]
assert zoe["To"].addresses[0].display_name == "Zoë Ñúñez-Østergård", zoe["To"]
assert "Zoë Ñúñez-Østergård" in str(zoe["Subject"]), str(zoe["Subject"])
raw = open([p for p in glob.glob(folder + "/*.eml") if "zoe@" in open(p, encoding="latin-1").read(300)][0], "rb").read()
assert b"=?UTF-8?B?" in raw.split(b"\r\n\r\n")[0], "non-ASCII headers are RFC 2047 encoded"
zt = zoe.get_body(("plain",)).get_content()
assert "digest for Zoë Ñúñez-Østergård" in zt, zt[:200]
assert "Requests          %d" % (ov["requests"] // 2) in zt, zt[:400]
assert "developers/zoe?from=" in zt, "a personal digest links the person's own page"
assert "ana@example.com" not in zt, "a personal digest shows no one else"
print("ok: headers, multipart/alternative, figures equal the overview report, UTF-8 names")
PY

# --- exactly once: a restart does not send again
kill -TERM "$pid"
wait "$pid" || fail "serve exit status after SIGTERM"
serve
sleep 3
expect_eq "a restart sends nothing again" 3 "$(count_mail "$TMP/mail")"
sqlite3_count() {
	python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$TMP/p.db" "$1"
}
expect_eq "digest_runs holds each (digest, period, recipient) once, sent" 3 \
	"$(sqlite3_count "SELECT count(*) FROM digest_runs WHERE status = 'sent' AND attempts = 1")"

# --- the server goes away: retried with backoff, sent once when it is back
kill "$sink"
wait "$sink" 2> /dev/null
write_config "$(at_offset 3)" "  - {name: retry, schedule: \"daily $LATER\", to: [ops@example.com], scope: org}"
kill -HUP "$pid"
arm retry
# The two digests of this configuration ran already today; only the new one is due.
write_config "$(at_offset 3)" "  - {name: retry, schedule: \"daily $(at_offset 3)\", to: [ops@example.com], scope: org}"
kill -HUP "$pid"
wait_for 15 grep -q "digest retry .* failed (try 2)" "$TMP/serve.log" ||
	fail "no retry while the SMTP server is down: $(tail -5 "$TMP/serve.log")"
echo "ok: a failed send is retried"
python3 - "$HTTP_PORT" <<'PY' || fail "the failure on the Sources page and in /metrics"
import sys, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
page = urllib.request.urlopen(base + "/sources").read().decode()
assert "E-mail digests" in page and "retrying" in page and "ops@example.com" in page, page[-2000:]
metrics = urllib.request.urlopen(base + "/metrics").read().decode()
assert 'payback_digest_deliveries{digest="retry",status="retrying"} 1' in metrics, metrics
print("ok: the retry shows on /sources and in /metrics")
PY
start_sink "$SMTP_PORT" "$TMP/mail"
wait_for 10 has_mail "$TMP/mail" 4 || fail "the retried digest did not arrive"
sleep 3
expect_eq "the retried digest arrives exactly once" 1 "$(grep -l "ops@example.com" "$TMP"/mail/*.eml | wc -l)"
expect_eq "and is recorded as sent" sent "$(sqlite3_count "SELECT status FROM digest_runs WHERE digest = 'retry'")"
kill -TERM "$pid"
wait "$pid" || fail "serve exit status"

# --- a digest missed while the daemon was down is sent when it starts
write_config "$LATER" "  - {name: missed, schedule: \"daily $LATER\", to: [late@example.com], scope: org}"
serve
arm missed
kill -TERM "$pid"
wait "$pid" || fail "serve exit status"
# It fires while the daemon is down.
write_config "$LATER" "  - {name: missed, schedule: \"daily $(at_offset 2)\", to: [late@example.com], scope: org}"
sleep 3
expect_eq "nothing sent before the firing" 0 "$(grep -l "late@example.com" "$TMP"/mail/*.eml | wc -l)"
serve
wait_for 10 has_mail "$TMP/mail" 5 || fail "the digest missed while down was not sent at start"
expect_eq "the missed digest is sent once at start-up" 1 "$(grep -l "late@example.com" "$TMP"/mail/*.eml | wc -l)"
kill -TERM "$pid"
wait "$pid" || fail "serve exit status"

# --- a permanent refusal (5xx) is not retried
kill "$sink"
wait "$sink" 2> /dev/null
start_sink "$SMTP_PORT" "$TMP/refused" --refuse
write_config "$LATER" "  - {name: refused, schedule: \"daily $LATER\", to: [gone@example.com], scope: org}"
serve
arm refused
write_config "$LATER" "  - {name: refused, schedule: \"daily $(at_offset 2)\", to: [gone@example.com], scope: org}"
kill -HUP "$pid"
wait_for 10 grep -q "digest refused .* refused for good" "$TMP/serve.log" || fail "no permanent failure logged"
sleep 3
expect_eq "a 5xx refusal is tried once and marked failed" "failed 1" \
	"$(sqlite3_count "SELECT status || ' ' || attempts FROM digest_runs WHERE digest = 'refused'")"

# --- SIGHUP with a broken file keeps the daemon serving
echo "digests: [{name: broken, schedule: \"hourly\"}]" >> "$TMP/payback.yaml"
kill -HUP "$pid"
wait_for 5 grep -q "reload: .*payback.yaml:[0-9]*:[0-9]*:" "$TMP/serve.log" || fail "broken config not reported with its position"
grep -q "the configuration in use is kept" "$TMP/serve.log" || fail "old config not kept"
python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % sys.argv[1])" "$HTTP_PORT" ||
	fail "not serving after a broken reload"
echo "ok: SIGHUP with a broken file logs file:line:col and keeps serving"
start=$(date +%s%N)
kill -TERM "$pid"
wait "$pid" || fail "serve exit status after SIGTERM"
expect_eq "SIGTERM exits within 5 s" 1 "$(( ($(date +%s%N) - start) / 1000000 < 5000 ))"
kill "$sink"
wait "$sink" 2> /dev/null

# --- preview and send-now
start_sink "$SMTP_PORT" "$TMP/now"
write_config "08:00"
pb -c "$TMP/payback.yaml" digest payments-daily --preview --period "$YESTERDAY" > "$TMP/preview.html" || fail "preview"
grep -q "<!DOCTYPE html>" "$TMP/preview.html" && grep -q "the payments team" "$TMP/preview.html" || fail "preview HTML"
pb -c "$TMP/payback.yaml" digest me --preview --text --person zoe --period "$YESTERDAY" > "$TMP/preview.txt" || fail "text preview"
grep -q "^Payback daily digest for Zoë Ñúñez-Østergård" "$TMP/preview.txt" || fail "text preview: $(head -2 "$TMP/preview.txt")"
echo "ok: --preview writes the HTML, --text the plain text"
expect_status "a personal preview needs --person" 1 pb -c "$TMP/payback.yaml" digest me --preview
expect_status "an unknown digest is a usage error" 2 pb -c "$TMP/payback.yaml" digest nope --preview
pb -c "$TMP/payback.yaml" digest payments-daily --send-now --period "$YESTERDAY" > "$TMP/out" || fail "send-now"
expect_eq "send-now sends" "digest payments-daily: 1 sent, 0 to retry, 0 refused" "$(cat "$TMP/out")"
wait_for 5 has_mail "$TMP/now" 1 || fail "send-now message missing"
# The release binary under valgrind: sending (libcurl, MIME), and serving through a reload.
if command -v valgrind > /dev/null && [ -x "$ROOT/build/paybackd" ]; then
	VG="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite"
	$VG "$ROOT/build/paybackd" -c "$TMP/payback.yaml" --db "$TMP/p.db" digest me --send-now \
		--period "$YESTERDAY" > /dev/null 2> "$TMP/vg.log" || fail "valgrind: digest send-now: $(cat "$TMP/vg.log")"
	$VG "$ROOT/build/paybackd" -c "$TMP/payback.yaml" --db "$TMP/p.db" serve --listen "127.0.0.1:$HTTP_PORT" \
		2> "$TMP/vg.log" &
	pid=$!
	wait_for 60 grep -q "serving http" "$TMP/vg.log" || fail "valgrind: serve did not start"
	kill -HUP "$pid"
	wait_for 60 grep -q "reloaded" "$TMP/vg.log" || fail "valgrind: no reload: $(cat "$TMP/vg.log")"
	python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:%s/sources' % sys.argv[1])" "$HTTP_PORT" ||
		fail "valgrind: not serving after the reload"
	kill -TERM "$pid"
	wait "$pid" || fail "valgrind found errors in serve: $(cat "$TMP/vg.log")"
	echo "ok: valgrind clean: digest send-now, serve with a reload"
fi
# STARTTLS is required unless smtp.tls says none: this server has none.
sed -i 's/^  tls: none$//' "$TMP/payback.yaml"
expect_status "STARTTLS required, server without it: not sent" 1 \
	pb -c "$TMP/payback.yaml" digest payments-daily --send-now --period "$YESTERDAY"
grep -qi "ssl\|tls" "$TMP/err" || fail "the error does not name TLS: $(cat "$TMP/err")"
expect_status "a password in the YAML is refused" 1 sh -c "printf 'smtp: {url: \"smtp://x\", from: a@b.c, password: hunter2}\n' > '$TMP/pw.yaml' && '$PAYBACKD' -c '$TMP/pw.yaml' check"
grep -q "pw.yaml:1:.*password_file" "$TMP/err" || fail "password error: $(cat "$TMP/err")"
kill "$sink"
wait "$sink" 2> /dev/null

# --- SIGTERM during a large ingest loses nothing
"$LOGGEN" --out "$TMP/big" --developers 8 --days 20 --requests 150000 --seed 11 > /dev/null || fail "loggen"
cat > "$TMP/big.yaml" << YAML
timezone: UTC
sources:
  - {path: $TMP/big, format: auto, developer: "{developer}/..."}
YAML
"$PAYBACKD" -c "$TMP/big.yaml" --db "$TMP/big.db" serve --listen "127.0.0.1:$HTTP_PORT" 2> "$TMP/big.log" &
pid=$!
has_events() { [ "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM event').fetchone()[0])" "$TMP/big.db" 2> /dev/null)" -gt 0 ]; }
wait_for 20 has_events || fail "nothing ingested: $(cat "$TMP/big.log")"
"$PAYBACKD" -c "$TMP/big.yaml" --db "$TMP/big.db" backup "$TMP/copy.db" > /dev/null ||
	fail "backup while the daemon writes"
# SIGTERM at once, while the daemon is still reading: the copy is checked after.
kill -TERM "$pid"
start=$(date +%s%N)
wait "$pid" || fail "exit status after SIGTERM during ingest: $(cat "$TMP/big.log")"
expect_eq "SIGTERM during a large ingest exits within 5 s" 1 "$(( ($(date +%s%N) - start) / 1000000 < 5000 ))"
python3 - "$TMP/copy.db" <<'PY' || fail "the backup is not a consistent database"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
# The stored rollup holds exactly the events up to rollup_through (a busy
# writer may add the later ones a few commits on): a consistent copy agrees.
events = db.execute("SELECT count(*) FROM event").fetchone()[0]
through = int(db.execute("SELECT value FROM meta WHERE key = 'rollup_through'").fetchone()[0])
counted = db.execute("SELECT count(*) FROM event WHERE id <= ?", (through,)).fetchone()[0]
rolled = db.execute("SELECT coalesce(sum(requests), 0) FROM rollup").fetchone()[0]
assert events > 0 and counted == rolled, (events, counted, rolled)
print("ok: backup of a running daemon is consistent (%d events, %d in the rollup, integrity ok)"
      % (events, rolled))
PY
# Opened, the copy's reports count every event it holds.
"$PAYBACKD" --db "$TMP/copy.db" report --by model --format csv > "$TMP/copy.csv" || fail "report on the backup"
python3 - "$TMP/copy.db" "$TMP/copy.csv" <<'PY' || fail "the backup's report misses events"
import csv, sqlite3, sys
events = sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM event").fetchone()[0]
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["model"] != "TOTAL"]
assert sum(int(r["requests"]) for r in rows) == events, events
print("ok: a report on the backup counts all %d events" % events)
PY
partial=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM event').fetchone()[0])" "$TMP/big.db")
"$PAYBACKD" -c "$TMP/big.yaml" --db "$TMP/big.db" ingest > "$TMP/rest" || fail "ingest after stop"
[ "$(summary_field "$TMP/rest" "events added")" -gt 0 ] || fail "SIGTERM came after the ingest ended ($partial events): nothing tested"
echo "ok: SIGTERM came mid-ingest ($partial events stored by then)"
"$PAYBACKD" -c "$TMP/big.yaml" --db "$TMP/clean.db" ingest > /dev/null || fail "clean ingest"
a=$("$PAYBACKD" --db "$TMP/big.db" report --by model --format csv)
b=$("$PAYBACKD" --db "$TMP/clean.db" report --by model --format csv)
[ "$a" = "$b" ] || fail "totals after SIGTERM differ from a clean run"
echo "ok: after SIGTERM mid-ingest, the next run's totals equal a clean run's"
