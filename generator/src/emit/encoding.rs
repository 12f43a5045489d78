//! How values go on the wire, for the request builders: each parameter as one call on the
//! runtime's `ApiRequest` (`.query_opt("limit", self.limit.as_ref())`), the body by its
//! encoding, the response by how it is read. The encoders themselves are in the runtime.

use super::types::ident;
use crate::load::ParameterLocation;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether values of a type are written with `ToString` as they are: scalars, string enums and
/// aliases of them. Anything else is written by the runtime's `param_text` (strings as they
/// are, other values as JSON).
pub(super) fn displays(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number | TypeRef::Float | TypeRef::Boolean => true,
        TypeRef::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => displays(api, inner),
            TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Tuple(_) => false,
        },
        _ => false,
    }
}

/// Whether values of a type are `Copy` (numbers and booleans, through aliases): passed by value,
/// not borrowed.
fn is_copy(api: &Api, ty: &TypeRef) -> bool {
    matches!(unalias(api, ty), TypeRef::Integer(_) | TypeRef::Number | TypeRef::Float | TypeRef::Boolean)
}

/// `self.<name>`, borrowed unless it is `Copy`.
fn field_ref(api: &Api, p: &Param) -> TokenStream {
    let name = ident(&p.name);
    if is_copy(api, &p.ty) {
        quote!(self.#name)
    } else {
        quote!(&self.#name)
    }
}

/// The items of a list parameter, when it is one.
fn list_item(p: &Param) -> Option<&TypeRef> {
    match (&p.ty, p.style) {
        (_, ParamStyle::Single) => None,
        (TypeRef::Array(inner), _) => Some(inner),
        _ => None,
    }
}

/// The separator of a list sent as one value.
fn separator(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::SpaceDelimited => " ",
        ParamStyle::PipeDelimited => "|",
        _ => ",",
    }
}

/// The call on the request that adds one parameter (`self.<name>`, an `Option` when the
/// parameter is optional).
pub(super) fn add_param(api: &Api, p: &Param) -> TokenStream {
    let wire = &p.wire;
    let name = ident(&p.name);
    let optional = !p.required;
    let method = match p.location {
        ParameterLocation::Path => return path_param(api, p),
        ParameterLocation::Query => quote!(query),
        ParameterLocation::Header => quote!(header),
        ParameterLocation::Cookie => quote!(cookie),
    };
    if let (Some(item), ParameterLocation::Query, ParamStyle::Repeated | ParamStyle::Csv) =
        (list_item(p), p.location, p.style)
    {
        // Lists of their own: the runtime leaves out an empty (or absent) one.
        let items = if optional { quote!(self.#name.iter().flatten()) } else { quote!(&self.#name) };
        let items = if displays(api, item) { items } else { quote!(#items.map(crate::runtime::param_text)) };
        return match p.style {
            ParamStyle::Repeated => quote!(.query_multi(#wire, #items)),
            _ => quote!(.query_csv(#wire, #items)),
        };
    }
    // One value: the text of the value, of a reference `v` to it.
    let text = |v: TokenStream| match list_item(p) {
        Some(item) => {
            let sep = separator(p.style);
            if displays(api, item) {
                quote!(crate::runtime::list_text(#v, #sep))
            } else {
                quote!(crate::runtime::list_text(#v.iter().map(crate::runtime::param_text), #sep))
            }
        }
        None if displays(api, &p.ty) => v,
        None => quote!(crate::runtime::param_text(#v)),
    };
    if optional {
        let method = quote::format_ident!("{}_opt", method.to_string());
        let value = match list_item(p) {
            None if displays(api, &p.ty) => quote!(self.#name.as_ref()),
            None => quote!(self.#name.as_ref().map(crate::runtime::param_text)),
            Some(_) => {
                let text = text(quote!(v));
                quote!(self.#name.as_ref().map(|v| #text))
            }
        };
        quote!(.#method(#wire, #value))
    } else {
        let text = text(field_ref(api, p));
        quote!(.#method(#wire, #text))
    }
}

/// The call that fills a path parameter.
fn path_param(api: &Api, p: &Param) -> TokenStream {
    let wire = &p.wire;
    let name = ident(&p.name);
    let value = match &p.ty {
        TypeRef::Array(item) => {
            let sep = separator(p.style);
            if displays(api, item) {
                quote!(crate::runtime::list_text(&self.#name, #sep))
            } else {
                quote!(crate::runtime::list_text(self.#name.iter().map(crate::runtime::param_text), #sep))
            }
        }
        ty if displays(api, ty) => field_ref(api, p),
        _ => quote!(crate::runtime::param_text(&self.#name)),
    };
    quote!(.path_param(#wire, #value))
}

/// The call that asks for a non-JSON response in the `Accept` header.
pub(super) fn accept(op: &Operation) -> Option<TokenStream> {
    op.response.accept.as_ref().map(|a| quote!(.header("accept", #a)))
}

/// The body of the `request` function and whether it returns a `Result` (a body may fail to
/// encode): `chain` (the request with its parameters) with the body on it.
pub(super) fn with_body(api: &Api, op: &Operation, chain: TokenStream) -> (TokenStream, bool) {
    let Some(b) = &op.body else { return (chain, false) };
    let media = &b.media;
    let op_id = &op.operation_id;
    // `body` is a reference to the body in the statements below.
    let (encode, fallible) = match b.encoding {
        BodyEncoding::Json => {
            let body = if b.required {
                quote!(#chain.json_body(&self.body))
            } else {
                quote!(#chain.json_body_opt(self.body.as_ref()))
            };
            return (body, true);
        }
        BodyEncoding::Form => (quote!(req.form_body(#media, body)), true),
        BodyEncoding::Binary | BodyEncoding::Text => (quote!(req.body_bytes(#media, body.clone())), false),
        BodyEncoding::Multipart => {
            let parts = multipart_parts(api, b);
            let encode = quote!({
                let mut form = crate::runtime::body::Multipart::new();
                #parts
                Ok(req.body_bytes(crate::runtime::body::MULTIPART_CONTENT_TYPE, form.finish(#op_id)?))
            });
            (encode, true)
        }
    };
    let encode = if fallible { encode } else { quote!(Ok(#encode)) };
    let body = if b.required {
        quote!({
            let req = #chain;
            let body = &self.body;
            #encode
        })
    } else {
        quote!({
            let req = #chain;
            match &self.body {
                Some(body) => #encode,
                None => Ok(req),
            }
        })
    };
    (body, true)
}

/// The statements that add each property of a multipart body to `form`.
fn multipart_parts(api: &Api, b: &Body) -> TokenStream {
    let TypeRef::Named(id) = &b.ty else { return quote!(form.fields(body)?;) };
    let TypeKind::Struct(s) = &api.types.get(*id).kind else { return quote!(form.fields(body)?;) };
    let mut parts = Vec::new();
    for f in &s.fields {
        let wire = &f.wire;
        let name = ident(&f.name);
        let content_type = match b.part_types.iter().find(|(p, _)| p == wire) {
            Some((_, ct)) => quote!(Some(#ct)),
            None => quote!(None),
        };
        let files = match unalias(api, &f.ty) {
            TypeRef::Array(item) => f.binary && resolves_to_bytes(api, item),
            _ => false,
        };
        let part = if f.binary && resolves_to_bytes(api, &f.ty) {
            quote!(form.file(#wire, #content_type, v);)
        } else if files {
            quote!(for v in v { form.file(#wire, #content_type, v); })
        } else {
            quote!(form.value(#wire, #content_type, v)?;)
        };
        parts.push(match f.presence() {
            Presence::Required => quote!({ let v = &body.#name; #part }),
            Presence::Optional | Presence::RequiredNullable => quote!(if let Some(v) = &body.#name { #part }),
            Presence::OptionalNullable => quote!(if let Some(v) = body.#name.as_ref() { #part }),
        });
    }
    match &s.extra {
        Extra::Kept(extra) | Extra::Typed(extra, _) => {
            let extra = ident(extra);
            parts.push(quote!(for (k, v) in &body.#extra { form.value(k, None, v)?; }));
        }
        Extra::Forbidden => {}
    }
    quote!(#(#parts)*)
}

/// A type with its aliases followed.
fn unalias<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    // Alias chains are short; the bound only guards against a cycle.
    for _ in 0..64 {
        match ty {
            TypeRef::Named(id) => match &api.types.get(*id).kind {
                TypeKind::Alias(t) => ty = t,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// Whether a type is `Vec<u8>`, directly or through aliases.
fn resolves_to_bytes(api: &Api, ty: &TypeRef) -> bool {
    unalias(api, ty).is_bytes()
}

/// How the response is read, as `operation!` takes it after the output type: nothing for JSON
/// (the output is the JSON type), else `as text`, `as bytes` or `as empty` with their output.
pub(super) fn read(op: &Operation, json_type: TokenStream) -> (TokenStream, TokenStream) {
    match op.response.read {
        ResponseBody::Json => (json_type, quote!()),
        ResponseBody::Binary => (quote!(bytes::Bytes), quote!(as bytes)),
        ResponseBody::Text => (quote!(String), quote!(as text)),
        ResponseBody::Empty => (quote!(()), quote!(as empty)),
    }
}
