//! `okpay staging support queue|show|reply|close|approve|reject`: the support desk from the
//! command line, the same actions as the desk's routes (admin token). ID numbers are shown
//! masked.

use crate::output::emit;
use clap::Subcommand;
use okpay_core::api::ApiClient;
use okpay_core::contract::support::{AdminConversationDetail, ChangeRejection, NewMessage};
use okpay_core::{ApiError, Sensitive};

#[derive(Subcommand)]
pub enum Action {
    /// The queue: open first, then waiting for the user, then closed; oldest first,
    /// verified users ahead at equal age.
    Queue {
        /// Only this status (open, waiting_for_user, closed).
        #[arg(long)]
        status: Option<String>,
    },
    /// A conversation with its messages and the user's verification.
    Show { id: String },
    /// Reply as the agent.
    Reply { id: String, text: String },
    /// Close a conversation.
    Close { id: String },
    /// Approve a change of verified details: the user's verification reopens.
    Approve { id: String },
    /// Reject a change of verified details with a reason the user sees.
    Reject { id: String, reason: String },
}

pub async fn run(
    api: &ApiClient,
    admin: &Sensitive<String>,
    action: Action,
    json: bool,
) -> Result<(), ApiError> {
    let detail = match action {
        Action::Queue { status } => {
            let rows = api.desk_queue(admin, status.as_deref()).await?;
            for r in &rows {
                let c = &r.conversation;
                emit(r, json, || {
                    format!(
                        "{}  {:<16?}  {:<20?}  {:<10?}  {}  {}",
                        c.id, c.status, c.topic, r.tier, r.login, c.subject
                    )
                });
            }
            return Ok(());
        }
        Action::Show { id } => api.desk_conversation(admin, &id).await?,
        Action::Reply { id, text } => {
            api.desk_reply(admin, &id, &NewMessage { body: text })
                .await?
        }
        Action::Close { id } => api.desk_close(admin, &id).await?,
        Action::Approve { id } => api.desk_approve_change(admin, &id).await?,
        Action::Reject { id, reason } => {
            api.desk_reject_change(admin, &id, &ChangeRejection { reason })
                .await?
        }
    };
    emit(&detail, json, || text(&detail));
    Ok(())
}

/// A conversation for people: its head, the user's verification, then each message.
fn text(d: &AdminConversationDetail) -> String {
    let c = &d.conversation;
    let v = &d.verification;
    let mut out = format!(
        "{}  {:?}  {:?}  {}\n  user: {} ({:?}; verification {:?}{}{})",
        c.id,
        c.status,
        c.topic,
        c.subject,
        d.login,
        v.tier,
        v.status,
        v.name
            .as_deref()
            .map(|n| format!(", {n}"))
            .unwrap_or_default(),
        v.id_number
            .as_deref()
            .map(|n| format!(", {n}"))
            .unwrap_or_default(),
    );
    if let Some(change) = &c.change_request {
        out.push_str(&format!(
            "\n  change: {:?} → {} {}",
            change.state,
            change.details.name,
            okpay_core::validate::mask_id_number(&change.details.id_number)
        ));
    }
    for m in &d.messages {
        out.push_str(&format!("\n  [{:?}] {}", m.author, m.body));
    }
    out
}
