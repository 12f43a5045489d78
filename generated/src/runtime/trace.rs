//! What the client tells `tracing` (crate feature `tracing`, on by default): one span per call,
//! an event per retry and per wait for a rate limit, and one warning per response that deviates from the spec. The API key,
//! request bodies and response values are never recorded.
//!
//! Without the feature these functions do nothing and cost nothing.

use std::time::Duration;

use super::decode::Deviation;
use super::request::ApiRequest;

#[cfg(feature = "tracing")]
pub(crate) use tracing::Span;

/// Stands in for `tracing::Span` without the feature.
#[cfg(not(feature = "tracing"))]
#[derive(Clone)]
pub(crate) struct Span;

/// The span of one call: `<crate name>.call` with the operation, method and path template; the
/// attempt count, status and duration are recorded when it ends.
#[cfg(feature = "tracing")]
pub(crate) fn call(req: &ApiRequest) -> Span {
    tracing::info_span!(
        concat!(env!("CARGO_PKG_NAME"), ".call"),
        operation = req.operation_id,
        method = %req.method,
        path = req.template,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    )
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn call(_: &ApiRequest) -> Span {
    Span
}

/// Runs `future` inside `span`.
#[cfg(feature = "tracing")]
pub(crate) async fn within<F: std::future::Future>(span: &Span, future: F) -> F::Output {
    use tracing::Instrument;
    future.instrument(span.clone()).await
}

#[cfg(not(feature = "tracing"))]
pub(crate) async fn within<F: std::future::Future>(_: &Span, future: F) -> F::Output {
    future.await
}

/// The attempt about to be made (1 for the first).
pub(crate) fn attempt(span: &Span, attempt: u32) {
    #[cfg(feature = "tracing")]
    span.record("attempt", attempt);
    #[cfg(not(feature = "tracing"))]
    let _ = (span, attempt);
}

/// The call's end: the last status (none after a transport error) and the time it took.
pub(crate) fn finish(span: &Span, status: Option<u16>, elapsed: Duration) {
    #[cfg(feature = "tracing")]
    {
        if let Some(status) = status {
            span.record("status", status);
        }
        span.record("duration_ms", elapsed.as_millis() as u64);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, status, elapsed);
}

/// A retry: why, and how long the client waits first.
pub(crate) fn retry(span: &Span, attempt: u32, reason: &str, wait: Duration) {
    #[cfg(feature = "tracing")]
    tracing::info!(parent: span, attempt, reason, wait_ms = wait.as_millis() as u64, "retrying");
    #[cfg(not(feature = "tracing"))]
    let _ = (span, attempt, reason, wait);
}

/// A wait before sending, for the rate limit's window to reset; `capped` when the reset is
/// further away than the call's retry policy lets it wait (the call is sent when it is up).
pub(crate) fn rate_limit_wait(span: &Span, wait: Duration, capped: bool) {
    #[cfg(feature = "tracing")]
    tracing::info!(parent: span, wait_ms = wait.as_millis() as u64, capped, "waiting for the rate limit to reset");
    #[cfg(not(feature = "tracing"))]
    let _ = (span, wait, capped);
}

/// The deviations of one response from the spec, as one warning: their paths and what was
/// expected there (not the values that came).
pub(crate) fn deviations(span: &Span, operation: &str, deviations: &[Deviation]) {
    #[cfg(feature = "tracing")]
    {
        let list: Vec<String> =
            deviations.iter().map(|d| format!("{} ({:?}, expected {})", d.path, d.kind, d.expected)).collect();
        tracing::warn!(
            parent: span,
            operation,
            count = deviations.len(),
            deviations = %list.join("; "),
            "the response deviates from the spec; decoded leniently"
        );
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, operation, deviations);
}
