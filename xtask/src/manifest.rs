//! The generated crate's `Cargo.toml`, read and edited as TOML (`toml_edit`): what a command
//! changes is one value or a run of keys, and every comment, blank line and layout choice of the
//! rest of the file stays as the maintainer wrote it.
//!
//! - `[package.metadata.codegen]`: the `spec`, `version-header` and `overlays` settings
//!   ([`Codegen`], [`set_spec`]);
//! - `[package] version` ([`package_version`], [`set_package_version`]);
//! - the resource features of `[features]`: `all-resources` and the features it lists, which
//!   `cargo xtask generate` writes from the spec ([`with_resource_features`]).

use crate::Result;
use toml_edit::{DocumentMut, Item, Table, Value};

/// The feature that lists every resource feature; it and the features it lists are generated.
pub const ALL_RESOURCES: &str = "all-resources";

/// Parses a manifest; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<DocumentMut> {
    text.parse::<DocumentMut>().map_err(|e| format!("{file} is not valid TOML: {e}"))
}

/// The document as text, with the line endings of `original` (`toml_edit` writes `\n`).
fn render(doc: &DocumentMut, original: &str) -> String {
    let out = doc.to_string();
    if original.contains("\r\n") {
        out.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        out
    }
}

/// The settings of `[package.metadata.codegen]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codegen {
    /// `spec = "..."`.
    pub spec: Option<String>,
    /// `version-header = "..."`.
    pub version_header: Option<String>,
    /// `overlays = ["...", ...]`.
    pub overlays: Vec<String>,
    /// `webhook-signature = { scheme = "...", ... }`, as JSON (strings and whole numbers).
    pub webhook_signature: Option<serde_json::Value>,
}

fn codegen_table(doc: &DocumentMut) -> Option<&Item> {
    doc.get("package")?.get("metadata")?.get("codegen")
}

/// Reads `[package.metadata.codegen]` (all settings absent when there is none).
pub fn codegen(file: &str, text: &str) -> Result<Codegen> {
    let doc = parse(file, text)?;
    let Some(table) = codegen_table(&doc) else { return Ok(Codegen::default()) };
    let bad = |key: &str, what: &str| format!("{file}: `{key}` under [package.metadata.codegen] must be {what}");
    let string = |key: &str| -> Result<Option<String>> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => item.as_str().map(|s| Some(s.to_owned())).ok_or_else(|| bad(key, "a string")),
        }
    };
    let overlays = match table.get("overlays") {
        None => Vec::new(),
        Some(item) => {
            let array = item.as_array().ok_or_else(|| bad("overlays", "an array of strings"))?;
            array
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| bad("overlays", "an array of strings")))
                .collect::<Result<_>>()?
        }
    };
    let webhook_signature = match table.get("webhook-signature") {
        None => None,
        Some(item) => {
            let fields = item.as_table_like().ok_or_else(|| bad("webhook-signature", "a table"))?;
            let mut object = serde_json::Map::new();
            for (key, value) in fields.iter() {
                let value = match (value.as_str(), value.as_integer()) {
                    (Some(text), _) => serde_json::Value::from(text),
                    (None, Some(n)) => serde_json::Value::from(n),
                    _ => return Err(bad("webhook-signature", "a table of strings and whole numbers")),
                };
                object.insert(key.to_owned(), value);
            }
            Some(serde_json::Value::Object(object))
        }
    };
    Ok(Codegen { spec: string("spec")?, version_header: string("version-header")?, overlays, webhook_signature })
}

/// `value` in place of `old`, with `old`'s surrounding whitespace and comments.
fn replaced(old: &Value, value: impl Into<Value>) -> Value {
    let mut new = value.into();
    *new.decor_mut() = old.decor().clone();
    new
}

/// The manifest with `[package.metadata.codegen] spec` set to `spec` (added when missing); every
/// other byte stays.
pub fn set_spec(file: &str, text: &str, spec: &str) -> Result<String> {
    let mut doc = parse(file, text)?;
    let table = doc
        .get_mut("package")
        .and_then(|p| p.get_mut("metadata"))
        .and_then(|m| m.get_mut("codegen"))
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("{file}: no [package.metadata.codegen] table"))?;
    match table.get_mut("spec") {
        Some(Item::Value(old)) => *old = replaced(old, spec),
        Some(_) => return Err(format!("{file}: `spec` under [package.metadata.codegen] must be a string")),
        None => {
            table.insert("spec", toml_edit::value(spec));
        }
    }
    Ok(render(&doc, text))
}

fn package(doc: &DocumentMut) -> Result<&Item> {
    doc.get("package").filter(|p| p.is_table_like()).ok_or_else(|| "the manifest has no `[package]` table".to_owned())
}

/// The `[package] version` of a manifest.
pub fn package_version(text: &str) -> Result<String> {
    let doc = parse("the manifest", text)?;
    match package(&doc)?.get("version") {
        None => Err("the manifest has no `version = \"...\"` in its `[package]` section".into()),
        Some(item) if item.is_table_like() => {
            Err("the crate's version is inherited (`version.workspace = true`); it cannot be bumped".into())
        }
        Some(item) => item
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the `[package]` version is not a string: `{}`", item.to_string().trim())),
    }
}

/// The manifest with its `[package] version` set to `version`, every other byte unchanged.
pub fn set_package_version(text: &str, version: &str) -> Result<String> {
    package_version(text)?;
    let mut doc = parse("the manifest", text)?;
    let Some(Item::Value(old)) = doc.get_mut("package").and_then(|p| p.get_mut("version")) else {
        return Err("the manifest has no `version = \"...\"` in its `[package]` section".into());
    };
    *old = replaced(old, version);
    Ok(render(&doc, text))
}

/// The features that `lines` (`all-resources = [...]` and one line per resource, as
/// `generator::emit::features::manifest_lines` writes them) declare, in place of the resource
/// features of `features` (`all-resources` and those it lists; the others stay, and so do the
/// comments above `all-resources`). The new keys keep the layout of `lines`.
pub fn set_resource_features(features: &mut Table, lines: &str) -> Result<()> {
    let new = parse("the resource features", lines)?;
    let old: Vec<String> = features
        .get(ALL_RESOURCES)
        .and_then(Item::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .ok_or_else(|| format!("no `{ALL_RESOURCES} = [...]` under [features]"))?;
    let heading = features.key(ALL_RESOURCES).map(|k| k.leaf_decor().clone());
    for name in std::iter::once(ALL_RESOURCES).chain(old.iter().map(String::as_str)) {
        features.remove(name);
    }
    for (name, item) in new.as_table().iter() {
        let mut key = new.as_table().key(name).cloned().unwrap_or_else(|| name.into());
        if name == ALL_RESOURCES {
            if let Some(decor) = &heading {
                *key.leaf_decor_mut() = decor.clone();
            }
        }
        features.insert_formatted(&key, item.clone());
    }
    Ok(())
}

/// The manifest with its resource features replaced by `lines` (see [`set_resource_features`]).
pub fn with_resource_features(file: &str, text: &str, lines: &str) -> Result<String> {
    let mut doc = parse(file, text)?;
    let features =
        doc.get_mut("features").and_then(Item::as_table_mut).ok_or_else(|| format!("{file}: no [features] table"))?;
    set_resource_features(features, lines).map_err(|e| format!("{file}: {e}"))?;
    Ok(render(&doc, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"# The crate.
[package]
name = "x"
version   =  "0.1.0" # the crate

[package.metadata.codegen]
# The spec.
spec = "../spec/a.json"   # kept up to date by `generate --spec`
spec-notes = "spec = \"not this one\""
specification = "unrelated"
version-header = "X-Version"
overlays = [
    "../spec/one.overlay.yaml", # descriptions
    "../spec/two.overlay.yaml",
]

[features]
default = ["all-resources"]
# Hand-written.
extra = []
# @generated resource features: begin
all-resources = [
    "a",
    "b",
]
a = []
b = []
# @generated resource features: end

[dependencies]
version = "9.9.9"
"#;

    #[test]
    fn codegen_settings_are_read_as_toml() {
        let c = codegen("Cargo.toml", MANIFEST).unwrap();
        assert_eq!(c.spec.as_deref(), Some("../spec/a.json"));
        assert_eq!(c.version_header.as_deref(), Some("X-Version"));
        assert_eq!(c.overlays, ["../spec/one.overlay.yaml", "../spec/two.overlay.yaml"]);
        let err = codegen("Cargo.toml", "[package.metadata.codegen]\noverlays = \"a\"\n").unwrap_err();
        assert!(err.contains("`overlays` under [package.metadata.codegen] must be an array of strings"), "{err}");
        assert!(codegen("Cargo.toml", "[package\n").unwrap_err().contains("is not valid TOML"));
        assert_eq!(codegen("Cargo.toml", "[package]\nname = \"x\"\n").unwrap(), Codegen::default());
    }

    #[test]
    fn only_the_spec_value_changes_and_comments_survive() {
        let out = set_spec("Cargo.toml", MANIFEST, "../spec/b.json").unwrap();
        assert_eq!(out, MANIFEST.replacen("\"../spec/a.json\"", "\"../spec/b.json\"", 1));
        // A key that merely starts with `spec`, and a string that holds `spec = `, are left alone.
        assert!(out.contains("spec-notes = \"spec = \\\"not this one\\\"\"\nspecification = \"unrelated\"\n"));
        assert!(out.contains("# The spec.\nspec = \"../spec/b.json\"   # kept up to date"), "{out}");
    }

    #[test]
    fn only_the_package_version_changes() {
        assert_eq!(package_version(MANIFEST).unwrap(), "0.1.0");
        let bumped = set_package_version(MANIFEST, "0.2.0").unwrap();
        assert_eq!(bumped, MANIFEST.replacen("\"0.1.0\"", "\"0.2.0\"", 1));
        let crlf = "[package]\r\nname = \"x\"\r\nversion = '1.0.0'\r\n";
        assert_eq!(set_package_version(crlf, "1.1.0").unwrap(), "[package]\r\nname = \"x\"\r\nversion = \"1.1.0\"\r\n");
        assert!(package_version("[package.metadata.x]\nversion = \"1.0.0\"\n").is_err());
        assert!(package_version("[[package]]\nversion = \"1.0.0\"\n").is_err());
        assert!(package_version("[package]\nversion.workspace = true\n").unwrap_err().contains("inherited"));
        assert!(package_version("[package]\nversion = 1\n").unwrap_err().contains("not a string"));
        assert!(package_version("[package]\nversion = \"1.0.0\n").unwrap_err().contains("not valid TOML"));
        assert!(package_version("[package]\nversions = \"1.0.0\"\nname = \"x\"\n").is_err());
    }

    #[test]
    fn resource_features_are_replaced_and_the_rest_stays() {
        let same = with_resource_features(
            "Cargo.toml",
            MANIFEST,
            "all-resources = [\n    \"a\",\n    \"b\",\n]\na = []\nb = []\n",
        )
        .unwrap();
        assert_eq!(same, MANIFEST);
        let out = with_resource_features(
            "Cargo.toml",
            MANIFEST,
            "all-resources = [\n    \"a\",\n    \"c\",\n]\na = []\nc = []\n",
        )
        .unwrap();
        assert_eq!(out, MANIFEST.replace("    \"b\",\n]\na = []\nb = []\n", "    \"c\",\n]\na = []\nc = []\n"));
        let err =
            with_resource_features("Cargo.toml", "[features]\ndefault = []\n", "all-resources = []\n").unwrap_err();
        assert!(err.contains("no `all-resources = [...]` under [features]"), "{err}");
    }
}
