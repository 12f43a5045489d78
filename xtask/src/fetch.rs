//! `fetch`: downloads the published OpenAPI description of an API version into `spec/`.
//!
//! The download is checked before anything is written: it must parse as an OpenAPI 3.x document
//! that the generator's `load` and `normalize` stages accept, and its `info.version` must be the
//! version asked for. Then `spec/featurebase-<version>.json` (the bytes exactly as served) and
//! `spec/featurebase-<version>.json.source` (where they came from: URL, sha256, size, date) are
//! written, each to a temporary file first and renamed into place. On any failure (offline, an
//! HTTP error, a body that is not a spec) nothing under `spec/` changes.

use crate::Result;
use generator::load::{Document, Format};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the reference's "Download OpenAPI description" link points; `{version}` is replaced.
pub const DEFAULT_URL: &str = "https://docs.featurebase.app/_bundle/REST%20API/@{version}/index.json?download";

/// The environment variable that overrides [`DEFAULT_URL`] (same `{version}` placeholder).
pub const URL_ENV: &str = "FEATUREBASE_SPEC_URL";

/// The largest description accepted (the 2026-01-01.nova one is under 1 MiB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What to fetch, and where to put it.
#[derive(Debug, Clone)]
pub struct Options {
    /// The API version (`2026-01-01.nova`); when `None`, the URL must not need one and the
    /// version is read from the document.
    pub version: Option<String>,
    /// The URL, or a template with `{version}`; [`DEFAULT_URL`] when `None`.
    pub url: Option<String>,
    /// The directory the spec is written to (the workspace's `spec/`).
    pub dir: PathBuf,
    /// How long the whole download may take.
    pub timeout: Duration,
}

impl Options {
    /// Defaults: the default URL, a two-minute timeout, no version yet.
    pub fn new(dir: PathBuf) -> Self {
        Options { version: None, url: None, dir, timeout: Duration::from_secs(120) }
    }
}

/// What a fetch did.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The spec file.
    pub path: PathBuf,
    /// The provenance file beside it.
    pub provenance: PathBuf,
    /// The URL it was downloaded from.
    pub url: String,
    /// The SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: usize,
    /// Its `info.version`.
    pub version: String,
    /// How many operations it describes.
    pub operations: usize,
    /// How many component schemas it has.
    pub schemas: usize,
    /// Whether the file was already there with the same bytes (then nothing was written).
    pub unchanged: bool,
    /// Why the generator cannot build its model of the spec, if it cannot (the spec is kept:
    /// it is what the API publishes, and `diff` and the generator will say the same).
    pub model_error: Option<String>,
}

/// A version usable in a file name and a URL: letters, digits, `.`, `-`, `_`.
fn check_version(version: &str) -> Result<()> {
    let ok = !version.is_empty()
        && !version.starts_with('.')
        && version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(format!("`{version}` is not an API version (letters, digits, `.`, `-` and `_` only)"))
    }
}

/// The URL for `options`.
pub fn url(options: &Options) -> Result<String> {
    let template = options.url.as_deref().unwrap_or(DEFAULT_URL);
    match (&options.version, template.contains("{version}")) {
        (Some(v), true) => {
            check_version(v)?;
            Ok(template.replace("{version}", v))
        }
        (None, true) => Err(format!("which API version? `{template}` needs one: give --version")),
        (_, false) => Ok(template.to_owned()),
    }
}

fn download(url: &str, timeout: Duration) -> Result<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("featurebase-sdk-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| {
        format!("cannot download {url}: {e} (offline, or the server cannot be reached?); the spec was not changed")
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url} answered HTTP {status}; the spec was not changed"));
    }
    let html = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("text/html"));
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| format!("cannot read the answer of {url}: {e}; the spec was not changed"))?;
    if html || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        return Err(format!(
            "{url} sent an HTML page, not an OpenAPI description (is the URL right?); the spec was not changed"
        ));
    }
    Ok(body)
}

/// Reads the bytes as an OpenAPI 3.x document the generator accepts.
pub fn validate(bytes: &[u8]) -> Result<(Document, Format)> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("the download is not UTF-8 text ({e})"))?;
    let format = if text.trim_start().starts_with('{') { Format::Json } else { Format::Yaml };
    let mut doc = generator::load::load_str(text, format)
        .map_err(|e| format!("the download is not a usable OpenAPI description: {e}"))?;
    if !doc.openapi.starts_with("3.") {
        return Err(format!("the download is OpenAPI `{}`, not 3.x", doc.openapi));
    }
    if doc.info.version.trim().is_empty() {
        return Err("the download has no `info.version`".into());
    }
    generator::normalize::normalize(&mut doc)
        .map_err(|e| format!("the download is not a usable OpenAPI description: {e}"))?;
    Ok((doc, format))
}

/// SHA-256, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a time since the epoch.
pub fn rfc3339(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest / 60 % 60, rest % 60)
}

/// A temporary file beside `path`, hidden and unique to this process.
fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes each file through a temporary one in the same directory, renamed into place once all
/// are written, so that each path holds either its old contents or its new ones, never half.
fn write_all(files: &[(&Path, &[u8])]) -> Result<()> {
    let mut temps = Vec::new();
    let cleanup = |temps: &[PathBuf]| {
        for t in temps {
            let _ = fs::remove_file(t);
        }
    };
    for (path, contents) in files {
        let temp = temp_path(path);
        temps.push(temp.clone());
        if let Err(e) = fs::write(&temp, contents) {
            cleanup(&temps);
            return Err(format!("cannot write {}: {e}; the spec was not changed", temp.display()));
        }
    }
    for ((path, _), temp) in files.iter().zip(&temps) {
        if let Err(e) = fs::rename(temp, path) {
            cleanup(&temps);
            return Err(format!("cannot replace {}: {e}", path.display()));
        }
    }
    Ok(())
}

/// Downloads, checks and stores the spec.
pub fn fetch(options: &Options) -> Result<Fetched> {
    let url = url(options)?;
    let bytes = download(&url, options.timeout)?;
    let (doc, format) = validate(&bytes).map_err(|e| format!("{url}: {e}; the spec was not changed"))?;
    let version = doc.info.version.clone();
    if let Some(asked) = &options.version {
        if asked != &version {
            return Err(format!("{url} describes API version `{version}`, not `{asked}`; the spec was not changed"));
        }
    }
    check_version(&version).map_err(|e| format!("{url}: info.version {e}"))?;
    let extension = match format {
        Format::Json => "json",
        Format::Yaml => "yaml",
    };
    let path = options.dir.join(format!("featurebase-{version}.{extension}"));
    let provenance = options.dir.join(format!("featurebase-{version}.{extension}.source"));
    let sha256 = sha256_hex(&bytes);
    let operations = doc.paths.values().map(|p| p.operations.len()).sum();
    let schemas = doc.components.schemas.len();
    let model_error = generator::model::build(&doc).err().map(|e| e.to_string());
    let unchanged = fs::read(&path).is_ok_and(|old| old == bytes) && provenance.exists();
    if !unchanged {
        fs::create_dir_all(&options.dir).map_err(|e| format!("cannot create {}: {e}", options.dir.display()))?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let record = format!(
            "# Where {file_name} comes from; written by `cargo xtask fetch`.\n\
             url = \"{}\"\nsha256 = \"{sha256}\"\nbytes = {}\nversion = \"{version}\"\nfetched = \"{}\"\n",
            url.replace('\\', "\\\\").replace('"', "\\\""),
            bytes.len(),
            rfc3339(now)
        );
        write_all(&[(&path, &bytes), (&provenance, record.as_bytes())])?;
    }
    Ok(Fetched {
        path,
        provenance,
        url,
        sha256,
        bytes: bytes.len(),
        version,
        operations,
        schemas,
        unchanged,
        model_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(Duration::from_secs(0)), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(Duration::from_secs(1_767_225_600 + 3_723)), "2026-01-01T01:02:03Z");
    }

    #[test]
    fn urls() {
        let mut o = Options::new(PathBuf::from("spec"));
        assert!(url(&o).unwrap_err().contains("--version"));
        o.version = Some("2026-01-01.nova".into());
        assert_eq!(
            url(&o).unwrap(),
            "https://docs.featurebase.app/_bundle/REST%20API/@2026-01-01.nova/index.json?download"
        );
        o.version = Some("../../etc".into());
        assert!(url(&o).is_err());
        o.version = None;
        o.url = Some("http://127.0.0.1:1/spec.json".into());
        assert_eq!(url(&o).unwrap(), "http://127.0.0.1:1/spec.json");
    }

    #[test]
    fn sha() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
