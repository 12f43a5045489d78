//! Webhooks (OpenAPI 3.1 `webhooks`): the requests an API sends to its users, as one enum of
//! events keyed by the property of the body that names the event (its tag).
//!
//! Each webhook is a path item whose operation's JSON request body is what arrives. The events
//! are told apart by one property of the bodies, found by the rules unions use:
//!
//! 1. when every webhook has a body of its own: a `discriminator` that covers them all (on a union
//!    that lists them, or on the parent each is an `allOf` of), else a property that every body
//!    requires and fixes to a different string (the inferred tag of `unions`);
//! 2. otherwise, by the webhook's name: a property every body requires whose constant or `enum`
//!    holds the name of the webhook (bodies shared by several webhooks: `topic: {enum: [post.created,
//!    post.updated]}` for `post.created` and `post.updated`).
//!
//! Webhooks that no rule tells apart are not generated (a warning). The body types are types like
//! any other; those that no operation reaches live in a types module of their own (see [`place`]),
//! compiled with the crate feature [`FEATURE`]. The signature scheme the API signs its requests
//! with comes from the spec's `x-webhook-signature` extension, or from the crate's settings.

use super::build::{Builder, Items};
use super::*;
use crate::error::Result;
use crate::load::{Discriminator, Schema};
use crate::naming::{type_name, variant_name, Names};
use std::collections::{HashSet, VecDeque};

/// The place of the events enum, for the names lock: its variants are kept by tag under it.
pub const POINTER: &str = "#/webhooks";
/// The crate feature that compiles the events and the types they reach.
pub const FEATURE: &str = "webhook-events";
/// The extension of the document that describes how the API signs what it sends.
pub const EXTENSION: &str = "x-webhook-signature";
/// The name of the types module for body types that no operation reaches (made unique).
const MODULE: &str = "webhook_events";

/// The webhooks of an API.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// The property of a body that names its event, and how it was found.
    pub tag: WebhookTag,
    /// The events, in declared order.
    pub events: Vec<WebhookEvent>,
    /// How the API signs its requests, when the spec or the settings say.
    pub signature: Option<Signature>,
    /// The types module of the body types that no operation reaches.
    pub module: String,
}

/// How the tag property of the bodies was found.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookTag {
    /// A `discriminator` over the bodies.
    Discriminator(String),
    /// A property every body fixes to a different string.
    Inferred(String),
    /// A property whose values hold each webhook's name.
    Name(String),
}

impl WebhookTag {
    /// The property.
    pub fn property(&self) -> &str {
        match self {
            WebhookTag::Discriminator(p) | WebhookTag::Inferred(p) | WebhookTag::Name(p) => p,
        }
    }
}

/// One webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The webhook's name in the spec (`post.created`).
    pub name: String,
    /// Where it is declared.
    pub pointer: String,
    /// The Rust variant name (`PostCreated`).
    pub variant: String,
    /// The tag values that select it (the first is its place in the names lock).
    pub tags: Vec<String>,
    /// The body's type.
    pub ty: TypeRef,
    /// The operation's summary and description.
    pub docs: Docs,
}

/// How an API signs the requests it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The scheme and its headers.
    pub scheme: SignatureScheme,
    /// How far, in seconds, a timestamp may be from the receiver's clock (the runtime's default
    /// when `None`).
    pub tolerance: Option<u64>,
}

/// The signature schemes the runtime verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureScheme {
    /// `hmac-sha256-hex`: the lowercase hex HMAC-SHA256 of `{timestamp}.{body}`, keyed with the
    /// secret's UTF-8 bytes; the timestamp (Unix seconds) in a header of its own.
    HexHmacSha256 {
        /// The header with the signature.
        signature_header: String,
        /// The header with the timestamp.
        timestamp_header: String,
    },
    /// `standard-webhooks` (standardwebhooks.com): `v1,<base64>` entries, space-separated, of the
    /// HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the base64 after the secret's `whsec_`.
    StandardWebhooks {
        /// The header with the message id (`webhook-id`).
        id_header: String,
        /// The header with the timestamp (`webhook-timestamp`).
        timestamp_header: String,
        /// The header with the signatures (`webhook-signature`).
        signature_header: String,
    },
}

/// Reads a signature scheme: `{scheme: hmac-sha256-hex, signature-header: .., timestamp-header: ..}`
/// or `{scheme: standard-webhooks}` (its headers may be renamed: `id-header`, `timestamp-header`,
/// `signature-header`), either with `tolerance` in seconds.
pub fn parse_signature(value: &Json) -> std::result::Result<Signature, String> {
    let object = value.as_object().ok_or("expected an object with a `scheme`")?;
    let text = |key: &str| -> std::result::Result<Option<String>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(Json::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
            Some(_) => Err(format!("`{key}` must be a header name")),
        }
    };
    let required = |key: &str| text(key)?.ok_or_else(|| format!("`{key}` is missing"));
    let scheme = match text("scheme")?.as_deref() {
        Some("hmac-sha256-hex") => SignatureScheme::HexHmacSha256 {
            signature_header: required("signature-header")?,
            timestamp_header: required("timestamp-header")?,
        },
        Some("standard-webhooks") => SignatureScheme::StandardWebhooks {
            id_header: text("id-header")?.unwrap_or_else(|| "webhook-id".into()),
            timestamp_header: text("timestamp-header")?.unwrap_or_else(|| "webhook-timestamp".into()),
            signature_header: text("signature-header")?.unwrap_or_else(|| "webhook-signature".into()),
        },
        Some(other) => return Err(format!("unknown scheme `{other}` (known: hmac-sha256-hex, standard-webhooks)")),
        None => return Err("`scheme` is missing".into()),
    };
    let tolerance = match object.get("tolerance") {
        None => None,
        Some(t) => Some(t.as_u64().ok_or("`tolerance` must be a number of seconds")?),
    };
    for key in object.keys() {
        if !["scheme", "signature-header", "timestamp-header", "id-header", "tolerance"].contains(&key.as_str()) {
            return Err(format!("unknown field `{key}`"));
        }
    }
    Ok(Signature { scheme, tolerance })
}

/// The webhooks of the document, their body types added to the type space; `None` when it has
/// none, or none can be told apart (a warning).
pub(super) fn build(b: &mut Builder<'_>, settings: &Settings) -> Option<Webhooks> {
    let doc = b.doc;
    let mut bodies: Vec<(&str, &crate::load::Operation, Schema)> = Vec::new();
    for (name, item) in &doc.webhooks {
        if let Some((op, schema)) = body(b, name, item) {
            bodies.push((name, op, schema));
        }
    }
    let signature = signature(b, settings);
    if bodies.is_empty() {
        return None;
    }
    let names: Vec<&str> = bodies.iter().map(|(n, _, _)| *n).collect();
    let members: Vec<Schema> = bodies.iter().map(|(_, _, s)| s.clone()).collect();
    let (tag, tags) = match tagging(b, &names, &members) {
        Ok(Some(found)) => found,
        Ok(None) => {
            b.warn(
                POINTER,
                "no property of the webhooks' bodies names the webhook (a discriminator, a constant that differs in \
                 every body, or a value that is the webhook's name): the webhooks are not generated",
            );
            return None;
        }
        Err(e) => {
            b.warn(POINTER, format!("the webhooks are not generated: {e}"));
            return None;
        }
    };
    let mut variants = Names::default();
    variants.reserve("Unknown");
    let locked = b.lock.variants.range((POINTER.to_owned(), String::new())..).take_while(|((u, _), _)| u == POINTER);
    for (_, name) in locked {
        variants.reserve(name);
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut events = Vec::new();
    for ((name, op, schema), tags) in bodies.into_iter().zip(tags) {
        let pointer = crate::error::child(POINTER, name);
        if let Some(taken) = tags.iter().find(|t| !seen.insert((*t).clone())) {
            b.warn(&pointer, format!("the tag `{taken}` names an earlier webhook too: this one is left out"));
            continue;
        }
        let checkpoint = b.checkpoint();
        let ty = match b.resolve(&schema, &format!("{}Event", type_name(name)), Items::ItemSuffix) {
            Ok(r) => r.ty,
            Err(e) => {
                b.rollback(checkpoint);
                b.skip(&schema.pointer, format!("webhook `{name}`"), "left out of the events", &e);
                continue;
            }
        };
        let place = format!("tag:{}", tags[0]);
        let variant = match b.lock.variants.get(&(POINTER.to_owned(), place)) {
            Some(locked) => locked.clone(),
            None => variants.unique(&variant_name(name)),
        };
        let docs = Docs {
            title: op.summary.clone(),
            description: op.description.clone(),
            notes: Vec::new(),
            deprecated: op.deprecated,
        };
        events.push(WebhookEvent { name: name.to_owned(), pointer, variant, tags, ty, docs });
    }
    if events.is_empty() {
        return None;
    }
    Some(Webhooks { tag, events, signature, module: String::new() })
}

/// The JSON body schema of a webhook's operation (`post`, else its first one); `None`, with a
/// warning, for a webhook without one.
fn body<'d>(
    b: &mut Builder<'d>,
    name: &str,
    item: &'d crate::load::PathItem,
) -> Option<(&'d crate::load::Operation, Schema)> {
    let Some((_, op)) = item.operations.iter().find(|(m, _)| m == "post").or(item.operations.first()) else {
        b.warn(&item.pointer, format!("webhook `{name}` has no operation: left out"));
        return None;
    };
    let body = match op.request_body.as_ref().map(|rb| rb.resolve(b.doc)) {
        Some(Ok(rb)) => rb,
        Some(Err(e)) => {
            b.warn(&op.pointer, format!("webhook `{name}`: {e}: left out"));
            return None;
        }
        None => {
            b.warn(&op.pointer, format!("webhook `{name}` has no request body: left out"));
            return None;
        }
    };
    match body.content.iter().find(|(media, _)| super::bodies::is_json(media)).and_then(|(_, mt)| mt.schema.clone()) {
        Some(schema) => Some((op, schema)),
        None => {
            b.warn(&body.pointer, format!("webhook `{name}` has no JSON body schema: left out"));
            None
        }
    }
}

/// The tag property and each body's tag values (see the module's rules).
#[allow(clippy::type_complexity)]
fn tagging(b: &mut Builder<'_>, names: &[&str], members: &[Schema]) -> Result<Option<(WebhookTag, Vec<Vec<String>>)>> {
    let union = Schema { pointer: POINTER.to_owned(), ..Schema::default() };
    let mut places = HashSet::new();
    for m in members {
        places.insert(b.target(m)?.pointer.clone());
    }
    if places.len() == members.len() {
        if let Some(d) = discriminator(b, members)? {
            // What a discriminator that cannot tag the bodies says about unions does not apply.
            let warnings = b.warnings.len();
            if let Some(tags) = b.discriminator_tags(&union, members, members, &d)? {
                return Ok(Some((WebhookTag::Discriminator(d.property_name), tags)));
            }
            b.warnings.truncate(warnings);
        }
        if let Some((property, tags)) = b.infer_tag(members)? {
            return Ok(Some((WebhookTag::Inferred(property), tags)));
        }
    }
    let candidates: Vec<String> = match b.member_object(&members[0])? {
        Some(first) => first.properties.keys().cloned().collect(),
        None => return Ok(None),
    };
    'candidates: for property in candidates {
        for (name, m) in names.iter().zip(members) {
            let required = b.member_object(m)?.is_some_and(|o| o.required.contains(&property));
            if !required || !b.tag_values(m, &property)?.iter().any(|v| v == name) {
                continue 'candidates;
            }
        }
        let tags = names.iter().map(|n| vec![(*n).to_owned()]).collect();
        return Ok(Some((WebhookTag::Name(property), tags)));
    }
    Ok(None)
}

/// A discriminator every body is under: its own, its `allOf` parent's, or that of a component
/// union that lists it; the mappings of all of them together.
fn discriminator(b: &Builder<'_>, members: &[Schema]) -> Result<Option<Discriminator>> {
    let mut found: Vec<Vec<&Discriminator>> = Vec::new();
    for m in members {
        let mut ds = Vec::new();
        let t = b.target(m)?;
        // A body that is a union: its discriminator tells its members apart, not the webhooks.
        if t.one_of.is_empty() && t.any_of.is_empty() {
            ds.extend(t.discriminator.as_ref());
        }
        for part in &t.all_of {
            if let Some(r) = &part.reference {
                ds.extend(b.component(r, &part.pointer)?.1.discriminator.as_ref());
            }
        }
        if let Some(r) = &m.reference {
            for c in b.doc.components.schemas.values() {
                let lists = c.one_of.iter().chain(&c.any_of).any(|x| x.reference.as_deref() == Some(r.as_str()));
                if lists {
                    ds.extend(c.discriminator.as_ref());
                }
            }
        }
        found.push(ds);
    }
    let Some(first) = found.first() else { return Ok(None) };
    for d in first {
        let property = &d.property_name;
        if !found.iter().all(|ds| ds.iter().any(|o| o.property_name == *property)) {
            continue;
        }
        let mut merged = Discriminator { property_name: property.clone(), mapping: Default::default() };
        for o in found.iter().flatten().filter(|o| o.property_name == *property) {
            for (tag, target) in &o.mapping {
                merged.mapping.entry(tag.clone()).or_insert_with(|| target.clone());
            }
        }
        return Ok(Some(merged));
    }
    Ok(None)
}

/// The signature scheme: the settings' over the spec's `x-webhook-signature`; one that cannot be
/// read is a warning, and the events are generated without it.
fn signature(b: &mut Builder<'_>, settings: &Settings) -> Option<Signature> {
    let (value, pointer) = match &settings.webhook_signature {
        Some(v) => (v, "webhook-signature (settings)".to_owned()),
        None => (b.doc.extensions.get(EXTENSION)?, format!("#/{EXTENSION}")),
    };
    match parse_signature(value) {
        Ok(s) => Some(s),
        Err(e) => {
            b.warn(&pointer, format!("{e}: the webhooks' signatures are not described"));
            None
        }
    }
}

/// Records the events' variant names in the names lock.
pub(super) fn lock(webhooks: &Webhooks, names: &mut lock::NameLock) {
    for e in &webhooks.events {
        names.variants.insert((POINTER.to_owned(), format!("tag:{}", e.tags[0])), e.variant.clone());
    }
}

/// Moves the body types that no operation reaches (and what only they reach) from the shared
/// module to a module of their own, so that the feature [`FEATURE`] compiles them and a crate
/// built without it does not.
pub(super) fn place(space: &mut TypeSpace, webhooks: &mut Webhooks, resources: &[Resource]) {
    let mut names = Names::default();
    names.reserve(modules::SHARED);
    resources.iter().for_each(|r| names.reserve(&r.module));
    webhooks.module = names.unique(MODULE);
    let mut queue: VecDeque<TypeId> = VecDeque::new();
    for e in &webhooks.events {
        let mut roots = Vec::new();
        e.ty.named(&mut roots, false);
        queue.extend(roots.into_iter().map(|(id, _)| id));
    }
    while let Some(id) = queue.pop_front() {
        if space.types[id.0].module != modules::SHARED {
            continue;
        }
        space.types[id.0].module = webhooks.module.clone();
        queue.extend(modules::refs(&space.types[id.0]));
    }
}

/// The named types the events' bodies are.
pub fn roots(webhooks: &Webhooks) -> Vec<TypeId> {
    let mut out = Vec::new();
    for e in &webhooks.events {
        let mut named = Vec::new();
        e.ty.named(&mut named, false);
        out.extend(named.into_iter().map(|(id, _)| id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Format;

    fn generate(yaml: &str) -> crate::Generated {
        crate::generate(yaml, Format::Yaml, &crate::Options::default()).unwrap()
    }

    fn events(api: &Api) -> Vec<(String, Vec<String>, String)> {
        let w = api.webhooks.as_ref().expect("webhooks");
        let name = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => api.types.get(*id).name.clone(),
            other => format!("{other:?}"),
        };
        w.events.iter().map(|e| (e.variant.clone(), e.tags.clone(), name(&e.ty))).collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Bodies shared by several webhooks: each keyed by its name, found in the `topic` enum.
    const SHARED: &str = r##"
openapi: 3.1.0
info: {title: Notes, version: '1'}
paths: {}
x-webhook-signature: {scheme: hmac-sha256-hex, signature-header: X-Sig, timestamp-header: X-Time}
webhooks:
  note.created:
    post:
      summary: A note was created
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NoteEvent'}}}}
  note.deleted:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NoteEvent'}}}}
  folder.created:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [topic, folder]
              properties:
                topic: {const: folder.created}
                folder: {type: object, properties: {id: {type: string}}}
components:
  schemas:
    NoteEvent:
      type: object
      required: [object, topic, note]
      properties:
        object: {const: event}
        topic: {type: string, enum: [note.created, note.deleted]}
        note: {type: object, properties: {id: {type: string}}}
"##;

    #[test]
    fn shared_bodies_are_keyed_by_the_webhook_name() {
        let g = generate(SHARED);
        let w = g.api.webhooks.as_ref().unwrap();
        assert_eq!(w.tag, WebhookTag::Name("topic".into()));
        assert_eq!(
            events(&g.api),
            vec![
                ("NoteCreated".into(), strings(&["note.created"]), "NoteEvent".into()),
                ("NoteDeleted".into(), strings(&["note.deleted"]), "NoteEvent".into()),
                ("FolderCreated".into(), strings(&["folder.created"]), "FolderCreatedEvent".into()),
            ]
        );
        assert_eq!(
            w.signature,
            Some(Signature {
                scheme: SignatureScheme::HexHmacSha256 {
                    signature_header: "X-Sig".into(),
                    timestamp_header: "X-Time".into()
                },
                tolerance: None
            })
        );
        // Types only webhooks reach get a module of their own; the lock keeps the variants.
        let module = |name: &str| g.api.types.types.iter().find(|t| t.name == name).unwrap().module.clone();
        assert_eq!(module("NoteEvent"), "webhook_events");
        assert_eq!(module("FolderCreatedEventFolder"), "webhook_events");
        assert!(g.files["names.lock"].contains("variant\t#/webhooks\ttag:note.deleted\tNoteDeleted\n"));
        let file = &g.files["src/webhooks.rs"];
        for expected in [
            "#[tag = \"topic\"]",
            "NoteCreated(crate::types::NoteEvent) = [\"note.created\"],",
            "FolderCreated(crate::types::FolderCreatedEvent) = [\"folder.created\"],",
            "Unknown(serde_json::Value),",
            "signature_header: \"X-Sig\",",
            "pub struct Receiver",
            "/// A note was created",
        ] {
            assert!(file.contains(expected), "{expected} not in\n{file}");
        }
        assert!(g.files["src/types/mod.rs"].contains("#[cfg(feature = \"webhook-events\")]\nmod webhook_events;"));
    }

    #[test]
    fn names_in_the_lock_are_kept() {
        let first = generate(SHARED);
        let mut lock = first.api.names.clone();
        lock.variants.insert((POINTER.into(), "tag:note.created".into()), "Created".into());
        let options =
            crate::Options { model: Settings { names: lock, ..Settings::default() }, ..crate::Options::default() };
        let again = crate::generate(SHARED, Format::Yaml, &options).unwrap();
        assert_eq!(events(&again.api)[0].0, "Created");
        assert_eq!(events(&again.api)[1].0, "NoteDeleted");
    }

    #[test]
    fn a_constant_in_every_body_is_the_inferred_tag() {
        let spec = r##"
openapi: 3.1.0
info: {title: Mail, version: '1'}
webhooks:
  sent: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Sent'}}}}}}
  bounced: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Bounced'}}}}}}
components:
  schemas:
    Sent:
      type: object
      required: [type, data]
      properties: {type: {const: email.sent}, data: {type: object}}
    Bounced:
      type: object
      required: [type, data]
      properties: {type: {const: email.bounced}, data: {type: object}}
"##;
        let g = generate(spec);
        assert_eq!(g.api.webhooks.as_ref().unwrap().tag, WebhookTag::Inferred("type".into()));
        assert_eq!(
            events(&g.api),
            vec![
                ("Sent".into(), strings(&["email.sent"]), "Sent".into()),
                ("Bounced".into(), strings(&["email.bounced"]), "Bounced".into()),
            ]
        );
        assert!(g.files["src/webhooks.rs"].contains("does not say how the webhooks are signed"));
        assert!(!g.files["src/webhooks.rs"].contains("pub struct Receiver"));
    }

    #[test]
    fn a_discriminator_over_the_bodies_tags_them() {
        let spec = r##"
openapi: 3.1.0
info: {title: Billing, version: '1'}
x-webhook-signature: {scheme: standard-webhooks, tolerance: 600}
webhooks:
  invoicePaid: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/InvoicePaid'}}}}}}
  customerCreated: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/CustomerCreated'}}}}}}
components:
  schemas:
    Event:
      oneOf: [{$ref: '#/components/schemas/InvoicePaid'}, {$ref: '#/components/schemas/CustomerCreated'}]
      discriminator:
        propertyName: kind
        mapping: {invoice.paid: '#/components/schemas/InvoicePaid', customer.created: CustomerCreated}
    InvoicePaid:
      type: object
      required: [kind, invoice]
      properties: {kind: {type: string}, invoice: {type: string}}
    CustomerCreated:
      type: object
      required: [kind]
      properties: {kind: {type: string}, customer: {type: string}}
"##;
        let g = generate(spec);
        let w = g.api.webhooks.as_ref().unwrap();
        assert_eq!(w.tag, WebhookTag::Discriminator("kind".into()));
        assert_eq!(
            events(&g.api),
            vec![
                ("InvoicePaid".into(), strings(&["invoice.paid"]), "InvoicePaid".into()),
                ("CustomerCreated".into(), strings(&["customer.created"]), "CustomerCreated".into()),
            ]
        );
        let standard = SignatureScheme::StandardWebhooks {
            id_header: "webhook-id".into(),
            timestamp_header: "webhook-timestamp".into(),
            signature_header: "webhook-signature".into(),
        };
        assert_eq!(w.signature, Some(Signature { scheme: standard, tolerance: Some(600) }));
        assert!(g.files["src/webhooks.rs"].contains("from_secs(600)"));
    }

    #[test]
    fn bodies_nothing_tells_apart_are_a_warning() {
        let spec = r##"
openapi: 3.1.0
info: {title: Vague, version: '1'}
webhooks:
  a: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}}}
  b: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}}}
  c: {post: {responses: {'200': {description: ok}}}}
components:
  schemas:
    E: {type: object, properties: {name: {type: string}}}
"##;
        let g = generate(spec);
        assert!(g.api.webhooks.is_none());
        assert!(!g.files.contains_key("src/webhooks.rs"));
        let text: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|w| w.contains("#/webhooks") && w.contains("not generated")), "{text:?}");
        assert!(text.iter().any(|w| w.contains("webhook `c` has no request body")), "{text:?}");
    }

    #[test]
    fn signature_schemes_are_read_or_refused_with_a_reason() {
        let read = |v: serde_json::Value| parse_signature(&v);
        assert!(read(serde_json::json!({"scheme": "hmac-sha256-hex", "signature-header": "S"}))
            .unwrap_err()
            .contains("`timestamp-header` is missing"));
        assert!(read(serde_json::json!({"scheme": "md5"})).unwrap_err().contains("unknown scheme `md5`"));
        assert!(read(serde_json::json!({"scheme": "standard-webhooks", "colour": 1})).unwrap_err().contains("colour"));
        let renamed = read(serde_json::json!({"scheme": "standard-webhooks", "id-header": "svix-id"})).unwrap();
        assert!(
            matches!(renamed.scheme, SignatureScheme::StandardWebhooks { id_header, .. } if id_header == "svix-id")
        );
        // The settings' scheme wins over the spec's.
        let options = crate::Options {
            model: Settings {
                webhook_signature: Some(serde_json::json!({"scheme": "standard-webhooks"})),
                ..Settings::default()
            },
            ..crate::Options::default()
        };
        let g = crate::generate(SHARED, Format::Yaml, &options).unwrap();
        let scheme = &g.api.webhooks.as_ref().unwrap().signature.as_ref().unwrap().scheme;
        assert!(matches!(scheme, SignatureScheme::StandardWebhooks { .. }));
    }
}
