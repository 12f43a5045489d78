//! The generated Rust API as the generator's model describes it: names of types, fields,
//! variants and methods, and the Rust type of each use, for phrasing changes.

use generator::model::modules::module_of;
use generator::model::{
    Api, EnumVariant, Extra, Field, IntType, Operation, Presence, StringEnum, Struct, TypeDef, TypeId, TypeKind,
    TypeRef, Union, UnionVariant,
};
use std::collections::HashMap;

/// One version's model, with lookups.
pub struct Model<'a> {
    /// The model.
    pub api: &'a Api,
    /// Type by the pointer of its schema (the first type, when several share one).
    by_pointer: HashMap<&'a str, TypeId>,
}

impl<'a> Model<'a> {
    /// Indexes a model.
    pub fn new(api: &'a Api) -> Self {
        let mut by_pointer = HashMap::new();
        for (i, t) in api.types.types.iter().enumerate() {
            by_pointer.entry(t.pointer.as_str()).or_insert(TypeId(i));
        }
        Model { api, by_pointer }
    }

    /// The type with this id.
    pub fn def(&self, id: TypeId) -> &'a TypeDef {
        &self.api.types.types[id.0]
    }

    /// The type of the component schema `name`.
    pub fn component(&self, name: &str) -> Option<TypeId> {
        let pointer = format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"));
        self.by_pointer.get(pointer.as_str()).copied()
    }

    /// The type behind `Option`s and aliases.
    pub fn peel<'t>(&self, t: &'t TypeRef) -> &'t TypeRef
    where
        'a: 't,
    {
        let mut current = t;
        for _ in 0..32 {
            match current {
                TypeRef::Nullable(inner) => current = inner,
                TypeRef::Named(id) => match &self.def(*id).kind {
                    TypeKind::Alias(inner) => current = inner,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// The named type a use refers to directly (behind `Option`, not behind aliases).
    pub fn named(&self, t: Option<&TypeRef>) -> Option<TypeId> {
        match t? {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(inner) => self.named(Some(inner)),
            _ => None,
        }
    }

    fn named_def(&self, t: Option<&TypeRef>) -> Option<(TypeId, &'a TypeDef)> {
        match self.peel(t?) {
            TypeRef::Named(id) => Some((*id, self.def(*id))),
            _ => None,
        }
    }

    /// The struct a use refers to.
    pub fn struct_of(&self, t: Option<&TypeRef>) -> Option<(&'a TypeDef, &'a Struct)> {
        match self.named_def(t)? {
            (_, def @ TypeDef { kind: TypeKind::Struct(s), .. }) => Some((def, s)),
            _ => None,
        }
    }

    /// The string enum a use refers to.
    pub fn enum_of(&self, t: Option<&TypeRef>) -> Option<(&'a TypeDef, &'a StringEnum)> {
        match self.named_def(t)? {
            (_, def @ TypeDef { kind: TypeKind::Enum(e), .. }) => Some((def, e)),
            _ => None,
        }
    }

    /// The union a use refers to.
    pub fn union_of(&self, t: Option<&TypeRef>) -> Option<(&'a TypeDef, &'a Union)> {
        match self.named_def(t)? {
            (_, def @ TypeDef { kind: TypeKind::Union(u), .. }) => Some((def, u)),
            _ => None,
        }
    }

    /// The item type of an array use.
    pub fn items_of(&self, t: Option<&TypeRef>) -> Option<TypeRef> {
        match self.peel(t?) {
            TypeRef::Array(inner) => Some((**inner).clone()),
            _ => None,
        }
    }

    /// The value type of a map use (a `BTreeMap`, or a struct's typed extra properties).
    pub fn values_of(&self, t: Option<&TypeRef>) -> Option<TypeRef> {
        match self.peel(t?) {
            TypeRef::Map(inner) => Some((**inner).clone()),
            TypeRef::Named(id) => match &self.def(*id).kind {
                TypeKind::Struct(Struct { extra: Extra::Typed(_, t), .. }) => Some(t.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The variant of `union` for a member with these tag values or this component.
    pub fn variant(
        &self,
        union: &'a Union,
        tags: &[String],
        component: Option<&str>,
        scalar: Option<&TypeRef>,
    ) -> Option<&'a UnionVariant> {
        if !tags.is_empty() {
            if let Some(v) = union.variants.iter().find(|v| v.tags.iter().any(|t| tags.contains(t))) {
                return Some(v);
            }
        }
        if let Some(id) = component.and_then(|c| self.component(c)) {
            if let Some(v) = union.variants.iter().find(|v| self.named(Some(&v.ty)) == Some(id)) {
                return Some(v);
            }
        }
        let scalar = scalar?;
        let mut same =
            union.variants.iter().filter(|v| std::mem::discriminant(&v.ty) == std::mem::discriminant(scalar));
        match (same.next(), same.next()) {
            (Some(v), None) => Some(v),
            _ => None,
        }
    }

    /// A Rust type, as written in the crate (`Vec<types::Tag>` is written `Vec<Tag>`).
    pub fn render(&self, t: &TypeRef) -> String {
        match t {
            TypeRef::Named(id) => self.def(*id).name.clone(),
            TypeRef::String => "String".into(),
            TypeRef::Integer(i) => match i {
                IntType::I8 => "i8",
                IntType::I16 => "i16",
                IntType::I32 => "i32",
                IntType::I64 => "i64",
                IntType::U8 => "u8",
                IntType::U16 => "u16",
                IntType::U32 => "u32",
                IntType::U64 => "u64",
            }
            .into(),
            TypeRef::Number => "f64".into(),
            TypeRef::Float => "f32".into(),
            TypeRef::Boolean => "bool".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
            TypeRef::Array(inner) => format!("Vec<{}>", self.render(inner)),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", self.render(inner)),
            TypeRef::Nullable(inner) => format!("Option<{}>", self.render(inner)),
            TypeRef::Unit => "()".into(),
        }
    }

    /// A field's declared type: its type with the `Box`, `Option` or `Nullable` that boxing,
    /// presence and nullability add.
    pub fn render_field(&self, f: &Field) -> String {
        let mut t = f.secret.then(|| self.render_secret(&f.ty, 0)).flatten().unwrap_or_else(|| self.render(&f.ty));
        if f.boxed {
            t = format!("Box<{t}>");
        }
        match f.presence() {
            Presence::Required => t,
            Presence::RequiredNullable | Presence::Optional => format!("Option<{t}>"),
            Presence::OptionalNullable => format!("Nullable<{t}>"),
        }
    }

    /// The type of a secret field whose values are strings, as the generator writes it: each
    /// string (through `Option`, `Vec`, maps and aliases) is a `Secret`; `None` when they are not
    /// strings.
    fn render_secret(&self, t: &TypeRef, depth: usize) -> Option<String> {
        Some(match t {
            TypeRef::String => "Secret".into(),
            TypeRef::Nullable(inner) => format!("Option<{}>", self.render_secret(inner, depth)?),
            TypeRef::Array(inner) => format!("Vec<{}>", self.render_secret(inner, depth)?),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", self.render_secret(inner, depth)?),
            TypeRef::Named(id) if depth < 16 => match &self.def(*id).kind {
                TypeKind::Alias(inner) => self.render_secret(inner, depth + 1)?,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The field that holds a struct's properties not described, and its type, if there is one.
    pub fn render_extra(&self, s: &Struct) -> Option<(String, String)> {
        match &s.extra {
            Extra::Forbidden => None,
            Extra::Kept(name) => Some((name.clone(), "serde_json::Map<String, serde_json::Value>".into())),
            Extra::Typed(name, t) => Some((name.clone(), format!("BTreeMap<String, {}>", self.render(t)))),
        }
    }

    /// How callers build a struct, as they see it (the model's rule:
    /// [`generator::model::Construction`]).
    pub fn constructor_signature(&self, def: &'a TypeDef, s: &'a Struct) -> Built {
        let args = s.constructor_args().iter().map(|f| (f.name.clone(), self.render(&f.ty))).collect();
        let required = match self.api.types.construction(def) {
            Some(generator::model::Construction::Named(name, _)) => Some(name),
            _ => None,
        };
        Built { required, args }
    }

    /// The Rust call of an operation: `client.conversations().list()`.
    pub fn call(&self, op: &Operation) -> String {
        format!("client.{}().{}()", module_of(op, &self.api.resources), op.fn_name)
    }

    /// The catch-all variant of an enum or union with these variant names.
    pub fn fallback<'n>(names: impl Iterator<Item = &'n str>) -> String {
        generator::naming::fallback_name(names)
    }

    /// An enum's catch-all variant.
    pub fn enum_fallback(e: &StringEnum) -> String {
        Self::fallback(e.variants.iter().map(|v: &EnumVariant| v.name.as_str()))
    }

    /// A union's catch-all variant.
    pub fn union_fallback(u: &Union) -> String {
        Self::fallback(u.variants.iter().map(|v| v.name.as_str()))
    }

    /// The error codes of the crate's `ErrorCode`, in order, with their variant names and the
    /// operations (by index) that document each.
    pub fn error_codes(&self) -> Vec<(String, String, Vec<usize>)> {
        let mut out: Vec<(String, String, Vec<usize>)> = Vec::new();
        for (i, op) in self.api.operations.iter().enumerate() {
            for e in &op.errors {
                for c in &e.codes {
                    match out.iter_mut().find(|(code, _, _)| code == c) {
                        Some((_, _, ops)) => {
                            if !ops.contains(&i) {
                                ops.push(i)
                            }
                        }
                        None => out.push((c.clone(), String::new(), vec![i])),
                    }
                }
            }
        }
        let mut names = generator::naming::Names::default();
        for (code, name, _) in &mut out {
            *name = names.unique(&generator::naming::variant_name(code));
        }
        out
    }
}

/// How callers build a struct ([`Model::constructor_signature`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    /// The struct of its required fields that `new` takes, when it takes one.
    pub required: Option<String>,
    /// The fields callers supply, `(name, type)`: none for a struct built with `Default`, one
    /// for `new(value)`.
    pub args: Vec<(String, String)>,
}

/// Whether callers must give a value for this field when they build the struct (the model's
/// rule: [`Field::is_constructor_arg`]).
pub fn must_supply(f: &Field) -> bool {
    f.is_constructor_arg()
}
