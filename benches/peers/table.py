#!/usr/bin/env python3
"""Turns the peer runs into a Markdown table (ratios = peer solve time / midstream's, medians
over the runs of each solver) and writes it into docs/benchmarks.md between the peers markers.
Fails if the solvers disagree."""
import datetime
import re
import statistics
import sys

runs = {}
for line in open(sys.argv[1]):
    parts = line.split()
    name, size = parts[0], int(parts[1])
    fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    runs.setdefault(size, {}).setdefault(name, []).append(fields)


def median(rs, key):
    return statistics.median(float(r[key]) for r in rs)


peers = ["ortools", "igraph", "networkx", "petgraph"]
counts = sorted({len(rs) for r in runs.values() for rs in r.values()})
out = [
    f"Run of {datetime.date.today().isoformat()} (`benches/peers/run.sh`); medians of "
    f"{' or '.join(map(str, counts))} runs per solver (networkx and petgraph once); solve = "
    "max-flow + min cut (petgraph: max-flow only), parse reported separately; ratio = peer "
    "solve time / midstream's; end to end = midstream's parse + solve.",
    "",
    "| size | value | midstream solve (parse; end to end) | "
    + " | ".join(f"{p} solve (ratio)" for p in peers)
    + " | peak RSS midstream / OR-tools |",
    "|---" * (4 + len(peers)) + "|",
]
for size in sorted(runs):
    r = runs[size]
    values = {name: {f["value"].split(".")[0] for f in rs} for name, rs in r.items()}
    every = set().union(*values.values())
    if len(every) != 1:
        sys.exit(f"solvers disagree at size {size}: {values}")
    value = every.pop()
    base = median(r["midstream"], "solve_s")
    parse = median(r["midstream"], "parse_s")
    cells = []
    for p in peers:
        if p in r:
            t = median(r[p], "solve_s")
            cells.append(f"{t:.4f} s ({t / base:.1f}x)")
        else:
            cells.append("(skipped: too slow)")
    rss_ours = max(int(f["rss_kb"]) for f in r["midstream"]) // 1024
    rss_ort = max(int(f["rss_kb"]) for f in r["ortools"]) // 1024
    label = f"1e{len(str(size)) - 1}" if str(size).strip("0") == "1" else str(size)
    out.append(
        f"| {label} | {value} | {base:.4f} s ({parse:.3f} s; {base + parse:.3f} s) | "
        + " | ".join(cells)
        + f" | {rss_ours} MB / {rss_ort} MB |"
    )
table = "\n".join(out)
print(table)
path = sys.argv[2]
doc = open(path).read()
pattern = re.compile(r"(<!-- peers:begin -->\n).*?(\n<!-- peers:end -->)", re.S)
if pattern.search(doc):
    doc = pattern.sub(lambda m: m.group(1) + table + m.group(2), doc)
else:
    doc += "\n## Peer harness\n\n<!-- peers:begin -->\n" + table + "\n<!-- peers:end -->\n"
open(path, "w").write(doc)
