//! The generator on small fixture specs, one construct each: `insta` snapshots of the generated
//! code, and of the error message for each kind of broken spec.

use featurebase_tests::root;
use generator::load::Format;
use generator::Options;
use std::path::Path;

fn generate(path: &Path) -> Result<generator::Generated, generator::Error> {
    let text = std::fs::read_to_string(path).unwrap();
    let options = Options {
        source: format!("tests/fixtures/{}", path.file_name().unwrap().to_string_lossy()),
        ..Options::default()
    };
    generator::generate(&text, Format::from_path(path), &options)
}

/// The generated types of a fixture as one text: every file under `src/types/`, named.
fn types_text(generated: &generator::Generated) -> String {
    let mut out = String::new();
    for (path, contents) in &generated.files {
        if path.starts_with("src/types/") && path != "src/types/mod.rs" {
            out.push_str(&format!("==> {path}\n"));
            // The header names the fixture file; leave it out so equal specs give equal text.
            out.extend(contents.lines().skip(3).map(|l| format!("{l}\n")));
        }
    }
    for w in &generated.warnings {
        out.push_str(&format!("{w}\n"));
    }
    out
}

fn spec(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/specs").join(name)
}

macro_rules! snapshot_fixture {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            let generated = generate(&spec($file)).unwrap_or_else(|e| panic!("{}: {e}", $file));
            insta::assert_snapshot!(stringify!($test), types_text(&generated));
        }
    };
}

snapshot_fixture!(discriminator_with_mapping, "discriminator-mapping.yaml");
snapshot_fixture!(discriminator_without_mapping, "discriminator-no-mapping.yaml");
snapshot_fixture!(inferred_tag, "inferred-tag.yaml");
snapshot_fixture!(untagged_unions, "untagged.yaml");
snapshot_fixture!(all_of, "all-of.yaml");
snapshot_fixture!(odd_enum_values, "odd-enums.yaml");
snapshot_fixture!(keywords_digits_and_collisions, "names.yaml");
snapshot_fixture!(recursion, "recursion.yaml");
snapshot_fixture!(maps, "maps.yaml");
snapshot_fixture!(nullable, "nullable-3.1.yaml");

#[test]
fn nullable_spellings_of_3_0_and_3_1_give_the_same_rust() {
    let old = types_text(&generate(&spec("nullable-3.0.yaml")).unwrap());
    let new = types_text(&generate(&spec("nullable-3.1.yaml")).unwrap());
    assert_eq!(old, new);
}

#[test]
fn yaml_and_json_give_the_same_rust() {
    let yaml = std::fs::read_to_string(spec("recursion.yaml")).unwrap();
    let value: serde_json::Value = serde_yaml_value(&yaml);
    let json = serde_json::to_string_pretty(&value).unwrap();
    let from_json = generator::generate(&json, Format::Json, &Options::default()).unwrap();
    let from_yaml = generator::generate(&yaml, Format::Yaml, &Options::default()).unwrap();
    assert_eq!(from_json.files, from_yaml.files);
}

/// YAML text as JSON, through the generator's own reader.
fn serde_yaml_value(yaml: &str) -> serde_json::Value {
    let raw = generator::load::parse_raw(yaml, Format::Yaml).unwrap();
    serde_json::to_value(raw).unwrap()
}

/// The same spec gives the same files, run after run (no hash order, no clock).
#[test]
fn output_is_byte_identical_across_runs() {
    let path = root().join(xtask::codegen::CRATE_DIR).join(xtask::codegen::configured_spec(&root()).unwrap());
    let a = generator::generate_path(&path, &Options::default()).unwrap();
    for run in 0..3 {
        let b = generator::generate_path(&path, &Options::default()).unwrap();
        assert_eq!(a.files, b.files, "run {run}");
    }
}

fn error_of(file: &str) -> String {
    let path = root().join("tests/fixtures/bad-specs").join(file);
    match generate(&path) {
        Ok(_) => panic!("{file} generated without error"),
        Err(e) => e.to_string(),
    }
}

/// Only a document that is not OpenAPI (3.0 to 3.2) is refused, with where and why.
#[test]
fn unreadable_documents_give_clear_errors() {
    let mut out = String::new();
    for file in ["invalid-yaml.yaml", "invalid-json.json", "swagger-2.yaml"] {
        out.push_str(&format!("{file}: {}\n", error_of(file)));
    }
    insta::assert_snapshot!("broken_specs", out);
}

/// A mistake inside a description is a warning with its pointer and the reading taken; what
/// cannot be generated is skipped alone, and the rest is generated.
#[test]
fn mistakes_in_a_description_are_warnings() {
    let mut out = String::new();
    for file in [
        "dangling-ref.yaml",
        "duplicate-operation-id.yaml",
        "unsupported-tuple.yaml",
        "wrong-shape.yaml",
        "external-ref.yaml",
    ] {
        let path = root().join("tests/fixtures/bad-specs").join(file);
        let generated = generate(&path).unwrap_or_else(|e| panic!("{file} was refused: {e}"));
        out.push_str(&format!("{file}:\n"));
        for w in &generated.warnings {
            out.push_str(&format!("  {w}\n"));
        }
        for s in &generated.api.skipped {
            out.push_str(&format!("  skipped: {} at {}\n", s.what, s.pointer));
        }
    }
    insta::assert_snapshot!("mistakes_as_warnings", out);
}
