//! Starts a conversation as a contact, and an email outreach as an admin.
//!
//! `FEATUREBASE_API_KEY=... CONTACT_ID=... ADMIN_ID=... cargo run -p featurebase --example create_conversations`

use featurebase::types::{
    ConversationFrom, ConversationFromAdmin, ConversationFromContact, CreateConversationBody,
    CreateConversationBodyChannel, CreateConversationBodyRequired, EmailRecipients, OutreachRecipients,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = featurebase::Client::new(std::env::var("FEATUREBASE_API_KEY")?);

    // A customer asks a question.
    let from = ConversationFrom::Contact(ConversationFromContact::new(std::env::var("CONTACT_ID")?));
    let question = CreateConversationBody::new(CreateConversationBodyRequired {
        from,
        body_markdown: "Hello, I have a question about your product.".into(),
    });
    let conversation = client.conversations().create(question).await?;
    println!("contact-initiated: {}", conversation.id);

    // An admin writes to a customer by email.
    let from = ConversationFrom::Admin(ConversationFromAdmin::new(std::env::var("ADMIN_ID")?));
    // Types are built with `new` (the required fields, named in a `...Required` struct when
    // there are several) or `default()`, then `with_*` for the optional fields, so a field that
    // a later API version adds does not break this code.
    let to = EmailRecipients::default().with_emails(vec!["john@example.com".into()]);
    let outreach = CreateConversationBody::new(CreateConversationBodyRequired {
        from,
        body_markdown: "Hi! Just following up on your inquiry.".into(),
    })
    .with_channel(CreateConversationBodyChannel::Email)
    .with_subject("Following up on your inquiry")
    .with_recipients(OutreachRecipients::new(to));
    let conversation = client.conversations().create(outreach).await?;
    println!("admin-initiated (email): {}", conversation.id);
    Ok(())
}
