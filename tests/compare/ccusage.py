#!/usr/bin/env python3
"""Compares paybackd's token totals with ccusage's on the same logs.

usage: ccusage.py PAYBACKD CCUSAGE CORPUS

CORPUS holds one folder per developer, each with claude/projects/... and
codex/sessions/... as the tools write them. For every developer, tool, day
and model the five token totals must agree exactly; the script prints each
difference and exits 1 if there is any.
"""
import json
import os
import subprocess
import sys
import tempfile

TOOLS = {"claude": "claude-code", "codex": "codex"}


def payback_rows(paybackd, corpus):
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "p.db")
        subprocess.run([paybackd, "-q", "--db", db, "ingest", "--developer",
                        corpus + "/{developer}/...", corpus], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run([paybackd, "--db", db, "report", "--by",
                              "developer,tool,day,model", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
    rows = {}
    for r in json.loads(out)["rows"]:
        if r["tool"] not in TOOLS.values():
            continue
        key = (r["developer"], r["tool"], r["day"], r["model"])
        rows[key] = (r["input_tokens"], r["cache_read_tokens"],
                     r["cache_write_tokens"], r["output_tokens"])
    return rows


def ccusage_rows(ccusage, corpus):
    rows = {}
    for dev in sorted(os.listdir(corpus)):
        env = dict(os.environ, HOME="/nonexistent",
                   CLAUDE_CONFIG_DIR=os.path.join(corpus, dev, "claude"),
                   CODEX_HOME=os.path.join(corpus, dev, "codex"))
        out = subprocess.run([ccusage, "daily", "--json", "--offline", "-z", "UTC",
                              "--by-agent"], env=env, check=True,
                             capture_output=True, text=True).stdout
        for day in json.loads(out).get("daily", []):
            for agent in day.get("agents", []):
                tool = TOOLS.get(agent["agent"])
                if tool is None:
                    continue
                for m in agent.get("modelBreakdowns", []):
                    # ccusage, like Payback, reports input without the cached part.
                    inp = m["inputTokens"]
                    cached = m.get("cacheReadTokens", 0)
                    key = (dev, tool, day["period"], m["modelName"])
                    rows[key] = (inp, cached, m.get("cacheCreationTokens", 0),
                                 m["outputTokens"])
    return rows


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    paybackd, ccusage, corpus = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    ours, theirs = payback_rows(paybackd, corpus), ccusage_rows(ccusage, corpus)
    bad = 0
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if a != b:
            bad += 1
            if bad <= 20:
                print("differs", key, "payback", a, "ccusage", b)
    total = [sum(v[i] for v in ours.values()) for i in range(4)]
    print(f"{len(ours)} rows (developer, tool, day, model) compared, {bad} differ; "
          f"payback totals input/cache_read/cache_write/output = {total}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
