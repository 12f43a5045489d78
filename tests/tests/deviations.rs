//! Responses as real servers send them: the deviations from the spec that lenient decoding
//! repairs, at every level, for every operation's response schema.
//!
//! For each response schema a schema-valid instance is made from the spec (every optional
//! property present), then changed at one place at a time, in each way servers deviate:
//!
//! - a property left out;
//! - `null` in place of a value;
//! - a scalar of another JSON type (a number as a string, a string as a number, a boolean as a
//!   string).
//!
//! A change the spec allows (an optional property left out, `null` where it is nullable, a
//! value a union's fallback takes) is not a deviation: the strict decode accepts it and it is
//! counted as such. Every other change must be rejected by the strict decode at the JSON path
//! of the change, and decoded by the lenient one with the deviation reported at that path (a
//! left-out object also reports what was filled in below it), the rest of the response as it
//! came.

use featurebase::{dynamic, Decoding, DeviationKind};
use featurebase_tests::instances::Instances;
use featurebase_tests::{report, response_schemas, same_json, spec_json};
use serde_json::Value;

/// At most this many places are changed per document (spread over the whole document), so
/// that the suite stays quick on large responses.
const PLACES_PER_DOCUMENT: usize = 120;

/// One way to change a value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    Remove,
    Null,
    OtherType,
}

/// Every place of a document with the path the decoder names it by (`data[3].isBlocked`), and
/// whether it is an object property (which can be left out).
fn places(value: &Value, path: &str, out: &mut Vec<(Vec<Step>, String, bool)>, steps: &mut Vec<Step>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                steps.push(Step::Key(key.clone()));
                out.push((steps.clone(), child_path.clone(), true));
                places(child, &child_path, out, steps);
                steps.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let child_path = format!("{path}[{i}]");
                steps.push(Step::Index(i));
                out.push((steps.clone(), child_path.clone(), false));
                places(child, &child_path, out, steps);
                steps.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'v>(value: &'v mut Value, steps: &[Step]) -> &'v mut Value {
    let mut current = value;
    for s in steps {
        current = match s {
            Step::Key(k) => current.get_mut(k.as_str()).expect("the place exists"),
            Step::Index(i) => current.get_mut(*i).expect("the place exists"),
        };
    }
    current
}

/// The document with one change, or `None` when the change does not apply there.
fn changed(document: &Value, steps: &[Step], is_property: bool, change: Change) -> Option<Value> {
    let mut doc = document.clone();
    match change {
        Change::Remove => {
            let (last, parent) = steps.split_last()?;
            let (Step::Key(key), true) = (last, is_property) else { return None };
            at(&mut doc, parent).as_object_mut()?.remove(key)?;
        }
        Change::Null => {
            let slot = at(&mut doc, steps);
            if slot.is_null() {
                return None;
            }
            *slot = Value::Null;
        }
        Change::OtherType => {
            let slot = at(&mut doc, steps);
            *slot = match slot {
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::String(b.to_string()),
                Value::String(s) if !s.is_empty() => Value::from(123),
                _ => return None,
            };
        }
    }
    Some(doc)
}

/// The path of the first place where two documents differ, if any.
fn first_change(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            match (x.get(k), y.get(k)) {
                (Some(a), Some(b)) => first_change(a, b, &p),
                _ => Some(p),
            }
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (a, b))| first_change(a, b, &format!("{path}[{i}]")))
        }
        _ if same_json(a, b) => None,
        _ => Some(path.to_owned()),
    }
}

/// `path` is `at` or a place below it.
fn within(path: &str, at: &str) -> bool {
    path == at || path.strip_prefix(at).is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

#[derive(Default)]
struct Tally {
    documents: usize,
    changes: usize,
    allowed: usize,
    repaired: [usize; 3],
    deepest: usize,
    failures: Vec<String>,
}

fn exercise(tally: &mut Tally, operation: &str, document: &Value) {
    tally.documents += 1;
    let mut all = Vec::new();
    places(document, "", &mut all, &mut Vec::new());
    let stride = all.len().div_ceil(PLACES_PER_DOCUMENT).max(1);
    for (steps, path, is_property) in all.into_iter().step_by(stride) {
        for change in [Change::Remove, Change::Null, Change::OtherType] {
            let Some(doc) = changed(document, &steps, is_property, change) else { continue };
            tally.changes += 1;
            let json = doc.to_string();
            let what = format!("{operation}: {change:?} at `{path}`");
            let strict = dynamic::decode_response_with(operation, &json, Decoding::Strict);
            let Err(strict_error) = strict else {
                tally.allowed += 1;
                continue;
            };
            // Strict: the error names the place (a left-out property: its object, and its name).
            let expected_error = match change {
                Change::Remove => {
                    let (parent, name) = path.rsplit_once('.').unwrap_or(("", path.as_str()));
                    let parent = if parent.is_empty() { "." } else { parent };
                    format!("at `{parent}`: missing field `{name}`")
                }
                _ => format!("at `{path}`: "),
            };
            if !strict_error.starts_with(&expected_error) {
                tally.failures.push(format!("{what}: strict decoding says {strict_error:?}"));
                continue;
            }
            // Lenient: decoded, the deviation reported at the place, nothing else changed.
            match dynamic::decode_response_with(operation, &json, Decoding::Lenient) {
                Err(e) => tally.failures.push(format!("{what}: lenient decoding failed: {e}")),
                Ok((value, deviations)) => {
                    let kind = match change {
                        Change::Remove => DeviationKind::Missing,
                        Change::Null => DeviationKind::Null,
                        Change::OtherType => DeviationKind::WrongType,
                    };
                    let Some(first) = deviations.first() else {
                        tally.failures.push(format!("{what}: no deviation reported"));
                        continue;
                    };
                    if first.path != path || first.kind != kind {
                        tally.failures.push(format!("{what}: reported {deviations:?}"));
                    } else if let Some(other) = deviations.iter().find(|d| !within(&d.path, &path)) {
                        tally.failures.push(format!("{what}: a deviation elsewhere: {other:?}"));
                    } else if let Some(elsewhere) = first_change(document, &value, "").filter(|p| !within(p, &path)) {
                        tally.failures.push(format!("{what}: the response changed at `{elsewhere}` too"));
                    } else {
                        tally.repaired[change as usize] += 1;
                        tally.deepest = tally.deepest.max(path.matches(['.', '[']).count());
                    }
                }
            }
        }
    }
}

#[test]
fn lenient_decoding_repairs_and_reports_every_deviation_and_strict_decoding_rejects_it() {
    let spec = spec_json();
    let mut tally = Tally::default();
    let ids: Vec<&'static str> = dynamic::OPERATIONS.iter().map(|(id, _, _)| *id).collect();
    for (id, schema) in response_schemas(&spec, &ids) {
        let mut gen = Instances::new(&spec, 7);
        gen.full = true;
        let document = gen.instance(schema);
        exercise(&mut tally, id, &document);
    }
    let repaired: usize = tally.repaired.iter().sum();
    report(&format!(
        "deviations: {} response documents, {} changes: {} allowed by the spec, {repaired} deviations (missing {}, null {}, other type {}) rejected by strict decoding at their path and repaired by lenient decoding, up to {} levels deep",
        tally.documents, tally.changes, tally.allowed, tally.repaired[0], tally.repaired[1], tally.repaired[2], tally.deepest
    ));
    assert!(
        tally.failures.is_empty(),
        "{} of {} changes went wrong:\n{}",
        tally.failures.len(),
        tally.changes,
        tally.failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(repaired > 1000 && tally.repaired.iter().all(|&n| n > 50), "too few deviations: {:?}", tally.repaired);
    assert!(tally.deepest >= 4, "the deviations must reach nested objects, lists and unions");
}

/// The conversation list of the reference with `count` conversations, every one without its
/// required `isBlocked` when `deviating`.
fn conversations(count: usize, deviating: bool) -> String {
    let mut list: Value =
        serde_json::from_str(&featurebase_tests::fixture("seeds/list_conversations_response.json")).unwrap();
    let mut one = list["data"][0].clone();
    if deviating {
        one.as_object_mut().unwrap().remove("isBlocked");
    }
    list["data"] = Value::Array((0..count).map(|_| one.clone()).collect());
    list.to_string()
}

#[test]
fn every_item_of_a_long_list_is_repaired_and_reported_once() {
    // Every item deviates: each repair is reported once, at its own path, and the list keeps
    // every item. How the cost grows with the number of deviations is measured by the decode
    // benchmarks (`scripts/bench.sh`, BENCHMARKS.md), not asserted here.
    let items = 2000;
    let json = conversations(items, true);
    let (value, deviations) = dynamic::decode_response_with("listConversations", &json, Decoding::Lenient).unwrap();
    assert_eq!(value["data"].as_array().unwrap().len(), items);
    assert_eq!(deviations.len(), items);
    for (i, d) in deviations.iter().enumerate() {
        assert_eq!(d.kind, DeviationKind::Missing);
        assert!(d.path.ends_with(&format!("data[{i}].isBlocked")), "{}", d.path);
    }
    let clean = conversations(items, false);
    let (clean_value, none) = dynamic::decode_response_with("listConversations", &clean, Decoding::Lenient).unwrap();
    assert!(none.is_empty());
    assert_eq!(clean_value, value, "the repaired list is the clean one: `isBlocked` repaired to `false`");
}
