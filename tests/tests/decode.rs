//! The generated types against real data: the reference's full examples decode and re-encode to
//! the same JSON, and data from a newer API version (unknown tags, values and fields) decodes
//! without loss.

use featurebase::types::*;
use featurebase::Nullable;
use featurebase_tests::{fixture, round_trip, same_json};
use serde_json::json;

#[test]
fn create_conversation_response_round_trips() {
    let c: Conversation = round_trip(&fixture("seeds/create_conversation_response.json"));
    assert_eq!(c.id, "12345");
    assert_eq!(c.state, ConversationState::Open);
    assert!(!c.conversation_parts.as_ref().expect("parts").is_empty());
}

#[test]
fn list_conversations_response_round_trips() {
    let list: ConversationList = round_trip(&fixture("seeds/list_conversations_response.json"));
    assert_eq!(list.next_cursor.as_deref(), Some("eyJpZCI6IjEyMzQ1In0="));
    let parts = list.data[0].conversation_parts.as_ref().expect("parts");
    assert!(matches!(parts[0], ConversationPart::UserMessage(_)), "{:?}", parts[0]);
}

#[test]
fn create_conversation_requests_round_trip() {
    let contact: CreateConversationBody = round_trip(&fixture("seeds/create_conversation_request_contact.json"));
    assert!(matches!(contact.from, ConversationFrom::Contact(_)));
    for file in
        ["seeds/create_conversation_request_admin_in_app.json", "seeds/create_conversation_request_admin_email.json"]
    {
        let admin: CreateConversationBody = round_trip(&fixture(file));
        assert!(matches!(admin.from, ConversationFrom::Admin(_)));
        assert!(admin.recipients.is_some());
    }
}

/// The list response as a newer API version might send it: a part type, an enum value and
/// fields this crate does not know.
fn newer_version_list() -> serde_json::Value {
    let mut list: serde_json::Value = serde_json::from_str(&fixture("seeds/list_conversations_response.json")).unwrap();
    let convo = &mut list["data"][0];
    convo["state"] = json!("escalated");
    convo["sentiment"] = json!({"score": 0.8, "label": "happy"});
    convo["source"]["channel"] = json!("carrier_pigeon");
    let parts = convo["conversationParts"].as_array_mut().unwrap();
    parts[0]["reactions"] = json!([{"emoji": "+1", "count": 2}]);
    parts.push(json!({
        "object": "conversation_part",
        "id": "part_999",
        "createdAt": "2026-02-01T00:00:00.000Z",
        "partType": "voice_call",
        "durationSeconds": 42,
        "recordingUrl": "https://example.com/r.mp3"
    }));
    list["pageInfo"] = json!({"total": 1});
    list
}

#[test]
fn newer_api_version_decodes_without_loss() {
    let newer = newer_version_list();
    let list: ConversationList = round_trip(&newer.to_string());
    let convo = &list.data[0];
    assert_eq!(convo.state, ConversationState::Unknown("escalated".into()));
    assert!(!convo.state.is_known());
    assert_eq!(convo.source.as_ref().unwrap().channel, MessageSourceChannel::UnknownValue("carrier_pigeon".into()));
    assert_eq!(convo.extra["sentiment"]["label"], "happy");
    assert_eq!(list.extra["pageInfo"]["total"], 1);
    let parts = convo.conversation_parts.as_ref().unwrap();
    let ConversationPart::UserMessage(first) = &parts[0] else { panic!("{:?}", parts[0]) };
    assert_eq!(first.extra["reactions"][0]["count"], 2);
    let ConversationPart::Unknown(raw) = &parts[1] else { panic!("{:?}", parts[1]) };
    assert_eq!(raw["durationSeconds"], 42);
    assert_eq!(parts[1].tag(), Some("voice_call"));
    assert!(same_json(&serde_json::to_value(&list).unwrap(), &newer));
}

#[test]
fn every_part_type_decodes_into_its_variant() {
    let author = json!({"type": "admin", "id": "a1", "name": "Ann"});
    let base = |part_type: &str| json!({"object": "conversation_part", "id": "p", "createdAt": "t", "updatedAt": "t", "partType": part_type, "author": author});
    let known = ConversationPart::KNOWN_TAGS;
    assert_eq!(known.len(), 17);
    for tag in known {
        let value = base(tag);
        // Parts with more required fields fail here, but inside their variant (a missing
        // field), never by falling back to Unknown.
        match serde_json::from_value::<ConversationPart>(value) {
            Ok(part) => {
                assert_eq!(part.tag(), Some(*tag));
                assert!(!matches!(part, ConversationPart::Unknown(_)), "{tag} decoded as Unknown");
            }
            Err(e) => assert!(e.to_string().contains("missing field"), "{tag}: {e}"),
        }
    }
}

#[test]
fn board_icon_tag_is_inferred_from_the_type_constant() {
    let icon: BoardIcon = round_trip(r#"{"type": "url", "value": "https://example.com/i.png"}"#);
    assert!(matches!(icon, BoardIcon::Url(ref u) if u.value.ends_with("i.png")));
    let unknown: BoardIcon = round_trip(r#"{"type": "sticker", "value": "cat"}"#);
    assert!(matches!(unknown, BoardIcon::Unknown(_)));
}

#[test]
fn tri_state_fields_distinguish_absent_null_and_value() {
    let mut clear = UpdateConversationBody::default();
    clear.snoozed_until = Nullable::Null;
    assert_eq!(serde_json::to_value(&clear).unwrap(), json!({"snoozedUntil": null}));
    let untouched = UpdateConversationBody::default();
    assert_eq!(serde_json::to_value(&untouched).unwrap(), json!({}));
    let mut set = UpdateConversationBody::default();
    set.snoozed_until = Nullable::Value("2026-01-02T00:00:00Z".into());
    assert_eq!(serde_json::to_value(&set).unwrap(), json!({"snoozedUntil": "2026-01-02T00:00:00Z"}));
    let decoded: UpdateConversationBody = round_trip(r#"{"adminAssigneeId": null, "title": "x"}"#);
    assert_eq!(decoded.admin_assignee_id, Nullable::Null);
    assert_eq!(decoded.snoozed_until, Nullable::Absent);
}

#[test]
fn constants_are_filled_in_by_default() {
    let mut reply = ContactReplyBody::default();
    reply.body_markdown = "Hi".into();
    assert_eq!(
        serde_json::to_value(ReplyToConversationBody::Contact(reply)).unwrap(),
        json!({"type": "contact", "bodyMarkdown": "Hi", "messageType": "reply"})
    );
}
