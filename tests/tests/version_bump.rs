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
        "`CreatePostBody::new` gains the argument `content`",
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
    // `names.lock`, and `shared`, which takes the types no operation reaches any more). Not `resources/mod.rs`: a
    // resource's group type and methods live in the resource's own file.
    let may = [
        "generated/src/types/webhooks.rs",
        "generated/src/types/shared.rs",
        "generated/src/resources/conversations.rs",
        "generated/src/resources/posts.rs",
        "generated/src/dynamic.rs",
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
