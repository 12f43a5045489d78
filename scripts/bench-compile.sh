#!/usr/bin/env bash
# Compile time and size of the generated `featurebase` crate (see BENCHMARKS.md).
#
# Works on a scratch copy of the crate in its own one-member workspace and target directory, so
# the edits it makes never touch the real tree and its builds never wait on (or evict) anyone's.
# Measures, each the median of $COMPILE_RUNS runs (default 3) of `cargo build -p featurebase`
# (dev profile, the workspace's):
#   clean        after `cargo clean -p featurebase`, dependencies already built
#   touch        after `touch`ing one generated file (src/types/conversations.rs), nothing changed
#   edit         after adding a type to that file (what regenerating after a spec change does)
# and reports the lines of generated code, and the LLVM IR of the crate by function (like
# `cargo llvm-lines`): how many copies each generic function has, so per-operation duplication
# shows up. Prints a summary and writes compile.json to $BENCH_RESULTS_DIR (if set).
#
# Usage: scripts/bench-compile.sh
# Environment: COMPILE_RUNS (3), BENCH_COMPILE_DIR (target/bench-compile), BENCH_RESULTS_DIR,
# LLVM_LINES=0 (leave the IR out), BENCH_COMPILE_SRC (the crate to measure, default generated/: a
# copy of it with a candidate change gives a before/after on the same machine).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_COMPILE_DIR:-$root/target/bench-compile}
runs=${COMPILE_RUNS:-3}
results=${BENCH_RESULTS_DIR:-}

ws=$work/ws
rm -rf "$ws"
mkdir -p "$ws"
cp -r "${BENCH_COMPILE_SRC:-$root/generated}" "$ws/generated"
cp "$root/Cargo.lock" "$ws/Cargo.lock"
sed -e 's/^members = .*/members = ["generated"]/' -e 's/^default-members = .*/default-members = ["generated"]/' \
    "$root/Cargo.toml" >"$ws/Cargo.toml"
export CARGO_TARGET_DIR=$work/target
cd "$ws"

edited=generated/src/types/conversations.rs

# Lines of generated code: every file the generator writes starts with `// @generated`.
mapfile -t generated_files < <(cd "$ws/generated" && grep -rl --include='*.rs' -m1 '^// @generated' src | sort)
gen_lines=$(cd "$ws/generated" && cat "${generated_files[@]}" | wc -l)
runtime_lines=$(cd "$ws/generated" && cat src/lib.rs src/runtime/*.rs | wc -l)
ops=$(cd "$ws/generated" && { grep -rhoE 'ApiRequest::new\(|runtime::operation!\(' src/resources || true; } | wc -l)

now() { date +%s.%N; }
build() { # prints the seconds one `cargo build -p featurebase` takes
    local start end
    start=$(now)
    cargo build -q -p featurebase
    end=$(now)
    python3 -c "print(f'{$end - $start:.2f}')"
}

echo "building the dependencies once (not measured)..." >&2
cargo build -q -p featurebase

clean=() touch_=() edit=()
for i in $(seq 1 "$runs"); do
    cargo clean -q -p featurebase
    clean+=("$(build)")
    touch "$edited"
    touch_+=("$(build)")
    cat >>"$edited" <<EOF

/// A type added by the compile-time benchmark (run $i).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BenchmarkEdit$i {
    /// \`id\`
    pub id: String,
    /// \`note\`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Properties this version of the crate does not know, kept so that nothing is lost.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
EOF
    edit+=("$(build)")
    echo "run $i: clean ${clean[-1]} s, touch ${touch_[-1]} s, edit ${edit[-1]} s" >&2
done


llvm_json=null
if [ "${LLVM_LINES:-1}" != 0 ]; then
    echo "emitting LLVM IR (one codegen unit, not measured)..." >&2
    ir_dir=$work/ir
    rm -rf "$ir_dir"
    CARGO_TARGET_DIR=$ir_dir CARGO_INCREMENTAL=0 cargo rustc -q -p featurebase --lib -- \
        --emit=llvm-ir -C codegen-units=1 -C no-prepopulate-passes -C passes=name-anon-globals
    ll=$(ls "$ir_dir"/debug/deps/featurebase-*.ll | head -1)
    llvm_json=$(python3 - "$ll" <<'PY'
import json, re, subprocess, sys
# Lines of IR per defined function, grouped by the function's name without generic arguments.
lines, names, cur, n = {}, [], None, 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line.startswith("define "):
        m = re.search(r'@("?)([^"(]+)\1\(', line)
        cur, n = (m.group(2) if m else "?"), 0
    if cur is not None:
        n += 1
        if line.startswith("}"):
            names.append((cur, n))
            cur = None
demangled = subprocess.run(["c++filt"], input="\n".join(s for s, _ in names), capture_output=True, text=True).stdout.splitlines()
def erase(name):
    name = re.sub(r"\[[0-9a-f]+\]", "", name)          # v0 crate disambiguators
    name = re.sub(r"::h[0-9a-f]{16}$", "", name)       # legacy hashes
    out, depth, i = [], 0, 0
    while i < len(name):                               # drop turbofish arguments: f::<T> -> f
        if name.startswith("::<", i) and depth == 0:
            d, j = 0, i + 2
            while j < len(name):
                d += {"<": 1, ">": -1}.get(name[j], 0)
                j += 1
                if d == 0:
                    break
            i = j
            continue
        out.append(name[i]); i += 1
    return "".join(out)
groups = {}
for (sym, n), dem in zip(names, demangled):
    g = groups.setdefault(erase(dem), [0, 0])
    g[0] += n; g[1] += 1
total = sum(n for _, n in names)
top = sorted(groups.items(), key=lambda kv: -kv[1][0])[:25]
print(json.dumps({"functions": len(names), "ir_lines": total,
                  "top": [{"name": k, "lines": v[0], "copies": v[1]} for k, v in top]}))
PY
)
fi

summary=$(python3 - "$runs" "$gen_lines" "$runtime_lines" "$ops" "${#generated_files[@]}" "$llvm_json" \
    "${clean[*]}" "${touch_[*]}" "${edit[*]}" <<'PY'
import json, statistics, sys
runs, gen, rt, ops, files, llvm = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), json.loads(sys.argv[6])
clean, touch, edit = ([float(x) for x in a.split()] for a in sys.argv[7:10])
out = {
    "runs": runs,
    "clean_s": statistics.median(clean), "touch_s": statistics.median(touch), "edit_s": statistics.median(edit),
    "clean_all_s": clean, "touch_all_s": touch, "edit_all_s": edit,
    "generated_lines": gen, "generated_files": files, "runtime_lines": rt, "operations": ops, "llvm": llvm,
}
print(json.dumps(out, indent=2))
PY
)
if [ -n "$results" ]; then
    mkdir -p "$results"
    printf '%s\n' "$summary" >"$results/compile.json"
fi
python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
print(f"cargo build -p featurebase (dev, median of {s['runs']}):")
print(f"  from clean, dependencies built : {s['clean_s']:6.2f} s   {s['clean_all_s']}")
print(f"  after touching one file        : {s['touch_s']:6.2f} s   {s['touch_all_s']}")
print(f"  after adding a type to it      : {s['edit_s']:6.2f} s   {s['edit_all_s']}")
print(f"generated code: {s['generated_lines']} lines in {s['generated_files']} files "
      f"({s['operations']} operations); hand-written runtime: {s['runtime_lines']} lines")
if s["llvm"]:
    l = s["llvm"]
    print(f"LLVM IR (unoptimised, one codegen unit): {l['ir_lines']} lines in {l['functions']} functions; largest:")
    for t in l["top"][:15]:
        print(f"  {t['lines']:8} lines {t['copies']:5} copies  {t['name'][:110]}")
PY
