//! Stage 1, load: text (JSON or YAML) -> a raw tree -> the typed [`Document`].
//!
//! Every value is read with its JSON pointer in hand, so a wrong shape is reported where it is.
//! The raw tree is `serde_yaml::Value`: it keeps the order of keys (the order of properties
//! becomes the order of struct fields) and reads JSON as well as YAML.

mod convert;
pub mod document;

pub use document::*;

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
    let raw = parse_raw(text, format)?;
    convert::document(&raw)
}

/// Parses text into the raw tree, without reading it as OpenAPI.
pub fn parse_raw(text: &str, format: Format) -> Result<Raw> {
    match format {
        Format::Json => serde_json::from_str::<Raw>(text).map_err(|e| Error::Syntax {
            format: "JSON",
            line: e.line(),
            column: e.column(),
            message: strip_location(&e.to_string()),
        }),
        Format::Yaml => serde_yaml::from_str::<Raw>(text).map_err(|e| {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
            Error::Syntax { format: "YAML", line, column, message: strip_location(&e.to_string()) }
        }),
    }
}

/// Parsers append " at line L column C"; the error carries those as fields.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
