//! How values go on the wire, for the request builders: parameter values as text, request
//! bodies by their encoding, response bodies by how they are read, and the helper items of
//! `src/resources/mod.rs` that this code calls (each emitted only when an operation uses it).

use super::types::ident;
use crate::load::ParameterLocation;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The boundary of generated multipart bodies; a part that contains it fails the request.
const BOUNDARY: &str = "generated-boundary-6c0e1a7b2f3d4958a0b1c2d3e4f50617";

/// Which helper items the operations use.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Helpers {
    param_text: bool,
    form: bool,
    multipart: bool,
    text: bool,
    empty: bool,
}

impl Helpers {
    /// What either uses.
    pub(super) fn merge(self, other: Helpers) -> Helpers {
        Helpers {
            param_text: self.param_text || other.param_text,
            form: self.form || other.form,
            multipart: self.multipart || other.multipart,
            text: self.text || other.text,
            empty: self.empty || other.empty,
        }
    }
}

/// Whether values of a type are written with `ToString` as they are: scalars, string enums and
/// aliases of them. Anything else is written by [`Helpers`]' `param_text` (strings as they are,
/// other values as JSON).
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

/// `value` (a reference) as one text, from a parameter's point of view.
fn text(api: &Api, p: &Param, value: TokenStream, helpers: &mut Helpers) -> TokenStream {
    match list_item(p) {
        Some(item) => {
            let sep = separator(p.style);
            if displays(api, item) {
                quote!(#value.iter().map(ToString::to_string).collect::<Vec<_>>().join(#sep))
            } else {
                helpers.param_text = true;
                quote!(#value.iter().map(|i| super::param_text(i)).collect::<Vec<_>>().join(#sep))
            }
        }
        None if displays(api, &p.ty) => quote!(#value.to_string()),
        None => {
            helpers.param_text = true;
            quote!(super::param_text(#value))
        }
    }
}

/// The statement that adds one query, header or cookie parameter to `req` (cookies are
/// collected in `cookies`, see [`cookies`]).
pub(super) fn add_param(
    api: &Api,
    p: &Param,
    value: TokenStream,
    optional: bool,
    helpers: &mut Helpers,
) -> TokenStream {
    let wire = &p.wire;
    let item = list_item(p);
    let stmt = match (p.location, item, p.style) {
        (ParameterLocation::Query, Some(item), ParamStyle::Repeated | ParamStyle::Csv) => {
            let values = if displays(api, item) {
                quote!(v)
            } else {
                helpers.param_text = true;
                quote!(v.iter().map(|i| super::param_text(i)))
            };
            if p.style == ParamStyle::Repeated {
                quote!(req = req.query_multi(#wire, #values);)
            } else {
                quote!(req = req.query_csv(#wire, #values);)
            }
        }
        (ParameterLocation::Query, _, _) if item.is_none() && displays(api, &p.ty) => {
            quote!(req = req.query(#wire, v);)
        }
        (ParameterLocation::Query, _, _) => {
            let text = text(api, p, quote!(v), helpers);
            quote!(req = req.query(#wire, #text);)
        }
        (ParameterLocation::Header, _, _) if item.is_none() && displays(api, &p.ty) => {
            quote!(req = req.header(#wire, v);)
        }
        (ParameterLocation::Header, _, _) => {
            let text = text(api, p, quote!(v), helpers);
            quote!(req = req.header(#wire, #text);)
        }
        (ParameterLocation::Cookie, _, _) if item.is_none() && displays(api, &p.ty) => {
            quote!(cookies.push(format!("{}={}", #wire, v));)
        }
        (ParameterLocation::Cookie, _, _) => {
            let text = text(api, p, quote!(v), helpers);
            quote!(cookies.push(format!("{}={}", #wire, #text));)
        }
        (ParameterLocation::Path, _, _) => quote!(),
    };
    if optional {
        quote!(if let Some(v) = #value { #stmt })
    } else {
        quote!({ let v = #value; #stmt })
    }
}

/// The statements around the cookie parameters of an operation: all of them go in one
/// `Cookie` header.
pub(super) fn cookies(op: &Operation) -> Option<(TokenStream, TokenStream)> {
    op.params.iter().any(|p| p.location == ParameterLocation::Cookie).then(|| {
        (
            quote!(let mut cookies: Vec<String> = Vec::new();),
            quote!(if !cookies.is_empty() {
                req = req.header("cookie", cookies.join("; "));
            }),
        )
    })
}

/// The text of a path parameter, before it is percent-encoded (a `&str`-like expression).
pub(super) fn path_arg(api: &Api, p: &Param, helpers: &mut Helpers) -> TokenStream {
    let name = ident(&p.name);
    match &p.ty {
        TypeRef::Array(item) => {
            let sep = separator(p.style);
            if displays(api, item) {
                quote!(&self.#name.iter().map(ToString::to_string).collect::<Vec<_>>().join(#sep))
            } else {
                helpers.param_text = true;
                quote!(&self.#name.iter().map(|i| super::param_text(i)).collect::<Vec<_>>().join(#sep))
            }
        }
        ty if displays(api, ty) => quote!(&self.#name.to_string()),
        _ => {
            helpers.param_text = true;
            quote!(&super::param_text(&self.#name))
        }
    }
}

/// The statement that puts the body on `req`: `body` is a reference to it.
fn encode_body(api: &Api, op: &Operation, b: &Body, helpers: &mut Helpers) -> TokenStream {
    let media = &b.media;
    let op_id = &op.operation_id;
    match b.encoding {
        BodyEncoding::Json => quote!(req.json_body(body)?),
        BodyEncoding::Form => {
            helpers.form = true;
            quote!(req.body_bytes(#media, super::form_body(#op_id, body)?))
        }
        BodyEncoding::Binary | BodyEncoding::Text => quote!(req.body_bytes(#media, body.clone())),
        BodyEncoding::Multipart => {
            helpers.multipart = true;
            let parts = multipart_parts(api, b);
            quote!({
                let mut form = super::Multipart::new();
                #parts
                req.body_bytes(super::MULTIPART_CONTENT_TYPE, form.finish(#op_id)?)
            })
        }
    }
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

/// The statement that adds the body (`self.body`) to `req`.
pub(super) fn body_statement(api: &Api, op: &Operation, b: &Body, helpers: &mut Helpers) -> TokenStream {
    if b.encoding == BodyEncoding::Json {
        // JSON bodies in their shortest form.
        return if b.required {
            quote!(let req = req.json_body(&self.body)?;)
        } else {
            quote!(let req = match &self.body { Some(b) => req.json_body(b)?, None => req };)
        };
    }
    let encode = encode_body(api, op, b, helpers);
    if b.required {
        quote!(let req = { let body = &self.body; #encode };)
    } else {
        quote!(let req = match &self.body { Some(body) => #encode, None => req };)
    }
}

/// The statement that asks for a non-JSON response in the `Accept` header.
pub(super) fn accept(op: &Operation) -> Option<TokenStream> {
    op.response.accept.as_ref().map(|a| quote!(req = req.header("accept", #a);))
}

/// The output type of an operation and the expression that sends `request` and reads it.
pub(super) fn send(
    op: &Operation,
    json_type: TokenStream,
    request: TokenStream,
    helpers: &mut Helpers,
) -> (TokenStream, TokenStream) {
    match op.response.read {
        ResponseBody::Json => (json_type, quote!(self.client.execute(#request).await)),
        ResponseBody::Binary => (quote!(bytes::Bytes), quote!(self.client.execute_bytes(#request).await)),
        ResponseBody::Text => {
            helpers.text = true;
            (quote!(String), quote!(super::execute_text(&self.client, #request).await))
        }
        ResponseBody::Empty => {
            helpers.empty = true;
            (quote!(()), quote!(super::execute_empty(&self.client, #request).await))
        }
    }
}

/// The helper items the operations use, for `src/resources/mod.rs`.
pub(super) fn helper_items(helpers: &Helpers) -> TokenStream {
    let param_text = helpers.param_text.then(|| {
        quote! {
            /// The text of a parameter value that is not a scalar: a string as it is, anything
            /// else as JSON.
            pub(crate) fn param_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
                match serde_json::to_value(value) {
                    Ok(serde_json::Value::String(s)) => s,
                    Ok(other) => other.to_string(),
                    Err(_) => String::new(),
                }
            }
        }
    });
    let form = helpers.form.then(form_helpers);
    let multipart = helpers.multipart.then(multipart_helpers);
    let text = helpers.text.then(|| {
        quote! {
            /// Sends `req` and returns the body of the 2xx answer as UTF-8 text.
            pub(crate) async fn execute_text(client: &Client, req: ApiRequest) -> Result<ApiResponse<String>, Error> {
                let operation = req.operation_id();
                let response = client.execute_bytes(req).await?;
                let text = String::from_utf8(response.body.to_vec()).map_err(|e| Error::Decode {
                    status: response.status,
                    operation,
                    path: ".".to_owned(),
                    message: format!("the body is not UTF-8 text: {e}"),
                    snippet: String::from_utf8_lossy(&response.body[..response.body.len().min(200)]).into_owned(),
                })?;
                Ok(response.map(|_| text))
            }
        }
    });
    let empty = helpers.empty.then(|| {
        quote! {
            /// Sends `req` and ignores the body of the 2xx answer (the spec describes none).
            pub(crate) async fn execute_empty(client: &Client, req: ApiRequest) -> Result<ApiResponse<()>, Error> {
                Ok(client.execute_bytes(req).await?.map(|_| ()))
            }
        }
    });
    let imports = (helpers.text || helpers.empty).then(|| {
        quote!(
            use crate::runtime::{ApiRequest, ApiResponse, Client};
        )
    });
    let error = (helpers.text || helpers.empty || helpers.form || helpers.multipart).then(|| {
        quote!(
            use crate::runtime::Error;
        )
    });
    quote!(#imports #error #param_text #form #multipart #text #empty)
}

fn form_helpers() -> TokenStream {
    quote! {
        /// The `application/x-www-form-urlencoded` text of a body that serialises as an object:
        /// arrays repeat the name, nested objects are `name[key]=value`, `null`s are left out.
        pub(crate) fn form_body<T: serde::Serialize + ?Sized>(operation: &str, value: &T) -> Result<String, Error> {
            let invalid = |why: String| Error::InvalidRequest(format!("cannot encode the body of {operation}: {why}"));
            let value = serde_json::to_value(value).map_err(|e| invalid(e.to_string()))?;
            let serde_json::Value::Object(fields) = value else {
                return Err(invalid("it is not an object".to_owned()));
            };
            let mut pairs = Vec::new();
            for (name, value) in &fields {
                form_pairs(name, value, &mut pairs);
            }
            Ok(pairs.join("&"))
        }

        fn form_pairs(name: &str, value: &serde_json::Value, out: &mut Vec<String>) {
            let encode = crate::runtime::encode_path_segment;
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => items.iter().for_each(|item| form_pairs(name, item, out)),
                serde_json::Value::Object(fields) => {
                    fields.iter().for_each(|(key, item)| form_pairs(&format!("{name}[{key}]"), item, out))
                }
                serde_json::Value::String(s) => out.push(format!("{}={}", encode(name), encode(s))),
                other => out.push(format!("{}={}", encode(name), encode(&other.to_string()))),
            }
        }
    }
}

fn multipart_helpers() -> TokenStream {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let delimiter = format!("--{BOUNDARY}");
    quote! {
        /// The content type of the multipart bodies this crate sends.
        pub(crate) const MULTIPART_CONTENT_TYPE: &str = #content_type;

        /// A `multipart/form-data` body being built, one part per property.
        pub(crate) struct Multipart {
            body: Vec<u8>,
            clash: bool,
        }

        // Which of these an operation calls depends on its body's properties.
        #[allow(dead_code)]
        impl Multipart {
            const DELIMITER: &'static str = #delimiter;

            /// An empty body.
            pub(crate) fn new() -> Self {
                Multipart { body: Vec::new(), clash: false }
            }

            fn part(&mut self, name: &str, file: bool, content_type: Option<&str>, data: &[u8]) {
                let delimiter = Self::DELIMITER.as_bytes();
                self.clash |= data.windows(delimiter.len()).any(|w| w == delimiter);
                let name = name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
                let mut head = format!("{}\r\nContent-Disposition: form-data; name=\"{name}\"", Self::DELIMITER);
                if file {
                    head.push_str(&format!("; filename=\"{name}\""));
                }
                if let Some(content_type) = content_type {
                    head.push_str(&format!("\r\nContent-Type: {content_type}"));
                }
                head.push_str("\r\n\r\n");
                self.body.extend_from_slice(head.as_bytes());
                self.body.extend_from_slice(data);
                self.body.extend_from_slice(b"\r\n");
            }

            /// A file part.
            pub(crate) fn file(&mut self, name: &str, content_type: Option<&str>, data: &[u8]) {
                self.part(name, true, Some(content_type.unwrap_or("application/octet-stream")), data);
            }

            /// A part for each value: strings as they are, numbers and booleans as text, arrays
            /// as one part per item, objects as JSON.
            pub(crate) fn value<T: serde::Serialize + ?Sized>(
                &mut self,
                name: &str,
                content_type: Option<&str>,
                value: &T,
            ) -> Result<(), Error> {
                let value = serde_json::to_value(value)
                    .map_err(|e| Error::InvalidRequest(format!("cannot encode the part `{name}`: {e}")))?;
                self.json(name, content_type, &value);
                Ok(())
            }

            fn json(&mut self, name: &str, content_type: Option<&str>, value: &serde_json::Value) {
                match value {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => self.part(name, false, content_type, s.as_bytes()),
                    serde_json::Value::Array(items) if content_type.is_none() => {
                        items.iter().for_each(|item| self.json(name, None, item))
                    }
                    serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                        let text = value.to_string();
                        self.part(name, false, Some(content_type.unwrap_or("application/json")), text.as_bytes())
                    }
                    other => self.part(name, false, content_type, other.to_string().as_bytes()),
                }
            }

            /// A part for each property of a body that serialises as an object.
            pub(crate) fn fields<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
                let value = serde_json::to_value(body)
                    .map_err(|e| Error::InvalidRequest(format!("cannot encode the body: {e}")))?;
                match value {
                    serde_json::Value::Object(fields) => {
                        fields.iter().for_each(|(name, value)| self.json(name, None, value));
                        Ok(())
                    }
                    _ => Err(Error::InvalidRequest("a multipart body must be an object".to_owned())),
                }
            }

            /// The finished body; fails if a part contains the boundary.
            pub(crate) fn finish(mut self, operation: &str) -> Result<Vec<u8>, Error> {
                if self.clash {
                    return Err(Error::InvalidRequest(format!(
                        "a part of the body of {operation} contains the multipart boundary"
                    )));
                }
                self.body.extend_from_slice(format!("{}--\r\n", Self::DELIMITER).as_bytes());
                Ok(self.body)
            }
        }
    }
}
