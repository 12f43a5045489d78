//! The project's commands, as a library so that tests can call them (`cargo xtask <command>`).
//!
//! - `generate [--spec PATH]`: spec -> `generated/` (the crate's `[package.metadata.codegen] spec`
//!   names the spec; `--spec` switches it to another file and records that);
//! - `check`: fails, naming the stale files and the command that fixes them, when the committed
//!   output differs from what the generator makes now;
//! - `crate --spec FILE --out DIR [--name NAME]`: a crate of its own for any description
//!   ([`krate`]);
//! - `examples --spec FILE [--out DIR]`: the spec's examples checked by a JSON Schema validator
//!   and decoded by the crate generated from it ([`examples`]);
//! - `fetch [--version V] [--url URL]`: downloads the published description of an API version
//!   into `spec/`, checked, with its provenance ([`fetch`]);
//! - `diff OLD NEW`: what changed between two descriptions and what it breaks, for HTTP clients
//!   and for users of the Rust crate, as Markdown or JSON ([`diff`]); `generate --spec` uses it
//!   to version the crate and write its changelog ([`release`]).
//!
//! The diff and the release are library functions with a typed [`Error`]; the binary
//! (`src/main.rs`) only parses arguments and prints what they return.

pub mod codegen;
pub mod diff;
pub mod error;
pub mod examples;
pub mod fetch;
pub mod krate;
pub mod manifest;
pub mod overlay_file;
pub mod release;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// A command's failure, as printed to the user.
pub type Result<T, E = String> = std::result::Result<T, E>;

pub use error::Error;
