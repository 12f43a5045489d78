//! Replies to a conversation as an admin, then closes it.
//!
//! `FEATUREBASE_API_KEY=... CONVERSATION_ID=... ADMIN_ID=... cargo run -p featurebase --example reply_and_close`

use featurebase::types::{
    AdminReplyBody, AdminReplyBodyMessageType, AdminReplyBodyRequired, ReplyToConversationBody, UpdateConversationBody,
    UpdateConversationBodyState,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = featurebase::Client::new(std::env::var("FEATUREBASE_API_KEY")?);
    let id = std::env::var("CONVERSATION_ID")?;
    let admin = std::env::var("ADMIN_ID")?;

    let reply = AdminReplyBody::new(AdminReplyBodyRequired {
        id: admin.clone(),
        body_markdown: "Thanks, this is fixed in the latest release.".into(),
        message_type: AdminReplyBodyMessageType::Reply,
    });
    let part = client.conversations().reply(id.clone(), ReplyToConversationBody::Admin(reply)).await?;
    println!("replied: {part:?}");

    let close =
        UpdateConversationBody::default().with_acting_admin_id(admin).with_state(UpdateConversationBodyState::Closed);
    let conversation = client.conversations().update(id, close).await?;
    println!("{} is now {}", conversation.id, conversation.state);
    Ok(())
}
