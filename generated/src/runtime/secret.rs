//! Strings that never show up in `Debug` output: the API key, and secrets in the API's data.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The name a [`Secret`] asks deserializers for (`deserialize_newtype_struct`): a plain one
/// hands it the string; a decode's slow pass and a missing field see a secret there, and make a
/// missing one ([`Secret::missing`]) instead of an empty string.
pub(crate) const TOKEN: &str = "$featurebase::runtime::Secret";

/// A secret string: the API key, or a value the spec marks as one (`format: password` or
/// `x-sensitive: true`, such as a webhook's signing secret).
///
/// `Debug` prints `[redacted]` and there is no `Display`, so logging a response with `{:?}` does
/// not leak it; [`Secret::expose`] gives the value where it is needed. serde reads and writes it
/// as the plain string it is on the wire.
///
/// A response that leaves a secret out, or sends `null` or a number for it, still decodes (the
/// client decodes leniently by default and reports a [`Deviation`](crate::runtime::Deviation)),
/// but the secret is then **missing** ([`is_missing`](Secret::is_missing)), not an empty string:
/// [`expose_checked`](Secret::expose_checked) returns an error and [`expose`](Secret::expose)
/// panics, so that nothing signs or verifies with an empty key.
///
/// ```
/// let secret = featurebase::runtime::Secret::from("whsec_123");
/// assert_eq!(format!("{secret:?}"), "[redacted]");
/// assert_eq!(secret.expose(), "whsec_123");
/// assert!(featurebase::runtime::Secret::missing().expose_checked().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Option<Box<str>>);

/// The API key's type.
pub(crate) type SecretString = Secret;

/// The error of using a [`Secret`] that the response did not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingSecret;

impl fmt::Display for MissingSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the secret is missing: the response left it out (or sent no string for it) and was decoded leniently; \
             it cannot be used as a key",
        )
    }
}

impl std::error::Error for MissingSecret {}

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Some(secret.into().into_boxed_str()))
    }

    /// A secret that a response should have carried and did not.
    pub fn missing() -> Self {
        Self(None)
    }

    /// Whether the secret is missing (see [`Secret::missing`]).
    pub fn is_missing(&self) -> bool {
        self.0.is_none()
    }

    /// The secret itself, or [`MissingSecret`] when the response did not carry it: what to call
    /// before using it as a key.
    pub fn expose_checked(&self) -> Result<&str, MissingSecret> {
        self.0.as_deref().ok_or(MissingSecret)
    }

    /// The secret itself, for the places that have to use it.
    ///
    /// # Panics
    ///
    /// When the secret is missing ([`Secret::is_missing`]): an empty string in its place would
    /// sign or verify with an empty key. Use [`expose_checked`](Secret::expose_checked) to handle
    /// that case.
    pub fn expose(&self) -> &str {
        match self.expose_checked() {
            Ok(secret) => secret,
            Err(missing) => panic!("{missing}"),
        }
    }

    /// The secret itself, unwrapped.
    ///
    /// # Panics
    ///
    /// When the secret is missing, as [`expose`](Secret::expose).
    pub fn into_inner(self) -> String {
        match self.0 {
            Some(secret) => secret.into_string(),
            None => panic!("{MissingSecret}"),
        }
    }
}

impl Default for Secret {
    /// An empty secret (present, not missing), for building values.
    fn default() -> Self {
        Self::new(String::new())
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Self::new(secret)
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("[redacted]"),
            None => f.write_str("[missing]"),
        }
    }
}

impl Serialize for Secret {
    /// The string; a missing secret as `null` (a struct field that holds one leaves it out).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(secret) => serializer.serialize_str(secret),
            None => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(TOKEN, SecretVisitor)
    }
}

struct SecretVisitor;

impl<'de> Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Secret, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }

    fn visit_str<E: de::Error>(self, secret: &str) -> Result<Secret, E> {
        Ok(Secret::new(secret))
    }

    fn visit_string<E: de::Error>(self, secret: String) -> Result<Secret, E> {
        Ok(Secret::new(secret))
    }

    /// Only a decode's slow pass and a missing field call this: the secret is not there.
    fn visit_none<E: de::Error>(self) -> Result<Secret, E> {
        Ok(Secret::missing())
    }
}

#[cfg(test)]
mod tests {
    use super::{Secret, SecretString};

    #[test]
    fn debug_is_redacted() {
        let secret = SecretString::new("sk_live_123".to_owned());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some([redacted])");
        assert_eq!(secret.expose(), "sk_live_123");
        assert_eq!(format!("{:?}", Secret::missing()), "[missing]");
    }

    #[test]
    fn serde_sees_the_string() {
        let secret: Secret = serde_json::from_str("\"whsec_1\"").unwrap();
        assert_eq!(secret.expose(), "whsec_1");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"whsec_1\"");
        assert!(serde_json::from_str::<Secret>("1").is_err());
        assert!(serde_json::from_str::<Secret>("null").is_err());
        let from_value: Secret = serde_json::from_value(serde_json::json!("whsec_2")).unwrap();
        assert_eq!(from_value.expose_checked(), Ok("whsec_2"));
    }

    #[test]
    fn a_missing_secret_cannot_be_used() {
        let missing = Secret::missing();
        assert!(missing.is_missing() && !Secret::default().is_missing());
        assert!(missing.expose_checked().unwrap_err().to_string().contains("cannot be used as a key"));
        assert!(std::panic::catch_unwind(|| missing.expose().len()).is_err());
        assert_eq!(serde_json::to_string(&missing).unwrap(), "null");
    }
}
