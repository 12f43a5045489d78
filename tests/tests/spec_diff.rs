//! `cargo xtask diff`: one pair of small specs per kind of change (`tests/fixtures/diff/<case>/`),
//! each with its classification asserted and its Markdown report snapshotted.

use featurebase_tests::{fixture, root};
use generator::load::Format;
use xtask::diff::{diff, Audience, Direction, Kind, Report, Severity, Spec};

use Severity::{Breaking as B, NonBreaking as NB, PotentiallyBreaking as PB};

const REQ: Option<Direction> = Some(Direction::Request);
const RESP: Option<Direction> = Some(Direction::Response);
const DOC: Option<Direction> = None;

fn spec(case: &str, side: &str) -> Spec {
    let label = format!("{case}/{side}.yaml");
    Spec::parse(&label, &fixture(&format!("diff/{label}")), Format::Yaml).unwrap_or_else(|e| panic!("{e}"))
}

fn report(case: &str) -> Report {
    diff(&spec(case, "old"), &spec(case, "new"))
}

type Class = (Kind, String, Option<Direction>, Severity, Severity);

/// (kind, location, direction, HTTP severity, Rust severity) of every change, sorted.
fn classes(r: &Report) -> Vec<Class> {
    let mut out: Vec<Class> =
        r.changes.iter().map(|c| (c.kind, c.location.clone(), c.direction, c.http.severity, c.rust.severity)).collect();
    out.sort();
    out
}

/// A case: the expected classes, then the Markdown snapshot.
macro_rules! case {
    ($name:ident, $dir:literal, [$(($kind:ident, $loc:literal, $d:expr, $http:expr, $rust:expr)),* $(,)?]) => {
        #[test]
        fn $name() {
            let r = report($dir);
            let mut expected: Vec<Class> = vec![$((Kind::$kind, $loc.to_owned(), $d, $http, $rust)),*];
            expected.sort();
            assert_eq!(classes(&r), expected, "\n{}", r.to_markdown());
            insta::assert_snapshot!(stringify!($name), r.to_markdown());
        }
    };
}

case!(operation_added, "operation-added", [(OperationAdded, "createPet", DOC, NB, NB)]);
case!(operation_removed, "operation-removed", [(OperationRemoved, "deletePet", DOC, B, B)]);
case!(
    operation_renamed,
    "operation-renamed",
    [(OperationIdChanged, "searchPets", DOC, NB, B), (RustMethodChanged, "feedPet", DOC, NB, B)]
);
case!(
    parameter_added,
    "parameter-added",
    [(ParameterAdded, "listPets.header.X-Tenant", REQ, B, B), (ParameterAdded, "listPets.query.limit", REQ, NB, NB)]
);
case!(parameter_removed, "parameter-removed", [(ParameterRemoved, "listPets.query.sort", REQ, PB, B)]);
// The path parameter is renamed too: names of path parameters are not on the wire.
case!(
    parameter_required_changed,
    "parameter-required-changed",
    [
        (ParameterBecameRequired, "listPets.query.status", REQ, B, B),
        (ParameterBecameOptional, "listPets.query.cursor", REQ, NB, B),
    ]
);
case!(
    request_body,
    "request-body",
    [
        (RequestBodyBecameRequired, "createPet.request", REQ, B, B),
        (RequestBodyAdded, "replacePet.request", REQ, B, B),
        (RequestBodyRemoved, "deletePet.request", REQ, PB, B),
    ]
);
case!(
    success_response,
    "success-response",
    [(SuccessStatusChanged, "createPet.response", RESP, PB, NB), (TypeChanged, "archivePet.response", RESP, B, B)]
);
case!(
    property_added,
    "property-added",
    [
        (PropertyAdded, "CreatePet.species", REQ, B, B),
        (PropertyAdded, "CreatePet.nickname", REQ, NB, NB),
        // `PetRequired` gains a field: code that builds a `Pet` (a fixture, a mock) breaks.
        (PropertyAdded, "Pet.createdAt", RESP, NB, B),
    ]
);
case!(
    property_removed,
    "property-removed",
    [
        (PropertyRemoved, "CreatePet.tag", REQ, B, B),
        (PropertyRemoved, "Pet.name", RESP, B, B),
        (PropertyRemoved, "Pet.nickname", RESP, PB, B),
    ]
);
case!(
    property_type_changed,
    "property-type-changed",
    [
        (TypeChanged, "CreatePet.weight", REQ, NB, B),
        (TypeChanged, "Pet.age", RESP, B, B),
        (TypeChanged, "Pet.tags", RESP, B, B),
    ]
);
case!(
    nullability_changed,
    "nullability-changed",
    [
        (BecameNonNullable, "CreatePet.name", REQ, B, B),
        (BecameNullable, "CreatePet.owner", REQ, NB, B),
        (BecameNullable, "Pet.owner", RESP, B, B),
        (BecameNullable, "Pet.nickname", RESP, B, B),
    ]
);
case!(
    property_required_changed,
    "property-required-changed",
    [
        (PropertyBecameRequired, "CreatePet.tag", REQ, B, B),
        (PropertyBecameOptional, "Pet.tag", RESP, B, B),
        // `Option<String>` (required, nullable) -> `Nullable<String>` (optional, nullable).
        (PropertyBecameOptional, "Pet.color", RESP, B, B),
    ]
);
case!(
    limits_format_default,
    "limits-format-default",
    [
        (ConstraintChanged, "CreatePet.name", REQ, B, NB),
        (ConstraintChanged, "CreatePet.pattern", REQ, B, NB),
        // A wider range needs a wider integer: `u8` -> `u16`.
        (ConstraintChanged, "CreatePet.legs", REQ, NB, B),
        (DefaultChanged, "CreatePet.size", REQ, PB, NB),
        (FormatChanged, "Pet.score", RESP, PB, B),
        (FormatChanged, "Pet.born", RESP, PB, NB),
    ]
);
case!(
    additional_properties,
    "additional-properties",
    [(AdditionalPropertiesChanged, "CreatePet", REQ, PB, B), (TypeChanged, "Pet.labels{}", RESP, B, B)]
);
case!(
    enum_value_added,
    "enum-value-added",
    [(EnumValueAdded, "PetStatus", REQ, NB, NB), (EnumValueAdded, "PetStatus", RESP, PB, NB)]
);
case!(
    enum_value_removed,
    "enum-value-removed",
    [(EnumValueRemoved, "PetStatus", REQ, B, B), (EnumValueRemoved, "PetStatus", RESP, NB, B)]
);
case!(union_member_added, "union-member-added", [(UnionMemberAdded, "Pet", RESP, PB, NB)]);
case!(union_member_removed, "union-member-removed", [(UnionMemberRemoved, "Pet", RESP, NB, B)]);
// Two schemas have inline enums that look alike: each is a type of its own, so a value added to
// one of them changes nothing about the other.
case!(look_alike_enums, "look-alike-enums", [(EnumValueAdded, "Ticket.state", RESP, PB, NB)]);
// A new component takes the name an inline enum had (`TicketState`), which then takes the next
// free one: nothing changes on the wire, the Rust type is renamed.
case!(rust_type_renamed, "rust-type-renamed", [(RustTypeRenamed, "Ticket.state", RESP, NB, B)]);
// The `409` response (with its codes) became a `410` one.
case!(
    error_codes,
    "error-codes",
    [
        (ErrorCodeAdded, "ErrorCode", DOC, NB, NB),
        (ErrorCodeRemoved, "ErrorCode", DOC, NB, B),
        (ErrorResponseAdded, "getPet.response.410", RESP, NB, NB),
        (ErrorResponseRemoved, "getPet.response.409", RESP, NB, NB),
    ]
);
// The same API in OpenAPI 3.0 and 3.1 spellings: no change.
case!(openapi_30_vs_31, "openapi-30-vs-31", []);
// `limit` is a single value: `explode` does not change how it is written. `tagIds` spells out
// the defaults.
case!(parameter_style, "parameter-style", [(ParameterStyleChanged, "listPets.query.colors", REQ, PB, NB)]);
// The document's default is reported once for the two operations that use it.
case!(
    security,
    "security",
    [
        (SecurityChanged, "admin.security", REQ, B, B),
        (SecurityChanged, "health.security", REQ, B, NB),
        (SecurityChanged, "security", REQ, NB, NB),
    ]
);
// The client sends what the spec's schemes ask (here an API key header), not only bearer tokens.
case!(security_api_key, "security-api-key", [(SecurityChanged, "listPets.security", REQ, B, NB)]);
case!(
    error_responses,
    "error-responses",
    [
        (ErrorResponseAdded, "getPet.response.429", RESP, NB, NB),
        (ErrorResponseAdded, "getPet.response.default", RESP, NB, NB),
        (ErrorResponseRemoved, "getPet.response.500", RESP, NB, NB),
    ]
);
// `ETag` and `etag` are the same header.
case!(
    response_headers,
    "response-headers",
    [
        (ResponseHeaderAdded, "listPets.response.header.X-RateLimit-Remaining", RESP, NB, NB),
        (ResponseHeaderRemoved, "listPets.response.header.X-Total-Count", RESP, PB, PB),
    ]
);

// OpenAPI 3.1 webhooks: one added, one removed, the signature scheme changed, a payload of its
// own changed (reported at the webhook), and a component that a payload and an operation's
// response share (reported once, with both).
case!(
    webhooks,
    "webhooks",
    [
        (WebhookAdded, "webhooks/note.archived", DOC, NB, NB),
        (WebhookRemoved, "webhooks/note.deleted", DOC, PB, B),
        (WebhookSignatureChanged, "webhook signature", DOC, B, B),
        (PropertyRemoved, "webhooks/folder.shared.sharedWith", RESP, B, B),
        (TypeChanged, "Note.title", RESP, B, B),
    ]
);

/// The webhooks each webhook change reaches, and where.
#[test]
fn webhook_changes_name_the_webhooks_they_reach() {
    let r = report("webhooks");
    let reach = |location: &str| {
        let c = r.changes.iter().find(|c| c.location == location).unwrap();
        let ops: Vec<String> = c.operations.iter().map(|o| o.operation_id.clone()).collect();
        let events: Vec<String> = c.events.iter().map(|e| format!("{} {} {}", e.webhook, e.rust, e.at)).collect();
        (ops, events)
    };
    assert_eq!(
        reach("Note.title"),
        (vec!["getNote".into()], vec!["note.created webhooks::Event::NoteCreated payload.note.title".into()])
    );
    assert_eq!(
        reach("webhooks/folder.shared.sharedWith"),
        (vec![], vec!["folder.shared webhooks::Event::FolderShared payload.sharedWith".into()])
    );
    assert_eq!(reach("webhooks/note.deleted").1, ["note.deleted webhooks::Event::NoteDeleted "]);
    let markdown = r.to_markdown();
    assert!(markdown.contains("\n## Webhooks (5)\n"), "{markdown}");
    // Reversed, the added webhook is a removed one and the other way round.
    let reversed = classes(&diff(&spec("webhooks", "new"), &spec("webhooks", "old")));
    assert!(
        reversed.contains(&(Kind::WebhookRemoved, "webhooks/note.archived".to_owned(), DOC, PB, B)),
        "{reversed:?}"
    );
    assert!(reversed.contains(&(Kind::WebhookAdded, "webhooks/note.deleted".to_owned(), DOC, NB, NB)), "{reversed:?}");
    // The JSON report lists the webhooks a change reaches; changes that reach none say nothing.
    let json = r.to_json();
    assert!(json.contains("\"webhook\": \"folder.shared\""), "{json}");
    assert!(!report("enum-value-added").to_json().contains("\"events\""));
}

/// A change deep in a shared schema (`Pet -> Owner -> Address -> Geo`, with a `Pet <-> Owner`
/// cycle) is one entry per direction, listing each operation that reaches it once.
#[test]
fn deep_shared_schema_change_is_reported_once_with_every_operation() {
    let r = report("shared-schema-deep");
    assert_eq!(
        classes(&r),
        vec![
            (Kind::PropertyAdded, "Geo.accuracy".to_owned(), REQ, B, B),
            (Kind::PropertyAdded, "Geo.accuracy".to_owned(), RESP, NB, B),
        ]
    );
    let reach = |d| {
        let c = r.changes.iter().find(|c| c.direction == d).unwrap();
        c.operations.iter().map(|o| format!("{} {}", o.operation_id, o.at)).collect::<Vec<_>>()
    };
    assert_eq!(reach(REQ), ["createOwner request.address.geo.accuracy"]);
    assert_eq!(
        reach(RESP),
        [
            "listPets response[].owner.address.geo.accuracy",
            "createOwner response.address.geo.accuracy",
            "getOwner response.address.geo.accuracy",
        ]
    );
    insta::assert_snapshot!("shared_schema_deep", r.to_markdown());
}

#[test]
fn json_report() {
    insta::assert_json_snapshot!("enum_value_added_json", report("enum-value-added"));
}

/// Swapping old and new turns additions into removals, with the severities that go with them.
#[test]
fn reversed_pairs_swap_additions_and_removals() {
    let reversed = |case: &str| classes(&diff(&spec(case, "new"), &spec(case, "old")));
    assert_eq!(reversed("operation-added"), [(Kind::OperationRemoved, "createPet".to_owned(), DOC, B, B)]);
    assert_eq!(
        reversed("enum-value-added"),
        [
            (Kind::EnumValueRemoved, "PetStatus".to_owned(), REQ, B, B),
            (Kind::EnumValueRemoved, "PetStatus".to_owned(), RESP, NB, B),
        ]
    );
    assert_eq!(reversed("union-member-added"), [(Kind::UnionMemberRemoved, "Pet".to_owned(), RESP, NB, B)]);
}

#[test]
fn every_spec_compared_with_itself_has_no_changes() {
    let dir = root().join("tests/fixtures/diff");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
    cases.sort();
    assert!(cases.len() >= 20, "{cases:?}");
    for case in cases {
        let case = case.to_string_lossy();
        for side in ["old", "new"] {
            let r = diff(&spec(&case, side), &spec(&case, side));
            assert!(r.changes.is_empty(), "{case}/{side}:\n{}", r.to_markdown());
        }
    }
    let real = root().join("spec/featurebase-2026-01-01.nova.json");
    let real = Spec::load(&real).unwrap();
    let r = diff(&real, &real);
    assert!(r.changes.is_empty(), "{}", r.to_markdown());
    assert!(r.to_markdown().contains("No changes."));
}

#[test]
fn breaking_is_counted_per_audience() {
    let r = report("enum-value-removed");
    assert_eq!((r.summary.http.breaking, r.summary.rust.breaking), (1, 2));
    assert_eq!(r.breaking(Audience::Http).count(), 1);
    assert_eq!(r.breaking(Audience::Rust).count(), 2);
    assert_eq!(r.breaking(Audience::Any).count(), 2);
    let r = report("enum-value-added");
    assert_eq!(r.breaking(Audience::Any).count(), 0);
    // Most severe first.
    let r = report("property-added");
    let order: Vec<Severity> = r.changes.iter().map(|c| c.severity()).collect();
    assert_eq!(order, [B, B, NB]);
    let r = report("response-headers");
    let order: Vec<Severity> = r.changes.iter().map(|c| c.severity()).collect();
    assert_eq!(order, [PB, NB]);
}

#[test]
fn unreadable_specs_are_named_in_the_error() {
    let err = Spec::load(&root().join("tests/fixtures/diff/missing/old.yaml")).unwrap_err();
    assert!(matches!(err, xtask::Error::Io { action: "read", .. }), "{err:?}");
    let err = err.to_string();
    assert!(err.contains("cannot read") && err.contains("missing/old.yaml"), "{err}");
    let err = Spec::parse("broken.yaml", "openapi: 3.1.0\ninfo: [1]\n", Format::Yaml).unwrap_err();
    assert!(matches!(&err, xtask::Error::Spec { label, .. } if label == "broken.yaml"), "{err:?}");
    assert!(err.to_string().starts_with("broken.yaml: "), "{err}");
}
