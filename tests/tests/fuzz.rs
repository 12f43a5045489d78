//! Fuzzing of the loader and the generator over mutated specs (`proptest`).
//!
//! Every case takes a spec from the corpus or the fixtures, applies a few random mutations to
//! its JSON tree (keys deleted or renamed to odd names, values of the wrong type, `$ref`s that
//! dangle or make cycles, `oneOf`/`allOf`/`anyOf` and type arrays inserted, deep nesting, nodes
//! copied elsewhere), writes it back as JSON or YAML and runs `generator::generate`. The generator
//! must return: `Ok` (every file it emits has been parsed back as Rust, see `emit::render`) or an
//! `Err` that is about the spec, never an internal error, and it must never panic.
//!
//! `PROPTEST_CASES=100000 cargo test -p featurebase-tests --release --test fuzz` runs a long
//! campaign; `FUZZ_COMPILE=200` also compiles the first 200 mutated specs that generate (with
//! `cargo check`, as the corpus is). See FUZZING.md for what the campaigns found.

mod support;

use featurebase_tests::root;
use generator::load::Format;
use generator::Options;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Cases of a normal test run (the README's command); `PROPTEST_CASES` overrides it.
const DEFAULT_CASES: u32 = 1000;

/// Names that stress naming: keywords, digits, non-ASCII, collisions, pointer syntax.
const NAMES: &[&str] = &[
    "",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "r#type",
    "_",
    "__",
    "2fa",
    "1",
    "-",
    "+1",
    "é",
    "名前",
    "🦀",
    "Option",
    "Result",
    "Client",
    "Error",
    "ErrorCode",
    "Unknown",
    "mod",
    "types",
    "builder",
    "extra",
    "default",
    "body",
    "a/b",
    "a~b",
    "{id}",
    "$ref",
    "x-",
    " ",
    "\n",
    "\"",
    "'",
    "`",
    "\\",
    "%20",
    "a b",
    "UserProfile",
    "user_profile",
    "user-profile",
    "components",
    "schemas",
    "#",
];

/// One change to a spec's JSON tree, at the node `at` selects.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node from its parent.
    Delete,
    /// Replace the node with another value.
    Replace(Value),
    /// Rename the node's key in its parent object.
    Rename(String),
    /// Set `type` to one type name or an array of them.
    SetType(Value),
    /// Wrap the node in `{keyword: [node, other]}`.
    Compose(&'static str, Value),
    /// Replace the node with a `$ref` to a component that may not exist.
    Ref(String),
    /// Replace the node with a `$ref` to an existing component (cycles).
    RefExisting(Index),
    /// Wrap the node in this many levels of objects and arrays.
    Nest(usize),
    /// Replace the node with a copy of another node of the document.
    Copy(Index),
    /// Add a property or key with this name and value.
    Add(String, Value),
    /// Wrap the node in `{keyword: [node, {$ref: existing component}]}` (cycles through unions
    /// and `allOf`).
    ComposeRef(&'static str, Index),
    /// Add a keyword that changes the Rust type: `nullable`, `enum`, `discriminator`, `required`...
    Keyword(&'static str, Value),
}

/// Where a mutation applies: anywhere, or only on schemas (most of the interesting cases).
#[derive(Debug, Clone, Copy)]
struct Target {
    schema: bool,
    index: Index,
}

fn target() -> impl Strategy<Value = Target> {
    (proptest::bool::weighted(0.7), any::<Index>()).prop_map(|(schema, index)| Target { schema, index })
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(NAMES).prop_map(str::to_owned),
        2 => "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
        1 => "\\PC{0,6}",
        1 => "[0-9]{1,3}[a-z]{0,3}",
        1 => (1usize..200).prop_map(|n| "a".repeat(n)),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(json!(1e300)),
        name().prop_map(Value::String),
        proptest::sample::select(&["string", "object", "array", "integer", "number", "boolean", "null"][..])
            .prop_map(|t| Value::String(t.to_owned())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((name(), inner), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            Just(json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]})),
            Just(json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})),
            Just(json!({"type": "array", "items": {"$ref": "#/components/schemas/Nope"}})),
            Just(json!({"enum": ["a", "A", "a-", "", null, 1]})),
            Just(json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]})),
            Just(json!({"discriminator": {"propertyName": "kind"}, "oneOf": [{"type": "string"}]})),
            Just(json!({"type": "string", "format": "binary"})),
            Just(json!({"content": {"multipart/form-data": {"schema": {"type": "string"}}}})),
            Just(json!(false)),
            Just(json!(true)),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => Just(Mutation::Delete),
        2 => value().prop_map(Mutation::Replace),
        2 => name().prop_map(Mutation::Rename),
        2 => proptest::collection::vec(
            proptest::sample::select(&["string", "object", "array", "integer", "number", "boolean", "null", "bogus"][..]),
            0..4
        )
        .prop_map(|ts| if ts.len() == 1 { json!(ts[0]) } else { json!(ts) })
        .prop_map(Mutation::SetType),
        2 => (proptest::sample::select(&["oneOf", "anyOf", "allOf"][..]), value()).prop_map(|(k, v)| Mutation::Compose(k, v)),
        1 => name().prop_map(|n| Mutation::Ref(format!("#/components/schemas/{n}"))),
        1 => proptest::sample::select(&["#/components/parameters/X", "#/paths/~1a", "other.yaml#/X", "#", "#/components/schemas/"][..])
            .prop_map(|r| Mutation::Ref(r.to_owned())),
        3 => any::<Index>().prop_map(Mutation::RefExisting),
        1 => (1usize..80).prop_map(Mutation::Nest),
        2 => any::<Index>().prop_map(Mutation::Copy),
        2 => (name(), value()).prop_map(|(n, v)| Mutation::Add(n, v)),
        3 => (proptest::sample::select(&["oneOf", "anyOf", "allOf"][..]), any::<Index>())
            .prop_map(|(k, i)| Mutation::ComposeRef(k, i)),
        4 => keyword().prop_map(|(k, v)| Mutation::Keyword(k, v)),
    ]
}

fn keyword() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        Just(("nullable", json!(true))),
        Just(("type", json!(["string", "null"]))),
        Just(("type", json!(["object", "array", "string"]))),
        proptest::collection::vec(name(), 0..5).prop_map(|v| ("enum", json!(v))),
        Just(("enum", json!([1, "a", null, true]))),
        name().prop_map(|n| ("discriminator", json!({ "propertyName": n }))),
        name().prop_map(|n| (
            "discriminator",
            json!({ "propertyName": "kind", "mapping": { n: "#/components/schemas/A" } })
        )),
        name().prop_map(|n| ("required", json!([n, "id", "type"]))),
        name().prop_map(|n| ("const", json!(n))),
        Just(("additionalProperties", json!(false))),
        Just(("additionalProperties", json!({"$ref": "#/components/schemas/A"}))),
        Just(("items", json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}))),
        Just(("format", json!("binary"))),
        Just(("format", json!("int8"))),
        Just(("readOnly", json!(true))),
        Just(("default", json!({"a": [1]}))),
        Just(("not", json!({"type": "string"}))),
    ]
}

/// The paths of the objects that are schemas (under a `schema` or `schemas` key).
fn schema_paths(root: &Value) -> Vec<Vec<PathStep>> {
    paths(root)
        .into_iter()
        .filter(|p| {
            p.iter().any(|s| matches!(s, PathStep::Key(k) if k == "schema" || k == "schemas"))
                && node(root, p).is_some_and(Value::is_object)
                && !matches!(p.last(), Some(PathStep::Key(k)) if k == "schemas" || k == "properties")
        })
        .collect()
}

/// Every node's path (object keys and array indexes), parents before children.
fn paths(root: &Value) -> Vec<Vec<PathStep>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), root)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    let mut p = path.clone();
                    p.push(PathStep::Key(k.clone()));
                    stack.push((p, c));
                }
            }
            Value::Array(items) => {
                for (i, c) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(PathStep::Index(i));
                    stack.push((p, c));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(root: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |v, step| match step {
        PathStep::Key(k) => v.get_mut(k.as_str()),
        PathStep::Index(i) => v.get_mut(*i),
    })
}

fn node<'a>(root: &'a Value, path: &[PathStep]) -> Option<&'a Value> {
    path.iter().try_fold(root, |v, step| match step {
        PathStep::Key(k) => v.get(k.as_str()),
        PathStep::Index(i) => v.get(*i),
    })
}

fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Applies one mutation at the node `at` selects.
fn apply(doc: &mut Value, at: Target, m: &Mutation) {
    let all = paths(doc);
    let schemas = if at.schema { schema_paths(doc) } else { Vec::new() };
    let path = if schemas.is_empty() { at.index.get(&all).clone() } else { at.index.get(&schemas).clone() };
    match m {
        Mutation::Delete | Mutation::Rename(_) => {
            let Some((last, parent_path)) = path.split_last() else { return };
            let Some(parent) = node_mut(doc, parent_path) else { return };
            match (parent, last, m) {
                (Value::Object(map), PathStep::Key(k), Mutation::Delete) => {
                    map.shift_remove(k);
                }
                (Value::Object(map), PathStep::Key(k), Mutation::Rename(new)) => {
                    if let Some(v) = map.shift_remove(k) {
                        map.insert(new.clone(), v);
                    }
                }
                (Value::Array(items), PathStep::Index(i), Mutation::Delete) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            }
        }
        Mutation::RefExisting(which) => {
            let names = component_names(doc);
            if names.is_empty() {
                return;
            }
            let target = which.get(&names).replace('~', "~0").replace('/', "~1");
            if let Some(n) = node_mut(doc, &path) {
                *n = json!({ "$ref": format!("#/components/schemas/{target}") });
            }
        }
        Mutation::ComposeRef(keyword, which) => {
            let names = component_names(doc);
            if names.is_empty() {
                return;
            }
            let target = which.get(&names).replace('~', "~0").replace('/', "~1");
            if let Some(n) = node_mut(doc, &path).filter(|n| n.is_object()) {
                let inner = n.take();
                *n = json!({ *keyword: [inner, { "$ref": format!("#/components/schemas/{target}") }] });
            }
        }
        Mutation::Copy(which) => {
            let source = node(doc, which.get(&all).as_slice()).cloned();
            if let (Some(source), Some(n)) = (source, node_mut(doc, &path)) {
                *n = source;
            }
        }
        _ => {
            let Some(n) = node_mut(doc, &path) else { return };
            // Schema-shaped changes on anything but an object only make the reader refuse early.
            if matches!(m, Mutation::Compose(..) | Mutation::Nest(_)) && !n.is_object() {
                return;
            }
            match m {
                Mutation::Replace(v) => *n = v.clone(),
                Mutation::SetType(t) => {
                    if let Value::Object(map) = n {
                        map.insert("type".into(), t.clone());
                    }
                }
                Mutation::Compose(keyword, other) => {
                    let inner = n.take();
                    *n = json!({ *keyword: [inner, other] });
                }
                Mutation::Ref(r) => *n = json!({ "$ref": r }),
                Mutation::Nest(depth) => {
                    for level in 0..*depth {
                        let inner = n.take();
                        *n = if level % 2 == 0 {
                            json!({"type": "object", "properties": {"a": inner}})
                        } else {
                            json!({"type": "array", "items": inner})
                        };
                    }
                }
                Mutation::Add(k, v) => {
                    if let Value::Object(map) = n {
                        map.insert(k.clone(), v.clone());
                    }
                }
                Mutation::Keyword(k, v) => {
                    if let Value::Object(map) = n {
                        map.insert((*k).to_owned(), v.clone());
                    }
                }
                _ => unreachable!("handled above"),
            }
        }
    }
}

/// The seeds: every corpus spec and fixture spec that parses.
fn seeds() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    // The broken fixture specs and Swagger 2.0 fail before anything a mutation could reach.
    for dir in ["tests/fixtures/corpus", "tests/fixtures/specs"] {
        let mut entries: Vec<_> = std::fs::read_dir(root().join(dir)).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("swagger") {
                continue;
            }
            if let Ok(raw) = generator::load::parse_raw(&text, Format::from_path(&path)) {
                if let Ok(value) = serde_json::to_value(raw) {
                    out.push((path.file_name().unwrap().to_string_lossy().into_owned(), value));
                }
            }
        }
    }
    assert!(out.len() >= 30, "too few seeds: {}", out.len());
    // The Featurebase description too, for long campaigns (it takes a second per case).
    if std::env::var_os("FUZZ_FEATUREBASE").is_some() {
        let path = root().join("spec/featurebase-2026-01-01.nova.json");
        let raw = generator::load::parse_raw(&std::fs::read_to_string(&path).unwrap(), Format::Json).unwrap();
        out.push(("featurebase".into(), serde_json::to_value(raw).unwrap()));
    }
    out
}

/// Runs the generator on one mutated spec: what it generated (with the spec's text), or the
/// property it violated.
fn check(doc: &Value, yaml: bool) -> Result<Option<(String, generator::Generated)>, TestCaseError> {
    let (text, format) = if yaml {
        (serde_yaml::to_string(doc).map_err(|e| TestCaseError::reject(e.to_string()))?, Format::Yaml)
    } else {
        (serde_json::to_string_pretty(doc).unwrap(), Format::Json)
    };
    match generator::generate(&text, format, &Options::default()) {
        Ok(generated) => {
            prop_assert!(generated.files.contains_key("src/info.rs"));
            prop_assert!(generated.files.values().all(|f| f.contains("@generated")));
            Ok(Some((text, generated)))
        }
        Err(e) => {
            let message = e.to_string();
            if std::env::var_os("FUZZ_VERBOSE").is_some() {
                eprintln!("refused: {message}");
            }
            prop_assert!(!message.contains("internal error"), "{message}");
            prop_assert!(!message.is_empty());
            Ok(None)
        }
    }
}

/// The harness's stack: mutated documents can nest hundreds of levels deep, and serializing and
/// dropping them recurses (the generator runs on a stack of its own, see `generator::generate`).
const HARNESS_STACK: usize = 64 << 20;

#[test]
fn mutated_specs_never_panic() {
    let harness = std::thread::Builder::new().stack_size(HARNESS_STACK).spawn(fuzz_campaign).unwrap();
    if let Err(panic) = harness.join() {
        std::panic::resume_unwind(panic);
    }
}

/// The seed of the campaign's random cases: `FUZZ_SEED` if set; a fixed one under CI (`CI` set),
/// so that whether a change lands never depends on luck; otherwise a new one each run, so that
/// local runs keep exploring. The seed is printed, and a failure's seed repeats it.
fn seed() -> u64 {
    if let Some(seed) = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()) {
        return seed;
    }
    if std::env::var_os("CI").is_some() {
        return 20_260_101;
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    now.as_nanos() as u64 ^ u64::from(std::process::id()).rotate_left(32)
}

/// The campaign `mutated_specs_never_panic` runs.
fn fuzz_campaign() {
    let seeds = seeds();
    let mut config = Config::with_cases(DEFAULT_CASES);
    if let Some(cases) = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()) {
        config.cases = cases;
    }
    config.failure_persistence = None;
    let seed = seed();
    eprintln!("fuzz: seed {seed} (FUZZ_SEED={seed} repeats this run)");
    let mut seed_bytes = [0; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let ran = AtomicUsize::new(0);
    let outcomes = [AtomicUsize::new(0), AtomicUsize::new(0)];
    let compile: usize = std::env::var("FUZZ_COMPILE").ok().and_then(|n| n.parse().ok()).unwrap_or(0);
    let to_compile = std::sync::Mutex::new(Vec::new());
    let strategy = (any::<Index>(), proptest::collection::vec((target(), mutation()), 1..4), any::<bool>());
    let result = runner.run(&strategy, |(seed, mutations, yaml)| {
        ran.fetch_add(1, Ordering::Relaxed);
        let (_, original) = seed.get(&seeds);
        let mut doc = original.clone();
        for (at, m) in &mutations {
            apply(&mut doc, *at, m);
        }
        let generated = check(&doc, yaml)?;
        outcomes[usize::from(generated.is_some())].fetch_add(1, Ordering::Relaxed);
        let mut to_compile = to_compile.lock().unwrap();
        if let Some((text, generated)) = generated.filter(|_| to_compile.len() < compile) {
            let name = format!("fuzz-{:04}", to_compile.len());
            to_compile.push((name, text, yaml, generated));
        }
        Ok(())
    });
    eprintln!(
        "fuzz: {} cases ({} generated, {} refused with an error)",
        ran.load(Ordering::Relaxed),
        outcomes[1].load(Ordering::Relaxed),
        outcomes[0].load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    let to_compile = to_compile.into_inner().unwrap();
    if !to_compile.is_empty() {
        let crates: Vec<support::Crate<'_>> = to_compile
            .iter()
            .map(|(name, text, yaml, generated)| support::Crate {
                name: name.clone(),
                generated,
                extra: vec![(if *yaml { "spec.yaml" } else { "spec.json" }.to_owned(), text.clone())],
            })
            .collect();
        if let Err(e) = support::check("fuzz-check", &crates) {
            panic!("generated crates of mutated specs do not compile (each crate has its spec) {e}");
        }
        eprintln!("fuzz: {} generated crates compile", crates.len());
    }
}

/// Wrong shapes at the top of the document, where the reader starts.
#[test]
fn odd_documents_are_refused_cleanly() {
    for text in ["", "null", "[]", "1", "\"openapi\"", "{}", "{\"openapi\": 3.1}", "{\"openapi\": \"3.1.0\"}"] {
        match generator::generate(text, Format::Json, &Options::default()) {
            Ok(_) => panic!("{text:?} generated"),
            Err(e) => assert!(!e.to_string().contains("internal error"), "{text:?}: {e}"),
        }
    }
}

/// Reference cycles the fuzzer found: they overflowed the stack (an `allOf` that includes
/// itself) or generated type aliases of each other that do not compile. Now they are errors.
#[test]
fn reference_cycles_are_skipped_with_their_reason() {
    let spec = |schemas: &str| {
        format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}")
    };
    let cases = [
        (
            "    A: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {x: {type: string}}}]}\n\
             \x20   B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {y: {type: string}}}]}\n",
            "#/components/schemas/A: unsupported: an `allOf` that includes itself (through `$ref`s)",
        ),
        (
            "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            "#/components/schemas/A: `$ref` chain does not end (a reference cycle without a schema): \
             #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
        ),
        (
            "    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n\
             \x20   B: {allOf: [{$ref: '#/components/schemas/A'}, {type: object}]}\n",
            "#/components/schemas/A: `$ref` chain does not end (a reference cycle without a schema): \
             #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
        ),
    ];
    // Each schema of a cycle is skipped alone (any JSON value), with the cycle as its reason;
    // the rest of the document is generated.
    for (schemas, expected) in cases {
        let generated = generator::generate(&spec(schemas), Format::Yaml, &Options::default())
            .unwrap_or_else(|e| panic!("refused: {e}\n{schemas}"));
        let reasons: Vec<&str> = generated.api.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(reasons.contains(&expected), "{reasons:?}");
    }
}

/// The mutations do what they say (a fuzzer that mutates nothing finds nothing).
#[test]
fn mutations_change_the_document() {
    let mut doc = json!({"components": {"schemas": {"A": {"type": "object"}, "B": {"type": "string"}}}});
    let before = doc.clone();
    let mut runner = TestRunner::deterministic();
    let mut changed = 0;
    for _ in 0..50 {
        let at = target().new_tree(&mut runner).unwrap().current();
        let m = mutation().new_tree(&mut runner).unwrap().current();
        let mut copy = doc.clone();
        apply(&mut copy, at, &m);
        changed += usize::from(copy != doc);
        doc = copy;
    }
    assert!(changed > 25, "only {changed} of 50 mutations changed the document");
    assert_ne!(doc, before);
}
