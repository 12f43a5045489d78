//! The Prism mock server (`@stoplight/prism-cli`, pinned in `tests/prism/package.json`) on a
//! loopback port: started for a test, stopped when dropped.
//!
//! Prism validates every request against the spec and answers with a response made from the
//! spec (static mode) or generated at random from its schemas (dynamic mode, seeded). With
//! `--errors`, a request that violates the spec gets an error response that names the violation.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Prism mock server.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// Where Prism is: `PRISM_BIN`, the pinned install in `tests/prism/node_modules`, or `prism` on
/// the `PATH`.
pub fn binary() -> Option<PathBuf> {
    if let Ok(bin) = std::env::var("PRISM_BIN") {
        return Some(PathBuf::from(bin));
    }
    let pinned = crate::root().join("tests/prism/node_modules/.bin/prism");
    if pinned.exists() {
        return Some(pinned);
    }
    let on_path = std::env::var_os("PATH")?;
    std::env::split_paths(&on_path).map(|d| d.join("prism")).find(|p| p.exists())
}

/// Prism, or `None` with a message when it is not installed. The pinned Prism is installed
/// first when it is missing and npm is there. In CI (`CI=true`) a missing Prism is a failure,
/// never a silent skip.
pub fn binary_or_skip(test: &str) -> Option<PathBuf> {
    if std::env::var_os("PRISM_BIN").is_none() {
        if let Err(why) = crate::ensure_npm_tool("prism", ".bin/prism") {
            eprintln!("{test}: {why}");
        }
    }
    match binary() {
        Some(b) => Some(b),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: Prism is not installed (run `npm ci` in tests/prism, as .ci/run does)")
        }
        None => {
            eprintln!("SKIPPED {test}: Prism is not installed; run `npm ci --prefix tests/prism` to run it");
            None
        }
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Whether an HTTP server answers on the port.
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let request = "GET /__ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    let ok = matches!(stream.read(&mut buf), Ok(n) if n >= 5 && &buf[..5] == b"HTTP/");
    let _ = stream.shutdown(Shutdown::Both);
    ok
}

impl Prism {
    /// Starts Prism on `spec` (static mode, or dynamic with a seed) and waits until it answers.
    pub fn start(binary: &std::path::Path, spec: &std::path::Path, seed: Option<&str>) -> Result<Prism, String> {
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let log = std::env::temp_dir().join(format!("prism-{}-{port}.log", std::process::id()));
        let log_file = std::fs::File::create(&log).map_err(|e| format!("cannot create the Prism log: {e}"))?;
        let mut cmd = Command::new(binary);
        cmd.arg("mock").arg(spec).args(["-h", "127.0.0.1", "-p", &port.to_string(), "--errors", "-v", "warn"]);
        if let Some(seed) = seed {
            cmd.args(["-d", "--seed", seed]);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start Prism ({}): {e}", binary.display()))?;
        let mut prism = Prism { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if answers(port) {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("Prism exited with {status} before it was ready:\n{}", prism.log_text()));
            }
            if Instant::now() > deadline {
                return Err(format!("Prism did not answer on port {port} within 90 s:\n{}", prism.log_text()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What Prism printed so far (its warnings name response violations).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
