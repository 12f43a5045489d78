//! The errors of the diff and the release ([`crate::diff`], [`crate::release`]), typed so that
//! a caller can tell a file it cannot read from a spec that does not load; each prints as the
//! message the command line shows, and converts into it (`String`) where the commands work
//! with messages.

/// Why a diff or a release could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file, as given.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A spec, with its overlays, does not load, normalise or model.
    #[error("{label}: {source}")]
    Spec {
        /// The spec (and its overlays), as the report names it.
        label: String,
        /// The generator's error, with its JSON pointer.
        #[source]
        source: generator::Error,
    },
    /// The crate's manifest or its settings (`[package.metadata.codegen]`, the version).
    #[error("{0}")]
    Crate(String),
}

impl Error {
    /// A file that cannot be read.
    pub fn read(path: impl std::fmt::Display, source: std::io::Error) -> Error {
        Error::Io { action: "read", path: path.to_string(), source }
    }

    /// A file that cannot be written.
    pub fn write(path: impl std::fmt::Display, source: std::io::Error) -> Error {
        Error::Io { action: "write", path: path.to_string(), source }
    }

    /// A spec that does not load, normalise or model.
    pub fn spec(label: &str, source: generator::Error) -> Error {
        Error::Spec { label: label.to_owned(), source }
    }
}

impl From<Error> for String {
    fn from(e: Error) -> String {
        e.to_string()
    }
}
