//! The crate's resource features: one per resource, all on by default, and any combination
//! compiles without warnings (each single resource, none, a few together, `dynamic`, `testing`).
//!
//! Each combination is one `cargo check` of the generated crate, in a target directory of its
//! own (`target/features`), so the dependencies are built once and later runs are incremental.

use featurebase_tests::root;
use std::process::Command;

/// The resource features `cargo xtask generate` writes: those `all-resources` lists.
fn resource_features() -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("generated/Cargo.toml")).unwrap();
    let manifest: toml_edit::DocumentMut = manifest.parse().expect("the manifest is TOML");
    let all = manifest["features"]["all-resources"].as_array().expect("`all-resources = [...]` under [features]");
    all.iter().map(|f| f.as_str().expect("feature names").to_owned()).collect()
}

/// `cargo check` of the crate with only `features` (and no default ones); the compiler's
/// complaints about the crate itself when it fails or warns.
fn check(features: &[&str]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root())
        .env("CARGO_TARGET_DIR", root().join("target/features"))
        .args(["check", "-q", "-p", "featurebase", "--lib", "--no-default-features", "--message-format=short"])
        .arg(format!("--features={}", features.join(",")))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let ours: Vec<&str> = stderr.lines().filter(|l| l.starts_with("generated/")).collect();
    if output.status.success() && ours.is_empty() {
        Ok(())
    } else {
        Err(format!("features {features:?}:\n{stderr}"))
    }
}

#[test]
fn every_resource_alone_none_and_some_together_compile_without_warnings() {
    let resources = resource_features();
    let api = generator::generate_path(&root().join("spec/featurebase-2026-01-01.nova.json"), &Default::default())
        .unwrap()
        .api;
    let modules: Vec<String> = api.resources.iter().map(|r| r.module.clone()).collect();
    assert_eq!(resources, modules, "one feature per resource, in the order of the resources");
    let mut sets: Vec<Vec<&str>> = vec![vec![]];
    sets.extend(resources.iter().map(|r| vec![r.as_str()]));
    sets.push(vec!["conversations", "tickets", "help_centers"]);
    sets.push(vec!["posts", "comments", "tracing"]);
    sets.push(vec!["dynamic"]);
    // The mock API: with no resource (only `MockApi` itself), and with one resource's mock.
    sets.push(vec!["testing"]);
    sets.push(vec!["conversations", "testing"]);
    sets.push(vec!["all-resources"]);
    let failures: Vec<String> = sets.iter().filter_map(|s| check(s).err()).collect();
    assert!(failures.is_empty(), "{} of {} combinations fail:\n{}", failures.len(), sets.len(), failures.join("\n"));
}
