//! `allOf`: its members merged into one object schema, or, when a member is a union, the union
//! split so that each of its members carries the rest of the `allOf` ([`Split`]).

use super::build::{constraint_only, Builder};
use super::unions::union_members;
use crate::error::{Error, Result};
use crate::load::{InstanceType, Schema};

/// A union spread over what its members share (see [`Builder::split_all_of`] and
/// [`Builder::split_beside`]).
pub(super) struct Split {
    /// The union as written: its members name and tag the variants.
    pub(super) union: Schema,
    /// One schema per member: the member with the shared part.
    pub(super) parts: Vec<Schema>,
}

impl<'d> Builder<'d> {
    /// One object schema from the members of an `allOf`.
    pub(super) fn merge_all_of(&self, s: &Schema) -> Result<Schema> {
        self.merge_all_of_within(s, &mut Vec::new(), false)
    }

    /// [`Self::merge_all_of`], knowing the `allOf`s being merged around it (by identity: two
    /// schemas can share a pointer) to refuse cycles. `lenient`: a member that is a union adds
    /// only its own part (to look at the properties every variant has).
    pub(super) fn merge_all_of_within<'s>(
        &self,
        s: &'s Schema,
        within: &mut Vec<*const Schema>,
        lenient: bool,
    ) -> Result<Schema>
    where
        'd: 's,
    {
        if within.contains(&(s as *const Schema)) {
            return Err(Error::unsupported(&s.pointer, "an `allOf` that includes itself (through `$ref`s)"));
        }
        within.push(s);
        let mut merged = Schema {
            pointer: s.pointer.clone(),
            types: vec![InstanceType::Object],
            description: s.description.clone(),
            title: s.title.clone(),
            properties: s.properties.clone(),
            required: s.required.clone(),
            additional_properties: s.additional_properties.clone(),
            ..Schema::default()
        };
        let mut forbid_extra = true;
        for member in &s.all_of {
            let target = self.target(member)?;
            let mut part = if target.all_of.is_empty() {
                target.clone()
            } else {
                self.merge_all_of_within(target, within, lenient)?
            };
            if let Some(members) = union_members(&part) {
                // A union whose members only constrain, or that lists the schema being merged
                // (a parent that names its children, each an `allOf` of it): its own part.
                let lists_within = members.iter().any(|m| {
                    m.reference.is_some()
                        && self
                            .target(m)
                            .is_ok_and(|t| within.iter().any(|w| std::ptr::eq(*w, t)) || t.pointer == s.pointer)
                });
                if !(lenient || members.iter().all(constraint_only) || lists_within) {
                    return Err(Error::unsupported(
                        &member.pointer,
                        "an `allOf` member that is a union (`oneOf`/`anyOf`) here: the merged type would be a union",
                    ));
                }
                part.one_of.clear();
                part.any_of.clear();
                part.discriminator = None;
            }
            if !(part.types.is_empty() || part.types == [InstanceType::Object]) {
                return Err(Error::unsupported(&member.pointer, "an `allOf` member that is not an object"));
            }
            for (k, v) in part.properties {
                merged.properties.insert(k, v);
            }
            for r in part.required {
                if !merged.required.contains(&r) {
                    merged.required.push(r);
                }
            }
            forbid_extra &= part.additional_properties.as_ref().is_some_and(|a| a.never);
            if merged.description.is_none() {
                merged.description = part.description;
            }
        }
        if !forbid_extra && merged.additional_properties.as_ref().is_some_and(|a| a.never) {
            merged.additional_properties = None;
        }
        within.pop();
        Ok(merged)
    }

    /// For an `allOf` with a member that is a union (directly, through `$ref`s or through an
    /// `allOf` of its own): the union, with one schema per union member, the `allOf` in which
    /// that member stands for the union. `None` when no member is such a union. `within` holds
    /// the pointers of the schemas being split, to stop at cycles (which merging reports).
    pub(super) fn split_all_of(&mut self, s: &Schema, within: &mut Vec<String>) -> Result<Option<Split>> {
        for (i, member) in s.all_of.iter().enumerate() {
            let target = self.target(member)?;
            // Cycles go through `$ref`s.
            if member.reference.is_some() && within.contains(&target.pointer) {
                return Ok(None);
            }
            let (union, options) = if let Some(members) = union_members(target) {
                let keyword = if target.one_of.is_empty() { "anyOf" } else { "oneOf" };
                if members.iter().all(constraint_only) {
                    self.warn(
                        &format!("{}/{keyword}", target.pointer),
                        format!("`{keyword}` only says which properties must be present; not enforced"),
                    );
                    continue;
                }
                let lists_within = members.iter().any(|m| {
                    m.reference.is_some()
                        && self.target(m).is_ok_and(|t| within.contains(&t.pointer) || t.pointer == s.pointer)
                });
                if lists_within {
                    continue;
                }
                // The union's own keywords (`properties` beside its `oneOf`) go with each member.
                let own = Schema {
                    one_of: Vec::new(),
                    any_of: Vec::new(),
                    discriminator: None,
                    description: None,
                    title: None,
                    ..target.clone()
                };
                let own =
                    (!own.properties.is_empty() || !own.all_of.is_empty() || !own.required.is_empty()).then_some(own);
                let options: Vec<Schema> = members
                    .iter()
                    .map(|m| match &own {
                        Some(own) => Schema {
                            pointer: m.pointer.clone(),
                            all_of: vec![own.clone(), m.clone()],
                            ..Schema::default()
                        },
                        None => m.clone(),
                    })
                    .collect();
                (target.clone(), options)
            } else if !target.all_of.is_empty() {
                within.push(target.pointer.clone());
                let inner = self.split_all_of(target, within);
                within.pop();
                let inner = inner?;
                match inner {
                    Some(inner) => (inner.union, inner.parts),
                    None => continue,
                }
            } else {
                continue;
            };
            let keyword = if union.one_of.is_empty() { "anyOf" } else { "oneOf" };
            let parts = options
                .into_iter()
                .enumerate()
                .map(|(j, option)| {
                    let mut all_of = s.all_of.clone();
                    all_of[i] = option;
                    Schema {
                        // Below this schema, not the member: a variant's own variants (a union of
                        // unions) are places of their own.
                        pointer: format!("{}/allOf/{i}/{keyword}/{j}", s.pointer),
                        properties: s.properties.clone(),
                        required: s.required.clone(),
                        additional_properties: s.additional_properties.clone(),
                        all_of,
                        ..Schema::default()
                    }
                })
                .collect();
            return Ok(Some(Split { union, parts }));
        }
        Ok(None)
    }

    /// For a schema with a union beside its own `properties` (or `allOf`): the union, with one
    /// schema per member, the member with those properties. A member that already includes the
    /// schema (a child that is an `allOf` of the parent naming it) is taken as it is.
    pub(super) fn split_beside(&self, s: &Schema) -> Split {
        let members = union_members(s).unwrap_or_default();
        let shared = Schema {
            one_of: Vec::new(),
            any_of: Vec::new(),
            discriminator: None,
            description: None,
            title: None,
            ..s.clone()
        };
        let parts = members
            .iter()
            .map(|m| {
                // `properties` constrain objects only: a member that is a scalar or an array
                // is that member alone.
                let object = self.target(m).map_or(true, |t| {
                    t.types.is_empty() || t.types.iter().any(|ty| matches!(ty, InstanceType::Object))
                });
                if !object || self.includes(m, &s.pointer, &mut Vec::new()) {
                    m.clone()
                } else {
                    Schema { pointer: m.pointer.clone(), all_of: vec![shared.clone(), m.clone()], ..Schema::default() }
                }
            })
            .collect();
        Split { union: s.clone(), parts }
    }

    /// Whether `m` is, or is an `allOf` that includes (through `$ref`s), the schema at `pointer`.
    fn includes(&self, m: &Schema, pointer: &str, seen: &mut Vec<String>) -> bool {
        let Ok(t) = self.target(m) else { return false };
        if t.pointer == pointer {
            return m.reference.is_some();
        }
        if seen.contains(&t.pointer) {
            return false;
        }
        seen.push(t.pointer.clone());
        t.all_of.iter().any(|part| self.includes(part, pointer, seen))
    }
}
