#!/usr/bin/env bash
# The `featurebase` crate beside the Rust client openapi-generator writes from the same spec, in
# one run: generation time, size, build time, and what each decodes (scripts/compare/main.rs).
#
#   scripts/compare.sh        (about 5 minutes on 2 cores the first time; needs Java 11+ and python3)
#
# openapi-generator comes from PyPI (`openapi-generator-cli`, which ships the generator's jar), in a
# virtual environment under target/compare; its crate is built with rustls (`--no-default-features
# --features rustls`), as one would without a system OpenSSL. Nothing is committed from it.
# Results: target/compare/summary.md (the table BENCHMARKS.md records).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/target/compare
version=${OPENAPI_GENERATOR_VERSION:-7.26.0}
spec=$(sed -n 's|^spec = "\.\./\(.*\)"|\1|p' generated/Cargo.toml)
mkdir -p "$out"
summary=$out/summary.md

command -v java >/dev/null || { echo "openapi-generator needs Java (apt-get install default-jre-headless)" >&2; exit 1; }
if [[ ! -x $out/venv/bin/openapi-generator-cli ]]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install --quiet "openapi-generator-cli==$version"
fi

seconds() { # command... : wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "generating..." >&2
# Ours: the generator as the README runs it (dev profile, already built); `check` does all the
# work of `generate` and compares instead of writing.
cargo build --quiet -p xtask
ours_gen=$(seconds cargo xtask check)
# Theirs. The spec has no `info.license.identifier`, which its validator demands: skip validation.
rm -rf "$out/oag"
theirs_gen=$(seconds "$out/venv/bin/openapi-generator-cli" generate --skip-validate-spec -i "$spec" -g rust \
  -o "$out/oag" --additional-properties=packageName=featurebase-oag,packageVersion=0.1.0)

lines() { find "$@" -name '*.rs' -print0 | xargs -0 cat | grep -cvE '^\s*(//.*)?$'; }
ours_lines=$(lines generated/src/types generated/src/resources generated/src/info.rs)
theirs_lines=$(lines "$out/oag/src")

# The harness, depending on both crates.
mkdir -p "$out/harness/src"
cp scripts/compare/main.rs "$out/harness/src/main.rs"
cat >"$out/harness/Cargo.toml" <<TOML
[package]
name = "compare-harness"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
featurebase = { path = "$root/generated" }
featurebase-oag = { path = "$out/oag", default-features = false, features = ["rustls"] }
serde = "1"
serde_json = "1"
TOML
export CARGO_TARGET_DIR=$out/target REPO_ROOT=$root
echo "building the dependencies..." >&2
cargo build --quiet --manifest-path "$out/harness/Cargo.toml" 2>/dev/null || cargo build --manifest-path "$out/harness/Cargo.toml"
# Each crate from clean, its dependencies built (dev profile), then after touching one file.
build_time() { # package file-to-touch
  cargo clean --quiet --manifest-path "$out/harness/Cargo.toml" -p "$1"
  seconds cargo build --manifest-path "$out/harness/Cargo.toml" -p "$1"
}
ours_build=$(build_time featurebase)
theirs_build=$(build_time featurebase-oag)
touch generated/src/types/conversations.rs
ours_touch=$(seconds cargo build --manifest-path "$out/harness/Cargo.toml" -p featurebase)
touch "$out/oag/src/models/conversation.rs"
theirs_touch=$(seconds cargo build --manifest-path "$out/harness/Cargo.toml" -p featurebase-oag)

echo "decoding..." >&2
table=$(cargo run --quiet --release --manifest-path "$out/harness/Cargo.toml")

{
  echo "Run of $(date -u +%Y-%m-%d), openapi-generator $version, $(rustc --version), $(nproc) cores."
  echo
  echo "| | \`featurebase\` (this project) | openapi-generator \`-g rust\` |"
  echo "|---|---|---|"
  printf '| generate from the spec (wall time) | %.2f s (`cargo xtask check`: all of `generate` but the writes; dev profile) | %.2f s (`openapi-generator-cli generate`, JVM) |\n' "$ours_gen" "$theirs_gen"
  echo "| generated code lines (no blanks or comments) | $ours_lines | $theirs_lines |"
  printf '| `cargo build` of the crate from clean, dependencies built | %.1f s | %.1f s |\n' "$ours_build" "$theirs_build"
  printf '| the same after touching one generated file | %.1f s | %.1f s |\n' "$ours_touch" "$theirs_touch"
  echo "$table" | tail -n +3
} | tee "$summary"
echo "summary: $summary" >&2
