//! Receiving webhooks: the signature schemes against vectors computed apart from this project
//! (the Standard Webhooks reference libraries', Featurebase's made with Python's `hmac`), and
//! the example server (`tests/examples/receive_webhooks.rs`) on a local port, sent a signed event
//! of every Featurebase topic (built from the spec's own schemas), a tampered body, a wrong
//! secret, an old timestamp and a topic this crate does not know.

#[allow(dead_code)]
#[path = "../examples/receive_webhooks.rs"]
mod server;

use featurebase::runtime::webhooks::{Scheme, Verifier, WebhookError};
use featurebase::webhooks::{Event, Receiver, SCHEME};
use featurebase_tests::instances::Instances;
use featurebase_tests::root;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(serde::Deserialize)]
struct Vectors {
    vector: Vec<Vector>,
}

#[derive(serde::Deserialize)]
struct Vector {
    secret: String,
    #[serde(default)]
    id: String,
    timestamp: String,
    body: String,
    signature: String,
}

fn vectors(file: &str) -> Vec<Vector> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/webhooks").join(file)).unwrap();
    toml::from_str::<Vectors>(&text).unwrap().vector
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn standard_webhooks_reference_vectors() {
    for v in vectors("standard-webhooks-vectors.toml") {
        let verifier = Verifier::new(Scheme::STANDARD_WEBHOOKS, v.secret.as_str()).unwrap();
        let at: i64 = v.timestamp.parse().unwrap();
        let signed = verifier.sign(&v.id, at, v.body.as_bytes());
        assert_eq!(signed[2], ("webhook-signature", v.signature.clone()), "signing {}", v.id);
        let headers = [
            ("webhook-id", v.id.clone()),
            ("webhook-timestamp", v.timestamp.clone()),
            ("webhook-signature", v.signature.clone()),
        ];
        verifier.verify_at(&headers, v.body.as_bytes(), at + 10).unwrap();
        // Among other signatures (a rotated secret's), in any place.
        let several = format!("v1,bm90IHRoaXMgb25l v2,{} {} v1,AAAA", v.signature, v.signature);
        let mixed = [headers[0].clone(), headers[1].clone(), ("webhook-signature", several)];
        verifier.verify_at(&mixed, v.body.as_bytes(), at).unwrap();
        let tampered = format!("{} ", v.body);
        assert!(matches!(verifier.verify_at(&headers, tampered.as_bytes(), at), Err(WebhookError::BadSignature)));
        let other_id = [("webhook-id", "msg_other".to_owned()), headers[1].clone(), headers[2].clone()];
        assert!(matches!(verifier.verify_at(&other_id, v.body.as_bytes(), at), Err(WebhookError::BadSignature)));
        let late = verifier.verify_at(&headers, v.body.as_bytes(), at + 301).unwrap_err();
        assert!(matches!(late, WebhookError::StaleTimestamp { .. }), "{late}");
    }
}

#[test]
fn featurebase_vectors_computed_with_python() {
    assert_eq!(
        SCHEME,
        Scheme::HexHmacSha256 { signature_header: "X-Webhook-Signature", timestamp_header: "X-Webhook-Timestamp" }
    );
    for v in vectors("featurebase-vectors.toml") {
        let receiver = Receiver::new(v.secret.as_str()).unwrap();
        let at: i64 = v.timestamp.parse().unwrap();
        let signed = receiver.verifier().sign("", at, v.body.as_bytes());
        assert_eq!(
            signed,
            vec![("X-Webhook-Signature", v.signature.clone()), ("X-Webhook-Timestamp", v.timestamp.clone())]
        );
        let headers =
            [("x-webhook-signature", v.signature.to_uppercase()), ("X-Webhook-Timestamp", v.timestamp.clone())];
        receiver.verifier().verify_at(&headers, v.body.as_bytes(), at - 299).unwrap();
        let wrong = Receiver::new(format!("{}x", v.secret)).unwrap();
        assert!(matches!(wrong.verifier().verify_at(&headers, v.body.as_bytes(), at), Err(WebhookError::BadSignature)));
    }
    assert!(matches!(Receiver::new(""), Err(WebhookError::EmptySecret)));
    assert_eq!(format!("{:?}", Receiver::new("whsec_do_not_print").unwrap()).matches("do_not_print").count(), 0);
}

/// The spec with the crate's overlays applied, as JSON: where the webhooks are described.
fn effective_spec() -> Value {
    let mut spec = featurebase_tests::spec_json();
    for overlay in xtask::codegen::config(&root()).unwrap().load_overlays(&root()).unwrap() {
        overlay.apply_to(&mut spec).unwrap();
    }
    spec
}

/// A schema-valid body of every webhook in the spec, its `topic` the webhook's (several seeds, so
/// that conversation topics carry both a conversation and a conversation part).
fn bodies(spec: &Value) -> Vec<(String, Value)> {
    let webhooks = spec["webhooks"].as_object().expect("the overlay describes webhooks");
    let mut out = Vec::new();
    for (seed, (topic, webhook)) in webhooks.iter().enumerate() {
        let schema = &webhook["post"]["requestBody"]["content"]["application/json"]["schema"];
        for round in 0..2 {
            let mut instances = Instances::new(spec, (seed * 2 + round) as u64);
            instances.full = round == 1;
            let mut body = instances.instance(schema);
            body["topic"] = json!(topic);
            out.push((topic.clone(), body));
        }
    }
    out
}

#[test]
fn every_topic_parses_into_its_variant() {
    let spec = effective_spec();
    let bodies = bodies(&spec);
    assert_eq!(bodies.len(), 2 * 27);
    let mut items = std::collections::BTreeSet::new();
    for (topic, body) in &bodies {
        let text = serde_json::to_vec(body).unwrap();
        let event = Event::parse(&text).unwrap_or_else(|e| panic!("{topic}: {e}\n{body:#}"));
        assert_eq!(event.tag(), Some(topic.as_str()));
        assert!(!matches!(event, Event::Unknown(_)), "{topic}");
        assert_eq!(serde_json::to_value(&event).unwrap(), *body, "{topic} encodes as it came");
        items.insert(body["data"]["item"]["object"].as_str().unwrap().to_owned());
    }
    let expected = ["changelog", "comment", "conversation", "conversation_part", "post", "ticket"];
    assert_eq!(items.into_iter().collect::<Vec<_>>(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_server_accepts_what_featurebase_signs_and_refuses_the_rest() {
    const SECRET: &str = "whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH";
    let received = Arc::new(Mutex::new(Vec::new()));
    let app = server::App { receiver: Arc::new(Receiver::new(SECRET).unwrap()), received: received.clone() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/featurebase", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server::router(app)).await.unwrap() });

    let client = reqwest::Client::new();
    // What Featurebase would send: the body signed at `at` with `secret`.
    let send = |body: Vec<u8>, secret: &str, at: i64, tamper: bool| {
        let signer = Receiver::new(secret).unwrap();
        let headers = signer.verifier().sign("", at, &body);
        let mut body = body;
        if tamper {
            body.extend_from_slice(b" ");
        }
        let mut request = client.post(&url).header("content-type", "application/json").body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };

    let spec = effective_spec();
    let bodies = bodies(&spec);
    for (topic, body) in &bodies {
        let (status, text) = send(serde_json::to_vec(body).unwrap(), SECRET, now(), false).await;
        assert_eq!(status, 200, "{topic}: {text}");
    }
    let post = serde_json::to_vec(&bodies[0].1).unwrap();
    assert_eq!(bodies[0].0, "post.created");
    let (status, text) = send(post.clone(), SECRET, now(), false).await;
    assert_eq!((status, text.starts_with("new post: ")), (200, true), "{text}");

    let (status, text) = send(post.clone(), SECRET, now(), true).await;
    assert_eq!(status, 401, "a tampered body: {text}");
    let (status, text) = send(post.clone(), "whsec_another_webhooks_secret", now(), false).await;
    assert_eq!(status, 401, "a wrong secret: {text}");
    let (status, text) = send(post.clone(), SECRET, now() - 10 * 60, false).await;
    assert_eq!((status, text.contains("timestamp")), (401, true), "an old timestamp: {text}");
    let unsigned = client.post(&url).body(post.clone()).send().await.unwrap();
    assert_eq!(unsigned.status().as_u16(), 401, "no signature");
    let (status, text) = send(b"{\"topic\": ".to_vec(), SECRET, now(), false).await;
    assert_eq!(status, 400, "a signed body that is not JSON: {text}");

    let mut unknown = bodies[0].1.clone();
    unknown["topic"] = json!("post.merged");
    unknown["data"]["mergedInto"] = json!("post_2");
    let (status, text) = send(serde_json::to_vec(&unknown).unwrap(), SECRET, now(), false).await;
    assert_eq!(status, 202, "an unknown topic: {text}");

    let received = received.lock().unwrap();
    assert_eq!(received.len(), bodies.len() + 2, "only the verified events were handled");
    match received.last().unwrap() {
        Event::Unknown(json) => assert_eq!(*json, unknown, "kept as it came"),
        other => panic!("expected the unknown topic, got {other:?}"),
    }
}
