//! Security schemes: how the client sends its key, and which schemes it cannot satisfy.
//!
//! The client holds one key and sends it the way the spec's first usable requirement asks (the
//! document's, then the operations', in order): `Authorization: Bearer <key>` for `http`
//! `bearer`, OAuth 2 and OpenID Connect (their access tokens are bearer tokens), `Basic` for
//! `http` `basic` (the key is `user:password`), or an API key in a header or a cookie. A spec
//! without requirements gets bearer tokens. Every other scheme an operation asks for is reported
//! once, where it is declared (API keys in the query are among them: the key would be part of
//! URLs, which errors and logs show); a requirement naming a scheme that is not declared is
//! reported where it is.

use crate::error::Warning;
use crate::load::{Document, SecurityRequirement, SecurityScheme};
use std::collections::BTreeSet;

/// How the client sends its key on every call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <key>`.
    #[default]
    Bearer,
    /// `Authorization: Basic <base64 of the key>`, the key being `user:password`.
    Basic,
    /// The key as the value of this header.
    Header(String),
    /// The key as the value of this cookie.
    Cookie(String),
}

impl Auth {
    /// How it reads in a message (`` `Authorization: Bearer <key>` ``).
    pub fn describe(&self) -> String {
        match self {
            Auth::Bearer => "`Authorization: Bearer <key>`".to_owned(),
            Auth::Basic => "`Authorization: Basic <key>`".to_owned(),
            Auth::Header(name) => format!("the key in the header `{name}`"),
            Auth::Cookie(name) => format!("the key in the cookie `{name}`"),
        }
    }
}

impl Auth {
    /// How the client can satisfy a scheme, or why it cannot.
    pub fn of(scheme: &SecurityScheme) -> Result<Auth, String> {
        applies(scheme)
    }
}

/// [`Auth::of`].
fn applies(scheme: &SecurityScheme) -> Result<Auth, String> {
    let http = scheme.scheme.as_deref().map(str::to_ascii_lowercase);
    let name = scheme.name.as_deref().unwrap_or("?");
    match (scheme.kind.as_str(), http.as_deref(), scheme.location.as_deref()) {
        ("http", Some("bearer"), _) | ("oauth2", _, _) | ("openIdConnect", _, _) => Ok(Auth::Bearer),
        ("http", Some("basic"), _) => Ok(Auth::Basic),
        ("apiKey", _, Some("header")) => Ok(Auth::Header(name.to_owned())),
        ("apiKey", _, Some("cookie")) => Ok(Auth::Cookie(name.to_owned())),
        ("apiKey", _, Some("query")) => {
            Err(format!("an API key in the query `{name}`, which would put the key in URLs that errors and logs show"))
        }
        ("apiKey", _, other) => Err(format!("an API key in `{}`", other.unwrap_or("?"))),
        ("http", Some(other), _) => Err(format!("HTTP `{other}` authentication")),
        ("http", None, _) => Err("HTTP authentication without a `scheme`".to_owned()),
        ("mutualTLS", _, _) => Err("mutual TLS".to_owned()),
        (other, _, _) => Err(format!("the unknown scheme type `{other}`")),
    }
}

/// How the client sends its key: the first requirement of one scheme it can satisfy.
pub(super) fn auth(doc: &Document) -> Auth {
    requirements(doc)
        .into_iter()
        .filter(|(_, requirement)| requirement.len() == 1)
        .filter_map(|(_, requirement)| requirement.keys().next())
        .filter_map(|name| doc.components.security_schemes.get(name))
        .find_map(|scheme| applies(scheme).ok())
        .unwrap_or(Auth::Bearer)
}

/// Every requirement of the document and its operations, with its pointer.
fn requirements(doc: &Document) -> Vec<(String, &SecurityRequirement)> {
    let mut out: Vec<(String, &SecurityRequirement)> =
        doc.security.iter().enumerate().map(|(i, r)| (format!("#/security/{i}"), r)).collect();
    for item in doc.paths.values() {
        for (_, op) in &item.operations {
            for (i, r) in op.security.iter().flatten().enumerate() {
                out.push((format!("{}/security/{i}", op.pointer), r));
            }
        }
    }
    out
}

/// Warnings for the schemes operations require that the client does not apply (it applies
/// `auth`).
pub(super) fn check(doc: &Document, auth: &Auth) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut reported = BTreeSet::new();
    for (pointer, requirement) in requirements(doc) {
        for name in requirement.keys() {
            match doc.components.security_schemes.get(name) {
                None => warnings.push(Warning {
                    pointer: pointer.clone(),
                    message: format!("security scheme `{name}` is not declared in #/components/securitySchemes"),
                }),
                Some(scheme) => {
                    let message = match applies(scheme) {
                        Ok(applied) if applied == *auth => continue,
                        Ok(other) => format!(
                            "security scheme `{name}` ({}) is not the client's default: it sends {}; \
                             `ClientBuilder::auth` switches to this one",
                            other.describe(),
                            auth.describe()
                        ),
                        Err(why) => format!(
                            "security scheme `{name}` ({why}) is not applied: the client sends {}; \
                             send other credentials through `ClientBuilder::http_client`",
                            auth.describe()
                        ),
                    };
                    if reported.insert(name.clone()) {
                        warnings.push(Warning { pointer: scheme.pointer.clone(), message });
                    }
                }
            }
        }
    }
    warnings
}
