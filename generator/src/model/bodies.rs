//! Request bodies and responses: which media type the client sends and reads, how, and as what.
//!
//! JSON is preferred wherever a body or response offers it. Other media types are encoded by
//! their kind: `application/x-www-form-urlencoded` and `multipart/form-data` from the body's
//! type, text as a `String`, anything else as raw bytes. Whatever a choice leaves out (another
//! media type, another success body, an encoding the client does not apply) is a warning.

use super::build::{Builder, Items};
use super::*;
use crate::error::Result;
use crate::load::refs;
use crate::load::{Header, MediaType, RefOr, RequestBody, Response, Schema};
use indexmap::IndexMap;

/// How a request body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json`, `application/*+json`).
    Json,
    /// `application/x-www-form-urlencoded`: properties as `name=value` (arrays repeat the name,
    /// nested objects are `name[key]=value`).
    Form,
    /// `multipart/form-data`: one part per property; binary properties are file parts.
    Multipart,
    /// Raw bytes the caller provides, sent with the media type.
    Binary,
    /// Text the caller provides, sent as UTF-8.
    Text,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// Its media type.
    pub media: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// For multipart bodies: the `contentType` the spec gives for some properties' parts.
    pub part_types: Vec<(String, String)>,
    /// Whether it must be sent.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
}

/// How the body of a successful response is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseBody {
    /// Decoded from JSON into [`Success::ty`].
    Json,
    /// Returned as a `String` (UTF-8).
    Text,
    /// Returned as bytes.
    Binary,
    /// Not described: whatever comes is ignored.
    Empty,
}

/// A header of the success response, for the documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The header name.
    pub name: String,
    /// Its type as the spec gives it (`integer`, `string (uri)`), if it does.
    pub schema: Option<String>,
    /// Whether the response always has it.
    pub required: bool,
    /// What it means.
    pub description: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub struct Success {
    /// The status code (`200`, `201`, `2XX`, `default`).
    pub status: String,
    /// The body's type: a JSON type, `String` for text, [`TypeRef::Unit`] for bytes (then
    /// `media` is set) and for no body (then it is not).
    pub ty: TypeRef,
    /// The media type, if there is a body.
    pub media: Option<String>,
    /// How the body is read.
    pub read: ResponseBody,
    /// The `Accept` header the client sends instead of `application/json`, if any.
    pub accept: Option<String>,
    /// The response headers the spec documents.
    pub headers: Vec<ResponseHeader>,
    /// The response description.
    pub description: Option<String>,
}

/// A documented error response.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// The status code (`404`, `4XX`, `default`).
    pub status: String,
    /// The response description.
    pub description: Option<String>,
    /// Error codes the body can carry (constants of `code` properties).
    pub codes: Vec<String>,
}

/// The media type without parameters, lower case: `Text/Plain; charset=utf-8` -> `text/plain`.
fn base(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether a media type is JSON (or accepts anything, which the client reads as JSON).
pub(super) fn is_json(media: &str) -> bool {
    let base = base(media);
    base == "application/json" || base.ends_with("+json") || base == "*/*"
}

fn is_text(media: &str) -> bool {
    base(media).starts_with("text/")
}

/// Whether a schema describes structured data (an object or array), not a string of bytes.
fn is_structured(s: Option<&Schema>) -> bool {
    s.is_some_and(|s| {
        s.reference.is_some()
            || !s.properties.is_empty()
            || s.items.is_some()
            || s.types.iter().any(|t| matches!(t, crate::load::InstanceType::Object | crate::load::InstanceType::Array))
    })
}

/// How a request body of a media type is encoded, by preference (lower first).
fn body_encoding(media: &str) -> (u8, BodyEncoding) {
    match base(media).as_str() {
        m if is_json(m) => (0, BodyEncoding::Json),
        "application/x-www-form-urlencoded" => (1, BodyEncoding::Form),
        "multipart/form-data" => (2, BodyEncoding::Multipart),
        m if m.starts_with("text/") => (3, BodyEncoding::Text),
        _ => (4, BodyEncoding::Binary),
    }
}

/// The request body of an operation, resolved into the type space.
pub(super) fn request_body(b: &mut Builder<'_>, rb: &RefOr<RequestBody>, hint: &str) -> Result<Option<Body>> {
    let rb = rb.resolve(b.doc)?;
    let Some((media, mt)) = rb.content.iter().min_by_key(|(m, _)| body_encoding(m).0) else {
        b.warn(&rb.pointer, "request body without content: no body is sent");
        return Ok(None);
    };
    if rb.content.len() > 1 {
        b.warn(&rb.pointer, format!("several request media types; the client sends `{media}`"));
    }
    let mut encoding = body_encoding(media).1;
    let ty = match encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => match &mt.schema {
            Some(s) => b.resolve(s, &format!("{hint}Body"), Items::ItemSuffix)?.ty,
            None if encoding == BodyEncoding::Json => TypeRef::Json,
            None => TypeRef::JsonObject,
        },
        BodyEncoding::Text => TypeRef::String,
        BodyEncoding::Binary => {
            if is_structured(mt.schema.as_ref()) {
                b.warn(&mt.pointer, format!("`{media}` body: sent as bytes the caller encodes"));
            }
            TypeRef::bytes()
        }
    };
    let ty = match encoding {
        BodyEncoding::Form | BodyEncoding::Multipart if !is_object(b, &ty) => {
            b.warn(&mt.pointer, format!("`{media}` body that is not an object: sent as bytes the caller encodes"));
            encoding = BodyEncoding::Binary;
            TypeRef::bytes()
        }
        _ => ty,
    };
    let part_types = encodings(b, mt, encoding);
    Ok(Some(Body {
        ty,
        media: media.clone(),
        encoding,
        part_types,
        required: rb.required,
        docs: Docs { description: rb.description.clone(), ..Docs::default() },
    }))
}

/// Whether values of a type are JSON objects (what form and multipart bodies encode).
fn is_object(b: &Builder<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::Json => true,
        TypeRef::Named(id) => match &b.types[id.0].kind {
            TypeKind::Struct(_) => true,
            TypeKind::Alias(t) => is_object(b, t),
            TypeKind::Union(u) => u.variants.iter().all(|v| is_object(b, &v.ty)),
            TypeKind::Enum(_) | TypeKind::Tuple(_) => false,
        },
        _ => false,
    }
}

/// The part content types of a multipart body; warnings for encodings the client does not apply.
fn encodings(b: &mut Builder<'_>, mt: &MediaType, encoding: BodyEncoding) -> Vec<(String, String)> {
    let mut part_types = Vec::new();
    for (property, e) in &mt.encoding {
        match encoding {
            BodyEncoding::Multipart => {
                // `contentType` may list several (`image/png, image/jpeg`); a part has one.
                if let Some(ct) = e.content_type.as_deref().and_then(|c| c.split(',').next()) {
                    part_types.push((property.clone(), ct.trim().to_owned()));
                }
            }
            BodyEncoding::Form => {
                let applied =
                    matches!(e.style.as_deref(), None | Some("form" | "deepObject")) && e.explode != Some(false);
                if !applied || e.content_type.is_some() {
                    b.warn(
                        &e.pointer,
                        format!(
                            "encoding of `{property}` is not applied: arrays repeat the name, objects are sent as \
                             `{property}[key]=value`"
                        ),
                    );
                }
            }
            _ => b.warn(&e.pointer, format!("encoding of `{property}` only applies to form and multipart bodies")),
        }
    }
    part_types
}

/// The headers of a response, for the documentation.
fn headers(b: &Builder<'_>, r: &Response) -> Vec<ResponseHeader> {
    let mut out = Vec::new();
    for (name, h) in &r.headers {
        let h: Option<&Header> = h.resolve(b.doc).ok();
        let schema = h.and_then(|h| h.schema.as_ref()).map(schema_summary);
        out.push(ResponseHeader {
            name: name.clone(),
            schema: schema.filter(|s| !s.is_empty()),
            required: h.is_some_and(|h| h.required),
            description: h.and_then(|h| h.description.clone()),
        });
    }
    out
}

/// `integer`, `string (uri)`, `Thing`: how a header's schema reads in the docs.
fn schema_summary(s: &Schema) -> String {
    if let Some(r) = &s.reference {
        return refs::component_name(r, "schemas").map(|n| n.into_owned()).unwrap_or_default();
    }
    let types: Vec<&str> = s
        .types
        .iter()
        .map(|t| match t {
            crate::load::InstanceType::Null => "null",
            crate::load::InstanceType::Boolean => "boolean",
            crate::load::InstanceType::Integer => "integer",
            crate::load::InstanceType::Number => "number",
            crate::load::InstanceType::String => "string",
            crate::load::InstanceType::Array => "array",
            crate::load::InstanceType::Object => "object",
        })
        .collect();
    match &s.format {
        Some(f) => format!("{} ({f})", types.join(" or ")),
        None => types.join(" or "),
    }
}

/// The success body of a response with content.
fn success_body(
    b: &mut Builder<'_>,
    r: &Response,
    hint: &str,
) -> Result<(TypeRef, Option<String>, ResponseBody, Option<String>)> {
    let chosen = r.content.iter().find(|(m, _)| is_json(m)).or_else(|| r.content.iter().next());
    let Some((media, mt)) = chosen else { return Ok((TypeRef::Unit, None, ResponseBody::Empty, None)) };
    let others: Vec<String> = r.content.keys().filter(|m| *m != media).map(|m| format!("`{m}`")).collect();
    if !others.is_empty() {
        b.warn(&r.pointer, format!("also served as {}; the client asks for `{media}`", others.join(", ")));
    }
    if is_json(media) {
        let ty = match &mt.schema {
            Some(s) => b.resolve(s, &format!("{hint}Response"), Items::ItemSuffix)?.ty,
            None => TypeRef::Json,
        };
        let accept = (base(media) != "application/json" && base(media) != "*/*").then(|| media.clone());
        return Ok((ty, Some(media.clone()), ResponseBody::Json, accept));
    }
    if is_text(media) {
        if base(media) == "text/event-stream" {
            b.warn(&r.pointer, "`text/event-stream` response: read whole when the stream ends, not event by event");
        }
        return Ok((TypeRef::String, Some(media.clone()), ResponseBody::Text, Some(media.clone())));
    }
    if is_structured(mt.schema.as_ref()) {
        b.warn(&r.pointer, format!("`{media}` response: not decoded, returned as bytes"));
    }
    Ok((TypeRef::Unit, Some(media.clone()), ResponseBody::Binary, Some(media.clone())))
}

/// The success response and the documented error responses of an operation.
pub(super) fn responses(
    b: &mut Builder<'_>,
    op: &crate::load::Operation,
    hint: &str,
) -> Result<(Success, Vec<ErrorResponse>)> {
    let mut errors = Vec::new();
    let mut successes: Vec<(&String, &Response)> = Vec::new();
    for (status, r) in &op.responses {
        let r = r.resolve(b.doc)?;
        if status.starts_with('2') {
            successes.push((status, r));
        } else {
            let mut codes = Vec::new();
            for mt in r.content.values() {
                if let Some(s) = &mt.schema {
                    collect_codes(s, &mut codes);
                }
            }
            errors.push(ErrorResponse { status: status.clone(), description: r.description.clone(), codes });
        }
    }
    // Without a documented 2xx response, a `default` one with content describes success too.
    if successes.is_empty() {
        if let Some((status, r)) = op.responses.get_key_value("default") {
            let r = r.resolve(b.doc)?;
            if !r.content.is_empty() {
                successes.push((status, r));
            }
        }
    }
    let Some(&(status, r)) = successes.first() else {
        // A `default` response without content says "no body"; anything else leaves it unknown.
        if !op.responses.contains_key("default") {
            b.warn(&format!("{}/responses", op.pointer), "no success response is documented: its body is ignored");
        }
        let success = Success {
            status: "2XX".into(),
            ty: TypeRef::Unit,
            media: None,
            read: ResponseBody::Empty,
            accept: None,
            headers: Vec::new(),
            description: None,
        };
        return Ok((success, errors));
    };
    let (ty, media, read, accept) = success_body(b, r, hint)?;
    for (other, o) in &successes[1..] {
        if !same_body(r, o) {
            b.warn(
                &o.pointer,
                format!("the `{other}` response's body differs from the `{status}` one; only the `{status}` body is decoded"),
            );
        }
    }
    let success = Success {
        status: status.clone(),
        ty,
        media,
        read,
        accept,
        headers: headers(b, r),
        description: r.description.clone(),
    };
    Ok((success, errors))
}

/// Whether two responses have the same body: the same media types with schemas of one shape.
fn same_body(a: &Response, b: &Response) -> bool {
    let shape = |m: &MediaType| m.schema.as_ref().map(Schema::shape);
    let content = |r: &Response| -> IndexMap<String, Option<Schema>> {
        r.content.iter().map(|(k, m)| (base(k), shape(m))).collect()
    };
    content(a) == content(b)
}

/// Constant values of properties named `code` anywhere in an error schema.
fn collect_codes(s: &Schema, out: &mut Vec<String>) {
    for (name, p) in &s.properties {
        if name == "code" {
            if let Some(c) = p.string_constant() {
                if !out.iter().any(|o| o == c) {
                    out.push(c.to_owned());
                }
            }
        }
        collect_codes(p, out);
    }
    for m in s.one_of.iter().chain(&s.any_of).chain(&s.all_of) {
        collect_codes(m, out);
    }
}
