//! Types -> Rust items: structs, string enums with a fallback, tagged and untagged unions, aliases.

use super::docs;
use crate::model::*;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// What one module's items need from outside the module.
#[derive(Default)]
pub struct Uses {
    /// Types from other modules of the type space.
    pub siblings: BTreeSet<String>,
    /// `Nullable`.
    pub nullable: bool,
    /// `BTreeMap`.
    pub btree_map: bool,
    /// serde's `Serialize` derive.
    pub serde: bool,
}

/// An identifier, raw (`r#type`) when the name says so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a use of a type, from within `module`.
pub fn type_tokens(space: &TypeSpace, ty: &TypeRef, module: &str, uses: &mut Uses) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let def = space.get(*id);
            if def.module != module {
                uses.siblings.insert(def.name.clone());
            }
            let name = ident(&def.name);
            quote!(#name)
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer(i) => match i {
            IntType::I8 => quote!(i8),
            IntType::I16 => quote!(i16),
            IntType::I32 => quote!(i32),
            IntType::I64 => quote!(i64),
            IntType::U8 => quote!(u8),
            IntType::U16 => quote!(u16),
            IntType::U32 => quote!(u32),
            IntType::U64 => quote!(u64),
        },
        TypeRef::Number => quote!(f64),
        TypeRef::Float => quote!(f32),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Array(t) => {
            let t = type_tokens(space, t, module, uses);
            quote!(Vec<#t>)
        }
        TypeRef::Map(t) => {
            uses.btree_map = true;
            let t = type_tokens(space, t, module, uses);
            quote!(BTreeMap<String, #t>)
        }
        TypeRef::Nullable(t) => {
            let t = type_tokens(space, t, module, uses);
            quote!(Option<#t>)
        }
        TypeRef::Unit => quote!(()),
    }
}

/// The items of one named type; `usage` says where it is used, for a type the spec does not
/// describe.
pub fn type_def(
    space: &TypeSpace,
    def: &TypeDef,
    usage: &docs::Usage,
    case: FieldCase,
    uses: &mut Uses,
) -> TokenStream {
    let name = ident(&def.name);
    let doc_lines = docs::lines(&def.docs, usage.place(&def.name).unwrap_or_default());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(space, def, s, doc_lines, case, uses),
        TypeKind::Enum(e) => enum_def(&name, e, doc_lines),
        TypeKind::Union(u) => union_def(space, def, u, doc_lines, uses),
        TypeKind::Alias(t) => {
            let doc = docs::attrs(&doc_lines);
            let t = type_tokens(space, t, &def.module, uses);
            quote! { #doc pub type #name = #t; }
        }
        TypeKind::Tuple(t) => super::tuples::tuple_def(space, def, t, doc_lines, uses),
    }
}

fn literal(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::String(s) => quote!(#s.to_owned()),
        serde_json::Value::Bool(b) => quote!(#b),
        serde_json::Value::Number(n) => {
            let lit: TokenStream = n.to_string().parse().unwrap_or_else(|_| quote!(0));
            quote!(#lit)
        }
        _ => quote!(Default::default()),
    }
}

/// How the fields of the whole spec are named on the wire, as far as serde can say it once per
/// struct (`#[serde(rename_all = "camelCase")]`) instead of once per field. Decided for the whole
/// spec, not per struct, so that a field a new version adds never flips a struct's convention
/// and rewrites its other fields' attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldCase {
    /// Wire names are the Rust names (`created_at`): no container attribute.
    AsIs,
    /// Wire names are mostly camelCase (`createdAt`).
    Camel,
}

impl FieldCase {
    /// The convention most of the spec's multi-word field names follow (`AsIs` on a tie).
    pub fn of(space: &TypeSpace) -> FieldCase {
        let (mut camel, mut as_is) = (0usize, 0usize);
        for def in &space.types {
            let TypeKind::Struct(s) = &def.kind else { continue };
            for f in &s.fields {
                let rust = crate::naming::unraw(&f.name);
                let camel_name = crate::naming::serde_camel_case(rust);
                if camel_name == rust {
                    continue; // one word: the same either way
                }
                camel += usize::from(camel_name == f.wire);
                as_is += usize::from(rust == f.wire);
            }
        }
        if camel > as_is {
            FieldCase::Camel
        } else {
            FieldCase::AsIs
        }
    }

    /// The wire name serde gives a field without a `rename`.
    fn wire_of(self, rust: &str) -> String {
        match self {
            FieldCase::AsIs => rust.to_owned(),
            FieldCase::Camel => crate::naming::serde_camel_case(rust),
        }
    }
}

fn struct_def(
    space: &TypeSpace,
    def: &TypeDef,
    s: &Struct,
    doc_lines: Vec<String>,
    case: FieldCase,
    uses: &mut Uses,
) -> TokenStream {
    uses.serde = true;
    let name = ident(&def.name);
    let doc = docs::attrs(&doc_lines);
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    // The entries of the `struct_deserialize!` that decodes it: each field's kind, name and wire name.
    let mut decoders = Vec::new();
    let mut const_default = false;
    for f in &s.fields {
        let fname = ident(&f.name);
        let secret = secret_tokens(space, f);
        let mut ty = secret.clone().unwrap_or_else(|| type_tokens(space, &f.ty, &def.module, uses));
        if f.boxed {
            ty = quote!(Box<#ty>);
        }
        let wire = &f.wire;
        let rename = (case.wire_of(crate::naming::unraw(&f.name)) != f.wire).then(|| quote!(rename = #wire,));
        // A secret the response left out is missing (`Secret::is_missing`), and is not written back.
        let lone_secret = secret.is_some() && f.ty == TypeRef::String && !f.boxed;
        let (ty, attrs) = match f.presence() {
            Presence::Required if lone_secret => {
                (ty, Some(quote!(#[serde(#rename skip_serializing_if = "crate::runtime::Secret::is_missing")])))
            }
            Presence::Required => (ty, rename.map(|r| quote!(#[serde(#r)]))),
            Presence::RequiredNullable => (quote!(Option<#ty>), rename.map(|r| quote!(#[serde(#r)]))),
            Presence::Optional => {
                (quote!(Option<#ty>), Some(quote!(#[serde(#rename skip_serializing_if = "Option::is_none")])))
            }
            Presence::OptionalNullable => {
                uses.nullable = true;
                (quote!(Nullable<#ty>), Some(quote!(#[serde(#rename skip_serializing_if = "Nullable::is_absent")])))
            }
        };
        let kind = match f.presence() {
            Presence::Required | Presence::RequiredNullable => quote!(required),
            Presence::Optional | Presence::OptionalNullable => quote!(optional),
        };
        decoders.push(quote!(#kind #fname = #wire,));
        let mut field_lines = docs::lines(&f.docs, "");
        if secret.is_some() {
            if !field_lines.is_empty() {
                field_lines.push(String::new());
            }
            field_lines.push(SECRET_NOTE.to_owned());
        }
        let fdoc = docs::attrs(&field_lines);
        fields.push(quote! { #fdoc #attrs pub #fname: #ty, });
        const_default |= f.constant.is_some() && f.presence() == Presence::Required;
        defaults.push(default_init(f));
    }
    match &s.extra {
        Extra::Forbidden => {}
        Extra::Kept(field) => {
            let fname = ident(field);
            decoders.push(quote!(..#fname));
            fields.push(quote! {
                /// Properties this version of the crate does not know, kept so that nothing is lost.
                #[serde(flatten)]
                pub #fname: serde_json::Map<String, serde_json::Value>,
            });
            defaults.push(quote!(#fname: Default::default(),));
        }
        Extra::Typed(field, t) => {
            uses.btree_map = true;
            let fname = ident(field);
            decoders.push(quote!(..#fname));
            let t = type_tokens(space, t, &def.module, uses);
            fields.push(quote! {
                /// Properties beyond the declared ones.
                #[serde(flatten)]
                pub #fname: BTreeMap<String, #t>,
            });
            defaults.push(quote!(#fname: Default::default(),));
        }
    }
    // `new` and the setters are `#[inline]`: compiled where a caller uses them, not each one
    // into the crate whether it is used or not.
    let construction = construction(space, def, s, uses);
    let derive_default = def.default && !const_default;
    // `Deserialize` is `struct_deserialize!`'s: each property decoded where it is read, unknown
    // ones straight into `extra` (serde's derive buffers every property of a struct with a
    // `flatten` field), and a missing required one repaired where lenient decoding asks for it.
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, PartialEq, Default, Serialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Serialize)])
    };
    let manual_default = (def.default && const_default).then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self { #(#defaults)* }
                }
            }
        }
    });
    // `non_exhaustive`: a property a later API version adds is a new field, and a new field of a
    // struct that callers could write as a literal would break their code. Callers build it
    // with `new` (or `default()`) and the `with_*` setters ([`Construction`]).
    let rename_all =
        (case == FieldCase::Camel && !s.fields.is_empty()).then(|| quote!(#[serde(rename_all = "camelCase")]));
    quote! {
        #doc
        #derives
        #rename_all
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        crate::runtime::struct_deserialize! { #name { #(#decoders)* } }
        #manual_default
        #construction
    }
}

/// The doc line of a secret field.
const SECRET_NOTE: &str = "A secret: `Debug` shows `[redacted]`; [`Secret::expose_checked`](crate::runtime::Secret::expose_checked) gives the value, or says that the response left it out.";

/// The type of a secret field ([`Field::secret`]): its strings (itself, or the items or values of
/// a list or map of them, through aliases) as the runtime's `Secret`. `None` for a field that is
/// not a secret, or whose values are not strings.
fn secret_tokens(space: &TypeSpace, f: &Field) -> Option<TokenStream> {
    fn strings(space: &TypeSpace, ty: &TypeRef, depth: usize) -> Option<TokenStream> {
        Some(match ty {
            TypeRef::String => quote!(crate::runtime::Secret),
            TypeRef::Nullable(t) => {
                let t = strings(space, t, depth)?;
                quote!(Option<#t>)
            }
            TypeRef::Array(t) => {
                let t = strings(space, t, depth)?;
                quote!(Vec<#t>)
            }
            TypeRef::Map(t) => {
                let t = strings(space, t, depth)?;
                quote!(std::collections::BTreeMap<String, #t>)
            }
            TypeRef::Named(id) if depth < 16 => match &space.get(*id).kind {
                TypeKind::Alias(t) => strings(space, t, depth + 1)?,
                _ => return None,
            },
            _ => return None,
        })
    }
    f.secret.then(|| strings(space, &f.ty, 0)).flatten()
}

/// How the struct is built from outside the crate (the model's [`Construction`]): `new` taking
/// its one required field, or a struct of its required fields (emitted here, named at the call
/// site); and a chainable `with_*` method per other field. A struct with nothing to supply is
/// built with `Default`.
fn construction(space: &TypeSpace, def: &TypeDef, s: &Struct, uses: &mut Uses) -> TokenStream {
    let name = ident(&def.name);
    let mut items = TokenStream::new();
    let mut methods = TokenStream::new();
    let construction = space.construction(def).unwrap_or(Construction::Default);
    // What `new` sets beyond its arguments: the rest from `Default` when the struct has it
    // (constants included), else every field written out.
    let rest: Vec<TokenStream> = if def.default {
        vec![quote!(..Default::default())]
    } else {
        let mut rest: Vec<TokenStream> =
            s.fields.iter().filter(|f| !f.is_constructor_arg()).map(default_init).collect();
        if let Extra::Kept(f) | Extra::Typed(f, _) = &s.extra {
            let fname = ident(f);
            rest.push(quote!(#fname: Default::default(),));
        }
        rest
    };
    let boxed = |f: &Field, value: TokenStream| if f.boxed { quote!(Box::new(#value)) } else { value };
    match &construction {
        Construction::Default => {}
        Construction::Single(f) => {
            let fname = ident(&f.name);
            let (taken, value) = taken_value(space, def, f, uses);
            let value = boxed(f, value);
            // `name: name` is written `name`.
            let init = if value.to_string() == f.name { quote!(#fname) } else { quote!(#fname: #value) };
            let doc = format!(
                " From its required field `{}`; the optional ones are set with the `with_*` methods.",
                crate::naming::unraw(&f.name)
            );
            methods.extend(quote! {
                #[doc = #doc]
                #[inline]
                pub fn new(#fname: #taken) -> Self {
                    Self { #init, #(#rest)* }
                }
            });
        }
        Construction::Named(required, fields) => {
            let rname = ident(required);
            let rfields = fields.iter().map(|f| {
                let fname = ident(&f.name);
                let ty = secret_tokens(space, f).unwrap_or_else(|| type_tokens(space, &f.ty, &def.module, uses));
                let fdoc = docs::attrs(&docs::lines(&f.docs, ""));
                quote!(#fdoc pub #fname: #ty,)
            });
            let names: Vec<Ident> = fields.iter().map(|f| ident(&f.name)).collect();
            let inits = fields.iter().zip(&names).map(|(f, fname)| {
                if f.boxed {
                    quote!(#fname: Box::new(#fname),)
                } else {
                    quote!(#fname,)
                }
            });
            let rdoc = format!(
                " The required fields of [`{0}`], for [`{0}::new`]: each one named where the value is built. A property a later API version makes required is a new field here, which the compiler asks for by name.",
                def.name
            );
            items.extend(quote! {
                #[doc = #rdoc]
                #[derive(Debug, Clone, PartialEq)]
                pub struct #rname { #(#rfields)* }
            });
            let doc = format!(
                " From its required fields, named in a [`{required}`]; the optional ones are set with the `with_*` methods."
            );
            methods.extend(quote! {
                #[doc = #doc]
                #[inline]
                pub fn new(required: #rname) -> Self {
                    let #rname { #(#names),* } = required;
                    Self { #(#inits)* #(#rest)* }
                }
            });
        }
    }
    let mut setters = BTreeSet::new();
    for f in s.setter_fields() {
        let fname = ident(&f.name);
        // `with_` and the field's name without the `r#` or the `_` before a leading digit
        // (`_2fa` -> `with_2fa`); numbered in the rare case that two fields meet there.
        let base = format!("with_{}", crate::naming::unraw(&f.name).trim_start_matches('_'));
        let mut setter = base.clone();
        let mut n = 2;
        while !setters.insert(setter.clone()) {
            setter = format!("{base}_{n}");
            n += 1;
        }
        let setter = format_ident!("{setter}");
        let (taken, value) = taken_value(space, def, f, uses);
        let value = boxed(f, value);
        let field = crate::naming::unraw(&f.name);
        let (value, doc) = match f.presence() {
            Presence::OptionalNullable => {
                uses.nullable = true;
                (
                    quote!(Nullable::Value(#value)),
                    format!(" With `{field}` set to a value (set the field to `Nullable::Null` to send `null`)."),
                )
            }
            _ => (quote!(Some(#value)), format!(" With `{field}` set.")),
        };
        methods.extend(quote! {
            #[doc = #doc]
            #[must_use]
            #[inline]
            pub fn #setter(mut self, #fname: #taken) -> Self {
                self.#fname = #value;
                self
            }
        });
    }
    if !methods.is_empty() {
        items.extend(quote! { impl #name { #methods } });
    }
    items
}

/// A field's value in a struct that is not given it: its constant when it has one, else
/// `Default::default()` (for the manual `Default` and for `new`).
fn default_init(f: &Field) -> TokenStream {
    let fname = ident(&f.name);
    match (&f.constant, f.presence()) {
        (Some(c), Presence::Required) => {
            let value = literal(c);
            let value = if f.boxed { quote!(Box::new(#value)) } else { value };
            quote!(#fname: #value,)
        }
        _ => quote!(#fname: Default::default(),),
    }
}

/// The type a constructor or setter takes for a field, and the field's value from it: strings
/// (and secrets) as `impl Into<..>`, every other type as it is.
fn taken_value(space: &TypeSpace, def: &TypeDef, f: &Field, uses: &mut Uses) -> (TokenStream, TokenStream) {
    let fname = ident(&f.name);
    match secret_tokens(space, f) {
        Some(_) if f.ty == TypeRef::String => (quote!(impl Into<crate::runtime::Secret>), quote!(#fname.into())),
        Some(t) => (t, quote!(#fname)),
        None if f.ty == TypeRef::String => (quote!(impl Into<String>), quote!(#fname.into())),
        None => (type_tokens(space, &f.ty, &def.module, uses), quote!(#fname)),
    }
}

/// The name of the catch-all variant: `Unknown`, unless a known member took it.
pub fn fallback_name<'a>(taken: impl Iterator<Item = &'a str>) -> String {
    crate::naming::fallback_name(taken)
}

fn enum_def(name: &Ident, e: &StringEnum, mut doc_lines: Vec<String>) -> TokenStream {
    let fallback = format_ident!("{}", fallback_name(e.variants.iter().map(|v| v.name.as_str())));
    doc_lines.push(String::new());
    doc_lines.push(format!("A value this version of the crate does not know decodes as [`{name}::{fallback}`], so newer API versions do not break decoding."));
    let doc = docs::attrs(&doc_lines);
    // `string_enum!` documents each variant with its value.
    let variants = e.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(#vname = #wire,)
    });
    quote! {
        crate::runtime::string_enum! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value this version of the crate does not know, as sent.
                #fallback(String),
            }
        }
    }
}

fn union_def(space: &TypeSpace, def: &TypeDef, u: &Union, mut doc_lines: Vec<String>, uses: &mut Uses) -> TokenStream {
    let name = ident(&def.name);
    let fallback = format_ident!("{}", fallback_name(u.variants.iter().map(|v| v.name.as_str())));
    doc_lines.push(String::new());
    match &u.tagging {
        Tagging::Discriminator(tag) | Tagging::Inferred(tag) => doc_lines.push(format!(
            "Tagged by the `{tag}` property. A value with a tag this version of the crate does not know decodes as [`{}::{fallback}`] with its JSON kept.",
            def.name
        )),
        Tagging::Untagged => doc_lines.push(format!(
            "Each shape is tried in order; a value that fits none decodes as [`{}::{fallback}`] with its JSON kept.",
            def.name
        )),
    }
    let doc = docs::attrs(&doc_lines);
    let mut variants = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name);
        let mut ty = type_tokens(space, &v.ty, &def.module, uses);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        // `tagged_union!` documents a member with its tag values.
        let what = match (&u.tagging, &v.ty) {
            (Tagging::Untagged, TypeRef::Named(id)) => Some(format!("A [`{}`].", space.get(*id).name)),
            (Tagging::Untagged, _) => Some(format!("A value of type `{}`.", ty.to_string().replace(' ', ""))),
            _ => None,
        };
        // The member's own description first, when it has one.
        let mut vlines = match &v.ty {
            TypeRef::Named(id) => docs::summary(&space.get(*id).docs),
            _ => Vec::new(),
        };
        if let Some(what) = what {
            if !vlines.is_empty() {
                vlines.push(String::new());
            }
            vlines.push(what);
        }
        let vdoc = docs::attrs(&vlines);
        let tags = &v.tags;
        variants.push(match u.tagging.property() {
            Some(_) => quote!(#vdoc #vname(#ty) = [#(#tags),*],),
            None => quote!(#vdoc #vname(#ty),),
        });
    }
    match u.tagging.property() {
        Some(tag) => quote! {
            crate::runtime::tagged_union! {
                #doc
                #[tag = #tag]
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A member this version of the crate does not know, kept as JSON.
                    #fallback(serde_json::Value),
                }
            }
        },
        // Each member tried in order, without repairs (`untagged_union!`).
        None => quote! {
            crate::runtime::untagged_union! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value that fits none of the shapes this version of the crate knows, kept as JSON.
                    #fallback(serde_json::Value),
                }
            }
        },
    }
}
