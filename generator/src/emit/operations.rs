//! Operations -> one module per resource under `src/resources/`: an accessor on `Client`
//! (`client.conversations()`), a method per operation with the required parameters positional,
//! and a request builder per operation for the optional ones, which is sent by `.await`.
//! List operations that page get `.stream()`. Every call goes through the runtime's one send
//! path (`Client::execute`); nothing here repeats retry, auth or decoding logic.

use super::encoding;
use super::types::{ident, type_tokens, Uses};
use super::{docs, print, render, Options, Printed};
use crate::error::Result;
use crate::load::ParameterLocation;
use crate::model::modules::module_of;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The Rust type of a use, from the resources modules (types are reached through `types::`).
pub(super) fn rust_type(api: &Api, t: &TypeRef) -> TokenStream {
    ty(api, t, &mut FileUses::default())
}

fn ty(api: &Api, t: &TypeRef, file: &mut FileUses) -> TokenStream {
    let mut uses = Uses::default();
    let tokens = type_tokens(&api.types, t, "", &mut uses);
    file.types |= !uses.siblings.is_empty();
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

/// How a parameter is taken from the caller and kept.
struct Argument {
    /// The type the method or setter takes.
    taken: TokenStream,
    /// The conversion of the taken value (`id.into()`), when it is not kept as it is.
    convert: Option<TokenStream>,
    /// The type the builder keeps.
    stored: TokenStream,
}

impl Argument {
    fn of(api: &Api, p: &Param, uses: &mut FileUses) -> Argument {
        let name = ident(&p.name);
        match &p.ty {
            TypeRef::String => Argument {
                taken: quote!(impl Into<String>),
                convert: Some(quote!(#name.into())),
                stored: quote!(String),
            },
            TypeRef::Array(inner) if **inner == TypeRef::String => Argument {
                taken: quote!(impl IntoIterator<Item = impl Into<String>>),
                convert: Some(quote!(#name.into_iter().map(Into::into).collect())),
                stored: quote!(Vec<String>),
            },
            other => {
                let t = ty(api, other, uses);
                Argument { taken: t.clone(), convert: None, stored: t }
            }
        }
    }

    /// The value to keep, from the argument `name`.
    fn value(&self, name: &proc_macro2::Ident) -> TokenStream {
        self.convert.clone().unwrap_or_else(|| quote!(#name))
    }
}

/// A value of a type in a doc example (`wire` names a string), `None` when the example cannot
/// write one: a type without `Default`, constructor or member to start from.
fn example_of(api: &Api, ty: &TypeRef, wire: &str, depth: usize) -> Option<String> {
    Some(match ty {
        TypeRef::String => format!("\"{wire}\""),
        TypeRef::Integer(_) => "1".into(),
        TypeRef::Number | TypeRef::Float => "1.0".into(),
        TypeRef::Boolean => "true".into(),
        TypeRef::Array(_) => "Vec::new()".into(),
        TypeRef::Named(id) => {
            let def = api.types.get(*id);
            let path = full_type_path(api, *id);
            match &def.kind {
                TypeKind::Enum(e) => format!("{path}::{}", e.variants.first().map_or("Unknown", |v| v.name.as_str())),
                _ if def.default => "Default::default()".into(),
                TypeKind::Struct(_) if depth < 3 => match api.types.construction(def)? {
                    Construction::Default => return None,
                    Construction::Single(f) => format!("{path}::new({})", example_of(api, &f.ty, &f.wire, depth + 1)?),
                    Construction::Named(required, fields) => {
                        let values: Option<Vec<String>> = fields
                            .iter()
                            .map(|f| {
                                let value = example_of(api, &f.ty, &f.wire, depth + 1)?;
                                let value = if f.ty == TypeRef::String { format!("{value}.into()") } else { value };
                                Some(format!("{}: {value}", f.name))
                            })
                            .collect();
                        format!("{path}::new({{crate}}::types::{required} {{ {} }})", values?.join(", "))
                    }
                },
                TypeKind::Union(u) if depth < 3 => {
                    let first = u.variants.first()?;
                    let value = example_of(api, &first.ty, wire, depth + 1)?;
                    let value = if first.boxed { format!("Box::new({value})") } else { value };
                    format!("{path}::{}({value})", first.name)
                }
                _ => return None,
            }
        }
        TypeRef::Nullable(_) => "None".into(),
        _ => "Default::default()".into(),
    })
}

/// A value of a required parameter in a doc example.
fn example_value(api: &Api, p: &Param) -> String {
    match &p.ty {
        TypeRef::Array(_) => format!("[\"{}\"]", p.wire),
        ty => example_of(api, ty, &p.wire, 0).unwrap_or_else(|| "Default::default()".into()),
    }
}

fn full_type_path(api: &Api, id: TypeId) -> String {
    format!("{{crate}}::types::{}", api.types.get(id).name)
}

/// The body argument of a doc example: the body type's `new` with example values of its
/// required fields, or its `default()`; JSON text for a body with neither.
fn body_example(api: &Api, body: &Body) -> (Vec<String>, String) {
    let TypeRef::Named(id) = &body.ty else { return (Vec::new(), "Default::default()".into()) };
    let def = api.types.get(*id);
    let path = full_type_path(api, *id);
    let value = match &def.kind {
        TypeKind::Struct(s) if !s.constructor_args().is_empty() => example_of(api, &body.ty, "", 0),
        _ if def.default => Some(format!("{path}::default()")),
        _ => example_of(api, &body.ty, "", 0),
    };
    if let Some(value) = value {
        (Vec::new(), value)
    } else {
        (
            vec![format!("let body: {path} = serde_json::from_str(r#\"{{ /* the fields you send */ }}\"#)?;")],
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

/// The request builder of one operation: the struct with the client and the parameters, the
/// setters of the optional ones, `stream` for a list that pages, `request` (the parameters on the
/// wire), and `operation!` for the rest (see the runtime's `operation`).
fn operation_items(api: &Api, op: &Operation, uses: &mut FileUses) -> TokenStream {
    let builder = format_ident!("{}", op.builder);
    let (fields, setters) = members(api, op, uses);
    let stream = stream(api, op, uses);
    let request = request(api, op, uses);
    let json_type = ty(api, &op.response.ty, uses);
    let (output, read) = encoding::read(op, json_type);
    let then = if setters.is_empty() { "`.await` it" } else { "set its optional parameters, then `.await` it" };
    let doc = format!(" A `{}` call (`{} {}`): {then}.", op.operation_id, op.method, op.path);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder {
            client: Client,
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            #stream

            #request
        }

        crate::runtime::operation!(#builder -> #output #read);
    }
}

/// A builder's fields (after its client) and the setters of its optional parameters and body.
fn members(api: &Api, op: &Operation, uses: &mut FileUses) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let arg = Argument::of(api, p, uses);
        let stored = &arg.stored;
        if p.required {
            fields.push(quote!(#name: #stored,));
            continue;
        }
        fields.push(quote!(#name: Option<#stored>,));
        let (taken, convert) = (&arg.taken, arg.value(&name));
        let pdoc =
            docs::attrs(&docs::lines(&p.docs, &format!("Sets the `{}` {} parameter.", p.wire, p.location.as_str())));
        setters.push(quote! {
            #pdoc
            pub fn #name(mut self, #name: #taken) -> Self {
                self.#name = Some(#convert);
                self
            }
        });
    }
    if let Some(b) = &op.body {
        let t = ty(api, &b.ty, uses);
        if b.required {
            fields.push(quote!(body: #t,));
        } else {
            fields.push(quote!(body: Option<#t>,));
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(mut self, body: #t) -> Self {
                    self.body = Some(body);
                    self
                }
            });
        }
    }
    (fields, setters)
}

/// The `request` function: the operation's method, path, parameters (path parameters first,
/// they fill the path; the others in the order the spec lists them), `Accept` and body, as calls
/// on an `ApiRequest`. `#[inline]`, like what `operation!` writes (see the runtime's `operation`).
fn request(api: &Api, op: &Operation, uses: &mut FileUses) -> TokenStream {
    let (template, op_id) = (&op.path, &op.operation_id);
    let path = op.params.iter().filter(|p| p.location == ParameterLocation::Path);
    let rest = op.params.iter().filter(|p| p.location != ParameterLocation::Path);
    let adds: Vec<TokenStream> = path.chain(rest).map(|p| encoding::add_param(api, p)).collect();
    let accept = encoding::accept(op);
    let start = match op.method.as_str() {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" => {
            let method = format_ident!("{}", op.method.to_ascii_lowercase());
            quote!(ApiRequest::#method(#template, #op_id))
        }
        other => {
            uses.method = true;
            let method = format_ident!("{other}");
            quote!(ApiRequest::templated(Method::#method, #template, #op_id))
        }
    };
    let (body, fallible) = encoding::with_body(api, op, quote!(#start #(#adds)* #accept));
    uses.error |= fallible;
    let returns = if fallible { quote!(Result<ApiRequest, Error>) } else { quote!(ApiRequest) };
    quote! {
        #[inline]
        fn request(&self) -> #returns {
            #body
        }
    }
}

/// `stream` of a list that pages: the runtime's stream with the page parameter set on copies.
fn stream(api: &Api, op: &Operation, uses: &mut FileUses) -> Option<TokenStream> {
    let pg = op.pagination.as_ref()?;
    uses.stream = true;
    let (item, param) = match pg {
        Pagination::Cursor { item, param, .. } | Pagination::Page { item, param, .. } => (item, ident(param)),
    };
    let item = ty(api, item, uses);
    let call = match pg {
        Pagination::Cursor { .. } => quote!(crate::runtime::cursor_stream(self, |call, c| call.#param = c)),
        Pagination::Page { .. } => quote! {
            let first = self.#param.map(|p| p as u64);
            crate::runtime::page_stream(self, first, |call, number| call.#param = Some(number as _))
        },
    };
    Some(quote! {
        /// Every item of every page, fetched page by page as the stream is read. Stops at
        /// the last page; a page token the API repeats ends the stream with an error.
        #[inline]
        pub fn stream(self) -> ItemStream<#item> {
            #call
        }
    })
}

/// What a resource file's items use, for its imports.
#[derive(Debug, Default)]
struct FileUses {
    /// A type of `crate::types`.
    types: bool,
    /// `ItemStream`, for `stream`.
    stream: bool,
    /// `reqwest::Method`, for a method `ApiRequest` has no constructor of.
    method: bool,
    /// `Error`, for a `request` that may fail.
    error: bool,
}

/// `src/resources/<module>.rs`, printed (path, text), one per resource: the group type that
/// `Client`'s accessor returns, its methods and the request builders.
pub(super) fn resource_files(api: &Api, options: &Options) -> Result<Vec<Printed>> {
    let mut by_module: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        by_module.entry(module_of(op, &api.resources)).or_default().push(op);
    }
    api.resources
        .iter()
        .filter_map(|resource| {
            let ops = by_module.remove(resource.module.as_str())?;
            Some(resource_file(api, options, resource, &ops))
        })
        .collect()
}

/// One resource's file.
fn resource_file(api: &Api, options: &Options, resource: &Resource, ops: &[&Operation]) -> Result<Printed> {
    let module = ident(&resource.module);
    let group = format_ident!("{}", resource.group);
    let mut uses = FileUses::default();
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for op in ops {
        let builder = format_ident!("{}", op.builder);
        let fn_name = ident(&op.fn_name);
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for p in op.params.iter().filter(|p| p.required) {
            let name = ident(&p.name);
            let arg = Argument::of(api, p, &mut uses);
            let taken = &arg.taken;
            args.push(quote!(#name: #taken));
            inits.push(match &arg.convert {
                Some(convert) => quote!(#name: #convert,),
                None => quote!(#name,),
            });
        }
        inits.extend(op.params.iter().filter(|p| !p.required).map(|p| {
            let name = ident(&p.name);
            quote!(#name: None,)
        }));
        if let Some(b) = &op.body {
            if b.required {
                let t = ty(api, &b.ty, &mut uses);
                args.push(quote!(body: #t));
                inits.push(quote!(body,));
            } else {
                inits.push(quote!(body: None,));
            }
        }
        let mdoc = docs::attrs(&method_docs(api, op, &resource.module, &options.crate_name));
        let deprecated = op.deprecated.then(|| quote!(#[deprecated(note = "deprecated by the API")]));
        let arg_names: Vec<TokenStream> = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| {
                let name = ident(&p.name);
                quote!(#name)
            })
            .chain(op.body.as_ref().filter(|b| b.required).map(|_| quote!(body)))
            .collect();
        let aliases = op.former_names.iter().map(|former| {
            let alias = ident(former);
            let doc =
                format!(" The former name of [`{0}`](Self::{0}), kept until the next breaking release.", op.fn_name);
            let note = format!("renamed to `{}`", op.fn_name);
            quote! {
                #[doc = #doc]
                #[deprecated(note = #note)]
                pub fn #alias(&self, #(#args),*) -> #builder {
                    self.#fn_name(#(#arg_names),*)
                }
            }
        });
        methods.push(quote! {
            #mdoc
            #deprecated
            pub fn #fn_name(&self, #(#args),*) -> #builder {
                #builder { client: self.client.clone(), #(#inits)* }
            }
            #(#aliases)*
        });
        builders.push(operation_items(api, op, &mut uses));
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
    let error = uses.error.then(|| quote!(Error,));
    let stream = uses.stream.then(|| quote!(ItemStream,));
    let types = uses.types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let method = uses.method.then(|| {
        quote!(
            use reqwest::Method;
        )
    });
    let tokens = quote! {
        #module_doc
        use crate::runtime::{ApiRequest, Client, #error #stream};
        #types
        #method

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
    Ok((path, text))
}

/// `src/resources/mod.rs`: the resource modules and their group types, the page impls of the
/// list types, and `ErrorCode`.
pub(super) fn resources_mod(api: &Api, options: &Options) -> Result<(String, String)> {
    // Every resource has operations (see `model::modules::resources`).
    let modules: Vec<_> = api.resources.iter().map(|r| ident(&r.module)).collect();
    let groups = api.resources.iter().map(|r| format_ident!("{}", r.group));
    let cfg = |r: &Resource| super::features::cfg(options.resource_features.then_some(&r.module));
    let cfgs: Vec<TokenStream> = api.resources.iter().map(cfg).collect();
    let mod_items = quote! {
        #(#cfgs pub mod #modules;)*
        #(#cfgs pub use #modules::#groups;)*
    };
    let pages = page_impls(api, options.resource_features);
    // `types` is what the page impls name: imported when one of them is compiled.
    let paging: std::collections::BTreeSet<&String> = api
        .operations
        .iter()
        .filter(|op| op.pagination.is_some())
        .map(|op| &api.resources[op.resource].module)
        .collect();
    let types_import = (!paging.is_empty()).then(|| {
        let cfg = super::features::cfg(paging.into_iter().filter(|_| options.resource_features));
        quote!(#cfg use crate::types;)
    });
    let error_codes = error_codes(api);
    let tokens = quote! {
        //! The API's operations, grouped by resource: `client.conversations().list()`.
        //!
        //! Each method takes the required parameters and returns a request builder: set optional
        //! parameters on it, then `.await` it for the decoded body (or call `send_with_response`
        //! for status and headers too). List operations that page also have `.stream()`.
        #types_import

        #mod_items
        #pages
        #error_codes
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
    let decls = variants.iter().map(|(v, c)| quote!(#v = #c,));
    quote! {
        crate::runtime::string_enum! {
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
        }

        impl crate::runtime::ApiError {
            /// The error body's `code`, typed.
            pub fn error_code(&self) -> Option<ErrorCode> {
                self.code.as_deref().map(ErrorCode::from)
            }
        }
    }
}

/// `CursorPage`/`NumberedPage` for each list type that pages, once per type.
fn page_impls(api: &Api, resource_features: bool) -> TokenStream {
    // Compiled with the features of the resources whose operations page through the type.
    let mut features: BTreeMap<(TypeId, bool), std::collections::BTreeSet<&String>> = BTreeMap::new();
    for op in &api.operations {
        if let (Some(pg), TypeRef::Named(id)) = (&op.pagination, &op.response.ty) {
            let key = (*id, matches!(pg, Pagination::Cursor { .. }));
            features.entry(key).or_default().insert(&api.resources[op.resource].module);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for op in &api.operations {
        let (Some(pg), TypeRef::Named(id)) = (&op.pagination, &op.response.ty) else { continue };
        let key = (*id, matches!(pg, Pagination::Cursor { .. }));
        if !seen.insert(key) {
            continue;
        }
        let TypeKind::Struct(s) = &api.types.get(*id).kind else { continue };
        let cfg = super::features::cfg(features[&key].iter().copied().filter(|_| resource_features));
        let page = rust_type(api, &op.response.ty);
        let field = |name: &str| s.fields.iter().find(|f| f.name == name).expect("pagination fields exist");
        match pg {
            Pagination::Cursor { next_field, items_field, item, .. } => {
                let item = rust_type(api, item);
                let items = ident(items_field);
                let next = ident(next_field);
                let get_next = match field(next_field).presence() {
                    Presence::Required => quote!(Some(self.#next.as_str())),
                    Presence::RequiredNullable | Presence::Optional => quote!(self.#next.as_deref()),
                    Presence::OptionalNullable => quote!(self.#next.as_ref().map(String::as_str)),
                };
                out.push(quote! {
                    #cfg
                    impl crate::runtime::CursorPage for #page {
                        type Item = #item;
                        fn next_cursor(&self) -> Option<&str> { #get_next }
                        fn into_items(self) -> Vec<Self::Item> { self.#items }
                    }
                });
            }
            Pagination::Page { meta_field, total_pages_field, items_field, item, .. } => {
                let item = rust_type(api, item);
                let items = ident(items_field);
                let meta = ident(meta_field);
                let total = ident(total_pages_field);
                // The count in the metadata, as an `Option<u64>` from `m`, whatever its presence.
                let TypeRef::Named(meta_id) = &field(meta_field).ty else { continue };
                let TypeKind::Struct(meta_struct) = &api.types.get(*meta_id).kind else { continue };
                let count = meta_struct.fields.iter().find(|f| f.name == *total_pages_field).map(|f| f.presence());
                let of_meta = |m: TokenStream| match count {
                    Some(Presence::Required) | None => quote!(Some(#m.#total as u64)),
                    Some(Presence::RequiredNullable | Presence::Optional) => quote!(#m.#total.map(|t| t as u64)),
                    Some(Presence::OptionalNullable) => quote!(#m.#total.as_ref().map(|t| *t as u64)),
                };
                let get = match (field(meta_field).presence(), count) {
                    (Presence::Required, _) => of_meta(quote!(self.#meta)),
                    (_, Some(Presence::Required) | None) => quote!(self.#meta.as_ref().map(|m| m.#total as u64)),
                    _ => {
                        let inner = of_meta(quote!(m));
                        quote!(self.#meta.as_ref().and_then(|m| #inner))
                    }
                };
                out.push(quote! {
                    #cfg
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
