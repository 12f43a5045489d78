//! The runtime's declaration macros (`string_enum!`, `tagged_union!`, `untagged_union!`),
//! printed like the enums they declare, and `struct_deserialize!`, one field a line.
//!
//! `prettyplease` prints a macro's body as a run of tokens wrapped at the line width, so one new
//! enum value would re-wrap the whole body and a reviewer would see every line of it change.
//! The body of these macros is an enum written as a person writes it (variants with the values
//! they stand for, see the runtime's `string_enum`), which `syn` parses as an item; after
//! printing, each top-level invocation is printed again as that item, indented:
//!
//! ```text
//! crate::runtime::string_enum! {
//!     /// How a message reached us.
//!     #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
//!     #[non_exhaustive]
//!     pub enum Channel {
//!         Email = "email",
//!         Chat = "chat",
//!         /// A value this version of the crate does not know, as sent.
//!         Unknown(String),
//!     }
//! }
//! ```
//!
//! so that an added value is an added line. The body of `struct_deserialize!` (a struct's name,
//! then its fields by kind, name and wire name) is printed one field a line:
//!
//! ```text
//! crate::runtime::struct_deserialize! {
//!     MessageSource {
//!         required channel = "channel",
//!         optional delivered_as = "deliveredAs",
//!         ..extra
//!     }
//! }
//! ```

/// The macros whose body is an enum item.
const DECLARATIONS: &[&str] =
    &["crate::runtime::string_enum! {", "crate::runtime::tagged_union! {", "crate::runtime::untagged_union! {"];

/// The macro whose body is a struct's field list.
const FIELDS: &str = "crate::runtime::struct_deserialize! {";

/// `printed` with the body of every declaration macro at the start of a line printed as an item.
pub(crate) fn relayout(printed: String) -> Result<String, String> {
    if !DECLARATIONS.iter().chain([&FIELDS]).any(|t| printed.contains(t)) {
        return Ok(printed);
    }
    let mut out = String::with_capacity(printed.len() + printed.len() / 4);
    let mut lines = printed.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let fields = line.trim_end() == FIELDS;
        if !fields && !DECLARATIONS.iter().any(|t| line.trim_end() == *t) {
            out.push_str(line);
            continue;
        }
        // The body ends at the `}` in the first column.
        let mut body = String::new();
        loop {
            let next = lines.next().ok_or_else(|| format!("a declaration macro does not end: {}", line.trim_end()))?;
            if next.trim_end() == "}" {
                break;
            }
            body.push_str(next);
        }
        out.push_str(line);
        let body = if fields { field_list(&body)? } else { item(&body)? };
        for item_line in body.lines() {
            if !item_line.is_empty() {
                out.push_str("    ");
            }
            out.push_str(item_line);
            out.push('\n');
        }
        out.push_str("}\n");
    }
    Ok(out)
}

/// A macro body, printed as the item it is.
fn item(body: &str) -> Result<String, String> {
    let broken = |why: String| format!("a declaration macro cannot be printed ({why}): {}", body.trim_end());
    let item: syn::Item = syn::parse_str(body).map_err(|e| broken(e.to_string()))?;
    Ok(prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] }))
}

/// A `struct_deserialize!` body (`Name { required a = "a", optional b = "b", ..extra }`), one
/// field a line.
fn field_list(body: &str) -> Result<String, String> {
    use proc_macro2::{TokenStream, TokenTree};
    let broken = |why: &str| format!("a field list cannot be printed ({why}): {}", body.trim_end());
    let tokens: TokenStream = body.parse().map_err(|e: proc_macro2::LexError| broken(&e.to_string()))?;
    let mut tokens = tokens.into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(group)), None) =
        (tokens.next(), tokens.next(), tokens.next())
    else {
        return Err(broken("not a name and a braced list"));
    };
    let mut out = format!("{name} {{\n");
    let mut entry: Vec<String> = Vec::new();
    let flush = |entry: &mut Vec<String>, out: &mut String, comma: bool| {
        if !entry.is_empty() {
            out.push_str("    ");
            out.push_str(&entry.join(" ").replace(". . ", ".."));
            out.push_str(if comma { ",\n" } else { "\n" });
            entry.clear();
        }
    };
    for token in group.stream() {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => flush(&mut entry, &mut out, true),
            _ => entry.push(token.to_string()),
        }
    }
    flush(&mut entry, &mut out, false);
    out.push_str("}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_enums_get_one_value_a_line() {
        let printed = "use x;\ncrate::runtime::string_enum! {\n    #[doc = \" A channel.\"] pub enum Channel { Email = \"email\", Chat\n    = \"chat, or \\\"live\\\"\", Unknown(String), }\n}\nstruct After;\n";
        assert_eq!(
            relayout(printed.to_owned()).unwrap(),
            "use x;\ncrate::runtime::string_enum! {\n    /// A channel.\n    pub enum Channel {\n        Email = \"email\",\n        Chat = \"chat, or \\\"live\\\"\",\n        Unknown(String),\n    }\n}\nstruct After;\n"
        );
    }

    #[test]
    fn tagged_unions_keep_their_tag_and_tag_lists() {
        let printed = "crate::runtime::tagged_union! {\n    #[tag = \"partType\"] pub enum Part { Note(Box < NotePart >) = [\"note\", \"memo\"], Ask(crate::types::Ask) =\n    [\"ask\"], Unknown(serde_json::Value), }\n}\n";
        assert_eq!(
            relayout(printed.to_owned()).unwrap(),
            "crate::runtime::tagged_union! {\n    #[tag = \"partType\"]\n    pub enum Part {\n        Note(Box<NotePart>) = [\"note\", \"memo\"],\n        Ask(crate::types::Ask) = [\"ask\"],\n        Unknown(serde_json::Value),\n    }\n}\n"
        );
    }

    #[test]
    fn struct_decoders_get_one_field_a_line() {
        let printed = "crate::runtime::struct_deserialize! {\n    Source { required r#type = \"type\", optional delivered_as =\n    \"deliveredAs\", ..extra }\n}\n";
        assert_eq!(
            relayout(printed.to_owned()).unwrap(),
            "crate::runtime::struct_deserialize! {\n    Source {\n        required r#type = \"type\",\n        optional delivered_as = \"deliveredAs\",\n        ..extra\n    }\n}\n"
        );
    }

    #[test]
    fn a_body_that_is_not_an_item_is_an_error() {
        let printed = "crate::runtime::string_enum! {\n    Channel, Unknown\n}\n";
        assert!(relayout(printed.to_owned()).unwrap_err().contains("cannot be printed"));
    }
}
