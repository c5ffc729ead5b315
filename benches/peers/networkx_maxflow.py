#!/usr/bin/env python3
"""Solve a DIMACS max-flow file with networkx's preflow-push and its minimum cut.

Parallel arcs are merged (a DiGraph holds one arc per pair; their capacities add up, which
leaves the maximum flow unchanged). Usage: networkx_maxflow.py FILE.dimacs
"""
import sys
import time

import networkx as nx
from networkx.algorithms.flow import preflow_push


def main(path):
    started = time.perf_counter()
    g = nx.DiGraph()
    source = sink = None
    with open(path) as f:
        for line in f:
            if line.startswith("a "):
                _, u, v, c = line.split()
                if u == v:
                    continue
                if g.has_edge(u, v):
                    g[u][v]["capacity"] += int(c)
                else:
                    g.add_edge(u, v, capacity=int(c))
            elif line.startswith("n "):
                _, node, kind = line.split()
                if kind == "s":
                    source = node
                else:
                    sink = node
    for node in (source, sink):
        g.add_node(node)
    parsed = time.perf_counter() - started
    solve = time.perf_counter()
    value, (reachable, _) = nx.minimum_cut(g, source, sink, flow_func=preflow_push)
    solved = time.perf_counter() - solve
    print(f"networkx value={value} source_side={len(reachable)} "
          f"parse_s={parsed:.6f} solve_s={solved:.6f}")


if __name__ == "__main__":
    main(sys.argv[1])
