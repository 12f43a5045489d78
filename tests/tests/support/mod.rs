//! Compiling generated crates: each into its own crate of one scratch cargo workspace under
//! `target/`, checked by one `cargo check` with a target directory all such workspaces share
//! (`target/corpus-check-target`), so that dependencies are built once and later runs are
//! incremental.
//!
//! Each crate has the `featurebase` crate's dependencies (the workspace's versions and lock
//! file, so the check works offline after the main build), the hand-written runtime included by
//! path, and `#![deny(warnings)]`.

use featurebase_tests::{manifest_table, root};
use generator::Generated;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One crate to write and check.
pub struct Crate<'a> {
    /// The package name (`corpus-01-petstore`).
    pub name: String,
    /// What the generator made.
    pub generated: &'a Generated,
    /// Extra files (relative path, contents), e.g. the spec the crate was generated from.
    pub extra: Vec<(String, String)>,
}

/// Writes `contents` unless the file already holds it (so cargo sees unchanged crates as fresh).
fn write_if_changed(path: &Path, contents: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(contents) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
}

/// `lib.rs` of a checked crate: the generated modules, and the runtime of the `featurebase` crate.
fn lib_rs(generated: &Generated) -> String {
    let runtime = root().join("generated/src/runtime/mod.rs");
    // `dynamic` is an optional feature of the `featurebase` crate; its helpers are generic, and a
    // small spec leaves some of them unused. Everything else in it must compile cleanly.
    let dynamic = if generated.files.contains_key("src/dynamic.rs") {
        "#[allow(dead_code, unused_variables, unused_imports, unreachable_code)]\npub mod dynamic;\n"
    } else {
        ""
    };
    let webhooks = if generated.files.contains_key("src/webhooks.rs") { "pub mod webhooks;\n" } else { "" };
    // The mock API of the `testing` feature, on by default here so that every spec's is checked.
    let testing = if generated.files.contains_key("src/testing.rs") {
        "#[cfg(feature = \"testing\")]\npub mod testing;\n"
    } else {
        ""
    };
    format!(
        "//! A crate generated from a test spec; checked by `tests/tests/support`.\n\
         #![deny(warnings)]\n\
         #[allow(unused)]\n\
         #[path = {runtime:?}]\n\
         pub mod runtime;\n\
         pub mod types;\n\
         pub mod resources;\n\
         mod info;\n\
         {dynamic}\
         {webhooks}\
         {testing}\
         pub use info::*;\n\
         pub use resources::ErrorCode;\n\
         pub type Result<T, E = runtime::Error> = std::result::Result<T, E>;\n"
    )
}

/// Writes the workspace `target/<dir>` with the given crates (and no others).
fn write_workspace(dir: &str, crates: &[Crate<'_>]) -> PathBuf {
    let dir = root().join("target").join(dir);
    // Crates that are no longer asked for would stay members otherwise.
    if let Ok(entries) = fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() && !crates.iter().any(|c| c.name == name) {
                fs::remove_dir_all(e.path()).unwrap();
            }
        }
    }
    let members: Vec<String> = crates.iter().map(|c| format!("{:?}", c.name)).collect();
    let workspace_deps = manifest_table(&root().join("Cargo.toml"), &["workspace", "dependencies"]);
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by tests/tests/support: one crate per generated spec.\n[workspace]\nresolver = \"2\"\n\
             members = [{}]\n\n[workspace.dependencies]\n{workspace_deps}\n[profile.dev]\ndebug = false\n",
            members.join(", ")
        ),
    );
    if !dir.join("Cargo.lock").exists() {
        // The versions the main build resolved (and downloaded): the check then works offline.
        fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    let deps = manifest_table(&root().join("generated/Cargo.toml"), &["dependencies"]);
    // The webhook events' feature as the `featurebase` crate declares it (its optional dependencies).
    let webhook_feature = manifest_table(&root().join("generated/Cargo.toml"), &["features"])
        .lines()
        .find(|l| l.starts_with("webhook-events ="))
        .expect("the `webhook-events` feature")
        .to_owned();
    for c in crates {
        let crate_dir = dir.join(&c.name);
        write_if_changed(
            &crate_dir.join("Cargo.toml"),
            &format!(
                "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [features]\ndefault = [\"all-resources\", \"webhook-events\", \"testing\"]\n{webhook_feature}\ntesting = []\n{}\n[dependencies]\n{deps}",
                c.name,
                generator::emit::features::manifest_lines(&c.generated.api)
            ),
        );
        write_if_changed(&crate_dir.join("src/lib.rs"), &lib_rs(c.generated));
        // Files the spec no longer generates, and extra files no longer asked for.
        if let Ok(entries) = fs::read_dir(&crate_dir) {
            for e in entries.flatten() {
                let rel = e.file_name().to_string_lossy().into_owned();
                if e.path().is_file() && rel != "Cargo.toml" && !c.extra.iter().any(|(p, _)| *p == rel) {
                    fs::remove_file(e.path()).unwrap();
                }
            }
        }
        for sub in ["src/types", "src/resources"] {
            if let Ok(entries) = fs::read_dir(crate_dir.join(sub)) {
                for e in entries.flatten() {
                    let rel = format!("{sub}/{}", e.file_name().to_string_lossy());
                    if !c.generated.files.contains_key(&rel) {
                        fs::remove_file(e.path()).unwrap();
                    }
                }
            }
        }
        for (rel, contents) in c.generated.files.iter().chain(c.extra.iter().map(|(a, b)| (a, b))) {
            write_if_changed(&crate_dir.join(rel), contents);
        }
    }
    dir
}

fn cargo_check(dir: &Path, offline: bool) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["check", "--workspace", "--keep-going", "--quiet", "--message-format", "short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/corpus-check-target"))
        .env_remove("CARGO_MANIFEST_DIR");
    if offline {
        cmd.arg("--offline");
    }
    cmd.output().expect("cargo runs")
}

/// Writes the crates into the workspace `target/<dir>` and checks them all; the error is the
/// compiler's output.
pub fn check(dir: &str, crates: &[Crate<'_>]) -> Result<(), String> {
    let dir = write_workspace(dir, crates);
    let mut output = cargo_check(&dir, true);
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline") {
        // A dependency is not in the local registry cache yet: let cargo download it.
        output = cargo_check(&dir, false);
    }
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("in {}:\n{}", dir.display(), String::from_utf8_lossy(&output.stderr)))
    }
}
