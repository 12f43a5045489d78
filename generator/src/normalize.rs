//! Stage 2, normalize: one spelling for each meaning, and a check that the document is whole.
//!
//! OpenAPI 3.0 and 3.1 (and common habits within each) say the same thing in different ways. After
//! this pass, later stages see only these forms:
//!
//! | written as | becomes |
//! |---|---|
//! | `nullable: true` (3.0), `type: [T, "null"]`, `enum: [.., null]` | `types: [T]`, `nullable` |
//! | `oneOf`/`anyOf` with a `{type: "null"}` member | the other members, `nullable` |
//! | `oneOf`/`anyOf` with one distinct member, `allOf` with one member | that member, keeping the outer docs |
//! | `allOf` member that is just `{type: object}` | dropped |
//! | a union member that is itself nullable | a non-null member, `nullable` on the union |
//! | `example` (3.0) | `examples: [..]` |
//! | `exclusiveMinimum: true` + `minimum` (3.0) | `exclusiveMinimum: <number>` |
//! | `$ref` with type-changing siblings (3.1) | `allOf: [{$ref}, {siblings}]` |
//!
//! It also checks what would otherwise fail later with a worse message: every `$ref` resolves and
//! every `operationId` is unique.

use crate::error::{Error, Result};
use crate::load::refs::{self, Component};
use crate::load::{Document, InstanceType, Parameter, RefOr, Schema};
use std::collections::HashMap;

/// Normalises every schema of the document in place, then checks references and operation ids.
pub fn normalize(doc: &mut Document) -> Result<()> {
    for_each_schema(doc, &mut normalize_schema);
    check_references(doc)?;
    check_operation_ids(doc)?;
    Ok(())
}

/// Calls `f` on every top-level schema of the document (components, parameters, bodies,
/// responses, headers); `f` handles the nested ones.
fn for_each_schema(doc: &mut Document, f: &mut impl FnMut(&mut Schema)) {
    let c = &mut doc.components;
    c.schemas.values_mut().for_each(&mut *f);
    c.parameters.values_mut().filter_map(|p| p.schema.as_mut()).for_each(&mut *f);
    for body in c.request_bodies.values_mut() {
        body.content.values_mut().filter_map(|m| m.schema.as_mut()).for_each(&mut *f);
    }
    for resp in c.responses.values_mut() {
        resp.content.values_mut().filter_map(|m| m.schema.as_mut()).for_each(&mut *f);
        resp.headers.values_mut().filter_map(header_schema).for_each(&mut *f);
    }
    c.headers.values_mut().filter_map(|h| h.schema.as_mut()).for_each(&mut *f);
    for item in doc.paths.values_mut() {
        let params = item.parameters.iter_mut();
        let ops = item.operations.iter_mut().map(|(_, op)| op);
        let mut op_params: Vec<&mut RefOr<Parameter>> = params.collect();
        let mut bodies = Vec::new();
        let mut responses = Vec::new();
        for op in ops {
            op_params.extend(op.parameters.iter_mut());
            bodies.extend(op.request_body.as_mut().and_then(RefOr::item_mut));
            responses.extend(op.responses.values_mut().filter_map(RefOr::item_mut));
        }
        for p in op_params.into_iter().filter_map(RefOr::item_mut) {
            p.schema.iter_mut().for_each(&mut *f);
        }
        for b in bodies {
            b.content.values_mut().filter_map(|m| m.schema.as_mut()).for_each(&mut *f);
        }
        for r in responses {
            r.content.values_mut().filter_map(|m| m.schema.as_mut()).for_each(&mut *f);
            r.headers.values_mut().filter_map(header_schema).for_each(&mut *f);
        }
    }
}

fn header_schema(h: &mut RefOr<crate::load::Header>) -> Option<&mut Schema> {
    h.item_mut()?.schema.as_mut()
}

/// Normalises one schema and everything inside it (children first).
pub fn normalize_schema(s: &mut Schema) {
    for c in s.children_mut() {
        normalize_schema(c);
    }
    fold_legacy(s);
    fold_null_type(s);
    fold_null_members(s);
    collapse_single_member(s);
    split_ref_siblings(s);
}

fn fold_legacy(s: &mut Schema) {
    if std::mem::take(&mut s.legacy_nullable) {
        s.nullable = true;
    }
    if let Some(e) = s.legacy_example.take() {
        s.examples.insert(0, e);
        // The exact text of the examples moves with them.
        let moved: Vec<(String, String)> = std::mem::take(&mut s.number_text).into_iter().collect();
        for (key, text) in moved {
            let key = match key.strip_prefix("examples/").and_then(|i| i.parse::<usize>().ok()) {
                Some(i) => format!("examples/{}", i + 1),
                None if key == "example" => "examples/0".to_owned(),
                None => key,
            };
            s.number_text.insert(key, text);
        }
    }
    if std::mem::take(&mut s.legacy_exclusive_minimum) {
        s.exclusive_minimum = s.minimum.take();
        if let Some(text) = s.number_text.remove("minimum") {
            s.number_text.insert("exclusiveMinimum".into(), text);
        }
    }
    if std::mem::take(&mut s.legacy_exclusive_maximum) {
        s.exclusive_maximum = s.maximum.take();
        if let Some(text) = s.number_text.remove("maximum") {
            s.number_text.insert("exclusiveMaximum".into(), text);
        }
    }
}

fn fold_null_type(s: &mut Schema) {
    if s.types.len() > 1 && s.types.contains(&InstanceType::Null) {
        s.types.retain(|t| *t != InstanceType::Null);
        s.nullable = true;
    }
    let mut seen = Vec::new();
    s.types.retain(|t| {
        let new = !seen.contains(t);
        seen.push(*t);
        new
    });
    if let Some(values) = s.enumeration.as_mut() {
        if values.len() > 1 && values.iter().any(|v| v.is_null()) {
            values.retain(|v| !v.is_null());
            s.nullable = true;
        }
    }
}

/// A schema that allows only `null`.
fn is_null_only(s: &Schema) -> bool {
    s.types == [InstanceType::Null]
        && s.reference.is_none()
        && s.properties.is_empty()
        && s.prefix_items.is_empty()
        && s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.all_of.is_empty()
}

fn fold_null_members(s: &mut Schema) {
    for members in [&mut s.one_of, &mut s.any_of] {
        if members.is_empty() {
            continue;
        }
        let before = members.len();
        members.retain(|m| !is_null_only(m));
        let mut nullable = members.len() != before;
        for m in members.iter_mut() {
            if m.nullable && m.reference.is_none() {
                m.nullable = false;
                nullable = true;
            }
        }
        // Drop members identical to an earlier one.
        let mut shapes: Vec<Schema> = Vec::new();
        members.retain(|m| {
            let shape = m.shape();
            let new = !shapes.contains(&shape);
            shapes.push(shape);
            new
        });
        if nullable {
            s.nullable = true;
        }
    }
    // `allOf: [X, {type: object}]` or `allOf: [X, {description: ..}]`: such a member adds nothing
    // to the shape (its annotations are kept on the outer schema when it is the only one).
    if s.all_of.len() > 1 {
        let mut docs = None;
        s.all_of.retain(|m| {
            let adds_nothing = (m.types.is_empty() || m.types == [InstanceType::Object]) && is_bare(m) && !m.nullable;
            if adds_nothing && docs.is_none() {
                docs = m.description.clone();
            }
            !adds_nothing
        });
        if s.description.is_none() {
            s.description = docs;
        }
        if s.all_of.is_empty() && s.types.is_empty() {
            s.types = vec![InstanceType::Object];
        }
    }
}

/// No keyword that changes the shape besides `type` (a schema that only annotates or constrains).
pub(crate) fn is_bare(s: &Schema) -> bool {
    s.reference.is_none()
        && s.properties.is_empty()
        && s.additional_properties.is_none()
        && s.items.is_none()
        && s.prefix_items.is_empty()
        && s.one_of.is_empty()
        && s.any_of.is_empty()
        && s.all_of.is_empty()
        && s.enumeration.is_none()
        && s.constant.is_none()
        && s.discriminator.is_none()
}

/// Whether the schema has keywords that shape the value besides its composition keywords.
fn has_own_shape(s: &Schema) -> bool {
    s.reference.is_some()
        || !s.types.is_empty()
        || !s.properties.is_empty()
        || s.additional_properties.is_some()
        || s.items.is_some()
        || !s.prefix_items.is_empty()
        || s.enumeration.is_some()
        || s.constant.is_some()
}

fn collapse_single_member(s: &mut Schema) {
    let single = |v: &Vec<Schema>| v.len() == 1;
    let composed = [single(&s.one_of), single(&s.any_of), single(&s.all_of)];
    let count = [!s.one_of.is_empty(), !s.any_of.is_empty(), !s.all_of.is_empty()].iter().filter(|b| **b).count();
    if count != 1 || !composed.iter().any(|b| *b) || has_own_shape(s) || s.discriminator.is_some() {
        return;
    }
    let member = s.one_of.pop().or_else(|| s.any_of.pop()).or_else(|| s.all_of.pop()).expect("one member");
    let outer = std::mem::replace(s, member);
    // The outer schema's annotations win: they describe this use of the member.
    s.nullable |= outer.nullable;
    if outer.description.is_some() {
        s.description = outer.description;
    }
    if outer.title.is_some() {
        s.title = outer.title;
    }
    let value_text = |key: &String| key == "default" || key.starts_with("examples/");
    if outer.default.is_some() {
        s.default = outer.default;
        s.number_text.remove("default");
    }
    if !outer.examples.is_empty() {
        s.examples = outer.examples;
        s.number_text.retain(|k, _| !k.starts_with("examples/"));
    }
    s.number_text.extend(outer.number_text.into_iter().filter(|(k, _)| value_text(k)));
    s.deprecated |= outer.deprecated;
    s.read_only |= outer.read_only;
    s.write_only |= outer.write_only;
    s.pointer = outer.pointer;
}

fn split_ref_siblings(s: &mut Schema) {
    if s.reference.is_none() {
        return;
    }
    let shaped = !s.types.is_empty()
        || !s.properties.is_empty()
        || s.additional_properties.is_some()
        || s.items.is_some()
        || !s.prefix_items.is_empty()
        || !s.one_of.is_empty()
        || !s.any_of.is_empty()
        || !s.all_of.is_empty();
    if !shaped {
        return;
    }
    let reference = Schema { pointer: s.pointer.clone(), reference: s.reference.take(), ..Schema::default() };
    let mut rest = std::mem::take(s);
    let outer = Schema {
        pointer: rest.pointer.clone(),
        description: rest.description.take(),
        title: rest.title.take(),
        nullable: std::mem::take(&mut rest.nullable),
        ..Schema::default()
    };
    *s = outer;
    s.all_of = vec![reference, rest];
}

/// Checks that a `$ref` at `pointer` names a component of `T`'s section.
fn check_ref<T: Component>(doc: &Document, reference: &str, pointer: &str) -> Result<()> {
    refs::component::<T>(doc, reference, pointer).map(|_| ())
}

fn check_schema_refs(doc: &Document, s: &Schema) -> Result<()> {
    if let Some(r) = &s.reference {
        check_ref::<Schema>(doc, r, &format!("{}/$ref", s.pointer))?;
    }
    if let Some(d) = &s.discriminator {
        for target in d.mapping.values() {
            check_ref::<Schema>(doc, &refs::mapping_ref(target), &format!("{}/discriminator/mapping", s.pointer))?;
        }
    }
    for c in s.children() {
        check_schema_refs(doc, c)?;
    }
    Ok(())
}

fn check_references(doc: &Document) -> Result<()> {
    let c = &doc.components;
    for s in c.schemas.values() {
        check_schema_refs(doc, s)?;
    }
    let media_schemas = |content: &indexmap::IndexMap<String, crate::load::MediaType>| -> Result<()> {
        for m in content.values() {
            if let Some(s) = &m.schema {
                check_schema_refs(doc, s)?;
            }
        }
        Ok(())
    };
    for p in c.parameters.values() {
        if let Some(s) = &p.schema {
            check_schema_refs(doc, s)?;
        }
    }
    for b in c.request_bodies.values() {
        media_schemas(&b.content)?;
    }
    let response = |r: &crate::load::Response| -> Result<()> {
        media_schemas(&r.content)?;
        for h in r.headers.values() {
            match h {
                RefOr::Ref { .. } => {
                    h.resolve(doc)?;
                }
                RefOr::Item(h) => {
                    if let Some(s) = &h.schema {
                        check_schema_refs(doc, s)?;
                    }
                }
            }
        }
        Ok(())
    };
    for r in c.responses.values() {
        response(r)?;
    }
    for h in c.headers.values() {
        if let Some(s) = &h.schema {
            check_schema_refs(doc, s)?;
        }
    }
    for item in doc.paths.values() {
        let mut params: Vec<&RefOr<Parameter>> = item.parameters.iter().collect();
        for (_, op) in &item.operations {
            params.extend(op.parameters.iter());
            match &op.request_body {
                Some(b @ RefOr::Ref { .. }) => {
                    b.resolve(doc)?;
                }
                Some(RefOr::Item(b)) => media_schemas(&b.content)?,
                None => {}
            }
            for r in op.responses.values() {
                match r {
                    RefOr::Ref { .. } => {
                        r.resolve(doc)?;
                    }
                    RefOr::Item(r) => response(r)?,
                }
            }
        }
        for p in params {
            match p {
                RefOr::Ref { .. } => {
                    p.resolve(doc)?;
                }
                RefOr::Item(p) => {
                    if let Some(s) = &p.schema {
                        check_schema_refs(doc, s)?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn check_operation_ids(doc: &Document) -> Result<()> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for item in doc.paths.values() {
        for (_, op) in &item.operations {
            if let Some(id) = op.operation_id.as_deref() {
                if let Some(first) = seen.insert(id, &op.pointer) {
                    return Err(Error::DuplicateOperationId {
                        pointer: format!("{}/operationId", op.pointer),
                        operation_id: id.to_owned(),
                        first: first.to_owned(),
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_str, Format};

    fn schema(yaml: &str) -> Schema {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n    S:\n{}",
            indent(yaml)
        );
        let mut doc = load_str(&text, Format::Yaml).unwrap();
        normalize(&mut doc).unwrap();
        doc.components.schemas["S"].shape()
    }

    fn indent(s: &str) -> String {
        s.lines().map(|l| format!("      {l}\n")).collect()
    }

    #[test]
    fn nullable_spellings_agree() {
        let a = schema("type: string\nnullable: true");
        let b = schema("type: [string, 'null']");
        let c = schema("anyOf: [{type: string}, {type: 'null'}]");
        let d = schema("oneOf: [{type: string}, {type: 'null'}]");
        assert!(a.nullable && a.types == [InstanceType::String]);
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(c, d);
    }

    #[test]
    fn single_allof_collapses_keeping_description() {
        let s = schema("description: outer\nallOf: [{$ref: '#/components/schemas/S'}]");
        assert_eq!(s.reference.as_deref(), Some("#/components/schemas/S"));
        assert_eq!(s.description.as_deref(), Some("outer"));
        assert!(s.all_of.is_empty());
    }

    #[test]
    fn bare_object_member_of_allof_is_dropped() {
        let s = schema("allOf: [{$ref: '#/components/schemas/S'}, {type: object}]");
        assert_eq!(s.reference.as_deref(), Some("#/components/schemas/S"));
    }

    #[test]
    fn duplicate_union_members_are_merged() {
        let s = schema(
            "anyOf: [{type: string}, {type: string}, {type: [string, 'null']}, {type: boolean}, {type: 'null'}]",
        );
        assert!(s.nullable);
        assert_eq!(s.any_of.len(), 2);
    }

    #[test]
    fn legacy_exclusive_minimum_becomes_numeric() {
        let s = schema("type: integer\nminimum: 0\nexclusiveMinimum: true\nexample: 3");
        assert_eq!((s.minimum, s.exclusive_minimum), (None, Some(0.0)));
        assert_eq!(s.examples, vec![serde_json::json!(3)]);
    }

    #[test]
    fn ref_with_type_changing_siblings_becomes_allof() {
        let s = schema("$ref: '#/components/schemas/S'\ndescription: d\nproperties: {a: {type: string}}");
        assert_eq!(s.reference, None);
        assert_eq!(s.description.as_deref(), Some("d"));
        assert_eq!(s.all_of.len(), 2);
    }
}
