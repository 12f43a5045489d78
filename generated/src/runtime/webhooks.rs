//! Receiving webhooks: the signature of a request checked over its raw body, then the body
//! parsed into the crate's typed events (crate feature `webhook-events`).
//!
//! Nothing here knows an API: a [`Scheme`] says where the signature and its timestamp are and
//! what was signed, a [`Verifier`] holds the secret and checks requests against it. The
//! generated `webhooks` module names the scheme its API uses and wraps a verifier in a
//! `Receiver` that parses its `Event`s.
//!
//! - The body is the bytes as they arrived (`&[u8]`), hashed where it lies: never copied, never
//!   parsed before its signature is checked.
//! - Signatures are compared in constant time, and a request whose timestamp is further than the
//!   tolerance from now ([`DEFAULT_TOLERANCE`], five minutes) is refused: a request recorded and
//!   sent again later is not accepted.
//! - The secret is a [`Secret`] and the key made from it never appears in `Debug` output; an empty
//!   secret is refused.
//!
//! ```
//! use featurebase::runtime::webhooks::{Scheme, Verifier, WebhookError};
//!
//! let verifier = Verifier::new(Scheme::STANDARD_WEBHOOKS, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let body = br#"{"type":"ping"}"#;
//! let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
//! let headers = verifier.sign("msg_1", now, body); // what a sender would send
//! verifier.verify(&headers, body)?;
//! assert!(matches!(verifier.verify(&headers, b"{}"), Err(WebhookError::BadSignature)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::Secret;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

/// How far a timestamp may be from the receiver's clock unless told otherwise: five minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The prefix of Standard Webhooks secrets, before the base64 of the key.
const STANDARD_SECRET_PREFIX: &str = "whsec_";

/// How a sender signs its requests: what is signed, with which key, and in which headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// The lowercase hex HMAC-SHA256 of `{timestamp}.{body}`, keyed with the secret's UTF-8
    /// bytes (the whole secret, prefix included); the timestamp, in Unix seconds, in a header of
    /// its own.
    HexHmacSha256 {
        /// The header with the hex signature.
        signature_header: &'static str,
        /// The header with the timestamp.
        timestamp_header: &'static str,
    },
    /// [Standard Webhooks](https://www.standardwebhooks.com/): the base64 HMAC-SHA256 of
    /// `{id}.{timestamp}.{body}`, keyed with the bytes of the base64 after the secret's `whsec_`,
    /// as space-separated `v1,<base64>` entries (any one of them may match).
    StandardWebhooks {
        /// The header with the message id (`webhook-id`).
        id_header: &'static str,
        /// The header with the timestamp in Unix seconds (`webhook-timestamp`).
        timestamp_header: &'static str,
        /// The header with the signatures (`webhook-signature`).
        signature_header: &'static str,
    },
}

impl Scheme {
    /// Standard Webhooks with its own header names.
    pub const STANDARD_WEBHOOKS: Scheme = Scheme::StandardWebhooks {
        id_header: "webhook-id",
        timestamp_header: "webhook-timestamp",
        signature_header: "webhook-signature",
    };

    fn timestamp_header(self) -> &'static str {
        match self {
            Scheme::HexHmacSha256 { timestamp_header, .. } | Scheme::StandardWebhooks { timestamp_header, .. } => {
                timestamp_header
            }
        }
    }

    fn signature_header(self) -> &'static str {
        match self {
            Scheme::HexHmacSha256 { signature_header, .. } | Scheme::StandardWebhooks { signature_header, .. } => {
                signature_header
            }
        }
    }
}

/// Why a request was not accepted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is empty (or its key is).
    #[error("the webhook secret is empty")]
    EmptySecret,
    /// A Standard Webhooks secret that is not `whsec_` and base64.
    #[error("the webhook secret is not `whsec_` followed by base64")]
    InvalidSecret,
    /// A header the scheme needs is not there (or is not text).
    #[error("the header `{0}` is missing")]
    MissingHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    #[error("the header `{0}` is not a Unix timestamp in seconds")]
    InvalidTimestamp(&'static str),
    /// No signature in the request is the one its body, timestamp (and id) make with the secret.
    #[error("the signature does not match the body")]
    BadSignature,
    /// The signature is right, but its timestamp is too far from now: a late or replayed request.
    #[error("the timestamp {timestamp} is {distance} s away from now ({now}), more than the {tolerance} s allowed")]
    StaleTimestamp {
        /// The request's timestamp (Unix seconds).
        timestamp: i64,
        /// The receiver's clock (Unix seconds).
        now: i64,
        /// How far apart they are, in seconds.
        distance: u64,
        /// The tolerance, in seconds.
        tolerance: u64,
    },
    /// The body is signed, but is not JSON of the expected shape.
    #[error("the body is not a valid event: {0}")]
    Body(#[source] serde_json::Error),
}

/// The headers of a request, by name (ASCII case-insensitive).
pub trait Headers {
    /// The value of the header `name`, if there is one and it is text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl Headers for reqwest::header::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name)?.to_str().ok()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Headers for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

/// The HMAC key, never shown.
#[derive(Clone, PartialEq, Eq)]
struct Key(Box<[u8]>);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Checks the signatures of requests made with one secret, and signs bodies the same way (for
/// tests, and for senders).
#[derive(Debug, Clone)]
pub struct Verifier {
    scheme: Scheme,
    key: Key,
    tolerance: Duration,
}

impl Verifier {
    /// A verifier for requests signed by `scheme` with `secret`. An empty secret is refused, and
    /// a Standard Webhooks secret must be `whsec_` (optional) followed by base64.
    pub fn new(scheme: Scheme, secret: impl Into<Secret>) -> Result<Self, WebhookError> {
        let secret = secret.into();
        let key: Vec<u8> = match scheme {
            Scheme::HexHmacSha256 { .. } => secret.expose().as_bytes().to_vec(),
            Scheme::StandardWebhooks { .. } => {
                let text = secret.expose();
                let text = text.strip_prefix(STANDARD_SECRET_PREFIX).unwrap_or(text);
                base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| WebhookError::InvalidSecret)?
            }
        };
        if key.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        Ok(Self { scheme, key: Key(key.into_boxed_slice()), tolerance: DEFAULT_TOLERANCE })
    }

    /// Refuses timestamps further than `tolerance` from now (instead of [`DEFAULT_TOLERANCE`]).
    pub fn tolerance(self, tolerance: Duration) -> Self {
        Self { tolerance, ..self }
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Checks that `body`, exactly as it arrived, was signed with the secret, at a time within
    /// the tolerance of this machine's clock.
    pub fn verify<H: Headers + ?Sized>(&self, headers: &H, body: &[u8]) -> Result<(), WebhookError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        self.verify_at(headers, body, now)
    }

    /// [`Verifier::verify`] with the clock at `now` (Unix seconds).
    pub fn verify_at<H: Headers + ?Sized>(&self, headers: &H, body: &[u8], now: i64) -> Result<(), WebhookError> {
        let header = |name: &'static str| headers.header(name).map(str::trim).ok_or(WebhookError::MissingHeader(name));
        let timestamp_header = self.scheme.timestamp_header();
        let timestamp_text = header(timestamp_header)?;
        let timestamp: i64 = timestamp_text.parse().map_err(|_| WebhookError::InvalidTimestamp(timestamp_header))?;
        let signatures = header(self.scheme.signature_header())?;
        let id = match self.scheme {
            Scheme::StandardWebhooks { id_header, .. } => Some(header(id_header)?),
            Scheme::HexHmacSha256 { .. } => None,
        };
        let expected = self.mac(id, timestamp_text, body);
        let matches = match self.scheme {
            Scheme::HexHmacSha256 { .. } => {
                hex_decode(signatures).is_some_and(|given| bool::from(given.ct_eq(&expected)))
            }
            Scheme::StandardWebhooks { .. } => signatures
                .split(' ')
                .filter_map(|entry| entry.split_once(','))
                .filter(|(version, _)| *version == "v1")
                .filter_map(|(_, signature)| base64::engine::general_purpose::STANDARD.decode(signature).ok())
                .fold(false, |found, given| found | bool::from(given.ct_eq(&expected))),
        };
        if !matches {
            return Err(WebhookError::BadSignature);
        }
        let distance = (i128::from(now) - i128::from(timestamp)).unsigned_abs();
        let tolerance = self.tolerance.as_secs();
        if distance > u128::from(tolerance) {
            return Err(WebhookError::StaleTimestamp {
                timestamp,
                now,
                distance: u64::try_from(distance).unwrap_or(u64::MAX),
                tolerance,
            });
        }
        Ok(())
    }

    /// Verifies the request ([`Verifier::verify`]), then parses its body.
    pub fn receive<T: DeserializeOwned, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<T, WebhookError> {
        self.verify(headers, body)?;
        parse(body)
    }

    /// The headers a sender of `body` at `timestamp` (Unix seconds) sends under this scheme, with
    /// `id` as the message id where the scheme has one: for tests of a receiver.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<(&'static str, String)> {
        let timestamp_text = timestamp.to_string();
        match self.scheme {
            Scheme::HexHmacSha256 { signature_header, timestamp_header } => {
                let mac = self.mac(None, &timestamp_text, body);
                vec![(signature_header, hex_encode(&mac)), (timestamp_header, timestamp_text)]
            }
            Scheme::StandardWebhooks { id_header, timestamp_header, signature_header } => {
                let mac = self.mac(Some(id), &timestamp_text, body);
                let signature = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac));
                vec![(id_header, id.to_owned()), (timestamp_header, timestamp_text), (signature_header, signature)]
            }
        }
    }

    /// The HMAC-SHA256 of `{id}.{timestamp}.{body}` (without the id where there is none), the
    /// body hashed where it lies.
    fn mac(&self, id: Option<&str>, timestamp: &str, body: &[u8]) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key.0).expect("HMAC takes a key of any length");
        if let Some(id) = id {
            mac.update(id.as_bytes());
            mac.update(b".");
        }
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }
}

/// Parses a webhook's body, without checking its signature.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(WebhookError::Body)
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Hex (either case) as bytes; `None` for anything else.
fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
    text.as_bytes().chunks(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: Scheme = Scheme::HexHmacSha256 { signature_header: "X-Signature", timestamp_header: "X-Timestamp" };

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex_encode(&[0, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex_decode("000FA5ff"), Some(vec![0, 0x0f, 0xa5, 0xff]));
        assert_eq!(hex_decode("0g"), None);
        assert_eq!(hex_decode("abc"), None);
    }

    #[test]
    fn empty_and_malformed_secrets_are_refused() {
        assert!(matches!(Verifier::new(HEX, ""), Err(WebhookError::EmptySecret)));
        assert!(matches!(Verifier::new(Scheme::STANDARD_WEBHOOKS, "whsec_"), Err(WebhookError::EmptySecret)));
        assert!(matches!(
            Verifier::new(Scheme::STANDARD_WEBHOOKS, "whsec_not base64!"),
            Err(WebhookError::InvalidSecret)
        ));
    }

    #[test]
    fn the_key_is_never_shown() {
        let verifier = Verifier::new(HEX, "whsec_very_secret").unwrap();
        let shown = format!("{verifier:?}");
        assert!(!shown.contains("very_secret") && shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn signed_requests_pass_and_others_fail_with_their_reason() {
        for scheme in [HEX, Scheme::STANDARD_WEBHOOKS] {
            let verifier = Verifier::new(scheme, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
            let body = br#"{"a":1}"#;
            let headers = verifier.sign("msg_1", 1_700_000_000, body);
            verifier.verify_at(&headers, body, 1_700_000_000 + 300).unwrap();
            verifier.verify_at(&headers, body, 1_700_000_000 - 300).unwrap();
            let stale = verifier.verify_at(&headers, body, 1_700_000_000 + 301).unwrap_err();
            assert!(matches!(stale, WebhookError::StaleTimestamp { distance: 301, tolerance: 300, .. }), "{stale}");
            let wider = verifier.clone().tolerance(Duration::from_secs(600));
            wider.verify_at(&headers, body, 1_700_000_000 + 301).unwrap();
            let tampered = verifier.verify_at(&headers, br#"{"a":2}"#, 1_700_000_000).unwrap_err();
            assert!(matches!(tampered, WebhookError::BadSignature));
            for (name, _) in &headers {
                let missing: Vec<_> = headers.iter().filter(|(n, _)| n != name).cloned().collect();
                let err = verifier.verify_at(&missing, body, 1_700_000_000).unwrap_err();
                assert!(matches!(err, WebhookError::MissingHeader(n) if n == *name), "{err}");
            }
            // Header names are matched whatever their case.
            let upper: Vec<(String, String)> = headers.iter().map(|(n, v)| (n.to_uppercase(), v.clone())).collect();
            verifier.verify_at(&upper, body, 1_700_000_000).unwrap();
        }
    }
}
