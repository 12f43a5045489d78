//! The generated endpoint methods against a local mock server: every operation exists, and calls
//! send the right method, path, query, headers and body, and decode what comes back.

use featurebase::types::*;
use featurebase::{Client, Error, Nullable, RetryPolicy};
use featurebase_tests::{fixture, root};
use futures_util::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_endpoint_key_777";

fn client(server: &MockServer) -> Client {
    // Strict: a response the crate cannot decode as the spec says is a bug of the crate here.
    Client::builder(KEY).base_url(server.uri()).retry_policy(RetryPolicy::none()).strict(true).build().unwrap()
}

#[test]
fn every_operation_in_the_spec_has_a_method() {
    let spec_path = root().join("spec/featurebase-2026-01-01.nova.json");
    let spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
    let mut ids = Vec::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for (m, op) in item.as_object().unwrap() {
            if ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&m.as_str()) {
                ids.push((m.to_uppercase(), op["operationId"].as_str().unwrap().to_owned()));
            }
        }
    }
    assert_eq!(ids.len(), 110);
    let generated = generator::generate_path(&spec_path, &generator::Options::default()).unwrap();
    assert_eq!(generated.api.operations.len(), 110);
    let resources: String =
        generated.files.iter().filter(|(p, _)| p.starts_with("src/resources/")).map(|(_, c)| c.as_str()).collect();
    let committed: String = std::fs::read_dir(root().join("generated/src/resources"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for (method, id) in &ids {
        // Each operation builds its request in exactly one place, with its own method.
        let needle = format!("\"{id}\"");
        assert_eq!(committed.matches(&needle).count(), 1, "{id}: no single request builder");
        let op = generated.api.operations.iter().find(|o| &o.operation_id == id).unwrap();
        assert_eq!(&op.method, method);
        assert!(resources.contains(&format!("pub fn {}(", op.fn_name)), "{id}: no method `{}`", op.fn_name);
    }
}

#[tokio::test]
async fn get_sends_auth_version_and_an_encoded_path_segment() {
    let server = MockServer::start().await;
    let body = fixture("seeds/create_conversation_response.json");
    Mock::given(method("GET"))
        .and(path("/v2/conversations/a%2Fb%3Fc%23d"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("featurebase-version", featurebase::API_VERSION))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let convo = client(&server).conversations().get("a/b?c#d").await.unwrap();
    assert_eq!(convo.id, "12345");
}

/// A renamed method's former name (`names.lock`'s `renamed` lines) still works, deprecated, and
/// sends exactly what the new name sends.
#[tokio::test]
#[allow(deprecated)]
async fn a_former_method_name_is_a_deprecated_alias_of_the_new_one() {
    let server = MockServer::start().await;
    let body = fixture("seeds/create_conversation_response.json");
    Mock::given(method("GET"))
        .and(path("/v2/conversations/c-1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(2)
        .mount(&server)
        .await;
    let old = client(&server).conversations().get_by_id("c-1").await.unwrap();
    let new = client(&server).conversations().get("c-1").await.unwrap();
    assert_eq!(old, new);
    // The alias returns the new method's request builder.
    let _: featurebase::resources::companies::DeleteCompanyById = client(&server).companies().delete_company_by_id("x");
}

#[tokio::test]
async fn optional_query_parameters_are_skipped_or_encoded() {
    let server = MockServer::start().await;
    let page = json!({"object": "list", "data": [], "nextCursor": null});
    Mock::given(method("GET"))
        .and(path("/v2/conversations"))
        .and(query_param("limit", "50"))
        .and(query_param("tagIds", "t1,t2"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .expect(1)
        .mount(&server)
        .await;
    let list = client(&server).conversations().list().limit(50).tag_ids(["t1", "t2"]).await.unwrap();
    assert!(list.data.is_empty());
}

#[tokio::test]
async fn update_sends_null_to_clear_and_leaves_out_absent_fields() {
    let server = MockServer::start().await;
    let body = fixture("seeds/create_conversation_response.json");
    Mock::given(method("PATCH"))
        .and(path("/v2/conversations/42"))
        .and(body_json(json!({"snoozedUntil": null, "title": "Renamed"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let mut update = UpdateConversationBody::default();
    update.snoozed_until = Nullable::Null;
    update.title = Some("Renamed".into());
    client(&server).conversations().update("42", update).await.unwrap();
}

#[tokio::test]
async fn create_sends_a_tagged_union_body_and_returns_status_and_headers() {
    let server = MockServer::start().await;
    let body = fixture("seeds/create_conversation_response.json");
    let request: serde_json::Value =
        serde_json::from_str(&fixture("seeds/create_conversation_request_admin_email.json")).unwrap();
    Mock::given(method("POST"))
        .and(path("/v2/conversations"))
        .and(body_json(&request))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(body, "application/json").insert_header("x-request-id", "req_1"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let create: CreateConversationBody = serde_json::from_value(request).unwrap();
    let response = client(&server).conversations().create(create).send_with_response().await.unwrap();
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(response.headers["x-request-id"], "req_1");
    assert_eq!(response.body.id, "12345");
}

#[tokio::test]
async fn stream_follows_next_cursor_across_three_pages() {
    let server = MockServer::start().await;
    let convo: serde_json::Value = serde_json::from_str(&fixture("seeds/create_conversation_response.json")).unwrap();
    let with_id = |id: &str| {
        let mut c = convo.clone();
        c["id"] = json!(id);
        c
    };
    let pages =
        [(None, vec!["1", "2"], Some("c2")), (Some("c2"), vec!["3"], Some("c3")), (Some("c3"), vec!["4"], None)];
    for (cursor, ids, next) in pages {
        let body =
            json!({"object": "list", "data": ids.iter().map(|i| with_id(i)).collect::<Vec<_>>(), "nextCursor": next});
        let mock = Mock::given(method("GET")).and(path("/v2/conversations")).and(query_param("limit", "2"));
        let mock = match cursor {
            Some(c) => mock.and(query_param("cursor", c)),
            None => mock.and(query_param_is_missing("cursor")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(&server).await;
    }
    let all: Vec<Conversation> = client(&server).conversations().list().limit(2).stream().try_collect().await.unwrap();
    assert_eq!(all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["1", "2", "3", "4"]);
}

#[tokio::test]
async fn api_errors_carry_status_code_and_message() {
    let server = MockServer::start().await;
    let error = json!({"error": {"type": "invalid_request_error", "code": "conversation_not_found", "message": "No such conversation", "param": "id", "status": 404}});
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(404).set_body_json(error)).mount(&server).await;
    let err = client(&server).conversations().delete("nope").await.unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.code.as_deref(), Some("conversation_not_found"));
    assert_eq!(api.error_code(), Some(featurebase::ErrorCode::ConversationNotFound));
    let text = err.to_string();
    assert!(
        text.contains("404") && text.contains("conversation_not_found") && text.contains("No such conversation"),
        "{text}"
    );
    assert!(!format!("{err:?}").contains(KEY));
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let server = MockServer::start().await;
    let mut list: serde_json::Value = serde_json::from_str(&fixture("seeds/list_conversations_response.json")).unwrap();
    list["data"][0]["priority"] = json!("very");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(list)).mount(&server).await;
    let err = client(&server).conversations().list().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("data[0].priority"), "{err}");
}

#[tokio::test]
async fn version_header_is_sent_on_every_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|req: &Request| {
            let version = req.headers.get("featurebase-version").map(|v| v.to_str().unwrap().to_owned());
            ResponseTemplate::new(if version.as_deref() == Some(featurebase::API_VERSION) { 200 } else { 400 })
                .set_body_json(json!([]))
        })
        .mount(&server)
        .await;
    let client = client(&server);
    assert!(client.boards().list().await.unwrap().is_empty());
    assert!(client.post_statuses().list().await.unwrap().is_empty());
}
