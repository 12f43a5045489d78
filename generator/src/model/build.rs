//! Schemas -> the [`TypeSpace`]: naming, hoisting of inline schemas, unions and their tags.

use super::lock::NameLock;
use super::*;
use crate::error::{Error, Result, Warning};
use crate::load::refs;
use crate::load::{Document, InstanceType, Schema};
use crate::naming::{field_name, type_name, variant_name, Names};
use std::borrow::Cow;
use std::collections::HashMap;

/// Builds the whole model from a normalised document, with the default [`Settings`].
pub fn build(doc: &Document) -> Result<Api> {
    build_with(doc, &Settings::default())
}

/// Builds the whole model from a normalised document.
pub fn build_with(doc: &Document, settings: &Settings) -> Result<Api> {
    let mut b = Builder::new(doc, &settings.names);
    b.define_components()?;
    let (version_header, version_warnings) = version::version_header(doc, settings);
    let mut operations = operations::build(&mut b, version_header.as_deref(), &settings.names)?;
    let resources = modules::resources(doc, &operations);
    modules::link(&mut operations, &resources);
    operations::name_builders(&mut operations, &resources);
    let names = lock::assigned(&b.types, &operations);
    let mut types = TypeSpace { types: b.types };
    recursion::box_cycles(&mut types);
    recursion::mark_defaults(&mut types);
    modules::assign(&mut types, &operations, &resources);
    let mut warnings = doc.warnings.clone();
    warnings.extend(b.warnings);
    warnings.extend(version_warnings);
    let auth = security::auth(doc);
    warnings.extend(security::check(doc, &auth));
    warnings.extend(servers(doc));
    warnings.sort();
    warnings.dedup();
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        base_url: doc.servers.first().map(|s| s.url.clone()),
        version_header,
        auth,
        types,
        operations,
        resources,
        warnings,
        names,
    })
}

/// Warnings about the default base URL: none, or one that is not absolute.
fn servers(doc: &Document) -> Vec<Warning> {
    if doc.paths.is_empty() {
        return Vec::new();
    }
    match doc.servers.first() {
        None => vec![Warning {
            pointer: "#/servers".into(),
            message: "no servers: the client needs a base URL (`ClientBuilder::base_url`)".into(),
        }],
        Some(s) if !(s.url.starts_with("http://") || s.url.starts_with("https://")) => vec![Warning {
            pointer: format!("{}/url", s.pointer),
            message: format!(
                "the server URL `{}` is not absolute: the client needs a base URL (`ClientBuilder::base_url`)",
                s.url
            ),
        }],
        Some(_) => Vec::new(),
    }
}

/// A resolved use of a schema.
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// How array items of a schema are named when hoisted.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Items {
    /// Items of a property's array take the property's name (`TicketIntegrationsLinear`).
    SameName,
    /// Items of a named array take `<Name>Item`.
    ItemSuffix,
}

pub(super) struct Builder<'d> {
    pub doc: &'d Document,
    /// The names given in the previous generation (see [`super::lock`]).
    lock: &'d NameLock,
    /// The pointers whose locked type name is taken (by the first type made there).
    locked_taken: std::collections::HashSet<String>,
    pub types: Vec<TypeDef>,
    components: HashMap<String, TypeId>,
    type_names: Names,
    /// Hoisted schemas by pointer, with their shape: a schema used twice (a path-level
    /// parameter of several operations, a shared request body) is one type.
    hoisted: HashMap<String, (Schema, TypeId)>,
    /// The variants of distributed unions (see [`Split`]), by pointer: the union's name and where
    /// the variant's member is, so that what the members share is named after the union.
    variant_parts: HashMap<String, (String, String)>,
    /// The unions being distributed (see [`Split`]), innermost last, by pointer: one reached
    /// again through its own variants would be distributed without end.
    distributing: Vec<String>,
    /// How many variants distributed unions have made so far (see [`MAX_DISTRIBUTED`]).
    distributed_count: usize,
    pub warnings: Vec<Warning>,
}

fn placeholder(name: String, pointer: String) -> TypeDef {
    TypeDef {
        name,
        pointer,
        module: String::new(),
        docs: Docs::default(),
        nullable: false,
        kind: TypeKind::Alias(TypeRef::Json),
        default: false,
    }
}

/// The string values of a string enum with more than one value.
fn string_enum(s: &Schema) -> Option<Vec<String>> {
    let values = s.enumeration.as_ref()?;
    if values.len() < 2 || !(s.types.is_empty() || s.types == [InstanceType::String]) {
        return None;
    }
    values.iter().map(|v| v.as_str().map(str::to_owned)).collect()
}

/// The one string a schema allows (`const`, or an `enum` of one), if any.
pub(super) fn string_constant(s: &Schema) -> Option<&str> {
    match (&s.constant, &s.enumeration) {
        (Some(c), _) => c.as_str(),
        (None, Some(values)) if values.len() == 1 => values[0].as_str(),
        _ => None,
    }
}

/// Whether a schema needs a named Rust type (struct, enum or union) rather than a built-in one.
fn needs_name(s: &Schema) -> bool {
    s.reference.is_none()
        && (!s.all_of.is_empty()
            || !s.one_of.is_empty()
            || !s.any_of.is_empty()
            || string_enum(s).is_some()
            || !s.properties.is_empty()
            || !s.prefix_items.is_empty()
            || s.types.len() > 1
            || (s.additional_properties.as_ref().is_some_and(|a| a.never)
                && (s.types.is_empty() || s.types == [InstanceType::Object])))
}

/// A schema that only constrains which properties are present (`{required: [a]}`), as members of
/// a `oneOf` beside `properties` often do.
fn constraint_only(s: &Schema) -> bool {
    (s.types.is_empty() || s.types == [InstanceType::Object]) && crate::normalize::is_bare(s)
}

/// Whether the place `pointer` is at `base` or inside it.
fn under(pointer: &str, base: &str) -> bool {
    pointer.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The members of a union schema (`oneOf`, else `anyOf`), if it is one.
fn union_members(s: &Schema) -> Option<&[Schema]> {
    match (s.one_of.is_empty(), s.any_of.is_empty()) {
        (false, _) => Some(&s.one_of),
        (true, false) => Some(&s.any_of),
        (true, true) => None,
    }
}

/// How many variants distributed unions may make in one spec: each is a type, and unions of
/// unions multiply.
const MAX_DISTRIBUTED: usize = 20_000;

/// A union spread over what its members share (see [`Builder::split_all_of`] and
/// [`Builder::split_beside`]).
struct Split {
    /// The union as written: its members name and tag the variants.
    union: Schema,
    /// One schema per member: the member with the shared part.
    parts: Vec<Schema>,
}

/// Whether a constant can be written as a value of a type (it is the field's `Default`): a
/// constant of another type (`const: "a"` on an enum, `const: 300` on a `u8`) is only documented.
fn constant_fits(ty: &TypeRef, c: &Json) -> bool {
    match (ty, c) {
        (TypeRef::String, Json::String(_)) | (TypeRef::Boolean, Json::Bool(_)) => true,
        (TypeRef::Number | TypeRef::Float, Json::Number(n)) => n.as_f64().is_some_and(f64::is_finite),
        (TypeRef::Integer(t), Json::Number(n)) => {
            let (lo, hi): (i128, i128) = match t {
                IntType::I8 => (i8::MIN.into(), i8::MAX.into()),
                IntType::I16 => (i16::MIN.into(), i16::MAX.into()),
                IntType::I32 => (i32::MIN.into(), i32::MAX.into()),
                IntType::I64 => (i64::MIN.into(), i64::MAX.into()),
                IntType::U8 => (0, u8::MAX.into()),
                IntType::U16 => (0, u16::MAX.into()),
                IntType::U32 => (0, u32::MAX.into()),
                IntType::U64 => (0, u64::MAX.into()),
            };
            let v = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
            v.is_some_and(|v| lo <= v && v <= hi)
        }
        _ => false,
    }
}

/// Splits an UpperCamel name into words.
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let bytes = name.as_bytes();
    for i in 1..bytes.len() {
        let boundary = bytes[i].is_ascii_uppercase()
            && (bytes[i - 1].is_ascii_lowercase()
                || bytes[i - 1].is_ascii_digit()
                || (i + 1 < bytes.len() && bytes[i + 1].is_ascii_lowercase()));
        if boundary {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// Variant names from member type names, without the words all of them share at the start or
/// the end (`UserMessagePart`, `AdminNotePart` -> `UserMessage`, `AdminNote`) when that leaves
/// every name non-empty, distinct and not starting with a digit.
pub(super) fn strip_common_affixes(names: &[String], union_name: &str) -> Vec<String> {
    if names.len() < 2 {
        return names.to_vec();
    }
    let split: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest).take_while(|&i| split.iter().all(|w| w[i] == split[0][i])).count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| split.iter().all(|w| w[w.len() - 1 - i] == split[0][split[0].len() - 1 - i]))
        .count();
    let stripped: Vec<String> = split.iter().map(|w| w[prefix..w.len() - suffix].concat()).collect();
    // `SelfType` without its `Type` would be the keyword `Self`.
    let usable = |n: &String| !n.is_empty() && !n.starts_with(|c: char| c.is_ascii_digit()) && n != "Self";
    let ok = stripped.iter().all(usable)
        && stripped.iter().collect::<std::collections::HashSet<_>>().len() == stripped.len();
    if ok {
        stripped
    } else {
        // Still drop the union's own name as a prefix where every member starts with it.
        let trimmed: Vec<String> = names.iter().map(|n| n.strip_prefix(union_name).unwrap_or(n).to_owned()).collect();
        if trimmed.iter().all(|n| usable(n) && n.starts_with(|c: char| c.is_ascii_uppercase()))
            && trimmed.iter().collect::<std::collections::HashSet<_>>().len() == trimmed.len()
        {
            trimmed
        } else {
            names.to_vec()
        }
    }
}

fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn range(min: Option<String>, max: Option<String>) -> Option<String> {
    match (min, max) {
        (None, None) => None,
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), None) => Some(format!("at least {a}")),
        (None, Some(b)) => Some(format!("at most {b}")),
        (Some(a), Some(b)) => Some(format!("{a}..={b}")),
    }
}

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

impl<'d> Builder<'d> {
    fn new(doc: &'d Document, lock: &'d NameLock) -> Self {
        let mut b = Builder {
            doc,
            lock,
            locked_taken: std::collections::HashSet::new(),
            types: Vec::new(),
            components: HashMap::new(),
            type_names: Names::default(),
            hoisted: HashMap::new(),
            variant_parts: HashMap::new(),
            distributing: Vec::new(),
            distributed_count: 0,
            warnings: Vec::new(),
        };
        // Names of the previous generation are kept by their places; then components are
        // named, so that inline schemas never take their names.
        for name in lock.types.values() {
            b.type_names.reserve(name);
        }
        for (name, schema) in &doc.components.schemas {
            let rust = b.type_name(&schema.pointer, &type_name(name));
            b.components.insert(name.clone(), TypeId(b.types.len()));
            b.types.push(placeholder(rust, schema.pointer.clone()));
        }
        b
    }

    /// The name of the type at `pointer`: the one the lock keeps for it, else `base` made unique.
    fn type_name(&mut self, pointer: &str, base: &str) -> String {
        match self.lock.types.get(pointer) {
            Some(locked) if self.locked_taken.insert(pointer.to_owned()) => locked.clone(),
            _ => self.type_names.unique(base),
        }
    }

    pub(super) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_owned(), message: message.into() });
    }

    /// The component a `#/components/schemas/..` reference names (see [`refs::component`]).
    pub(super) fn component(&self, reference: &str, pointer: &str) -> Result<(TypeId, &'d Schema)> {
        let (name, schema) = refs::component::<Schema>(self.doc, reference, pointer)?;
        Ok((self.components[name], schema))
    }

    /// Follows `$ref`s to the schema that has the shape.
    fn target<'s>(&self, s: &'s Schema) -> Result<&'s Schema>
    where
        'd: 's,
    {
        let mut current = s;
        let mut chain: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(r) = &current.reference {
            chain.push(r);
            if !seen.insert(r.as_str()) {
                return Err(Error::invalid(
                    &s.pointer,
                    format!("`$ref` chain does not end (a reference cycle without a schema): {}", chain.join(" -> ")),
                ));
            }
            current = self.component(r, &current.pointer)?.1;
        }
        Ok(current)
    }

    /// Whether a schema is raw bytes (`type: string, format: binary`) or an array of them.
    fn is_binary(&self, s: &Schema) -> Result<bool> {
        let t = self.target(s)?;
        Ok(t.is_bytes() || t.items.as_deref().map(|i| self.target(i)).transpose()?.is_some_and(Schema::is_bytes))
    }

    fn is_nullable(&self, s: &Schema) -> Result<bool> {
        let mut current = s;
        let mut nullable = s.nullable;
        for _ in 0..64 {
            match &current.reference {
                Some(r) => {
                    current = self.component(r, &current.pointer)?.1;
                    nullable |= current.nullable;
                }
                None => return Ok(nullable),
            }
        }
        Ok(nullable)
    }

    fn define_components(&mut self) -> Result<()> {
        for (name, schema) in &self.doc.components.schemas {
            let id = self.components[name];
            // An alias must end in a schema: `A: {$ref: B}`, `B: {$ref: A}` has no Rust type.
            self.target(schema)?;
            let nullable = self.is_nullable(schema)?;
            let rust = self.types[id.0].name.clone();
            let kind = if needs_name(schema) {
                self.kind(schema, &rust)?
            } else {
                let ty = self.resolve(schema, &rust, Items::ItemSuffix)?.ty;
                TypeKind::Alias(ty)
            };
            let def = &mut self.types[id.0];
            def.kind = kind;
            def.nullable = nullable;
            def.docs = docs_of(schema);
        }
        Ok(())
    }

    /// A new named type for an inline schema, named from `hint`.
    ///
    /// The identity rule: a type is one place in the spec. A component is its own type; an
    /// inline schema is a type of its own, named from where it is (its parent and property:
    /// `Conversation.state` -> `ConversationState`), and shared only by the uses of that same
    /// place (one `$ref`-ed path-level parameter, one body schema reached twice). Two inline
    /// schemas that merely look alike (same property name, same values) are two types, so that
    /// a later version that changes one of them never renames or retypes the other.
    fn hoist(&mut self, s: &Schema, hint: &str) -> Result<TypeId> {
        let shape = s.shape();
        if let Some((_, id)) = self.hoisted.get(&s.pointer).filter(|(known, _)| *known == shape) {
            return Ok(*id);
        }
        let name = self.type_name(&s.pointer, &type_name(hint));
        let id = TypeId(self.types.len());
        self.types.push(placeholder(name.clone(), s.pointer.clone()));
        self.hoisted.insert(s.pointer.clone(), (shape, id));
        let kind = self.kind(s, &name)?;
        let def = &mut self.types[id.0];
        def.kind = kind;
        def.docs = docs_of(s);
        // Nullability of an inline schema belongs to its use, not to the hoisted type.
        Ok(id)
    }

    /// The Rust type of one use of a schema. `hint` names what gets hoisted.
    pub(super) fn resolve(&mut self, s: &Schema, hint: &str, items: Items) -> Result<Resolved> {
        if s.never {
            return Err(Error::unsupported(
                &s.pointer,
                "the `false` schema (no value is valid) outside `additionalProperties`",
            ));
        }
        if let Some(r) = &s.reference {
            let (id, _) = self.component(r, &s.pointer)?;
            return Ok(Resolved { ty: TypeRef::Named(id), nullable: self.is_nullable(s)? });
        }
        if needs_name(s) {
            let id = self.hoist(s, hint)?;
            return Ok(Resolved { ty: TypeRef::Named(id), nullable: s.nullable });
        }
        let ty = self.builtin(s, hint, items)?;
        Ok(Resolved { ty, nullable: s.nullable })
    }

    /// The Rust type of a schema that needs no name: scalars, arrays, maps, free-form JSON.
    fn builtin(&mut self, s: &Schema, hint: &str, items: Items) -> Result<TypeRef> {
        let ty = match s.types.first() {
            Some(t) => *t,
            None => {
                if s.items.is_some() {
                    InstanceType::Array
                } else if s.additional_properties.is_some() {
                    InstanceType::Object
                } else if let Some(c) = s.constant.as_ref().or(s.enumeration.as_ref().and_then(|e| e.first())) {
                    let kind = |v: &Json| std::mem::discriminant(v);
                    if s.enumeration.as_ref().is_some_and(|e| e.iter().any(|v| kind(v) != kind(c))) {
                        // An enum of values of several JSON types.
                        return Ok(TypeRef::Json);
                    }
                    match c {
                        Json::String(_) => InstanceType::String,
                        Json::Bool(_) => InstanceType::Boolean,
                        Json::Number(n) if n.is_f64() => InstanceType::Number,
                        Json::Number(_) => InstanceType::Integer,
                        _ => return Ok(TypeRef::Json),
                    }
                } else {
                    return Ok(TypeRef::Json);
                }
            }
        };
        Ok(match ty {
            InstanceType::String if s.is_bytes() => TypeRef::bytes(),
            InstanceType::String => TypeRef::String,
            InstanceType::Boolean => TypeRef::Boolean,
            InstanceType::Integer => {
                let t = int_type(s);
                self.check_64_bits(s, t);
                TypeRef::Integer(t)
            }
            InstanceType::Number => match s.format.as_deref() {
                Some("float") => TypeRef::Float,
                Some("int32" | "int64") => TypeRef::Integer(int_type(s)),
                _ => TypeRef::Number,
            },
            InstanceType::Null => TypeRef::Unit,
            InstanceType::Array => {
                let item_hint = match items {
                    Items::SameName => hint.to_owned(),
                    Items::ItemSuffix => format!("{hint}Item"),
                };
                match &s.items {
                    // `items: false`: only the empty array.
                    Some(item) if item.never => TypeRef::Array(Box::new(TypeRef::Json)),
                    Some(item) => {
                        let r = self.resolve(item, &item_hint, Items::ItemSuffix)?;
                        TypeRef::Array(Box::new(wrap_nullable(r)))
                    }
                    None => TypeRef::Array(Box::new(TypeRef::Json)),
                }
            }
            InstanceType::Object => match s.additional_properties.as_deref() {
                Some(ap) if !ap.is_any() && !ap.never => {
                    let r = self.resolve(ap, &format!("{hint}Value"), Items::ItemSuffix)?;
                    TypeRef::Map(Box::new(wrap_nullable(r)))
                }
                _ => TypeRef::JsonObject,
            },
        })
    }

    /// Warns when an integer's range goes beyond what its 64-bit Rust type holds (a `maximum` of
    /// `1e30`, or above `i64::MAX` for an `i64`): it cannot hold every value the spec allows.
    fn check_64_bits(&mut self, s: &Schema, t: IntType) {
        let lo = s.minimum.map(|v| ("minimum", v)).or(s.exclusive_minimum.map(|v| ("exclusiveMinimum", v)));
        let hi = s.maximum.map(|v| ("maximum", v)).or(s.exclusive_maximum.map(|v| ("exclusiveMaximum", v)));
        // As `f64`s: a bound written as `-9223372036854776000` (how JavaScript prints the
        // smallest `i64`) means the smallest `i64`.
        let (min, max) = match t {
            IntType::I64 => (i64::MIN as f64, i64::MAX as f64),
            IntType::U64 => (0.0, u64::MAX as f64),
            _ => return,
        };
        let beyond = [lo.filter(|(_, v)| *v < min), hi.filter(|(_, v)| *v > max)];
        for (keyword, value) in beyond.into_iter().flatten() {
            let written = s.number_text.get(keyword).cloned().unwrap_or_else(|| fmt_number(value));
            let rust = format!("{t:?}").to_lowercase();
            self.warn(
                &s.pointer,
                format!("the {keyword} {written} is outside what `{rust}` holds: values beyond it do not decode"),
            );
        }
    }

    /// The definition of a schema that needs a name.
    fn kind(&mut self, s: &Schema, name: &str) -> Result<TypeKind> {
        let s = &*self.without_constraints(s);
        if union_members(s).is_some() && (!s.all_of.is_empty() || !s.properties.is_empty()) {
            // A union beside the schema's own properties (or `allOf`): each member with them.
            let split = self.split_beside(s);
            return Ok(TypeKind::Union(self.distributed(s, split, name)?));
        }
        if !s.all_of.is_empty() {
            if let Some(split) = self.split_all_of(s, &mut vec![s.pointer.clone()])? {
                return Ok(TypeKind::Union(self.distributed(s, split, name)?));
            }
            let merged = self.merge_all_of(s)?;
            return Ok(TypeKind::Struct(self.build_struct(&merged, name)?));
        }
        if !s.one_of.is_empty() || !s.any_of.is_empty() {
            return Ok(TypeKind::Union(self.build_union(s, name)?));
        }
        if let Some(values) = string_enum(s) {
            let mut names = Names::default();
            // A value listed twice is one variant.
            let mut seen = std::collections::HashSet::new();
            let variants = values
                .into_iter()
                .filter(|wire| seen.insert(wire.clone()))
                .map(|wire| EnumVariant { name: names.unique(&variant_name(&wire)), wire })
                .collect();
            return Ok(TypeKind::Enum(StringEnum { variants }));
        }
        if s.types.len() > 1 {
            // `type: [string, number]`: one member per type.
            let members: Vec<Schema> = s
                .types
                .iter()
                .map(|t| Schema {
                    pointer: s.pointer.clone(),
                    types: vec![*t],
                    items: s.items.clone(),
                    prefix_items: if *t == InstanceType::Array { s.prefix_items.clone() } else { Vec::new() },
                    min_items: s.min_items,
                    max_items: s.max_items,
                    ..Schema::default()
                })
                .collect();
            let union = Schema { pointer: s.pointer.clone(), one_of: members, ..Schema::default() };
            return Ok(TypeKind::Union(self.build_union(&union, name)?));
        }
        if !s.prefix_items.is_empty() && (s.types.is_empty() || s.types == [InstanceType::Array]) {
            return Ok(TypeKind::Tuple(self.build_tuple(s, name)?));
        }
        Ok(TypeKind::Struct(self.build_struct(s, name)?))
    }

    /// The schema without the `oneOf`/`anyOf` beside its `properties` or `allOf` whose members only
    /// say which properties must be present (`oneOf: [{required: [id]}, {required: [email]}]`):
    /// validation, not shape. Each is reported.
    fn without_constraints<'s>(&mut self, s: &'s Schema) -> Cow<'s, Schema> {
        if s.all_of.is_empty() && s.properties.is_empty() {
            return Cow::Borrowed(s);
        }
        let mut out = Cow::Borrowed(s);
        for keyword in ["oneOf", "anyOf"] {
            let members = if keyword == "oneOf" { &s.one_of } else { &s.any_of };
            if members.is_empty() || !members.iter().all(constraint_only) {
                continue;
            }
            self.warn(
                &format!("{}/{keyword}", s.pointer),
                format!("`{keyword}` only says which properties must be present; not enforced"),
            );
            let plain = out.to_mut();
            if keyword == "oneOf" {
                plain.one_of.clear();
            } else {
                plain.any_of.clear();
            }
        }
        out
    }

    /// A tuple: the `prefixItems`, then what `items` allows after them.
    fn build_tuple(&mut self, s: &Schema, name: &str) -> Result<Tuple> {
        let mut items = Vec::new();
        for (i, item) in s.prefix_items.iter().enumerate() {
            let r = self.resolve(item, &format!("{name}Item{i}"), Items::ItemSuffix)?;
            items.push(TupleItem { ty: r.ty, nullable: r.nullable, boxed: false, docs: docs_of(item) });
        }
        let count = items.len();
        let required = s.min_items.map_or(count, |min| usize::try_from(min).unwrap_or(usize::MAX).min(count));
        let closed = s.max_items.is_some_and(|max| usize::try_from(max).is_ok_and(|max| max <= count));
        let rest = match s.items.as_deref() {
            _ if closed => None,
            Some(rest) if rest.never => None,
            Some(rest) => Some(wrap_nullable(self.resolve(rest, &format!("{name}Item"), Items::ItemSuffix)?)),
            None => Some(TypeRef::Json),
        };
        Ok(Tuple { items, required, rest })
    }

    /// One object schema from the members of an `allOf`.
    fn merge_all_of(&self, s: &Schema) -> Result<Schema> {
        self.merge_all_of_within(s, &mut Vec::new(), false)
    }

    /// [`Self::merge_all_of`], knowing the `allOf`s being merged around it (by identity: two
    /// schemas can share a pointer) to refuse cycles. `lenient`: a member that is a union adds
    /// only its own part (to look at the properties every variant has).
    fn merge_all_of_within<'s>(&self, s: &'s Schema, within: &mut Vec<*const Schema>, lenient: bool) -> Result<Schema>
    where
        'd: 's,
    {
        if within.contains(&(s as *const Schema)) {
            return Err(Error::unsupported(&s.pointer, "an `allOf` that includes itself (through `$ref`s)"));
        }
        within.push(s);
        let mut merged = Schema {
            pointer: s.pointer.clone(),
            types: vec![InstanceType::Object],
            description: s.description.clone(),
            title: s.title.clone(),
            properties: s.properties.clone(),
            required: s.required.clone(),
            additional_properties: s.additional_properties.clone(),
            ..Schema::default()
        };
        let mut forbid_extra = true;
        for member in &s.all_of {
            let target = self.target(member)?;
            let mut part = if target.all_of.is_empty() {
                target.clone()
            } else {
                self.merge_all_of_within(target, within, lenient)?
            };
            if let Some(members) = union_members(&part) {
                // A union whose members only constrain, or that lists the schema being merged
                // (a parent that names its children, each an `allOf` of it): its own part.
                let lists_within = members.iter().any(|m| {
                    m.reference.is_some()
                        && self
                            .target(m)
                            .is_ok_and(|t| within.iter().any(|w| std::ptr::eq(*w, t)) || t.pointer == s.pointer)
                });
                if !(lenient || members.iter().all(constraint_only) || lists_within) {
                    return Err(Error::unsupported(
                        &member.pointer,
                        "an `allOf` member that is a union (`oneOf`/`anyOf`) here: the merged type would be a union",
                    ));
                }
                part.one_of.clear();
                part.any_of.clear();
                part.discriminator = None;
            }
            if !(part.types.is_empty() || part.types == [InstanceType::Object]) {
                return Err(Error::unsupported(&member.pointer, "an `allOf` member that is not an object"));
            }
            for (k, v) in part.properties {
                merged.properties.insert(k, v);
            }
            for r in part.required {
                if !merged.required.contains(&r) {
                    merged.required.push(r);
                }
            }
            forbid_extra &= part.additional_properties.as_ref().is_some_and(|a| a.never);
            if merged.description.is_none() {
                merged.description = part.description;
            }
        }
        if !forbid_extra && merged.additional_properties.as_ref().is_some_and(|a| a.never) {
            merged.additional_properties = None;
        }
        within.pop();
        Ok(merged)
    }

    /// For an `allOf` with a member that is a union (directly, through `$ref`s or through an
    /// `allOf` of its own): the union, with one schema per union member, the `allOf` in which
    /// that member stands for the union. `None` when no member is such a union. `within` holds
    /// the pointers of the schemas being split, to stop at cycles (which merging reports).
    fn split_all_of(&mut self, s: &Schema, within: &mut Vec<String>) -> Result<Option<Split>> {
        for (i, member) in s.all_of.iter().enumerate() {
            let target = self.target(member)?;
            // Cycles go through `$ref`s.
            if member.reference.is_some() && within.contains(&target.pointer) {
                return Ok(None);
            }
            let (union, options) = if let Some(members) = union_members(target) {
                let keyword = if target.one_of.is_empty() { "anyOf" } else { "oneOf" };
                if members.iter().all(constraint_only) {
                    self.warn(
                        &format!("{}/{keyword}", target.pointer),
                        format!("`{keyword}` only says which properties must be present; not enforced"),
                    );
                    continue;
                }
                let lists_within = members.iter().any(|m| {
                    m.reference.is_some()
                        && self.target(m).is_ok_and(|t| within.contains(&t.pointer) || t.pointer == s.pointer)
                });
                if lists_within {
                    continue;
                }
                // The union's own keywords (`properties` beside its `oneOf`) go with each member.
                let own = Schema {
                    one_of: Vec::new(),
                    any_of: Vec::new(),
                    discriminator: None,
                    description: None,
                    title: None,
                    ..target.clone()
                };
                let own =
                    (!own.properties.is_empty() || !own.all_of.is_empty() || !own.required.is_empty()).then_some(own);
                let options: Vec<Schema> = members
                    .iter()
                    .map(|m| match &own {
                        Some(own) => Schema {
                            pointer: m.pointer.clone(),
                            all_of: vec![own.clone(), m.clone()],
                            ..Schema::default()
                        },
                        None => m.clone(),
                    })
                    .collect();
                (target.clone(), options)
            } else if !target.all_of.is_empty() {
                within.push(target.pointer.clone());
                let inner = self.split_all_of(target, within);
                within.pop();
                let inner = inner?;
                match inner {
                    Some(inner) => (inner.union, inner.parts),
                    None => continue,
                }
            } else {
                continue;
            };
            let keyword = if union.one_of.is_empty() { "anyOf" } else { "oneOf" };
            let parts = options
                .into_iter()
                .enumerate()
                .map(|(j, option)| {
                    let mut all_of = s.all_of.clone();
                    all_of[i] = option;
                    Schema {
                        // Below this schema, not the member: a variant's own variants (a union of
                        // unions) are places of their own.
                        pointer: format!("{}/allOf/{i}/{keyword}/{j}", s.pointer),
                        properties: s.properties.clone(),
                        required: s.required.clone(),
                        additional_properties: s.additional_properties.clone(),
                        all_of,
                        ..Schema::default()
                    }
                })
                .collect();
            return Ok(Some(Split { union, parts }));
        }
        Ok(None)
    }

    /// For a schema with a union beside its own `properties` (or `allOf`): the union, with one
    /// schema per member, the member with those properties. A member that already includes the
    /// schema (a child that is an `allOf` of the parent naming it) is taken as it is.
    fn split_beside(&self, s: &Schema) -> Split {
        let members = union_members(s).unwrap_or_default();
        let shared = Schema {
            one_of: Vec::new(),
            any_of: Vec::new(),
            discriminator: None,
            description: None,
            title: None,
            ..s.clone()
        };
        let parts = members
            .iter()
            .map(|m| {
                if self.includes(m, &s.pointer, &mut Vec::new()) {
                    m.clone()
                } else {
                    Schema { pointer: m.pointer.clone(), all_of: vec![shared.clone(), m.clone()], ..Schema::default() }
                }
            })
            .collect();
        Split { union: s.clone(), parts }
    }

    /// Whether `m` is, or is an `allOf` that includes (through `$ref`s), the schema at `pointer`.
    fn includes(&self, m: &Schema, pointer: &str, seen: &mut Vec<String>) -> bool {
        let Ok(t) = self.target(m) else { return false };
        if t.pointer == pointer {
            return m.reference.is_some();
        }
        if seen.contains(&t.pointer) {
            return false;
        }
        seen.push(t.pointer.clone());
        t.all_of.iter().any(|part| self.includes(part, pointer, seen))
    }
    fn build_struct(&mut self, s: &Schema, name: &str) -> Result<Struct> {
        let mut names = Names::default();
        let mut fields = Vec::new();
        let shared_owner = self.variant_parts.get(&s.pointer).cloned();
        for (wire, prop) in &s.properties {
            if prop.never {
                self.warn(&prop.pointer, format!("property `{wire}` can never be present (`false` schema); left out"));
                continue;
            }
            let rust = names.unique(&field_name(wire));
            // In a variant of a distributed union, what every variant has is named after the union.
            let owner = match &shared_owner {
                Some((union, member)) if !under(&prop.pointer, member) && !under(&prop.pointer, &s.pointer) => union,
                _ => name,
            };
            let hint = format!("{owner}{}", type_name(wire));
            let r = self.resolve(prop, &hint, Items::SameName)?;
            let docs = docs_of(prop);
            let binary = self.is_binary(prop)?;
            let secret = is_secret(prop) || is_secret(self.target(prop)?);
            let constant = prop
                .constant
                .clone()
                .or_else(|| string_constant(prop).map(|c| Json::String(c.to_owned())))
                .filter(|c| constant_fits(&r.ty, c));
            fields.push(Field {
                name: rust,
                wire: wire.clone(),
                ty: r.ty,
                required: s.required.contains(wire),
                nullable: r.nullable,
                boxed: false,
                binary,
                constant,
                secret,
                docs,
            });
        }
        for r in &s.required {
            if !s.properties.contains_key(r) {
                self.warn(
                    &s.pointer,
                    format!("required property `{r}` is not described; it is kept with the unknown fields"),
                );
            }
        }
        let extra = match s.additional_properties.as_deref() {
            Some(ap) if ap.never => Extra::Forbidden,
            Some(ap) if !ap.is_any() => {
                let r = self.resolve(ap, &format!("{name}Value"), Items::ItemSuffix)?;
                Extra::Typed(names.unique("additional_properties"), wrap_nullable(r))
            }
            _ => Extra::Kept(names.unique("extra")),
        };
        Ok(Struct { fields, extra })
    }

    fn build_union(&mut self, s: &Schema, name: &str) -> Result<Union> {
        if !s.one_of.is_empty() && !s.any_of.is_empty() {
            return Err(Error::unsupported(&s.pointer, "`oneOf` and `anyOf` on the same schema"));
        }
        let members = if s.one_of.is_empty() { &s.any_of } else { &s.one_of };
        self.union_of(s, s.discriminator.as_ref(), members, members, name)
    }

    /// The union a [`Split`] makes: its variants are the split's parts, named and tagged by the
    /// union's members (a discriminator of the union, else of the schema, still tags them).
    fn distributed(&mut self, s: &Schema, split: Split, name: &str) -> Result<Union> {
        if !split.union.one_of.is_empty() && !split.union.any_of.is_empty() {
            return Err(Error::unsupported(&split.union.pointer, "`oneOf` and `anyOf` on the same schema"));
        }
        // A variant that spreads the union it is a variant of again would make variants of
        // variants without end (each at a new place). Elsewhere (a property of a variant) the
        // union is spread at a place of its own, once.
        if self.distributing.contains(&split.union.pointer) && self.variant_parts.contains_key(&s.pointer) {
            return Err(Error::unsupported(
                &s.pointer,
                format!(
                    "the union {} is spread over what its members share, and a member shares it again (through `$ref`s): the variants would never end",
                    split.union.pointer
                ),
            ));
        }
        self.distributed_count += split.parts.len();
        if self.distributed_count > MAX_DISTRIBUTED {
            return Err(Error::unsupported(
                &s.pointer,
                format!("unions spread over `allOf`s make more than {MAX_DISTRIBUTED} variants"),
            ));
        }
        self.distributing.push(split.union.pointer.clone());
        let union = self.distributed_within(s, split, name);
        self.distributing.pop();
        union
    }

    /// [`Self::distributed`] below its checks.
    fn distributed_within(&mut self, s: &Schema, split: Split, name: &str) -> Result<Union> {
        let members = union_members(&split.union).unwrap_or_default();
        for (m, part) in members.iter().zip(&split.parts) {
            if part.reference.is_none() {
                let member = self.target(m)?.pointer.clone();
                self.variant_parts.insert(part.pointer.clone(), (name.to_owned(), member));
            }
        }
        let discriminator = split.union.discriminator.as_ref().or(s.discriminator.as_ref());
        self.union_of(s, discriminator, members, &split.parts, name)
    }

    /// A union of `parts` (one per member: the member itself, or the member with what it shares),
    /// tagged by a discriminator, by an inferred tag, or untagged.
    fn union_of(
        &mut self,
        s: &Schema,
        discriminator: Option<&crate::load::Discriminator>,
        members: &[Schema],
        parts: &[Schema],
        name: &str,
    ) -> Result<Union> {
        if let Some(d) = discriminator {
            return self.discriminated(s, members, parts, d, name);
        }
        if let Some((property, tags)) = self.infer_tag(parts)? {
            return self.tagged(&s.pointer, members, parts, Tagging::Inferred(property), tags, name);
        }
        self.untagged(&s.pointer, members, parts, name)
    }

    /// The object schema of a union member, following references and merging an `allOf`; `None`
    /// if it is not an object.
    fn member_object<'s>(&self, m: &'s Schema) -> Result<Option<Cow<'s, Schema>>>
    where
        'd: 's,
    {
        let t = self.target(m)?;
        if !t.one_of.is_empty() || !t.any_of.is_empty() {
            return Ok(None);
        }
        if !t.all_of.is_empty() {
            // A member that cannot be merged is reported when it is resolved; unions in it are
            // spread over it then, and what they share is what the member has in every variant.
            return Ok(self.merge_all_of_within(t, &mut Vec::new(), true).ok().map(Cow::Owned));
        }
        let object = t.types == [InstanceType::Object] || (t.types.is_empty() && !t.properties.is_empty());
        Ok(object.then_some(Cow::Borrowed(t)))
    }

    /// A property that every member requires and fixes to a different string: the tag.
    fn infer_tag(&self, members: &[Schema]) -> Result<Option<(String, Vec<Vec<String>>)>> {
        if members.len() < 2 {
            return Ok(None);
        }
        let mut objects = Vec::new();
        for m in members {
            match self.member_object(m)? {
                Some(o) => objects.push(o),
                None => return Ok(None),
            }
        }
        'candidates: for property in objects[0].properties.keys() {
            let mut tags = Vec::new();
            for o in &objects {
                let Some(p) = o.properties.get(property) else { continue 'candidates };
                if !o.required.contains(property) {
                    continue 'candidates;
                }
                let p = self.target(p)?;
                let Some(value) = string_constant(p) else { continue 'candidates };
                if tags.iter().any(|t: &Vec<String>| t[0] == value) {
                    continue 'candidates;
                }
                tags.push(vec![value.to_owned()]);
            }
            return Ok(Some((property.clone(), tags)));
        }
        Ok(None)
    }

    fn discriminated(
        &mut self,
        s: &Schema,
        members: &[Schema],
        parts: &[Schema],
        d: &crate::load::Discriminator,
        name: &str,
    ) -> Result<Union> {
        let mut tags = Vec::new();
        for (m, part) in members.iter().zip(parts) {
            let mut values: Vec<String> = Vec::new();
            if let Some(r) = &m.reference {
                values.extend(d.tags_of(r).cloned());
                if values.is_empty() {
                    // Without a mapping entry: the member's constant tag if it has one, else the
                    // component's name (the OpenAPI default).
                    let constant = match self.member_object(part)? {
                        Some(o) => match o.properties.get(&d.property_name) {
                            Some(p) => string_constant(self.target(p)?).map(str::to_owned),
                            None => None,
                        },
                        None => None,
                    };
                    match constant {
                        Some(c) => values.push(c),
                        None => values.extend(refs::component_name(r, "schemas").map(|n| n.into_owned())),
                    }
                }
            } else if let Some(o) = self.member_object(part)? {
                if let Some(p) = o.properties.get(&d.property_name) {
                    values.extend(string_constant(self.target(p)?).map(str::to_owned));
                }
            }
            if values.is_empty() {
                return Err(Error::unsupported(
                    &m.pointer,
                    format!("a discriminated union member without a `$ref` or a constant `{}`", d.property_name),
                ));
            }
            tags.push(values);
        }
        for (tag, target) in &d.mapping {
            let target_ref = refs::mapping_ref(target);
            if !members.iter().any(|m| m.reference.as_deref() == Some(&*target_ref)) {
                self.warn(
                    &format!("{}/discriminator/mapping", s.pointer),
                    format!("mapping `{tag}` names `{target}`, which is not a member; ignored"),
                );
            }
        }
        self.tagged(&s.pointer, members, parts, Tagging::Discriminator(d.property_name.clone()), tags, name)
    }

    fn tagged(
        &mut self,
        union: &str,
        members: &[Schema],
        parts: &[Schema],
        tagging: Tagging,
        tags: Vec<Vec<String>>,
        name: &str,
    ) -> Result<Union> {
        let property = tagging.property().unwrap_or_default().to_owned();
        // Members given by reference are named after their types; inline ones after their tag.
        let ref_names: Vec<String> = members.iter().filter_map(|m| self.member_type_name(m)).collect();
        let stripped = strip_common_affixes(&ref_names, name);
        let mut stripped = stripped.into_iter();
        let mut names = self.locked_variants(union);
        let mut variants = Vec::new();
        for ((m, part), tag) in members.iter().zip(parts).zip(tags) {
            let base = if m.reference.is_some() { stripped.next().unwrap_or_default() } else { variant_name(&tag[0]) };
            let place = format!("tag:{}", tag[0]);
            let variant = self.variant_name(union, &place, &base, &mut names);
            if let Some(o) = self.member_object(part)? {
                if !o.properties.contains_key(&property) {
                    self.warn(&m.pointer, format!("union member does not describe its tag property `{property}`"));
                }
            } else {
                return Err(Error::unsupported(&m.pointer, "a member of a tagged union that is not an object"));
            }
            let r = self.resolve(part, &format!("{name}{variant}"), Items::ItemSuffix)?;
            if let (TypeRef::Named(id), [only]) = (&r.ty, tag.as_slice()) {
                self.fix_tag(*id, &property, only);
            }
            variants.push(UnionVariant { name: variant, place, tags: tag, ty: r.ty, boxed: false });
        }
        Ok(Union { tagging, variants })
    }

    /// The Rust name of the component a member references, if it does.
    fn member_type_name(&self, m: &Schema) -> Option<String> {
        let r = m.reference.as_ref()?;
        let (id, _) = self.component(r, &m.pointer).ok()?;
        Some(self.types[id.0].name.clone())
    }

    /// The variant names the lock keeps for a union, reserved, with `Unknown` (the fallback).
    fn locked_variants(&self, union: &str) -> Names {
        let mut names = Names::default();
        names.reserve("Unknown");
        let from = (union.to_owned(), String::new());
        for ((_, _), name) in self.lock.variants.range(from..).take_while(|((u, _), _)| u == union) {
            names.reserve(name);
        }
        names
    }

    /// The name of a union's variant for a member: the one the lock keeps, else `base` made
    /// unique among the union's variants.
    fn variant_name(&self, union: &str, place: &str, base: &str, names: &mut Names) -> String {
        match self.lock.variants.get(&(union.to_owned(), place.to_owned())) {
            Some(locked) => locked.clone(),
            None => names.unique(base),
        }
    }

    /// A member with exactly one tag value gets it as the constant of its tag field, so that
    /// `Member::default()` carries the right tag.
    fn fix_tag(&mut self, id: TypeId, property: &str, tag: &str) {
        if let TypeKind::Struct(s) = &mut self.types[id.0].kind {
            if let Some(f) =
                s.fields.iter_mut().find(|f| f.wire == property && f.constant.is_none() && f.ty == TypeRef::String)
            {
                f.constant = Some(Json::String(tag.to_owned()));
                f.docs.notes.insert(0, format!("Always `\"{tag}\"` in this variant."));
            }
        }
    }

    fn untagged(&mut self, union: &str, members: &[Schema], parts: &[Schema], name: &str) -> Result<Union> {
        let mut resolved = Vec::new();
        for (i, (m, part)) in members.iter().zip(parts).enumerate() {
            let hint = match (m.title.as_deref(), self.member_type_name(m)) {
                (Some(t), _) => format!("{name}{}", type_name(t)),
                // A member given by reference, with what it shares: named after both.
                (None, Some(member)) if part.reference.is_none() => format!("{name}{member}"),
                _ => format!("{name}Variant{}", i + 1),
            };
            let r = self.resolve(part, &hint, Items::ItemSuffix)?;
            resolved.push(r.ty);
        }
        let named: Vec<String> = resolved
            .iter()
            .filter_map(|t| match t {
                TypeRef::Named(id) => Some(self.types[id.0].name.clone()),
                _ => None,
            })
            .collect();
        let mut stripped = strip_common_affixes(&named, name).into_iter();
        let mut names = self.locked_variants(union);
        let mut variants: Vec<UnionVariant> = resolved
            .into_iter()
            .zip(members)
            .enumerate()
            .map(|(i, (ty, m))| {
                let base = match &ty {
                    TypeRef::Named(_) => stripped.next().unwrap_or_default(),
                    other => self.describe(other),
                };
                let place = match &m.reference {
                    Some(r) => format!("ref:{r}"),
                    None => format!("at:{i}"),
                };
                let name = self.variant_name(union, &place, &base, &mut names);
                UnionVariant { name, place, tags: Vec::new(), ty, boxed: false }
            })
            .collect();
        // serde tries members in order: integers before numbers, catch-alls last.
        variants.sort_by_key(|v| match v.ty {
            TypeRef::Integer(_) => 0,
            TypeRef::Number | TypeRef::Float => 1,
            TypeRef::Map(_) | TypeRef::JsonObject => 3,
            TypeRef::Json => 4,
            _ => 2,
        });
        Ok(Union { tagging: Tagging::Untagged, variants })
    }
    fn describe(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.types[id.0].name.clone(),
            TypeRef::String => "String".into(),
            TypeRef::Integer(_) => "Integer".into(),
            TypeRef::Number | TypeRef::Float => "Number".into(),
            TypeRef::Boolean => "Boolean".into(),
            TypeRef::Json => "Value".into(),
            TypeRef::JsonObject => "Object".into(),
            TypeRef::Array(t) => format!("{}List", self.describe(t)),
            TypeRef::Map(t) => format!("{}Map", self.describe(t)),
            TypeRef::Nullable(t) => format!("Optional{}", self.describe(t)),
            TypeRef::Unit => "Null".into(),
        }
    }
}

/// `Option<T>` for nullable items of arrays and maps.
fn wrap_nullable(r: Resolved) -> TypeRef {
    if r.nullable {
        TypeRef::Nullable(Box::new(r.ty))
    } else {
        r.ty
    }
}

/// The integer type for a schema: from `format` when given, otherwise the smallest type that
/// holds the declared range (`i64` when the range is open below, `u64` when only open above).
fn int_type(s: &Schema) -> IntType {
    match s.format.as_deref() {
        Some("int8") => return IntType::I8,
        Some("int16") => return IntType::I16,
        Some("int32") => return IntType::I32,
        Some("int64") => return IntType::I64,
        Some("uint8") => return IntType::U8,
        Some("uint16") => return IntType::U16,
        Some("uint32") => return IntType::U32,
        Some("uint64") => return IntType::U64,
        _ => {}
    }
    let lo = s.minimum.or(s.exclusive_minimum.map(|m| m + 1.0));
    let hi = s.maximum.or(s.exclusive_maximum.map(|m| m - 1.0));
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo >= 0.0 => {
            if hi <= u8::MAX as f64 {
                IntType::U8
            } else if hi <= u16::MAX as f64 {
                IntType::U16
            } else if hi <= u32::MAX as f64 {
                IntType::U32
            } else {
                IntType::U64
            }
        }
        (Some(lo), None) if lo >= 0.0 => IntType::U64,
        (Some(lo), Some(hi)) => {
            if lo >= i8::MIN as f64 && hi <= i8::MAX as f64 {
                IntType::I8
            } else if lo >= i16::MIN as f64 && hi <= i16::MAX as f64 {
                IntType::I16
            } else if lo >= i32::MIN as f64 && hi <= i32::MAX as f64 {
                IntType::I32
            } else {
                IntType::I64
            }
        }
        _ => IntType::I64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            strip_common_affixes(&names(&["UserMessagePart", "AdminNotePart"]), "ConversationPart"),
            names(&["UserMessage", "AdminNote"])
        );
        assert_eq!(
            strip_common_affixes(&names(&["ConversationFromContact", "ConversationFromAdmin"]), "ConversationFrom"),
            names(&["Contact", "Admin"])
        );
        assert_eq!(
            strip_common_affixes(&names(&["ContactReplyBody", "AdminReplyBody"]), "Reply"),
            names(&["Contact", "Admin"])
        );
        assert_eq!(strip_common_affixes(&names(&["Cat", "Dog"]), "Pet"), names(&["Cat", "Dog"]));
        assert_eq!(strip_common_affixes(&names(&["PetCat", "Pet"]), "X"), names(&["PetCat", "Pet"]));
        assert_eq!(strip_common_affixes(&names(&["OptionType", "SelfType"]), "U"), names(&["OptionType", "SelfType"]));
    }

    #[test]
    fn integer_types_fit_the_range() {
        let s = |min: Option<f64>, max: Option<f64>| Schema { minimum: min, maximum: max, ..Schema::default() };
        assert_eq!(int_type(&s(Some(1.0), Some(100.0))), IntType::U8);
        assert_eq!(int_type(&s(Some(0.0), None)), IntType::U64);
        assert_eq!(int_type(&s(Some(-5.0), Some(5.0))), IntType::I8);
        assert_eq!(int_type(&s(None, None)), IntType::I64);
        assert_eq!(int_type(&Schema { format: Some("int32".into()), ..s(Some(0.0), None) }), IntType::I32);
    }
}
