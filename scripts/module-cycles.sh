#!/usr/bin/env bash
# Module cycles of each crate (not part of scripts/test.sh): `cargo modules dependencies`,
# each item folded into the module that holds it, then the strongly connected components.
# (`--acyclic` alone also stops on a type and its own methods, which is no module cycle.)
#   scripts/module-cycles.sh          every crate; exits 1 when any has a cycle
# Installs cargo-modules 0.27 (the last for this Rust) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v cargo-modules >/dev/null || cargo install cargo-modules --version 0.27.0 --locked --quiet
[ -d ui/dist ] || (cd ui && npm run --silent build) # okpay-app's build needs the UI
status=0
for target in "okpay-rules --lib" "okpay-photo --lib" "okpay-ocr --lib" "okpay-core --lib" "okpay-staging --lib" \
  "okpay-cli --bin okpay" "okpay-testkit --lib" "okpay-app --lib"; do
  read -r pkg kind name <<<"$target"
  # shellcheck disable=SC2086
  cargo modules dependencies --package "$pkg" $kind ${name:-} --no-externs --no-sysroot 2>/dev/null |
    python3 -c '
import re, sys
from collections import defaultdict
text = sys.stdin.read()
mods = {m.group(1) for m in re.finditer(r"^\s*\"([^\"]+)\" \[label=\"[^\"|]*?(mod|crate)\|", text, re.M)}
def module_of(n):
    while n not in mods and "::" in n:
        n = n.rsplit("::", 1)[0]
    return n
edges = defaultdict(set)
for m in re.finditer(r"\"([^\"]+)\" -> \"([^\"]+)\" \[label=\"uses\"", text):
    a, b = module_of(m.group(1)), module_of(m.group(2))
    if a != b:
        edges[a].add(b)
index, low, stack, on, cycles = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index); stack.append(v); on.add(v)
    for w in sorted(edges[v]):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            cycles.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(mods):
    if v not in index:
        visit(v)
name = sys.argv[1]
print(f"{name}: {len(mods)} modules, {sum(map(len, edges.values()))} module uses, {len(cycles)} cycles")
for c in cycles:
    print("  cycle: " + ", ".join(c))
sys.exit(1 if cycles or not mods else 0)
' "$pkg" || status=1
done
exit "$status"
