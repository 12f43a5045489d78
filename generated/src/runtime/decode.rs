//! Response bodies -> typed values: strictly as the spec says, or leniently as servers send them.
//!
//! Every body is first decoded strictly, straight from the bytes, with nothing else on the way
//! (the fast path: a response that matches the spec costs a plain `serde_json::from_slice`).
//! Only when that fails, the body is decoded once more, in one pass over the bytes, through a
//! deserializer that tracks the JSON path of every value ([`Tracked`]). A strict client (see
//! [`ClientBuilder::strict`](super::ClientBuilder::strict)) then reports the first error with
//! its path; a lenient one (the default) repairs the deviations real servers make where it finds
//! them, and records each:
//!
//! - a required property that is missing takes its type's natural empty value (`""`, `0`,
//!   `false`, `[]`, an object whose own fields are repaired the same way), except a secret, which
//!   says it is missing ([`Secret::is_missing`](super::Secret::is_missing));
//! - `null` where the spec does not allow it takes the natural empty value;
//! - a scalar of the wrong JSON type is converted when nothing is lost (`"12"` where a number is
//!   expected, `12` where a string is, `"true"` where a boolean is), else takes the natural
//!   empty value.
//!
//! Nothing here reads an error message. Each type's decoder knows what it expects: the
//! generated structs know their fields (`struct_deserialize!` writes their decoders, and a
//! missing required field goes through [`missing`]), and the deserializer method a type calls
//! says which JSON type it wants (`deserialize_bool`, `deserialize_str`, ...), which
//! [`Tracked`] checks against what came. The pass's state (the decoding mode, the path as a
//! stack of segments, the deviations) is a scoped thread-local that [`decode`] sets up, as
//! `tagged.rs` reads it for the entries a union buffers; the path becomes a string only when a
//! deviation or an error is recorded. The cost is linear in the body whatever the number of
//! deviations.
//!
//! Each repair is a [`Deviation`] (its JSON path, what the spec expects, what kind of value
//! came), returned with the value; anything else that does not decode (a value out of range, an
//! array where an object belongs, a body that is not JSON) is an [`Error::Decode`] as in strict
//! mode. Unknown enum values, union members and properties are not deviations: the types keep
//! them. Neither deviations nor errors quote the body: a value may be a secret.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;

use reqwest::StatusCode;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::error::Error;

/// How response bodies are decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decoding {
    /// Deviations from the spec are repaired and reported ([`Deviation`]).
    #[default]
    Lenient,
    /// Any deviation from the spec is an [`Error::Decode`] naming its JSON path.
    Strict,
}

/// One place where a response departed from the spec, as a lenient decode repaired it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deviation {
    /// The JSON path of the value (`data[3].isBlocked`).
    pub path: String,
    /// What kind of departure.
    pub kind: DeviationKind,
    /// What the type expects (`a boolean`, `u8`, `a string`, `an object`).
    pub expected: String,
    /// What came: `missing`, `null`, or the kind of value (`a string`): never the value itself,
    /// which may be a secret.
    pub found: String,
}

/// The kinds of [`Deviation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviationKind {
    /// A required property was not there.
    Missing,
    /// `null` where the spec does not allow it.
    Null,
    /// A value of another JSON type.
    WrongType,
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: expected {}, found {}", self.path, self.expected, self.found)
    }
}

/// Decodes a JSON body (an empty one as `null`) as `T`, with the deviations repaired when
/// `decoding` is lenient.
pub fn decode<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    decoding: Decoding,
) -> Result<(T, Vec<Deviation>), Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    match serde_json::from_slice(body) {
        Ok(value) => Ok((value, Vec::new())),
        Err(_) => slow(operation, status, body, decoding),
    }
}

/// The slow path, for a body the fast one could not decode: one more pass over the bytes with
/// the path tracked, repairing (lenient) or locating the first error (strict).
#[cold]
#[inline(never)]
fn slow<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    decoding: Decoding,
) -> Result<(T, Vec<Deviation>), Error> {
    let scope = Scope::enter(decoding);
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = T::deserialize(Tracked(&mut de)).and_then(|value| de.end().map(|()| value));
    let pass = scope.leave();
    match result {
        Ok(value) => Ok((value, pass.deviations)),
        Err(err) => {
            let (path, message) = match pass.failure {
                Some(failure) => failure,
                None => (pass.path.render(), describe(&err)),
            };
            Err(Error::Decode { status, operation, path, message, body_len: body.len() })
        }
    }
}

/// What an error the pass did not describe itself says, without quoting the body: serde_json's
/// syntax errors never do; its data errors may (`invalid type: string "..."`), so they are named
/// only by their place.
fn describe(err: &serde_json::Error) -> String {
    match err.classify() {
        serde_json::error::Category::Data => {
            format!("a value does not match the expected type (line {}, column {})", err.line(), err.column())
        }
        _ => err.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The pass's state.

/// The state of one slow pass: its mode, where it is, what it repaired, the first error.
struct Pass {
    decoding: Decoding,
    path: Path,
    deviations: Vec<Deviation>,
    /// The first error the pass described itself: its path and message.
    failure: Option<(String, String)>,
}

thread_local! {
    /// The pass under way on this thread, if any: set by [`decode`]'s slow path, taken away
    /// while an untagged union tries its members ([`suspended`]).
    static PASS: RefCell<Option<Pass>> = const { RefCell::new(None) };
}

/// Sets up a pass for the duration of a decode, and puts back what was there before (also when
/// decoding panics).
struct Scope {
    before: Option<Pass>,
    done: bool,
}

impl Scope {
    fn enter(decoding: Decoding) -> Scope {
        let pass = Pass { decoding, path: Path::default(), deviations: Vec::new(), failure: None };
        Scope { before: PASS.with(|p| p.borrow_mut().replace(pass)), done: false }
    }

    fn leave(mut self) -> Pass {
        self.done = true;
        let before = self.before.take();
        PASS.with(|p| std::mem::replace(&mut *p.borrow_mut(), before)).expect("the pass is set")
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if !self.done {
            let before = self.before.take();
            PASS.with(|p| *p.borrow_mut() = before);
        }
    }
}

/// `f` on the pass under way, if any.
fn with_pass<R>(f: impl FnOnce(&mut Pass) -> R) -> Option<R> {
    PASS.with(|p| p.borrow_mut().as_mut().map(f))
}

/// Whether a pass is under way and in which mode.
pub(crate) fn mode() -> Option<Decoding> {
    PASS.with(|p| p.borrow().as_ref().map(|pass| pass.decoding))
}

/// Runs `f` outside of any pass: what it decodes is decoded plainly, neither repaired nor
/// tracked (an untagged union trying its members, whose failures only mean "not this one").
pub(crate) fn suspended<R>(f: impl FnOnce() -> R) -> R {
    let Some(pass) = PASS.with(|p| p.borrow_mut().take()) else { return f() };
    let scope = Scope { before: Some(pass), done: false };
    let result = f();
    drop(scope);
    result
}

/// The depth of the path, for a container that is about to read its entries.
pub(crate) fn depth() -> usize {
    with_pass(|p| p.path.ends.len()).unwrap_or(0)
}

/// Back to `depth`, then one key deeper.
pub(crate) fn enter_key(depth: usize, key: &str) {
    with_pass(|p| {
        p.path.truncate(depth);
        p.path.push_key(key);
    });
}

fn enter_index(depth: usize, index: usize) {
    with_pass(|p| {
        p.path.truncate(depth);
        p.path.push_index(index);
    });
}

fn leave_to(depth: usize) {
    with_pass(|p| p.path.truncate(depth));
}

/// Records a repair at the current path.
fn deviate(kind: DeviationKind, expected: &str, found: &str) {
    with_pass(|p| {
        let deviation =
            Deviation { path: p.path.render(), kind, expected: expected.to_owned(), found: found.to_owned() };
        p.deviations.push(deviation);
    });
}

/// Records an error at the current path (the first one wins: it is the innermost).
fn fail<E: de::Error>(expected: &str, found: &str) -> E {
    let message = format!("expected {expected}, found {found}");
    with_pass(|p| {
        if p.failure.is_none() {
            p.failure = Some((p.path.render(), message.clone()));
        }
    });
    E::custom(message)
}

/// The JSON path of the value being decoded, as the text it is shown as (`data[3].isBlocked`)
/// and where each segment ends.
#[derive(Default)]
struct Path {
    text: String,
    ends: Vec<usize>,
}

impl Path {
    fn truncate(&mut self, depth: usize) {
        if depth < self.ends.len() {
            self.ends.truncate(depth);
            self.text.truncate(self.ends.last().copied().unwrap_or(0));
        }
    }

    fn push_key(&mut self, key: &str) {
        if !self.text.is_empty() {
            self.text.push('.');
        }
        self.text.push_str(key);
        self.ends.push(self.text.len());
    }

    fn push_index(&mut self, index: usize) {
        let _ = write!(self.text, "[{index}]");
        self.ends.push(self.text.len());
    }

    fn render(&self) -> String {
        if self.text.is_empty() {
            ".".to_owned()
        } else {
            self.text.clone()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Missing fields.

/// The value of a required field `name` that the object left out (called by the decoders
/// `struct_deserialize!` writes). Outside a lenient pass it is an error, `missing field`, except
/// for an `Option` (a nullable field), which is `None`; in a lenient pass it is the type's
/// natural empty value, recorded as a deviation at the field's path.
#[doc(hidden)]
pub fn missing<'de, T: Deserialize<'de>, E: de::Error>(name: &'static str) -> Result<T, E> {
    match mode() {
        None => T::deserialize(MissingField { name, lenient: false, error: PhantomData }),
        Some(Decoding::Strict) => T::deserialize(MissingField { name, lenient: false, error: PhantomData })
            .inspect_err(|_| {
                with_pass(|p| {
                    if p.failure.is_none() {
                        p.failure = Some((p.path.render(), format!("missing field `{name}`")));
                    }
                });
            }),
        Some(Decoding::Lenient) => {
            let depth = depth();
            enter_key(depth, name);
            let value = T::deserialize(MissingField { name, lenient: true, error: PhantomData });
            leave_to(depth);
            value
        }
    }
}

/// What a missing field is decoded from: `None` for an `Option`; the natural empty value (and a
/// deviation) in a lenient pass; else `missing field`.
struct MissingField<E> {
    name: &'static str,
    lenient: bool,
    error: PhantomData<E>,
}

impl<E: de::Error> MissingField<E> {
    /// Whether to repair, having recorded the deviation; else the error.
    fn repair(&self, expected: &str) -> Result<(), E> {
        if self.lenient {
            deviate(DeviationKind::Missing, expected, "missing");
            Ok(())
        } else {
            Err(E::missing_field(self.name))
        }
    }
}

/// `MissingField`'s integer methods: zero.
macro_rules! missing_integers {
    ($($method:ident => $name:literal,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
            self.repair($name)?;
            visitor.visit_u64(0)
        })*
    };
}

impl<'de, E: de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair("a value")?;
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair(BOOLEAN)?;
        visitor.visit_bool(false)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair(STRING)?;
        visitor.visit_borrowed_str("")
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_str(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair("a number")?;
        visitor.visit_f64(0.0)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair(ARRAY)?;
        visitor.visit_seq(Empty(PhantomData))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, E> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair(OBJECT)?;
        visitor.visit_map(Empty(PhantomData))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, E> {
        if name == super::secret::TOKEN {
            // A secret that is not there says so.
            self.repair(STRING)?;
            return visitor.visit_none();
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        self.repair("null")?;
        visitor.visit_unit()
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, E> {
        Err(E::missing_field(self.name))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    missing_integers! {
        deserialize_i8 => "i8",
        deserialize_i16 => "i16",
        deserialize_i32 => "i32",
        deserialize_i64 => "i64",
        deserialize_i128 => "i128",
        deserialize_u8 => "u8",
        deserialize_u16 => "u16",
        deserialize_u32 => "u32",
        deserialize_u64 => "u64",
        deserialize_u128 => "u128",
    }

    serde::forward_to_deserialize_any! { char bytes byte_buf unit_struct identifier }
}

/// An empty array or object.
struct Empty<E>(PhantomData<E>);

impl<'de, E: de::Error> SeqAccess<'de> for Empty<E> {
    type Error = E;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, _seed: T) -> Result<Option<T::Value>, E> {
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

impl<'de, E: de::Error> MapAccess<'de> for Empty<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _seed: K) -> Result<Option<K::Value>, E> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _seed: V) -> Result<V::Value, E> {
        Err(E::custom("no value in an empty object"))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(0)
    }
}

// ---------------------------------------------------------------------------------------------
// The tracking deserializer.

const BOOLEAN: &str = "a boolean";
const STRING: &str = "a string";
const ARRAY: &str = "an array";
const OBJECT: &str = "an object";

/// What a type asked the deserializer for.
#[derive(Clone, Copy)]
enum Want {
    Bool,
    /// An integer type, by name (`u8`).
    Int(&'static str),
    Float,
    Str,
    /// A [`Secret`](super::Secret): a string, or nothing.
    Secret,
    Seq,
    Map,
}

impl Want {
    fn expected(self) -> &'static str {
        match self {
            Want::Bool => BOOLEAN,
            Want::Int(name) => name,
            Want::Float => "a number",
            Want::Str | Want::Secret => STRING,
            Want::Seq => ARRAY,
            Want::Map => OBJECT,
        }
    }
}

/// A deserializer that tracks the path of the values below it in the pass's state and checks
/// what each type asks for against what came: in a lenient pass it repairs a mismatch it can
/// (recording a [`Deviation`]), otherwise it records the error with its path. Used by the slow
/// path only, and below it for the entries a tagged union buffered.
#[doc(hidden)]
pub struct Tracked<D>(pub D);

fn lenient() -> bool {
    mode() == Some(Decoding::Lenient)
}

impl<D> Tracked<D> {
    fn expect<V>(visitor: V, want: Want) -> Expect<V> {
        Expect { visitor, want, lenient: lenient() }
    }
}

macro_rules! tracked_scalars {
    ($($method:ident => $want:expr,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_any(Self::expect(visitor, $want))
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tracked<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap(visitor))
    }

    tracked_scalars! {
        deserialize_bool => Want::Bool,
        deserialize_i8 => Want::Int("i8"),
        deserialize_i16 => Want::Int("i16"),
        deserialize_i32 => Want::Int("i32"),
        deserialize_i64 => Want::Int("i64"),
        deserialize_i128 => Want::Int("i128"),
        deserialize_u8 => Want::Int("u8"),
        deserialize_u16 => Want::Int("u16"),
        deserialize_u32 => Want::Int("u32"),
        deserialize_u64 => Want::Int("u64"),
        deserialize_u128 => Want::Int("u128"),
        deserialize_f32 => Want::Float,
        deserialize_f64 => Want::Float,
        deserialize_char => Want::Str,
        deserialize_str => Want::Str,
        deserialize_string => Want::Str,
        deserialize_seq => Want::Seq,
        deserialize_map => Want::Map,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Wrap(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        if name == super::secret::TOKEN {
            return self.0.deserialize_any(Self::expect(visitor, Want::Secret));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_byte_buf(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_identifier(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_ignored_any(visitor)
    }
}

/// Passes every value on as it came, tracking the path into arrays and objects.
struct Wrap<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.0.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.0.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.0.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.0.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.0.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.0.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.0.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.0.visit_bytes(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Tracked(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Tracked(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(TrackedSeq { inner: seq, depth: depth(), index: 0 })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(TrackedMap { inner: map, depth: depth() })
    }
}

/// A value of the JSON type `want`, as a visitor that repairs or reports what came instead.
struct Expect<V> {
    visitor: V,
    want: Want,
    lenient: bool,
}

/// The kind of a value that came, for deviations and errors (never the value).
const NULL: &str = "null";

impl<'de, V: Visitor<'de>> Expect<V> {
    /// The repair of `found` (null or a scalar of another type), by `convert` when it can
    /// say what the value is worth, else the natural empty value; an error when not lenient.
    fn repair<E: de::Error>(self, found: &str, convert: Option<Converted>) -> Result<V::Value, E> {
        let expected = self.want.expected();
        if !self.lenient {
            return Err(fail(expected, found));
        }
        let kind = if found == NULL { DeviationKind::Null } else { DeviationKind::WrongType };
        deviate(kind, expected, found);
        let visitor = self.visitor;
        let result = match (convert, self.want) {
            (Some(Converted::Bool(b)), _) => visitor.visit_bool(b),
            (Some(Converted::I64(n)), _) => visitor.visit_i64(n),
            (Some(Converted::U64(n)), _) => visitor.visit_u64(n),
            (Some(Converted::F64(n)), _) => visitor.visit_f64(n),
            (Some(Converted::String(s)), _) => visitor.visit_string(s),
            (None, Want::Bool) => visitor.visit_bool(false),
            (None, Want::Int(_)) => visitor.visit_u64(0),
            (None, Want::Float) => visitor.visit_f64(0.0),
            (None, Want::Str) => visitor.visit_borrowed_str(""),
            (None, Want::Secret) => visitor.visit_none(),
            (None, Want::Seq) => visitor.visit_seq(Empty(PhantomData)),
            (None, Want::Map) => visitor.visit_map(Empty(PhantomData)),
        };
        result.map_err(|_: E| fail(expected, found))
    }

    /// A value of the wanted type, handed on; an error of the type (out of range) is recorded.
    fn pass<E: de::Error>(self, found: &str, f: impl FnOnce(V) -> Result<V::Value, E>) -> Result<V::Value, E> {
        let expected = self.want.expected();
        f(self.visitor).map_err(|_| fail(expected, found))
    }

    /// A value of another shape (an array or object where a scalar belongs, or the reverse):
    /// never repaired.
    fn shape<E: de::Error>(self, found: &str) -> Result<V::Value, E> {
        Err(fail(self.want.expected(), found))
    }
}

/// What a scalar of the wrong type is worth as the wanted type.
enum Converted {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    String(String),
}

fn int_of_str(s: &str) -> Option<Converted> {
    let s = s.trim();
    s.parse::<i64>().map(Converted::I64).or_else(|_| s.parse::<u64>().map(Converted::U64)).ok()
}

fn int_of_f64(f: f64) -> Option<Converted> {
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(Converted::I64(f as i64))
}

fn float_of_str(s: &str) -> Option<Converted> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite()).map(Converted::F64)
}

fn bool_of_str(s: &str) -> Option<Converted> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(Converted::Bool(true)),
        "false" | "0" => Some(Converted::Bool(false)),
        _ => None,
    }
}

fn bool_of_int(n: i128) -> Option<Converted> {
    match n {
        0 => Some(Converted::Bool(false)),
        1 => Some(Converted::Bool(true)),
        _ => None,
    }
}

const FOUND_BOOL: &str = "a boolean";
const FOUND_INT: &str = "an integer";
const FOUND_FLOAT: &str = "a number";
const FOUND_STRING: &str = "a string";
const FOUND_ARRAY: &str = "an array";
const FOUND_OBJECT: &str = "an object";

impl<'de, V: Visitor<'de>> Visitor<'de> for Expect<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        match self.want {
            Want::Bool => self.pass(FOUND_BOOL, |x| x.visit_bool(v)),
            Want::Str => self.repair(FOUND_BOOL, Some(Converted::String(v.to_string()))),
            Want::Seq | Want::Map => self.shape(FOUND_BOOL),
            _ => self.repair(FOUND_BOOL, None),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        match self.want {
            Want::Int(_) => self.pass(FOUND_INT, |x| x.visit_i64(v)),
            Want::Float => self.pass(FOUND_INT, |x| x.visit_i64(v)),
            Want::Str => self.repair(FOUND_INT, Some(Converted::String(v.to_string()))),
            Want::Bool => self.repair(FOUND_INT, bool_of_int(v.into())),
            Want::Secret => self.repair(FOUND_INT, None),
            Want::Seq | Want::Map => self.shape(FOUND_INT),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        match self.want {
            Want::Int(_) => self.pass(FOUND_INT, |x| x.visit_u64(v)),
            Want::Float => self.pass(FOUND_INT, |x| x.visit_u64(v)),
            Want::Str => self.repair(FOUND_INT, Some(Converted::String(v.to_string()))),
            Want::Bool => self.repair(FOUND_INT, bool_of_int(v.into())),
            Want::Secret => self.repair(FOUND_INT, None),
            Want::Seq | Want::Map => self.shape(FOUND_INT),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        match self.want {
            Want::Float => self.pass(FOUND_FLOAT, |x| x.visit_f64(v)),
            Want::Int(_) => self.repair(FOUND_FLOAT, int_of_f64(v)),
            Want::Str => {
                let text = serde_json::Number::from_f64(v).map(|n| n.to_string());
                self.repair(FOUND_FLOAT, text.map(Converted::String))
            }
            Want::Bool | Want::Secret => self.repair(FOUND_FLOAT, None),
            Want::Seq | Want::Map => self.shape(FOUND_FLOAT),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        match self.want {
            Want::Str | Want::Secret => self.pass(FOUND_STRING, |x| x.visit_str(v)),
            Want::Int(_) => self.repair(FOUND_STRING, int_of_str(v)),
            Want::Float => self.repair(FOUND_STRING, float_of_str(v)),
            Want::Bool => self.repair(FOUND_STRING, bool_of_str(v)),
            Want::Seq | Want::Map => self.shape(FOUND_STRING),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        match self.want {
            Want::Str | Want::Secret => self.pass(FOUND_STRING, |x| x.visit_borrowed_str(v)),
            _ => self.visit_str(v),
        }
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        match self.want {
            Want::Str | Want::Secret => self.pass(FOUND_STRING, |x| x.visit_string(v)),
            _ => self.visit_str(&v),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.repair(NULL, None)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.repair(NULL, None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        Tracked(d).deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        match self.want {
            Want::Seq => self.visitor.visit_seq(TrackedSeq { inner: seq, depth: depth(), index: 0 }),
            _ => self.shape(FOUND_ARRAY),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        match self.want {
            Want::Map => self.visitor.visit_map(TrackedMap { inner: map, depth: depth() }),
            _ => self.shape(FOUND_OBJECT),
        }
    }
}

/// The items of an array, each at its index.
struct TrackedSeq<A> {
    inner: A,
    depth: usize,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for TrackedSeq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        enter_index(self.depth, self.index);
        self.index += 1;
        let item = self.inner.next_element_seed(TrackedSeed(seed))?;
        if item.is_none() {
            leave_to(self.depth);
        }
        Ok(item)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The entries of an object, each value at its key. When the object ends, the path is the
/// object's again, so that its decoder records missing fields at their place.
struct TrackedMap<A> {
    inner: A,
    depth: usize,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TrackedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        leave_to(self.depth);
        match self.inner.next_key_seed(Key)? {
            Some(key) => {
                enter_key(self.depth, &key);
                let key = match key {
                    std::borrow::Cow::Borrowed(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)),
                    std::borrow::Cow::Owned(key) => seed.deserialize(de::value::StringDeserializer::new(key)),
                };
                key.map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(TrackedSeed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A seed whose deserializer is tracked.
struct TrackedSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for TrackedSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Tracked(deserializer))
    }
}

/// Reads a property name, borrowing it from the input when the input allows (no allocation
/// for a key without escapes).
#[doc(hidden)]
pub struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(key.to_owned()))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(key))
    }
}

// ---------------------------------------------------------------------------------------------
// The decoders of generated structs.

/// Implements `Deserialize` for a generated struct: each property by its wire name, the
/// required ones through [`missing`] when the object leaves them out, the optional ones their
/// default (`None`, `Nullable::Absent`), and every other property into the field that keeps
/// unknown properties (when the struct has one; else they are skipped). No buffering: each
/// value is decoded where it is read.
///
/// ```text
/// crate::runtime::struct_deserialize! {
///     MessageSource {
///         required channel = "channel",
///         optional delivered_as = "deliveredAs",
///         ..extra
///     }
/// }
/// ```
///
/// `required` fields are the spec's required properties (nullable or not: a missing nullable
/// one is `None`), `optional` ones the others; `..extra` names the field of unknown properties.
///
/// A property that comes twice keeps its last value.
// Exported (hidden) so that generated types compiled into another crate (the project's tests)
// can use it through that crate's `runtime` module.
#[doc(hidden)]
#[macro_export]
macro_rules! __struct_deserialize {
    ($name:ident { $($kind:ident $field:ident = $wire:literal,)* $(..$extra:ident)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Fields;
                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }

                    #[allow(unused_mut)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        $(let mut $extra = ::std::default::Default::default();)?
                        while let Some(key) = map.next_key_seed($crate::runtime::decode::Key)? {
                            match &*key {
                                $($wire => $field = Some(map.next_value()?),)*
                                _ => $crate::runtime::decode::struct_deserialize!(@other map key $($extra)?),
                            }
                        }
                        Ok($name {
                            $($field: $crate::runtime::decode::struct_deserialize!(@value $kind $field $wire),)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    };
    (@other $map:ident $key:ident $extra:ident) => {{
        let value = $map.next_value()?;
        $crate::runtime::decode::keep(&mut $extra, $key.into_owned(), value);
    }};
    (@other $map:ident $key:ident) => {{
        $map.next_value::<::serde::de::IgnoredAny>()?;
    }};
    (@value required $field:ident $wire:literal) => {
        match $field {
            Some(value) => value,
            None => $crate::runtime::decode::missing($wire)?,
        }
    };
    (@value optional $field:ident $wire:literal) => {
        $field.unwrap_or_default()
    };
}
#[doc(hidden)]
pub use crate::__struct_deserialize as struct_deserialize;

// ---------------------------------------------------------------------------------------------
// Untagged unions.

/// Declares a generated untagged union and implements `Serialize` and `Deserialize` for it:
/// the value is read once (as JSON), then each member is tried in order, plainly (no repair,
/// no deviation: a member that does not fit is simply not the one), the last member holding
/// JSON taking anything. The input is the enum as a person writes it:
///
/// ```text
/// crate::runtime::untagged_union! {
///     /// Tags as one string or a list.
///     #[derive(Debug, Clone, PartialEq)]
///     #[non_exhaustive]
///     pub enum Tags {
///         String(String),
///         StringList(Vec<String>),
///         Unknown(serde_json::Value),
///     }
/// }
/// ```
// Exported (hidden), like `struct_deserialize!`, so that it is there whether or not a crate's
// spec has an untagged union.
#[doc(hidden)]
#[macro_export]
macro_rules! __untagged_union {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident($ty:ty $(,)?),)*
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant($ty),)*
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
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                $crate::runtime::decode::untagged(|| {
                    $(if let Ok(member) = <$ty as ::serde::Deserialize>::deserialize(&value) {
                        return Ok(Self::$variant(member));
                    })*
                    Err(<D::Error as ::serde::de::Error>::custom(concat!("no member of ", stringify!($name), " fits")))
                })
            }
        }
    };
}
#[doc(hidden)]
pub use crate::__untagged_union as untagged_union;

/// Keeps an unknown property in a struct's `extra` map (a function, so that the map's type is
/// inferred from the struct, later in the decoder).
#[doc(hidden)]
#[inline]
pub fn keep<V, M: Extend<(String, V)>>(extra: &mut M, key: String, value: V) {
    extra.extend(std::iter::once((key, value)));
}

/// Runs an untagged union's tries outside of the pass (see [`suspended`]).
#[doc(hidden)]
pub fn untagged<R>(f: impl FnOnce() -> R) -> R {
    suspended(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::{Map, Value};

    #[derive(Debug, Serialize, PartialEq, Default)]
    struct Item {
        id: String,
        #[serde(rename = "isBlocked")]
        is_blocked: bool,
        count: u8,
        tags: Vec<String>,
        note: Option<String>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    struct_deserialize!(Item {
        required id = "id",
        required is_blocked = "isBlocked",
        required count = "count",
        required tags = "tags",
        optional note = "note",
        ..extra
    });

    #[derive(Debug, Serialize, PartialEq)]
    struct List {
        data: Vec<Item>,
        owner: Option<Item>,
    }

    struct_deserialize!(List {
        required data = "data",
        optional owner = "owner",
    });

    fn lenient<T: DeserializeOwned>(json: &str) -> Result<(T, Vec<Deviation>), Error> {
        decode("op", StatusCode::OK, json.as_bytes(), Decoding::Lenient)
    }

    #[test]
    fn a_body_as_the_spec_says_has_no_deviations() {
        let (list, deviations) =
            lenient::<List>(r#"{"data": [{"id": "a", "isBlocked": true, "count": 2, "tags": []}]}"#).unwrap();
        assert!(deviations.is_empty());
        assert_eq!(list.data[0].count, 2);
    }

    #[test]
    fn each_deviation_is_repaired_where_it_is_and_reported() {
        let json = r#"{"data": [
            {"id": "a", "isBlocked": true, "count": 1, "tags": ["x"], "later": 1},
            {"id": "b", "count": "7", "tags": null},
            {"id": 3, "isBlocked": "false", "count": 2, "tags": [], "n\u006fte": "escaped key"}
        ], "owner": {"id": "o", "tags": [null, 5]}}"#;
        let (list, deviations) = lenient::<List>(json).unwrap();
        let found: Vec<(&str, DeviationKind, &str, &str)> =
            deviations.iter().map(|d| (d.path.as_str(), d.kind, d.expected.as_str(), d.found.as_str())).collect();
        assert_eq!(
            found,
            // In the order the decoder meets them: a missing field at the end of its object.
            vec![
                ("data[1].count", DeviationKind::WrongType, "u8", "a string"),
                ("data[1].tags", DeviationKind::Null, "an array", "null"),
                ("data[1].isBlocked", DeviationKind::Missing, "a boolean", "missing"),
                ("data[2].id", DeviationKind::WrongType, "a string", "an integer"),
                ("data[2].isBlocked", DeviationKind::WrongType, "a boolean", "a string"),
                ("owner.tags[0]", DeviationKind::Null, "a string", "null"),
                ("owner.tags[1]", DeviationKind::WrongType, "a string", "an integer"),
                ("owner.isBlocked", DeviationKind::Missing, "a boolean", "missing"),
                ("owner.count", DeviationKind::Missing, "u8", "missing"),
            ]
        );
        // Nothing else changes: the first item is as it came, unknown fields included.
        assert_eq!(list.data[0].extra["later"], 1);
        assert_eq!(list.data[1].count, 7);
        assert!(!list.data[1].is_blocked && list.data[1].tags.is_empty());
        assert_eq!(list.data[2].id, "3");
        assert_eq!(list.data[2].note.as_deref(), Some("escaped key"));
        assert_eq!(list.owner.unwrap().tags, ["", "5"]);
    }

    #[test]
    fn a_missing_object_is_filled_and_its_fields_reported_below_it() {
        #[derive(Debug, PartialEq)]
        struct Wrapper {
            item: Item,
        }
        struct_deserialize!(Wrapper { required item = "item", });
        let (w, deviations) = lenient::<Wrapper>(r#"{}"#).unwrap();
        assert_eq!(w.item, Item::default());
        let paths: Vec<&str> = deviations.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["item", "item.id", "item.isBlocked", "item.count", "item.tags"]);
        assert_eq!(deviations[0].kind, DeviationKind::Missing);
        let (_, deviations) = lenient::<Wrapper>(r#"{"item": null}"#).unwrap();
        assert_eq!(deviations[0].kind, DeviationKind::Null);
        assert_eq!(deviations.len(), 5);
    }

    #[test]
    fn strict_decoding_names_the_path_of_the_first_deviation() {
        let err = decode::<List>(
            "op",
            StatusCode::OK,
            br#"{"data": [{"id": "a", "count": 1, "tags": []}]}"#,
            Decoding::Strict,
        )
        .unwrap_err();
        let Error::Decode { path, message, .. } = err else { panic!("{err:?}") };
        assert_eq!(path, "data[0]");
        assert_eq!(message, "missing field `isBlocked`");
        let err = decode::<List>(
            "op",
            StatusCode::OK,
            br#"{"data": [{"id": "a", "isBlocked": "secret words", "count": 1, "tags": []}]}"#,
            Decoding::Strict,
        )
        .unwrap_err();
        let Error::Decode { path, message, .. } = err else { panic!("{err:?}") };
        assert_eq!((path.as_str(), message.as_str()), ("data[0].isBlocked", "expected a boolean, found a string"));
    }

    #[test]
    fn outside_a_decode_a_missing_field_is_an_error_and_a_missing_option_none() {
        let err = serde_json::from_str::<Item>(r#"{"id": "a"}"#).unwrap_err();
        assert!(err.to_string().starts_with("missing field `isBlocked`"), "{err}");
        #[derive(Debug)]
        struct Nullable {
            at: Option<String>,
        }
        struct_deserialize!(Nullable { required at = "at", });
        assert_eq!(serde_json::from_str::<Nullable>("{}").unwrap().at, None);
    }

    #[test]
    fn what_is_not_a_deviation_still_fails() {
        // Out of range for a u8: not a wrong type, and not repaired.
        let err = lenient::<List>(r#"{"data": [{"id": "a", "isBlocked": true, "count": 300, "tags": []}]}"#);
        let Err(Error::Decode { path, message, .. }) = err else { panic!("{err:?}") };
        assert_eq!((path.as_str(), message.as_str()), ("data[0].count", "expected u8, found an integer"));
        // Not JSON.
        assert!(lenient::<List>("<html>").is_err());
        // Another shape altogether.
        assert!(lenient::<List>("[1, 2]").is_err());
        assert!(lenient::<List>(r#"{"data": {"id": "a"}}"#).is_err());
    }

    crate::runtime::untagged_union! {
        #[derive(Debug, PartialEq)]
        enum Tags {
            One(String),
            Many(Vec<String>),
            Item(Item),
            Unknown(Value),
        }
    }

    #[test]
    fn untagged_members_are_tried_plainly() {
        #[derive(Debug)]
        struct Holder {
            tags: Vec<Tags>,
        }
        struct_deserialize!(Holder { required tags = "tags", });
        let json = r#"{"tags": ["a", ["b"], {"id": "x"}, {"id": "y", "isBlocked": false, "count": 1, "tags": []}, 5]}"#;
        let (holder, deviations) = lenient::<Holder>(json).unwrap();
        assert!(deviations.is_empty(), "{deviations:?}");
        assert!(matches!(&holder.tags[0], Tags::One(s) if s == "a"));
        assert!(matches!(&holder.tags[1], Tags::Many(_)));
        // An object that is not a whole `Item` is not repaired into one.
        assert!(matches!(&holder.tags[2], Tags::Unknown(_)));
        assert!(matches!(&holder.tags[3], Tags::Item(_)));
        assert!(matches!(&holder.tags[4], Tags::Unknown(v) if *v == 5));
    }

    #[test]
    fn the_cost_is_linear_in_the_deviations() {
        // Every item deviates: one pass repairs them all, whatever their number.
        let items: Vec<String> = (0..5000).map(|i| format!(r#"{{"id": "{i}", "count": 1, "tags": []}}"#)).collect();
        let json = format!(r#"{{"data": [{}]}}"#, items.join(","));
        let (list, deviations) = lenient::<List>(&json).unwrap();
        assert_eq!(list.data.len(), 5000);
        assert_eq!(deviations.len(), 5000);
        assert_eq!(deviations[4999].path, "data[4999].isBlocked");
    }
}
