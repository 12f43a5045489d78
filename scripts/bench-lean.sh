#!/usr/bin/env bash
# The generated crate against an earlier version of it, side by side in one run (BENCHMARKS.md,
# "Lean generated code"): lines of generated code, `cargo build -p featurebase` from clean and
# after touching one generated file (medians of $RUNS, the two crates built in turn), the crate
# with only the `conversations` feature, a user's first build of a program that lists
# conversations (scripts/lean/user.rs, from an empty target directory), and the generator's time.
#
# Usage: scripts/bench-lean.sh
# Environment: BASELINE_REV (the commit whose generated/ is the baseline; default: the one before
# the lean-code work), RUNS (3), COLD=0 (leave out the first-build measurements, about 4 minutes),
# BENCH_LEAN_DIR (target/bench-lean). Writes report.md there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_LEAN_DIR:-$root/target/bench-lean}
rev=${BASELINE_REV:-abd00bc}
runs=${RUNS:-3}
cold=${COLD:-1}
rm -rf "$work"
mkdir -p "$work"

# Two one-member workspaces: the baseline's generated/ and today's.
setup() { # name source-dir
    local ws=$work/$1
    mkdir -p "$ws"
    cp -r "$2" "$ws/generated"
    cp "$root/Cargo.lock" "$ws/Cargo.lock"
    sed -e 's/^members = .*/members = ["generated"]/' -e 's/^default-members = .*/default-members = ["generated"]/' \
        "$root/Cargo.toml" >"$ws/Cargo.toml"
}
mkdir -p "$work/src-base"
git -C "$root" archive "$rev" generated | tar -x -C "$work/src-base"
setup base "$work/src-base/generated"
setup new "$root/generated"

code_lines() { # the generated types, resources and info.rs, without blank lines and comments
    python3 - "$1" <<'PY'
import os, sys
total = 0
for d, _, files in os.walk(os.path.join(sys.argv[1], "src")):
    for f in files:
        p = os.path.join(d, f)
        rel = os.path.relpath(p, sys.argv[1])
        if not f.endswith(".rs") or not (rel.startswith("src/types") or rel.startswith("src/resources") or rel == "src/info.rs"):
            continue
        lines = open(p, encoding="utf-8").read().splitlines()
        total += sum(1 for l in lines if l.strip() and not l.strip().startswith("//"))
print(total)
PY
}
now() { date +%s.%N; }
timed() { # seconds a command takes
    local start end
    start=$(now)
    "$@" >/dev/null 2>&1
    end=$(now)
    python3 -c "print(f'{$end - $start:.2f}')"
}
build() { # ws [cargo args...]
    local ws=$1
    shift
    (cd "$work/$ws" && CARGO_TARGET_DIR=$work/$ws/target cargo build -q -p featurebase "$@")
}
clean_build() { # ws [cargo args...]
    local ws=$1
    (cd "$work/$ws" && CARGO_TARGET_DIR=$work/$ws/target cargo clean -q -p featurebase)
    timed build "$@"
}
touch_build() { # ws
    touch "$work/$1/generated/src/types/conversations.rs"
    timed build "$1"
}

echo "building the dependencies of both (not measured)..." >&2
build base
build new
build new --no-default-features --features conversations

declare -a base_clean new_clean base_touch new_touch conv_clean
for i in $(seq 1 "$runs"); do
    base_clean+=("$(clean_build base)")
    new_clean+=("$(clean_build new)")
    base_touch+=("$(touch_build base)")
    new_touch+=("$(touch_build new)")
    conv_clean+=("$(clean_build new --no-default-features --features conversations)")
    echo "run $i: clean ${base_clean[-1]} / ${new_clean[-1]} s, touch ${base_touch[-1]} / ${new_touch[-1]} s, conversations only ${conv_clean[-1]} s" >&2
done

# A user's first build: the program, the crate and every dependency, from an empty target dir.
first_build() { # name crate-dir features-toml
    local dir=$work/user-$1
    mkdir -p "$dir/src"
    cp "$root/scripts/lean/user.rs" "$dir/src/main.rs"
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    cat >"$dir/Cargo.toml" <<TOML
[package]
name = "lists-conversations"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
featurebase = { path = "$2"$3 }
futures-util = { version = "0.3", default-features = false }
tokio = { version = "1", features = ["macros", "rt"] }

[workspace]
TOML
    # The crate's workspace dependencies, written out (it inherits them from a workspace).
    timed bash -c "cd '$dir' && CARGO_TARGET_DIR='$dir/target' cargo build -q"
}
first_base=- first_new=- first_conv=-
if [ "$cold" = 1 ]; then
    echo "first builds of the user program (about a minute each)..." >&2
    first_base=$(first_build base "$work/base/generated" "")
    first_new=$(first_build new "$work/new/generated" "")
    first_conv=$(first_build conv "$work/new/generated" ", default-features = false, features = [\"conversations\"]")
fi

# The generator on the vendored spec (release build, in-process time as `generate` reports it).
(cd "$root" && cargo build -q --release -p xtask)
gen_ms=$(for i in 1 2 3 4 5 6; do (cd "$root" && ./target/release/xtask generate) | sed -n 's/.*(\([0-9]*\) ms).*/\1/p'; done | tail -5 | sort -n | sed -n 3p)

python3 - "$work/report.md" "$(code_lines "$work/base/generated")" "$(code_lines "$work/new/generated")" \
    "${base_clean[*]}" "${new_clean[*]}" "${base_touch[*]}" "${new_touch[*]}" "${conv_clean[*]}" \
    "$first_base" "$first_new" "$first_conv" "$gen_ms" "$rev" <<'PY'
import statistics, sys
out, lb, ln = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
med = lambda s: statistics.median(float(x) for x in s.split())
bc, nc, bt, nt, cc = (med(s) for s in sys.argv[4:9])
fb, fn, fc, gen, rev = sys.argv[9:14]
rows = [
    ("generated code lines (types, resources, info.rs; no blanks or comments)", f"{lb}", f"{ln}", f"{ln / lb:.2f}x"),
    ("`cargo build -p featurebase` from clean, dependencies built (s)", f"{bc:.2f}", f"{nc:.2f}", f"{nc / bc:.2f}x"),
    ("after touching one generated file (s)", f"{bt:.2f}", f"{nt:.2f}", f"{nt / bt:.2f}x"),
    ("from clean with only the `conversations` feature (s)", "-", f"{cc:.2f}", f"{cc / bc:.2f}x"),
]
if fb != "-":
    rows.append(("a user's first build of a program listing conversations (s)", fb, fn, f"{float(fn) / float(fb):.2f}x"))
    rows.append(("the same with only the `conversations` feature (s)", "-", fc, f"{float(fc) / float(fb):.2f}x"))
text = f"| measure | baseline ({rev}) | now | now / baseline |\n|---|---:|---:|---:|\n"
text += "".join(f"| {a} | {b} | {c} | {d} |\n" for a, b, c, d in rows)
text += f"\nGenerator on the vendored spec (release, median of 5): {gen} ms.\n"
open(out, "w").write(text)
print(text)
PY
