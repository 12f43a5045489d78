//! `examples --spec FILE [--out DIR] [--format text|json]`: the examples a description
//! publishes, checked against its schemas by an independent validator and decoded by the crate
//! generated from it.
//!
//! 1. **Collect**: the examples of every component schema (`example`, `examples`) and of every
//!    operation's success response (2xx, or `default` when there is no 2xx) for a JSON media
//!    type (`example`, `examples.<name>.value`, a `$ref` to `#/components/examples` followed),
//!    each named by the JSON pointer where it is written and by its target: a component schema
//!    name or an `operationId` as the crate names them (from the generator's model).
//! 2. **Validate**: each against its schema with the `jsonschema` crate, the whole document (as
//!    JSON, after the overlays) registered as the root resource so that its `$ref`s resolve.
//!    OpenAPI 3.0 documents are validated as Draft 7, 3.1 and 3.2 ones as Draft 2020-12; the
//!    spellings of OpenAPI 3.0 that the generator reads in any version are translated first, in a
//!    copy (see `translate_schema`): `nullable: true`, boolean `exclusiveMinimum` and
//!    `exclusiveMaximum`, and `example`. Formats are checked; unknown ones are ignored.
//! 3. **Decode**: the crate is written with [`crate::krate`] (default directory
//!    `target/examples/<spec file stem>`) with `examples/gate.rs`, a program that decodes every
//!    example listed in `examples.json` with the crate's `dynamic` module: a valid example
//!    strictly, and its re-encoding must be the same JSON (numbers compared by value); an invalid
//!    one leniently, and the crate must notice: deviations reported, or an error naming a JSON
//!    path. It runs with `cargo run --example gate --features dynamic`, in the target directory
//!    `target/examples-target` that every spec shares.
//! 4. **Report** ([`Report`]): the counts, every invalid example with what the validator and the
//!    crate said, and every failure.
//!
//! A failure is a valid example that does not decode strictly or re-encodes differently, or an
//! invalid one that the crate decodes without a word although the validator's objection is one
//! the Rust types check (a JSON type, a required property; for `anyOf`/`oneOf`, such an
//! objection in every member). An invalid example whose only objections are constraints the
//! types do not check (`format`, `pattern`, lengths, limits, `enum`, `const`, a `oneOf` that
//! more than one member matches...) and that decodes cleanly is counted as *accepted*, not as a
//! failure. Examples of operations the generator left out, of schemas typed as any JSON value,
//! of another success response or media type than the one the crate decodes, and those the
//! validator cannot check (a schema it cannot compile) are counted and not decoded.
//!
//! [`mismatched_examples`] is steps 1 and 2 alone (no crate, no compiler): the examples the
//! validator rejects.

use crate::{project_root, Result};
use generator::load::{self, Document, Format, Overlay, RefOr, Response};
use generator::model::{self, Api, ResponseBody, TypeKind, TypeRef};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Registry, Validator};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

/// What `examples` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The OpenAPI description (JSON or YAML).
    pub spec: PathBuf,
    /// The crate's directory; `target/examples/<spec file stem>` of the workspace when `None`.
    pub out: Option<PathBuf>,
}

/// Where an example is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A component schema's `example` or `examples`.
    Schema,
    /// An operation's success response, for a JSON media type.
    Response,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Response => "response",
        }
    }
}

/// One objection of the validator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Where in the example, as a JSON pointer (`/tags/0`; empty for the example itself).
    pub at: String,
    /// The keyword that failed (`type`, `required`, `format`, `oneOf`...).
    pub keyword: String,
    /// What the validator says.
    pub message: String,
    /// Whether the Rust types check what failed (a JSON type, a required property; for
    /// `anyOf`/`oneOf`, such an objection in every member), so that decoding must notice it.
    pub checked_by_types: bool,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.at.is_empty() { "/" } else { &self.at };
        write!(f, "at `{at}`: {}", self.message)
    }
}

/// What the validator says of an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "validity", content = "violations", rename_all = "lowercase")]
pub enum Validity {
    /// The example matches its schema.
    Valid,
    /// It does not, for these reasons.
    Invalid(Vec<Violation>),
    /// It could not be checked: no schema, or one the validator cannot compile (the reason).
    Unchecked(String),
}

/// An example, where it is, what it is for, and what the validator says of it.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// Where it is written (`#/components/schemas/Ticket/example`,
    /// `#/paths/~1tickets/get/responses/200/content/application~1json/examples/open`).
    pub pointer: String,
    /// A schema's or a response's.
    pub kind: Kind,
    /// The component schema's name or the operation's `operationId`, as the generated crate's
    /// `dynamic` module takes them.
    pub target: String,
    /// The schema it is validated against, as a JSON pointer.
    pub schema: Option<String>,
    /// The example.
    pub json: Json,
    /// What the validator says.
    #[serde(flatten)]
    pub validity: Validity,
    /// Why the crate does not decode it, when it does not (an operation left out, a schema typed
    /// as any JSON value...); `None` when it does.
    pub not_decoded: Option<String>,
}

/// An example the validator rejects (see [`mismatched_examples`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Where the example is written.
    pub pointer: String,
    /// A schema's or a response's.
    pub kind: Kind,
    /// The component schema's name, or the operation's `operationId` (its pointer when it has
    /// none).
    pub target: String,
    /// The schema it does not match, as a JSON pointer.
    pub schema: String,
    /// What the validator says.
    pub violations: Vec<Violation>,
}

/// A section of the diff report: the examples of the new spec (`shown` as the report names it,
/// read from `spec`) that an independent validator rejects, which is where the real server is
/// likely to deviate too (the crate decodes such responses leniently and reports them). Empty
/// when every example matches; a line saying why when they cannot be checked.
pub fn mismatch_markdown(shown: &str, spec: &Path) -> String {
    /// The most listed; the rest are counted.
    const SHOWN: usize = 50;
    let mismatches = match mismatched_examples(spec, &[]) {
        Ok(m) if m.is_empty() => return String::new(),
        Ok(m) => m,
        Err(e) => return format!("\n\nThe examples of `{shown}` could not be checked: {e}\n"),
    };
    let mut out = format!(
        "\n\n## Examples that do not match their schemas ({})\n\n\
         An independent JSON Schema validator rejects these examples of `{shown}`: where the description's \
         own examples deviate, its server is likely to as well (the crate decodes such responses leniently \
         and reports each deviation).\n\n",
        mismatches.len()
    );
    for m in mismatches.iter().take(SHOWN) {
        out.push_str(&format!("- `{}` ({} `{}`): {}\n", m.pointer, m.kind.as_str(), m.target, m.message()));
    }
    if mismatches.len() > SHOWN {
        out.push_str(&format!("- ... and {} more (`cargo xtask examples --spec {shown}`)\n", mismatches.len() - SHOWN));
    }
    out
}

impl Mismatch {
    /// The validator's objections, one line.
    pub fn message(&self) -> String {
        self.violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} `{}`): {}", self.pointer, self.kind.as_str(), self.target, self.message())
    }
}

/// What became of an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "snake_case")]
pub enum Outcome {
    /// Not decoded (the reason): see [`Example::not_decoded`] and [`Validity::Unchecked`].
    NotDecoded(String),
    /// Valid, decoded strictly, and re-encoded as the same JSON.
    Equal,
    /// Invalid, and the lenient decoding reported these deviations.
    Reported(Vec<String>),
    /// Invalid, and decoding failed with this error, which names the JSON path.
    Rejected(String),
    /// Invalid only by constraints the types do not check (these keywords), and decoded
    /// without a deviation.
    Accepted(Vec<String>),
    /// A failure of the gate (the reason).
    Failed(String),
}

/// One example and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// The example.
    #[serde(flatten)]
    pub example: Example,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The counts of a run: `found` is `valid + invalid + unchecked`, and also `not_decoded + equal +
/// reported + rejected + accepted + failed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every example collected.
    pub found: usize,
    /// Those the validator accepts.
    pub valid: usize,
    /// Those it rejects.
    pub invalid: usize,
    /// Those it could not check.
    pub unchecked: usize,
    /// Those not decoded (left out, any JSON, another response, unchecked).
    pub not_decoded: usize,
    /// Valid, decoded strictly and re-encoded equal.
    pub equal: usize,
    /// Invalid, decoded leniently with deviations reported.
    pub reported: usize,
    /// Invalid, rejected with an error naming the JSON path.
    pub rejected: usize,
    /// Invalid only by constraints the types do not check, decoded cleanly.
    pub accepted: usize,
    /// Failures.
    pub failed: usize,
}

/// What a run of the gate found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The spec, as given.
    pub spec: String,
    /// The crate's directory.
    pub crate_dir: PathBuf,
    /// The generator's warnings on the spec.
    pub warnings: usize,
    /// The counts.
    pub counts: Counts,
    /// Every example, in the order of the document.
    pub examples: Vec<Checked>,
}

impl Report {
    /// The failures.
    pub fn failures(&self) -> impl Iterator<Item = &Checked> {
        self.examples.iter().filter(|c| matches!(c.outcome, Outcome::Failed(_)))
    }

    /// The report as text: the counts, the invalid examples with what the validator and the
    /// crate said, and the failures.
    pub fn to_text(&self) -> String {
        let c = &self.counts;
        let mut out = format!(
            "examples of {}: {} found; by the validator {} valid, {} invalid, {} unchecked; {} not decoded\n\
             decoded: {} valid ones strictly and re-encoded equal; of the invalid ones {} reported \
             (deviations), {} rejected at a JSON path, {} accepted (only constraints the types do not check)\n\
             {} failures\n",
            self.spec,
            c.found,
            c.valid,
            c.invalid,
            c.unchecked,
            c.not_decoded,
            c.equal,
            c.reported,
            c.rejected,
            c.accepted,
            c.failed
        );
        for checked in &self.examples {
            let e = &checked.example;
            let line = match &checked.outcome {
                Outcome::Reported(deviations) => format!("reported: {}", deviations.join("; ")),
                Outcome::Rejected(error) => format!("rejected: {error}"),
                Outcome::Accepted(keywords) => format!("accepted: the types do not check `{}`", keywords.join("`, `")),
                Outcome::Failed(reason) => format!("FAILED: {reason}"),
                Outcome::NotDecoded(_) | Outcome::Equal => continue,
            };
            out.push_str(&format!("{} ({} `{}`)\n", e.pointer, e.kind.as_str(), e.target));
            if let Validity::Invalid(violations) = &e.validity {
                for v in violations {
                    out.push_str(&format!("  validator: {v}\n"));
                }
            }
            out.push_str(&format!("  {line}\n"));
        }
        out
    }

    /// The report as JSON, for tools.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serializes") + "\n"
    }
}

/// The examples of `spec` (with `overlays` applied) that do not match their schemas, with the
/// validator's objections: steps 1 and 2 of the gate, without the crate.
pub fn mismatched_examples(spec: &Path, overlays: &[Overlay]) -> Result<Vec<Mismatch>> {
    let loaded = Loaded::read(spec, overlays, false)?;
    Ok(loaded
        .examples()
        .into_iter()
        .filter_map(|e| match e.validity {
            Validity::Invalid(violations) => Some(Mismatch {
                pointer: e.pointer,
                kind: e.kind,
                target: e.target,
                schema: e.schema.unwrap_or_default(),
                violations,
            }),
            _ => None,
        })
        .collect())
}

/// Every example of `spec` (with `overlays` applied), its target in the generated crate and
/// what the validator says of it: steps 1 and 2 of the gate.
pub fn collect(spec: &Path, overlays: &[Overlay]) -> Result<Vec<Example>> {
    Ok(Loaded::read(spec, overlays, true)?.examples())
}

/// The whole gate: collect, validate, write the crate and decode in it.
pub fn run(options: &Options) -> Result<Report> {
    let root = project_root();
    let out = match &options.out {
        Some(out) => out.clone(),
        None => {
            let stem = options.spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            root.join("target/examples").join(stem)
        }
    };
    let examples = collect(&options.spec, &[])?;
    let krate = crate::krate::run(&crate::krate::Options { spec: options.spec.clone(), out: out.clone(), name: None })?;
    let ident = krate.name.replace('-', "_");

    // The examples to decode, with their index in `examples`.
    let decoded: Vec<usize> = (0..examples.len()).filter(|&i| decodable(&examples[i]).is_none()).collect();
    let data: Vec<Json> = decoded
        .iter()
        .map(|&i| {
            let e = &examples[i];
            json!({
                "pointer": e.pointer,
                "kind": e.kind.as_str(),
                "target": e.target,
                "json": e.json,
                "valid": e.validity == Validity::Valid,
            })
        })
        .collect();
    write_if_changed(&out.join("examples.json"), &(serde_json::to_string_pretty(&data).expect("JSON") + "\n"))?;
    write_if_changed(&out.join("examples/gate.rs"), &gate_program(&ident))?;
    // Nothing to decode, nothing to compile.
    let lines = if decoded.is_empty() { String::new() } else { run_gate(&root, &out)? };

    let mut results: HashMap<usize, Outcome> = HashMap::new();
    for line in lines.lines().filter(|l| l.starts_with('{')) {
        let value: Json = serde_json::from_str(line).map_err(|e| format!("the gate printed `{line}`: {e}"))?;
        let Some(&index) = value["index"].as_u64().and_then(|i| decoded.get(i as usize)) else {
            return Err(format!("the gate printed `{line}`: no example has that index"));
        };
        results.insert(index, outcome(&examples[index], &value));
    }

    let mut report = Report {
        spec: options.spec.display().to_string(),
        crate_dir: out,
        warnings: krate.warnings.len(),
        counts: Counts::default(),
        examples: Vec::new(),
    };
    for (i, example) in examples.into_iter().enumerate() {
        let outcome = match decodable(&example) {
            Some(reason) => Outcome::NotDecoded(reason),
            None => results.remove(&i).unwrap_or_else(|| Outcome::Failed("the gate printed nothing for it".into())),
        };
        let c = &mut report.counts;
        c.found += 1;
        match &example.validity {
            Validity::Valid => c.valid += 1,
            Validity::Invalid(_) => c.invalid += 1,
            Validity::Unchecked(_) => c.unchecked += 1,
        }
        match &outcome {
            Outcome::NotDecoded(_) => c.not_decoded += 1,
            Outcome::Equal => c.equal += 1,
            Outcome::Reported(_) => c.reported += 1,
            Outcome::Rejected(_) => c.rejected += 1,
            Outcome::Accepted(_) => c.accepted += 1,
            Outcome::Failed(_) => c.failed += 1,
        }
        report.examples.push(Checked { example, outcome });
    }
    Ok(report)
}

/// Why an example is not decoded; `None` when it is.
fn decodable(e: &Example) -> Option<String> {
    if let Some(reason) = &e.not_decoded {
        return Some(reason.clone());
    }
    match &e.validity {
        Validity::Unchecked(reason) => Some(format!("not validated: {reason}")),
        _ => None,
    }
}

/// An example's outcome from the gate's line about it.
fn outcome(example: &Example, line: &Json) -> Outcome {
    let detail = line["detail"].as_str().unwrap_or_default().to_owned();
    match line["outcome"].as_str().unwrap_or_default() {
        "equal" => Outcome::Equal,
        "differs" => Outcome::Failed(format!("re-encoded differently: {detail}")),
        "failed" if example.validity == Validity::Valid => {
            Outcome::Failed(format!("valid, but strict decoding failed: {detail}"))
        }
        "failed" => Outcome::Failed(format!("invalid, and decoding failed without a JSON path: {detail}")),
        "reported" => Outcome::Reported(
            line["deviations"].as_array().into_iter().flatten().filter_map(|d| d.as_str().map(str::to_owned)).collect(),
        ),
        "rejected" => Outcome::Rejected(detail),
        "accepted" => {
            let Validity::Invalid(violations) = &example.validity else {
                return Outcome::Failed("the gate decoded a valid example as an invalid one".into());
            };
            let checked: Vec<String> =
                violations.iter().filter(|v| v.checked_by_types).map(ToString::to_string).collect();
            if checked.is_empty() {
                let mut keywords: Vec<String> = violations.iter().map(|v| v.keyword.clone()).collect();
                keywords.dedup();
                Outcome::Accepted(keywords)
            } else {
                Outcome::Failed(format!(
                    "invalid, but decoded without a deviation although the types check this: {}",
                    checked.join("; ")
                ))
            }
        }
        other => Outcome::Failed(format!("the gate said `{other}`: {detail}")),
    }
}

fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `cargo run --example gate --features dynamic` in the crate's directory, in the target
/// directory every spec shares (offline first: the dependencies are the workspace's); its
/// standard output.
fn run_gate(root: &Path, dir: &Path) -> Result<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |offline: bool| {
        let mut cmd = Command::new(&cargo);
        cmd.args(["run", "--quiet", "--example", "gate", "--features", "dynamic"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", root.join("target/examples-target"))
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("RUSTFLAGS");
        if offline {
            cmd.arg("--offline");
        }
        cmd.output().map_err(|e| format!("cannot run {cargo}: {e}"))
    };
    let mut output = run(true)?;
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    if !output.status.success() && stderr(&output).contains("offline") {
        // A dependency is not in the local registry cache yet.
        output = run(false)?;
    }
    if !output.status.success() {
        let text = stderr(&output);
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("the gate in {} did not run:\n{}", dir.display(), tail.join("\n")));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `examples/gate.rs` of the crate `ident`.
fn gate_program(ident: &str) -> String {
    GATE.replace("CRATE", ident)
}

/// The program that decodes the examples in the generated crate. It prints one JSON line per
/// example of `examples.json`: its `index` and `outcome` (`equal`, `differs`, `failed` for a
/// valid one; `reported`, `rejected`, `accepted`, `failed` for an invalid one), with a `detail`
/// and the `deviations`.
const GATE: &str = r#"//! Decodes the examples of the spec (`examples.json`) with this crate's `dynamic` module and
//! prints one JSON line per example. Written by `cargo xtask examples`; run it with
//! `cargo run --example gate --features dynamic`.

#[cfg(not(feature = "dynamic"))]
fn main() {
    eprintln!("the gate needs the `dynamic` feature: cargo run --example gate --features dynamic");
    std::process::exit(2);
}

#[cfg(feature = "dynamic")]
fn main() {
    use CRATE::{dynamic, Decoding};
    use serde_json::{json, Value};

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples.json");
    let text = std::fs::read_to_string(&path).expect("examples.json is readable");
    let examples: Vec<Value> = serde_json::from_str(&text).expect("examples.json is JSON");
    for (index, example) in examples.iter().enumerate() {
        let target = example["target"].as_str().unwrap_or_default();
        let json = serde_json::to_string(&example["json"]).expect("JSON");
        let decode = |decoding| match example["kind"].as_str() {
            Some("schema") => dynamic::decode_schema_with(target, &json, decoding),
            _ => dynamic::decode_response_with(target, &json, decoding),
        };
        let line = if example["valid"].as_bool() == Some(true) {
            match decode(Decoding::Strict) {
                Ok((value, _)) => match difference(&example["json"], &value, "") {
                    None => json!({"index": index, "outcome": "equal"}),
                    Some(d) => json!({"index": index, "outcome": "differs", "detail": d}),
                },
                Err(e) => json!({"index": index, "outcome": "failed", "detail": e}),
            }
        } else {
            match decode(Decoding::Lenient) {
                Ok((_, deviations)) if !deviations.is_empty() => {
                    let deviations: Vec<String> = deviations.iter().map(ToString::to_string).collect();
                    json!({"index": index, "outcome": "reported", "deviations": deviations})
                }
                Ok(_) => json!({"index": index, "outcome": "accepted"}),
                Err(_) => match decode(Decoding::Strict) {
                    Err(e) if e.starts_with("at `") => json!({"index": index, "outcome": "rejected", "detail": e}),
                    Err(e) => json!({"index": index, "outcome": "failed", "detail": e}),
                    Ok(_) => json!({"index": index, "outcome": "failed", "detail": "lenient decoding failed, strict decoding did not"}),
                },
            }
        };
        println!("{line}");
    }
}

/// Where `found` is not the same JSON as `expected` (the same keys and values, numbers by
/// value: `1` is `1.0`), as `at <path>: ...`.
#[cfg(feature = "dynamic")]
fn difference(expected: &serde_json::Value, found: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let at = if path.is_empty() { "." } else { path };
    let short = |v: &Value| {
        let text = v.to_string();
        match text.char_indices().nth(80) {
            Some((i, _)) => format!("{}...", &text[..i]),
            None => text,
        }
    };
    match (expected, found) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => {
                        if let Some(d) = difference(value, other, &format!("{path}.{key}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("at `{at}`: `{key}` is missing")),
                }
            }
            b.keys().find(|k| !a.contains_key(*k)).map(|k| format!("at `{at}`: `{k}` was added: {}", short(&b[k])))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| difference(x, y, &format!("{path}[{i}]")))
        }
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| format!("at `{at}`: expected {a}, found {b}"))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("at `{at}`: expected {}, found {}", short(a), short(b))),
    }
}
"#;

/// The spec as the collection reads it.
struct Loaded {
    /// The document as JSON, after the overlays.
    raw: Json,
    /// The document as the generator reads it, normalized.
    doc: Document,
    /// The generator's model, for the targets and what the crate decodes.
    api: Option<Api>,
}

/// The stack of the thread the spec is read on: the generator's stages recurse over schemas
/// (see `generator::generate`).
const STACK: usize = 64 << 20;

impl Loaded {
    fn read(spec: &Path, overlays: &[Overlay], with_model: bool) -> Result<Loaded> {
        let shown = spec.display().to_string();
        let text = fs::read_to_string(spec).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let format = Format::from_path(spec);
        let read = || -> generator::Result<Loaded> {
            let mut raw = load::parse_raw(&text, format)?;
            load::overlay::apply(&mut raw, overlays)?;
            let mut doc = load::load_str_with(&text, format, overlays)?;
            generator::normalize::normalize(&mut doc)?;
            let api = match with_model {
                true => Some(model::build_with(&doc, &model::Settings::default())?),
                false => None,
            };
            Ok(Loaded { raw: raw_json(&raw), doc, api })
        };
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, read);
            match worker {
                Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => read(),
            }
        })
        .map_err(|e| format!("{shown}: {e}"))
    }

    /// Every example with its target and what the validator says of it.
    fn examples(&self) -> Vec<Example> {
        let mut out = Vec::new();
        self.schema_examples(&mut out);
        self.response_examples(&mut out);
        let validator = SchemaValidator::new(&self.raw, &self.doc.openapi);
        for e in &mut out {
            e.validity = match (&validator, &e.schema) {
                (Err(reason), _) => Validity::Unchecked(reason.clone()),
                (_, None) => Validity::Unchecked("the media type has no schema".into()),
                (Ok(v), Some(schema)) => v.check(schema, &e.json),
            };
        }
        out
    }

    fn schema_examples(&self, out: &mut Vec<Example>) {
        for name in self.doc.components.schemas.keys() {
            let pointer = child("#/components/schemas", name);
            let Some(node) = at(&self.raw, &pointer) else { continue };
            let not_decoded = self.api.as_ref().and_then(|api| schema_not_decoded(api, &pointer));
            let target = pointer.strip_prefix("#/components/schemas/").unwrap_or(name).to_owned();
            for (place, json) in schema_examples_at(node) {
                out.push(Example {
                    pointer: format!("{pointer}/{place}"),
                    kind: Kind::Schema,
                    target: target.clone(),
                    schema: Some(pointer.clone()),
                    json,
                    validity: Validity::Valid,
                    not_decoded: not_decoded.clone(),
                });
            }
        }
    }

    fn response_examples(&self, out: &mut Vec<Example>) {
        for item in self.doc.paths.values() {
            for (_, op) in &item.operations {
                let successes: Vec<(&String, &RefOr<Response>)> =
                    op.responses.iter().filter(|(status, _)| status.starts_with('2')).collect();
                let successes = match successes.is_empty() {
                    true => op.responses.get_key_value("default").into_iter().collect(),
                    false => successes,
                };
                let model_op =
                    self.api.as_ref().and_then(|api| api.operations.iter().find(|o| o.pointer == op.pointer));
                let target = match (model_op, &op.operation_id) {
                    (Some(m), _) => m.operation_id.clone(),
                    (None, Some(id)) => id.clone(),
                    (None, None) => op.pointer.clone(),
                };
                for (status, response) in successes {
                    let Ok(response) = response.resolve(&self.doc) else { continue };
                    for (media, mt) in &response.content {
                        if !is_json(media) {
                            continue;
                        }
                        let Some(node) = at(&self.raw, &mt.pointer) else { continue };
                        let not_decoded = self.api.as_ref().and_then(|api| match model_op {
                            Some(m) => response_not_decoded(api, m, status, media),
                            None => Some(match api.skipped.iter().find(|s| s.pointer == op.pointer) {
                                Some(s) => format!("the generator left the operation out: {}", s.reason),
                                None => "the crate has no such operation".to_owned(),
                            }),
                        });
                        let schema = mt.schema.as_ref().map(|_| format!("{}/schema", mt.pointer));
                        for (place, json) in media_examples_at(&self.raw, node) {
                            out.push(Example {
                                pointer: format!("{}/{place}", mt.pointer),
                                kind: Kind::Response,
                                target: target.clone(),
                                schema: schema.clone(),
                                json,
                                validity: Validity::Valid,
                                not_decoded: not_decoded.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
}

/// Why the crate does not decode the component schema at `pointer`; `None` when it does.
fn schema_not_decoded(api: &Api, pointer: &str) -> Option<String> {
    if let Some(s) = api.skipped.iter().find(|s| s.pointer == pointer) {
        return Some(format!("the generator typed it as any JSON value: {}", s.reason));
    }
    match api.types.types.iter().find(|t| t.pointer == pointer) {
        None => Some("the crate has no type of its own for it".into()),
        Some(t) if matches!(t.kind, TypeKind::Alias(TypeRef::Json)) => Some("typed as any JSON value".into()),
        Some(_) => None,
    }
}

/// Why the crate does not decode the `status` response of `op` as `media`; `None` when it does.
fn response_not_decoded(api: &Api, op: &model::Operation, status: &str, media: &str) -> Option<String> {
    let r = &op.response;
    if r.status != status || r.media.as_deref() != Some(media) {
        let decoded = match &r.media {
            Some(m) => format!("the `{}` response as `{m}`", r.status),
            None => "no response body".to_owned(),
        };
        return Some(format!("the crate decodes {decoded}"));
    }
    if r.read != ResponseBody::Json {
        return Some("the crate does not read this response as JSON".into());
    }
    match &r.ty {
        TypeRef::Json => Some("typed as any JSON value".into()),
        TypeRef::Named(id) if matches!(api.types.get(*id).kind, TypeKind::Alias(TypeRef::Json)) => {
            Some("typed as any JSON value".into())
        }
        TypeRef::Unit => Some("the crate reads no body".into()),
        _ => None,
    }
}

/// Whether a media type is JSON, as the generator reads it (`application/json`,
/// `application/*+json`, and `*/*`, which the client reads as JSON).
fn is_json(media: &str) -> bool {
    let base = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    base == "application/json" || base.ends_with("+json") || base == "*/*"
}

/// A schema's examples, each with its place relative to the schema (`example`, `examples/0`).
fn schema_examples_at(node: &Json) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    if let Some(e) = node.get("example") {
        out.push(("example".to_owned(), e.clone()));
    }
    if let Some(Json::Array(items)) = node.get("examples") {
        out.extend(items.iter().enumerate().map(|(i, e)| (format!("examples/{i}"), e.clone())));
    }
    out
}

/// A media type's examples, each with its place relative to the media type (`example`,
/// `examples/<name>`). An Example Object's `value` (3.2: `dataValue`) is the example; a `$ref`
/// to one is followed; one with only an `externalValue` is not collected.
fn media_examples_at(root: &Json, node: &Json) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    if let Some(e) = node.get("example") {
        out.push(("example".to_owned(), e.clone()));
    }
    if let Some(Json::Object(named)) = node.get("examples") {
        for (name, example) in named {
            let mut example = example;
            for _ in 0..8 {
                match example.get("$ref").and_then(Json::as_str).and_then(|r| resolve(root, r)) {
                    Some(target) => example = target,
                    None => break,
                }
            }
            if let Some(value) = example.get("value").or_else(|| example.get("dataValue")) {
                out.push((format!("examples/{}", escape(name)), value.clone()));
            }
        }
    }
    out
}

/// The node a local reference (`#/components/examples/open`, percent-encoded or not) points at.
fn resolve<'r>(root: &'r Json, reference: &str) -> Option<&'r Json> {
    let path = reference.strip_prefix('#')?;
    root.pointer(&generator::load::refs::percent_decode(path))
}

/// The node at a pointer as the generator writes them (`#/a/b~1c`).
fn at<'r>(root: &'r Json, pointer: &str) -> Option<&'r Json> {
    root.pointer(pointer.strip_prefix('#')?)
}

/// One reference token, escaped (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `pointer` with one more token.
fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// The raw tree (YAML or JSON, as the loader read it) as JSON: keys as text, numbers JSON does
/// not hold (an infinity) as `null`.
fn raw_json(raw: &serde_yaml::Value) -> Json {
    use serde_yaml::Value as Raw;
    match raw {
        Raw::Null => Json::Null,
        Raw::Bool(b) => Json::Bool(*b),
        Raw::Number(n) => {
            if let Some(u) = n.as_u64() {
                Json::from(u)
            } else if let Some(i) = n.as_i64() {
                Json::from(i)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Json::Null, Json::Number)
            }
        }
        Raw::String(s) => Json::String(s.clone()),
        Raw::Sequence(items) => Json::Array(items.iter().map(raw_json).collect()),
        Raw::Mapping(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Raw::String(s) => s.clone(),
                        Raw::Number(n) => n.to_string(),
                        Raw::Bool(b) => b.to_string(),
                        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
                    };
                    (key, raw_json(v))
                })
                .collect(),
        ),
        Raw::Tagged(t) => raw_json(&t.value),
    }
}

/// The URI the document is registered under; schemas are reached as fragments of it.
const DOCUMENT_URI: &str = "urn:openapi:document";

/// The validator of one document: its registry, and a compiled validator per schema pointer.
struct SchemaValidator {
    draft: Draft,
    registry: Registry<'static>,
    compiled: RefCell<HashMap<String, std::result::Result<Rc<Validator>, String>>>,
}

impl SchemaValidator {
    /// The validator of the document `raw` (its OpenAPI version `openapi`): Draft 7 for 3.0,
    /// Draft 2020-12 for later versions, over a copy with the 3.0 spellings translated.
    fn new(raw: &Json, openapi: &str) -> std::result::Result<SchemaValidator, String> {
        let draft = if openapi.starts_with("3.0") { Draft::Draft7 } else { Draft::Draft202012 };
        let mut document = raw.clone();
        translate_document(&mut document);
        let registry = Registry::new()
            .draft(draft)
            .add(DOCUMENT_URI, draft.create_resource(document))
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the validator cannot read the document: {e}"))?;
        Ok(SchemaValidator { draft, registry, compiled: Default::default() })
    }

    /// What the validator says of `instance` against the schema at `pointer`.
    fn check(&self, pointer: &str, instance: &Json) -> Validity {
        let compiled = self
            .compiled
            .borrow_mut()
            .entry(pointer.to_owned())
            .or_insert_with(|| {
                let reference = format!("{DOCUMENT_URI}#{}", fragment(pointer.strip_prefix('#').unwrap_or(pointer)));
                jsonschema::options()
                    .with_draft(self.draft)
                    .with_registry(&self.registry)
                    .should_validate_formats(true)
                    .should_ignore_unknown_formats(true)
                    .build(&json!({ "$ref": reference }))
                    .map(Rc::new)
                    .map_err(|e| format!("the validator cannot compile {pointer}: {e}"))
            })
            .clone();
        let validator = match compiled {
            Ok(v) => v,
            Err(reason) => return Validity::Unchecked(reason),
        };
        let violations: Vec<Violation> = validator.iter_errors(instance).map(|e| violation(&e)).collect();
        if violations.is_empty() {
            Validity::Valid
        } else {
            Validity::Invalid(violations)
        }
    }
}

/// One validation error as a [`Violation`].
fn violation(e: &jsonschema::ValidationError<'_>) -> Violation {
    let mut message = e.to_string();
    if let ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } = e.kind() {
        let members: Vec<String> = context
            .iter()
            .enumerate()
            .map(|(i, errors)| {
                let said: Vec<String> = errors.iter().take(3).map(|e| violation(e).to_string()).collect();
                format!("member {i}: {}", said.join(", "))
            })
            .collect();
        if !members.is_empty() {
            message = format!("{message} ({})", members.join("; "));
        }
    }
    Violation {
        at: e.instance_path().as_str().to_owned(),
        keyword: e.kind().keyword().to_owned(),
        message,
        checked_by_types: checked_by_types(e.kind()),
    }
}

/// Whether the Rust types check what a validation error is about: a JSON type or a required
/// property; for `anyOf` and `oneOf` that no member matches, such an error in every member.
fn checked_by_types(kind: &ValidationErrorKind) -> bool {
    match kind {
        ValidationErrorKind::Type { .. } | ValidationErrorKind::Required { .. } => true,
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            !context.is_empty() && context.iter().all(|member| member.iter().any(|e| checked_by_types(e.kind())))
        }
        _ => false,
    }
}

/// A JSON pointer as a URI fragment: what a fragment may not hold percent-encoded (RFC 3986).
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        let plain = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The document as the validator reads it: every schema (the component schemas and the values
/// of `schema` keys, and the schemas inside them) translated by [`translate_schema`]; examples
/// are left alone.
fn translate_document(doc: &mut Json) {
    fn walk(node: &mut Json) {
        match node {
            Json::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match key.as_str() {
                        "example" | "examples" => {}
                        "schema" => translate_schema(value),
                        _ => walk(value),
                    }
                }
            }
            Json::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let Json::Object(root) = doc else { return };
    for (key, value) in root.iter_mut() {
        if key != "components" {
            walk(value);
            continue;
        }
        let Json::Object(components) = value else { continue };
        for (section, entries) in components.iter_mut() {
            match (section.as_str(), entries) {
                ("schemas", Json::Object(schemas)) => schemas.values_mut().for_each(translate_schema),
                ("examples", _) => {}
                (_, entries) => walk(entries),
            }
        }
    }
}

/// One schema (and those inside it) with the OpenAPI 3.0 spellings that the generator reads in
/// every version translated to JSON Schema:
///
/// - `nullable: true` adds `"null"` to `type` (and to `enum`, when there is one); on a schema
///   with a `$ref`, `allOf`, `anyOf`, `oneOf` or `not`, or without a `type`, the schema becomes
///   `anyOf: [<the schema>, {type: "null"}]`;
/// - `exclusiveMinimum: true` with `minimum: n` becomes `exclusiveMinimum: n` (`false` is
///   dropped), and the same for the maxima;
/// - `example` is dropped (the validator's keywords do not include it anyway).
fn translate_schema(schema: &mut Json) {
    let Json::Object(map) = schema else { return };
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Json::Object(children) = value {
                    children.values_mut().for_each(translate_schema);
                }
            }
            "items" | "prefixItems" | "allOf" | "anyOf" | "oneOf" => match value {
                Json::Array(children) => children.iter_mut().for_each(translate_schema),
                other => translate_schema(other),
            },
            "additionalProperties"
            | "additionalItems"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema" => translate_schema(value),
            _ => {}
        }
    }
    map.remove("example");
    for (flag, limit) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Json::Bool(exclusive)) = map.get(flag) {
            let exclusive = *exclusive;
            map.remove(flag);
            if exclusive {
                if let Some(n) = map.remove(limit) {
                    map.insert(flag.to_owned(), n);
                }
            }
        }
    }
    match map.remove("nullable") {
        Some(Json::Bool(true)) => {}
        _ => return,
    }
    let composite = ["$ref", "allOf", "anyOf", "oneOf", "not"].iter().any(|k| map.contains_key(*k));
    match map.get_mut("type") {
        Some(Json::String(t)) if !composite => {
            let t = std::mem::take(t);
            map.insert("type".to_owned(), json!([t, "null"]));
        }
        Some(Json::Array(types)) if !composite => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
        }
        _ => {
            let inner = std::mem::take(map);
            let mut wrapped = Map::new();
            wrapped.insert("anyOf".to_owned(), json!([Json::Object(inner), {"type": "null"}]));
            *map = wrapped;
            return;
        }
    }
    if let Some(Json::Array(values)) = map.get_mut("enum") {
        if !values.contains(&Json::Null) {
            values.push(Json::Null);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_and_exclusive_limits_are_translated() {
        let mut s = json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true, "example": 2});
        translate_schema(&mut s);
        assert_eq!(s, json!({"type": ["integer", "null"], "exclusiveMinimum": 1}));

        let mut s = json!({"type": "string", "enum": ["a"], "nullable": true, "exclusiveMaximum": false});
        translate_schema(&mut s);
        assert_eq!(s, json!({"type": ["string", "null"], "enum": ["a", null]}));

        let mut s = json!({"$ref": "#/components/schemas/A", "nullable": true});
        translate_schema(&mut s);
        assert_eq!(s, json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}));

        // A property named `example` or `nullable` is a property, not the keyword.
        let mut s =
            json!({"properties": {"example": {"type": "string", "nullable": true}, "nullable": {"type": "boolean"}}});
        translate_schema(&mut s);
        assert_eq!(
            s,
            json!({"properties": {"example": {"type": ["string", "null"]}, "nullable": {"type": "boolean"}}})
        );
    }

    fn example(validity: Validity) -> Example {
        Example {
            pointer: "#/components/schemas/A/example".into(),
            kind: Kind::Schema,
            target: "A".into(),
            schema: Some("#/components/schemas/A".into()),
            json: json!({}),
            validity,
            not_decoded: None,
        }
    }

    fn objection(keyword: &str, checked_by_types: bool) -> Violation {
        Violation { at: "/a".into(), keyword: keyword.into(), message: "no".into(), checked_by_types }
    }

    #[test]
    fn what_the_gate_says_becomes_an_outcome() {
        let valid = example(Validity::Valid);
        assert_eq!(outcome(&valid, &json!({"outcome": "equal"})), Outcome::Equal);
        assert!(matches!(outcome(&valid, &json!({"outcome": "differs", "detail": "at `.a`"})), Outcome::Failed(_)));
        assert!(matches!(outcome(&valid, &json!({"outcome": "failed", "detail": "at `.a`: no"})), Outcome::Failed(_)));

        let format_only = example(Validity::Invalid(vec![objection("format", false), objection("format", false)]));
        assert_eq!(outcome(&format_only, &json!({"outcome": "accepted"})), Outcome::Accepted(vec!["format".into()]));
        // The types check a JSON type: decoding without a word is a failure.
        let wrong_type = example(Validity::Invalid(vec![objection("pattern", false), objection("type", true)]));
        assert!(
            matches!(outcome(&wrong_type, &json!({"outcome": "accepted"})), Outcome::Failed(r) if r.contains("at `/a`: no"))
        );
        assert_eq!(
            outcome(
                &wrong_type,
                &json!({"outcome": "reported", "deviations": ["`a`: expected i64, found string \"1\""]})
            ),
            Outcome::Reported(vec!["`a`: expected i64, found string \"1\"".into()])
        );
        assert_eq!(
            outcome(&wrong_type, &json!({"outcome": "rejected", "detail": "at `a`: out of range"})),
            Outcome::Rejected("at `a`: out of range".into())
        );
        assert!(matches!(
            outcome(&wrong_type, &json!({"outcome": "failed", "detail": "unknown schema"})),
            Outcome::Failed(_)
        ));
    }

    #[test]
    fn pointers_become_fragments() {
        assert_eq!(fragment("/paths/~1tickets~1{id}/get"), "/paths/~1tickets~1%7Bid%7D/get");
        assert_eq!(fragment("/components/schemas/Café"), "/components/schemas/Caf%C3%A9");
        assert_eq!(generator::load::refs::percent_decode("/a%7Bb%7D"), "/a{b}");
    }
}
