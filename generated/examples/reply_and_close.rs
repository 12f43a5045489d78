//! Replies to a conversation as an admin, then closes it.
//!
//! `FEATUREBASE_API_KEY=... CONVERSATION_ID=... ADMIN_ID=... cargo run -p featurebase --example reply_and_close`

use featurebase::types::{
    AdminReplyBody, AdminReplyBodyMessageType, ReplyToConversationBody, UpdateConversationBody,
    UpdateConversationBodyState,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = featurebase::Client::new(std::env::var("FEATUREBASE_API_KEY")?);
    let id = std::env::var("CONVERSATION_ID")?;
    let admin = std::env::var("ADMIN_ID")?;

    let reply = AdminReplyBody::new(
        admin.clone(),
        "Thanks, this is fixed in the latest release.",
        AdminReplyBodyMessageType::Reply,
    );
    let part = client.conversations().reply(id.clone(), ReplyToConversationBody::Admin(reply)).await?;
    println!("replied: {part:?}");

    let mut close = UpdateConversationBody::default();
    close.acting_admin_id = Some(admin);
    close.state = Some(UpdateConversationBodyState::Closed);
    let conversation = client.conversations().update(id, close).await?;
    println!("{} is now {}", conversation.id, conversation.state);
    Ok(())
}
