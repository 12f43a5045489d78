//! Rust names from wire names: `heck` for the case conversion, plus what heck does not do —
//! ASCII-only identifiers, names that start with a digit, keywords, and names that would shadow
//! what the generated code itself uses. Collisions are settled by [`Names`], first come first served.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{HashMap, HashSet};

/// Rust keywords, strict and reserved (2021 and 2024 editions).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified; a schema with one of these names gets a suffix.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Debug",
    "Hash",
    "Serialize",
    "Deserialize",
    "BTreeMap",
    "Nullable",
    "Value",
    "Map",
    "Self",
    "Unpin",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
];

/// Spells out symbols that carry meaning in enum values (`>=`, `+1`) and turns every other
/// non-alphanumeric or non-ASCII character into a word break, so that heck sees only ASCII words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    for c in raw.chars() {
        let word = match c {
            '+' => " plus ",
            '<' => " lt ",
            '>' => " gt ",
            '=' => " eq ",
            '!' => " not ",
            '*' => " star ",
            '&' => " and ",
            '%' => " percent ",
            '@' => " at ",
            '#' => " hash ",
            '$' => " dollar ",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            c if c.is_ascii() => " ",
            c => {
                // Keep non-ASCII letters distinguishable without putting them in identifiers.
                out.push_str(&format!(" u{:04x} ", c as u32));
                continue;
            }
        };
        out.push_str(word);
    }
    out
}

/// `UpperCamelCase`, never empty, never starting with a digit.
fn camel(raw: &str, digit_prefix: &str, empty: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = empty.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, digit_prefix);
    }
    name
}

/// The Rust name of a type: `ticket_integrations` -> `TicketIntegrations`, `2fa` -> `Type2fa`.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw, "Type", "Unnamed");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// The Rust name of an enum variant: `pt-BR` -> `PtBr`, `handed_off_to_human` -> `HandedOffToHuman`,
/// `1` -> `V1`, `` -> `Empty`.
pub fn variant_name(raw: &str) -> String {
    let name = camel(raw, "V", "Empty");
    if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// The Rust name of a field, method or module: `brandId` -> `brand_id`, `type` -> `r#type`,
/// `2fa` -> `_2fa`, `self` -> `self_`.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// Makes a snake_case name usable as an identifier: `type` -> `r#type`, `self` -> `self_`.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name serde's `rename_all = "camelCase"` gives a field, computed as serde does: each `_`
/// dropped and the character after it upper-cased, then the first character lower-cased
/// (`created_at` -> `createdAt`, `x_2fa` -> `x2fa`).
pub fn serde_camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => pascal,
    }
}

/// The identifier without a raw prefix (`r#type` -> `type`), e.g. to compare names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Splits an UpperCamel name into its words, as slices of it: `UserMessagePart` -> `User`,
/// `Message`, `Part`; `HTTPServer2Beta` -> `HTTP`, `Server2`, `Beta`.
pub(crate) fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let bytes = name.as_bytes();
    for i in 1..bytes.len() {
        let boundary = bytes[i].is_ascii_uppercase()
            && (bytes[i - 1].is_ascii_lowercase()
                || bytes[i - 1].is_ascii_digit()
                || (i + 1 < bytes.len() && bytes[i + 1].is_ascii_lowercase()));
        if boundary {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// The name of the catch-all variant of an enum or union whose other variants are `taken`:
/// `Unknown`, unless a known variant took it (then `UnknownValue`, `UnknownValue2`...).
pub fn fallback_name<'a>(taken: impl Iterator<Item = &'a str>) -> String {
    let taken: HashSet<&str> = taken.collect();
    ["Unknown".to_owned(), "UnknownValue".to_owned()]
        .into_iter()
        .chain((2..).map(|n| format!("UnknownValue{n}")))
        .find(|n| !taken.contains(n.as_str()))
        .expect("a free name exists")
}

/// A namespace in which every name is given once: a taken name gets `2`, `3`... appended
/// (`_2` for snake_case names), in the order names are asked for.
#[derive(Debug, Default, Clone)]
pub struct Names {
    used: HashSet<String>,
    /// Per stem, the number [`Names::unique`] tries first (every smaller one is taken), so that
    /// many names from one base cost one lookup each, not one per name before them.
    next: HashMap<String, usize>,
}

impl Names {
    /// Reserves `name` as it is, e.g. for names that must never be taken by generated ones.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(unraw(name).to_owned());
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(unraw(name))
    }

    /// `base`, or `base` with the smallest number that makes it free.
    pub fn unique(&mut self, base: &str) -> String {
        if self.used.insert(unraw(base).to_owned()) {
            return base.to_owned();
        }
        let snake = base.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') || base.starts_with("r#");
        let stem = unraw(base);
        // `self_` becomes `self_2`, not `self__2` (which is not snake case).
        let snake_stem = stem.strip_suffix('_').filter(|s| !s.is_empty()).unwrap_or(stem);
        let key = if snake { format!("{snake_stem}_") } else { stem.to_owned() };
        let first = self.next.get(&key).copied().unwrap_or(2);
        let (n, name) = (first..)
            .map(|n| (n, if snake { format!("{snake_stem}_{n}") } else { format!("{stem}{n}") }))
            .find(|(_, candidate)| self.used.insert(candidate.clone()))
            .expect("an unused number exists");
        self.next.insert(key, n + 1);
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_is_what_serde_writes() {
        #[derive(serde::Serialize, Default)]
        #[serde(rename_all = "camelCase")]
        #[allow(non_snake_case)]
        struct Fields {
            created_at: u8,
            x_2fa: u8,
            self_: u8,
            a_b_c: u8,
            _private: u8,
            iOS: u8,
            r#type: u8,
        }
        let value = serde_json::to_value(Fields::default()).unwrap();
        let serde: Vec<&String> = value.as_object().unwrap().keys().collect();
        let ours: Vec<String> = ["created_at", "x_2fa", "self_", "a_b_c", "_private", "iOS", "type"]
            .iter()
            .map(|f| serde_camel_case(f))
            .collect();
        assert_eq!(serde, ours.iter().collect::<Vec<_>>());
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name("CollectionIcon_Nova"), "CollectionIconNova");
        assert_eq!(type_name("ticket integrations"), "TicketIntegrations");
        assert_eq!(type_name("2fa"), "Type2fa");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("Ümlaut"), "U00dcMlaut");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("pt-BR"), "PtBr");
        assert_eq!(variant_name("back-office"), "BackOffice");
        assert_eq!(variant_name("TICKET"), "Ticket");
        assert_eq!(variant_name("handed_off_to_human"), "HandedOffToHuman");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(">="), "GtEq");
        assert_eq!(variant_name("+1"), "Plus1");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("brandId"), "brand_id");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("$ref"), "dollar_ref");
    }

    #[test]
    fn camel_words_split_at_case_changes() {
        assert_eq!(camel_words("UserMessagePart"), ["User", "Message", "Part"]);
        assert_eq!(camel_words("HTTPServer2Beta"), ["HTTP", "Server2", "Beta"]);
        assert_eq!(camel_words("V2"), ["V2"]);
    }

    #[test]
    fn collisions_get_numbers_in_order() {
        let mut names = Names::default();
        assert_eq!(names.unique("PtBr"), "PtBr");
        assert_eq!(names.unique("PtBr"), "PtBr2");
        assert_eq!(names.unique("user_id"), "user_id");
        assert_eq!(names.unique("user_id"), "user_id_2");
        assert_eq!(names.unique("r#type"), "r#type");
        assert_eq!(names.unique("r#type"), "type_2");
        assert_eq!(names.unique("self_"), "self_");
        assert_eq!(names.unique("self_"), "self_2");
    }
}
