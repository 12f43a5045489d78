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
    /// The overlay actions the release deleted: the new spec removed what they selected
    /// ([`crate::diff::stale`]).
    pub overlay_actions_removed: Vec<crate::diff::stale::StaleAction>,
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

/// Reads the `[package.metadata.codegen]` section of the crate's manifest under `root`.
pub fn config(root: &Path) -> Result<Config> {
    let manifest = root.join(CRATE_DIR).join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let settings = crate::manifest::codegen(&manifest.display().to_string(), &text)?;
    let mut config = Config {
        spec: settings.spec,
        version_header: settings.version_header,
        overlays: settings.overlays,
        webhook_signature: settings.webhook_signature,
        ..Config::default()
    };
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
    let out = crate::manifest::set_spec(&manifest.display().to_string(), &text, spec)?;
    fs::write(&manifest, out).map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}

/// Fails, naming every stale action and what to do with it, when one of them selected something
/// the new spec still has elsewhere (deleting it would drop its text silently).
fn stale_actions_allow_the_bump(stale: &[crate::diff::stale::StaleAction], source: &str) -> Result<()> {
    let moved = stale.iter().filter(|s| !s.removable()).count();
    if moved == 0 {
        return Ok(());
    }
    let mut msg = format!(
        "{} overlay action(s) select nothing in {source}, and {moved} of them selected something the new spec still \
         has elsewhere; nothing was written:\n",
        stale.len()
    );
    for s in stale {
        let verdict = if s.removable() { "deleted once the others are fixed" } else { "fix the target" };
        msg.push_str(&format!("  {verdict}: {}\n", s.describe()));
    }
    msg.push_str(&format!(
        "point each moved action's target at the new place (or delete the action), then run `{COMMAND} --spec \
         {source}` again"
    ));
    Err(msg)
}

/// `manifest` with its resource features (`all-resources` and the features it lists) replaced
/// by `lines`, every other byte unchanged (see [`crate::manifest::set_resource_features`]).
pub fn with_resource_features(manifest: &str, lines: &str) -> Result<String> {
    crate::manifest::with_resource_features(&format!("{CRATE_DIR}/Cargo.toml"), manifest, lines)
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
    let crate_config = config(root)?;
    let settings = crate_config.model();
    let options = generator::Options {
        // Not the file name: a new API version is a new spec file, and only the files whose
        // contents change should change with it.
        source: HEADER_SOURCE.to_owned(),
        command: COMMAND.to_owned(),
        crate_name: "featurebase".to_owned(),
        model: settings.clone(),
        ..generator::Options::default()
    };
    let mut overlays = crate_config.load_overlays(root)?;
    // A move to another spec is a release: the configured spec (still named by the manifest) is
    // diffed against the new one, both with the overlays, before anything is written. Overlay
    // actions whose targets the new spec removed are deleted; one whose target moved stops the
    // run.
    let previous = match (mode, spec, crate_config.spec.as_deref()) {
        (Mode::Write, Some(_), Some(configured)) => {
            let old_path = crate_dir.join(configured);
            let same = configured == spec_rel
                || matches!((old_path.canonicalize(), spec_path.canonicalize()), (Ok(a), Ok(b)) if a == b);
            (!same).then(|| (configured.trim_start_matches("../").to_owned(), old_path))
        }
        _ => None,
    };
    let mut bump = None;
    if let Some((shown, old_path)) = &previous {
        let old = crate::diff::Effective::load(old_path, &overlays, &settings).map_err(|e| {
            format!(
                "the crate's previous spec is needed to version the release and write its changelog, and it does \
                 not load: {e}\nnothing was written: restore {shown} (e.g. `git checkout -- {shown}`) and run \
                 `{COMMAND} --spec {source}` again"
            )
        })?;
        let new =
            crate::diff::Effective::load(&spec_path, &overlays, &settings).map_err(|e| format!("{source}: {e}"))?;
        let diff = crate::diff::diff_effective(&old, &new);
        stale_actions_allow_the_bump(&diff.stale_overlay_actions, &source)?;
        // The files of the overlays that lose actions, as they will be written.
        let mut rewritten = Vec::new();
        for rel in &crate_config.overlays {
            let path = crate_dir.join(rel);
            let file = shown_path(root, &path);
            let gone: Vec<usize> =
                diff.stale_overlay_actions.iter().filter(|s| s.file == file).map(|s| s.index).collect();
            if gone.is_empty() {
                continue;
            }
            let text = fs::read_to_string(&path).map_err(|e| format!("cannot read overlay {file}: {e}"))?;
            let format = generator::load::Format::from_path(&path);
            rewritten.push((path, crate::overlay_file::without_actions(&file, &text, format, &gone)?));
        }
        overlays = new.overlays;
        bump = Some((diff, rewritten));
    }
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
    if let Some((diff, rewritten)) = bump {
        // The version bump and the changelog section, then the overlays without their stale
        // actions; the manifest names the new spec last.
        report.release = crate::release::apply(&crate_dir, &diff)?;
        for (path, text) in &rewritten {
            fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            report.changed.push(shown_path(root, path));
        }
        report.overlay_actions_removed = diff.stale_overlay_actions;
    }
    if mode == Mode::Write && spec.is_some() {
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
