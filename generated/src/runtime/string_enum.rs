//! The serde plumbing of generated string enums.
//!
//! A generated enum lists its known values as unit variants and has one more variant that holds
//! any other string, so a value added by a newer API version decodes (and re-encodes) instead of
//! failing. The generated code declares the enum and calls `string_enum!` with the
//! variant-to-value table; the macro writes the conversions and the serde impls, so that logic
//! exists once here and not once per enum.

use std::marker::PhantomData;

/// Implements `as_str`, `From<&str>`, `From<String>`, `FromStr`, `Display`, `Serialize` and
/// `Deserialize` for a generated string enum: `string_enum!(Name, Fallback, { Variant => "wire", .. })`.
macro_rules! string_enum {
    ($name:ident, $fallback:ident, { $($variant:ident => $wire:literal,)* }) => {
        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => value.as_str(),
                }
            }

            /// Every value this version of the crate knows.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($wire),*];

            /// Whether this is a value this version of the crate knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::$fallback(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$fallback(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::$fallback(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::string_enum::StrVisitor::<Self>::new())
            }
        }
    };
}
pub(crate) use string_enum;

/// Visits a string into any `From<&str> + From<String>` type without copying owned strings.
#[doc(hidden)]
pub struct StrVisitor<T>(PhantomData<T>);

impl<T> StrVisitor<T> {
    /// A new visitor.
    pub fn new() -> Self {
        StrVisitor(PhantomData)
    }
}

impl<T> Default for StrVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Channel {
        Desktop,
        Email,
        Unknown(String),
    }
    string_enum!(Channel, Unknown, { Desktop => "desktop", Email => "email", });

    #[test]
    fn known_and_unknown_values_round_trip() {
        let decoded: Vec<Channel> = serde_json::from_str(r#"["desktop","email","carrier-pigeon"]"#).unwrap();
        assert_eq!(decoded, vec![Channel::Desktop, Channel::Email, Channel::Unknown("carrier-pigeon".into())]);
        assert_eq!(serde_json::to_string(&decoded).unwrap(), r#"["desktop","email","carrier-pigeon"]"#);
        assert_eq!("email".parse::<Channel>().unwrap(), Channel::Email);
        assert_eq!(Channel::KNOWN_VALUES, &["desktop", "email"]);
        assert!(!Channel::from("x").is_known());
    }
}
