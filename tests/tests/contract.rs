//! Contract tests: every operation, called through the generated client, against Prism — an
//! independent mock server that validates each request against the spec and answers from it.
//!
//! Static mode answers from the spec; dynamic mode (several seeds) answers with random
//! schema-valid data, so the decoders meet values nobody picked by hand. A request Prism rejects
//! fails the test with Prism's message; a response that does not decode fails it with the JSON
//! path.

use featurebase::{dynamic, Client, RetryPolicy};
use featurebase_tests::instances::Instances;
use featurebase_tests::prism::{binary_or_skip, Prism};
use featurebase_tests::{report, root, spec_json};
use serde_json::{json, Map, Value};

const SEEDS: [&str; 3] = ["1", "2", "3"];

/// The operation's parameters (path-level and its own, `$ref`s resolved) and request body schema.
fn operation<'s>(spec: &'s Value, id: &str) -> (Vec<&'s Value>, Option<&'s Value>) {
    let resolve = |p: &'s Value| match p.get("$ref").and_then(Value::as_str) {
        Some(r) => spec.pointer(r.trim_start_matches('#')).expect("parameter reference resolves"),
        None => p,
    };
    for item in spec["paths"].as_object().unwrap().values() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" || op.get("operationId").and_then(Value::as_str) != Some(id) {
                continue;
            }
            let shared = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
            let own = op.get("parameters").and_then(Value::as_array).into_iter().flatten();
            let params = shared.chain(own).map(resolve).collect();
            let body = op.pointer("/requestBody/content/application~1json/schema");
            return (params, body);
        }
    }
    panic!("no operation {id}");
}

/// Valid arguments for an operation: every parameter (optional ones too, to exercise them) and
/// the body, built from the spec's constraints.
fn arguments(spec: &Value, id: &str, seed: u64) -> Value {
    let (params, body) = operation(spec, id);
    let mut gen = Instances::new(spec, seed);
    let mut args: Map<String, Value> = Map::new();
    for p in params {
        let schema = &p["schema"];
        // `oneOf: [T, array of T]` is taken as a list by the generated method.
        let list = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .find(|m| m.get("type") == Some(&json!("array")));
        let value = gen.instance(list.unwrap_or(schema));
        let location = p["in"].as_str().unwrap().to_owned();
        let entry = args.entry(location).or_insert_with(|| json!({}));
        entry[p["name"].as_str().unwrap()] = value;
    }
    if let Some(schema) = body {
        args.insert("body".into(), gen.instance(schema));
    }
    Value::Object(args)
}

fn client(prism: &Prism) -> Client {
    // Strict: the crate must decode what the spec allows exactly, never by repairing it.
    Client::builder("contract-test-key")
        .base_url(prism.url())
        .retry_policy(RetryPolicy::none())
        .strict(true)
        .build()
        .unwrap()
}

/// What calling every operation once found.
#[derive(Default)]
struct Outcome {
    /// Requests Prism rejected, responses that did not decode, anything else that failed.
    failures: Vec<String>,
    /// Calls where Prism itself failed to make up a response (its own errors, not ours).
    prism_errors: Vec<String>,
}

/// Prism's own failures: a 5xx problem under its errors URL that is either an internal error
/// (`#UNKNOWN`: its faker could not make up a value) or a response it made up that breaks the
/// spec (`#VIOLATIONS` located only in the response). Request violations are never Prism's.
fn is_prism_internal(e: &featurebase::Error) -> bool {
    let Some(api) = e.api_error() else { return false };
    if !api.status.is_server_error() || !api.body.contains("prism/errors#") {
        return false;
    }
    let problem: Value = serde_json::from_str(&api.body).unwrap_or(Value::Null);
    match problem.get("validation").and_then(Value::as_array) {
        Some(violations) => violations.iter().all(|v| v.pointer("/location/0") == Some(&json!("response"))),
        None => true,
    }
}

/// Calls every operation once.
async fn call_all(client: &Client, spec: &Value, seed: u64) -> Outcome {
    let mut outcome = Outcome::default();
    let failures = &mut outcome.failures;
    for (id, method, path) in dynamic::OPERATIONS {
        let args = arguments(spec, id, seed);
        match dynamic::call(client, id, &args).await {
            Ok(response) if response.status.is_success() => {}
            Err(e) if is_prism_internal(&e) => outcome.prism_errors.push(format!("{id}: {e}")),
            Ok(response) => failures.push(format!("{method} {path} ({id}): status {}", response.status)),
            Err(e) => {
                // Prism names what it found wrong with the request in `sl-violations`.
                let body = e
                    .api_error()
                    .map(|a| {
                        let violations = a.headers.get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or("");
                        format!("{} {violations}", a.body)
                    })
                    .unwrap_or_default();
                failures.push(format!("{method} {path} ({id}): {e}\n    args: {args}\n    {body}"));
            }
        }
    }
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_against_prism() {
    let Some(bin) = binary_or_skip("every_operation_against_prism") else { return };
    let spec_path = root().join("spec/featurebase-2026-01-01.nova.json");
    let spec = spec_json();
    // Start the static server and the seeded dynamic ones side by side.
    let starts: Vec<_> = std::iter::once(None)
        .chain(SEEDS.iter().map(|s| Some(*s)))
        .map(|seed| {
            let (bin, spec_path) = (bin.clone(), spec_path.clone());
            std::thread::spawn(move || Prism::start(&bin, &spec_path, seed))
        })
        .collect();
    let servers: Vec<Prism> = starts.into_iter().map(|h| h.join().unwrap().unwrap_or_else(|e| panic!("{e}"))).collect();

    let total = dynamic::OPERATIONS.len();
    assert_eq!(total, 110);
    let outcome = call_all(&client(&servers[0]), &spec, 0).await;
    let failed = outcome.failures.len() + outcome.prism_errors.len();
    report(&format!("contract (Prism, static): operations called {}/{total}", total - failed));
    assert!(
        failed == 0,
        "{failed} of {total} operations failed against Prism:\n{}\n{}",
        outcome.failures.join("\n"),
        outcome.prism_errors.join("\n")
    );

    let mut decoded = 0;
    let mut failures = Vec::new();
    let mut prism_errors = Vec::new();
    for (i, server) in servers[1..].iter().enumerate() {
        let outcome = call_all(&client(server), &spec, i as u64 + 1).await;
        decoded += total - outcome.failures.len() - outcome.prism_errors.len();
        failures.extend(outcome.failures.into_iter().map(|f| format!("seed {}: {f}", SEEDS[i])));
        prism_errors.extend(outcome.prism_errors.into_iter().map(|f| format!("seed {}: {f}", SEEDS[i])));
    }
    report(&format!(
        "contract (Prism, dynamic, {} seeds): {decoded} random responses decoded, {} calls where Prism could not make up a response",
        SEEDS.len(),
        prism_errors.len()
    ));
    for e in &prism_errors {
        report(&format!("  Prism error (not a client failure): {e}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Prism's own failures must stay rare, or the dynamic run checks too little.
    assert!(prism_errors.len() * 10 <= total * SEEDS.len(), "too many Prism errors: {}", prism_errors.len());
}
