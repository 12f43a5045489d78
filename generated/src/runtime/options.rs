//! [`RequestOptions`]: what one call may set apart from the client's configuration.

use std::fmt;
use std::time::Duration;

use super::retry::RetryPolicy;

/// Options for one call: a timeout, a retry policy, extra headers and rate-limit pacing that
/// differ from the client's. Give them to any request builder with its `options` method
/// (`client.<resource>().<operation>().options(options)`), or to every call of a client clone:
///
/// ```no_run
/// # fn demo(client: featurebase::Client) {
/// use featurebase::{RequestOptions, RetryPolicy};
/// use std::time::Duration;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::none())
///     .header("X-Request-Source", "nightly-sync");
/// let nightly = client.with_options(options);
/// # }
/// ```
///
/// Extra headers cannot replace what the client sends itself: the API key's header (or cookie)
/// and the API version header. Such a header makes the call fail with
/// [`Error::InvalidRequest`](super::Error::InvalidRequest) before anything is sent.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) pace: Option<bool>,
}

impl RequestOptions {
    /// No options: the client's configuration applies.
    pub fn new() -> Self {
        Self::default()
    }

    /// The timeout of each attempt of this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Which failures of this call are retried, and how long to wait in between.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A header to send with this call besides the client's (a later value of the same name wins).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Whether this call waits for the rate limit's window (`true`, the default unless the
    /// client was built with [`ClientBuilder::pace(false)`](super::ClientBuilder::pace)). With
    /// `false` it is sent at once, whatever the client knows of the window, and its answer does
    /// not count towards what the client knows; a 429 it gets is retried by the retry policy.
    /// `true` cannot turn pacing on for a client built without it.
    pub fn pace(mut self, pace: bool) -> Self {
        self.pace = Some(pace);
        self
    }

    /// These options, then `later`'s on top (a setting of `later` wins).
    pub(crate) fn merged(&self, later: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(later.headers);
        RequestOptions {
            timeout: later.timeout.or(self.timeout),
            retry: later.retry.or_else(|| self.retry.clone()),
            headers,
            pace: later.pace.or(self.pace),
        }
    }
}

/// Header values are left out: callers may put tokens of their own in them.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &names)
            .field("pace", &self.pace)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_options_win_and_headers_add_up() {
        let first = RequestOptions::new().timeout(Duration::from_secs(1)).header("a", "1");
        let merged = first.merged(RequestOptions::new().retry_policy(RetryPolicy::none()).header("b", "2").pace(false));
        assert_eq!(merged.timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.pace, Some(false));
        assert_eq!(merged.merged(RequestOptions::new().pace(true)).pace, Some(true));
        assert_eq!(merged.retry, Some(RetryPolicy::none()));
        assert_eq!(merged.headers, vec![("a".into(), "1".into()), ("b".into(), "2".into())]);
        assert!(!format!("{merged:?}").contains('2'), "{merged:?}");
    }
}
