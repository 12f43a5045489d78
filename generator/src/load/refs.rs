//! References: the component a `$ref` names, discriminator mapping targets as `$ref`s, and
//! [`RefOr`] items resolved against the document. Every stage resolves references here, so a
//! broken one is reported one way: with the JSON pointer of its `$ref`.

use super::document::*;
use crate::error::{child, Error, Result};
use indexmap::IndexMap;
use serde_yaml::Value as Raw;
use std::borrow::Cow;

/// The name in `#/components/<section>/<name>`, unescaped; `None` for any other reference.
pub fn component_name<'r>(reference: &'r str, section: &str) -> Option<Cow<'r, str>> {
    let rest = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    if rest.contains('/') {
        return None;
    }
    if rest.contains('~') || rest.contains('%') {
        Some(rest.replace("~1", "/").replace("~0", "~").replace("%20", " ").into())
    } else {
        Some(rest.into())
    }
}

/// A discriminator mapping value as a `$ref`: a value that is not one names a schema component.
pub fn mapping_ref(target: &str) -> Cow<'_, str> {
    if target.starts_with('#') {
        Cow::Borrowed(target)
    } else {
        Cow::Owned(format!("#/components/schemas/{target}"))
    }
}

impl Discriminator {
    /// The tag values the mapping gives the schema `reference` names, in declared order.
    pub fn tags_of<'a>(&'a self, reference: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.mapping.iter().filter(move |(_, target)| mapping_ref(target) == reference).map(|(tag, _)| tag)
    }
}

/// What a `$ref` can name: a section of `#/components`.
pub trait Component: Sized {
    /// The section's key (`parameters`).
    const SECTION: &'static str;
    /// The section in the document's components.
    fn section(components: &Components) -> &IndexMap<String, Self>;
}

macro_rules! impl_component {
    ($t:ty, $section:literal, $field:ident) => {
        impl Component for $t {
            const SECTION: &'static str = $section;
            fn section(components: &Components) -> &IndexMap<String, Self> {
                &components.$field
            }
        }
    };
}

impl_component!(Schema, "schemas", schemas);
impl_component!(Parameter, "parameters", parameters);
impl_component!(RequestBody, "requestBodies", request_bodies);
impl_component!(Response, "responses", responses);
impl_component!(Header, "headers", headers);

/// The component `reference` names, with its name as declared. `pointer` is where the `$ref` is,
/// for the error: a reference outside `#/components/<section>` is unsupported, one to a missing
/// component dangles.
pub fn component<'d, T: Component>(doc: &'d Document, reference: &str, pointer: &str) -> Result<(&'d str, &'d T)> {
    let section = T::SECTION;
    let Some(name) = component_name(reference, section) else {
        return Err(Error::unsupported(
            pointer,
            format!("reference `{reference}`: only references to `#/components/{section}/<name>` are supported here"),
        ));
    };
    match T::section(&doc.components).get_key_value(name.as_ref()) {
        Some((name, item)) => Ok((name, item)),
        None => Err(Error::DanglingRef {
            pointer: pointer.to_owned(),
            reference: reference.to_owned(),
            reason: format!("there is no `{name}` in #/components/{section}"),
        }),
    }
}

impl<T: Component> RefOr<T> {
    /// The item, or the component its `$ref` names (see [`component`]).
    pub fn resolve<'d>(&'d self, doc: &'d Document) -> Result<&'d T> {
        match self {
            RefOr::Item(item) => Ok(item),
            RefOr::Ref { reference, pointer, .. } => Ok(component(doc, reference, &child(pointer, "$ref"))?.1),
        }
    }
}

impl<T> RefOr<T> {
    /// The item when it is written in place, `None` for a `$ref`.
    pub fn item(&self) -> Option<&T> {
        match self {
            RefOr::Item(item) => Some(item),
            RefOr::Ref { .. } => None,
        }
    }

    /// [`RefOr::item`], mutably.
    pub fn item_mut(&mut self) -> Option<&mut T> {
        match self {
            RefOr::Item(item) => Some(item),
            RefOr::Ref { .. } => None,
        }
    }
}

/// The component `#/components/<section>/<name>` of the raw document (before it is read), with
/// its pointer: for the sections read where they are used (`pathItems`, `mediaTypes`).
pub(super) fn raw_component<'r>(root: &'r Raw, section: &str, reference: &str) -> Option<(&'r Raw, String)> {
    let name = component_name(reference, section)?;
    let raw = root.as_mapping()?.get("components")?.as_mapping()?.get(section)?.as_mapping()?.get(name.as_ref())?;
    Some((raw, child(&child("#/components", section), &name)))
}

/// The node a local reference (`#/a/b~1c`: RFC 6901 tokens, percent-encoded or not) points at
/// in the raw document, with its pointer as every stage writes pointers ([`child`]). `None` when
/// it points at nothing.
pub fn resolve_pointer<'r>(root: &'r Raw, reference: &str) -> Option<(&'r Raw, String)> {
    let path = reference.strip_prefix('#')?;
    let mut node = root;
    let mut pointer = String::from("#");
    if path.is_empty() {
        return Some((node, pointer));
    }
    for token in path.strip_prefix('/')?.split('/') {
        let token = percent_decode(token).replace("~1", "/").replace("~0", "~");
        node = match node {
            Raw::Mapping(m) => m.iter().find(|(k, _)| key_text(k).as_deref() == Some(token.as_str()))?.1,
            Raw::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
        pointer = child(&pointer, &token);
    }
    Some((node, pointer))
}

/// A mapping key as text: YAML keys can be numbers or booleans (`200:`).
fn key_text(key: &Raw) -> Option<String> {
    match key {
        Raw::String(s) => Some(s.clone()),
        Raw::Number(n) => Some(n.to_string()),
        Raw::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `%7B` -> `{` (in a `$ref`'s URI fragment); text that is not a valid escape stays as it is.
pub fn percent_decode(token: &str) -> Cow<'_, str> {
    if !token.contains('%') {
        return Cow::Borrowed(token);
    }
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_resolve_anywhere_in_the_document() {
        let root: Raw = serde_yaml::from_str(
            "paths:\n  /a/{id}:\n    get:\n      responses:\n        200: {description: ok}\n      parameters: [{name: x}]",
        )
        .unwrap();
        let (node, ptr) = resolve_pointer(&root, "#/paths/~1a~1%7Bid%7D/get/responses/200").unwrap();
        assert_eq!(ptr, "#/paths/~1a~1{id}/get/responses/200");
        assert_eq!(node.get("description").and_then(Raw::as_str), Some("ok"));
        let (node, _) = resolve_pointer(&root, "#/paths/~1a~1{id}/get/parameters/0/name").unwrap();
        assert_eq!(node.as_str(), Some("x"));
        assert!(resolve_pointer(&root, "#/paths/~1b").is_none());
        assert!(resolve_pointer(&root, "#/paths/~1a~1{id}/get/parameters/1").is_none());
        assert!(resolve_pointer(&root, "other.yaml#/a").is_none());
    }

    #[test]
    fn component_names_are_unescaped() {
        assert_eq!(component_name("#/components/schemas/A~1B~0C%20D", "schemas").as_deref(), Some("A/B~C D"));
        assert_eq!(component_name("#/components/schemas/A", "parameters"), None);
        assert_eq!(component_name("#/components/schemas/A/properties/b", "schemas"), None);
    }

    #[test]
    fn mapping_targets_become_refs() {
        assert_eq!(mapping_ref("Cat"), "#/components/schemas/Cat");
        assert_eq!(mapping_ref("#/components/schemas/Dog"), "#/components/schemas/Dog");
    }

    #[test]
    fn broken_references_name_their_pointer() {
        let doc = Document::default();
        let p: RefOr<Parameter> = RefOr::Ref {
            reference: "#/components/parameters/id".into(),
            pointer: "#/paths/~1a".into(),
            description: None,
        };
        let e = p.resolve(&doc).unwrap_err();
        assert_eq!(
            e.to_string(),
            "#/paths/~1a/$ref: $ref `#/components/parameters/id` does not resolve: there is no `id` in #/components/parameters"
        );
    }
}
