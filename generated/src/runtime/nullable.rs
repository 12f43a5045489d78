//! [`Nullable`]: a field that may be left out, sent as `null`, or hold a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that is both optional and nullable: it can be absent, `null`, or hold a value.
///
/// `Option<T>` cannot tell "leave unchanged" from "clear": in an update, `Nullable::Absent`
/// leaves the field out of the request, `Nullable::Null` sends `null` (clearing the value on the
/// server) and `Nullable::Value(v)` sends `v`. When decoding, a missing property is `Absent` and
/// `null` is `Null`, so a value re-encodes exactly as it arrived.
///
/// Struct fields of this type use `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Not present: not sent, or not received.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (absent and `null` are both `None`).
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if there is one (absent and `null` are both `None`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Absent stays absent; present becomes `Some(None)` for `null`, `Some(Some(v))` for a value.
    pub fn into_presence(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(v) => Some(Some(v)),
        }
    }

    /// `Some(v)` as a value and `None` as `null`: sent, `None` **clears** the property on the
    /// server. (There is no `From<Option<T>>`: which of the two a `None` means is for the caller
    /// to say.)
    pub fn from_option_as_null(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }

    /// `Some(v)` as a value and `None` as absent: sent, `None` leaves the property out (and so
    /// unchanged on the server).
    pub fn from_option_as_absent(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Absent,
        }
    }

    /// Maps the value, keeping absent and `null`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// A present value.
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached when the field is not skipped: the best encoding of absence is null.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing property never gets here (`#[serde(default)]` makes it `Absent`).
        Ok(Nullable::from_option_as_null(Option::<T>::deserialize(deserializer)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        eta: Nullable<String>,
    }

    #[test]
    fn three_states_round_trip() {
        for (json, value) in [
            ("{}", Nullable::Absent),
            (r#"{"eta":null}"#, Nullable::Null),
            (r#"{"eta":"soon"}"#, Nullable::Value("soon".to_owned())),
        ] {
            let decoded: Update = serde_json::from_str(json).unwrap();
            assert_eq!(decoded.eta, value);
            assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }
    }

    #[test]
    fn an_option_says_what_its_none_means() {
        assert_eq!(Nullable::from_option_as_null(None::<u8>), Nullable::Null);
        assert_eq!(Nullable::from_option_as_absent(None::<u8>), Nullable::Absent);
        assert_eq!(Nullable::from_option_as_absent(Some(1)), Nullable::Value(1));
        assert_eq!(Nullable::from(2), Nullable::Value(2));
    }
}
