#!/usr/bin/env python3
"""Turns the peer runs into a Markdown table (ratios = peer solve time / midstream's) and writes
it into docs/benchmarks.md between the peers markers. Fails if the solvers disagree."""
import datetime
import re
import sys

rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    name, size = parts[0], int(parts[1])
    fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    rows.setdefault(size, {})[name] = fields

peers = ["ortools", "igraph", "networkx", "petgraph"]
out = [
    f"Run of {datetime.date.today().isoformat()} (`benches/peers/run.sh`), one run each; solve = "
    "max-flow + min cut (petgraph: max-flow only), parse reported separately; ratio = peer "
    "solve time / midstream's.",
    "",
    "| size | value | midstream solve (parse) | " + " | ".join(f"{p} solve (ratio)" for p in peers)
    + " | peak RSS midstream / OR-tools |",
    "|---" * (4 + len(peers)) + "|",
]
for size in sorted(rows):
    r = rows[size]
    ours = r["midstream"]
    values = {name: f["value"].split(".")[0] for name, f in r.items()}
    if len(set(values.values())) != 1:
        sys.exit(f"solvers disagree at size {size}: {values}")
    base = float(ours["solve_s"])
    cells = []
    for p in peers:
        if p in r:
            t = float(r[p]["solve_s"])
            cells.append(f"{t:.4f} s ({t / base:.1f}x)")
        else:
            cells.append("(skipped: too slow)")
    rss = f"{int(ours['rss_kb']) // 1024} MB / {int(r['ortools']['rss_kb']) // 1024} MB"
    label = f"1e{len(str(size)) - 1}" if str(size).strip("0") == "1" else str(size)
    out.append(f"| {label} | {values['midstream']} | {base:.4f} s ({float(ours['parse_s']):.3f} s) | "
               + " | ".join(cells) + f" | {rss} |")
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
