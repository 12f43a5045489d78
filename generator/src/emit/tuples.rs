//! Tuples (`prefixItems`) -> tuple structs with their own serde impls.
//!
//! `pub struct Point(pub f64, pub f64, pub Vec<serde_json::Value>)`: one field per leading item,
//! `Option` (or `Nullable`, when the item may be `null`) for the items past `minItems`, and a
//! `Vec` of the items that may follow (none when `items: false`). serde's derive would read a
//! fixed number of items only, so the impls are written out: an array is read item by item, a
//! missing required item is an error naming the length, and optional items are written up to the
//! last one present (an absent one before it is written as `null`, to keep the positions). The
//! impls' own names start with `__`, which no generated type name does.

use super::docs;
use super::types::{ident, type_tokens, Uses};
use crate::model::{Tuple, TypeDef, TypeSpace};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// How many items, in words.
fn count(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// What a value of the tuple is, for its documentation and decoding errors.
fn expecting(t: &Tuple) -> String {
    let (required, len) = (t.required, t.items.len());
    match (&t.rest, required == len) {
        (None, true) => format!("an array of {}", count(len)),
        (None, false) => format!("an array of {required} to {}", count(len)),
        (Some(_), _) => format!("an array of at least {}", count(required)),
    }
}

/// The items of a tuple type: the struct and its `Serialize` and `Deserialize` impls.
pub(super) fn tuple_def(
    space: &TypeSpace,
    def: &TypeDef,
    t: &Tuple,
    mut doc_lines: Vec<String>,
    uses: &mut Uses,
) -> TokenStream {
    let name = ident(&def.name);
    let len = t.items.len();
    doc_lines.push(String::new());
    doc_lines.push(format!(
        "Encoded as {}: field `n` is item `n`{}.",
        expecting(t),
        if t.rest.is_some() {
            format!(", and the last field holds the items after the first {len}")
        } else {
            String::new()
        }
    ));
    if t.required < len {
        doc_lines.push(String::new());
        doc_lines.push(format!(
            "Items from item {} on may be absent; one that is absent before one that is present is sent as `null`.",
            t.required
        ));
    }
    let doc = docs::attrs(&doc_lines);
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    let mut present = Vec::new();
    let mut vars = Vec::new();
    for (i, item) in t.items.iter().enumerate() {
        let mut ty = type_tokens(space, &item.ty, &def.module, uses);
        if item.boxed {
            ty = quote!(Box<#ty>);
        }
        let var = format_ident!("item{}", i);
        let index = syn::Index::from(i);
        let missing = quote!(serde::de::Error::invalid_length(#i, &self));
        let (field, read) = match (i < t.required, item.nullable) {
            (true, false) => (ty.clone(), quote!(seq.next_element::<#ty>()?.ok_or_else(|| #missing)?)),
            (true, true) => (quote!(Option<#ty>), quote!(seq.next_element::<Option<#ty>>()?.ok_or_else(|| #missing)?)),
            (false, false) => {
                present.push(quote!(self.#index.is_some()));
                (quote!(Option<#ty>), quote!(seq.next_element::<Option<#ty>>()?.flatten()))
            }
            (false, true) => {
                uses.nullable = true;
                present.push(quote!(!self.#index.is_absent()));
                (quote!(Nullable<#ty>), quote!(seq.next_element::<Nullable<#ty>>()?.unwrap_or_default()))
            }
        };
        let fdoc = docs::attrs(&docs::lines(&item.docs, &format!("Item {i}.")));
        fields.push(quote!(#fdoc pub #field,));
        reads.push(quote!(let #var = #read;));
        if i < t.required {
            writes.push(quote!(seq.serialize_element(&self.#index)?;));
        } else {
            let k = present.len() - 1;
            writes.push(quote! {
                if written > #k {
                    seq.serialize_element(&self.#index)?;
                }
            });
        }
        vars.push(quote!(#var));
    }
    let mut rest_read = quote!();
    match &t.rest {
        Some(rest) => {
            let ty = type_tokens(space, rest, &def.module, uses);
            let rest_doc = format!(" The items after the first {}.", count(len));
            fields.push(quote!(#[doc = #rest_doc] pub Vec<#ty>,));
            let index = syn::Index::from(len);
            present.push(quote!(!self.#index.is_empty()));
            rest_read = quote! {
                let mut rest = Vec::new();
                while let Some(item) = seq.next_element::<#ty>()? {
                    rest.push(item);
                }
            };
            writes.push(quote! {
                for item in &self.#index {
                    seq.serialize_element(item)?;
                }
            });
            vars.push(quote!(rest));
        }
        None => {
            let over = len + 1;
            rest_read = quote! {
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(serde::de::Error::invalid_length(#over, &self));
                }
            };
        }
    }
    // Only the optional items and the rest are counted: everything up to the last present one
    // is written.
    let optional = present.len() - usize::from(t.rest.is_some());
    let written = (optional > 0).then(|| {
        quote! {
            let written = [#(#present),*].iter().rposition(|present| *present).map_or(0, |last| last + 1);
        }
    });
    let derives = if def.default {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let expecting = expecting(t);
    quote! {
        #doc
        #derives
        pub struct #name(#(#fields)*);

        impl serde::Serialize for #name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use serde::ser::SerializeSeq;
                #written
                let mut seq = serializer.serialize_seq(None)?;
                #(#writes)*
                seq.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_seq<__A: serde::de::SeqAccess<'de>>(self, mut seq: __A) -> Result<#name, __A::Error> {
                        #(#reads)*
                        #rest_read
                        Ok(#name(#(#vars),*))
                    }
                }
                deserializer.deserialize_seq(__Visitor)
            }
        }
    }
}
