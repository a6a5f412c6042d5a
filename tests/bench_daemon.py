#!/usr/bin/env python3
"""The daemon under load (part of make bench): with 1M events stored,
the overview page at 64 connections (wrk), the ingest API in batches of
1,000 events, the OTLP receiver in exports of 1,000 records, and 256
connections for 30 s, with the daemon's RSS before and after."""
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAYBACKD = os.path.join(ROOT, "build", "paybackd")
REPORTBENCH = os.path.join(ROOT, "build", "reportbench")
WORK = os.path.join(ROOT, "build", "bench")
EVENTS = int(os.environ.get("BENCH_DAEMON_EVENTS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SOAK_S = int(os.environ.get("BENCH_SOAK_SECONDS", "30"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def wrk(port, path, conns, seconds):
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency",
                          f"http://127.0.0.1:{port}{path}"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def ms(label):
        m = re.search(label + r"\s+([\d.]+)(us|ms|s)\b", out)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
        print(f"  wrk {conns} connections: {m.group(0)}")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
        print(f"  wrk {conns} connections: {m.group(0)}")
    return rps, ms("50%"), ms("99%"), errors


def post_all(port, path, bodies, headers, threads=4):
    """Sends every body (keep-alive, `threads` at once); returns seconds taken."""
    queue = list(bodies)
    lock = threading.Lock()
    failures = []

    def worker():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            c.request("POST", path, body=body, headers=headers)
            r = c.getresponse()
            r.read()
            if r.status != 200:
                failures.append(r.status)
        c.close()

    start = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if failures:
        sys.exit(f"bench: {len(failures)} failed posts to {path}: {failures[:5]}")
    return time.monotonic() - start


def cpu_seconds(pid):
    """User + system CPU of every thread of pid so far, ended ones included."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post_rate(port, pid, path, make_bodies, n_bodies, content_type, tag):
    """Median items/s over RUNS runs of n_bodies bodies of 1,000 items, fresh ones each run,
    and the daemon's median CPU time per item in microseconds.

    tag names each run's requests and sessions: the API and OTLP phases must not share
    session names, or each OTLP record would join a session of stored API events (real
    session ids are random per tool) and redo its retry decisions."""
    rates, cpu = [], []
    for r in range(RUNS):
        bodies = make_bodies(f"{tag}{r}", n_bodies)
        before = cpu_seconds(pid)
        secs = post_all(port, path, bodies, {"Content-Type": content_type})
        cpu.append((cpu_seconds(pid) - before) / (n_bodies * 1000) * 1e6)
        rates.append(n_bodies * 1000 / secs)
    return statistics.median(rates), statistics.median(cpu)


def native_bodies(tag, n_bodies, per_body=1000):
    models = ["claude-sonnet-4-5", "gpt-5", "codex-5.3-spark", "claude-opus-4-1", "gpt-5-codex"]
    bodies = []
    for b in range(n_bodies):
        lines = []
        for i in range(per_body):
            k = b * per_body + i
            lines.append(json.dumps({
                "ts": "2026-11-%02dT%02d:%02d:00Z" % (1 + k % 28, k % 24, k % 60),
                "developer": "dev%d@example.com" % (k % 40), "model": models[k % 5],
                "task": ["debug", "test", "docs"][k % 3], "input_tokens": 1000 + k % 977,
                "output_tokens": 200 + k % 131, "cache_read_tokens": 5000, "latency_ms": 900 + k % 700,
                "outcome": "accepted", "session": "%s-s%d" % (tag, k // 20),
                "request_id": "%s-%d" % (tag, k)}, separators=(",", ":")))
        bodies.append(("\n".join(lines) + "\n").encode())
    return bodies


def otlp_bodies(tag, n_bodies, per_body=1000):
    def kv(k, v):
        if isinstance(v, str):
            return {"key": k, "value": {"stringValue": v}}
        return {"key": k, "value": {"intValue": str(v)}}
    bodies = []
    base = 1763629200000000000
    for b in range(n_bodies):
        records = []
        for i in range(per_body):
            k = b * per_body + i
            records.append({"timeUnixNano": str(base + k * 1000000000), "body": {"stringValue": "claude_code.api_request"},
                            "attributes": [kv("event.name", "api_request"), kv("user.email", "dev%d@example.com" % (k % 40)),
                                           kv("session.id", "%s-s%d" % (tag, k // 20)), kv("model", "claude-sonnet-4-5"),
                                           kv("input_tokens", 100 + k % 50), kv("output_tokens", 30),
                                           kv("cache_read_tokens", 4000), kv("cache_creation_tokens", 10),
                                           kv("duration_ms", 1200 + k % 300)]})
        doc = {"resourceLogs": [{"resource": {"attributes": [kv("service.name", "claude-code")]},
                                 "scopeLogs": [{"scope": {"name": "com.anthropic.claude_code"}, "logRecords": records}]}]}
        bodies.append(json.dumps(doc, separators=(",", ":")).encode())
    return bodies


def main():
    os.makedirs(WORK, exist_ok=True)
    # v2: identities spread over the uid index as real ones are, not in order.
    base_db = os.path.join(WORK, f"daemon-{EVENTS}-v2.db")
    demo = os.path.join(ROOT, "config", "demo", "payback.yaml")
    if not os.path.exists(base_db):
        print(f"bench: storing {EVENTS:,} generated events for the daemon (once)")
        subprocess.run([REPORTBENCH, "--db", base_db, "--config", demo, "--events", str(EVENTS),
                        "--runs", "1"], check=True, stdout=subprocess.DEVNULL)
    # Migrations and the rollup's time zone settled once, so that the figures
    # below are the daemon's steady state, not a one-time rebuild at its start.
    subprocess.run([PAYBACKD, "-q", "-c", demo, "--db", base_db, "sources"], check=True,
                   stdout=subprocess.DEVNULL)
    db = os.path.join(WORK, "daemon-run.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    shutil.copy(base_db, db)
    empty = os.path.join(WORK, "empty-source")
    os.makedirs(empty, exist_ok=True)
    config = os.path.join(WORK, "daemon.yaml")
    with open(demo) as f:
        text = f.read()
    with open(config, "w") as f:
        f.write(text.replace("  - path: logs", "  - path: " + empty))
    port = free_port()
    proc = subprocess.Popen([PAYBACKD, "-q", "-c", config, "--db", db, "serve", "--listen",
                             f"127.0.0.1:{port}"])
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()
        runs = [wrk(port, "/", 64, 5) for _ in range(RUNS)]
        rps = statistics.median(r[0] for r in runs)
        p50 = statistics.median(r[1] for r in runs)
        p99 = statistics.median(r[2] for r in runs)
        errs = sum(r[3] for r in runs)
        print(f"overview page, {EVENTS:,} events, 64 connections (median of {RUNS} x 5 s): "
              f"{rps:,.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, {errs} errors")
        cold = []
        for i in range(RUNS):
            t = time.monotonic()
            urllib.request.urlopen(f"http://127.0.0.1:{port}/?from=2026-0{1 + i % 9}-01").read()
            cold.append((time.monotonic() - t) * 1000)
        print(f"overview page built afresh (no cached answer): median {statistics.median(cold):.1f} ms")

        ev_s, ev_cpu = post_rate(port, proc.pid, "/api/v1/events", native_bodies, 100,
                                 "application/x-ndjson", "api")
        print(f"ingest API, batches of 1,000 (median of {RUNS} x 100k events, 4 clients): "
              f"{ev_s:,.0f} events/s, daemon CPU {ev_cpu:.1f} us per event")
        rec_s, rec_cpu = post_rate(port, proc.pid, "/v1/logs", otlp_bodies, 50,
                                   "application/json", "otlp")
        print(f"OTLP /v1/logs, exports of 1,000 records (median of {RUNS} x 50k): "
              f"{rec_s:,.0f} records/s, daemon CPU {rec_cpu:.1f} us per record")
        peak = rss_kib(proc.pid, "VmHWM") / 1024
        print(f"daemon peak RSS so far: {peak:.1f} MiB")

        before = rss_kib(proc.pid, "VmRSS") / 1024
        soak = wrk(port, "/", 256, SOAK_S)
        during = rss_kib(proc.pid, "VmRSS") / 1024
        # What stays once the connections are gone (the daemon trims its heap every 10 s).
        time.sleep(12)
        after = rss_kib(proc.pid, "VmRSS") / 1024
        print(f"256 connections for {SOAK_S} s: {soak[0]:,.0f} req/s, p99 {soak[2]:.2f} ms, "
              f"{soak[3]} errors; RSS {before:.1f} -> {during:.1f} MiB at the end, "
              f"{after:.1f} MiB 12 s later")
        peak = rss_kib(proc.pid, "VmHWM") / 1024
        print(f"daemon peak RSS over the whole run: {peak:.1f} MiB")
        targets = [("overview >= 5,000 req/s", rps >= 5000), ("overview p99 <= 20 ms", p99 <= 20),
                   ("ingest API >= 100k events/s", ev_s >= 100000),
                   ("OTLP >= 50k records/s", rec_s >= 50000),
                   ("RSS <= 64 MiB under load", peak <= 64),
                   ("256 connections: no errors", soak[3] == 0 and errs == 0),
                   ("256 connections: RSS does not grow", after <= before * 1.1 + 2)]
        for name, ok in targets:
            print(f"  {'met    ' if ok else 'NOT met'} {name}")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
