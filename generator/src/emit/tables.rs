//! The runtime's table macros (`string_enum!`, `tagged_union!`), one entry a line.
//!
//! `prettyplease` prints a macro's body as a run of tokens wrapped at the line width, so one new
//! enum value would re-wrap the whole table and a reviewer would see every line of it change.
//! After printing, each top-level invocation of a table macro is laid out again:
//!
//! ```text
//! crate::runtime::string_enum!(Channel, Unknown, {
//!     Email => "email",
//!     Chat => "chat",
//! });
//! ```
//!
//! so that an added entry is an added line. The invocation is read back from the printed text
//! as tokens, so nothing but the layout changes.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The macros whose last argument is a `{ entry, entry, }` table.
const TABLES: &[&str] = &["crate::runtime::string_enum!(", "crate::runtime::tagged_union!("];

/// `printed` with every table macro at the start of a line laid out one entry a line.
pub(crate) fn relayout(printed: String) -> Result<String, String> {
    if !TABLES.iter().any(|t| printed.contains(t)) {
        return Ok(printed);
    }
    let mut out = String::with_capacity(printed.len() + printed.len() / 8);
    let mut lines = printed.split_inclusive('\n');
    while let Some(line) = lines.next() {
        if !TABLES.iter().any(|t| line.starts_with(t)) {
            out.push_str(line);
            continue;
        }
        // The invocation ends on the line that closes it: itself, or a `);` in the first column.
        let mut block = line.to_owned();
        while !(block.trim_end().ends_with(");") && (block == line || block.trim_end().ends_with("\n);"))) {
            let next = lines.next().ok_or_else(|| format!("a table macro does not end: {}", line.trim_end()))?;
            block.push_str(next);
        }
        out.push_str(&table(&block)?);
    }
    Ok(out)
}

/// One invocation, laid out.
fn table(block: &str) -> Result<String, String> {
    let broken = |why: &str| format!("a table macro cannot be laid out ({why}): {}", block.trim_end());
    let tokens: Vec<TokenTree> =
        block.parse::<TokenStream>().map_err(|e| broken(&e.to_string()))?.into_iter().collect();
    // `crate :: runtime :: name ! ( args ) ;`
    let Some(TokenTree::Group(args)) = tokens.iter().find(|t| matches!(t, TokenTree::Group(_))) else {
        return Err(broken("no arguments"));
    };
    let head: String =
        tokens.iter().take_while(|t| !matches!(t, TokenTree::Group(_))).map(ToString::to_string).collect();
    let args: Vec<TokenTree> = args.stream().into_iter().collect();
    let Some((TokenTree::Group(entries), leading)) = args.split_last() else { return Err(broken("no table")) };
    if entries.delimiter() != Delimiter::Brace {
        return Err(broken("the table is not in braces"));
    }
    let mut out = format!("{head}({}{{\n", tokens_text(leading));
    for entry in split(entries.stream()) {
        out.push_str("    ");
        out.push_str(&tokens_text(&entry));
        out.push_str(",\n");
    }
    out.push_str("});\n");
    Ok(out)
}

/// Entries split at the table's top-level commas.
fn split(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut entries = vec![Vec::new()];
    for t in stream {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
            _ => entries.last_mut().expect("one entry at least").push(t),
        }
    }
    entries.retain(|e| !e.is_empty());
    entries
}

/// Tokens as a person writes them: `Variant(Box<Type>) => ["a", "b"]`, `Name, "tag", Fallback, `.
fn tokens_text(tokens: &[TokenTree]) -> String {
    let mut out = String::new();
    let mut joint = false;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Punct(p) => {
                let c = p.as_char();
                // `=>` is spaced; `::`, `<`, `>` are not; `,` is followed by a space.
                if c == '=' && p.spacing() == Spacing::Joint {
                    out.push(' ');
                }
                out.push(c);
                if c == ',' || (c == '>' && joint && out.ends_with("=>")) {
                    out.push(' ');
                }
                joint = p.spacing() == Spacing::Joint;
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                out.push_str(open);
                out.push_str(tokens_text(&inner).trim_end());
                out.push_str(close);
                joint = false;
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                let after_word =
                    matches!(tokens.get(i.wrapping_sub(1)), Some(TokenTree::Ident(_) | TokenTree::Literal(_)));
                if after_word {
                    out.push(' ');
                }
                out.push_str(&t.to_string());
                joint = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_enums_get_one_value_a_line() {
        let printed = "use x;\ncrate::runtime::string_enum!(\n    Channel, Unknown, { Email => \"email\", Chat\n    => \"chat, or \\\"live\\\"\", }\n);\nstruct After;\n";
        assert_eq!(
            relayout(printed.to_owned()).unwrap(),
            "use x;\ncrate::runtime::string_enum!(Channel, Unknown, {\n    Email => \"email\",\n    Chat => \"chat, or \\\"live\\\"\",\n});\nstruct After;\n"
        );
    }

    #[test]
    fn short_invocations_on_one_line_are_laid_out_too() {
        let printed = "crate::runtime::string_enum!(A, Unknown, { X => \"x\", });\n";
        assert_eq!(
            relayout(printed.to_owned()).unwrap(),
            "crate::runtime::string_enum!(A, Unknown, {\n    X => \"x\",\n});\n"
        );
    }

    #[test]
    fn tagged_unions_keep_their_types_and_tag_lists() {
        let printed = "crate::runtime::tagged_union!(\n    Part, \"partType\", Unknown, { Note(Box < NotePart >) => [\"note\", \"memo\"], Ask(crate::types::Ask) =>\n    [\"ask\"], }\n);\n";
        assert_eq!(
            relayout(printed.to_owned()).unwrap(),
            "crate::runtime::tagged_union!(Part, \"partType\", Unknown, {\n    Note(Box<NotePart>) => [\"note\", \"memo\"],\n    Ask(crate::types::Ask) => [\"ask\"],\n});\n"
        );
    }
}
