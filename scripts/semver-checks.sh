#!/usr/bin/env bash
# A second opinion on the API-evolution suite: cargo-semver-checks' verdict on each case beside
# the spec diff's and the compiler's.
#
#   scripts/semver-checks.sh            run the suite (cargo test --test evolution), then check each case
#   SKIP_SUITE=1 scripts/semver-checks.sh   reuse target/evolution from the last run of the suite
#
# For each case it compares the crate regenerated from the derived next version with today's
# crate (both from target/evolution), as `cargo semver-checks check-release` would for a minor
# release of a 1.x crate: a change that needs a major release is "breaking", anything else is
# "non-breaking". (The crates' own versions are set aside: the question is only what the change
# needs.) cargo-semver-checks is installed with `cargo install` when missing. Results go to
# target/semver-checks/summary.md, one row a case, with the lints that fired.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/target/semver-checks
evolution=$root/target/evolution
mkdir -p "$out"

if ! cargo semver-checks --version >/dev/null 2>&1; then
  cargo install cargo-semver-checks --locked
fi
if [[ -z "${SKIP_SUITE:-}" ]]; then
  cargo test -p featurebase-tests --test evolution
fi
[[ -f $evolution/report.md ]] || { echo "no $evolution/report.md: run the evolution suite first" >&2; exit 1; }

# A copy of one crate of the suite as the package `featurebase` 1.0.0, in a workspace of its own
# (it inherits the repository's workspace fields and dependency versions).
copy_crate() { # from to
  rm -rf "$2"
  mkdir -p "$2"
  cp -r "$1/src" "$1/Cargo.toml" "$2/"
  sed -i -e 's/^name = "featurebase-[a-z0-9-]*"/name = "featurebase"/' -e '0,/^version = ".*"/s//version = "1.0.0"/' \
    -e '/^\[lib\]$/,$d' "$2/Cargo.toml"
  sed -e 's/^members = .*/members = ["crate"]/' -e 's/^default-members = .*/default-members = ["crate"]/' \
    "$root/Cargo.toml" >"$(dirname "$2")/Cargo.toml"
}

summary=$out/summary.md
{
  echo "| case | diff (Rust) | compiler | cargo-semver-checks | agrees | lints |"
  echo "|---|---|---|---|---|---|"
} >"$summary"
agree=0
total=0
index=0
# The report's rows, in case order: | name | meant | diff | compiler | added | removed |
while IFS='|' read -r _ name _ verdict compiler _; do
  name=$(echo "$name" | xargs)
  verdict=$(echo "$verdict" | xargs)
  compiler=$(echo "$compiler" | xargs)
  case_dir=$(printf '%s/case-%02d/generated' "$evolution" "$index")
  index=$((index + 1))
  work=$out/$name
  copy_crate "$evolution/baseline/generated" "$work/old/crate"
  copy_crate "$case_dir" "$work/new/crate"
  cp "$root/Cargo.lock" "$work/old/Cargo.lock"
  cp "$root/Cargo.lock" "$work/new/Cargo.lock"
  if CARGO_TARGET_DIR=$out/target cargo semver-checks check-release --manifest-path "$work/new/crate/Cargo.toml" \
    --baseline-root "$work/old" --release-type minor >"$work/log.txt" 2>&1; then
    semver=non-breaking
  else
    if grep -q "FAIL" "$work/log.txt" || grep -q "semver requires new major version" "$work/log.txt"; then
      semver=breaking
    else
      echo "cargo-semver-checks failed to run on $name; see $work/log.txt" >&2
      semver=error
    fi
  fi
  lints=$(grep -oE '^--- failure [a-z_]+' "$work/log.txt" | sed 's/--- failure //' | sort -u | paste -sd ' ' - || true)
  total=$((total + 1))
  if [[ $semver == "$verdict" ]]; then same=yes; agree=$((agree + 1)); else same=no; fi
  echo "| $name | $verdict | $compiler | $semver | $same | ${lints:-} |" >>"$summary"
  echo "$name: diff $verdict, compiler $compiler, cargo-semver-checks $semver ${lints:+($lints)}"
done < <(grep -E '^\| [a-z]' "$evolution/report.md" | grep -v '^| case ')

echo "cargo-semver-checks agrees with the diff on $agree of $total cases" | tee -a "$summary"
echo "summary: $summary"
