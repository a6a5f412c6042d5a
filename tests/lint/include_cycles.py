#!/usr/bin/env python3
"""Fails when the #include graph of the C sources has a cycle.

A node is a module: a .c file and the header of the same name beside it
(a header with no .c of its own is a node by itself). A module depends on
every module whose header one of its two files includes. Quoted includes
are looked up as the compiler does: beside the including file, then in the
-I folders given with --include. System headers (<...>) are not followed.

Usage: include_cycles.py [--include DIR]... ROOT...
Prints each cycle found as a chain of files and exits 1; exits 0 when the
graph is acyclic.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module_of(path):
    return os.path.splitext(os.path.normpath(path))[0]


def sources(roots):
    for root in roots:
        for folder, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.normpath(os.path.join(folder, f))


def resolve(name, including, include_dirs):
    for folder in [os.path.dirname(including)] + include_dirs:
        candidate = os.path.normpath(os.path.join(folder, name))
        if os.path.exists(candidate):
            return candidate
    return None


def graph(roots, include_dirs):
    edges = {}
    for path in sources(roots):
        node = module_of(path)
        edges.setdefault(node, {})
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for name in INCLUDE.findall(text):
            target = resolve(name, path, include_dirs)
            if target is None:
                continue  # generated or outside the roots
            dep = module_of(target)
            if dep != node:
                edges[node].setdefault(dep, (path, name))
    return edges


def cycles(edges):
    """Every elementary cycle's first appearance in a depth-first walk."""
    found, state, stack = [], {}, []

    def walk(node):
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, {})):
            if state.get(dep) == 1:
                found.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                walk(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node)
    return found


def main(argv):
    include_dirs, roots, i = [], [], 0
    while i < len(argv):
        if argv[i] == "--include":
            include_dirs.append(argv[i + 1])
            i += 2
        else:
            roots.append(argv[i])
            i += 1
    if not roots:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sys.setrecursionlimit(10000)
    edges = graph(roots, include_dirs)
    found = cycles(edges)
    for chain in found:
        steps = []
        for a, b in zip(chain, chain[1:]):
            path, name = edges[a][b]
            steps.append(f'{path} (#include "{name}")')
        print("include cycle: " + " -> ".join(steps + [chain[0]]))
    if found:
        print(f"{len(found)} include cycle(s) among {len(edges)} modules", file=sys.stderr)
        return 1
    print(f"include graph: {len(edges)} modules, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
