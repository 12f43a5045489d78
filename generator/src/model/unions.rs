//! Unions: `oneOf`/`anyOf` as Rust enums, tagged by a discriminator, else by a tag property
//! inferred from the members, else untagged; and the unions a [`Split`] spreads over what their
//! members share.

use super::all_of::Split;
use super::build::{Builder, Items};
use super::*;
use crate::error::{Error, Result};
use crate::load::{refs, InstanceType, Schema};
use crate::naming::{camel_words, type_name, variant_name, Names};
use std::borrow::Cow;

/// The members of a union schema (`oneOf`, else `anyOf`), if it is one.
pub(super) fn union_members(s: &Schema) -> Option<&[Schema]> {
    match (s.one_of.is_empty(), s.any_of.is_empty()) {
        (false, _) => Some(&s.one_of),
        (true, false) => Some(&s.any_of),
        (true, true) => None,
    }
}

/// How many variants distributed unions may make in one spec: each is a type, and unions of
/// unions multiply.
pub(super) const MAX_DISTRIBUTED: usize = 20_000;

/// Variant names from member type names, without the words all of them share at the start or
/// the end (`UserMessagePart`, `AdminNotePart` -> `UserMessage`, `AdminNote`) when that leaves
/// every name non-empty, distinct and not starting with a digit.
pub(super) fn strip_common_affixes(names: &[String], union_name: &str) -> Vec<String> {
    if names.len() < 2 {
        return names.to_vec();
    }
    let split: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest).take_while(|&i| split.iter().all(|w| w[i] == split[0][i])).count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| split.iter().all(|w| w[w.len() - 1 - i] == split[0][split[0].len() - 1 - i]))
        .count();
    let stripped: Vec<String> = split.iter().map(|w| w[prefix..w.len() - suffix].concat()).collect();
    // `SelfType` without its `Type` would be the keyword `Self`.
    let usable = |n: &String| !n.is_empty() && !n.starts_with(|c: char| c.is_ascii_digit()) && n != "Self";
    let ok = stripped.iter().all(usable)
        && stripped.iter().collect::<std::collections::HashSet<_>>().len() == stripped.len();
    if ok {
        stripped
    } else {
        // Still drop the union's own name as a prefix where every member starts with it.
        let trimmed: Vec<String> = names.iter().map(|n| n.strip_prefix(union_name).unwrap_or(n).to_owned()).collect();
        if trimmed.iter().all(|n| usable(n) && n.starts_with(|c: char| c.is_ascii_uppercase()))
            && trimmed.iter().collect::<std::collections::HashSet<_>>().len() == trimmed.len()
        {
            trimmed
        } else {
            names.to_vec()
        }
    }
}

impl<'d> Builder<'d> {
    pub(super) fn build_union(&mut self, s: &Schema, name: &str) -> Result<Union> {
        if !s.one_of.is_empty() && !s.any_of.is_empty() {
            return Err(Error::unsupported(&s.pointer, "`oneOf` and `anyOf` on the same schema"));
        }
        let members = if s.one_of.is_empty() { &s.any_of } else { &s.one_of };
        self.union_of(s, s.discriminator.as_ref(), members, members, name)
    }

    /// The union a [`Split`] makes: its variants are the split's parts, named and tagged by the
    /// union's members (a discriminator of the union, else of the schema, still tags them).
    pub(super) fn distributed(&mut self, s: &Schema, split: Split, name: &str) -> Result<Union> {
        if !split.union.one_of.is_empty() && !split.union.any_of.is_empty() {
            return Err(Error::unsupported(&split.union.pointer, "`oneOf` and `anyOf` on the same schema"));
        }
        // A variant that spreads the union it is a variant of again would make variants of
        // variants without end (each at a new place). Elsewhere (a property of a variant) the
        // union is spread at a place of its own, once.
        if self.distributing.contains(&split.union.pointer) && self.variant_parts.contains_key(&s.pointer) {
            return Err(Error::unsupported(
                &s.pointer,
                format!(
                    "the union {} is spread over what its members share, and a member shares it again (through `$ref`s): the variants would never end",
                    split.union.pointer
                ),
            ));
        }
        self.distributed_count += split.parts.len();
        if self.distributed_count > MAX_DISTRIBUTED {
            return Err(Error::unsupported(
                &s.pointer,
                format!("unions spread over `allOf`s make more than {MAX_DISTRIBUTED} variants"),
            ));
        }
        self.distributing.push(split.union.pointer.clone());
        let union = self.distributed_within(s, split, name);
        self.distributing.pop();
        union
    }

    /// [`Self::distributed`] below its checks.
    fn distributed_within(&mut self, s: &Schema, split: Split, name: &str) -> Result<Union> {
        let members = union_members(&split.union).unwrap_or_default();
        for (m, part) in members.iter().zip(&split.parts) {
            if part.reference.is_none() {
                let member = self.target(m)?.pointer.clone();
                self.variant_parts.insert(part.pointer.clone(), (name.to_owned(), member));
            }
        }
        let discriminator = split.union.discriminator.as_ref().or(s.discriminator.as_ref());
        self.union_of(s, discriminator, members, &split.parts, name)
    }

    /// A union of `parts` (one per member: the member itself, or the member with what it shares),
    /// tagged by a discriminator, by an inferred tag, or untagged.
    fn union_of(
        &mut self,
        s: &Schema,
        discriminator: Option<&crate::load::Discriminator>,
        members: &[Schema],
        parts: &[Schema],
        name: &str,
    ) -> Result<Union> {
        if let Some(d) = discriminator {
            return self.discriminated(s, members, parts, d, name);
        }
        if let Some((property, tags)) = self.infer_tag(parts)? {
            return self.tagged(&s.pointer, members, parts, Tagging::Inferred(property), tags, name);
        }
        self.untagged(&s.pointer, members, parts, name)
    }

    /// The object schema of a union member, following references and merging an `allOf`; `None`
    /// if it is not an object.
    pub(super) fn member_object<'s>(&self, m: &'s Schema) -> Result<Option<Cow<'s, Schema>>>
    where
        'd: 's,
    {
        let t = self.target(m)?;
        if !t.one_of.is_empty() || !t.any_of.is_empty() {
            return Ok(None);
        }
        if !t.all_of.is_empty() {
            // A member that cannot be merged is reported when it is resolved; unions in it are
            // spread over it then, and what they share is what the member has in every variant.
            return Ok(self.merge_all_of_within(t, &mut Vec::new(), true).ok().map(Cow::Owned));
        }
        let object = t.types == [InstanceType::Object] || (t.types.is_empty() && !t.properties.is_empty());
        Ok(object.then_some(Cow::Borrowed(t)))
    }

    /// A property that every member requires and fixes to a different string: the tag.
    pub(super) fn infer_tag(&self, members: &[Schema]) -> Result<Option<(String, Vec<Vec<String>>)>> {
        if members.len() < 2 {
            return Ok(None);
        }
        let mut objects = Vec::new();
        for m in members {
            match self.member_object(m)? {
                Some(o) => objects.push(o),
                None => return Ok(None),
            }
        }
        'candidates: for property in objects[0].properties.keys() {
            let mut tags = Vec::new();
            for o in &objects {
                let Some(p) = o.properties.get(property) else { continue 'candidates };
                if !o.required.contains(property) {
                    continue 'candidates;
                }
                let p = self.target(p)?;
                let Some(value) = p.string_constant() else { continue 'candidates };
                if tags.iter().any(|t: &Vec<String>| t[0] == value) {
                    continue 'candidates;
                }
                tags.push(vec![value.to_owned()]);
            }
            return Ok(Some((property.clone(), tags)));
        }
        Ok(None)
    }

    fn discriminated(
        &mut self,
        s: &Schema,
        members: &[Schema],
        parts: &[Schema],
        d: &crate::load::Discriminator,
        name: &str,
    ) -> Result<Union> {
        let Some(tags) = self.discriminator_tags(s, members, parts, d)? else {
            return self.untagged(&s.pointer, members, parts, name);
        };
        for (tag, target) in &d.mapping {
            let target_ref = refs::mapping_ref(target);
            if !members.iter().any(|m| m.reference.as_deref() == Some(&*target_ref)) {
                self.warn(
                    &format!("{}/discriminator/mapping", s.pointer),
                    format!("mapping `{tag}` names `{target}`, which is not a member; ignored"),
                );
            }
        }
        self.tagged(&s.pointer, members, parts, Tagging::Discriminator(d.property_name.clone()), tags, name)
    }

    /// The tag values a discriminator gives each member: its mapping entries, else the values
    /// the member fixes its tag property to, else (for a `$ref`) the component's name, the
    /// OpenAPI default. `None`, with a warning, when a member cannot be told apart (no `$ref`,
    /// no constant or enum of its tag, not an object, or a tag value another member has too):
    /// the union is then read untagged.
    pub(super) fn discriminator_tags(
        &mut self,
        s: &Schema,
        members: &[Schema],
        parts: &[Schema],
        d: &crate::load::Discriminator,
    ) -> Result<Option<Vec<Vec<String>>>> {
        let mut tags = Vec::new();
        for (m, part) in members.iter().zip(parts) {
            let mut values: Vec<String> = Vec::new();
            if let Some(r) = &m.reference {
                values.extend(d.tags_of(r).cloned());
                if values.is_empty() {
                    // Without a mapping entry: the member's tag values if it fixes them, else the
                    // component's name (the OpenAPI default).
                    values = self.tag_values(part, &d.property_name)?;
                    if values.is_empty() {
                        values.extend(refs::component_name(r, "schemas").map(|n| n.into_owned()));
                    }
                }
            } else {
                values = self.tag_values(part, &d.property_name)?;
            }
            // A member the discriminator cannot tell (no `$ref`, no constant or enum of its tag,
            // or not an object): the union is read untagged, as `oneOf` says it may be.
            let why = if values.is_empty() {
                Some(format!("member {} has no `$ref` and no constant `{}`", m.pointer, d.property_name))
            } else if self.member_object(part)?.is_none() {
                Some(format!("member {} is not an object", m.pointer))
            } else {
                None
            };
            if let Some(why) = why {
                self.warn(
                    &format!("{}/discriminator", s.pointer),
                    format!(
                        "the discriminator `{}` cannot tag every member ({why}): the union is read untagged",
                        d.property_name
                    ),
                );
                return Ok(None);
            }
            tags.push(values);
        }
        // Two members with one tag value cannot be told apart by it: read untagged, as `oneOf`
        // allows (each member tried in order).
        let mut seen = std::collections::HashSet::new();
        if let Some(tag) = tags.iter().flatten().find(|t| !seen.insert(t.as_str())) {
            self.warn(
                &format!("{}/discriminator", s.pointer),
                format!(
                    "the discriminator `{}` gives `{tag}` to two members: the union is read untagged",
                    d.property_name
                ),
            );
            return Ok(None);
        }
        Ok(Some(tags))
    }

    /// The values a member fixes its tag property to: its constant, or every value of its
    /// string `enum` (one member for several tags). Empty when it fixes none.
    pub(super) fn tag_values(&self, member: &Schema, property: &str) -> Result<Vec<String>> {
        let Some(o) = self.member_object(member)? else { return Ok(Vec::new()) };
        let Some(p) = o.properties.get(property) else { return Ok(Vec::new()) };
        let p = self.target(p)?;
        if let Some(c) = p.string_constant() {
            return Ok(vec![c.to_owned()]);
        }
        let values = p.enumeration.iter().flatten().map(|v| v.as_str().map(str::to_owned));
        Ok(values.collect::<Option<Vec<_>>>().unwrap_or_default())
    }

    fn tagged(
        &mut self,
        union: &str,
        members: &[Schema],
        parts: &[Schema],
        tagging: Tagging,
        tags: Vec<Vec<String>>,
        name: &str,
    ) -> Result<Union> {
        let property = tagging.property().unwrap_or_default().to_owned();
        // Members given by reference are named after their types; inline ones after their tag.
        let ref_names: Vec<String> = members.iter().filter_map(|m| self.member_type_name(m)).collect();
        let stripped = strip_common_affixes(&ref_names, name);
        let mut stripped = stripped.into_iter();
        let mut names = self.locked_variants(union);
        let mut variants = Vec::new();
        for ((m, part), tag) in members.iter().zip(parts).zip(tags) {
            let base = if m.reference.is_some() { stripped.next().unwrap_or_default() } else { variant_name(&tag[0]) };
            let place = format!("tag:{}", tag[0]);
            let variant = self.variant_name(union, &place, &base, &mut names);
            if let Some(o) = self.member_object(part)? {
                if !o.properties.contains_key(&property) {
                    self.warn(&m.pointer, format!("union member does not describe its tag property `{property}`"));
                }
            } else {
                return Err(Error::unsupported(&m.pointer, "a member of a tagged union that is not an object"));
            }
            let r = self.resolve(part, &format!("{name}{variant}"), Items::ItemSuffix)?;
            if let (TypeRef::Named(id), [only]) = (&r.ty, tag.as_slice()) {
                self.fix_tag(*id, &property, only);
            }
            variants.push(UnionVariant { name: variant, place, tags: tag, ty: r.ty, boxed: false });
        }
        Ok(Union { tagging, variants })
    }

    /// The Rust name of the component a member references, if it does.
    fn member_type_name(&self, m: &Schema) -> Option<String> {
        let r = m.reference.as_ref()?;
        let (id, _) = self.component(r, &m.pointer).ok()?;
        Some(self.types[id.0].name.clone())
    }

    /// The variant names the lock keeps for a union, reserved, with `Unknown` (the fallback).
    fn locked_variants(&self, union: &str) -> Names {
        let mut names = Names::default();
        names.reserve("Unknown");
        let from = (union.to_owned(), String::new());
        for ((_, _), name) in self.lock.variants.range(from..).take_while(|((u, _), _)| u == union) {
            names.reserve(name);
        }
        names
    }

    /// The name of a union's variant for a member: the one the lock keeps, else `base` made
    /// unique among the union's variants.
    fn variant_name(&self, union: &str, place: &str, base: &str, names: &mut Names) -> String {
        match self.lock.variants.get(&(union.to_owned(), place.to_owned())) {
            Some(locked) => locked.clone(),
            None => names.unique(base),
        }
    }

    /// A member with exactly one tag value gets it as the constant of its tag field, so that
    /// `Member::default()` carries the right tag.
    fn fix_tag(&mut self, id: TypeId, property: &str, tag: &str) {
        if let TypeKind::Struct(s) = &mut self.types[id.0].kind {
            if let Some(f) =
                s.fields.iter_mut().find(|f| f.wire == property && f.constant.is_none() && f.ty == TypeRef::String)
            {
                f.constant = Some(Json::String(tag.to_owned()));
                f.docs.notes.insert(0, format!("Always `\"{tag}\"` in this variant."));
            }
        }
    }

    fn untagged(&mut self, union: &str, members: &[Schema], parts: &[Schema], name: &str) -> Result<Union> {
        let mut resolved = Vec::new();
        for (i, (m, part)) in members.iter().zip(parts).enumerate() {
            let hint = match (m.title.as_deref(), self.member_type_name(m)) {
                (Some(t), _) => format!("{name}{}", type_name(t)),
                // A member given by reference, with what it shares: named after both.
                (None, Some(member)) if part.reference.is_none() => format!("{name}{member}"),
                _ => format!("{name}Variant{}", i + 1),
            };
            let r = self.resolve(part, &hint, Items::ItemSuffix)?;
            resolved.push(r.ty);
        }
        let named: Vec<String> = resolved
            .iter()
            .filter_map(|t| match t {
                TypeRef::Named(id) => Some(self.types[id.0].name.clone()),
                _ => None,
            })
            .collect();
        let mut stripped = strip_common_affixes(&named, name).into_iter();
        let mut names = self.locked_variants(union);
        let mut variants: Vec<UnionVariant> = resolved
            .into_iter()
            .zip(members)
            .enumerate()
            .map(|(i, (ty, m))| {
                let base = match &ty {
                    TypeRef::Named(_) => stripped.next().unwrap_or_default(),
                    other => self.describe(other),
                };
                let place = match &m.reference {
                    Some(r) => format!("ref:{r}"),
                    None => format!("at:{i}"),
                };
                let name = self.variant_name(union, &place, &base, &mut names);
                UnionVariant { name, place, tags: Vec::new(), ty, boxed: false }
            })
            .collect();
        // serde tries members in order: integers before numbers, catch-alls last.
        variants.sort_by_key(|v| match v.ty {
            TypeRef::Integer(_) => 0,
            TypeRef::Number | TypeRef::Float => 1,
            TypeRef::Map(_) | TypeRef::JsonObject => 3,
            TypeRef::Json => 4,
            _ => 2,
        });
        Ok(Union { tagging: Tagging::Untagged, variants })
    }

    fn describe(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => self.types[id.0].name.clone(),
            TypeRef::String => "String".into(),
            TypeRef::Integer(_) => "Integer".into(),
            TypeRef::Number | TypeRef::Float => "Number".into(),
            TypeRef::Boolean => "Boolean".into(),
            TypeRef::Json => "Value".into(),
            TypeRef::JsonObject => "Object".into(),
            TypeRef::Array(t) => format!("{}List", self.describe(t)),
            TypeRef::Map(t) => format!("{}Map", self.describe(t)),
            TypeRef::Nullable(t) => format!("Optional{}", self.describe(t)),
            TypeRef::Unit => "Null".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            strip_common_affixes(&names(&["UserMessagePart", "AdminNotePart"]), "ConversationPart"),
            names(&["UserMessage", "AdminNote"])
        );
        assert_eq!(
            strip_common_affixes(&names(&["ConversationFromContact", "ConversationFromAdmin"]), "ConversationFrom"),
            names(&["Contact", "Admin"])
        );
        assert_eq!(
            strip_common_affixes(&names(&["ContactReplyBody", "AdminReplyBody"]), "Reply"),
            names(&["Contact", "Admin"])
        );
        assert_eq!(strip_common_affixes(&names(&["Cat", "Dog"]), "Pet"), names(&["Cat", "Dog"]));
        assert_eq!(strip_common_affixes(&names(&["PetCat", "Pet"]), "X"), names(&["PetCat", "Pet"]));
        assert_eq!(strip_common_affixes(&names(&["OptionType", "SelfType"]), "U"), names(&["OptionType", "SelfType"]));
    }
}
