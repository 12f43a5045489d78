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
//! | `$ref` with type-changing siblings (3.0, where they are ignored) | the `$ref` (a warning) |
//! | `allOf` of one shape and members that only annotate, or of scalars | that shape, nullable if a member says so |
//!
//! It also mends what would otherwise fail later, each with a warning: a schema `$ref` that does
//! not resolve is any JSON value, a repeated `operationId` is left for the model to derive.

use crate::error::{Result, Warning};
use crate::load::refs;
use crate::load::{Document, InstanceType, Parameter, RefOr, Schema};
use indexmap::IndexMap;
use std::collections::HashMap;

/// Normalises every schema of the document in place, then mends what would not resolve: a
/// schema `$ref` that points at nothing is any JSON value, a repeated `operationId` is left for
/// the model to derive from the method and path; each with a warning in `doc.warnings`.
/// References to parameters, bodies and responses are resolved by the model, which leaves out
/// an operation whose reference dangles.
pub fn normalize(doc: &mut Document) -> Result<()> {
    let mut warnings = Vec::new();
    if doc.openapi.starts_with("3.0") {
        for_each_schema(doc, &mut |s| ignore_ref_siblings(s, &mut warnings));
    }
    for_each_schema(doc, &mut normalize_schema);
    let components = doc.components.schemas.clone();
    for_each_schema(doc, &mut |s| fold_all_of(s, &components, &mut warnings));
    for_each_schema(doc, &mut |s| mend_references(s, &components, &mut warnings));
    for_each_schema(doc, &mut |s| check_examples(s, &mut warnings));
    mend_operation_ids(doc, &mut warnings);
    doc.warnings.extend(warnings);
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
    // Webhooks are path items too: their bodies are schemas like any request's.
    for item in doc.paths.values_mut().chain(doc.webhooks.values_mut()) {
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
    split_ref_siblings(s);
    fold_null_members(s);
    collapse_single_member(s);
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
        && !has_members(s)
        && s.enumeration.is_none()
        && s.constant.is_none()
        && s.discriminator.is_none()
}

/// Properties, items or composition: what only objects, arrays and unions have.
fn has_members(s: &Schema) -> bool {
    !s.properties.is_empty()
        || s.additional_properties.is_some()
        || s.items.is_some()
        || !s.prefix_items.is_empty()
        || !s.one_of.is_empty()
        || !s.any_of.is_empty()
        || !s.all_of.is_empty()
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

/// OpenAPI 3.0: the keywords beside a `$ref` are ignored (only 3.1 applies them). Those that
/// would change the type are dropped, with a warning; annotations (`description`, `nullable`,
/// `example`...) describe this use of the referenced schema and are kept.
fn ignore_ref_siblings(s: &mut Schema, warnings: &mut Vec<Warning>) {
    for c in s.children_mut() {
        ignore_ref_siblings(c, warnings);
    }
    if s.reference.is_none() {
        return;
    }
    let mut dropped = Vec::new();
    let mut drop = |keyword: &str, present: bool| present.then(|| dropped.push(format!("`{keyword}`")));
    drop("type", !s.types.is_empty());
    drop("properties", !s.properties.is_empty());
    drop("additionalProperties", s.additional_properties.is_some());
    drop("items", s.items.is_some());
    drop("oneOf", !s.one_of.is_empty());
    drop("anyOf", !s.any_of.is_empty());
    drop("allOf", !s.all_of.is_empty());
    drop("enum", s.enumeration.is_some());
    if dropped.is_empty() {
        return;
    }
    warnings.push(Warning {
        pointer: s.pointer.clone(),
        message: format!("{} beside `$ref` ignored (OpenAPI 3.0 ignores the siblings of a `$ref`)", dropped.join(", ")),
    });
    s.types.clear();
    s.properties.clear();
    s.additional_properties = None;
    s.items = None;
    s.one_of.clear();
    s.any_of.clear();
    s.all_of.clear();
    s.enumeration = None;
}

/// The schema a `$ref` chain ends at, among the component schemas; `None` when it dangles or
/// loops.
fn ref_target<'c>(mut s: &'c Schema, components: &'c IndexMap<String, Schema>) -> Option<&'c Schema> {
    for _ in 0..64 {
        let Some(r) = &s.reference else { return Some(s) };
        s = components.get(refs::component_name(r, "schemas")?.as_ref())?;
    }
    None
}

/// A value that is not an object or an array.
fn is_scalar(s: &Schema) -> bool {
    let scalar_type = |t: &InstanceType| !matches!(t, InstanceType::Object | InstanceType::Array);
    let scalar_value = |v: &serde_json::Value| !(v.is_object() || v.is_array());
    !has_members(s)
        && (s.types.iter().all(scalar_type) && !s.types.is_empty()
            || s.types.is_empty() && (s.enumeration.iter().flatten().all(scalar_value) && s.enumeration.is_some()))
}

/// `allOf` whose members say one thing between them: the member that shapes the value, with
/// the others' annotations. Two published habits:
///
/// - one member and others that only annotate (`allOf: [{$ref: Pet}, {nullable: true}]`, or
///   `{description: ..}`): that member, nullable when an annotation says so;
/// - scalars (`allOf: [{$ref: Status}, {type: string, nullable: true}]`, a `$ref` to a string
///   beside an inline `enum`, `type` and `enum` beside an `allOf` of a `$ref`): their
///   intersection, which is the member with the `enum` (or the first `$ref`, which keeps its
///   named type); types that do not agree are left for the model (which reports them).
///
/// Where an annotation makes nullable what another member does not allow `null` for, the
/// reading is nullable, with a warning.
fn fold_all_of(s: &mut Schema, components: &IndexMap<String, Schema>, warnings: &mut Vec<Warning>) {
    for c in s.children_mut() {
        fold_all_of(c, components, warnings);
    }
    let composed = !s.one_of.is_empty() || !s.any_of.is_empty() || s.discriminator.is_some();
    let object = !s.properties.is_empty() || s.additional_properties.is_some() || !s.required.is_empty();
    if s.all_of.is_empty() || s.reference.is_some() || composed || object || s.items.is_some() {
        return;
    }
    let annotates = |m: &Schema| is_bare(m) && m.types.is_empty() && m.required.is_empty();
    let outer_shaped = !s.types.is_empty() || s.enumeration.is_some() || s.constant.is_some();
    let others: Vec<usize> = (0..s.all_of.len()).filter(|&i| !annotates(&s.all_of[i])).collect();
    let main = if let ([only], false) = (others.as_slice(), outer_shaped) {
        Main::Member(*only)
    } else {
        match scalar_main(s, components) {
            Some(main) => main,
            None => return,
        }
    };
    let members = std::mem::take(&mut s.all_of);
    let allows_null = |m: &Schema| m.nullable || ref_target(m, components).is_some_and(|t| t.nullable);
    let shaping: Vec<&Schema> = members.iter().filter(|m| !annotates(m)).collect();
    let any_nullable = s.nullable || members.iter().any(|m| m.nullable);
    let every_shape_nullable = shaping.iter().all(|m| allows_null(m)) && (!outer_shaped || s.nullable);
    let description = members.iter().rev().find_map(|m| m.description.clone());
    let outer = std::mem::take(s);
    let mut members = members;
    *s = match main {
        Main::Member(i) => members.swap_remove(i),
        Main::Outer => Schema { all_of: Vec::new(), ..outer.clone() },
    };
    if any_nullable && !every_shape_nullable {
        warnings.push(Warning {
            pointer: outer.pointer.clone(),
            message: "`nullable` on an `allOf` member that does not make the others nullable: read as nullable".into(),
        });
    }
    s.nullable |= any_nullable;
    s.description = outer.description.or(description).or(s.description.take());
    s.title = outer.title.or(s.title.take());
    if !outer.examples.is_empty() {
        s.examples = outer.examples;
    }
    if outer.default.is_some() {
        s.default = outer.default;
    }
    s.deprecated |= outer.deprecated;
    s.read_only |= outer.read_only;
    s.write_only |= outer.write_only;
    s.pointer = outer.pointer;
}

/// Which schema an `allOf` folds into (see [`fold_all_of`]).
enum Main {
    /// The member at this index.
    Member(usize),
    /// The schema itself (its own `enum`), without its `allOf`.
    Outer,
}

/// For an `allOf` of scalars whose types agree (the schema's own `type`/`enum` among them),
/// the one that carries the `enum` (at most one set of values), else the first `$ref`, else the
/// first member. `None` when it is not such an `allOf`.
fn scalar_main(s: &Schema, components: &IndexMap<String, Schema>) -> Option<Main> {
    let mut types: Option<Vec<InstanceType>> = None;
    let mut values: Option<&Vec<serde_json::Value>> = None;
    let mut with_values = None;
    let mut first_ref = None;
    let own = (!s.types.is_empty() || s.enumeration.is_some()).then_some((None, s));
    let members = s.all_of.iter().enumerate().map(|(i, m)| (Some(i), m));
    for (index, m) in own.into_iter().chain(members) {
        let target = if index.is_some() { ref_target(m, components)? } else { m };
        let bare = is_bare(m) && m.types.is_empty();
        let scalar = match index {
            Some(_) => is_scalar(target),
            // The schema's own `type`/`enum`, beside its `allOf`.
            None => {
                s.types.iter().all(|t| !matches!(t, InstanceType::Object | InstanceType::Array))
                    && s.enumeration.iter().flatten().all(|v| !(v.is_object() || v.is_array()))
            }
        };
        if !bare && !scalar {
            return None;
        }
        if m.reference.is_some() && first_ref.is_none() {
            first_ref = index;
        }
        if let Some(v) = target.enumeration.as_ref() {
            match values {
                Some(known) if known != v => return None,
                Some(_) => {}
                None => {
                    values = Some(v);
                    with_values = Some(index);
                }
            }
        }
        let own_types = if target.types.is_empty() {
            target.enumeration.iter().flatten().next().map(|v| vec![json_type(v)]).unwrap_or_default()
        } else {
            target.types.clone()
        };
        if own_types.is_empty() {
            continue;
        }
        let agree = |t: &InstanceType, u: &InstanceType| {
            t == u
                || matches!(
                    (t, u),
                    (InstanceType::Integer, InstanceType::Number) | (InstanceType::Number, InstanceType::Integer)
                )
        };
        types = Some(match types {
            None => own_types,
            Some(known) => {
                let common: Vec<InstanceType> =
                    known.into_iter().filter(|t| own_types.iter().any(|u| agree(t, u))).collect();
                if common.is_empty() {
                    return None;
                }
                common
            }
        });
    }
    // A `$ref` with the same values keeps its named type.
    Some(match (with_values, first_ref) {
        (Some(_), Some(r))
            if values.is_some_and(|v| {
                ref_target(&s.all_of[r], components).and_then(|t| t.enumeration.as_ref()) == Some(v)
            }) =>
        {
            Main::Member(r)
        }
        (Some(Some(i)), _) => Main::Member(i),
        (Some(None), _) => Main::Outer,
        (None, Some(r)) => Main::Member(r),
        (None, None) => Main::Member(0),
    })
}

fn json_type(v: &serde_json::Value) -> InstanceType {
    match v {
        serde_json::Value::Null => InstanceType::Null,
        serde_json::Value::Bool(_) => InstanceType::Boolean,
        serde_json::Value::Number(n) if n.is_f64() => InstanceType::Number,
        serde_json::Value::Number(_) => InstanceType::Integer,
        serde_json::Value::String(_) => InstanceType::String,
        serde_json::Value::Array(_) => InstanceType::Array,
        serde_json::Value::Object(_) => InstanceType::Object,
    }
}

/// A schema `$ref` that does not resolve (it dangles, or points outside the document) is any
/// JSON value, and a discriminator mapping entry that names no schema is dropped; each with a
/// warning.
fn mend_references(s: &mut Schema, components: &IndexMap<String, Schema>, warnings: &mut Vec<Warning>) {
    for c in s.children_mut() {
        mend_references(c, components, warnings);
    }
    let resolves =
        |r: &str| refs::component_name(r, "schemas").is_some_and(|name| components.contains_key(name.as_ref()));
    if let Some(r) = s.reference.as_deref().filter(|r| !resolves(r)) {
        let why = match refs::component_name(r, "schemas") {
            Some(name) => format!("there is no `{name}` in #/components/schemas"),
            None => "it names no schema of this document".to_owned(),
        };
        warnings.push(Warning {
            pointer: format!("{}/$ref", s.pointer),
            message: format!("$ref `{r}` does not resolve ({why}): typed as any JSON value"),
        });
        s.reference = None;
    }
    if let Some(d) = &mut s.discriminator {
        d.mapping.retain(|tag, target| {
            let ok = resolves(&refs::mapping_ref(target));
            if !ok {
                warnings.push(Warning {
                    pointer: format!("{}/discriminator/mapping", s.pointer),
                    message: format!("mapping `{tag}` names `{target}`, which does not resolve; ignored"),
                });
            }
            ok
        });
    }
}

/// An example that is not of its schema's (scalar) type (`example: "many"` on an integer) is
/// shown in the docs as written, with a warning: it is where a real server may deviate too.
fn check_examples(s: &mut Schema, warnings: &mut Vec<Warning>) {
    for c in s.children_mut() {
        check_examples(c, warnings);
    }
    let [t] = s.types.as_slice() else { return };
    for (i, example) in s.examples.iter().enumerate() {
        // A number beyond `f64` is kept as its text (its JSON value is `null`).
        if s.number_text.contains_key(&format!("examples/{i}")) {
            continue;
        }
        let fits = match (t, example) {
            (_, serde_json::Value::Null) => s.nullable,
            (InstanceType::String, v) => v.is_string(),
            (InstanceType::Boolean, v) => v.is_boolean(),
            (InstanceType::Integer, v) => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
            (InstanceType::Number, v) => v.is_number(),
            _ => true,
        };
        if !fits {
            warnings.push(Warning {
                pointer: format!("{}/examples/{i}", s.pointer),
                message: format!("example {example} is not of the schema's type `{}`: shown as written", t.name()),
            });
        }
    }
}

/// An `operationId` used before: the later operation's id is derived from its method and path,
/// with a warning.
fn mend_operation_ids(doc: &mut Document, warnings: &mut Vec<Warning>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for item in doc.paths.values_mut() {
        for (_, op) in &mut item.operations {
            let Some(id) = op.operation_id.clone() else { continue };
            if let Some(first) = seen.get(&id) {
                warnings.push(Warning {
                    pointer: format!("{}/operationId", op.pointer),
                    message: format!("duplicate operationId `{id}` (first used at {first}): this one is named from its method and path"),
                });
                op.operation_id = None;
            } else {
                seen.insert(id, op.pointer.clone());
            }
        }
    }
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
