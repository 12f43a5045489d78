//! OpenAPI Overlays: the downloaded spec stays as fetched, the reference's descriptions come from
//! an overlay, and an overlay that no longer fits its spec fails loudly.
//!
//! - the vendored spec is byte-identical to its provenance record, and the crate's overlays apply
//!   to it (every action selects something);
//! - actions update, remove and append, in YAML and JSON, in order, before the spec is read;
//! - a target that matches nothing names the overlay file, the action and its target (what a new
//!   version that moves a schema does), and a malformed target is reported with its position;
//! - the generated rustdoc carries the reference's sentences, and no doc line only repeats a
//!   field's wire name or says "The `X` object.".

use featurebase_tests::root;
use generator::load::{Format, Overlay};
use std::fs;
use std::path::Path;
use xtask::codegen::config;

const SPEC: &str = "spec/featurebase-2026-01-01.nova.json";
/// The method names the maintainers choose (`x-rust-method`).
const NAMES: &str = "spec/featurebase-names.overlay.yaml";
const REFERENCE: &str = "spec/featurebase-reference.overlay.yaml";
const WEBHOOKS: &str = "spec/featurebase-webhooks.overlay.yaml";

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/overlays").join(name)
}

fn overlay(name: &str) -> Overlay {
    Overlay::load(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The fixture spec generated with overlays: the files, by path.
fn generate(overlays: &[Overlay]) -> Result<generator::Generated, generator::Error> {
    let text = fs::read_to_string(fixture("spec.yaml")).unwrap();
    generator::generate_with(&text, Format::Yaml, overlays, &generator::Options::default())
}

/// `key = "value"` of the provenance file.
fn provenance(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('='))
        .unwrap_or_else(|| panic!("no `{key}` in the provenance file"))
        .trim()
        .trim_matches('"')
        .to_owned()
}

#[test]
fn the_downloaded_spec_is_byte_identical_to_what_its_provenance_records() {
    let bytes = fs::read(root().join(SPEC)).unwrap();
    let record = fs::read_to_string(root().join(format!("{SPEC}.source"))).unwrap();
    assert_eq!(provenance(&record, "sha256"), xtask::fetch::sha256_hex(&bytes), "{SPEC} was edited: use an overlay");
    assert_eq!(provenance(&record, "bytes"), bytes.len().to_string());
    assert_eq!(provenance(&record, "version"), "2026-01-01.nova");
}

#[test]
fn the_crate_names_the_reference_overlay_and_every_action_applies() {
    let config = config(&root()).unwrap();
    assert_eq!(config.overlays, [format!("../{REFERENCE}"), format!("../{NAMES}"), format!("../{WEBHOOKS}")]);
    let overlays = config.load_overlays(&root()).unwrap();
    let text = fs::read_to_string(root().join(SPEC)).unwrap();
    let mut raw = generator::load::parse_raw(&text, Format::Json).unwrap();
    let applied = generator::load::overlay::apply(&mut raw, &overlays).unwrap();
    assert_eq!(applied.len(), overlays.iter().map(|o| o.actions.len()).sum::<usize>());
    // One node each: an action names one schema, property, union member or parameter.
    let wide: Vec<_> = applied.iter().filter(|a| a.nodes.len() != 1).map(|a| &a.target).collect();
    assert!(wide.is_empty(), "actions that select more than one node: {wide:?}");
    assert!(applied.len() > 400, "{} actions", applied.len());
}

#[test]
fn updates_removals_and_appends_apply_in_order_in_yaml_and_json() {
    let generated = generate(&[overlay("describe.overlay.yaml"), overlay("later.overlay.json")]).unwrap();
    let types = &generated.files["src/types/pets.rs"];
    let resources = &generated.files["src/resources/pets.rs"];
    assert!(types.contains("/// A pet of the store.\n"), "{types}");
    // Both overlays update `name`: the later one wins.
    assert!(types.contains("/// The pet's name (the later overlay wins).\n"), "{types}");
    // Union members by their constant: each variant carries its member's description.
    assert!(types.contains("/// A cat, indoor or not.\n"), "{types}");
    assert!(types.contains("/// A dog, with its breed.\n"), "{types}");
    // Removed: an operation and a property.
    assert!(!resources.contains("list_legacy"), "{resources}");
    assert!(!types.contains("nickname"), "{types}");
    // Appended to an array: a parameter, documented from the first overlay's update of `limit`.
    assert!(resources.contains("pub fn offset("), "{resources}");
    assert!(resources.contains("/// How many pets to return."), "{resources}");
    // Secrets, by `format: password` in the spec and by `x-sensitive` from the overlay.
    assert!(types.contains("pub api_token: crate::runtime::Secret,"), "{types}");
    assert!(types.contains("pub webhook_secret: Option<crate::runtime::Secret>,"), "{types}");
    assert!(types.contains("pub recovery_codes: Option<Vec<String>>,"), "items are not the field: {types}");
}

#[test]
fn without_overlays_the_spec_is_generated_as_it_is() {
    let generated = generate(&[]).unwrap();
    let types = &generated.files["src/types/pets.rs"];
    assert!(types.contains("pub nickname: Option<String>,"));
    assert!(types.contains("pub webhook_secret: Option<String>,"));
    let resources = &generated.files["src/resources/pets.rs"];
    assert!(resources.contains("pub fn list_legacy("), "{resources}");
}

#[test]
fn a_target_that_matches_nothing_names_the_overlay_the_action_and_the_target() {
    let err = generate(&[overlay("moved.overlay.yaml")]).unwrap_err().to_string();
    let file = fixture("moved.overlay.yaml").display().to_string();
    assert!(
        err.starts_with(&format!("overlay {file}: action 1 (target `$.components.schemas.Customer.properties.id`): ")),
        "{err}"
    );
    assert!(err.contains("matches nothing in the document"), "{err}");
}

#[test]
fn a_version_that_renames_a_schema_fails_the_reference_overlay_loudly() {
    // What a version bump that renames `Ticket` does to the crate's overlay.
    let mut spec: serde_json::Value = serde_json::from_str(&fs::read_to_string(root().join(SPEC)).unwrap()).unwrap();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    let ticket = schemas.shift_remove("Ticket").unwrap();
    schemas.insert("SupportTicket".into(), ticket);
    let text = serde_json::to_string(&spec)
        .unwrap()
        .replace("#/components/schemas/Ticket\"", "#/components/schemas/SupportTicket\"");
    let overlays = config(&root()).unwrap().load_overlays(&root()).unwrap();
    let err = generator::generate_with(&text, Format::Json, &overlays, &generator::Options::default())
        .unwrap_err()
        .to_string();
    let first = overlays[0].actions.iter().position(|a| a.target.starts_with("$.components.schemas.Ticket.")).unwrap();
    assert!(
        err.starts_with(&format!("overlay {REFERENCE}: action {first} (target `$.components.schemas.Ticket.")),
        "{err}"
    );
    assert!(err.contains("matches nothing"), "{err}");
}

#[test]
fn a_malformed_target_is_reported_with_its_position() {
    let err = Overlay::load(&fixture("bad-jsonpath.overlay.yaml")).unwrap_err().to_string();
    assert!(err.contains("action 1 (#/actions/1/target)"), "{err}");
    assert!(err.contains("is not valid JSONPath (RFC 9535)"), "{err}");
    let column: usize = err
        .split("at column ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no column: {err}"));
    // The caret line points at the same place, under the query.
    let lines: Vec<&str> = err.lines().collect();
    let query = lines.iter().position(|l| l.trim_start().starts_with("$.components")).unwrap();
    let caret = lines[query + 1];
    assert_eq!(caret.find('^').unwrap() - 4, column - 1, "{err}");
    // The parser stops at the comparison that has nothing to compare with.
    assert_eq!(&lines[query].trim_start()[column - 1..], "== ]", "{err}");
}

#[test]
fn overlay_files_are_checked() {
    let err = |text: &str| Overlay::parse("x.overlay.yaml", text, Format::Yaml).unwrap_err().to_string();
    assert!(err("overlay: 2.0.0\ninfo: {title: t, version: v}\nactions: [{target: $, remove: true}]").contains("2.0.0"));
    assert!(err("overlay: 1.0.0\nactions: [{target: $, remove: true}]").contains("`info`"));
    assert!(err("overlay: 1.0.0\ninfo: {title: t, version: v}\nactions: [{target: $.a, copy: $.b}]").contains("1.1"));
    assert!(err("overlay: 1.0.0\ninfo: {title: t, version: v}\nactions: [{target: $.a, update: [}").contains("line"));
}

/// The generated types module of a resource.
fn types(module: &str) -> String {
    fs::read_to_string(root().join(format!("generated/src/types/{module}.rs"))).unwrap()
}

#[test]
fn rustdoc_of_conversations_and_tickets_has_the_reference_sentences() {
    let conversations = types("conversations");
    for sentence in [
        "/// Conversations are messenger/inbox conversations in your Featurebase organization.",
        "    /// Unique conversation identifier",
        "    /// ID of the brand associated with this conversation",
        "    /// Array of conversation parts (messages). Only included when fetching a single conversation by ID.",
        // A part, its fields, and the union's variant that carries the part's description.
        "/// Message from a customer or lead",
        "    /// Message body content as HTML with signed image URLs",
        "        /// Message from a customer or lead\n        UserMessage(UserMessagePart) = [\"user_msg\"],",
        "    /// Canonical CSAT request ID",
        "    /// Reply-level tag applications and provenance for this conversation part",
    ] {
        assert!(conversations.contains(sentence), "types/conversations.rs lacks {sentence:?}");
    }
    let tickets = types("tickets");
    for sentence in [
        "/// Tickets represent support requests in your Featurebase organization.",
        "    /// Unique identifier (MongoDB ID)",
        "    /// Sequential display ID (e.g. TK-42)",
        "    /// Conversation message history. Only included when fetching a single ticket by ID.",
    ] {
        assert!(tickets.contains(sentence), "types/tickets.rs lacks {sentence:?}");
    }
    let boards = types("boards");
    assert!(boards.contains("/// An emoji character as the board icon"), "the icon union's members");
}

#[test]
fn no_doc_line_only_repeats_a_name() {
    let dir = root().join("generated/src/types");
    let mut echoes = Vec::new();
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let doc = line.trim_start();
            if doc.starts_with("/// The `") && doc.ends_with("` object.") {
                echoes.push(format!("{}:{}: {doc}", name(&path), i + 1));
            }
            // A doc line that is only a code span, on a field (not an enum value's wire form).
            let only_name =
                doc.strip_prefix("/// `").and_then(|d| d.strip_suffix('`')).is_some_and(|d| !d.contains('`'));
            let field =
                lines[i + 1..].iter().map(|l| l.trim_start()).find(|l| !l.starts_with("#[") && !l.starts_with("///"));
            if only_name && field.is_some_and(|f| f.starts_with("pub ")) {
                echoes.push(format!("{}:{}: {doc}", name(&path), i + 1));
            }
        }
    }
    assert!(echoes.is_empty(), "{} doc lines only name their item:\n{}", echoes.len(), echoes.join("\n"));
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn overlays_only_diff_shows_the_secret_and_every_action() {
    let (report, actions) = xtask::diff::crate_overlay_diff(&root(), None).unwrap();
    let secret: Vec<_> = report.changes.iter().filter(|c| c.location == "Webhook.secret").collect();
    assert!(!secret.is_empty(), "{}", report.to_markdown());
    assert!(secret.iter().all(|c| c.rust.severity == xtask::diff::Severity::Breaking), "{secret:?}");
    assert!(secret[0].rust.note.contains("`String` → `Secret`"), "{:?}", secret[0].rust.note);
    // The webhooks overlay describes what Featurebase sends: new webhooks and their signature
    // scheme. Beside those and the secret, the overlays change descriptions, which are not
    // semantic changes.
    let webhooks = [xtask::diff::Kind::WebhookAdded, xtask::diff::Kind::WebhookSignatureChanged];
    let others: Vec<_> =
        report.changes.iter().filter(|c| c.location != "Webhook.secret" && !webhooks.contains(&c.kind)).collect();
    assert!(others.is_empty(), "descriptions are not semantic changes: {others:?}");
    assert!(report.changes.iter().any(|c| c.kind == xtask::diff::Kind::WebhookAdded), "{}", report.to_markdown());
    assert!(
        actions.contains("| `spec/featurebase-reference.overlay.yaml` | 0 | `$.components.schemas.Conversation"),
        "{actions}"
    );
}
