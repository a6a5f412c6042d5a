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


def run_json(ccusage, args, env):
    out = subprocess.run([ccusage, *args, "--json", "--offline", "-z", "UTC"], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def add_by_agent(rows, dev, doc):
    """ccusage 20: `daily --by-agent`, each day's agents with their models."""
    for day in doc.get("daily", []):
        for agent in day.get("agents", []):
            tool = TOOLS.get(agent["agent"])
            if tool is None:
                continue
            for m in agent.get("modelBreakdowns", []):
                # ccusage, like Payback, reports input without the cached part.
                key = (dev, tool, day["period"], m["modelName"])
                rows[key] = (m["inputTokens"], m.get("cacheReadTokens", 0),
                             m.get("cacheCreationTokens", 0), m["outputTokens"])


def add_per_tool(rows, dev, claude, codex):
    """ccusage 19: `claude daily --breakdown` and `codex daily`, one report each."""
    for day in claude.get("daily", []):
        for m in day.get("modelBreakdowns", []):
            rows[(dev, "claude-code", day["date"], m["modelName"])] = (
                m["inputTokens"], m.get("cacheReadTokens", 0),
                m.get("cacheCreationTokens", 0), m["outputTokens"])
    for day in codex.get("daily", []):
        for model, m in day.get("models", {}).items():
            # Codex's own input counts the cached part; Payback's does not.
            cached = m.get("cachedInputTokens", 0)
            rows[(dev, "codex", day["date"], model)] = (
                m["inputTokens"] - cached, cached, 0, m["outputTokens"])


def ccusage_rows(ccusage, corpus):
    rows = {}
    for dev in sorted(os.listdir(corpus)):
        env = dict(os.environ, HOME="/nonexistent",
                   CLAUDE_CONFIG_DIR=os.path.join(corpus, dev, "claude"),
                   CODEX_HOME=os.path.join(corpus, dev, "codex"))
        doc = run_json(ccusage, ["daily", "--by-agent"], env)
        if any("agents" in day for day in doc.get("daily", [])):
            add_by_agent(rows, dev, doc)
        else:
            add_per_tool(rows, dev, run_json(ccusage, ["claude", "daily", "--breakdown"], env),
                         run_json(ccusage, ["codex", "daily"], env))
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
