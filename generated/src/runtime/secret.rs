//! A string that never shows up in `Debug` output.

use std::fmt;

/// Holds a secret (the API key). `Debug` prints `[redacted]`; there is no `Display`.
#[derive(Clone)]
pub(crate) struct SecretString(Box<str>);

impl SecretString {
    /// Wraps a secret.
    pub(crate) fn new(secret: String) -> Self {
        Self(secret.into_boxed_str())
    }

    /// The secret itself, for the one place that has to send it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::SecretString;

    #[test]
    fn debug_is_redacted() {
        let secret = SecretString::new("sk_live_123".to_owned());
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.expose(), "sk_live_123");
    }
}
