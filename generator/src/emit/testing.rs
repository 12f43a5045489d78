//! `src/testing.rs` (behind the generated crate's `testing` feature): a mock of the API for the
//! tests of code that uses the client, speaking the crate's types.
//!
//! The mock itself is the runtime's (`runtime::testing`: expectations, matching, faults,
//! verification, and the transport the client sends its calls to it by); this file gives it the
//! API's shape. Per resource it writes an accessor on `MockApi` and a mock group whose methods
//! mirror the client's (`mock.conversations().list()` for `client.conversations().list()`), each
//! typed with its operation's response and body types and knowing its parameters' names, path
//! template and success status. A resource's mock is compiled with its feature, like the resource.
//!
//! It is a file of its own rather than part of the resource files so that the resources, which
//! every user compiles, stay as they are, and so that everything a test needs is in one module.

use super::encoding;
use super::types::ident;
use super::{docs, print, Options, Printed};
use crate::error::Result;
use crate::load::ParameterLocation;
use crate::model::modules::module_of;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The path of the file.
pub const PATH: &str = "src/testing.rs";

/// The methods of the runtime's `MockApi` (but `new`, which no resource module is named): a
/// resource of one of these names has its accessor with a trailing `_`, so that the real
/// client's accessors keep their names.
const MOCK_API_METHODS: &[&str] = &["client", "client_builder", "calls", "verify", "try_verify"];

/// Whether a type use names a generated type (so its module imports `types`).
fn names_a_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => names_a_type(inner),
        _ => false,
    }
}

/// The status a success answers with: the spec's, or 200 for `2XX` and `default`.
fn success_status(op: &Operation) -> u16 {
    op.response.status.parse().ok().filter(|s| (200..300).contains(s)).unwrap_or(200)
}

/// The mock method of one operation, and whether it names a generated type.
fn method(api: &Api, op: &Operation, module: &str) -> (TokenStream, bool) {
    let mut uses_types = false;
    let json_type = super::operations::rust_type(api, &op.response.ty);
    let (output, _) = encoding::read(op, json_type);
    let media = op.response.media.clone();
    let response = match op.response.read {
        ResponseBody::Json => {
            uses_types |= names_a_type(&op.response.ty);
            let media = media.unwrap_or_else(|| "application/json".to_owned());
            quote!(.json_response(#media))
        }
        ResponseBody::Text => {
            let media = media.unwrap_or_else(|| "text/plain".to_owned());
            quote!(.text_response(#media))
        }
        ResponseBody::Binary => {
            let media = media.unwrap_or_else(|| "application/octet-stream".to_owned());
            quote!(.bytes_response(#media))
        }
        ResponseBody::Empty => quote!(),
    };
    let (body, decode) = match &op.body {
        Some(b) if b.encoding == BodyEncoding::Json => {
            uses_types |= names_a_type(&b.ty);
            (super::operations::rust_type(api, &b.ty), quote!(.json_body()))
        }
        _ => (quote!(()), quote!()),
    };
    let wires = |location: ParameterLocation| -> Vec<&str> {
        op.params.iter().filter(|p| p.location == location).map(|p| p.wire.as_str()).collect()
    };
    let (path_params, query_params) = (wires(ParameterLocation::Path), wires(ParameterLocation::Query));
    let mut lines = vec![format!(
        "Expects `client.{module}().{}(..)`: `{} {}` (`{}`).",
        op.fn_name, op.method, op.path, op.operation_id
    )];
    // One line a parameter, so that a parameter a new version adds is an added line.
    for (names, kind) in [(&path_params, "Path"), (&query_params, "Query")] {
        if !names.is_empty() {
            lines.push(String::new());
            lines.push(format!("{kind} parameters:"));
            lines.extend(names.iter().map(|n| format!("- `{n}`")));
        }
    }
    let doc = docs::attrs(&lines);
    let fn_name = ident(&op.fn_name);
    let status = proc_macro2::Literal::u16_unsuffixed(success_status(op));
    let (id, method, template) = (&op.operation_id, &op.method, &op.path);
    let path_params = path_params.iter().map(|name| quote!(.path_param(#name)));
    let query_params = query_params.iter().map(|name| quote!(.query_param(#name)));
    let tokens = quote! {
        #doc
        pub fn #fn_name(&self) -> Expect<'m, #output, #body> {
            Expect::new(
                self.mock,
                MockOperation::new(#id, #method, #template, #status)
                    #(#path_params)*
                    #(#query_params)*
                    #response
                    #decode
            )
        }
    };
    (tokens, uses_types)
}

/// The file, printed (path, text).
pub(super) fn file(api: &Api, options: &Options) -> Result<Printed> {
    let mut by_module: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        by_module.entry(module_of(op, &api.resources)).or_default().push(op);
    }
    let mut items = Vec::new();
    for resource in &api.resources {
        let Some(ops) = by_module.get(resource.module.as_str()) else { continue };
        let module = ident(&resource.module);
        let accessor = if MOCK_API_METHODS.contains(&resource.module.as_str()) {
            format_ident!("{}_", resource.module)
        } else {
            module.clone()
        };
        let mock = format_ident!("{}Mock", resource.group);
        let cfg = super::features::cfg(options.resource_features.then_some(&resource.module));
        let mut methods = Vec::new();
        let mut uses_types = false;
        for op in ops {
            let (tokens, types) = method(api, op, &resource.module);
            methods.push(tokens);
            uses_types |= types;
        }
        let types = uses_types.then(|| {
            quote!(
                use crate::types;
            )
        });
        let name = if resource.tag.is_empty() { "untagged" } else { &resource.tag };
        let group_doc = format!(
            " The {name} operations of a [`MockApi`]: a method per method of `client.{}()`, each starting an expectation of that operation.",
            resource.module
        );
        let accessor_doc = format!(" Expectations of the {name} operations (`client.{}()`).", resource.module);
        let module_doc = format!(" The mock of the {name} resource.");
        items.push(quote! {
            #[doc = #module_doc]
            #cfg
            mod #module {
                use super::{Expect, MockApi, MockOperation};
                #types

                #[doc = #group_doc]
                #[derive(Debug, Clone, Copy)]
                pub struct #mock<'m> {
                    mock: &'m MockApi,
                }

                impl MockApi {
                    #[doc = #accessor_doc]
                    pub fn #accessor(&self) -> #mock<'_> {
                        #mock { mock: self }
                    }
                }

                impl<'m> #mock<'m> {
                    #(#methods)*
                }
            }

            #cfg
            pub use #module::#mock;
        });
    }
    let krate = &options.crate_name;
    let lines = [
        "A mock of the API for the tests of code that uses the client (crate feature `testing`).".to_owned(),
        String::new(),
        "[`MockApi`] stands in for the server. Its accessors mirror the client's: `mock.<resource>().<operation>()`"
            .to_owned(),
        "starts an [`Expect`] of the operation `client.<resource>().<operation>(..)` calls. It matches the calls"
            .to_owned(),
        "by path and query parameters (`path_param`, `query_param`, `no_query_param`), by a predicate on the typed"
            .to_owned(),
        "body (`body`) and how many times (`times`), then answers with a typed value (`returns`), an API error"
            .to_owned(),
        "(`returns_error`, with the crate's `ErrorCode`) or a [`Fault`]: a timeout, a 429 with `Retry-After`, a"
            .to_owned(),
        "malformed body. The client from [`MockApi::client`] sends its calls to the mock through its one send path"
            .to_owned(),
        "(retries, error mapping, decoding), without a socket; [`MockApi::verify`], or dropping the mock, reports"
            .to_owned(),
        "unmet expectations and unexpected calls, and [`MockApi::calls`] gives what was called.".to_owned(),
        String::new(),
        "```text".to_owned(),
        format!("let mock = {krate}::testing::MockApi::new();"),
        "mock.<resource>().<operation>().path_param(\"id\", \"1\").returns(value);".to_owned(),
        "let client = mock.client();".to_owned(),
        "// ... the code under test, with `client` ...".to_owned(),
        "mock.verify();".to_owned(),
        "```".to_owned(),
    ];
    let module_doc = docs::inner_attrs(&lines);
    let tokens = quote! {
        #module_doc
        pub use crate::runtime::testing::{Call, Expect, Expectation, Fault, MockApi, Times, Unverified};
        #[doc(hidden)]
        pub use crate::runtime::testing::MockOperation;

        #(#items)*
    };
    let text = print(PATH, tokens)?;
    Ok((PATH.to_owned(), text))
}

#[cfg(test)]
mod tests {
    use crate::load::Format;

    const SPEC: &str = r##"
openapi: 3.1.0
info: {title: Calls, version: '1'}
tags: [{name: Calls}, {name: Notes}]
paths:
  /calls/{sid}:
    get:
      operationId: getCall
      tags: [Calls]
      parameters:
        - {name: sid, in: path, required: true, schema: {type: string}}
        - {name: expand, in: query, schema: {type: boolean}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Call'}}}}
  /notes:
    post:
      operationId: createNote
      tags: [Notes]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {text: {type: string}}}}}
      responses:
        '201': {description: created, content: {text/plain: {schema: {type: string}}}}
    delete:
      operationId: deleteNotes
      tags: [Notes]
      responses:
        '204': {description: gone}
components:
  schemas:
    Call: {type: object, properties: {sid: {type: string}}}
"##;

    /// The mock of each operation: its response and body types, its parameters by name, its
    /// success status; a resource named like a method of `MockApi` keeps the client's name with
    /// a trailing `_`.
    #[test]
    fn mocks_mirror_the_operations() {
        let generated = crate::generate(SPEC, Format::Yaml, &crate::Options::default()).unwrap();
        let text = &generated.files[super::PATH];
        for expected in [
            "pub fn calls_(&self) -> CallsMock<'_>",
            "pub fn notes(&self) -> NotesMock<'_>",
            "pub fn get(&self) -> Expect<'m, types::Call, ()>",
            "MockOperation::new(\"getCall\", \"GET\", \"/calls/{sid}\", 200)",
            ".path_param(\"sid\")",
            ".query_param(\"expand\")",
            "pub fn create(&self) -> Expect<'m, String, types::CreateNoteBody>",
            "MockOperation::new(\"createNote\", \"POST\", \"/notes\", 201)",
            ".text_response(\"text/plain\")",
            ".json_body()",
            "pub fn delete(&self) -> Expect<'m, (), ()>",
            "#[cfg(feature = \"calls\")]",
        ] {
            assert!(text.contains(expected), "no `{expected}` in:\n{text}");
        }
        assert!(!text.contains("pub fn calls(&self)"), "{text}");
    }
}
