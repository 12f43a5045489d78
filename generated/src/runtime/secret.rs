//! Strings that never show up in `Debug` output: the API key, and secrets in the API's data.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A secret string: the API key, or a value the spec marks as one (`format: password` or
/// `x-sensitive: true`, such as a webhook's signing secret).
///
/// `Debug` prints `[redacted]` and there is no `Display`, so logging a response with `{:?}` does
/// not leak it; [`Secret::expose`] gives the value where it is needed. serde reads and writes it
/// as the plain string it is on the wire.
///
/// ```
/// let secret = featurebase::runtime::Secret::from("whsec_123");
/// assert_eq!(format!("{secret:?}"), "[redacted]");
/// assert_eq!(secret.expose(), "whsec_123");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret(Box<str>);

/// The API key's type.
pub(crate) type SecretString = Secret;

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into().into_boxed_str())
    }

    /// The secret itself, for the places that have to use it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret itself, unwrapped.
    pub fn into_inner(self) -> String {
        self.0.into_string()
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
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
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
    }

    #[test]
    fn serde_sees_the_string() {
        let secret: Secret = serde_json::from_str("\"whsec_1\"").unwrap();
        assert_eq!(secret.expose(), "whsec_1");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"whsec_1\"");
        assert!(serde_json::from_str::<Secret>("1").is_err());
    }
}
