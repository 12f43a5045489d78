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
    all_of_with_union: "19-allof-with-union.yaml" => Fails,
    conditional_schemas: "20-conditional-schemas.json" => Fails,
    yaml_features: "21-yaml-features.yaml" => Compiles,
    references: "22-references.yaml" => Compiles,
    minimal: "23-minimal.yaml" => Compiles,
    odd_schemas: "24-odd-schemas.json" => Compiles,
    fuzz_findings: "25-fuzz-findings.yaml" => Compiles,
    schemas_only: "26-schemas-only.json" => Compiles,
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
        };
        writeln!(out, "  {}::{} {kind} <- {}", t.module, t.name, t.pointer).unwrap();
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

/// The generated code of `08-content-types.yaml` is committed under `tests/fixtures/generated/`
/// so that `tests/tests/wire.rs` can compile it in and send its requests to a mock server; this
/// keeps it equal to what the generator makes now. `UPDATE_WIRE_FIXTURE=1` rewrites it.
#[test]
fn wire_fixture_is_fresh() {
    let file = "08-content-types.yaml";
    let path = corpus_dir().join(file);
    let options = Options {
        source: format!("tests/fixtures/corpus/{file}"),
        command: "UPDATE_WIRE_FIXTURE=1 cargo test -p featurebase-tests --test corpus".into(),
        crate_name: "wire".into(),
        ..Options::default()
    };
    let text = fs::read_to_string(&path).unwrap();
    let generated = generator::generate(&text, Format::from_path(&path), &options).unwrap();
    let dir = root().join("tests/fixtures/generated/content-types");
    let update = std::env::var_os("UPDATE_WIRE_FIXTURE").is_some();
    let mut stale = Vec::new();
    for (rel, contents) in generated.files.iter().filter(|(rel, _)| *rel != "src/dynamic.rs") {
        let target = dir.join(rel);
        if fs::read_to_string(&target).ok().as_deref() != Some(contents.as_str()) {
            stale.push(rel.clone());
            if update {
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::write(&target, contents).unwrap();
            }
        }
    }
    assert!(
        update || stale.is_empty(),
        "stale: {stale:?}; run `UPDATE_WIRE_FIXTURE=1 cargo test -p featurebase-tests --test corpus`"
    );
}
