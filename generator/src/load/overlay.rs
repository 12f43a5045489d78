//! OpenAPI Overlays ([Overlay Specification 1.0](https://spec.openapis.org/overlay/v1.0.0.html)):
//! documents that change a spec without editing it, applied to the raw tree before it is read
//! as OpenAPI (so normalisation, the model and the generated code all see the result).
//!
//! An overlay is JSON or YAML:
//!
//! ```yaml
//! overlay: 1.0.0
//! info:
//!   title: Descriptions from the API reference
//!   version: 1.0.0
//! actions:
//!   - target: $.components.schemas.Conversation.properties.brandId
//!     update:
//!       description: ID of the brand associated with this conversation
//!   - target: $.paths['/v2/legacy']
//!     remove: true
//! ```
//!
//! Each action's `target` is an [RFC 9535](https://www.rfc-editor.org/rfc/rfc9535) JSONPath
//! query (read by `serde_json_path`). The actions run in order, each on the result of the one
//! before, and the overlays in the order they are given. An `update` of an object is merged into
//! it: an object in the update is merged into the object of the same name, recursively, and any
//! other value replaces the one of the same name (1.0 replaces arrays whole); an `update` of an
//! array appends the value to it as one entry. `remove: true` takes every selected node out of
//! the object or array that holds it.
//!
//! Stricter than the specification, so that an overlay cannot rot unnoticed:
//!
//! - a target that selects nothing is an error naming the overlay file, the action and its target
//!   (the specification lets it do nothing): when a new version of the spec moves, renames or
//!   removes what an action documents, generation fails instead of quietly dropping the text
//!   ([`Overlay::apply_lenient`] skips such actions and returns them, for tools that decide
//!   what to do with each);
//! - a target that is not valid JSONPath is an error with the position in the query;
//! - an `update` of a string, number, boolean or `null` (select the object that holds it), an
//!   action with neither `update` nor `remove`, and fields the specification does not define
//!   (other than `x-` extensions) are errors.

use super::Format;
use crate::error::{child, Error, Result};
use serde_json::{Map, Value as Json};
use serde_json_path::JsonPath;
use serde_yaml::Value as Raw;
use std::path::Path;

/// An overlay document, read and checked; its targets are parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// Where it comes from (its path, as given), for messages.
    pub file: String,
    /// `overlay`: the version of the Overlay Specification (`1.0.x`).
    pub version: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`: the overlay's own version.
    pub info_version: String,
    /// `extends`: the document the overlay was written for, when it says.
    pub extends: Option<String>,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// An action whose target selected nothing, skipped by [`Overlay::apply_lenient`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The overlay file.
    pub file: String,
    /// The action's index in `actions`.
    pub index: usize,
    /// The action.
    pub action: Action,
}

/// One action of an overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The JSONPath query, as written.
    pub target: String,
    /// The query, parsed.
    path: JsonPath,
    /// `description`.
    pub description: Option<String>,
    /// `update`: merged into each selected object, appended to each selected array.
    pub update: Option<Json>,
    /// `remove`: take each selected node out of its parent (wins over `update`).
    pub remove: bool,
}

/// What one action did: the nodes its target selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The overlay file.
    pub file: String,
    /// The action's index in `actions`.
    pub index: usize,
    /// The action's target.
    pub target: String,
    /// Whether it removed the nodes (else it updated them).
    pub removed: bool,
    /// The selected nodes, as JSON pointers into the document (`#/components/schemas/Ticket`).
    pub nodes: Vec<String>,
}

impl Overlay {
    /// Reads an overlay file (JSON if it ends in `.json`, YAML otherwise).
    pub fn load(path: &Path) -> Result<Overlay> {
        let file = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::Io { path: file.clone(), message: e.to_string() })?;
        Overlay::parse(&file, &text, Format::from_path(path))
    }

    /// Reads overlay text; `file` names it in messages.
    pub fn parse(file: &str, text: &str, format: Format) -> Result<Overlay> {
        let fail = |at: &str, message: String| Error::Overlay { file: file.to_owned(), at: at.to_owned(), message };
        let raw = super::parse_raw(text, format).map_err(|e| match e {
            Error::Syntax { format, line, column, message } => {
                fail(&format!("line {line}, column {column}"), format!("invalid {format}: {message}"))
            }
            other => fail("#", other.to_string()),
        })?;
        let root = to_json(&raw).map_err(|bad| fail(&bad.pointer(), bad.message))?;
        let Json::Object(root) = root else {
            return Err(fail(
                "#",
                format!("expected an object with `overlay`, `info` and `actions`, found {}", kind(&root)),
            ));
        };
        known_fields(&root, "#", &["overlay", "info", "extends", "actions"]).map_err(|(at, m)| fail(&at, m))?;

        let version = match root.get("overlay") {
            Some(Json::String(v)) => v.clone(),
            Some(other) => return Err(fail("#/overlay", format!("expected a string, found {}", kind(other)))),
            None => return Err(fail("#", "`overlay` (the Overlay Specification version, `1.0.0`) is missing".into())),
        };
        let minor_patch = version.strip_prefix("1.0.");
        if !minor_patch.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(fail("#/overlay", format!("Overlay Specification `{version}` is not supported (1.0.x is)")));
        }

        let info = match root.get("info") {
            Some(Json::Object(info)) => info,
            Some(other) => return Err(fail("#/info", format!("expected an object, found {}", kind(other)))),
            None => return Err(fail("#", "`info` (with `title` and `version`) is missing".into())),
        };
        known_fields(info, "#/info", &["title", "version"]).map_err(|(at, m)| fail(&at, m))?;
        let info_field = |name: &str| match info.get(name) {
            Some(Json::String(s)) => Ok(s.clone()),
            // YAML reads `version: 1.2` as a number.
            Some(Json::Number(n)) if name == "version" => Ok(n.to_string()),
            Some(other) => Err(fail(&format!("#/info/{name}"), format!("expected a string, found {}", kind(other)))),
            None => Err(fail("#/info", format!("`{name}` is missing"))),
        };
        let (title, info_version) = (info_field("title")?, info_field("version")?);

        let extends = match root.get("extends") {
            None => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(other) => return Err(fail("#/extends", format!("expected a string, found {}", kind(other)))),
        };

        let actions = match root.get("actions") {
            Some(Json::Array(actions)) if !actions.is_empty() => actions,
            Some(Json::Array(_)) => return Err(fail("#/actions", "an overlay needs at least one action".into())),
            Some(other) => return Err(fail("#/actions", format!("expected an array, found {}", kind(other)))),
            None => return Err(fail("#", "`actions` is missing".into())),
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(i, a)| Action::parse(i, a).map_err(|(at, m)| fail(&at, m)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Overlay { file: file.to_owned(), version, title, info_version, extends, actions })
    }

    /// Applies the actions, in order, to a document.
    pub fn apply_to(&self, doc: &mut Json) -> Result<Vec<Applied>> {
        self.run(doc, false).map(|(applied, _)| applied)
    }

    /// [`Overlay::apply_to`], except that an action whose target selects nothing is skipped and
    /// returned instead of failing the whole overlay (a new version of the spec dropped what it
    /// changes). Every other error (an update of a primitive...) still fails.
    pub fn apply_lenient(&self, doc: &mut Json) -> Result<(Vec<Applied>, Vec<Stale>)> {
        self.run(doc, true)
    }

    /// The overlay without the actions at `indexes` (the others keep their order).
    pub fn without(&self, indexes: &[usize]) -> Overlay {
        let actions = self.actions.iter().enumerate().filter(|(i, _)| !indexes.contains(i)).map(|(_, a)| a.clone());
        Overlay { actions: actions.collect(), ..self.clone() }
    }

    fn run(&self, doc: &mut Json, lenient: bool) -> Result<(Vec<Applied>, Vec<Stale>)> {
        let mut out = Vec::with_capacity(self.actions.len());
        let mut stale = Vec::new();
        for (index, action) in self.actions.iter().enumerate() {
            let fail = |message: String| Error::Overlay {
                file: self.file.clone(),
                at: format!("action {index} (target `{}`)", action.target),
                message,
            };
            let mut nodes: Vec<Vec<Step>> = action
                .path
                .query_located(doc)
                .locations()
                .map(|location| {
                    location
                        .iter()
                        .map(|e| match e {
                            serde_json_path::PathElement::Name(n) => Step::Name((*n).to_owned()),
                            serde_json_path::PathElement::Index(i) => Step::Index(*i),
                        })
                        .collect()
                })
                .collect();
            if nodes.is_empty() && lenient {
                stale.push(Stale { file: self.file.clone(), index, action: action.clone() });
                continue;
            }
            if nodes.is_empty() {
                return Err(fail(
                    "matches nothing in the document: the spec no longer has what this action changes (renamed, \
                     moved or removed?); point the target at its new place, or delete the action"
                        .into(),
                ));
            }
            let pointers: Vec<String> = nodes.iter().map(|n| pointer(n)).collect();
            if action.remove {
                // Deepest and last first, so that removing a node moves none of those still to go.
                nodes.sort();
                nodes.dedup();
                for node in nodes.iter().rev() {
                    remove(doc, node).map_err(fail)?;
                }
            } else if let Some(update) = &action.update {
                for node in &nodes {
                    // A node a previous update of this action replaced is gone; nothing to do.
                    let Some(value) = get_mut(doc, node) else { continue };
                    match (value, update) {
                        (Json::Object(target), Json::Object(update)) => merge(target, update),
                        (Json::Object(_), other) => {
                            return Err(fail(format!(
                                "selects an object at {}, and an object can only be updated with an object, not {}",
                                pointer(node),
                                kind(other)
                            )))
                        }
                        (Json::Array(items), update) => items.push(update.clone()),
                        (other, _) => {
                            return Err(fail(format!(
                                "selects {} at {}; a target must select objects or arrays (to change a value, \
                                 select the object that holds it and update that property)",
                                kind(other),
                                pointer(node)
                            )))
                        }
                    }
                }
            }
            out.push(Applied {
                file: self.file.clone(),
                index,
                target: action.target.clone(),
                removed: action.remove,
                nodes: pointers,
            });
        }
        Ok((out, stale))
    }
}

impl Action {
    /// Reads `actions[index]`; an error is (where, message).
    fn parse(index: usize, value: &Json) -> Result<Action, (String, String)> {
        let at = format!("action {index} (#/actions/{index})");
        let Json::Object(map) = value else {
            return Err((at, format!("expected an object with a `target`, found {}", kind(value))));
        };
        if map.contains_key("copy") {
            return Err((
                at,
                "`copy` is an Overlay 1.1 action; this reader implements 1.0 (`update`, `remove`)".into(),
            ));
        }
        known_fields(map, &format!("#/actions/{index}"), &["target", "description", "update", "remove"])
            .map_err(|(pointer, m)| (format!("action {index} ({pointer})"), m))?;
        let target = match map.get("target") {
            Some(Json::String(t)) => t.clone(),
            Some(other) => return Err((at, format!("`target` must be a JSONPath string, found {}", kind(other)))),
            None => return Err((at, "`target` (a JSONPath query) is missing".into())),
        };
        let path = JsonPath::parse(&target).map_err(|e| {
            // `position` is the byte offset where the parser stopped: as a 1-based column (in
            // characters), and a caret under that character.
            let offset = e.position().min(target.len());
            let column = target.char_indices().take_while(|(i, _)| *i < offset).count();
            (
                format!("action {index} (#/actions/{index}/target)"),
                format!(
                    "`{target}` is not valid JSONPath (RFC 9535): {} at column {}\n    {target}\n    {}^",
                    e.message(),
                    column + 1,
                    " ".repeat(column)
                ),
            )
        })?;
        let description = match map.get("description") {
            None => None,
            Some(Json::String(d)) => Some(d.clone()),
            Some(other) => return Err((at, format!("`description` must be a string, found {}", kind(other)))),
        };
        let remove = match map.get("remove") {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => return Err((at, format!("`remove` must be a boolean, found {}", kind(other)))),
        };
        let update = map.get("update").cloned();
        if update.is_none() && !remove {
            return Err((at, "does nothing: give it an `update` or `remove: true`".into()));
        }
        Ok(Action { target, path, description, update, remove })
    }
}

/// Applies overlays, in order, to a raw spec tree; an empty list leaves the tree as it is.
pub fn apply(raw: &mut Raw, overlays: &[Overlay]) -> Result<Vec<Applied>> {
    if overlays.is_empty() {
        return Ok(Vec::new());
    }
    let mut doc = to_json(raw).map_err(|bad| Error::Invalid { pointer: bad.pointer(), message: bad.message })?;
    let mut applied = Vec::new();
    for overlay in overlays {
        applied.extend(overlay.apply_to(&mut doc)?);
    }
    *raw = to_raw(doc);
    Ok(applied)
}

/// [`apply`], except that actions whose targets select nothing are skipped and returned (see
/// [`Overlay::apply_lenient`]).
pub fn apply_lenient(raw: &mut Raw, overlays: &[Overlay]) -> Result<(Vec<Applied>, Vec<Stale>)> {
    if overlays.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut doc = to_json(raw).map_err(|bad| Error::Invalid { pointer: bad.pointer(), message: bad.message })?;
    let (mut applied, mut stale) = (Vec::new(), Vec::new());
    for overlay in overlays {
        let (a, s) = overlay.apply_lenient(&mut doc)?;
        applied.extend(a);
        stale.extend(s);
    }
    *raw = to_raw(doc);
    Ok((applied, stale))
}

/// Fields other than `allowed` must be extensions (`x-...`).
fn known_fields(map: &Map<String, Json>, at: &str, allowed: &[&str]) -> Result<(), (String, String)> {
    match map.keys().find(|k| !allowed.contains(&k.as_str()) && !k.starts_with("x-")) {
        Some(k) => Err((
            child(at, k),
            format!("unknown field `{k}` (expected {}, or an `x-` extension)", {
                let names: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                names.join(", ")
            }),
        )),
        None => Ok(()),
    }
}

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

/// The JSON pointer of a path, `#`-prefixed.
fn pointer(steps: &[Step]) -> String {
    steps.iter().fold(String::from("#"), |p, s| match s {
        Step::Name(n) => child(&p, n),
        Step::Index(i) => format!("{p}/{i}"),
    })
}

fn get_mut<'a>(doc: &'a mut Json, steps: &[Step]) -> Option<&'a mut Json> {
    steps.iter().try_fold(doc, |value, step| match (value, step) {
        (Json::Object(map), Step::Name(n)) => map.get_mut(n),
        (Json::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

fn remove(doc: &mut Json, steps: &[Step]) -> Result<(), String> {
    let Some((last, parent)) = steps.split_last() else {
        return Err("selects the whole document, which cannot be removed".into());
    };
    match (get_mut(doc, parent), last) {
        (Some(Json::Object(map)), Step::Name(n)) => {
            // `shift_remove` keeps the order of the other keys (the order of struct fields).
            map.shift_remove(n);
        }
        (Some(Json::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        // Inside a node this action removed already.
        _ => {}
    }
    Ok(())
}

/// Merges `update` into `target`: objects recursively, any other value replaces.
fn merge(target: &mut Map<String, Json>, update: &Map<String, Json>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Json::Object(existing)), Json::Object(value)) => merge(existing, value),
            (Some(existing), value) => *existing = value.clone(),
            (None, value) => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// A value of the raw tree JSON cannot hold, with the path to it (innermost step first).
struct Unrepresentable {
    reversed: Vec<String>,
    message: String,
}

impl Unrepresentable {
    fn pointer(&self) -> String {
        self.reversed.iter().rev().fold(String::from("#"), |p, token| child(&p, token))
    }
}

/// The raw tree as JSON, which JSONPath queries. Keys that YAML reads as numbers or booleans
/// (`200:`) become their text; YAML tags are dropped.
fn to_json(raw: &Raw) -> Result<Json, Unrepresentable> {
    let within = |token: String| {
        move |mut bad: Unrepresentable| {
            bad.reversed.push(token);
            bad
        }
    };
    Ok(match raw {
        Raw::Null => Json::Null,
        Raw::Bool(b) => Json::Bool(*b),
        Raw::Number(n) => match super::convert::number_json(n) {
            Some(json) => json,
            None => {
                return Err(Unrepresentable {
                    reversed: Vec::new(),
                    message: format!("the number `{n}` has no JSON form, so overlays cannot be applied"),
                })
            }
        },
        Raw::String(s) => Json::String(s.clone()),
        Raw::Sequence(items) => Json::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| to_json(item).map_err(within(i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Raw::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Raw::String(s) => s.clone(),
                    Raw::Number(n) => n.to_string(),
                    Raw::Bool(b) => b.to_string(),
                    _ => {
                        return Err(Unrepresentable {
                            reversed: Vec::new(),
                            message: "object keys must be strings, numbers or booleans".into(),
                        })
                    }
                };
                let value = to_json(v).map_err(within(key.clone()))?;
                out.insert(key, value);
            }
            Json::Object(out)
        }
        Raw::Tagged(t) => to_json(&t.value)?,
    })
}

/// JSON back into the raw tree.
fn to_raw(json: Json) -> Raw {
    match json {
        Json::Null => Raw::Null,
        Json::Bool(b) => Raw::Bool(b),
        Json::Number(n) => Raw::Number(if let Some(u) = n.as_u64() {
            u.into()
        } else if let Some(i) = n.as_i64() {
            i.into()
        } else {
            n.as_f64().unwrap_or_default().into()
        }),
        Json::String(s) => Raw::String(s),
        Json::Array(items) => Raw::Sequence(items.into_iter().map(to_raw).collect()),
        Json::Object(map) => Raw::Mapping(map.into_iter().map(|(k, v)| (Raw::String(k), to_raw(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(yaml: &str) -> Result<Overlay> {
        Overlay::parse("test.overlay.yaml", yaml, Format::Yaml)
    }

    fn applied(doc: Json, yaml: &str) -> Result<Json> {
        let mut doc = doc;
        overlay(yaml)?.apply_to(&mut doc)?;
        Ok(doc)
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\n";

    #[test]
    fn updates_merge_recursively_and_replace_other_values() {
        let doc = json!({"a": {"b": {"c": 1, "d": [1, 2]}, "e": "x"}});
        let out = applied(
            doc,
            &format!("{HEAD}actions:\n  - target: $.a\n    update: {{b: {{d: [3], f: true}}, e: y, g: null}}\n"),
        )
        .unwrap();
        assert_eq!(out, json!({"a": {"b": {"c": 1, "d": [3], "f": true}, "e": "y", "g": null}}));
    }

    #[test]
    fn an_update_of_an_array_appends_one_entry() {
        let out = applied(
            json!({"tags": [{"name": "a"}]}),
            &format!("{HEAD}actions:\n  - target: $.tags\n    update: {{name: b}}\n"),
        )
        .unwrap();
        assert_eq!(out, json!({"tags": [{"name": "a"}, {"name": "b"}]}));
    }

    #[test]
    fn removes_keep_order_and_indexes() {
        let doc = json!({"k": {"x": 1, "y": 2, "z": 3}, "list": [0, 1, 2, 3]});
        let out = applied(
            doc,
            &format!(
                "{HEAD}actions:\n  - target: $.k.y\n    remove: true\n  - target: $.list[1,3]\n    remove: true\n"
            ),
        )
        .unwrap();
        assert_eq!(serde_json::to_string(&out).unwrap(), r#"{"k":{"x":1,"z":3},"list":[0,2]}"#);
    }

    #[test]
    fn a_target_that_matches_nothing_names_file_action_and_target() {
        let err = applied(
            json!({"a": {}}),
            &format!("{HEAD}actions:\n  - target: $.a\n    update: {{}}\n  - target: $.b\n    update: {{x: 1}}\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("overlay test.overlay.yaml: action 1 (target `$.b`): matches nothing"), "{err}");
    }

    #[test]
    fn lenient_application_skips_and_returns_every_action_that_matches_nothing() {
        let text = format!(
            "{HEAD}actions:\n  - target: $.a\n    update: {{x: 1}}\n  - target: $.b\n    update: {{x: 2}}\n  \
             - target: $.c\n    description: gone too\n    remove: true\n  - target: $.d\n    update: {{x: 4}}\n"
        );
        let o = overlay(&text).unwrap();
        let mut doc = json!({"a": {}, "d": {}});
        let (applied, stale) = o.apply_lenient(&mut doc).unwrap();
        assert_eq!(doc, json!({"a": {"x": 1}, "d": {"x": 4}}));
        assert_eq!(applied.iter().map(|a| a.index).collect::<Vec<_>>(), [0, 3]);
        let stale: Vec<(usize, &str, Option<&str>)> =
            stale.iter().map(|s| (s.index, s.action.target.as_str(), s.action.description.as_deref())).collect();
        assert_eq!(stale, [(1, "$.b", None), (2, "$.c", Some("gone too"))]);
        // The strict form still fails on the first.
        assert!(o.apply_to(&mut json!({"a": {}, "d": {}})).unwrap_err().to_string().contains("action 1"));
        // Other errors are not excused.
        let bad = overlay(&format!("{HEAD}actions:\n  - target: $.a\n    update: y\n")).unwrap();
        assert!(bad.apply_lenient(&mut json!({"a": "x"})).is_err());
        assert_eq!(o.without(&[1, 2]).actions.iter().map(|a| a.target.as_str()).collect::<Vec<_>>(), ["$.a", "$.d"]);
    }

    #[test]
    fn malformed_jsonpath_is_reported_with_its_position() {
        let err = overlay(&format!("{HEAD}actions:\n  - target: $.a[?\n    remove: true\n")).unwrap_err().to_string();
        assert!(err.contains("action 0 (#/actions/0/target)"), "{err}");
        assert!(err.contains("is not valid JSONPath"), "{err}");
        assert!(err.contains("at column 6\n    $.a[?\n         ^"), "{err}");
    }

    #[test]
    fn primitives_cannot_be_updated() {
        let err = applied(json!({"a": "x"}), &format!("{HEAD}actions:\n  - target: $.a\n    update: y\n")).unwrap_err();
        assert!(err.to_string().contains("selects a string at #/a"), "{err}");
    }

    #[test]
    fn the_document_shape_is_checked() {
        let err = |text: &str| overlay(text).unwrap_err().to_string();
        assert!(
            err("overlay: 1.1.0\ninfo: {title: t, version: 1}\nactions: [{target: $, remove: true}]").contains("1.1.0")
        );
        assert!(err(&format!("{HEAD}actions: []")).contains("at least one action"));
        assert!(err(&format!("{HEAD}actions: [{{target: $.a}}]")).contains("does nothing"));
        assert!(err(&format!("{HEAD}actions: [{{target: $.a, remove: true, delete: true}}]"))
            .contains("unknown field `delete`"));
        assert!(err(&format!("{HEAD}extra: 1\nactions: [{{target: $.a, remove: true}}]")).contains("#/extra"));
        assert!(overlay(&format!("{HEAD}x-note: ok\nactions: [{{target: $.a, remove: true, x-why: ok}}]")).is_ok());
    }

    #[test]
    fn raw_trees_round_trip_with_yaml_keys_as_text() {
        let mut raw: Raw = serde_yaml::from_str("responses:\n  200: {description: OK}\n").unwrap();
        let o = overlay(&format!("{HEAD}actions:\n  - target: $.responses['200']\n    update: {{x-checked: true}}\n"))
            .unwrap();
        let applied = apply(&mut raw, &[o]).unwrap();
        assert_eq!(applied[0].nodes, ["#/responses/200"]);
        assert_eq!(
            super::super::convert::to_json(&raw),
            json!({"responses": {"200": {"description": "OK", "x-checked": true}}})
        );
    }
}
