//! The hand-written runtime the generated code stands on.
//!
//! Nothing in here knows an endpoint of the API: the generated `types` and `resources` modules
//! describe the API, this module moves bytes. It is small on purpose so that every one of the
//! generated operations shares one send path (auth, version header, retries, errors, decoding).
//!
//! | module | what it does |
//! |---|---|
//! | `nullable` | [`Nullable`]: absent / `null` / value, for optional fields that may be `null` |
//! | `string_enum` | `string_enum!`: declares a generated string enum with an `Unknown` fallback, and its serde impls |
//! | `tagged` | `tagged_union!` and the deserializer of tagged unions: find the tag, decode the variant, keep unknown tags |
//! | `client` | [`Client`] and [`ClientBuilder`]: base URL, auth, version header, timeouts |
//! | `request` | [`ApiRequest`]: method, encoded path, query pairs and body of one call |
//! | `operation` | what every request builder shares: `operation!` (send, `.await`, options), streams |
//! | `body` | request bodies that are not JSON: form-encoded and multipart |
//! | `error` | [`Error`]: API, transport, timeout and decode errors |
//! | `retry` | [`RetryPolicy`]: which failures are retried, backoff with jitter, `Retry-After` |
//! | `pagination` | cursor and page-number streams over list endpoints |
//! | `secret` | [`Secret`]: the API key and secrets in the API's data, redacted in `Debug`, missing rather than empty when a response leaves one out |
//! | `decode` | response bodies: strict, or lenient with reported [`Deviation`]s, in one pass; `struct_deserialize!` and `untagged_union!`, the decoders of generated structs and untagged unions |
//! | `options` | [`RequestOptions`]: timeout, retry policy, headers and pacing of one call |
//! | `rate_limit` | [`RateLimit`]: the rate-limit headers of a response, and the pacing that keeps a client within its window |
//! | `trace` | spans and events for `tracing` (crate feature `tracing`) |
//! | `webhooks` | receiving webhooks: signature schemes, [`webhooks::Verifier`] (crate feature `webhook-events`) |
//! | `testing` | the mock API that the crate's `testing` module gives typed accessors, and the transport the client sends its calls to it by (crate feature `testing`) |

mod auth;
pub mod body;
mod client;
pub mod decode;
mod error;
mod nullable;
pub mod operation;
mod options;
mod pagination;
mod rate_limit;
mod request;
mod retry;
mod secret;
pub mod string_enum;
pub mod tagged;
#[cfg(feature = "testing")]
pub(crate) mod testing;
mod trace;
#[cfg(feature = "webhook-events")]
pub mod webhooks;

pub use auth::Auth;
pub use client::{ApiResponse, Client, ClientBuilder, DeviationReport};
pub use decode::{Decoding, Deviation, DeviationKind};
pub use error::{ApiError, ApiErrorDetail, Error};
pub use nullable::Nullable;
pub use operation::{cursor_stream, page_stream, Call};
pub use options::RequestOptions;
pub use pagination::{CursorPage, ItemStream, NumberedPage};
pub use rate_limit::RateLimit;
pub use request::{encode_path_segment, list_text, param_text, ApiRequest};
pub use retry::RetryPolicy;
pub use secret::{MissingSecret, Secret};

// The macros the generated code calls (`crate::runtime::string_enum!` and the others).
#[allow(unused_imports)] // in a crate whose spec has no struct or no untagged union
#[doc(hidden)]
pub use decode::{struct_deserialize, untagged_union};
#[allow(unused_imports)] // without any resource feature
pub(crate) use operation::operation;
pub(crate) use string_enum::string_enum;
pub(crate) use tagged::tagged_union;
