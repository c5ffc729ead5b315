#!/usr/bin/env python3
"""Solve a DIMACS max-flow file with Google OR-tools' SimpleMaxFlow (push-relabel).

Prints the value and the timings in the same format as `maxflow_dimacs`: parse separately from
max-flow + min cut (OR-tools' GetSourceSideMinCut). Usage: ortools_maxflow.py FILE.dimacs
"""
import sys
import time

from ortools.graph.python import max_flow


def main(path):
    started = time.perf_counter()
    tails, heads, caps = [], [], []
    source = sink = None
    with open(path) as f:
        for line in f:
            if line.startswith("a "):
                _, u, v, c = line.split()
                tails.append(int(u) - 1)
                heads.append(int(v) - 1)
                caps.append(int(c))
            elif line.startswith("n "):
                _, node, kind = line.split()
                if kind == "s":
                    source = int(node) - 1
                else:
                    sink = int(node) - 1
    solver = max_flow.SimpleMaxFlow()
    import numpy as np
    solver.add_arcs_with_capacity(np.array(tails), np.array(heads), np.array(caps))
    parsed = time.perf_counter() - started
    solve = time.perf_counter()
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise SystemExit(f"OR-tools status {status}")
    cut = solver.get_source_side_min_cut()
    solved = time.perf_counter() - solve
    print(f"ortools value={solver.optimal_flow()} source_side={len(cut)} "
          f"parse_s={parsed:.6f} solve_s={solved:.6f}")


if __name__ == "__main__":
    main(sys.argv[1])
