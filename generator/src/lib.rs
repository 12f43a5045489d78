//! A generator of typed Rust clients from OpenAPI 3.0, 3.1 and 3.2 descriptions (3.2 read as 3.1, its
//! features that have no Rust form yet warned about with their pointers).
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: JSON or YAML text -> [`load::Document`] (every value checked, errors name a JSON pointer),
//!    after the overlays ([`load::overlay`]) that change it;
//! 2. [`normalize`]: one spelling per meaning (3.0 and 3.1 nullability, `allOf` of one...), references checked;
//! 3. [`model`]: named types and operations ([`model::Api`]): naming, hoisting, unions, cycles, modules;
//! 4. [`emit`]: Rust tokens per module, formatted with `prettyplease`, as a set of files.
//!
//! [`generate`] joins them. Nothing here knows any particular API.

pub mod emit;
mod error;
pub mod load;
pub mod model;
pub mod naming;
pub mod normalize;

pub use emit::{Files, Options};
pub use error::{Error, Result, Skipped, Warning};

/// Everything one run produces.
#[derive(Debug)]
pub struct Generated {
    /// The files, by path relative to the output crate's root.
    pub files: Files,
    /// What was passed over or simplified, each with its JSON pointer.
    pub warnings: Vec<Warning>,
    /// The model the files were printed from.
    pub api: model::Api,
}

/// The stack of the thread [`generate`] runs the pipeline on. Every stage walks schemas
/// recursively, and so do `syn`'s parser and `prettyplease` over the emitted types; debug builds
/// use large frames, and a caller's thread may have as little as 2 MiB (a test thread). On a
/// thread of its own, with schemas nested at most [`load::MAX_SCHEMA_DEPTH`] deep, the pipeline
/// cannot run out of stack whatever its caller's stack is. The memory is reserved, not committed:
/// only what is used is paid for.
pub(crate) const PIPELINE_STACK: usize = 64 << 20;

/// Spec text -> generated files.
///
/// Runs the pipeline on a thread of its own (see `PIPELINE_STACK`), or on the caller's thread
/// where threads cannot be spawned.
pub fn generate(text: &str, format: load::Format, options: &Options) -> Result<Generated> {
    generate_with(text, format, &[], options)
}

/// [`generate`], with overlays applied, in order, to the spec before it is read (see
/// [`load::overlay`]).
pub fn generate_with(
    text: &str,
    format: load::Format,
    overlays: &[load::Overlay],
    options: &Options,
) -> Result<Generated> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("openapi-codegen".into())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || pipeline(text, format, overlays, options));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => pipeline(text, format, overlays, options),
        }
    })
}

/// The stages, one after the other.
fn pipeline(text: &str, format: load::Format, overlays: &[load::Overlay], options: &Options) -> Result<Generated> {
    let mut doc = load::load_str_with(text, format, overlays)?;
    normalize::normalize(&mut doc)?;
    let api = model::build_with(&doc, &options.model)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated { files, warnings: api.warnings.clone(), api })
}

/// Spec file -> generated files.
pub fn generate_path(path: &std::path::Path, options: &Options) -> Result<Generated> {
    generate_path_with(path, &[], options)
}

/// [`generate_path`], with overlays applied, in order, to the spec before it is read.
pub fn generate_path_with(path: &std::path::Path, overlays: &[load::Overlay], options: &Options) -> Result<Generated> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    generate_with(&text, load::Format::from_path(path), overlays, options)
}
