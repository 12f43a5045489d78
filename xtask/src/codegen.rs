//! `generate` and `check`: the generator run against the files on disk.

use crate::{project_root, Result};
use generator::emit::{GENERATED_DIRS, GENERATED_FILES};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The crate that is generated, relative to the workspace root.
pub const CRATE_DIR: &str = "generated";
const COMMAND: &str = "cargo xtask generate";
/// How the header of every generated file names its spec.
const HEADER_SOURCE: &str = "the spec that Cargo.toml's [package.metadata.codegen] names";

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write what differs, delete generated files the generator no longer makes.
    Write,
    /// Change nothing; fail if anything differs.
    Check,
}

/// What a run found or did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written (or, in check mode, that would be).
    pub changed: Vec<String>,
    /// Files deleted (or, in check mode, that would be).
    pub removed: Vec<String>,
    /// The generator's warnings.
    pub warnings: Vec<String>,
    /// Number of files the generator produced.
    pub files: usize,
    /// The release made because the crate moved to another spec (`--spec` naming a file other
    /// than the configured one, in write mode): its version bump and changelog section
    /// ([`crate::release`]). `None` when the spec stayed, in check mode, and when the two specs
    /// do not differ.
    pub release: Option<crate::release::Release>,
}

/// The `[package.metadata.codegen]` settings of `generated/Cargo.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `spec = "..."`: the OpenAPI description, relative to the crate directory.
    pub spec: Option<String>,
    /// `version-header = "..."`: the header that carries the API version (see
    /// [`generator::model::Settings::version_header`]); found from the spec when absent.
    pub version_header: Option<String>,
    /// `overlays = ["...", ...]`: OpenAPI Overlays applied, in order, to the spec before it is
    /// read (see [`generator::load::overlay`]), relative to the crate directory.
    pub overlays: Vec<String>,
    /// The names of the last generation (`generated/names.lock`), kept by their places.
    pub names: generator::model::lock::NameLock,
    /// `webhook-signature = { scheme = "...", ... }`: how the API signs its webhooks, over the
    /// spec's `x-webhook-signature` (see [`generator::model::webhooks::parse_signature`]).
    pub webhook_signature: Option<serde_json::Value>,
}

impl Config {
    /// The model settings these stand for.
    pub fn model(&self) -> generator::model::Settings {
        generator::model::Settings {
            version_header: self.version_header.clone(),
            names: self.names.clone(),
            webhook_signature: self.webhook_signature.clone(),
        }
    }

    /// Reads the overlay files (relative to the crate directory under `root`); each is named in
    /// messages by its path from `root`.
    pub fn load_overlays(&self, root: &Path) -> Result<Vec<generator::load::Overlay>> {
        self.overlays
            .iter()
            .map(|rel| {
                let path = root.join(CRATE_DIR).join(rel);
                let shown = shown_path(root, &path);
                let text = fs::read_to_string(&path).map_err(|e| format!("cannot read overlay {shown}: {e}"))?;
                generator::load::Overlay::parse(&shown, &text, generator::load::Format::from_path(&path))
                    .map_err(|e| e.to_string())
            })
            .collect()
    }
}

/// `path` as a maintainer reads it: relative to the workspace root when it is inside.
pub(crate) fn shown_path(root: &Path, path: &Path) -> String {
    let clean = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (root, path) = (clean(root), clean(path));
    path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/")
}

/// The strings of a TOML array of strings (`["a", "b"]`), as the manifest writes them.
fn string_array(value: &str) -> Result<Vec<String>> {
    let inner = value
        .trim()
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .ok_or_else(|| format!("expected an array of strings, found `{value}`"))?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.strip_prefix('"')
                .and_then(|i| i.strip_suffix('"'))
                .map(str::to_owned)
                .ok_or_else(|| format!("expected a quoted string, found `{item}`"))
        })
        .collect()
}

/// A TOML inline table of strings and whole numbers (`{ scheme = "standard-webhooks", tolerance = 300 }`)
/// as a JSON object.
fn inline_json(value: &str) -> Result<serde_json::Value> {
    if !value.trim().starts_with('{') {
        return Err(format!("expected an inline table, found `{value}`"));
    }
    let mut object = serde_json::Map::new();
    for (key, v) in crate::krate::inline_table(value) {
        let v = match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(text) => serde_json::Value::String(text.to_owned()),
            None => v
                .parse::<u64>()
                .map(serde_json::Value::from)
                .map_err(|_| format!("`{key}`: expected a string or a number, found `{v}`"))?,
        };
        object.insert(key.trim_matches('"').to_owned(), v);
    }
    Ok(serde_json::Value::Object(object))
}

/// Reads the `[package.metadata.codegen]` section of the crate's manifest under `root`.
pub fn config(root: &Path) -> Result<Config> {
    let manifest = root.join(CRATE_DIR).join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut config = Config::default();
    let mut in_section = false;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[package.metadata.codegen]";
        } else if in_section {
            let Some((key, value)) = line.split_once('=') else { continue };
            let mut value = value.trim().to_owned();
            if value.starts_with('[') {
                // An array may span lines, up to its `]`.
                while !value.trim_end().ends_with(']') {
                    let Some(more) = lines.next() else { break };
                    let more = more.split_once('#').map_or(more, |(code, _)| code);
                    value.push_str(more.trim());
                }
            }
            let bad = |e: String| format!("{}: `{}`: {e}", manifest.display(), key.trim());
            match key.trim() {
                "spec" => config.spec = Some(value.trim_matches('"').to_owned()),
                "version-header" => config.version_header = Some(value.trim_matches('"').to_owned()),
                "overlays" => config.overlays = string_array(&value).map_err(bad)?,
                "webhook-signature" => config.webhook_signature = Some(inline_json(&value).map_err(bad)?),
                _ => {}
            }
        }
    }
    let lock = root.join(CRATE_DIR).join(generator::emit::NAMES_LOCK);
    if let Ok(text) = fs::read_to_string(&lock) {
        config.names =
            generator::model::lock::NameLock::parse(&text).map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(config)
}

/// The spec named by `generated/Cargo.toml` (`[package.metadata.codegen] spec = "..."`),
/// relative to the crate directory.
pub fn configured_spec(root: &Path) -> Result<String> {
    config(root)?.spec.ok_or_else(|| {
        format!(
            "{}: no `spec = \"...\"` under [package.metadata.codegen]",
            root.join(CRATE_DIR).join("Cargo.toml").display()
        )
    })
}

fn set_configured_spec(root: &Path, spec: &str) -> Result<()> {
    let manifest = root.join(CRATE_DIR).join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut in_section = false;
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == "[package.metadata.codegen]";
        }
        if in_section && trimmed.starts_with("spec") && trimmed.contains('=') {
            out.push_str(&format!("spec = \"{spec}\"\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    fs::write(&manifest, out).map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}

/// The first and last line of the manifest's resource features, which `generate` writes.
const FEATURES_BEGIN: &str = "# @generated resource features: begin";
const FEATURES_END: &str = "# @generated resource features: end";

/// `manifest` with the lines between the resource-feature markers replaced by `lines`.
pub fn with_resource_features(manifest: &str, lines: &str) -> Result<String> {
    let missing = || {
        format!(
            "{CRATE_DIR}/Cargo.toml: no `{FEATURES_BEGIN}` ... `{FEATURES_END}` lines under [features] \
             (the resource features `{COMMAND}` writes go between them)"
        )
    };
    let start = manifest.find(FEATURES_BEGIN).ok_or_else(missing)?;
    let body = start + manifest[start..].find('\n').ok_or_else(missing)? + 1;
    let end = body + manifest[body..].find(FEATURES_END).ok_or_else(missing)?;
    Ok(format!("{}{lines}{}", &manifest[..body], &manifest[end..]))
}

/// Paths relative to `dir`, with `/` separators, of every file under the generated locations.
fn existing_generated(crate_dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for dir in GENERATED_DIRS {
        let mut stack = vec![crate_dir.join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = fs::read_dir(&d) else { continue };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(rel) = p.strip_prefix(crate_dir) {
                    out.insert(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    for f in GENERATED_FILES {
        if crate_dir.join(f).exists() {
            out.insert((*f).to_owned());
        }
    }
    out
}

/// Runs the generator on the configured spec (or `spec`, relative to the workspace root, which
/// then becomes the configured one), with the configured overlays, and writes or checks
/// `generated/`.
pub fn run(mode: Mode, spec: Option<&Path>) -> Result<Report> {
    run_in(&project_root(), mode, spec)
}

/// [`run`] for a workspace at `root` (tests use copies).
pub fn run_in(root: &Path, mode: Mode, spec: Option<&Path>) -> Result<Report> {
    let crate_dir = root.join(CRATE_DIR);
    let spec_rel = match spec {
        Some(s) => {
            let abs = if s.is_absolute() {
                s.to_path_buf()
            } else {
                std::env::current_dir().map_err(|e| e.to_string())?.join(s)
            };
            let abs = abs.canonicalize().map_err(|e| format!("cannot read {}: {e}", s.display()))?;
            let root = root.canonicalize().map_err(|e| e.to_string())?;
            let rel = abs.strip_prefix(&root).map_err(|_| format!("{} is outside the workspace", abs.display()))?;
            format!("../{}", rel.to_string_lossy().replace('\\', "/"))
        }
        None => configured_spec(root)?,
    };
    let spec_path: PathBuf = crate_dir.join(&spec_rel);
    let source = spec_rel.trim_start_matches("../").to_owned();
    let options = generator::Options {
        // Not the file name: a new API version is a new spec file, and only the files whose
        // contents change should change with it.
        source: HEADER_SOURCE.to_owned(),
        command: COMMAND.to_owned(),
        crate_name: "featurebase".to_owned(),
        model: config(root)?.model(),
        ..generator::Options::default()
    };
    let overlays = config(root)?.load_overlays(root)?;
    let generated =
        generator::generate_path_with(&spec_path, &overlays, &options).map_err(|e| format!("{source}: {e}"))?;
    let mut report = Report {
        warnings: generated.warnings.iter().map(ToString::to_string).collect(),
        files: generated.files.len(),
        ..Report::default()
    };
    let existing = existing_generated(&crate_dir);
    for (rel, contents) in &generated.files {
        let path = crate_dir.join(rel);
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() != Some(contents.as_str()) {
            report.changed.push(format!("{CRATE_DIR}/{rel}"));
            if mode == Mode::Write {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
    }
    // The manifest's resource features follow the spec's resources.
    let manifest_path = crate_dir.join("Cargo.toml");
    let manifest =
        fs::read_to_string(&manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let features = with_resource_features(&manifest, &generator::emit::features::manifest_lines(&generated.api))?;
    if features != manifest {
        report.changed.push(format!("{CRATE_DIR}/Cargo.toml"));
        if mode == Mode::Write {
            fs::write(&manifest_path, &features)
                .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
        }
    }
    for rel in existing.iter().filter(|rel| !generated.files.contains_key(*rel)) {
        report.removed.push(format!("{CRATE_DIR}/{rel}"));
        if mode == Mode::Write {
            fs::remove_file(crate_dir.join(rel)).map_err(|e| format!("cannot remove {rel}: {e}"))?;
        }
    }
    if mode == Mode::Write && spec.is_some() {
        // A move to another spec is a release: diff the configured spec (still named by the
        // manifest) against the new one, then bump the version and prepend to the changelog.
        // The generated files are already written; when the configured spec is gone or does not
        // load this fails before the manifest (spec and version) and the changelog change.
        let crate_config = config(root)?;
        if let Some(configured) = crate_config.spec.as_deref() {
            let old_path = crate_dir.join(configured);
            let same = configured == spec_rel
                || matches!((old_path.canonicalize(), spec_path.canonicalize()), (Ok(a), Ok(b)) if a == b);
            if !same {
                let shown = configured.trim_start_matches("../");
                let made = crate::release::from_specs(&crate_dir, &old_path, &spec_path, &crate_config.model());
                report.release = made.map_err(|e| {
                    format!(
                        "{e}\n{CRATE_DIR}/ now holds the code generated from {source}, but {CRATE_DIR}/Cargo.toml \
                         still names {shown}, and its version and {} are unchanged: restore {shown} (e.g. \
                         `git checkout -- {shown}`) and run `{COMMAND} --spec {source}` again",
                        crate::release::CHANGELOG
                    )
                })?;
            }
        }
        set_configured_spec(root, &spec_rel)?;
    }
    if mode == Mode::Check && (!report.changed.is_empty() || !report.removed.is_empty()) {
        let mut msg = String::from("the generated code is stale:\n");
        for f in &report.changed {
            msg.push_str(&format!("  differs: {f}\n"));
        }
        for f in &report.removed {
            msg.push_str(&format!("  no longer generated: {f}\n"));
        }
        msg.push_str(&format!("run `{COMMAND}` and commit the result"));
        return Err(msg);
    }
    Ok(report)
}
