//! Numbers that a 64-bit value does not hold, in JSON and in YAML text.
//!
//! Specs write integers outside the 64-bit range (a `minimum` of `-9223372036854776000`, the
//! bounds of a 128-bit id) and, rarely, numbers beyond `f64`'s range. Neither may stop a spec
//! from loading, and where the value is shown to people (limits in the documentation) it must be
//! the value as written, not its nearest `f64`. The raw tree keeps an `f64` for each of them
//! (infinite beyond `f64`'s range), and [`Exact`] keeps the text, by JSON pointer:
//!
//! - JSON: `serde_json` reads a long integer as its nearest `f64`. The text is found only when a
//!   reader asks for it (a scan of the document, once), so specs without such numbers pay
//!   nothing. A number beyond `f64`'s range is a `serde_json` error; it is blanked out (same
//!   length, so positions in other errors do not move), the text is parsed again and the number
//!   becomes an infinite `f64`.
//! - YAML: `serde_yaml` hands integers beyond 64 bits to `visit_i128`/`visit_u128`, which its own
//!   `Value` refuses (the whole document failed to load). The reader here keeps them as markers,
//!   then settles each into an `f64` with its text.

use crate::error::child;
use serde::de::{self, DeserializeSeed, Visitor};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value as Raw};
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::fmt;

/// The text of the numbers of a document that an `f64` does not hold exactly, by JSON pointer.
#[derive(Debug)]
pub(crate) enum Exact<'t> {
    /// There are none.
    None,
    /// A JSON document: found by scanning the text on the first question.
    Json {
        /// The document.
        text: &'t str,
        /// The numbers found, once scanned.
        found: OnceCell<HashMap<String, String>>,
    },
    /// Already known.
    Known(HashMap<String, String>),
}

impl Exact<'_> {
    /// The text of the number at `pointer`, if an `f64` does not hold it exactly.
    pub(crate) fn get(&self, pointer: &str) -> Option<&str> {
        match self {
            Exact::None => None,
            Exact::Json { text, found } => {
                found.get_or_init(|| scan(text, false).into_iter().map(|n| (n.pointer, n.text)).collect()).get(pointer)
            }
            Exact::Known(found) => found.get(pointer),
        }
        .map(String::as_str)
    }
}

/// Whether an integer-valued `f64` may stand for an integer literal whose text it lost: beyond
/// the 64-bit range, or infinite.
pub(crate) fn may_be_inexact(value: f64) -> bool {
    !value.is_finite() || (value.fract() == 0.0 && value.abs() >= 9.2e18)
}

/// One number of JSON text that an `f64` does not hold exactly.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    /// Its JSON pointer.
    pointer: String,
    /// The path to it, one key or index a step.
    path: Vec<String>,
    /// The literal as written.
    text: String,
    /// Where the literal is in the text.
    start: usize,
    /// Whether it is beyond `f64`'s range.
    infinite: bool,
}

/// Whether a JSON number literal is one an `f64` does not hold: an integer outside the 64-bit
/// range, or any number outside `f64`'s; and whether it is the latter.
fn inexact(literal: &str) -> Option<bool> {
    let value: f64 = literal.parse().ok()?;
    if value.is_infinite() {
        return Some(true);
    }
    let integer = !literal.contains(['.', 'e', 'E']);
    (integer && literal.parse::<i64>().is_err() && literal.parse::<u64>().is_err()).then_some(false)
}

/// A container the scan is in, with where in it the scan is.
enum Frame {
    Object { key: Option<String>, want_key: bool },
    Array { index: usize },
}

/// The numbers of JSON text that an `f64` does not hold exactly: every one when `all`, else
/// the integers beyond 64 bits only if the text has a run of digits long enough for one (at
/// least 19), which is quick to rule out. The text need not be valid: the scan stops where it
/// cannot go on, and never panics.
fn scan(text: &str, all: bool) -> Vec<Found> {
    let bytes = text.as_bytes();
    if !all && !bytes.split(|b| !b.is_ascii_digit()).any(|run| run.len() >= 19) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, want_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                let end = (i + 1).min(bytes.len());
                if let Some(Frame::Object { key, want_key: true }) = stack.last_mut() {
                    let literal = text.get(start..end).unwrap_or_default();
                    *key = Some(if escaped {
                        serde_json::from_str::<String>(literal).unwrap_or_default()
                    } else {
                        literal.get(1..literal.len().saturating_sub(1)).unwrap_or_default().to_owned()
                    });
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    i += 1;
                }
                let literal = text.get(start..i).unwrap_or_default();
                if let Some(infinite) = inexact(literal) {
                    let path: Vec<String> = stack
                        .iter()
                        .filter_map(|f| match f {
                            Frame::Object { key, .. } => key.clone(),
                            Frame::Array { index } => Some(index.to_string()),
                        })
                        .collect();
                    let pointer = path.iter().fold(String::from("#"), |p, step| child(&p, step));
                    out.push(Found { pointer, path, text: literal.to_owned(), start, infinite });
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Parses JSON text into the raw tree, with the exact text of its numbers (see the module docs).
pub(super) fn json(text: &str) -> Result<(Raw, Exact<'_>), serde_json::Error> {
    let error = match serde_json::from_str::<Raw>(text) {
        Ok(raw) => return Ok((raw, Exact::Json { text, found: OnceCell::new() })),
        Err(e) => e,
    };
    if !error.to_string().starts_with("number out of range") {
        return Err(error);
    }
    let found = scan(text, true);
    if !found.iter().any(|n| n.infinite) {
        return Err(error);
    }
    // The same text with each number beyond `f64`'s range written as `0` and spaces.
    let mut blanked = text.as_bytes().to_vec();
    for n in found.iter().filter(|n| n.infinite) {
        let literal = &mut blanked[n.start..n.start + n.text.len()];
        literal.fill(b' ');
        literal[0] = b'0';
    }
    let blanked = String::from_utf8(blanked).map_err(|_| error)?;
    let mut raw = serde_json::from_str::<Raw>(&blanked)?;
    for n in found.iter().filter(|n| n.infinite) {
        if let Some(node) = node_mut(&mut raw, &n.path) {
            let infinity = if n.text.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
            *node = Raw::Number(Number::from(infinity));
        }
    }
    Ok((raw, Exact::Known(found.into_iter().map(|n| (n.pointer, n.text)).collect())))
}

/// The node at a path of keys and indexes.
fn node_mut<'a>(raw: &'a mut Raw, path: &[String]) -> Option<&'a mut Raw> {
    let mut node = raw;
    for step in path {
        node = match node {
            Raw::Mapping(map) => map.get_mut(step.as_str())?,
            Raw::Sequence(items) => items.get_mut(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The tag of the markers that stand for integers beyond 64 bits until [`settle`] replaces them.
const BIG_INTEGER: &str = "!generator-big-integer";

/// Parses YAML text into the raw tree (as `serde_yaml::Value` reads it, but keeping integers
/// beyond 64 bits as markers); the flag tells whether there are any. [`settle`] replaces them.
pub(super) fn yaml(text: &str) -> Result<(Raw, bool), serde_yaml::Error> {
    let big = Cell::new(false);
    let raw = Seed { big: &big }.deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok((raw, big.get()))
}

/// Replaces the markers [`yaml`] left by numbers (their nearest `f64`, their text in the
/// [`Exact`]) and, as mapping keys, by their text.
pub(super) fn settle(raw: &mut Raw, big: bool) -> Exact<'static> {
    if !big {
        return Exact::None;
    }
    let mut found = HashMap::new();
    let mut stack: Vec<(&mut Raw, String)> = vec![(raw, "#".to_owned())];
    while let Some((node, pointer)) = stack.pop() {
        if let Some(text) = marker(node) {
            let value: f64 = text.parse().unwrap_or(f64::NAN);
            found.insert(pointer, text.to_owned());
            *node = Raw::Number(Number::from(value));
            continue;
        }
        match node {
            Raw::Mapping(map) => {
                if map.keys().any(|k| marker(k).is_some()) {
                    let old = std::mem::take(map);
                    *map = old
                        .into_iter()
                        .map(|(k, v)| {
                            let text = marker(&k).map(str::to_owned);
                            (text.map_or(k, Raw::String), v)
                        })
                        .collect::<Mapping>();
                }
                for (k, v) in map.iter_mut() {
                    let key = match k {
                        Raw::String(s) => s.clone(),
                        Raw::Number(n) => n.to_string(),
                        Raw::Bool(b) => b.to_string(),
                        _ => continue,
                    };
                    stack.push((v, child(&pointer, &key)));
                }
            }
            Raw::Sequence(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    stack.push((item, child(&pointer, &i.to_string())));
                }
            }
            Raw::Tagged(t) => stack.push((&mut t.value, pointer)),
            _ => {}
        }
    }
    Exact::Known(found)
}

/// The text of a big-integer marker.
fn marker(raw: &Raw) -> Option<&str> {
    match raw {
        Raw::Tagged(t) if t.tag == BIG_INTEGER => t.value.as_str(),
        _ => None,
    }
}

/// Reads one YAML value as `serde_yaml::Value` does, keeping integers beyond 64 bits as markers.
#[derive(Clone, Copy)]
struct Seed<'a> {
    big: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Raw;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn big_integer(self, text: String) -> Raw {
        self.big.set(true);
        Raw::Tagged(Box::new(TaggedValue { tag: Tag::new(BIG_INTEGER), value: Raw::String(text) }))
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Raw, E> {
        Ok(Raw::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Raw, E> {
        Ok(Raw::Number(u.into()))
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Raw, E> {
        Ok(match i64::try_from(i) {
            Ok(i) => Raw::Number(i.into()),
            Err(_) => self.big_integer(i.to_string()),
        })
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Raw, E> {
        Ok(match u64::try_from(u) {
            Ok(u) => Raw::Number(u.into()),
            Err(_) => self.big_integer(u.to_string()),
        })
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Raw, E> {
        Ok(Raw::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Raw, E> {
        Ok(Raw::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Raw, E> {
        Ok(Raw::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Raw::Sequence(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(self)? {
            if mapping.contains_key(&key) {
                // As `serde_yaml::Value` says it.
                let what = match &key {
                    Raw::Null => "with null key".to_owned(),
                    Raw::Bool(b) => format!("with key `{b}`"),
                    Raw::Number(n) => format!("with key {n}"),
                    Raw::String(s) => format!("with key {s:?}"),
                    _ => "in YAML map".to_owned(),
                };
                return Err(de::Error::custom(format!("duplicate entry {what}")));
            }
            let value = map.next_value_seed(self)?;
            mapping.insert(key, value);
        }
        Ok(Raw::Mapping(mapping))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Raw, A::Error> {
        use de::VariantAccess;
        let (tag, contents) = data.variant_seed(TagSeed)?;
        let value = contents.newtype_variant_seed(self)?;
        Ok(Raw::Tagged(Box::new(TaggedValue { tag, value })))
    }
}

/// Reads a YAML tag.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Tag;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Tag, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl Visitor<'_> for TagSeed {
    type Value = Tag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML tag string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Tag, E> {
        self.visit_string(s.to_owned())
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Tag, E> {
        if s.is_empty() {
            return Err(E::custom("empty YAML tag is not allowed"));
        }
        Ok(Tag::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_the_text_of_integers_beyond_64_bits() {
        let text = r#"{"a": {"min": -9223372036854776000, "id": "1234567890123456789012", "ok": 12},
                       "b\/c": [1, 18446744073709551617], "e": 1.5e3}"#;
        let (raw, exact) = json(text).unwrap();
        assert_eq!(raw["a"]["min"].as_f64(), Some(-9223372036854775808.0));
        assert_eq!(exact.get("#/a/min"), Some("-9223372036854776000"));
        assert_eq!(exact.get("#/b~1c/1"), Some("18446744073709551617"));
        assert_eq!(exact.get("#/a/ok"), None);
        assert_eq!(exact.get("#/e"), None);
    }

    #[test]
    fn json_numbers_beyond_f64_load_as_infinities() {
        let huge = format!("1{}", "0".repeat(400));
        let text = format!("{{\"a\": [{huge}, -1e999], \"b\": \"x\"}}");
        let (raw, exact) = json(&text).unwrap();
        assert_eq!(raw["a"][0].as_f64(), Some(f64::INFINITY));
        assert_eq!(raw["a"][1].as_f64(), Some(f64::NEG_INFINITY));
        assert_eq!(raw["b"].as_str(), Some("x"));
        assert_eq!(exact.get("#/a/0"), Some(huge.as_str()));
        assert_eq!(exact.get("#/a/1"), Some("-1e999"));
        // Other syntax errors keep their positions.
        let broken = format!("{{\"a\": {huge},\n \"b\": }}");
        let e = json(&broken).unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 7), "{e}");
    }

    #[test]
    fn scanning_broken_text_never_panics() {
        for text in ["{\"a\": 99999999999999999999", "[\"\\", "{\"é\\", "[1e999, {\"k", "\"ü", "{\"a\"::1e99999}"] {
            let _ = scan(text, true);
            let _ = json(text);
        }
    }

    #[test]
    fn yaml_reads_integers_beyond_64_bits() {
        let text =
            "a: -9223372036854776000\nb: [18446744073709551617, 7]\n340282366920938463463374607431768211455: k\n";
        let (mut raw, big) = yaml(text).unwrap();
        assert!(big);
        let exact = settle(&mut raw, big);
        assert_eq!(raw["a"].as_f64(), Some(-9223372036854775808.0));
        assert_eq!(exact.get("#/a"), Some("-9223372036854776000"));
        assert_eq!(exact.get("#/b/0"), Some("18446744073709551617"));
        assert_eq!(raw["b"][1].as_u64(), Some(7));
        assert_eq!(raw["340282366920938463463374607431768211455"].as_str(), Some("k"));
    }

    #[test]
    fn yaml_reads_like_serde_yaml_otherwise() {
        let text = "a: !tagged {b: [1, -2, 2.5, true, null, ~, 'x']}\nc: 0x1F\n";
        let (raw, big) = yaml(text).unwrap();
        assert!(!big);
        assert_eq!(raw, serde_yaml::from_str::<Raw>(text).unwrap());
        let e = yaml("a: 1\na: 2\n").unwrap_err();
        assert!(e.to_string().starts_with("duplicate entry with key \"a\""), "{e}");
    }
}
