//! Forward compatibility: documents as a newer API version could send them decode, and re-encode
//! without losing what this crate does not know.
//!
//! For every operation's response schema and every component schema, schema-valid instances are
//! made from the spec with several seeds, then mutated: an unknown property at every object
//! level, unknown enum values, unknown union tags, and all of those at once. Every document must
//! decode into the generated type and re-encode to the same JSON.

use featurebase::dynamic;
use featurebase_tests::instances::{Instances, Mutation};
use featurebase_tests::{first_difference, report, response_schemas, spec_json};
use serde_json::Value;

const SEEDS: u64 = 4;

struct Tally {
    documents: usize,
    mutations: usize,
    failures: Vec<String>,
}

fn check(tally: &mut Tally, what: &str, document: &Value, decode: impl Fn(&str) -> Result<Value, String>) {
    tally.documents += 1;
    match decode(&document.to_string()) {
        Ok(encoded) => {
            if let Some(d) = first_difference(document, &encoded, "") {
                tally.failures.push(format!("{what}: re-encoded differs at {d}"));
            }
        }
        Err(e) => tally.failures.push(format!("{what}: {e}\n    {document}")),
    }
}

fn exercise(
    tally: &mut Tally,
    spec: &Value,
    name: &str,
    schema: &Value,
    decode: &dyn Fn(&str) -> Result<Value, String>,
) {
    for seed in 0..SEEDS {
        for mutation in std::iter::once(Mutation::None).chain(Mutation::ALL) {
            let mut gen = Instances::new(spec, seed);
            gen.full = seed % 2 == 0;
            gen.nulls = seed % 3 == 1;
            gen.mutation = mutation;
            let document = gen.instance(schema);
            tally.mutations += gen.mutations;
            check(tally, &format!("{name} (seed {seed}, {mutation:?})"), &document, decode);
        }
    }
}

#[test]
fn newer_versions_decode_without_loss() {
    let spec = spec_json();
    let mut tally = Tally { documents: 0, mutations: 0, failures: Vec::new() };
    let mut responses = 0;
    let ids: Vec<&'static str> = dynamic::OPERATIONS.iter().map(|(id, _, _)| *id).collect();
    for (id, schema) in response_schemas(&spec, &ids) {
        responses += 1;
        exercise(&mut tally, &spec, id, schema, &|json| dynamic::decode_response(id, json));
    }
    for name in dynamic::SCHEMAS {
        let schema = &spec["components"]["schemas"][name];
        exercise(&mut tally, &spec, name, schema, &|json| dynamic::decode_schema(name, json));
    }
    report(&format!(
        "forward compatibility: {} documents decoded ({responses} response schemas, {} component schemas, {SEEDS} seeds), {} mutations",
        tally.documents,
        dynamic::SCHEMAS.len(),
        tally.mutations
    ));
    assert!(tally.mutations > 1000, "the mutations must actually happen: {}", tally.mutations);
    assert!(
        tally.failures.is_empty(),
        "{} of {} documents failed:\n{}",
        tally.failures.len(),
        tally.documents,
        tally.failures.join("\n")
    );
}

#[test]
fn every_example_in_the_spec_and_the_seeds_decodes() {
    let spec = spec_json();
    let mut checked = 0;
    let mut failures = Vec::new();
    // Schema-level and media-type-level examples, wherever the spec has them.
    for name in dynamic::SCHEMAS {
        let schema = &spec["components"]["schemas"][name];
        let examples = schema
            .get("example")
            .into_iter()
            .chain(schema.get("examples").and_then(Value::as_array).into_iter().flatten());
        for example in examples {
            checked += 1;
            if let Err(e) = dynamic::decode_schema(name, &example.to_string()) {
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let Some(media) = response.pointer("/content/application~1json") else { continue };
                let examples = media.get("example").into_iter().chain(
                    media
                        .get("examples")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flat_map(|m| m.values().filter_map(|e| e.get("value"))),
                );
                for example in examples.filter(|_| status.starts_with('2')) {
                    checked += 1;
                    if let Err(e) = dynamic::decode_response(id, &example.to_string()) {
                        failures.push(format!("{id} {status}: {e}"));
                    }
                }
            }
        }
    }
    // The reference's full examples (the seeds).
    for (file, schema) in [
        ("seeds/create_conversation_response.json", "Conversation"),
        ("seeds/list_conversations_response.json", "ConversationList"),
        ("seeds/create_conversation_request_contact.json", "CreateConversationBody"),
        ("seeds/create_conversation_request_admin_in_app.json", "CreateConversationBody"),
        ("seeds/create_conversation_request_admin_email.json", "CreateConversationBody"),
    ] {
        checked += 1;
        let text = featurebase_tests::fixture(file);
        match dynamic::decode_schema(schema, &text) {
            Ok(encoded) => {
                let original: Value = serde_json::from_str(&text).unwrap();
                if let Some(d) = first_difference(&original, &encoded, "") {
                    failures.push(format!("{file}: re-encoded differs at {d}"));
                }
            }
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    report(&format!("examples: {checked} decoded (spec examples and the reference's full examples)"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
