//! The webhook half of the walk: webhooks matched by name across versions (added, removed, their
//! Rust variant renamed), each kept one's payload compared as a response by the schema walk, and
//! the signature scheme the crate verifies.

use super::compare::{any_schema, impact, is_json, pick, Cx, Differ, Found, Side};
use super::{Direction, EventReach, Kind};
use generator::load::{Document, PathItem, Schema};
use generator::model::webhooks::{Signature, SignatureScheme, WebhookEvent};

use super::Severity::{Breaking, NonBreaking, PotentiallyBreaking};

/// One webhook of one version: its payload schema and its event in the crate, if any.
struct Hook<'a> {
    name: &'a str,
    payload: Option<&'a Schema>,
    event: Option<&'a WebhookEvent>,
}

/// The JSON body schema of a webhook's operation (`post`, else its first one), as the generator
/// reads it.
fn payload<'a>(doc: &'a Document, item: &'a PathItem) -> Option<&'a Schema> {
    let (_, op) = item.operations.iter().find(|(m, _)| m == "post").or(item.operations.first())?;
    let body = op.request_body.as_ref()?.resolve(doc).ok()?;
    pick(&body.content).filter(|(media, _)| is_json(media)).and_then(|(_, m)| m.schema.as_ref())
}

fn hooks<'a>(side: &Side<'a>) -> Vec<Hook<'a>> {
    let events = side.model.api.webhooks.as_ref().map(|w| w.events.as_slice()).unwrap_or_default();
    side.doc
        .webhooks
        .iter()
        .map(|(name, item)| Hook {
            name,
            payload: payload(side.doc, item),
            event: events.iter().find(|e| e.name == *name),
        })
        .collect()
}

/// Where a change of the signature scheme is reported.
const SIGNATURE: &str = "webhook signature";

/// Where changes to a webhook are reported.
fn location(name: &str) -> String {
    format!("webhooks/{name}")
}

fn variant(e: &WebhookEvent) -> String {
    format!("webhooks::Event::{}", e.variant)
}

/// The scheme in words: `hmac-sha256-hex` with its headers.
fn scheme_words(s: &SignatureScheme) -> String {
    match s {
        SignatureScheme::HexHmacSha256 { signature_header, timestamp_header } => {
            format!("`hmac-sha256-hex` (headers `{signature_header}`, `{timestamp_header}`)")
        }
        SignatureScheme::StandardWebhooks { id_header, timestamp_header, signature_header } => {
            format!("`standard-webhooks` (headers `{id_header}`, `{timestamp_header}`, `{signature_header}`)")
        }
    }
}

fn signature_words(s: &Option<Signature>) -> String {
    match s {
        None => "not described".to_owned(),
        Some(s) => match s.tolerance {
            Some(t) => format!("{}, tolerance {t} s", scheme_words(&s.scheme)),
            None => scheme_words(&s.scheme),
        },
    }
}

impl<'a> Differ<'a> {
    /// Webhooks added, removed and renamed, each kept one's payload, then the signature scheme.
    pub(super) fn webhooks(&mut self) {
        let old = hooks(&self.old);
        let new = hooks(&self.new);
        let offset = new.len();
        for (order, n) in new.iter().enumerate() {
            let Some(o) = old.iter().find(|o| o.name == n.name) else {
                self.added(order, n, true);
                continue;
            };
            match (o.event, n.event) {
                // On the wire it was there; in the crate it was not (or no longer is).
                (None, Some(_)) => self.added(order, n, false),
                (Some(_), None) => self.removed(order, o, false),
                (Some(oe), Some(ne)) if oe.variant != ne.variant => {
                    self.start_event(order, reach(n));
                    self.record(
                        Found::new(
                            Kind::WebhookRenamed,
                            location(n.name),
                            format!("Rust variant `{}` → `{}`", oe.variant, ne.variant),
                        )
                        .http(impact(NonBreaking, "no change on the wire"))
                        .rust(impact(Breaking, format!("`{}` is now `{}`", variant(oe), variant(ne)))),
                    );
                }
                _ => {}
            }
            self.payload(order, o, n);
        }
        for (order, o) in old.iter().enumerate() {
            if !new.iter().any(|n| n.name == o.name) {
                self.removed(offset + order, o, true);
            }
        }
        self.event = None;
        self.signature();
    }

    /// A webhook the new version has (`on_the_wire`: the old one did not describe it at all).
    fn added(&mut self, order: usize, n: &Hook<'a>, on_the_wire: bool) {
        self.start_event(order, reach(n));
        let http = if on_the_wire {
            impact(NonBreaking, "receivers subscribed to it get requests of a new kind")
        } else {
            impact(NonBreaking, "no change on the wire")
        };
        let rust = match n.event {
            Some(e) => impact(
                NonBreaking,
                format!(
                    "`webhooks::Event` gains `{}({})` (`#[non_exhaustive]`, so matches on it already have a \
                     wildcard arm; crates built for the old version receive it as `Event::Unknown` with its JSON)",
                    e.variant,
                    self.new.model.render(&e.ty)
                ),
            ),
            None => impact(NonBreaking, "the crate generates no variant for it"),
        };
        let summary = if on_the_wire {
            format!("new webhook `{}`", n.name)
        } else {
            "the crate now has an event for it".to_owned()
        };
        self.record(Found::new(Kind::WebhookAdded, location(n.name), summary).http(http).rust(rust));
    }

    /// A webhook the old version had (`on_the_wire`: the new one does not describe it at all).
    fn removed(&mut self, order: usize, o: &Hook<'a>, on_the_wire: bool) {
        self.start_event(order, reach(o));
        let http = if on_the_wire {
            impact(PotentiallyBreaking, "receivers no longer get it")
        } else {
            impact(NonBreaking, "no change on the wire")
        };
        let rust = match o.event {
            Some(e) => impact(Breaking, format!("`{}` is removed", variant(e))),
            None => impact(NonBreaking, "the crate had no variant for it"),
        };
        let summary = if on_the_wire {
            format!("webhook `{}` removed", o.name)
        } else {
            "the crate no longer has an event for it".to_owned()
        };
        self.record(Found::new(Kind::WebhookRemoved, location(o.name), summary).http(http).rust(rust));
    }

    /// A webhook in both versions: its payload, read by the receiver as a client reads a response.
    fn payload(&mut self, order: usize, o: &Hook<'a>, n: &Hook<'a>) {
        self.start_event(order, reach(n));
        let label = match n.event.or(o.event) {
            Some(e) => format!("the payload of `{}`", variant(e)),
            None => format!("the payload of the webhook `{}`", n.name),
        };
        let cx = Cx {
            dir: Direction::Response,
            loc: location(n.name),
            at: "payload".into(),
            old: o.event.map(|e| e.ty.clone()),
            new: n.event.map(|e| e.ty.clone()),
            label,
            old_use: o.event.map(|e| self.old.model.render(&e.ty)),
            new_use: n.event.map(|e| self.new.model.render(&e.ty)),
        };
        let os = o.payload.unwrap_or(any_schema());
        let ns = n.payload.unwrap_or(any_schema());
        self.node(os, ns, cx);
    }

    /// The signature scheme the crate's `webhooks::Receiver` verifies.
    fn signature(&mut self) {
        let scheme = |side: &Side<'a>| side.model.api.webhooks.as_ref().and_then(|w| w.signature.clone());
        let (old, new) = (scheme(&self.old), scheme(&self.new));
        if old == new {
            return;
        }
        let (http, rust) = match (&old, &new) {
            (None, Some(_)) => (
                impact(NonBreaking, "the description now says how requests are signed"),
                impact(NonBreaking, "new `webhooks::Receiver`, `SCHEME` and `TOLERANCE`"),
            ),
            (Some(_), None) => (
                impact(PotentiallyBreaking, "receivers that verify signatures no longer know how"),
                impact(Breaking, "`webhooks::Receiver`, `SCHEME` and `TOLERANCE` are removed"),
            ),
            (Some(o), Some(n)) if std::mem::discriminant(&o.scheme) != std::mem::discriminant(&n.scheme) => (
                impact(Breaking, "receivers that verify the old scheme refuse the new signatures"),
                impact(
                    Breaking,
                    format!(
                        "`webhooks::Receiver` verifies {} only, and reads its secret the new scheme's way: requests \
                         signed the old way are refused",
                        scheme_words(&n.scheme)
                    ),
                ),
            ),
            (Some(o), Some(n)) if o.scheme != n.scheme => (
                impact(Breaking, "receivers that read the old headers find no signature"),
                impact(
                    PotentiallyBreaking,
                    "`webhooks::Receiver` reads the new headers: code that hands `receive` the request's headers is \
                     unaffected, code that picks them by name must pick the new ones",
                ),
            ),
            (_, n) => {
                let tolerance = n.as_ref().and_then(|s| s.tolerance);
                (
                    impact(NonBreaking, "receivers choose how old a timestamp may be"),
                    impact(
                        NonBreaking,
                        match tolerance {
                            Some(t) => format!("`webhooks::TOLERANCE` becomes {t} s"),
                            None => "`webhooks::TOLERANCE` becomes the runtime's default".to_owned(),
                        },
                    ),
                )
            }
        };
        self.record(
            Found::new(
                Kind::WebhookSignatureChanged,
                SIGNATURE,
                format!("signature scheme {} → {}", signature_words(&old), signature_words(&new)),
            )
            .http(http)
            .rust(rust),
        );
    }
}

/// How a webhook's event is named in the report.
fn reach(h: &Hook<'_>) -> EventReach {
    EventReach { webhook: h.name.to_owned(), rust: h.event.map(variant).unwrap_or_default(), at: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, Change, Report, Severity, Spec};
    use generator::load::Format;

    use Severity::{Breaking as B, NonBreaking as NB, PotentiallyBreaking as PB};

    /// A spec with one operation that returns a `Note`, the webhooks `hooks` (YAML, indented under
    /// `webhooks:`) and the signature `signature`.
    fn spec(label: &str, hooks: &str, signature: &str, title: &str) -> Spec {
        let text = format!(
            r##"
openapi: 3.1.0
info: {{title: Notes, version: '1'}}
paths:
  /notes/{{id}}:
    get:
      operationId: getNote
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Note'}}}}}}}}
{signature}
webhooks:
{hooks}
components:
  schemas:
    Note:
      type: object
      required: [id]
      properties: {{id: {{type: string}}, title: {{type: {title}}}}}
    NoteEvent:
      type: object
      required: [topic, note]
      properties:
        topic: {{type: string, enum: [note.created, note.deleted]}}
        note: {{$ref: '#/components/schemas/Note'}}
"##
        );
        Spec::parse(label, &text, Format::Yaml).unwrap_or_else(|e| panic!("{e}"))
    }

    const CREATED: &str = "  note.created: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NoteEvent'}}}}}}";
    const DELETED: &str = "  note.deleted: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/NoteEvent'}}}}}}";
    const HMAC: &str =
        "x-webhook-signature: {scheme: hmac-sha256-hex, signature-header: X-Sig, timestamp-header: X-Time}";

    fn both() -> String {
        format!("{CREATED}\n{DELETED}")
    }

    /// (kind, location, HTTP severity, Rust severity) of every change.
    fn classes(r: &Report) -> Vec<(Kind, String, Severity, Severity)> {
        r.changes.iter().map(|c| (c.kind, c.location.clone(), c.http.severity, c.rust.severity)).collect()
    }

    fn only(r: &Report) -> &Change {
        assert_eq!(r.changes.len(), 1, "{}", r.to_markdown());
        &r.changes[0]
    }

    #[test]
    fn a_new_webhook_is_a_new_variant_of_a_non_exhaustive_enum() {
        let old = spec("old", CREATED, HMAC, "string");
        let new = spec("new", &both(), HMAC, "string");
        let r = diff(&old, &new);
        assert_eq!(classes(&r), [(Kind::WebhookAdded, "webhooks/note.deleted".into(), NB, NB)]);
        let c = only(&r);
        assert!(c.rust.note.contains("`NoteDeleted(NoteEvent)`") && c.rust.note.contains("#[non_exhaustive]"));
        assert_eq!(c.events[0].rust, "webhooks::Event::NoteDeleted");
        assert!(c.is_webhook());
        let markdown = r.to_markdown();
        assert!(markdown.contains("\n## Webhooks (1)\n"), "{markdown}");
        assert!(
            markdown.contains("| `webhooks/note.deleted`: new webhook `note.deleted` | `note.deleted` |"),
            "{markdown}"
        );
    }

    #[test]
    fn a_removed_webhook_removes_its_variant() {
        let r = diff(&spec("old", &both(), HMAC, "string"), &spec("new", CREATED, HMAC, "string"));
        assert_eq!(classes(&r), [(Kind::WebhookRemoved, "webhooks/note.deleted".into(), PB, B)]);
        assert!(only(&r).rust.note.contains("`webhooks::Event::NoteDeleted` is removed"));
    }

    /// A change to a component a payload refers to is reported once, at the component, with the
    /// operations and the webhooks that reach it.
    #[test]
    fn a_payload_change_is_a_response_change_reported_once_with_its_webhooks() {
        let r = diff(&spec("old", &both(), HMAC, "string"), &spec("new", &both(), HMAC, "integer"));
        let c = only(&r);
        assert_eq!(
            (c.kind, c.location.as_str(), c.direction),
            (Kind::TypeChanged, "Note.title", Some(Direction::Response))
        );
        assert_eq!((c.http.severity, c.rust.severity), (B, B));
        assert_eq!(c.operations.len(), 1);
        let events: Vec<(&str, &str)> = c.events.iter().map(|e| (e.webhook.as_str(), e.at.as_str())).collect();
        assert_eq!(events, [("note.created", "payload.note.title"), ("note.deleted", "payload.note.title")]);
        assert!(!c.is_webhook());
        let markdown = r.to_markdown();
        assert!(
            markdown.contains("  - `note.created` (`webhooks::Event::NoteCreated`) at `payload.note.title`"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| `Note.title`: type `string` → `integer` | `note.created`, `note.deleted` |"),
            "{markdown}"
        );

        // A payload of its own (inline) is reported at the webhook.
        let inline = |required: &str| {
            format!(
                "  folder.shared:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [topic{required}]\n              properties: {{topic: {{const: folder.shared}}, folderId: {{type: string}}}}"
            )
        };
        let r = diff(&spec("old", &inline(""), HMAC, "string"), &spec("new", &inline(", folderId"), HMAC, "string"));
        assert_eq!(classes(&r), [(Kind::PropertyBecameRequired, "webhooks/folder.shared.folderId".into(), NB, B)]);
        assert!(only(&r).is_webhook());
        assert!(r.to_markdown().contains("(webhook payload)"), "{}", r.to_markdown());
    }

    #[test]
    fn a_changed_signature_scheme_breaks_receivers() {
        let created = |signature: &str| spec("side", CREATED, signature, "string");
        let standard = "x-webhook-signature: {scheme: standard-webhooks}";
        let r = diff(&created(HMAC), &created(standard));
        assert_eq!(classes(&r), [(Kind::WebhookSignatureChanged, SIGNATURE.into(), B, B)]);
        assert!(only(&r).summary.contains("`hmac-sha256-hex`") && only(&r).summary.contains("`standard-webhooks`"));
        assert!(r.to_markdown().contains("| all | breaking | breaking |"), "{}", r.to_markdown());
        // Other headers: receivers in any language read them by name; `Receiver` is handed them.
        let renamed = HMAC.replace("X-Sig", "X-Signature");
        assert_eq!(
            classes(&diff(&created(HMAC), &created(&renamed))),
            [(Kind::WebhookSignatureChanged, SIGNATURE.into(), B, PB)]
        );
        // The tolerance is the receiver's choice.
        let tolerant = HMAC.replace('}', ", tolerance: 600}");
        let r = diff(&created(HMAC), &created(&tolerant));
        assert_eq!(classes(&r), [(Kind::WebhookSignatureChanged, SIGNATURE.into(), NB, NB)]);
        assert!(only(&r).rust.note.contains("600 s"));
        // Described, or no longer: `Receiver` appears or goes.
        assert_eq!(
            classes(&diff(&created(""), &created(HMAC))),
            [(Kind::WebhookSignatureChanged, SIGNATURE.into(), NB, NB)]
        );
        assert_eq!(
            classes(&diff(&created(HMAC), &created(""))),
            [(Kind::WebhookSignatureChanged, SIGNATURE.into(), PB, B)]
        );
    }

    #[test]
    fn unchanged_webhooks_are_no_change() {
        let r = diff(&spec("old", &both(), HMAC, "string"), &spec("new", &both(), HMAC, "string"));
        assert!(r.changes.is_empty(), "{}", r.to_markdown());
        assert!(!r.to_markdown().contains("Webhooks"));
    }
}
