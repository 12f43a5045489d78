//! Raw tree -> [`Document`], checking the shape of every value on the way.

use super::document::*;
use super::numbers::{may_be_inexact, Exact};
use super::refs::raw_component;
use crate::error::{child, Error, Result, Warning};
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
    let mut reader = Reader { warnings: Vec::new(), depth: 0, root: raw, exact };
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
                let item = reader.path_item(root, n)?;
                doc.paths.insert(path.to_owned(), item);
                Ok(())
            })?,
            "components" => doc.components = reader.components(node)?,
            "security" => doc.security = security(node)?,
            "webhooks" => reader.warn(
                node.ptr,
                "webhooks are not generated (they are requests the API sends, not calls a client makes)",
            ),
            "jsonSchemaDialect" | "externalDocs" | "$self" => {}
            k if k.starts_with("x-") => {}
            other => reader.warn(node.ptr, format!("unknown top-level field `{other}` ignored")),
        }
        Ok(())
    })?;
    if !saw_info {
        return Err(Error::invalid("#/info", "missing required field `info`"));
    }
    doc.warnings = reader.warnings;
    Ok(doc)
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

impl Reader<'_> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.to_owned(), message: message.into() });
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

    fn ref_or<T>(&mut self, n: Node<'_>, read: impl FnOnce(&mut Self, Node<'_>) -> Result<T>) -> Result<RefOr<T>> {
        let m = n.map()?;
        match reference(n, m)? {
            Some(reference) => {
                Ok(RefOr::Ref { reference, pointer: n.ptr.to_owned(), description: opt_string(n, m, "description")? })
            }
            None => Ok(RefOr::Item(read(self, n)?)),
        }
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
                ops.push((rank, key.to_owned(), self.operation(c)?));
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
            out.push(self.ref_or(p, |r, p| r.parameter(p))?);
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
                "requestBody" => op.request_body = Some(self.ref_or(c, |r, c| r.request_body(c))?),
                "responses" => each(c, |status, r| {
                    let resp = self.ref_or(r, |me, r| me.response(r))?;
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
                let header = self.ref_or(hn, |me, hn| me.header(hn))?;
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
                    c.schemas.insert(name.to_owned(), self.schema(s)?);
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
                    c.request_bodies.insert(name.to_owned(), self.request_body(b)?);
                    Ok(())
                })?,
                "responses" => each(section, |name, r| {
                    c.responses.insert(name.to_owned(), self.response(r)?);
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
        each(n, |key, c| {
            match key {
                "properties" => each(c, |name, p| {
                    let property = self.schema(p)?;
                    s.properties.insert(name.to_owned(), property);
                    Ok(())
                })?,
                "additionalProperties" => s.additional_properties = Some(Box::new(self.schema(c)?)),
                "items" if !matches!(c.raw, Raw::Sequence(_)) => s.items = Some(Box::new(self.schema(c)?)),
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

    /// Reads one keyword of a schema that does not hold a schema.
    fn keyword(&mut self, s: &mut Schema, key: &str, c: Node<'_>) -> Result<()> {
        match key {
            "$ref" => {
                let r = c.string()?;
                if !r.starts_with('#') {
                    return Err(Error::unsupported(
                        c.ptr,
                        format!("external reference `{r}` (bundle the description into one file first)"),
                    ));
                }
                s.reference = Some(r);
            }
            "type" => match c.raw {
                Raw::Sequence(_) => {
                    each_item(c, |t| {
                        s.types.push(instance_type(t)?);
                        Ok(())
                    })?;
                }
                _ => s.types.push(instance_type(c)?),
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
                Raw::Sequence(_) => s.required = c.strings()?,
                other => {
                    return Err(Error::invalid(
                        c.ptr,
                        format!("`required` must be an array of property names, found {}", kind(other)),
                    ))
                }
            },
            "items" => return Err(Error::unsupported(
                c.ptr,
                "`items` as an array (a tuple): write the items as `prefixItems`, and what may follow them as `items`",
            )),
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
            "if" | "then" | "else" | "dependentSchemas" => {
                return Err(Error::unsupported(c.ptr, format!("conditional schema keyword `{key}`")))
            }
            "$dynamicRef" | "$recursiveRef" => {
                return Err(Error::unsupported(c.ptr, format!("`{key}` (use a plain `$ref`)")))
            }
            "patternProperties" => {
                return Err(Error::unsupported(c.ptr, "`patternProperties` (use `additionalProperties`)"))
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

fn instance_type(n: Node<'_>) -> Result<InstanceType> {
    let name = n.string()?;
    InstanceType::parse(&name).ok_or_else(|| {
        Error::invalid(
            n.ptr,
            format!("unknown type `{name}` (expected null, boolean, integer, number, string, array or object)"),
        )
    })
}
