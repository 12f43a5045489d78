//! The API-evolution suite: does a new API version hurt the crate's users only when it must?
//!
//! From the vendored spec it derives next versions that each make one change, additive or
//! breaking. For each one it
//!
//! 1. classifies the change with the spec diff (`cargo xtask diff` of the crate's spec and the
//!    next one, with the crate's overlays): breaking for Rust users or not, and a report;
//! 2. regenerates the crate from it with `cargo xtask generate --spec`'s code path, in a copy of
//!    the workspace: a release (version bump and changelog section, which lists the overlay
//!    actions whose targets the change removed), and counts the lines the regeneration adds and
//!    removes in `generated/src`;
//! 3. compiles an unchanged user program written against today's crate
//!    (`tests/fixtures/evolution/user.rs`) against the regenerated one.
//!
//! The compiler's verdict must be the diff's in every case; every additive change must be
//! non-breaking for Rust, and its regeneration must remove no line outside `info.rs` and
//! `dynamic.rs` (the crate-wide files that hold the API version and list every operation).
//!
//! The table of outcomes is printed (`cargo test --test evolution -- --nocapture`) and written to
//! `target/evolution/report.md`.
//!
//! All cases are compiled in one `cargo check` of one scratch workspace (`target/evolution`,
//! with its own target directory, so repeated runs are incremental), one crate copy and one
//! user program per case.

use featurebase_tests::{root, scratch_workspace, workspace_manifest};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use xtask::codegen::{run_in, Mode};
use xtask::diff::{crate_diff, Overlays, Severity};

const SPEC: &str = "spec/featurebase-2026-01-01.nova.json";
const NEXT_VERSION: &str = "2026-03-01.nova";

/// What a case is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meant {
    Additive,
    Breaking,
}

/// One derived next version.
struct Case {
    name: &'static str,
    meant: Meant,
    change: fn(&mut Value),
}

fn at<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("the spec has no {pointer}"))
}

fn push(doc: &mut Value, pointer: &str, value: Value) {
    at(doc, pointer).as_array_mut().unwrap_or_else(|| panic!("{pointer} is not an array")).push(value);
}

fn insert(doc: &mut Value, pointer: &str, key: &str, value: Value) {
    at(doc, pointer).as_object_mut().unwrap_or_else(|| panic!("{pointer} is not an object")).insert(key.into(), value);
}

fn remove(doc: &mut Value, pointer: &str, key: &str) {
    at(doc, pointer).as_object_mut().unwrap().remove(key).unwrap_or_else(|| panic!("{pointer} has no {key}"));
}

/// An operation in the style of the spec's own: the version header, a 200 with a schema.
fn operation(id: &str, tag: &str, summary: &str, schema: Value) -> Value {
    json!({
        "operationId": id,
        "tags": [tag],
        "summary": summary,
        "parameters": [{"$ref": "#/components/parameters/FeaturebaseVersion"}],
        "responses": {"200": {"description": "Success", "content": {"application/json": {"schema": schema}}}}
    })
}

fn cases() -> Vec<Case> {
    use Meant::{Additive, Breaking};
    vec![
        Case {
            name: "new-response-property-on-shared-schema",
            meant: Additive,
            change: |d| {
                insert(d, "/components/schemas/Conversation/properties", "sentiment", json!({"type": "string"}));
            },
        },
        Case {
            name: "new-value-in-response-enum",
            meant: Additive,
            change: |d| push(d, "/components/schemas/Conversation/properties/state/enum", json!("escalated")),
        },
        Case {
            name: "new-value-in-request-enum",
            meant: Additive,
            change: |d| push(d, "/components/schemas/UpdateConversationBody/properties/state/enum", json!("escalated")),
        },
        Case {
            // The conversation state is read in responses and written in updates: a new state in both.
            name: "new-value-in-request-and-response-enum",
            meant: Additive,
            change: |d| {
                push(d, "/components/schemas/Conversation/properties/state/enum", json!("escalated"));
                push(d, "/components/schemas/UpdateConversationBody/properties/state/enum", json!("escalated"));
            },
        },
        Case {
            name: "new-union-member-with-mapping",
            meant: Additive,
            change: |d| {
                let mut part = at(d, "/components/schemas/AdminNotePart").clone();
                *at(&mut part, "/properties/partType/const") = json!("escalation");
                insert(d, "/components/schemas", "EscalationPart", part);
                push(
                    d,
                    "/components/schemas/ConversationPart/oneOf",
                    json!({"$ref": "#/components/schemas/EscalationPart"}),
                );
                insert(
                    d,
                    "/components/schemas/ConversationPart/discriminator/mapping",
                    "escalation",
                    json!("#/components/schemas/EscalationPart"),
                );
            },
        },
        Case {
            // The board icon's tag is inferred from the constant `type` of each member.
            name: "new-union-member-with-inferred-tag",
            meant: Additive,
            change: |d| {
                let members = at(d, "/components/schemas/Board/properties/icon/anyOf").as_array_mut().unwrap();
                let null = members.pop().expect("the null member is last");
                members.push(json!({
                    "type": "object",
                    "properties": {"type": {"type": "string", "const": "image"}, "value": {"type": "string"}},
                    "required": ["type", "value"]
                }));
                members.push(null);
            },
        },
        Case {
            name: "new-operation-in-existing-resource",
            meant: Additive,
            change: |d| {
                let op = operation(
                    "getConversationSummary",
                    "Conversations",
                    "Summarize a conversation",
                    json!({"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"]}),
                );
                insert(d, "/paths", "/v2/conversations/{id}/summary", json!({"get": op}));
                let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
                push(d, "/paths/~1v2~1conversations~1{id}~1summary/get/parameters", id);
            },
        },
        Case {
            name: "new-resource",
            meant: Additive,
            change: |d| {
                push(d, "/tags", json!({"name": "Reports", "description": "Usage reports."}));
                let op = operation(
                    "listReports",
                    "Reports",
                    "List reports",
                    json!({"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}}),
                );
                insert(d, "/paths", "/v2/reports", json!({"get": op}));
            },
        },
        Case {
            name: "new-optional-query-parameter",
            meant: Additive,
            change: |d| {
                let p = json!({"name": "assigneeId", "in": "query", "required": false, "schema": {"type": "string"}});
                push(d, "/paths/~1v2~1conversations/get/parameters", p);
            },
        },
        Case {
            name: "new-optional-request-field",
            meant: Additive,
            change: |d| {
                let p = json!({"type": "string", "enum": ["low", "normal", "high"]});
                insert(d, "/components/schemas/CreateConversationBody/properties", "priority", p);
            },
        },
        Case {
            name: "new-error-code",
            meant: Additive,
            change: |d| {
                let error = json!({
                    "description": "Conflict\n\nPossible error codes:\n- `conversation_locked`: Another admin is editing the conversation",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"error": {
                            "type": "object",
                            "properties": {
                                "type": {"type": "string", "const": "invalid_request_error"},
                                "code": {"type": "string", "const": "conversation_locked"},
                                "message": {"type": "string"},
                                "status": {"type": "integer", "const": 409}
                            },
                            "required": ["type", "code", "message", "status"]
                        }},
                        "required": ["error"]
                    }}}
                });
                insert(d, "/paths/~1v2~1conversations~1{id}/patch/responses", "409", error);
            },
        },
        Case {
            name: "new-response-header",
            meant: Additive,
            change: |d| {
                let header = json!({"description": "Calls left in this window.", "schema": {"type": "integer"}});
                insert(
                    d,
                    "/paths/~1v2~1conversations/get/responses/200",
                    "headers",
                    json!({"X-RateLimit-Remaining": header}),
                );
            },
        },
        Case {
            name: "changed-description",
            meant: Additive,
            change: |d| {
                *at(d, "/paths/~1v2~1conversations/get/description") =
                    json!("Returns the conversations of your organization, newest first.");
            },
        },
        Case {
            // A new bundle whose version header example still names the previous version.
            name: "version-header-example-lags",
            meant: Additive,
            change: |_| {},
        },
        Case {
            // A component named like an inline type (`Conversation.state` is `ConversationState`):
            // the names lock keeps the inline type's name, the component gets a free one.
            name: "new-component-named-like-an-inline-type",
            meant: Additive,
            change: |d| {
                let schema = json!({"type": "string", "description": "A conversation state, as a free string."});
                insert(d, "/components/schemas", "ConversationState", schema);
            },
        },
        Case {
            // Every part type ends in `Part`, which the variants leave out (`AdminNote`); a member
            // that does not must not rename the others.
            name: "new-union-member-breaking-the-common-suffix",
            meant: Additive,
            change: |d| {
                let mut event = at(d, "/components/schemas/AdminNotePart").clone();
                *at(&mut event, "/properties/partType/const") = json!("system_event");
                insert(d, "/components/schemas", "SystemEvent", event);
                push(
                    d,
                    "/components/schemas/ConversationPart/oneOf",
                    json!({"$ref": "#/components/schemas/SystemEvent"}),
                );
                insert(
                    d,
                    "/components/schemas/ConversationPart/discriminator/mapping",
                    "system_event",
                    json!("#/components/schemas/SystemEvent"),
                );
            },
        },
        Case {
            // `deleteConversations` would be `delete` in Conversations, like `deleteConversation`:
            // the existing method keeps its name.
            name: "new-operation-whose-short-name-clashes",
            meant: Additive,
            change: |d| {
                let mut op = operation(
                    "deleteConversations",
                    "Conversations",
                    "Delete several conversations",
                    json!({"type": "object", "properties": {"deleted": {"type": "integer"}}}),
                );
                op["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "ids", "in": "query", "required": true, "schema": {"type": "string"}}));
                let item = at(d, "/paths/~1v2~1conversations").as_object_mut().unwrap();
                item.insert("delete".into(), op);
            },
        },
        Case {
            // `Conversation.state` gains the value `unknown`: its variant must not take the name
            // of the catch-all variant `Unknown(String)` (the names lock keeps it).
            name: "new-value-unknown-in-response-enum",
            meant: Additive,
            change: |d| push(d, "/components/schemas/Conversation/properties/state/enum", json!("unknown")),
        },
        Case {
            // A response type that code builds with `new` (a part shown before the API returns
            // it): a new required property is a new field of its required-fields struct.
            name: "new-required-property-on-a-response-type-with-new",
            meant: Breaking,
            change: |d| {
                insert(d, "/components/schemas/AdminNotePart/properties", "visibility", json!({"type": "string"}));
                push(d, "/components/schemas/AdminNotePart/required", json!("visibility"));
            },
        },
        Case {
            // One required field, then two: `new(id)` becomes `new(ConversationFromContactRequired { .. })`.
            name: "second-required-field-turns-new-into-a-required-struct",
            meant: Breaking,
            change: |d| {
                let pointer = "/components/schemas/ConversationFromContact";
                insert(d, &format!("{pointer}/properties"), "channel", json!({"type": "string"}));
                push(d, &format!("{pointer}/required"), json!("channel"));
            },
        },
        Case {
            // A new required property of a response type that tests build: a field of its
            // required-fields struct.
            name: "new-required-property-on-a-response-type-built-in-tests",
            meant: Breaking,
            change: |d| {
                insert(d, "/components/schemas/Conversation/properties", "sentiment", json!({"type": "string"}));
                push(d, "/components/schemas/Conversation/required", json!("sentiment"));
            },
        },
        Case {
            // `AdminNotePart` is now `NotePart`, with the same tag: the variant keeps its name,
            // its type is renamed.
            name: "union-member-renamed-with-the-same-tag",
            meant: Breaking,
            change: |d| {
                let part = at(d, "/components/schemas").as_object_mut().unwrap().shift_remove("AdminNotePart").unwrap();
                insert(d, "/components/schemas", "NotePart", part);
                let text = serde_json::to_string(d)
                    .unwrap()
                    .replace("\"#/components/schemas/AdminNotePart\"", "\"#/components/schemas/NotePart\"");
                *d = serde_json::from_str(&text).unwrap();
            },
        },
        Case {
            name: "response-field-removed",
            meant: Breaking,
            change: |d| remove(d, "/components/schemas/Conversation/properties", "title"),
        },
        Case {
            name: "request-field-made-required",
            meant: Breaking,
            change: |d| push(d, "/components/schemas/CreatePostBody/required", json!("content")),
        },
        Case {
            name: "property-type-changed",
            meant: Breaking,
            change: |d| *at(d, "/components/schemas/Conversation/properties/isBlocked") = json!({"type": "string"}),
        },
        Case {
            name: "operation-removed",
            meant: Breaking,
            change: |d| remove(d, "/paths/~1v2~1webhooks~1{id}", "delete"),
        },
        Case {
            name: "value-removed-from-request-enum",
            meant: Breaking,
            change: |d| {
                let values = at(d, "/components/schemas/UpdateConversationBody/properties/state/enum");
                values.as_array_mut().unwrap().retain(|v| v != "snoozed");
            },
        },
        Case {
            name: "parameter-made-required",
            meant: Breaking,
            change: |d| {
                let params = at(d, "/paths/~1v2~1conversations/get/parameters").as_array_mut().unwrap();
                let limit = params.iter_mut().find(|p| p["name"] == "limit").expect("listConversations takes limit");
                limit["required"] = json!(true);
            },
        },
        Case {
            // The spec describes a webhook of its own, beside the overlay's: a new `Event` variant.
            name: "new-webhook",
            meant: Additive,
            change: |d| {
                let body = json!({
                    "type": "object",
                    "required": ["topic", "surveyId"],
                    "properties": {"topic": {"type": "string", "const": "survey.submitted"}, "surveyId": {"type": "string"}}
                });
                insert(d, "", "webhooks", json!({"survey.submitted": webhook("A survey was submitted", body)}));
            },
        },
        Case {
            // The previous spec described `post.voted` itself (see `previous_version`), the next
            // one no longer does: its `Event` variant goes.
            name: "webhook-removed",
            meant: Breaking,
            change: |_| {},
        },
    ]
}

/// A webhook in the style of the overlay's: a `POST` of a JSON body.
fn webhook(summary: &str, body: Value) -> Value {
    json!({"post": {
        "summary": summary,
        "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "Received"}}
    }})
}

/// Makes a case's workspace hold the previous version its case starts from, when that is not
/// the vendored spec as it is: for `webhook-removed`, the webhook `post.voted` moves from the
/// webhooks overlay into the spec itself (the effective document holds the same webhooks and
/// payloads), so that a next version without it removes it.
fn previous_version(case: &str, ws: &Path) {
    if case != "webhook-removed" {
        return;
    }
    let overlay = ws.join("spec/featurebase-webhooks.overlay.yaml");
    let text = fs::read_to_string(&overlay).unwrap();
    let mut kept = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if line.trim_end() == "        post.voted:" {
            inside = true;
            continue;
        }
        if inside && (indent > 8 || line.trim().is_empty()) {
            continue;
        }
        inside = false;
        kept.push_str(line);
    }
    assert!(kept.len() < text.len() && !kept.contains("post.voted:"), "the webhooks overlay has no `post.voted`");
    fs::write(&overlay, kept).unwrap();
    let spec = ws.join(SPEC);
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(&spec).unwrap()).unwrap();
    let body = json!({"$ref": "#/components/schemas/PostWebhookEvent"});
    insert(&mut doc, "", "webhooks", json!({"post.voted": webhook("A post was voted on", body)}));
    fs::write(&spec, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

/// The component a case renames (old name, new name): the overlay actions on it must follow.
fn moved_schema(case: &str) -> Option<(&'static str, &'static str)> {
    (case == "union-member-renamed-with-the-same-tag").then_some(("AdminNotePart", "NotePart"))
}

/// A case's next version of the spec: its change, and the new `info.version` (the version
/// header's example is left as it was, as documentation examples often are).
fn next_version(current: &Value, case: &Case) -> Value {
    let mut doc = current.clone();
    *at(&mut doc, "/info/version") = json!(NEXT_VERSION);
    (case.change)(&mut doc);
    doc
}

/// Gives a crate copy a package name of its own (its library is still `featurebase`).
fn rename_package(manifest: &Path, package: &str) {
    let mut doc: toml_edit::DocumentMut = fs::read_to_string(manifest).unwrap().parse().unwrap();
    doc["package"]["name"] = toml_edit::value(package);
    let mut lib = toml_edit::Table::new();
    lib.insert("name", toml_edit::value("featurebase"));
    lib.insert("path", toml_edit::value("src/lib.rs"));
    doc.insert("lib", toml_edit::Item::Table(lib));
    fs::write(manifest, doc.to_string()).unwrap();
}

/// The user program as a library crate of its own, depending on one crate copy.
fn user_crate(dir: &Path, package: &str, crate_package: &str, crate_dir: &Path) {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::copy(root().join("tests/fixtures/evolution/user.rs"), dir.join("src/lib.rs")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n[dependencies]\nfeaturebase = {{ package = \"{crate_package}\", path = \"{}\" }}\n",
        crate_dir.display()
    );
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
}

/// What a regeneration changed in one file: lines added, and the lines removed.
#[derive(Default)]
struct FileChange {
    added: usize,
    removed: Vec<String>,
}

/// The line changes between two trees, by file (relative to the trees), from
/// `git diff --no-index`.
fn line_changes(old: &Path, new: &Path) -> BTreeMap<String, FileChange> {
    let out = Command::new("git")
        .args(["diff", "--no-index", "--no-renames", "--unified=0", "--no-color"])
        .arg(old)
        .arg(new)
        .output()
        .expect("git runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let (old_prefix, new_prefix) = (format!("a{}/", old.display()), format!("b{}/", new.display()));
    let mut changes: BTreeMap<String, FileChange> = BTreeMap::new();
    let mut current = String::new();
    // Between `diff --git` and the first `@@` come the file's header lines.
    let mut header = false;
    for line in text.lines() {
        if line.starts_with("diff --git") {
            header = true;
        } else if line.starts_with("@@") {
            header = false;
        } else if header {
            if let Some(path) = line.strip_prefix("--- a") {
                current = path.trim_start_matches(&old_prefix[1..]).to_owned();
            } else if let Some(path) = line.strip_prefix("+++ b") {
                current = path.trim_start_matches(&new_prefix[1..]).to_owned();
            }
        } else if line.starts_with('+') {
            changes.entry(current.clone()).or_default().added += 1;
        } else if let Some(removed) = line.strip_prefix('-') {
            changes.entry(current.clone()).or_default().removed.push(removed.to_owned());
        }
    }
    changes
}

/// Whether a removed line is one an additive change may remove: any line of the files that hold
/// the API version and list every operation, the lines of the webhooks module's documentation
/// (which counts the webhooks and shows the first), and, where the change is a description, the
/// doc lines that said the old one.
fn may_remove(file: &str, line: &str, description_changed: bool) -> bool {
    ["info.rs", "dynamic.rs"].iter().any(|f| file.ends_with(f))
        || (file.trim_start_matches('/') == "webhooks.rs" && line.starts_with("//!"))
        || (description_changed && line.trim_start().starts_with("///"))
}

/// What one case came to.
struct Outcome {
    name: &'static str,
    meant: Meant,
    diff_breaking: bool,
    compiles: Option<bool>,
    added: usize,
    removed: usize,
    /// Lines removed that an additive change may not remove (see [`may_remove`]).
    removed_elsewhere: Vec<String>,
    breaking_changes: Vec<String>,
}

#[test]
fn additive_api_changes_are_additive_rust_changes_and_breaking_ones_are_caught() {
    let started = std::time::Instant::now();
    let dir = root().join("target/evolution");
    let cases = cases();
    let current: Value = serde_json::from_str(&fs::read_to_string(root().join(SPEC)).unwrap()).unwrap();

    // The baseline: today's crate (the freshness test holds it equal to the generator's output),
    // with the user program, which must compile against it.
    let mut members = Vec::new();
    let baseline = dir.join("baseline");
    scratch_workspace(&baseline, true);
    rename_package(&baseline.join("generated/Cargo.toml"), "featurebase-baseline");
    user_crate(&dir.join("users/baseline"), "user-baseline", "featurebase-baseline", &baseline.join("generated"));
    members.push("baseline/generated".to_owned());
    members.push("users/baseline".to_owned());

    let mut outcomes = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let ws = dir.join(format!("case-{i:02}"));
        scratch_workspace(&ws, true);
        previous_version(case.name, &ws);
        let next = next_version(&current, case);
        let next_path = ws.join(format!("spec/featurebase-{NEXT_VERSION}.json"));
        fs::write(&next_path, serde_json::to_string_pretty(&next).unwrap()).unwrap();

        // `cargo xtask diff OLD NEW`, as the maintainer (or the workflow) runs it: the crate's
        // spec against the next one, both with the crate's overlays.
        let report = crate_diff(&ws, &ws.join(SPEC), &next_path, Overlays::Auto)
            .unwrap_or_else(|e| panic!("{}: the diff fails: {e}", case.name));
        let markdown = report.to_markdown();
        assert!(
            markdown.starts_with(&format!("# API changes: `2026-01-01.nova` → `{NEXT_VERSION}`")),
            "{}: {markdown}",
            case.name
        );
        if let Some((from, to)) = moved_schema(case.name) {
            // The report names the overlay actions whose schema moved, and `generate --spec`
            // would stop on them: the maintainer points them at its new name.
            let moved = report.stale_overlay_actions.iter().filter(|s| !s.removable()).count();
            assert!(moved > 0, "{}: no moved overlay action in the report:\n{markdown}", case.name);
            let path = ws.join("spec/featurebase-reference.overlay.yaml");
            let text = fs::read_to_string(&path).unwrap();
            let fixed = text
                .replace(&format!("schemas.{from}\""), &format!("schemas.{to}\""))
                .replace(&format!("schemas.{from}."), &format!("schemas.{to}."));
            fs::write(&path, fixed).unwrap();
        }
        let breaking: Vec<String> = report
            .changes
            .iter()
            .filter(|c| c.rust.severity == Severity::Breaking)
            .map(|c| format!("{:?} at {}", c.kind, c.location))
            .collect();
        if case.meant == Meant::Breaking {
            assert!(
                markdown.contains("\n## Breaking ("),
                "{}: the report has no breaking section:\n{markdown}",
                case.name
            );
        }

        // `cargo xtask generate --spec NEXT`: the crate, its version and its changelog section.
        let generated =
            run_in(&ws, Mode::Write, Some(&next_path)).unwrap_or_else(|e| panic!("{}: generate fails: {e}", case.name));
        let removed_actions: Vec<String> = generated.overlay_actions_removed.iter().map(|s| s.describe()).collect();
        if case.meant == Meant::Additive && !removed_actions.is_empty() {
            panic!("{}: additive, but overlay actions no longer apply: {removed_actions:?}", case.name);
        }
        let release = generated.release.unwrap_or_else(|| panic!("{}: generate --spec made no release", case.name));
        assert_eq!(release.breaking, !breaking.is_empty(), "{}: the release and the diff disagree", case.name);
        let changelog = fs::read_to_string(ws.join("generated/CHANGELOG.md")).unwrap();
        let heading = format!("## {} — API 2026-01-01.nova → {NEXT_VERSION}\n\n", release.new_version);
        let section = changelog
            .split_once(&heading)
            .map(|(_, rest)| rest.split("\n## ").next().unwrap_or_default())
            .unwrap_or_else(|| panic!("{}: the changelog has no section {heading:?}:\n{changelog}", case.name));
        let compatibility = if release.breaking { "Incompatible with " } else { "Compatible with " };
        assert!(section.starts_with(compatibility), "{}: {section}", case.name);
        if release.breaking {
            assert!(section.contains("\n### Breaking\n"), "{}: {section}", case.name);
        }
        for action in &generated.overlay_actions_removed {
            let entry = format!("`{}` action {} (target `{}`", action.file, action.index, action.target);
            assert!(section.contains(&entry), "{}: the changelog does not list {entry}:\n{section}", case.name);
        }
        let lines = line_changes(&baseline.join("generated/src"), &ws.join("generated/src"));
        let added = lines.values().map(|c| c.added).sum();
        let removed = lines.values().map(|c| c.removed.len()).sum();
        let removed_elsewhere = lines
            .iter()
            .flat_map(|(file, c)| c.removed.iter().map(move |l| (file, l)))
            .filter(|(file, line)| !may_remove(file, line, case.name == "changed-description"))
            .map(|(file, line)| format!("{file}: {line}"))
            .collect();

        let package = format!("featurebase-case-{i:02}");
        rename_package(&ws.join("generated/Cargo.toml"), &package);
        let user = format!("users/case-{i:02}");
        user_crate(&dir.join(&user), &format!("user-case-{i:02}"), &package, &ws.join("generated"));
        members.push(format!("case-{i:02}/generated"));
        members.push(user);
        outcomes.push(Outcome {
            name: case.name,
            meant: case.meant,
            diff_breaking: !breaking.is_empty(),
            compiles: None,
            added,
            removed,
            removed_elsewhere,
            breaking_changes: breaking,
        });
    }

    // One check of everything; `--keep-going` so that each user program gets its verdict.
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    fs::write(dir.join("Cargo.toml"), workspace_manifest(&members)).unwrap();
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--offline",
            "--workspace",
            "--lib",
            "--keep-going",
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/evolution-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed = |package: &str| stderr.contains(&format!("could not compile `{package}`"));
    assert!(!failed("featurebase-baseline") && !failed("user-baseline"), "the baseline does not compile:\n{stderr}");
    for (i, outcome) in outcomes.iter_mut().enumerate() {
        assert!(
            !failed(&format!("featurebase-case-{i:02}")),
            "{}: the regenerated crate does not compile:\n{stderr}",
            outcome.name
        );
        outcome.compiles = Some(!failed(&format!("user-case-{i:02}")));
    }

    let table = table(&outcomes);
    eprintln!("{table}");
    fs::write(dir.join("report.md"), &table).unwrap();
    let mut problems = Vec::new();
    for o in &outcomes {
        let compiles = o.compiles.expect("checked");
        if compiles == o.diff_breaking {
            problems.push(format!(
                "{}: the diff says {} for Rust, the compiler says {}; breaking changes: {:?}",
                o.name,
                if o.diff_breaking { "breaking" } else { "non-breaking" },
                if compiles { "it compiles" } else { "it does not compile" },
                o.breaking_changes
            ));
        }
        match o.meant {
            Meant::Additive if o.diff_breaking => {
                problems.push(format!("{}: additive, but breaking for Rust: {:?}", o.name, o.breaking_changes))
            }
            Meant::Additive if !o.removed_elsewhere.is_empty() => problems.push(format!(
                "{}: additive, but the regeneration removes lines:\n  {}",
                o.name,
                o.removed_elsewhere.join("\n  ")
            )),
            Meant::Breaking if !o.diff_breaking => {
                problems.push(format!("{}: breaking, but the diff says not", o.name))
            }
            _ => {}
        }
    }
    if !stderr.is_empty() && !problems.is_empty() {
        eprintln!("{stderr}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let additive = outcomes.iter().filter(|o| o.meant == Meant::Additive).count();
    assert!(additive >= 18 && outcomes.len() - additive >= 9, "the suite has too few cases");
    eprintln!("API evolution: {} cases in {:.1} s", outcomes.len(), started.elapsed().as_secs_f64());
}

/// The outcomes as a Markdown table (printed, and written to `target/evolution/report.md`).
fn table(outcomes: &[Outcome]) -> String {
    let mut table = String::from(
        "\n| case | meant | diff (Rust) | compiler | lines added | lines removed |\n|---|---|---|---|---:|---:|\n",
    );
    for o in outcomes {
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            o.name,
            if o.meant == Meant::Additive { "additive" } else { "breaking" },
            if o.diff_breaking { "breaking" } else { "non-breaking" },
            match o.compiles {
                Some(true) => "compiles",
                Some(false) => "does not compile",
                None => "not checked",
            },
            o.added,
            o.removed
        ));
    }
    table
}
