//! The `featurebase` crate beside the crate openapi-generator (`-g rust`) writes from the same
//! spec, in one run (see `scripts/compare.sh`, which builds this harness against both): what
//! each decodes of the API reference's real responses, of a response from a newer API version
//! and of a response that deviates from the spec the way servers do, and how fast each decodes
//! a list both can decode. Prints a Markdown table.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn seed(name: &str) -> String {
    let path = format!("{}/tests/fixtures/seeds/{name}", env!("REPO_ROOT"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `Ok` when `json` decodes as `T` and encodes again to the same JSON (numbers by value),
/// else what went wrong.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<(), String> {
    let value: T = serde_json::from_str(json).map_err(|e| short(&e.to_string()))?;
    let again = serde_json::to_value(&value).map_err(|e| e.to_string())?;
    let original: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if same(&original, &again) {
        Ok(())
    } else {
        Err("decodes, but re-encodes to different JSON (data lost or changed)".into())
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn short(message: &str) -> String {
    message.chars().take(110).collect()
}

/// `featurebase`'s client decode (lenient, the default): data, and the deviations reported.
fn ours_lenient<T: serde::de::DeserializeOwned>(json: &str) -> Result<usize, String> {
    featurebase::runtime::decode::decode::<T>("compare", featurebase::StatusCode::OK, json.as_bytes(), featurebase::Decoding::Lenient)
        .map(|(_, deviations)| deviations.len())
        .map_err(|e| short(&e.to_string()))
}

fn verdict(r: &Result<(), String>) -> String {
    match r {
        Ok(()) => "decodes, re-encodes equal".into(),
        Err(e) => format!("fails: {e}"),
    }
}

/// A response from a newer API version: an unknown part type, an unknown state, a new property.
fn newer_version(list: &Value) -> Value {
    let mut newer = list.clone();
    let convo = &mut newer["data"][0];
    convo["state"] = json!("escalated");
    convo["sentiment"] = json!({"label": "happy"});
    let parts = convo["conversationParts"].as_array_mut().expect("the seed list has parts");
    let mut part = parts[0].clone();
    part["partType"] = json!("voice_call");
    part["durationSeconds"] = json!(42);
    parts.push(part);
    newer
}

/// Median time of `a` and of `b` and the median ratio a/b, alternating.
fn paired(rounds: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration, f64) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    for _ in 0..3 {
        time(&mut a);
        time(&mut b);
    }
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (x, y) = if round % 2 == 0 {
            let x = time(&mut a);
            (x, time(&mut b))
        } else {
            let y = time(&mut b);
            (time(&mut a), y)
        };
        ta.push(x);
        tb.push(y);
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
    }
    ta.sort();
    tb.sort();
    ratios.sort_by(f64::total_cmp);
    (ta[rounds / 2], tb[rounds / 2], ratios[rounds / 2])
}

fn main() {
    use featurebase::types as ours;
    use featurebase_oag::models as theirs;

    let list = seed("list_conversations_response.json");
    let list_value: Value = serde_json::from_str(&list).expect("the seed is JSON");
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |what: &str, a: String, b: String| rows.push((what.to_owned(), a, b));

    row(
        "reference: list conversations response",
        verdict(&round_trip::<ours::ConversationList>(&list)),
        verdict(&round_trip::<theirs::ConversationList>(&list)),
    );
    let created = seed("create_conversation_response.json");
    row(
        "reference: create conversation response",
        verdict(&round_trip::<ours::Conversation>(&created)),
        verdict(&round_trip::<theirs::Conversation>(&created)),
    );
    for file in [
        "create_conversation_request_contact.json",
        "create_conversation_request_admin_in_app.json",
        "create_conversation_request_admin_email.json",
    ] {
        let body = seed(file);
        row(
            &format!("reference: request `{file}`"),
            verdict(&round_trip::<ours::CreateConversationBody>(&body)),
            verdict(&round_trip::<theirs::CreateConversationBody>(&body)),
        );
    }
    let newer = newer_version(&list_value).to_string();
    row(
        "newer API version (unknown part type and state, new property)",
        verdict(&round_trip::<ours::ConversationList>(&newer)),
        verdict(&round_trip::<theirs::ConversationList>(&newer)),
    );
    // A server that leaves out a required property in one conversation of the list.
    let mut deviating = list_value.clone();
    deviating["data"][0].as_object_mut().expect("a conversation").remove("isBlocked");
    let deviating = deviating.to_string();
    row(
        "a required property missing in one conversation (client decode)",
        match ours_lenient::<ours::ConversationList>(&deviating) {
            Ok(n) => format!("decodes, {n} deviation reported"),
            Err(e) => format!("fails: {e}"),
        },
        match serde_json::from_str::<theirs::ConversationList>(&deviating) {
            Ok(_) => "decodes".into(),
            Err(e) => format!("fails: {}", short(&e.to_string())),
        },
    );

    // Speed, on a list both decode: 100 conversations of the reference without their parts.
    let mut convo = list_value["data"][0].clone();
    convo.as_object_mut().expect("a conversation").remove("conversationParts");
    let data: Vec<Value> = (0..100)
        .map(|i| {
            let mut c = convo.clone();
            c["id"] = json!(format!("{i}"));
            c
        })
        .collect();
    let bytes = serde_json::to_vec(&json!({"object": "list", "data": data, "nextCursor": null})).expect("encodes");
    assert!(serde_json::from_slice::<theirs::ConversationList>(&bytes).is_ok(), "theirs must decode the speed input");
    let (ta, tb, ratio) = paired(
        401,
        || {
            std::hint::black_box(
                featurebase::runtime::decode::decode::<ours::ConversationList>(
                    "compare",
                    featurebase::StatusCode::OK,
                    std::hint::black_box(&bytes),
                    featurebase::Decoding::Lenient,
                )
                .expect("decodes"),
            );
        },
        || {
            std::hint::black_box(serde_json::from_slice::<theirs::ConversationList>(std::hint::black_box(&bytes)).expect("decodes"));
        },
    );
    row(
        &format!("decode 100 conversations without parts ({} KiB), paired median", bytes.len() / 1024),
        format!("{ta:.2?} (the client's decode: a plain `from_slice`, lenient only on failure)"),
        format!("{tb:.2?} (`serde_json::from_slice`); ours/theirs **{ratio:.2}**"),
    );

    println!("| | `featurebase` (this project) | openapi-generator `-g rust` |\n|---|---|---|");
    for (what, a, b) in rows {
        println!("| {what} | {a} | {} |", b.replace('|', "\\|"));
    }
}
