//! The real server is not the spec: lenient decoding through the client (the default), strict
//! mode and per-call options, against a local mock server (what the client tells `tracing`:
//! `traces.rs`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt;

use featurebase::types::{ConversationList, Webhook};
use featurebase::{ApiRequest, Client, DeviationKind, Error, RequestOptions, RetryPolicy};
use serde_json::{json, Value};
use wiremock::http::Method;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_never_logged_9191";

fn client(server: &MockServer) -> featurebase::ClientBuilder {
    Client::builder(KEY).base_url(server.uri()).retry_policy(RetryPolicy::none())
}

/// A conversation list from the reference with the deviations real servers make in its second item.
fn list_with_deviations() -> Value {
    featurebase_tests::conversations_with_deviations()
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
            assert_eq!(message, "expected an array, found null");
        }
        other => panic!("{other:?}"),
    }
}

/// What the hook heard of one response: operation, status, the deviations' paths.
type Heard = (&'static str, u16, Vec<String>);

#[tokio::test]
async fn deviations_reach_the_hook_and_the_counter_whatever_way_the_call_is_made() {
    let server = MockServer::start().await;
    // One page.
    let mut page = list_with_deviations();
    page["nextCursor"] = Value::Null;
    Mock::given(path("/v2/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let heard: Arc<Mutex<Vec<Heard>>> = Arc::default();
    let hook = heard.clone();
    let client = client(&server)
        .on_deviation(move |report| {
            let paths = report.deviations.iter().map(|d| d.path.clone()).collect();
            hook.lock().unwrap().push((report.operation, report.status.as_u16(), paths));
        })
        .build()
        .unwrap();
    let expected = vec!["data[1].tags".to_owned(), "data[1].isBlocked".to_owned()];

    // `send()` and `.await` hand back the body only: the hook and the counter still hear of it.
    let list = client.conversations().list().send().await.unwrap();
    assert_eq!(list.data.len(), 2);
    client.conversations().list().await.unwrap();
    // So does every page of a stream.
    let items: Vec<_> = client.conversations().list().stream().try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard, vec![("listConversations", 200, expected); 3]);
    assert_eq!(client.deviation_count(), 6);
    // Clones share the counter; a client with a clean history has none.
    assert_eq!(client.clone().deviation_count(), 6);
    assert_eq!(self::client(&server).build().unwrap().deviation_count(), 0);
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
    // The secret says it is missing: nothing can sign or verify with it.
    assert!(hook.secret.is_missing());
    assert!(hook.secret.expose_checked().is_err());
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
