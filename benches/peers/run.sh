#!/usr/bin/env bash
# Peer comparison: midstream's max-flow against OR-tools, igraph, networkx and petgraph on the
# same generated DIMACS files. Not part of CI.
#
#   benches/peers/run.sh                 # sizes 1000 10000 100000
#   benches/peers/run.sh 1000 1000000    # chosen sizes
#   REPEAT=5 benches/peers/run.sh        # runs per fast solver (default 3; medians are reported)
#
# Each solver runs in its own process and times, inside it, the parse and the max-flow (+ min cut
# where the library has one) separately; peak RSS is the process's (GNU time). Every solver must
# report the same value, or the run stops. The table goes to docs/benchmarks.md between the
# `peers:begin` and `peers:end` markers, and to stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
# Slow peers stop at these sizes (networkx ~30 s and petgraph ~4 min at 1e5 were measured).
networkx_max=100000
petgraph_max=10000

echo "== building (release)" >&2
cargo build --release --quiet -p midstream-cli -p midstream --examples
cargo build --release --quiet -p midstream-cli

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "== setting up the Python peers in $venv" >&2
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import ortools, igraph, networkx, numpy' 2>/dev/null \
  || "$venv/bin/pip" install --quiet ortools igraph networkx numpy

mkdir -p "$here/data"
results="$(mktemp)"
run() { # name size command...
  local name=$1 size=$2; shift 2
  local out rss
  out=$( { /usr/bin/time -f "rss_kb=%M" "$@"; } 2>&1 )
  rss=$(grep -o 'rss_kb=[0-9]*' <<<"$out" | tail -1 | cut -d= -f2)
  local line
  line=$(grep -E '(^| )value=' <<<"$out" | tail -1)
  echo "$name $size $line rss_kb=$rss" | tee -a "$results" >&2
}
repeat=${REPEAT:-3}
for size in "${sizes[@]}"; do
  file="$here/data/gen-$size.dimacs"
  [ -f "$file" ] || target/release/examples/generate_dimacs "$size" 42 "$file"
  # The fast solvers run $repeat times, interleaved, so that the machine's load falls on all.
  for _ in $(seq "$repeat"); do
    run midstream "$size" target/release/midstream maxflow --dimacs "$file"
    run ortools "$size" "$venv/bin/python" "$here/ortools_maxflow.py" "$file"
    run igraph "$size" "$venv/bin/python" "$here/igraph_maxflow.py" "$file"
  done
  [ "$size" -gt "$networkx_max" ] || run networkx "$size" "$venv/bin/python" "$here/networkx_maxflow.py" "$file"
  [ "$size" -gt "$petgraph_max" ] || run petgraph "$size" target/release/examples/petgraph_dinics "$file"
done

"$venv/bin/python" "$here/table.py" "$results" "$root/docs/benchmarks.md"
rm -f "$results"
