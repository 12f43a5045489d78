//! Decoding of tagged unions: find the tag, then decode the member directly.
//!
//! serde's `#[serde(tag = "..")]` buffers every field of every value before it looks at the
//! tag, and its catch-all variant cannot hold data. This deserializer reads the object's entries
//! in order; only the entries before the tag are buffered (as JSON values), then the member type
//! is decoded from those buffered entries followed by the rest of the input, untouched. The tag
//! entry itself is passed on too, so member structs that describe their tag property keep it. A
//! tag this version of the crate does not know (or a missing tag) yields the union's fallback
//! variant with the whole object as JSON, so nothing is lost.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// A union whose members are told apart by a string property. Implemented by `tagged_union!`.
pub trait TaggedUnion: Sized {
    /// The property that holds the tag.
    const TAG: &'static str;
    /// The name of the union, for error messages.
    const NAME: &'static str;

    /// The decoder of the member with this tag, if the tag is known.
    #[allow(clippy::type_complexity)]
    fn variant<'de, D: Deserializer<'de>>(tag: &str) -> Option<fn(D) -> Result<Self, D::Error>>;

    /// The fallback for an object with an unknown or missing tag.
    fn unknown(value: Value) -> Self;
}

/// Deserializes a tagged union (called by the `Deserialize` impl `tagged_union!` writes).
pub fn deserialize<'de, T: TaggedUnion, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(UnionVisitor(PhantomData))
}

struct UnionVisitor<T>(PhantomData<T>);

impl<'de, T: TaggedUnion> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object with a `{}` property", T::NAME, T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut seen: Vec<(String, Value)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            if key != T::TAG {
                seen.push((key, value));
                continue;
            }
            let decode = value.as_str().and_then(|tag| T::variant::<de::value::MapAccessDeserializer<Replay<A>>>(tag));
            seen.push((key, value));
            return match decode {
                Some(decode) => decode(de::value::MapAccessDeserializer::new(Replay {
                    seen: seen.into_iter(),
                    pending: None,
                    rest: map,
                })),
                None => {
                    // Unknown tag: keep everything as JSON.
                    let mut object: Map<String, Value> = seen.into_iter().collect();
                    while let Some((k, v)) = map.next_entry::<String, Value>()? {
                        object.insert(k, v);
                    }
                    Ok(T::unknown(Value::Object(object)))
                }
            };
        }
        Ok(T::unknown(Value::Object(seen.into_iter().collect())))
    }
}

/// The entries read before the tag, then the rest of the original map.
struct Replay<A> {
    seen: std::vec::IntoIter<(String, Value)>,
    pending: Option<Value>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.seen.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                let key: de::value::StringDeserializer<A::Error> = key.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => self.rest.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(value) => seed.deserialize(value).map_err(de::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.rest.size_hint().map(|n| n + self.seen.len())
    }
}

/// Implements [`TaggedUnion`], `Serialize` and `Deserialize` for a generated tagged union:
/// `tagged_union!(Name, "tag", Fallback, { Variant(Type) => ["tag value", ..], .. })`.
macro_rules! tagged_union {
    ($name:ident, $tag:literal, $fallback:ident, { $($variant:ident($ty:ty) => [$($value:literal),+],)* }) => {
        impl $crate::runtime::tagged::TaggedUnion for $name {
            const TAG: &'static str = $tag;
            const NAME: &'static str = stringify!($name);

            fn variant<'de, D: ::serde::Deserializer<'de>>(
                tag: &str,
            ) -> ::std::option::Option<fn(D) -> ::std::result::Result<Self, D::Error>> {
                match tag {
                    $($($value)|+ => Some(|d| <$ty as ::serde::Deserialize>::deserialize(d).map(Self::$variant)),)*
                    _ => None,
                }
            }

            fn unknown(value: ::serde_json::Value) -> Self {
                Self::$fallback(value)
            }
        }

        impl $name {
            /// Every tag value this version of the crate knows, in the order of the variants.
            pub const KNOWN_TAGS: &'static [&'static str] = &[$($($value),+),*];

            /// The tag of this value (for the fallback, the tag it arrived with, if any).
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    $(Self::$variant(_) => Some([$($value),+][0]),)*
                    Self::$fallback(value) => value.get($tag).and_then(|t| t.as_str()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                    Self::$fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::tagged::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use tagged_union;

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Note {
        #[serde(rename = "partType")]
        part_type: String,
        body: String,
        #[serde(flatten)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Assign {
        #[serde(rename = "partType")]
        part_type: String,
        to: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Part {
        Note(Note),
        Assign(Box<Assign>),
        Unknown(serde_json::Value),
    }
    tagged_union!(Part, "partType", Unknown, { Note(Note) => ["note"], Assign(Box<Assign>) => ["assign", "assignment"], });

    #[test]
    fn tag_anywhere_in_the_object() {
        let json = serde_json::json!([
            {"partType": "note", "body": "first"},
            {"body": "tag last", "id": 7, "partType": "note"},
            {"to": null, "partType": "assignment"},
        ]);
        let parts: Vec<Part> = serde_json::from_value(json.clone()).unwrap();
        assert!(matches!(&parts[1], Part::Note(n) if n.body == "tag last" && n.extra["id"] == 7));
        assert!(matches!(&parts[2], Part::Assign(a) if a.part_type == "assignment"));
        assert_eq!(parts[2].tag(), Some("assign"));
        assert_eq!(Part::KNOWN_TAGS, &["note", "assign", "assignment"]);
        assert_eq!(serde_json::to_value(&parts).unwrap(), json);
        // Same result through the streaming deserializer (not only from a Value).
        let from_str: Vec<Part> = serde_json::from_str(&json.to_string()).unwrap();
        assert_eq!(from_str, parts);
    }

    #[test]
    fn unknown_and_missing_tags_keep_the_json() {
        let json = serde_json::json!([{"a": 1, "partType": "poll", "b": [2]}, {"a": 1}]);
        let parts: Vec<Part> = serde_json::from_str(&json.to_string()).unwrap();
        assert!(matches!(&parts[0], Part::Unknown(v) if v["b"][0] == 2));
        assert_eq!(parts[0].tag(), Some("poll"));
        assert_eq!(parts[1].tag(), None);
        assert_eq!(serde_json::to_value(&parts).unwrap(), json);
    }

    #[test]
    fn errors_inside_a_member_name_the_field() {
        let err = serde_json::from_str::<Part>(r#"{"partType": "note", "body": 5}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type: integer `5`"), "{err}");
        let err = serde_json::from_str::<Part>("[1]").unwrap_err();
        assert!(err.to_string().contains("Part object with a `partType` property"), "{err}");
    }
}
