//! The operation half of the walk: operations matched across versions, then their parameters,
//! bodies and responses handed to the schema half (`schema.rs`), with the Rust model walked
//! alongside so that every change can name the Rust item it touches. Changes are collected here,
//! one per (location, kind, direction), each with the operations that reach it.

use super::rust::Model;
use super::{Change, Direction, EventReach, Impact, Kind, Reach, Severity, Spec};
use generator::load::{Document, MediaType, Parameter, ParameterLocation, PathItem, RequestBody, Response, Schema};
use generator::model::{Auth, Operation as ModelOp, TypeRef};
use indexmap::IndexMap;
use std::collections::HashSet;
use std::sync::OnceLock;

use Direction::{Request, Response as Resp};
use Severity::{Breaking, NonBreaking, PotentiallyBreaking};

/// All changes between two specs, unsorted.
pub fn changes(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut d = Differ {
        old: Side { doc: &old.doc, model: Model::new(&old.api) },
        new: Side { doc: &new.doc, model: Model::new(&new.api) },
        found: IndexMap::new(),
        op: None,
        event: None,
        visited: HashSet::new(),
    };
    d.document();
    d.operations();
    d.error_codes();
    d.webhooks();
    d.found
        .into_values()
        .map(|p| {
            let mut change = p.change;
            let mut reach: Vec<(usize, Reach)> = p.reach;
            reach.sort_by_key(|(order, _)| *order);
            change.operations = reach.into_iter().map(|(_, r)| r).collect();
            let mut events = p.events;
            events.sort_by_key(|(order, _)| *order);
            change.events = events.into_iter().map(|(_, e)| e).collect();
            change
        })
        .collect()
}

pub(super) fn impact(severity: Severity, note: impl Into<String>) -> Impact {
    Impact { severity, note: note.into() }
}

/// The schema that says nothing (a body or parameter without a schema).
pub(super) fn any_schema() -> &'static Schema {
    static ANY: OnceLock<Schema> = OnceLock::new();
    ANY.get_or_init(Schema::default)
}

/// One version: its normalised document and its model.
pub(super) struct Side<'a> {
    pub(super) doc: &'a Document,
    pub(super) model: Model<'a>,
}

/// A change found, and where each operation and webhook event meets it.
struct Pending {
    change: Change,
    reach: Vec<(usize, Reach)>,
    events: Vec<(usize, EventReach)>,
}

/// The webhook event being walked: its order in the report and how it is named.
#[derive(Clone)]
pub(super) struct CurrentEvent {
    pub(super) order: usize,
    pub(super) reach: EventReach,
}

/// The operation being walked: its order in the report and how it is named.
#[derive(Clone)]
struct Current {
    order: usize,
    reach: Reach,
}

/// Where the walk is.
#[derive(Clone)]
pub(super) struct Cx {
    /// Whether the schema is read from a request or a response.
    pub(super) dir: Direction,
    /// The schema location changes are grouped by (`Conversation.state`).
    pub(super) loc: String,
    /// The path from the operation (`response.data[].state`).
    pub(super) at: String,
    /// The Rust type of this use in the old version, when the model has one.
    pub(super) old: Option<TypeRef>,
    /// The Rust type of this use in the new version, when the model has one.
    pub(super) new: Option<TypeRef>,
    /// How the Rust use is named (`` `types::Conversation::state` ``).
    pub(super) label: String,
    /// The Rust type of the use as declared (with `Option`...), in the old version.
    pub(super) old_use: Option<String>,
    /// The same in the new version.
    pub(super) new_use: Option<String>,
}

impl Cx {
    /// The context one step further in, at `loc`/`at` suffixes (`.name`, `[]`).
    pub(super) fn child(&self, loc: &str, at: &str) -> Cx {
        Cx { loc: format!("{}{loc}", self.loc), at: format!("{}{at}", self.at), ..self.clone() }
    }
}

/// A change as the walk finds it, for [`Differ::record`]: made by [`Found::new`] (or
/// [`Found::within`], in a schema), the rest named by its setters. Every change sets both its
/// [`Found::http`] and [`Found::rust`] impacts (checked in debug builds).
pub(super) struct Found {
    kind: Kind,
    /// Whether it is in a request or a response; `None` for the API or an operation as a whole.
    dir: Option<Direction>,
    /// The location changes are grouped by (`Conversation.state`, `createPost.request`).
    loc: String,
    /// What tells apart changes of one kind at one location (an enum value, a union member).
    detail: String,
    summary: String,
    http: Impact,
    rust: Impact,
    /// Where the current operation meets it (`response.data[].state`).
    at: String,
}

impl Found {
    /// A change of `kind` at `loc`; `summary` says what changed on the wire, in Markdown.
    pub(super) fn new(kind: Kind, loc: impl Into<String>, summary: impl Into<String>) -> Self {
        let unset = || impact(NonBreaking, "");
        Found {
            kind,
            dir: None,
            loc: loc.into(),
            detail: String::new(),
            summary: summary.into(),
            http: unset(),
            rust: unset(),
            at: String::new(),
        }
    }

    /// A change of `kind` to the schema the walk is at: its direction, location and path.
    pub(super) fn within(kind: Kind, cx: &Cx, summary: impl Into<String>) -> Self {
        Found::new(kind, &cx.loc, summary).dir(cx.dir).at(&cx.at)
    }

    /// In a request or a response.
    pub(super) fn dir(self, dir: Direction) -> Self {
        Found { dir: Some(dir), ..self }
    }

    /// Where the current operation meets it.
    pub(super) fn at(self, at: impl Into<String>) -> Self {
        Found { at: at.into(), ..self }
    }

    /// What tells it apart from other changes of its kind at its location.
    pub(super) fn detail(self, detail: impl Into<String>) -> Self {
        Found { detail: detail.into(), ..self }
    }

    /// What it means to HTTP clients.
    pub(super) fn http(self, http: Impact) -> Self {
        Found { http, ..self }
    }

    /// What it means to users of the generated crate.
    pub(super) fn rust(self, rust: Impact) -> Self {
        Found { rust, ..self }
    }
}

/// The walk's state: both versions, the changes found so far, the operation being walked.
pub(super) struct Differ<'a> {
    pub(super) old: Side<'a>,
    pub(super) new: Side<'a>,
    found: IndexMap<(String, Kind, Option<Direction>, String), Pending>,
    op: Option<Current>,
    /// The webhook event being walked (when no operation is).
    pub(super) event: Option<CurrentEvent>,
    /// Component pairs already compared within the current operation, per direction.
    pub(super) visited: HashSet<(Option<String>, Option<String>, Direction)>,
}

/// One operation of one version.
struct Op<'a> {
    method: String,
    path: String,
    item: &'a PathItem,
    op: &'a generator::load::Operation,
    model: Option<&'a ModelOp>,
    order: usize,
}

impl Op<'_> {
    fn key(&self) -> (String, String) {
        (self.method.clone(), normalize_path(&self.path))
    }

    fn id(&self) -> String {
        match (self.model, &self.op.operation_id) {
            (Some(m), _) => m.operation_id.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => format!("{} {}", self.method, self.path),
        }
    }
}

/// `/v2/posts/{id}` and `/v2/posts/{postId}` are the same endpoint.
fn normalize_path(path: &str) -> String {
    let mut out = String::new();
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push_str("{}");
            }
            '}' => in_var = false,
            _ if in_var => {}
            _ => out.push(c),
        }
    }
    out
}

fn location_word(l: ParameterLocation) -> &'static str {
    match l {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

pub(super) fn is_json(media: &str) -> bool {
    let base = media.split(';').next().unwrap_or("").trim();
    base == "application/json" || base.ends_with("+json") || base == "*/*"
}

/// The JSON content of a body or response, else the first one (as the generator picks it).
pub(super) fn pick(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(m, _)| is_json(m)).or_else(|| content.iter().next())
}

fn ops<'a>(side: &Side<'a>) -> Vec<Op<'a>> {
    let mut out = Vec::new();
    for (path, item) in &side.doc.paths {
        for (method, op) in &item.operations {
            let model = side.model.api.operations.iter().find(|m| m.pointer == op.pointer);
            let order = out.len();
            out.push(Op { method: method.to_uppercase(), path: path.clone(), item, op, model, order });
        }
    }
    out
}

/// The parameters the caller gives, keyed: path parameters by position in the path (their
/// names are not on the wire), the others by location and name (headers case-insensitively).
fn params<'a>(side: &Side<'a>, op: &Op<'a>) -> IndexMap<(ParameterLocation, String), &'a Parameter> {
    let version_header = side.model.api.version_header.as_deref();
    let vars: Vec<&str> = op.path.split('{').skip(1).filter_map(|s| s.split('}').next()).collect();
    let mut out = IndexMap::new();
    for p in op.item.parameters.iter().chain(&op.op.parameters) {
        let Ok(p) = p.resolve(side.doc) else { continue };
        if p.location == ParameterLocation::Header && version_header.is_some_and(|h| h.eq_ignore_ascii_case(&p.name)) {
            continue;
        }
        let key = match p.location {
            ParameterLocation::Path => match vars.iter().position(|v| *v == p.name) {
                Some(i) => format!("#{i}"),
                None => continue,
            },
            ParameterLocation::Header => p.name.to_ascii_lowercase(),
            _ => p.name.clone(),
        };
        out.insert((p.location, key), p);
    }
    out
}

/// How a parameter's values are written: its `style` and `explode`, defaults filled in.
fn wire_form(p: &Parameter) -> String {
    let style = p.style.clone().unwrap_or_else(|| {
        match p.location {
            ParameterLocation::Query | ParameterLocation::Cookie => "form",
            ParameterLocation::Path | ParameterLocation::Header => "simple",
        }
        .to_owned()
    });
    let explode = p.explode.unwrap_or(style == "form");
    format!("`style: {style}`, `explode: {explode}`")
}

/// Whether a schema only holds single values (so that `explode` does not change how it is written).
fn is_scalar(s: &Schema) -> bool {
    use generator::load::InstanceType::{Array, Object};
    s.reference.is_none()
        && s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.all_of.is_empty()
        && !s.types.is_empty()
        && !s.types.iter().any(|t| matches!(t, Array | Object))
}

/// The credentials an operation accepts: its own `security`, else the document's; each
/// alternative a sorted list of the schemes it needs, each described with its definition
/// (`bearerAuth (http bearer)`). An empty list accepts calls without credentials; `{}` in the
/// spec is an empty alternative.
/// Whether an operation accepts calls authenticated the way `auth` says: a requirement without
/// schemes, or one of a single scheme the client satisfies that way.
fn accepts(doc: &Document, op: &generator::load::Operation, auth: &Auth) -> bool {
    let requirements = op.security.as_ref().unwrap_or(&doc.security);
    requirements.is_empty()
        || requirements.iter().any(|requirement| match requirement.keys().collect::<Vec<_>>()[..] {
            [] => true,
            [name] => doc.components.security_schemes.get(name).is_some_and(|s| Auth::of(s).as_ref() == Ok(auth)),
            _ => false,
        })
}

fn credentials(doc: &Document, op: &generator::load::Operation) -> Vec<Vec<String>> {
    let requirements = op.security.as_ref().unwrap_or(&doc.security);
    let mut out: Vec<Vec<String>> = requirements
        .iter()
        .map(|requirement| {
            let mut schemes: Vec<String> = requirement
                .keys()
                .map(|name| {
                    let definition = doc.components.security_schemes.get(name).map(|s| {
                        let detail = match s.kind.as_str() {
                            "http" => s.scheme.clone().unwrap_or_default().to_ascii_lowercase(),
                            "apiKey" => format!(
                                "{} {}",
                                s.location.clone().unwrap_or_default(),
                                s.name.clone().unwrap_or_default()
                            ),
                            _ => String::new(),
                        };
                        format!("{} {detail}", s.kind).trim().to_owned()
                    });
                    format!("`{name}` ({})", definition.unwrap_or_else(|| "undefined".into()))
                })
                .collect();
            schemes.sort();
            schemes
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn request_body<'a>(doc: &'a Document, op: &'a generator::load::Operation) -> Option<&'a RequestBody> {
    op.request_body.as_ref()?.resolve(doc).ok()
}

/// The first 2xx response, as the generator picks it.
fn success<'a>(doc: &'a Document, op: &'a generator::load::Operation) -> Option<(&'a String, &'a Response)> {
    op.responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(status, r)| r.resolve(doc).ok().map(|r| (status, r)))
}

pub(super) fn code(s: &str) -> String {
    format!("`{s}`")
}

impl<'a> Differ<'a> {
    /// Records a change (merged with the same change found before: same location, kind,
    /// direction and detail) and the current operation's reach of it.
    pub(super) fn record(&mut self, found: Found) {
        debug_assert!(
            !found.http.note.is_empty() && !found.rust.note.is_empty(),
            "{:?} without its impacts",
            found.kind
        );
        let Found { kind, dir, loc, detail, summary, http, rust, at } = found;
        let key = (loc.clone(), kind, dir, detail);
        let pending = self.found.entry(key).or_insert_with(|| Pending {
            change: Change {
                kind,
                direction: dir,
                location: loc,
                summary,
                http,
                rust,
                operations: Vec::new(),
                events: Vec::new(),
            },
            reach: Vec::new(),
            events: Vec::new(),
        });
        if let Some(current) = &self.op {
            if !pending.reach.iter().any(|(order, _)| *order == current.order) {
                pending.reach.push((current.order, Reach { at, ..current.reach.clone() }));
            }
        } else if let Some(current) = &self.event {
            if !pending.events.iter().any(|(order, _)| *order == current.order) {
                pending.events.push((current.order, EventReach { at, ..current.reach.clone() }));
            }
        }
    }

    /// Makes the webhook event `reach` the one that reaches what is recorded next.
    pub(super) fn start_event(&mut self, order: usize, reach: EventReach) {
        self.op = None;
        self.event = Some(CurrentEvent { order, reach });
        self.visited.clear();
    }

    /// The API version and the default server.
    fn document(&mut self) {
        let (old, new) = (&self.old.doc.info.version, &self.new.doc.info.version);
        if old != new {
            let header = self.new.model.api.version_header.as_deref();
            let http = match header {
                Some(h) => format!("clients choose the version per request with the `{h}` header"),
                None => "clients get the new version".to_owned(),
            };
            self.record(
                Found::new(Kind::ApiVersionChanged, "info.version", format!("API version `{old}` → `{new}`"))
                    .http(impact(NonBreaking, http))
                    .rust(impact(
                        NonBreaking,
                        format!(
                            "`API_VERSION` becomes `\"{new}\"`{}",
                            if header.is_some() { "; the crate sends it with every request" } else { "" }
                        ),
                    )),
            );
        }
        let (old_header, new_header) =
            (self.old.model.api.version_header.clone(), self.new.model.api.version_header.clone());
        let same_header = match (&old_header, &new_header) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        };
        if !same_header {
            let shown = |h: &Option<String>| h.as_ref().map_or("none".to_owned(), |h| format!("`{h}`"));
            let rust = match (&old_header, &new_header) {
                (Some(_), None) => format!(
                    "`API_VERSION_HEADER` becomes `None`: the crate stops sending its version (requests get the account's default version) and every operation with a version parameter gains a setter for it; set `version-header` in `[package.metadata.codegen]` if the API still takes {}",
                    shown(&old_header)
                ),
                (None, Some(h)) => format!(
                    "`API_VERSION_HEADER` becomes `Some(\"{h}\")`: the crate sends its version with every request, and operations lose the setter for that header"
                ),
                _ => format!(
                    "`API_VERSION_HEADER` changes from {} to {}: requests carry the version in another header",
                    shown(&old_header),
                    shown(&new_header)
                ),
            };
            self.record(
                Found::new(
                    Kind::VersionHeaderChanged,
                    "version header",
                    format!("the header that carries the API version: {} → {}", shown(&old_header), shown(&new_header)),
                )
                .http(impact(PotentiallyBreaking, "clients that pin the version must send it in the new header"))
                .rust(impact(Breaking, rust)),
            );
        }
        let url = |s: &Side<'_>| s.doc.servers.first().map(|s| s.url.clone()).unwrap_or_default();
        let (old_url, new_url) = (url(&self.old), url(&self.new));
        if old_url != new_url {
            self.record(
                Found::new(Kind::DefaultServerChanged, "servers", format!("default server `{old_url}` → `{new_url}`"))
                    .http(impact(PotentiallyBreaking, "clients that use the documented server may need the new URL"))
                    .rust(impact(NonBreaking, format!("`DEFAULT_BASE_URL` becomes `\"{new_url}\"`"))),
            );
        }
    }

    /// Makes `op` the operation that reaches what is recorded next (`new_side`: of the new spec).
    fn start(&mut self, order: usize, op: &Op<'_>, new_side: bool) {
        let model = if new_side { &self.new.model } else { &self.old.model };
        let rust = op.model.map(|m| model.call(m)).unwrap_or_else(|| "(no Rust method)".into());
        self.event = None;
        self.op = Some(Current {
            order,
            reach: Reach {
                operation_id: op.id(),
                method: op.method.clone(),
                path: op.path.clone(),
                rust,
                at: String::new(),
            },
        });
        self.visited.clear();
    }

    /// Operations added and removed, then each kept one compared.
    fn operations(&mut self) {
        let old_ops = ops(&self.old);
        let new_ops = ops(&self.new);
        let offset = new_ops.len();
        for n in &new_ops {
            if !old_ops.iter().any(|o| o.key() == n.key()) {
                self.start(n.order, n, true);
                let call = self.op.as_ref().map(|c| c.reach.rust.clone()).unwrap_or_default();
                self.record(
                    Found::new(Kind::OperationAdded, n.id(), format!("new operation `{} {}`", n.method, n.path))
                        .http(impact(NonBreaking, "a new endpoint"))
                        .rust(impact(NonBreaking, format!("new method `{call}`"))),
                );
            }
        }
        for o in &old_ops {
            if !new_ops.iter().any(|n| n.key() == o.key()) {
                self.start(offset + o.order, o, false);
                let call = self.op.as_ref().map(|c| c.reach.rust.clone()).unwrap_or_default();
                self.record(
                    Found::new(Kind::OperationRemoved, o.id(), format!("operation `{} {}` removed", o.method, o.path))
                        .http(impact(Breaking, "calls to it fail"))
                        .rust(impact(Breaking, format!("`{call}` and its request builder are removed"))),
                );
            }
        }
        for n in &new_ops {
            if let Some(o) = old_ops.iter().find(|o| o.key() == n.key()) {
                self.start(n.order, n, true);
                self.operation(o, n);
            }
        }
        self.op = None;
    }

    /// One operation in both versions: its names, then parameters, body and response.
    fn operation(&mut self, o: &Op<'a>, n: &Op<'a>) {
        let (old_id, new_id) = (o.id(), n.id());
        let old_call = o.model.map(|m| self.old.model.call(m)).unwrap_or_default();
        let new_call = n.model.map(|m| self.new.model.call(m)).unwrap_or_default();
        let rust_moved = || {
            if old_call == new_call {
                impact(NonBreaking, format!("`{new_call}` keeps its name"))
            } else {
                impact(Breaking, format!("`{old_call}` is now `{new_call}`"))
            }
        };
        if old_id != new_id {
            let rust = rust_moved();
            self.record(
                Found::new(Kind::OperationIdChanged, &new_id, format!("operationId `{old_id}` → `{new_id}`"))
                    .http(impact(NonBreaking, "no change on the wire"))
                    .rust(rust),
            );
        } else if old_call != new_call {
            let rust = rust_moved();
            let tag = |op: &Op<'_>| op.op.tags.first().cloned().unwrap_or_default();
            let summary = if tag(o) != tag(n) {
                format!("tag `{}` → `{}`", tag(o), tag(n))
            } else {
                "the operation's Rust name changed".to_owned()
            };
            self.record(
                Found::new(Kind::RustMethodChanged, &new_id, summary)
                    .http(impact(NonBreaking, "no change on the wire"))
                    .rust(rust),
            );
        }
        if !o.op.deprecated && n.op.deprecated {
            self.record(
                Found::new(Kind::OperationDeprecated, &new_id, "the operation is now deprecated")
                    .http(impact(NonBreaking, "it still works; plan to move off it"))
                    .rust(impact(NonBreaking, format!("`{new_call}` is documented as deprecated"))),
            );
        }
        self.parameters(o, n, &new_id, &new_call);
        self.body(o, n, &new_id, &new_call);
        self.response(o, n, &new_id, &new_call);
        self.security(o, n, &new_id, &new_call);
        self.error_responses(o, n, &new_id, &new_call);
        self.response_headers(o, n, &new_id);
    }

    /// The credentials the operation accepts. A change to the document's default requirements is
    /// reported once, at `security`, for every operation that uses them.
    fn security(&mut self, o: &Op<'a>, n: &Op<'a>, id: &str, call: &str) {
        let (old, new) = (credentials(self.old.doc, o.op), credentials(self.new.doc, n.op));
        if old == new {
            return;
        }
        let loc = if o.op.security.is_none() && n.op.security.is_none() {
            "security".to_owned()
        } else {
            format!("{id}.security")
        };
        let words = |alternatives: &[Vec<String>]| match alternatives.len() {
            0 => "none".to_owned(),
            _ => alternatives
                .iter()
                .map(|a| if a.is_empty() { "no credentials".to_owned() } else { a.join(" and ") })
                .collect::<Vec<_>>()
                .join(", or "),
        };
        let still_accepted = old.iter().all(|alternative| new.contains(alternative));
        let http = if still_accepted {
            impact(NonBreaking, "every credential accepted before still is")
        } else {
            impact(Breaking, "calls authenticated as before may be rejected")
        };
        // The regenerated client sends its one key the way `auth` says (the generator's choice).
        let auth = &self.new.model.api.auth;
        let who = if loc == "security" { "the client".to_owned() } else { format!("`{call}`") };
        let rust = if accepts(self.new.doc, n.op, auth) {
            impact(NonBreaking, format!("{who} sends {}, which is accepted", auth.describe()))
        } else {
            impact(
                Breaking,
                format!("{who} now needs credentials the crate's client does not send (it sends {})", auth.describe()),
            )
        };
        self.record(
            Found::new(Kind::SecurityChanged, &loc, format!("accepted credentials: {} → {}", words(&old), words(&new)))
                .dir(Request)
                .at("security")
                .detail(words(&new))
                .http(http)
                .rust(rust),
        );
    }

    /// Error statuses (anything but 2xx) the operation documents.
    fn error_responses(&mut self, o: &Op<'a>, n: &Op<'a>, id: &str, call: &str) {
        let errors = |op: &Op<'a>| -> Vec<String> {
            op.op.responses.keys().filter(|status| !status.starts_with('2')).cloned().collect()
        };
        let (old, new) = (errors(o), errors(n));
        for status in new.iter().filter(|s| !old.contains(s)) {
            self.record(
                Found::new(
                    Kind::ErrorResponseAdded,
                    format!("{id}.response.{status}"),
                    format!("documents a new error response `{status}`"),
                )
                .dir(Resp)
                .at(format!("response.{status}"))
                .http(impact(NonBreaking, format!("the operation may answer `{status}`; clients should handle it")))
                .rust(impact(
                    NonBreaking,
                    format!("arrives from `{call}` as `Error::Api` with its status, as any error does"),
                )),
            );
        }
        for status in old.iter().filter(|s| !new.contains(s)) {
            self.record(
                Found::new(
                    Kind::ErrorResponseRemoved,
                    format!("{id}.response.{status}"),
                    format!("no longer documents the error response `{status}`"),
                )
                .dir(Resp)
                .at(format!("response.{status}"))
                .http(impact(NonBreaking, "one documented failure less"))
                .rust(impact(NonBreaking, "no Rust item names statuses")),
            );
        }
    }

    /// Headers of the success response.
    fn response_headers(&mut self, o: &Op<'a>, n: &Op<'a>, id: &str) {
        // Names compare case-insensitively and are shown as the spec writes them.
        let headers = |doc: &'a Document, op: &Op<'a>| -> IndexMap<String, &'a String> {
            success(doc, op.op)
                .map(|(_, r)| r.headers.keys().map(|h| (h.to_ascii_lowercase(), h)).collect())
                .unwrap_or_default()
        };
        let (old, new) = (headers(self.old.doc, o), headers(self.new.doc, n));
        for name in new.iter().filter(|(h, _)| !old.contains_key(*h)).map(|(_, name)| name) {
            self.record(
                Found::new(
                    Kind::ResponseHeaderAdded,
                    format!("{id}.response.header.{name}"),
                    format!("the response documents a new header `{name}`"),
                )
                .dir(Resp)
                .at(format!("response.header.{name}"))
                .http(impact(NonBreaking, "an extra header"))
                .rust(impact(NonBreaking, "readable from `send_with_response().headers`")),
            );
        }
        for name in old.iter().filter(|(h, _)| !new.contains_key(*h)).map(|(_, name)| name) {
            self.record(
                Found::new(
                    Kind::ResponseHeaderRemoved,
                    format!("{id}.response.header.{name}"),
                    format!("the response no longer documents the header `{name}`"),
                )
                .dir(Resp)
                .at(format!("response.header.{name}"))
                .http(impact(PotentiallyBreaking, format!("clients that read `{name}` may not find it")))
                .rust(impact(
                    PotentiallyBreaking,
                    format!("code that reads `{name}` from `send_with_response().headers` may not find it"),
                )),
            );
        }
    }

    /// Parameters added, removed, required or not, and their schemas.
    fn parameters(&mut self, o: &Op<'a>, n: &Op<'a>, id: &str, call: &str) {
        let old = params(&self.old, o);
        let new = params(&self.new, n);
        let model_param = |op: &Op<'a>, p: &Parameter| {
            op.model.and_then(|m| m.params.iter().find(|mp| mp.location == p.location && mp.wire == p.name))
        };
        for (&(location, ref key), &np) in &new {
            let word = location_word(location);
            let loc = format!("{id}.{word}.{}", np.name);
            let at = format!("{word}.{}", np.name);
            let mp = model_param(n, np);
            let rust_ty = mp.map(|p| self.new.model.render(&p.ty)).unwrap_or_else(|| "String".into());
            let rust_name = mp.map(|p| p.name.clone()).unwrap_or_else(|| np.name.clone());
            let Some(&op) = old.get(&(location, key.clone())) else {
                let (http, rust) = if np.required {
                    (
                        impact(Breaking, format!("calls without `{}` are rejected", np.name)),
                        impact(Breaking, format!("`{call}` takes a new argument `{rust_name}: {rust_ty}`")),
                    )
                } else {
                    (
                        impact(NonBreaking, "an optional parameter"),
                        impact(NonBreaking, format!("new setter `.{rust_name}({rust_ty})` on the request of `{call}`")),
                    )
                };
                let what = if np.required { "required" } else { "optional" };
                self.record(
                    Found::new(Kind::ParameterAdded, &loc, format!("new {what} {word} parameter `{}`", np.name))
                        .dir(Request)
                        .at(&at)
                        .http(http)
                        .rust(rust),
                );
                continue;
            };
            let omp = model_param(o, op);
            if op.required != np.required {
                let (kind, summary, http, rust) = if np.required {
                    (
                        Kind::ParameterBecameRequired,
                        format!("{word} parameter `{}` became required", np.name),
                        impact(Breaking, format!("calls without `{}` are rejected", np.name)),
                        impact(Breaking, format!("`{rust_name}` moves from a setter to an argument of `{call}`")),
                    )
                } else {
                    (
                        Kind::ParameterBecameOptional,
                        format!("{word} parameter `{}` became optional", np.name),
                        impact(NonBreaking, "calls may leave it out"),
                        impact(Breaking, format!("`{rust_name}` moves from an argument of `{call}` to a setter")),
                    )
                };
                self.record(Found::new(kind, &loc, summary).dir(Request).at(&at).http(http).rust(rust));
            }
            let (old_form, new_form) = (wire_form(op), wire_form(np));
            // `explode` only changes how lists and objects are written.
            let same_style = op.style.as_deref().unwrap_or_default() == np.style.as_deref().unwrap_or_default();
            let scalar = |p: &Parameter| p.schema.as_ref().is_some_and(is_scalar);
            if old_form != new_form && !(same_style && scalar(op) && scalar(np)) {
                self.record(
                    Found::new(
                        Kind::ParameterStyleChanged,
                        &loc,
                        format!("{word} parameter `{}` is written {new_form} (was {old_form})", np.name),
                    )
                    .dir(Request)
                    .at(&at)
                    .http(impact(
                        PotentiallyBreaking,
                        "clients that write lists or objects in the old form may be misread",
                    ))
                    .rust(impact(NonBreaking, format!("`{call}` writes the new form; the Rust API does not change"))),
                );
            }
            let role = if np.required { "argument" } else { "setter" };
            let cx = Cx {
                dir: Request,
                loc: loc.clone(),
                at,
                old: omp.map(|p| p.ty.clone()),
                new: mp.map(|p| p.ty.clone()),
                label: format!("the {role} `{rust_name}` of `{call}`"),
                old_use: omp.map(|p| self.old.model.render(&p.ty)),
                new_use: mp.map(|p| self.new.model.render(&p.ty)),
            };
            let os = op.schema.as_ref().unwrap_or(any_schema());
            let ns = np.schema.as_ref().unwrap_or(any_schema());
            self.node(os, ns, cx);
        }
        for (&(location, ref key), &op) in &old {
            if new.contains_key(&(location, key.clone())) {
                continue;
            }
            let word = location_word(location);
            let rust_name = model_param(o, op).map(|p| p.name.clone()).unwrap_or_else(|| op.name.clone());
            let role = if op.required { "argument" } else { "setter" };
            self.record(
                Found::new(
                    Kind::ParameterRemoved,
                    format!("{id}.{word}.{}", op.name),
                    format!("{word} parameter `{}` removed", op.name),
                )
                .dir(Request)
                .at(format!("{word}.{}", op.name))
                .http(impact(
                    PotentiallyBreaking,
                    format!("calls that send `{}` may be rejected, or it is ignored", op.name),
                ))
                .rust(impact(Breaking, format!("the {role} `{rust_name}` of `{call}` is removed"))),
            );
        }
    }

    /// The request body: there or not, required or not, its media type and schema.
    fn body(&mut self, o: &Op<'a>, n: &Op<'a>, id: &str, call: &str) {
        let old = request_body(self.old.doc, o.op);
        let new = request_body(self.new.doc, n.op);
        let loc = format!("{id}.request");
        let old_model = o.model.and_then(|m| m.body.as_ref());
        let new_model = n.model.and_then(|m| m.body.as_ref());
        let rust_ty = |model: &Model<'_>, b: Option<&generator::model::Body>| b.map(|b| model.render(&b.ty));
        match (old, new) {
            (None, None) => {}
            (None, Some(b)) => {
                let ty = rust_ty(&self.new.model, new_model).unwrap_or_default();
                let (http, rust) = if b.required {
                    (
                        impact(Breaking, "calls without a body are rejected"),
                        impact(Breaking, format!("`{call}` takes a new argument `body: {ty}`")),
                    )
                } else {
                    (
                        impact(NonBreaking, "the body is optional"),
                        impact(NonBreaking, format!("new setter `.body({ty})`")),
                    )
                };
                let what = if b.required { "required" } else { "optional" };
                self.record(
                    Found::new(Kind::RequestBodyAdded, &loc, format!("new {what} request body"))
                        .dir(Request)
                        .at("request")
                        .http(http)
                        .rust(rust),
                );
            }
            (Some(_), None) => self.record(
                Found::new(Kind::RequestBodyRemoved, &loc, "the request body is gone")
                    .dir(Request)
                    .at("request")
                    .http(impact(PotentiallyBreaking, "a body sent anyway may be rejected, or it is ignored"))
                    .rust(impact(Breaking, format!("`{call}` no longer takes a body"))),
            ),
            (Some(ob), Some(nb)) => {
                if ob.required != nb.required {
                    let (kind, summary, http, rust) = if nb.required {
                        (
                            Kind::RequestBodyBecameRequired,
                            "the request body became required",
                            impact(Breaking, "calls without a body are rejected"),
                            impact(Breaking, format!("`body` moves from a setter to an argument of `{call}`")),
                        )
                    } else {
                        (
                            Kind::RequestBodyBecameOptional,
                            "the request body became optional",
                            impact(NonBreaking, "calls may leave it out"),
                            impact(Breaking, format!("`body` moves from an argument of `{call}` to a setter")),
                        )
                    };
                    self.record(Found::new(kind, &loc, summary).dir(Request).at("request").http(http).rust(rust));
                }
                let (om, nm) = (pick(&ob.content), pick(&nb.content));
                let cx = Cx {
                    dir: Request,
                    loc: loc.clone(),
                    at: "request".into(),
                    old: old_model.map(|b| b.ty.clone()),
                    new: new_model.map(|b| b.ty.clone()),
                    label: format!("the `body` of `{call}`"),
                    old_use: rust_ty(&self.old.model, old_model),
                    new_use: rust_ty(&self.new.model, new_model),
                };
                if let (Some((omedia, _)), Some((nmedia, _))) = (om, nm) {
                    if is_json(omedia) != is_json(nmedia) {
                        let rust = self.use_change(&cx);
                        self.record(
                            Found::new(Kind::TypeChanged, &loc, format!("request media type `{omedia}` → `{nmedia}`"))
                                .dir(Request)
                                .at("request")
                                .detail("media")
                                .http(impact(Breaking, "requests in the old format are rejected"))
                                .rust(rust),
                        );
                        return;
                    }
                }
                let os = om.and_then(|(_, m)| m.schema.as_ref()).unwrap_or(any_schema());
                let ns = nm.and_then(|(_, m)| m.schema.as_ref()).unwrap_or(any_schema());
                self.node(os, ns, cx);
            }
        }
    }

    /// The success response: its status and its JSON body.
    fn response(&mut self, o: &Op<'a>, n: &Op<'a>, id: &str, call: &str) {
        let old = success(self.old.doc, o.op);
        let new = success(self.new.doc, n.op);
        let loc = format!("{id}.response");
        if let (Some((os, _)), Some((ns, _))) = (old, new) {
            if os != ns {
                self.record(
                    Found::new(Kind::SuccessStatusChanged, &loc, format!("success status `{os}` → `{ns}`"))
                        .dir(Resp)
                        .at("response")
                        .http(impact(PotentiallyBreaking, format!("clients that check for `{os}` must accept `{ns}`")))
                        .rust(impact(NonBreaking, "the crate accepts any 2xx status")),
                );
            }
        }
        let json = |r: Option<(&'a String, &'a Response)>| {
            r.and_then(|(_, r)| pick(&r.content)).filter(|(m, _)| is_json(m)).map(|(_, m)| m)
        };
        let (om, nm) = (json(old), json(new));
        let result = |model: &Model<'_>, op: &Op<'_>| {
            op.model.map(|m| {
                if m.response.ty == TypeRef::Unit && m.response.media.is_some() {
                    "bytes::Bytes".to_owned()
                } else {
                    model.render(&m.response.ty)
                }
            })
        };
        let cx = Cx {
            dir: Resp,
            loc: loc.clone(),
            at: "response".into(),
            old: o.model.map(|m| m.response.ty.clone()),
            new: n.model.map(|m| m.response.ty.clone()),
            label: format!("the result of `{call}`"),
            old_use: result(&self.old.model, o),
            new_use: result(&self.new.model, n),
        };
        match (om, nm) {
            (None, None) => {}
            (Some(_), None) | (None, Some(_)) => {
                let gone = nm.is_none();
                let rust = self.use_change(&cx);
                self.record(
                    Found::new(
                        Kind::TypeChanged,
                        &loc,
                        if gone {
                            "the response no longer has a JSON body"
                        } else {
                            "the response now has a JSON body"
                        },
                    )
                    .dir(Resp)
                    .at("response")
                    .detail("body")
                    .http(if gone {
                        impact(Breaking, "clients that read the body find none")
                    } else {
                        impact(NonBreaking, "clients that ignored the body are unaffected")
                    })
                    .rust(rust),
                );
            }
            (Some(om), Some(nm)) => {
                let os = om.schema.as_ref().unwrap_or(any_schema());
                let ns = nm.schema.as_ref().unwrap_or(any_schema());
                self.node(os, ns, cx);
            }
        }
    }

    /// The error codes the crate's `ErrorCode` is generated from, with the operations that document each.
    fn error_codes(&mut self) {
        let old = self.old.model.error_codes();
        let new = self.new.model.error_codes();
        let old_fallback = Model::fallback(old.iter().map(|(_, n, _)| n.as_str()));
        let new_ops = ops(&self.new);
        let old_ops = ops(&self.old);
        let offset = new_ops.len();
        for (code, name, reached) in &new {
            if old.iter().any(|(c, _, _)| c == code) {
                continue;
            }
            for i in reached {
                let Some(op) = new_ops
                    .iter()
                    .find(|o| o.model.is_some_and(|m| std::ptr::eq(m, &self.new.model.api.operations[*i])))
                else {
                    continue;
                };
                self.start(op.order, op, true);
                self.record(
                    Found::new(Kind::ErrorCodeAdded, "ErrorCode", format!("new error code `{code}`"))
                        .at("errors")
                        .detail(code)
                        .http(impact(NonBreaking, "a new documented error code"))
                        .rust(impact(
                            NonBreaking,
                            format!(
                                "`ErrorCode` gains `{name}` (`#[non_exhaustive]`; crates built for the old version \
                             read it as `ErrorCode::{old_fallback}(\"{code}\")`)"
                            ),
                        )),
                );
            }
        }
        for (code, name, reached) in &old {
            if new.iter().any(|(c, _, _)| c == code) {
                continue;
            }
            for i in reached {
                let Some(op) = old_ops
                    .iter()
                    .find(|o| o.model.is_some_and(|m| std::ptr::eq(m, &self.old.model.api.operations[*i])))
                else {
                    continue;
                };
                // Reach it through the new version of the operation when there is one.
                match new_ops.iter().find(|n| n.key() == op.key()) {
                    Some(n) => self.start(n.order, n, true),
                    None => self.start(offset + op.order, op, false),
                }
                self.record(
                    Found::new(
                        Kind::ErrorCodeRemoved,
                        "ErrorCode",
                        format!("error code `{code}` is no longer documented"),
                    )
                    .at("errors")
                    .detail(code)
                    .http(impact(NonBreaking, "clients that handle it are unaffected"))
                    .rust(impact(Breaking, format!("`ErrorCode::{name}` is removed"))),
                );
            }
        }
        self.op = None;
    }
}
