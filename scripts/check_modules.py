#!/usr/bin/env python3
"""The layering ARCHITECTURE.md promises, checked: no import cycle between the library's
top-level modules, each lower module imports only what it may, and each of the heavy crates
is known only where it belongs. Reads `use crate::x` and `crate::x::` paths outside
comments, so a doc link (`[`crate::x`]`) is not an import. Exits 1 and says why on a
violation.

    python3 scripts/check_modules.py [SRC_DIR]
"""
import collections
import os
import re
import sys

# A module listed here may import only these modules of the crate.
ALLOWED = {
    "model": set(),
    "canon": set(),
    "ordered": set(),
    "telemetry": set(),
    "extract": {"model"},
    "dedup": {"model", "canon"},
    "config": {"model", "canon", "extract"},
    "fetch": {"config"},
    "parse": {"model", "canon", "config"},
    "store": {"model", "canon"},
}
# A module listed here must not import these.
FORBIDDEN = {
    "serve": {"cli"},
    "export": {"cli", "serve"},
    "render": {"cli", "serve"},
    "chart": {"cli", "serve"},
    "query": {"cli", "serve", "pipeline"},
    "explain": {"cli", "serve", "render"},
    "notify": {"cli", "serve"},
    "alert": {"cli", "serve", "notify", "store"},
}
# Crates only these places may name (top-level module, or main.rs as "main").
CRATES = {
    "sled": {"store"},
    "reqwest": {"fetch", "cli", "notify"},  # notify POSTs the webhook alerts
    "axum": {"serve", "cli"},
    "anyhow": {"cli", "main"},
    "scraper": {"parse", "config", "poll"},  # poll names the compiled Selector type
    "feed_rs": {"parse"},
}


def code_of(path):
    lines = []
    for line in open(path, encoding="utf-8").read().split("\n"):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        lines.append(line.split("//")[0] if "\"" not in line else line)
    return "\n".join(lines)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
    edges = collections.defaultdict(set)
    problems = []
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".rs"):
                continue
            path = os.path.join(directory, name)
            top = os.path.relpath(path, root).split(os.sep)[0].removesuffix(".rs")
            code = code_of(path)
            for crate, places in CRATES.items():
                if re.search(r"\b" + crate + r"::|\buse " + crate + r"\b", code) and top not in places:
                    problems.append(f"{path}: uses {crate}, which only {sorted(places)} may")
            if top in ("main", "lib"):
                continue
            for target in re.findall(r"\bcrate::(\w+)", code):
                if target != top:
                    edges[top].add(target)
                    if top in ALLOWED and target not in ALLOWED[top]:
                        problems.append(f"{path}: {top} imports {target} (allowed: {sorted(ALLOWED[top]) or 'nothing'})")
                    if target in FORBIDDEN.get(top, ()):
                        problems.append(f"{path}: {top} must not import {target}")
    for cycle in cycles(edges):
        problems.append("import cycle among: " + ", ".join(cycle))
    for module in sorted(edges):
        print(f"{module} -> {' '.join(sorted(edges[module]))}")
    for p in sorted(set(problems)):
        print("error:", p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("module layering: ok")


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


if __name__ == "__main__":
    main()
