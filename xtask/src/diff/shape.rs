//! Views of normalised schemas that the comparison works on: references followed, `allOf`
//! merged, union members keyed by the tag the generator's model of the union reads.

use generator::load::refs;
use generator::load::{Document, InstanceType, Schema};
use indexmap::IndexMap;
use serde_json::Value as Json;

/// Longest `$ref` chain or `allOf` nesting followed before giving up (a cycle).
const MAX_DEPTH: usize = 32;

/// The component `#/components/schemas/<name>` names, if any.
pub fn component<'d>(doc: &'d Document, reference: &str) -> Option<(String, &'d Schema)> {
    let (name, schema) = refs::component::<Schema>(doc, reference, "").ok()?;
    Some((name.to_owned(), schema))
}

/// Follows `$ref`s: the schema with the shape, and the first component named on the way.
pub fn target<'d>(doc: &'d Document, s: &'d Schema) -> (&'d Schema, Option<String>) {
    let mut current = s;
    let mut first = None;
    for _ in 0..MAX_DEPTH {
        let Some(r) = &current.reference else { break };
        let Some((name, next)) = component(doc, r) else { break };
        first.get_or_insert(name);
        current = next;
    }
    (current, first)
}

/// Whether a use of `s` may be `null`, counting every schema on its `$ref` chain (as the model does).
pub fn nullable(doc: &Document, s: &Schema) -> bool {
    let mut current = s;
    let mut nullable = s.nullable;
    for _ in 0..MAX_DEPTH {
        let Some(next) = current.reference.as_deref().and_then(|r| component(doc, r)) else { break };
        current = next.1;
        nullable |= current.nullable;
    }
    nullable
}

/// What an object allows beyond its declared properties.
#[derive(Debug, Clone, Copy)]
pub enum Extra<'d> {
    /// Anything (`additionalProperties` absent or `true`).
    Allowed,
    /// Nothing (`additionalProperties: false`).
    Forbidden,
    /// Values of this schema.
    Typed(&'d Schema),
}

impl Extra<'_> {
    /// How reports name it: `allowed`, `forbidden`, `typed`.
    pub fn describe(&self) -> &'static str {
        match self {
            Extra::Allowed => "allowed",
            Extra::Forbidden => "forbidden",
            Extra::Typed(_) => "typed",
        }
    }
}

/// An object with its `allOf` members merged in.
#[derive(Debug, Clone)]
pub struct Object<'d> {
    /// The properties, own ones first, then those of the `allOf` members.
    pub properties: IndexMap<&'d str, &'d Schema>,
    /// The required property names.
    pub required: Vec<&'d str>,
    /// What it allows beyond its properties.
    pub extra: Extra<'d>,
}

impl Object<'_> {
    /// Whether the property `name` is required.
    pub fn requires(&self, name: &str) -> bool {
        self.required.contains(&name)
    }
}

/// The shape of a schema (its `$ref`s already followed).
#[derive(Debug, Clone)]
pub enum Shape<'d> {
    /// No constraint at all.
    Any,
    /// No value at all.
    Never,
    /// A single allowed value.
    Const(&'d Json),
    /// A set of allowed values.
    Enum(&'d [Json]),
    /// One JSON type.
    Scalar(InstanceType),
    /// Several JSON types.
    Multi(&'d [InstanceType]),
    /// An array, with its items.
    Array(Option<&'d Schema>),
    /// An object of free keys with values of one schema.
    Map(&'d Schema),
    /// An object.
    Object(Object<'d>),
    /// `oneOf`/`anyOf`.
    Union(&'d [Schema]),
}

fn extra_of(s: &Schema) -> Extra<'_> {
    match s.additional_properties.as_deref() {
        None => Extra::Allowed,
        Some(ap) if ap.never => Extra::Forbidden,
        Some(ap) if ap.is_any() => Extra::Allowed,
        Some(ap) => Extra::Typed(ap),
    }
}

fn merge<'d>(doc: &'d Document, s: &'d Schema, into: &mut Object<'d>, forbid: &mut bool, depth: usize) {
    for (name, p) in &s.properties {
        into.properties.insert(name.as_str(), p);
    }
    for r in &s.required {
        if !into.required.contains(&r.as_str()) {
            into.required.push(r);
        }
    }
    if depth >= MAX_DEPTH {
        return;
    }
    for member in &s.all_of {
        let (t, _) = target(doc, member);
        *forbid &= matches!(extra_of(t), Extra::Forbidden);
        merge(doc, t, into, forbid, depth + 1);
    }
}

/// The object view of `s`, merging `allOf` members (following their `$ref`s).
pub fn object<'d>(doc: &'d Document, s: &'d Schema) -> Object<'d> {
    let mut o = Object { properties: IndexMap::new(), required: Vec::new(), extra: extra_of(s) };
    let mut forbid = true;
    merge(doc, s, &mut o, &mut forbid, 0);
    if !s.all_of.is_empty() && matches!(o.extra, Extra::Forbidden) && !forbid {
        o.extra = Extra::Allowed;
    }
    o
}

/// The shape of a schema whose `$ref`s are followed.
pub fn shape<'d>(doc: &'d Document, t: &'d Schema) -> Shape<'d> {
    if t.never {
        return Shape::Never;
    }
    if !t.all_of.is_empty() {
        return Shape::Object(object(doc, t));
    }
    if !t.one_of.is_empty() {
        return Shape::Union(&t.one_of);
    }
    if !t.any_of.is_empty() {
        return Shape::Union(&t.any_of);
    }
    if let Some(c) = &t.constant {
        return Shape::Const(c);
    }
    if let Some(values) = &t.enumeration {
        return match values.as_slice() {
            [one] => Shape::Const(one),
            _ => Shape::Enum(values),
        };
    }
    if t.types.len() > 1 {
        return Shape::Multi(&t.types);
    }
    match t.types.first() {
        Some(InstanceType::Array) => Shape::Array(t.items.as_deref()),
        None if t.items.is_some() => Shape::Array(t.items.as_deref()),
        Some(InstanceType::Object) | None if !t.properties.is_empty() || t.additional_properties.is_some() => {
            match extra_of(t) {
                Extra::Typed(values) if t.properties.is_empty() => Shape::Map(values),
                _ => Shape::Object(object(doc, t)),
            }
        }
        Some(InstanceType::Object) => Shape::Object(object(doc, t)),
        Some(other) => Shape::Scalar(*other),
        None => Shape::Any,
    }
}

/// A JSON type's name.
pub fn type_word(t: InstanceType) -> &'static str {
    match t {
        InstanceType::Null => "null",
        InstanceType::Boolean => "boolean",
        InstanceType::Integer => "integer",
        InstanceType::Number => "number",
        InstanceType::String => "string",
        InstanceType::Array => "array",
        InstanceType::Object => "object",
    }
}

/// A JSON value, compact, for reports.
pub fn value(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A short description of a shape, for reports.
pub fn describe(doc: &Document, s: &Shape<'_>) -> String {
    match s {
        Shape::Any => "any value".into(),
        Shape::Never => "no value".into(),
        Shape::Const(v) => format!("the constant `{}`", value(v)),
        Shape::Enum(values) => format!("an enum of {} values", values.len()),
        Shape::Scalar(t) => format!("`{}`", type_word(*t)),
        Shape::Multi(ts) => {
            let words: Vec<String> = ts.iter().map(|t| format!("`{}`", type_word(*t))).collect();
            words.join(" or ")
        }
        Shape::Array(items) => match items.map(|i| shape(doc, target(doc, i).0)) {
            Some(Shape::Array(_)) | None => "an array".into(),
            Some(inner) => format!("an array of {}", describe(doc, &inner)),
        },
        Shape::Map(_) => "a map".into(),
        Shape::Object(_) => "an object".into(),
        Shape::Union(members) => format!("one of {} shapes", members.len()),
    }
}

/// The JSON type of a value.
fn json_type(v: &Json) -> Option<InstanceType> {
    Some(match v {
        Json::Null => InstanceType::Null,
        Json::Bool(_) => InstanceType::Boolean,
        Json::Number(n) if n.is_i64() || n.is_u64() => InstanceType::Integer,
        Json::Number(_) => InstanceType::Number,
        Json::String(_) => InstanceType::String,
        Json::Array(_) => InstanceType::Array,
        Json::Object(_) => InstanceType::Object,
    })
}

/// How the set of values a new shape allows relates to the old one's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The new shape allows every old value, and more.
    Wider,
    /// The old shape allows every new value, and more.
    Narrower,
    /// Neither.
    Different,
}

fn allows_type(s: &Shape<'_>, t: InstanceType) -> bool {
    match s {
        Shape::Any => true,
        Shape::Scalar(x) => *x == t || (*x == InstanceType::Number && t == InstanceType::Integer),
        Shape::Multi(ts) => ts.iter().any(|x| *x == t || (*x == InstanceType::Number && t == InstanceType::Integer)),
        _ => false,
    }
}

/// Whether `wide` allows every value `narrow` allows, judged on the top level only (both
/// shapes of a different kind: the same kinds are compared in detail instead).
fn covers(wide: &Shape<'_>, narrow: &Shape<'_>) -> bool {
    match (wide, narrow) {
        (Shape::Any, _) => true,
        (_, Shape::Never) => true,
        (w, Shape::Const(v)) => match w {
            Shape::Enum(values) => values.contains(v),
            _ => json_type(v).is_some_and(|t| allows_type(w, t)),
        },
        (w, Shape::Enum(values)) => values.iter().all(|v| json_type(v).is_some_and(|t| allows_type(w, t))),
        (w, Shape::Scalar(t)) => allows_type(w, *t),
        (w, Shape::Multi(ts)) => ts.iter().all(|t| allows_type(w, *t)),
        (Shape::Multi(ts), Shape::Array(_)) => ts.contains(&InstanceType::Array),
        (Shape::Multi(ts), Shape::Object(_) | Shape::Map(_)) => ts.contains(&InstanceType::Object),
        _ => false,
    }
}

/// How `new` relates to `old` (two shapes of different kinds).
pub fn relation(old: &Shape<'_>, new: &Shape<'_>) -> Relation {
    match (covers(new, old), covers(old, new)) {
        (true, false) => Relation::Wider,
        (false, true) => Relation::Narrower,
        _ => Relation::Different,
    }
}

/// Whether two shapes are of the same kind, so that they are compared in detail.
pub fn same_kind(a: &Shape<'_>, b: &Shape<'_>) -> bool {
    match (a, b) {
        (Shape::Scalar(x), Shape::Scalar(y)) => x == y,
        (Shape::Enum(x), Shape::Enum(y)) => enum_type(x) == enum_type(y),
        (Shape::Multi(x), Shape::Multi(y)) => x == y,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// The JSON type shared by an enum's values, if they share one.
fn enum_type(values: &[Json]) -> Option<InstanceType> {
    let first = values.first().and_then(json_type)?;
    values.iter().all(|v| json_type(v) == Some(first)).then_some(first)
}

/// A union member, keyed for matching across versions.
#[derive(Debug, Clone)]
pub struct Member<'d> {
    /// What identifies it: its tag values (`user_msg`), its component, its title or its type.
    pub key: String,
    /// How reports name it: `` `partType: "user_msg"` (`UserMessagePart`) ``.
    pub label: String,
    /// Its tag values, for tagged unions.
    pub tags: Vec<String>,
    /// The component it names, if it is a `$ref`.
    pub component: Option<String>,
    /// The member schema.
    pub schema: &'d Schema,
}

/// The members of a union, keyed by their values of the tag property `tag` (as the generator's
/// model of the union names it) when there is one.
pub fn members<'d>(
    doc: &'d Document,
    union: &'d Schema,
    members: &'d [Schema],
    tag: Option<String>,
) -> Vec<Member<'d>> {
    let mut out: Vec<Member<'d>> = Vec::new();
    for m in members {
        let component = m.reference.as_deref().and_then(|r| refs::component_name(r, "schemas")).map(|n| n.into_owned());
        let (t, _) = target(doc, m);
        let mut tags = Vec::new();
        if let Some(tag) = &tag {
            if let (Some(d), Some(r)) = (&union.discriminator, &m.reference) {
                tags.extend(d.tags_of(r).cloned());
            }
            if tags.is_empty() {
                if let Shape::Object(o) = shape(doc, t) {
                    if let Some(c) = o.properties.get(tag.as_str()).and_then(|p| target(doc, p).0.string_constant()) {
                        tags.push(c.to_owned());
                    }
                }
            }
            if tags.is_empty() {
                tags.extend(component.clone());
            }
        }
        let (mut key, label) = match (&tag, tags.is_empty()) {
            (Some(tag), false) => {
                let values: Vec<String> = tags.iter().map(|v| format!("\"{v}\"")).collect();
                let label = match &component {
                    Some(c) => format!("`{tag}: {}` (`{c}`)", values.join(" | ")),
                    None => format!("`{tag}: {}`", values.join(" | ")),
                };
                (format!("{tag}={}", tags.join("|")), label)
            }
            _ => match (&component, &t.title) {
                (Some(c), _) => (c.clone(), format!("`{c}`")),
                (None, Some(title)) => (format!("title={title}"), format!("`{title}`")),
                (None, None) => {
                    let d = describe(doc, &shape(doc, t));
                    (d.clone(), d)
                }
            },
        };
        let base = key.clone();
        let mut n = 2;
        while out.iter().any(|o| o.key == key) {
            key = format!("{base}#{n}");
            n += 1;
        }
        out.push(Member { key, label, tags, component, schema: m });
    }
    out
}
