//! The documentation of a schema: its title and description, and notes on what the Rust type
//! does not say (format, limits, pattern, constant, default, example).

use super::build::string_enum;
use super::*;
use crate::load::Schema;

/// A number as the docs write it: whole numbers without a fraction (`100`, not `100.0`).
pub(super) fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A range as the docs write it: `a..=b`, `at least a`, `at most b`, or the one value.
fn range(min: Option<String>, max: Option<String>) -> Option<String> {
    match (min, max) {
        (None, None) => None,
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), None) => Some(format!("at least {a}")),
        (None, Some(b)) => Some(format!("at most {b}")),
        (Some(a), Some(b)) => Some(format!("{a}..={b}")),
    }
}

/// A JSON value on one line.
fn compact(value: &Json) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Documentation of a schema: its description and the facts a caller needs.
pub(super) fn docs_of(s: &Schema) -> Docs {
    let mut notes = Vec::new();
    // A value as the spec writes it when it is a number JSON's `f64` does not hold exactly.
    let value = |key: String, v: &Json| match (v, s.number_text.get(&key)) {
        (Json::Number(_) | Json::Null, Some(text)) => text.clone(),
        _ => compact(v),
    };
    if let Some(c) = &s.constant {
        notes.push(format!("Always `{}`.", value("const".into(), c)));
    }
    if let Some(d) = &s.default {
        notes.push(format!("Default: `{}`.", value("default".into(), d)));
    }
    if let Some(f) = &s.format {
        notes.push(format!("Format: `{f}`."));
    }
    match (&s.content_media_type, &s.content_encoding) {
        (Some(m), Some(e)) => notes.push(format!("Content: `{m}`, encoded as `{e}`.")),
        (Some(m), None) => notes.push(format!("Content: `{m}`.")),
        (None, Some(e)) => notes.push(format!("Encoded as `{e}`.")),
        (None, None) => {}
    }
    // A number as the spec writes it when the value read does not hold it exactly.
    let text = |keyword: &str, n: String| s.number_text.get(keyword).cloned().unwrap_or(n);
    let count = |keyword: &str, n: Option<u64>| n.map(|n| text(keyword, n.to_string()));
    if let Some(r) = range(count("minLength", s.min_length), count("maxLength", s.max_length)) {
        notes.push(format!("Length: {r} characters."));
    }
    let bound = |keyword: &str, n: Option<f64>| n.map(|n| text(keyword, fmt_number(n)));
    let exclusive = |keyword: &str, n: Option<f64>| bound(keyword, n).map(|n| format!("(exclusive) {n}"));
    let min = bound("minimum", s.minimum).or(exclusive("exclusiveMinimum", s.exclusive_minimum));
    let max = bound("maximum", s.maximum).or(exclusive("exclusiveMaximum", s.exclusive_maximum));
    if let Some(r) = range(min, max) {
        notes.push(format!("Range: {r}."));
    }
    if let Some(r) = range(count("minItems", s.min_items), count("maxItems", s.max_items)) {
        notes.push(format!("Items: {r}."));
    }
    if s.unique_items {
        notes.push("Items are unique.".into());
    }
    if let Some(m) = bound("multipleOf", s.multiple_of) {
        notes.push(format!("Multiple of {m}."));
    }
    if let Some(p) = &s.pattern {
        notes.push(format!("Pattern: `{}`.", p.replace('`', "\\`")));
    }
    if s.read_only {
        notes.push("Read-only: set by the server, ignored in requests.".into());
    }
    if s.write_only {
        notes.push("Write-only: accepted in requests, never returned.".into());
    }
    if s.enumeration.as_ref().is_some_and(|v| string_enum(s).is_none() && v.len() > 1) {
        let values: Vec<String> = s
            .enumeration
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| format!("`{}`", value(format!("enum/{i}"), v)))
            .collect();
        notes.push(format!("One of {}.", values.join(", ")));
    }
    if let Some(e) = s.examples.first() {
        let text = value("examples/0".into(), e);
        if text.len() <= 100 && !text.contains('`') {
            notes.push(format!("Example: `{text}`."));
        }
    }
    if s.deprecated {
        notes.push("Deprecated.".into());
    }
    Docs { title: s.title.clone(), description: s.description.clone(), notes, deprecated: s.deprecated }
}
