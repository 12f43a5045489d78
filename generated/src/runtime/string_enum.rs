//! Generated string enums.
//!
//! A generated enum lists its known values as unit variants and has one more variant that holds
//! any other string, so a value added by a newer API version decodes (and re-encodes) instead of
//! failing. The generated code writes the enum inside `string_enum!`, each known variant with the
//! value it stands for, and the fallback last:
//!
//! ```text
//! crate::runtime::string_enum! {
//!     /// How a message reached us.
//!     #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
//!     #[non_exhaustive]
//!     pub enum Channel {
//!         Email = "email",
//!         Chat = "chat",
//!         /// A value this version of the crate does not know, as sent.
//!         Unknown(String),
//!     }
//! }
//! ```
//!
//! The macro declares the enum as written (each known variant documented with its value) and
//! writes the conversions and the serde impls, so that logic exists once here and not once per
//! enum.

use std::marker::PhantomData;

/// Declares a generated string enum and implements `as_str`, `KNOWN_VALUES`, `is_known`,
/// `From<&str>`, `From<String>`, `FromStr`, `Display`, `Serialize` and `Deserialize` for it (see
/// the module docs for the input). The variant with a field is the fallback: exactly one.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident $(($fallback_ty:ty $(,)?))? $(= $wire:literal)?,)*
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $(#[doc = concat!("`", $wire, "`")])?
                $variant $(($fallback_ty))?,
            )*
        }

        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($(Self::$variant => $wire,)?)*
                    $($(Self::$variant(value) => { let value: &$fallback_ty = value; value.as_str() })?)*
                }
            }

            /// Every value this version of the crate knows.
            pub const KNOWN_VALUES: &'static [&'static str] = &[$($($wire,)?)*];

            /// Whether this is a value this version of the crate knows.
            pub fn is_known(&self) -> bool {
                match self {
                    $($(Self::$variant => { let _ = $wire; true })?)*
                    _ => false,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($($wire => Self::$variant,)?)*
                    other => $($({ let other: $fallback_ty = other.to_owned(); Self::$variant(other) })?)*,
                }
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($($wire => Self::$variant,)?)*
                    _ => $($({ let value: $fallback_ty = value; Self::$variant(value) })?)*,
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
    string_enum! {
        /// A channel.
        #[derive(Debug, Clone, PartialEq, Eq)]
        enum Channel {
            Desktop = "desktop",
            /// By mail.
            Email = "email",
            /// Anything else.
            Unknown(String),
        }
    }

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
