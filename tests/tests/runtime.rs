//! Tests of the hand-written runtime (client, requests, errors, retries, pagination) against a
//! local mock server. Retry waits go through a recording hook, so nothing here sleeps for long.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use featurebase::runtime::{encode_path_segment, CursorPage, NumberedPage};
use featurebase::{ApiRequest, Auth, Client, Error, RetryPolicy};
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::http::Method;
use wiremock::matchers::{body_json, header, header_regex, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_super_secret_4242";
const MS: Duration = Duration::from_millis(1);

type Delays = Arc<Mutex<Vec<Duration>>>;

/// A client for `server` whose retry waits are recorded instead of slept.
fn client(server: &MockServer, policy: RetryPolicy) -> (Client, Delays) {
    client_at(&format!("{}/", server.uri()), policy)
}

/// A client for `base_url` whose retry waits are recorded instead of slept.
fn client_at(base_url: &str, policy: RetryPolicy) -> (Client, Delays) {
    let delays = Delays::default();
    let recorded = delays.clone();
    let client = Client::builder(KEY)
        .base_url(base_url)
        .retry_policy(policy)
        .strict(true)
        .sleep_fn(move |delay| {
            recorded.lock().unwrap().push(delay);
            Box::pin(async {})
        })
        .build()
        .unwrap();
    (client, delays)
}

fn get(path: &str) -> ApiRequest {
    ApiRequest::new(Method::GET, path, "getThing")
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn recorded(delays: &Delays) -> Vec<Duration> {
    delays.lock().unwrap().clone()
}

// ---------------------------------------------------------------- headers, paths, queries, bodies

#[tokio::test]
async fn auth_version_and_user_agent_are_sent_on_every_request() {
    let server = MockServer::start().await;
    let version_header = featurebase::API_VERSION_HEADER.expect("the API has a version header");
    Mock::given(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header(version_header, featurebase::API_VERSION))
        .and(header_regex("user-agent", r"^featurebase-rust/\d+\.\d+\.\d+"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(3)
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    assert_eq!(client.api_version(), featurebase::API_VERSION);
    assert_eq!(client.base_url(), server.uri());

    client.execute::<serde_json::Value>(get("/v2/a")).await.unwrap();
    let post = ApiRequest::new(Method::POST, "/v2/b", "createB").json_body(&json!({"x": 1})).unwrap();
    client.execute::<serde_json::Value>(post).await.unwrap();
    client.execute_bytes(ApiRequest::new(Method::DELETE, "/v2/c", "deleteC")).await.unwrap();
}

#[tokio::test]
async fn api_version_and_user_agent_can_be_overridden() {
    let server = MockServer::start().await;
    let version_header = featurebase::API_VERSION_HEADER.expect("the API has a version header");
    Mock::given(header(version_header, "2099-01-01"))
        .and(header("user-agent", "my-app/1.0"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .api_version("2099-01-01")
        .user_agent("my-app/1.0")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(client.api_version(), "2099-01-01");
    let response = client.execute::<()>(get("/v2/x")).await.unwrap();
    assert_eq!(response.status.as_u16(), 204);
}

#[tokio::test]
async fn path_segments_are_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/things/a%2Fb%3Fc%23d"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a/b?c#d"})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    let path = format!("/v2/things/{}", encode_path_segment("a/b?c#d"));
    assert_eq!(path, "/v2/things/a%2Fb%3Fc%23d");
    let body = client.execute::<serde_json::Value>(get(&path)).await.unwrap().into_body();
    assert_eq!(body["id"], "a/b?c#d");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), None);
}

#[tokio::test]
async fn query_values_are_encoded_joined_repeated_or_skipped() {
    let server = MockServer::start().await;
    Mock::given(query_param("q", "a b&c=d/é"))
        .and(query_param("active", "true"))
        .and(query_param("ids", "1,2,3"))
        .and(query_param_is_missing("missing"))
        .and(query_param_is_missing("empty"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    let req = get("/v2/search")
        .query("q", "a b&c=d/é")
        .query_opt("missing", None::<&str>)
        .query_opt("active", Some(true))
        .query_csv("ids", [1, 2, 3])
        .query_csv("empty", Vec::<String>::new())
        .query_multi("tag", ["x", "y"]);
    client.execute::<Vec<u8>>(req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), Some("q=a+b%26c%3Dd%2F%C3%A9&active=true&ids=1%2C2%2C3&tag=x&tag=y"));
}

#[tokio::test]
async fn json_body_is_sent_with_its_content_type() {
    let server = MockServer::start().await;
    let payload = json!({"title": "Dark mode", "tags": ["ui"], "votes": 3});
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .and(body_json(&payload))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "p1"})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    let req = ApiRequest::new(Method::POST, "/v2/posts", "createPost").json_body(&payload).unwrap();
    let response = client.execute::<serde_json::Value>(req).await.unwrap();
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(response.body["id"], "p1");
}

// ---------------------------------------------------------------- errors

#[tokio::test]
async fn json_error_body_becomes_an_api_error() {
    let server = MockServer::start().await;
    let body = json!({"error": {
        "type": "invalid_request_error", "code": "conversation_not_found",
        "message": "Conversation not found", "param": "id", "status": 404
    }});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(body).insert_header("x-request-id", "req_123"))
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::default());
    let err = client.execute::<serde_json::Value>(get("/v2/conversations/1")).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "featurebase API error 404 Not Found in getThing: invalid_request_error/conversation_not_found: \
         Conversation not found (param: id) (request id: req_123)"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(!err.is_retryable());
    let api = err.api_error().expect("an API error");
    assert_eq!(api.code.as_deref(), Some("conversation_not_found"));
    assert_eq!(api.error_type.as_deref(), Some("invalid_request_error"));
    assert_eq!(api.request_id.as_deref(), Some("req_123"));
    assert_eq!(attempts(&server).await, 1, "a 404 is not retried");
}

#[tokio::test]
async fn html_error_page_still_gives_status_and_snippet() {
    let server = MockServer::start().await;
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1></body>\n</html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    let err = client.execute::<serde_json::Value>(get("/v2/x")).await.unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("featurebase API error 502 Bad Gateway in getThing: <html>"), "{text}");
    assert!(text.contains("<h1>502 Bad Gateway</h1>"), "{text}");
    assert!(err.is_retryable());
    assert_eq!(err.api_error().unwrap().body, page);
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Thing {
    id: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ThingList {
    data: Vec<Thing>,
}

#[tokio::test]
async fn decode_error_names_the_failing_json_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": "a"}, {"id": 7}]})))
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    let err = client.execute::<ThingList>(get("/v2/things")).await.unwrap_err();
    match &err {
        Error::Decode { path, status, operation, message, body_len } => {
            assert_eq!(path, "data[1].id");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(*operation, "getThing");
            assert_eq!(message, "expected a string, found an integer");
            assert_eq!(*body_len, r#"{"data":[{"id":"a"},{"id":7}]}"#.len());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("getThing") && text.contains("data[1].id") && text.contains("expected a string"), "{text}");
    // The error names the place, never the body's text.
    assert!(!text.contains(r#""a""#) && !text.contains('7'), "{text}");
}

#[tokio::test]
async fn slow_responses_time_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.execute::<serde_json::Value>(get("/v2/slow")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { operation: "getThing" }), "{err:?}");
    assert_eq!(err.to_string(), "featurebase request getThing timed out");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_and_is_retried_even_for_post() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (client, delays) =
        client_at(&format!("http://127.0.0.1:{port}"), RetryPolicy::new().max_retries(2).initial_backoff(MS));
    let req = ApiRequest::new(Method::POST, "/v2/posts", "createPost").json_body(&json!({})).unwrap();
    let err = client.execute::<serde_json::Value>(req).await.unwrap_err();
    assert!(matches!(err, Error::Transport { operation: "createPost", .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.starts_with("featurebase request createPost failed: "), "{text}");
    assert!(text.to_lowercase().contains("connect"), "{text}");
    assert!(err.is_retryable());
    assert_eq!(recorded(&delays).len(), 2, "nothing was sent, so the POST was retried");
}

#[tokio::test]
async fn invalid_configuration_is_reported_clearly() {
    for bad in ["not a url", "ftp://example.com", "https://example.com/?x=1"] {
        let err = Client::builder(KEY).base_url(bad).build().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("invalid base URL"), "{err}");
    }
    let err = Client::builder("bad\nkey").build().unwrap_err();
    assert!(err.to_string().contains("API key"), "{err}");
    // `Client::new` does not panic on such a key: the calls fail instead.
    let err = Client::new("bad\nkey").execute_bytes(get("/v2/x")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

/// Each way of sending the key puts it where the spec's scheme says, marked sensitive, and
/// nowhere else.
#[tokio::test]
async fn the_key_is_sent_the_way_the_auth_says() {
    let basic = "user:pa ss";
    let cases = [
        (Auth::Bearer, KEY, "authorization", format!("Bearer {KEY}")),
        (Auth::Basic, basic, "authorization", "Basic dXNlcjpwYSBzcw==".to_owned()),
        (Auth::Header("X-Api-Key"), KEY, "x-api-key", KEY.to_owned()),
        (Auth::Cookie("session"), KEY, "cookie", format!("session={KEY}")),
    ];
    assert_eq!(featurebase::AUTH, Auth::Bearer, "the Featurebase spec asks for bearer tokens");
    for (auth, key, name, value) in cases {
        let server = MockServer::start().await;
        Mock::given(header(name, value.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::builder(key).base_url(server.uri()).auth(auth).build().unwrap();
        client.execute_bytes(get("/v2/a")).await.unwrap();
        let request = &server.received_requests().await.unwrap()[0];
        let carrying: Vec<&str> = request
            .headers
            .iter()
            .filter(|(_, v)| {
                v.to_str().unwrap_or_default().contains(key)
                    || v.to_str().unwrap_or_default().contains("dXNlcjpwYSBzcw")
            })
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(carrying, [name], "{auth:?}");
        assert!(!format!("{client:?}").contains(key), "{auth:?}");
    }
    // A cookie parameter of the operation joins the key's cookie.
    let server = MockServer::start().await;
    Mock::given(header("cookie", format!("session={KEY}; theme=dark").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(KEY).base_url(server.uri()).auth(Auth::Cookie("session")).build().unwrap();
    client.execute_bytes(get("/v2/a").header("cookie", "theme=dark")).await.unwrap();
    let err = Client::builder("bad;key").auth(Auth::Cookie("session")).build().unwrap_err();
    assert!(err.to_string().contains("API key") && !err.to_string().contains("bad;key"), "{err}");
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn get_is_retried_on_503_until_it_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!(42))).mount(&server).await;
    let (client, delays) = client(&server, RetryPolicy::new().initial_backoff(10 * MS).jitter(false));
    let response = client.execute::<u32>(get("/v2/x")).await.unwrap();
    assert_eq!(response.body, 42);
    assert_eq!(attempts(&server).await, 3);
    assert_eq!(recorded(&delays), [10 * MS, 20 * MS], "exponential backoff");
}

#[tokio::test]
async fn post_is_not_retried_on_500_but_is_on_429() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/fails")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    Mock::given(path("/v2/limited"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/limited"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::new().initial_backoff(MS));

    let err = client.execute_bytes(ApiRequest::new(Method::POST, "/v2/fails", "createFail")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(attempts(&server).await, 1, "POST is not retried on 500");

    client.execute_bytes(ApiRequest::new(Method::PATCH, "/v2/fails", "updateFail")).await.unwrap_err();
    assert_eq!(attempts(&server).await, 2, "PATCH is not retried on 500");

    client.execute_bytes(ApiRequest::new(Method::POST, "/v2/limited", "createLimited")).await.unwrap();
    assert_eq!(attempts(&server).await, 4, "POST is retried on 429");
}

#[tokio::test]
async fn no_retries_with_the_none_policy() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let (client, delays) = client(&server, RetryPolicy::none());
    let err = client.execute_bytes(get("/v2/x")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(attempts(&server).await, 1);
    assert!(recorded(&delays).is_empty());
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/seven"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/seven"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(1)))
        .mount(&server)
        .await;
    Mock::given(path("/v2/hour"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let policy = RetryPolicy::new().initial_backoff(MS).max_retry_after(Duration::from_secs(30));
    let (client, delays) = client(&server, policy);

    client.execute::<u8>(get("/v2/seven")).await.unwrap();
    assert_eq!(recorded(&delays), [Duration::from_secs(7)]);

    let err = client.execute::<u8>(get("/v2/hour")).await.unwrap_err();
    assert_eq!(err.api_error().unwrap().retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(recorded(&delays)[1..], [Duration::from_secs(30); 2], "capped by max_retry_after");
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let policy = RetryPolicy::new().max_retries(3).initial_backoff(MS).max_backoff(3 * MS).jitter(false);
    let (client, delays) = client(&server, policy);
    let err = client.execute_bytes(ApiRequest::new(Method::PUT, "/v2/x", "putX")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(attempts(&server).await, 4, "1 attempt + 3 retries");
    assert_eq!(recorded(&delays), [MS, 2 * MS, 3 * MS]);
}

#[tokio::test]
async fn real_sleeps_with_tiny_backoff_work() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::new().max_retries(2).initial_backoff(MS))
        .build()
        .unwrap();
    client.execute_bytes(get("/v2/x")).await.unwrap_err();
    assert_eq!(attempts(&server).await, 3);
}

// ---------------------------------------------------------------- pagination

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CursorList {
    data: Vec<u32>,
    next_cursor: Option<String>,
}

impl CursorPage for CursorList {
    type Item = u32;
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }
    fn into_items(self) -> Vec<u32> {
        self.data
    }
}

fn list_request(cursor: Option<&str>) -> ApiRequest {
    ApiRequest::new(Method::GET, "/v2/items", "listItems").query("limit", 2).query_opt("cursor", cursor)
}

async fn mount_page(server: &MockServer, cursor: Option<&str>, body: serde_json::Value) {
    let mock = match cursor {
        Some(cursor) => Mock::given(query_param("cursor", cursor)),
        None => Mock::given(query_param_is_missing("cursor")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(server).await;
}

#[tokio::test]
async fn cursor_pagination_follows_cursors_in_order() {
    let server = MockServer::start().await;
    mount_page(&server, None, json!({"data": [1, 2], "nextCursor": "c2"})).await;
    mount_page(&server, Some("c2"), json!({"data": [3], "nextCursor": "c3"})).await;
    mount_page(&server, Some("c3"), json!({"data": [4, 5], "nextCursor": null})).await;
    let (client, _) = client(&server, RetryPolicy::none());
    let items: Vec<u32> = client.paginate_cursor::<CursorList>(list_request).try_collect().await.unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn repeated_cursor_stops_the_stream_with_an_error() {
    let server = MockServer::start().await;
    mount_page(&server, None, json!({"data": [1], "nextCursor": "c2"})).await;
    mount_page(&server, Some("c2"), json!({"data": [2], "nextCursor": "c2"})).await;
    let (client, _) = client(&server, RetryPolicy::none());
    let mut stream = client.paginate_cursor::<CursorList>(list_request);
    assert_eq!(stream.try_next().await.unwrap(), Some(1));
    assert_eq!(stream.try_next().await.unwrap(), Some(2));
    let err = stream.try_next().await.unwrap_err();
    assert!(matches!(&err, Error::RepeatedCursor { cursor, operation: "listItems" } if cursor == "c2"), "{err:?}");
    assert!(err.to_string().contains("`c2`"), "{err}");
    assert_eq!(stream.try_next().await.unwrap(), None, "the stream ends after the error");
}

#[tokio::test]
async fn pagination_ends_after_an_error() {
    let server = MockServer::start().await;
    mount_page(&server, None, json!({"data": [1], "nextCursor": "c2"})).await;
    Mock::given(query_param("cursor", "c2")).respond_with(ResponseTemplate::new(400)).expect(1).mount(&server).await;
    let (client, _) = client(&server, RetryPolicy::none());
    let mut stream = client.paginate_cursor::<CursorList>(list_request);
    assert_eq!(stream.try_next().await.unwrap(), Some(1));
    assert_eq!(stream.try_next().await.unwrap_err().status().map(|s| s.as_u16()), Some(400));
    assert_eq!(stream.try_next().await.unwrap(), None);
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NumberedList {
    results: Vec<String>,
    total_pages: Option<u64>,
}

impl NumberedPage for NumberedList {
    type Item = String;
    fn total_pages(&self) -> Option<u64> {
        self.total_pages
    }
    fn into_items(self) -> Vec<String> {
        self.results
    }
}

async fn mount_numbered(server: &MockServer, page: u64, body: serde_json::Value, times: u64) {
    Mock::given(query_param("page", page.to_string()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(times)
        .mount(server)
        .await;
}

fn page_request(page: u64) -> ApiRequest {
    ApiRequest::new(Method::GET, "/v2/posts", "listPosts").query("page", page)
}

#[tokio::test]
async fn numbered_pagination_stops_at_total_pages() {
    let server = MockServer::start().await;
    mount_numbered(&server, 1, json!({"results": ["a", "b"], "totalPages": 3}), 1).await;
    mount_numbered(&server, 2, json!({"results": ["c"], "totalPages": 3}), 1).await;
    mount_numbered(&server, 3, json!({"results": ["d"], "totalPages": 3}), 1).await;
    mount_numbered(&server, 4, json!({"results": ["never"], "totalPages": 3}), 0).await;
    let (client, _) = client(&server, RetryPolicy::none());
    let items: Vec<String> = client.paginate_pages::<NumberedList>(1, page_request).try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn numbered_pagination_stops_at_an_empty_page() {
    let server = MockServer::start().await;
    mount_numbered(&server, 1, json!({"results": ["a"]}), 1).await;
    mount_numbered(&server, 2, json!({"results": ["b"], "totalPages": null}), 1).await;
    mount_numbered(&server, 3, json!({"results": []}), 1).await;
    mount_numbered(&server, 4, json!({"results": ["never"]}), 0).await;
    let (client, _) = client(&server, RetryPolicy::none());
    let items: Vec<String> = client.paginate_pages::<NumberedList>(1, page_request).try_collect().await.unwrap();
    assert_eq!(items, ["a", "b"]);
}

// ---------------------------------------------------------------- secrets

#[tokio::test]
async fn the_api_key_never_shows_in_debug_or_display() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {"message": "Unauthorized"}})))
        .mount(&server)
        .await;
    let builder = Client::builder(KEY).base_url(server.uri()).retry_policy(RetryPolicy::none());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let err = client.execute_bytes(get("/v2/x")).await.unwrap_err();
    let timeout = Client::builder(KEY)
        .base_url("http://127.0.0.1:1/")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .execute_bytes(get("/v2/x"))
        .await
        .unwrap_err();
    let texts = [
        builder_debug,
        format!("{client:?}"),
        format!("{:?}", client.clone()),
        format!("{err:?}"),
        format!("{err}"),
        format!("{timeout:?}"),
        format!("{timeout}"),
        format!("{:?}", get("/v2/x").header("x-extra", KEY)),
        format!("{:?}", Client::builder("bad\nkey").build().unwrap_err()),
    ];
    for text in &texts {
        assert!(!text.contains(KEY) && !text.contains("super_secret"), "key leaked: {text}");
    }
    assert!(texts[0].contains("[redacted]") && texts[1].contains("[redacted]"), "{texts:?}");
    assert!(texts[4].contains("401 Unauthorized") && texts[4].contains("Unauthorized"), "{}", texts[4]);
}

// ---------------------------------------------------------------- thread safety

fn assert_send_sync<T: Send + Sync + 'static>(_: &T) {}
fn assert_send<T: Send>(_: &T) {}

#[test]
fn clients_errors_futures_and_streams_are_thread_safe() {
    let client = Client::new(KEY);
    assert_send_sync(&client);
    assert_send_sync(&Error::InvalidRequest(String::new()));
    assert_send(&client.execute::<serde_json::Value>(get("/v2/x")));
    assert_send(&client.paginate_cursor::<CursorList>(list_request));
    assert_send(&client.paginate_pages::<NumberedList>(1, page_request));
}
