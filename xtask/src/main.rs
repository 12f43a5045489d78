//! `cargo xtask <command>`: see the README and [`xtask`].

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::codegen::{self, Mode};
use xtask::diff::Audience;
use xtask::fetch;

/// The generator makes and drops millions of small values (token trees, syntax trees, strings);
/// with mimalloc it runs about a third faster than with the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate [--spec PATH]   generate the `featurebase` crate from its spec (or from PATH, which then becomes its spec)
  check                    fail if the committed generated code differs from what the generator makes now
  crate --spec FILE --out DIR [--name NAME]
                           write a crate of its own for any OpenAPI description into DIR (generated modules, the
                           runtime, Cargo.toml, README); run again, it rewrites only what changed
  examples --spec FILE [--out DIR] [--format text|json]
                           check the spec's examples with a JSON Schema validator, then decode them with the crate
                           generated from it (in DIR, default target/examples/<file stem>); exits with status 1
                           when a valid example does not decode and re-encode, or the crate misses an invalid one
  fetch [--version V] [--url URL] [--dir DIR]
                           download the published OpenAPI description of API version V into spec/
                           (URL may contain `{version}`; default: $FEATUREBASE_SPEC_URL, else the docs' bundle)
  diff OLD NEW [--format markdown|json] [--output FILE] [--fail-on-breaking[=any|http|rust]] [--overlays|--no-overlays]
                           what changed between two specs and what it breaks, for HTTP clients and Rust users;
                           with --fail-on-breaking, exits with status 2 when a change is breaking; the crate's
                           overlays are applied to both when one is the crate's spec (or with --overlays)
  diff --overlays-only [SPEC]
                           what the crate's overlays change in SPEC (default: the crate's spec), and the
                           nodes each of their actions selects";

/// What a command tells `main` to exit with, besides success and failure.
enum Outcome {
    Done,
    /// The command ran, and its result is a failure (status 2).
    Breaking(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("crate") => krate(&args[1..]),
        Some("examples") => examples(&args[1..]),
        Some("fetch") => fetch(&args[1..]),
        Some("diff") => diff(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(Outcome::Done)
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Breaking(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &[String]) -> Result<Outcome, String> {
    let spec = match args {
        [] => None,
        [flag, path] if flag == "--spec" => Some(PathBuf::from(path)),
        _ => return Err(USAGE.to_owned()),
    };
    let started = std::time::Instant::now();
    let report = codegen::run(Mode::Write, spec.as_deref())?;
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for f in &report.changed {
        println!("wrote {f}");
    }
    for f in &report.removed {
        println!("removed {f}");
    }
    for s in &report.overlay_actions_removed {
        println!("removed overlay action: {}", s.describe());
    }
    println!(
        "{} files generated, {} changed, {} removed, {} warnings ({} ms)",
        report.files,
        report.changed.len(),
        report.removed.len(),
        report.warnings.len(),
        started.elapsed().as_millis()
    );
    if let Some(r) = &report.release {
        println!(
            "release: featurebase {} -> {} ({}; API {} -> {}), wrote {}/Cargo.toml and {}/{}",
            r.old_version,
            r.new_version,
            if r.breaking { "incompatible: breaking changes for Rust users" } else { "compatible" },
            r.old_api_version,
            r.new_api_version,
            codegen::CRATE_DIR,
            codegen::CRATE_DIR,
            xtask::release::CHANGELOG
        );
    }
    Ok(Outcome::Done)
}

fn check(args: &[String]) -> Result<Outcome, String> {
    if !args.is_empty() {
        return Err(USAGE.to_owned());
    }
    let report = codegen::run(Mode::Check, None)?;
    println!("generated code is fresh ({} files)", report.files);
    Ok(Outcome::Done)
}

fn krate(args: &[String]) -> Result<Outcome, String> {
    let (mut spec, mut out, mut name) = (None, None, None);
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = value(args, &mut i, "--spec")? {
            spec = Some(PathBuf::from(v));
        } else if let Some(v) = value(args, &mut i, "--out")? {
            out = Some(PathBuf::from(v));
        } else if let Some(v) = value(args, &mut i, "--name")? {
            name = Some(v.to_owned());
        } else {
            return Err(format!("unexpected argument `{}`\n\n{USAGE}", args[i]));
        }
        i += 1;
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err(format!("crate needs --spec FILE and --out DIR\n\n{USAGE}"));
    };
    let started = std::time::Instant::now();
    let report = xtask::krate::run(&xtask::krate::Options { spec, out: out.clone(), name })?;
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for f in &report.written {
        println!("wrote {}", out.join(f).display());
    }
    for f in &report.removed {
        println!("removed {}", out.join(f).display());
    }
    println!(
        "crate `{}` in {}: {} files written, {} unchanged, {} removed, {} warnings ({} ms); build it with `cargo build` there",
        report.name,
        out.display(),
        report.written.len(),
        report.unchanged,
        report.removed.len(),
        report.warnings.len(),
        started.elapsed().as_millis()
    );
    Ok(Outcome::Done)
}

fn examples(args: &[String]) -> Result<Outcome, String> {
    let (mut spec, mut out, mut json) = (None, None, false);
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = value(args, &mut i, "--spec")? {
            spec = Some(PathBuf::from(v));
        } else if let Some(v) = value(args, &mut i, "--out")? {
            out = Some(PathBuf::from(v));
        } else if let Some(v) = value(args, &mut i, "--format")? {
            json = match v {
                "text" => false,
                "json" => true,
                other => return Err(format!("unknown format `{other}` (text or json)")),
            };
        } else {
            return Err(format!("unexpected argument `{}`\n\n{USAGE}", args[i]));
        }
        i += 1;
    }
    let Some(spec) = spec else {
        return Err(format!("examples needs --spec FILE\n\n{USAGE}"));
    };
    let report = xtask::examples::run(&xtask::examples::Options { spec, out })?;
    print!("{}", if json { report.to_json() } else { report.to_text() });
    match report.counts.failed {
        0 => Ok(Outcome::Done),
        n => Err(format!("{n} of {} examples failed the gate", report.counts.found)),
    }
}

/// The value of `--flag VALUE` or `--flag=VALUE` at `args[*i]`, advancing `i` past it.
fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<Option<&'a str>, String> {
    let arg = &args[*i];
    if let Some(v) = arg.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')) {
        return Ok(Some(v));
    }
    if arg != flag {
        return Ok(None);
    }
    *i += 1;
    args.get(*i).map(|v| Some(v.as_str())).ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
}

fn fetch(args: &[String]) -> Result<Outcome, String> {
    let mut options = fetch::Options::new(xtask::project_root().join("spec"));
    let mut i = 0;
    while i < args.len() {
        if let Some(v) = value(args, &mut i, "--version")? {
            options.version = Some(v.to_owned());
        } else if let Some(v) = value(args, &mut i, "--url")? {
            options.url = Some(v.to_owned());
        } else if let Some(v) = value(args, &mut i, "--dir")? {
            options.dir = PathBuf::from(v);
        } else {
            return Err(format!("unexpected argument `{}`\n\n{USAGE}", args[i]));
        }
        i += 1;
    }
    if options.url.is_none() {
        options.url = std::env::var(fetch::URL_ENV).ok().filter(|u| !u.is_empty());
    }
    let fetched = fetch::fetch(&options)?;
    let root = xtask::project_root();
    let shown = |p: &std::path::Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    println!(
        "{} {} ({} bytes, sha256 {}): API version {}, {} operations, {} schemas",
        if fetched.unchanged { "unchanged" } else { "wrote" },
        shown(&fetched.path),
        fetched.bytes,
        fetched.sha256,
        fetched.version,
        fetched.operations,
        fetched.schemas
    );
    println!("provenance in {}", shown(&fetched.provenance));
    if let Some(e) = &fetched.model_error {
        eprintln!("warning: the generator cannot build its model of this spec yet: {e}");
    }
    let current = codegen::configured_spec(&root).ok().map(|s| s.trim_start_matches("../").to_owned());
    if let Some(current) = current.filter(|c| root.join(c) != fetched.path) {
        println!(
            "next: cargo xtask diff {current} {} --output target/spec-diff.md, then cargo xtask generate --spec {}",
            shown(&fetched.path),
            shown(&fetched.path)
        );
    }
    Ok(Outcome::Done)
}

fn diff(args: &[String]) -> Result<Outcome, String> {
    let mut paths = Vec::new();
    let mut json = false;
    let mut output = None;
    let mut fail_on = None;
    let mut overlays = xtask::diff::Overlays::Auto;
    let mut overlays_only = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "--overlays" || arg == "--no-overlays" || arg == "--overlays-only" {
            overlays =
                if arg == "--no-overlays" { xtask::diff::Overlays::Never } else { xtask::diff::Overlays::Always };
            overlays_only = arg == "--overlays-only";
        } else if let Some(v) = value(args, &mut i, "--format")? {
            json = match v {
                "markdown" | "md" => false,
                "json" => true,
                other => return Err(format!("unknown format `{other}` (markdown or json)")),
            };
        } else if let Some(v) = value(args, &mut i, "--output")? {
            output = Some(PathBuf::from(v));
        } else if arg == "--fail-on-breaking" {
            fail_on = Some(Audience::Any);
        } else if let Some(v) = arg.strip_prefix("--fail-on-breaking=") {
            fail_on = Some(match v {
                "any" => Audience::Any,
                "http" => Audience::Http,
                "rust" => Audience::Rust,
                other => return Err(format!("unknown audience `{other}` (any, http or rust)")),
            });
        } else if arg.starts_with("--") {
            return Err(format!("unexpected argument `{arg}`\n\n{USAGE}"));
        } else {
            paths.push(PathBuf::from(arg));
        }
        i += 1;
    }
    // The crate's own settings (its version header) and overlays, so that the diff sees what
    // generation does.
    let root = xtask::project_root();
    let (report, actions) = match (overlays_only, paths.as_slice()) {
        (true, [] | [_]) => {
            let (report, actions) = xtask::diff::crate_overlay_diff(&root, paths.first().map(PathBuf::as_path))?;
            (report, Some(actions))
        }
        (false, [old, new]) => (xtask::diff::crate_diff(&root, old, new, overlays)?, None),
        (true, _) => return Err(format!("diff --overlays-only takes at most one spec file\n\n{USAGE}")),
        (false, _) => return Err(format!("diff takes two spec files, OLD and NEW\n\n{USAGE}")),
    };
    let mut text = if json { report.to_json() } else { report.to_markdown() };
    if let (Some(actions), false) = (actions, json) {
        text.push('\n');
        text.push_str(&actions);
    }
    // Where the new version's own examples do not match its schemas, its server may not either.
    if let (false, [_, new]) = (json, paths.as_slice()) {
        text.push_str(&xtask::examples::mismatch_markdown(&report.new.file, new));
    }
    match &output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let (h, r) = (&report.summary.http, &report.summary.rust);
            eprintln!(
                "wrote {}: {} changes; breaking for HTTP clients: {}, for Rust users: {}",
                path.display(),
                report.changes.len(),
                h.breaking,
                r.breaking
            );
            for s in &report.stale_overlay_actions {
                eprintln!("overlay action no longer applies: {}", s.describe());
            }
        }
        None => print!("{text}"),
    }
    if let Some(audience) = fail_on {
        let breaking = report.breaking(audience).count();
        if breaking > 0 {
            let who = match audience {
                Audience::Http => "for HTTP clients",
                Audience::Rust => "for Rust users",
                Audience::Any => "for HTTP clients or Rust users",
            };
            return Ok(Outcome::Breaking(format!("{breaking} of {} changes are breaking {who}", report.changes.len())));
        }
    }
    Ok(Outcome::Done)
}
