//! The generator on published API descriptions: the specs listed in
//! `tests/fixtures/real-world/SOURCES.toml` (each with its repository, path, commit and sha256).
//!
//! The descriptions themselves are not part of the repository (they are their vendors' files):
//! they are read from the directory `REAL_WORLD_CORPUS` names, by default
//! `target/real-world-corpus/`, and each must have the bytes its `sha256` says. Where the
//! directory is missing, these tests print a `SKIPPED` line and pass; `scripts/real-world.sh`
//! runs the slow half (every crate compiled, the examples gate) over the same directory.
//!
//! What is checked here: every description generates (nothing refused; what cannot be
//! generated is skipped alone and listed), its outcome is a line of an `insta` snapshot
//! (operations, types, warnings, skipped items), and the crates of the smallest ones compile
//! without warnings.

mod support;

use featurebase_tests::root;
use generator::{Generated, Options};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::PathBuf;

/// One entry of `SOURCES.toml`.
#[derive(Debug, Deserialize)]
struct Source {
    file: String,
    repository: String,
    commit: String,
    sha256: String,
    bytes: u64,
    openapi: String,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    spec: Vec<Source>,
}

/// The specs that compile in `cargo test` (the smallest); the script compiles them all.
const COMPILED_HERE: &[&str] = &["sendgrid-mail-v3.json", "apideck-customer-support.yaml"];

fn manifest() -> Manifest {
    let text = std::fs::read_to_string(root().join("tests/fixtures/real-world/SOURCES.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("REAL_WORLD_CORPUS").map_or_else(|| root().join("target/real-world-corpus"), PathBuf::from)
}

/// The specs with their paths, each checked against its digest; `None` (after a `SKIPPED`
/// line) when the directory does not hold them.
fn corpus() -> Option<Vec<(Source, PathBuf)>> {
    let dir = corpus_dir();
    let manifest = manifest();
    let missing: Vec<&str> =
        manifest.spec.iter().filter(|s| !dir.join(&s.file).is_file()).map(|s| s.file.as_str()).collect();
    if !missing.is_empty() {
        eprintln!(
            "SKIPPED: {} of {} published specs are not in {} (REAL_WORLD_CORPUS); see tests/fixtures/real-world/README.md",
            missing.len(),
            manifest.spec.len(),
            dir.display()
        );
        return None;
    }
    let specs = manifest
        .spec
        .into_iter()
        .map(|s| {
            let path = dir.join(&s.file);
            let bytes = std::fs::read(&path).unwrap();
            let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(
                (bytes.len() as u64, digest.as_str()),
                (s.bytes, s.sha256.as_str()),
                "{} is not the file of {}@{}",
                s.file,
                s.repository,
                s.commit
            );
            (s, path)
        })
        .collect();
    Some(specs)
}

/// `intercom-2.11.yaml` -> `intercom_2_11`.
fn crate_ident(file: &str) -> String {
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

fn generate(source: &Source, path: &std::path::Path) -> Generated {
    let options = Options {
        source: format!("{} ({}@{})", source.file, source.repository, &source.commit[..12]),
        crate_name: crate_ident(&source.file),
        ..Options::default()
    };
    generator::generate_path(path, &options).unwrap_or_else(|e| panic!("{} was refused: {e}", source.file))
}

/// Every published spec generates; what each became, and what was skipped, is a snapshot.
#[test]
fn every_published_spec_generates() {
    let Some(specs) = corpus() else { return };
    let mut out = String::new();
    for (source, path) in &specs {
        let generated = generate(source, path);
        let api = &generated.api;
        writeln!(
            out,
            "{} (OpenAPI {}): {} operations, {} types, {} warnings, {} skipped",
            source.file,
            source.openapi,
            api.operations.len(),
            api.types.types.len(),
            generated.warnings.len(),
            api.skipped.len()
        )
        .unwrap();
        for s in &api.skipped {
            writeln!(out, "  skipped {} ({}) at {}: {}", s.what, s.instead, s.pointer, s.reason).unwrap();
        }
    }
    insta::assert_snapshot!("real_world", out);
}

/// The crates of the smallest published specs compile without warnings (every one does in
/// `scripts/real-world.sh`).
#[test]
fn small_published_specs_compile() {
    let Some(specs) = corpus() else { return };
    let generated: Vec<(String, Generated)> = specs
        .iter()
        .filter(|(s, _)| COMPILED_HERE.contains(&s.file.as_str()))
        .map(|(s, path)| (format!("real-world-{}", crate_ident(&s.file).replace('_', "-")), generate(s, path)))
        .collect();
    assert_eq!(generated.len(), COMPILED_HERE.len());
    let crates: Vec<support::Crate<'_>> = generated
        .iter()
        .map(|(name, g)| support::Crate { name: name.clone(), generated: g, extra: Vec::new() })
        .collect();
    if let Err(e) = support::check("real-world-check", &crates) {
        panic!("the crates of published specs do not compile {e}");
    }
}
