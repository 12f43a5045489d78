//! `cargo xtask fetch` against an HTTP server on 127.0.0.1: the spec and its provenance are
//! written only when the download is a usable OpenAPI description; otherwise nothing changes.

use featurebase_tests::root;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use xtask::fetch::{fetch, sha256_hex, Options};

/// What the server answers for a path.
#[derive(Clone)]
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    delay: Duration,
}

fn answer(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Answer {
    Answer { status, content_type, body: body.into(), delay: Duration::ZERO }
}

/// A server on 127.0.0.1 answering `routes` (path and query -> answer; 404 otherwise), one
/// connection at a time, recording the paths asked for. It lives until the test process ends.
struct Server {
    port: u16,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(routes: Vec<(&'static str, Answer)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = respond(stream, &routes, &log);
            }
        });
        Server { port, asked }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn respond(stream: TcpStream, routes: &[(&str, Answer)], log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
    log.lock().unwrap().push(path.clone());
    let a = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| answer(404, "text/plain", "not found"));
    std::thread::sleep(a.delay);
    let reason = match a.status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Other",
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        a.status,
        a.content_type,
        a.body.len()
    )?;
    stream.write_all(&a.body)?;
    stream.flush()
}

/// An empty directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-fetch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file in `dir` with its contents.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn options(dir: &Path, url: String, version: Option<&str>) -> Options {
    Options {
        url: Some(url),
        version: version.map(str::to_owned),
        timeout: Duration::from_secs(20),
        ..Options::new(dir.to_path_buf())
    }
}

const SMALL: &str = r#"{"openapi": "3.1.0", "info": {"title": "Featurebase API", "version": "2026-02-01.nova"},
  "paths": {"/v2/teams": {"get": {"operationId": "listTeams", "responses": {"200": {"description": "ok",
    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}}}}}"#;

#[test]
fn fetches_the_published_bundle_with_its_provenance() {
    let real = std::fs::read(root().join("spec/featurebase-2026-01-01.nova.json")).unwrap();
    let server = Server::start(vec![(
        "/_bundle/REST%20API/@2026-01-01.nova/index.json?download",
        answer(200, "application/json", real.clone()),
    )]);
    let dir = temp_dir("real");
    let template = server.url("/_bundle/REST%20API/@{version}/index.json?download");
    let fetched = fetch(&options(&dir, template, Some("2026-01-01.nova"))).unwrap();

    assert_eq!(server.asked.lock().unwrap().as_slice(), ["/_bundle/REST%20API/@2026-01-01.nova/index.json?download"]);
    assert_eq!(fetched.path, dir.join("featurebase-2026-01-01.nova.json"));
    assert_eq!((fetched.version.as_str(), fetched.operations, fetched.schemas), ("2026-01-01.nova", 110, 193));
    assert!(!fetched.unchanged);
    assert_eq!(fetched.model_error, None);
    let on_disk = files(&dir);
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        ["featurebase-2026-01-01.nova.json", "featurebase-2026-01-01.nova.json.source"]
    );
    assert_eq!(on_disk["featurebase-2026-01-01.nova.json"], real, "stored byte for byte");
    let source = String::from_utf8(on_disk["featurebase-2026-01-01.nova.json.source"].clone()).unwrap();
    let sha = sha256_hex(&real);
    assert_eq!(fetched.sha256, sha);
    assert!(source.contains(&format!("url = \"{}\"\n", fetched.url)), "{source}");
    assert!(source.contains(&format!("sha256 = \"{sha}\"\n")), "{source}");
    assert!(source.contains(&format!("bytes = {}\n", real.len())), "{source}");
    assert!(source.contains("version = \"2026-01-01.nova\"\n"), "{source}");
    let fetched_at = source.lines().find_map(|l| l.strip_prefix("fetched = \"")).unwrap();
    assert_eq!(fetched_at.len(), "2026-01-01T00:00:00Z\"".len(), "{fetched_at}");
    assert!(fetched_at.starts_with("20") && fetched_at.ends_with("Z\""), "{fetched_at}");

    // Again: the same bytes, nothing rewritten.
    let again = fetch(&options(
        &dir,
        server.url("/_bundle/REST%20API/@{version}/index.json?download"),
        Some("2026-01-01.nova"),
    ))
    .unwrap();
    assert!(again.unchanged);
    assert_eq!(files(&dir), on_disk);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_url_without_placeholder_names_the_version_itself() {
    let server = Server::start(vec![("/next.json", answer(200, "application/json", SMALL))]);
    let dir = temp_dir("plain");
    let fetched = fetch(&options(&dir, server.url("/next.json"), None)).unwrap();
    assert_eq!(fetched.path, dir.join("featurebase-2026-02-01.nova.json"));
    assert_eq!(fetched.operations, 1);
    assert_eq!(files(&dir)["featurebase-2026-02-01.nova.json"], SMALL.as_bytes());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs a fetch that must fail, and checks that it says `expected` and leaves `dir` as it was.
fn fails(name: &str, routes: Vec<(&'static str, Answer)>, path: &str, version: Option<&str>, expected: &str) {
    let server = Server::start(routes);
    let dir = temp_dir(name);
    // A spec already there must survive.
    std::fs::write(dir.join("featurebase-2026-02-01.nova.json"), "the old spec").unwrap();
    let before = files(&dir);
    let mut o = options(&dir, server.url(path), version);
    o.timeout = Duration::from_secs(3);
    let err = fetch(&o).unwrap_err();
    assert!(err.contains(expected), "{name}: {err}");
    assert!(err.contains("not changed"), "{name}: {err}");
    assert_eq!(files(&dir), before, "{name}: the directory changed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn http_errors_change_nothing() {
    fails("404", vec![], "/missing.json", Some("2026-02-01.nova"), "answered HTTP 404 Not Found");
    let boom = vec![("/boom.json", answer(500, "text/plain", "oops"))];
    fails("500", boom, "/boom.json", Some("2026-02-01.nova"), "answered HTTP 500 Internal Server Error");
}

#[test]
fn an_unreachable_server_changes_nothing() {
    // A port nothing listens on: bind one, then let it go.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = temp_dir("refused");
    std::fs::write(dir.join("featurebase-2026-02-01.nova.json"), "the old spec").unwrap();
    let before = files(&dir);
    let url = format!("http://127.0.0.1:{port}/@{{version}}/index.json");
    let err = fetch(&options(&dir, url, Some("2026-02-01.nova"))).unwrap_err();
    assert!(err.contains("cannot download http://127.0.0.1:") && err.contains("not changed"), "{err}");
    assert_eq!(files(&dir), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_slow_server_times_out() {
    let slow = vec![("/slow.json", Answer { delay: Duration::from_secs(6), ..answer(200, "application/json", SMALL) })];
    fails("slow", slow, "/slow.json", None, "cannot download");
}

#[test]
fn content_that_is_not_a_usable_spec_changes_nothing() {
    let html = vec![("/spec", answer(200, "text/html; charset=utf-8", "<!doctype html><p>Sign in</p>"))];
    fails("html", html, "/spec", None, "HTML page");
    let broken = vec![("/spec", answer(200, "application/json", "{\"openapi\": \"3.1.0\", \"info\": "))];
    fails("broken", broken, "/spec", None, "not a usable OpenAPI description");
    let swagger = r#"{"swagger": "2.0", "info": {"title": "t", "version": "2026-02-01.nova"}, "paths": {}}"#;
    fails("swagger", vec![("/spec", answer(200, "application/json", swagger))], "/spec", None, "OpenAPI");
    // Not OpenAPI at all (no `info`); a mistake inside a description is a warning, not a refusal.
    let no_info = r#"{"openapi": "3.1.0", "paths": {}}"#;
    fails("no-info", vec![("/spec", answer(200, "application/json", no_info))], "/spec", None, "info");
    let other = vec![("/spec", answer(200, "application/json", SMALL))];
    fails(
        "version",
        other,
        "/spec",
        Some("2026-03-01.nova"),
        "describes API version `2026-02-01.nova`, not `2026-03-01.nova`",
    );
}
