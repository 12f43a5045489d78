//! Overlay actions that no longer apply: what each one selected in the old spec, and where that
//! thing is in the new one.
//!
//! An action whose target selects nothing in the new spec is *stale*. Whether it may simply be
//! deleted depends on what became of the node it selected in the old spec:
//!
//! - **removed**: the node is gone and nothing in the new spec takes its place (an operation
//!   removed, a property removed, a schema removed): the action documented something that no
//!   longer exists, and deleting it loses nothing. The diff's change that says so is named when
//!   there is one (`deleteConversation`: operation removed).
//! - **moved**: the thing still exists elsewhere: the same operation (by `operationId`) under
//!   another path or method, a path whose parameter was renamed, a schema or property with the
//!   same definition under another name, or the node itself, still in its place, that the
//!   target's filter no longer selects. Deleting the action would drop its text silently; its
//!   target must point at the new place.
//! - an action that selected nothing in the old spec either documents nothing in either, and
//!   counts as removed.
//!
//! Definitions are compared without their documentation (`description`, `summary`, `title`,
//! examples): a renamed schema usually keeps its shape, not always its words.

use super::{Kind, Report};
use generator::load::overlay::{Applied, Stale};
use serde::Serialize;
use serde_json::Value as Json;

/// An overlay action that selects nothing in the new spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleAction {
    /// The overlay file, as the manifest's `overlays` list names it (from the workspace root).
    pub file: String,
    /// The action's index in the file's `actions`.
    pub index: usize,
    /// The action's target.
    pub target: String,
    /// What the action documented, shortened: `description "Conversation ID (short ID)"`,
    /// `x-sensitive: true`, `removes the node`.
    pub documented: String,
    /// What became of the node it selected in the old spec.
    pub fate: Fate,
}

/// What became of the node a stale action selected in the old spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", rename_all = "kebab-case")]
pub enum Fate {
    /// The node is gone from the new spec.
    Removed {
        /// The node in the old spec (a JSON pointer).
        node: String,
        /// The diff's change that reports the removal, when there is one
        /// (`` `deleteConversation`: operation `DELETE /v2/conversations/{id}` removed ``).
        change: Option<String>,
    },
    /// The node still exists in the new spec, elsewhere or where it was.
    Moved {
        /// The node in the old spec.
        node: String,
        /// Where it is in the new spec.
        now: String,
        /// How to fix the action.
        fix: String,
    },
    /// The action selected nothing in the old spec either.
    NotInOld,
}

impl StaleAction {
    /// Whether the action may be deleted: what it documented no longer exists.
    pub fn removable(&self) -> bool {
        !matches!(self.fate, Fate::Moved { .. })
    }

    /// What became of the node, as a sentence without its action (`was removed: ...`).
    pub fn fate_text(&self) -> String {
        match &self.fate {
            Fate::Removed { node, change: Some(change) } => {
                format!("what it selected (`{node}`) was removed; the diff reports {change}")
            }
            Fate::Removed { node, change: None } => {
                format!("what it selected (`{node}`) was removed (the diff reports no change there)")
            }
            Fate::Moved { node, now, fix } if node == now => {
                format!("what it selected (`{node}`) is still there, but the target no longer selects it: {fix}")
            }
            Fate::Moved { node, now, fix } => format!("what it selected (`{node}`) moved to `{now}`: {fix}"),
            Fate::NotInOld => "it selected nothing in the old spec either".to_owned(),
        }
    }

    /// One line naming the action and what became of its node.
    pub fn describe(&self) -> String {
        format!(
            "{}: action {} (target `{}`, {}): {}",
            self.file,
            self.index,
            self.target,
            self.documented,
            self.fate_text()
        )
    }
}

/// The longest text of a documented value shown.
const SHOWN: usize = 60;

/// What an action documents, shortened.
fn documented(action: &generator::load::overlay::Action) -> String {
    if action.remove {
        return "removes the node".to_owned();
    }
    let Some(update) = &action.update else { return "does nothing".to_owned() };
    let mut parts = Vec::new();
    match update {
        Json::Object(map) => {
            for (key, value) in map {
                let text = match value {
                    Json::String(s) => format!("\"{}\"", shorten(s)),
                    other => shorten(&other.to_string()),
                };
                parts.push(format!("{key} {text}"));
            }
        }
        other => parts.push(format!("appends {}", shorten(&other.to_string()))),
    }
    if parts.is_empty() {
        "an empty update".to_owned()
    } else {
        parts.join(", ")
    }
}

/// `text` on one line, at most [`SHOWN`] characters (then `…`).
fn shorten(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= SHOWN {
        return line;
    }
    let cut: String = line.chars().take(SHOWN).collect();
    // At a word's end where there is one.
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// One side of the comparison: the effective document (the spec with the overlays that apply)
/// and what each action selected in it.
pub struct Side<'a> {
    /// The document, as JSON.
    pub doc: &'a Json,
    /// The actions that selected something, with their nodes.
    pub applied: &'a [Applied],
}

/// The stale actions of the new spec, each with what became of its node, in overlay order.
pub fn classify(stale: &[Stale], old: &Side<'_>, new: &Side<'_>, report: &Report) -> Vec<StaleAction> {
    stale
        .iter()
        .map(|s| {
            let selected = old.applied.iter().find(|a| a.file == s.file && a.index == s.index);
            let fate = match selected.map(|a| a.nodes.as_slice()) {
                None | Some([]) => Fate::NotInOld,
                Some(nodes) => {
                    let fates: Vec<Fate> = nodes.iter().map(|n| fate(old.doc, new.doc, n, report)).collect();
                    // One node that still exists is enough to keep the action.
                    let moved = fates.iter().position(|f| matches!(f, Fate::Moved { .. }));
                    fates.into_iter().nth(moved.unwrap_or(0)).unwrap_or(Fate::NotInOld)
                }
            };
            StaleAction {
                file: s.file.clone(),
                index: s.index,
                target: s.action.target.clone(),
                documented: documented(&s.action),
                fate,
            }
        })
        .collect()
}

/// The tokens of a `#/...` JSON pointer.
fn tokens(pointer: &str) -> Vec<String> {
    let path = pointer.trim_start_matches('#');
    if path.is_empty() {
        return Vec::new();
    }
    path.trim_start_matches('/').split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

/// The `#/...` JSON pointer of tokens.
fn pointer(tokens: &[String]) -> String {
    tokens.iter().fold(String::from("#"), |p, t| format!("{p}/{}", t.replace('~', "~0").replace('/', "~1")))
}

/// A JSONPath that selects the node at `tokens` of `doc`: names as members (`.name` or
/// `['/v2/x']`), parameters by their name, other array entries by index.
fn json_path(doc: &Json, tokens: &[String]) -> String {
    let mut out = String::from("$");
    let mut current = Some(doc);
    for t in tokens {
        let parent = current;
        current = current.and_then(|c| child(c, t));
        match parent {
            Some(Json::Array(_)) => match current.and_then(|c| c.get("name")).and_then(Json::as_str) {
                Some(name) => out.push_str(&format!("[?@.name == '{name}']")),
                None => out.push_str(&format!("[{t}]")),
            },
            _ if !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push('.');
                out.push_str(t);
            }
            _ => out.push_str(&format!("['{}']", t.replace('\\', "\\\\").replace('\'', "\\'"))),
        }
    }
    out
}

fn child<'j>(value: &'j Json, token: &str) -> Option<&'j Json> {
    match value {
        Json::Object(map) => map.get(token),
        Json::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

/// A value without its documentation, for telling whether two definitions are the same.
fn bare(value: &Json) -> Json {
    const DOCS: &[&str] = &["description", "summary", "title", "example", "examples", "externalDocs"];
    match value {
        Json::Object(map) => Json::Object(
            map.iter().filter(|(k, _)| !DOCS.contains(&k.as_str())).map(|(k, v)| (k.clone(), bare(v))).collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(bare).collect()),
        other => other.clone(),
    }
}

/// The entry of `new` (an array) that is the entry `old` of the old array: the same definition,
/// else (for parameters and other named entries) the same name and location, else the same
/// `$ref`.
fn same_entry<'j>(old: &Json, new: &'j [Json]) -> Option<(usize, &'j Json)> {
    let b = bare(old);
    if let Some(found) = new.iter().enumerate().find(|(_, n)| bare(n) == b) {
        return Some(found);
    }
    let key = |v: &Json| (v.get("name").cloned(), v.get("in").cloned());
    if old.get("name").is_some() {
        return new.iter().enumerate().find(|(_, n)| key(n) == key(old));
    }
    old.get("$ref").and_then(|r| new.iter().enumerate().find(|(_, n)| n.get("$ref") == Some(r)))
}

/// `/v2/posts/{id}` and `/v2/posts/{postId}` are the same endpoint (as the diff matches them).
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut in_var = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_var = true;
                out.push_str("{}");
            }
            '}' => in_var = false,
            _ if in_var => {}
            _ => out.push(c),
        }
    }
    out
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Where the operation at `paths/<path>/<method>` of the old spec is in the new one: the same
/// method on the same endpoint (parameter names aside), else the same `operationId` anywhere.
fn operation_now(old: &Json, new: &Json, path: &str, method: &str) -> Option<(String, String)> {
    let paths = new.get("paths")?.as_object()?;
    if let Some((p, _)) = paths.iter().find(|(p, item)| template(p) == template(path) && item.get(method).is_some()) {
        return Some((p.clone(), method.to_owned()));
    }
    let id = old.get("paths")?.get(path)?.get(method)?.get("operationId")?.as_str()?;
    paths.iter().find_map(|(p, item)| {
        METHODS
            .iter()
            .find_map(|m| (item.get(*m)?.get("operationId")?.as_str()? == id).then(|| (p.clone(), (*m).to_owned())))
    })
}

/// What became of the node at `node` (a pointer into `old`) in `new`.
fn fate(old: &Json, new: &Json, node: &str, report: &Report) -> Fate {
    let steps = tokens(node);
    // Where the walk is in the new spec: the old node's steps, re-rooted where something moved.
    let mut now: Vec<String> = Vec::new();
    let mut moved = false;
    let (mut o, mut n) = (old, new);
    let mut k = 0;
    while k < steps.len() {
        let t = &steps[k];
        let Some(o_next) = child(o, t) else { break };
        // An operation: found by its endpoint or its operationId.
        if k == 1 && steps[0] == "paths" && steps.len() > 2 {
            let method = &steps[2];
            match operation_now(old, new, t, method) {
                Some((p, m)) => {
                    moved |= p != *t || m != *method;
                    now.extend([p.clone(), m.clone()]);
                    o = &old["paths"][t.as_str()][method.as_str()];
                    n = &new["paths"][p.as_str()][m.as_str()];
                    k += 2;
                    continue;
                }
                None => return removed(node, &steps[..3], old, report),
            }
        }
        let found = match (o, n) {
            (Json::Array(_), Json::Array(items)) => same_entry(o_next, items).map(|(i, v)| (i.to_string(), v)),
            _ => child(n, t).map(|v| (t.clone(), v)),
        };
        match found {
            Some((token, value)) => {
                moved |= token != *t;
                now.push(token);
                n = value;
            }
            None => {
                // Gone from its place: under another name with the same definition?
                let b = bare(o_next);
                let renamed = match (o, n) {
                    (Json::Object(old_map), Json::Object(new_map)) => new_map
                        .iter()
                        .find(|(key, value)| !old_map.contains_key(*key) && bare(value) == b)
                        .map(|(key, _)| key.clone()),
                    _ => None,
                };
                let Some(key) = renamed else { return removed(node, &steps[..=k], old, report) };
                now.push(key.clone());
                let rest = &steps[k + 1..];
                now.extend(rest.iter().cloned());
                let fix = format!("point the target at `{}`", json_path(new, &now));
                return Fate::Moved { node: node.to_owned(), now: pointer(&now), fix };
            }
        }
        o = o_next;
        k += 1;
    }
    let fix = if moved {
        format!("point the target at `{}`", json_path(new, &now))
    } else {
        "change the target so that it selects the node again (what its filter tests changed)".to_owned()
    };
    Fate::Moved { node: node.to_owned(), now: pointer(&now), fix }
}

/// The node at `node` is gone; `gone` are the steps to the outermost thing that went (an
/// operation, a schema, a property...). Names the diff's change that reports it.
fn removed(node: &str, gone: &[String], old: &Json, report: &Report) -> Fate {
    Fate::Removed { node: node.to_owned(), change: reported(gone, old, report) }
}

/// The diff's change reporting the removal of the thing at `gone`, as `` `location`: summary ``.
fn reported(gone: &[String], old: &Json, report: &Report) -> Option<String> {
    let wanted: Vec<(Kind, String)> = match gone {
        [paths, path, method, rest @ ..] if paths == "paths" => {
            let op = old.get("paths")?.get(path)?.get(method)?;
            let id = op.get("operationId").and_then(Json::as_str).map(str::to_owned)?;
            match rest {
                [] => vec![(Kind::OperationRemoved, id)],
                [parameters, i] if parameters == "parameters" => {
                    let p = op.get("parameters")?.get(i.parse::<usize>().ok()?)?;
                    let (name, location) = (p.get("name")?.as_str()?, p.get("in")?.as_str()?);
                    vec![(Kind::ParameterRemoved, format!("{id}.{location}.{name}"))]
                }
                [body] if body == "requestBody" => vec![(Kind::RequestBodyRemoved, format!("{id}.request"))],
                _ => Vec::new(),
            }
        }
        [components, schemas, name, rest @ ..] if components == "components" && schemas == "schemas" => {
            let mut location = name.clone();
            let mut i = 0;
            while i < rest.len() {
                match (rest[i].as_str(), rest.get(i + 1)) {
                    ("properties", Some(p)) => {
                        location.push('.');
                        location.push_str(p);
                        i += 2;
                    }
                    ("items", _) => {
                        location.push_str("[]");
                        i += 1;
                    }
                    _ => return None,
                }
            }
            vec![(Kind::PropertyRemoved, location)]
        }
        _ => Vec::new(),
    };
    report.changes.iter().find_map(|c| {
        wanted
            .iter()
            .any(|(kind, loc)| c.kind == *kind && c.location == *loc)
            .then(|| format!("`{}`: {}", c.location, c.summary))
    })
}

/// The stale actions as Markdown, for the diff report.
pub fn markdown(stale: &[StaleAction]) -> String {
    let mut out = format!("## Overlay actions that no longer apply ({})\n\n", stale.len());
    out.push_str(
        "Their targets select nothing in the new spec. `cargo xtask generate --spec NEW` deletes those whose \
         node was removed and stops on those whose node moved.\n\n",
    );
    for s in stale {
        let verdict = if s.removable() { "removed" } else { "moved: fix the target" };
        out.push_str(&format!(
            "- **{verdict}.** `{}` action {} (target `{}`): {}; {}.\n",
            s.file,
            s.index,
            s.target,
            s.documented,
            s.fate_text()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Report {
        let side =
            || super::super::SpecSummary { file: String::new(), version: String::new(), operations: 0, schemas: 0 };
        Report {
            old: side(),
            new: side(),
            summary: Default::default(),
            changes: Vec::new(),
            stale_overlay_actions: Vec::new(),
        }
    }

    fn old() -> Json {
        json!({
            "paths": {
                "/v2/things/{id}": {
                    "get": {"operationId": "getThing", "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "expand", "in": "query", "schema": {"type": "boolean"}}
                    ]},
                    "delete": {"operationId": "deleteThing", "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
                    ]}
                }
            },
            "components": {"schemas": {
                "Thing": {"type": "object", "properties": {
                    "title": {"type": "string", "description": "The title"},
                    "size": {"type": "integer"}
                }},
                "Old": {"type": "object", "properties": {"a": {"type": "string"}}}
            }}
        })
    }

    #[test]
    fn removed_nodes_and_moved_ones_are_told_apart() {
        let old = old();
        let mut new = old.clone();
        // The delete operation is gone; `getThing` moves to another path with the parameter renamed.
        let item = new["paths"].as_object_mut().unwrap().remove("/v2/things/{id}").unwrap();
        let mut get = item["get"].clone();
        get["parameters"][0]["name"] = json!("thingId");
        new["paths"]["/v3/things/{thingId}"] = json!({"get": get});
        // `title` is now `headline`; `size` is gone; `Old` is now `Renamed`.
        let thing = new["components"]["schemas"]["Thing"]["properties"].as_object_mut().unwrap();
        thing.remove("title");
        thing.remove("size");
        thing.insert("headline".into(), json!({"type": "string", "description": "Another text"}));
        let schemas = new["components"]["schemas"].as_object_mut().unwrap();
        let renamed = schemas.remove("Old").unwrap();
        schemas.insert("Renamed".into(), renamed);

        let r = report();
        let f = |node: &str| fate(&old, &new, node, &r);
        assert_eq!(
            f("#/paths/~1v2~1things~1{id}/delete/parameters/0"),
            Fate::Removed { node: "#/paths/~1v2~1things~1{id}/delete/parameters/0".into(), change: None }
        );
        assert!(matches!(f("#/components/schemas/Thing/properties/size"), Fate::Removed { .. }));
        let Fate::Moved { now, fix, .. } = f("#/components/schemas/Thing/properties/title") else { panic!() };
        assert_eq!(now, "#/components/schemas/Thing/properties/headline");
        assert_eq!(fix, "point the target at `$.components.schemas.Thing.properties.headline`");
        let Fate::Moved { fix, .. } = f("#/components/schemas/Old/properties/a") else { panic!() };
        assert_eq!(fix, "point the target at `$.components.schemas.Renamed.properties.a`");
        let Fate::Moved { now, fix, .. } = f("#/paths/~1v2~1things~1{id}/get/parameters/1") else { panic!() };
        assert_eq!(now, "#/paths/~1v3~1things~1{thingId}/get/parameters/1");
        assert_eq!(fix, "point the target at `$.paths['/v3/things/{thingId}'].get.parameters[?@.name == 'expand']`");
        // Still where it was: only the target's filter misses it.
        let Fate::Moved { now, .. } = fate(&old, &old, "#/components/schemas/Thing", &r) else { panic!() };
        assert_eq!(now, "#/components/schemas/Thing");
    }

    #[test]
    fn documented_text_is_shortened() {
        let o = generator::load::Overlay::parse(
            "o.yaml",
            "overlay: 1.0.0\ninfo: {title: t, version: 1}\nactions:\n  - target: $.a\n    update:\n      description: \
             \"A very long description that goes on and on, well past the sixty characters shown\"\n  \
             - target: $.b\n    update: {x-sensitive: true}\n  - target: $.c\n    remove: true\n",
            generator::load::Format::Yaml,
        )
        .unwrap();
        let texts: Vec<String> = o.actions.iter().map(documented).collect();
        assert_eq!(
            texts,
            [
                "description \"A very long description that goes on and on, well past the…\"",
                "x-sensitive true",
                "removes the node"
            ]
        );
    }
}
