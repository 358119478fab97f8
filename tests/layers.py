#!/usr/bin/env python3
"""layers.py SRCDIR: checks that weft's modules call one way, down.

A module is a src/*.c file. Module A calls module B when a function
defined (not static) in B.c is called in A.c. The calls must form no
cycle: then the modules can be read in layers, each calling only those
below it. Calls through a pointer (a command's exec in the table, the
front end's callbacks, a lesson's command check) are how a lower module
reaches a higher one on purpose, and are not seen here.

Prints the layers, top first; on a cycle prints it, with the functions
that make each of its calls, and exits 1.
"""
import glob
import os
import re
import sys


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"'(\\.|[^'\\])'", "0", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def definitions(text):
    """Names of the functions TEXT defines with external linkage."""
    names = []
    for m in re.finditer(r"^([A-Za-z_]\w*)\([^;{]*?\)\s*\{", text, re.M | re.S):
        name = m.group(1)
        line_start = text.rfind("\n", 0, m.start() - 1) + 1
        prev = text[line_start:m.start()]
        if name.startswith("__") or "static" in prev:
            continue
        names.append(name)
    return names


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    files = sorted(glob.glob(os.path.join(src, "*.c")))
    if not files:
        print(f"layers.py: no C files in {src}", file=sys.stderr)
        return 2
    texts = {}
    owner = {}
    for f in files:
        mod = os.path.basename(f)[:-2]
        texts[mod] = strip(open(f, encoding="utf-8", errors="replace").read())
        for name in definitions(texts[mod]):
            owner[name] = mod
    calls = {mod: {} for mod in texts}
    for mod, text in texts.items():
        for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", text):
            callee = owner.get(m.group(1))
            if callee is not None and callee != mod:
                calls[mod].setdefault(callee, set()).add(m.group(1))

    # Tarjan's strongly connected components: any with two or more
    # modules is a cycle.
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(calls[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(calls):
        if v not in index:
            visit(v)
    cycles = [c for c in comps if len(c) > 1]
    for c in cycles:
        print("cycle: " + " ".join(c))
        for a in c:
            for b in sorted(calls[a]):
                if b in c:
                    fns = ", ".join(sorted(calls[a][b]))
                    print(f"  {a} -> {b}: {fns}")
    if cycles:
        return 1

    # Layers: a module's depth is one more than the deepest it calls.
    depth = {}

    def deep(v):
        if v not in depth:
            depth[v] = 1 + max((deep(w) for w in calls[v]), default=-1)
        return depth[v]

    for v in calls:
        deep(v)
    for d in range(max(depth.values()), -1, -1):
        print(f"{d:2d}  " + " ".join(sorted(v for v in depth if depth[v] == d)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
