//! Operations -> one module per resource under `src/resources/`: an accessor on `Client`
//! (`client.conversations()`), a method per operation with the required parameters positional,
//! and a request builder per operation for the optional ones, which is sent by `.await`.
//! List operations that page get `.stream()`. Every call goes through the runtime's one send
//! path (`Client::execute`); nothing here repeats retry, auth or decoding logic.

use super::encoding::{self, Helpers};
use super::types::{ident, type_tokens, Uses};
use super::{docs, print, render, Job, Options, Part};
use crate::error::Result;
use crate::load::ParameterLocation;
use crate::model::modules::module_of;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The Rust type of a use, from the resources modules (types are reached through `types::`).
pub(super) fn rust_type(api: &Api, t: &TypeRef) -> TokenStream {
    ty(api, t)
}

fn ty(api: &Api, t: &TypeRef) -> TokenStream {
    let mut uses = Uses::default();
    let tokens = type_tokens(&api.types, t, "", &mut uses);
    // `type_tokens` names types bare; inside resources they live in `types`.
    qualify(&api.types, t, tokens)
}

fn qualify(space: &TypeSpace, t: &TypeRef, bare: TokenStream) -> TokenStream {
    match t {
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).name);
            quote!(types::#name)
        }
        TypeRef::Array(inner) => {
            let inner = qualify(space, inner, TokenStream::new());
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = qualify(space, inner, TokenStream::new());
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = qualify(space, inner, TokenStream::new());
            quote!(Option<#inner>)
        }
        other => {
            if bare.is_empty() {
                type_tokens(space, other, "", &mut Uses::default())
            } else {
                bare
            }
        }
    }
}

/// How a parameter is taken from the caller: `(argument type, conversion to the stored value)`.
fn argument(api: &Api, p: &Param) -> (TokenStream, TokenStream, TokenStream) {
    let name = ident(&p.name);
    match &p.ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(#name.into()), quote!(String)),
        TypeRef::Array(inner) if **inner == TypeRef::String => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#name.into_iter().map(Into::into).collect()),
            quote!(Vec<String>),
        ),
        other => {
            let t = ty(api, other);
            (t.clone(), quote!(#name), t)
        }
    }
}

fn example_value(api: &Api, p: &Param) -> String {
    match &p.ty {
        TypeRef::String => format!("\"{}\"", p.wire),
        TypeRef::Integer(_) => "1".into(),
        TypeRef::Number | TypeRef::Float => "1.0".into(),
        TypeRef::Boolean => "true".into(),
        TypeRef::Array(_) => format!("[\"{}\"]", p.wire),
        TypeRef::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Enum(e) => format!(
                "{}::{}",
                full_type_path(api, *id),
                e.variants.first().map(|v| v.name.as_str()).unwrap_or("Unknown")
            ),
            _ => "Default::default()".into(),
        },
        _ => "Default::default()".into(),
    }
}

fn full_type_path(api: &Api, id: TypeId) -> String {
    format!("{{crate}}::types::{}", api.types.get(id).name)
}

fn body_example(api: &Api, body: &Body) -> (Vec<String>, String) {
    let default = match &body.ty {
        TypeRef::Named(id) => api.types.get(*id).default,
        TypeRef::JsonObject | TypeRef::Json | TypeRef::Array(_) | TypeRef::Map(_) => true,
        _ => true,
    };
    let type_name = match &body.ty {
        TypeRef::Named(id) => full_type_path(api, *id),
        _ => "_".into(),
    };
    if default {
        (Vec::new(), format!("{type_name}::default()").replace("_::default()", "Default::default()"))
    } else {
        (
            vec![format!("let body: {type_name} = serde_json::from_str(r#\"{{ /* the fields you send */ }}\"#)?;")],
            "body".into(),
        )
    }
}

/// What the method docs say about the success response: how its body is returned, and the
/// headers the spec documents (read through `send_with_response`).
fn response_docs(r: &Success) -> Vec<String> {
    let mut lines = Vec::new();
    let media = r.media.as_deref().unwrap_or_default();
    match r.read {
        ResponseBody::Json => {}
        ResponseBody::Text => lines.push(format!("Returns the `{media}` body as text.")),
        ResponseBody::Binary => lines.push(format!("Returns the `{media}` body as bytes.")),
        ResponseBody::Empty => lines.push("The response body, if any, is ignored.".to_owned()),
    }
    if !r.headers.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push("Response headers (read them with `send_with_response`):".into());
        lines.push(String::new());
        for h in &r.headers {
            let mut facts: Vec<String> = h.schema.iter().map(|s| format!("`{s}`")).collect();
            if h.required {
                facts.push("always sent".into());
            }
            let facts = if facts.is_empty() { String::new() } else { format!(" ({})", facts.join(", ")) };
            let desc = h.description.as_deref().and_then(|d| d.lines().next()).map(docs::inline);
            let desc = desc.map(|d| format!(": {d}")).unwrap_or_default();
            lines.push(format!("- `{}`{facts}{desc}", h.name));
        }
    }
    if !lines.is_empty() {
        lines.insert(0, String::new());
    }
    lines
}

/// The doc lines of an operation's method.
fn method_docs(api: &Api, op: &Operation, group: &str, options_crate: &str) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(s) = op.summary.as_deref() {
        lines.extend(docs::markdown(s));
        lines.push(String::new());
    }
    match op.description.as_deref() {
        Some(d) => lines.extend(docs::markdown(d)),
        None if op.summary.is_none() => lines.push(format!("`{} {}`", op.method, op.path)),
        // A summary alone: one blank line before what follows, not two.
        None => {
            lines.pop();
        }
    }
    lines.push(String::new());
    lines.push(format!("`{} {}` (`{}`)", op.method, op.path, op.operation_id));
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        lines.push(String::new());
        lines.push("Optional parameters are set on the returned request before it is awaited.".into());
    }
    lines.extend(response_docs(&op.response));
    if !op.errors.is_empty() {
        lines.push(String::new());
        lines.push("# Errors".into());
        lines.push(String::new());
        for e in &op.errors {
            let desc = e.description.as_deref().and_then(|d| d.lines().next()).unwrap_or("");
            let codes: Vec<String> = e.codes.iter().map(|c| format!("`{c}`")).collect();
            let codes = if codes.is_empty() { String::new() } else { format!(" (codes: {})", codes.join(", ")) };
            lines.push(format!("- `{}` {}{}", e.status, docs::inline(desc), codes));
        }
    }
    // A usage example that compiles (it is not run).
    let mut args: Vec<String> = op.params.iter().filter(|p| p.required).map(|p| example_value(api, p)).collect();
    let mut setup = Vec::new();
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let (lines, arg) = body_example(api, b);
        setup = lines;
        args.push(arg);
    }
    let call = format!("client.{group}().{}({})", op.fn_name, args.join(", "));
    lines.push(String::new());
    lines.push("# Example".into());
    lines.push(String::new());
    lines.push("```no_run".into());
    lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".into());
    lines.push("let client = {crate}::Client::new(std::env::var(\"API_KEY\")?);".into());
    lines.extend(setup);
    let page_item = op.pagination.is_some();
    if page_item {
        lines.push("use futures_util::TryStreamExt;".into());
        lines.push(format!("let mut items = {call}.stream();"));
        lines.push("while let Some(item) = items.try_next().await? {".into());
        lines.push("    println!(\"{item:?}\");".into());
        lines.push("}".into());
    } else {
        lines.push(format!("let response = {call}.await?;"));
        lines.push("println!(\"{response:?}\");".into());
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.push("```".into());
    lines.into_iter().map(|l| l.replace("{crate}", options_crate)).collect()
}

/// The request builder of one operation.
fn operation_items(api: &Api, op: &Operation, helpers: &mut Helpers) -> TokenStream {
    let builder = format_ident!("{}", op.builder);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut adds = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let (arg, convert, stored) = argument(api, p);
        if p.required {
            fields.push(quote!(pub(super) #name: #stored,));
            if p.location != ParameterLocation::Path {
                adds.push(encoding::add_param(api, p, quote!(&self.#name), false, helpers));
            }
        } else {
            fields.push(quote!(pub(super) #name: Option<#stored>,));
            let pdoc = docs::attrs(&docs::lines(
                &p.docs,
                &format!("Sets the `{}` {} parameter.", p.wire, p.location.as_str()),
            ));
            setters.push(quote! {
                #pdoc
                pub fn #name(mut self, #name: #arg) -> Self {
                    self.#name = Some(#convert);
                    self
                }
            });
            adds.push(encoding::add_param(api, p, quote!(&self.#name), true, helpers));
        }
    }
    let mut body_stmt = quote!();
    let mut fallible = false;
    if let Some(b) = &op.body {
        let t = ty(api, &b.ty);
        fallible = true;
        body_stmt = encoding::body_statement(api, op, b, helpers);
        if b.required {
            fields.push(quote!(pub(super) body: #t,));
        } else {
            fields.push(quote!(pub(super) body: Option<#t>,));
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(mut self, body: #t) -> Self {
                    self.body = Some(body);
                    self
                }
            });
        }
    }
    // The path, each parameter percent-encoded into one segment.
    let mut format = String::new();
    let mut path_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        format.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let end = rest[start..].find('}').map(|e| start + e).unwrap_or(rest.len() - 1);
        let var = &rest[start + 1..end];
        let p = op
            .params
            .iter()
            .find(|p| p.location == ParameterLocation::Path && p.wire == var)
            .expect("checked by the model");
        let arg = encoding::path_arg(api, p, helpers);
        path_args.push(quote!(encode_path_segment(#arg)));
        format.push_str("{}");
        rest = &rest[end + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if path_args.is_empty() { quote!(#format) } else { quote!(format!(#format, #(#path_args),*)) };
    let method = format_ident!("{}", op.method);
    let op_id = &op.operation_id;
    if let Some((start, end)) = encoding::cookies(op) {
        adds.insert(0, start);
        adds.push(end);
    }
    adds.extend(encoding::accept(op));
    let mutable = if adds.is_empty() { quote!() } else { quote!(mut) };
    let (request_sig, request_ok, request_call) = if fallible {
        (quote!(Result<ApiRequest, Error>), quote!(Ok(req)), quote!(self.request()?))
    } else {
        (quote!(ApiRequest), quote!(req), quote!(self.request()))
    };
    let (output, send) = encoding::send(op, ty(api, &op.response.ty), request_call, helpers);
    // `Ok(response.body)` of a `()` body is clippy's `unit_arg`.
    let send_body = if output.to_string() == "()" {
        quote!(self.send_with_response().await?; Ok(()))
    } else {
        quote!(Ok(self.send_with_response().await?.body))
    };
    // The path as the spec writes it goes with the request, for traces.
    let template = &op.path;
    let new_request = quote!(ApiRequest::new(Method::#method, #path, #op_id).template(#template));
    let build_request = if adds.is_empty() && op.body.is_none() {
        new_request
    } else {
        quote! {
            let #mutable req = #new_request;
            #(#adds)*
            #body_stmt
            #request_ok
        }
    };
    let stream = op.pagination.as_ref().map(|pg| {
        let (item, page_fn, param) = match pg {
            Pagination::Cursor { item, param, .. } => (item, quote!(paginate_cursor), param),
            Pagination::Page { item, param, .. } => (item, quote!(paginate_pages), param),
        };
        let item = ty(api, item);
        let param = ident(param);
        let page_ty = ty(api, &op.response.ty);
        let (closure, first) = match pg {
            Pagination::Cursor { .. } => (quote!(move |cursor: Option<&str>| { let mut page = this.clone(); page.#param = cursor.map(Into::into); page.request() }), quote!()),
            Pagination::Page { .. } => (quote!(move |number: u64| { let mut page = this.clone(); page.#param = Some(number as _); page.request() }), quote!(self.#param.map(|p| p as u64).unwrap_or(1),)),
        };
        quote! {
            /// Every item of every page, fetched page by page as the stream is read. Stops at
            /// the last page; a page token the API repeats ends the stream with an error.
            pub fn stream(self) -> ItemStream<#item> {
                let client = self.client.clone();
                let this = self;
                client.#page_fn::<#page_ty>(#first #closure)
            }
        }
    });
    let doc = format!(
        " A `{}` call (`{} {}`): set optional parameters, then `.await` it.",
        op.operation_id, op.method, op.path
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder {
            pub(super) client: Client,
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            fn request(&self) -> #request_sig {
                #build_request
            }

            /// Sends the request and returns the response's status, headers and decoded body.
            pub async fn send_with_response(self) -> Result<ApiResponse<#output>, Error> {
                #send
            }

            /// Sends the request and returns the decoded body.
            pub async fn send(self) -> Result<#output, Error> {
                #send_body
            }

            #stream
        }

        impl IntoFuture for #builder {
            type Output = Result<#output, Error>;
            type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        crate::runtime::call_options!(#builder);
    }
}

/// The jobs that print `src/resources/<module>.rs`, one per resource: the group type that
/// `Client`'s accessor returns, its methods and the request builders. Each job also tells which
/// helpers its operations use, for `src/resources/mod.rs`.
pub(super) fn resource_jobs<'a>(api: &'a Api, options: &'a Options) -> Vec<Job<'a>> {
    let mut by_module: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        by_module.entry(module_of(op, &api.resources)).or_default().push(op);
    }
    api.resources
        .iter()
        .filter_map(|resource| {
            let ops = by_module.remove(resource.module.as_str())?;
            let job: Job<'a> = Box::new(move || resource_file(api, options, resource, &ops));
            Some(job)
        })
        .collect()
}

/// One resource's file.
fn resource_file(api: &Api, options: &Options, resource: &Resource, ops: &[&Operation]) -> Result<Part> {
    let module = ident(&resource.module);
    let group = format_ident!("{}", resource.group);
    let mut helpers = Helpers::default();
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for op in ops {
        let builder = format_ident!("{}", op.builder);
        let fn_name = ident(&op.fn_name);
        let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
        let args = required.iter().map(|p| {
            let (arg, _, _) = argument(api, p);
            let name = ident(&p.name);
            quote!(#name: #arg)
        });
        let mut inits: Vec<TokenStream> = op
            .params
            .iter()
            .map(|p| {
                let name = ident(&p.name);
                if p.required {
                    let (_, convert, _) = argument(api, p);
                    if name == convert.to_string() {
                        quote!(#name,)
                    } else {
                        quote!(#name: #convert,)
                    }
                } else {
                    quote!(#name: None,)
                }
            })
            .collect();
        let mut body_arg = None;
        if let Some(b) = &op.body {
            let t = ty(api, &b.ty);
            if b.required {
                body_arg = Some(quote!(body: #t));
                inits.push(quote!(body,));
            } else {
                inits.push(quote!(body: None,));
            }
        }
        let args = args.chain(body_arg);
        let mdoc = docs::attrs(&method_docs(api, op, &resource.module, &options.crate_name));
        let deprecated = op.deprecated.then(|| quote!(#[deprecated(note = "deprecated by the API")]));
        methods.push(quote! {
            #mdoc
            #deprecated
            pub fn #fn_name(&self, #(#args),*) -> #builder {
                #builder { client: self.client.clone(), #(#inits)* }
            }
        });
        builders.push(operation_items(api, op, &mut helpers));
    }
    let name = if resource.tag.is_empty() { "untagged" } else { &resource.tag };
    let accessor_doc = format!(" The {name} operations.");
    let mut module_lines = vec![format!(
        "The {name} resource: [`{}`], from `client.{}()`, and its request builders.",
        resource.group, resource.module
    )];
    if let Some(d) = &resource.description {
        module_lines.push(String::new());
        module_lines.extend(docs::markdown(d));
    }
    let module_doc = docs::inner_attrs(&module_lines);
    let tokens = quote! {
        #module_doc
        #[allow(unused_imports)]
        use crate::runtime::{encode_path_segment, ApiRequest, ApiResponse, Client, Error, ItemStream};
        #[allow(unused_imports)]
        use crate::types;
        use reqwest::Method;
        use std::future::{Future, IntoFuture};
        use std::pin::Pin;

        #[doc = #accessor_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #group<'c> {
            client: &'c Client,
        }

        impl Client {
            #[doc = #accessor_doc]
            pub fn #module(&self) -> #group<'_> {
                #group { client: self }
            }
        }

        impl #group<'_> {
            #(#methods)*
        }

        #(#builders)*
    };
    let path = format!("src/resources/{}.rs", resource.module);
    let text = print(&path, tokens)?;
    Ok(Part { path, index: 0, text, helpers })
}

/// `src/resources/mod.rs`: the resource modules and their group types, the page impls of the
/// list types, `ErrorCode`, and the helpers the operations use.
pub(super) fn resources_mod(api: &Api, options: &Options, helpers: Helpers) -> Result<(String, String)> {
    // Every resource has operations (see `model::modules::resources`).
    let modules: Vec<_> = api.resources.iter().map(|r| ident(&r.module)).collect();
    let groups = api.resources.iter().map(|r| format_ident!("{}", r.group));
    let mod_items = quote! {
        #(pub mod #modules;)*
        #(pub use #modules::#groups;)*
    };
    let pages = page_impls(api);
    let helper_items = encoding::helper_items(&helpers);
    let error_codes = error_codes(api);
    let tokens = quote! {
        //! The API's operations, grouped by resource: `client.conversations().list()`.
        //!
        //! Each method takes the required parameters and returns a request builder: set optional
        //! parameters on it, then `.await` it for the decoded body (or call `send_with_response`
        //! for status and headers too). List operations that page also have `.stream()`.
        #[allow(unused_imports)]
        use crate::types;

        #mod_items
        #pages
        #error_codes
        #helper_items
    };
    let path = "src/resources/mod.rs".to_owned();
    let text = render(&path, tokens, options)?;
    Ok((path, text))
}

/// `ErrorCode`: every `code` the spec documents for its error responses, in order of first
/// appearance, and `ApiError::error_code` to read it typed.
fn error_codes(api: &Api) -> TokenStream {
    let mut codes: Vec<&str> = Vec::new();
    for op in &api.operations {
        for e in &op.errors {
            for c in &e.codes {
                if !codes.contains(&c.as_str()) {
                    codes.push(c);
                }
            }
        }
    }
    let mut names = crate::naming::Names::default();
    let variants: Vec<(proc_macro2::Ident, &str)> =
        codes.iter().map(|c| (ident(&names.unique(&crate::naming::variant_name(c))), *c)).collect();
    let fallback = format_ident!(
        "{}",
        super::types::fallback_name(
            variants.iter().map(|(v, _)| v.to_string()).collect::<Vec<_>>().iter().map(String::as_str)
        )
    );
    let decls = variants.iter().map(|(v, c)| {
        let doc = format!(" `{c}`");
        quote!(#[doc = #doc] #v,)
    });
    let mapping = variants.iter().map(|(v, c)| quote!(#v => #c,));
    quote! {
        /// The error codes the API documents for its error responses (the `code` of an error body).
        ///
        /// A code this version of the crate does not know is kept as it came.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#decls)*
            /// A code this version of the crate does not know, as sent.
            #fallback(String),
        }

        crate::runtime::string_enum!(ErrorCode, #fallback, { #(#mapping)* });

        impl crate::runtime::ApiError {
            /// The error body's `code`, typed.
            pub fn error_code(&self) -> Option<ErrorCode> {
                self.code.as_deref().map(ErrorCode::from)
            }
        }
    }
}

/// `CursorPage`/`NumberedPage` for each list type that pages, once per type.
fn page_impls(api: &Api) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for op in &api.operations {
        let (Some(pg), TypeRef::Named(id)) = (&op.pagination, &op.response.ty) else { continue };
        if !seen.insert((*id, matches!(pg, Pagination::Cursor { .. }))) {
            continue;
        }
        let TypeKind::Struct(s) = &api.types.get(*id).kind else { continue };
        let page = ty(api, &op.response.ty);
        let field = |name: &str| s.fields.iter().find(|f| f.name == name).expect("pagination fields exist");
        match pg {
            Pagination::Cursor { next_field, items_field, item, .. } => {
                let item = ty(api, item);
                let items = ident(items_field);
                let next = ident(next_field);
                let get_next = match field(next_field).presence() {
                    Presence::Required => quote!(Some(self.#next.as_str())),
                    Presence::RequiredNullable | Presence::Optional => quote!(self.#next.as_deref()),
                    Presence::OptionalNullable => quote!(self.#next.as_ref().map(String::as_str)),
                };
                out.push(quote! {
                    impl crate::runtime::CursorPage for #page {
                        type Item = #item;
                        fn next_cursor(&self) -> Option<&str> { #get_next }
                        fn into_items(self) -> Vec<Self::Item> { self.#items }
                    }
                });
            }
            Pagination::Page { meta_field, total_pages_field, items_field, item, .. } => {
                let item = ty(api, item);
                let items = ident(items_field);
                let meta = ident(meta_field);
                let total = ident(total_pages_field);
                let get = match field(meta_field).presence() {
                    Presence::Required => quote!(Some(self.#meta.#total as u64)),
                    Presence::RequiredNullable | Presence::Optional => {
                        quote!(self.#meta.as_ref().map(|m| m.#total as u64))
                    }
                    Presence::OptionalNullable => quote!(self.#meta.as_ref().map(|m| m.#total as u64)),
                };
                out.push(quote! {
                    impl crate::runtime::NumberedPage for #page {
                        type Item = #item;
                        fn total_pages(&self) -> Option<u64> { #get }
                        fn into_items(self) -> Vec<Self::Item> { self.#items }
                    }
                });
            }
        }
    }
    quote!(#(#out)*)
}
