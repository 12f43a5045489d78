//! Raw tree -> [`Document`], checking the shape of every value on the way.

use super::document::*;
use super::numbers::{may_be_inexact, Exact};
use super::refs::{component_name, raw_component, resolve_pointer};
use crate::error::{child, Error, Result, Skipped, Warning};
use indexmap::IndexMap;
use serde_json::Value as Json;
use serde_yaml::{Mapping, Value as Raw};

/// A value of the raw tree with its JSON pointer.
#[derive(Clone, Copy)]
struct Node<'a> {
    raw: &'a Raw,
    ptr: &'a str,
}

/// How deeply schemas may nest (`properties`, `items`, `oneOf`... inside each other). Every
/// later stage walks schemas recursively; the limit keeps each of them far from the end of a
/// 2 MiB thread stack (the smallest a caller is likely to run on, e.g. a test thread) in a debug
/// build, and it is far deeper than real descriptions nest.
pub const MAX_SCHEMA_DEPTH: usize = 64;

/// Converts, collecting warnings for what it passes over.
struct Reader<'a> {
    warnings: Vec<Warning>,
    /// How many schemas enclose the one being read.
    depth: usize,
    /// The whole document, for what is read from elsewhere in it (`components/mediaTypes`).
    root: &'a Raw,
    /// The text of numbers an `f64` does not hold exactly.
    exact: &'a Exact<'a>,
    /// The targets of the references to places outside `#/components` being read, innermost
    /// last (see [`Reader::local_target`]).
    following: Vec<String>,
    /// What could not be read, each item alone.
    skipped: Vec<Skipped>,
}

/// The OpenAPI versions this reader reads, as the start of the `openapi` field.
const VERSIONS: [&str; 3] = ["3.0", "3.1", "3.2"];

fn kind(raw: &Raw) -> &'static str {
    match raw {
        Raw::Null => "null",
        Raw::Bool(_) => "a boolean",
        Raw::Number(_) => "a number",
        Raw::String(_) => "a string",
        Raw::Sequence(_) => "an array",
        Raw::Mapping(_) => "an object",
        Raw::Tagged(_) => "a tagged YAML value",
    }
}

/// Map keys are strings in JSON; YAML also allows numbers and booleans (`200:` for a status).
fn key_string(key: &Raw, ptr: &str) -> Result<String> {
    match key {
        Raw::String(s) => Ok(s.clone()),
        Raw::Number(n) => Ok(n.to_string()),
        Raw::Bool(b) => Ok(b.to_string()),
        other => Err(Error::invalid(ptr, format!("object keys must be strings, found {}", kind(other)))),
    }
}

/// A YAML number as a JSON one: integers exactly, other numbers as `f64`; `None` for a number
/// JSON cannot hold (an infinity, NaN).
pub(crate) fn number_json(n: &serde_yaml::Number) -> Option<Json> {
    if let Some(u) = n.as_u64() {
        Some(Json::from(u))
    } else if let Some(i) = n.as_i64() {
        Some(Json::from(i))
    } else {
        n.as_f64().and_then(serde_json::Number::from_f64).map(Json::Number)
    }
}

/// Converts a raw value to JSON (for `default`, `const`, `enum`, examples).
pub(crate) fn to_json(raw: &Raw) -> Json {
    match raw {
        Raw::Null => Json::Null,
        Raw::Bool(b) => Json::Bool(*b),
        Raw::Number(n) => number_json(n).unwrap_or(Json::Null),
        Raw::String(s) => Json::String(s.clone()),
        Raw::Sequence(items) => Json::Array(items.iter().map(to_json).collect()),
        Raw::Mapping(map) => {
            Json::Object(map.iter().map(|(k, v)| (key_string(k, "").unwrap_or_default(), to_json(v))).collect())
        }
        Raw::Tagged(t) => to_json(&t.value),
    }
}

impl<'a> Node<'a> {
    fn map(self) -> Result<&'a Mapping> {
        match self.raw {
            Raw::Mapping(m) => Ok(m),
            other => Err(Error::invalid(self.ptr, format!("expected an object, found {}", kind(other)))),
        }
    }

    fn seq(self) -> Result<&'a [Raw]> {
        match self.raw {
            Raw::Sequence(s) => Ok(s),
            other => Err(Error::invalid(self.ptr, format!("expected an array, found {}", kind(other)))),
        }
    }

    fn string(self) -> Result<String> {
        match self.raw {
            Raw::String(s) => Ok(s.clone()),
            other => Err(Error::invalid(self.ptr, format!("expected a string, found {}", kind(other)))),
        }
    }

    fn boolean(self) -> Result<bool> {
        match self.raw {
            Raw::Bool(b) => Ok(*b),
            other => Err(Error::invalid(self.ptr, format!("expected a boolean, found {}", kind(other)))),
        }
    }

    fn number(self) -> Result<f64> {
        match self.raw {
            Raw::Number(n) => n.as_f64().ok_or_else(|| Error::invalid(self.ptr, "number out of range")),
            // YAML reads a plain number beyond `f64`'s range (`1e400`) as a string.
            Raw::String(s) if beyond_f64(s).is_some() => Ok(beyond_f64(s).unwrap_or_default()),
            other => Err(Error::invalid(self.ptr, format!("expected a number, found {}", kind(other)))),
        }
    }

    /// A non-negative integer; one beyond `u64` (`maxLength: 1e30`) is `u64::MAX`.
    fn count(self) -> Result<u64> {
        let not_a_count = || Error::invalid(self.ptr, "expected a non-negative integer");
        match self.raw {
            Raw::Number(n) => match (n.as_u64(), n.as_f64()) {
                (Some(u), _) => Ok(u),
                (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 => Ok(f as u64),
                _ => Err(not_a_count()),
            },
            Raw::String(s) if beyond_f64(s).is_some_and(|f| f > 0.0) => Ok(u64::MAX),
            other => Err(Error::invalid(self.ptr, format!("expected a non-negative integer, found {}", kind(other)))),
        }
    }

    fn strings(self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for (i, item) in self.seq()?.iter().enumerate() {
            out.push(Node { raw: item, ptr: &child(self.ptr, &i.to_string()) }.string()?);
        }
        Ok(out)
    }
}

/// Calls `f` for each `(key, child)` of an object, with the child's pointer.
fn each<'a>(node: Node<'a>, mut f: impl FnMut(&str, Node<'_>) -> Result<()>) -> Result<()> {
    for (k, v) in node.map()? {
        let key = key_string(k, node.ptr)?;
        let ptr = child(node.ptr, &key);
        f(&key, Node { raw: v, ptr: &ptr })?;
    }
    Ok(())
}

/// Calls `f` for each item of an array, with the item's pointer.
fn each_item<'a>(node: Node<'a>, mut f: impl FnMut(Node<'_>) -> Result<()>) -> Result<()> {
    for (i, v) in node.seq()?.iter().enumerate() {
        let ptr = child(node.ptr, &i.to_string());
        f(Node { raw: v, ptr: &ptr })?;
    }
    Ok(())
}

fn opt<'a>(map: &'a Mapping, key: &str) -> Option<&'a Raw> {
    map.get(key)
}

pub(super) fn document(raw: &Raw, exact: &Exact<'_>) -> Result<Document> {
    let root = Node { raw, ptr: "#" };
    let map = root.map()?;
    if map.contains_key("swagger") {
        return Err(Error::Version {
            pointer: "#/swagger".into(),
            message: "Swagger 2.0 is not supported: convert the description to OpenAPI 3.0 or 3.1 first".into(),
        });
    }
    let openapi = match opt(map, "openapi") {
        Some(v) => Node { raw: v, ptr: "#/openapi" }.string()?,
        None => {
            return Err(Error::Version {
                pointer: "#/openapi".into(),
                message: "missing `openapi` version field: this is not an OpenAPI document".into(),
            })
        }
    };
    if !VERSIONS.iter().any(|v| openapi.strip_prefix(v).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))) {
        return Err(Error::Version {
            pointer: "#/openapi".into(),
            message: format!("OpenAPI {openapi} is not supported: this generator reads 3.0.x, 3.1.x and 3.2.x"),
        });
    }
    let mut reader =
        Reader { warnings: Vec::new(), depth: 0, root: raw, exact, following: Vec::new(), skipped: Vec::new() };
    let mut doc = Document { openapi, ..Document::default() };
    let mut saw_info = false;
    each(root, |key, node| {
        match key {
            "openapi" => {}
            "info" => {
                saw_info = true;
                doc.info = reader.info(node)?;
            }
            "servers" => each_item(node, |n| {
                let m = n.map()?;
                doc.servers.push(Server {
                    pointer: n.ptr.to_owned(),
                    url: server_url(n, m)?,
                    description: opt_string(n, m, "description")?,
                });
                Ok(())
            })?,
            "tags" => each_item(node, |n| {
                let m = n.map()?;
                // 3.2: a short `summary` stands in for a missing description; the hierarchy
                // (`parent`) and the `kind` of a tag do not change the client.
                let description = opt_string(n, m, "description")?.or(opt_string(n, m, "summary")?);
                for key in ["parent", "kind"] {
                    if m.contains_key(key) {
                        reader.warn(
                            &child(n.ptr, key),
                            format!("tag `{key}` (OpenAPI 3.2) is not applied: every tag is a resource of its own"),
                        );
                    }
                }
                doc.tags.push(Tag { name: req_string(n, m, "name")?, description });
                Ok(())
            })?,
            "paths" => each(node, |path, n| {
                if path.starts_with("x-") {
                    return Ok(());
                }
                // A path item that cannot be read is left out alone.
                if let Some(item) =
                    reader.isolated(n.ptr, || format!("path `{path}`"), "left out", |r| r.path_item(root, n))
                {
                    let template = colon_parameters(path);
                    if template != path {
                        reader.warn(n.ptr, format!("`:name` segments in `{path}`: read as the template `{template}`"));
                    }
                    doc.paths.insert(template, item);
                }
                Ok(())
            })?,
            "components" => doc.components = reader.components(node)?,
            "security" => doc.security = security(node)?,
            "webhooks" => each(node, |name, n| {
                if name.starts_with("x-") {
                    return Ok(());
                }
                // A webhook that cannot be read is left out alone.
                if let Some(item) =
                    reader.isolated(n.ptr, || format!("webhook `{name}`"), "left out", |r| r.path_item(root, n))
                {
                    doc.webhooks.insert(name.to_owned(), item);
                }
                Ok(())
            })?,
            "jsonSchemaDialect" | "externalDocs" | "$self" => {}
            k if k.starts_with("x-") => {
                doc.extensions.insert(k.to_owned(), to_json(node.raw));
            }
            other => reader.warn(node.ptr, format!("unknown top-level field `{other}` ignored")),
        }
        Ok(())
    })?;
    if !saw_info {
        return Err(Error::invalid("#/info", "missing required field `info`"));
    }
    doc.warnings = reader.warnings;
    doc.skipped = reader.skipped;
    Ok(doc)
}

/// A path with its Express-style `:name` segments (`/jobs/:id`) written as template
/// parameters (`/jobs/{id}`), as its operations' path parameters name them.
fn colon_parameters(path: &str) -> String {
    let segment = |s: &str| match s.strip_prefix(':') {
        Some(name) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            format!("{{{name}}}")
        }
        _ => s.to_owned(),
    };
    path.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// A server's URL with each `{variable}` replaced by the variable's default.
fn server_url(n: Node<'_>, m: &Mapping) -> Result<String> {
    let mut url = req_string(n, m, "url")?;
    if let Some(vars) = m.get("variables") {
        each(Node { raw: vars, ptr: &child(n.ptr, "variables") }, |name, v| {
            let default = req_string(v, v.map()?, "default")?;
            url = url.replace(&format!("{{{name}}}"), &default);
            Ok(())
        })?;
    }
    Ok(url)
}

/// A string, or a number or boolean as written (`version: 1.0` in YAML is a number).
fn scalar_string(n: Node<'_>, m: &Mapping, key: &str) -> Result<String> {
    match m.get(key) {
        Some(Raw::Number(v)) => Ok(v.to_string()),
        Some(Raw::Bool(v)) => Ok(v.to_string()),
        _ => req_string(n, m, key),
    }
}

fn req_string(n: Node<'_>, m: &Mapping, key: &str) -> Result<String> {
    match m.get(key) {
        Some(v) => Node { raw: v, ptr: &child(n.ptr, key) }.string(),
        None => Err(Error::invalid(n.ptr, format!("missing required field `{key}`"))),
    }
}

fn opt_string(n: Node<'_>, m: &Mapping, key: &str) -> Result<Option<String>> {
    m.get(key).map(|v| Node { raw: v, ptr: &child(n.ptr, key) }.string()).transpose()
}

fn opt_bool(n: Node<'_>, m: &Mapping, key: &str) -> Result<bool> {
    Ok(m.get(key).map(|v| Node { raw: v, ptr: &child(n.ptr, key) }.boolean()).transpose()?.unwrap_or(false))
}

fn security(node: Node<'_>) -> Result<Vec<SecurityRequirement>> {
    let mut out = Vec::new();
    each_item(node, |n| {
        let mut req = IndexMap::new();
        each(n, |name, scopes| {
            req.insert(name.to_owned(), scopes.strings()?);
            Ok(())
        })?;
        out.push(req);
        Ok(())
    })?;
    Ok(out)
}

/// Reads `$ref` when present: `Some(reference)`.
fn reference(n: Node<'_>, m: &Mapping) -> Result<Option<String>> {
    opt_string(n, m, "$ref")
}

impl<'a> Reader<'a> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_owned(), message: message.into() });
    }

    /// Reads one item with `read`; when it cannot be read, records it as skipped (`what`, and
    /// what stands `instead`) with the warnings its reading gave dropped, and returns `None`.
    fn isolated<T>(
        &mut self,
        pointer: &str,
        what: impl FnOnce() -> String,
        instead: &str,
        read: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Option<T> {
        let warnings = self.warnings.len();
        let following = self.following.len();
        match read(self) {
            Ok(item) => Some(item),
            Err(e) => {
                self.warnings.truncate(warnings);
                self.following.truncate(following);
                let skipped = Skipped::new(pointer, what(), instead, &e);
                self.warnings.push(skipped.warning());
                self.skipped.push(skipped);
                None
            }
        }
    }

    fn info(&mut self, n: Node<'_>) -> Result<Info> {
        let m = n.map()?;
        // A numeric version as written (`version: 2026.10`), also when an `f64` does not hold it.
        let ptr = child(n.ptr, "version");
        let exact = m.get("version").and_then(|v| {
            let v = Node { raw: v, ptr: &ptr };
            numeric(v.raw).and_then(|f| self.exact_text(v, f))
        });
        Ok(Info {
            title: req_string(n, m, "title")?,
            version: match exact {
                Some(text) => text,
                None => scalar_string(n, m, "version")?,
            },
            description: opt_string(n, m, "description")?,
        })
    }

    /// An item of a components `section`, written in place or as a `$ref`. A reference to
    /// anywhere else in the document (`#/paths/~1a/get/parameters/0`) is read from there, in
    /// place, with a warning.
    fn ref_or<T>(
        &mut self,
        n: Node<'_>,
        section: &str,
        read: impl FnOnce(&mut Self, Node<'_>) -> Result<T>,
    ) -> Result<RefOr<T>> {
        let m = n.map()?;
        match reference(n, m)? {
            Some(r) if r.starts_with('#') && component_name(&r, section).is_none() => {
                let at = child(n.ptr, "$ref");
                let Some((raw, ptr)) = self.local_target(&r, &at)? else {
                    return Ok(RefOr::Ref { reference: r, pointer: n.ptr.to_owned(), description: None });
                };
                self.warn(
                    &at,
                    format!("`{r}` is not in #/components/{section}: the {section} item it points at is read in place"),
                );
                self.following.push(ptr.clone());
                let item = read(self, Node { raw, ptr: &ptr });
                self.following.pop();
                Ok(RefOr::Item(item?))
            }
            Some(reference) => {
                Ok(RefOr::Ref { reference, pointer: n.ptr.to_owned(), description: opt_string(n, m, "description")? })
            }
            None => Ok(RefOr::Item(read(self, n)?)),
        }
    }

    /// What a local reference (`#/` and a JSON pointer, RFC 6901, its tokens also
    /// percent-encoded) points at, with its pointer as this reader writes pointers. `None` when
    /// it points at nothing (the reference dangles, which the normalize stage reports); an error
    /// when following it would lead back to where it is being followed from.
    fn local_target(&mut self, reference: &str, at: &str) -> Result<Option<(&'a Raw, String)>> {
        let Some(target) = resolve_pointer(self.root, reference) else { return Ok(None) };
        if self.following.contains(&target.1) {
            return Err(Error::unsupported(at, format!("`$ref` `{reference}` leads back to itself")));
        }
        Ok(Some(target))
    }

    /// Reads a path item; one that is a `$ref` to `#/components/pathItems/<name>` (3.1) is read
    /// from there, with the pointers of the component.
    fn path_item(&mut self, root: Node<'_>, n: Node<'_>) -> Result<PathItem> {
        let m = n.map()?;
        if let Some(r) = reference(n, m)? {
            let ptr = child(n.ptr, "$ref");
            let (raw, target_ptr) = raw_component(root.raw, "pathItems", &r).ok_or_else(|| {
                if r.starts_with("#/components/pathItems/") {
                    Error::DanglingRef {
                        pointer: ptr.clone(),
                        reference: r.clone(),
                        reason: "there is no such path item in #/components/pathItems".into(),
                    }
                } else {
                    Error::unsupported(
                        &ptr,
                        format!("path item reference `{r}`: only `#/components/pathItems/<name>` is supported"),
                    )
                }
            })?;
            if raw.as_mapping().is_some_and(|t| t.contains_key("$ref")) {
                return Err(Error::unsupported(&ptr, "a path item reference to a path item that is itself a `$ref`"));
            }
            return self.path_item(root, Node { raw, ptr: &target_ptr });
        }
        let mut item = PathItem { pointer: n.ptr.to_owned(), ..PathItem::default() };
        let mut ops: Vec<(usize, String, Operation)> = Vec::new();
        each(n, |key, c| {
            if let Some(rank) = METHODS.iter().position(|m| *m == key) {
                let what = || format!("operation `{}`", key.to_uppercase());
                if let Some(op) = self.isolated(c.ptr, what, "left out", |r| r.operation(c)) {
                    ops.push((rank, key.to_owned(), op));
                }
            } else {
                match key {
                    "parameters" => item.parameters = self.parameters(c)?,
                    "summary" | "description" => {}
                    "query" => self.warn(
                        c.ptr,
                        "the `query` method (OpenAPI 3.2) is not supported yet: the operation is left out",
                    ),
                    "additionalOperations" => each(c, |method, _| {
                        self.warn(
                            c.ptr,
                            format!(
                                "`additionalOperations` (OpenAPI 3.2) are not supported yet: the `{method}` operation is left out"
                            ),
                        );
                        Ok(())
                    })?,
                    "servers" => self.warn(c.ptr, "servers of a path are not applied: the client calls its base URL"),
                    k if k.starts_with("x-") => {}
                    other => self.warn(c.ptr, format!("unknown path item field `{other}` ignored")),
                }
            }
            Ok(())
        })?;
        ops.sort_by_key(|(rank, _, _)| *rank);
        item.operations = ops.into_iter().map(|(_, m, o)| (m, o)).collect();
        Ok(item)
    }

    fn parameters(&mut self, n: Node<'_>) -> Result<Vec<RefOr<Parameter>>> {
        let mut out = Vec::new();
        each_item(n, |p| {
            if let Some(at) = self.querystring(p) {
                self.warn(
                    &at,
                    "a `querystring` parameter (OpenAPI 3.2: the whole query string as one value) is not supported yet; left out",
                );
                return Ok(());
            }
            out.push(self.ref_or(p, "parameters", |r, p| r.parameter(p))?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Where a parameter, or the component parameter it references, says `in: querystring`.
    fn querystring(&self, p: Node<'_>) -> Option<String> {
        let m = p.raw.as_mapping()?;
        let (m, at) = match m.get("$ref").and_then(Raw::as_str) {
            Some(r) => {
                let (target, at) = raw_component(self.root, "parameters", r)?;
                (target.as_mapping()?, at)
            }
            None => (m, p.ptr.to_owned()),
        };
        (m.get("in").and_then(Raw::as_str) == Some("querystring")).then(|| child(&at, "in"))
    }

    fn operation(&mut self, n: Node<'_>) -> Result<Operation> {
        let mut op = Operation { pointer: n.ptr.to_owned(), ..Operation::default() };
        each(n, |key, c| {
            match key {
                "operationId" => op.operation_id = Some(c.string()?),
                "summary" => op.summary = Some(c.string()?),
                "description" => op.description = Some(c.string()?),
                "tags" => op.tags = c.strings()?,
                "parameters" => op.parameters = self.parameters(c)?,
                "requestBody" => op.request_body = Some(self.ref_or(c, "requestBodies", |r, c| r.request_body(c))?),
                "responses" => each(c, |status, r| {
                    let resp = self.ref_or(r, "responses", |me, r| me.response(r))?;
                    op.responses.insert(status.to_owned(), resp);
                    Ok(())
                })?,
                "deprecated" => op.deprecated = c.boolean()?,
                "x-rust-method" => op.rust_method = Some(c.string()?),
                "security" => op.security = Some(security(c)?),
                "callbacks" => self.warn(c.ptr, "callbacks are not generated (they are requests the API sends)"),
                "externalDocs" => {}
                "servers" => self.warn(c.ptr, "servers of an operation are not applied: the client calls its base URL"),
                k if k.starts_with("x-") => {}
                other => self.warn(c.ptr, format!("unknown operation field `{other}` ignored")),
            }
            Ok(())
        })?;
        Ok(op)
    }

    fn parameter(&mut self, n: Node<'_>) -> Result<Parameter> {
        let m = n.map()?;
        let name = req_string(n, m, "name")?;
        let location = match req_string(n, m, "in")?.as_str() {
            "path" => ParameterLocation::Path,
            "query" => ParameterLocation::Query,
            "header" => ParameterLocation::Header,
            "cookie" => ParameterLocation::Cookie,
            other => return Err(Error::invalid(&child(n.ptr, "in"), format!("unknown parameter location `{other}`"))),
        };
        let mut p = Parameter {
            pointer: n.ptr.to_owned(),
            name,
            location,
            required: opt_bool(n, m, "required")?,
            description: opt_string(n, m, "description")?,
            schema: None,
            style: opt_string(n, m, "style")?,
            explode: m.get("explode").map(|v| Node { raw: v, ptr: &child(n.ptr, "explode") }.boolean()).transpose()?,
            examples: Vec::new(),
            deprecated: opt_bool(n, m, "deprecated")?,
        };
        if let Some(s) = m.get("schema") {
            p.schema = Some(self.schema(Node { raw: s, ptr: &child(n.ptr, "schema") })?);
        } else if let Some(c) = m.get("content") {
            let content = self.content(Node { raw: c, ptr: &child(n.ptr, "content") })?;
            p.schema = content.into_values().next().and_then(|mt| mt.schema);
        }
        self.examples_into(n, m, &mut p.examples)?;
        Ok(p)
    }

    fn examples_into(&mut self, n: Node<'_>, m: &Mapping, out: &mut Vec<Json>) -> Result<()> {
        if let Some(e) = m.get("example") {
            out.push(to_json(e));
        }
        if let Some(e) = m.get("examples") {
            // Media types and parameters: a map of Example Objects with `value`.
            each(Node { raw: e, ptr: &child(n.ptr, "examples") }, |_, ex| {
                // 3.2 also spells the value `dataValue`.
                let m = ex.map()?;
                if let Some(v) = m.get("value").or_else(|| m.get("dataValue")) {
                    out.push(to_json(v));
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn content(&mut self, n: Node<'_>) -> Result<IndexMap<String, MediaType>> {
        // A `$ref` for the whole content map (not OpenAPI, but published): the map it points at.
        if let Some(Raw::String(r)) = n.raw.as_mapping().and_then(|m| m.get("$ref")) {
            let at = child(n.ptr, "$ref");
            let Some((raw, ptr)) = self.local_target(r, &at)? else {
                return Err(Error::DanglingRef {
                    pointer: at,
                    reference: r.clone(),
                    reason: "it points at nothing".into(),
                });
            };
            self.warn(&at, format!("`content` is a `$ref` (not OpenAPI): read as the content map at `{r}`"));
            self.following.push(ptr.clone());
            let content = self.content(Node { raw, ptr: &ptr });
            self.following.pop();
            return content;
        }
        let mut out = IndexMap::new();
        each(n, |media, c| {
            let target;
            let c = match c.map()?.get("$ref") {
                // 3.2: a media type can be a component (`#/components/mediaTypes/<name>`).
                Some(r) => {
                    let r = Node { raw: r, ptr: &child(c.ptr, "$ref") }.string()?;
                    target = raw_component(self.root, "mediaTypes", &r).ok_or_else(|| Error::DanglingRef {
                        pointer: child(c.ptr, "$ref"),
                        reference: r.clone(),
                        reason: "there is no such media type in #/components/mediaTypes".into(),
                    })?;
                    if target.0.as_mapping().is_some_and(|t| t.contains_key("$ref")) {
                        return Err(Error::unsupported(
                            c.ptr,
                            "a media type reference to a media type that is itself a `$ref`",
                        ));
                    }
                    Node { raw: target.0, ptr: &target.1 }
                }
                None => c,
            };
            let m = c.map()?;
            let mut mt = MediaType { pointer: c.ptr.to_owned(), ..MediaType::default() };
            for key in ["itemSchema", "prefixEncoding", "itemEncoding"] {
                if m.contains_key(key) {
                    self.warn(
                        &child(c.ptr, key),
                        format!("`{key}` (OpenAPI 3.2 sequential media types) is not applied yet: the body is read as a whole"),
                    );
                }
            }
            if let Some(s) = m.get("schema") {
                mt.schema = Some(self.schema(Node { raw: s, ptr: &child(c.ptr, "schema") })?);
            }
            if let Some(e) = m.get("encoding") {
                each(Node { raw: e, ptr: &child(c.ptr, "encoding") }, |property, en| {
                    let em = en.map()?;
                    let encoding = Encoding {
                        pointer: en.ptr.to_owned(),
                        content_type: opt_string(en, em, "contentType")?,
                        style: opt_string(en, em, "style")?,
                        explode: em
                            .get("explode")
                            .map(|v| Node { raw: v, ptr: &child(en.ptr, "explode") }.boolean())
                            .transpose()?,
                    };
                    mt.encoding.insert(property.to_owned(), encoding);
                    Ok(())
                })?;
            }
            self.examples_into(c, m, &mut mt.examples)?;
            out.insert(media.to_owned(), mt);
            Ok(())
        })?;
        Ok(out)
    }

    fn request_body(&mut self, n: Node<'_>) -> Result<RequestBody> {
        let m = n.map()?;
        let content = match m.get("content") {
            Some(c) => self.content(Node { raw: c, ptr: &child(n.ptr, "content") })?,
            None => return Err(Error::invalid(n.ptr, "missing required field `content`")),
        };
        Ok(RequestBody {
            pointer: n.ptr.to_owned(),
            description: opt_string(n, m, "description")?,
            required: opt_bool(n, m, "required")?,
            content,
        })
    }

    fn response(&mut self, n: Node<'_>) -> Result<Response> {
        let m = n.map()?;
        let mut r = Response {
            pointer: n.ptr.to_owned(),
            description: opt_string(n, m, "description")?,
            ..Response::default()
        };
        if let Some(c) = m.get("content") {
            r.content = self.content(Node { raw: c, ptr: &child(n.ptr, "content") })?;
        }
        if let Some(h) = m.get("headers") {
            each(Node { raw: h, ptr: &child(n.ptr, "headers") }, |name, hn| {
                let header = self.ref_or(hn, "headers", |me, hn| me.header(hn))?;
                r.headers.insert(name.to_owned(), header);
                Ok(())
            })?;
        }
        Ok(r)
    }

    fn header(&mut self, n: Node<'_>) -> Result<Header> {
        let m = n.map()?;
        let mut schema =
            m.get("schema").map(|s| self.schema(Node { raw: s, ptr: &child(n.ptr, "schema") })).transpose()?;
        if schema.is_none() {
            if let Some(c) = m.get("content") {
                schema = self
                    .content(Node { raw: c, ptr: &child(n.ptr, "content") })?
                    .into_values()
                    .next()
                    .and_then(|mt| mt.schema);
            }
        }
        Ok(Header {
            pointer: n.ptr.to_owned(),
            description: opt_string(n, m, "description")?,
            required: opt_bool(n, m, "required")?,
            schema,
        })
    }

    fn components(&mut self, n: Node<'_>) -> Result<Components> {
        let mut c = Components::default();
        each(n, |key, section| {
            match key {
                "schemas" => each(section, |name, s| {
                    let what = || format!("schema `{name}`");
                    let schema = self.isolated(s.ptr, what, "typed as any JSON value", |r| r.schema(s));
                    c.schemas.insert(
                        name.to_owned(),
                        schema.unwrap_or(Schema { pointer: s.ptr.to_owned(), ..Schema::default() }),
                    );
                    Ok(())
                })?,
                "parameters" => each(section, |name, p| {
                    if p.map()?.contains_key("$ref") {
                        return Err(Error::unsupported(p.ptr, "a component parameter that is itself a `$ref`"));
                    }
                    // Operations that use it leave it out, each with a warning.
                    if self.querystring(p).is_some() {
                        return Ok(());
                    }
                    c.parameters.insert(name.to_owned(), self.parameter(p)?);
                    Ok(())
                })?,
                "requestBodies" => each(section, |name, b| {
                    let what = || format!("request body `{name}`");
                    if let Some(body) = self.isolated(b.ptr, what, "left out", |r| r.request_body(b)) {
                        c.request_bodies.insert(name.to_owned(), body);
                    }
                    Ok(())
                })?,
                "responses" => each(section, |name, r| {
                    let what = || format!("response `{name}`");
                    if let Some(response) = self.isolated(r.ptr, what, "left out", |me| me.response(r)) {
                        c.responses.insert(name.to_owned(), response);
                    }
                    Ok(())
                })?,
                "headers" => each(section, |name, h| {
                    if h.map()?.contains_key("$ref") {
                        return Err(Error::unsupported(h.ptr, "a component header that is itself a `$ref`"));
                    }
                    c.headers.insert(name.to_owned(), self.header(h)?);
                    Ok(())
                })?,
                "securitySchemes" => each(section, |name, s| {
                    let m = s.map()?;
                    c.security_schemes.insert(
                        name.to_owned(),
                        SecurityScheme {
                            pointer: s.ptr.to_owned(),
                            kind: req_string(s, m, "type")?,
                            scheme: opt_string(s, m, "scheme")?,
                            name: opt_string(s, m, "name")?,
                            location: opt_string(s, m, "in")?,
                            description: opt_string(s, m, "description")?,
                        },
                    );
                    Ok(())
                })?,
                // Not used for code: examples, links, callbacks; path items are read where they are used.
                _ => {}
            }
            Ok(())
        })?;
        Ok(c)
    }

    fn schemas(&mut self, n: Node<'_>) -> Result<Vec<Schema>> {
        let mut out = Vec::new();
        each_item(n, |s| {
            out.push(self.schema(s)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Reads one schema. Keywords that change the Rust type and cannot be expressed are errors;
    /// keywords that only validate are kept or passed over with a warning.
    pub(super) fn schema(&mut self, n: Node<'_>) -> Result<Schema> {
        if self.depth == MAX_SCHEMA_DEPTH {
            return Err(Error::unsupported(n.ptr, format!("schemas nested more than {MAX_SCHEMA_DEPTH} levels deep")));
        }
        self.depth += 1;
        let result = self.schema_keywords(n);
        self.depth -= 1;
        result
    }

    /// [`Reader::schema`] below the depth check. Only the keywords that hold schemas recurse; the
    /// others are read by [`Reader::keyword`], whose stack frame is gone before the recursion.
    fn schema_keywords(&mut self, n: Node<'_>) -> Result<Schema> {
        let mut s = Schema { pointer: n.ptr.to_owned(), ..Schema::default() };
        match n.raw {
            Raw::Bool(true) => return Ok(s),
            Raw::Bool(false) => {
                s.never = true;
                return Ok(s);
            }
            _ => {}
        }
        if let Some(schema) = self.schema_elsewhere(n)? {
            return Ok(schema);
        }
        each(n, |key, c| {
            match key {
                "properties" => each(c, |name, p| {
                    let property = self.schema(p)?;
                    // A Swagger 2 habit: `required: true` on the property itself.
                    if let Some(Raw::Bool(required)) = p.raw.as_mapping().and_then(|m| m.get("required")) {
                        self.warn(
                            &child(p.ptr, "required"),
                            format!("`required: {required}` on a property (Swagger 2): read as the parent's `required` list"),
                        );
                        if *required && !s.required.iter().any(|r| r == name) {
                            s.required.push(name.to_owned());
                        }
                    }
                    s.properties.insert(name.to_owned(), property);
                    Ok(())
                })?,
                "additionalProperties" => s.additional_properties = Some(Box::new(self.schema(c)?)),
                "items" if !matches!(c.raw, Raw::Sequence(_)) => s.items = Some(Box::new(self.schema(c)?)),
                "items" => {
                    self.warn(c.ptr, "`items` as an array (a tuple, before 2020-12): read as `prefixItems`");
                    s.prefix_items = self.schemas(c)?;
                }
                "patternProperties" => {
                    let mut patterns = Vec::new();
                    each(c, |_, p| {
                        patterns.push(self.schema(p)?);
                        Ok(())
                    })?;
                    if s.additional_properties.is_none() {
                        self.warn(c.ptr, "`patternProperties`: read as `additionalProperties` (keys are not checked)");
                        let value = if patterns.len() == 1 {
                            patterns.remove(0)
                        } else {
                            Schema { pointer: c.ptr.to_owned(), ..Schema::default() }
                        };
                        s.additional_properties = Some(Box::new(value));
                    } else {
                        self.warn(c.ptr, "`patternProperties` beside `additionalProperties` ignored");
                    }
                }
                "prefixItems" => s.prefix_items = self.schemas(c)?,
                "oneOf" => s.one_of = self.schemas(c)?,
                "anyOf" => s.any_of = self.schemas(c)?,
                "allOf" => s.all_of = self.schemas(c)?,
                _ => self.keyword(&mut s, key, c)?,
            }
            Ok(())
        })?;
        Ok(s)
    }

    /// A schema whose `$ref` points outside `#/components/schemas` (into a parameter, a
    /// response, another schema's property...): the schema there, read in place with its own
    /// pointer (so every reference to it is one type), and the annotations written beside the
    /// `$ref`. `None` for any other schema.
    fn schema_elsewhere(&mut self, n: Node<'_>) -> Result<Option<Schema>> {
        let Some(m) = n.raw.as_mapping() else { return Ok(None) };
        let Some(Raw::String(r)) = m.get("$ref") else { return Ok(None) };
        if !r.starts_with('#') || component_name(r, "schemas").is_some() {
            return Ok(None);
        }
        let at = child(n.ptr, "$ref");
        let Some((raw, ptr)) = resolve_pointer(self.root, r) else { return Ok(None) };
        if self.following.contains(&ptr) {
            // Recursion through places outside the components: the inner use is any JSON value.
            self.warn(
                &at,
                format!("`{r}` refers back to a schema being read (not a component): typed as any JSON value"),
            );
            return Ok(Some(Schema { pointer: n.ptr.to_owned(), ..Schema::default() }));
        }
        if ptr.starts_with("#/components/schemas/") && component_name(&ptr, "schemas").is_some() {
            // The same component, written another way (`#/components/schemas/A/`).
            let mut s = Schema { pointer: n.ptr.to_owned(), reference: Some(ptr), ..Schema::default() };
            s.description = opt_string(n, m, "description")?;
            return Ok(Some(s));
        }
        self.warn(&at, format!("`{r}` is not in #/components/schemas: the schema it points at is read in place"));
        self.following.push(ptr.clone());
        let target = self.schema(Node { raw, ptr: &ptr });
        self.following.pop();
        let mut s = target?;
        // The annotations beside the `$ref` describe this use of the schema.
        if let Some(d) = opt_string(n, m, "description")? {
            s.description = Some(d);
        }
        if let Some(Raw::Bool(true)) = m.get("nullable") {
            s.legacy_nullable = true;
        }
        Ok(Some(s))
    }

    /// Reads one keyword of a schema that does not hold a schema.
    fn keyword(&mut self, s: &mut Schema, key: &str, c: Node<'_>) -> Result<()> {
        match key {
            "$ref" => {
                let r = c.string()?;
                if r.starts_with('#') {
                    s.reference = Some(r);
                } else {
                    self.warn(
                        c.ptr,
                        format!("external reference `{r}` is not followed (bundle the description into one file): typed as any JSON value"),
                    );
                }
            }
            "type" => match c.raw {
                Raw::Sequence(_) => {
                    each_item(c, |t| {
                        let t = self.instance_type(s, t)?;
                        s.types.extend(t);
                        Ok(())
                    })?;
                }
                _ => {
                    let t = self.instance_type(s, c)?;
                    s.types.extend(t);
                }
            },
            "nullable" => s.legacy_nullable = c.boolean()?,
            "format" => s.format = Some(c.string()?),
            "contentMediaType" => s.content_media_type = Some(c.string()?),
            "contentEncoding" => s.content_encoding = Some(c.string()?),
            "title" => s.title = Some(c.string()?),
            "description" => s.description = Some(c.string()?),
            "default" => s.default = Some(self.value(s, "default".into(), c)),
            "const" => s.constant = Some(self.value(s, "const".into(), c)),
            "enum" => s.enumeration = Some(self.values(s, "enum", c)?),
            "required" => match c.raw {
                Raw::Sequence(_) => {
                    for name in c.strings()? {
                        if !s.required.contains(&name) {
                            s.required.push(name);
                        }
                    }
                }
                // `required: true` on a property: its parent reads it (see `properties`).
                Raw::Bool(_) => {}
                other => self.warn(
                    c.ptr,
                    format!("`required` must be an array of property names, found {}; ignored", kind(other)),
                ),
            },
            "discriminator" => {
                let m = c.map()?;
                let mut d =
                    Discriminator { property_name: req_string(c, m, "propertyName")?, mapping: IndexMap::new() };
                if let Some(map) = m.get("mapping") {
                    each(Node { raw: map, ptr: &child(c.ptr, "mapping") }, |tag, target| {
                        d.mapping.insert(tag.to_owned(), target.string()?);
                        Ok(())
                    })?;
                }
                if m.contains_key("defaultMapping") {
                    self.warn(
                        &child(c.ptr, "defaultMapping"),
                        "`defaultMapping` (OpenAPI 3.2) is not applied: a value with a tag no member has decodes as `Unknown`",
                    );
                }
                s.discriminator = Some(d);
            }
            "minimum" => s.minimum = Some(self.limit(s, "minimum", c)?),
            "maximum" => s.maximum = Some(self.limit(s, "maximum", c)?),
            "exclusiveMinimum" => match c.raw {
                Raw::Bool(b) => s.legacy_exclusive_minimum = *b,
                _ => s.exclusive_minimum = Some(self.limit(s, "exclusiveMinimum", c)?),
            },
            "exclusiveMaximum" => match c.raw {
                Raw::Bool(b) => s.legacy_exclusive_maximum = *b,
                _ => s.exclusive_maximum = Some(self.limit(s, "exclusiveMaximum", c)?),
            },
            "multipleOf" => s.multiple_of = Some(self.limit(s, "multipleOf", c)?),
            "minLength" => s.min_length = Some(self.count(s, "minLength", c)?),
            "maxLength" => s.max_length = Some(self.count(s, "maxLength", c)?),
            "minItems" => s.min_items = Some(self.count(s, "minItems", c)?),
            "maxItems" => s.max_items = Some(self.count(s, "maxItems", c)?),
            "pattern" => s.pattern = Some(c.string()?),
            "uniqueItems" => s.unique_items = c.boolean()?,
            "readOnly" => s.read_only = c.boolean()?,
            "writeOnly" => s.write_only = c.boolean()?,
            "deprecated" => s.deprecated = c.boolean()?,
            "example" => s.legacy_example = Some(self.value(s, "example".into(), c)),
            "examples" => match c.raw {
                Raw::Sequence(_) => s.examples = self.values(s, "examples", c)?,
                _ => self.warn(c.ptr, "schema `examples` must be an array; ignored"),
            },
            "not" => self.warn(c.ptr, "`not` only restricts values; the Rust type does not enforce it"),
            "if" | "then" | "else" | "dependentSchemas" => self.warn(
                c.ptr,
                format!(
                    "conditional schema keyword `{key}` is not applied: the properties it adds are kept in `extra`"
                ),
            ),
            "$dynamicRef" | "$recursiveRef" => {
                self.warn(c.ptr, format!("`{key}` is not followed: typed as any JSON value"))
            }
            // Annotations and validation keywords that do not change the Rust type.
            "$schema"
            | "$id"
            | "$comment"
            | "$anchor"
            | "xml"
            | "externalDocs"
            | "minProperties"
            | "maxProperties"
            | "propertyNames"
            | "unevaluatedProperties"
            | "dependentRequired"
            | "contains"
            | "minContains"
            | "maxContains"
            | "unevaluatedItems" => {}
            k if k.starts_with("x-") => {
                s.extensions.insert(k.to_owned(), to_json(c.raw));
            }
            other => self.warn(c.ptr, format!("unknown schema keyword `{other}` ignored")),
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// A numeric limit; its text is kept on the schema when the number does not hold it exactly.
    fn limit(&self, s: &mut Schema, keyword: &'static str, c: Node<'_>) -> Result<f64> {
        let value = c.number()?;
        if let Some(text) = self.exact_text(c, value) {
            s.number_text.insert(keyword.to_owned(), text);
        }
        Ok(value)
    }

    /// A value (`default`, `const`, an `enum` value, an example) as JSON; when it is a number
    /// JSON's `f64` does not hold exactly, its text is kept on the schema under `key`.
    fn value(&self, s: &mut Schema, key: String, c: Node<'_>) -> Json {
        if let Some(text) = numeric(c.raw).and_then(|f| self.exact_text(c, f)) {
            s.number_text.insert(key, text);
        }
        to_json(c.raw)
    }

    /// The values of an array keyword (`enum`, `examples`), their texts kept as [`Reader::value`] does.
    fn values(&self, s: &mut Schema, keyword: &str, c: Node<'_>) -> Result<Vec<Json>> {
        let mut out = Vec::new();
        each_item(c, |item| {
            out.push(self.value(s, format!("{keyword}/{}", out.len()), item));
            Ok(())
        })?;
        Ok(out)
    }

    /// A count (`maxLength`...), its text kept as for [`Reader::limit`].
    fn count(&self, s: &mut Schema, keyword: &'static str, c: Node<'_>) -> Result<u64> {
        let value = c.count()?;
        if let Some(text) = numeric(c.raw).and_then(|f| self.exact_text(c, f)) {
            s.number_text.insert(keyword.to_owned(), text);
        }
        Ok(value)
    }

    /// The number at `c` as written, when `value` (what was read) is not exactly it.
    fn exact_text(&self, c: Node<'_>, value: f64) -> Option<String> {
        // Integers up to 2^53 are exact as `f64`s.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        match c.raw {
            Raw::String(s) => Some(s.clone()),
            Raw::Number(n) if !n.is_f64() => (value.abs() > EXACT).then(|| n.to_string()),
            Raw::Number(n) if n.is_f64() && may_be_inexact(value) => {
                // Only when it is the number at that place (an overlay may have put another there).
                let text = self.exact.get(c.ptr)?;
                (text.parse::<f64>().ok() == Some(value)).then(|| text.to_owned())
            }
            _ => None,
        }
    }
}

/// The value of a number, or of a number literal beyond `f64`'s range that YAML read as a string.
fn numeric(raw: &Raw) -> Option<f64> {
    match raw {
        Raw::Number(n) => n.as_f64(),
        Raw::String(s) => beyond_f64(s),
        _ => None,
    }
}

/// The value of a number literal beyond `f64`'s range (an infinity), if `s` is one.
fn beyond_f64(s: &str) -> Option<f64> {
    let literal = !s.is_empty() && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'));
    literal.then(|| s.parse::<f64>().ok()).flatten().filter(|f| f.is_infinite())
}

impl Reader<'_> {
    /// A `type` name. Swagger 2's `file` is a binary string; any other unknown name is
    /// passed over with a warning (the schema allows any type).
    fn instance_type(&mut self, s: &mut Schema, n: Node<'_>) -> Result<Option<InstanceType>> {
        let name = n.string()?;
        if let Some(t) = InstanceType::parse(&name) {
            return Ok(Some(t));
        }
        if name == "file" {
            self.warn(n.ptr, "`type: file` (Swagger 2): read as a binary string");
            s.format.get_or_insert_with(|| "binary".to_owned());
            return Ok(Some(InstanceType::String));
        }
        self.warn(
            n.ptr,
            format!(
                "unknown type `{name}` (expected null, boolean, integer, number, string, array or object); ignored"
            ),
        );
        Ok(None)
    }
}
