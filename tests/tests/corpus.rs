//! The generator on a corpus of real-world-shaped OpenAPI descriptions (`tests/fixtures/corpus/`).
//!
//! Every spec either generates a crate that compiles without warnings, or fails with an error that
//! names the unsupported construct and its JSON pointer. For each spec an `insta` snapshot records
//! the outcome: the operations and types it became and every warning (what was passed over or
//! simplified, with its pointer), or the error. Nothing is dropped without a line in a snapshot.
//!
//! `corpus_compiles` writes every generated crate into one scratch cargo workspace under
//! `target/corpus-check/` (its own `[workspace]`, the `featurebase` crate's dependencies and lock
//! file, the hand-written runtime included by path) and runs one `cargo check` over all of them
//! with a shared target directory, `target/corpus-check-target/`, so later runs are incremental.

mod support;

use featurebase_tests::root;
use generator::load::Format;
use generator::model::{Api, TypeKind, TypeRef};
use generator::{Generated, Options};
use runtime::Nullable;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

/// What a corpus spec must do.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Generate, and the generated crate compiles without warnings.
    Compiles,
    /// Fail with an error naming the construct and where it is.
    Fails,
}

/// One test per spec (its snapshot), and the list every other test reads.
macro_rules! corpus {
    ($($test:ident: $file:literal => $expect:ident,)*) => {
        const CORPUS: &[(&str, Expect)] = &[$(($file, Expect::$expect)),*];
        $(
            #[test]
            fn $test() {
                insta::assert_snapshot!(stringify!($test), outcome($file, Expect::$expect));
            }
        )*
    };
}

corpus! {
    petstore_3_0: "01-petstore-3.0.yaml" => Compiles,
    pets_3_1: "02-pets-3.1.json" => Compiles,
    no_operation_ids: "03-no-operation-ids.yaml" => Compiles,
    names: "04-names.yaml" => Compiles,
    deep_all_of: "05-deep-allof.yaml" => Compiles,
    unions: "06-unions.json" => Compiles,
    recursion: "07-recursion.yaml" => Compiles,
    content_types: "08-content-types.yaml" => Compiles,
    responses: "09-responses.yaml" => Compiles,
    parameters: "10-parameters.yaml" => Compiles,
    security: "11-security.yaml" => Compiles,
    large_enums: "12-large-enums.json" => Compiles,
    extensions: "13-extensions.yaml" => Compiles,
    swagger_2_0: "14-swagger-2.0.json" => Fails,
    payments_form: "15-payments-form.yaml" => Compiles,
    code_hosting: "16-code-hosting.json" => Compiles,
    cluster: "17-cluster.json" => Compiles,
    webhooks_callbacks: "18-webhooks-callbacks.yaml" => Compiles,
    all_of_with_union: "19-allof-with-union.yaml" => Compiles,
    conditional_schemas: "20-conditional-schemas.json" => Compiles,
    yaml_features: "21-yaml-features.yaml" => Compiles,
    references: "22-references.yaml" => Compiles,
    minimal: "23-minimal.yaml" => Compiles,
    odd_schemas: "24-odd-schemas.json" => Compiles,
    fuzz_findings: "25-fuzz-findings.yaml" => Compiles,
    schemas_only: "26-schemas-only.json" => Compiles,
    oneof_beside_properties: "27-oneof-beside-properties.yaml" => Compiles,
    tuples: "28-tuples.json" => Compiles,
    big_integers_yaml: "29-big-integers.yaml" => Compiles,
    big_integers_json: "30-big-integers.json" => Compiles,
    openapi_3_2: "31-openapi-3.2.yaml" => Compiles,
    deprecated_operations: "32-deprecated-operations.yaml" => Compiles,
    untagged_operations: "33-untagged-operations.yaml" => Compiles,
    published_habits: "34-published-habits.yaml" => Compiles,
    webhooks: "35-webhooks.yaml" => Compiles,
    webhooks_type_tag: "36-webhooks-type-tag.yaml" => Compiles,
    webhooks_discriminator: "37-webhooks-discriminator.yaml" => Compiles,
}

fn corpus_dir() -> PathBuf {
    root().join("tests/fixtures/corpus")
}

fn generate(file: &str) -> Result<Generated, generator::Error> {
    let path = corpus_dir().join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let options = Options {
        source: format!("tests/fixtures/corpus/{file}"),
        crate_name: crate_name(file).replace('-', "_"),
        ..Options::default()
    };
    generator::generate(&text, Format::from_path(&path), &options)
}

/// `01-petstore-3.0.yaml` -> `corpus-01-petstore-3-0`.
fn crate_name(file: &str) -> String {
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("corpus-{name}")
}

/// A short Rust spelling of a type use, for the summaries.
fn type_text(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api.types.get(*id).name.clone(),
        TypeRef::Array(t) => format!("Vec<{}>", type_text(api, t)),
        TypeRef::Map(t) => format!("Map<{}>", type_text(api, t)),
        TypeRef::Nullable(t) => format!("Option<{}>", type_text(api, t)),
        other => format!("{other:?}"),
    }
}

/// The outcome of one spec as text: the operations and types it became and its warnings, or
/// its error.
fn outcome(file: &str, expect: Expect) -> String {
    let generated = match (generate(file), expect) {
        (Ok(g), Expect::Compiles) => g,
        (Err(e), Expect::Fails) => return format!("error: {e}\n"),
        (Ok(_), Expect::Fails) => panic!("{file} was expected to fail but generated"),
        (Err(e), Expect::Compiles) => panic!("{file} was expected to generate: {e}"),
    };
    let api = &generated.api;
    let mut out = String::new();
    writeln!(out, "files: {}", generated.files.keys().cloned().collect::<Vec<_>>().join(", ")).unwrap();
    writeln!(out, "\noperations:").unwrap();
    for op in &api.operations {
        let module = generator::model::modules::module_of(op, &api.resources);
        let params: Vec<String> = op
            .params
            .iter()
            .map(|p| format!("{}{}: {}", p.name, if p.required { "" } else { "?" }, type_text(api, &p.ty)))
            .collect();
        let body = op
            .body
            .as_ref()
            .map(|b| format!(" body{} {}: {}", if b.required { "" } else { "?" }, b.media, type_text(api, &b.ty)));
        let response = match &op.response.media {
            Some(m) => format!("{} {m}: {}", op.response.status, type_text(api, &op.response.ty)),
            None => format!("{}: {}", op.response.status, type_text(api, &op.response.ty)),
        };
        writeln!(
            out,
            "  {} {} ({}) -> {module}.{}({}){} -> {response}",
            op.method,
            op.path,
            op.operation_id,
            op.fn_name,
            params.join(", "),
            body.unwrap_or_default()
        )
        .unwrap();
    }
    writeln!(out, "\ntypes:").unwrap();
    for t in &api.types.types {
        let kind = match &t.kind {
            TypeKind::Struct(s) => format!("struct ({} fields)", s.fields.len()),
            TypeKind::Enum(e) => format!("enum ({} values)", e.variants.len()),
            TypeKind::Union(u) => format!("union {:?} ({} members)", u.tagging, u.variants.len()),
            TypeKind::Alias(a) => format!("= {}", type_text(api, a)),
            TypeKind::Tuple(t) => {
                let items: Vec<String> = t
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let ty = type_text(api, &item.ty);
                        let ty = if item.nullable { format!("Option<{ty}>") } else { ty };
                        if i < t.required {
                            ty
                        } else {
                            format!("{ty}?")
                        }
                    })
                    .collect();
                let rest = t.rest.as_ref().map(|r| format!(", ..{}", type_text(api, r))).unwrap_or_default();
                format!("tuple ({}{rest})", items.join(", "))
            }
        };
        writeln!(out, "  {}::{} {kind} <- {}", t.module, t.name, t.pointer).unwrap();
    }
    if let Some(w) = &api.webhooks {
        writeln!(out, "\nwebhooks (tag {:?}, signature {:?}):", w.tag, w.signature).unwrap();
        for e in &w.events {
            writeln!(out, "  {} {:?} -> Event::{}({})", e.name, e.tags, e.variant, type_text(api, &e.ty)).unwrap();
        }
    }
    writeln!(out, "\nwarnings:").unwrap();
    for w in &generated.warnings {
        writeln!(out, "  {}: {}", w.pointer, w.message).unwrap();
    }
    out
}

#[test]
fn every_corpus_file_is_listed() {
    let mut on_disk: Vec<String> = fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = CORPUS.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(on_disk, listed, "tests/fixtures/corpus/ and the CORPUS list differ");
    assert!(CORPUS.len() >= 20);
}

#[test]
fn corpus_compiles() {
    let generated: Vec<(String, Generated)> = CORPUS
        .iter()
        .filter(|(_, e)| *e == Expect::Compiles)
        .map(|(f, _)| (crate_name(f), generate(f).unwrap_or_else(|e| panic!("{f}: {e}"))))
        .collect();
    let crates: Vec<support::Crate<'_>> = generated
        .iter()
        .map(|(name, g)| support::Crate { name: name.clone(), generated: g, extra: Vec::new() })
        .collect();
    let started = std::time::Instant::now();
    if let Err(e) = support::check("corpus-check", &crates) {
        panic!("the generated corpus crates do not compile {e}");
    }
    eprintln!("cargo check of {} corpus crates: {:.1?}", crates.len(), started.elapsed());
}

/// Generated code committed under `tests/fixtures/generated/<dir>` (the files `keep` selects) is
/// what the generator makes now from the corpus spec `file`; with `env` set, it is rewritten.
fn fixture_is_fresh(file: &str, dir: &str, env: &str, keep: impl Fn(&str) -> bool) {
    let path = corpus_dir().join(file);
    let command = format!("{env}=1 cargo test -p featurebase-tests --test corpus");
    let options = Options {
        source: format!("tests/fixtures/corpus/{file}"),
        command: command.clone(),
        crate_name: dir.replace('-', "_"),
        // Compiled into the test crate, which does not declare the resource features.
        resource_features: false,
        ..Options::default()
    };
    let text = fs::read_to_string(&path).unwrap();
    let generated = generator::generate(&text, Format::from_path(&path), &options).unwrap();
    let dir = root().join("tests/fixtures/generated").join(dir);
    let update = std::env::var_os(env).is_some();
    let mut stale = Vec::new();
    for (rel, contents) in generated.files.iter().filter(|(rel, _)| keep(rel)) {
        let target = dir.join(rel);
        if fs::read_to_string(&target).ok().as_deref() != Some(contents.as_str()) {
            stale.push(rel.clone());
            if update {
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::write(&target, contents).unwrap();
            }
        }
    }
    assert!(update || stale.is_empty(), "stale: {stale:?}; run `{command}`");
}

/// The generated code of `08-content-types.yaml` is committed under `tests/fixtures/generated/`
/// so that `tests/tests/wire.rs` can compile it in and send its requests to a mock server; this
/// keeps it equal to what the generator makes now. `UPDATE_WIRE_FIXTURE=1` rewrites it.
#[test]
fn wire_fixture_is_fresh() {
    // Without the modules of the `dynamic` and `testing` features, which the test does not compile.
    fixture_is_fresh("08-content-types.yaml", "content-types", "UPDATE_WIRE_FIXTURE", |rel| {
        rel != "src/dynamic.rs" && rel != "src/testing.rs"
    });
}

/// The types of `28-tuples.json` are committed under `tests/fixtures/generated/tuples/` and
/// compiled into this test (`tuples`), to check their hand-made serde impls on real values;
/// this keeps them fresh. `UPDATE_TUPLES_FIXTURE=1` rewrites them.
#[test]
fn tuples_fixture_is_fresh() {
    fixture_is_fresh("28-tuples.json", "tuples", "UPDATE_TUPLES_FIXTURE", |rel| rel.starts_with("src/types/"));
}

/// What the generated types of `28-tuples.json` need from their crate: `Nullable` and the struct decoder.
mod runtime {
    pub use featurebase::runtime::struct_deserialize;
    pub use featurebase::Nullable;
}

#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../fixtures/generated/tuples/src/types/mod.rs"]
mod tuples;

/// Tuples decode item by item and encode as they came: a closed tuple refuses extra items, an
/// open one keeps them, optional items may be absent (and `null` when absent before a present
/// one), required ones may not; recursion through a tuple is boxed.
#[test]
fn tuples_decode_and_encode_as_arrays() {
    use serde_json::json;
    use tuples::*;
    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug>(value: serde_json::Value) -> T {
        let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "{decoded:?}");
        decoded
    }
    fn error<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: serde_json::Value) -> String {
        match serde_json::from_value::<T>(value) {
            Ok(v) => panic!("decoded as {v:?}"),
            Err(e) => e.to_string(),
        }
    }
    assert_eq!(round_trip::<Point>(json!([1.5, -2.0])), Point(1.5, -2.0));
    assert_eq!(error::<Point>(json!([1.5])), "invalid length 1, expected an array of 2 items");
    assert_eq!(error::<Point>(json!([1.0, 2.0, 3.0])), "invalid length 3, expected an array of 2 items");
    assert_eq!(error::<Point>(json!({"x": 1})), "invalid type: map, expected an array of 2 items");

    let label = round_trip::<Label>(json!([{"text": "A"}, [0.5, 1.0], "kept", 7]));
    assert_eq!(label.0.text, "A");
    assert_eq!(label.2, vec![json!("kept"), json!(7)]);

    assert_eq!(round_trip::<Span>(json!(["2026-01-01"])), Span("2026-01-01".into(), None));
    assert_eq!(round_trip::<Span>(json!(["2026-01-01", "2026-02-01"])).1.as_deref(), Some("2026-02-01"));
    assert_eq!(error::<Span>(json!([])), "invalid length 0, expected an array of 1 to 2 items");

    // `Nullable` tells an absent last item from a `null` one; an absent one before a present one is `null`.
    assert_eq!(round_trip::<Extent>(json!([null])), Extent(None, Nullable::Absent));
    assert_eq!(round_trip::<Extent>(json!([1.0, null])), Extent(Some(1.0), Nullable::Null));
    assert_eq!(round_trip::<Extent>(json!([1.0, 2.0])), Extent(Some(1.0), Nullable::Value(2.0)));

    assert_eq!(round_trip::<Row>(json!(["k", 3, true, false])), Row("k".into(), 3, vec![true, false]));
    assert_eq!(round_trip::<Row>(json!(["k", 3])), Row("k".into(), 3, Vec::new()));
    assert!(error::<Row>(json!(["k", 3, "x"])).contains("expected a boolean"));

    let tree = round_trip::<Tree>(json!(["root", [["a", []], ["b", [["c", []]]]]]));
    assert_eq!(tree.1[1].1[0].0, "c");
    let chain = round_trip::<Chain>(json!([1, [2, [3, null]]]));
    let second: &Chain = chain.1.as_deref().unwrap();
    assert_eq!(second.0, 2);

    let response = round_trip::<GetTreeResponse>(json!({"tree": ["t", []], "window": [1, 2], "none": []}));
    assert_eq!(response.window, Some(GetTreeResponseWindow(1, 2)));
    assert_eq!(Point::default(), Point(0.0, 0.0));
}
