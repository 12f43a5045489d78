//! `diff OLD NEW`: what changed between two versions of the API description, and what it breaks.
//!
//! This is a semantic diff, not a text diff. Both specs go through the generator's `load` and
//! `normalize` stages (so the 3.0 and 3.1 spellings of the same thing compare equal) and its
//! `model` stage (so every change can be said in terms of the generated Rust API). Operations
//! are matched by method and path (parameter names in the path do not matter), parameters by
//! location and name, properties by name, enum values by value, union members by their tag
//! (`partType: "user_msg"`) or, in untagged unions, by the component they name.
//!
//! `$ref`s are followed, with a guard against cycles. A change inside a shared schema is found
//! once per operation that reaches it and reported once, at the schema (`Conversation.state`),
//! with the list of operations it reaches and where (`response.data[].state`).
//!
//! # Two audiences
//!
//! Every change gets a [`Severity`] for each of:
//!
//! - **HTTP clients**: an existing client of the API (any language) that starts sending the new
//!   API version without changing its code;
//! - **Rust**: code that uses the `featurebase` crate, when the crate is regenerated from the new
//!   spec (does it still compile, does it still mean the same).
//!
//! The principle for HTTP: the client writes requests and reads responses. In a request, a
//! schema that accepts *less* than before (a value removed from an enum, a field that became
//! required, a tighter limit) rejects calls that used to work; in a response, a schema that
//! allows *more* than before (a new enum value, a field that may now be `null` or absent) hands
//! the client data it may not handle. The opposite moves are safe.
//!
//! The principle for Rust: a change is breaking when a Rust item that code can name disappears
//! or changes its type or signature (a field, variant, method, argument or type name); additions
//! are not, because the generated enums and unions are `#[non_exhaustive]` with a fallback
//! variant (`Unknown`) that also lets crates built for the old version decode the new data.
//!
//! | change | HTTP, request | HTTP, response | Rust |
//! |---|---|---|---|
//! | operation added | non-breaking | non-breaking | non-breaking (new method) |
//! | operation removed | breaking | breaking | breaking (method removed) |
//! | operationId changed, deprecated | non-breaking | | breaking if the method's name or group changes |
//! | parameter added | breaking if required | | breaking if required (new argument), else a new setter |
//! | parameter removed | potentially breaking | | breaking (argument or setter removed) |
//! | parameter became required / optional | breaking / non-breaking | | breaking (argument <-> setter) |
//! | request body added, removed, required | like a parameter | | like a parameter (`body` argument or setter) |
//! | success status changed | | potentially breaking | non-breaking (any 2xx decodes) |
//! | property added, required | breaking | non-breaking | breaking in requests when callers must now supply it (`new` gains an argument), potentially breaking in responses (only code that builds the struct) |
//! | property added, optional | non-breaking | non-breaking | non-breaking (a new `Option` field; old crates keep it in `extra`) |
//! | property removed | potentially breaking (breaking if extra properties are forbidden) | breaking if it was required, else potentially breaking | breaking (field removed) |
//! | property became required | breaking | non-breaking | breaking when its Rust type changes (`Option<T>` -> `T`) |
//! | property became optional | non-breaking | breaking | breaking when its Rust type changes (`T` -> `Option<T>`) |
//! | became nullable | non-breaking | breaking | breaking when the Rust type changes (`T` -> `Option<T>`, `Option<T>` -> `Nullable<T>`) |
//! | became non-nullable | breaking | non-breaking | breaking when the Rust type changes |
//! | type changed: accepts more (integer -> number, enum -> string) | non-breaking | breaking | breaking when the Rust type changes |
//! | type changed: accepts less | breaking | non-breaking | breaking when the Rust type changes |
//! | type changed: otherwise | breaking | breaking | breaking when the Rust type changes |
//! | enum value added | non-breaking | potentially breaking | non-breaking (new variant; old crates decode it as `Unknown`) |
//! | enum value removed | breaking | non-breaking | breaking (variant removed) |
//! | union member added | non-breaking | potentially breaking | non-breaking (new variant; old crates keep it as `Unknown` JSON) |
//! | union member removed | breaking | non-breaking | breaking (variant removed) |
//! | limit tightened (`maxLength` down, `minimum` up, `pattern` added...) | breaking | non-breaking | breaking only when the Rust integer type changes |
//! | limit loosened | non-breaking | potentially breaking | as above |
//! | `format` or `pattern` changed | potentially breaking | potentially breaking | as above |
//! | became a secret or stopped being one (`x-sensitive`; `format: password` is a format change) | non-breaking | non-breaking | breaking (`String` <-> `Secret`) |
//! | default changed | potentially breaking (omitting it now means something else) | non-breaking | non-breaking |
//! | extra properties forbidden / allowed | potentially breaking / non-breaking | non-breaking | breaking when the struct's `extra` field goes away |
//! | Rust type renamed (same schema, new Rust name) | non-breaking | non-breaking | breaking |
//! | error code added / removed | non-breaking | non-breaking | non-breaking / breaking (`ErrorCode` variant) |
//! | API version, default server | non-breaking / potentially breaking | | non-breaking (`API_VERSION`, `DEFAULT_BASE_URL`) |
//! | version header renamed, added or gone | potentially breaking | | breaking (`API_VERSION_HEADER`, and a setter per operation appears or goes) |
//! | parameter style or explode changed (how lists and objects are written) | potentially breaking | | non-breaking (the regenerated crate writes the new form) |
//! | security changed: every credential accepted before still is / not | non-breaking / breaking | | non-breaking, or breaking when the regenerated client's way of sending its key (`AUTH`) is no longer accepted |
//! | error status added / removed | | non-breaking (a documented failure more or less) | non-breaking (`Error::Api` carries any status) |
//! | response header added / removed | | non-breaking / potentially breaking | non-breaking / potentially breaking (headers are read by name from `send_with_response`) |
//! | webhook added | | non-breaking (receivers get requests of a new kind) | non-breaking (a new `webhooks::Event` variant: `Event` is `#[non_exhaustive]`, so matches on it already have a wildcard arm, and crates built for the old version receive it as `Event::Unknown`) |
//! | webhook removed | | potentially breaking (receivers no longer get it) | breaking (its `Event` variant is removed) |
//! | webhook payload changed | | like a response (the receiver reads it) | like a response |
//! | webhook's Rust variant renamed | | non-breaking | breaking |
//! | signature scheme described / no longer described | | non-breaking / potentially breaking | non-breaking / breaking (`webhooks::Receiver`, `SCHEME` and `TOLERANCE` appear or go) |
//! | signature scheme changed (another scheme, other headers) | | breaking (receivers verify the old way) | breaking for another scheme (the secret is read another way), potentially breaking for other headers (code that picks the headers by name) |
//! | signature tolerance changed | | non-breaking | non-breaking (`TOLERANCE`) |
//!
//! A schema reached from both requests and responses is reported once for each direction, since
//! the two are classified differently.
//!
//! # Webhooks
//!
//! Webhooks (OpenAPI 3.1 `webhooks`, including those an overlay adds) are matched by name. The
//! receiver reads a webhook's payload as a client reads a response, so payloads are compared as
//! responses by the same walk: a change inside a component a payload refers to is reported once,
//! at the component, with the operations and the webhook events ([`Change::events`]) that reach
//! it. The signature scheme is the one the crate is generated with (the spec's
//! `x-webhook-signature`, or the crate's settings).
//!
//! # Overlays
//!
//! The crate is generated from its spec with the overlays `[package.metadata.codegen]` names
//! (see `generator::load::overlay`). [`crate_diff`] compares the effective documents (both files
//! with the crate's overlays) when one of the two is the crate's spec, and [`crate_overlay_diff`]
//! shows what the overlays change in a spec: the semantic changes (descriptions are not
//! compared; a secret is) and the nodes each action selected.
//!
//! # Output
//!
//! [`Report::to_markdown`] for a pull-request description, [`Report::to_json`] for tools.

mod compare;
mod report;
mod rust;
mod schema;
mod shape;
pub mod stale;
mod webhooks;

use crate::Error;
use generator::load::overlay::Applied;
use generator::load::{Document, Overlay};
use generator::model::{Api, Settings};
use serde::Serialize;
use std::path::Path;

/// A diff's result: its [`Error`] is typed (a file it cannot read, a spec that does not load).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How much a change matters to one audience, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Nothing that worked stops working.
    NonBreaking,
    /// Breaks some clients, depending on how they use the API or the crate.
    PotentiallyBreaking,
    /// Breaks clients that use what changed.
    Breaking,
}

impl Severity {
    /// The words used in reports: `breaking`, `potentially breaking`, `non-breaking`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::NonBreaking => "non-breaking",
            Severity::PotentiallyBreaking => "potentially breaking",
            Severity::Breaking => "breaking",
        }
    }
}

/// Whether a schema is read from requests (the client writes it) or responses (the client reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Parameters and request bodies.
    Request,
    /// Response bodies.
    Response,
}

/// What kind of change: one per line of the classification table in the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `info.version` changed.
    ApiVersionChanged,
    /// The first server (the crate's default base URL) changed.
    DefaultServerChanged,
    /// The header that carries the API version changed, appeared or disappeared.
    VersionHeaderChanged,
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// The operation's `operationId` changed.
    OperationIdChanged,
    /// The Rust method of the operation has a new name or group (same `operationId`).
    RustMethodChanged,
    /// The operation is now deprecated.
    OperationDeprecated,
    /// A new parameter.
    ParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// An optional parameter became required.
    ParameterBecameRequired,
    /// A required parameter became optional.
    ParameterBecameOptional,
    /// The operation now takes a request body.
    RequestBodyAdded,
    /// The operation no longer takes a request body.
    RequestBodyRemoved,
    /// The request body must now be sent.
    RequestBodyBecameRequired,
    /// The request body may now be left out.
    RequestBodyBecameOptional,
    /// The success status code changed.
    SuccessStatusChanged,
    /// A new property of an object.
    PropertyAdded,
    /// A property is gone.
    PropertyRemoved,
    /// An optional property became required.
    PropertyBecameRequired,
    /// A required property became optional.
    PropertyBecameOptional,
    /// The value may now be `null`.
    BecameNullable,
    /// The value may no longer be `null`.
    BecameNonNullable,
    /// The value's type changed (`string` -> `integer`, object -> array, constant changed...).
    TypeChanged,
    /// `format` changed, or whether the value is a secret (`x-sensitive`; a secret string is a
    /// `Secret` in Rust).
    FormatChanged,
    /// Limits changed (`maxLength`, `minimum`, `pattern`, `maxItems`...).
    ConstraintChanged,
    /// `default` changed.
    DefaultChanged,
    /// A new enum value.
    EnumValueAdded,
    /// An enum value is gone.
    EnumValueRemoved,
    /// A new member of a union (`oneOf`/`anyOf`).
    UnionMemberAdded,
    /// A union member is gone.
    UnionMemberRemoved,
    /// Unknown properties became allowed, forbidden or typed.
    AdditionalPropertiesChanged,
    /// The same schema has another Rust type name.
    RustTypeRenamed,
    /// An error code the API documents is new.
    ErrorCodeAdded,
    /// An error code the API documented is gone.
    ErrorCodeRemoved,
    /// A parameter's values are written in another form (`style`, `explode`).
    ParameterStyleChanged,
    /// The credentials an operation accepts changed (its security requirements or the schemes
    /// they name).
    SecurityChanged,
    /// An operation documents a new error status.
    ErrorResponseAdded,
    /// An error status an operation documented is gone.
    ErrorResponseRemoved,
    /// The success response documents a new header.
    ResponseHeaderAdded,
    /// A header the success response documented is gone.
    ResponseHeaderRemoved,
    /// A new webhook (a new variant of `webhooks::Event`).
    WebhookAdded,
    /// A webhook is gone.
    WebhookRemoved,
    /// The same webhook has another Rust variant name.
    WebhookRenamed,
    /// How the API signs its webhooks changed, or became described or undescribed.
    WebhookSignatureChanged,
}

/// What a change means to one audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// How much it matters.
    pub severity: Severity,
    /// Why, in Markdown (for Rust, naming the items that change).
    pub note: String,
}

/// Where an operation meets a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The Rust call (`client.conversations().list()`).
    pub rust: String,
    /// Where in the operation, e.g. `response.data[].state` or `query.limit`; empty for the
    /// operation itself.
    pub at: String,
}

/// Where a webhook event meets a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventReach {
    /// The webhook's name (`post.created`).
    pub webhook: String,
    /// Its Rust variant (`webhooks::Event::PostCreated`), empty when the crate has none.
    pub rust: String,
    /// Where in the event, e.g. `payload.data.item.title`; empty for the webhook itself.
    pub at: String,
}

/// One change, with the operations and webhook events it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: Kind,
    /// Where the schema is read, when the change is in a schema or parameter.
    pub direction: Option<Direction>,
    /// The schema or operation that changed: `Conversation.state`, `createPost.request.title`,
    /// `listWebhooks.query.limit`, `deleteWebhook`.
    pub location: String,
    /// What changed on the wire, in Markdown.
    pub summary: String,
    /// What it means to HTTP clients.
    pub http: Impact,
    /// What it means to users of the generated Rust crate.
    pub rust: Impact,
    /// The operations that reach the change, in document order.
    pub operations: Vec<Reach>,
    /// The webhook events that reach the change, in document order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventReach>,
}

impl Change {
    /// The higher of the two severities.
    pub fn severity(&self) -> Severity {
        self.http.severity.max(self.rust.severity)
    }

    /// Whether the change concerns webhooks only: a webhook added, removed or renamed, the
    /// signature scheme, or a payload change that no operation reaches.
    pub fn is_webhook(&self) -> bool {
        matches!(
            self.kind,
            Kind::WebhookAdded | Kind::WebhookRemoved | Kind::WebhookRenamed | Kind::WebhookSignatureChanged
        ) || (self.operations.is_empty() && !self.events.is_empty())
    }
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecSummary {
    /// The file, as given.
    pub file: String,
    /// `info.version`.
    pub version: String,
    /// Number of operations.
    pub operations: usize,
    /// Number of component schemas.
    pub schemas: usize,
}

/// Changes counted by severity, for one audience.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: usize,
    /// Potentially breaking changes.
    pub potentially_breaking: usize,
    /// Non-breaking changes.
    pub non_breaking: usize,
}

impl Counts {
    fn of(changes: &[Change], pick: impl Fn(&Change) -> Severity) -> Counts {
        let mut c = Counts::default();
        for ch in changes {
            match pick(ch) {
                Severity::Breaking => c.breaking += 1,
                Severity::PotentiallyBreaking => c.potentially_breaking += 1,
                Severity::NonBreaking => c.non_breaking += 1,
            }
        }
        c
    }
}

/// The counts for both audiences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// For HTTP clients.
    pub http: Counts,
    /// For users of the Rust crate.
    pub rust: Counts,
}

/// The result of comparing two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The old spec.
    pub old: SpecSummary,
    /// The new spec.
    pub new: SpecSummary,
    /// The counts by audience and severity.
    pub summary: Summary,
    /// The changes, most severe first.
    pub changes: Vec<Change>,
    /// The overlay actions that select nothing in the new spec (when overlays are applied),
    /// each with what became of what it selected in the old one ([`stale`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale_overlay_actions: Vec<stale::StaleAction>,
}

/// Which audience `--fail-on-breaking` looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// HTTP clients.
    Http,
    /// Users of the Rust crate.
    Rust,
    /// Either.
    Any,
}

impl Report {
    /// The changes that are breaking for `audience`.
    pub fn breaking(&self, audience: Audience) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| match audience {
            Audience::Http => c.http.severity == Severity::Breaking,
            Audience::Rust => c.rust.severity == Severity::Breaking,
            Audience::Any => c.severity() == Severity::Breaking,
        })
    }

    /// The report as Markdown, for a pull-request description.
    pub fn to_markdown(&self) -> String {
        report::markdown(self)
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
    }
}

/// A spec read and understood: the normalised document and the generator's model of it.
#[derive(Debug)]
pub struct Spec {
    /// How the spec is named in the report (the path as given).
    pub label: String,
    /// The normalised document.
    pub doc: Document,
    /// The model the generator builds from it.
    pub api: Api,
}

impl Spec {
    /// Reads, normalises and models a spec file (JSON or YAML, by extension).
    pub fn load(path: &Path) -> Result<Spec> {
        Spec::load_with(path, &Settings::default())
    }

    /// [`Spec::load`] with the generator settings the crate is generated with.
    pub fn load_with(path: &Path, settings: &Settings) -> Result<Spec> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(&label, e))?;
        Spec::parse_with(&label, &text, generator::load::Format::from_path(path), settings)
    }

    /// [`Spec::load`] for text in hand; `label` names it in messages and the report.
    pub fn parse(label: &str, text: &str, format: generator::load::Format) -> Result<Spec> {
        Spec::parse_with(label, text, format, &Settings::default())
    }

    /// [`Spec::parse`] with the generator settings the crate is generated with.
    pub fn parse_with(label: &str, text: &str, format: generator::load::Format, settings: &Settings) -> Result<Spec> {
        Spec::parse_overlaid(label, text, format, &[], settings)
    }

    /// [`Spec::load_with`] of the effective document: the file with `overlays` applied, as the
    /// generator reads it. The label names the overlays too.
    pub fn load_overlaid(path: &Path, overlays: &[Overlay], settings: &Settings) -> Result<Spec> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(&label, e))?;
        let label = match overlays {
            [] => label,
            _ => {
                let files: Vec<&str> = overlays.iter().map(|o| o.file.as_str()).collect();
                format!("{label} + {}", files.join(" + "))
            }
        };
        Spec::parse_overlaid(&label, &text, generator::load::Format::from_path(path), overlays, settings)
    }

    /// [`Spec::parse_with`], with `overlays` applied to the text's document first.
    pub fn parse_overlaid(
        label: &str,
        text: &str,
        format: generator::load::Format,
        overlays: &[Overlay],
        settings: &Settings,
    ) -> Result<Spec> {
        let mut doc = generator::load::load_str_with(text, format, overlays).map_err(|e| Error::spec(label, e))?;
        generator::normalize::normalize(&mut doc).map_err(|e| Error::spec(label, e))?;
        let api = generator::model::build_with(&doc, settings).map_err(|e| Error::spec(label, e))?;
        Ok(Spec { label: label.to_owned(), doc, api })
    }
}

/// Compares two specs.
pub fn diff(old: &Spec, new: &Spec) -> Report {
    let mut changes = compare::changes(old, new);
    changes.sort_by(|a, b| {
        b.severity()
            .cmp(&a.severity())
            .then_with(|| b.http.severity.cmp(&a.http.severity))
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.summary.cmp(&b.summary))
    });
    let summary =
        Summary { http: Counts::of(&changes, |c| c.http.severity), rust: Counts::of(&changes, |c| c.rust.severity) };
    let side = |s: &Spec| SpecSummary {
        file: s.label.clone(),
        version: s.doc.info.version.clone(),
        operations: s.api.operations.len(),
        schemas: s.doc.components.schemas.len(),
    };
    Report { old: side(old), new: side(new), summary, changes, stale_overlay_actions: Vec::new() }
}

/// Reads two spec files and compares them, both modelled with `settings`.
pub fn diff_paths(old: &Path, new: &Path, settings: &Settings) -> Result<Report> {
    diff_paths_with(old, new, &[], settings)
}

/// [`diff_paths`] of the effective documents: both files with `overlays` applied. An action
/// whose target selects nothing is skipped, on either side; those of the new spec are listed in
/// [`Report::stale_overlay_actions`], each with what became of what it selected in the old one.
pub fn diff_paths_with(old: &Path, new: &Path, overlays: &[Overlay], settings: &Settings) -> Result<Report> {
    let old = Effective::load(old, overlays, settings)?;
    let new = Effective::load(new, overlays, settings)?;
    Ok(diff_effective(&old, &new))
}

/// [`diff`] of two effective documents, with the new one's stale overlay actions classified.
pub fn diff_effective(old: &Effective, new: &Effective) -> Report {
    let mut report = diff(&old.spec, &new.spec);
    report.stale_overlay_actions = new.stale_actions(old, &report);
    report
}

/// A spec file with overlays applied leniently (see `Overlay::apply_lenient`): the document as
/// the generator reads it without the actions that select nothing, the same as JSON, and what
/// each action selected.
#[derive(Debug)]
pub struct Effective {
    /// The spec, read and modelled.
    pub spec: Spec,
    /// The effective document as JSON (what the actions' nodes point into).
    pub json: serde_json::Value,
    /// The actions that selected something, with their nodes.
    pub applied: Vec<Applied>,
    /// The actions that selected nothing.
    pub stale: Vec<generator::load::overlay::Stale>,
    /// The overlays without the stale actions: what the generator can apply strictly.
    pub overlays: Vec<Overlay>,
}

impl Effective {
    /// Reads a spec file and applies `overlays` to it leniently.
    pub fn load(path: &Path, overlays: &[Overlay], settings: &Settings) -> Result<Effective> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(&label, e))?;
        Effective::parse(&label, &text, generator::load::Format::from_path(path), overlays, settings)
    }

    /// [`Effective::load`] of text in hand; `label` names the file.
    pub fn parse(
        label: &str,
        text: &str,
        format: generator::load::Format,
        overlays: &[Overlay],
        settings: &Settings,
    ) -> Result<Effective> {
        let mut raw = generator::load::parse_raw(text, format).map_err(|e| Error::spec(label, e))?;
        let (applied, stale) =
            generator::load::overlay::apply_lenient(&mut raw, overlays).map_err(|e| Error::spec(label, e))?;
        let json = serde_json::to_value(&raw).map_err(|e| {
            Error::spec(label, generator::Error::Invalid { pointer: "#".into(), message: e.to_string() })
        })?;
        let overlays: Vec<Overlay> = overlays
            .iter()
            .map(|o| {
                let gone: Vec<usize> = stale.iter().filter(|s| s.file == o.file).map(|s| s.index).collect();
                o.without(&gone)
            })
            .collect();
        let label = match overlays.as_slice() {
            [] => label.to_owned(),
            _ => {
                let files: Vec<&str> = overlays.iter().map(|o| o.file.as_str()).collect();
                format!("{label} + {}", files.join(" + "))
            }
        };
        let spec = Spec::parse_overlaid(&label, text, format, &overlays, settings)?;
        Ok(Effective { spec, json, applied, stale, overlays })
    }

    /// This side's stale actions, classified against the `old` side (see [`stale`]).
    pub fn stale_actions(&self, old: &Effective, report: &Report) -> Vec<stale::StaleAction> {
        let old_side = stale::Side { doc: &old.json, applied: &old.applied };
        let new_side = stale::Side { doc: &self.json, applied: &self.applied };
        stale::classify(&self.stale, &old_side, &new_side, report)
    }
}

/// What overlays change in a spec: the spec compared with itself plus the overlays (a change of
/// a description is not a semantic change; a `format: password` or `x-sensitive` is), and the
/// nodes each action selected.
pub fn overlay_diff(spec: &Path, overlays: &[Overlay], settings: &Settings) -> Result<(Report, Vec<Applied>)> {
    overlay_diff_labelled(&spec.display().to_string(), spec, overlays, settings)
}

/// [`overlay_diff`], the spec named `label` in the report.
fn overlay_diff_labelled(
    label: &str,
    spec: &Path,
    overlays: &[Overlay],
    settings: &Settings,
) -> Result<(Report, Vec<Applied>)> {
    let text = std::fs::read_to_string(spec).map_err(|e| Error::read(label, e))?;
    let format = generator::load::Format::from_path(spec);
    let old = Spec::parse_with(label, &text, format, settings)?;
    let new = Effective::parse(label, &text, format, overlays, settings)?;
    // An action that selects nothing is listed with no nodes, in its place.
    let mut applied = new.applied;
    applied.extend(new.stale.iter().map(|s| Applied {
        file: s.file.clone(),
        index: s.index,
        target: s.action.target.clone(),
        removed: s.action.remove,
        nodes: Vec::new(),
    }));
    let file_order = |file: &str| overlays.iter().position(|o| o.file == file);
    applied.sort_by_key(|a| (file_order(&a.file), a.index));
    Ok((diff(&old, &new.spec), applied))
}

/// The actions of [`overlay_diff`] as Markdown: one row per action, with the nodes it selected
/// (an action that selects nothing says so).
pub fn applied_markdown(applied: &[Applied]) -> String {
    let mut out =
        String::from("## Overlay actions\n\n| overlay | action | target | does | nodes |\n|---|---:|---|---|---|\n");
    for a in applied {
        let mut nodes: Vec<String> = a.nodes.iter().map(|n| format!("`{}`", n.replace('|', "\\|"))).collect();
        if nodes.is_empty() {
            nodes.push("**matches nothing**".to_owned());
        }
        out.push_str(&format!(
            "| `{}` | {} | `{}` | {} | {} |\n",
            a.file,
            a.index,
            a.target.replace('|', "\\|"),
            if a.removed { "remove" } else { "update" },
            nodes.join(", ")
        ));
    }
    out
}

/// Whether `cargo xtask diff OLD NEW` applies the crate's overlays (`[package.metadata.codegen]
/// overlays`) to both files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlays {
    /// When one of the two files is the crate's spec: the diff then compares the documents the
    /// crate is (and would be) generated from. Other files are compared as they are.
    Auto,
    /// Always (`--overlays`).
    Always,
    /// Never (`--no-overlays`): the files as they are.
    Never,
}

/// `cargo xtask diff OLD NEW` for the workspace at `root`: modelled with the crate's settings
/// (its version header and names), with its overlays as `overlays` says.
pub fn crate_diff(root: &Path, old: &Path, new: &Path, overlays: Overlays) -> Result<Report> {
    let config = crate::codegen::config(root).unwrap_or_default();
    let apply = match overlays {
        Overlays::Always => true,
        Overlays::Never => false,
        Overlays::Auto => config.spec.as_deref().is_some_and(|spec| {
            let spec = root.join(crate::codegen::CRATE_DIR).join(spec).canonicalize().ok();
            [old, new].iter().any(|p| p.canonicalize().ok().is_some_and(|p| Some(p) == spec))
        }),
    };
    let overlays = if apply { config.load_overlays(root).map_err(Error::Crate)? } else { Vec::new() };
    diff_paths_with(old, new, &overlays, &config.model())
}

/// `cargo xtask diff --overlays-only [SPEC]`: what the crate's overlays change in SPEC (by
/// default the crate's spec), as a report and the Markdown of the actions ([`applied_markdown`]).
pub fn crate_overlay_diff(root: &Path, spec: Option<&Path>) -> Result<(Report, String)> {
    let config = crate::codegen::config(root).map_err(Error::Crate)?;
    let spec = match spec {
        Some(s) => s.to_path_buf(),
        None => root.join(crate::codegen::CRATE_DIR).join(crate::codegen::configured_spec(root).map_err(Error::Crate)?),
    };
    let overlays = config.load_overlays(root).map_err(Error::Crate)?;
    if overlays.is_empty() {
        return Err(Error::Crate(format!(
            "{}: no `overlays = [...]` under [package.metadata.codegen]",
            root.join(crate::codegen::CRATE_DIR).join("Cargo.toml").display()
        )));
    }
    let label = crate::codegen::shown_path(root, &spec);
    let (report, applied) = overlay_diff_labelled(&label, &spec, &overlays, &config.model())?;
    Ok((report, applied_markdown(&applied)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_that_selects_nothing_says_so_in_the_table() {
        let applied = |index, nodes: &[&str]| Applied {
            file: "o.yaml".into(),
            index,
            target: "$.a".into(),
            removed: false,
            nodes: nodes.iter().map(|n| (*n).to_owned()).collect(),
        };
        let table = applied_markdown(&[applied(0, &["#/a"]), applied(1, &[])]);
        assert!(table.contains("| `o.yaml` | 0 | `$.a` | update | `#/a` |\n"), "{table}");
        assert!(table.contains("| `o.yaml` | 1 | `$.a` | update | **matches nothing** |\n"), "{table}");
    }
}
