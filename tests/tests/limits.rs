//! Deep and long specs: the generator either generates or refuses with an error naming the
//! pointer, whatever stack its caller runs on (every call here is made from a thread with a
//! 256 KiB stack, far less than a test thread's 2 MiB).

use generator::load::{Format, MAX_SCHEMA_DEPTH};
use generator::Options;
use serde_json::{json, Value};

/// A description whose one operation sends and returns `#/components/schemas/S0`.
fn spec(schemas: serde_json::Map<String, Value>) -> String {
    let body = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}});
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "limits", "version": "1"},
        "paths": {"/a": {"post": {
            "operationId": "op",
            "requestBody": body,
            "responses": {"200": {"description": "ok", "content": body["content"]}}
        }}},
        "components": {"schemas": schemas}
    });
    serde_json::to_string(&doc).unwrap()
}

/// Generates on a thread with a small stack: the total size of the files, or the error.
/// The size of what was generated and the warnings, or the error.
fn generate_on_small_stack(text: String, format: Format) -> Result<(usize, Vec<String>), String> {
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            generator::generate(&text, format, &Options::default())
                .map(|g| {
                    (g.files.values().map(String::len).sum(), g.warnings.iter().map(ToString::to_string).collect())
                })
                .map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .expect("the generator panicked")
}

/// `depth` schemas nested in each other, the innermost a string.
fn nested(depth: usize, shape: &str) -> Value {
    let mut schema = json!({"type": "string"});
    for level in 1..depth {
        schema = match shape {
            "array" => json!({"type": "array", "items": schema}),
            "map" => json!({"type": "object", "additionalProperties": schema}),
            "object and array" if level % 2 == 0 => json!({"type": "object", "properties": {"a": schema}}),
            "object and array" => json!({"type": ["array", "null"], "items": schema}),
            _ => unreachable!("{shape}"),
        };
    }
    schema
}

#[test]
fn nesting_up_to_the_limit_generates_and_deeper_is_an_error() {
    for shape in ["array", "map", "object and array"] {
        for format in [Format::Json, Format::Yaml] {
            let text = |depth| {
                let text = spec([("S0".to_owned(), nested(depth, shape))].into_iter().collect());
                match format {
                    Format::Json => text,
                    Format::Yaml => serde_yaml::to_string(&serde_json::from_str::<Value>(&text).unwrap()).unwrap(),
                }
            };
            let at_limit = generate_on_small_stack(text(MAX_SCHEMA_DEPTH), format);
            assert!(matches!(&at_limit, Ok((size, _)) if *size > 0), "{shape}, {format:?}: {at_limit:?}");
            // Deeper: that schema alone is passed over (any JSON value), with a warning naming
            // where; the rest generates.
            let (size, warnings) = generate_on_small_stack(text(MAX_SCHEMA_DEPTH + 1), format).unwrap();
            assert!(size > 0);
            let deep = format!("unsupported: schemas nested more than {MAX_SCHEMA_DEPTH} levels deep");
            assert!(
                warnings.iter().any(|w| w.contains("#/components/schemas/S0/") && w.contains(&deep)),
                "{shape}, {format:?}: {warnings:#?}"
            );
        }
    }
}

/// Documents nested deeper than the parsers go are refused by the parser, with a position.
#[test]
fn documents_deeper_than_the_parser_allows_are_errors() {
    let mut deep = json!("x");
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let json = format!("{{\"openapi\": \"3.1.0\", \"x-deep\": {deep}}}");
    let error = generate_on_small_stack(json, Format::Json).unwrap_err();
    assert!(error.starts_with("invalid JSON at line 1, column "), "{error}");
    let yaml = format!("openapi: 3.1.0\nx-deep: {deep}\n");
    let error = generate_on_small_stack(yaml, Format::Yaml).unwrap_err();
    assert!(error.starts_with("invalid YAML"), "{error}");
}

/// `count` components, each referring to the next; the last an object.
fn chain(count: usize, link: impl Fn(usize, Value) -> Value) -> String {
    let schemas = (0..count)
        .map(|i| {
            let schema = if i + 1 == count {
                json!({"type": "object", "properties": {"end": {"type": "string"}}})
            } else {
                link(i, json!({"$ref": format!("#/components/schemas/S{}", i + 1)}))
            };
            (format!("S{i}"), schema)
        })
        .collect();
    spec(schemas)
}

#[test]
fn long_reference_chains_generate() {
    let count = 300;
    let own = |i: usize| json!({"type": "object", "properties": {format!("p{i}"): {"type": "string"}}});
    let chains = [
        ("alias", chain(count, |_, next| next)),
        ("nullable alias", chain(count, |_, next| json!({"anyOf": [next, {"type": "null"}]}))),
        ("property", chain(count, |_, next| json!({"type": "object", "properties": {"next": next}}))),
        ("union member", chain(count, |i, next| json!({"oneOf": [next, own(i)]}))),
        ("allOf", chain(40, |i, next| json!({"allOf": [next, own(i)]}))),
    ];
    for (kind, text) in chains {
        let generated = generate_on_small_stack(text, Format::Json);
        assert!(matches!(&generated, Ok((size, _)) if *size > 0), "{kind}: {generated:?}");
    }
}
