#!/usr/bin/env python3
"""Solve a DIMACS max-flow file with igraph (C core): prints value and timings like the others.

Usage: igraph_maxflow.py FILE.dimacs
"""
import sys
import time

import igraph


def read(path):
    edges, caps = [], []
    source = sink = n = None
    with open(path) as f:
        for line in f:
            if line.startswith("a "):
                _, u, v, c = line.split()
                edges.append((int(u) - 1, int(v) - 1))
                caps.append(int(c))
            elif line.startswith("n "):
                _, node, kind = line.split()
                if kind == "s":
                    source = int(node) - 1
                else:
                    sink = int(node) - 1
            elif line.startswith("p "):
                n = int(line.split()[2])
    return n, edges, caps, source, sink


def main(path):
    started = time.perf_counter()
    n, edges, caps, source, sink = read(path)
    g = igraph.Graph(n=n, edges=edges, directed=True)
    parsed = time.perf_counter() - started
    solve = time.perf_counter()
    flow = g.maxflow(source, sink, capacity=caps)
    solved = time.perf_counter() - solve
    print(f"igraph value={int(flow.value)} cut_edges={len(flow.cut)} "
          f"parse_s={parsed:.6f} solve_s={solved:.6f}")


if __name__ == "__main__":
    main(sys.argv[1])
