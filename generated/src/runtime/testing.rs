//! A mock of the API for the tests of code that uses the client (crate feature `testing`).
//!
//! [`MockApi`] stands in for the server. Its accessors mirror the client's
//! (`mock.conversations().list()` for `client.conversations().list()`; they are generated, in the
//! crate's `testing` module) and each sets up an [`Expect`]: what calls of the operation it
//! matches (path and query parameters by name, a predicate on the typed body, how many times),
//! then what it answers: a typed value ([`Expect::returns`]), an API error
//! ([`Expect::returns_error`]) or a [`Fault`]. The client from [`MockApi::client`] sends its calls
//! to the mock through the same send path as to a server (retries, `Retry-After`, error mapping,
//! decoding), without a socket: on any runtime, in any test.
//!
//! What was called can be read back ([`MockApi::calls`], [`Expectation::calls`]); expectations
//! left unmet and calls no expectation matched are reported by [`MockApi::verify`], and when the
//! mock is dropped.
//!
//! ```text
//! let mock = featurebase::testing::MockApi::new();
//! mock.conversations().get().path_param("id", "1").returns(conversation);
//! let client = mock.client();
//! // ... code under test, with `client` ...
//! mock.verify();
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::ops::{RangeFrom, RangeFull, RangeInclusive};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::client::{ApiResponse, Client, ClientBuilder};
use super::request::ApiRequest;
use crate::resources::ErrorCode;

/// The base URL of the clients a mock hands out (nothing is sent there).
const MOCK_BASE_URL: &str = "http://mock-api.invalid";
/// What [`Fault::MalformedBody`] answers: neither JSON nor UTF-8 text.
const MALFORMED_BODY: &[u8] = b"{\"malformed\": \xff";

/// A mock of the API: set up what it expects, hand its [`client`](Self::client) to the code
/// under test, then [`verify`](Self::verify) (or drop it) to be told of expectations left unmet
/// and calls it did not expect.
///
/// Expectations are tried in the order they were set: the first whose operation and matchers
/// fit the call, and that has calls left (see [`Expect::times`]), answers it. A call none
/// answers is recorded as unexpected and answered with HTTP 404 and an error body that says
/// why each expectation of the operation did not match.
///
/// Its own methods are `new`, `client`, `client_builder`, `calls`, `verify` and `try_verify`; the
/// accessor of a resource named like one of them takes a trailing `_` (`mock.calls_()` for
/// `client.calls()`).
pub struct MockApi {
    state: Arc<State>,
}

/// What a mock and the clients it handed out share.
struct State {
    expectations: Mutex<Vec<Arc<Registered>>>,
    calls: Mutex<Vec<Call>>,
    /// Why each unexpected call was not answered.
    unexpected: Mutex<Vec<String>>,
    /// Whether the mock was verified since its last change (then dropping it checks nothing).
    verified: AtomicBool,
}

/// Locks a mutex, also after a panic in a test thread that held it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Default for MockApi {
    fn default() -> Self {
        Self::new()
    }
}

impl MockApi {
    /// A mock that expects nothing yet.
    pub fn new() -> Self {
        let state = State {
            expectations: Mutex::new(Vec::new()),
            calls: Mutex::new(Vec::new()),
            unexpected: Mutex::new(Vec::new()),
            verified: AtomicBool::new(false),
        };
        MockApi { state: Arc::new(state) }
    }

    /// A client whose calls go to this mock, with the default configuration (retries included:
    /// see [`client_builder`](Self::client_builder) to change it).
    ///
    /// # Panics
    ///
    /// If the HTTP client cannot be created, as [`Client::new`].
    pub fn client(&self) -> Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(err) => panic!("cannot create the client of the mock API: {err}"),
        }
    }

    /// A client builder whose clients send their calls to this mock: set a retry policy, a
    /// timeout or strict decoding on it as for a real client, then `build` it. Its base URL is
    /// not used.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder("mock-api-key").base_url(MOCK_BASE_URL).mock(Transport(self.state.clone()))
    }

    /// Every call the clients made, in order, answered or not (a retried call is one call per
    /// attempt).
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state.calls).clone()
    }

    /// Checks that every expectation got the calls it expects and that no call went unanswered.
    ///
    /// # Panics
    ///
    /// With a report naming each unmet expectation and each unexpected call.
    #[track_caller]
    pub fn verify(&self) {
        if let Err(report) = self.try_verify() {
            panic!("{report}");
        }
    }

    /// [`verify`](Self::verify), returning the report instead of panicking. Either way, dropping
    /// the mock then checks nothing more unless it is used again.
    pub fn try_verify(&self) -> Result<(), Unverified> {
        self.state.verified.store(true, Ordering::SeqCst);
        let unmet: Vec<String> = lock(&self.state.expectations)
            .iter()
            .filter_map(|e| {
                let count = e.count.load(Ordering::SeqCst);
                (count < e.times.min)
                    .then(|| format!("{}: expected {}, called {}", e.description, e.times, plural(count, "time")))
            })
            .collect();
        let unexpected = lock(&self.state.unexpected).clone();
        if unmet.is_empty() && unexpected.is_empty() {
            Ok(())
        } else {
            Err(Unverified { unmet, unexpected })
        }
    }
}

impl State {
    fn register(&self, expectation: Registered) -> usize {
        let mut all = lock(&self.expectations);
        all.push(Arc::new(expectation));
        self.verified.store(false, Ordering::SeqCst);
        all.len() - 1
    }
}

impl fmt::Debug for MockApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expectations: Vec<String> = lock(&self.state.expectations).iter().map(|e| e.description.clone()).collect();
        f.debug_struct("MockApi")
            .field("expectations", &expectations)
            .field("calls", &lock(&self.state.calls).len())
            .finish()
    }
}

/// Verifies the mock unless it was verified since its last change, or the thread is already
/// panicking (a failed assertion says more than the mock would).
impl Drop for MockApi {
    fn drop(&mut self) {
        if std::thread::panicking() || self.state.verified.load(Ordering::SeqCst) {
            return;
        }
        if let Err(report) = self.try_verify() {
            panic!("{report}");
        }
    }
}

/// Expectations left unmet and calls no expectation answered, as [`MockApi::try_verify`] reports
/// them; its `Display` is the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverified {
    unmet: Vec<String>,
    unexpected: Vec<String>,
}

impl Unverified {
    /// Each expectation that got fewer calls than it expects: its operation, matchers and counts.
    pub fn unmet(&self) -> &[String] {
        &self.unmet
    }

    /// Each call no expectation answered: its operation and request, and why each expectation
    /// of that operation did not match.
    pub fn unexpected(&self) -> &[String] {
        &self.unexpected
    }
}

impl fmt::Display for Unverified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the mock API was not called as expected:")?;
        for unmet in &self.unmet {
            write!(f, "\n- unmet expectation: {unmet}")?;
        }
        for unexpected in &self.unexpected {
            write!(f, "\n- {unexpected}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Unverified {}

/// How a mock encodes the answer of an operation whose response type is `R`.
type Encode<R> = fn(&R) -> Result<Vec<u8>, String>;
/// How a mock decodes the body of an operation whose body type is `B`.
type Decode<B> = fn(&[u8]) -> Result<B, String>;
/// A predicate on a request body (`Err`: the body does not decode).
type BodyTest = Box<dyn Fn(&[u8]) -> Result<bool, String> + Send + Sync>;

/// How an operation is on the wire, for its mock; written by the generated accessors.
#[doc(hidden)]
pub struct MockOperation<R, B = ()> {
    operation_id: &'static str,
    method: &'static str,
    template: &'static str,
    status: u16,
    path_params: Vec<&'static str>,
    query_params: Vec<&'static str>,
    content_type: Option<&'static str>,
    encode: Encode<R>,
    decode_body: Option<Decode<B>>,
}

impl<R, B> MockOperation<R, B> {
    /// An operation whose success answers `status` with no body (see the `*_response` methods).
    pub fn new(operation_id: &'static str, method: &'static str, template: &'static str, status: u16) -> Self {
        MockOperation {
            operation_id,
            method,
            template,
            status,
            path_params: Vec::new(),
            query_params: Vec::new(),
            content_type: None,
            encode: |_| Ok(Vec::new()),
            decode_body: None,
        }
    }

    /// One of its path parameters, named as the path template writes it (one call each, so
    /// that a parameter a new API version adds is a line of its own in the generated code).
    pub fn path_param(mut self, name: &'static str) -> Self {
        self.path_params.push(name);
        self
    }

    /// One of its query parameters, named as it is sent.
    pub fn query_param(mut self, name: &'static str) -> Self {
        self.query_params.push(name);
        self
    }
}

impl<R: Serialize, B> MockOperation<R, B> {
    /// Its response is JSON of type `R`, with this content type.
    pub fn json_response(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self.encode = |value| serde_json::to_vec(value).map_err(|e| e.to_string());
        self
    }
}

impl<B> MockOperation<String, B> {
    /// Its response is text of this content type.
    pub fn text_response(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self.encode = |text| Ok(text.as_bytes().to_vec());
        self
    }
}

impl<B> MockOperation<Bytes, B> {
    /// Its response is bytes of this content type.
    pub fn bytes_response(mut self, content_type: &'static str) -> Self {
        self.content_type = Some(content_type);
        self.encode = |bytes| Ok(bytes.to_vec());
        self
    }
}

impl<R, B: DeserializeOwned> MockOperation<R, B> {
    /// Its request body is JSON of type `B` (which [`Expect::body`] matches on).
    pub fn json_body(mut self) -> Self {
        self.decode_body = Some(|bytes| serde_json::from_slice(bytes).map_err(|e| e.to_string()));
        self
    }
}

/// How many calls an expectation answers, for [`Expect::times`]: `2` (exactly), `1..=3`,
/// `1..` (at least one) or `..` (any number, none included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    min: usize,
    max: Option<usize>,
}

impl From<usize> for Times {
    fn from(n: usize) -> Self {
        Times { min: n, max: Some(n) }
    }
}

impl From<RangeInclusive<usize>> for Times {
    fn from(range: RangeInclusive<usize>) -> Self {
        Times { min: *range.start(), max: Some(*range.end()) }
    }
}

impl From<RangeFrom<usize>> for Times {
    fn from(range: RangeFrom<usize>) -> Self {
        Times { min: range.start, max: None }
    }
}

impl From<RangeFull> for Times {
    fn from(_: RangeFull) -> Self {
        Times { min: 0, max: None }
    }
}

impl fmt::Display for Times {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => f.write_str(&plural(max, "time")),
            Some(max) => write!(f, "{} to {max} times", self.min),
            None => write!(f, "at least {}", plural(self.min, "time")),
        }
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Something that goes wrong on the way, for [`Expect::fails`]: what the client's retry and
/// error handling meet when a server is slow, busy or broken.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The attempt runs out of the client's timeout, at once (no time passes): the client
    /// retries it if the call may be retried (see [`RetryPolicy`](crate::RetryPolicy)), then
    /// fails with [`Error::Timeout`](crate::Error::Timeout).
    Timeout,
    /// HTTP 429 with `Retry-After` in whole seconds (and a rate-limit error body): the client
    /// waits that long (at most the policy's `max_retry_after`) and retries, so the next
    /// expectation that matches answers the retry.
    RateLimited {
        /// What `Retry-After` asks for; keep it short in tests, the client really waits.
        retry_after: Duration,
    },
    /// The operation's success status with a body that is neither JSON nor UTF-8 text: the call
    /// fails with [`Error::Decode`](crate::Error::Decode) (for a JSON or text response).
    MalformedBody,
}

/// One call a client made to the mock (one attempt of it), as [`MockApi::calls`] and
/// [`Expectation::calls`] give it.
#[derive(Debug, Clone)]
pub struct Call {
    operation_id: &'static str,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    answered: bool,
}

impl Call {
    /// The `operationId` of the operation called.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, percent-encoded as it is sent (`/v2/conversations/a%2Fb`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters as they are sent, in order (a list sent as one value is joined).
    pub fn query(&self) -> &[(&'static str, String)] {
        &self.query
    }

    /// The first value of the query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The request headers the client sent (its API key and version header included).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request body as it was sent, if there was one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The request body decoded from JSON as `T`: `None` without a body, `Some(Err(_))` when it
    /// does not decode.
    pub fn body_json<T: DeserializeOwned>(&self) -> Option<Result<T, serde_json::Error>> {
        self.body.as_deref().map(serde_json::from_slice)
    }

    /// Whether an expectation answered it (if not, it is reported as unexpected).
    pub fn was_expected(&self) -> bool {
        self.answered
    }

    /// `GET /path?query`, for messages.
    fn request_line(&self) -> String {
        let mut line = format!("{} {}", self.method, self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            line.push(if i == 0 { '?' } else { '&' });
            line.push_str(&format!("{name}={value}"));
        }
        line
    }
}

/// A test of a call, with what it looks for (for messages).
enum Matcher {
    /// A path parameter: its name and value.
    Path(&'static str, String),
    /// A query parameter with this value (`Some`), or absent (`None`).
    Query(&'static str, Option<String>),
    /// A predicate on the body: the raw bytes, or decoded.
    Body(BodyTest),
}

impl Matcher {
    fn describe(&self) -> String {
        match self {
            Matcher::Path(name, value) => format!("path parameter `{name}` = `{value}`"),
            Matcher::Query(name, Some(value)) => format!("query parameter `{name}` = `{value}`"),
            Matcher::Query(name, None) => format!("no query parameter `{name}`"),
            Matcher::Body(_) => "a body the predicate accepts".to_owned(),
        }
    }

    /// Why `call` (of the operation whose path template is `template`) does not match, if not.
    fn mismatch(&self, template: &str, call: &Call) -> Option<String> {
        match self {
            Matcher::Path(name, expected) => match path_param(template, &call.path, name) {
                Some(actual) if actual == *expected => None,
                Some(actual) => Some(format!("path parameter `{name}` is `{actual}`, not `{expected}`")),
                None => Some(format!("no path parameter `{name}` in `{}`", call.path)),
            },
            Matcher::Query(name, expected) => {
                let values: Vec<&str> = call.query.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
                match expected {
                    None if values.is_empty() => None,
                    None => Some(format!("query parameter `{name}` is `{}`, expected none", values.join("`, `"))),
                    Some(expected) if values.contains(&expected.as_str()) => None,
                    Some(expected) if values.is_empty() => {
                        Some(format!("no query parameter `{name}` (expected `{expected}`)"))
                    }
                    Some(expected) => {
                        Some(format!("query parameter `{name}` is `{}`, not `{expected}`", values.join("`, `")))
                    }
                }
            }
            Matcher::Body(test) => match call.body.as_deref() {
                None => Some("the call has no body".to_owned()),
                Some(body) => match test(body) {
                    Ok(true) => None,
                    Ok(false) => Some("the body predicate rejects the body".to_owned()),
                    Err(err) => Some(format!("the body does not decode: {err}")),
                },
            },
        }
    }
}

/// The value of the path parameter `name` in `path` (percent-decoded), `template` being the
/// operation's path template.
fn path_param(template: &str, path: &str, name: &str) -> Option<String> {
    let placeholder = format!("{{{name}}}");
    let templates = template.trim_start_matches('/').split('/');
    let segments = path.trim_start_matches('/').split('/');
    for (t, segment) in templates.zip(segments) {
        let Some(at) = t.find(&placeholder) else { continue };
        // The literal text around the parameter in its segment (`{id}.json`); another parameter
        // in the same segment ends this one at the literal text that follows it.
        let before = &t[..at];
        let after = &t[at + placeholder.len()..];
        let rest = segment.strip_prefix(before)?;
        let literal = after.split('{').next().unwrap_or_default();
        let end = if literal.is_empty() {
            if after.is_empty() {
                rest.len()
            } else {
                return None;
            }
        } else {
            rest.find(literal)?
        };
        let raw = &rest[..end];
        return Some(percent_encoding::percent_decode_str(raw).decode_utf8_lossy().into_owned());
    }
    None
}

/// A registered expectation.
struct Registered {
    operation_id: &'static str,
    template: &'static str,
    /// The operation and the matchers, for messages.
    description: String,
    matchers: Vec<Matcher>,
    times: Times,
    count: AtomicUsize,
    answer: Answer,
    /// The indices (in [`State::calls`]) of the calls it answered.
    calls: Mutex<Vec<usize>>,
}

impl Registered {
    /// Why the expectation does not answer `call`, if it does not.
    fn mismatch(&self, call: &Call) -> Option<String> {
        self.matchers.iter().find_map(|m| m.mismatch(self.template, call))
    }

    /// Takes one of its calls; `false` when it has none left.
    fn take(&self) -> bool {
        self.count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                self.times.max.is_none_or(|max| n < max).then_some(n + 1)
            })
            .is_ok()
    }
}

/// What an expectation answers.
#[derive(Clone)]
enum Answer {
    Response { status: StatusCode, headers: HeaderMap, body: Bytes },
    Timeout,
}

/// An expectation being set up: what calls of its operation it matches, how many, and (last,
/// which registers it) what it answers. Made by the mock's generated accessors
/// (`mock.conversations().list()`); `R` is the operation's response type, `B` its body's.
#[must_use = "an expectation is only set once it is given its answer: `returns`, `returns_error` or `fails`"]
pub struct Expect<'m, R, B = ()> {
    mock: &'m MockApi,
    operation: MockOperation<R, B>,
    matchers: Vec<Matcher>,
    times: Times,
    /// What the matchers look for, for messages.
    conditions: Vec<String>,
}

impl<'m, R, B> Expect<'m, R, B> {
    /// Starts an expectation of `operation` (the generated accessors call this).
    #[doc(hidden)]
    pub fn new(mock: &'m MockApi, operation: MockOperation<R, B>) -> Self {
        Expect { mock, operation, matchers: Vec::new(), times: Times::from(1), conditions: Vec::new() }
    }
}

impl<R, B: 'static> Expect<'_, R, B> {
    /// Matches calls whose path parameter `name` (as the path template names it) is `value`.
    ///
    /// # Panics
    ///
    /// If the operation has no path parameter `name`.
    #[track_caller]
    pub fn path_param(self, name: &str, value: impl ToString) -> Self {
        let op = &self.operation;
        let Some(name) = op.path_params.iter().copied().find(|n| *n == name) else {
            panic!(
                "{} ({} {}) has no path parameter `{name}`; it has: {}",
                op.operation_id,
                op.method,
                op.template,
                names(&op.path_params)
            );
        };
        self.matching(Matcher::Path(name, value.to_string()))
    }

    /// Matches calls that send the query parameter `name` (as it is sent) with `value`, as the
    /// client writes it (a number or enum as text, a list as the operation joins it); for a
    /// parameter sent once per item, calls where one of them is `value`.
    ///
    /// # Panics
    ///
    /// If the operation has no query parameter `name`.
    #[track_caller]
    pub fn query_param(self, name: &str, value: impl ToString) -> Self {
        let name = self.query_name(name);
        self.matching(Matcher::Query(name, Some(value.to_string())))
    }

    /// Matches calls that do not send the query parameter `name` (a first page, say, without
    /// its cursor).
    ///
    /// # Panics
    ///
    /// If the operation has no query parameter `name`.
    #[track_caller]
    pub fn no_query_param(self, name: &str) -> Self {
        let name = self.query_name(name);
        self.matching(Matcher::Query(name, None))
    }

    /// Matches calls whose body, decoded as the operation's body type, satisfies `predicate`.
    ///
    /// # Panics
    ///
    /// If the operation has no JSON request body (match its raw bytes with
    /// [`body_bytes`](Self::body_bytes)).
    #[track_caller]
    pub fn body(self, predicate: impl Fn(&B) -> bool + Send + Sync + 'static) -> Self {
        let Some(decode) = self.operation.decode_body else {
            let op = &self.operation;
            panic!("{} has no JSON request body to decode; match its bytes with `body_bytes`", op.operation_id);
        };
        self.matching(Matcher::Body(Box::new(move |bytes| decode(bytes).map(|body| predicate(&body)))))
    }

    /// Matches calls whose body, as the client sent it, satisfies `predicate` (for bodies that
    /// are not JSON: form-encoded, multipart, bytes).
    pub fn body_bytes(self, predicate: impl Fn(&[u8]) -> bool + Send + Sync + 'static) -> Self {
        self.matching(Matcher::Body(Box::new(move |bytes| Ok(predicate(bytes)))))
    }

    /// How many calls the expectation answers: `2` (exactly, the default being 1), `1..=3`,
    /// `1..` or `..` (any number). Fewer is reported as unmet; a call beyond the maximum goes
    /// to the next expectation that matches, or is unexpected.
    pub fn times(mut self, times: impl Into<Times>) -> Self {
        self.times = times.into();
        self
    }

    /// Answers with an API error: `status`, and an error body with `code` and `message` as the
    /// API sends it, so the client fails with [`Error::Api`](crate::Error::Api) whose
    /// [`ApiError`](crate::ApiError) carries them (its `type` is `api_error` for a 5xx status,
    /// `invalid_request_error` otherwise). A status the client retries (429, 5xx) is retried.
    pub fn returns_error(self, status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Expectation<B> {
        let error_type = if status.is_server_error() { "api_error" } else { "invalid_request_error" };
        let body = error_body(status, error_type, code.as_str(), &message.into());
        self.answer(Answer::Response { status, headers: json_headers(), body })
    }

    /// Answers with a fault: a timeout, a 429 with `Retry-After`, a malformed body.
    pub fn fails(self, fault: Fault) -> Expectation<B> {
        let answer = match fault {
            Fault::Timeout => Answer::Timeout,
            Fault::RateLimited { retry_after } => {
                let mut headers = json_headers();
                headers.insert(RETRY_AFTER, HeaderValue::from(retry_after.as_secs()));
                let body = error_body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limit_error",
                    "rate_limit_exceeded",
                    "Too many requests",
                );
                Answer::Response { status: StatusCode::TOO_MANY_REQUESTS, headers, body }
            }
            Fault::MalformedBody => Answer::Response {
                status: self.success_status(),
                headers: json_headers(),
                body: Bytes::from_static(MALFORMED_BODY),
            },
        };
        self.answer(answer)
    }

    fn matching(mut self, matcher: Matcher) -> Self {
        self.conditions.push(matcher.describe());
        self.matchers.push(matcher);
        self
    }

    #[track_caller]
    fn query_name(&self, name: &str) -> &'static str {
        let op = &self.operation;
        match op.query_params.iter().copied().find(|n| *n == name) {
            Some(name) => name,
            None => panic!(
                "{} ({} {}) has no query parameter `{name}`; it has: {}",
                op.operation_id,
                op.method,
                op.template,
                names(&op.query_params)
            ),
        }
    }

    fn success_status(&self) -> StatusCode {
        StatusCode::from_u16(self.operation.status).unwrap_or(StatusCode::OK)
    }

    /// Registers the expectation with its answer.
    fn answer(self, answer: Answer) -> Expectation<B> {
        let op = &self.operation;
        let mut description = format!("{} ({} {})", op.operation_id, op.method, op.template);
        if !self.conditions.is_empty() {
            description.push_str(" with ");
            description.push_str(&self.conditions.join(" and "));
        }
        let registered = Registered {
            operation_id: op.operation_id,
            template: op.template,
            description,
            matchers: self.matchers,
            times: self.times,
            count: AtomicUsize::new(0),
            answer,
            calls: Mutex::new(Vec::new()),
        };
        let index = self.mock.state.register(registered);
        Expectation { state: self.mock.state.clone(), index, decode_body: op.decode_body, body: PhantomData }
    }
}

impl<R, B: 'static> Expect<'_, R, B> {
    /// Answers with `value`, encoded as the API would send it (JSON by the crate's own serde
    /// impls, text or bytes as the operation's response is), with the operation's success status.
    ///
    /// # Panics
    ///
    /// If `value` cannot be encoded (a map with keys that are not strings, say).
    #[track_caller]
    pub fn returns(self, value: R) -> Expectation<B> {
        let op = &self.operation;
        let body = match (op.encode)(&value) {
            Ok(body) => Bytes::from(body),
            Err(err) => panic!("cannot encode the answer of {}: {err}", op.operation_id),
        };
        let mut headers = HeaderMap::new();
        if let Some(content_type) = op.content_type.filter(|_| !body.is_empty()) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        let status = self.success_status();
        self.answer(Answer::Response { status, headers, body })
    }
}

/// `a`, `b` or `none`, for messages.
fn names(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    }
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

/// The API's error body: `{"error": {"type", "code", "message", "status"}}` (see
/// [`ApiError`](crate::ApiError)).
fn error_body(status: StatusCode, error_type: &str, code: &str, message: &str) -> Bytes {
    let body = serde_json::json!({
        "error": { "type": error_type, "code": code, "message": message, "status": status.as_u16() }
    });
    Bytes::from(body.to_string())
}

/// A registered expectation: how many calls it answered and which.
pub struct Expectation<B = ()> {
    state: Arc<State>,
    index: usize,
    decode_body: Option<Decode<B>>,
    body: PhantomData<fn() -> B>,
}

impl<B> Expectation<B> {
    fn registered(&self) -> Arc<Registered> {
        lock(&self.state.expectations)[self.index].clone()
    }

    /// How many calls it answered so far.
    pub fn call_count(&self) -> usize {
        self.registered().count.load(Ordering::SeqCst)
    }

    /// The calls it answered, in order.
    pub fn calls(&self) -> Vec<Call> {
        let indices = lock(&self.registered().calls).clone();
        let calls = lock(&self.state.calls);
        indices.into_iter().filter_map(|i| calls.get(i).cloned()).collect()
    }

    /// The bodies of the calls it answered, decoded as the operation's body type.
    ///
    /// # Panics
    ///
    /// If the operation has no JSON request body, or a body does not decode.
    #[track_caller]
    pub fn bodies(&self) -> Vec<B> {
        let registered = self.registered();
        let Some(decode) = self.decode_body else {
            panic!("{} has no JSON request body to decode", registered.operation_id);
        };
        self.calls()
            .iter()
            .filter_map(|call| call.body.as_deref())
            .map(|bytes| decode(bytes).unwrap_or_else(|e| panic!("a body of {}: {e}", registered.operation_id)))
            .collect()
    }
}

impl<B> fmt::Debug for Expectation<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registered = self.registered();
        f.debug_struct("Expectation")
            .field("description", &registered.description)
            .field("times", &registered.times)
            .field("calls", &registered.count.load(Ordering::SeqCst))
            .finish()
    }
}

/// The client's way to the mock (see `Client`'s transport).
#[derive(Clone)]
pub(crate) struct Transport(Arc<State>);

/// What the mock answers one attempt.
pub(crate) enum Reply {
    /// A response, as a server's.
    Response(ApiResponse<Bytes>),
    /// The attempt timed out.
    TimedOut,
}

impl Transport {
    /// Answers one attempt of `req` (sent with `headers`), and records it.
    pub(crate) fn answer(&self, req: &ApiRequest, headers: &HeaderMap) -> Reply {
        let state = &*self.0;
        let mut call = Call {
            operation_id: req.operation_id,
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: headers.clone(),
            body: req.body.as_ref().map(|b| b.bytes.clone()),
            answered: false,
        };
        // The matchers run without the lock held: a predicate may panic or take its time.
        let candidates: Vec<Arc<Registered>> =
            lock(&state.expectations).iter().filter(|e| e.operation_id == req.operation_id).cloned().collect();
        let mut reasons = Vec::new();
        let mut chosen = None;
        for (i, expectation) in candidates.iter().enumerate() {
            match expectation.mismatch(&call) {
                Some(why) => reasons.push(format!("#{}: {why}", i + 1)),
                None if expectation.take() => {
                    chosen = Some(expectation.clone());
                    break;
                }
                None => reasons.push(format!(
                    "#{}: matches, but has had its {}",
                    i + 1,
                    plural(expectation.times.max.unwrap_or_default(), "call")
                )),
            }
        }
        state.verified.store(false, Ordering::SeqCst);
        let Some(expectation) = chosen else {
            let mut message = format!("unexpected call: {} ({})", req.operation_id, call.request_line());
            if candidates.is_empty() {
                message.push_str(": no expectation of this operation");
            } else {
                let listed: Vec<String> =
                    candidates.iter().enumerate().map(|(i, e)| format!("#{}: {}", i + 1, e.description)).collect();
                message.push_str(&format!(
                    "; its expectations: {}; none answers: {}",
                    listed.join("; "),
                    reasons.join("; ")
                ));
            }
            lock(&state.calls).push(call);
            lock(&state.unexpected).push(message.clone());
            let body = error_body(StatusCode::NOT_FOUND, "mock_error", "unexpected_call", &message);
            let response =
                ApiResponse { status: StatusCode::NOT_FOUND, headers: json_headers(), body, deviations: Vec::new() };
            return Reply::Response(response);
        };
        call.answered = true;
        {
            let mut calls = lock(&state.calls);
            calls.push(call);
            lock(&expectation.calls).push(calls.len() - 1);
        }
        match &expectation.answer {
            Answer::Response { status, headers, body } => Reply::Response(ApiResponse {
                status: *status,
                headers: headers.clone(),
                body: body.clone(),
                deviations: Vec::new(),
            }),
            Answer::Timeout => Reply::TimedOut,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_read_from_the_path() {
        assert_eq!(path_param("/v2/things/{id}", "/v2/things/a%2Fb", "id").as_deref(), Some("a/b"));
        assert_eq!(path_param("/v2/things/{id}/parts/{part}", "/v2/things/1/parts/7", "part").as_deref(), Some("7"));
        assert_eq!(path_param("/files/{name}.json", "/files/report.json", "name").as_deref(), Some("report"));
        assert_eq!(path_param("/r/{a}-{b}", "/r/x-y", "a").as_deref(), Some("x"));
        assert_eq!(path_param("/v2/things/{id}", "/v2/things/1", "other"), None);
    }

    #[test]
    fn times_read_as_counts() {
        assert_eq!(Times::from(1).to_string(), "1 time");
        assert_eq!(Times::from(1..=3).to_string(), "1 to 3 times");
        assert_eq!(Times::from(2..).to_string(), "at least 2 times");
        assert_eq!(Times::from(..), Times { min: 0, max: None });
    }
}
