//! A small user program: list every conversation (what the lean-code benchmark builds cold).
use futures_util::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = featurebase::Client::new(std::env::var("FEATUREBASE_API_KEY")?);
    let mut conversations = client.conversations().list().stream();
    while let Some(conversation) = conversations.try_next().await? {
        println!("{} {:?}", conversation.id, conversation.title);
    }
    Ok(())
}
