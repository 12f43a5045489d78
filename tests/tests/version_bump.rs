//! The version-bump workflow end to end, on the real spec: derive a synthetic "next version"
//! (a new `partType`, a new enum value, a field made required, an operation removed), diff it
//! against the current one, regenerate a copy of the crate from it, and compile that copy.
//!
//! The copy lives in `target/e2e-workspace` and is checked with its own target directory,
//! `target/e2e-check`, so repeated runs are incremental and do not wait on the outer build.

use featurebase_tests::root;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fs;
use std::process::Command;
use xtask::codegen::{run_in, Mode};
use xtask::diff::{diff, Direction, Kind, Severity, Spec};

const OLD: &str = "spec/featurebase-2026-01-01.nova.json";
const NEXT_VERSION: &str = "2026-03-01.nova";
const NEW: &str = "spec/featurebase-2026-03-01.nova.json";

fn at<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut Value {
    doc.pointer_mut(pointer).unwrap_or_else(|| panic!("the spec has no {pointer}"))
}

fn push(doc: &mut Value, pointer: &str, value: Value) {
    at(doc, pointer).as_array_mut().unwrap_or_else(|| panic!("{pointer} is not an array")).push(value);
}

/// The current spec with the changes of a plausible next version.
fn next_version(current: &str) -> Value {
    let mut doc: Value = serde_json::from_str(current).unwrap();
    // The version, and the version header's example the generator recognises it by.
    *at(&mut doc, "/info/version") = json!(NEXT_VERSION);
    *at(&mut doc, "/components/parameters/FeaturebaseVersion/example") = json!(NEXT_VERSION);
    // A new conversation part type.
    let mut part = at(&mut doc, "/components/schemas/AdminNotePart").clone();
    *at(&mut part, "/properties/partType/const") = json!("escalation");
    at(&mut doc, "/components/schemas").as_object_mut().unwrap().insert("EscalationPart".into(), part);
    push(
        &mut doc,
        "/components/schemas/ConversationPart/oneOf",
        json!({"$ref": "#/components/schemas/EscalationPart"}),
    );
    at(&mut doc, "/components/schemas/ConversationPart/discriminator/mapping")
        .as_object_mut()
        .unwrap()
        .insert("escalation".into(), json!("#/components/schemas/EscalationPart"));
    // A new conversation state, where conversations are read and where they are updated.
    push(&mut doc, "/components/schemas/Conversation/properties/state/enum", json!("escalated"));
    push(&mut doc, "/components/schemas/UpdateConversationBody/properties/state/enum", json!("escalated"));
    // A post's content becomes required.
    push(&mut doc, "/components/schemas/CreatePostBody/required", json!("content"));
    // Webhooks can no longer be deleted.
    at(&mut doc, "/paths/~1v2~1webhooks~1{id}")
        .as_object_mut()
        .unwrap()
        .remove("delete")
        .expect("DELETE /v2/webhooks/{id}");
    doc
}

#[test]
fn a_new_api_version_is_diffed_regenerated_and_compiles() {
    let started = std::time::Instant::now();
    let ws = root().join("target/e2e-workspace");
    featurebase_tests::scratch_workspace(&ws, false);
    let next = next_version(&fs::read_to_string(root().join(OLD)).unwrap());
    fs::write(ws.join(NEW), serde_json::to_string_pretty(&next).unwrap()).unwrap();

    // 1. The diff names each change, classified for both audiences, and nothing else.
    let old_spec = Spec::load(&ws.join(OLD)).unwrap();
    let new_spec = Spec::load(&ws.join(NEW)).unwrap();
    let report = diff(&old_spec, &new_spec);
    let markdown = report.to_markdown();
    use Severity::{Breaking as B, NonBreaking as NB, PotentiallyBreaking as PB};
    let (req, resp) = (Some(Direction::Request), Some(Direction::Response));
    let mut found: Vec<(Kind, &str, Option<Direction>, Severity, Severity)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.location.as_str(), c.direction, c.http.severity, c.rust.severity))
        .collect();
    found.sort();
    let mut expected = vec![
        (Kind::ApiVersionChanged, "info.version", None, NB, NB),
        (Kind::UnionMemberAdded, "ConversationPart", resp, PB, NB),
        (Kind::EnumValueAdded, "Conversation.state", resp, PB, NB),
        (Kind::EnumValueAdded, "UpdateConversationBody.state", req, NB, NB),
        (Kind::PropertyBecameRequired, "CreatePostBody.content", req, B, B),
        (Kind::OperationRemoved, "deleteWebhook", None, B, B),
    ];
    expected.sort();
    assert_eq!(found, expected, "\n{markdown}");
    for phrase in [
        "# API changes: `2026-01-01.nova` → `2026-03-01.nova`",
        "`API_VERSION` becomes `\"2026-03-01.nova\"`",
        "`types::ConversationPart` gains `Escalation(EscalationPart)`",
        "crates built for the old version keep it as `ConversationPart::Unknown(serde_json::Value)`",
        "`types::ConversationState` gains the variant `Escalated`",
        "decode it as `ConversationState::Unknown(\"escalated\")`",
        "`types::CreatePostBody::content`: `Option<String>` → `String`",
        "`CreatePostBodyRequired` gains the field `content`",
        "`client.webhooks().delete()` and its request builder are removed",
        "`listTickets` (`GET /v2/tickets`, `client.tickets().list()`) at `response.data[].conversationParts[]`",
    ] {
        assert!(markdown.contains(phrase), "the report lacks {phrase:?}:\n{markdown}");
    }
    // The new part type reaches every operation that returns conversation parts, once each.
    let parts = report.changes.iter().find(|c| c.kind == Kind::UnionMemberAdded).unwrap();
    let ids: BTreeSet<&str> = parts.operations.iter().map(|o| o.operation_id.as_str()).collect();
    assert_eq!(ids.len(), parts.operations.len());
    assert!(ids.contains("getConversationById") && ids.contains("getTicket") && ids.len() >= 10, "{ids:?}");
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["summary"]["http"]["breaking"], 2);
    assert_eq!(json["summary"]["rust"]["breaking"], 2);

    // 2. Regeneration: the version constant and the files of the changed resources, nothing else.
    let generated = run_in(&ws, Mode::Write, Some(&ws.join(NEW))).unwrap();
    let changed: BTreeSet<&str> = generated.changed.iter().map(String::as_str).collect();
    let must = [
        "generated/src/info.rs",
        "generated/src/types/conversations.rs",
        "generated/src/types/posts.rs",
        "generated/src/resources/webhooks.rs",
    ];
    for f in must {
        assert!(changed.contains(f), "{f} did not change: {changed:?}");
    }
    // The affected resources, and the files that list every operation or type (`dynamic`,
    // `testing` (the mock of every operation), `names.lock`, and `shared`, which takes the types no operation reaches any more). Not `resources/mod.rs`: a
    // resource's group type and methods live in the resource's own file.
    let may = [
        "generated/src/types/webhooks.rs",
        "generated/src/types/shared.rs",
        "generated/src/resources/conversations.rs",
        "generated/src/resources/posts.rs",
        "generated/src/dynamic.rs",
        "generated/src/testing.rs",
        "generated/names.lock",
    ];
    let unexpected: Vec<&&str> = changed.iter().filter(|f| !must.contains(f) && !may.contains(f)).collect();
    assert!(unexpected.is_empty(), "files of unaffected resources changed: {unexpected:?}");
    assert!(generated.removed.is_empty(), "{:?}", generated.removed);
    let info = fs::read_to_string(ws.join("generated/src/info.rs")).unwrap();
    assert!(info.contains("pub const API_VERSION: &str = \"2026-03-01.nova\";"), "{info}");
    let manifest = fs::read_to_string(ws.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains("spec = \"../spec/featurebase-2026-03-01.nova.json\""), "{manifest}");
    let conversations = fs::read_to_string(ws.join("generated/src/types/conversations.rs")).unwrap();
    assert!(
        conversations.contains("Escalation(EscalationPart) = [")
            && conversations.contains("Escalated = \"escalated\",")
    );
    run_in(&ws, Mode::Check, None).unwrap();

    // 3. The regenerated crate compiles.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--lib", "--manifest-path"])
        .arg(ws.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/e2e-check"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the regenerated crate does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("version bump end to end: {:.1} s", started.elapsed().as_secs_f64());
}

const REFERENCE_OVERLAY: &str = "spec/featurebase-reference.overlay.yaml";
/// The reference overlay's action on the `id` parameter of `DELETE /v2/conversations/{id}`.
const DELETE_ID_ACTION: usize = 416;
const DELETE_ID_TARGET: &str = "$.paths['/v2/conversations/{id}'].delete.parameters[?@.name == 'id']";

/// A next version that removes what an overlay action documents: conversations can no longer be
/// deleted, a `call_log` conversation part and an `archived` state are new, and a new
/// conversation must name its channel.
fn without_conversation_delete(current: &str) -> Value {
    let mut doc: Value = serde_json::from_str(current).unwrap();
    *at(&mut doc, "/info/version") = json!(NEXT_VERSION);
    *at(&mut doc, "/components/parameters/FeaturebaseVersion/example") = json!(NEXT_VERSION);
    at(&mut doc, "/paths/~1v2~1conversations~1{id}")
        .as_object_mut()
        .unwrap()
        .remove("delete")
        .expect("DELETE /v2/conversations/{id}");
    let mut part = at(&mut doc, "/components/schemas/AdminNotePart").clone();
    *at(&mut part, "/properties/partType/const") = json!("call_log");
    at(&mut doc, "/components/schemas").as_object_mut().unwrap().insert("CallLogPart".into(), part);
    push(&mut doc, "/components/schemas/ConversationPart/oneOf", json!({"$ref": "#/components/schemas/CallLogPart"}));
    at(&mut doc, "/components/schemas/ConversationPart/discriminator/mapping")
        .as_object_mut()
        .unwrap()
        .insert("call_log".into(), json!("#/components/schemas/CallLogPart"));
    push(&mut doc, "/components/schemas/Conversation/properties/state/enum", json!("archived"));
    push(&mut doc, "/components/schemas/CreateConversationBody/required", json!("channel"));
    doc
}

/// The lines of the overlay's action `index` (its `- target:` line and those below it, up to the
/// next action or comment at the list's indentation).
fn action_lines(overlay: &str, index: usize) -> String {
    let lines: Vec<&str> = overlay.split_inclusive('\n').collect();
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].starts_with("  - ")).collect();
    let start = starts[index];
    let end = (start + 1..lines.len()).find(|&i| lines[i].starts_with("  -") || lines[i].starts_with("  #"));
    lines[start..end.unwrap_or(lines.len())].concat()
}

#[test]
fn a_bump_that_removes_what_an_overlay_action_documents_deletes_the_action_and_says_so() {
    let ws = root().join("target/e2e-stale-overlay");
    featurebase_tests::scratch_workspace(&ws, true);
    let next = without_conversation_delete(&fs::read_to_string(root().join(OLD)).unwrap());
    fs::write(ws.join(NEW), serde_json::to_string_pretty(&next).unwrap()).unwrap();
    let overlay_before = fs::read_to_string(ws.join(REFERENCE_OVERLAY)).unwrap();
    let removed_lines = action_lines(&overlay_before, DELETE_ID_ACTION);
    assert!(removed_lines.contains(DELETE_ID_TARGET), "{removed_lines}");

    // 1. `cargo xtask diff OLD NEW`, as the workflow runs it: a report, naming the stale action.
    let report = xtask::diff::crate_diff(&ws, &ws.join(OLD), &ws.join(NEW), xtask::diff::Overlays::Auto)
        .expect("the diff succeeds though an overlay action no longer applies");
    let stale = &report.stale_overlay_actions;
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!((stale[0].file.as_str(), stale[0].index), (REFERENCE_OVERLAY, DELETE_ID_ACTION));
    assert_eq!(stale[0].target, DELETE_ID_TARGET);
    assert_eq!(stale[0].documented, "description \"Conversation ID (short ID)\"");
    assert!(stale[0].removable());
    let markdown = report.to_markdown();
    for phrase in [
        "## Overlay actions that no longer apply (1)",
        "- **removed.** `spec/featurebase-reference.overlay.yaml` action 416",
        "the diff reports `deleteConversation`: operation `DELETE /v2/conversations/{id}` removed",
        "`client.conversations().delete()` and its request builder are removed",
        "`CreateConversationBodyRequired` gains the field `channel`",
        "`types::ConversationPart` gains `CallLog(CallLogPart)`",
        "`types::ConversationState` gains the variant `Archived`",
    ] {
        assert!(markdown.contains(phrase), "the report lacks {phrase:?}:\n{markdown}");
    }
    let json: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["stale_overlay_actions"][0]["fate"]["fate"], "removed", "{json:#}");

    // 2. `cargo xtask generate --spec NEW`: the crate, its version and changelog, and the overlay
    // without the action.
    let manifest_before = fs::read_to_string(ws.join("generated/Cargo.toml")).unwrap();
    let old_version = xtask::release::package_version(&manifest_before).unwrap();
    let generated = run_in(&ws, Mode::Write, Some(&ws.join(NEW))).unwrap();
    let release = generated.release.expect("a release");
    assert!(release.breaking);
    assert_eq!(release.new_version, xtask::release::next_version(&old_version, true).unwrap());
    assert_eq!(generated.overlay_actions_removed, report.stale_overlay_actions);
    assert!(generated.changed.contains(&REFERENCE_OVERLAY.to_owned()), "{:?}", generated.changed);
    let overlay_after = fs::read_to_string(ws.join(REFERENCE_OVERLAY)).unwrap();
    assert_eq!(overlay_after, overlay_before.replacen(&removed_lines, "", 1), "only the action's lines go");
    let manifest = fs::read_to_string(ws.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!("version = \"{}\"", release.new_version)), "{manifest}");
    assert!(manifest.contains("spec = \"../spec/featurebase-2026-03-01.nova.json\""), "{manifest}");

    let changelog = fs::read_to_string(ws.join("generated/CHANGELOG.md")).unwrap();
    let start = changelog.find(&format!("## {} — API", release.new_version)).expect("a new section");
    let section = &changelog[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for phrase in [
        "### Breaking",
        "`client.conversations().delete()` and its request builder are removed",
        "### Overlay actions removed",
        "- `spec/featurebase-reference.overlay.yaml` action 416 (target \
         `$.paths['/v2/conversations/{id}'].delete.parameters[?@.name == 'id']`, description \"Conversation ID \
         (short ID)\"): what it selected",
        "was removed; the diff reports `deleteConversation`",
    ] {
        assert!(section.contains(phrase), "the changelog section lacks {phrase:?}:\n{section}");
    }

    let resources = fs::read_to_string(ws.join("generated/src/resources/conversations.rs")).unwrap();
    assert!(!resources.contains("DELETE /v2/conversations/{id}`"), "the delete operation is still generated");
    let types = fs::read_to_string(ws.join("generated/src/types/conversations.rs")).unwrap();
    assert!(types.contains("CallLog(CallLogPart)") && types.contains("Archived = \"archived\","));
    // The overlays now apply as they are: the crate is fresh.
    run_in(&ws, Mode::Check, None).unwrap();
}

#[test]
fn a_bump_stops_on_overlay_actions_whose_targets_moved_and_lists_every_stale_action() {
    let ws = root().join("target/e2e-moved-overlay");
    featurebase_tests::scratch_workspace(&ws, true);
    let mut next = without_conversation_delete(&fs::read_to_string(root().join(OLD)).unwrap());
    // `Conversation.brandId` is now `brand`, and `OutreachRecipients` is now `Recipients`: the same
    // definitions under other names.
    let properties = at(&mut next, "/components/schemas/Conversation/properties").as_object_mut().unwrap();
    let brand = properties.shift_remove("brandId").unwrap();
    properties.insert("brand".into(), brand);
    let schemas = at(&mut next, "/components/schemas").as_object_mut().unwrap();
    let recipients = schemas.shift_remove("OutreachRecipients").unwrap();
    schemas.insert("Recipients".into(), recipients);
    let text = serde_json::to_string_pretty(&next)
        .unwrap()
        .replace("#/components/schemas/OutreachRecipients\"", "#/components/schemas/Recipients\"");
    fs::write(ws.join(NEW), text).unwrap();
    let snapshot = |ws: &std::path::Path| {
        ["generated/Cargo.toml", "generated/CHANGELOG.md", "generated/src/info.rs", REFERENCE_OVERLAY]
            .map(|f| fs::read_to_string(ws.join(f)).unwrap_or_default())
    };
    let before = snapshot(&ws);

    let report = xtask::diff::crate_diff(&ws, &ws.join(OLD), &ws.join(NEW), xtask::diff::Overlays::Auto).unwrap();
    let stale: Vec<(usize, bool)> = report.stale_overlay_actions.iter().map(|s| (s.index, s.removable())).collect();
    assert_eq!(stale.len(), 5, "{:#?}", report.stale_overlay_actions);
    assert_eq!(stale.iter().filter(|(_, removable)| *removable).count(), 1, "{stale:?}");

    let err = run_in(&ws, Mode::Write, Some(&ws.join(NEW))).unwrap_err();
    for phrase in [
        "5 overlay action(s) select nothing in spec/featurebase-2026-03-01.nova.json, and 4 of them",
        "nothing was written",
        "deleted once the others are fixed: spec/featurebase-reference.overlay.yaml: action 416",
        "fix the target: spec/featurebase-reference.overlay.yaml: action 3 (target \
         `$.components.schemas.Conversation.properties.brandId`",
        "point the target at `$.components.schemas.Conversation.properties.brand`",
        "point the target at `$.components.schemas.Recipients.properties.to`",
        "point the target at `$.components.schemas.Recipients.properties.cc`",
        "point the target at `$.components.schemas.Recipients.properties.bcc`",
    ] {
        assert!(err.contains(phrase), "the error lacks {phrase:?}:\n{err}");
    }
    assert_eq!(snapshot(&ws), before, "a stopped bump writes nothing");
}
