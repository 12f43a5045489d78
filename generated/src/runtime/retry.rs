//! [`RetryPolicy`]: which failures are retried, and how long to wait before each retry.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Which failed calls are retried and how long to wait in between.
///
/// Retried: HTTP 408, 429 and 5xx answers, timeouts and connection errors. `POST` and `PATCH` are
/// not idempotent, so they are only retried when the server cannot have acted on them: on HTTP 429
/// and when the connection could not be opened. The wait is an exponential backoff (doubling from
/// [`initial_backoff`](Self::initial_backoff) up to [`max_backoff`](Self::max_backoff), with
/// jitter), or the server's `Retry-After` (seconds or HTTP date) capped at
/// [`max_retry_after`](Self::max_retry_after).
///
/// The default makes up to 2 retries, starting at 500 ms; [`RetryPolicy::none`] never retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy: up to 2 retries.
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// How many times a call is retried after its first attempt (so at most `n + 1` attempts).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The backoff before the first retry; it doubles for every further retry.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The longest backoff between two attempts (when the server sends no `Retry-After`).
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The longest wait honoured from a `Retry-After` header; longer requests are cut to this.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Whether backoffs are randomised (between half and all of the computed delay). On by default.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The longest wait honoured from the server ([`max_retry_after`](Self::max_retry_after)):
    /// for a `Retry-After`, and for the reset of a rate limit's window.
    pub(crate) fn longest_server_wait(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry number `retry` (0 for the first retry). `retry_after` is what the
    /// server asked for; `random` is a number in `[0, 1]` that drives the jitter.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>, random: f64) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_retry_after);
        }
        let factor = 2u32.saturating_pow(retry);
        let base = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        if !self.jitter {
            return base;
        }
        let scale = 0.5 + 0.5 * random.clamp(0.0, 1.0);
        Duration::try_from_secs_f64(base.as_secs_f64() * scale).map_or(base, |d| d.min(base))
    }
}

/// HTTP 408, 429 and 5xx: answers that may go away when the call is repeated.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// Methods that may be repeated without changing the result.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

/// Whether a call that got `status` may be retried.
pub(crate) fn should_retry_status(method: &Method, status: StatusCode) -> bool {
    if is_idempotent(method) {
        is_retryable_status(status)
    } else {
        status == StatusCode::TOO_MANY_REQUESTS
    }
}

/// Whether a call that failed with a transport error may be retried.
pub(crate) fn should_retry_transport(method: &Method, err: &reqwest::Error) -> bool {
    if err.is_builder() || err.is_redirect() {
        return false;
    }
    // A connect error means nothing was sent, so even POST is safe to repeat.
    err.is_connect() || is_idempotent(method)
}

/// The `Retry-After` header of a response as a wait from `now`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, now)
}

/// Parses `Retry-After`: whole seconds, or an HTTP date (a date in the past means no wait).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let policy = RetryPolicy::new().initial_backoff(100 * MS).max_backoff(350 * MS).jitter(false);
        let delays: Vec<_> = (0..4).map(|n| policy.delay(n, None, 0.7)).collect();
        assert_eq!(delays, [100 * MS, 200 * MS, 350 * MS, 350 * MS]);
        assert_eq!(policy.delay(u32::MAX, None, 0.0), 350 * MS);
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_backoff() {
        let policy = RetryPolicy::new().initial_backoff(100 * MS);
        assert_eq!(policy.delay(1, None, 0.0), 100 * MS);
        assert_eq!(policy.delay(1, None, 1.0), 200 * MS);
        assert_eq!(policy.delay(1, None, 0.5), 150 * MS);
        let huge = RetryPolicy::new().initial_backoff(Duration::MAX).max_backoff(Duration::MAX);
        assert!(huge.delay(3, None, 1.0) <= Duration::MAX);
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let policy = RetryPolicy::new().max_retry_after(Duration::from_secs(10));
        assert_eq!(policy.delay(0, Some(Duration::from_secs(3)), 0.9), Duration::from_secs(3));
        assert_eq!(policy.delay(0, Some(Duration::from_secs(90)), 0.9), Duration::from_secs(10));
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn post_and_patch_retry_only_on_429() {
        for status in [408, 429, 500, 502, 503] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(should_retry_status(&Method::GET, status));
            assert!(should_retry_status(&Method::DELETE, status));
            assert_eq!(should_retry_status(&Method::POST, status), status == StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(should_retry_status(&Method::PATCH, status), status == StatusCode::TOO_MANY_REQUESTS);
        }
        for status in [400, 401, 404, 409, 422] {
            assert!(!should_retry_status(&Method::GET, StatusCode::from_u16(status).unwrap()));
        }
    }
}
