//! Secrets in the API's data: a property the spec (or an overlay) marks as secret is a
//! `runtime::Secret`, which `Debug` never shows and serde reads and writes as the string it is.

use featurebase::runtime::Secret;
use featurebase::types::Webhook;
use serde_json::json;

const SECRET: &str = "whsec_9f86d081884c7d659a2feaa0c55ad015";

fn webhook() -> serde_json::Value {
    json!({
        "object": "webhook",
        "id": "507f1f77bcf86cd799439011",
        "name": "Production Webhook",
        "url": "https://example.com/webhooks",
        "secret": SECRET,
        "description": null,
        "topics": ["post.created", "conversation.admin.replied"],
        "status": "active",
        "requestConfig": {"timeoutMs": 5000, "headers": {"X-Env": "prod"}},
        "lastStatus": null,
        "health": {
            "lastResponseTime": 120.5,
            "avgResponseTime": 98.0,
            "lastSuccessAt": "2025-01-15T10:30:00.000Z",
            "errorsSinceLastSuccess": 0,
            "consecutiveFailures": 0
        },
        "version": "2026-01-01.nova",
        "createdAt": "2025-01-15T10:30:00.000Z",
        "updatedAt": "2025-01-15T10:30:00.000Z"
    })
}

#[test]
fn debug_of_a_decoded_webhook_does_not_show_its_secret() {
    let hook: Webhook = serde_json::from_value(webhook()).unwrap();
    let debug = format!("{hook:?}");
    let pretty = format!("{hook:#?}");
    assert!(!debug.contains(SECRET) && !pretty.contains(SECRET), "{pretty}");
    assert!(!debug.contains("whsec_"), "{debug}");
    assert!(debug.contains("secret: [redacted]"), "{debug}");
    // The value is there for the code that verifies signatures.
    assert_eq!(hook.secret.expose(), SECRET);
}

#[test]
fn a_secret_is_written_back_as_the_string_it_was() {
    let hook: Webhook = serde_json::from_value(webhook()).unwrap();
    let back = serde_json::to_value(&hook).unwrap();
    assert_eq!(back["secret"], SECRET);
    assert!(featurebase_tests::same_json(&back, &webhook()));
}

#[test]
fn debug_of_options_and_lists_of_secrets_is_redacted() {
    let secret = Secret::from(SECRET);
    assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
    assert_eq!(format!("{:?}", vec![secret.clone()]), "[[redacted]]");
    assert_eq!(secret, Secret::new(SECRET.to_owned()));
    assert_eq!(secret.into_inner(), SECRET);
}
