#!/usr/bin/env bash
# Peer harness over several families of max-flow networks (benches/peers/families.py): for each
# family and size, midstream's whole process (`midstream maxflow --dimacs`, wall clock: read,
# build, flow, cut), its solve alone, and OR-tools' flow + cut in process, interleaved in one run,
# medians of REPEAT runs (default 5), with each process's peak RSS. Not part of CI.
#
#   benches/peers/families.sh                       # every family at 1e5 and 1e6 nodes
#   FAMILIES="rlg-long genrmf-wide" benches/peers/families.sh 100000
#   REPEAT=3 benches/peers/families.sh 100000
#   TIMEOUT=300 benches/peers/families.sh            # seconds a midstream run may take (600)
#
# A midstream run that reaches the timeout is recorded as such ("> N s"): on some families its
# Dinic's algorithm needs thousands of phases (docs/benchmarks.md).
# Every run must report the same value as OR-tools, or the harness stops. The table goes to
# stdout (Markdown), for docs/benchmarks.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
families=(${FAMILIES:-supply layered genrmf-long genrmf-wide rlg-long rlg-wide ak})
repeat=${REPEAT:-5}
limit=${TIMEOUT:-600}

cargo build --release --quiet -p midstream-cli
cargo build --release --quiet -p midstream --example generate_dimacs
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import ortools, numpy' 2>/dev/null || "$venv/bin/pip" install --quiet ortools numpy

mkdir -p "$here/data"
results="$(mktemp)"
for size in "${sizes[@]}"; do
  for family in "${families[@]}"; do
    file="$here/data/$family-$size.dimacs"
    if [ ! -f "$file" ]; then
      if [ "$family" = supply ]; then
        target/release/examples/generate_dimacs "$size" 42 "$file"
      else
        python3 "$here/families.py" "$family" "$size" 42 "$file"
      fi
    fi
    shape=$(grep -m1 '^p ' "$file" | awk '{print $3 "/" $4}')
    for _ in $(seq "$repeat"); do
      out=$( { /usr/bin/time -f "wall_s=%e rss_kb=%M" timeout "$limit" target/release/midstream maxflow --dimacs "$file"; } 2>&1 || true)
      echo "midstream $family $size $shape $(grep -o 'value=[0-9]*' <<<"$out") $(grep -o 'solve_s=[0-9.]*' <<<"$out") $(grep -o 'wall_s=[0-9.]*' <<<"$out") $(grep -o 'rss_kb=[0-9]*' <<<"$out")" >> "$results"
      out=$( { /usr/bin/time -f "wall_s=%e rss_kb=%M" "$venv/bin/python" "$here/ortools_maxflow.py" "$file"; } 2>&1 )
      echo "ortools $family $size $shape $(grep -o 'value=[0-9]*' <<<"$out") $(grep -o 'solve_s=[0-9.]*' <<<"$out") $(grep -o 'wall_s=[0-9.]*' <<<"$out") $(grep -o 'rss_kb=[0-9]*' <<<"$out")" >> "$results"
    done
    tail -2 "$results" >&2
  done
done
python3 - "$results" <<'PY'
import statistics, sys, collections
runs = collections.defaultdict(list)
shapes, order = {}, []
for line in open(sys.argv[1]):
    name, family, size, shape, *kv = line.split()
    d = dict(x.split("=") for x in kv)
    key = (family, int(size))
    if key not in shapes:
        order.append(key)
    shapes[key] = shape
    runs[(name,) + key].append(d)
print("| family | nodes / arcs | value | midstream whole process | midstream solve | OR-tools flow + cut | whole / OR-tools | solve / OR-tools | peak RSS midstream / OR-tools |")
print("|---|---|---|---|---|---|---|---|---|")
for key in order:
    m, o = runs[("midstream",) + key], runs[("ortools",) + key]
    values = {r["value"] for r in m + o if "value" in r}
    if len(values) > 1:
        sys.exit(f"{key}: the solvers disagree: {values}")
    med = lambda rs, k: statistics.median(float(r[k]) for r in rs)
    rss = lambda rs: max(int(r["rss_kb"]) for r in rs) // 1024
    n, a = shapes[key].split("/")
    ort = med(o, "solve_s")
    done = [r for r in m if "value" in r]
    if not done:  # every midstream run reached the timeout
        whole = med(m, "wall_s")
        print(f"| {key[0]} | {int(n):,} / {int(a):,} | {values.pop() if values else '-'} | > {whole:.0f} s (stopped) | - | {ort:.3f} s | > {whole / ort:.0f} | - | - / {rss(o)} MB |")
        continue
    whole, solve = med(done, "wall_s"), med(done, "solve_s")
    print(f"| {key[0]} | {int(n):,} / {int(a):,} | {values.pop()} | {whole:.3f} s | {solve:.3f} s | {ort:.3f} s | {whole / ort:.2f} | {solve / ort:.2f} | {rss(done)} / {rss(o)} MB |")
PY
