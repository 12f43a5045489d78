#!/usr/bin/env bash
# The slow half of the real-world corpus (tests/fixtures/real-world/SOURCES.toml): for every
# published description, the crate `cargo xtask crate` writes, how long the generator takes,
# its warnings and skipped items, and whether the crate compiles without warnings (and how long
# `cargo check` takes, dependencies already built); then the examples gate on it, when asked.
#
#   scripts/real-world.sh                  every spec
#   scripts/real-world.sh lago.yaml ...    only these
#   EXAMPLES=1 scripts/real-world.sh       also `cargo xtask examples` on each
#
# The descriptions are read from REAL_WORLD_CORPUS (default target/real-world-corpus/), as the
# tests read them; each must have the sha256 SOURCES.toml gives. The crates are written to
# target/real-world/<name>/ and checked with one shared target directory
# (target/real-world-target). Results: target/real-world/summary.md, one row a spec.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=${REAL_WORLD_CORPUS:-$root/target/real-world-corpus}
out=$root/target/real-world
mkdir -p "$out"
export CARGO_TARGET_DIR_FOR_CRATES=$root/target/real-world-target

files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  mapfile -t files < <(sed -n 's/^file = "\(.*\)"$/\1/p' tests/fixtures/real-world/SOURCES.toml)
fi

cargo build --quiet --release -p xtask
xtask=$root/target/release/xtask

summary=$out/summary.md
{
  echo "| spec | size | generate | warnings | skipped | cargo check | warning-free | examples |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
} > "$summary"

for file in "${files[@]}"; do
  spec=$corpus/$file
  want=$(awk -v f="$file" '$0 == "file = \"" f "\"" {found=1} found && /^sha256/ {gsub(/"/, "", $3); print $3; exit}' tests/fixtures/real-world/SOURCES.toml)
  have=$(sha256sum "$spec" | cut -d' ' -f1)
  [[ "$want" == "$have" ]] || { echo "$file: sha256 $have, SOURCES.toml says $want" >&2; exit 1; }
  name=$(echo "${file%.*}" | tr 'A-Z._' 'a-z--')
  dir=$out/$name
  start=$(date +%s.%N)
  log=$("$xtask" crate --spec "$spec" --out "$dir" --name "rw-$name" 2>&1)
  generate=$(echo "$(date +%s.%N) - $start" | bc)
  warnings=$(echo "$log" | grep -c '^warning: ' || true)
  skipped=$(echo "$log" | grep -c ' skipped (' || true)
  start=$(date +%s.%N)
  if check=$(cd "$dir" && CARGO_TARGET_DIR=$CARGO_TARGET_DIR_FOR_CRATES cargo check --all-features --message-format short 2>&1); then
    clean=$(echo "$check" | grep -q '^warning\|: warning' && echo "no (warnings)" || echo yes)
  else
    clean="no (errors)"
    echo "$check" | tail -20 > "$dir.check.log"
  fi
  checked=$(echo "$(date +%s.%N) - $start" | bc)
  examples="-"
  if [[ -n "${EXAMPLES:-}" ]]; then
    examples=$("$xtask" examples --spec "$spec" 2>&1 | tail -1 || true)
  fi
  bytes=$(stat -c %s "$spec")
  printf '| %s | %.2f MB | %.2f s | %s | %s | %.1f s | %s | %s |\n' \
    "$file" "$(echo "$bytes / 1000000" | bc -l)" "$generate" "$warnings" "$skipped" "$checked" "$clean" "$examples" >> "$summary"
  tail -1 "$summary"
done
echo "summary: $summary"
