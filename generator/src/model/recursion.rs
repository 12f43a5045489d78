//! Cycles and defaults on the finished type space.
//!
//! A type that contains itself by value (directly or through other types) has no size: every
//! edge of such a cycle that is not already behind a `Vec` or map gets a `Box`. Cycles are the
//! strongly connected components of the "contains by value" graph (Tarjan's algorithm), so the
//! result does not depend on where a walk happens to start.

use super::*;

/// The types a type contains by value, with the field or variant index of each edge.
fn edges(def: &TypeDef) -> Vec<(usize, TypeId)> {
    let mut out = Vec::new();
    let mut push = |i: usize, ty: &TypeRef| {
        let mut named = Vec::new();
        ty.named(&mut named, false);
        out.extend(named.into_iter().filter(|(_, indirect)| !indirect).map(|(id, _)| (i, id)));
    };
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().enumerate().for_each(|(i, f)| push(i, &f.ty)),
        TypeKind::Union(u) => u.variants.iter().enumerate().for_each(|(i, v)| push(i, &v.ty)),
        TypeKind::Alias(t) => push(0, t),
        TypeKind::Tuple(t) => {
            t.items.iter().enumerate().for_each(|(i, item)| push(i, &item.ty));
            // The rest is in a `Vec`: never by value.
            if let Some(rest) = &t.rest {
                push(t.items.len(), &TypeRef::Array(Box::new(rest.clone())));
            }
        }
        TypeKind::Enum(_) => {}
    }
    out
}

/// Tarjan's strongly connected components; returns the component index of every type.
fn components(space: &TypeSpace) -> Vec<usize> {
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        count: usize,
    }
    let n = space.types.len();
    let graph: Vec<Vec<usize>> = space.types.iter().map(|d| edges(d).into_iter().map(|(_, t)| t.0).collect()).collect();
    let mut st = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![usize::MAX; n],
        count: 0,
    };
    // Iterative to stay safe on deep type graphs.
    for root in 0..n {
        if st.index[root].is_some() {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        st.index[root] = Some(st.next);
        st.low[root] = st.next;
        st.next += 1;
        st.stack.push(root);
        st.on_stack[root] = true;
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i < graph[v].len() {
                let w = graph[v][*i];
                *i += 1;
                match st.index[w] {
                    None => {
                        st.index[w] = Some(st.next);
                        st.low[w] = st.next;
                        st.next += 1;
                        st.stack.push(w);
                        st.on_stack[w] = true;
                        work.push((w, 0));
                    }
                    Some(wi) if st.on_stack[w] => st.low[v] = st.low[v].min(wi),
                    Some(_) => {}
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    st.low[parent] = st.low[parent].min(st.low[v]);
                }
                if Some(st.low[v]) == st.index[v] {
                    while let Some(w) = st.stack.pop() {
                        st.on_stack[w] = false;
                        st.component[w] = st.count;
                        if w == v {
                            break;
                        }
                    }
                    st.count += 1;
                }
            }
        }
    }
    st.component
}

/// Boxes every by-value edge that lies on a cycle.
pub(super) fn box_cycles(space: &mut TypeSpace) {
    let component = components(space);
    for t in 0..space.types.len() {
        let on_cycle: Vec<usize> = edges(&space.types[t])
            .into_iter()
            .filter(|(_, target)| component[target.0] == component[t])
            .map(|(i, _)| i)
            .collect();
        match &mut space.types[t].kind {
            TypeKind::Struct(s) => on_cycle.iter().for_each(|&i| s.fields[i].boxed = true),
            TypeKind::Union(u) => on_cycle.iter().for_each(|&i| u.variants[i].boxed = true),
            TypeKind::Tuple(t) => {
                for &i in &on_cycle {
                    if let Some(item) = t.items.get_mut(i) {
                        item.boxed = true;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a value of this type has a natural default (so that structs holding it can
/// implement `Default` and callers can write `..Default::default()`).
fn defaultable(space: &TypeSpace, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => space.types[id.0].default,
        _ => true,
    }
}

/// Marks the structs (and aliases of them) that can implement `Default`: every required field
/// has a default or a constant. Iterates to a fixed point because structs nest.
pub(super) fn mark_defaults(space: &mut TypeSpace) {
    loop {
        let mut changed = false;
        for t in 0..space.types.len() {
            if space.types[t].default {
                continue;
            }
            let ok = match &space.types[t].kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| !f.required || f.nullable || f.constant.is_some() || defaultable(space, &f.ty)),
                TypeKind::Alias(ty) => defaultable(space, ty),
                TypeKind::Tuple(t) => {
                    t.items.iter().take(t.required).all(|item| item.nullable || defaultable(space, &item.ty))
                }
                TypeKind::Enum(_) | TypeKind::Union(_) => false,
            };
            if ok {
                space.types[t].default = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
