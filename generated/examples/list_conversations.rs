//! Lists every conversation, following the pagination cursor.
//!
//! `FEATUREBASE_API_KEY=... cargo run -p featurebase --example list_conversations`

use featurebase::types::ConversationState;
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = featurebase::Client::new(std::env::var("FEATUREBASE_API_KEY")?);
    let mut conversations = client.conversations().list().limit(50).stream();
    let mut open = 0;
    while let Some(conversation) = conversations.try_next().await? {
        if conversation.state == ConversationState::Open {
            open += 1;
        }
        println!(
            "{} [{}] {}",
            conversation.id,
            conversation.state,
            conversation.title.as_deref().unwrap_or("(untitled)")
        );
    }
    println!("{open} open");
    Ok(())
}
