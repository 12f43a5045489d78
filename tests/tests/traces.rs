//! What the client tells `tracing`: the call's span and its fields, retries, waits for a rate
//! limit and deviations, and never the key, a body or a path value.
//!
//! The one test of its binary: `tracing` decides once per call site whether anyone listens, and
//! a call site first reached by another test's thread (without a subscriber) while this one sets
//! its own can keep "no one", which made the span missing now and then when this test shared a
//! binary with other tests that run the client.

use std::io::Write;
use std::sync::{Arc, Mutex};

use featurebase::{Client, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_never_logged_9191";

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
                        ResponseTemplate::new(200)
                            .set_body_json(featurebase_tests::conversations_with_deviations()["data"][1].clone())
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
            // No requests left for 5 s: the next call waits for the reset.
            Mock::given(method("GET"))
                .and(path("/v2/limited"))
                .respond_with(
                    ResponseTemplate::new(200)
                        .insert_header("x-ratelimit-remaining", "0")
                        .insert_header("x-ratelimit-reset", "5")
                        .set_body_string("{}"),
                )
                .mount(&server)
                .await;
            for _ in 0..2 {
                let request = featurebase::ApiRequest::new(featurebase::Method::GET, "/v2/limited", "getLimited");
                client.execute::<serde_json::Value>(request).await.unwrap();
            }
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
        "waiting for the rate limit to reset",
        "capped=false",
    ] {
        assert!(text.contains(expected), "the trace lacks {expected:?}:\n{text}");
    }
    for secret in [KEY, "BODY-MARKER", "Bearer", "c-42"] {
        assert!(!text.contains(secret), "the trace shows {secret:?}:\n{text}");
    }
}
