//! The real server is not the spec: lenient decoding through the client (the default), strict
//! mode, per-call options, and what the client tells `tracing`, against a local mock server.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use featurebase::types::{ConversationList, Webhook};
use featurebase::{ApiRequest, Client, DeviationKind, Error, RequestOptions, RetryPolicy};
use serde_json::{json, Value};
use wiremock::http::Method;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_never_logged_9191";

fn client(server: &MockServer) -> featurebase::ClientBuilder {
    Client::builder(KEY).base_url(server.uri()).retry_policy(RetryPolicy::none())
}

/// A conversation list from the reference, with the deviations real servers make in its
/// second item: `isBlocked` left out, `null` in `tags`, the priority as a string.
fn list_with_deviations() -> Value {
    let mut list: Value =
        serde_json::from_str(&featurebase_tests::fixture("seeds/list_conversations_response.json")).unwrap();
    let first = list["data"][0].clone();
    let mut second = first.clone();
    second["id"] = json!("second");
    second.as_object_mut().unwrap().remove("isBlocked");
    second["tags"] = Value::Null;
    list["data"].as_array_mut().unwrap().push(second);
    list
}

#[tokio::test]
async fn a_deviating_list_still_returns_every_item_and_says_where_it_deviated() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_with_deviations()))
        .mount(&server)
        .await;
    let lenient = client(&server).build().unwrap();
    let response = lenient.conversations().list().send_with_response().await.unwrap();
    let list: &ConversationList = &response.body;
    assert_eq!(list.data.len(), 2, "one deviating item does not cost the others");
    assert_eq!(list.data[1].id, "second");
    assert!(!list.data[1].is_blocked && list.data[1].tags.is_empty());
    let found: Vec<(&str, DeviationKind)> = response.deviations().iter().map(|d| (d.path.as_str(), d.kind)).collect();
    assert_eq!(found, [("data[1].tags", DeviationKind::Null), ("data[1].isBlocked", DeviationKind::Missing)]);
    // The first item is exactly as it came.
    assert_eq!(list.data[0].id, list_with_deviations()["data"][0]["id"].as_str().unwrap());

    // Strict: the same response is an error that names the path.
    let strict = client(&server).strict(true).build().unwrap();
    match strict.conversations().list().await.unwrap_err() {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "data[1].tags");
            assert!(message.contains("invalid type: null"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_webhook_without_its_secret_decodes_as_the_reference_shows_it() {
    // The spec's own example of `getWebhookById` leaves out `secret`, which the schema requires.
    let server = MockServer::start().await;
    let webhook = json!({
        "object": "webhook", "id": "wh_1", "name": "Sync", "status": "active",
        "url": "https://example.com/hook", "topics": ["post.created"],
        "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z"
    });
    Mock::given(path("/v2/webhooks/wh_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&webhook))
        .mount(&server)
        .await;
    let client = client(&server).build().unwrap();
    let response = client.webhooks().get("wh_1").send_with_response().await;
    let response = match response {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let hook: &Webhook = &response.body;
    assert_eq!(hook.id, "wh_1");
    assert!(response.deviations().iter().any(|d| d.path.ends_with("secret") && d.kind == DeviationKind::Missing));
}

#[tokio::test]
async fn per_call_options_apply_to_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/conversations"))
        .and(header("x-request-source", "nightly"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"object": "list", "data": [], "nextCursor": null})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)).set_body_json(json!(1)))
        .mount(&server)
        .await;
    let client = client(&server).timeout(Duration::from_secs(30)).build().unwrap();
    client.conversations().list().options(RequestOptions::new().header("X-Request-Source", "nightly")).await.unwrap();
    // A per-call timeout shorter than the client's.
    let slow = ApiRequest::new(Method::GET, "/v2/slow", "getSlow");
    let quick = client.with_options(RequestOptions::new().timeout(Duration::from_millis(50)));
    assert!(matches!(quick.execute::<Value>(slow.clone()).await.unwrap_err(), Error::Timeout { .. }));
    // The client itself is unchanged.
    assert_eq!(client.execute::<Value>(slow).await.unwrap().body, json!(1));
}

#[tokio::test]
async fn a_per_call_retry_policy_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/flaky")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client(&server).retry_policy(RetryPolicy::none()).sleep_fn(|_| Box::pin(async {})).build().unwrap();
    let request = ApiRequest::new(Method::GET, "/v2/flaky", "getFlaky");
    let retried = client.with_options(RequestOptions::new().retry_policy(RetryPolicy::new().max_retries(2)));
    assert!(retried.execute::<Value>(request.clone()).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "1 attempt + 2 retries");
    assert!(client.execute::<Value>(request).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 4, "the client's own policy: no retry");
}

#[tokio::test]
async fn per_call_headers_cannot_replace_the_key_or_the_version() {
    let server = MockServer::start().await;
    let client = client(&server).build().unwrap();
    let version = featurebase::API_VERSION_HEADER.expect("the API has a version header");
    for name in ["Authorization", version] {
        let options = RequestOptions::new().header(name, "forged");
        let err = client.conversations().list().options(options).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{name}: {err:?}");
        assert!(err.to_string().contains("cannot be set per call"), "{err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

/// Everything `tracing` is told, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn calls_retries_and_deviations_are_traced_without_secrets_or_bodies() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let server = MockServer::start().await;
            let attempts = Arc::new(Mutex::new(0));
            let counter = attempts.clone();
            Mock::given(method("PATCH"))
                .and(path("/v2/conversations/c-42"))
                .respond_with(move |_: &Request| {
                    let mut n = counter.lock().unwrap();
                    *n += 1;
                    if *n == 1 {
                        ResponseTemplate::new(429).insert_header("retry-after", "0")
                    } else {
                        ResponseTemplate::new(200).set_body_json(list_with_deviations()["data"][1].clone())
                    }
                })
                .mount(&server)
                .await;
            let client = Client::builder(KEY)
                .base_url(server.uri())
                .retry_policy(RetryPolicy::new().max_retries(2))
                .sleep_fn(|_| Box::pin(async {}))
                .build()
                .unwrap();
            let mut update = featurebase::types::UpdateConversationBody::default();
            update.title = Some("BODY-MARKER-never-logged".into());
            client.conversations().update("c-42", update).await.unwrap();
        })
    });
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "featurebase.call",
        "operation=\"updateConversation\"",
        "method=PATCH",
        "path=\"/v2/conversations/{id}\"",
        "attempt=2",
        "status=200",
        "duration_ms=",
        "retrying",
        "reason=\"HTTP 429\"",
        "wait_ms=",
        "the response deviates from the spec",
        "isBlocked (Missing, expected a boolean)",
    ] {
        assert!(text.contains(expected), "the trace lacks {expected:?}:\n{text}");
    }
    for secret in [KEY, "BODY-MARKER", "Bearer", "c-42"] {
        assert!(!text.contains(secret), "the trace shows {secret:?}:\n{text}");
    }
}
