//! The `xtask` binary's `diff` and `fetch` commands as a maintainer runs them: arguments,
//! output files and exit statuses (0 done, 1 error, 2 breaking changes with `--fail-on-breaking`).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn case(name: &str, side: &str) -> String {
    root().join("tests/fixtures/diff").join(name).join(format!("{side}.yaml")).display().to_string()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn diff_prints_markdown_and_fails_only_on_breaking_changes() {
    let (old, new) = (case("enum-value-added", "old"), case("enum-value-added", "new"));
    let out = xtask(&["diff", &old, &new, "--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.starts_with("# API changes in `1`") && md.contains("new enum value `pending`"), "{md}");

    let (old, new) = (case("operation-removed", "old"), case("operation-removed", "new"));
    let out = xtask(&["diff", &old, &new, "--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("1 of 1 changes are breaking"), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("## Breaking (1)"));
    // Without the flag, a report of breaking changes is still a success.
    assert_eq!(xtask(&["diff", &old, &new]).status.code(), Some(0));
}

#[test]
fn fail_on_breaking_can_look_at_one_audience() {
    // A Rust type renamed: nothing changes on the wire.
    let (old, new) = (case("rust-type-renamed", "old"), case("rust-type-renamed", "new"));
    assert_eq!(xtask(&["diff", &old, &new, "--fail-on-breaking=http"]).status.code(), Some(0));
    let out = xtask(&["diff", &old, &new, "--fail-on-breaking=rust"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("breaking for Rust users"), "{}", text(&out.stderr));
}

#[test]
fn diff_writes_json_to_a_file() {
    let dir = temp_dir("json");
    let file = dir.join("report.json");
    let (old, new) = (case("union-member-added", "old"), case("union-member-added", "new"));
    let out = xtask(&["diff", &old, &new, "--format", "json", "--output", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("1 changes; breaking for HTTP clients: 0, for Rust users: 0"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json["changes"][0]["kind"], "union-member-added");
    assert_eq!(json["changes"][0]["http"]["severity"], "potentially-breaking");
    assert_eq!(json["changes"][0]["operations"][0]["rust"], "client.pets().get()");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_usage_errors() {
    let old = case("operation-added", "old");
    for args in [
        vec!["diff", old.as_str()],
        vec!["diff", old.as_str(), old.as_str(), "--format", "html"],
        vec!["diff", old.as_str(), old.as_str(), "--fail-on-breaking=everyone"],
        vec!["diff", old.as_str(), old.as_str(), "--output"],
        vec!["diff", old.as_str(), old.as_str(), "--colour"],
    ] {
        let out = xtask(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).starts_with("error: "), "{args:?}: {}", text(&out.stderr));
    }
    let out = xtask(&["diff", &old, "no/such/spec.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read no/such/spec.yaml"), "{}", text(&out.stderr));
}

/// Serves one request with `status` and `body` on 127.0.0.1; returns the base URL.
fn serve_once(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

const SPEC: &str =
    r#"{"openapi": "3.1.0", "info": {"title": "Featurebase API", "version": "2026-02-01.nova"}, "paths": {}}"#;

#[test]
fn fetch_writes_the_spec_and_its_provenance() {
    let dir = temp_dir("fetch");
    let url = format!("{}/@{{version}}/index.json", serve_once("200 OK", SPEC));
    let out = xtask(&["fetch", "--version", "2026-02-01.nova", "--url", &url, "--dir", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("API version 2026-02-01.nova, 0 operations, 0 schemas"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read_to_string(dir.join("featurebase-2026-02-01.nova.json")).unwrap(), SPEC);
    let source = std::fs::read_to_string(dir.join("featurebase-2026-02-01.nova.json.source")).unwrap();
    assert!(source.contains("/@2026-02-01.nova/index.json\""), "{source}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fetch_failures_exit_with_a_message_and_write_nothing() {
    let dir = temp_dir("fetch-fail");
    let url = format!("{}/spec.json", serve_once("503 Service Unavailable", "{}"));
    let out = xtask(&["fetch", "--url", &url, "--dir", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("answered HTTP 503 Service Unavailable"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // The default URL needs a version.
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["fetch", "--dir", &dir.display().to_string()])
        .env_remove("FEATUREBASE_SPEC_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("give --version"), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}
