# The report API on a real port on 127.0.0.1: health, JSON and CSV, errors,
# hostile names from logs, live ingest of a watched folder, loopback only, and
# a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' \
	'{"ts":"2026-11-20T10:00:00Z","developer":"<script>alert(1)</script>","model":"\"><img src=x onerror=alert(1)>","project":"=HYPERLINK(\"http://x\",\"y\")","input_tokens":5,"request_id":"a"}' \
	'{"ts":"2026-11-21T10:00:00Z","developer":"ana","model":"gpt-5","task":"debug","input_tokens":1000000,"output_tokens":10,"outcome":"accepted","request_id":"b"}' > "$TMP/n.ndjson"
pb ingest "$TMP/n.ndjson" > /dev/null || fail "ingest"
mkdir "$TMP/live"
printf 'timezone: UTC\nsources:\n  - {path: %s, format: native}\n' "$TMP/live" > "$TMP/serve.yaml"
"$PAYBACKD" -c "$TMP/serve.yaml" --db "$TMP/p.db" serve --listen "127.0.0.1:$PORT" \
	2> "$TMP/serve.log" &
pid=$!
for i in $(seq 50); do
	python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz')" 2> /dev/null && break
	sleep 0.1
done

python3 - "$PORT" <<'PY' || { kill "$pid"; fail "API answers"; }
import json, sys, urllib.request, urllib.error
base = "http://127.0.0.1:%s" % sys.argv[1]
def get(path):
    try:
        r = urllib.request.urlopen(base + path)
        return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()

s, h, body = get("/healthz")
assert s == 200 and body == "ok\n", (s, body)
for section in ("overview", "models", "compare", "developers", "teams", "seats"):
    s, h, body = get("/api/v1/report/%s?from=2026-11-01&to=2026-11-30" % section)
    assert s == 200, (section, s, body)
    assert h["Content-Type"] == "application/json", h["Content-Type"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Content-Security-Policy"] == "default-src 'none'"
    r = json.loads(body)
    assert r["report"] == section, r
r = json.loads(get("/api/v1/report/overview?period=2026-11")[2])
assert r["requests"] == 2 and r["from"] == "2026-11-01", r
# Hostile names stay data: JSON-escaped, and never HTML.
s, h, body = get("/api/v1/report/developers?from=2026-11-01&to=2026-11-30")
devs = [d["developer"] for d in json.loads(body)["developers"]]
assert "<script>alert(1)</script>" in devs, devs
s, h, body = get("/api/v1/report/models?format=csv")
assert h["Content-Type"].startswith("text/csv"), h["Content-Type"]
assert '"\\"><img src=x onerror=alert(1)>"' not in body
s, h, body = get("/api/v1/report/nope")
assert s == 404 and json.loads(body)["error"], (s, body)
s, h, body = get("/api/v1/report/overview?from=2026-02-30")
assert s == 400 and "not a date" in json.loads(body)["error"], body
s, h, body = get("/api/v1/report/overview?period=2026-11&last=7d")
assert s == 400, s
# An inverted period is the caller's mistake, never a report of nan or inf.
for section in ("overview", "models", "compare", "developers", "teams", "seats"):
    s, h, body = get("/api/v1/report/%s?from=2026-12-01&to=2026-11-01" % section)
    assert s == 400 and "after" in json.loads(body)["error"], (section, s, body)
r = json.loads(get("/api/v1/report/overview?from=2026-11-01&to=2026-11-30")[2])
assert "nan" not in json.dumps(r) and "inf" not in json.dumps(r).replace("info", ""), r
s, h, body = get("/metrics")
assert s == 200 and h["Content-Type"].startswith("text/plain; version=0.0.4"), h["Content-Type"]
assert "# TYPE payback_http_requests_total counter" in body, body
assert any(l.startswith("payback_ingest_events_total{source=") and l.endswith("n.ndjson\"} 2")
           for l in body.splitlines()), body
assert "payback_database_bytes " in body
s, h, body = get("/other")
assert s == 404, s
req = urllib.request.Request(base + "/api/v1/report/overview", method="POST", data=b"x")
try:
    urllib.request.urlopen(req)
    raise AssertionError("POST accepted")
except urllib.error.HTTPError as e:
    assert e.code == 405, e.code
PY
echo "ok: report API on 127.0.0.1:$PORT"

# Lines written to a watched folder show in the reports within 2 s.
python3 - "$PORT" "$TMP/live/new.ndjson" <<'PY' || { kill "$pid"; fail "live ingest"; }
import json, sys, time, urllib.request
url = "http://127.0.0.1:%s/api/v1/report/overview?period=2026-11" % sys.argv[1]
with open(sys.argv[2], "a") as f:
    f.write('{"ts":"2026-11-22T10:00:00Z","developer":"ana","model":"gpt-5",'
            '"input_tokens":7,"request_id":"live-1"}\n')
start = time.monotonic()
while json.loads(urllib.request.urlopen(url).read())["requests"] != 3:
    assert time.monotonic() - start < 2.0, "not seen within 2 s"
    time.sleep(0.05)
print("seen after %.2f s" % (time.monotonic() - start))
PY
echo "ok: live ingest"

# The usage CSV keeps formulas from running in a spreadsheet.
pb report --by project --format csv | grep -q "^\"'=HYPERLINK" || fail "CSV formula guard"
echo "ok: CSV formula guard"

kill -TERM "$pid"
for i in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -0 "$pid" 2> /dev/null && fail "still running 5 s after SIGTERM"
wait "$pid" || fail "serve exited with $? after SIGTERM"
echo "ok: SIGTERM stops the server"

expect_status "non-loopback refused without users" 1 pb serve --listen "0.0.0.0:$PORT"
grep -q "refusing to serve the dashboard on 0.0.0.0" "$TMP/err" || fail "refusal message"
expect_status "bad listen address" 2 pb serve --listen nowhere
