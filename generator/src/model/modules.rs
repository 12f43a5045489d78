//! Grouping: one resource (and one module) per tag, and every type in the module of the
//! resource closest to it.
//!
//! A type lives in the module of the first resource that reaches it in a breadth-first walk that
//! starts from every operation's parameters, body and response (resources in declared tag order).
//! So a type used only by conversations lives in `conversations`, a type two resources use lives
//! with the one that uses it most directly, and a change to a resource's types changes one file.
//! Types no operation reaches go to `shared`.
//!
//! Operations without tags are grouped by the first segment of their path that names a resource
//! (`/v1/customers/{customer}/cards` in `customers`, see [`super::path_group`]), and only those
//! whose path has none (`/`, `/{id}`) are in `other`.

use super::*;
use crate::load::Document;
use crate::naming::Names;
use heck::ToSnakeCase;
use std::collections::{HashMap, HashSet, VecDeque};

/// The module for types no operation reaches.
pub const SHARED: &str = "shared";
/// The module for operations without a tag.
pub const UNTAGGED: &str = "other";

/// The module of a resource named `tag` (before it is made unique).
pub(super) fn module_name(tag: &str) -> String {
    let name = crate::naming::field_name(&tag.to_snake_case());
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name,
    }
}

/// Names a resource module cannot take: its accessor would clash with a method the runtime's
/// `Client` already has, or the module with what `resources` imports.
const RESERVED: &[&str] = &[
    "mod",
    "types",
    "new",
    "builder",
    "base_url",
    "api_version",
    "execute",
    "execute_bytes",
    "execute_text",
    "execute_empty",
    "with_options",
    "decoding",
    "strict",
    "send",
    "url_for",
    "headers_for",
    "paginate_cursor",
    "paginate_pages",
    "paginate_cursor_with",
    "paginate_pages_with",
];

/// Names a group type cannot take: the other items of `resources` (`ErrorCode`) and what it
/// imports. `Multipart`, which `resources` held before the runtime did, stays reserved so that
/// no crate's group type changes its name.
const GROUP_RESERVED: &[&str] = &["ErrorCode", "Multipart"];

/// The resources: declared tags that have operations, then undeclared ones, then untagged.
pub(super) fn resources(doc: &Document, ops: &[Operation]) -> Vec<Resource> {
    let mut names = Names::default();
    names.reserve(SHARED);
    RESERVED.iter().for_each(|r| names.reserve(r));
    // Group types live in their resource's module and are re-exported from `resources`.
    let mut groups = Names::default();
    GROUP_RESERVED.iter().chain(super::operations::IMPORTED).for_each(|r| groups.reserve(r));
    let mut group = |module: &str| groups.unique(&crate::naming::type_name(module));
    let mut out: Vec<Resource> = Vec::new();
    let used: HashSet<&str> = ops.iter().filter_map(|o| o.tag.as_deref()).collect();
    let mut added: HashSet<String> = HashSet::new();
    let declared = doc.tags.iter().map(|t| (t.name.clone(), t.description.clone()));
    let undeclared = ops.iter().filter_map(|o| o.tag.clone()).map(|t| (t, None));
    for (tag, description) in declared.chain(undeclared) {
        if used.contains(tag.as_str()) && added.insert(tag.clone()) {
            let module = names.unique(&module_name(&tag));
            let group = group(&module);
            out.push(Resource { tag, module, group, description });
        }
    }
    if ops.iter().any(|o| o.tag.is_none()) {
        let module = names.unique(UNTAGGED);
        let group = group(&module);
        out.push(Resource { tag: String::new(), module, group, description: None });
    }
    out
}

/// Sets each operation's [`Operation::resource`] (the untagged resource's tag is empty).
pub(super) fn link(ops: &mut [Operation], resources: &[Resource]) {
    let index: HashMap<&str, usize> = resources.iter().enumerate().map(|(i, r)| (r.tag.as_str(), i)).collect();
    for op in ops {
        op.resource = index[op.tag.as_deref().unwrap_or("")];
    }
}

/// The module of an operation's resource.
pub fn module_of<'r>(op: &Operation, resources: &'r [Resource]) -> &'r str {
    resources.get(op.resource).map_or(UNTAGGED, |r| r.module.as_str())
}

/// The types a type's definition names (its fields, members, items, alias target).
pub(crate) fn refs(def: &TypeDef) -> Vec<TypeId> {
    let mut out = Vec::new();
    let mut push = |t: &TypeRef| {
        let mut named = Vec::new();
        t.named(&mut named, false);
        out.extend(named.into_iter().map(|(id, _)| id));
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| push(&f.ty));
            if let Extra::Typed(_, t) = &s.extra {
                push(t);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| push(&v.ty)),
        TypeKind::Alias(t) => push(t),
        TypeKind::Tuple(t) => {
            t.items.iter().for_each(|item| push(&item.ty));
            t.rest.iter().for_each(&mut push);
        }
        TypeKind::Enum(_) => {}
    }
    out
}

/// Sets `module` on every type.
pub(super) fn assign(space: &mut TypeSpace, ops: &[Operation], resources: &[Resource]) {
    let mut queue = VecDeque::new();
    let mut module: Vec<Option<String>> = vec![None; space.types.len()];
    let mut ordered: Vec<&Operation> = ops.iter().collect();
    ordered.sort_by_key(|op| op.resource);
    for op in ordered {
        let m = module_of(op, resources);
        let mut roots = Vec::new();
        op.params.iter().for_each(|p| p.ty.named(&mut roots, false));
        if let Some(b) = &op.body {
            b.ty.named(&mut roots, false);
        }
        op.response.ty.named(&mut roots, false);
        for (id, _) in roots {
            if module[id.0].is_none() {
                module[id.0] = Some(m.to_owned());
                queue.push_back(id);
            }
        }
    }
    while let Some(id) = queue.pop_front() {
        let m = module[id.0].clone();
        for child in refs(&space.types[id.0]) {
            if module[child.0].is_none() {
                module[child.0] = m.clone();
                queue.push_back(child);
            }
        }
    }
    for (def, m) in space.types.iter_mut().zip(module) {
        def.module = m.unwrap_or_else(|| SHARED.to_owned());
    }
}
