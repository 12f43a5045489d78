//! A server that receives Featurebase webhooks, as a user of the `featurebase` crate writes one
//! (axum): every request is verified against the webhook's secret and parsed into a typed
//! [`Event`] in one call, then handled by its topic.
//!
//! ```sh
//! FEATUREBASE_WEBHOOK_SECRET=whsec_... cargo run -p featurebase-tests --example receive_webhooks
//! ```
//!
//! It answers 200 to an event it handles, 202 to a topic this version of the crate does not
//! know (kept as JSON), 401 to a request that is not signed with the secret (or signed too long
//! ago) and 400 to a signed body that is not an event. `tests/tests/webhooks.rs` runs it.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use featurebase::webhooks::{Event, Receiver, WebhookError};
use std::sync::{Arc, Mutex};

/// What the server shares between requests: the receiver, and what it received (for the test).
#[derive(Clone)]
pub struct App {
    pub receiver: Arc<Receiver>,
    pub received: Arc<Mutex<Vec<Event>>>,
}

/// The routes: `POST /webhooks/featurebase`.
pub fn router(app: App) -> Router {
    Router::new().route("/webhooks/featurebase", post(receive)).with_state(app)
}

async fn receive(State(app): State<App>, headers: HeaderMap, body: Bytes) -> (StatusCode, String) {
    let event = match app.receiver.receive(&headers, &body) {
        Ok(event) => event,
        Err(WebhookError::Body(e)) => return (StatusCode::BAD_REQUEST, format!("not an event: {e}")),
        Err(e) => return (StatusCode::UNAUTHORIZED, e.to_string()),
    };
    let answer = match &event {
        Event::PostCreated(e) => (StatusCode::OK, format!("new post: {}", e.data.item.title)),
        Event::ConversationAdminReplied(e) => (StatusCode::OK, format!("reply in {:?}", e.conversation_id)),
        Event::Unknown(json) => (StatusCode::ACCEPTED, format!("kept unknown topic {:?}", json.get("topic"))),
        other => (StatusCode::OK, format!("received {}", other.tag().unwrap_or_default())),
    };
    app.received.lock().unwrap().push(event);
    answer
}

#[allow(dead_code)] // `tests/tests/webhooks.rs` uses the router, not `main`.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("FEATUREBASE_WEBHOOK_SECRET")?;
    let app = App { receiver: Arc::new(Receiver::new(secret)?), received: Arc::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("receiving Featurebase webhooks on http://{}/webhooks/featurebase", listener.local_addr()?);
    axum::serve(listener, router(app)).await?;
    Ok(())
}
