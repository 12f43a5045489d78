//! `crate --spec FILE --out DIR [--name NAME]`: a crate of its own for any OpenAPI description.
//!
//! The directory gets everything `cargo build` needs, and nothing from this workspace:
//!
//! | file | what it is |
//! |---|---|
//! | `src/types/`, `src/resources/`, `src/info.rs`, `src/dynamic.rs`, `src/testing.rs`, `names.lock` | generated from the spec |
//! | `src/runtime/` | a copy of the hand-written runtime (`generated/src/runtime/`) |
//! | `src/lib.rs` | the modules and re-exports, like the `featurebase` crate's |
//! | `Cargo.toml` | the `featurebase` crate's dependencies and features, with this workspace's versions written out (no workspace inheritance), and a `[workspace]` of its own |
//! | `README.md` | what the crate is, the spec it comes from, how to regenerate it |
//! | `Cargo.lock`, `.gitignore` | written once, when missing: the versions this workspace builds with, `/target` |
//!
//! Run again (on the same spec or a new version of it), only the files whose contents change
//! are written, generated files the spec no longer makes are removed, and `names.lock` keeps the
//! names of the previous run (see `generator::model::lock`).

use crate::{project_root, Result};
use std::collections::BTreeMap;
use toml_edit::{InlineTable, Item, Table, Value};

/// The comments around the resource features in the `featurebase` crate's manifest.
const FEATURES_BEGIN: &str = "# @generated resource features: begin";
const FEATURES_END: &str = "# @generated resource features: end";
use std::fs;
use std::path::{Path, PathBuf};

/// What `crate` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The OpenAPI description (JSON or YAML).
    pub spec: PathBuf,
    /// The crate's directory (created when missing).
    pub out: PathBuf,
    /// The package name; the directory's name when not given.
    pub name: Option<String>,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// The package name.
    pub name: String,
    /// Files written, relative to the crate's directory.
    pub written: Vec<String>,
    /// Files removed (generated before, no longer made).
    pub removed: Vec<String>,
    /// Files already as they would be written.
    pub unchanged: usize,
    /// The generator's warnings.
    pub warnings: Vec<String>,
}

/// The command that writes the crates, as their files name it.
const COMMAND: &str = "cargo xtask crate";
/// How the header of every generated file names its spec.
const HEADER_SOURCE: &str = "the spec that README.md names";
/// The directories (relative to the crate) whose every file `crate` writes.
const OWNED_DIRS: &[&str] = &["src/types", "src/resources", "src/runtime"];

/// Writes the crate for `options.spec` into `options.out`, with this workspace's runtime.
pub fn run(options: &Options) -> Result<Report> {
    run_in(&project_root(), options)
}

/// [`run`], with the runtime and the dependency versions of the workspace at `root`.
pub fn run_in(root: &Path, options: &Options) -> Result<Report> {
    let name = match &options.name {
        Some(name) => checked_name(name)?,
        None => name_from_dir(&options.out)?,
    };
    let ident = name.replace('-', "_");
    let out = &options.out;
    let lock_path = out.join(generator::emit::NAMES_LOCK);
    let names = match fs::read_to_string(&lock_path) {
        Ok(text) => {
            generator::model::lock::NameLock::parse(&text).map_err(|e| format!("{}: {e}", lock_path.display()))?
        }
        Err(_) => Default::default(),
    };
    let generate_options = generator::Options {
        source: HEADER_SOURCE.to_owned(),
        command: COMMAND.to_owned(),
        crate_name: ident.clone(),
        model: generator::model::Settings { version_header: None, names, webhook_signature: None },
        ..generator::Options::default()
    };
    let spec_shown = options.spec.display().to_string();
    let generated =
        generator::generate_path(&options.spec, &generate_options).map_err(|e| format!("{spec_shown}: {e}"))?;
    let api = &generated.api;

    let mut files: BTreeMap<String, String> = generated.files.clone();
    for (rel, contents) in runtime_files(root)? {
        files.insert(format!("src/runtime/{rel}"), own_runtime(&contents, &ident));
    }
    files.insert("src/lib.rs".into(), lib_rs(api, &ident));
    files.insert("Cargo.toml".into(), manifest(root, api, &name, &ident)?);
    files.insert("README.md".into(), readme(api, &name, &ident, &spec_shown, &out.display().to_string()));

    let mut report =
        Report { name, warnings: generated.warnings.iter().map(ToString::to_string).collect(), ..Report::default() };
    for (rel, contents) in &files {
        let path = out.join(rel);
        if fs::read_to_string(&path).ok().as_deref() == Some(contents.as_str()) {
            report.unchanged += 1;
            continue;
        }
        write(&path, contents)?;
        report.written.push(rel.clone());
    }
    // Written once: cargo and the user own them from then on.
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    for (rel, contents) in [("Cargo.lock", lock.as_str()), (".gitignore", "/target\n")] {
        if !out.join(rel).exists() {
            write(&out.join(rel), contents)?;
            report.written.push(rel.to_owned());
        }
    }
    for rel in owned_files(out) {
        if !files.contains_key(&rel) {
            fs::remove_file(out.join(&rel)).map_err(|e| format!("cannot remove {}: {e}", out.join(&rel).display()))?;
            report.removed.push(rel);
        }
    }
    Ok(report)
}

fn write(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A package name as cargo takes it: ASCII letters, digits, `-` and `_`, not starting with a
/// digit.
fn checked_name(name: &str) -> Result<String> {
    let ok = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(name.to_owned())
    } else {
        Err(format!("`{name}` is not a package name: use ASCII letters, digits, `-` and `_`, starting with a letter"))
    }
}

/// The package name from the crate directory's name (as `cargo new` does): lower case, other
/// characters as `-`.
fn name_from_dir(out: &Path) -> Result<String> {
    let dir = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let base = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    name = name.trim_matches('-').to_owned();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api-");
    }
    if name.is_empty() {
        return Err(format!("cannot name a package after {}: give --name", out.display()));
    }
    checked_name(&name)
}

/// A runtime file as this crate's: its doc examples name this crate (`featurebase::Client`
/// -> `petstore::Client`). Everything else in the runtime takes its names from the crate's
/// own (`CARGO_PKG_NAME`: the user agent, error texts, the tracing span).
fn own_runtime(contents: &str, ident: &str) -> String {
    contents.replace("featurebase::", &format!("{ident}::"))
}

/// The runtime's files, by path relative to `generated/src/runtime`.
fn runtime_files(root: &Path) -> Result<Vec<(String, String)>> {
    let dir = root.join(crate::codegen::CRATE_DIR).join("src/runtime");
    let mut out = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let rel = path.strip_prefix(&dir).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
                let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                out.push((rel, text));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The files under the directories `crate` owns, relative to the crate.
fn owned_files(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = OWNED_DIRS.iter().map(|d| out.join(d)).collect();
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(out) {
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// Markdown-safe one line of the spec's text.
fn plain(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('`', "'")
}

/// `src/lib.rs`: the generated modules, the runtime and what the `featurebase` crate re-exports.
fn lib_rs(api: &generator::model::Api, ident: &str) -> String {
    let title = plain(&api.title);
    let (webhooks_doc, webhooks) = match &api.webhooks {
        Some(_) => (
            "//!\n//! With the `webhook-events` feature (default), `webhooks` verifies and parses the webhooks the\n\
             //! API sends into typed events.\n",
            "#[cfg(feature = \"webhook-events\")]\n#[rustfmt::skip]\npub mod webhooks;\n",
        ),
        None => ("", ""),
    };
    format!(
        "// @generated by `{COMMAND}`; run it again to update.\n\
         //! Typed async client for {title} (API version [`API_VERSION`]), generated from its OpenAPI\n\
         //! description by `{COMMAND}`.\n\
         //!\n\
         //! ```no_run\n\
         //! # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         //! let client = {ident}::Client::new(std::env::var(\"API_KEY\")?);\n\
         //! # Ok(())\n\
         //! # }}\n\
         //! ```\n\
         //!\n\
         //! - [`types`]: the API's data types;\n\
         //! - [`resources`]: the operations, one accessor per resource on [`Client`];\n\
         //! - [`runtime`]: the client: auth, timeouts, retries, errors and pagination.\n\
         //!\n\
         //! With the `dynamic` feature, `dynamic` calls any operation by its `operationId` with JSON\n\
         //! arguments and decodes any schema by name.\n\
         //!\n\
         //! With the `testing` feature, `testing` is a mock of the API for the tests of code that uses\n\
         //! the client: `testing::MockApi`, whose methods mirror the client's.\n\
         {webhooks_doc}\
         \n\
         // The runtime is shared by every generated crate; a spec may leave parts of it unused.\n\
         #[allow(unused)]\n\
         pub mod runtime;\n\
         // Generated files are formatted by the generator (prettyplease), not by rustfmt.\n\
         #[rustfmt::skip]\n\
         pub mod types;\n\
         #[rustfmt::skip]\n\
         pub mod resources;\n\
         #[rustfmt::skip]\n\
         mod info;\n\
         // Its helpers serve every spec; a small one leaves some of them unused.\n\
         #[cfg(feature = \"dynamic\")]\n\
         #[rustfmt::skip]\n\
         #[allow(dead_code, unused_variables, unused_imports, unreachable_code)]\n\
         pub mod dynamic;\n\
         #[cfg(feature = \"testing\")]\n\
         #[rustfmt::skip]\n\
         pub mod testing;\n\
         {webhooks}\
         \n\
         pub use info::*;\n\
         pub use reqwest::{{Method, StatusCode}};\n\
         pub use resources::ErrorCode;\n\
         pub use runtime::*;\n\
         \n\
         /// The result type of every call in this crate.\n\
         pub type Result<T, E = Error> = std::result::Result<T, E>;\n"
    )
}

/// The fields of a dependency's entry: `"1"` is `{ version = "1" }`, and `bytes.workspace = true`
/// is `{ workspace = true }`.
fn dependency_fields(name: &str, item: &Item) -> Result<InlineTable> {
    let mut out = InlineTable::new();
    if let Some(version) = item.as_str() {
        out.insert("version", version.into());
        return Ok(out);
    }
    let table =
        item.as_table_like().ok_or_else(|| format!("the dependency `{name}` is neither a version nor a table"))?;
    for (key, value) in table.iter() {
        let value = value.as_value().ok_or_else(|| format!("the dependency `{name}` has a table `{key}`"))?;
        out.insert(key, value.clone());
    }
    Ok(out)
}

/// A dependency of the `featurebase` crate (`own`, its entry there) with the workspace's entry
/// written out: `name = "1"`, or `name = { version = "1", features = [...], optional = true }`.
fn dependency(name: &str, own: &Item, workspace: &Table) -> Result<String> {
    let own = dependency_fields(name, own)?;
    let mut fields = if own.get("workspace").and_then(Value::as_bool) == Some(true) {
        let base = workspace.get(name).ok_or_else(|| format!("`{name}` is not in the workspace's dependencies"))?;
        let mut fields = dependency_fields(name, base)?;
        for (key, value) in own.iter().filter(|(k, _)| *k != "workspace") {
            match (fields.get_mut(key), value) {
                (Some(Value::Array(all)), Value::Array(more)) if key == "features" => {
                    for feature in more.iter() {
                        if !all.iter().any(|f| f.as_str() == feature.as_str()) {
                            all.push_formatted(feature.clone());
                        }
                    }
                }
                (Some(existing), _) => *existing = value.clone(),
                (None, _) => {
                    fields.insert(key, value.clone());
                }
            }
        }
        fields
    } else {
        own
    };
    for (_, value) in fields.iter_mut() {
        if let Value::Array(items) = value {
            items.fmt();
        }
    }
    fields.fmt();
    let mut value = match fields.get("version") {
        Some(version) if fields.len() == 1 => version.clone(),
        _ => Value::InlineTable(fields),
    };
    value.decor_mut().clear();
    Ok(format!("{name} = {value}"))
}

/// The `[section]` of a manifest, as a table.
fn table<'d>(doc: &'d toml_edit::DocumentMut, file: &str, path: &[&str]) -> Result<&'d Table> {
    let mut item = doc.as_item();
    for key in path {
        item = item.get(key).ok_or_else(|| format!("{file}: no [{}]", path.join(".")))?;
    }
    item.as_table().ok_or_else(|| format!("{file}: [{}] is not a table", path.join(".")))
}

/// `Cargo.toml`: the package, the `featurebase` crate's features (with this spec's resource
/// features) and dependencies, and a workspace of its own.
fn manifest(root: &Path, api: &generator::model::Api, name: &str, ident: &str) -> Result<String> {
    let read = |p: &Path| fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let workspace_manifest = read(&root.join("Cargo.toml"))?;
    let crate_manifest = read(&root.join(crate::codegen::CRATE_DIR).join("Cargo.toml"))?;
    let workspace_doc = crate::manifest::parse("Cargo.toml", &workspace_manifest)?;
    let crate_file = format!("{}/Cargo.toml", crate::codegen::CRATE_DIR);
    let crate_doc = crate::manifest::parse(&crate_file, &crate_manifest)?;
    let workspace = table(&workspace_doc, "Cargo.toml", &["workspace", "dependencies"])?;
    let rust_version = table(&workspace_doc, "Cargo.toml", &["workspace", "package"])?
        .get("rust-version")
        .and_then(Item::as_str)
        .unwrap_or("1.85")
        .to_owned();
    let deps = table(&crate_doc, &crate_file, &["dependencies"])?
        .iter()
        .map(|(dep, item)| dependency(dep, item, workspace))
        .collect::<Result<Vec<String>>>()?;
    // The features as the `featurebase` crate has them, with this spec's resource features.
    let mut features = table(&crate_doc, &crate_file, &["features"])?.clone();
    crate::manifest::set_resource_features(&mut features, &generator::emit::features::manifest_lines(api))
        .map_err(|e| format!("{crate_file}: {e}"))?;
    features.decor_mut().clear();
    let mut doc = toml_edit::DocumentMut::new();
    doc.insert("features", Item::Table(features));
    // Its name in the comments replaced; the comment that closes the resource features, which
    // heads the next table in that manifest, written after them.
    let mut features =
        doc.to_string().trim_start_matches("[features]\n").replace("featurebase::", &format!("{ident}::"));
    if features.contains(FEATURES_BEGIN) && !features.contains(FEATURES_END) {
        features.push_str(FEATURES_END);
    }
    let features = features.trim_end().to_owned();
    let description = format!(
        "Typed async client for {}, generated from its OpenAPI description.",
        plain(&api.title).replace('\\', "\\\\").replace('"', "\\\"")
    );
    Ok(format!(
        "# @generated by `{COMMAND}` from {HEADER_SOURCE}; run it again to update.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         description = \"{description}\"\n\
         edition = \"2021\"\n\
         rust-version = \"{rust_version}\"\n\
         publish = false\n\
         \n\
         [features]\n\
         {features}\n\
         \n\
         [dependencies]\n\
         {}\n\
         \n\
         # A workspace of its own, wherever the directory is; delete this table to make the crate a\n\
         # member of another workspace.\n\
         [workspace]\n",
        deps.join("\n")
    ))
}

/// `README.md`: the crate, its spec, and how to build and regenerate it.
fn readme(api: &generator::model::Api, name: &str, ident: &str, spec: &str, out: &str) -> String {
    let title = plain(&api.title);
    let version = plain(&api.version);
    let base = match &api.base_url {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
            format!("`{url}` (the spec's first server)")
        }
        _ => "the one given to `ClientBuilder::base_url` (the spec names no absolute server URL)".to_owned(),
    };
    let description = api.description.as_deref().map(|d| d.lines().next().unwrap_or_default()).map(plain);
    let mut text = format!("# {name}\n\nA typed async Rust client for **{title}** (API version `{version}`).\n");
    if let Some(d) = description.filter(|d| !d.is_empty()) {
        text.push_str(&format!("\n> {d}\n"));
    }
    text.push_str(&format!(
        "\nGenerated from the OpenAPI description `{spec}` by `{COMMAND}`.\n\
         Do not edit `src/`, `Cargo.toml` or this README: the next run writes them again.\n\
         \n\
         ```rust\n\
         let client = {ident}::Client::new(std::env::var(\"API_KEY\")?);\n\
         ```\n\
         \n\
         The client talks to {base}.\n\
         Its methods are grouped by resource, `client.<resource>().<operation>(...)`: see `cargo doc --open`.\n\
         \n\
         ## Regenerate\n\
         \n\
         From the generator's workspace, with the spec's new version:\n\
         \n\
         ```sh\n\
         {COMMAND} --spec {spec} --out {out} --name {name}\n\
         ```\n\
         \n\
         Only the files whose contents change are written, and `names.lock` keeps the Rust name of every\n\
         type, method and union variant of this generation, so that they do not move.\n"
    ));
    if !api.skipped.is_empty() {
        text.push_str(&format!(
            "\n## Not generated\n\n\
             What the generator could not express in Rust, each item alone ({} in all; the rest of the API is \
             generated):\n\n",
            api.skipped.len()
        ));
        for s in &api.skipped {
            text.push_str(&format!("- {} at `{}` ({}): {}\n", plain(&s.what), s.pointer, s.instead, plain(&s.reason)));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names() {
        assert_eq!(name_from_dir(Path::new("/tmp/My Petstore.v2")).unwrap(), "my-petstore-v2");
        assert_eq!(name_from_dir(Path::new("/tmp/2fa")).unwrap(), "api-2fa");
        assert!(checked_name("a b").is_err());
        assert!(checked_name("9lives").is_err());
        assert_eq!(checked_name("pet_store-2").unwrap(), "pet_store-2");
    }

    #[test]
    fn dependencies_are_written_out() {
        let workspace: toml_edit::DocumentMut =
            "bytes = \"1\"\ntokio = { version = \"1\", features = [\"time\"] }\n".parse().unwrap();
        let own: toml_edit::DocumentMut = "bytes.workspace = true\n\
             tokio = { workspace = true, features = [\"macros\", \"time\"], optional = true }\n\
             nope.workspace = true\nserde = { version = \"1\", features = [\"derive\"] }\n"
            .parse()
            .unwrap();
        let dep = |name: &str| dependency(name, &own[name], workspace.as_table());
        assert_eq!(dep("bytes").unwrap(), "bytes = \"1\"");
        assert_eq!(
            dep("tokio").unwrap(),
            "tokio = { version = \"1\", features = [\"time\", \"macros\"], optional = true }"
        );
        assert_eq!(dep("serde").unwrap(), "serde = { version = \"1\", features = [\"derive\"] }");
        assert!(dep("nope").is_err());
    }
}
