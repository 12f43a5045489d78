//! `src/webhooks.rs` (behind the crate feature `webhook-events`): the requests the API sends, as
//! one enum of events keyed by their tag (see `model::webhooks`), the signature scheme the spec
//! describes, and a `Receiver` that verifies a request and parses it in one call.
//!
//! The enum is written inside the runtime's `tagged_union!`, like every tagged union: an event
//! this version of the crate does not know decodes as `Unknown` with its JSON kept. The body
//! types are the crate's own (`crate::types::..`); the verification is the runtime's
//! (`runtime::webhooks`), which the module re-exports.

use super::docs;
use super::types::{ident, type_tokens, Uses};
use super::Printed;
use crate::error::Result;
use crate::model::webhooks::{SignatureScheme, Webhooks};
use crate::model::{Api, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The file's path, relative to the crate root.
pub const PATH: &str = "src/webhooks.rs";

/// The Rust type of a body, named from outside the types modules.
fn body_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&api.types.get(*id).name);
            quote!(crate::types::#name)
        }
        TypeRef::Array(t) => {
            let t = body_type(api, t);
            quote!(Vec<#t>)
        }
        TypeRef::Map(t) => {
            let t = body_type(api, t);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        TypeRef::Nullable(t) => {
            let t = body_type(api, t);
            quote!(Option<#t>)
        }
        other => type_tokens(&api.types, other, "", &mut Uses::default()),
    }
}

/// The scheme as the runtime's constant.
fn scheme_tokens(scheme: &SignatureScheme) -> TokenStream {
    match scheme {
        SignatureScheme::HexHmacSha256 { signature_header, timestamp_header } => quote! {
            Scheme::HexHmacSha256 { signature_header: #signature_header, timestamp_header: #timestamp_header }
        },
        SignatureScheme::StandardWebhooks { id_header, timestamp_header, signature_header } => quote! {
            Scheme::StandardWebhooks {
                id_header: #id_header,
                timestamp_header: #timestamp_header,
                signature_header: #signature_header,
            }
        },
    }
}

/// `src/webhooks.rs`, printed; `None` when the API describes no webhooks.
pub(super) fn file(api: &Api, crate_name: &str) -> Result<Option<Printed>> {
    let Some(w) = &api.webhooks else { return Ok(None) };
    let tag = w.tag.property();
    let header = module_doc(api, w, crate_name);
    let variants = w.events.iter().map(|e| {
        let name = ident(&e.variant);
        let ty = body_type(api, &e.ty);
        let mut lines = docs::summary(&e.docs);
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("The webhook `{}`.", e.name.replace('`', "'")));
        // Not `#[deprecated]`: the impls `tagged_union!` writes name every variant.
        if e.docs.deprecated {
            lines.push(String::new());
            lines.push("Deprecated: the description marks this webhook deprecated.".into());
        }
        let doc = docs::attrs(&lines);
        let tags = &e.tags;
        quote!(#doc #name(#ty) = [#(#tags),*],)
    });
    let enum_doc = docs::attrs(&[
        format!(
            "An event {} sends: one variant per webhook, told apart by the body's `{tag}`.",
            api.title.replace('`', "'")
        ),
        String::new(),
        "An event this version of the crate does not know decodes as [`Event::Unknown`] with its JSON kept, \
         so a webhook added by a newer API version is received, not refused."
            .to_owned(),
    ]);
    let receiver = w.signature.as_ref().map(|s| {
        let scheme = scheme_tokens(&s.scheme);
        let tolerance = s.tolerance.map_or_else(
            || quote!(crate::runtime::webhooks::DEFAULT_TOLERANCE),
            |t| {
                let t = proc_macro2::Literal::u64_unsuffixed(t);
                quote!(std::time::Duration::from_secs(#t))
            },
        );
        let headers = match &s.scheme {
            SignatureScheme::HexHmacSha256 { signature_header, timestamp_header } => {
                format!("`{signature_header}` and `{timestamp_header}`")
            }
            SignatureScheme::StandardWebhooks { id_header, timestamp_header, signature_header } => {
                format!("`{id_header}`, `{timestamp_header}` and `{signature_header}` (Standard Webhooks)")
            }
        };
        let scheme_doc = format!(" How the API signs its webhooks: the headers {headers}.");
        quote! {
            #[doc = #scheme_doc]
            pub const SCHEME: Scheme = #scheme;

            /// How far a webhook's timestamp may be from this machine's clock before it is refused.
            pub const TOLERANCE: std::time::Duration = #tolerance;

            /// Receives webhooks: checks that a request was signed with the webhook's secret (within
            /// [`TOLERANCE`] of now, compared in constant time), then parses its body as an [`Event`].
            ///
            /// The secret never appears in `Debug` output; an empty one is refused.
            #[derive(Debug, Clone)]
            pub struct Receiver {
                verifier: Verifier,
            }

            impl Receiver {
                /// A receiver for the webhook whose signing secret is `secret`.
                pub fn new(secret: impl Into<Secret>) -> Result<Self, WebhookError> {
                    Ok(Self { verifier: Verifier::new(SCHEME, secret)?.tolerance(TOLERANCE) })
                }

                /// Refuses timestamps further than `tolerance` from now (instead of [`TOLERANCE`]).
                pub fn tolerance(self, tolerance: std::time::Duration) -> Self {
                    Self { verifier: self.verifier.tolerance(tolerance) }
                }

                /// Verifies the request's signature over the raw `body`, then parses the body.
                pub fn receive<H: Headers + ?Sized>(&self, headers: &H, body: &[u8]) -> Result<Event, WebhookError> {
                    self.verifier.receive(headers, body)
                }

                /// The verifier, to check a signature without parsing, or to sign a body in tests.
                pub fn verifier(&self) -> &Verifier {
                    &self.verifier
                }
            }
        }
    });
    let tokens = quote! {
        #header
        pub use crate::runtime::webhooks::{Headers, Scheme, Verifier, WebhookError};
        pub use crate::runtime::Secret;

        #receiver

        crate::runtime::tagged_union! {
            #enum_doc
            #[tag = #tag]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum Event {
                #(#variants)*
                /// An event this version of the crate does not know, kept as JSON.
                Unknown(serde_json::Value),
            }
        }

        impl Event {
            /// Parses a webhook's body as it arrived, without checking its signature (see
            /// [`Verifier::verify`] for that).
            pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
                crate::runtime::webhooks::parse(body)
            }
        }
    };
    let text = super::print(PATH, tokens)?;
    Ok(Some((PATH.to_owned(), text)))
}

/// The module's documentation: what arrives, how it is told apart and verified, an example.
fn module_doc(api: &Api, w: &Webhooks, crate_name: &str) -> TokenStream {
    let title = api.title.replace('`', "'");
    let mut lines = vec![
        format!("The webhooks {title} sends, as typed events ([`Event`])."),
        String::new(),
        format!(
            "{} webhooks, each a variant of [`Event`] holding its typed body, told apart by the body's `{}` property.",
            w.events.len(),
            w.tag.property()
        ),
        String::new(),
    ];
    let first = &w.events[0].variant;
    match &w.signature {
        Some(_) => {
            lines.push(
                "A [`Receiver`] verifies a request's signature over the raw body and parses it in one call:".into(),
            );
            lines.push(String::new());
            lines.extend([
                "```no_run".to_owned(),
                format!("use {crate_name}::webhooks::{{Event, Receiver}};"),
                String::new(),
                "# fn example(headers: &[(&str, &str)], body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {"
                    .into(),
                "let receiver = Receiver::new(std::env::var(\"WEBHOOK_SECRET\")?)?;".into(),
                "match receiver.receive(headers, body)? {".into(),
                format!("    Event::{first}(event) => println!(\"{{event:?}}\"),"),
                "    other => println!(\"not handled: {:?}\", other.tag()),".into(),
                "}".into(),
                "# Ok(())".into(),
                "# }".into(),
                "```".into(),
            ]);
        }
        None => {
            lines.push(
                "The description does not say how the webhooks are signed: check them with a [`Verifier`] of the \
                 scheme the API uses, then [`Event::parse`] the body."
                    .into(),
            );
        }
    }
    docs::inner_attrs(&lines)
}
