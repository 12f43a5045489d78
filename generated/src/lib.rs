//! Typed async client for the Featurebase REST API.
//!
//! The `types` module is generated from the API's OpenAPI description by `cargo xtask generate`;
//! the `runtime` module is hand-written and holds the client, errors, retries and pagination.

pub mod runtime;
// Generated files are formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
pub mod types;
#[rustfmt::skip]
pub mod resources;

#[rustfmt::skip]
mod info;

pub use info::*;
pub use resources::ErrorCode;
pub use reqwest::{Method, StatusCode};
pub use runtime::{
    ApiError, ApiErrorDetail, ApiRequest, ApiResponse, Client, ClientBuilder, Error, ItemStream, Nullable, RetryPolicy,
};

/// The result type of every call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
