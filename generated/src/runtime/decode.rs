//! Response bodies -> typed values: strictly as the spec says, or leniently as servers send them.
//!
//! Every body is first decoded strictly, straight from the bytes, with nothing else on the way
//! (the fast path: a response that matches the spec costs a plain `serde_json::from_slice`).
//! Only when that fails, the body is read as JSON and decoded again with the path of every
//! error tracked; a strict client (see [`ClientBuilder::strict`](super::ClientBuilder::strict))
//! reports the first, a lenient one (the default) repairs the deviations real servers make, one
//! at a time, each where the decoder stopped:
//!
//! - a required property that is missing takes its type's natural empty value (`""`, `0`,
//!   `false`, `[]`, an object whose own fields are repaired the same way);
//! - `null` where the spec does not allow it takes the natural empty value;
//! - a scalar of the wrong JSON type is converted when nothing is lost (`"12"` where a number is
//!   expected, `12` where a string is, `"true"` where a boolean is), else takes the natural
//!   empty value.
//!
//! Each repair is a [`Deviation`] (its JSON path, what the spec expects, what came), returned
//! with the value; anything else that does not decode (a value out of range, a body that is not
//! JSON) is an [`Error::Decode`] as in strict mode. Unknown enum values, union members and
//! properties are not deviations: the types keep them.

use std::fmt;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{snippet, Error};
use super::tagged::{split_located, with_located_errors};

/// How response bodies are decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decoding {
    /// Deviations from the spec are repaired and reported ([`Deviation`]).
    #[default]
    Lenient,
    /// Any deviation from the spec is an [`Error::Decode`] naming its JSON path.
    Strict,
}

/// One place where a response departed from the spec, as a lenient decode repaired it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deviation {
    /// The JSON path of the value (`data[3].isBlocked`).
    pub path: String,
    /// What kind of departure.
    pub kind: DeviationKind,
    /// What the type expects, as the decoder says it (`a boolean`, `u8`, `struct Conversation`).
    pub expected: String,
    /// What came: `missing`, `null`, or the value's kind and value (`string "12"`).
    pub found: String,
}

/// The kinds of [`Deviation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A required property was not there.
    Missing,
    /// `null` where the spec does not allow it.
    Null,
    /// A value of another JSON type.
    WrongType,
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: expected {}, found {}", self.path, self.expected, self.found)
    }
}

/// At most this many repairs in one body, so that a body of another shape altogether fails
/// instead of being rebuilt from nothing.
const MAX_REPAIRS: usize = 10_000;

/// Decodes a JSON body (an empty one as `null`) as `T`, with the deviations repaired when
/// `decoding` is lenient.
pub fn decode<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    decoding: Decoding,
) -> Result<(T, Vec<Deviation>), Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    match serde_json::from_slice(body) {
        Ok(value) => Ok((value, Vec::new())),
        Err(err) => slow(operation, status, body, decoding, err),
    }
}

/// The slow path, for a body the fast one could not decode: the body as JSON, decoded with the
/// path of every error tracked (also inside tagged unions), then repaired or reported.
#[cold]
fn slow<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    decoding: Decoding,
    first: serde_json::Error,
) -> Result<(T, Vec<Deviation>), Error> {
    // Not JSON at all: the first error says where (line and column).
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Err(error(operation, status, ".".to_owned(), &first, body));
    };
    with_located_errors(|| {
        let (path, err) = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(decoded) => return Ok((decoded, Vec::new())),
            Err(err) => (err.path().to_string(), err.into_inner()),
        };
        match decoding {
            Decoding::Lenient => repair(value).ok_or_else(|| error(operation, status, path, &err, body)),
            Decoding::Strict => Err(error(operation, status, path, &err, body)),
        }
    })
}

#[cold]
fn error(operation: &'static str, status: StatusCode, path: String, err: &serde_json::Error, body: &[u8]) -> Error {
    let message = err.to_string();
    // An error inside a tagged union's member says where it is below the member.
    let (path, message) = match split_located(&message) {
        Some((below, rest)) => (join(&path, below), rest.to_owned()),
        None => (path, message),
    };
    Error::Decode { status, operation, path, message, snippet: snippet(body) }
}

/// `below` (a path relative to `path`) appended to `path`.
fn join(path: &str, below: &str) -> String {
    match (path, below.starts_with('[')) {
        (".", _) => below.to_owned(),
        (_, true) => format!("{path}{below}"),
        (_, false) => format!("{path}.{below}"),
    }
}

/// The steps of a relative path as errors write it (`author.name`, `[2].tag`).
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key.to_owned()));
        }
        while let Some(rest) = indices.strip_prefix('[') {
            let (index, after) = rest.split_once(']')?;
            out.push(Step::Index(index.parse().ok()?));
            indices = after;
        }
        if !indices.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// The lenient pass: the body as JSON, decoded again after each repair. `None` when a failure
/// is not a deviation this pass repairs.
#[cold]
fn repair<T: DeserializeOwned>(mut value: Value) -> Option<(T, Vec<Deviation>)> {
    let mut deviations: Vec<Deviation> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(decoded) => return Some((decoded, deviations)),
            Err(err) => err,
        };
        let mut at: Vec<Step> = Vec::new();
        for segment in err.path().iter() {
            at.push(match segment {
                serde_path_to_error::Segment::Seq { index } => Step::Index(*index),
                serde_path_to_error::Segment::Map { key } => Step::Key(key.clone()),
                // A step the value cannot be navigated by: give up.
                _ => return None,
            });
        }
        let message = err.inner().to_string();
        // An error inside a tagged union's member says where it is below the member.
        let message = match split_located(&message) {
            Some((below, rest)) => {
                at.extend(steps(below)?);
                rest.to_owned()
            }
            None => message,
        };
        if let Some(field) = missing_field(&message) {
            // The field is added as `null`; the next pass says what type it needs.
            let object = navigate(&mut value, &at)?.as_object_mut()?;
            if object.contains_key(field) {
                return None;
            }
            object.insert(field.to_owned(), Value::Null);
            at.push(Step::Key(field.to_owned()));
            deviations.push(Deviation {
                path: path_text(&at),
                kind: DeviationKind::Missing,
                expected: "a value".into(),
                found: "missing".into(),
            });
            continue;
        }
        let (found, expected) = invalid_type(&message)?;
        let path = path_text(&at);
        let slot = navigate(&mut value, &at)?;
        let replacement = convert(slot, expected)?;
        if replacement == *slot {
            return None;
        }
        match deviations.iter_mut().find(|d| d.path == path && d.kind == DeviationKind::Missing) {
            // The `null` put in for a missing field: now the type is known.
            Some(missing) if slot.is_null() && missing.expected == "a value" => missing.expected = expected.to_owned(),
            Some(_) => return None,
            None => deviations.push(Deviation {
                path,
                kind: if slot.is_null() { DeviationKind::Null } else { DeviationKind::WrongType },
                expected: expected.to_owned(),
                found: found.to_owned(),
            }),
        }
        *slot = replacement;
    }
    None
}

/// One step of a JSON path.
enum Step {
    Index(usize),
    Key(String),
}

fn navigate<'v>(value: &'v mut Value, at: &[Step]) -> Option<&'v mut Value> {
    let mut current = value;
    for step in at {
        current = match step {
            Step::Index(i) => current.as_array_mut()?.get_mut(*i)?,
            Step::Key(k) => current.as_object_mut()?.get_mut(k)?,
        };
    }
    Some(current)
}

/// A path as the decoder's errors write it: `data[3].isBlocked`.
fn path_text(at: &[Step]) -> String {
    let mut out = String::new();
    for step in at {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

/// `missing field `name``: the field's name.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// `invalid type: null, expected a boolean`: what came and what was expected.
fn invalid_type(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    Some((found, expected))
}

/// What the expectation of a decoder stands for.
#[derive(Clone, Copy, PartialEq)]
enum Expected {
    Boolean,
    Integer,
    Number,
    String,
    Sequence,
    Object,
}

fn expectation(expected: &str) -> Option<Expected> {
    let e = expected.trim();
    let integer = |t: &str| {
        (t.starts_with('u') || t.starts_with('i')) && t.len() > 1 && t[1..].chars().all(|c| c.is_ascii_digit())
    };
    Some(if e.contains("bool") {
        Expected::Boolean
    } else if integer(e) || e.contains("integer") {
        Expected::Integer
    } else if e == "f32" || e == "f64" || e.contains("number") || e.contains("float") {
        Expected::Number
    } else if e.contains("string") || e == "char" {
        Expected::String
    } else if e.contains("sequence") || e.contains("array") || e.starts_with("tuple") {
        Expected::Sequence
    } else if e.starts_with("struct ") || e.contains("map") || e.contains("object") {
        Expected::Object
    } else {
        return None;
    })
}

/// The value that stands in for `found` where `expected` is wanted: `found` converted when
/// nothing is lost, else the natural empty value. `None` when `found` is an array or an object
/// where something else is expected, or a scalar where an array or object is: a value of
/// another shape is not repaired.
fn convert(found: &Value, expected: &str) -> Option<Value> {
    let kind = expectation(expected)?;
    let scalar = |k: Expected| !matches!(k, Expected::Sequence | Expected::Object);
    match found {
        Value::Null => {}
        Value::Bool(_) | Value::Number(_) | Value::String(_) if scalar(kind) => {}
        _ => return None,
    }
    let converted = match (kind, found) {
        (Expected::Integer, Value::String(s)) => {
            s.trim().parse::<i64>().ok().map(Value::from).or_else(|| s.trim().parse::<u64>().ok().map(Value::from))
        }
        (Expected::Integer, Value::Number(n)) => {
            n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| Value::from(f as i64))
        }
        (Expected::Number, Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)),
        (Expected::String, Value::Number(n)) => Some(Value::String(n.to_string())),
        (Expected::String, Value::Bool(b)) => Some(Value::String(b.to_string())),
        (Expected::Boolean, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(Value::Bool(true)),
            "false" | "0" => Some(Value::Bool(false)),
            _ => None,
        },
        (Expected::Boolean, Value::Number(n)) => match n.as_i64() {
            Some(0) => Some(Value::Bool(false)),
            Some(1) => Some(Value::Bool(true)),
            _ => None,
        },
        _ => None,
    };
    Some(converted.unwrap_or(match kind {
        Expected::Boolean => Value::Bool(false),
        Expected::Integer => Value::from(0),
        Expected::Number => Value::from(0.0),
        Expected::String => Value::String(String::new()),
        Expected::Sequence => Value::Array(Vec::new()),
        Expected::Object => Value::Object(Map::new()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Item {
        id: String,
        #[serde(rename = "isBlocked")]
        is_blocked: bool,
        count: u8,
        tags: Vec<String>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct List {
        data: Vec<Item>,
    }

    fn lenient<T: DeserializeOwned>(json: &str) -> Result<(T, Vec<Deviation>), Error> {
        decode("op", StatusCode::OK, json.as_bytes(), Decoding::Lenient)
    }

    #[test]
    fn a_body_as_the_spec_says_has_no_deviations() {
        let (list, deviations) =
            lenient::<List>(r#"{"data": [{"id": "a", "isBlocked": true, "count": 2, "tags": []}]}"#).unwrap();
        assert!(deviations.is_empty());
        assert_eq!(list.data[0].count, 2);
    }

    #[test]
    fn each_deviation_is_repaired_where_it_is_and_reported() {
        let json = r#"{"data": [
            {"id": "a", "isBlocked": true, "count": 1, "tags": ["x"], "later": 1},
            {"id": "b", "count": "7", "tags": null},
            {"id": 3, "isBlocked": "false", "count": 2, "tags": []}
        ]}"#;
        let (list, deviations) = lenient::<List>(json).unwrap();
        let found: Vec<(String, DeviationKind, &str, &str)> =
            deviations.iter().map(|d| (d.path.clone(), d.kind, d.expected.as_str(), d.found.as_str())).collect();
        assert_eq!(
            found,
            // In the order the decoder meets them: a missing field at the end of its object.
            vec![
                ("data[1].count".into(), DeviationKind::WrongType, "u8", "string \"7\""),
                ("data[1].tags".into(), DeviationKind::Null, "a sequence", "null"),
                ("data[1].isBlocked".into(), DeviationKind::Missing, "a boolean", "missing"),
                ("data[2].id".into(), DeviationKind::WrongType, "a string", "integer `3`"),
                ("data[2].isBlocked".into(), DeviationKind::WrongType, "a boolean", "string \"false\""),
            ]
        );
        // Nothing else changes: the first item is as it came, unknown fields included.
        assert_eq!(list.data[0].extra["later"], 1);
        assert_eq!(list.data[1].count, 7);
        assert!(!list.data[1].is_blocked && list.data[1].tags.is_empty());
        assert_eq!(list.data[2].id, "3");
    }

    #[test]
    fn strict_decoding_names_the_path_of_the_first_deviation() {
        let err = decode::<List>(
            "op",
            StatusCode::OK,
            br#"{"data": [{"id": "a", "count": 1, "tags": []}]}"#,
            Decoding::Strict,
        )
        .unwrap_err();
        let Error::Decode { path, message, .. } = err else { panic!("{err:?}") };
        assert_eq!(path, "data[0]");
        assert!(message.contains("missing field `isBlocked`"), "{message}");
    }

    #[test]
    fn what_is_not_a_deviation_still_fails() {
        // Out of range for a u8: not a wrong type, and not repaired.
        assert!(lenient::<List>(r#"{"data": [{"id": "a", "isBlocked": true, "count": 300, "tags": []}]}"#).is_err());
        // Not JSON.
        assert!(lenient::<List>("<html>").is_err());
        // Another shape altogether.
        assert!(lenient::<List>("[1, 2]").is_err());
    }
}
