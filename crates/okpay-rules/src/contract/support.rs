//! Wire types of `/v1/support` (conversations with the support desk, change-of-details
//! requests, appeals) and `/v1/admin/support` (the desk's queue), and the text caps both
//! sides check. A change-of-details request carries [`PersonalInfo`], checked by the same
//! field rules as the verification (`validate::personal`).

use super::{PersonalInfo, Tier, VerificationStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 120;
/// Longest message body, in characters.
pub const MAX_BODY_CHARS: usize = 2000;
/// Conversations one user may have open (not `closed`) at a time.
pub const MAX_OPEN_CONVERSATIONS: u32 = 5;
/// Messages one user may send per [`MESSAGE_WINDOW_SECS`] (new conversations included).
pub const MAX_MESSAGES_PER_WINDOW: u32 = 30;
/// The window of [`MAX_MESSAGES_PER_WINDOW`], in seconds.
pub const MESSAGE_WINDOW_SECS: u64 = 600;
/// Longest long-poll wait the server accepts on `GET /v1/support/updates?wait=`.
pub const MAX_UPDATES_WAIT_SECS: u64 = 30;

/// What a conversation is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum SupportTopic {
    VerificationProblem,
    /// Change my verified details: carries a [`ChangeRequest`].
    ChangeDetails,
    /// A question about (an appeal of) a rejection: linked to the rejected application.
    RejectionQuestion,
    Other,
}

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// Waiting for the desk.
    Open,
    /// The desk answered: waiting for the user.
    WaitingForUser,
    Closed,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    User,
    Agent,
}

/// Where a change-of-details request stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeRequestState {
    Pending,
    /// The verification was reopened for the new details.
    Approved,
    Rejected,
}

/// A change-of-details request as the server reports it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct ChangeRequest {
    pub state: ChangeRequestState,
    /// The new details, normalised.
    pub details: PersonalInfo,
    /// The agent's reason, when rejected.
    pub reason: Option<String>,
    /// Unix seconds.
    pub decided_at: Option<i64>,
}

/// A conversation, without its messages.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct Conversation {
    pub id: String,
    pub topic: SupportTopic,
    pub status: ConversationStatus,
    pub subject: String,
    /// The verification application this conversation is about, if linked.
    pub application_id: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
    /// The agent's messages the user has not marked read.
    pub unread: u32,
    /// The start of the last message (at most 100 characters).
    pub last_message: Option<String>,
    /// Present for the `change_details` topic.
    pub change_request: Option<ChangeRequest>,
    /// Increases on every change; `GET /v1/support/updates` waits for one above the caller's.
    pub seq: u64,
}

/// One message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct Message {
    pub id: String,
    pub author: MessageAuthor,
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// `GET /v1/support/conversations/{id}`: a conversation with its messages, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct ConversationDetail {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

/// `POST /v1/support/conversations` body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct NewConversation {
    pub topic: SupportTopic,
    pub subject: String,
    /// The first message (an appeal's is prefilled by the app with the reasons shown).
    pub body: String,
    /// Required for `rejection_question` (a rejected application of the user's).
    #[serde(default)]
    pub application_id: Option<String>,
    /// Required for `change_details`, refused for the other topics.
    #[serde(default)]
    pub change: Option<PersonalInfo>,
}

/// `POST …/messages` body (the user's and the agent's).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct NewMessage {
    pub body: String,
}

/// `GET /v1/support/updates[?after=SEQ&wait=SECS]`: the conversations changed after `after`
/// (all without it), and the highest `seq` of the user's conversations.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct SupportUpdates {
    pub seq: u64,
    pub conversations: Vec<Conversation>,
}

/// `POST /v1/admin/support/conversations/{id}/change/reject` body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChangeRejection {
    pub reason: String,
}

/// One row of the desk's queue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct QueueEntry {
    pub conversation: Conversation,
    pub login: String,
    pub tier: Tier,
}

/// The user's verification as the desk sees it: the ID number masked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VerificationSummary {
    pub application_id: Option<String>,
    pub status: VerificationStatus,
    pub tier: Tier,
    pub name: Option<String>,
    /// Masked like every ID number the server shows: `1101**********002X`.
    pub id_number: Option<String>,
}

/// `GET /v1/admin/support/conversations/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AdminConversationDetail {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
    pub login: String,
    pub verification: VerificationSummary,
}

/// Why a subject or body was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("is longer than {0} characters")]
    TooLong(usize),
}

/// A subject or body trimmed (white space and control characters at either end), refused
/// when empty or longer than `max` characters.
pub fn support_text(text: &str, max: usize) -> Result<String, TextError> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if t.is_empty() {
        return Err(TextError::Empty);
    }
    if t.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_capped_in_characters() {
        assert_eq!(support_text("  hi ", 5), Ok("hi".to_owned()));
        assert_eq!(support_text(" \n ", 5), Err(TextError::Empty));
        assert_eq!(support_text("\u{1f}\0", 5), Err(TextError::Empty));
        assert_eq!(
            support_text("实名认证问题", 6),
            Ok("实名认证问题".to_owned())
        );
        assert_eq!(
            support_text("实名认证问题了", 6),
            Err(TextError::TooLong(6))
        );
    }

    #[test]
    fn enums_use_snake_case_on_the_wire() {
        let v = serde_json::to_value(ConversationStatus::WaitingForUser).unwrap_or_default();
        assert_eq!(v, "waiting_for_user");
        let v = serde_json::to_value(SupportTopic::RejectionQuestion).unwrap_or_default();
        assert_eq!(v, "rejection_question");
    }
}
