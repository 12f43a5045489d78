//! Schemas -> the [`TypeSpace`]: the [`Builder`] and the model's entry point ([`build_with`]).
//!
//! Here: naming, hoisting of inline schemas, and the types that are neither unions nor merged
//! `allOf`s (structs, tuples, string enums, aliases). Elsewhere in this stage: `allOf` merging
//! and splitting (`all_of`), union tagging (`unions`), integer widths (`integers`) and the notes
//! of a schema's documentation (`docs`).

pub(super) use super::docs::docs_of;
use super::integers::{int_range, int_type};
use super::lock::NameLock;
use super::unions::union_members;
use super::*;
use crate::error::{Error, Result, Skipped, Warning};
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
    b.define_components();
    let (version_header, version_warnings) = version::version_header(doc, settings);
    let mut operations = operations::build(&mut b, version_header.as_deref(), &settings.names)?;
    let resources = modules::resources(doc, &operations);
    modules::link(&mut operations, &resources);
    operations::name_builders(&mut operations, &resources);
    let mut webhooks = webhooks::build(&mut b, settings);
    let mut names = lock::assigned(&b.types, &operations);
    if let Some(w) = &webhooks {
        webhooks::lock(w, &mut names);
    }
    let mut types = TypeSpace { types: b.types };
    recursion::box_cycles(&mut types);
    recursion::mark_defaults(&mut types);
    modules::assign(&mut types, &operations, &resources);
    if let Some(w) = &mut webhooks {
        webhooks::place(&mut types, w, &resources);
    }
    let mut warnings = doc.warnings.clone();
    warnings.extend(std::mem::take(&mut b.warnings));
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
        skipped: {
            let mut all = doc.skipped.clone();
            all.extend(b.skipped);
            all
        },
        names,
        webhooks,
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

/// Builds the type space from the document's schemas, one type at a time.
pub(super) struct Builder<'d> {
    pub doc: &'d Document,
    /// The names given in the previous generation (see [`super::lock`]).
    pub(super) lock: &'d NameLock,
    /// The pointers whose locked type name is taken (by the first type made there).
    locked_taken: std::collections::HashSet<String>,
    pub types: Vec<TypeDef>,
    components: HashMap<String, TypeId>,
    type_names: Names,
    /// Hoisted schemas by pointer, with their shape: a schema used twice (a path-level
    /// parameter of several operations, a shared request body) is one type.
    hoisted: HashMap<String, (Schema, TypeId)>,
    /// The variants of distributed unions (see [`super::all_of::Split`]), by pointer: the
    /// union's name and where the variant's member is. Written by [`Builder::distributed`]
    /// before it resolves the variants, read by [`Builder::build_struct`]: what every variant
    /// shares is named after the union, not after the variant.
    pub(super) variant_parts: HashMap<String, (String, String)>,
    /// The unions being distributed, innermost last, by pointer: one reached again through its
    /// own variants would be distributed without end.
    pub(super) distributing: Vec<String>,
    /// How many variants distributed unions have made so far (see
    /// [`super::unions::MAX_DISTRIBUTED`]).
    pub(super) distributed_count: usize,
    pub warnings: Vec<Warning>,
    /// What could not be generated, each left out (or typed as any JSON value) alone.
    pub skipped: Vec<Skipped>,
}

/// See [`Builder::checkpoint`].
pub(super) struct Checkpoint {
    types: usize,
    warnings: usize,
    skipped: usize,
    distributing: usize,
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
pub(super) fn string_enum(s: &Schema) -> Option<Vec<String>> {
    let values = s.enumeration.as_ref()?;
    if values.len() < 2 || !(s.types.is_empty() || s.types == [InstanceType::String]) {
        return None;
    }
    values.iter().map(|v| v.as_str().map(str::to_owned)).collect()
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
pub(super) fn constraint_only(s: &Schema) -> bool {
    (s.types.is_empty() || s.types == [InstanceType::Object]) && crate::normalize::is_bare(s)
}

/// Whether the place `pointer` is at `base` or inside it.
fn under(pointer: &str, base: &str) -> bool {
    pointer.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether a constant can be written as a value of a type (it is the field's `Default`): a
/// constant of another type (`const: "a"` on an enum, `const: 300` on a `u8`) is only documented.
fn constant_fits(ty: &TypeRef, c: &Json) -> bool {
    match (ty, c) {
        (TypeRef::String, Json::String(_)) | (TypeRef::Boolean, Json::Bool(_)) => true,
        (TypeRef::Number | TypeRef::Float, Json::Number(n)) => n.as_f64().is_some_and(f64::is_finite),
        (TypeRef::Integer(t), Json::Number(n)) => {
            let (lo, hi) = int_range(*t);
            let v = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
            v.is_some_and(|v| lo <= v && v <= hi)
        }
        _ => false,
    }
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
            skipped: Vec::new(),
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
    pub(super) fn target<'s>(&self, s: &'s Schema) -> Result<&'s Schema>
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

    /// Defines every component schema. One that cannot be expressed in Rust stays what its
    /// placeholder is, any JSON value (`serde_json::Value`), with a warning and an entry in
    /// [`Builder::skipped`]: the rest of the document is generated.
    fn define_components(&mut self) {
        for (name, schema) in &self.doc.components.schemas {
            let id = self.components[name];
            let checkpoint = self.checkpoint();
            if let Err(e) = self.define_component(id, schema) {
                self.rollback(checkpoint);
                self.types[id.0].docs = docs_of(schema);
                self.skip(&schema.pointer, format!("schema `{name}`"), "typed as any JSON value", &e);
            }
        }
    }

    fn define_component(&mut self, id: TypeId, schema: &Schema) -> Result<()> {
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
        Ok(())
    }

    /// Where the type space stands, to undo what a failed definition added ([`Self::rollback`]).
    pub(super) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            types: self.types.len(),
            warnings: self.warnings.len(),
            skipped: self.skipped.len(),
            distributing: self.distributing.len(),
        }
    }

    /// Forgets the types (and their warnings) made since `checkpoint`: what a definition that
    /// failed half-way made is not used by anything.
    pub(super) fn rollback(&mut self, checkpoint: Checkpoint) {
        self.types.truncate(checkpoint.types);
        self.warnings.truncate(checkpoint.warnings);
        self.skipped.truncate(checkpoint.skipped);
        self.hoisted.retain(|_, (_, id)| id.0 < checkpoint.types);
        self.distributing.truncate(checkpoint.distributing);
    }

    /// Records what could not be generated and why, as a warning and in [`Self::skipped`].
    pub(super) fn skip(&mut self, pointer: &str, what: String, instead: &str, error: &Error) {
        let skipped = Skipped::new(pointer, what, instead, error);
        self.warnings.push(skipped.warning());
        self.skipped.push(skipped);
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
            // An inline schema that cannot be expressed is any JSON value, alone: its parent,
            // and the rest of the API, are generated.
            let checkpoint = self.checkpoint();
            return match self.hoist(s, hint) {
                Ok(id) => Ok(Resolved { ty: TypeRef::Named(id), nullable: s.nullable }),
                Err(e) => {
                    self.rollback(checkpoint);
                    self.skip(&s.pointer, format!("type `{}`", type_name(hint)), "typed as any JSON value", &e);
                    Ok(Resolved { ty: TypeRef::Json, nullable: s.nullable })
                }
            };
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
            // The catch-all variant keeps the name the lock gives it: a new value `unknown` is
            // named around it, so that `Unknown(String)` stays what it was.
            if let Some(fallback) = self.lock.fallbacks.get(&s.pointer) {
                names.reserve(fallback);
            }
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
                .or_else(|| prop.string_constant().map(|c| Json::String(c.to_owned())))
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
}

/// `Option<T>` for nullable items of arrays and maps.
fn wrap_nullable(r: Resolved) -> TypeRef {
    if r.nullable {
        TypeRef::Nullable(Box::new(r.ty))
    } else {
        r.ty
    }
}
