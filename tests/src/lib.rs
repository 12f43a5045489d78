//! Helpers shared by the cross-crate tests in `tests/tests/`.

pub mod instances;
pub mod prism;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Prints a line of a test's findings (counts) even when cargo captures the test's output:
/// the handle is written directly, past the capture of `print!`.
pub fn report(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The spec the generated crate is built from, as JSON: the vendored description with the
/// overlays the crate's manifest names (`[package.metadata.codegen] overlays`) applied in order,
/// so the schemas they add (the webhook events) are there as the generator saw them.
pub fn spec_json() -> Value {
    let generated = root().join("generated");
    let manifest = std::fs::read_to_string(generated.join("Cargo.toml")).expect("the generated crate's manifest");
    let manifest: toml_edit::DocumentMut = manifest.parse().expect("the manifest is TOML");
    let codegen = &manifest["package"]["metadata"]["codegen"];
    let spec = codegen["spec"].as_str().expect("`spec` in [package.metadata.codegen]");
    let text = std::fs::read_to_string(generated.join(spec)).expect("the vendored spec");
    let mut doc: Value = serde_json::from_str(&text).expect("the spec is JSON");
    let overlays = codegen.get("overlays").and_then(|o| o.as_array());
    for overlay in overlays.into_iter().flatten().filter_map(|o| o.as_str()) {
        let overlay = generator::load::Overlay::load(&generated.join(overlay)).expect("a configured overlay");
        overlay.apply_to(&mut doc).expect("the configured overlay applies");
    }
    doc
}

/// Copies a directory tree (for tests that work on a scratch copy of the workspace).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// Reads a fixture under `tests/fixtures/`.
pub fn fixture(path: &str) -> String {
    let p = root().join("tests/fixtures").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Whether two JSON values are equal, comparing numbers by value (`5` equals `5.0`: a
/// `type: number` property is an `f64` in Rust and re-encodes with a decimal point).
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// The first place where two JSON values differ, as a JSON pointer, for failure messages.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (a, b))| first_difference(a, b, &format!("{at}/{i}")))
        }
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(a), Some(b)) => {
                        if let Some(d) = first_difference(a, b, &format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    (a, b) => return Some(format!("{at}/{k}: {a:?} vs {b:?}")),
                }
            }
            None
        }
        _ if same_json(a, b) => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

/// Decodes `json` as `T` (naming the JSON path on failure), re-encodes it and checks that the
/// result is the same JSON. Returns the decoded value.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let original: Value = serde_json::from_str(json).expect("fixture is JSON");
    let mut de = serde_json::Deserializer::from_str(json);
    let decoded: T = serde_path_to_error::deserialize(&mut de).unwrap_or_else(|e| {
        panic!("decoding as {} failed at `{}`: {}", std::any::type_name::<T>(), e.path(), e.inner())
    });
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    if let Some(d) = first_difference(&original, &encoded, "") {
        panic!("re-encoded {} differs at {d}", std::any::type_name::<T>());
    }
    decoded
}

/// The repository's root manifest with `members` as its members: a scratch workspace keeps its
/// `[workspace.package]` and `[workspace.dependencies]`, which the generated crate inherits.
pub fn workspace_manifest(members: &[&str]) -> String {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).expect("the root manifest");
    let mut doc: toml_edit::DocumentMut = text.parse().expect("the root manifest is TOML");
    let workspace = doc["workspace"].as_table_mut().expect("the root manifest has a [workspace]");
    assert!(workspace.contains_key("members"), "the workspace manifest has no `members = [...]`");
    for key in ["members", "default-members"] {
        if let Some(toml_edit::Item::Value(old)) = workspace.get_mut(key) {
            let mut list: toml_edit::Value = members.iter().copied().collect::<toml_edit::Array>().into();
            *list.decor_mut() = old.decor().clone();
            *old = list;
        }
    }
    doc.to_string()
}

/// The keys of the table `path` (`["workspace", "dependencies"]`) of the manifest at `manifest`,
/// as TOML text without its header, comments included.
pub fn manifest_table(manifest: &Path, path: &[&str]) -> String {
    let text = std::fs::read_to_string(manifest).unwrap_or_else(|e| panic!("cannot read {}: {e}", manifest.display()));
    let doc: toml_edit::DocumentMut =
        text.parse().unwrap_or_else(|e| panic!("{} is not TOML: {e}", manifest.display()));
    let mut item = doc.as_item();
    for key in path {
        item = item.get(key).unwrap_or_else(|| panic!("no [{}] in {}", path.join("."), manifest.display()));
    }
    let mut table = item.as_table().unwrap_or_else(|| panic!("[{}] is not a table", path.join("."))).clone();
    table.decor_mut().clear();
    let mut out = toml_edit::DocumentMut::new();
    out.insert("table", toml_edit::Item::Table(table));
    let text = out.to_string();
    let body = text.strip_prefix("[table]\n").unwrap_or(&text).to_owned();
    assert!(!body.trim().is_empty(), "[{}] of {} is empty", path.join("."), manifest.display());
    body
}

/// A fresh scratch workspace at `dir` in which `cargo xtask generate` can run: the spec directory,
/// the generated crate (manifest, sources, names lock and, with `changelog`, its changelog) and a
/// root manifest with the crate as its only member.
pub fn scratch_workspace(dir: &Path, changelog: bool) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("the old scratch workspace can be removed");
    }
    copy_dir(&root().join("spec"), &dir.join("spec"));
    std::fs::create_dir_all(dir.join("generated")).expect("a scratch directory");
    let files: &[&str] =
        if changelog { &["Cargo.toml", "names.lock", "CHANGELOG.md"] } else { &["Cargo.toml", "names.lock"] };
    for file in files {
        let from = root().join("generated").join(file);
        if from.exists() {
            std::fs::copy(&from, dir.join("generated").join(file)).expect("a file of the crate copies");
        }
    }
    copy_dir(&root().join("generated/src"), &dir.join("generated/src"));
    std::fs::write(dir.join("Cargo.toml"), workspace_manifest(&["generated"])).expect("the scratch manifest");
}

/// Installs the pinned npm tool of `tests/<dir>` (`npm ci`, from its `package-lock.json`) when
/// `tests/<dir>/node_modules/<marker>` is missing and `npm` is on the `PATH`, so that
/// `cargo test --workspace` on a machine with Node runs the tests that need it without a
/// separate step. Once per process and tool; the error says what `npm` printed.
pub fn ensure_npm_tool(dir: &str, marker: &str) -> Result<(), String> {
    use std::sync::Mutex;
    static INSTALLS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let tool = root().join("tests").join(dir);
    if tool.join("node_modules").join(marker).exists() {
        return Ok(());
    }
    let mut tried = INSTALLS.lock().unwrap_or_else(|e| e.into_inner());
    if tried.iter().any(|d| d == dir) || tool.join("node_modules").join(marker).exists() {
        return Ok(());
    }
    tried.push(dir.to_owned());
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let output = std::process::Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tool)
        .output()
        .map_err(|e| format!("npm is not available ({e})"))?;
    if output.status.success() {
        eprintln!("installed the pinned {dir} tool with `npm ci --prefix tests/{dir}`");
        Ok(())
    } else {
        Err(format!(
            "`npm ci --prefix tests/{dir}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The JSON schema of the success response of each of `operation_ids` that has one, by
/// operation, in the order given.
pub fn response_schemas<'s>(spec: &'s Value, operation_ids: &[&'static str]) -> Vec<(&'static str, &'s Value)> {
    let operations: Vec<&Value> = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("a path item").values())
        .collect();
    operation_ids
        .iter()
        .filter_map(|id| {
            let op = operations.iter().find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))?;
            let (_, response) = op["responses"].as_object()?.iter().find(|(status, _)| status.starts_with('2'))?;
            Some((*id, response.pointer("/content/application~1json/schema")?))
        })
        .collect()
}

/// The reference's conversation list with the deviations real servers make in its second item:
/// `isBlocked` left out and `null` in `tags`.
pub fn conversations_with_deviations() -> Value {
    let mut list: Value = serde_json::from_str(&fixture("seeds/list_conversations_response.json")).unwrap();
    let mut second = list["data"][0].clone();
    second["id"] = serde_json::json!("second");
    second.as_object_mut().unwrap().remove("isBlocked");
    second["tags"] = Value::Null;
    list["data"].as_array_mut().unwrap().push(second);
    list
}
