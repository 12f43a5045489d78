#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md and prints a summary with each target and ratio.
#
#   scripts/bench.sh                 everything (about an hour on 2 cores)
#
# Steps (each can be left out with SKIP="decode generate xtask icount genicount compile"):
#   decode    criterion: typed vs serde_json::Value decode, the ConversationPart union vs plain
#             structs, encoding; then the same ratios measured in alternation (paired)
#   generate  criterion: generator-only and per stage on the Featurebase spec, xtask in-process,
#             the synthetic specs of scripts/synth_spec.py at 1x/2x/4x
#   xtask     `cargo xtask generate` as a process (dev profile, as the README runs it, and release),
#             in a scratch copy of the workspace, median of $XTASK_RUNS (default 5)
#   icount    instructions per decode (valgrind --tool=callgrind), the load-independent ratios
#   genicount instructions per generator stage at 1x/2x/4x (callgrind): linearity without noise
#   compile   scripts/bench-compile.sh: `cargo build -p featurebase` from clean and incremental
#
# Everything builds in $CARGO_TARGET_DIR (default target/bench), apart from the workspace's usual
# target directory, and results go to $BENCH_RESULTS_DIR (default target/bench/results):
# criterion's reports, *.json, *.log and summary.md (the table BENCHMARKS.md records).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bench}
export BENCH_RESULTS_DIR=${BENCH_RESULTS_DIR:-$CARGO_TARGET_DIR/results}
export SYNTH_SPEC_DIR=${SYNTH_SPEC_DIR:-$CARGO_TARGET_DIR/synth-specs}
results=$BENCH_RESULTS_DIR
skip=" ${SKIP:-} "
mkdir -p "$results"
wants() { [[ "$skip" != *" $1 "* ]]; }
# The path of a bench target's binary (built if needed), for running one case under valgrind.
bench_bin() {
    cargo bench -p featurebase-tests --bench "$1" --no-run --message-format=json 2>/dev/null |
        python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"): print(m["executable"])' "$1" |
        tail -1
}
step() { printf '\n=== %s\n' "$*" >&2; }

{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rustc: $(rustc --version)"
} >"$results/machine.txt"
cat "$results/machine.txt" >&2

step "synthetic specs (scripts/synth_spec.py)"
mkdir -p "$SYNTH_SPEC_DIR"
for scale in 1 2 4; do
    [ -f "$SYNTH_SPEC_DIR/synth-${scale}x.json" ] ||
        python3 scripts/synth_spec.py --scale "$scale" --out "$SYNTH_SPEC_DIR/synth-${scale}x.json"
done

if wants decode; then
    step "decode benchmarks (tests/benches/decode.rs)"
    cargo bench -p featurebase-tests --bench decode 2>&1 | tee "$results/decode.log"
fi

if wants generate; then
    step "generator benchmarks (tests/benches/generate.rs)"
    cargo bench -p featurebase-tests --bench generate 2>&1 | tee "$results/generate.log"
fi

if wants xtask; then
    step "cargo xtask generate, as a process, in a scratch copy of the workspace"
    ws=$CARGO_TARGET_DIR/xtask-ws
    rm -rf "$ws"
    mkdir -p "$ws"
    tar -C "$root" --exclude=./target --exclude=./.git --exclude=node_modules -cf - . | tar -C "$ws" -xf -
    runs=${XTASK_RUNS:-5}
    (
        cd "$ws"
        export CARGO_TARGET_DIR=$CARGO_TARGET_DIR/xtask-target
        cargo build -q -p xtask
        cargo build -q --release -p xtask
        # Deletes what the generator writes (files starting `// @generated`), so each run writes all.
        clear() { grep -rl --include='*.rs' -m1 '^// @generated' generated/src | xargs -r rm -f; }
        time_it() {
            local start end
            clear
            start=$(date +%s.%N)
            "$@" >/dev/null
            end=$(date +%s.%N)
            python3 -c "print(f'{$end - $start:.3f}')"
        }
        dev=() release=()
        for _ in $(seq 1 "$runs"); do
            dev+=("$(time_it cargo xtask generate)")
            release+=("$(time_it cargo run -q --release -p xtask -- generate)")
        done
        python3 - "${dev[*]}" "${release[*]}" >"$results/xtask.json" <<'PY'
import json, statistics, sys
dev, rel = ([float(x) for x in a.split()] for a in sys.argv[1:3])
print(json.dumps({"dev_s": statistics.median(dev), "release_s": statistics.median(rel), "dev_all_s": dev, "release_all_s": rel}))
PY
    )
    cat "$results/xtask.json" >&2
fi

if wants icount && command -v valgrind >/dev/null; then
    step "instructions per decode (callgrind)"
    bin=$(bench_bin decode)
    iters=${ICOUNT_ITERS:-5}
    count() { # instructions of `$1` run $2 times, inputs included
        BENCH_ONLY=$1 BENCH_ITERS=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" 2>&1 |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    {
        echo "{"
        first=1
        for case in conversation_typed conversation_value list_typed list_value parts_union parts_plain \
            parts_union_tag_first parts_plain_tag_first encode_conversation_typed encode_conversation_value; do
            base=$(count "$case" 0)
            total=$(count "$case" "$iters")
            [ $first = 1 ] || echo ","
            first=0
            printf '  "%s": %s' "$case" $(((total - base) / iters))
            echo "  $case: $(((total - base) / iters)) instructions" >&2
        done
        echo
        echo "}"
    } >"$results/icount.json"
fi

if wants genicount && command -v valgrind >/dev/null; then
    step "instructions per generator stage on the synthetic specs (callgrind)"
    bin=$(bench_bin generate)
    {
        echo "{"
        first=1
        for spec in "load generator::load::load_str 1 2 4" "normalize generator::normalize::normalize 1 2 4" \
            "model generator::model::build::build 1 2 4" "emit generator::emit::emit 1 2 4"; do
            set -- $spec
            stage=$1 fn=$2
            shift 2
            [ $first = 1 ] || echo ","
            first=0
            printf '  "%s": {' "$stage"
            sep=""
            for scale in "$@"; do
                n=$(BENCH_ONLY=$stage BENCH_SPEC=synth-${scale}x valgrind --tool=callgrind --toggle-collect="$fn" \
                    --callgrind-out-file=/dev/null "$bin" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
                printf '%s"%s": %s' "$sep" "$scale" "$n"
                sep=", "
                echo "  $stage at ${scale}x: $n instructions" >&2
            done
            printf '}'
        done
        echo
        echo "}"
    } >"$results/gen-icount.json"
fi

if wants compile; then
    step "compile time of the generated crate (scripts/bench-compile.sh)"
    scripts/bench-compile.sh 2>&1 | tee "$results/compile.log"
fi

step "summary"
python3 scripts/bench_summary.py "$CARGO_TARGET_DIR/criterion" "$results" | tee "$results/summary.md"
