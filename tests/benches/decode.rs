//! Decoding and encoding benchmarks of the generated types (see BENCHMARKS.md; `scripts/bench.sh`
//! runs them with the others).
//!
//! The input is built from the spec's own schemas (`Samples`): every property of every
//! schema reached, realistic strings (message bodies of 8-200 words, some with escaped quotes
//! and newlines, ids, timestamps, e-mails...), keys in the order of the API reference's examples
//! (`id`, then the required properties sorted, then the optional ones sorted, which puts
//! `partType` after `bodyHtml`, `bodyMarkdown`, `channel`, `createdAt` and `object`).
//! Before measuring, every part is checked to decode as its own variant with no unknown
//! property and to re-encode to the same JSON.
//!
//! Groups (each compares alternatives on the same bytes):
//!
//! - `conversation_500`: a conversation with 500 parts (all 17 part types, in rotation): the typed
//!   `Conversation` vs `serde_json::Value`, and the typed value through the client's own decode path
//!   (`serde_path_to_error` around `serde_json::Deserializer::from_slice`).
//! - `conversation_list_100`: a `ConversationList` of 100 conversations with 20 parts each, the same three.
//! - `parts_500`: the 500 parts as `Vec<ConversationPart>` (the tagged union) vs the same bytes
//!   decoded straight into each part's own struct, the type of each element being known in advance
//!   (`plain`): the same array, the same struct decoders, no tag to look for. The difference is the
//!   whole cost of the union. `*_tag_first` are the same with `partType` moved to the front.
//! - `encode_create_post`: a `CreatePostBody` with 256 KiB of content, 100 custom fields and 100 tags,
//!   encoded with `serde_json::to_vec`, through the client's `ApiRequest::json_body`, and as the
//!   equivalent `serde_json::Value`.
//! - `encode_conversation_500`: the 500-part conversation re-encoded, typed vs `Value`.
//!
//! - the client's decode now (`runtime::decode::decode`, lenient) against its decode before
//!   lenient decoding existed (`*_client_path`), on the same bytes without a deviation (the fast
//!   path), and on the list with one deviation (`isBlocked` missing in one of 100 conversations).
//! - `each_deviating_list_1000`: 1,000 conversations without parts, each without `isBlocked`,
//!   decoded leniently (one pass repairs them all), against the same list without the deviation.
//! - `conversation_list_100_no_parts`: 100 conversations without parts (what `scripts/compare.sh`
//!   decodes with openapi-generator's client), typed vs `serde_json::Value`.
//!
//! After the criterion groups, a paired run measures each ratio with the two sides alternating
//! (A B B A ...), so that load from other processes hits both sides alike; its medians are printed
//! and, when `$BENCH_RESULTS_DIR` is set, written to `decode-paired.json` there
//! (`PAIRED_ROUNDS=n` sets the number of rounds, 0 leaves it out; `PAIRED_ONLY=a,b` runs only the
//! comparisons named).
//!
//! `BENCH_ONLY=<case> BENCH_ITERS=<n>` runs one case n times and nothing else, for instruction
//! counts (`valgrind --tool=callgrind`) and profilers; the cases are listed in `cases`.

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use featurebase::types::*;
use featurebase::Decoding;
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::hint::black_box;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Sample data from the spec's schemas.

/// A small deterministic generator (xorshift64*), so that every run decodes the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
}

const WORDS: &str = concat!(
    "hello thanks question pricing plan enterprise invoice the a we you our team can could please help ",
    "with export import roadmap feature request bug report page settings billing seats upgrade downgrade ",
    "trial integration slack jira linear webhook api key error login password reset email notification ",
    "widget changelog survey feedback board post comment vote status in progress done today tomorrow café ",
    "naïve résumé ",
);
const FIRST: &[&str] = &["John", "Jane", "Ann", "Omar", "Mei", "Lars", "Priya", "Diego"];
const LAST: &[&str] = &["Doe", "Smith", "Okafor", "Tanaka", "Müller", "Silva", "Kowalski", "Nguyen"];

struct Samples<'s> {
    schemas: &'s Map<String, Value>,
    words: Vec<&'static str>,
    rng: Rng,
}

impl<'s> Samples<'s> {
    fn new(spec: &'s Value) -> Self {
        let schemas = spec["components"]["schemas"].as_object().expect("components.schemas");
        Samples { schemas, words: WORDS.split_whitespace().collect(), rng: Rng(0x9e37_79b9_7f4a_7c15) }
    }

    fn schema(&self, name: &str) -> &'s Value {
        self.schemas.get(name).unwrap_or_else(|| panic!("no schema {name}"))
    }

    fn resolve(&self, mut s: &'s Value) -> &'s Value {
        while let Some(r) = s.get("$ref").and_then(Value::as_str) {
            s = self.schema(r.rsplit('/').next().expect("a ref has a name"));
        }
        s
    }

    fn words(&mut self, lo: u64, hi: u64) -> String {
        let n = self.rng.range(lo, hi);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.words[self.rng.below(self.words.len() as u64) as usize]);
        }
        out
    }

    fn string_for(&mut self, prop: &str) -> String {
        let r = &mut self.rng;
        match prop {
            "bodyHtml" => {
                let mut html = format!("<p>{}</p>", self.words(8, 200));
                if self.rng.below(3) == 0 {
                    html.push_str(&format!(
                        "<p>See <a href=\"https://help.example.com/articles/{}\">this article</a>.</p>",
                        self.rng.below(10_000)
                    ));
                }
                html
            }
            "bodyMarkdown" | "body" => {
                let mut md = self.words(8, 200);
                if self.rng.below(4) == 0 {
                    md.push_str(&format!("\n\n> {}", self.words(3, 20)));
                }
                md
            }
            "email" => format!("{}.{}@example.com", FIRST[r.below(8) as usize], r.below(1000)).to_lowercase(),
            "name" | "tagName" => format!("{} {}", FIRST[r.below(8) as usize], LAST[r.below(8) as usize]),
            "profilePicture" | "url" => format!("https://cdn.example.com/avatars/{:016x}.png", r.next()),
            "userPreferredLanguage" => "en".into(),
            "failureReason" => "smtp_bounce".into(),
            "title" | "subject" | "text" | "remark" | "waitLabel" | "workflowName" => self.words(2, 8),
            p if p == "id" || p.ends_with("Id") => format!("{:012x}{:012x}", r.next() >> 16, r.next() >> 16),
            p if p.ends_with("At") || p.ends_with("Until") || p.ends_with("Since") => format!(
                "2025-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                r.range(1, 12),
                r.range(1, 28),
                r.below(24),
                r.below(60),
                r.below(60),
                r.below(1000)
            ),
            _ => format!("value-{}", r.below(100_000)),
        }
    }

    /// A value of `schema`, for a property named `prop`, with every property present.
    fn value(&mut self, schema: &'s Value, prop: &str, depth: usize) -> Value {
        let s = self.resolve(schema);
        if let Some(c) = s.get("const") {
            return c.clone();
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            return values[self.rng.below(values.len() as u64) as usize].clone();
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            // The spec's `allOf`s wrap one reference (`{"allOf": [{"$ref": ..}]}`) or add properties.
            let mut merged = Map::new();
            for member in all {
                if let Value::Object(fields) = self.value(member, prop, depth) {
                    merged.extend(fields);
                }
            }
            return Value::Object(merged);
        }
        if let Some(members) = s.get("oneOf").or_else(|| s.get("anyOf")).and_then(Value::as_array) {
            let members: Vec<&Value> = members.iter().filter(|m| m.get("type") != Some(&json!("null"))).collect();
            let pick = members[self.rng.below(members.len() as u64) as usize];
            return self.value(pick, prop, depth);
        }
        let (ty, nullable) = match s.get("type") {
            Some(Value::String(t)) => (t.as_str(), false),
            Some(Value::Array(ts)) => (
                ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null"),
                ts.iter().any(|t| t == "null"),
            ),
            _ => ("object", false),
        };
        if nullable && self.rng.below(8) == 0 {
            return Value::Null;
        }
        let bound = |k: &str| s.get(k).and_then(Value::as_u64);
        match ty {
            "object" => self.object(s, depth),
            "array" => {
                let n = if depth > 4 { 0 } else { self.rng.range(1, 3) };
                Value::Array((0..n).map(|_| self.value(&s["items"], prop, depth + 1)).collect())
            }
            "string" => Value::String(self.string_for(prop)),
            "integer" => json!(self.rng.range(bound("minimum").unwrap_or(0), bound("maximum").unwrap_or(500))),
            "number" => {
                let (lo, hi) = (bound("minimum").unwrap_or(0), bound("maximum").unwrap_or(500));
                json!(self.rng.range(lo, hi.saturating_sub(1).max(lo)) as f64 + 0.5)
            }
            "boolean" => json!(self.rng.below(2) == 0),
            _ => Value::Null,
        }
    }

    /// All properties, in the order of the API reference's examples.
    fn object(&mut self, s: &'s Value, depth: usize) -> Value {
        let mut out = Map::new();
        match s.get("properties").and_then(Value::as_object) {
            Some(props) => {
                let required: Vec<&str> = s
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mut names: Vec<&String> = props.keys().collect();
                names.sort_by_key(|n| (n.as_str() != "id", !required.contains(&n.as_str()), n.as_str()));
                for name in names {
                    let v = self.value(&props[name], name, depth + 1);
                    out.insert(name.clone(), v);
                }
            }
            None => {
                // A free-form object (`customAttributes`) or a map.
                out.insert("plan".into(), json!("enterprise"));
                out.insert("seats".into(), json!(self.rng.range(1, 500)));
            }
        }
        Value::Object(out)
    }

    fn named(&mut self, name: &str) -> Value {
        let s = self.schema(name);
        self.value(s, "", 0)
    }

    /// `n` conversation parts, the 17 kinds in rotation starting at `start`.
    fn parts(&mut self, start: usize, n: usize) -> Vec<Value> {
        let tags = ConversationPart::KNOWN_TAGS;
        let mapping = self.schema("ConversationPart")["discriminator"]["mapping"].as_object().expect("mapping");
        (start..start + n)
            .map(|i| {
                let target = mapping[tags[i % tags.len()]].as_str().expect("mapping target");
                self.named(target.rsplit('/').next().expect("ref name"))
            })
            .collect()
    }

    fn conversation(&mut self, parts: Vec<Value>) -> Value {
        let mut convo = self.named("Conversation");
        convo["conversationParts"] = Value::Array(parts);
        convo
    }
}

/// Moves `partType` to the front of every part.
fn tag_first(parts: &[Value]) -> Vec<Value> {
    parts
        .iter()
        .map(|p| {
            let obj = p.as_object().expect("part is an object");
            let mut out = Map::new();
            out.insert("partType".into(), obj["partType"].clone());
            out.extend(obj.iter().filter(|(k, _)| *k != "partType").map(|(k, v)| (k.clone(), v.clone())));
            Value::Object(out)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The parts decoded as their own structs, each element's type known in advance.

macro_rules! part_kinds {
    ($($variant:ident($ty:ident) = $tag:literal,)*) => {
        /// A part decoded without the union: the same structs, chosen by the caller.
        #[allow(dead_code)]
        enum Plain { $($variant($ty),)* }

        #[derive(Clone, Copy)]
        enum Kind { $($variant,)* }

        impl Kind {
            fn of(tag: &str) -> Kind {
                match tag { $($tag => Kind::$variant,)* _ => panic!("unknown part type {tag}") }
            }

            fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Plain, D::Error> {
                match self { $(Kind::$variant => $ty::deserialize(d).map(Plain::$variant),)* }
            }
        }

        /// The number of properties a decoded part did not know (`None`: not a known variant).
        fn unknown_properties(part: &ConversationPart) -> Option<usize> {
            match part { $(ConversationPart::$variant(p) => Some(p.extra.len()),)* _ => None }
        }

        const KIND_COUNT: usize = [$($tag),*].len();
    };
}

part_kinds! {
    UserMessage(UserMessagePart) = "user_msg",
    AdminMessage(AdminMessagePart) = "admin_msg",
    AdminNote(AdminNotePart) = "admin_note",
    EmailMessage(EmailMessagePart) = "email_msg",
    BotMessage(BotMessagePart) = "bot_msg",
    QuickReplyOptions(QuickReplyOptionsPart) = "quick_reply_opts",
    QuickReplyResponse(QuickReplyResponsePart) = "quick_reply_resp",
    RatingRequested(RatingRequestedPart) = "rating_requested",
    RatingSubmitted(RatingSubmittedPart) = "rating_submitted",
    AttributeCollectionPrompt(AttributeCollectionPromptPart) = "attr_prompt",
    AttributeCollectionComplete(AttributeCollectionCompletePart) = "attr_complete",
    Assignment(AssignmentPart) = "assign",
    StatusChange(StatusChangePart) = "status",
    TagUpdate(TagUpdatePart) = "tags",
    WorkflowWait(WorkflowWaitPart) = "workflow_wait",
    PriorityChange(PriorityChangePart) = "priority",
    ParticipantAdded(ParticipantAddedPart) = "part_add",
}

struct KindSeed(Kind);

impl<'de> DeserializeSeed<'de> for KindSeed {
    type Value = Plain;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Plain, D::Error> {
        self.0.decode(d)
    }
}

/// Decodes a JSON array whose element types are `kinds`, in order.
struct Oracle<'a>(&'a [Kind]);

impl<'de> DeserializeSeed<'de> for Oracle<'_> {
    type Value = Vec<Plain>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Plain>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Oracle<'_> {
    type Value = Vec<Plain>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of parts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Plain>, A::Error> {
        // Grown as serde's own `Vec` visitor grows it (serde_json gives no length up front), so
        // that both sides pay the same for the array.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        for &kind in self.0 {
            out.push(seq.next_element_seed(KindSeed(kind))?.expect("as many parts as kinds"));
        }
        Ok(out)
    }
}

fn decode_plain(bytes: &[u8], kinds: &[Kind]) -> Vec<Plain> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parts = Oracle(kinds).deserialize(&mut de).expect("plain parts decode");
    de.end().expect("nothing after the array");
    parts
}

/// The client's decode path (`runtime::client::decode`): `serde_path_to_error` over `from_slice`.
fn decode_like_client<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> T {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).expect("decodes")
}

// ---------------------------------------------------------------------------------------------
// The inputs.

struct Inputs {
    conversation: Vec<u8>,
    list: Vec<u8>,
    /// `list` with one deviation: `isBlocked` left out of the 51st conversation.
    list_one_deviation: Vec<u8>,
    /// 100 conversations without parts (the list `scripts/compare.sh` decodes).
    list_100_no_parts: Vec<u8>,
    /// 1,000 conversations without parts.
    list_1000: Vec<u8>,
    /// `list_1000` with one deviation in every conversation: `isBlocked` left out.
    list_1000_each_deviating: Vec<u8>,
    parts: Vec<u8>,
    parts_tag_first: Vec<u8>,
    kinds: Vec<Kind>,
    post: CreatePostBody,
    post_value: Value,
    conversation_typed: Conversation,
    conversation_value: Value,
}

fn spec() -> Value {
    let root = featurebase_tests::root();
    let rel = xtask::codegen::configured_spec(&root).expect("generated/Cargo.toml names its spec");
    let text = std::fs::read_to_string(root.join("generated").join(rel)).expect("spec readable");
    serde_json::from_str(&text).expect("spec is JSON")
}

/// Checks that `parts` decode as their own variants, with nothing unknown, and re-encode the same.
fn check_parts(parts: &[Value]) {
    for (i, json) in parts.iter().enumerate() {
        let part: ConversationPart =
            serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("part {i} does not decode: {e}\n{json}"));
        assert_eq!(unknown_properties(&part), Some(0), "part {i} has unknown properties or tag: {json}");
        assert_eq!(part.tag(), json["partType"].as_str());
        let again = serde_json::to_value(&part).expect("encodes");
        assert!(featurebase_tests::same_json(&again, json), "part {i} does not round-trip: {json}");
    }
}

fn create_post(samples: &mut Samples<'_>) -> CreatePostBody {
    let mut content = String::with_capacity(300 * 1024);
    while content.len() < 256 * 1024 {
        let words = samples.words(20, 80);
        content.push_str(&format!("<p class=\"para\">{words}</p>\n"));
    }
    let mut custom = serde_json::Map::new();
    for i in 0..100 {
        let v = match i % 4 {
            0 => json!(samples.words(1, 4)),
            1 => json!(i as f64 * 1.5),
            2 => json!(i % 3 == 0),
            _ => json!([samples.words(1, 2), samples.words(1, 2)]),
        };
        custom.insert(format!("field_{i:03}"), v);
    }
    let tags: Vec<String> = (0..100).map(|i| format!("tag-{i}-{}", samples.words(1, 2))).collect();
    let json = json!({
        "title": samples.words(4, 10),
        "content": content,
        "boardId": samples.string_for("id"),
        "tags": tags,
        "commentsEnabled": true,
        "statusId": samples.string_for("id"),
        "author": {"id": samples.string_for("id"), "userId": "u_42", "email": samples.string_for("email"),
                   "name": samples.string_for("name"), "profilePicture": samples.string_for("url")},
        "inReview": null,
        "customFields": custom,
        "eta": samples.string_for("createdAt"),
        "createdAt": samples.string_for("createdAt"),
        "assigneeId": samples.string_for("id"),
        "visibility": "public",
        "upvotes": 12.0,
        "notifyAdmins": false,
        "integrations": {
            "linear": true, "clickup": false, "github": true, "jira": false, "discord": false, "slack": true
        }
    });
    let post: CreatePostBody = serde_json::from_value(json.clone()).expect("CreatePostBody decodes");
    assert!(featurebase_tests::same_json(&serde_json::to_value(&post).expect("encodes"), &json));
    post
}

fn inputs() -> Inputs {
    let spec = spec();
    let mut samples = Samples::new(&spec);

    let parts = samples.parts(0, 500);
    check_parts(&parts);
    let kinds: Vec<Kind> = parts.iter().map(|p| Kind::of(p["partType"].as_str().expect("tag"))).collect();
    assert_eq!(KIND_COUNT, ConversationPart::KNOWN_TAGS.len(), "every part type is benchmarked");
    let conversation = samples.conversation(parts.clone());

    let mut list = samples.named("ConversationList");
    let mut convos = Vec::new();
    for i in 0..100 {
        let parts = samples.parts(i * 20, 20);
        convos.push(samples.conversation(parts));
    }
    list["data"] = Value::Array(convos);

    let conversation_bytes = serde_json::to_vec(&conversation).expect("encodes");
    // Decoded from bytes, as a client would hold them (the layout in memory affects encoding).
    let typed: Conversation = serde_json::from_slice(&conversation_bytes).expect("conversation decodes");
    assert!(typed.extra.is_empty(), "conversation has unknown properties: {:?}", typed.extra.keys());
    let typed_list: ConversationList = serde_json::from_value(list.clone()).expect("list decodes");
    assert_eq!(typed_list.data.len(), 100);
    let mut deviating = list.clone();
    deviating["data"][50].as_object_mut().expect("a conversation").remove("isBlocked").expect("isBlocked");
    let without_parts = |count: usize, samples: &mut Samples<'_>| {
        let mut list = samples.named("ConversationList");
        list["data"] = Value::Array((0..count).map(|_| samples.conversation(Vec::new())).collect());
        list
    };
    let list_100_no_parts = without_parts(100, &mut samples);
    let list_1000 = without_parts(1000, &mut samples);
    let mut each_deviating = list_1000.clone();
    for convo in each_deviating["data"].as_array_mut().expect("a list") {
        convo.as_object_mut().expect("a conversation").remove("isBlocked").expect("isBlocked");
    }
    let post = create_post(&mut samples);
    Inputs {
        conversation_value: serde_json::from_slice(&conversation_bytes).expect("decodes"),
        conversation: conversation_bytes,
        list: serde_json::to_vec(&list).expect("encodes"),
        list_one_deviation: serde_json::to_vec(&deviating).expect("encodes"),
        list_100_no_parts: serde_json::to_vec(&list_100_no_parts).expect("encodes"),
        list_1000: serde_json::to_vec(&list_1000).expect("encodes"),
        list_1000_each_deviating: serde_json::to_vec(&each_deviating).expect("encodes"),
        parts: serde_json::to_vec(&parts).expect("encodes"),
        parts_tag_first: serde_json::to_vec(&tag_first(&parts)).expect("encodes"),
        kinds,
        post_value: serde_json::to_value(&post).expect("encodes"),
        post,
        conversation_typed: typed,
    }
}

// ---------------------------------------------------------------------------------------------
// Criterion groups.

fn decode(c: &mut Criterion) {
    let inp = inputs();
    println!(
        "inputs: conversation {} KiB, list {} KiB, parts {} KiB, create-post body {} KiB",
        inp.conversation.len() / 1024,
        inp.list.len() / 1024,
        inp.parts.len() / 1024,
        serde_json::to_vec(&inp.post).expect("encodes").len() / 1024
    );

    for (group_name, bytes, typed) in [
        ("conversation_500", &inp.conversation, (|b| drop(black_box(decode_typed::<Conversation>(b)))) as fn(&[u8])),
        ("conversation_list_100", &inp.list, |b| drop(black_box(decode_typed::<ConversationList>(b)))),
    ] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("typed", |b| b.iter(|| typed(black_box(bytes))));
        group.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(bytes)).expect("decodes"))
        });
        if group_name == "conversation_500" {
            group.bench_function("typed_client_path", |b| {
                b.iter(|| decode_like_client::<Conversation>(black_box(bytes)))
            });
        } else {
            group.bench_function("typed_client_path", |b| {
                b.iter(|| decode_like_client::<ConversationList>(black_box(bytes)))
            });
        }
        group.finish();
    }

    let mut group = c.benchmark_group("parts_500");
    group.throughput(Throughput::Bytes(inp.parts.len() as u64));
    group.bench_function("union", |b| {
        b.iter(|| serde_json::from_slice::<Vec<ConversationPart>>(black_box(&inp.parts)).expect("decodes"))
    });
    group.bench_function("plain", |b| b.iter(|| decode_plain(black_box(&inp.parts), &inp.kinds)));
    group.bench_function("union_tag_first", |b| {
        b.iter(|| serde_json::from_slice::<Vec<ConversationPart>>(black_box(&inp.parts_tag_first)).expect("decodes"))
    });
    group.bench_function("plain_tag_first", |b| b.iter(|| decode_plain(black_box(&inp.parts_tag_first), &inp.kinds)));
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&inp.parts)).expect("decodes"))
    });
    group.finish();

    let post_len = serde_json::to_vec(&inp.post).expect("encodes").len();
    let mut group = c.benchmark_group("encode_create_post");
    group.throughput(Throughput::Bytes(post_len as u64));
    group.bench_function("typed", |b| b.iter(|| serde_json::to_vec(black_box(&inp.post)).expect("encodes")));
    group.bench_function("typed_client_path", |b| {
        b.iter_batched(
            || featurebase::ApiRequest::new(featurebase::Method::POST, "/v2/posts", "createPost"),
            |req| req.json_body(black_box(&inp.post)).expect("encodes"),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("value", |b| b.iter(|| serde_json::to_vec(black_box(&inp.post_value)).expect("encodes")));
    group.finish();

    let mut group = c.benchmark_group("encode_conversation_500");
    group.throughput(Throughput::Bytes(inp.conversation.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::to_vec(black_box(&inp.conversation_typed)).expect("encodes"))
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::to_vec(black_box(&inp.conversation_value)).expect("encodes"))
    });
    group.finish();
}

fn decode_typed<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> T {
    serde_json::from_slice(bytes).expect("decodes")
}

/// The client's decode as it is now (`runtime::decode::decode`): strict first, a lenient second
/// pass only when that fails.
fn decode_lenient<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> (T, usize) {
    let (value, deviations) =
        featurebase::runtime::decode::decode::<T>("bench", featurebase::StatusCode::OK, bytes, Decoding::Lenient)
            .expect("decodes");
    (value, deviations.len())
}

// ---------------------------------------------------------------------------------------------
// Paired ratios.

/// Median time of `a` and of `b` and the median of the per-round ratios a/b, the two run in
/// alternation (A B, then B A) for `rounds` rounds of `batch` calls each.
fn paired(rounds: usize, batch: usize, a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> (Duration, Duration, f64) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        start.elapsed() / batch as u32
    };
    for _ in 0..3 {
        time(a);
        time(b);
    }
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (x, y) = if round % 2 == 0 {
            let x = time(a);
            (x, time(b))
        } else {
            let y = time(b);
            (time(a), y)
        };
        ta.push(x);
        tb.push(y);
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    ratios.sort_by(f64::total_cmp);
    (median(&mut ta), median(&mut tb), ratios[ratios.len() / 2])
}

/// A measured operation and its name.
type Case<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// Every measured operation by name, for the paired run and for `BENCH_ONLY`.
fn cases(inp: &Inputs) -> Vec<Case<'_>> {
    vec![
        ("conversation_typed", Box::new(|| drop(black_box(decode_typed::<Conversation>(&inp.conversation))))),
        ("conversation_value", Box::new(|| drop(black_box(decode_typed::<Value>(&inp.conversation))))),
        (
            "conversation_client_path",
            Box::new(|| drop(black_box(decode_like_client::<Conversation>(&inp.conversation)))),
        ),
        ("list_typed", Box::new(|| drop(black_box(decode_typed::<ConversationList>(&inp.list))))),
        ("list_client_path", Box::new(|| drop(black_box(decode_like_client::<ConversationList>(&inp.list))))),
        ("conversation_lenient", Box::new(|| drop(black_box(decode_lenient::<Conversation>(&inp.conversation))))),
        ("list_lenient", Box::new(|| drop(black_box(decode_lenient::<ConversationList>(&inp.list))))),
        (
            "list_one_deviation_lenient",
            Box::new(|| assert_eq!(black_box(decode_lenient::<ConversationList>(&inp.list_one_deviation)).1, 1)),
        ),
        ("list_value", Box::new(|| drop(black_box(decode_typed::<Value>(&inp.list))))),
        (
            "list_100_no_parts_typed",
            Box::new(|| drop(black_box(decode_typed::<ConversationList>(&inp.list_100_no_parts)))),
        ),
        ("list_100_no_parts_value", Box::new(|| drop(black_box(decode_typed::<Value>(&inp.list_100_no_parts))))),
        (
            "list_1000_lenient",
            Box::new(|| assert_eq!(black_box(decode_lenient::<ConversationList>(&inp.list_1000)).1, 0)),
        ),
        (
            "list_1000_each_deviating_lenient",
            Box::new(|| {
                assert_eq!(black_box(decode_lenient::<ConversationList>(&inp.list_1000_each_deviating)).1, 1000)
            }),
        ),
        ("parts_union", Box::new(|| drop(black_box(decode_typed::<Vec<ConversationPart>>(&inp.parts))))),
        ("parts_plain", Box::new(|| drop(black_box(decode_plain(&inp.parts, &inp.kinds))))),
        (
            "parts_union_tag_first",
            Box::new(|| drop(black_box(decode_typed::<Vec<ConversationPart>>(&inp.parts_tag_first)))),
        ),
        ("parts_plain_tag_first", Box::new(|| drop(black_box(decode_plain(&inp.parts_tag_first, &inp.kinds))))),
        ("encode_post_typed", Box::new(|| drop(black_box(serde_json::to_vec(&inp.post).expect("encodes"))))),
        ("encode_post_value", Box::new(|| drop(black_box(serde_json::to_vec(&inp.post_value).expect("encodes"))))),
        (
            "encode_conversation_typed",
            Box::new(|| drop(black_box(serde_json::to_vec(&inp.conversation_typed).expect("encodes")))),
        ),
        (
            "encode_conversation_value",
            Box::new(|| drop(black_box(serde_json::to_vec(&inp.conversation_value).expect("encodes")))),
        ),
    ]
}

/// The ratios the paired run reports: (name, a, b, what the ratio a/b should be).
const COMPARISONS: &[(&str, &str, &str, &str)] = &[
    ("conversation_500", "conversation_typed", "conversation_value", "typed/value <= 1.0"),
    ("conversation_list_100", "list_typed", "list_value", "typed/value <= 1.0"),
    ("parts_500", "parts_union", "parts_plain", "union/plain <= 1.3"),
    ("parts_500_tag_first", "parts_union_tag_first", "parts_plain_tag_first", "information"),
    ("conversation_500_client_path", "conversation_client_path", "conversation_typed", "information"),
    // The lenient client's fast path against the decode the client made before it had one.
    ("fast_path_conversation_500", "conversation_lenient", "conversation_client_path", "lenient/before <= 1.05"),
    ("fast_path_list_100", "list_lenient", "list_client_path", "lenient/before <= 1.05"),
    ("one_deviation_list_100", "list_one_deviation_lenient", "list_client_path", "information"),
    // One pass: a deviation in every one of 1,000 conversations against the clean list.
    ("each_deviating_list_1000", "list_1000_each_deviating_lenient", "list_1000_lenient", "deviating/clean <= 3"),
    ("conversation_list_100_no_parts", "list_100_no_parts_typed", "list_100_no_parts_value", "typed/value <= 0.5"),
    ("encode_create_post", "encode_post_typed", "encode_post_value", "information"),
    ("encode_conversation_500", "encode_conversation_typed", "encode_conversation_value", "information"),
];

fn paired_ratios(rounds: usize) {
    let inp = inputs();
    let mut cases = cases(&inp);
    let mut results = Vec::new();
    // `PAIRED_ONLY=name,name`: only these comparisons.
    let only = std::env::var("PAIRED_ONLY").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|list| list.split(',').any(|n| n == name));
    for (name, a, b, target) in COMPARISONS.iter().filter(|(name, ..)| wanted(name)) {
        let ia = cases.iter().position(|(n, _)| n == a).expect("case a");
        let ib = cases.iter().position(|(n, _)| n == b).expect("case b");
        // Two distinct elements of `cases`, mutably.
        let (fa, fb) = if ia < ib {
            let (left, right) = cases.split_at_mut(ib);
            (&mut left[ia].1, &mut right[0].1)
        } else {
            let (left, right) = cases.split_at_mut(ia);
            (&mut right[0].1, &mut left[ib].1)
        };
        // The list is five times the work of the others: fewer rounds keep the run short.
        let rounds = if name.contains("list") { rounds.div_ceil(4) } else { rounds };
        let (ta, tb, ratio) = paired(rounds, 1, fa, fb);
        println!("paired {name}: {a} {ta:.2?}, {b} {tb:.2?}, ratio {ratio:.3} ({target})");
        results.push(json!({
            "name": name, "a": a, "b": b, "a_ns": ta.as_nanos() as u64, "b_ns": tb.as_nanos() as u64,
            "ratio": ratio, "target": target, "rounds": rounds,
        }));
    }
    if let Some(dir) = std::env::var_os("BENCH_RESULTS_DIR") {
        let path = std::path::Path::new(&dir).join("decode-paired.json");
        std::fs::create_dir_all(&dir).expect("results dir");
        std::fs::write(&path, serde_json::to_string_pretty(&results).expect("encodes")).expect("write results");
        println!("paired results written to {}", path.display());
    }
}

/// `BENCH_ONLY=<case> BENCH_ITERS=<n>`: builds the inputs, runs one case n times and exits, for
/// counting instructions (`perf stat`, `valgrind --tool=callgrind`) without timing noise;
/// `scripts/bench.sh` subtracts a run with n = 0.
fn only(case: &str, iters: usize) {
    let inp = inputs();
    let mut cases = cases(&inp);
    let (_, f) = cases.iter_mut().find(|(n, _)| *n == case).unwrap_or_else(|| panic!("no case {case}"));
    for _ in 0..iters {
        f();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).noise_threshold(0.03);
    targets = decode
}

fn main() {
    if let Ok(case) = std::env::var("BENCH_ONLY") {
        let iters = std::env::var("BENCH_ITERS").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
        return only(&case, iters);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (then each benchmark ran once).
    // `PAIRED_ROUNDS=0` leaves the paired run out.
    let benching = std::env::args().any(|a| a == "--bench");
    let rounds = match std::env::var("PAIRED_ROUNDS").ok().and_then(|r| r.parse().ok()) {
        Some(r) => r,
        None if benching => 201,
        None => 3,
    };
    if rounds > 0 {
        paired_ratios(rounds);
    }
}
