//! Which header carries the API version.
//!
//! The client sends the version it was generated for on every call, so that a server whose
//! default moves on keeps answering in the version the types describe. The header is chosen by
//! a rule that does not depend on an example being current (documentation examples often lag
//! a version behind):
//!
//! 1. the header the caller configures ([`Settings::version_header`]), else
//! 2. the one header parameter that every operation takes and whose name says `version`
//!    (`Featurebase-Version`, `X-API-Version`), else
//! 3. the one such header whose description says `version`.
//!
//! An example, default or constant of that header that differs from `info.version` is a warning,
//! never a reason to stop sending it.

use super::Settings;
use crate::load::{Document, Parameter, ParameterLocation};
use crate::Warning;
use serde_json::Value as Json;

/// The header that carries the API version, if any, and what is worth a warning about it.
pub(super) fn version_header(doc: &Document, settings: &Settings) -> (Option<String>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let candidates = every_operations_headers(doc);
    let chosen = match &settings.version_header {
        Some(name) => {
            if !candidates.iter().any(|p| p.name.eq_ignore_ascii_case(name)) && !doc.paths.is_empty() {
                warnings.push(Warning {
                    pointer: "#/paths".into(),
                    message: format!(
                        "the configured version header `{name}` is not a header parameter of every operation; it is sent on every call all the same"
                    ),
                });
            }
            Some(name.clone())
        }
        None => {
            let says_version = |text: &str| {
                text.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "version")
            };
            let by_name: Vec<&Parameter> = candidates.iter().copied().filter(|p| says_version(&p.name)).collect();
            let by_description: Vec<&Parameter> =
                candidates.iter().copied().filter(|p| p.description.as_deref().is_some_and(says_version)).collect();
            let pick = if by_name.is_empty() { by_description } else { by_name };
            match pick.as_slice() {
                [] => None,
                [one] => Some(one.name.clone()),
                several => {
                    let names: Vec<String> = several.iter().map(|p| format!("`{}`", p.name)).collect();
                    warnings.push(Warning {
                        pointer: "#/paths".into(),
                        message: format!(
                            "several headers could carry the API version ({}); none is sent: name one as the version header in the generator's settings",
                            names.join(", ")
                        ),
                    });
                    None
                }
            }
        }
    };
    if let Some(name) = &chosen {
        if let Some(p) = candidates.iter().find(|p| p.name.eq_ignore_ascii_case(name)) {
            for value in stated_values(p) {
                if value.as_str() != Some(doc.info.version.as_str()) {
                    warnings.push(Warning {
                        pointer: p.pointer.clone(),
                        message: format!(
                            "the version header `{}` shows {value} but `info.version` is `{}`; the client sends `{}`",
                            p.name, doc.info.version, doc.info.version
                        ),
                    });
                }
            }
        }
    }
    (chosen, warnings)
}

/// The header parameters that every operation takes (path-level ones included), as the first
/// operation declares them.
fn every_operations_headers(doc: &Document) -> Vec<&Parameter> {
    let mut common: Option<Vec<&Parameter>> = None;
    for item in doc.paths.values() {
        for (_, op) in &item.operations {
            let headers: Vec<&Parameter> = item
                .parameters
                .iter()
                .chain(&op.parameters)
                .filter_map(|p| p.resolve(doc).ok())
                .filter(|p| p.location == ParameterLocation::Header)
                .collect();
            common = Some(match common {
                None => headers,
                Some(before) => before
                    .into_iter()
                    .filter(|b| headers.iter().any(|h| h.name.eq_ignore_ascii_case(&b.name)))
                    .collect(),
            });
        }
    }
    common.unwrap_or_default()
}

/// The example, examples, default and constant a parameter states for its value.
fn stated_values(p: &Parameter) -> Vec<&Json> {
    let mut out: Vec<&Json> = p.examples.iter().collect();
    if let Some(s) = &p.schema {
        out.extend(s.examples.iter());
        out.extend(s.default.iter());
        out.extend(s.constant.iter());
    }
    out.dedup();
    out
}
