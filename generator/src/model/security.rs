//! Security schemes: which ones the client can satisfy.
//!
//! The runtime authenticates every call with `Authorization: Bearer <key>`. That satisfies
//! `http` `bearer`, OAuth 2 and OpenID Connect (their access tokens are bearer tokens). Any other
//! scheme an operation asks for (API keys in headers, queries or cookies, `basic` and other
//! `http` schemes, mutual TLS) is reported once, where it is declared; a requirement naming a
//! scheme that is not declared is reported where it is.

use crate::error::Warning;
use crate::load::{Document, SecurityRequirement, SecurityScheme};
use std::collections::BTreeSet;

/// Why the client cannot satisfy a scheme, or `None` when it can.
fn unsupported(scheme: &SecurityScheme) -> Option<String> {
    let http = scheme.scheme.as_deref().map(str::to_ascii_lowercase);
    match (scheme.kind.as_str(), http.as_deref()) {
        ("http", Some("bearer")) | ("oauth2", _) | ("openIdConnect", _) => None,
        ("apiKey", _) => Some(format!(
            "an API key in the {} `{}`",
            scheme.location.as_deref().unwrap_or("header"),
            scheme.name.as_deref().unwrap_or("?")
        )),
        ("http", Some(other)) => Some(format!("HTTP `{other}` authentication")),
        ("http", None) => Some("HTTP authentication without a `scheme`".to_owned()),
        ("mutualTLS", _) => Some("mutual TLS".to_owned()),
        (other, _) => Some(format!("the unknown scheme type `{other}`")),
    }
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

/// Warnings for the schemes operations require that the client does not apply.
pub(super) fn check(doc: &Document) -> Vec<Warning> {
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
                    if let Some(what) = unsupported(scheme) {
                        if reported.insert(name.clone()) {
                            warnings.push(Warning {
                                pointer: scheme.pointer.clone(),
                                message: format!(
                                    "security scheme `{name}` ({what}) is not applied: the client sends \
                                     `Authorization: Bearer <key>`; send other credentials through \
                                     `ClientBuilder::http_client`"
                                ),
                            });
                        }
                    }
                }
            }
        }
    }
    warnings
}
