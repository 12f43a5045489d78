//! Stage 3, model: what the Rust API will be, before it is Rust.
//!
//! Schemas become a [`TypeSpace`] of named types (structs, string enums, unions, aliases) that
//! refer to each other by [`TypeId`]; operations become [`Operation`]s that refer into it. Naming,
//! hoisting of inline schemas, union tag inference, boxing of recursion and the grouping of types
//! into modules all happen here, on the model, so that the emit stage only prints. Which media
//! type a body or response uses and how it is encoded is decided in `bodies`; security schemes
//! the client cannot apply are reported by `security`.

mod all_of;
mod bodies;
mod build;
mod docs;
mod integers;
pub mod lock;
pub mod modules;
mod operations;
mod recursion;
mod security;
mod unions;
mod version;
pub mod webhooks;

pub use bodies::*;
pub use build::{build, build_with};
pub use operations::*;
pub use security::Auth;

use serde_json::Value as Json;

/// What the model takes besides the document: choices a spec cannot make by itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The header that carries the API version on every call. `None`: found by the rule in
    /// the `version` module (a header every operation takes whose name or description says
    /// "version").
    pub version_header: Option<String>,
    /// The names of the previous generation, kept by their places (see [`lock`]).
    pub names: lock::NameLock,
    /// How the API signs the webhooks it sends, over the spec's `x-webhook-signature` (see
    /// [`webhooks::parse_signature`]).
    pub webhook_signature: Option<Json>,
}

/// Index of a type in [`TypeSpace::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// Everything the generator will emit.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// The API's title.
    pub title: String,
    /// The API version (`info.version`).
    pub version: String,
    /// The API description.
    pub description: Option<String>,
    /// The default base URL (first server), if any.
    pub base_url: Option<String>,
    /// The header that carries the API version on every call, when the spec has one.
    pub version_header: Option<String>,
    /// How the client sends its key.
    pub auth: Auth,
    /// The named types.
    pub types: TypeSpace,
    /// The operations, in document order.
    pub operations: Vec<Operation>,
    /// Resource groups (from tags), in declared order, each with its module name.
    pub resources: Vec<Resource>,
    /// What was passed over or simplified.
    pub warnings: Vec<crate::Warning>,
    /// What could not be generated at all: each item alone, the rest of the API is generated.
    pub skipped: Vec<crate::Skipped>,
    /// The name of every place, for the next generation's lock (see [`lock`]).
    pub names: lock::NameLock,
    /// The requests the API sends (OpenAPI 3.1 `webhooks`), when it describes any.
    pub webhooks: Option<webhooks::Webhooks>,
}

/// A group of operations and types: one tag, one module.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The tag as written in the spec.
    pub tag: String,
    /// The module name (`conversation_tags`).
    pub module: String,
    /// The name of the type `Client`'s accessor returns (`ConversationTags`), whose methods start
    /// the operations; unique among the resources and apart from what the modules import.
    pub group: String,
    /// The tag's description.
    pub description: Option<String>,
}

/// All named types.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    /// The types; [`TypeId`] indexes this.
    pub types: Vec<TypeDef>,
}

impl TypeSpace {
    /// The type with this id.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// Documentation gathered from a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Facts for the reader: default, limits, format, constant value, examples.
    pub notes: Vec<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where the schema is.
    pub pointer: String,
    /// The module the type is emitted in.
    pub module: String,
    /// Its documentation.
    pub docs: Docs,
    /// Whether a reference to it allows `null` (e.g. a component `anyOf: [{..}, {type: null}]`).
    pub nullable: bool,
    /// What it is.
    pub kind: TypeKind,
    /// Whether the type implements `Default`.
    pub default: bool,
}

/// The shapes of named types.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string with a known set of values.
    Enum(StringEnum),
    /// One of several shapes.
    Union(Union),
    /// Another name for a type (`type FeaturebaseVersion = String`).
    Alias(TypeRef),
    /// An array whose first items each have a type of their own (`prefixItems`).
    Tuple(Tuple),
}

/// A tuple: `prefixItems`, then what may follow them.
#[derive(Debug, Clone)]
pub struct Tuple {
    /// The leading items, in order.
    pub items: Vec<TupleItem>,
    /// How many of the leading items every value has: `minItems`, or all of them when it is not
    /// given. The others are optional.
    pub required: usize,
    /// The type of the items after the leading ones, any number of them (`items`; any JSON when
    /// it is not given); `None` when there may be none (`items: false`, or `maxItems`).
    pub rest: Option<TypeRef>,
}

/// One leading item of a [`Tuple`].
#[derive(Debug, Clone)]
pub struct TupleItem {
    /// The item's type, without the `Option`/`Nullable` that presence and nullability add.
    pub ty: TypeRef,
    /// Whether the item may be `null`.
    pub nullable: bool,
    /// Whether the value is boxed to break a cycle.
    pub boxed: bool,
    /// Documentation.
    pub docs: Docs,
}

/// An object.
#[derive(Debug, Clone)]
pub struct Struct {
    /// The properties, in declared order.
    pub fields: Vec<Field>,
    /// What happens to properties the spec does not list.
    pub extra: Extra,
}

/// Properties beyond the declared ones.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// `additionalProperties: false`: none are sent or expected.
    Forbidden,
    /// Unknown properties are kept as JSON in a field with this name (forward compatibility).
    Kept(String),
    /// `additionalProperties: {schema}`: a typed map in a field with this name.
    Typed(String, TypeRef),
}

/// A property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name (`brand_id`, `r#type`).
    pub name: String,
    /// The JSON name (`brandId`, `type`).
    pub wire: String,
    /// The value's type, without the `Option`/`Nullable` that presence and nullability add.
    pub ty: TypeRef,
    /// Whether the property must be present.
    pub required: bool,
    /// Whether the value may be `null`.
    pub nullable: bool,
    /// Whether the value is boxed to break a cycle.
    pub boxed: bool,
    /// Whether the value is raw bytes or a list of them (`format: binary`): file parts in
    /// multipart bodies.
    pub binary: bool,
    /// The only value the property can have.
    pub constant: Option<Json>,
    /// Whether the value is a secret ([`is_secret`]): a string emitted as the runtime's
    /// redacting `Secret`, whose `Debug` never shows it.
    pub secret: bool,
    /// Documentation.
    pub docs: Docs,
}

/// Whether a schema marks its value as a secret: `format: password`, or the extension
/// `x-sensitive: true`. Only strings (and lists and maps of them) are kept as secrets.
pub fn is_secret(s: &crate::load::Schema) -> bool {
    s.format.as_deref() == Some("password") || s.extensions.get("x-sensitive") == Some(&Json::Bool(true))
}

/// How a field is represented, from presence and nullability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, always sent (`null` for `None`).
    RequiredNullable,
    /// Optional, not nullable: `Option<T>`, left out when `None`.
    Optional,
    /// Optional and nullable: `Nullable<T>`, absent / `null` / value.
    OptionalNullable,
}

impl Field {
    /// The field's representation.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }

    /// Whether code that builds the struct must give this field a value: required, not
    /// nullable and not a constant (the arguments of the struct's `new`).
    pub fn is_constructor_arg(&self) -> bool {
        self.presence() == Presence::Required && self.constant.is_none()
    }
}

/// How code outside the crate builds a struct. Every struct is `#[non_exhaustive]` (a property
/// a later API version adds must not break callers), so a literal is not an option: the
/// required fields are given to `new`, the optional ones set with `with_*` methods. The rule the
/// emitter writes and `xtask diff` judges changes by.
#[derive(Debug, Clone)]
pub enum Construction<'a> {
    /// No field must be supplied: `Default` (the struct implements it).
    Default,
    /// One field: `new(value)`.
    Single(&'a Field),
    /// Two or more: `new(Required { .. })`, with a plain struct (named here) whose fields are the
    /// required ones, so that each is named at the call site and none can be swapped with
    /// another of its type; a property a later version makes required is a field the compiler
    /// asks for by name.
    Named(String, Vec<&'a Field>),
}

impl Struct {
    /// The fields code that builds the struct must supply ([`Field::is_constructor_arg`]), in
    /// declared order.
    pub fn constructor_args(&self) -> Vec<&Field> {
        self.fields.iter().filter(|f| f.is_constructor_arg()).collect()
    }

    /// The fields that get a `with_*` setter: every one that is not supplied to `new` and not a
    /// constant (optional fields, and required ones that may be `null`).
    pub fn setter_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| !f.is_constructor_arg() && f.constant.is_none())
    }
}

impl TypeSpace {
    /// How the struct `def` (a type of this space) is built ([`Construction`]); `None` for a
    /// type that is not a struct.
    pub fn construction<'a>(&self, def: &'a TypeDef) -> Option<Construction<'a>> {
        let TypeKind::Struct(s) = &def.kind else { return None };
        let args = s.constructor_args();
        Some(match args.len() {
            0 => Construction::Default,
            1 => Construction::Single(args[0]),
            _ => Construction::Named(self.required_fields_name(&def.name), args),
        })
    }

    /// The name of the struct of a type's required fields: `<Name>Required`, or, when a type of
    /// the API already has that name, `<Name>RequiredFields` (then numbered).
    fn required_fields_name(&self, name: &str) -> String {
        let taken = |candidate: &str| self.types.iter().any(|t| t.name == candidate);
        let mut candidate = format!("{name}Required");
        if taken(&candidate) {
            candidate = format!("{name}RequiredFields");
            let mut n = 2;
            while taken(&candidate) {
                candidate = format!("{name}RequiredFields{n}");
                n += 1;
            }
        }
        candidate
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct StringEnum {
    /// The known values.
    pub variants: Vec<EnumVariant>,
}

/// One known value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The Rust name (`PtBr`).
    pub name: String,
    /// The value on the wire (`pt-BR`).
    pub wire: String,
}

/// A union of shapes.
#[derive(Debug, Clone)]
pub struct Union {
    /// How a value says which member it is.
    pub tagging: Tagging,
    /// The members, in declared order.
    pub variants: Vec<UnionVariant>,
}

/// How a union's members are told apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Tagging {
    /// By a property, named by a `discriminator`.
    Discriminator(String),
    /// By a property that holds a different constant in every member.
    Inferred(String),
    /// By trying each member in turn.
    Untagged,
}

impl Tagging {
    /// The tag property, if the union is tagged.
    pub fn property(&self) -> Option<&str> {
        match self {
            Tagging::Discriminator(p) | Tagging::Inferred(p) => Some(p),
            Tagging::Untagged => None,
        }
    }
}

/// A member of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The member it stands for, as the names lock knows it: `tag:<first tag>`, `ref:<$ref>`
    /// or `at:<position>`.
    pub place: String,
    /// For tagged unions: the tag values that select this member.
    pub tags: Vec<String>,
    /// The member's type.
    pub ty: TypeRef,
    /// Whether the value is boxed to break a cycle.
    pub boxed: bool,
}

/// Integer types, chosen from `format` and the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntType {
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A named type.
    Named(TypeId),
    /// `String`.
    String,
    /// An integer.
    Integer(IntType),
    /// `f64`.
    Number,
    /// `f32` (`format: float`).
    Float,
    /// `bool`.
    Boolean,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from string keys.
    Map(Box<TypeRef>),
    /// A value that may be `null` inside an array or map: `Option<T>`.
    Nullable(Box<TypeRef>),
    /// `()`: no content (e.g. a 204 response).
    Unit,
}

impl TypeRef {
    /// Raw bytes (`format: binary`, octet-stream bodies): `Vec<u8>`.
    pub fn bytes() -> TypeRef {
        TypeRef::Array(Box::new(TypeRef::Integer(IntType::U8)))
    }

    /// Whether this is [`TypeRef::bytes`].
    pub fn is_bytes(&self) -> bool {
        matches!(self, TypeRef::Array(item) if **item == TypeRef::Integer(IntType::U8))
    }

    /// The named types this use mentions directly, and whether each is behind a heap pointer
    /// already (inside a `Vec` or map).
    pub fn named(&self, out: &mut Vec<(TypeId, bool)>, indirect: bool) {
        match self {
            TypeRef::Named(id) => out.push((*id, indirect)),
            TypeRef::Array(t) | TypeRef::Map(t) => t.named(out, true),
            TypeRef::Nullable(t) => t.named(out, indirect),
            _ => {}
        }
    }
}
