//! Spec markdown -> rustdoc that builds without warnings and without doctests.
//!
//! Descriptions are CommonMark written for a web page. Rustdoc reads them as CommonMark too, but
//! with extra meanings: an untagged or indented code block is a Rust doctest, `[name]` is an
//! intra-doc link, a bare URL and a stray `<p>` are lint warnings. This module keeps the text and
//! removes those meanings: untagged fences become `text`, indented blocks become `text` fences,
//! brackets that are not links are escaped, bare URLs get angle brackets and HTML is escaped.
//!
//! What the spec does not describe gets no line that only repeats a name: a field without a
//! description has only its notes (`Always "list".`, a format, limits), and a type without one
//! says where it is used ([`Usage`]: "The request body of `updateConversation`.").

use crate::model::{Api, Docs, Extra, TypeId, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;

/// `#[doc = ".."]` attributes for a documentation block.
pub fn attrs(lines: &[String]) -> TokenStream {
    block(lines, false)
}

/// `#![doc = ".."]` attributes for a module.
pub fn inner_attrs(lines: &[String]) -> TokenStream {
    block(lines, true)
}

/// A doc block as tokens: one `#[doc]` (or `#![doc]`) attribute a line.
fn block(lines: &[String], inner: bool) -> TokenStream {
    let values = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    if inner {
        quote! { #(#![doc = #values])* }
    } else {
        quote! { #(#[doc = #values])* }
    }
}

/// The lines of a [`Docs`]: title, description, then the notes as a list. `fallback` is used
/// when the spec says nothing; without one, notes alone are one paragraph (`Always "list".`), and
/// nothing at all gives no lines: a doc line that only repeats a name says nothing.
pub fn lines(docs: &Docs, fallback: &str) -> Vec<String> {
    let mut out = summary(docs);
    if out.is_empty() && !fallback.is_empty() {
        // No words from the spec: a plain first line, so the notes are not the summary.
        out.push(fallback.to_owned());
    }
    if !docs.notes.is_empty() {
        if out.is_empty() {
            let notes: Vec<String> = docs.notes.iter().map(|n| inline(n)).collect();
            out.push(notes.join(" "));
        } else {
            out.push(String::new());
            out.extend(docs.notes.iter().map(|n| format!("- {}", inline(n))));
        }
    }
    out
}

/// The title and description of a [`Docs`] as doc lines (no notes, no fallback); none when the
/// spec says nothing.
pub fn summary(docs: &Docs) -> Vec<String> {
    let mut out = Vec::new();
    let description = docs.description.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if let Some(title) = docs.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if description.is_none_or(|d| !d.starts_with(title)) {
            out.extend(markdown(title));
            out.push(String::new());
        }
    }
    if let Some(d) = description {
        out.extend(markdown(d));
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Where each named type is used: the first line of the docs of a type the spec does not
/// describe ("The request body of `updateConversation`."), instead of a line that repeats its
/// name.
///
/// A type hoisted out of a schema is described by its place there (`Conversation.state` ->
/// "The `state` field of \[`Conversation`\]."); any other type by its first use: operations
/// first (request body, response, parameters, in document order), then fields and union members
/// (in the order of the type space), with "among others" when it has several users. Only the
/// first use is named, so that a use a later API version adds changes no line (unless it is the
/// type's second user).
#[derive(Debug, Default)]
pub struct Usage {
    /// By the type's Rust name (unique in the crate).
    places: HashMap<String, String>,
}

/// How a use holds a type: itself, as the items of an array, or as the values of a map.
#[derive(Clone, Copy)]
enum Holding {
    Itself,
    Items,
    Values,
}

impl Holding {
    fn sentence(self, role: &str) -> String {
        match self {
            Holding::Itself => format!("The {role}."),
            Holding::Items => format!("An item of the {role}."),
            Holding::Values => format!("A value of the {role}."),
        }
    }
}

/// What a use of a type says about it: a role ("`state` field of ..."), worded by how the type
/// is held, or a whole sentence.
enum Phrase {
    Role(String),
    Fixed(String),
}

/// The named types a use mentions, each with how it is held.
fn held(ty: &TypeRef, how: Holding, out: &mut Vec<(TypeId, Holding)>) {
    match ty {
        TypeRef::Named(id) => out.push((*id, how)),
        TypeRef::Nullable(inner) => held(inner, how, out),
        TypeRef::Array(inner) => held(inner, Holding::Items, out),
        TypeRef::Map(inner) => held(inner, Holding::Values, out),
        _ => {}
    }
}

impl Usage {
    /// Finds the uses of every type of `api`.
    pub fn of(api: &Api) -> Usage {
        let types = &api.types.types;
        // (user's pointer, sentence), in the order of the rules above.
        let mut by_operation: HashMap<TypeId, String> = HashMap::new();
        // How many operations use each type (any role, counted once per operation).
        let mut operations: HashMap<TypeId, usize> = HashMap::new();
        let mut by_type: HashMap<TypeId, Vec<(&str, String)>> = HashMap::new();
        let mut found = Vec::new();
        for op in &api.operations {
            let id = &op.operation_id;
            let mut roles: Vec<(&TypeRef, String)> = Vec::new();
            if let Some(body) = &op.body {
                roles.push((&body.ty, format!("request body of `{id}`")));
            }
            roles.push((&op.response.ty, format!("response of `{id}`")));
            for p in &op.params {
                roles.push((&p.ty, format!("`{}` parameter of `{id}`", p.wire)));
            }
            let mut used_here = std::collections::HashSet::new();
            for (ty, role) in roles {
                found.clear();
                held(ty, Holding::Itself, &mut found);
                for (used, how) in &found {
                    by_operation.entry(*used).or_insert_with(|| how.sentence(&role));
                    if used_here.insert(*used) {
                        *operations.entry(*used).or_default() += 1;
                    }
                }
            }
        }

        for def in types {
            let link = format!("[`{0}`](crate::types::{0})", def.name);
            let mut uses: Vec<(&TypeRef, Phrase)> = Vec::new();
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        uses.push((&f.ty, Phrase::Role(format!("`{}` field of {link}", f.wire))));
                    }
                    if let Extra::Typed(_, t) = &s.extra {
                        uses.push((t, Phrase::Fixed(format!("The properties of {link} beyond the declared ones."))));
                    }
                }
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        let sentence = match v.tags.first() {
                            Some(tag) => format!("The `{tag}` member of {link}."),
                            None => format!("A member of {link}."),
                        };
                        uses.push((&v.ty, Phrase::Fixed(sentence)));
                    }
                }
                TypeKind::Alias(t) => uses.push((t, Phrase::Fixed(format!("What {link} stands for.")))),
                TypeKind::Tuple(t) => {
                    for (i, item) in t.items.iter().enumerate() {
                        uses.push((&item.ty, Phrase::Fixed(format!("Item {i} of {link}."))));
                    }
                    if let Some(rest) = &t.rest {
                        uses.push((rest, Phrase::Fixed(format!("An item of {link} after the leading ones."))));
                    }
                }
                TypeKind::Enum(_) => {}
            }
            for (ty, phrase) in uses {
                found.clear();
                held(ty, Holding::Itself, &mut found);
                for (used, how) in &found {
                    let sentence = match &phrase {
                        Phrase::Role(role) => how.sentence(role),
                        Phrase::Fixed(sentence) => sentence.clone(),
                    };
                    by_type.entry(*used).or_default().push((def.pointer.as_str(), sentence));
                }
            }
        }
        let mut places = HashMap::new();
        for (i, def) in types.iter().enumerate() {
            let id = TypeId(i);
            let users = by_type.get(&id).map(Vec::as_slice).unwrap_or_default();
            // Hoisted out of a user: its pointer is below the user's.
            let parent = users
                .iter()
                .find(|(pointer, _)| def.pointer.strip_prefix(pointer).is_some_and(|rest| rest.starts_with('/')));
            // How many operations and types use it: "among others" when it is more than one.
            let mut user_types: Vec<&str> = users.iter().map(|(pointer, _)| *pointer).collect();
            user_types.dedup();
            let count = operations.get(&id).copied().unwrap_or_default() + user_types.len();
            let first = by_operation.get(&id).or_else(|| users.first().map(|(_, s)| s));
            let place = match (parent, first) {
                (Some((_, sentence)), _) => sentence.clone(),
                (None, Some(sentence)) if count > 1 => match sentence.strip_suffix('.') {
                    Some(stem) => format!("{stem}, among others."),
                    None => sentence.clone(),
                },
                (None, Some(sentence)) => sentence.clone(),
                (None, None) => "A schema of the API that no operation uses.".to_owned(),
            };
            places.insert(def.name.clone(), place);
        }
        Usage { places }
    }

    /// The sentence for the type named `name`, when it is known.
    pub fn place(&self, name: &str) -> Option<&str> {
        self.places.get(name).map(String::as_str)
    }
}

/// Sanitises a markdown text into doc lines.
pub fn markdown(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented = false;
    let mut in_list = false;
    let mut previous_blank = true;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed.trim_start_matches(marker.chars().next().unwrap_or('`')).is_empty()
            {
                fence = None;
                out.push(trimmed.to_owned());
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker_char = trimmed.chars().next().unwrap_or('`');
            let marker: String = trimmed.chars().take_while(|c| *c == marker_char).collect();
            let lang = trimmed[marker.len()..].trim();
            let lang = if lang.is_empty() || is_rust_lang(lang) { "text" } else { lang };
            if indented {
                out.push("```".into());
                indented = false;
            }
            out.push(format!("{marker}{lang}"));
            fence = Some(marker);
            previous_blank = false;
            continue;
        }
        let is_blank = trimmed.is_empty();
        let indent = line.len() - trimmed.len();
        if is_list_item(trimmed) && indent < 4 {
            in_list = true;
        } else if !is_blank && indent == 0 && previous_blank {
            in_list = false;
        }
        if indented {
            if is_blank || indent >= 4 {
                out.push(line.get(4..).unwrap_or("").to_owned());
                previous_blank = is_blank;
                continue;
            }
            // Close the block before the first line that is not part of it.
            while out.last().is_some_and(|l| l.is_empty()) {
                out.pop();
            }
            out.push("```".into());
            out.push(String::new());
            indented = false;
        }
        if !is_blank && indent >= 4 && previous_blank && !in_list {
            out.push("```text".into());
            out.push(line[4..].to_owned());
            indented = true;
            previous_blank = false;
            continue;
        }
        out.push(if is_blank { String::new() } else { inline(line) });
        previous_blank = is_blank;
    }
    if indented {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push("```".into());
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    out
}

fn is_rust_lang(lang: &str) -> bool {
    lang.split(',').any(|part| {
        matches!(
            part.trim(),
            "rust"
                | "ignore"
                | "no_run"
                | "should_panic"
                | "compile_fail"
                | "edition2015"
                | "edition2018"
                | "edition2021"
                | "edition2024"
        )
    })
}

fn is_list_item(trimmed: &str) -> bool {
    trimmed.starts_with("- ")
        || trimmed.starts_with("* ")
        || trimmed.starts_with("+ ")
        || trimmed.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Escapes one line outside code blocks: brackets that are not links, HTML, bare URLs. Inline
/// code spans are left as they are.
pub fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span verbatim, up to the matching run of backticks.
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let close = (i + run..chars.len()).find(|&j| {
                    chars[j..].iter().take_while(|c| **c == '`').count() == run && (j == 0 || chars[j - 1] != '`')
                });
                match close {
                    Some(j) => {
                        out.extend(&chars[i..j + run]);
                        i = j + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
                continue;
            }
            '[' => {
                if let Some(end) = link_end(&chars, i) {
                    // A markdown link `[text](url)`: keep it, escaping only its text.
                    let text_end = chars[i..end].iter().position(|c| *c == ']').map(|p| p + i).unwrap_or(end);
                    out.push('[');
                    out.push_str(&inline(&chars[i + 1..text_end].iter().collect::<String>()));
                    out.extend(&chars[text_end..end]);
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                if let Some(end) = autolink_end(&chars, i) {
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                out.push_str("&lt;");
            }
            '>' => out.push_str("&gt;"),
            'h' if starts_with(&chars, i, "http://") || starts_with(&chars, i, "https://") => {
                let end = (i..chars.len())
                    .find(|&j| chars[j].is_whitespace() || matches!(chars[j], '<' | '>' | '"' | '`' | ')' | ']'))
                    .unwrap_or(chars.len());
                // Leave trailing punctuation outside the link.
                let mut url_end = end;
                while url_end > i && matches!(chars[url_end - 1], '.' | ',' | ';' | ':' | '!' | '?' | '\'') {
                    url_end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..url_end]);
                out.push('>');
                out.extend(&chars[url_end..end]);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], i: usize, prefix: &str) -> bool {
    prefix.chars().enumerate().all(|(k, p)| chars.get(i + k) == Some(&p))
}

/// The end (exclusive) of a `[text](url)` link starting at `i`.
fn link_end(chars: &[char], i: usize) -> Option<usize> {
    let close = (i + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    let url: String = chars[close + 2..end].iter().collect();
    (!url.is_empty() && !url.contains(char::is_whitespace)).then_some(end + 1)
}

/// The end (exclusive) of an autolink `<https://..>` starting at `i`.
fn autolink_end(chars: &[char], i: usize) -> Option<usize> {
    if !(starts_with(chars, i + 1, "http://") || starts_with(chars, i + 1, "https://")) {
        return None;
    }
    let end = (i + 1..chars.len()).find(|&j| chars[j] == '>' || chars[j].is_whitespace())?;
    (chars[end] == '>').then_some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_fences_become_text() {
        assert_eq!(markdown("a\n```\nlet x;\n```"), vec!["a", "```text", "let x;", "```"]);
        assert_eq!(markdown("```json\n{\"a\": [1]}\n```"), vec!["```json", "{\"a\": [1]}", "```"]);
    }

    #[test]
    fn indented_blocks_become_text_fences() {
        assert_eq!(
            markdown("Example:\n\n    curl x\n\nafter"),
            vec!["Example:", "", "```text", "curl x", "```", "", "after"]
        );
    }

    #[test]
    fn list_continuations_are_not_code() {
        assert_eq!(markdown("- item\n\n    more of item"), vec!["- item", "", "    more of item"]);
    }

    #[test]
    fn brackets_html_and_urls_are_escaped() {
        assert_eq!(inline("an [array] of <p> tags"), "an \\[array\\] of &lt;p&gt; tags");
        assert_eq!(
            inline("see [docs](https://x.io/a) or https://x.io/b."),
            "see [docs](https://x.io/a) or <https://x.io/b>."
        );
        assert_eq!(inline("`[kept]` and <https://x.io>"), "`[kept]` and <https://x.io>");
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(markdown("```\ncode"), vec!["```text", "code", "```"]);
    }
}
