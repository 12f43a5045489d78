//! `cargo xtask examples`: the examples of a small spec (in an OpenAPI 3.0 and a 3.1 spelling)
//! collected and validated (fast, no compiler), and one run of the whole gate, which writes the
//! spec's crate and decodes the examples in it.

use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::examples::{self, Example, Kind, Outcome, Validity};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The spec, OpenAPI 3.1: a component with a valid example (`Ticket`), one with two invalid
/// ones (`Note`: a required property missing, a string where an integer is), one whose example
/// breaks only a constraint the Rust types do not check (`Code`: its `pattern`), one typed as any
/// JSON value (`Anything`), and responses with a valid and an invalid example (`getTicket`) and
/// a valid one through a `$ref` to `#/components/examples` (`listTickets`).
const SPEC_31: &str = r##"openapi: 3.1.0
info: {title: Examples, version: "1"}
paths:
  /tickets:
    get:
      operationId: listTickets
      responses:
        "200":
          description: the tickets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Ticket"}}
              examples:
                some: {$ref: "#/components/examples/SomeTickets"}
  /tickets/{id}:
    get:
      operationId: getTicket
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: the ticket
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ticket"}
              examples:
                open: {value: {id: 7, title: Printer, status: open, assignee: null, score: 1.0}}
                untitled: {value: {id: 8, status: open}}
        "404": {description: no such ticket}
components:
  examples:
    SomeTickets:
      value: [{id: 1, title: Login fails, status: closed, assignee: ada}]
  schemas:
    Ticket:
      type: object
      required: [id, title]
      properties:
        id: {type: integer, format: int64}
        title: {type: string}
        status: {type: string, enum: [open, closed]}
        assignee: {type: [string, "null"]}
        score: {type: number}
      examples:
        - {id: 1, title: Login fails, status: closed, assignee: ada, score: 2}
    Note:
      type: object
      required: [id, text]
      properties:
        id: {type: integer}
        text: {type: string}
      examples:
        - {text: hi}
        - {id: "12", text: hi}
    Code:
      type: string
      pattern: "^[A-Z]+$"
      examples: [abc]
    Anything:
      examples: [{a: 1}]
"##;

/// The same API in OpenAPI 3.0: `nullable`, a boolean `exclusiveMinimum`, one `example` per
/// schema (`Note`'s has both faults), and `Code`'s constraint is the exclusive minimum of
/// `Count` instead.
const SPEC_30: &str = r##"openapi: 3.0.3
info: {title: Examples, version: "1"}
paths:
  /tickets:
    get:
      operationId: listTickets
      responses:
        "200":
          description: the tickets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Ticket"}}
              example: [{id: 1, title: Login fails, status: closed, assignee: ada}]
  /tickets/{id}:
    get:
      operationId: getTicket
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: the ticket
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Ticket"}
              examples:
                open: {value: {id: 7, title: Printer, status: open, assignee: null}}
                untitled: {value: {id: 8, status: open}}
components:
  schemas:
    Ticket:
      type: object
      required: [id, title]
      properties:
        id: {type: integer, format: int64}
        title: {type: string}
        status: {type: string, enum: [open, closed]}
        assignee: {type: string, nullable: true}
      example: {id: 1, title: Login fails, status: closed, assignee: null}
    Note:
      type: object
      required: [id, text]
      properties:
        id: {type: integer}
        text: {type: string}
      example: {id: "12"}
    Count:
      type: integer
      minimum: 0
      exclusiveMinimum: true
      example: 0
    Anything:
      example: {a: 1}
"##;

/// Writes `text` as a spec file under `target/xtask-examples/` and returns its path.
fn spec_file(name: &str, text: &str) -> PathBuf {
    let dir = root().join("target/xtask-examples");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// `(pointer, kind, target, valid, decoded)` of each example.
fn summary(examples: &[Example]) -> Vec<(String, Kind, String, &'static str, bool)> {
    examples
        .iter()
        .map(|e| {
            let validity = match e.validity {
                Validity::Valid => "valid",
                Validity::Invalid(_) => "invalid",
                Validity::Unchecked(_) => "unchecked",
            };
            (e.pointer.clone(), e.kind, e.target.clone(), validity, e.not_decoded.is_none())
        })
        .collect()
}

fn row(
    pointer: &str,
    kind: Kind,
    target: &str,
    validity: &'static str,
    decoded: bool,
) -> (String, Kind, String, &'static str, bool) {
    (pointer.to_owned(), kind, target.to_owned(), validity, decoded)
}

/// The validator's objections to the example at `pointer`, as `(at, keyword, checked by the types)`.
fn violations(examples: &[Example], pointer: &str) -> Vec<(String, String, bool)> {
    let e = examples.iter().find(|e| e.pointer == pointer).unwrap_or_else(|| panic!("no example at {pointer}"));
    match &e.validity {
        Validity::Invalid(v) => v.iter().map(|v| (v.at.clone(), v.keyword.clone(), v.checked_by_types)).collect(),
        other => panic!("{pointer} is {other:?}"),
    }
}

fn v(at: &str, keyword: &str, checked: bool) -> (String, String, bool) {
    (at.to_owned(), keyword.to_owned(), checked)
}

const GET: &str = "#/paths/~1tickets~1{id}/get/responses/200/content/application~1json";
const LIST: &str = "#/paths/~1tickets/get/responses/200/content/application~1json";

#[test]
fn examples_of_a_31_spec_are_collected_and_validated() {
    let spec = spec_file("small-3.1.yaml", SPEC_31);
    let examples = examples::collect(&spec, &[]).unwrap();
    use Kind::{Response, Schema};
    assert_eq!(
        summary(&examples),
        vec![
            row("#/components/schemas/Ticket/examples/0", Schema, "Ticket", "valid", true),
            row("#/components/schemas/Note/examples/0", Schema, "Note", "invalid", true),
            row("#/components/schemas/Note/examples/1", Schema, "Note", "invalid", true),
            row("#/components/schemas/Code/examples/0", Schema, "Code", "invalid", true),
            row("#/components/schemas/Anything/examples/0", Schema, "Anything", "valid", false),
            row(&format!("{LIST}/examples/some"), Response, "listTickets", "valid", true),
            row(&format!("{GET}/examples/open"), Response, "getTicket", "valid", true),
            row(&format!("{GET}/examples/untitled"), Response, "getTicket", "invalid", true),
        ]
    );
    assert_eq!(violations(&examples, "#/components/schemas/Note/examples/0"), vec![v("", "required", true)]);
    assert_eq!(violations(&examples, "#/components/schemas/Note/examples/1"), vec![v("/id", "type", true)]);
    assert_eq!(violations(&examples, "#/components/schemas/Code/examples/0"), vec![v("", "pattern", false)]);
    assert_eq!(violations(&examples, &format!("{GET}/examples/untitled")), vec![v("", "required", true)]);
    let list = examples.iter().find(|e| e.target == "listTickets").unwrap();
    assert_eq!(list.json, json!([{"id": 1, "title": "Login fails", "status": "closed", "assignee": "ada"}]));
    assert_eq!(list.schema.as_deref(), Some(&*format!("{LIST}/schema")));
    let anything = examples.iter().find(|e| e.target == "Anything").unwrap();
    assert_eq!(anything.not_decoded.as_deref(), Some("typed as any JSON value"));

    // What `diff` reports: the examples the validator rejects, with its messages.
    let mismatches = examples::mismatched_examples(&spec, &[]).unwrap();
    let listed: Vec<(&str, &str)> = mismatches.iter().map(|m| (m.pointer.as_str(), m.target.as_str())).collect();
    assert_eq!(
        listed,
        vec![
            ("#/components/schemas/Note/examples/0", "Note"),
            ("#/components/schemas/Note/examples/1", "Note"),
            ("#/components/schemas/Code/examples/0", "Code"),
            (&*format!("{GET}/examples/untitled"), "getTicket"),
        ]
    );
    assert_eq!(mismatches[0].message(), "at `/`: \"id\" is a required property");
    assert_eq!(mismatches[1].message(), "at `/id`: \"12\" is not of type \"integer\"");
    assert_eq!(mismatches[1].schema, "#/components/schemas/Note");

    // The section `diff` adds to its report on the new spec.
    let section = examples::mismatch_markdown("small-3.1.yaml", &spec);
    assert!(section.contains("## Examples that do not match their schemas (4)"), "{section}");
    assert!(
        section.contains(
            "- `#/components/schemas/Note/examples/1` (schema `Note`): at `/id`: \"12\" is not of type \"integer\""
        ),
        "{section}"
    );
}

/// `cargo xtask diff OLD NEW` ends its Markdown report with the new spec's mismatched examples.
#[test]
fn the_diff_report_names_the_examples_of_the_new_spec_that_do_not_match() {
    let old = spec_file("diff-old.yaml", SPEC_30);
    let new = spec_file("diff-new.yaml", SPEC_31);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", &old.display().to_string(), &new.display().to_string(), "--no-overlays"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("## Examples that do not match their schemas (4)"), "{stdout}");
}

#[test]
fn examples_of_a_30_spec_are_validated_with_its_spellings() {
    let spec = spec_file("small-3.0.yaml", SPEC_30);
    let examples = examples::collect(&spec, &[]).unwrap();
    use Kind::{Response, Schema};
    assert_eq!(
        summary(&examples),
        vec![
            // `assignee: null` is valid: `nullable: true`.
            row("#/components/schemas/Ticket/example", Schema, "Ticket", "valid", true),
            row("#/components/schemas/Note/example", Schema, "Note", "invalid", true),
            row("#/components/schemas/Count/example", Schema, "Count", "invalid", true),
            row("#/components/schemas/Anything/example", Schema, "Anything", "valid", false),
            row(&format!("{LIST}/example"), Response, "listTickets", "valid", true),
            row(&format!("{GET}/examples/open"), Response, "getTicket", "valid", true),
            row(&format!("{GET}/examples/untitled"), Response, "getTicket", "invalid", true),
        ]
    );
    let mut note = violations(&examples, "#/components/schemas/Note/example");
    note.sort();
    assert_eq!(note, vec![v("", "required", true), v("/id", "type", true)]);
    // `minimum: 0` with `exclusiveMinimum: true` is read as `exclusiveMinimum: 0`.
    assert_eq!(violations(&examples, "#/components/schemas/Count/example"), vec![v("", "exclusiveMinimum", false)]);
    assert_eq!(examples::mismatched_examples(&spec, &[]).unwrap().len(), 3);
}

/// The whole gate on the 3.1 spec, once: the crate is written and compiled (in the target
/// directory every spec shares), and each example's outcome is what the crate makes of it.
#[test]
fn the_gate_decodes_every_example_in_the_generated_crate() {
    let spec = spec_file("small-3.1.yaml", SPEC_31);
    let out = root().join("target/xtask-examples/small-3-1");
    let report = examples::run(&examples::Options { spec, out: Some(out.clone()) }).unwrap();
    let text = report.to_text();
    let c = &report.counts;
    assert_eq!((c.found, c.valid, c.invalid, c.unchecked, c.not_decoded), (8, 4, 4, 0, 1), "{text}");
    assert_eq!((c.equal, c.reported, c.rejected, c.accepted, c.failed), (3, 3, 0, 1, 0), "{text}");
    assert!(out.join("examples/gate.rs").exists() && out.join("examples.json").exists());

    let outcome = |pointer: &str| {
        report.examples.iter().find(|e| e.example.pointer == pointer).map(|e| e.outcome.clone()).unwrap()
    };
    assert_eq!(
        outcome("#/components/schemas/Note/examples/0"),
        Outcome::Reported(vec!["`id`: expected i64, found missing".into()]),
        "{text}"
    );
    assert!(
        matches!(outcome("#/components/schemas/Note/examples/1"), Outcome::Reported(d) if d.len() == 1 && d[0].starts_with("`id`")),
        "{text}"
    );
    assert_eq!(outcome("#/components/schemas/Code/examples/0"), Outcome::Accepted(vec!["pattern".into()]));
    assert!(matches!(outcome("#/components/schemas/Anything/examples/0"), Outcome::NotDecoded(_)));
    assert_eq!(outcome(&format!("{GET}/examples/open")), Outcome::Equal, "{text}");
    assert!(text.contains("8 found; by the validator 4 valid, 4 invalid, 0 unchecked; 1 not decoded"), "{text}");
    assert!(text.contains("0 failures"), "{text}");

    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["counts"]["equal"], 3);
    assert_eq!(json["examples"][1]["outcome"], "reported");
    assert_eq!(json["examples"][1]["validity"], "invalid");
}

#[test]
fn the_command_needs_a_spec() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).args(["examples"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("examples needs --spec FILE"));
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["examples", "--spec", "x.yaml", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format `xml`"));
}
