//! Rate limits: `ApiResponse::rate_limit` and the pacing that keeps a client and its clones
//! within the window, against a local server that enforces a limit (and answers 429 beyond it),
//! and against mock servers for the waits the client chooses (recorded, not slept).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use featurebase::{ApiRequest, Client, ClientBuilder, Error, RateLimit, RequestOptions, RetryPolicy};
use serde_json::Value;
use wiremock::http::Method;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_rate_limited_7373";
const SECOND: Duration = Duration::from_secs(1);

fn request(path: &str) -> ApiRequest {
    ApiRequest::new(Method::GET, path, "getThing")
}

type Waits = Arc<Mutex<Vec<Duration>>>;

/// A client for `base_url` without retries (a 429 reaches the caller), whose waits are recorded
/// and then slept (`real`) or only recorded.
fn builder(base_url: &str, real: bool) -> (ClientBuilder, Waits) {
    let waits = Waits::default();
    let recorded = waits.clone();
    let builder = Client::builder(KEY).base_url(base_url).retry_policy(RetryPolicy::none()).sleep_fn(move |wait| {
        recorded.lock().unwrap().push(wait);
        if real {
            Box::pin(tokio::time::sleep(wait))
        } else {
            Box::pin(async {})
        }
    });
    (builder, waits)
}

fn waits(waits: &Waits) -> Vec<Duration> {
    waits.lock().unwrap().clone()
}

// ------------------------------------------------------------- a server that enforces its limit

/// How the enforcing server writes `X-RateLimit-Reset`.
#[derive(Clone, Copy)]
enum Reset {
    /// Seconds until the window ends, to the millisecond (rounded up); windows counted from the
    /// server's start.
    Delay,
    /// The Unix time the window ends, in whole seconds; windows are the clock's seconds.
    UnixTime,
}

/// Fixed windows of `window`, `limit` requests in each; more is a 429 with `Retry-After`.
struct Limiter {
    limit: u64,
    window: Duration,
    reset: Reset,
    started: Instant,
    /// Requests answered 200, by window.
    accepted: BTreeMap<u64, u64>,
    rejected: u64,
}

impl Limiter {
    /// The current window and how long until it ends.
    fn window(&self) -> (u64, Duration) {
        match self.reset {
            Reset::Delay => {
                let window = self.window.as_nanos();
                let elapsed = self.started.elapsed().as_nanos();
                let index = elapsed / window;
                ((index as u64), Duration::from_nanos(((index + 1) * window - elapsed) as u64))
            }
            Reset::UnixTime => {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
                (now.as_secs(), SECOND - Duration::from_nanos(now.subsec_nanos().into()))
            }
        }
    }

    fn answer(&mut self) -> (StatusCode, HeaderMap) {
        let (index, left) = self.window();
        let used = self.accepted.get(&index).copied().unwrap_or(0);
        let mut headers = HeaderMap::new();
        let mut set = |name: &'static str, value: String| {
            headers.insert(name, HeaderValue::from_str(&value).unwrap());
        };
        set("x-ratelimit-limit", self.limit.to_string());
        let reset = match self.reset {
            Reset::Delay => format!("{:.3}", (left.as_micros() as f64 / 1e6 + 0.0005)),
            Reset::UnixTime => (index + 1).to_string(),
        };
        set("x-ratelimit-reset", reset);
        if used >= self.limit {
            self.rejected += 1;
            set("x-ratelimit-remaining", "0".into());
            set("retry-after", left.as_secs_f64().ceil().max(1.0).to_string());
            return (StatusCode::TOO_MANY_REQUESTS, headers);
        }
        self.accepted.insert(index, used + 1);
        set("x-ratelimit-remaining", (self.limit - used - 1).to_string());
        (StatusCode::OK, headers)
    }
}

/// Serves `limiter` on a loopback port; returns its base URL.
async fn serve(limiter: Arc<Mutex<Limiter>>) -> String {
    let app = Router::new().route(
        "/v2/things",
        get(move || {
            let limiter = limiter.clone();
            async move {
                let (status, headers) = limiter.lock().unwrap().answer();
                (status, headers, "{}")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// `calls` concurrent calls through clones of one client (and clones with options) against a
/// server allowing `limit` per `window`: every call succeeds, the server never had to refuse
/// one, no window got more than its limit, and the burst took about `calls / limit` windows.
async fn burst(limit: u64, window: Duration, reset: Reset, calls: u64) {
    let limiter = Arc::new(Mutex::new(Limiter {
        limit,
        window,
        reset,
        started: Instant::now(),
        accepted: BTreeMap::new(),
        rejected: 0,
    }));
    let url = serve(limiter.clone()).await;
    let (builder, recorded) = builder(&url, true);
    let client = builder.build().unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|i| {
            let client = match i % 3 {
                0 => client.clone(),
                1 => client.with_options(RequestOptions::new().header("x-call", i.to_string())),
                _ => client.with_options(RequestOptions::new().pace(true)),
            };
            tokio::spawn(async move { client.execute::<Value>(request("/v2/things")).await })
        })
        .collect();
    for task in tasks {
        let response = task.await.unwrap().unwrap_or_else(|err| panic!("a call failed: {err}"));
        let rate_limit = response.rate_limit().expect("the server sends its rate limit");
        assert_eq!(rate_limit.limit, Some(limit));
        assert!(rate_limit.remaining < limit);
    }
    let elapsed = started.elapsed();
    let limiter = limiter.lock().unwrap();
    assert_eq!(limiter.rejected, 0, "the client sent more than a window allows: {:?}", limiter.accepted);
    assert_eq!(limiter.accepted.values().sum::<u64>(), calls);
    assert!(limiter.accepted.values().all(|n| *n <= limit), "{:?}", limiter.accepted);
    let needed = calls.div_ceil(limit);
    assert!(limiter.accepted.len() as u64 >= needed);
    // The calls spread over at least `needed` windows, so the last one went out at least
    // `needed - 2` whole windows after the first (the first window may have been nearly over).
    assert!(elapsed >= window * (needed as u32 - 2), "{elapsed:?}");
    // Generous: a loaded machine may leave windows part-used, but pacing never stalls.
    assert!(elapsed < window * (needed as u32 * 4 + 4), "{elapsed:?} for {needed} windows of {window:?}");
    let recorded = waits(&recorded);
    assert!(!recorded.is_empty(), "the client waited for resets");
    assert!(recorded.iter().all(|wait| *wait <= window + window / 10), "{recorded:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_through_clones_never_exceeds_the_window() {
    burst(5, Duration::from_millis(300), Reset::Delay, 30).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_keeps_to_windows_given_as_unix_times() {
    burst(4, SECOND, Reset::UnixTime, 12).await;
}

// ------------------------------------------------------------------- no headers, no pacing

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_rate_limit_headers_calls_are_not_serialized() {
    const CALLS: usize = 8;
    let arrived = Arc::new(Mutex::new(0usize));
    let counter = arrived.clone();
    // Each `/together` call is answered only once all of them have arrived (or after 10 s).
    let app = Router::new().route("/v2/first", get(|| async { "{}" })).route(
        "/v2/together",
        get(move || {
            let counter = counter.clone();
            async move {
                *counter.lock().unwrap() += 1;
                let deadline = Instant::now() + 10 * SECOND;
                while *counter.lock().unwrap() < CALLS && Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let together = *counter.lock().unwrap() >= CALLS;
                (if together { StatusCode::OK } else { StatusCode::CONFLICT }, "{}")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (builder, recorded) = builder(&url, true);
    let client = builder.build().unwrap();
    // The client's first call goes alone; its answer has no rate-limit headers.
    let first = client.execute::<Value>(request("/v2/first")).await.unwrap();
    assert_eq!(first.rate_limit(), None);
    let tasks: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.execute::<Value>(request("/v2/together")).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("every call was in flight at once");
    }
    assert!(waits(&recorded).is_empty());
}

// ------------------------------------------------- the waits the client chooses, and opting out

/// A mock server answering every call 200 with `headers`.
async fn answering(headers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(200).set_body_string("{}");
    for (name, value) in headers {
        response = response.insert_header(*name, *value);
    }
    Mock::given(path("/v2/things")).respond_with(response).mount(&server).await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn no_requests_remaining_makes_later_calls_wait_for_the_reset_unless_they_opt_out() {
    let server = answering(&[("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "30")]).await;
    let (builder, recorded) = builder(&server.uri(), false);
    let client = builder.build().unwrap();
    client.execute::<Value>(request("/v2/things")).await.unwrap();
    assert!(waits(&recorded).is_empty(), "nothing was known before the first answer");

    // Opting out: sent at once.
    let hasty = client.with_options(RequestOptions::new().pace(false));
    hasty.execute::<Value>(request("/v2/things")).await.unwrap();
    assert_eq!(received(&server).await, 2);
    assert!(waits(&recorded).is_empty());

    // A clone shares what the client learnt: it waits for the reset, once, then sends.
    client.clone().execute::<Value>(request("/v2/things")).await.unwrap();
    assert_eq!(received(&server).await, 3);
    let recorded = waits(&recorded);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert!(recorded[0] > 29 * SECOND && recorded[0] <= 30 * SECOND, "{recorded:?}");

    // A client built without pacing never waits.
    let (builder, recorded) = self::builder(&server.uri(), false);
    let unpaced = builder.pace(false).build().unwrap();
    for _ in 0..3 {
        unpaced.execute::<Value>(request("/v2/things")).await.unwrap();
    }
    assert!(waits(&recorded).is_empty());
    assert!(format!("{unpaced:?}").contains("pace: false"), "{unpaced:?}");
}

#[tokio::test]
async fn a_reset_further_away_than_the_retry_policy_allows_is_waited_for_that_long() {
    let server = answering(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "3600")]).await;
    let (builder, recorded) = builder(&server.uri(), false);
    let client = builder.retry_policy(RetryPolicy::none().max_retry_after(5 * SECOND)).build().unwrap();
    client.execute::<Value>(request("/v2/things")).await.unwrap();
    client.execute::<Value>(request("/v2/things")).await.unwrap();
    assert_eq!(waits(&recorded), [5 * SECOND], "the policy's longest wait, then the call is sent");
    assert_eq!(received(&server).await, 2);
    // The call's own policy decides.
    let patient = RequestOptions::new().retry_policy(RetryPolicy::none().max_retry_after(60 * SECOND));
    client.with_options(patient).execute::<Value>(request("/v2/things")).await.unwrap();
    assert_eq!(waits(&recorded), [5 * SECOND, 60 * SECOND]);
}

#[tokio::test]
async fn a_429_closes_the_window_for_every_clone_and_its_retry_does_not_wait_twice() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/things"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "20")
                .insert_header("x-ratelimit-limit", "2000")
                .insert_header("x-ratelimit-remaining", "0")
                .set_body_string(r#"{"error":{"message":"slow down"}}"#),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/things")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    let (builder, recorded) = builder(&server.uri(), false);
    let client = builder.build().unwrap();

    // Without retries the caller sees the 429, and its rate limit.
    let err = client.execute::<Value>(request("/v2/things")).await.unwrap_err();
    let api = match &err {
        Error::Api(api) => api,
        other => panic!("{other:?}"),
    };
    assert_eq!(api.rate_limit(), Some(RateLimit::from_headers(&api.headers).unwrap()));
    assert_eq!(api.rate_limit().unwrap().limit, Some(2000));
    assert_eq!(api.rate_limit().unwrap().remaining, 0);
    // The window is closed for 20 s: a clone waits (once), then sends.
    client.clone().execute::<Value>(request("/v2/things")).await.unwrap();
    let first = waits(&recorded);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0] > 19 * SECOND && first[0] <= 20 * SECOND, "{first:?}");

    // With retries: the retry sleeps for the Retry-After, and does not wait again before it goes.
    Mock::given(path("/v2/again"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/again")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    let retrying = client.with_options(RequestOptions::new().retry_policy(RetryPolicy::new().jitter(false)));
    retrying.execute::<Value>(request("/v2/again")).await.unwrap();
    assert_eq!(waits(&recorded)[1..], [7 * SECOND]);
}

// ------------------------------------------------------------------------ reading the headers

/// Rate-limit headers and what `rate_limit()` should read from them: the reset within `reset`
/// (in seconds; a Unix time or date is counted from the local clock).
struct Case<'a> {
    headers: &'a [(&'a str, &'a str)],
    limit: Option<u64>,
    remaining: u64,
    reset: (f64, f64),
}

#[tokio::test]
async fn rate_limits_are_read_in_every_reset_format() {
    let unix = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 100;
    let date = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix));
    let unix = unix.to_string();
    let unix_ms = format!("{unix}000");
    let cases = [
        Case {
            headers: &[("X-RateLimit-Limit", "2000"), ("X-RateLimit-Remaining", "1999"), ("X-RateLimit-Reset", "60")],
            limit: Some(2000),
            remaining: 1999,
            reset: (60.0, 60.0),
        },
        Case {
            headers: &[("x-ratelimit-remaining", "12"), ("x-ratelimit-reset", "0.5")],
            limit: None,
            remaining: 12,
            reset: (0.5, 0.5),
        },
        Case {
            headers: &[("X-RateLimit-Limit", "2000"), ("X-RateLimit-Remaining", "5"), ("X-RateLimit-Reset", &unix)],
            limit: Some(2000),
            remaining: 5,
            reset: (95.0, 100.0),
        },
        Case {
            headers: &[("X-RateLimit-Remaining", "5"), ("X-RateLimit-Reset", &unix_ms)],
            limit: None,
            remaining: 5,
            reset: (95.0, 100.0),
        },
        Case {
            headers: &[("X-RateLimit-Remaining", "4"), ("X-RateLimit-Reset", &date)],
            limit: None,
            remaining: 4,
            reset: (95.0, 100.0),
        },
        Case {
            headers: &[("RateLimit-Limit", "100, 100;w=60"), ("RateLimit-Remaining", "3"), ("RateLimit-Reset", "60")],
            limit: Some(100),
            remaining: 3,
            reset: (60.0, 60.0),
        },
    ];
    for Case { headers, limit, remaining, reset: (low, high) } in cases {
        let server = answering(headers).await;
        let client = Client::builder(KEY).base_url(server.uri()).build().unwrap();
        let response = client.execute::<Value>(request("/v2/things")).await.unwrap();
        let rate_limit = response.rate_limit().unwrap_or_else(|| panic!("{headers:?}"));
        assert_eq!((rate_limit.limit, rate_limit.remaining), (limit, remaining), "{headers:?}");
        let reset = rate_limit.reset.unwrap().as_secs_f64();
        assert!(reset >= low && reset <= high, "{headers:?}: {reset}");
        // A mapped response keeps its headers.
        let mapped = response.map(|_| ()).rate_limit().unwrap();
        assert_eq!((mapped.limit, mapped.remaining), (limit, remaining));
    }
    // A limit without what remains is no rate limit.
    let server = answering(&[("X-RateLimit-Limit", "2000"), ("X-RateLimit-Reset", "60")]).await;
    let client = Client::builder(KEY).base_url(server.uri()).build().unwrap();
    assert_eq!(client.execute::<Value>(request("/v2/things")).await.unwrap().rate_limit(), None);
}
