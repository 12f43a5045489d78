//! `generate --spec NEW` as a release, end to end on scratch copies of the workspace: the crate's
//! version follows the diff's Rust verdict, `CHANGELOG.md` gains a section above the older ones,
//! regenerating from the same spec changes neither, and a previous spec that is gone or broken
//! fails the run before either changes.
//!
//! Each test works in its own `target/release-e2e/<test>` (a copy of `spec/` and the generated
//! crate); nothing is compiled.

use featurebase_tests::root;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use xtask::codegen::{run_in, Mode, Report};
use xtask::release::{next_version, package_version, Release, CHANGELOG};

const OLD: &str = "spec/featurebase-2026-01-01.nova.json";
const OLD_API: &str = "2026-01-01.nova";
const ADDITIVE_API: &str = "2026-03-01.nova";
const ADDITIVE: &str = "spec/featurebase-2026-03-01.nova.json";
const BREAKING_API: &str = "2026-05-01.nova";
const BREAKING: &str = "spec/featurebase-2026-05-01.nova.json";

fn at<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("the spec has no {pointer}"))
}

/// `doc` as API version `version` (and the version header's example, which names it too).
fn with_version(mut doc: Value, version: &str) -> Value {
    *at(&mut doc, "/info/version") = json!(version);
    *at(&mut doc, "/components/parameters/FeaturebaseVersion/example") = json!(version);
    doc
}

/// The current spec plus a conversation state and an optional conversation property.
fn additive(current: &Value) -> Value {
    let mut doc = with_version(current.clone(), ADDITIVE_API);
    at(&mut doc, "/components/schemas/Conversation/properties/state/enum")
        .as_array_mut()
        .expect("an enum")
        .push(json!("escalated"));
    at(&mut doc, "/components/schemas/Conversation/properties")
        .as_object_mut()
        .expect("properties")
        .insert("escalatedAt".into(), json!({"type": "string", "description": "When it was escalated."}));
    doc
}

/// [`additive`], and webhooks can no longer be deleted.
fn breaking(current: &Value) -> Value {
    let mut doc = with_version(additive(current), BREAKING_API);
    at(&mut doc, "/paths/~1v2~1webhooks~1{id}")
        .as_object_mut()
        .unwrap()
        .remove("delete")
        .expect("DELETE /v2/webhooks/{id}");
    doc
}

/// A fresh scratch workspace: the spec directory, the generated crate's manifest and sources (no
/// changelog), and the specs `next` holds (path relative to the workspace, document).
fn workspace(name: &str, next: &[(&str, Value)]) -> PathBuf {
    let dir = root().join("target/release-e2e").join(name);
    featurebase_tests::scratch_workspace(&dir, false);
    for (path, doc) in next {
        fs::write(dir.join(path), serde_json::to_string_pretty(doc).unwrap()).unwrap();
    }
    dir
}

fn current_spec() -> Value {
    serde_json::from_str(&fs::read_to_string(root().join(OLD)).unwrap()).unwrap()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn generate(ws: &Path, spec: Option<&str>) -> Report {
    run_in(ws, Mode::Write, spec.map(|s| ws.join(s)).as_deref()).unwrap_or_else(|e| panic!("generate {spec:?}: {e}"))
}

/// The numbers of a plain `MAJOR.MINOR.PATCH` version, computed here independently of `xtask`.
fn numbers(version: &str) -> [u64; 3] {
    let parts: Vec<u64> = version.split('.').map(|n| n.parse().unwrap()).collect();
    parts.try_into().unwrap_or_else(|_| panic!("{version} is not MAJOR.MINOR.PATCH"))
}

/// The part of a changelog section under `### title`, up to the next heading.
fn list<'s>(section: &'s str, title: &str) -> &'s str {
    let Some(start) = section.find(&format!("\n### {title}\n")) else { return "" };
    let rest = &section[start + title.len() + 6..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

#[test]
fn an_additive_version_is_a_compatible_release_and_regenerating_changes_nothing() {
    let current = current_spec();
    let ws = workspace("additive", &[(ADDITIVE, additive(&current))]);
    let manifest_path = ws.join("generated/Cargo.toml");
    let before = read(&manifest_path);
    let old_version = package_version(&before).unwrap();
    let [major, minor, patch] = numbers(&old_version);
    let expected = if major == 0 { format!("0.{minor}.{}", patch + 1) } else { format!("{major}.{}.0", minor + 1) };

    let report = generate(&ws, Some(ADDITIVE));
    assert_eq!(
        report.release,
        Some(Release {
            old_version: old_version.clone(),
            new_version: expected.clone(),
            breaking: false,
            old_api_version: OLD_API.into(),
            new_api_version: ADDITIVE_API.into(),
        })
    );
    // The version and the spec line change, every other byte of the manifest stays.
    let manifest = read(&manifest_path);
    let want = before
        .replacen(&format!("version = \"{old_version}\""), &format!("version = \"{expected}\""), 1)
        .replacen(&format!("spec = \"../{OLD}\""), &format!("spec = \"../{ADDITIVE}\""), 1);
    assert_eq!(manifest, want);

    let changelog = read(&ws.join("generated").join(CHANGELOG));
    assert!(changelog.starts_with("# Changelog\n\n"), "{changelog}");
    assert_eq!(changelog.matches("\n## ").count(), 1, "{changelog}");
    let section = &changelog[changelog.find("\n## ").unwrap() + 1..];
    assert!(
        section.starts_with(&format!(
            "## {expected} — API {OLD_API} → {ADDITIVE_API}\n\nCompatible with {old_version}: no change removes or \
             changes a Rust item that code can name (2 additions, 1 other change)"
        )),
        "{section}"
    );
    assert!(!section.contains("### Breaking"), "{section}");
    let added = list(section, "Added");
    for item in [
        "`types::ConversationState` gains the variant `Escalated`",
        "(`Conversation.state`: new enum value `escalated`, in responses; 7 operations; 16 webhooks.)",
        "New field `types::Conversation::escalated_at: Option<String>`",
    ] {
        assert!(added.contains(item), "Added lacks {item:?}:\n{section}");
    }
    assert_eq!(added.matches("\n- ").count(), 2, "{section}");
    let changed = list(section, "Changed");
    assert!(changed.contains(&format!("- `API_VERSION` becomes `\"{ADDITIVE_API}\"`")), "{section}");
    assert_eq!(changed.matches("\n- ").count(), 1, "{section}");
    run_in(&ws, Mode::Check, None).unwrap();

    // Regenerating from the spec the crate now names, however it is given, is no release.
    for spec in [None, Some(ADDITIVE), Some("spec/../spec/featurebase-2026-03-01.nova.json")] {
        let again = generate(&ws, spec);
        assert_eq!(again.release, None, "{spec:?}");
        assert!(again.changed.is_empty() && again.removed.is_empty(), "{spec:?}: {again:?}");
        assert_eq!(read(&manifest_path), manifest, "{spec:?}");
        assert_eq!(read(&ws.join("generated").join(CHANGELOG)), changelog, "{spec:?}");
    }
}

#[test]
fn a_removed_operation_is_an_incompatible_release_above_the_older_sections() {
    let current = current_spec();
    let ws = workspace("breaking", &[(ADDITIVE, additive(&current)), (BREAKING, breaking(&current))]);
    let manifest_path = ws.join("generated/Cargo.toml");
    let first = generate(&ws, Some(ADDITIVE)).release.expect("a release");
    let older = read(&ws.join("generated").join(CHANGELOG));

    let report = generate(&ws, Some(BREAKING));
    let release = report.release.expect("a release");
    let [major, minor, _] = numbers(&first.new_version);
    let expected = if major == 0 { format!("0.{}.0", minor + 1) } else { format!("{}.0.0", major + 1) };
    assert_eq!((release.old_version.as_str(), release.new_version.as_str()), (first.new_version.as_str(), &*expected));
    assert!(release.breaking);
    assert_eq!((release.old_api_version.as_str(), release.new_api_version.as_str()), (ADDITIVE_API, BREAKING_API));
    assert_eq!(package_version(&read(&manifest_path)).unwrap(), expected);
    assert!(read(&manifest_path).contains(&format!("spec = \"../{BREAKING}\"")));

    // The new section sits between the introduction and the older section, which is unchanged.
    let changelog = read(&ws.join("generated").join(CHANGELOG));
    let older_start = older.find("\n## ").unwrap() + 1;
    let (intro, older_section) = older.split_at(older_start);
    assert!(changelog.starts_with(intro), "{changelog}");
    assert!(changelog.ends_with(older_section), "{changelog}");
    let section = &changelog[intro.len()..changelog.len() - older_section.len()];
    assert!(section.ends_with("\n\n"), "sections are apart by a blank line: {section:?}");
    assert!(
        section.starts_with(&format!(
            "## {expected} — API {ADDITIVE_API} → {BREAKING_API}\n\nIncompatible with {}: 1 change removes or \
             changes a Rust item that code can name (see Breaking).\n\n### Breaking\n\n\
             - `client.webhooks().delete()` and its request builder are removed. (`deleteWebhook`: operation \
             `DELETE /v2/webhooks/{{id}}` removed.)\n",
            first.new_version
        )),
        "{section}"
    );
    assert_eq!(list(section, "Added"), "", "{section}");
    assert!(list(section, "Changed").contains(&format!("`API_VERSION` becomes `\"{BREAKING_API}\"`")), "{section}");
    assert!(section.find("### Breaking") < section.find("### Changed"), "{section}");
}

#[test]
fn a_previous_spec_that_is_gone_or_broken_fails_before_the_version_and_changelog_change() {
    let current = current_spec();
    let ws = workspace("missing", &[(ADDITIVE, additive(&current))]);
    let manifest_path = ws.join("generated/Cargo.toml");
    let changelog_path = ws.join("generated").join(CHANGELOG);
    let manifest = read(&manifest_path);
    let old = read(&ws.join(OLD));

    fs::remove_file(ws.join(OLD)).unwrap();
    let err = run_in(&ws, Mode::Write, Some(&ws.join(ADDITIVE))).unwrap_err();
    for phrase in
        ["cannot read", "featurebase-2026-01-01.nova.json", "git checkout -- spec/featurebase-2026-01-01.nova.json"]
    {
        assert!(err.contains(phrase), "the error lacks {phrase:?}: {err}");
    }
    assert_eq!(read(&manifest_path), manifest);
    assert!(!changelog_path.exists());

    fs::write(ws.join(OLD), "{\"openapi\": \"3.1.0\"").unwrap();
    let err = run_in(&ws, Mode::Write, Some(&ws.join(ADDITIVE))).unwrap_err();
    assert!(err.contains("previous spec") && err.contains("does not load"), "{err}");
    assert_eq!(read(&manifest_path), manifest);
    assert!(!changelog_path.exists());

    // With the previous spec restored, the same command makes the release.
    fs::write(ws.join(OLD), old).unwrap();
    let release = generate(&ws, Some(ADDITIVE)).release.expect("a release");
    assert_eq!(release.new_version, next_version(&release.old_version, false).unwrap());
    assert!(read(&changelog_path).contains(&format!("## {} — API {OLD_API} → {ADDITIVE_API}\n", release.new_version)));
}
