//! The `testing` feature as a user's tests use it: a mock of the API that speaks the crate's
//! types, answered through the client's own send path (retries, error mapping, decoding).
//!
//! First an example written as a user would: a function of theirs, `close_all_open`, tested
//! against the mock with typed values and its calls verified. Then each part of the mock alone:
//! matching on parameters and bodies, how many calls, each fault, API errors, unexpected calls
//! and unmet expectations.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use featurebase::testing::{Fault, MockApi};
use featurebase::types::{
    Conversation, ConversationList, ConversationState, UpdateConversationBody, UpdateConversationBodyState,
};
use featurebase::{Client, Error, ErrorCode, RetryPolicy, StatusCode};
use futures_util::TryStreamExt;

// ---- the code under test, as a user writes it ----

/// Closes every open conversation, reading the list page by page; returns the ids it closed.
async fn close_all_open(client: &Client) -> Result<Vec<String>, Error> {
    let open: Vec<Conversation> = client
        .conversations()
        .list()
        .limit(50)
        .stream()
        .try_filter(|c| std::future::ready(c.state == ConversationState::Open))
        .try_collect()
        .await?;
    let mut closed = Vec::new();
    for conversation in open {
        let mut close = UpdateConversationBody::default();
        close.state = Some(UpdateConversationBodyState::Closed);
        let updated = client.conversations().update(&conversation.id, close).await?;
        closed.push(updated.id);
    }
    Ok(closed)
}

// ---- typed values for the mock to answer with ----

/// A conversation with this id and state (the rest from the API reference's example).
fn conversation(id: &str, state: ConversationState) -> Conversation {
    let example: ConversationList =
        serde_json::from_str(&featurebase_tests::fixture("seeds/list_conversations_response.json")).unwrap();
    let mut conversation = example.data.into_iter().next().expect("the example lists a conversation");
    conversation.id = id.to_owned();
    conversation.state = state;
    conversation
}

/// A page of conversations, and the cursor of the next one.
fn page(conversations: Vec<Conversation>, next: Option<&str>) -> ConversationList {
    let mut list = ConversationList::default();
    list.data = conversations;
    list.next_cursor = next.map(str::to_owned);
    list
}

fn closes(body: &UpdateConversationBody) -> bool {
    body.state == Some(UpdateConversationBodyState::Closed)
}

/// A client of `mock` whose retries do not wait, and that tells what it would have waited.
fn quick_client(mock: &MockApi) -> (Client, Arc<Mutex<Vec<Duration>>>) {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let client = mock
        .client_builder()
        .sleep_fn(move |wait| {
            seen.lock().unwrap().push(wait);
            Box::pin(async {})
        })
        .build()
        .unwrap();
    (client, waits)
}

/// The message of a panic.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload.downcast_ref::<&str>().map(|s| s.to_string()).unwrap_or_default(),
    }
}

// ---- the example ----

#[tokio::test]
async fn close_all_open_closes_the_open_conversations_of_every_page() {
    let mock = MockApi::new();
    let conversations = mock.conversations();
    conversations.list().query_param("limit", 50).no_query_param("cursor").returns(page(
        vec![conversation("1", ConversationState::Open), conversation("2", ConversationState::Closed)],
        Some("page-2"),
    ));
    conversations.list().query_param("limit", 50).query_param("cursor", "page-2").returns(page(
        vec![conversation("3", ConversationState::Snoozed), conversation("4", ConversationState::Open)],
        None,
    ));
    let close_1 =
        conversations.update().path_param("id", "1").body(closes).returns(conversation("1", ConversationState::Closed));
    let close_4 =
        conversations.update().path_param("id", "4").body(closes).returns(conversation("4", ConversationState::Closed));

    let closed = close_all_open(&mock.client()).await.unwrap();

    assert_eq!(closed, ["1", "4"]);
    mock.verify();
    let called: Vec<(&str, String)> = mock.calls().iter().map(|c| (c.operation_id(), c.path().to_owned())).collect();
    assert_eq!(
        called,
        [
            ("listConversations", "/v2/conversations".to_owned()),
            ("listConversations", "/v2/conversations".to_owned()),
            ("updateConversation", "/v2/conversations/1".to_owned()),
            ("updateConversation", "/v2/conversations/4".to_owned()),
        ]
    );
    assert_eq!(close_1.call_count(), 1);
    let sent = close_4.bodies();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].state, Some(UpdateConversationBodyState::Closed));
    assert!(sent[0].title.is_none(), "only the state is sent");
}

// ---- matching ----

#[tokio::test]
async fn expectations_match_on_path_and_query_parameters() {
    let mock = MockApi::new();
    mock.conversations().get().path_param("id", "a/b").returns(conversation("a/b", ConversationState::Open));
    mock.conversations().get().path_param("id", "2").returns(conversation("2", ConversationState::Closed));
    mock.conversations().list().query_param("tagIds", "t1,t2").returns(page(Vec::new(), None));
    let client = mock.client();

    // In another order than they were set: each call finds its own.
    assert_eq!(client.conversations().get("2").await.unwrap().state, ConversationState::Closed);
    let slashed = client.conversations().get("a/b").await.unwrap();
    assert_eq!(slashed.id, "a/b");
    let listed = client.conversations().list().tag_ids(["t1", "t2"]).await.unwrap();
    assert!(listed.data.is_empty());
    mock.verify();
    assert_eq!(mock.calls()[1].path(), "/v2/conversations/a%2Fb", "the path as it is sent, encoded");
    assert_eq!(mock.calls()[2].query_param("tagIds"), Some("t1,t2"));
}

#[tokio::test]
async fn expectations_match_on_the_typed_body() {
    let mock = MockApi::new();
    let rename = mock
        .conversations()
        .update()
        .body(|body: &UpdateConversationBody| body.title.as_deref() == Some("Renamed"))
        .returns(conversation("1", ConversationState::Open));
    let close = mock.conversations().update().body(closes).returns(conversation("1", ConversationState::Closed));
    let client = mock.client();

    let mut body = UpdateConversationBody::default();
    body.state = Some(UpdateConversationBodyState::Closed);
    assert_eq!(client.conversations().update("1", body).await.unwrap().state, ConversationState::Closed);
    let mut body = UpdateConversationBody::default();
    body.title = Some("Renamed".into());
    assert_eq!(client.conversations().update("1", body).await.unwrap().state, ConversationState::Open);

    mock.verify();
    assert_eq!(rename.bodies()[0].title.as_deref(), Some("Renamed"));
    assert_eq!(
        close.calls()[0].body_json::<serde_json::Value>().unwrap().unwrap(),
        serde_json::json!({"state": "closed"})
    );
}

#[tokio::test]
async fn an_expectation_answers_as_many_calls_as_it_is_told() {
    let mock = MockApi::new();
    let get = mock.conversations().get().times(2).returns(conversation("1", ConversationState::Open));
    let client = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    for _ in 0..2 {
        client.conversations().get("1").await.unwrap();
    }
    assert_eq!(get.call_count(), 2);
    let third = client.conversations().get("1").await.unwrap_err();
    assert!(third.to_string().contains("#1: matches, but has had its 2 calls"), "{third}");
    let report = mock.try_verify().unwrap_err();
    assert!(report.unmet().is_empty());
    assert_eq!(report.unexpected().len(), 1);
}

#[test]
#[should_panic(
    expected = "listConversations (GET /v2/conversations) has no query parameter `state`; it has: `limit`, `cursor`, `tagIds`"
)]
fn a_parameter_the_operation_does_not_have_is_refused_at_once() {
    let mock = MockApi::new();
    let _ = mock.conversations().list().query_param("state", "open");
}

// ---- faults ----

#[tokio::test]
async fn a_timeout_is_retried_then_is_the_clients_timeout_error() {
    let mock = MockApi::new();
    let get = mock.conversations().get().times(3).fails(Fault::Timeout);
    let (client, waits) = quick_client(&mock);

    let err = client.conversations().get("1").await.unwrap_err();

    assert!(matches!(err, Error::Timeout { operation: "getConversationById" }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(get.call_count(), 3, "the first attempt and the default policy's 2 retries");
    assert_eq!(waits.lock().unwrap().len(), 2);
    mock.verify();

    // A call that may not be repeated (PATCH) is not retried after a timeout.
    let update = mock.conversations().update().fails(Fault::Timeout);
    let err = client.conversations().update("1", UpdateConversationBody::default()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { operation: "updateConversation" }), "{err:?}");
    assert_eq!(update.call_count(), 1);
    mock.verify();
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after_and_the_next_expectation_answers() {
    let mock = MockApi::new();
    let limited = mock.conversations().update().fails(Fault::RateLimited { retry_after: Duration::from_secs(3) });
    mock.conversations().update().body(closes).returns(conversation("1", ConversationState::Closed));
    let (client, waits) = quick_client(&mock);

    let mut close = UpdateConversationBody::default();
    close.state = Some(UpdateConversationBodyState::Closed);
    let updated = client.conversations().update("1", close).await.unwrap();

    assert_eq!(updated.state, ConversationState::Closed);
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(3)], "the wait is the server's Retry-After");
    assert_eq!(limited.call_count(), 1);
    assert_eq!(mock.calls().len(), 2);
    mock.verify();
}

#[tokio::test]
async fn a_429_the_client_gives_up_on_is_an_api_error_with_its_retry_after() {
    let mock = MockApi::new();
    mock.conversations().list().fails(Fault::RateLimited { retry_after: Duration::from_secs(7) });
    let client = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    let err = client.conversations().list().await.unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.is_retryable());
    mock.verify();
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error() {
    let mock = MockApi::new();
    mock.conversations().get().fails(Fault::MalformedBody);
    let err = mock.client().conversations().get("1").await.unwrap_err();
    match &err {
        Error::Decode { operation, status, .. } => {
            assert_eq!(*operation, "getConversationById");
            assert_eq!(*status, StatusCode::OK);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(!err.is_retryable());
    mock.verify();
}

// ---- API errors ----

#[tokio::test]
async fn an_api_error_comes_out_as_from_the_server() {
    let mock = MockApi::new();
    mock.conversations().get().path_param("id", "404").returns_error(
        StatusCode::NOT_FOUND,
        ErrorCode::ConversationNotFound,
        "Conversation not found",
    );
    let from_mock = mock.client().conversations().get("404").await.unwrap_err();

    // The same error as the API documents it, from a server.
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(wiremock::ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error": {
                "type": "invalid_request_error",
                "code": "conversation_not_found",
                "message": "Conversation not found",
                "status": 404
            }
        })))
        .mount(&server)
        .await;
    let client = Client::builder("key").base_url(server.uri()).build().unwrap();
    let from_server = client.conversations().get("404").await.unwrap_err();

    let (mocked, served) = (from_mock.api_error().unwrap(), from_server.api_error().unwrap());
    assert_eq!(mocked.error_code(), Some(ErrorCode::ConversationNotFound));
    assert_eq!(mocked.status, served.status);
    assert_eq!(mocked.error_type, served.error_type);
    assert_eq!(mocked.code, served.code);
    assert_eq!(mocked.message, served.message);
    assert_eq!(from_mock.to_string(), from_server.to_string());
    mock.verify();
}

#[tokio::test]
async fn a_server_error_is_retried_like_the_servers() {
    let mock = MockApi::new();
    mock.conversations().get().returns_error(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::from("internal_error"),
        "Try again",
    );
    mock.conversations().get().returns(conversation("1", ConversationState::Open));
    let (client, waits) = quick_client(&mock);
    assert_eq!(client.conversations().get("1").await.unwrap().id, "1");
    assert_eq!(waits.lock().unwrap().len(), 1);
    mock.verify();
}

// ---- verification ----

#[tokio::test]
async fn an_unexpected_call_is_answered_404_and_reported_with_why_nothing_matched() {
    let mock = MockApi::new();
    mock.conversations().get().path_param("id", "1").returns(conversation("1", ConversationState::Open));
    let client = mock.client();

    client.conversations().get("1").await.unwrap();
    let err = client.conversations().get("9").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert!(err.to_string().contains("unexpected call: getConversationById (GET /v2/conversations/9)"), "{err}");
    let err = client.posts().list().await.unwrap_err();
    assert!(err.to_string().contains("listPosts"), "{err}");

    let report = mock.try_verify().unwrap_err();
    assert!(report.unmet().is_empty());
    assert_eq!(report.unexpected().len(), 2, "{report}");
    let first = &report.unexpected()[0];
    assert!(first.starts_with("unexpected call: getConversationById (GET /v2/conversations/9)"), "{first}");
    assert!(first.contains("path parameter `id` is `9`, not `1`"), "{first}");
    assert!(report.unexpected()[1].contains("listPosts (GET /v2/posts): no expectation of this operation"), "{report}");
    assert!(report.to_string().starts_with("the mock API was not called as expected:\n- unexpected call: "));
    assert!(!mock.calls()[1].was_expected());
}

#[tokio::test]
async fn an_unmet_expectation_is_reported_by_verify_and_on_drop() {
    let mock = MockApi::new();
    mock.conversations().get().path_param("id", "1").returns(conversation("1", ConversationState::Open));
    mock.conversations().delete().times(1..).returns(Default::default());
    mock.conversations().list().times(..).returns(page(Vec::new(), None));
    mock.client().conversations().get("1").await.unwrap();

    let report = mock.try_verify().unwrap_err();
    assert_eq!(report.unmet().len(), 1, "{report}");
    assert_eq!(
        report.unmet()[0],
        "deleteConversation (DELETE /v2/conversations/{id}): expected at least 1 time, called 0 times"
    );
    let panicked = catch_unwind(AssertUnwindSafe(|| mock.verify())).unwrap_err();
    assert!(panic_message(panicked).contains("- unmet expectation: deleteConversation"));

    // Not verified after its last change: dropping the mock verifies it.
    let mock = MockApi::new();
    mock.conversations().delete().path_param("id", "7").returns(Default::default());
    let panicked = catch_unwind(AssertUnwindSafe(|| drop(mock))).unwrap_err();
    let message = panic_message(panicked);
    assert!(
        message.contains("unmet expectation: deleteConversation (DELETE /v2/conversations/{id}) with path parameter `id` = `7`: expected 1 time, called 0 times"),
        "{message}"
    );
}

#[tokio::test]
async fn the_mock_client_is_configured_like_any_other() {
    let mock = MockApi::new();
    mock.conversations().get().returns(conversation("1", ConversationState::Open));
    let client = mock.client_builder().api_version("2099-01-01").build().unwrap();
    client.conversations().get("1").await.unwrap();
    let call = &mock.calls()[0];
    assert_eq!(call.headers()["featurebase-version"], "2099-01-01");
    assert_eq!(call.method(), &featurebase::Method::GET);
    mock.verify();
}

/// The feature stays out of the default build and brings no dependency of its own.
#[test]
fn the_feature_is_opt_in_and_adds_no_dependency() {
    let manifest = std::fs::read_to_string(featurebase_tests::root().join("generated/Cargo.toml")).unwrap();
    let manifest: toml_edit::DocumentMut = manifest.parse().unwrap();
    let features = &manifest["features"];
    let testing = features["testing"].as_array().expect("a `testing` feature");
    assert!(testing.is_empty(), "`testing` enables nothing else: {testing}");
    let default = features["default"].as_array().unwrap();
    assert!(default.iter().all(|f| f.as_str() != Some("testing")), "not a default feature: {default}");
}
