//! `src/dynamic.rs` (behind the generated crate's `dynamic` feature): every operation callable by
//! its `operationId` with JSON arguments, and every schema decodable by name.
//!
//! Each operation is called through its generated method and request builder, so a call made this
//! way exercises exactly the code a user's call does: parameter types, path encoding, query
//! forms, body types, and the decoding of the response into its Rust type. Tools, contract tests
//! against a mock server and forward-compatibility tests drive the crate through it without a
//! hand-written line per operation.

use super::types::ident;
use super::{print, Printed};
use crate::error::Result;
use crate::model::modules::module_of;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The type an argument is read as: what the method or setter takes.
fn arg_type(api: &Api, ty: &TypeRef) -> TokenStream {
    super::operations::rust_type(api, ty)
}

fn call_arm(api: &Api, op: &Operation) -> TokenStream {
    let module = ident(module_of(op, &api.resources));
    let method = ident(&op.fn_name);
    let id = &op.operation_id;
    let mut required = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let t = arg_type(api, &p.ty);
        let loc = p.location.as_str();
        let wire = &p.wire;
        if p.required {
            required.push(quote!(required::<#t>(args, #loc, #wire)?));
        } else {
            let setter = ident(&p.name);
            setters.push(quote! {
                if let Some(v) = optional::<#t>(args, #loc, #wire)? {
                    call = call.#setter(v);
                }
            });
        }
    }
    if let Some(b) = &op.body {
        let t = arg_type(api, &b.ty);
        if b.required {
            required.push(quote!(required_body::<#t>(args)?));
        } else {
            setters.push(quote! {
                if let Some(v) = optional_body::<#t>(args)? {
                    call = call.body(v);
                }
            });
        }
    }
    let mutable = if setters.is_empty() { quote!() } else { quote!(mut) };
    let bytes = op.response.ty == TypeRef::Unit && op.response.media.is_some();
    let finish = if bytes { quote!(bytes_response(response)) } else { quote!(json_response(response)) };
    // A deprecated operation is still callable by its id; the call is not a use to warn about.
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #id => Box::pin(async move {
            #allow
            let #mutable call = client.#module().#method(#(#required),*);
            #(#setters)*
            let response = call.send_with_response().await?;
            #finish
        }),
    }
}

fn decode_arm(api: &Api, op: &Operation) -> TokenStream {
    let id = &op.operation_id;
    if op.response.ty == TypeRef::Unit {
        return quote!(#id => Ok((serde_json::Value::Null, Vec::new())),);
    }
    let t = arg_type(api, &op.response.ty);
    quote!(#id => typed::<#t>(json, decoding),)
}

/// The path of the file.
const PATH: &str = "src/dynamic.rs";

/// The component schemas that have a Rust type, by name.
fn components(api: &Api) -> Vec<(&str, &TypeDef)> {
    api.types
        .types
        .iter()
        .filter_map(|t| t.pointer.strip_prefix("#/components/schemas/").filter(|n| !n.contains('/')).map(|n| (n, t)))
        .collect()
}

/// Whether an operation's response is handed back as bytes.
fn is_bytes(op: &Operation) -> bool {
    op.response.ty == TypeRef::Unit && op.response.media.is_some()
}

/// `src/dynamic.rs`, printed (path, text): the helpers and lists, `call`, `decode_response`,
/// `decode_schema`.
pub(super) fn file(api: &Api) -> Result<Printed> {
    let (prelude, call, response, schema) = (prelude(api), call(api), decode_response(api), decode_schema(api));
    let text = print(PATH, quote! { #prelude #call #response #schema })?;
    Ok((PATH.to_owned(), text))
}

/// The module's documentation, imports, lists and argument helpers.
fn prelude(api: &Api) -> TokenStream {
    let operations = api.operations.iter().map(|op| {
        let (id, method, path) = (&op.operation_id, &op.method, &op.path);
        quote!((#id, #method, #path),)
    });
    let json_response = api.operations.iter().any(|op| !is_bytes(op)).then(|| {
        quote! {
            fn json_response<T: Serialize>(response: ApiResponse<T>) -> Result<ApiResponse<serde_json::Value>, Error> {
                let body = serde_json::to_value(&response.body)
                    .map_err(|e| Error::InvalidRequest(format!("cannot encode the response: {e}")))?;
                Ok(response.map(|_| body))
            }
        }
    });
    let bytes_response = api.operations.iter().any(is_bytes).then(|| {
        quote! {
            fn bytes_response(response: ApiResponse<bytes::Bytes>) -> Result<ApiResponse<serde_json::Value>, Error> {
                let body = serde_json::Value::String(String::from_utf8_lossy(&response.body).into_owned());
                Ok(response.map(|_| body))
            }
        }
    });
    let components = components(api);
    let components_names = components.iter().map(|(n, _)| *n);
    quote! {
        //! Every operation callable by its `operationId` with JSON arguments, and every schema
        //! decodable by name (the `dynamic` feature).
        //!
        //! A call goes through the operation's generated method and request builder, exactly
        //! like a typed call, and its response is decoded into the operation's Rust type before
        //! it is handed back as JSON. Arguments are an object with optional `path`, `query`,
        //! `header` and `cookie` objects keyed by wire names, and a `body`.

        use crate::runtime::{ApiResponse, Client, Decoding, Deviation, Error};
        use crate::types;
        use serde::de::DeserializeOwned;
        use serde::Serialize;
        use std::future::Future;
        use std::pin::Pin;

        /// `(operationId, method, path)` of every operation, in the order of the spec.
        pub const OPERATIONS: &[(&str, &str, &str)] = &[#(#operations)*];

        /// The name of every component schema that has a Rust type.
        pub const SCHEMAS: &[&str] = &[#(#components_names),*];

        fn arg<'a>(args: &'a serde_json::Value, location: &str, name: &str) -> Option<&'a serde_json::Value> {
            args.get(location).and_then(|l| l.get(name)).filter(|v| !v.is_null())
        }

        fn parse<T: DeserializeOwned>(value: &serde_json::Value, what: &str) -> Result<T, Error> {
            serde_json::from_value(value.clone()).map_err(|e| Error::InvalidRequest(format!("argument {what}: {e}")))
        }

        fn required<T: DeserializeOwned>(args: &serde_json::Value, location: &str, name: &str) -> Result<T, Error> {
            let value = arg(args, location, name)
                .ok_or_else(|| Error::InvalidRequest(format!("missing required {location} argument `{name}`")))?;
            parse(value, &format!("{location}.{name}"))
        }

        fn optional<T: DeserializeOwned>(args: &serde_json::Value, location: &str, name: &str) -> Result<Option<T>, Error> {
            arg(args, location, name).map(|v| parse(v, &format!("{location}.{name}"))).transpose()
        }

        fn required_body<T: DeserializeOwned>(args: &serde_json::Value) -> Result<T, Error> {
            let body = args.get("body").ok_or_else(|| Error::InvalidRequest("missing required `body` argument".into()))?;
            parse(body, "body")
        }

        fn optional_body<T: DeserializeOwned>(args: &serde_json::Value) -> Result<Option<T>, Error> {
            args.get("body").filter(|b| !b.is_null()).map(|b| parse(b, "body")).transpose()
        }

        #json_response
        #bytes_response
    }
}

/// `call`: one arm per operation.
fn call(api: &Api) -> TokenStream {
    let calls = api.operations.iter().map(|op| call_arm(api, op));
    quote! {
        /// Calls the operation `operation_id` with JSON `args` through its generated method.
        /// The response body is decoded into the operation's type, then returned as JSON.
        pub async fn call(client: &Client, operation_id: &str, args: &serde_json::Value) -> Result<ApiResponse<serde_json::Value>, Error> {
            // One boxed future per operation keeps this function's own future small.
            let call: Pin<Box<dyn Future<Output = Result<ApiResponse<serde_json::Value>, Error>> + Send + '_>> = match operation_id {
                #(#calls)*
                other => return Err(Error::InvalidRequest(format!("unknown operation `{other}`"))),
            };
            call.await
        }
    }
}

/// `decode_response`: one arm per operation.
fn decode_response(api: &Api) -> TokenStream {
    let decodes = api.operations.iter().map(|op| decode_arm(api, op));
    quote! {
        fn typed<T: DeserializeOwned + Serialize>(json: &str, decoding: Decoding) -> Result<(serde_json::Value, Vec<Deviation>), String> {
            let (value, deviations) = crate::runtime::decode::decode::<T>("dynamic", reqwest::StatusCode::OK, json.as_bytes(), decoding)
                .map_err(|e| match e {
                    Error::Decode { path, message, .. } => format!("at `{path}`: {message}"),
                    other => other.to_string(),
                })?;
            Ok((serde_json::to_value(&value).map_err(|e| e.to_string())?, deviations))
        }

        /// Decodes `json` strictly as the success response of `operation_id` and encodes it
        /// again. The error names the JSON path that failed.
        pub fn decode_response(operation_id: &str, json: &str) -> Result<serde_json::Value, String> {
            decode_response_with(operation_id, json, Decoding::Strict).map(|(value, _)| value)
        }

        /// [`decode_response`] as a client with `decoding` decodes: leniently, the value comes
        /// with the deviations that were repaired.
        pub fn decode_response_with(operation_id: &str, json: &str, decoding: Decoding) -> Result<(serde_json::Value, Vec<Deviation>), String> {
            match operation_id {
                #(#decodes)*
                other => Err(format!("unknown operation `{other}`")),
            }
        }
    }
}

/// `decode_schema`: one arm per component schema.
fn decode_schema(api: &Api) -> TokenStream {
    let schema_arms = components(api).into_iter().map(|(name, def)| {
        let ty = ident(&def.name);
        if def.nullable {
            quote!(#name => typed::<Option<types::#ty>>(json, decoding),)
        } else {
            quote!(#name => typed::<types::#ty>(json, decoding),)
        }
    });
    quote! {
        /// Decodes `json` strictly as the component schema `schema` and encodes it again.
        /// The error names the JSON path that failed.
        pub fn decode_schema(schema: &str, json: &str) -> Result<serde_json::Value, String> {
            decode_schema_with(schema, json, Decoding::Strict).map(|(value, _)| value)
        }

        /// [`decode_schema`] as a client with `decoding` decodes.
        pub fn decode_schema_with(schema: &str, json: &str, decoding: Decoding) -> Result<(serde_json::Value, Vec<Deviation>), String> {
            match schema {
                #(#schema_arms)*
                other => Err(format!("unknown schema `{other}`")),
            }
        }
    }
}
