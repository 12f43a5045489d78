//! What the generator emits for requests and responses that are not JSON, sent to a mock server:
//! multipart and form bodies, raw bytes and text, cookies, `Accept` headers, text and binary
//! responses and responses whose body is ignored.
//!
//! The code under test is the generated code of `tests/fixtures/corpus/08-content-types.yaml`,
//! committed under `tests/fixtures/generated/content-types/` (kept fresh by
//! `corpus::wire_fixture_is_fresh`) and compiled into this test with the hand-written runtime,
//! as a crate generated from that spec would be (the runtime's own unit tests run here too, with
//! this spec's `info`).

// The tests call some of the operations; the rest is compiled, not used.
#[allow(unused)]
#[rustfmt::skip]
#[path = "../fixtures/generated/content-types/src/info.rs"]
mod info;
#[allow(unused)]
#[path = "../../generated/src/runtime/mod.rs"]
mod runtime;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../fixtures/generated/content-types/src/resources/mod.rs"]
mod resources;
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../fixtures/generated/content-types/src/types/mod.rs"]
mod types;

use runtime::{Client, Error, Nullable};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder("key").base_url(server.uri()).build().unwrap()
}

/// The one request the server received.
async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header_of<'r>(r: &'r Request, name: &str) -> &'r str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn multipart_bodies_have_a_part_per_property_and_files_for_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "f1", "size": 3})))
        .mount(&server)
        .await;
    let mut body = types::UploadFileBody::new(vec![0, 1, 0xff])
        .with_name("report.bin")
        .with_public(true)
        .with_tags(vec!["a".into(), "b c".into()])
        .with_thumbnails(vec![b"t1".to_vec(), b"t2".to_vec()])
        .with_metadata([("k".to_owned(), "v".to_owned())].into())
        .with_visibility(types::Visibility::Team);
    body.note = Nullable::Null;
    let info = client(&server).files().upload(body).await.unwrap();
    assert_eq!(info.id, "f1");

    let r = received(&server).await;
    let content_type = header_of(&r, "content-type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let expected_parts: Vec<(&str, &str, &[u8])> = vec![
        ("name=\"file\"; filename=\"file\"", "application/octet-stream", &[0, 1, 0xff]),
        ("name=\"thumbnails\"; filename=\"thumbnails\"", "application/octet-stream", b"t1"),
        ("name=\"thumbnails\"; filename=\"thumbnails\"", "application/octet-stream", b"t2"),
        ("name=\"name\"", "", b"report.bin"),
        ("name=\"public\"", "", b"true"),
        ("name=\"tags\"", "", b"a"),
        ("name=\"tags\"", "", b"b c"),
        ("name=\"metadata\"", "application/json", b"{\"k\":\"v\"}"),
        ("name=\"visibility\"", "", b"team"),
    ];
    let mut expected = Vec::new();
    for (disposition, part_type, data) in expected_parts {
        expected.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; {disposition}").as_bytes());
        if !part_type.is_empty() {
            expected.extend_from_slice(format!("\r\nContent-Type: {part_type}").as_bytes());
        }
        expected.extend_from_slice(b"\r\n\r\n");
        expected.extend_from_slice(data);
        expected.extend_from_slice(b"\r\n");
    }
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(String::from_utf8_lossy(&r.body), String::from_utf8_lossy(&expected));
    assert_eq!(r.body, expected);
}

#[tokio::test]
async fn a_part_that_contains_the_boundary_fails_the_request() {
    let server = MockServer::start().await;
    let file = format!("x\r\n--{}\r\n", runtime::body::MULTIPART_CONTENT_TYPE.split("boundary=").nth(1).unwrap());
    let err = client(&server).files().upload(types::UploadFileBody::new(file.into_bytes())).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn form_bodies_are_url_encoded_and_repeat_array_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "t"})))
        .mount(&server)
        .await;
    let login = types::LoginBody::new(types::LoginBodyRequired {
        grant_type: types::LoginBodyGrantType::Password,
        username: "me@x".into(),
        password: "p&ss=w rd".into(),
    })
    .with_scope(vec!["read".into(), "write".into()]);
    let tokens = client(&server).forms().login(login).await.unwrap();
    assert_eq!(tokens.access_token.as_deref(), Some("t"));
    let r = received(&server).await;
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "grant_type=password&username=me%40x&password=p%26ss%3Dw%20rd&scope=read&scope=write"
    );
}

#[tokio::test]
async fn text_and_binary_bodies_are_sent_as_they_are() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client(&server);
    client.files().put_text("id/1").body("héllo\nworld".into()).await.unwrap();
    client.files().replace_content("x", vec![0, 159, 146, 150]).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/files/id%2F1/text");
    assert_eq!(header_of(&requests[0], "content-type"), "text/plain");
    assert_eq!(requests[0].body, "héllo\nworld".as_bytes());
    assert_eq!(header_of(&requests[1], "content-type"), "application/octet-stream");
    assert_eq!(requests[1].body, [0, 159, 146, 150]);
}

#[tokio::test]
async fn text_responses_are_strings_and_must_be_utf8() {
    let server = MockServer::start().await;
    Mock::given(path("/files/ok/text"))
        .and(header("accept", "text/plain; charset=utf-8"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("grüße", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(path("/files/bad/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0xff, 0xfe], "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(client.files().get_text("ok").await.unwrap(), "grüße");
    let err = client.files().get_text("bad").await.unwrap_err();
    assert!(matches!(&err, Error::Decode { operation: "getText", .. }), "{err:?}");
}

#[tokio::test]
async fn binary_responses_are_bytes_and_ask_for_their_media_type() {
    let server = MockServer::start().await;
    Mock::given(path("/files/f/content"))
        .and(header("accept", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0, 1, 2], "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(path("/files/f/preview"))
        .and(header("accept", "image/png"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0x89, b'P'], "image/png"))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(client.files().download("f").await.unwrap().as_ref(), [0, 1, 2]);
    assert_eq!(client.files().get_preview("f").await.unwrap().as_ref(), [0x89, b'P']);
}

#[tokio::test]
async fn an_undescribed_success_body_is_ignored() {
    let server = MockServer::start().await;
    Mock::given(path("/feedback"))
        .respond_with(ResponseTemplate::new(202).set_body_raw("queued, thanks!", "text/plain"))
        .mount(&server)
        .await;
    let response = client(&server).forms().send_feedback().send_with_response().await.unwrap();
    assert_eq!(response.status.as_u16(), 202);
}
