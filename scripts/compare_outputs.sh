#!/usr/bin/env bash
# Every output a person or a program reads, from two revisions, compared byte for byte: the
# check behind a change that claims "no behaviour change" (a refactoring, a file split).
#
#   scripts/compare_outputs.sh BASE [HEAD]     # revisions; HEAD defaults to the checked-out one
#
# Each revision is checked out into a temporary worktree and its CLI and examples built in
# release, in one target directory kept between runs (MIDSTREAM_COMPARE_DIR, default
# /tmp/midstream-compare). The outputs: `report` of every embedded dataset as Markdown and
# JSON; for NdPr oxide and NdPr magnets in rare-earths-2025, `scenario` with every preset that
# applies, a Chinese export stop, `outlook`, `risk`, `invest`, `export` as JSON and DOT and
# `chart`; `profile` of Kazakhstan and China; `datasets`, `presets`, both schemas; and the four
# examples. Exit status 0 when every output is identical, 1 with the list of files that
# differ (diff them in the two output folders printed at the end), 2 on a usage or build error.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 BASE [HEAD]" >&2
    exit 2
fi
repo=$(git rev-parse --show-toplevel)
work=${MIDSTREAM_COMPARE_DIR:-/tmp/midstream-compare}
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"

# Runs one CLI invocation, its stdout to $out/$name (stderr beside it), whatever its status.
run() {
    local name=$1
    shift
    "$bin" "$@" >"$out/$name" 2>"$out/$name.stderr" || echo "exit $?" >>"$out/$name.stderr"
}

outputs() {
    local rev=$1
    local sha
    sha=$(git -C "$repo" rev-parse --verify "$rev^{commit}") || exit 2
    local tree="$work/tree-$sha"
    out="$work/out-$sha"
    if [[ ! -d "$tree" ]]; then
        git -C "$repo" worktree add --detach "$tree" "$sha" >/dev/null
    fi
    rm -rf "$out"
    mkdir -p "$out"
    echo "building $rev ($sha)" >&2
    (cd "$tree" && cargo build --release --quiet -p midstream-cli --bin midstream --examples) || exit 2
    bin="$CARGO_TARGET_DIR/release/midstream"
    # Every embedded dataset, as Markdown and as JSON.
    for d in rare-earths-2025 rare-earths-2024 kazakhstan-2025 critical-minerals-2024; do
        run "report-$d.md" report --dataset "$d"
        run "report-$d.json" report --dataset "$d" --format json
    done
    for c in NdPr:oxide NdPr:magnet; do
        local tag=${c/:/-}
        for p in $("$bin" presets | sed -n 's/^- `\([^`]*\)` (rare-earths-2025).*/\1/p'); do
            run "scenario-$tag-$p.md" scenario --commodity "$c" --preset "$p"
        done
        run "scenario-$tag-cn-stop.json" scenario --commodity "$c" --export-stop CN --format json
        run "outlook-$tag.md" outlook --commodity "$c"
        run "risk-$tag.md" risk --commodity "$c"
        run "invest-$tag.md" invest --commodity "$c"
        run "export-$tag.json" export --commodity "$c"
        run "export-$tag.dot" export --commodity "$c" --as dot
        run "chart-$tag.svg" chart --commodity "$c"
    done
    run profile-KZ.md profile KZ --dataset kazakhstan-2025
    run profile-CN.md profile CN
    run datasets.md datasets
    run presets.md presets
    run schema-dataset.json schema
    run schema-report.json schema --of report
    for e in kazakhstan_midstream china_heavy_ree_export_stop pipeline_outlook_2035 build_your_own_dataset; do
        (cd "$tree" && "$CARGO_TARGET_DIR/release/examples/$e") >"$out/example-$e.txt" \
            2>"$out/example-$e.stderr" || echo "exit $?" >>"$out/example-$e.stderr"
    done
    echo "$out"
}

base=$(outputs "$1")
head=$(outputs "${2:-HEAD}")
echo "base: $base" >&2
echo "head: $head" >&2
count=$(find "$head" -type f | wc -l)
if diff -rq "$base" "$head" >"$work/differ.txt"; then
    echo "identical: $count outputs" >&2
    exit 0
fi
echo "these outputs differ (of $count):" >&2
sed -e "s|$base/||g" -e "s|$head/||g" "$work/differ.txt" >&2
exit 1
