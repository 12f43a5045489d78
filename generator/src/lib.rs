//! A generator of typed Rust clients from OpenAPI 3.0 and 3.1 descriptions.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: JSON or YAML text -> [`load::Document`] (every value checked, errors name a JSON pointer);
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
pub use error::{Error, Result, Warning};

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

/// Spec text -> generated files.
pub fn generate(text: &str, format: load::Format, options: &Options) -> Result<Generated> {
    let mut doc = load::load_str(text, format)?;
    normalize::normalize(&mut doc)?;
    let api = model::build(&doc)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated { files, warnings: api.warnings.clone(), api })
}

/// Spec file -> generated files.
pub fn generate_path(path: &std::path::Path, options: &Options) -> Result<Generated> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    generate(&text, load::Format::from_path(path), options)
}
