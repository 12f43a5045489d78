//! [`Client`] and [`ClientBuilder`]: configuration and the one send path every operation uses.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures_core::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;

use super::auth::Auth;
use super::decode::{self, Decoding, Deviation};
use super::error::{ApiError, Error};
use super::options::RequestOptions;
use super::rate_limit::{Pacer, RateLimit};
use super::request::ApiRequest;
use super::retry::{self, RetryPolicy};
use super::secret::SecretString;
use super::trace;
use crate::info::{API_VERSION, API_VERSION_HEADER, AUTH, DEFAULT_BASE_URL};

/// The per-request timeout unless [`ClientBuilder::timeout`] says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How the client waits between retries and for a rate limit's reset (replaceable in tests).
pub(crate) type SleepFn = Arc<dyn Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync>;

/// What [`ClientBuilder::on_deviation`] calls.
type DeviationHook = Arc<dyn Fn(&DeviationReport<'_>) + Send + Sync>;

/// A response that deviated from the spec and was decoded leniently, as
/// [`ClientBuilder::on_deviation`] hears of it: for every call, whether it was made with `send`,
/// `send_with_response`, `.await` or a stream's pages.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct DeviationReport<'a> {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// Where the body departed from the spec and how it was repaired (never empty).
    pub deviations: &'a [Deviation],
}

/// A successful response: status, headers, the decoded body and where it deviated from the spec.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The HTTP status (2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
    /// Where the body departed from the spec and was repaired (lenient decoding, the default);
    /// empty when it matched. See [`Deviation`].
    pub deviations: Vec<Deviation>,
}

impl<T> ApiResponse<T> {
    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body turned into another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse { status: self.status, headers: self.headers, body: f(self.body), deviations: self.deviations }
    }

    /// Where the body departed from the spec (a required property missing, `null` where it is
    /// not allowed, a value of another JSON type) and how it was repaired; empty when it matched.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The rate limit the response reports (`X-RateLimit-*` or `RateLimit-*` headers), if it
    /// says how many requests remain; see [`RateLimit`] for how the reset is read.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

/// The API client. Cloning is cheap: clones share configuration, connection pool and what the
/// client knows of the rate limit ([`ClientBuilder::pace`]).
///
/// ```no_run
/// # async fn demo() -> Result<(), featurebase::Error> {
/// let client = featurebase::Client::new("fb_api_key");
/// let custom = featurebase::Client::builder("fb_api_key")
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Per-call options on top of the configuration (see [`Client::with_options`]).
    options: Option<Arc<RequestOptions>>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    api_version: String,
    /// Credentials (marked sensitive), version, user agent and accept headers.
    headers: HeaderMap,
    /// Set when the API key cannot be sent (only possible through [`Client::new`]); never
    /// contains the key.
    key_error: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
    decoding: Decoding,
    /// Header names that per-call options may not set: the key's and the version's.
    protected: Vec<HeaderName>,
    sleep: SleepFn,
    /// Rate-limit pacing shared by the clones (`None`: turned off with [`ClientBuilder::pace`]).
    pacer: Option<Pacer>,
    on_deviation: Option<DeviationHook>,
    /// How many deviations responses to this client (and its clones) had.
    deviations: AtomicU64,
    /// The mock API the calls go to instead of `http` (crate feature `testing`).
    #[cfg(feature = "testing")]
    mock: Option<super::testing::Transport>,
}

impl Client {
    /// A client with the default configuration (see [`ClientBuilder`]).
    ///
    /// An API key that cannot be sent in an HTTP header (a newline, say) makes every call fail
    /// with [`Error::InvalidRequest`]; [`ClientBuilder::build`] reports it up front instead.
    ///
    /// # Panics
    ///
    /// Like `reqwest::Client::new`, if the HTTP client cannot be created: the TLS backend
    /// (rustls) cannot be initialised. Use [`Client::builder`] to get an [`Error`] instead.
    pub fn new(api_key: impl Into<String>) -> Client {
        match Client::builder(api_key).finish() {
            Ok(client) => client,
            Err(err) => panic!("cannot create the HTTP client: {err}"),
        }
    }

    /// Starts configuring a client.
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: SecretString::new(api_key.into()),
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_version: API_VERSION.to_owned(),
            auth: AUTH,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            decoding: Decoding::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            sleep: None,
            pace: true,
            on_deviation: None,
            #[cfg(feature = "testing")]
            mock: None,
        }
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The API version sent with every request.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// How responses are decoded: leniently (the default) or strictly ([`ClientBuilder::strict`]).
    pub fn decoding(&self) -> Decoding {
        self.inner.decoding
    }

    /// How many deviations from the spec the responses to this client (and its clones) had, all
    /// repaired by lenient decoding: a counter to watch whatever way the calls were made (see
    /// also [`ClientBuilder::on_deviation`]).
    pub fn deviation_count(&self) -> u64 {
        self.inner.deviations.load(Ordering::Relaxed)
    }

    /// This client with `options` for the calls made through it (a timeout, a retry policy,
    /// extra headers), on top of any it already has. Request builders take them with their
    /// `options` method; the client it was made from is unchanged.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let merged = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Client { inner: self.inner.clone(), options: Some(Arc::new(merged)) }
    }

    /// Sends `req` and decodes the JSON body of the 2xx answer as `T`.
    ///
    /// An empty body (e.g. HTTP 204) decodes as `null`, so `T = ()` and `T = Option<_>` accept it.
    /// A body that deviates from the spec is repaired and its deviations are on the response
    /// ([`ApiResponse::deviations`]) and logged, unless the client is strict.
    pub async fn execute<T: DeserializeOwned>(&self, req: ApiRequest) -> Result<ApiResponse<T>, Error> {
        let operation = req.operation_id;
        let span = trace::call(&req);
        let raw = Box::pin(trace::within(&span, self.send(req, &span))).await?;
        let (body, deviations) = decode::decode(operation, raw.status, &raw.body, self.inner.decoding)?;
        if !deviations.is_empty() {
            self.deviated(&span, operation, raw.status, &deviations);
        }
        Ok(ApiResponse { status: raw.status, headers: raw.headers, body, deviations })
    }

    /// Tells the tracing warning, the counter and the hook of a response's deviations.
    #[cold]
    fn deviated(&self, span: &trace::Span, operation: &'static str, status: StatusCode, deviations: &[Deviation]) {
        trace::deviations(span, operation, deviations);
        self.inner.deviations.fetch_add(deviations.len() as u64, Ordering::Relaxed);
        if let Some(hook) = &self.inner.on_deviation {
            hook(&DeviationReport { operation, status, deviations });
        }
    }

    /// Sends `req` and returns the raw body of the 2xx answer (for binary or text responses).
    ///
    /// The client sends `Accept: application/json` unless the request sets its own `accept` header.
    pub async fn execute_bytes(&self, req: ApiRequest) -> Result<ApiResponse<Bytes>, Error> {
        let span = trace::call(&req);
        // Boxed so that the futures of the generated operations stay small.
        Box::pin(trace::within(&span, self.send(req, &span))).await
    }

    /// The send path shared by every call: auth, headers, retries, error mapping, and the
    /// call's span (attempts, status, duration).
    async fn send(&self, req: ApiRequest, span: &trace::Span) -> Result<ApiResponse<Bytes>, Error> {
        let started = Instant::now();
        let mut status = None;
        let result = self.send_attempts(&req, span, &mut status).await;
        trace::finish(span, status, started.elapsed());
        result
    }

    async fn send_attempts(
        &self,
        req: &ApiRequest,
        span: &trace::Span,
        status: &mut Option<u16>,
    ) -> Result<ApiResponse<Bytes>, Error> {
        let inner = &*self.inner;
        if let Some(message) = &inner.key_error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let url = self.url_for(req)?;
        let headers = self.headers_for(req)?;
        let options = self.options.as_deref();
        let timeout = options.and_then(|o| o.timeout).unwrap_or(inner.timeout);
        let policy = options.and_then(|o| o.retry.as_ref()).unwrap_or(&inner.retry);
        let operation = req.operation_id;
        let pacer = inner.pacer.as_ref().filter(|_| options.and_then(|o| o.pace) != Some(false));
        // A window this call already slept through for its own 429's `Retry-After`.
        let mut waited_for = None;
        let mut retry = 0;
        loop {
            let permit = match pacer {
                Some(pacer) => Some(pacer.acquire(policy.longest_server_wait(), &inner.sleep, span, waited_for).await),
                None => None,
            };
            trace::attempt(span, retry + 1);
            let result = self.attempt(req, &url, &headers, timeout).await;
            // Dropped without an answer after a transport error.
            let closed = match (&result, permit) {
                (Ok(raw), Some(permit)) => permit.observe(raw.status, &raw.headers),
                _ => None,
            };
            let (retry_after, reason) = match result {
                Ok(raw) if raw.status.is_success() => {
                    *status = Some(raw.status.as_u16());
                    return Ok(raw);
                }
                Ok(raw) => {
                    *status = Some(raw.status.as_u16());
                    if retry >= policy.retries() || !retry::should_retry_status(&req.method, raw.status) {
                        let error = ApiError::from_response(operation, raw.status, raw.headers, &raw.body);
                        return Err(Error::Api(Box::new(error)));
                    }
                    (retry::retry_after(&raw.headers, SystemTime::now()), format!("HTTP {}", raw.status.as_u16()))
                }
                Err(err) => {
                    *status = None;
                    if retry >= policy.retries() || !err.retryable(&req.method) {
                        return Err(err.into_error(operation));
                    }
                    (None, err.reason().to_owned())
                }
            };
            let wait = policy.delay(retry, retry_after, fastrand::f64());
            trace::retry(span, retry + 1, &reason, wait);
            (inner.sleep)(wait).await;
            waited_for = if retry_after.is_some() { closed } else { None };
            retry += 1;
        }
    }

    /// One attempt of `req`: through the HTTP client, or to the mock API the client was made by
    /// (crate feature `testing`).
    async fn attempt(
        &self,
        req: &ApiRequest,
        url: &Url,
        headers: &HeaderMap,
        timeout: Duration,
    ) -> Result<ApiResponse<Bytes>, Failure> {
        #[cfg(feature = "testing")]
        if let Some(mock) = &self.inner.mock {
            return match mock.answer(req, headers) {
                super::testing::Reply::Response(raw) => Ok(raw),
                super::testing::Reply::TimedOut => Err(Failure::TimedOut),
            };
        }
        let mut builder =
            self.inner.http.request(req.method.clone(), url.clone()).headers(headers.clone()).timeout(timeout);
        if let Some(body) = &req.body {
            builder = builder.body(body.bytes.clone());
        }
        attempt(builder).await.map_err(Failure::Http)
    }

    /// Base URL + path + encoded query.
    fn url_for(&self, req: &ApiRequest) -> Result<Url, Error> {
        let invalid =
            |why: &str| Error::InvalidRequest(format!("{}: invalid path `{}`: {why}", req.operation_id, req.path));
        let path = req.path.strip_prefix('/').unwrap_or(&req.path);
        // URL parsing would resolve `.` and `..` (even percent-encoded) and so call another endpoint.
        for segment in path.split('/') {
            if matches!(segment.to_ascii_lowercase().as_str(), "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e.") {
                return Err(invalid("`.` and `..` are not allowed as path segments"));
            }
        }
        if path.contains("//") {
            return Err(invalid("empty path segment (an empty identifier?)"));
        }
        let mut url = Url::parse(&format!("{}/{path}", self.inner.base_url)).map_err(|e| invalid(&e.to_string()))?;
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter().map(|(name, value)| (*name, value.as_str())));
        }
        Ok(url)
    }

    /// The client's headers, then the body's content type, then the request's own headers.
    fn headers_for(&self, req: &ApiRequest) -> Result<HeaderMap, Error> {
        let mut headers = self.inner.headers.clone();
        if let Some(body) = &req.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(body.content_type));
        }
        for (name, value) in &req.headers {
            let invalid = || Error::InvalidRequest(format!("{}: invalid header `{name}`", req.operation_id));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            // Cookie parameters join a cookie the client sends for its key.
            match headers.get(COOKIE) {
                Some(existing) if name == COOKIE => {
                    let mut joined = existing.as_bytes().to_vec();
                    joined.extend_from_slice(b"; ");
                    joined.extend_from_slice(value.as_bytes());
                    let mut joined = HeaderValue::from_bytes(&joined).map_err(|_| invalid())?;
                    joined.set_sensitive(true);
                    headers.insert(COOKIE, joined);
                }
                _ => {
                    headers.insert(name, value);
                }
            }
        }
        if let Some(options) = &self.options {
            for (name, value) in &options.headers {
                let invalid = |why: &str| Error::InvalidRequest(format!("{}: header `{name}` {why}", req.operation_id));
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("is not a header name"))?;
                if self.inner.protected.contains(&name) {
                    return Err(invalid("is the client's own (the API key or version); it cannot be set per call"));
                }
                let value = HeaderValue::from_str(value).map_err(|_| invalid("has a value that cannot be sent"))?;
                headers.insert(name, value);
            }
        }
        Ok(headers)
    }
}

/// Why an attempt got no response.
enum Failure {
    /// The HTTP client's error.
    Http(reqwest::Error),
    /// The mock API let the attempt time out (crate feature `testing`).
    #[cfg(feature = "testing")]
    TimedOut,
}

impl Failure {
    /// Whether the call may be retried after it.
    fn retryable(&self, method: &Method) -> bool {
        match self {
            Failure::Http(err) => retry::should_retry_transport(method, err),
            #[cfg(feature = "testing")]
            Failure::TimedOut => retry::is_idempotent(method),
        }
    }

    /// What the retry is for, as traces say.
    fn reason(&self) -> &'static str {
        match self {
            Failure::Http(err) if !err.is_timeout() => "connection error",
            _ => "timeout",
        }
    }

    /// The error the call fails with.
    fn into_error(self, operation: &'static str) -> Error {
        match self {
            Failure::Http(err) => Error::from_reqwest(operation, err),
            #[cfg(feature = "testing")]
            Failure::TimedOut => Error::Timeout { operation },
        }
    }
}

/// One attempt: send, then read the whole body.
async fn attempt(builder: reqwest::RequestBuilder) -> Result<ApiResponse<Bytes>, reqwest::Error> {
    let mut response = builder.send().await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(ApiResponse { status, headers, body, deviations: Vec::new() })
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("api_version", &inner.api_version)
            .field("api_key", &"[redacted]")
            .field("timeout", &inner.timeout)
            .field("retry_policy", &inner.retry)
            .field("decoding", &inner.decoding)
            .field("pace", &inner.pacer.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; made by [`Client::builder`].
pub struct ClientBuilder {
    api_key: SecretString,
    base_url: String,
    api_version: String,
    auth: Auth,
    timeout: Duration,
    retry: RetryPolicy,
    decoding: Decoding,
    user_agent: String,
    http: Option<reqwest::Client>,
    sleep: Option<SleepFn>,
    pace: bool,
    on_deviation: Option<DeviationHook>,
    #[cfg(feature = "testing")]
    mock: Option<super::testing::Transport>,
}

impl ClientBuilder {
    /// Whether a response that deviates from the spec is an error (`true`), or is repaired and
    /// its deviations reported (`false`, the default). See [`Decoding`] and [`Deviation`].
    pub fn strict(mut self, strict: bool) -> Self {
        self.decoding = if strict { Decoding::Strict } else { Decoding::Lenient };
        self
    }

    /// Calls `hook` for every response that deviated from the spec and was repaired (lenient
    /// decoding), after the `tracing` warning: for `send`, `send_with_response`, `.await` and
    /// every page of a stream alike, so that deviations reach code that only sees the bodies.
    /// It runs on the task that made the call; keep it quick (count, log, forward).
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// let seen = Arc::new(AtomicUsize::new(0));
    /// let counter = seen.clone();
    /// let client = featurebase::Client::builder("fb_api_key")
    ///     .on_deviation(move |report| {
    ///         counter.fetch_add(report.deviations.len(), Ordering::Relaxed);
    ///         eprintln!("{} deviated from the spec: {:?}", report.operation, report.deviations);
    ///     })
    ///     .build();
    /// ```
    pub fn on_deviation(mut self, hook: impl Fn(&DeviationReport<'_>) + Send + Sync + 'static) -> Self {
        self.on_deviation = Some(Arc::new(hook));
        self
    }

    /// The server to talk to (default [`DEFAULT_BASE_URL`]); a trailing slash is ignored.
    /// Handy for mock servers and proxies.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The API version to request (default [`API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// How the key is sent (default [`AUTH`], from the spec's security schemes).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// The timeout of one attempt, from connecting to reading the whole body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Which failures are retried (default [`RetryPolicy::default`]: up to 2 retries).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `<crate name>-rust/<crate version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sends requests through this `reqwest::Client` (proxies, TLS settings, shared pools).
    /// The timeout above still applies to each request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Whether calls wait for the rate limit's window (default `true`): when a response says no
    /// requests remain (`X-RateLimit-Remaining: 0` or `RateLimit-Remaining: 0`), or a 429 says
    /// when to come back, later calls of this client and its clones wait for the reset instead of
    /// running into 429s, and concurrent calls never send more than the window allows. An API
    /// that sends no rate-limit headers is not paced. A wait lasts at most the retry policy's
    /// [`max_retry_after`](RetryPolicy::max_retry_after); then the call is sent. One call can
    /// opt out with [`RequestOptions::pace`].
    pub fn pace(mut self, pace: bool) -> Self {
        self.pace = pace;
        self
    }

    /// Replaces how the client waits between retries and for a rate limit's reset; for tests
    /// that observe the chosen delays without sleeping. Not part of the stable API.
    #[doc(hidden)]
    pub fn sleep_fn(mut self, sleep: impl Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Sends the calls to a mock API instead of over HTTP.
    #[cfg(feature = "testing")]
    pub(crate) fn mock(mut self, transport: super::testing::Transport) -> Self {
        self.mock = Some(transport);
        self
    }

    /// Checks the configuration and creates the client.
    ///
    /// Fails with [`Error::InvalidRequest`] when the base URL is not an absolute `http`/`https` URL,
    /// or the API key, API version or user agent cannot be sent in an HTTP header.
    pub fn build(self) -> Result<Client, Error> {
        let client = self.finish()?;
        match &client.inner.key_error {
            Some(message) => Err(Error::InvalidRequest(message.clone())),
            None => Ok(client),
        }
    }

    /// [`build`](Self::build), except that a bad API key fails the calls instead.
    fn finish(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::InvalidRequest(format!("invalid user agent `{}`", self.user_agent)))?;
        headers.insert(USER_AGENT, user_agent);
        if let Some(name) = API_VERSION_HEADER {
            let invalid = || Error::InvalidRequest(format!("invalid API version `{}`", self.api_version));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            headers.insert(name, HeaderValue::from_str(&self.api_version).map_err(|_| invalid())?);
        }
        let key_error = self.auth.apply(self.api_key.expose(), &mut headers).err();
        // What the client sends for the key and the version, which per-call headers may not replace.
        let mut protected: Vec<HeaderName> =
            headers.keys().filter(|name| **name != ACCEPT && **name != USER_AGENT).cloned().collect();
        protected.push(reqwest::header::AUTHORIZATION);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| Error::InvalidRequest(format!("cannot create the HTTP client: {e}")))?,
        };
        let sleep = self.sleep.unwrap_or_else(|| Arc::new(|delay| Box::pin(tokio::time::sleep(delay))));
        let inner = Inner {
            http,
            base_url,
            api_version: self.api_version,
            headers,
            key_error,
            timeout: self.timeout,
            retry: self.retry,
            decoding: self.decoding,
            protected,
            sleep,
            pacer: self.pace.then(Pacer::new),
            on_deviation: self.on_deviation,
            deviations: AtomicU64::new(0),
            #[cfg(feature = "testing")]
            mock: self.mock,
        };
        Ok(Client { inner: Arc::new(inner), options: None })
    }
}

/// Checks a base URL and drops its trailing slashes.
fn parse_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim().trim_end_matches('/');
    let invalid = |why: &str| Error::InvalidRequest(format!("invalid base URL `{raw}`: {why}"));
    let url = Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or fragment"));
    }
    Ok(trimmed.to_owned())
}

/// Shows the configuration; the API key is never printed.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry)
            .field("decoding", &self.decoding)
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http.is_some())
            .field("pace", &self.pace)
            .field("on_deviation", &self.on_deviation.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(parse_base_url("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(parse_base_url("https://x.test/api//").unwrap(), "https://x.test/api");
        for bad in ["", "not a url", "ftp://x.test", "https://x.test/?a=b", "/relative"] {
            let err = parse_base_url(bad).unwrap_err();
            assert!(err.to_string().contains("invalid base URL"), "{bad}: {err}");
        }
    }

    #[test]
    fn dot_segments_and_empty_segments_are_refused() {
        let client = Client::new("key");
        for path in ["/v2/things/..", "/v2/things/%2E", "/v2//x"] {
            let req = ApiRequest::new(reqwest::Method::GET, path, "getThing");
            assert!(client.url_for(&req).is_err(), "{path}");
        }
        let req = ApiRequest::new(reqwest::Method::GET, "/v2/things/a%2Fb", "getThing").query("q", "a b&c");
        let expected = format!("{DEFAULT_BASE_URL}/v2/things/a%2Fb?q=a+b%26c");
        assert_eq!(client.url_for(&req).unwrap().as_str(), expected);
    }

    #[test]
    fn empty_bodies_decode_as_null() {
        let decode = |status, body: &[u8]| decode::decode::<Option<u8>>("op", status, body, Decoding::Lenient);
        assert_eq!(decode::decode::<()>("op", StatusCode::NO_CONTENT, b"", Decoding::Strict).unwrap().0, ());
        assert_eq!(decode(StatusCode::OK, b" \n").unwrap().0, None);
        let err = decode(StatusCode::OK, b"1 2").unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[test]
    fn bad_api_keys_are_reported() {
        let err = Client::builder("a\nb").build().unwrap_err();
        assert!(err.to_string().contains("API key"), "{err}");
        assert!(!format!("{err:?}").contains("a\nb"));
    }
}
