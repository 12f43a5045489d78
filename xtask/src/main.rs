//! `cargo xtask <command>`: see the README and [`xtask`].

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::codegen::{self, Mode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate [--spec PATH]   generate the `featurebase` crate from its spec (or from PATH, which then becomes its spec)
  check                    fail if the committed generated code differs from what the generator makes now";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &[String]) -> Result<(), String> {
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
    println!(
        "{} files generated, {} changed, {} removed, {} warnings ({} ms)",
        report.files,
        report.changed.len(),
        report.removed.len(),
        report.warnings.len(),
        started.elapsed().as_millis()
    );
    Ok(())
}

fn check(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err(USAGE.to_owned());
    }
    let report = codegen::run(Mode::Check, None)?;
    println!("generated code is fresh ({} files)", report.files);
    Ok(())
}
