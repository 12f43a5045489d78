//! Operations -> [`Operation`]s: parameters, bodies and responses resolved into the type space,
//! method names within each resource group, and pagination.

use super::build::{docs_of, Builder, Items};
use super::*;
use crate::error::{Error, Result};
use crate::load::{Document, MediaType, Parameter, ParameterLocation, RefOr, Schema};
use crate::naming::{field_name, type_name, Names};
use crate::normalize::component_name;
use heck::ToSnakeCase;
use indexmap::IndexMap;

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
    /// The resource group (first tag), if any.
    pub tag: Option<String>,
    /// The method name within its resource group (`list`, `get`, `reply`).
    pub fn_name: String,
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

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// Its media type.
    pub media: String,
    /// Whether it must be sent.
    pub required: bool,
    /// Documentation.
    pub docs: Docs,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub struct Success {
    /// The status code (`200`, `201`, `2XX`, `default`).
    pub status: String,
    /// The body: a JSON type, or [`TypeRef::Unit`] when there is none.
    pub ty: TypeRef,
    /// The media type, if there is a body.
    pub media: Option<String>,
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

fn is_json(media: &str) -> bool {
    let base = media.split(';').next().unwrap_or("").trim();
    base == "application/json" || base.ends_with("+json") || base == "*/*"
}

/// The JSON content of a body or response, else the first one.
fn pick_content(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(m, _)| is_json(m)).or_else(|| content.iter().next())
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

/// The header parameter every operation sends with the API version as its example or default:
/// the client sends it itself, pinned to the version the crate was generated from.
pub(super) fn version_header(doc: &Document) -> Option<String> {
    let mut candidate: Option<String> = None;
    let mut count = 0;
    for item in doc.paths.values() {
        for (_, op) in &item.operations {
            count += 1;
            let params = item.parameters.iter().chain(&op.parameters);
            let found = params
                .filter_map(|p| resolve_param(doc, p))
                .find(|p| p.location == ParameterLocation::Header && carries_version(p, &doc.info.version));
            match (found, &candidate) {
                (Some(p), None) if count == 1 => candidate = Some(p.name.clone()),
                (Some(p), Some(c)) if p.name.eq_ignore_ascii_case(c) => {}
                _ => return None,
            }
        }
    }
    candidate
}

fn carries_version(p: &Parameter, version: &str) -> bool {
    let is = |v: &Json| v.as_str() == Some(version);
    p.examples.iter().any(is)
        || p.schema.as_ref().is_some_and(|s| {
            s.examples.iter().any(is) || s.default.as_ref().is_some_and(is) || s.constant.as_ref().is_some_and(is)
        })
}

fn resolve_param<'d>(doc: &'d Document, p: &'d RefOr<Parameter>) -> Option<&'d Parameter> {
    match p {
        RefOr::Item(p) => Some(p),
        RefOr::Ref { reference, .. } => {
            doc.components.parameters.get(component_name(reference, "parameters")?.as_ref())
        }
    }
}

/// Verbs whose object is the resource itself, so that `listConversations` is `list`.
const PREPOSITIONS: &[&str] = &["to", "from", "by", "for", "of", "in", "on", "with", "into"];

/// The method name of an operation within its group: the operation id without the words of
/// the group's name (`listConversations` in `Conversations` -> `list`).
fn short_name(operation_id: &str, tag: Option<&str>) -> String {
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
    let mut kept: Vec<&String> = words.iter().filter(|w| !matches_tag(w)).collect();
    while kept.last().is_some_and(|w| PREPOSITIONS.contains(&w.as_str())) {
        kept.pop();
    }
    if kept.is_empty() {
        return full;
    }
    crate::naming::escape_keyword(kept.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("_"))
}

pub(super) fn build(b: &mut Builder<'_>) -> Result<Vec<Operation>> {
    let doc = b.doc;
    let version_header = version_header(doc);
    let mut ops = Vec::new();
    for (path, item) in &doc.paths {
        for (method, op) in &item.operations {
            let method_upper = method.to_uppercase();
            let operation_id = op.operation_id.clone().unwrap_or_else(|| derive_operation_id(method, path));
            let hint = type_name(&operation_id);
            // Path-level parameters, overridden by operation-level ones of the same name and place.
            let mut params: IndexMap<(String, ParameterLocation), &Parameter> = IndexMap::new();
            for p in item.parameters.iter().chain(&op.parameters) {
                let resolved = resolve_param(doc, p).ok_or_else(|| match p {
                    RefOr::Ref { reference, pointer, .. } => Error::DanglingRef {
                        pointer: format!("{pointer}/$ref"),
                        reference: reference.clone(),
                        reason: "no such parameter in #/components/parameters".into(),
                    },
                    RefOr::Item(_) => unreachable!("inline parameters always resolve"),
                })?;
                params.insert((resolved.name.clone(), resolved.location), resolved);
            }
            let mut names = Names::default();
            let mut out_params = Vec::new();
            for ((wire, location), p) in params {
                if version_header
                    .as_deref()
                    .is_some_and(|h| location == ParameterLocation::Header && h.eq_ignore_ascii_case(&wire))
                {
                    continue;
                }
                if location == ParameterLocation::Path && !path.contains(&format!("{{{wire}}}")) {
                    b.warn(
                        &p.pointer,
                        format!("path parameter `{wire}` does not appear in the path `{path}`; ignored"),
                    );
                    continue;
                }
                out_params.push(param(b, p, &hint, &mut names)?);
            }
            for var in path_variables(path) {
                if !out_params.iter().any(|p| p.location == ParameterLocation::Path && p.wire == var) {
                    return Err(Error::invalid(
                        &op.pointer,
                        format!("path `{path}` has `{{{var}}}` but no path parameter `{var}`"),
                    ));
                }
            }
            let body = match &op.request_body {
                None => None,
                Some(rb) => {
                    let rb = match rb {
                        RefOr::Item(rb) => rb,
                        RefOr::Ref { reference, pointer, .. } => doc
                            .components
                            .request_bodies
                            .get(component_name(reference, "requestBodies").as_deref().unwrap_or(""))
                            .ok_or_else(|| Error::DanglingRef {
                                pointer: pointer.clone(),
                                reference: reference.clone(),
                                reason: "no such request body".into(),
                            })?,
                    };
                    match pick_content(&rb.content) {
                        Some((media, mt)) => {
                            if rb.content.len() > 1 {
                                b.warn(&rb.pointer, format!("several request media types; the client sends `{media}`"));
                            }
                            let ty = match &mt.schema {
                                Some(s) => b.resolve(s, &format!("{hint}Body"), Items::ItemSuffix)?.ty,
                                None => TypeRef::Json,
                            };
                            Some(Body {
                                ty,
                                media: media.clone(),
                                required: rb.required,
                                docs: Docs { description: rb.description.clone(), ..Docs::default() },
                            })
                        }
                        None => None,
                    }
                }
            };
            let (response, errors) = responses(b, op, &hint)?;
            let mut operation = Operation {
                fn_name: String::new(),
                operation_id,
                pointer: op.pointer.clone(),
                method: method_upper,
                path: path.clone(),
                tag: op.tags.first().cloned(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params: out_params,
                body,
                response,
                errors,
                pagination: None,
            };
            operation.pagination = pagination(b, &operation);
            ops.push(operation);
        }
    }
    // Method names, unique within each group.
    let mut groups: IndexMap<Option<String>, Names> = IndexMap::new();
    let short: Vec<String> = ops.iter().map(|o| short_name(&o.operation_id, o.tag.as_deref())).collect();
    let tags: Vec<Option<String>> = ops.iter().map(|o| o.tag.clone()).collect();
    for (i, op) in ops.iter_mut().enumerate() {
        let names = groups.entry(op.tag.clone()).or_default();
        // Two operations of a group with the same short name both keep their full names.
        let clash = (0..short.len()).any(|j| j != i && short[j] == short[i] && tags[j] == tags[i]);
        let base = if clash { field_name(&op.operation_id) } else { short[i].clone() };
        op.fn_name = names.unique(&base);
    }
    Ok(ops)
}

fn path_variables(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect()
}

fn param(b: &mut Builder<'_>, p: &Parameter, hint: &str, names: &mut Names) -> Result<Param> {
    let schema = p.schema.clone().unwrap_or_else(|| Schema {
        pointer: p.pointer.clone(),
        types: vec![crate::load::InstanceType::String],
        ..Schema::default()
    });
    let param_hint = format!("{hint}{}", type_name(&p.name));
    b.scope = p.name.clone();
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
        let style = match (&ty, p.explode, p.style.as_deref()) {
            (TypeRef::Array(_), Some(false), _) | (TypeRef::Array(_), _, Some("simple")) => ParamStyle::Csv,
            (TypeRef::Array(_), _, _) if p.location == ParameterLocation::Query => ParamStyle::Repeated,
            (TypeRef::Array(_), _, _) => ParamStyle::Csv,
            _ => ParamStyle::Single,
        };
        (ty, style)
    };
    if p.location == ParameterLocation::Cookie {
        b.warn(&p.pointer, "cookie parameter: sent in a `Cookie` header");
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

fn responses(b: &mut Builder<'_>, op: &crate::load::Operation, hint: &str) -> Result<(Success, Vec<ErrorResponse>)> {
    let doc = b.doc;
    let mut success: Option<Success> = None;
    let mut errors = Vec::new();
    for (status, r) in &op.responses {
        let r = match r {
            RefOr::Item(r) => r,
            RefOr::Ref { reference, pointer, .. } => doc
                .components
                .responses
                .get(component_name(reference, "responses").as_deref().unwrap_or(""))
                .ok_or_else(|| Error::DanglingRef {
                    pointer: pointer.clone(),
                    reference: reference.clone(),
                    reason: "no such response".into(),
                })?,
        };
        let is_success = status.starts_with('2');
        if is_success && success.is_none() {
            let (ty, media) = match pick_content(&r.content) {
                Some((media, mt)) if is_json(media) => {
                    let ty = match &mt.schema {
                        Some(s) => b.resolve(s, &format!("{hint}Response"), Items::ItemSuffix)?.ty,
                        None => TypeRef::Json,
                    };
                    (ty, Some(media.clone()))
                }
                Some((media, _)) => {
                    b.warn(&r.pointer, format!("`{media}` response: returned as bytes"));
                    (TypeRef::Unit, Some(media.clone()))
                }
                None => (TypeRef::Unit, None),
            };
            success = Some(Success { status: status.clone(), ty, media, description: r.description.clone() });
        } else if !is_success {
            let mut codes = Vec::new();
            for mt in r.content.values() {
                if let Some(s) = &mt.schema {
                    collect_codes(s, &mut codes);
                }
            }
            errors.push(ErrorResponse { status: status.clone(), description: r.description.clone(), codes });
        }
    }
    let success = success.unwrap_or_else(|| {
        // Only errors (or `default`) are documented: success has no described body.
        Success { status: "2XX".into(), ty: TypeRef::Unit, media: None, description: None }
    });
    Ok((success, errors))
}

/// Constant values of properties named `code` anywhere in an error schema.
fn collect_codes(s: &Schema, out: &mut Vec<String>) {
    for (name, p) in &s.properties {
        if name == "code" {
            if let Some(c) = super::build::string_constant(p) {
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
    if let Some(cursor) = query("cursor") {
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
    if let Some(page) = query("page") {
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
        assert_eq!(short_name("listConversations", Some("Conversations")), "list");
        assert_eq!(short_name("getConversation", Some("Conversations")), "get");
        assert_eq!(short_name("replyToConversation", Some("Conversations")), "reply");
        assert_eq!(short_name("attachConversationTag", Some("Conversation Tags")), "attach");
        assert_eq!(short_name("listTicketCategories", Some("Tickets")), "list_categories");
        assert_eq!(short_name("getContactByUserId", Some("Contacts")), "get_by_user_id");
        assert_eq!(short_name("listCompanies", Some("Companies")), "list");
        assert_eq!(short_name("listPosts", None), "list_posts");
    }

    #[test]
    fn derived_operation_ids() {
        assert_eq!(derive_operation_id("get", "/v2/posts/{id}"), "getV2PostsById");
    }
}
