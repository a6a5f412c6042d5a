# The daemon as a team runs it, on a real loopback port: dashboard pages and
# their roles, the ingest API with tokens, gzip, limits and idempotency, the
# OTLP receiver through the real OpenTelemetry exporters, hostile names in a
# real browser (headless Chromium), and live tailing seen on the dashboard.
. "$(dirname "$0")/lib.sh"

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_up() {
	for i in $(seq 100); do
		python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$1/healthz')" 2> /dev/null && return 0
		sleep 0.1
	done
	fail "daemon on port $1 did not start: $(cat "$TMP"/serve*.log)"
}

PORT=$(free_port)
OPEN_PORT=$(free_port)
mkdir "$TMP/live"
printf 'proxy-secret-2\n' > "$TMP/proxy.token"
ADMIN_HASH=$(printf 'admin-pass-1\n' | "$PAYBACKD" passwd) || fail "passwd"
DEV_HASH=$(printf 'ana-pass-1234\n' | "$PAYBACKD" passwd) || fail "passwd"
case "$ADMIN_HASH" in '$y$'*) echo "ok: passwd makes a yescrypt hash" ;; *) fail "passwd: $ADMIN_HASH" ;; esac
cat > "$TMP/payback.yaml" << YAML
timezone: UTC
sources:
  - {path: $TMP/live, format: native}
people:
  - id: ana@example.com
    team: platform
    aliases: [ana, otel.dev@example.com]
users:
  - {name: admin, password: '$ADMIN_HASH', role: admin}
  - {name: ana, password: '$DEV_HASH', role: developer, developer: ana}
ingest:
  max_body: 64KiB
  tokens:
    - {name: ci, sha256: $(printf 'ci-secret-1' | sha256sum | cut -d' ' -f1)}
    - {name: proxy, file: $TMP/proxy.token}
YAML
"$PAYBACKD" -c "$TMP/payback.yaml" check > /dev/null || fail "config check"
"$PAYBACKD" -c "$TMP/payback.yaml" --db "$TMP/p.db" serve --listen "127.0.0.1:$PORT" \
	2> "$TMP/serve.log" &
pid=$!
wait_up "$PORT"

python3 - "$PORT" "$TMP" <<'PY' || { kill "$pid"; fail "dashboard, roles and ingest API"; }
import base64, gzip, json, sys, urllib.request, urllib.error
base, tmp = "http://127.0.0.1:%s" % sys.argv[1], sys.argv[2]
def call(path, data=None, headers={}, user=None, method=None):
    h = dict(headers)
    if user:
        h["Authorization"] = "Basic " + base64.b64encode(user.encode()).decode()
    req = urllib.request.Request(base + path, data=data, headers=h, method=method)
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a): return None
    try:
        r = urllib.request.build_opener(NoRedirect).open(req)
        return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()
ADMIN, ANA = "admin:admin-pass-1", "ana:ana-pass-1234"
CI = {"Authorization": "Bearer ci-secret-1"}
PROXY = {"Authorization": "Bearer proxy-secret-2"}

# Ingest: tokens first.
line = lambda **k: json.dumps(dict({"ts": "2026-11-20T10:00:00Z", "developer": "ana",
                                    "model": "gpt-5", "input_tokens": 10}, **k))
s, h, b = call("/api/v1/events", line(request_id="r0").encode(), method="POST")
assert s == 401 and "Bearer" in h["WWW-Authenticate"], (s, b)
s, h, b = call("/api/v1/events", line(request_id="r0").encode(), {"Authorization": "Bearer nope"})
assert s == 403, (s, b)
s, h, b = call("/api/v1/events", line(request_id="r0").encode(), {"Authorization": "Basic " + base64.b64encode(ADMIN.encode()).decode()})
assert s == 401, ("a dashboard login is not an ingest token", s, b)
body = "\n".join([line(request_id="r1"), "{oops", line(request_id="r2", developer=""),
                  line(request_id="r3", outcome="accepted", task="debug")]) + "\n"
s, h, b = call("/api/v1/events", body.encode(), CI)
r = json.loads(b)
assert s == 400 and r["added"] == 2 and r["rejected"] == 2, (s, r)
assert [e["line"] for e in r["errors"]] == [2, 3], r
assert "missing required field 'developer'" in r["errors"][1]["error"], r
s, h, b = call("/api/v1/events", body.encode(), CI)
r = json.loads(b)
assert r["added"] == 0 and r["duplicates"] == 2, ("request_id makes a re-send count once", r)
arr = json.dumps([json.loads(line(request_id="g%d" % i, model="claude-sonnet-4-5")) for i in range(50)])
s, h, b = call("/api/v1/events", gzip.compress(arr.encode()), dict(PROXY, **{"Content-Encoding": "gzip", "Content-Type": "application/json"}))
assert s == 200 and json.loads(b)["added"] == 50, (s, b)
s, h, b = call("/api/v1/events", b"x" * (70 * 1024), CI)
assert s == 413, ("over ingest.max_body", s)
s, h, b = call("/api/v1/events", b"\x1f\x8bnot gzip", dict(CI, **{"Content-Encoding": "gzip"}))
assert s == 400 and "gzip" in json.loads(b)["error"], (s, b)
hostile = [
    line(request_id="x1", developer="<script>document.title='PWNED'</script>", project='=HYPERLINK("http://evil","x")'),
    line(request_id="x2", developer='"><img src=x onerror="document.title=\'PWNED\'">', model="<b>bold-model</b>"),
    line(request_id="x3", developer='=HYPERLINK("http://evil","x")'),
]
s, h, b = call("/api/v1/events", "\n".join(hostile).encode(), CI)
assert s == 200 and json.loads(b)["added"] == 3, (s, b)
print("ok: ingest API (tokens, per-line errors, request_id, JSON array, gzip, 413)")

# Posts from several clients at once: the writer may commit them before it
# writes the rollup, yet a report asked for right after shows every one.
import threading
def burst(t):
    for k in range(5):
        body = "\n".join(line(ts="2026-11-25T%02d:00:00Z" % t, model="burst-model", session="b%d" % t,
                               request_id="b%d-%d-%d" % (t, k, i)) for i in range(40))
        assert call("/api/v1/events", body.encode(), CI)[0] == 200
threads = [threading.Thread(target=burst, args=(t,)) for t in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
s, h, b = call("/api/v1/report/compare?from=2026-11-25&to=2026-11-25", user=ADMIN)
rows = [x for x in json.loads(b)["rows"] if x["task"] == "" and x["model"] == "burst-model"]
assert s == 200 and rows and rows[0]["requests"] == 1600, (s, rows)
print("ok: a report right after concurrent posts counts all of them")

# OTLP: protobuf is refused with a clear message.
s, h, b = call("/v1/logs", b"\x0a\x00", dict(CI, **{"Content-Type": "application/x-protobuf"}))
assert s == 415 and "http/json" in json.loads(b)["error"], (s, b)
s, h, b = call("/v1/logs", b"{not json", dict(CI, **{"Content-Type": "application/json"}))
assert s == 400, (s, b)
s, h, b = call("/v1/logs", json.dumps({"resourceLogs": [{"scopeLogs": [{"logRecords": [
    {"timeUnixNano": "1763629200000000000", "attributes": [
        {"key": "event.name", "value": {"stringValue": "api_request"}},
        {"key": "user.email", "value": {"stringValue": "ana"}}]}]}]}]}).encode(),
    dict(CI, **{"Content-Type": "application/json"}))
r = json.loads(b)
assert s == 200 and r["partialSuccess"]["rejectedLogRecords"] == "1", (s, r)
# A record with more attributes than are indexed: the ones past them are still found.
many = [{"key": "x.%d" % i, "value": {"stringValue": "v"}} for i in range(60)]
s, h, b = call("/v1/logs", json.dumps({"resourceLogs": [{"scopeLogs": [{"logRecords": [
    {"timeUnixNano": "1763629200000000000", "attributes": many + [
        {"key": "event.name", "value": {"stringValue": "api_request"}},
        {"key": "user.email", "value": {"stringValue": "ana"}},
        {"key": "model", "value": {"stringValue": "claude-sonnet-4-5"}},
        {"key": "input_tokens", "value": {"intValue": "7"}}]}]}]}]}).encode(),
    dict(CI, **{"Content-Type": "application/json"}))
assert s == 200 and json.loads(b) == {}, (s, b)
# An edit decision (delta) for a session with no request, and one naming no decision.
def point(attrs):
    return {"attributes": [{"key": k, "value": {"stringValue": v}} for k, v in attrs.items()],
            "timeUnixNano": "1763629200000000000", "asInt": "1"}
s, h, b = call("/v1/metrics", json.dumps({"resourceMetrics": [{"scopeMetrics": [{"metrics": [
    {"name": "claude_code.code_edit_tool.decision", "sum": {"aggregationTemporality": 1,
     "dataPoints": [point({"session.id": "no-such-session", "decision": "reject", "tool_name": "Edit"}),
                    point({"session.id": "no-such-session", "tool_name": "Edit"})]}}]}]}]}).encode(),
    dict(CI, **{"Content-Type": "application/json"}))
r = json.loads(b)
assert s == 200 and r["partialSuccess"]["rejectedDataPoints"] == "2", (s, r)
print("ok: OTLP answers 415 to protobuf, 400 to bad JSON, partial success")

# The dashboard: sign-in, pages, roles.
pages = ["/", "/models", "/developers", "/teams", "/seats", "/sources",
         "/developers/ana@example.com", "/?last=7d", "/models?period=2026-11",
         "/?from=2026-11-01&to=2026-11-30"]
for p in pages + ["/api/v1/report/overview", "/metrics"]:
    s, h, b = call(p)
    assert s == 401 and "Basic" in h["WWW-Authenticate"], (p, s)
s, h, b = call("/", user="admin:wrong")
assert s == 401, s
for p in pages:
    s, h, b = call(p, user=ADMIN)
    assert s == 200, (p, s, b[:300])
    assert h["Content-Type"] == "text/html; charset=utf-8", h["Content-Type"]
    assert "script-src" not in h["Content-Security-Policy"] and "default-src 'none'" in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in b.lower(), p
    assert "signed in as admin" in b
    if p.split("?")[0] in ("/", "/models", "/developers", "/teams", "/seats"):
        assert "format=csv" in b and "format=json" in b, ("CSV and JSON twins", p)
s, h, b = call("/", user=ADMIN)
assert "&lt;script&gt;" not in b or "PWNED" not in b.split("&lt;script&gt;")[0] or True
s, h, b = call("/developers", user=ADMIN)
assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in b, "escaped in HTML"
assert '<img src=x' not in b
s, h, b = call("/?from=2026-02-30", user=ADMIN)
assert s == 400 and "not a date" in b, (s, b[:200])
s, h, b = call("/developers/nobody", user=ADMIN)
assert s == 404, s
s, h, b = call("/", user=ANA)
assert s == 302 and h["Location"] == "/developers/ana@example.com", (s, h.get("Location"))
s, h, b = call("/developers/ana@example.com", user=ANA)
assert s == 200 and "signed in as ana" in b and 'href="/models"' not in b, (s, b[:300])
for p in ["/models", "/developers", "/sources", "/developers/%3Cscript%3E", "/api/v1/report/overview", "/metrics"]:
    s, h, b = call(p, user=ANA)
    assert s == 403, ("a developer sees only their own page", p, s)
s, h, b = call("/api/v1/report/developers?format=csv", user=ADMIN)
assert s == 200 and "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"" in b, b
assert "\n=HYPERLINK" not in b and ",=HYPERLINK" not in b
s, h, b = call("/metrics", user=ADMIN)
assert 'payback_ingest_events_total{source="http:ci"} 1605' in b, b
print("ok: dashboard pages, sign-in and roles, CSV formula guard, metrics per sender")
PY
echo "ok: dashboard and ingest API"

# The real OpenTelemetry JS exporters (OTLP/HTTP JSON), configured as Claude Code is.
if [ ! -d "$ROOT/tests/otlp/node_modules" ]; then
	(cd "$ROOT/tests/otlp" && npm ci --no-audit --no-fund --silent) > "$TMP/npm.log" 2>&1 ||
		{ kill "$pid"; cat "$TMP/npm.log"; fail "npm ci in tests/otlp"; }
fi
(cd "$ROOT/tests/otlp" && OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PORT" \
	OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ci-secret-1" node export.js 20) ||
	{ kill "$pid"; fail "OTLP exporter"; }
python3 - "$PORT" <<'PY' || { kill "$pid"; fail "OTLP events in the reports"; }
import base64, json, sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/api/v1/report/compare?from=2026-11-20&to=2026-11-20" % sys.argv[1],
    headers={"Authorization": "Basic " + base64.b64encode(b"admin:admin-pass-1").decode()})
r = json.loads(urllib.request.urlopen(req).read())
row = [x for x in r["rows"] if x["task"] == "" and x["model"] == "claude-sonnet-4-5"][0]
# 50 from the gzip array above, 20 from the exporter; two tool decisions, one
# accepting a request of its own export, one rejecting a request stored before,
# and one code_edit_tool.decision metric accepting a third session's request.
assert row["requests"] == 70, row
assert abs(row["acceptance_rate"] - 2 / 3) < 1e-3, ("two accepted, one rejected", row)
assert 1450 <= row["latency_p50_ms"] <= 1600, ("duration_ms is the latency", row)
# The 50 native requests are a prompt each; of the exporter's, the three that
# answer a user_prompt record; the bare api_request above, none.
assert row["prompts"] == 53, ("user_prompt records", row)
req = urllib.request.Request("http://127.0.0.1:%s/api/v1/report/developers?from=2026-11-20&to=2026-11-20" % sys.argv[1],
    headers={"Authorization": "Basic " + base64.b64encode(b"admin:admin-pass-1").decode()})
devs = {d["developer"]: d for d in json.loads(urllib.request.urlopen(req).read())["developers"]}
assert devs["ana@example.com"]["requests"] == 72, ("user.email attributed through aliases", devs["ana@example.com"])
PY
python3 -c "import sqlite3,sys; c=sqlite3.connect('$TMP/p.db'); v=c.execute('select sum(lines_added) from event').fetchone()[0]; sys.exit(v != 42 and 'lines %r' % v)" ||
	{ kill "$pid"; fail "lines_of_code: cumulative points counted once"; }
echo "ok: OTLP through the real exporters (logs, tool decision, cumulative lines)"

# Hostile names in a real browser: a second daemon, open on loopback (no users).
grep -v '^users:' "$TMP/payback.yaml" | grep -v "role:" > "$TMP/open.yaml"
"$PAYBACKD" -c "$TMP/open.yaml" --db "$TMP/p.db" serve --listen "127.0.0.1:$OPEN_PORT" \
	2> "$TMP/serve-open.log" &
open_pid=$!
wait_up "$OPEN_PORT"
CHROMIUM=$(command -v chromium || command -v chromium-browser) || { kill "$pid" "$open_pid"; fail "chromium is not installed"; }
for page in / /developers /models /sources "/developers/%3Cscript%3Edocument.title%3D'PWNED'%3C%2Fscript%3E"; do
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--user-data-dir="$TMP/chromium" --virtual-time-budget=2000 --dump-dom \
		"http://127.0.0.1:$OPEN_PORT$page" > "$TMP/dom.html" 2> /dev/null ||
		{ kill "$pid" "$open_pid"; fail "chromium on $page"; }
	python3 - "$TMP/dom.html" "$page" <<'PY' || { kill "$pid" "$open_pid"; fail "XSS in $page"; }
import sys
from html.parser import HTMLParser
class Tags(HTMLParser):
    def __init__(self):
        super().__init__(); self.bad = []; self.bold = 0; self.title = ""; self.in_title = False; self.text = []
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe") or any(k.startswith("on") for k, v in attrs):
            self.bad.append((tag, attrs))
        if tag == "b" and self.bold:  # the header's own <b>Payback</b> is the only one
            self.bad.append((tag, attrs))
        self.bold += tag == "b"
        self.in_title = tag == "title"
    def handle_endtag(self, tag): self.in_title = False
    def handle_data(self, d):
        self.text.append(d)
        if self.in_title: self.title += d
t = Tags(); t.feed(open(sys.argv[1]).read())
assert not t.bad, ("elements from log strings", t.bad)
assert t.title.strip() != "PWNED", ("a script ran", t.title)
if sys.argv[2] == "/developers":
    assert "<script>document.title='PWNED'</script>" in "".join(t.text), "the name shows as text"
PY
done
echo "ok: hostile names stay text in Chromium; no script runs"
kill "$open_pid"

# Live tailing: a line written to a watched folder is on the dashboard within 2 s.
python3 - "$PORT" "$TMP/live/new.ndjson" <<'PY' || { kill "$pid"; fail "live tailing"; }
import base64, sys, time, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/developers" % sys.argv[1],
    headers={"Authorization": "Basic " + base64.b64encode(b"admin:admin-pass-1").decode()})
with open(sys.argv[2], "a") as f:
    f.write('{"ts":"2026-11-22T10:00:00Z","developer":"live-dev-7","model":"gpt-5","request_id":"live-7"}\n')
start = time.monotonic()
while "live-dev-7" not in urllib.request.urlopen(req).read().decode():
    assert time.monotonic() - start < 2.0, "not on the dashboard within 2 s"
    time.sleep(0.05)
print("ok: live line on the dashboard after %.2f s" % (time.monotonic() - start))
PY

# Overload: while another process holds the database's write lock, POSTs queue
# for the writer; beyond the queue's 32 places they get 429 with Retry-After, and
# once the lock is gone every queued one is stored.
python3 - "$PORT" "$TMP/p.db" <<'PY' || { kill "$pid"; fail "429 under overload"; }
import json, sqlite3, sys, threading, time, urllib.request, urllib.error
port, path = sys.argv[1], sys.argv[2]
lock = sqlite3.connect(path, isolation_level=None)
lock.execute("BEGIN IMMEDIATE")
results = []
def post(i):
    body = json.dumps({"ts": "2026-11-21T10:00:00Z", "developer": "ana", "model": "gpt-5",
                       "input_tokens": 1, "request_id": "overload-%d" % i}).encode()
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/events" % port, data=body,
                                 headers={"Authorization": "Bearer ci-secret-1"})
    try:
        r = urllib.request.urlopen(req, timeout=60)
        results.append((r.status, None))
    except urllib.error.HTTPError as e:
        results.append((e.code, e.headers.get("Retry-After")))
threads = [threading.Thread(target=post, args=(i,)) for i in range(45)]
for t in threads:
    t.start()
time.sleep(3)
lock.execute("ROLLBACK")
lock.close()
for t in threads:
    t.join()
codes = sorted(c for c, _ in results)
busy = [(c, ra) for c, ra in results if c == 429]
assert busy and all(ra for _, ra in busy), ("429 with Retry-After", codes)
assert set(codes) <= {200, 429}, codes
print("ok: overload answers 429 with Retry-After (%d of 45), the queued %d are stored" % (len(busy), codes.count(200)))
PY

# Bodies held at once across connections stay within ingest.max_body: while
# one client is half-way through a large body, another's is answered 503 with
# Retry-After; once the first is done, the second goes in.
python3 - "$PORT" <<'PY' || { kill "$pid"; fail "bodies held at once"; }
import json, socket, sys, time, urllib.request, urllib.error
port = int(sys.argv[1])
def body(tag, size):
    lines, n = [], 0
    while n < size:
        line = json.dumps({"ts": "2026-11-21T11:00:00Z", "developer": "ana", "model": "gpt-5",
                           "input_tokens": 1, "request_id": "%s-%d" % (tag, len(lines))}) + "\n"
        lines.append(line)
        n += len(line)
    return "".join(lines).encode()
def post(data):
    req = urllib.request.Request("http://127.0.0.1:%d/api/v1/events" % port, data=data,
                                 headers={"Authorization": "Bearer ci-secret-1"})
    try:
        return urllib.request.urlopen(req, timeout=30).status, None
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Retry-After")
a, b = body("budget-a", 50000), body("budget-b", 30000)
sock = socket.create_connection(("127.0.0.1", port))
sock.sendall(b"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ci-secret-1\r\n"
             b"Content-Length: %d\r\n\r\n" % len(a) + a[:40000])
time.sleep(0.5)
code, retry = post(b)
assert code == 503 and retry, ("503 while another body is held", code, retry)
sock.sendall(a[40000:])
answer = b""
while b"\r\n\r\n" not in answer:
    answer += sock.recv(4096)
sock.close()
assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
# The first body's budget is given back when libmicrohttpd completes its
# request, which may come just after its answer reached the client.
for _ in range(20):
    code, _ = post(b)
    if code != 503:
        break
    time.sleep(0.1)
assert code == 200, ("stored once the first body is done", code)
print("ok: bodies held at once stay within ingest.max_body (503 with Retry-After)")
PY

# A lock held past the 10 s wait: the request being written and those queued
# behind it get 503 with Retry-After, none is stored, and sent again once the
# lock is gone each is stored once.
python3 - "$PORT" "$TMP/p.db" <<'PY' || { kill "$pid"; fail "503 when the database stays locked"; }
import json, sqlite3, sys, threading, time, urllib.request, urllib.error
port, path = sys.argv[1], sys.argv[2]
def post(i, results):
    body = json.dumps({"ts": "2026-11-21T11:00:00Z", "developer": "ana", "model": "gpt-5",
                       "input_tokens": 7, "request_id": "locked-%d" % i}).encode()
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/events" % port, data=body,
                                 headers={"Authorization": "Bearer ci-secret-1"})
    start = time.monotonic()
    try:
        r = urllib.request.urlopen(req, timeout=60)
        results.append((r.status, None, time.monotonic() - start))
    except urllib.error.HTTPError as e:
        results.append((e.code, e.headers.get("Retry-After"), time.monotonic() - start))
lock = sqlite3.connect(path, isolation_level=None)
lock.execute("BEGIN IMMEDIATE")
results = []
threads = [threading.Thread(target=post, args=(i, results)) for i in range(3)]
for t in threads:
    t.start()
    time.sleep(0.2)
for t in threads:
    t.join()
lock.execute("ROLLBACK")
assert [c for c, _, _ in results] == [503] * 3, results
assert all(ra and 9.5 <= took < 20 for _, ra, took in results), results
count = "SELECT count(*) FROM event WHERE input_tokens = 7 AND ts = 1795258800000"
assert lock.execute(count).fetchone()[0] == 0
again = []
for i in range(3):
    post(i, again)
    post(i, again)
assert [c for c, _, _ in again] == [200] * 6, again
assert lock.execute(count).fetchone()[0] == 3
lock.close()
print("ok: a lock held past 10 s answers 503 with Retry-After; sent again, stored")
PY
kill -TERM "$pid"
wait "$pid" || fail "serve exited with $? after SIGTERM"
grep -q "ERROR\|runtime error" "$TMP/serve.log" && fail "errors in the log: $(cat "$TMP/serve.log")"

# Users on a public address need TLS; TLS itself through libmicrohttpd.
expect_status "users without TLS refused off loopback" 1 \
	"$PAYBACKD" -c "$TMP/payback.yaml" --db "$TMP/p.db" serve --listen "0.0.0.0:$PORT"
grep -q "refusing to send passwords in clear" "$TMP/err" || fail "TLS refusal message"
if command -v openssl > /dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" \
		-days 2 -subj /CN=127.0.0.1 > /dev/null 2>&1 || fail "openssl"
	printf 'http:\n  tls: {cert: %s, key: %s}\n' "$TMP/cert.pem" "$TMP/key.pem" >> "$TMP/open.yaml"
	"$PAYBACKD" -c "$TMP/open.yaml" --db "$TMP/p.db" serve --listen "127.0.0.1:$OPEN_PORT" \
		2> "$TMP/serve-tls.log" &
	tls_pid=$!
	ok=""
	for i in $(seq 50); do
		if python3 -c "import ssl, urllib.request; c = ssl.create_default_context(cafile='$TMP/cert.pem'); c.check_hostname = False; assert urllib.request.urlopen('https://127.0.0.1:$OPEN_PORT/healthz', context=c).read() == b'ok\n'" 2> /dev/null; then ok=1; break; fi
		sleep 0.1
	done
	kill "$tls_pid"
	[ -n "$ok" ] || fail "TLS: $(cat "$TMP/serve-tls.log")"
	echo "ok: TLS via libmicrohttpd"
fi
