//! [`Error`], the one error type of the crate, and [`ApiError`], a non-success answer of the API.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

/// How much of an error body [`ApiError::body`] keeps.
const MAX_ERROR_BODY: usize = 4 * 1024;
/// How many characters of a body error messages quote.
const SNIPPET_CHARS: usize = 200;
/// The name errors give the API: the crate's own.
const API: &str = env!("CARGO_PKG_NAME");

/// Headers that may carry the server's request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-amzn-requestid"];

/// Everything that can go wrong when calling the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status other than 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The call did not complete within the client's timeout (after any retries).
    #[error("{API} request {operation} timed out")]
    Timeout {
        /// The `operationId` of the call.
        operation: &'static str,
    },
    /// The request could not be sent or the response could not be read (DNS, connection, TLS, ...).
    #[error("{API} request {operation} failed: {}", error_chain(.source))]
    Transport {
        /// The `operationId` of the call.
        operation: &'static str,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// A successful response whose body does not match the expected type. It names the place and
    /// what was expected there, never the body's text (a value may be a secret).
    #[error("cannot decode the {status} response of {operation} at `{path}`: {message} (a body of {body_len} bytes)")]
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The `operationId` of the call.
        operation: &'static str,
        /// The JSON path that failed, e.g. `data[0].conversationParts[3].bodyHtml`.
        path: String,
        /// What was expected and what kind of value came (`expected a boolean, found a string`,
        /// `missing field `id``), or where the body stops being JSON; never a value of the body.
        message: String,
        /// The length of the body in bytes.
        body_len: usize,
    },
    /// The request could not be built: bad base URL or header, a body that cannot be serialised, ...
    #[error("invalid {API} request: {0}")]
    InvalidRequest(String),
    /// A paginated listing returned a cursor it had already returned; the stream stops here
    /// instead of looping forever.
    #[error("pagination of {operation} stopped: the API returned the cursor `{cursor}` twice")]
    RepeatedCursor {
        /// The `operationId` of the listing.
        operation: &'static str,
        /// The cursor that came back again.
        cursor: String,
    },
}

impl Error {
    /// The HTTP status of the response this error comes from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(err) => Some(err.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The API's error answer, when the error is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(err) => Some(err),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: timeouts, transport errors and
    /// HTTP 408, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(err) => super::retry::is_retryable_status(err.status),
            Error::Timeout { .. } | Error::Transport { .. } => true,
            _ => false,
        }
    }

    /// Maps an error of the HTTP client.
    pub(crate) fn from_reqwest(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Error::Timeout { operation }
        } else if source.is_builder() {
            Error::InvalidRequest(format!("{operation}: {}", error_chain(&source)))
        } else {
            Error::Transport { operation, source }
        }
    }
}

/// One entry of the `details` list of a validation error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorDetail {
    /// The field the detail is about, e.g. `title`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// A non-2xx answer of the API, with the fields of its error body when it had them.
///
/// The API answers `{"error": {"type": ..., "code": ..., "message": ..., "param": ..., "status": ...}}`;
/// the same fields at the top level are accepted too, and a body that is not JSON at all (a proxy's
/// HTML page) is kept in [`body`](Self::body) and quoted in the message.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body's `type`, e.g. `invalid_request_error`.
    pub error_type: Option<String>,
    /// The body's `code`, e.g. `conversation_not_found`.
    pub code: Option<String>,
    /// The body's human-readable `message`.
    pub message: Option<String>,
    /// The body's `param`: the parameter the error is about.
    pub param: Option<String>,
    /// The body's `details` (validation errors name each failing field here).
    pub details: Vec<ApiErrorDetail>,
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// The server's request id (`x-request-id` or similar header), useful when contacting support.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body, lossily decoded as UTF-8 and cut after 4 KiB.
    pub body: String,
}

impl ApiError {
    /// Builds the error from a non-success response, reading the body tolerantly.
    pub(crate) fn from_response(operation: &'static str, status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let json = serde_json::from_slice::<Value>(body).ok();
        let top = json.as_ref().and_then(Value::as_object);
        let inner = top.and_then(|t| t.get("error")).and_then(Value::as_object).or(top);
        let field = |name: &str| inner.and_then(|o| o.get(name)).and_then(string_of);
        // `{"error": "Unauthorized", "message": ...}`: the string is the best message we have.
        let message = field("message")
            .or_else(|| top.and_then(|t| t.get("message")).and_then(string_of))
            .or_else(|| top.and_then(|t| t.get("error")).and_then(string_of));
        let details = inner
            .and_then(|o| o.get("details"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|d| {
                        let message = d.get("message").and_then(string_of)?;
                        Some(ApiErrorDetail { path: d.get("path").and_then(string_of).unwrap_or_default(), message })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()).map(str::to_owned));
        let kept = &body[..body.len().min(MAX_ERROR_BODY)];
        ApiError {
            status,
            error_type: field("type"),
            code: field("code"),
            message,
            param: field("param"),
            details,
            operation,
            request_id,
            headers,
            body: String::from_utf8_lossy(kept).into_owned(),
        }
    }

    /// How long the server asked to wait before retrying (`Retry-After`), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(&self.headers, SystemTime::now())
    }

    /// The rate limit the answer reports (`X-RateLimit-*` or `RateLimit-*` headers), if it says
    /// how many requests remain; see [`RateLimit`](super::RateLimit).
    pub fn rate_limit(&self) -> Option<super::RateLimit> {
        super::RateLimit::from_headers(&self.headers)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{API} API error {} in {}", self.status, self.operation)?;
        let kind: Vec<&str> = [&self.error_type, &self.code].into_iter().flatten().map(String::as_str).collect();
        if !kind.is_empty() {
            write!(f, ": {}", kind.join("/"))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if kind.is_empty() && self.message.is_none() && !self.body.trim().is_empty() {
            write!(f, ": {}", snippet(self.body.as_bytes()))?;
        }
        if let Some(param) = &self.param {
            write!(f, " (param: {param})")?;
        }
        for (i, detail) in self.details.iter().take(5).enumerate() {
            let sep = if i == 0 { " [" } else { "; " };
            write!(f, "{sep}{}: {}", detail.path, detail.message)?;
        }
        if !self.details.is_empty() {
            f.write_str("]")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id: {id})")?;
        }
        Ok(())
    }
}

impl StdError for ApiError {}

/// A JSON string, or a number or boolean shown as text.
fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first ~200 characters of a body, whitespace collapsed, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_CHARS * 4)]);
    let mut out = String::new();
    for (i, word) in head.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > SNIPPET_CHARS {
        out = out.chars().take(SNIPPET_CHARS).collect();
        out.push('…');
    }
    out
}

/// An error and its sources, joined with `: `.
fn error_chain(err: &dyn StdError) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ApiError {
        ApiError::from_response("getThing", StatusCode::NOT_FOUND, HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn nested_error_body() {
        let err = parse(
            r#"{"error":{"type":"invalid_request_error","code":"thing_not_found","message":"Thing not found","param":"id","status":404}}"#,
        );
        assert_eq!(
            err.to_string(),
            format!("{API} API error 404 Not Found in getThing: invalid_request_error/thing_not_found: Thing not found (param: id)")
        );
    }

    #[test]
    fn top_level_fields_and_details() {
        let err =
            parse(r#"{"code":"invalid_parameter","message":"Bad","details":[{"path":"title","message":"Required"}]}"#);
        assert_eq!(err.code.as_deref(), Some("invalid_parameter"));
        assert_eq!(
            err.to_string(),
            format!("{API} API error 404 Not Found in getThing: invalid_parameter: Bad [title: Required]")
        );
    }

    #[test]
    fn error_string_and_non_json_bodies() {
        assert_eq!(parse(r#"{"error":"Unauthorized"}"#).message.as_deref(), Some("Unauthorized"));
        let err = parse("<html>\n  <h1>Bad   gateway</h1></html>");
        assert_eq!(
            err.to_string(),
            format!("{API} API error 404 Not Found in getThing: <html> <h1>Bad gateway</h1></html>")
        );
        assert_eq!(parse("").to_string(), format!("{API} API error 404 Not Found in getThing"));
    }

    #[test]
    fn snippets_are_short() {
        let long = "é".repeat(1000);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert!(parse(&"x".repeat(10_000)).body.len() <= MAX_ERROR_BODY);
    }
}
