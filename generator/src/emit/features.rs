//! One Cargo feature per resource: which modules each feature compiles, and the manifest lines
//! that declare the features.
//!
//! A resource's feature (its module's name: `conversations`) compiles its operations and the
//! types they reach. Types are grouped in modules (see `model::modules`), so a types module is
//! compiled when any resource that reaches one of its types is on, and then so is every types
//! module its types use. Features only add: any combination compiles, and none renames or
//! retypes anything. Types no operation reaches (`shared`) are always compiled.

use crate::model::modules::refs;
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The feature that turns every resource on (itself on by default).
pub const ALL: &str = "all-resources";

/// The features that compile each types module (by module name); a module missing from the map
/// is always compiled.
pub(super) fn type_modules(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let space = &api.types;
    // The resources that reach each type.
    let mut reached: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); space.types.len()];
    for op in &api.operations {
        let mut roots = Vec::new();
        op.params.iter().for_each(|p| p.ty.named(&mut roots, false));
        if let Some(b) = &op.body {
            b.ty.named(&mut roots, false);
        }
        op.response.ty.named(&mut roots, false);
        let mut queue: VecDeque<TypeId> = roots.into_iter().map(|(id, _)| id).collect();
        while let Some(id) = queue.pop_front() {
            if reached[id.0].insert(op.resource) {
                queue.extend(refs(space.get(id)));
            }
        }
    }
    // The webhook events reach their bodies' types as one more feature (see `model::webhooks`).
    let webhooks = api.resources.len();
    if let Some(w) = &api.webhooks {
        let mut queue: VecDeque<TypeId> = crate::model::webhooks::roots(w).into();
        while let Some(id) = queue.pop_front() {
            if reached[id.0].insert(webhooks) {
                queue.extend(refs(space.get(id)));
            }
        }
    }
    let feature = |r: &usize| match api.resources.get(*r) {
        Some(resource) => resource.module.clone(),
        None => crate::model::webhooks::FEATURE.to_owned(),
    };
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Modules with a type no operation reaches are always compiled, as is what they use.
    let mut always: BTreeSet<&str> = BTreeSet::new();
    for (def, resources) in space.types.iter().zip(&reached) {
        modules.entry(def.module.clone()).or_default().extend(resources.iter().map(feature));
        if resources.is_empty() {
            always.insert(&def.module);
        }
    }
    // A module is compiled with every module its types use: push its features along the uses
    // until nothing changes.
    let uses: BTreeMap<&str, BTreeSet<&str>> = space.types.iter().fold(BTreeMap::new(), |mut uses, def| {
        let used = refs(def).into_iter().map(|id| space.get(id).module.as_str()).filter(|m| *m != def.module);
        uses.entry(def.module.as_str()).or_default().extend(used);
        uses
    });
    loop {
        let mut changed = false;
        for (module, used) in &uses {
            let features = modules.get(*module).cloned().unwrap_or_default();
            for u in used {
                let target = modules.entry((*u).to_owned()).or_default();
                let before = target.len();
                target.extend(features.iter().cloned());
                changed |= target.len() != before;
            }
        }
        let used: Vec<&str> = always.iter().flat_map(|m| uses.get(m).into_iter().flatten().copied()).collect();
        for u in used {
            changed |= always.insert(u);
        }
        if !changed {
            break;
        }
    }
    for module in always {
        modules.remove(module);
    }
    modules
}

/// `#[cfg(feature = "a")]`, `#[cfg(any(feature = "a", feature = "b"))]`, or nothing for no features.
pub(super) fn cfg<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The `[features]` lines of the resources, for the crate's manifest: `all-resources` and one
/// feature per resource, in the order of the resources.
pub fn manifest_lines(api: &Api) -> String {
    // One a line, so that a new resource is an added line.
    let mut out = format!("{ALL} = [\n");
    for r in &api.resources {
        out.push_str(&format!("    \"{}\",\n", r.module));
    }
    out.push_str("]\n");
    for r in &api.resources {
        out.push_str(&format!("{} = []\n", r.module));
    }
    out
}
