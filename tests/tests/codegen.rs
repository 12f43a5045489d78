//! The committed generated crate against the generator: fresh, complete, and `check` says what
//! is stale and how to fix it.

use featurebase_tests::root;
use std::fs;
use xtask::codegen::{configured_spec, run, run_in, Mode, CRATE_DIR};

#[test]
fn committed_output_is_fresh() {
    if let Err(e) = run(Mode::Check, None) {
        panic!("{e}");
    }
}

#[test]
fn every_component_schema_has_a_rust_type() {
    let spec = root().join(CRATE_DIR).join(configured_spec(&root()).unwrap());
    let generated = generator::generate_path(&spec, &generator::Options::default()).unwrap();
    let doc = generator::load::load_path(&spec).unwrap();
    assert_eq!(doc.components.schemas.len(), 193);
    let all_source: String = generated.files.values().map(String::as_str).collect();
    for name in doc.components.schemas.keys() {
        let pointer = format!("#/components/schemas/{name}");
        let def = generated
            .api
            .types
            .types
            .iter()
            .find(|t| t.pointer == pointer)
            .unwrap_or_else(|| panic!("no type for {name}"));
        let declared = ["pub struct", "pub enum", "pub type"].iter().any(|kw| {
            all_source.contains(&format!("{kw} {} ", def.name)) || all_source.contains(&format!("{kw} {}<", def.name))
        });
        assert!(declared, "{name} -> {} is not declared", def.name);
    }
}

#[test]
fn check_names_stale_and_extra_files_and_the_fix() {
    let work = std::env::temp_dir().join(format!("codegen-check-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    featurebase_tests::copy_dir(&root().join("spec"), &work.join("spec"));
    fs::create_dir_all(work.join("generated/src")).unwrap();
    fs::copy(root().join("generated/Cargo.toml"), work.join("generated/Cargo.toml")).unwrap();
    run_in(&work, Mode::Write, None).unwrap();
    assert!(run_in(&work, Mode::Check, None).is_ok());

    let edited = work.join("generated/src/types/conversations.rs");
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, text.replace("pub struct Conversation ", "pub struct Convo ")).unwrap();
    fs::write(work.join("generated/src/types/leftover.rs"), "// an old resource\n").unwrap();
    let err = run_in(&work, Mode::Check, None).unwrap_err();
    assert!(err.contains("differs: generated/src/types/conversations.rs"), "{err}");
    assert!(err.contains("no longer generated: generated/src/types/leftover.rs"), "{err}");
    assert!(err.contains("run `cargo xtask generate`"), "{err}");

    let report = run_in(&work, Mode::Write, None).unwrap();
    assert_eq!(report.changed, vec!["generated/src/types/conversations.rs"]);
    assert!(!work.join("generated/src/types/leftover.rs").exists());
    assert!(run_in(&work, Mode::Check, None).is_ok());
    fs::remove_dir_all(&work).unwrap();
}
