//! Operations -> [`Operation`]s: parameters, bodies and responses resolved into the type space,
//! method names within each resource group, and pagination.

use super::build::{docs_of, Builder, Items};
use super::*;
use crate::error::Result;
use crate::load::{Document, Parameter, ParameterLocation, Schema};
use crate::naming::{field_name, type_name, Names};
use heck::ToSnakeCase;
use indexmap::IndexMap;
use std::collections::HashMap;

/// One API call.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or one derived from method and path when the spec has none.
    pub operation_id: String,
    /// Where the operation is declared.
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template (`/v2/conversations/{id}`).
    pub path: String,
    /// The resource group: the first tag; for an operation without tags, what its path groups
    /// it by ([`path_group`]: a tag of the same name, or the path segment), `None` for `other`.
    pub tag: Option<String>,
    /// Whether the spec gives the operation no tags (its group then comes from its path).
    pub untagged: bool,
    /// The index of its resource group in [`Api::resources`].
    pub resource: usize,
    /// The method name within its resource group (`list`, `get`, `reply`).
    pub fn_name: String,
    /// The method name the spec gives (`x-rust-method`), which the naming rules do not change.
    pub named: Option<String>,
    /// Former method names (the lock's `renamed` lines), generated as deprecated aliases.
    pub former_names: Vec<String>,
    /// The request builder's type name, unique within its resource module.
    pub builder: String,
    /// A one-line summary.
    pub summary: Option<String>,
    /// A markdown description.
    pub description: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// The parameters the caller gives (the version header is sent by the client).
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// The success response.
    pub response: Success,
    /// The documented error responses.
    pub errors: Vec<ErrorResponse>,
    /// How to follow the pages of a list.
    pub pagination: Option<Pagination>,
}

/// How a list endpoint pages.
#[derive(Debug, Clone, PartialEq)]
pub enum Pagination {
    /// A `cursor` query parameter, and a `nextCursor`-like field in the response.
    Cursor {
        /// The query parameter that takes the cursor.
        param: String,
        /// The response field with the next cursor.
        next_field: String,
        /// The response field with the items.
        items_field: String,
        /// The items' type.
        item: TypeRef,
    },
    /// A `page` query parameter, and a total page count in the response.
    Page {
        /// The query parameter that takes the page number.
        param: String,
        /// The response field that holds the page metadata.
        meta_field: String,
        /// The field of the metadata with the number of pages.
        total_pages_field: String,
        /// The response field with the items.
        items_field: String,
        /// The items' type.
        item: TypeRef,
    },
}

/// How a parameter's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// One value.
    Single,
    /// A list sent as one comma-separated value.
    Csv,
    /// A list sent as the parameter repeated.
    Repeated,
    /// A list sent as one space-separated value.
    SpaceDelimited,
    /// A list sent as one `|`-separated value.
    PipeDelimited,
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust name.
    pub name: String,
    /// The wire name.
    pub wire: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Whether it must be given.
    pub required: bool,
    /// Its type (for lists, the `Vec`).
    pub ty: TypeRef,
    /// How the value is written.
    pub style: ParamStyle,
    /// Documentation.
    pub docs: Docs,
}

/// A name for an operation without `operationId`: `GET /v2/posts/{id}` -> `getV2PostsById`.
fn derive_operation_id(method: &str, path: &str) -> String {
    let mut out = method.to_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let (by, word) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => (true, param),
            None => (false, segment),
        };
        if by {
            out.push_str("By");
        }
        out.push_str(&type_name(word));
    }
    out
}

/// Verbs whose object is the resource itself, so that `listConversations` is `list`.
const PREPOSITIONS: &[&str] = &["to", "from", "by", "for", "of", "in", "on", "with", "into"];

/// The method name of an operation within its group: the operation id without the words of
/// the group's name (`listConversations` in `Conversations` -> `list`); for an operation without
/// tags (grouped by its path), also without versions (`getV1Customers` in `customers` -> `get`),
/// which the path groups skip.
fn short_name(operation_id: &str, tag: Option<&str>, untagged: bool) -> String {
    strip_group(operation_id, tag, untagged, usize::MAX)
}

/// The operation id without its first `limit` words of the group's name (and, untagged, its
/// versions), then without a trailing preposition; the whole id when nothing would be left.
fn strip_group(operation_id: &str, tag: Option<&str>, untagged: bool, limit: usize) -> String {
    let full = field_name(operation_id);
    let Some(tag) = tag else { return full };
    let tag_words: Vec<String> = tag.to_snake_case().split('_').map(str::to_owned).collect();
    let matches_tag = |w: &str| {
        tag_words.iter().any(|t| {
            t == w
                || t.strip_suffix('s') == Some(w)
                || t.strip_suffix("es") == Some(w)
                || t.strip_suffix("ies").map(|s| format!("{s}y")).as_deref() == Some(w)
        })
    };
    let words: Vec<String> = operation_id.to_snake_case().split('_').map(str::to_owned).collect();
    let version = |w: &str| {
        w.strip_prefix('v').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            && w.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let mut stripped = 0;
    let mut kept: Vec<&String> = Vec::new();
    for w in &words {
        if untagged && version(w) {
            continue;
        }
        if stripped < limit && matches_tag(w) {
            stripped += 1;
            continue;
        }
        kept.push(w);
    }
    while kept.last().is_some_and(|w| PREPOSITIONS.contains(&w.as_str())) {
        kept.pop();
    }
    if kept.is_empty() {
        return full;
    }
    field_name(&kept.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("_"))
}

/// Names a request builder must not take: what the resource modules import.
pub(super) const IMPORTED: &[&str] = &["ApiRequest", "Client", "Error", "ItemStream", "Method"];

/// Fields and methods of every request builder, which parameters must not take.
const BUILDER_MEMBERS: &[&str] =
    &["client", "body", "request", "send", "send_with_response", "stream", "into_future", "options"];

pub(super) fn build(
    b: &mut Builder<'_>,
    version_header: Option<&str>,
    lock: &super::lock::NameLock,
) -> Result<Vec<Operation>> {
    let doc = b.doc;
    let ids = operation_ids(doc);
    let mut ops = Vec::new();
    let all = doc.paths.iter().flat_map(|(path, item)| item.operations.iter().map(move |(m, op)| (path, item, m, op)));
    for ((path, item, method, op), id) in all.zip(ids) {
        // An operation that cannot be generated is left out alone, with what it made.
        let checkpoint = b.checkpoint();
        match operation(b, (path, item), method, op, id.clone(), version_header) {
            Ok(operation) => ops.push(operation),
            Err(e) => {
                b.rollback(checkpoint);
                b.skip(&op.pointer, format!("operation `{id}` ({} {path})", method.to_uppercase()), "left out", &e);
            }
        }
    }
    group_untagged(&mut ops, lock);
    name_methods(&mut ops, lock);
    Ok(ops)
}

/// The first segment of a path that names a resource: not a parameter (`{id}`), a version
/// (`v1`, `v2beta1`, `1.0`, `2024-01-01`) or `api`. `None` for `/` and `/{id}`.
pub fn path_group(path: &str) -> Option<&str> {
    let version = |s: &str| {
        let (v, rest) = match s.strip_prefix(['v', 'V']) {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '_');
        rest.starts_with(|c: char| c.is_ascii_digit())
            && (digits.is_empty() || (v && digits.chars().all(|c| c.is_ascii_alphanumeric())))
    };
    path.split('/').find(|s| !s.is_empty() && !s.contains('{') && !version(s) && !s.eq_ignore_ascii_case("api"))
}

/// Groups the operations without tags by the first segment of their path ([`path_group`]):
/// `/v1/customers/{customer}/cards` is in `customers`, or in the resource of a tag whose module
/// would have the same name (`Customers`). What the lock keeps stays: its group, or `other` for
/// an operation the lock names without one (named before operations were grouped by path).
fn group_untagged(ops: &mut [Operation], lock: &super::lock::NameLock) {
    let tags: IndexMap<String, String> = ops
        .iter()
        .filter(|op| !op.untagged)
        .filter_map(|op| op.tag.clone())
        .map(|tag| (super::modules::module_name(&tag), tag))
        .rev()
        .collect();
    for op in ops.iter_mut().filter(|op| op.untagged) {
        let group = match (lock.groups.get(&op.operation_id), lock.methods.contains_key(&op.operation_id)) {
            (Some(group), _) => Some(group.clone()).filter(|g| !g.is_empty()),
            (None, true) => None,
            (None, false) => path_group(&op.path).map(|segment| {
                tags.get(&super::modules::module_name(segment)).cloned().unwrap_or_else(|| segment.to_owned())
            }),
        };
        op.tag = group;
    }
}

/// The operation ids in document order: declared ones as written, derived ones (from method
/// and path) made unique against every other.
fn operation_ids(doc: &Document) -> Vec<String> {
    let mut names = Names::default();
    let ops = || doc.paths.iter().flat_map(|(path, item)| item.operations.iter().map(move |(m, op)| (path, m, op)));
    for (_, _, op) in ops() {
        if let Some(id) = &op.operation_id {
            names.reserve(id);
        }
    }
    ops()
        .map(|(path, method, op)| match &op.operation_id {
            Some(id) => id.clone(),
            None => names.unique(&derive_operation_id(method, path)),
        })
        .collect()
}

fn operation(
    b: &mut Builder<'_>,
    (path, item): (&String, &crate::load::PathItem),
    method: &str,
    op: &crate::load::Operation,
    operation_id: String,
    version_header: Option<&str>,
) -> Result<Operation> {
    let hint = type_name(&operation_id);
    let params = params(b, (path, item), op, &hint, version_header)?;
    let body = match &op.request_body {
        None => None,
        Some(rb) => bodies::request_body(b, rb, &hint)?,
    };
    let (response, errors) = bodies::responses(b, op, &hint)?;
    let mut operation = Operation {
        fn_name: String::new(),
        named: op.rust_method.as_deref().map(field_name),
        former_names: Vec::new(),
        builder: String::new(),
        operation_id,
        pointer: op.pointer.clone(),
        method: method.to_uppercase(),
        path: path.clone(),
        tag: op.tags.first().cloned(),
        untagged: op.tags.is_empty(),
        resource: 0,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        params,
        body,
        response,
        errors,
        pagination: None,
    };
    operation.pagination = pagination(b, &operation);
    Ok(operation)
}

/// The parameters of an operation: the path's, overridden by the operation's own of the same
/// name and place, without the version header the client sends itself.
fn params(
    b: &mut Builder<'_>,
    (path, item): (&String, &crate::load::PathItem),
    op: &crate::load::Operation,
    hint: &str,
    version_header: Option<&str>,
) -> Result<Vec<Param>> {
    let doc = b.doc;
    let mut params: IndexMap<(String, ParameterLocation), &Parameter> = IndexMap::new();
    for p in item.parameters.iter().chain(&op.parameters) {
        let resolved = p.resolve(doc)?;
        params.insert((resolved.name.clone(), resolved.location), resolved);
    }
    let mut names = Names::default();
    BUILDER_MEMBERS.iter().for_each(|m| names.reserve(m));
    let mut out = Vec::new();
    for ((wire, location), p) in params {
        if version_header.is_some_and(|h| location == ParameterLocation::Header && h.eq_ignore_ascii_case(&wire)) {
            continue;
        }
        if location == ParameterLocation::Header
            && ["accept", "content-type", "authorization"].contains(&wire.to_ascii_lowercase().as_str())
        {
            b.warn(
                &p.pointer,
                format!("header parameter `{wire}` is ignored: media types and security schemes describe it"),
            );
            continue;
        }
        if location == ParameterLocation::Path && !path.contains(&format!("{{{wire}}}")) {
            b.warn(&p.pointer, format!("path parameter `{wire}` does not appear in the path `{path}`; ignored"));
            continue;
        }
        out.push(param(b, p, hint, &mut names)?);
    }
    // A path template that names a parameter nobody declares: a required string, as the
    // template says it is one.
    for var in path_variables(path) {
        if !out.iter().any(|p| p.location == ParameterLocation::Path && p.wire == var) {
            b.warn(
                &op.pointer,
                format!("path `{path}` has `{{{var}}}` but no path parameter `{var}`: read as a required string"),
            );
            let declared = Parameter {
                pointer: op.pointer.clone(),
                name: var.to_owned(),
                location: ParameterLocation::Path,
                required: true,
                description: None,
                schema: None,
                style: None,
                explode: None,
                examples: Vec::new(),
                deprecated: false,
            };
            out.push(param(b, &declared, hint, &mut names)?);
        }
    }
    Ok(out)
}

/// Method names, unique within each group. The first of these a group has once is the name:
///
/// 1. the operation id without the group's words (`listConversations` -> `list`);
/// 2. without only the first of them (`deleteCompanyByCompanyId` -> `delete_by_company_id`
///    beside `deleteCompanyById` -> `delete_by_id`);
/// 3. the whole operation id.
///
/// Then one verb means one thing across groups: `by_id` is left out of a name whose path has an
/// `{id}` when the group has the shorter name once (`getBrandById` -> `get`, like `getAdmin`).
/// A name the spec gives (`x-rust-method`) is taken as it is, and a name the lock keeps stays
/// its operation's, so a new operation never renames an old one.
fn name_methods(ops: &mut [Operation], lock: &super::lock::NameLock) {
    let mut groups: IndexMap<Option<String>, Names> = IndexMap::new();
    for op in ops.iter() {
        let names = groups.entry(op.tag.clone()).or_insert_with(method_names);
        if let Some(taken) = op.named.as_ref().or_else(|| lock.methods.get(&op.operation_id)) {
            names.reserve(taken);
        }
    }
    let candidates = |op: &Operation| {
        let tag = op.tag.as_deref();
        [
            short_name(&op.operation_id, tag, op.untagged),
            strip_group(&op.operation_id, tag, op.untagged, 1),
            field_name(&op.operation_id),
        ]
    };
    let all: Vec<[String; 3]> = ops.iter().map(candidates).collect();
    // How often each candidate occurs in its group, at its rank.
    let mut uses: HashMap<(Option<&str>, usize, &str), usize> = HashMap::new();
    for (op, names) in ops.iter().zip(&all) {
        for (rank, name) in names.iter().enumerate() {
            *uses.entry((op.tag.as_deref(), rank, name.as_str())).or_default() += 1;
        }
    }
    let chosen: Vec<String> = ops
        .iter()
        .zip(&all)
        .map(|(op, names)| {
            let unique = |rank: usize| uses[&(op.tag.as_deref(), rank, names[rank].as_str())] == 1;
            (0..2).find(|&rank| unique(rank)).map_or_else(|| names[2].clone(), |rank| names[rank].clone())
        })
        .collect();
    // `get_by_id` -> `get` where `get` is free in the group.
    let mut counts: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    for (op, name) in ops.iter().zip(&chosen) {
        *counts.entry((op.tag.as_deref(), name.as_str())).or_default() += 1;
        if let Some(short) = by_id_dropped(op, name) {
            *counts.entry((op.tag.as_deref(), short)).or_default() += 1;
        }
    }
    let finals: Vec<String> = ops
        .iter()
        .zip(&chosen)
        .map(|(op, name)| match by_id_dropped(op, name) {
            Some(short) if counts[&(op.tag.as_deref(), short)] == 1 => short.to_owned(),
            _ => name.clone(),
        })
        .collect();
    for (op, name) in ops.iter_mut().zip(finals) {
        let names = groups.entry(op.tag.clone()).or_insert_with(method_names);
        op.fn_name = match op.named.clone().or_else(|| lock.methods.get(&op.operation_id).cloned()) {
            Some(taken) => taken,
            None => names.unique(&name),
        };
    }
    // Former names stay as aliases while no method of the group has taken them.
    for op in ops.iter_mut() {
        let Some(former) = lock.renamed.get(&op.operation_id) else { continue };
        let names = groups.entry(op.tag.clone()).or_insert_with(method_names);
        op.former_names = former
            .iter()
            .filter(|f| {
                let free = **f != op.fn_name && !names.contains(f);
                if free {
                    names.reserve(f);
                }
                free
            })
            .cloned()
            .collect();
    }
}

/// `name` without a trailing `_by_id` when the operation's path has an `{id}` parameter: an
/// operation addresses its resource by its id unless its name says otherwise.
fn by_id_dropped<'n>(op: &Operation, name: &'n str) -> Option<&'n str> {
    let short = name.strip_suffix("_by_id")?;
    (op.path.contains("{id}") && !short.is_empty()).then_some(short)
}

/// The names a group's methods start from: `new` is never one (a `new` that does not return
/// `Self` reads as a constructor: clippy's `new_ret_no_self`).
fn method_names() -> Names {
    let mut names = Names::default();
    names.reserve("new");
    names
}

/// Request builder names, unique within each resource module and apart from its imports and its
/// group type.
pub(super) fn name_builders(ops: &mut [Operation], resources: &[Resource]) {
    let mut modules: IndexMap<String, Names> = IndexMap::new();
    for op in ops.iter_mut() {
        let resource = &resources[op.resource];
        let names = modules.entry(resource.module.clone()).or_insert_with(|| {
            let mut names = Names::default();
            IMPORTED.iter().for_each(|n| names.reserve(n));
            names.reserve(&resource.group);
            names
        });
        op.builder = names.unique(&type_name(&op.operation_id));
    }
}

fn path_variables(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect()
}

/// The style of a list parameter.
fn list_style(p: &Parameter) -> ParamStyle {
    match (p.style.as_deref(), p.explode) {
        (Some("spaceDelimited"), _) => ParamStyle::SpaceDelimited,
        (Some("pipeDelimited"), _) => ParamStyle::PipeDelimited,
        (_, Some(false)) | (Some("simple"), _) => ParamStyle::Csv,
        _ if p.location == ParameterLocation::Query => ParamStyle::Repeated,
        _ => ParamStyle::Csv,
    }
}

/// Whether values of a type are sent as JSON text (objects; the client has no form for them).
fn is_object_param(b: &Builder<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::JsonObject | TypeRef::Map(_) => true,
        TypeRef::Named(id) => match &b.types[id.0].kind {
            TypeKind::Struct(_) => true,
            TypeKind::Alias(t) => is_object_param(b, t),
            _ => false,
        },
        _ => false,
    }
}

fn param(b: &mut Builder<'_>, p: &Parameter, hint: &str, names: &mut Names) -> Result<Param> {
    let schema = p.schema.clone().unwrap_or_else(|| Schema {
        pointer: p.pointer.clone(),
        types: vec![crate::load::InstanceType::String],
        ..Schema::default()
    });
    let param_hint = format!("{hint}{}", type_name(&p.name));
    let mut docs = docs_of(&schema);
    docs.description = p.description.clone().or(docs.description);
    // `oneOf: [T, array of T]`: one value or several, sent as one comma-separated value.
    let members = if schema.one_of.is_empty() { &schema.any_of } else { &schema.one_of };
    let list_member = members.iter().find(|m| m.items.is_some());
    let (ty, style) = if let (2, Some(list)) = (members.len(), list_member) {
        let ty = b.resolve(list, &param_hint, Items::SameName)?.ty;
        (ty, ParamStyle::Csv)
    } else {
        let ty = b.resolve(&schema, &param_hint, Items::SameName)?.ty;
        let style = if matches!(ty, TypeRef::Array(_)) { list_style(p) } else { ParamStyle::Single };
        (ty, style)
    };
    let location = match p.location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    };
    if is_object_param(b, &ty) {
        b.warn(&p.pointer, format!("an object in a {location} parameter is sent as JSON text"));
    } else if let Some(style @ ("deepObject" | "label" | "matrix")) = p.style.as_deref() {
        b.warn(
            &p.pointer,
            format!("style `{style}` is not applied: the value is sent as {}", describe_style(style, &ty)),
        );
    }
    Ok(Param {
        name: names.unique(&field_name(&p.name)),
        wire: p.name.clone(),
        location: p.location,
        required: p.required || p.location == ParameterLocation::Path,
        ty,
        style,
        docs,
    })
}

/// How a value whose style is not applied is sent instead, for the warning.
fn describe_style(style: &str, ty: &TypeRef) -> &'static str {
    match (style, ty) {
        ("deepObject", TypeRef::Array(_)) => "the parameter repeated",
        (_, TypeRef::Array(_)) => "comma-separated values",
        _ => "plain text",
    }
}

/// Recognises list endpoints: a `cursor` query parameter with a `next...` cursor field, or a
/// `page` parameter with page metadata that counts pages; the items are the one array field.
fn pagination(b: &Builder<'_>, op: &Operation) -> Option<Pagination> {
    let TypeRef::Named(id) = op.response.ty else { return None };
    let TypeKind::Struct(s) = &b.types[id.0].kind else { return None };
    let arrays: Vec<&Field> = s.fields.iter().filter(|f| matches!(f.ty, TypeRef::Array(_)) && f.required).collect();
    let [items] = arrays.as_slice() else { return None };
    let TypeRef::Array(item) = &items.ty else { return None };
    let query = |name: &str| {
        op.params.iter().find(|p| p.location == ParameterLocation::Query && p.wire.eq_ignore_ascii_case(name))
    };
    if let Some(cursor) = query("cursor").filter(|p| p.ty == TypeRef::String) {
        let next = s.fields.iter().find(|f| {
            let w = f.wire.to_ascii_lowercase();
            f.ty == TypeRef::String && (w == "nextcursor" || w == "next_cursor" || w == "next")
        })?;
        return Some(Pagination::Cursor {
            param: cursor.name.clone(),
            next_field: next.name.clone(),
            items_field: items.name.clone(),
            item: (**item).clone(),
        });
    }
    if let Some(page) = query("page").filter(|p| matches!(p.ty, TypeRef::Integer(_) | TypeRef::Number | TypeRef::Float))
    {
        for f in &s.fields {
            let TypeRef::Named(meta) = f.ty else { continue };
            let TypeKind::Struct(m) = &b.types[meta.0].kind else { continue };
            if let Some(total) = m.fields.iter().find(|t| {
                let w = t.wire.to_ascii_lowercase();
                (w == "totalpages" || w == "total_pages" || w == "pages")
                    && matches!(t.ty, TypeRef::Number | TypeRef::Integer(_))
            }) {
                return Some(Pagination::Page {
                    param: page.name.clone(),
                    meta_field: f.name.clone(),
                    total_pages_field: total.name.clone(),
                    items_field: items.name.clone(),
                    item: (**item).clone(),
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_the_resource() {
        assert_eq!(short_name("listConversations", Some("Conversations"), false), "list");
        assert_eq!(short_name("getConversation", Some("Conversations"), false), "get");
        assert_eq!(short_name("replyToConversation", Some("Conversations"), false), "reply");
        assert_eq!(short_name("attachConversationTag", Some("Conversation Tags"), false), "attach");
        assert_eq!(short_name("listTicketCategories", Some("Tickets"), false), "list_categories");
        assert_eq!(short_name("getContactByUserId", Some("Contacts"), false), "get_by_user_id");
        assert_eq!(short_name("listCompanies", Some("Companies"), false), "list");
        assert_eq!(short_name("listPosts", None, false), "list_posts");
    }

    /// The method names of a small spec's operations, by operationId.
    fn method_names_of(paths: &str) -> Vec<(String, String)> {
        let spec =
            format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ntags: [{{name: Companies}}]\npaths:\n{paths}");
        let generated = crate::generate(&spec, crate::load::Format::Yaml, &Default::default()).unwrap();
        generated.api.operations.iter().map(|o| (o.operation_id.clone(), o.fn_name.clone())).collect()
    }

    #[test]
    fn clashes_keep_the_shorter_distinct_names_and_by_id_goes() {
        let op = |id: &str, method: &str| {
            format!("    {method}:\n      operationId: {id}\n      tags: [Companies]\n      responses: {{'204': {{description: ok}}}}\n")
        };
        let path = |path: &str, param: Option<&str>, ops: String| {
            let params = param.map_or(String::new(), |p| {
                format!("    parameters: [{{name: {p}, in: path, required: true, schema: {{type: string}}}}]\n")
            });
            format!("  {path}:\n{params}{ops}")
        };
        let paths = [
            path("/companies/{id}", Some("id"), op("getCompanyById", "get") + &op("deleteCompanyById", "delete")),
            path("/companies/by-company-id/{companyId}", Some("companyId"), op("deleteCompanyByCompanyId", "delete")),
            path("/companies/{id}/block", Some("id"), op("blockCompanyById", "post")),
            path("/companies/mine", None, op("getCompanyMine", "get")),
        ]
        .concat();
        let names = method_names_of(&paths);
        let name = |id: &str| names.iter().find(|(o, _)| o == id).map(|(_, n)| n.as_str()).unwrap();
        // `delete_by_id` clashed; each keeps the name without only the first `company`, then
        // `by_id` goes where the path has `{id}`.
        assert_eq!(name("deleteCompanyById"), "delete");
        assert_eq!(name("deleteCompanyByCompanyId"), "delete_by_company_id");
        assert_eq!(name("getCompanyById"), "get");
        assert_eq!(name("blockCompanyById"), "block");
        assert_eq!(name("getCompanyMine"), "get_mine");
    }

    #[test]
    fn a_name_the_spec_gives_is_taken_as_it_is() {
        let paths =
            "  /companies/{id}:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    \
                     get:\n      operationId: getCompanyById\n      x-rust-method: fetchOne\n      \
                     tags: [Companies]\n      responses: {'204': {description: ok}}\n";
        assert_eq!(method_names_of(paths), [("getCompanyById".to_owned(), "fetch_one".to_owned())]);
    }

    #[test]
    fn path_groups_skip_parameters_versions_and_api() {
        assert_eq!(path_group("/v1/customers/{customer}/cards/{id}"), Some("customers"));
        assert_eq!(path_group("/api/v2beta1/invoices"), Some("invoices"));
        assert_eq!(path_group("/2024-01-01/reports"), Some("reports"));
        assert_eq!(path_group("/v1.2/reports/{year}"), Some("reports"));
        assert_eq!(path_group("/2fa/verify"), Some("2fa"));
        assert_eq!(path_group("/versions"), Some("versions"));
        assert_eq!(path_group("/{id}/items"), Some("items"));
        assert_eq!(path_group("/"), None);
        assert_eq!(path_group("/{id}"), None);
        assert_eq!(short_name("GetCustomersCustomerCardsId", Some("customers"), false), "get_cards_id");
        assert_eq!(short_name("getV1PaymentIntentsByIntent", Some("payment_intents"), true), "get");
        assert_eq!(short_name("getV2Posts", Some("Posts"), false), "get_v2");
    }

    #[test]
    fn derived_operation_ids() {
        assert_eq!(derive_operation_id("get", "/v2/posts/{id}"), "getV2PostsById");
    }
}
