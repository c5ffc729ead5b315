"""Solve an MPS file with HiGHS (highspy), interior point and dual simplex, timing each.

    benches/peers/.venv/bin/python benches/peers/highs_lp.py FILE.mps [ipm|simplex ...]

Prints one line per method: the solve time inside the process (after reading the model) and the
optimum (the file minimises the negated deliverable, so the deliverable is minus the objective).
"""

import sys
import time

import highspy


def solve(path: str, method: str) -> None:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", method)
    h.setOptionValue("presolve", "on")
    status = h.readModel(path)
    if status != highspy.HighsStatus.kOk:
        sys.exit(f"{path}: HiGHS could not read the model ({status})")
    t0 = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - t0
    model_status = h.getModelStatus()
    objective = h.getInfo().objective_function_value
    print(
        f"highs-{method} status={h.modelStatusToString(model_status)} "
        f"solve_s={elapsed:.6f} objective={-objective:.6f}"
    )


if __name__ == "__main__":
    path = sys.argv[1]
    methods = sys.argv[2:] or ["ipm", "simplex"]
    for m in methods:
        solve(path, m)
