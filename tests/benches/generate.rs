//! Generator benchmarks (see BENCHMARKS.md; `scripts/bench.sh` runs them with the others).
//!
//! - `generator_featurebase`: `generator::generate` on the Featurebase spec text already in memory
//!   (generator-only), and each stage alone: `parse` (text -> raw tree), `load` (parse + typed
//!   document), `normalize`, `model`, `emit`.
//! - `end_to_end_featurebase`: what `cargo xtask generate` does after the process has started:
//!   `xtask::codegen::run_in` on a scratch copy of `generated/` whose generated files were
//!   deleted first, so it reads the spec, generates and writes every file.
//! - `generator_synthetic`: `generator::generate` on the synthetic specs of
//!   `scripts/synth_spec.py` at 1x, 2x and 4x (3,001 / 6,001 / 12,001 schemas), with the
//!   schema count as throughput so that linear growth shows as a constant rate; and
//!   `stages_synthetic_{1x,4x}`: each stage at 1x and 4x, to see which one grows faster than the input.
//!
//! The synthetic specs are read from `$SYNTH_SPEC_DIR` (default: a folder in cargo's target
//! directory) and written there with `python3 scripts/synth_spec.py` when missing.

use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion, Throughput};
use generator::load::{self, Format};
use generator::{emit, model, normalize, Options};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The allocator `cargo xtask` runs the generator with (see `xtask/src/main.rs`), so that these
/// numbers are the ones a user of the command sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The options `cargo xtask generate` uses.
fn options(source: &str) -> Options {
    Options {
        source: source.to_owned(),
        command: "cargo xtask generate".to_owned(),
        crate_name: "featurebase".to_owned(),
        ..Options::default()
    }
}

/// The Featurebase spec: (path relative to the workspace, text).
fn featurebase_spec() -> (String, String) {
    let root = featurebase_tests::root();
    let rel = xtask::codegen::configured_spec(&root).expect("generated/Cargo.toml names its spec");
    let path = root.join(xtask::codegen::CRATE_DIR).join(&rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    (rel.trim_start_matches("../").to_owned(), text)
}

/// Benchmarks every stage of the pipeline on one spec, each from the previous stage's output.
fn stages(c: &mut Criterion, group_name: &str, text: &str, options: &Options, samples: usize, whole: bool) {
    let doc = load::load_str(text, Format::Json).expect("spec loads");
    let mut normalized = doc.clone();
    normalize::normalize(&mut normalized).expect("spec normalizes");
    let api = model::build(&normalized).expect("model builds");
    let mut group = c.benchmark_group(group_name);
    group.sample_size(samples);
    if whole {
        group.bench_function("generate", |b| {
            b.iter(|| generator::generate(black_box(text), Format::Json, options).expect("generates"))
        });
    }
    group.bench_function("parse", |b| b.iter(|| load::parse_raw(black_box(text), Format::Json).expect("parses")));
    group.bench_function("load", |b| b.iter(|| load::load_str(black_box(text), Format::Json).expect("loads")));
    group.bench_function("normalize", |b| {
        b.iter_batched(
            || doc.clone(),
            |mut d| {
                normalize::normalize(&mut d).expect("normalizes");
                d
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("model", |b| b.iter(|| model::build(black_box(&normalized)).expect("builds")));
    group.bench_function("emit", |b| b.iter(|| emit::emit(black_box(&api), options).expect("emits")));
    group.finish();
}

fn featurebase(c: &mut Criterion) {
    let (source, text) = featurebase_spec();
    let options = options(&source);
    stages(c, "generator_featurebase", &text, &options, 30, true);
}

/// Copies what `xtask::codegen::run_in` reads (the crate manifest and the spec) to a scratch root.
fn scratch_root() -> PathBuf {
    let root = featurebase_tests::root();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-xtask-root");
    let _ = std::fs::remove_dir_all(&scratch);
    let crate_dir = scratch.join(xtask::codegen::CRATE_DIR);
    std::fs::create_dir_all(&crate_dir).expect("scratch dir");
    std::fs::copy(root.join(xtask::codegen::CRATE_DIR).join("Cargo.toml"), crate_dir.join("Cargo.toml"))
        .expect("copy manifest");
    let rel = xtask::codegen::configured_spec(&root).expect("spec configured");
    let spec = crate_dir.join(&rel);
    std::fs::create_dir_all(spec.parent().expect("spec has a folder")).expect("spec dir");
    std::fs::copy(root.join(xtask::codegen::CRATE_DIR).join(&rel), &spec).expect("copy spec");
    scratch
}

fn clear_generated(crate_dir: &Path) {
    for dir in emit::GENERATED_DIRS {
        let _ = std::fs::remove_dir_all(crate_dir.join(dir));
    }
    for file in emit::GENERATED_FILES {
        let _ = std::fs::remove_file(crate_dir.join(file));
    }
}

fn end_to_end(c: &mut Criterion) {
    let scratch = scratch_root();
    let crate_dir = scratch.join(xtask::codegen::CRATE_DIR);
    let mut group = c.benchmark_group("end_to_end_featurebase");
    group.sample_size(30);
    group.bench_function("xtask_generate_in_process", |b| {
        b.iter_batched(
            || clear_generated(&crate_dir),
            |()| {
                let report = xtask::codegen::run_in(&scratch, xtask::codegen::Mode::Write, None).expect("generates");
                assert!(report.changed.len() == report.files, "every file is written");
                report
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

const SCALES: [usize; 3] = [1, 2, 4];

/// The synthetic spec at `scale`, written by `scripts/synth_spec.py` if it is not there yet.
fn synthetic_spec(scale: usize) -> String {
    let dir = std::env::var_os("SYNTH_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("synth-specs"));
    let path = dir.join(format!("synth-{scale}x.json"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("spec dir");
        let script = featurebase_tests::root().join("scripts/synth_spec.py");
        let status = std::process::Command::new("python3")
            .arg(&script)
            .arg("--scale")
            .arg(scale.to_string())
            .arg("--out")
            .arg(&path)
            .status()
            .expect("python3 runs scripts/synth_spec.py");
        assert!(status.success(), "scripts/synth_spec.py failed");
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn schema_count(text: &str) -> u64 {
    let spec: serde_json::Value = serde_json::from_str(text).expect("synthetic spec is JSON");
    spec["components"]["schemas"].as_object().map_or(0, |s| s.len() as u64)
}

fn synthetic(c: &mut Criterion) {
    let options = options("synthetic.json");
    let specs: Vec<(usize, String)> = SCALES.iter().map(|&s| (s, synthetic_spec(s))).collect();
    let mut group = c.benchmark_group("generator_synthetic");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for (scale, text) in &specs {
        group.throughput(Throughput::Elements(schema_count(text)));
        group.bench_with_input(BenchmarkId::new("generate", format!("{scale}x")), text.as_str(), |b, text| {
            b.iter(|| generator::generate(black_box(text), Format::Json, &options).expect("generates"))
        });
    }
    group.finish();
    for (scale, text) in specs.iter().filter(|(s, _)| *s == 1 || *s == 4) {
        stages(c, &format!("stages_synthetic_{scale}x"), text, &options, 10, false);
    }
}

/// `BENCH_ONLY=<stage> BENCH_SPEC=<featurebase|synth-1x|synth-2x|synth-4x> [BENCH_ITERS=n]`: runs one
/// stage (`generate`, `parse`, `load`, `normalize`, `model` or `emit`) n times on one spec and exits,
/// for profilers and instruction counts. The stage's own function runs only in that loop (its
/// inputs are made by the earlier stages), so
/// `valgrind --tool=callgrind --toggle-collect='generator::emit::emit'` counts exactly n calls.
fn only(stage: &str) {
    let spec = std::env::var("BENCH_SPEC").unwrap_or_else(|_| "featurebase".into());
    let iters: usize = std::env::var("BENCH_ITERS").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let text = match spec.strip_prefix("synth-").and_then(|s| s.strip_suffix('x')) {
        Some(scale) => synthetic_spec(scale.parse().expect("synth-<N>x")),
        None => featurebase_spec().1,
    };
    let options = options("bench.json");
    let needs = |stages: &[&str]| stages.contains(&stage);
    let doc = needs(&["normalize", "model", "emit"]).then(|| load::load_str(&text, Format::Json).expect("loads"));
    let normalized = needs(&["model", "emit"]).then(|| {
        let mut d = doc.clone().expect("loaded");
        normalize::normalize(&mut d).expect("normalizes");
        d
    });
    let api = needs(&["emit"]).then(|| model::build(normalized.as_ref().expect("normalized")).expect("builds"));
    let start = std::time::Instant::now();
    for _ in 0..iters {
        match stage {
            "generate" => drop(black_box(generator::generate(&text, Format::Json, &options).expect("generates"))),
            "parse" => drop(black_box(load::parse_raw(&text, Format::Json).expect("parses"))),
            "load" => drop(black_box(load::load_str(&text, Format::Json).expect("loads"))),
            "normalize" => normalize::normalize(&mut doc.clone().expect("loaded")).expect("normalizes"),
            "model" => drop(black_box(model::build(normalized.as_ref().expect("normalized")).expect("builds"))),
            "emit" => drop(black_box(emit::emit(api.as_ref().expect("built"), &options).expect("emits"))),
            other => panic!("unknown stage {other}"),
        }
    }
    println!("{stage} on {spec}: {:.3?} per run", start.elapsed() / iters.max(1) as u32);
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5)).noise_threshold(0.03);
    targets = featurebase, end_to_end, synthetic
}
fn main() {
    if let Ok(stage) = std::env::var("BENCH_ONLY") {
        return only(&stage);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
