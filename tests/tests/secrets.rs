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

/// A webhook response whose `health.errorsSinceLastSuccess` is `value` (after the secret).
fn webhook_with_health_errors(value: serde_json::Value) -> String {
    let mut hook = webhook();
    hook["health"]["errorsSinceLastSuccess"] = value;
    hook.to_string()
}

#[test]
fn no_error_quotes_the_body() {
    use featurebase::runtime::decode::decode;
    use featurebase::{Decoding, Error, StatusCode};
    let full = webhook().to_string();
    let bodies = [
        // A wrong type after the secret, in strict mode.
        (webhook_with_health_errors(json!("not a number")), Decoding::Strict),
        // The secret itself where a number belongs, in both modes (lenient cannot repair
        // an array).
        (webhook_with_health_errors(json!(SECRET)), Decoding::Strict),
        (webhook_with_health_errors(json!([SECRET])), Decoding::Lenient),
        // Out of range.
        (webhook_with_health_errors(json!(1e300)), Decoding::Strict),
        // Cut short, and with garbage after it.
        (full[..full.len() - 20].to_owned(), Decoding::Lenient),
        (format!("{full} {SECRET}"), Decoding::Lenient),
        // A secret of the wrong shape.
        (full.replace(&format!("\"{SECRET}\""), &format!("{{\"v\": \"{SECRET}\"}}")), Decoding::Lenient),
    ];
    for (body, decoding) in bodies {
        let err = decode::<Webhook>("getWebhook", StatusCode::OK, body.as_bytes(), decoding).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!text.contains(SECRET) && !text.contains("whsec_"), "{text}");
            assert!(!text.contains("Production Webhook") && !text.contains("example.com"), "{text}");
        }
    }
    // Nor does a deviation say what the value was.
    let body = webhook_with_health_errors(json!(SECRET));
    let (_, deviations) = decode::<Webhook>("getWebhook", StatusCode::OK, body.as_bytes(), Decoding::Lenient).unwrap();
    assert_eq!(deviations.len(), 1);
    assert!(!format!("{} {:?}", deviations[0], deviations[0]).contains(SECRET), "{deviations:?}");
}

#[test]
fn a_missing_secret_cannot_be_used_as_a_key() {
    use featurebase::runtime::decode::decode;
    use featurebase::{Decoding, DeviationKind, StatusCode};
    for (secret, kind) in [
        (None, DeviationKind::Missing),
        (Some(json!(null)), DeviationKind::Null),
        (Some(json!(42)), DeviationKind::WrongType),
    ] {
        let mut body = webhook();
        match secret {
            None => drop(body.as_object_mut().unwrap().remove("secret")),
            Some(value) => body["secret"] = value,
        }
        // The call succeeds (the reference's own example leaves `secret` out)...
        let (hook, deviations) =
            decode::<Webhook>("getWebhook", StatusCode::OK, body.to_string().as_bytes(), Decoding::Lenient).unwrap();
        assert_eq!(deviations.len(), 1);
        assert_eq!((deviations[0].path.as_str(), deviations[0].kind), ("secret", kind));
        // ... but the secret says it is missing, and refuses to be used.
        assert!(hook.secret.is_missing());
        let err = hook.secret.expose_checked().unwrap_err();
        assert!(err.to_string().contains("cannot be used as a key"), "{err}");
        let hook_for_panic = hook.clone();
        let panicked = std::panic::catch_unwind(move || hook_for_panic.secret.expose().to_owned());
        assert!(panicked.is_err(), "expose() must not hand out an empty key");
        assert_eq!(format!("{:?}", hook.secret), "[missing]");
        // Written back, the secret stays out rather than becoming "".
        let back = serde_json::to_value(&hook).unwrap();
        assert!(back.get("secret").is_none(), "{back}");
        // Strict decoding refuses the response.
        assert!(decode::<Webhook>("getWebhook", StatusCode::OK, body.to_string().as_bytes(), Decoding::Strict).is_err());
    }
}
