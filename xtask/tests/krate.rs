//! `cargo xtask crate --spec FILE --out DIR [--name NAME]` as a user runs it: the binary writes
//! a crate for a corpus spec under `target/xtask-crate/`, the crate checks warning-free with
//! `cargo check` in its directory (offline, all features, a target directory shared with the
//! corpus test), and running the command again writes only what changed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn corpus(file: &str) -> PathBuf {
    root().join("tests/fixtures/corpus").join(file)
}

/// A fresh directory for a crate under `target/xtask-crate/`.
fn out_dir(name: &str) -> PathBuf {
    let dir = root().join("target/xtask-crate").join(name);
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `crate` and returns its standard output; the command must succeed.
fn make_crate(spec: &Path, out: &Path, name: Option<&str>) -> String {
    let (spec, out) = (spec.display().to_string(), out.display().to_string());
    let mut args = vec!["crate", "--spec", &spec, "--out", &out];
    if let Some(name) = name {
        args.extend(["--name", name]);
    }
    let output = xtask(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

/// The files a run wrote, relative to the crate, from its output.
fn written(stdout: &str, out: &Path) -> Vec<String> {
    let prefix = format!("wrote {}/", out.display());
    let mut files: Vec<String> = stdout.lines().filter_map(|l| l.strip_prefix(&prefix)).map(str::to_owned).collect();
    files.sort();
    files
}

/// `cargo check` in the crate's directory, as a user would run it, offline, with every feature,
/// in the target directory the corpus test shares (and its profile, so that the dependencies
/// built there are reused). Its output when it fails or warns.
fn cargo_check(dir: &Path) -> Result<(), String> {
    cargo(dir, &["check", "--all-features", "--message-format", "short"])
}

/// `cargo <args>` in the crate's directory, as [`cargo_check`] runs it.
fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", root().join("target/corpus-check-target"))
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("RUSTFLAGS");
        if offline {
            cmd.arg("--offline");
        }
        cmd.output().expect("cargo runs")
    };
    let mut output = run(true);
    if !output.status.success() && text(&output.stderr).contains("offline") {
        // A dependency is not in the local registry cache yet.
        output = run(false);
    }
    let stderr = text(&output.stderr);
    if output.status.success() && !stderr.contains("warning") {
        Ok(())
    } else {
        Err(format!("in {}:\n{stderr}{}", dir.display(), text(&output.stdout)))
    }
}

/// Specs with the constructs a crate most often trips on: unions distributed over `allOf` and
/// `properties`, tuples, OpenAPI 3.2, deprecated operations (the `dynamic` feature calls them),
/// operations without tags, and a plain 3.0 description.
const SPECS: &[(&str, &str)] = &[
    ("01-petstore-3.0.yaml", "petstore"),
    ("19-allof-with-union.yaml", "notifications"),
    ("27-oneof-beside-properties.yaml", "pets-and-events"),
    ("28-tuples.json", "geometry"),
    ("31-openapi-3.2.yaml", "search"),
    ("32-deprecated-operations.yaml", "legacy-reports"),
    ("33-untagged-operations.yaml", "payments"),
];

#[test]
fn crates_of_corpus_specs_build_without_warnings() {
    let mut failures = Vec::new();
    for (file, name) in SPECS {
        let out = out_dir(name);
        let stdout = make_crate(&corpus(file), &out, None);
        assert!(stdout.contains(&format!("crate `{name}` in ")), "{stdout}");
        let files = written(&stdout, &out);
        for expected in
            ["Cargo.toml", "Cargo.lock", "README.md", "names.lock", "src/lib.rs", "src/info.rs", "src/runtime/mod.rs"]
        {
            assert!(files.iter().any(|f| f == expected), "{file}: {expected} not written: {files:?}");
        }
        // Self-contained: no workspace inheritance, the runtime copied, the spec named.
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(!manifest.contains("workspace = true") && !manifest.contains(".workspace"), "{manifest}");
        assert!(manifest.contains(&format!("name = \"{name}\"")) && manifest.contains("\n[workspace]\n"), "{manifest}");
        // The runtime is this crate's: its doc examples name it, and nothing names Featurebase.
        let ident = name.replace('-', "_");
        assert_eq!(
            fs::read_to_string(out.join("src/runtime/client.rs")).unwrap(),
            fs::read_to_string(root().join("generated/src/runtime/client.rs"))
                .unwrap()
                .replace("featurebase::", &format!("{ident}::"))
        );
        for f in files.iter().filter(|f| f.starts_with("src/")) {
            let text = fs::read_to_string(out.join(f)).unwrap();
            assert!(!text.to_lowercase().contains("featurebase"), "{file}: {f} names Featurebase");
        }
        let readme = fs::read_to_string(out.join("README.md")).unwrap();
        assert!(readme.contains(&corpus(file).display().to_string()), "{readme}");

        // Again, on the same spec: nothing to write.
        let again = make_crate(&corpus(file), &out, None);
        assert_eq!(written(&again, &out), Vec::<String>::new(), "{again}");
        assert!(again.contains(" 0 files written, ") && again.contains(" 0 removed"), "{again}");

        if let Err(e) = cargo_check(&out) {
            failures.push(e);
        }
    }
    // The doc tests of a written crate pass as its user runs them (one crate: each doc test is
    // compiled on its own).
    if let Err(e) = cargo(&root().join("target/xtask-crate/petstore"), &["test", "--doc", "--all-features"]) {
        failures.push(e);
    }
    assert!(failures.is_empty(), "generated crates do not build cleanly:\n{}", failures.join("\n"));
}

#[test]
fn a_new_version_of_the_spec_rewrites_only_what_it_changes() {
    let out = out_dir("versions");
    let scratch = root().join("target/xtask-crate/versions-spec");
    fs::create_dir_all(&scratch).unwrap();
    let spec = scratch.join("api.yaml");
    let v1 = fs::read_to_string(corpus("33-untagged-operations.yaml")).unwrap();
    fs::write(&spec, &v1).unwrap();
    make_crate(&spec, &out, Some("payments-api"));
    let lock_v1 = fs::read_to_string(out.join("names.lock")).unwrap();
    assert!(lock_v1.contains("group\tGetCustomersCustomerCardsId\tcustomers\n"), "{lock_v1}");

    // v2: one more card operation, and no `/types` any more.
    let v2 = v1
        .replace(
            "  /v1/charges:\n",
            "  /v1/customers/{customer}/cards:\n    get:\n      operationId: GetCustomersCustomerCards\n      \
             parameters:\n        - {name: customer, in: path, required: true, schema: {type: string}}\n      \
             responses:\n        '200': {description: the cards}\n  /v1/charges:\n",
        )
        .replace(
            "  /types:\n    get:\n      operationId: GetTypes\n      responses:\n        '200': {description: a segment named like a module the client reserves}\n",
            "",
        );
    assert_ne!(v1, v2);
    fs::write(&spec, &v2).unwrap();
    let stdout = make_crate(&spec, &out, Some("payments-api"));
    let files = written(&stdout, &out);
    // The manifest too: the resource `types_2` is gone, and with it its feature; the mock API
    // (`src/testing.rs`) mirrors the operations.
    assert_eq!(
        files,
        [
            "Cargo.toml",
            "names.lock",
            "src/dynamic.rs",
            "src/resources/customers.rs",
            "src/resources/mod.rs",
            "src/testing.rs"
        ],
        "{stdout}"
    );
    assert!(stdout.contains(&format!("removed {}", out.join("src/resources/types_2.rs").display())), "{stdout}");
    // The names of the first version are kept, the new operation is in its path's resource.
    let resource = fs::read_to_string(out.join("src/resources/customers.rs")).unwrap();
    assert!(resource.contains("pub fn get_cards_id(") && resource.contains("pub fn get_cards("), "{resource}");
    cargo_check(&out).unwrap();
    fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn usage_and_spec_errors_exit_with_a_message() {
    let out = out_dir("errors").display().to_string();
    let spec = corpus("01-petstore-3.0.yaml").display().to_string();
    let bad = root().join("tests/fixtures/bad-specs/swagger-2.yaml").display().to_string();
    for (args, message) in [
        (vec!["crate", "--spec", spec.as_str()], "crate needs --spec FILE and --out DIR"),
        (vec!["crate", "--spec", spec.as_str(), "--out", out.as_str(), "--name", "9 lives"], "is not a package name"),
        (vec!["crate", "--spec", "no/such/spec.yaml", "--out", out.as_str()], "cannot read no/such/spec.yaml"),
        (vec!["crate", "--spec", bad.as_str(), "--out", out.as_str()], "#/swagger: Swagger 2.0 is not supported"),
        (vec!["crate", "--spec", spec.as_str(), "--out", out.as_str(), "--colour"], "unexpected argument `--colour`"),
    ] {
        let output = xtask(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{args:?}: {stderr}");
    }
    assert!(!Path::new(&out).exists(), "a failed run wrote {out}");
}
