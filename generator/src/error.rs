//! Errors and warnings of the generator. Every one names where in the spec it comes from, as a
//! JSON pointer (`#/components/schemas/Ticket/properties/status`).

use std::fmt;

/// Why a spec could not be turned into Rust.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// The spec file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file that could not be read.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// The text is not valid JSON or YAML.
    #[error("invalid {format} at line {line}, column {column}: {message}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line of the error (0 when unknown).
        line: usize,
        /// 1-based column of the error (0 when unknown).
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is not an OpenAPI version this generator reads.
    #[error("{pointer}: {message}")]
    Version {
        /// Where the version is (or should be).
        pointer: String,
        /// What is wrong with it.
        message: String,
    },
    /// A value has the wrong shape (a string where an object must be, a missing required key...).
    #[error("{pointer}: {message}")]
    Invalid {
        /// Where the value is.
        pointer: String,
        /// What is wrong with it.
        message: String,
    },
    /// A `$ref` points at nothing.
    #[error("{pointer}: $ref `{reference}` does not resolve: {reason}")]
    DanglingRef {
        /// Where the `$ref` is.
        pointer: String,
        /// The reference as written.
        reference: String,
        /// Why it does not resolve.
        reason: String,
    },
    /// Two operations share one `operationId`.
    #[error("{pointer}: duplicate operationId `{operation_id}` (first used at {first})")]
    DuplicateOperationId {
        /// The second operation.
        pointer: String,
        /// The repeated id.
        operation_id: String,
        /// The first operation.
        first: String,
    },
    /// The spec uses something that changes the Rust types but that the generator cannot express.
    #[error("{pointer}: unsupported: {construct}")]
    Unsupported {
        /// Where the construct is.
        pointer: String,
        /// What the construct is and why it is not supported.
        construct: String,
    },
    /// An overlay cannot be read, or one of its actions cannot be applied (see [`crate::load::overlay`]).
    #[error("overlay {file}: {at}: {message}")]
    Overlay {
        /// The overlay file, as it was given.
        file: String,
        /// Where in the overlay: `action 3 (target `$.info`)`, or a JSON pointer into it.
        at: String,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Error::Invalid { pointer: pointer.to_owned(), message: message.into() }
    }

    pub(crate) fn unsupported(pointer: &str, construct: impl Into<String>) -> Self {
        Error::Unsupported { pointer: pointer.to_owned(), construct: construct.into() }
    }
}

/// Something the generator passed over or simplified: never silent, always with its pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Where in the spec.
    pub pointer: String,
    /// What was done.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}

/// A schema or operation that could not be generated, and what stands in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where it is in the spec.
    pub pointer: String,
    /// What it is: ``schema `Ticket` ``, ``operation `getTicket` ``.
    pub what: String,
    /// What the crate has instead: "left out", "typed as any JSON value".
    pub instead: String,
    /// Why, with the pointer of the construct that could not be expressed.
    pub reason: String,
}

impl Skipped {
    /// What could not be generated because of `error`, and what stands in its place.
    pub fn new(pointer: &str, what: String, instead: &str, error: &Error) -> Self {
        let reason = match error {
            Error::Unsupported { pointer: at, construct } => format!("{at}: unsupported: {construct}"),
            other => other.to_string(),
        };
        Skipped { pointer: pointer.to_owned(), what, instead: instead.to_owned(), reason }
    }

    /// The warning that says so.
    pub fn warning(&self) -> Warning {
        Warning {
            pointer: self.pointer.clone(),
            message: format!("{} skipped ({}): {}", self.what, self.instead, self.reason),
        }
    }
}

/// The result type of the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(child("#/paths", "/v2/a~b"), "#/paths/~1v2~1a~0b");
    }
}
