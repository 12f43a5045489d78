//! Decoding of tagged unions: find the tag, then decode the member directly.
//!
//! serde's `#[serde(tag = "..")]` buffers every field of every value before it looks at the
//! tag, and its catch-all variant cannot hold data. This deserializer reads the object's entries
//! in order; only the entries before the tag are buffered, then the member type is decoded from
//! those buffered entries followed by the rest of the input, untouched. The tag entry itself is
//! passed on too, so member structs that describe their tag property keep it. A tag this version
//! of the crate does not know (or a missing tag) yields the union's fallback variant with the
//! whole object as JSON, so nothing is lost.
//!
//! The buffer (`Buffered`) is a plain tree that borrows keys and strings from the input where
//! the input allows: no hashing, no map building and no copy of a string that the member type
//! does not keep (an enum value, say). Replayed, it visits exactly what the input would have
//! visited, so a member decodes the same from the buffer as from the input.

use super::decode;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
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

/// How many entries before the tag are buffered without growing the buffer (the API's objects
/// put `partType` after about six entries: `id`, then the required properties sorted by name).
const BUFFERED: usize = 8;

struct UnionVisitor<T>(PhantomData<T>);

impl<'de, T: TaggedUnion> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object with a `{}` property", T::NAME, T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // In a decode's slow pass, where this object is: the buffered entries are replayed below it.
        let depth = decode::mode().map(|_| decode::depth());
        let mut seen: Vec<(Cow<'de, str>, Buffered<'de>)> = Vec::new();
        while let Some(key) = map.next_key_seed(decode::Key)? {
            let value: Buffered<'de> = map.next_value()?;
            if key != T::TAG {
                if seen.capacity() == 0 {
                    seen.reserve_exact(BUFFERED);
                }
                seen.push((key, value));
                continue;
            }
            let decode = value.as_str().and_then(T::variant::<de::value::MapAccessDeserializer<Replay<'de, A>>>);
            if let Some(decode) = decode {
                return decode(de::value::MapAccessDeserializer::new(Replay {
                    seen: seen.into_iter(),
                    tag: Some((key, value)),
                    pending: None,
                    depth,
                    rest: map,
                }));
            }
            // Unknown tag: keep everything as JSON.
            seen.push((key, value));
            let mut object = to_object::<A::Error>(seen)?;
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                object.insert(k, v);
            }
            return Ok(T::unknown(Value::Object(object)));
        }
        Ok(T::unknown(Value::Object(to_object::<A::Error>(seen)?)))
    }
}

fn to_object<'de, E: de::Error>(entries: Vec<(Cow<'de, str>, Buffered<'de>)>) -> Result<Map<String, Value>, E> {
    entries
        .into_iter()
        .map(|(k, v)| Ok((k.into_owned(), Value::deserialize(IntoDeserializer::<E>::into_deserializer(v))?)))
        .collect()
}

/// The entries read before the tag, the tag, then the rest of the original map.
struct Replay<'de, A> {
    seen: std::vec::IntoIter<(Cow<'de, str>, Buffered<'de>)>,
    tag: Option<(Cow<'de, str>, Buffered<'de>)>,
    /// The value of the buffered entry whose key was just read, with that key.
    pending: Option<(Cow<'de, str>, Buffered<'de>)>,
    /// Where the object is, in a decode's slow pass: buffered values are then decoded tracked
    /// (repaired, or their errors located) below it, as the input's own values are.
    depth: Option<usize>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.seen.next().or_else(|| self.tag.take()) {
            Some((key, value)) => {
                let result = match &key {
                    Cow::Borrowed(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some),
                    Cow::Owned(key) => seed.deserialize(de::value::StrDeserializer::new(key)).map(Some),
                };
                self.pending = Some((key, value));
                result
            }
            None => self.rest.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match (self.pending.take(), self.depth) {
            (Some((key, value)), Some(depth)) => {
                decode::enter_key(depth, &key);
                seed.deserialize(decode::Tracked(value.into_deserializer()))
            }
            (Some((_, value)), None) => seed.deserialize(value.into_deserializer()),
            (None, _) => self.rest.next_value_seed(seed),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.rest.size_hint().map(|n| n + self.seen.len() + usize::from(self.tag.is_some()))
    }
}

/// A value read before the tag, as the input presented it.
#[derive(Debug)]
enum Buffered<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    /// A string borrowed from the input.
    Str(&'de str),
    String(String),
    Seq(Vec<Buffered<'de>>),
    Map(Vec<(Buffered<'de>, Buffered<'de>)>),
}

impl<'de> Buffered<'de> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Buffered::Str(s) => Some(s),
            Buffered::String(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Buffered<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BufferedVisitor)
    }
}

struct BufferedVisitor;

impl<'de> Visitor<'de> for BufferedVisitor {
    type Value = Buffered<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Buffered::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Buffered::I64(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Buffered::U64(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Buffered::F64(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Buffered::String(v.to_owned()))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Buffered::Str(v))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Buffered::String(v))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Buffered::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Buffered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Buffered::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Buffered::deserialize(d)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Buffered::Seq(items))
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Buffered::Map(entries))
    }
}

impl<'de, E: de::Error> IntoDeserializer<'de, E> for Buffered<'de> {
    type Deserializer = BufferedDeserializer<'de, E>;

    fn into_deserializer(self) -> Self::Deserializer {
        BufferedDeserializer { value: self, error: PhantomData }
    }
}

/// Replays a `Buffered` value; it deserializes like `serde_json::Value` does (`null` is
/// `None` for an `Option`, a string is a unit variant for an enum).
struct BufferedDeserializer<'de, E> {
    value: Buffered<'de>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for BufferedDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Buffered::Null => visitor.visit_unit(),
            Buffered::Bool(v) => visitor.visit_bool(v),
            Buffered::U64(v) => visitor.visit_u64(v),
            Buffered::I64(v) => visitor.visit_i64(v),
            Buffered::F64(v) => visitor.visit_f64(v),
            Buffered::Str(v) => visitor.visit_borrowed_str(v),
            Buffered::String(v) => visitor.visit_string(v),
            Buffered::Seq(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Buffered::Map(entries) => {
                let mut map = de::value::MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Buffered::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            Buffered::Str(v) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(v)),
            Buffered::String(v) => visitor.visit_enum(v.into_deserializer()),
            // `{"Variant": value}`: rare enough to go through `serde_json::Value`.
            value => Value::deserialize(IntoDeserializer::<E>::into_deserializer(value))?
                .deserialize_enum(name, variants, visitor)
                .map_err(de::Error::custom),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Declares a generated tagged union and implements [`TaggedUnion`], `KNOWN_TAGS`, `tag`,
/// `Serialize` and `Deserialize` for it. The input is the enum as a person writes it, with the
/// union's tag property in a `#[tag = ".."]` attribute after the docs, each member with the tag
/// values it stands for, and the fallback (a member without tag values, holding JSON) last:
///
/// ```text
/// crate::runtime::tagged_union! {
///     /// A part of a conversation.
///     #[tag = "partType"]
///     #[derive(Debug, Clone, PartialEq)]
///     #[non_exhaustive]
///     pub enum Part {
///         Note(NotePart) = ["note"],
///         Assign(Box<AssignPart>) = ["assign", "assignment"],
///         /// A member this version of the crate does not know, kept as JSON.
///         Unknown(serde_json::Value),
///     }
/// }
/// ```
///
/// Each member is documented with its tag values.
macro_rules! tagged_union {
    (
        $(#[doc = $doc:literal])*
        #[tag = $tag:literal]
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident($ty:ty $(,)?) $(= [$($value:literal),+ $(,)?])?,)*
        }
    ) => {
        $(#[doc = $doc])*
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $(#[doc = concat!("\n`", $tag, "`: ", $("`", $value, "` "),+)])?
                $variant($ty),
            )*
        }

        impl $crate::runtime::tagged::TaggedUnion for $name {
            const TAG: &'static str = $tag;
            const NAME: &'static str = stringify!($name);

            fn variant<'de, D: ::serde::Deserializer<'de>>(
                tag: &str,
            ) -> ::std::option::Option<fn(D) -> ::std::result::Result<Self, D::Error>> {
                match tag {
                    $($($($value)|+ => Some(|d| <$ty as ::serde::Deserialize>::deserialize(d).map(Self::$variant)),)?)*
                    _ => None,
                }
            }

            fn unknown(value: ::serde_json::Value) -> Self {
                $($crate::runtime::tagged::fallback!([$($($value)+)?] return Self::$variant(value));)*
            }
        }

        impl $name {
            /// Every tag value this version of the crate knows, in the order of the variants.
            pub const KNOWN_TAGS: &'static [&'static str] = &[$($($($value,)+)?)*];

            /// The tag of this value (for the fallback, the tag it arrived with, if any).
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    $($(Self::$variant(_) => Some([$($value),+][0]),)?)*
                    other => {
                        $($crate::runtime::tagged::fallback!([$($($value)+)?] if let Self::$variant(value) = other {
                            return value.get($tag).and_then(|t| t.as_str());
                        });)*
                        None
                    }
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
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

/// `tagged_union!`'s way to write a statement only for the fallback: the member whose list of
/// tag values (the brackets) is empty.
#[doc(hidden)]
macro_rules! fallback {
    ([] $($statement:tt)*) => { $($statement)* };
    ([$($value:tt)+] $($statement:tt)*) => {};
}
pub(crate) use fallback;

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

    tagged_union! {
        /// A part.
        #[tag = "partType"]
        #[derive(Debug, Clone, PartialEq)]
        enum Part {
            /// A note.
            Note(Note) = ["note"],
            Assign(Box<Assign>) = ["assign", "assignment"],
            Unknown(serde_json::Value),
        }
    }

    /// What the printer writes when a variant does not fit on one line: the type and the tag
    /// list wrapped, each with a trailing comma, and attributes on the variant.
    mod wrapped {
        use super::{Assign, Note};

        tagged_union! {
            #[tag = "partType"]
            #[derive(Debug, Clone, PartialEq)]
            pub(super) enum Wrapped {
                /// A note with a name long enough to wrap.
                #[allow(dead_code)]
                ConversationPartWithAVeryLongNameThatWrapsAroundTheLine(
                    Note,
                ) = [
                    "note_with_a_long_tag",
                    "another_long_tag_value_for_the_same_member",
                ],
                Assign(
                    ::std::boxed::Box<Assign>,
                ) = ["assign"],
                Unknown(
                    serde_json::Value,
                ),
            }
        }
    }

    #[test]
    fn wrapped_variants_are_read() {
        let json = serde_json::json!({"partType": "another_long_tag_value_for_the_same_member", "body": "b"});
        let part: wrapped::Wrapped = serde_json::from_value(json.clone()).unwrap();
        assert!(matches!(part, wrapped::Wrapped::ConversationPartWithAVeryLongNameThatWrapsAroundTheLine(_)));
        assert_eq!(part.tag(), Some("note_with_a_long_tag"));
        assert_eq!(serde_json::to_value(&part).unwrap(), json);
        assert_eq!(wrapped::Wrapped::KNOWN_TAGS.len(), 3);
        assert_eq!(part.tag(), Some("note_with_a_long_tag"));
    }

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
    fn borrowed_and_escaped_keys_before_the_tag() {
        // `b\u006fdy` is `body` with an escape: serde_json cannot lend it, so it is copied.
        let json = r#"[{"id": 1, "b\u006fdy": "escaped", "partType": "note"}, {"body": "plain", "partType": "note"}]"#;
        let parts: Vec<Part> = serde_json::from_str(json).unwrap();
        assert!(matches!(&parts[0], Part::Note(n) if n.body == "escaped" && n.extra["id"] == 1));
        assert!(matches!(&parts[1], Part::Note(n) if n.body == "plain" && n.extra.is_empty()));
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::from_value::<Vec<Part>>(value).unwrap(), parts);
    }

    #[test]
    fn every_kind_of_value_before_the_tag_is_replayed() {
        let json = serde_json::json!({
            "n": null, "t": true, "i": -3, "u": 7, "f": 1.5, "s": "quote \" and \u{e9}",
            "a": [1, "two", [null], {"k": false}], "o": {"deep": {"deeper": [1.25, -1]}},
            "body": "b", "partType": "note", "after": {"x": 1}
        });
        let from_str: Part = serde_json::from_str(&json.to_string()).unwrap();
        let from_value: Part = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(from_str, from_value);
        assert!(matches!(&from_str, Part::Note(n) if n.body == "b" && n.extra.len() == 9));
        assert_eq!(serde_json::to_value(&from_str).unwrap(), json);

        let mut unknown = json.clone();
        unknown["partType"] = "poll".into();
        let from_str: Part = serde_json::from_str(&unknown.to_string()).unwrap();
        assert_eq!(from_str, Part::Unknown(unknown.clone()));
        assert_eq!(serde_json::from_value::<Part>(unknown.clone()).unwrap(), from_str);
        // A tag that is not a string is an unknown tag too, and is kept.
        let odd = serde_json::json!({"body": "b", "partType": 5});
        assert_eq!(serde_json::from_str::<Part>(&odd.to_string()).unwrap(), Part::Unknown(odd));
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
