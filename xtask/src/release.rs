//! The release that follows a new API version: when `cargo xtask generate --spec NEW` moves the
//! generated crate to another description, its `[package] version` and its `CHANGELOG.md`
//! follow from the semantic diff ([`crate::diff`]) of the old description against the new one.
//!
//! # The version
//!
//! Only the diff's verdict for Rust users counts ([`Change::rust`]): one change that is
//! [`Severity::Breaking`] for code using the crate makes the release incompatible, anything else
//! makes it compatible. Potentially breaking changes do not force an incompatible release; the
//! changelog lists them under "Changed" with their note. The bump follows Cargo's semver rules,
//! where the left-most non-zero component marks compatibility:
//!
//! - before 1.0 (`0.y.z`), an incompatible release bumps `y` (`0.1.3` -> `0.2.0`) and a compatible
//!   one bumps `z` (`0.1.3` -> `0.1.4`); `0.0.z` follows the same rule (`0.0.7` -> `0.1.0` or
//!   `0.0.8`), though Cargo treats every `0.0.z` as incompatible with the others;
//! - from `1.0.0` on, an incompatible release bumps the major version (`1.4.2` -> `2.0.0`) and a
//!   compatible one the minor version (`1.4.2` -> `1.5.0`): a new API version is new API surface,
//!   not a bug fix.
//!
//! Only plain `MAJOR.MINOR.PATCH` versions are bumped; a pre-release or build suffix
//! (`0.2.0-rc.1`) is an error, since which release should follow it is the maintainer's call.
//!
//! # The changelog
//!
//! Each release prepends one section to the crate's `CHANGELOG.md` (created with a short
//! introduction when missing), above the older ones: a heading with the crate version and the two
//! API versions, a line that says whether the release is compatible and why, then the changes in
//! the diff's order under "Breaking" (breaking for Rust users), "Added" (new operations,
//! parameters, properties, enum values, union members, error codes, statuses, headers and
//! webhooks that break nothing) and "Changed" (everything else, the potentially breaking marked as such). Each
//! entry is the Rust note of the change (which names the items: `types::X::field`,
//! `client.webhooks().delete()`, `webhooks::Event::PostCreated`), then what changed on the wire,
//! where, and the operations and webhook events it reaches (by `operationId` or webhook name up to
//! [`LISTED_OPERATIONS`], else their number). Webhook changes (a webhook added or removed, a
//! payload changed, the signature scheme) are entries like any other: a new webhook is an
//! addition, a removed one is breaking.
//!
//! The overlay actions the release deletes (the new spec removed what they selected, see
//! [`crate::diff::stale`]) are listed last, under "Overlay actions removed", each with its file,
//! index, target, what it documented and the diff's change that removed its node.
//!
//! A diff without changes (the same description under another file name) makes no release.
//!
//! # When
//!
//! [`crate::codegen::run_in`] diffs the two effective documents (each spec with the crate's
//! overlays) in write mode when `--spec` names another file than the manifest's
//! `[package.metadata.codegen] spec`, before it writes anything, and [`apply`]s the release after
//! the generated files are written and before the manifest is switched to the new spec.
//! Regenerating from the configured spec is no release. When the configured spec is gone or does
//! not load, the run fails with that reason and writes nothing.

use crate::diff::{Change, Direction, Kind, Report, Severity, Spec};
use crate::{Error, Result};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The changelog's file name, in the crate directory.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// A change names the operations it reaches by `operationId` up to this many, else their number.
pub const LISTED_OPERATIONS: usize = 3;

/// What the top of a new changelog says before its first section.
const INTRO: &str = "# Changelog

Changes to the `featurebase` crate, newest first. `cargo xtask generate --spec` writes each section \
from the semantic diff of the old and the new API description (`cargo xtask diff`), naming the Rust \
items that change. Versions follow Cargo's semver rules: a release with a change that breaks code \
using the crate bumps the minor version before 1.0 (0.1.3 -> 0.2.0) and the major version from 1.0 \
on; any other release bumps the patch version before 1.0 (0.1.3 -> 0.1.4) and the minor version from \
1.0 on.
";

/// A release made for a new API version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The crate version before.
    pub old_version: String,
    /// The crate version after.
    pub new_version: String,
    /// Whether a change is breaking for Rust users (an incompatible release).
    pub breaking: bool,
    /// `info.version` of the old description.
    pub old_api_version: String,
    /// `info.version` of the new description.
    pub new_api_version: String,
}

/// Whether the diff makes an incompatible release: a change is breaking for Rust users.
pub fn is_breaking(report: &Report) -> bool {
    report.changes.iter().any(|c| c.rust.severity == Severity::Breaking)
}

/// The version after `current` (plain `MAJOR.MINOR.PATCH`) for an incompatible (`breaking`) or
/// compatible release, by the rules in the module docs.
pub fn next_version(current: &str, breaking: bool) -> Result<String> {
    let [major, minor, patch] = parse_version(current)?;
    let overflow = || format!("crate version `{current}` cannot be bumped: a component would overflow");
    let bump = |n: u64| n.checked_add(1).ok_or_else(overflow);
    Ok(match (major, breaking) {
        (0, true) => format!("0.{}.0", bump(minor)?),
        (0, false) => format!("0.{minor}.{}", bump(patch)?),
        (_, true) => format!("{}.0.0", bump(major)?),
        (_, false) => format!("{major}.{}.0", bump(minor)?),
    })
}

/// The three numbers of a plain semver version: no leading zeros, no pre-release or build suffix.
fn parse_version(version: &str) -> Result<[u64; 3]> {
    let malformed = |why: &str| format!("crate version `{version}` is not a plain MAJOR.MINOR.PATCH version: {why}");
    if version.contains(['-', '+']) {
        return Err(malformed("it has a pre-release or build suffix; set the next version by hand"));
    }
    let parts: Vec<&str> = version.split('.').collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(malformed("it needs exactly three numbers"));
    };
    let number = |s: &str| -> Result<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed(&format!("`{s}` is not a number")));
        }
        if s.len() > 1 && s.starts_with('0') {
            return Err(malformed(&format!("`{s}` has a leading zero")));
        }
        s.parse().map_err(|_| malformed(&format!("`{s}` is too large")))
    };
    Ok([number(a)?, number(b)?, number(c)?])
}

/// Where a change goes in the changelog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    Breaking,
    Added,
    Changed,
}

/// Whether a kind of change adds to the API (when it breaks nothing, it is listed under "Added").
/// Exhaustive, so that a new kind is sorted here when it is introduced.
fn is_addition(kind: Kind) -> bool {
    match kind {
        Kind::OperationAdded
        | Kind::ParameterAdded
        | Kind::RequestBodyAdded
        | Kind::PropertyAdded
        | Kind::EnumValueAdded
        | Kind::UnionMemberAdded
        | Kind::ErrorCodeAdded
        | Kind::ErrorResponseAdded
        | Kind::ResponseHeaderAdded
        | Kind::WebhookAdded => true,
        Kind::ApiVersionChanged
        | Kind::DefaultServerChanged
        | Kind::VersionHeaderChanged
        | Kind::OperationRemoved
        | Kind::OperationIdChanged
        | Kind::RustMethodChanged
        | Kind::OperationDeprecated
        | Kind::ParameterRemoved
        | Kind::ParameterBecameRequired
        | Kind::ParameterBecameOptional
        | Kind::RequestBodyRemoved
        | Kind::RequestBodyBecameRequired
        | Kind::RequestBodyBecameOptional
        | Kind::SuccessStatusChanged
        | Kind::PropertyRemoved
        | Kind::PropertyBecameRequired
        | Kind::PropertyBecameOptional
        | Kind::BecameNullable
        | Kind::BecameNonNullable
        | Kind::TypeChanged
        | Kind::FormatChanged
        | Kind::ConstraintChanged
        | Kind::DefaultChanged
        | Kind::EnumValueRemoved
        | Kind::UnionMemberRemoved
        | Kind::AdditionalPropertiesChanged
        | Kind::RustTypeRenamed
        | Kind::ErrorCodeRemoved
        | Kind::ParameterStyleChanged
        | Kind::SecurityChanged
        | Kind::ErrorResponseRemoved
        | Kind::ResponseHeaderRemoved
        | Kind::WebhookRemoved
        | Kind::WebhookRenamed
        | Kind::WebhookSignatureChanged => false,
    }
}

fn heading(c: &Change) -> Heading {
    match c.rust.severity {
        Severity::Breaking => Heading::Breaking,
        Severity::NonBreaking if is_addition(c.kind) => Heading::Added,
        Severity::NonBreaking | Severity::PotentiallyBreaking => Heading::Changed,
    }
}

/// `note` as a sentence: capitalised, ending with a full stop.
fn sentence(note: &str) -> String {
    let note = note.trim();
    let mut chars = note.chars();
    let Some(first) = chars.next() else { return String::new() };
    let capital: String = first.to_uppercase().chain(chars).collect();
    if capital.ends_with('.') {
        capital
    } else {
        format!("{capital}.")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The operations a change reaches: by `operationId` when few, else how many.
fn operations(c: &Change) -> Option<String> {
    let mut ids: Vec<&str> = Vec::new();
    for r in &c.operations {
        if !ids.contains(&r.operation_id.as_str()) {
            ids.push(&r.operation_id);
        }
    }
    match ids.len() {
        0 => None,
        1 => Some(format!("operation `{}`", ids[0])),
        n if n <= LISTED_OPERATIONS => {
            let named: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            Some(format!("operations {}", named.join(", ")))
        }
        n => Some(format!("{n} operations")),
    }
}

/// The webhook events a change reaches: by name when few, else how many.
fn events(c: &Change) -> Option<String> {
    let names: Vec<String> = c.events.iter().map(|e| format!("`{}`", e.webhook)).collect();
    match names.len() {
        0 => None,
        1 => Some(format!("webhook {}", names[0])),
        n if n <= LISTED_OPERATIONS => Some(format!("webhooks {}", names.join(", "))),
        n => Some(format!("{n} webhooks")),
    }
}

/// One list entry: the Rust note, then the wire change, where, and the operations and webhook
/// events it reaches.
fn entry(c: &Change) -> String {
    let mut line = String::from("- ");
    if c.rust.severity == Severity::PotentiallyBreaking {
        line.push_str("**Potentially breaking:** ");
    }
    line.push_str(&sentence(&c.rust.note));
    let _ = write!(line, " (`{}`: {}", c.location, c.summary);
    match c.direction {
        Some(Direction::Request) => line.push_str(", in requests"),
        Some(Direction::Response) => line.push_str(", in responses"),
        None => {}
    }
    // An operation's own change (`deleteWebhook` removed) need not name it twice.
    let only_itself = matches!(c.operations.as_slice(), [r] if r.operation_id == c.location);
    if let Some(ops) = operations(c).filter(|_| !only_itself) {
        let _ = write!(line, "; {ops}");
    }
    // Nor a webhook's (`webhooks/post.created` removed).
    let only_itself = matches!(c.events.as_slice(), [e] if c.location == format!("webhooks/{}", e.webhook));
    if let Some(events) = events(c).filter(|_| !only_itself) {
        let _ = write!(line, "; {events}");
    }
    line.push_str(".)\n");
    line
}

/// The changelog section of the release from `old_crate_version` to `new_crate_version` that
/// `report` describes, ending with a newline.
pub fn changelog_section(report: &Report, old_crate_version: &str, new_crate_version: &str) -> String {
    let api = if report.old.version == report.new.version {
        format!("API {} (revised description)", report.new.version)
    } else {
        format!("API {} → {}", report.old.version, report.new.version)
    };
    let mut out = format!("## {new_crate_version} — {api}\n\n");
    let count = |h: Heading| report.changes.iter().filter(|c| heading(c) == h).count();
    let potentially = report.changes.iter().filter(|c| c.rust.severity == Severity::PotentiallyBreaking).count();
    let (breaking, added, changed) = (count(Heading::Breaking), count(Heading::Added), count(Heading::Changed));
    if breaking > 0 {
        let _ = writeln!(
            out,
            "Incompatible with {old_crate_version}: {} or {} a Rust item that code can name (see Breaking).",
            plural(breaking, "change removes", "changes remove"),
            if breaking == 1 { "changes" } else { "change" },
        );
    } else {
        let _ = write!(
            out,
            "Compatible with {old_crate_version}: no change removes or changes a Rust item that code can name ({}, {})",
            plural(added, "addition", "additions"),
            plural(changed, "other change", "other changes"),
        );
        if potentially > 0 {
            let _ = write!(
                out,
                "; {} potentially breaking, for some uses (see Changed)",
                plural(potentially, "change is", "changes are")
            );
        }
        out.push_str(".\n");
    }
    for (h, title) in [(Heading::Breaking, "Breaking"), (Heading::Added, "Added"), (Heading::Changed, "Changed")] {
        let entries: Vec<String> = report.changes.iter().filter(|c| heading(c) == h).map(entry).collect();
        if !entries.is_empty() {
            let _ = writeln!(out, "\n### {title}\n");
            out.extend(entries);
        }
    }
    if !report.stale_overlay_actions.is_empty() {
        out.push_str("\n### Overlay actions removed\n\n");
        for s in &report.stale_overlay_actions {
            let _ = writeln!(
                out,
                "- `{}` action {} (target `{}`, {}): {}.",
                s.file,
                s.index,
                s.target,
                s.documented,
                s.fate_text()
            );
        }
    }
    out
}

/// `section` above the sections of an existing changelog (below its introduction), or a new
/// changelog holding it.
pub fn prepend_section(existing: Option<&str>, section: &str) -> String {
    let Some(text) = existing else { return format!("{INTRO}\n{section}") };
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            return format!("{}{section}\n{}", &text[..offset], &text[offset..]);
        }
        offset += line.len();
    }
    let head = text.trim_end();
    if head.is_empty() {
        format!("{INTRO}\n{section}")
    } else {
        format!("{head}\n\n{section}")
    }
}

/// The `[package] version` of a manifest.
pub fn package_version(manifest: &str) -> Result<String> {
    crate::manifest::package_version(manifest)
}

/// The manifest with its `[package] version` set to `version`, every other byte unchanged.
pub fn set_package_version(manifest: &str, version: &str) -> Result<String> {
    crate::manifest::set_package_version(manifest, version)
}

/// Applies the release `report` describes to the crate in `crate_dir`: sets its manifest's
/// `[package] version` to the next one and prepends the section to its changelog. Returns
/// `None`, writing nothing, when the report has no changes. Everything is read and computed
/// before the first file is written, so an error leaves both files as they were.
pub fn apply(crate_dir: &Path, report: &Report) -> Result<Option<Release>, Error> {
    if report.changes.is_empty() && report.stale_overlay_actions.is_empty() {
        return Ok(None);
    }
    let manifest_path = crate_dir.join("Cargo.toml");
    let shown = manifest_path.display();
    let manifest = fs::read_to_string(&manifest_path).map_err(|e| Error::read(&shown, e))?;
    let old_version = package_version(&manifest).map_err(|e| Error::Crate(format!("{shown}: {e}")))?;
    let breaking = is_breaking(report);
    let new_version = next_version(&old_version, breaking).map_err(|e| Error::Crate(format!("{shown}: {e}")))?;
    let manifest = set_package_version(&manifest, &new_version).map_err(|e| Error::Crate(format!("{shown}: {e}")))?;
    let changelog_path = crate_dir.join(CHANGELOG);
    let existing = match fs::read_to_string(&changelog_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::read(changelog_path.display(), e)),
    };
    let changelog = prepend_section(existing.as_deref(), &changelog_section(report, &old_version, &new_version));
    fs::write(&manifest_path, manifest).map_err(|e| Error::write(&shown, e))?;
    fs::write(&changelog_path, changelog).map_err(|e| Error::write(changelog_path.display(), e))?;
    Ok(Some(Release {
        old_version,
        new_version,
        breaking,
        old_api_version: report.old.version.clone(),
        new_api_version: report.new.version.clone(),
    }))
}

/// Diffs the description the crate in `crate_dir` was generated from (`old_spec`) against the
/// one it is now generated from (`new_spec`), both modelled with the crate's `settings` (the
/// files as they are, without overlays), and [`apply`]s the release. Fails, writing nothing,
/// when either description cannot be loaded.
pub fn from_specs(
    crate_dir: &Path,
    old_spec: &Path,
    new_spec: &Path,
    settings: &generator::model::Settings,
) -> Result<Option<Release>, Error> {
    let old = Spec::load_with(old_spec, settings)?;
    let new = Spec::load_with(new_spec, settings)?;
    apply(crate_dir, &crate::diff::diff(&old, &new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Impact, Reach, SpecSummary, Summary};

    fn change(kind: Kind, rust: Severity, note: &str, ops: &[&str]) -> Change {
        Change {
            kind,
            direction: None,
            location: format!("{kind:?}"),
            summary: "what changed".into(),
            http: Impact { severity: Severity::NonBreaking, note: String::new() },
            rust: Impact { severity: rust, note: note.into() },
            operations: ops
                .iter()
                .map(|id| Reach {
                    operation_id: (*id).into(),
                    method: "GET".into(),
                    path: "/x".into(),
                    rust: "client.x().get()".into(),
                    at: String::new(),
                })
                .collect(),
            events: Vec::new(),
        }
    }

    fn report(changes: Vec<Change>) -> Report {
        let side = |version: &str| SpecSummary {
            file: "spec.json".into(),
            version: version.into(),
            operations: 1,
            schemas: 1,
        };
        Report {
            old: side("2026-01-01.nova"),
            new: side("2026-03-01.nova"),
            summary: Summary::default(),
            changes,
            stale_overlay_actions: Vec::new(),
        }
    }

    #[test]
    fn versions_before_one_bump_minor_when_breaking_else_patch() {
        assert_eq!(next_version("0.1.3", true).unwrap(), "0.2.0");
        assert_eq!(next_version("0.1.3", false).unwrap(), "0.1.4");
        assert_eq!(next_version("0.0.7", true).unwrap(), "0.1.0");
        assert_eq!(next_version("0.0.7", false).unwrap(), "0.0.8");
        assert_eq!(next_version("0.9.0", true).unwrap(), "0.10.0");
    }

    #[test]
    fn versions_from_one_bump_major_when_breaking_else_minor() {
        assert_eq!(next_version("1.0.0", true).unwrap(), "2.0.0");
        assert_eq!(next_version("1.0.0", false).unwrap(), "1.1.0");
        assert_eq!(next_version("1.4.2", true).unwrap(), "2.0.0");
        assert_eq!(next_version("1.4.2", false).unwrap(), "1.5.0");
        assert_eq!(next_version("12.9.31", false).unwrap(), "12.10.0");
    }

    #[test]
    fn malformed_versions_are_errors() {
        for v in ["", "1", "1.2", "1.2.3.4", "a.b.c", "1.x.3", "01.2.3", "1.02.3", " 1.2.3", "1.2.", "v1.2.3"] {
            let err = next_version(v, false).unwrap_err();
            assert!(err.contains(&format!("`{v}`")), "{v:?}: {err}");
        }
        assert!(next_version("0.2.0-rc.1", false).unwrap_err().contains("pre-release"));
        assert!(next_version("1.0.0+build", true).unwrap_err().contains("pre-release or build"));
        assert!(next_version("1.2.99999999999999999999", false).unwrap_err().contains("too large"));
        assert!(next_version(&format!("0.1.{}", u64::MAX), false).unwrap_err().contains("overflow"));
    }

    #[test]
    fn only_the_package_version_changes() {
        let manifest = "[package]\r\nname = \"x\"\r\nversion   =  \"0.1.0\" # the crate\r\n\r\n\
                        [dependencies]\r\nversion = \"9.9.9\"\r\nserde = { version = \"1\" }\r\n";
        assert_eq!(package_version(manifest).unwrap(), "0.1.0");
        let bumped = set_package_version(manifest, "0.2.0").unwrap();
        assert_eq!(bumped, manifest.replacen("\"0.1.0\"", "\"0.2.0\"", 1));
        // The new version is written as a basic string, whatever quotes the old one had.
        let later = "[workspace]\nversion = \"5.0.0\"\n\n[ package ] # here\nversion='1.0.0'\n";
        assert_eq!(
            set_package_version(later, "1.1.0").unwrap(),
            "[workspace]\nversion = \"5.0.0\"\n\n[ package ] # here\nversion=\"1.1.0\"\n"
        );
        assert!(package_version("[package.metadata.x]\nversion = \"1.0.0\"\n").is_err());
        assert!(package_version("[[package]]\nversion = \"1.0.0\"\n").is_err());
        assert!(package_version("[package]\nversion.workspace = true\n").unwrap_err().contains("inherited"));
        assert!(package_version("[package]\nversion = 1\n").unwrap_err().contains("not a string"));
        assert!(package_version("[package]\nversion = \"1.0.0\n").unwrap_err().contains("not valid TOML"));
        assert!(package_version("[package]\nversions = \"1.0.0\"\nname = \"x\"\n").is_err());
    }

    #[test]
    fn sections_sort_changes_under_breaking_added_and_changed() {
        let mut r = report(vec![
            change(
                Kind::OperationRemoved,
                Severity::Breaking,
                "`client.webhooks().delete()` is removed",
                &["deleteWebhook"],
            ),
            change(Kind::PropertyAdded, Severity::PotentiallyBreaking, "new field `types::A::b`", &["a", "b"]),
            change(
                Kind::EnumValueAdded,
                Severity::NonBreaking,
                "`types::S` gains the variant `X`",
                &["a", "b", "c", "d"],
            ),
            change(Kind::ApiVersionChanged, Severity::NonBreaking, "`API_VERSION` becomes `\"2026-03-01.nova\"`", &[]),
            change(Kind::UnionMemberAdded, Severity::NonBreaking, "`types::U` gains `Y(Y)`.", &["a", "a", "b", "c"]),
            change(Kind::OperationAdded, Severity::NonBreaking, "new method `client.x().get()`", &["getX"]),
        ]);
        // An operation's own change does not name it again.
        r.changes[5].location = "getX".into();
        assert!(is_breaking(&r));
        let section = changelog_section(&r, "0.1.3", "0.2.0");
        assert_eq!(
            section,
            "## 0.2.0 — API 2026-01-01.nova → 2026-03-01.nova\n\n\
             Incompatible with 0.1.3: 1 change removes or changes a Rust item that code can name (see Breaking).\n\n\
             ### Breaking\n\n\
             - `client.webhooks().delete()` is removed. (`OperationRemoved`: what changed; operation `deleteWebhook`.)\n\n\
             ### Added\n\n\
             - `types::S` gains the variant `X`. (`EnumValueAdded`: what changed; 4 operations.)\n\
             - `types::U` gains `Y(Y)`. (`UnionMemberAdded`: what changed; operations `a`, `b`, `c`.)\n\
             - New method `client.x().get()`. (`getX`: what changed.)\n\n\
             ### Changed\n\n\
             - **Potentially breaking:** New field `types::A::b`. (`PropertyAdded`: what changed; operations `a`, `b`.)\n\
             - `API_VERSION` becomes `\"2026-03-01.nova\"`. (`ApiVersionChanged`: what changed.)\n"
        );
    }

    #[test]
    fn a_compatible_section_says_why_and_omits_empty_lists() {
        let mut c = change(Kind::ParameterAdded, Severity::NonBreaking, "new setter `limit`", &["listX"]);
        c.direction = Some(Direction::Request);
        let r = report(vec![c, change(Kind::DefaultChanged, Severity::PotentiallyBreaking, "note", &[])]);
        assert!(!is_breaking(&r));
        let section = changelog_section(&r, "1.4.2", "1.5.0");
        assert!(section.starts_with(
            "## 1.5.0 — API 2026-01-01.nova → 2026-03-01.nova\n\nCompatible with 1.4.2: no change removes or changes \
             a Rust item that code can name (1 addition, 1 other change); 1 change is potentially breaking, for some \
             uses (see Changed).\n\n### Added\n\n- New setter `limit`. (`ParameterAdded`: what changed, in requests; \
             operation `listX`.)\n"
        ), "{section}");
        assert!(!section.contains("### Breaking"), "{section}");
        let mut same = report(vec![change(Kind::TypeChanged, Severity::NonBreaking, "x", &[])]);
        same.new.version = same.old.version.clone();
        assert!(changelog_section(&same, "0.1.0", "0.1.1")
            .starts_with("## 0.1.1 — API 2026-01-01.nova (revised description)\n"));
    }

    #[test]
    fn webhook_changes_are_entries_that_name_their_webhooks() {
        let event = |webhook: &str| crate::diff::EventReach {
            webhook: webhook.into(),
            rust: String::new(),
            at: "payload.note".into(),
        };
        let mut removed =
            change(Kind::WebhookRemoved, Severity::Breaking, "`webhooks::Event::NoteDeleted` is removed", &[]);
        removed.location = "webhooks/note.deleted".into();
        removed.events = vec![event("note.deleted")];
        let mut added =
            change(Kind::WebhookAdded, Severity::NonBreaking, "`webhooks::Event` gains `NoteArchived`", &[]);
        added.location = "webhooks/note.archived".into();
        added.events = vec![event("note.archived")];
        let mut payload = change(Kind::TypeChanged, Severity::Breaking, "`types::Note::title` changes", &["getNote"]);
        payload.events = vec![event("note.created"), event("note.deleted")];
        let r = report(vec![removed, payload, added]);
        assert!(is_breaking(&r));
        let section = changelog_section(&r, "0.3.0", "0.4.0");
        assert!(
            section.contains(
                "### Breaking\n\n\
             - `webhooks::Event::NoteDeleted` is removed. (`webhooks/note.deleted`: what changed.)\n\
             - `types::Note::title` changes. (`TypeChanged`: what changed; operation `getNote`; webhooks \
             `note.created`, `note.deleted`.)\n\n\
             ### Added\n\n\
             - `webhooks::Event` gains `NoteArchived`. (`webhooks/note.archived`: what changed.)\n"
            ),
            "{section}"
        );
    }

    #[test]
    fn sections_go_above_older_ones_below_the_intro() {
        let first = prepend_section(None, "## 0.1.1 — A\n\nOne.\n");
        assert!(first.starts_with("# Changelog\n\n"), "{first}");
        assert!(first.ends_with(".\n\n## 0.1.1 — A\n\nOne.\n"), "{first}");
        let second = prepend_section(Some(&first), "## 0.2.0 — B\n\nTwo.\n");
        assert_eq!(second, first.replace("## 0.1.1", "## 0.2.0 — B\n\nTwo.\n\n## 0.1.1"));
        assert_eq!(
            prepend_section(Some("# Notes\n\nHand-written.\n"), "## 1 — C\n"),
            "# Notes\n\nHand-written.\n\n## 1 — C\n"
        );
        assert_eq!(prepend_section(Some(""), "## 1 — C\n"), first.replace("## 0.1.1 — A\n\nOne.\n", "## 1 — C\n"));
    }

    #[test]
    fn apply_writes_both_files_or_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-release-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let manifest = "[package]\nname = \"featurebase\"\nversion = \"0.1.0\"\n";
        fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        assert_eq!(apply(&dir, &report(Vec::new())).unwrap(), None);
        assert!(!dir.join(CHANGELOG).exists());

        let r = report(vec![change(
            Kind::OperationAdded,
            Severity::NonBreaking,
            "new method `client.x().get()`",
            &["getX"],
        )]);
        let release = apply(&dir, &r).unwrap().unwrap();
        assert_eq!(
            (release.old_version.as_str(), release.new_version.as_str(), release.breaking),
            ("0.1.0", "0.1.1", false)
        );
        assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), manifest.replace("0.1.0", "0.1.1"));
        let changelog = fs::read_to_string(dir.join(CHANGELOG)).unwrap();
        assert!(changelog.contains("## 0.1.1 — API 2026-01-01.nova → 2026-03-01.nova"), "{changelog}");

        fs::write(dir.join("Cargo.toml"), "[package]\nversion = \"0.2.0-rc.1\"\n").unwrap();
        assert!(apply(&dir, &r).unwrap_err().to_string().contains("pre-release"));
        assert_eq!(fs::read_to_string(dir.join(CHANGELOG)).unwrap(), changelog);
        let _ = fs::remove_dir_all(&dir);
    }
}
