//! The quality bar as a test, so that the README's one test command enforces it: the workspace
//! (generated code included) is clippy-clean with warnings denied, the generated crate's rustdoc
//! builds without a warning, and the hand-written code is formatted.
//!
//! These run cargo in a target directory of their own (`target/lint`), so they do not wait on the
//! build of the tests themselves; after the first run they are incremental.

use featurebase_tests::root;
use std::process::Command;

fn cargo(args: &[&str], envs: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root()).args(args).env("CARGO_TARGET_DIR", root().join("target/lint"));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "`cargo {}` failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn workspace_is_clippy_clean() {
    cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--quiet", "--", "-D", "warnings"], &[]);
}

#[test]
fn generated_crate_docs_build_without_warnings() {
    cargo(&["doc", "-p", "featurebase", "--no-deps", "--all-features", "--quiet"], &[("RUSTDOCFLAGS", "-D warnings")]);
}

#[test]
fn code_is_formatted() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .args(["fmt", "--all", "--", "--check"])
        .output()
        .expect("cargo fmt runs");
    assert!(out.status.success(), "run `cargo fmt --all`:\n{}", String::from_utf8_lossy(&out.stdout));
}
