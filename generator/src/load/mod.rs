//! Stage 1, load: text (JSON or YAML) -> a raw tree -> the typed [`Document`].
//!
//! Every value is read with its JSON pointer in hand, so a wrong shape is reported where it is.
//! The raw tree is `serde_yaml::Value`: it keeps the order of keys (the order of properties
//! becomes the order of struct fields) and reads JSON as well as YAML. Overlays ([`overlay`])
//! change the raw tree before it is read. References are resolved, at every stage, by [`refs`].

mod convert;
pub mod document;
mod numbers;
pub mod overlay;
pub mod refs;

pub use convert::MAX_SCHEMA_DEPTH;
pub use document::*;
pub use overlay::Overlay;

use crate::error::{Error, Result};
use serde_yaml::Value as Raw;

/// The text formats a spec can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML (1.2, as `serde_yaml` reads it).
    Yaml,
}

impl Format {
    /// Guesses the format from a file name: `.json` is JSON, anything else YAML.
    pub fn from_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Reads a spec file.
pub fn load_path(path: &std::path::Path) -> Result<Document> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    load_str(&text, Format::from_path(path))
}

/// Parses spec text in the given format.
pub fn load_str(text: &str, format: Format) -> Result<Document> {
    load_str_with(text, format, &[])
}

/// [`load_str`], with overlays applied, in order, to the raw tree before it is read as OpenAPI
/// (see [`overlay`]).
pub fn load_str_with(text: &str, format: Format, overlays: &[Overlay]) -> Result<Document> {
    let (mut raw, exact) = parse(text, format)?;
    overlay::apply(&mut raw, overlays)?;
    convert::document(&raw, &exact)
}

/// Parses text into the raw tree, without reading it as OpenAPI. Numbers a 64-bit value does not
/// hold load as their nearest `f64` (see `numbers`).
pub fn parse_raw(text: &str, format: Format) -> Result<Raw> {
    parse(text, format).map(|(raw, _)| raw)
}

/// [`parse_raw`], with the text of the numbers an `f64` does not hold exactly.
fn parse(text: &str, format: Format) -> Result<(Raw, numbers::Exact<'_>)> {
    match format {
        Format::Json => numbers::json(text).map_err(|e| Error::Syntax {
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string()),
        }),
        Format::Yaml => {
            let (mut raw, big) = numbers::yaml(text).map_err(|e| {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
                Error::Syntax { format: "YAML", line, column, message: strip_location(&e.to_string()) }
            })?;
            merge_keys(&mut raw);
            let exact = numbers::settle(&mut raw, big);
            Ok((raw, exact))
        }
    }
}

/// Applies YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) in place: the merged entries take the
/// position of the `<<` key, and keys written out in the mapping win over merged ones.
fn merge_keys(raw: &mut Raw) {
    let mut stack = vec![raw];
    while let Some(node) = stack.pop() {
        match node {
            Raw::Mapping(map) => {
                // Merged mappings can merge others in turn: a few rounds settle them.
                for _ in 0..16 {
                    if !map.contains_key("<<") {
                        break;
                    }
                    let old = std::mem::take(map);
                    let explicit: Vec<Raw> = old.keys().filter(|k| k.as_str() != Some("<<")).cloned().collect();
                    for (k, v) in old {
                        if k.as_str() != Some("<<") {
                            map.insert(k, v);
                            continue;
                        }
                        let sources = match v {
                            Raw::Sequence(items) => items,
                            other => vec![other],
                        };
                        for source in sources {
                            // A merge of something that is not a mapping is kept as a plain key, so
                            // that the reader reports it where it is.
                            let Raw::Mapping(source) = source else {
                                map.insert(k.clone(), source);
                                continue;
                            };
                            for (mk, mv) in source {
                                if !explicit.contains(&mk) && !map.contains_key(&mk) {
                                    map.insert(mk, mv);
                                }
                            }
                        }
                    }
                }
                stack.extend(map.values_mut());
            }
            Raw::Sequence(items) => stack.extend(items.iter_mut()),
            Raw::Tagged(t) => stack.push(&mut t.value),
            _ => {}
        }
    }
}

/// Parsers append " at line L column C"; the error carries those as fields.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
