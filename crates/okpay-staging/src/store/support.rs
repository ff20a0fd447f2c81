//! Support conversations of one user: conversations, their messages, the read markers and
//! the change-of-details requests. Every change takes a new value of the one support
//! sequence (`support_seq`) into the conversation's `seq`, which the updates long poll
//! compares. A conversation of another user reads as missing (`NOT_FOUND`), never as
//! forbidden.

use super::sql::{to_i64, to_u64};
use super::throttle::{self, Bucket, Reserved};
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::secrets;
use okpay_rules::ErrorCode;
use okpay_rules::contract::support::{
    ChangeRequest, ChangeRequestState, Conversation, ConversationStatus, MAX_MESSAGES_PER_WINDOW,
    MAX_OPEN_CONVERSATIONS, MESSAGE_WINDOW_SECS, Message, MessageAuthor, SupportTopic,
};
use okpay_rules::contract::{PersonalInfo, Validity};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// Characters of the last message shown in a conversation's preview.
const PREVIEW_CHARS: usize = 100;

pub fn topic_str(t: SupportTopic) -> &'static str {
    match t {
        SupportTopic::VerificationProblem => "verification_problem",
        SupportTopic::ChangeDetails => "change_details",
        SupportTopic::RejectionQuestion => "rejection_question",
        SupportTopic::Other => "other",
    }
}

fn parse_topic(s: &str) -> SupportTopic {
    match s {
        "verification_problem" => SupportTopic::VerificationProblem,
        "change_details" => SupportTopic::ChangeDetails,
        "rejection_question" => SupportTopic::RejectionQuestion,
        _ => SupportTopic::Other,
    }
}

pub fn status_str(s: ConversationStatus) -> &'static str {
    match s {
        ConversationStatus::Open => "open",
        ConversationStatus::WaitingForUser => "waiting_for_user",
        ConversationStatus::Closed => "closed",
    }
}

pub fn parse_status(s: &str) -> Option<ConversationStatus> {
    Some(match s {
        "open" => ConversationStatus::Open,
        "waiting_for_user" => ConversationStatus::WaitingForUser,
        "closed" => ConversationStatus::Closed,
        _ => return None,
    })
}

fn author_str(a: MessageAuthor) -> &'static str {
    match a {
        MessageAuthor::User => "user",
        MessageAuthor::Agent => "agent",
    }
}

pub fn state_str(s: ChangeRequestState) -> &'static str {
    match s {
        ChangeRequestState::Pending => "pending",
        ChangeRequestState::Approved => "approved",
        ChangeRequestState::Rejected => "rejected",
    }
}

fn parse_state(s: &str) -> ChangeRequestState {
    match s {
        "approved" => ChangeRequestState::Approved,
        "rejected" => ChangeRequestState::Rejected,
        _ => ChangeRequestState::Pending,
    }
}

/// A conversation row with its owner.
pub struct ConversationRow {
    pub user_id: String,
    pub conversation: Conversation,
}

pub(crate) const COLUMNS: &str = "c.id, c.user_id, c.topic, c.status, c.subject, \
    c.application_id, c.created_at_ms, c.updated_at_ms, c.seq";

/// A row of [`COLUMNS`]; unread, preview and change request filled in by [`complete`].
pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<ConversationRow> {
    let status: String = r.get(3)?;
    Ok(ConversationRow {
        user_id: r.get(1)?,
        conversation: Conversation {
            id: r.get(0)?,
            topic: parse_topic(&r.get::<_, String>(2)?),
            status: parse_status(&status).unwrap_or(ConversationStatus::Open),
            subject: r.get(4)?,
            application_id: r.get(5)?,
            created_at: r.get::<_, i64>(6)? / 1000,
            updated_at: r.get::<_, i64>(7)? / 1000,
            unread: 0,
            last_message: None,
            change_request: None,
            seq: to_u64(r.get(8)?),
        },
    })
}

/// Fill in the user's unread count, the preview and the change request.
pub(crate) fn complete(conn: &Connection, c: &mut Conversation) -> rusqlite::Result<()> {
    let unread: i64 = conn.query_row(
        "SELECT COUNT(*) FROM support_messages m WHERE m.conversation_id = ?1
         AND m.author = 'agent' AND m.seq > COALESCE((SELECT last_seq FROM support_read_markers
         WHERE conversation_id = ?1 AND reader = 'user'), 0)",
        [&c.id],
        |r| r.get(0),
    )?;
    c.unread = u32::try_from(unread).unwrap_or(u32::MAX);
    c.last_message = conn
        .query_row(
            "SELECT body FROM support_messages WHERE conversation_id = ?1
             ORDER BY seq DESC LIMIT 1",
            [&c.id],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .map(|b| b.chars().take(PREVIEW_CHARS).collect());
    c.change_request = change_request(conn, &c.id)?;
    Ok(())
}

fn change_request(conn: &Connection, id: &str) -> rusqlite::Result<Option<ChangeRequest>> {
    conn.query_row(
        "SELECT name, id_number, validity_json, state, reason, decided_at
         FROM support_change_requests WHERE conversation_id = ?1",
        [id],
        |r| {
            let validity: Option<String> = r.get(2)?;
            Ok(ChangeRequest {
                details: PersonalInfo {
                    name: r.get(0)?,
                    id_number: r.get(1)?,
                    validity: validity.and_then(|j| serde_json::from_str::<Validity>(&j).ok()),
                },
                state: parse_state(&r.get::<_, String>(3)?),
                reason: r.get(4)?,
                decided_at: r.get(5)?,
            })
        },
    )
    .optional()
}

/// A conversation by id, whoever owns it.
pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<ConversationRow>> {
    let row = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM support_conversations c WHERE c.id = ?1"),
            [id],
            from_row,
        )
        .optional()?;
    match row {
        Some(mut row) => {
            complete(conn, &mut row.conversation)?;
            Ok(Some(row))
        }
        None => Ok(None),
    }
}

/// The user's conversation `id`; another user's or a missing one is `NOT_FOUND`.
pub fn owned(conn: &Connection, user_id: &str, id: &str) -> AppResult<Conversation> {
    match by_id(conn, id)? {
        Some(row) if row.user_id == user_id => Ok(row.conversation),
        _ => Err(AppError::new(ErrorCode::NotFound)),
    }
}

/// The user's conversations changed after `after` (all without it), newest change first.
pub fn list(conn: &Connection, user_id: &str, after: Option<u64>) -> AppResult<Vec<Conversation>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM support_conversations c WHERE c.user_id = ?1 AND c.seq > ?2
         ORDER BY c.seq DESC"
    ))?;
    let rows = stmt.query_map(params![user_id, to_i64(after.unwrap_or(0))], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        let mut c = row?.conversation;
        complete(conn, &mut c)?;
        out.push(c);
    }
    Ok(out)
}

/// The highest `seq` of the user's conversations (0 without any).
pub fn user_seq(conn: &Connection, user_id: &str) -> rusqlite::Result<u64> {
    let seq: Option<i64> = conn.query_row(
        "SELECT MAX(seq) FROM support_conversations WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?;
    Ok(to_u64(seq.unwrap_or(0)))
}

/// The messages of a conversation, oldest first.
pub fn messages(conn: &Connection, id: &str) -> rusqlite::Result<Vec<Message>> {
    let mut stmt = conn.prepare(
        "SELECT id, author, body, created_at FROM support_messages WHERE conversation_id = ?1
         ORDER BY seq",
    )?;
    let rows = stmt.query_map([id], |r| {
        let author: String = r.get(1)?;
        Ok(Message {
            id: r.get(0)?,
            author: if author == "agent" {
                MessageAuthor::Agent
            } else {
                MessageAuthor::User
            },
            body: r.get(2)?,
            created_at: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Mark conversation `id` changed: a new `seq`, `status` when given. → the new `seq`.
pub(crate) fn touch(
    conn: &Connection,
    id: &str,
    status: Option<ConversationStatus>,
) -> rusqlite::Result<u64> {
    let seq: i64 = conn.query_row(
        "UPDATE support_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "UPDATE support_conversations SET seq = ?2, updated_at_ms = ?3,
         status = COALESCE(?4, status) WHERE id = ?1",
        params![id, seq, clock::now_ms(), status.map(status_str)],
    )?;
    Ok(to_u64(seq))
}

/// Add a message; the author has then read everything up to it.
pub(crate) fn add_message(
    conn: &Connection,
    id: &str,
    author: MessageAuthor,
    body: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO support_messages (id, conversation_id, author, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            secrets::new_id(),
            id,
            author_str(author),
            body,
            clock::now_secs()
        ],
    )?;
    mark_read(conn, id, author)
}

/// The reader has read every message of the conversation so far.
pub(crate) fn mark_read(
    conn: &Connection,
    id: &str,
    reader: MessageAuthor,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO support_read_markers (conversation_id, reader, last_seq)
         VALUES (?1, ?2, COALESCE((SELECT MAX(seq) FROM support_messages
                                   WHERE conversation_id = ?1), 0))
         ON CONFLICT (conversation_id, reader) DO UPDATE SET last_seq = excluded.last_seq",
        params![id, author_str(reader)],
    )?;
    Ok(())
}

/// Count one message of the user against the message rate limit: `RATE_LIMITED` with the
/// wait once it is used up.
fn count_message(conn: &Connection, user_id: &str) -> AppResult<()> {
    let bucket = Bucket {
        key: secrets::sha256_hex(format!("support-message:{user_id}").as_bytes()),
        limit: MAX_MESSAGES_PER_WINDOW,
        window_ms: to_i64(MESSAGE_WINDOW_SECS.saturating_mul(1000)),
    };
    match throttle::reserve(conn, &[bucket], clock::now_ms())? {
        Reserved::Taken(attempt) => Ok(throttle::settle(conn, &attempt)?),
        Reserved::Full { retry_after_ms } => Err(AppError::with_message(
            ErrorCode::RateLimited,
            format!(
                "At most {MAX_MESSAGES_PER_WINDOW} support messages in {} minutes.",
                MESSAGE_WINDOW_SECS / 60
            ),
        )
        .retry_after(to_u64(retry_after_ms.saturating_add(999) / 1000))),
    }
}

/// A new conversation, already checked: trimmed subject and body, the application link
/// verified, the change request validated.
pub struct Opening<'a> {
    pub topic: SupportTopic,
    pub subject: &'a str,
    pub body: &'a str,
    pub application_id: Option<&'a str>,
    pub change: Option<&'a PersonalInfo>,
}

/// Open a conversation for the user: at most [`MAX_OPEN_CONVERSATIONS`] open at a time
/// (`RATE_LIMITED`), the first message counted in the message rate limit.
pub fn create(conn: &Connection, user_id: &str, new: &Opening<'_>) -> AppResult<Conversation> {
    let open: i64 = conn.query_row(
        "SELECT COUNT(*) FROM support_conversations WHERE user_id = ?1 AND status != 'closed'",
        [user_id],
        |r| r.get(0),
    )?;
    if open >= i64::from(MAX_OPEN_CONVERSATIONS) {
        return Err(AppError::with_message(
            ErrorCode::RateLimited,
            format!(
                "At most {MAX_OPEN_CONVERSATIONS} open support conversations: wait for one to be closed."
            ),
        ));
    }
    count_message(conn, user_id)?;
    let id = secrets::new_id();
    let now = clock::now_ms();
    conn.execute(
        "INSERT INTO support_conversations
         (id, user_id, topic, status, subject, application_id, created_at_ms, updated_at_ms, seq)
         VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?6, 0)",
        params![
            id,
            user_id,
            topic_str(new.topic),
            new.subject,
            new.application_id,
            now
        ],
    )?;
    if let Some(change) = new.change {
        let validity = super::applications::validity_json(change)?;
        conn.execute(
            "INSERT INTO support_change_requests
             (conversation_id, name, id_number, validity_json, state)
             VALUES (?1, ?2, ?3, ?4, 'pending')",
            params![id, change.name, change.id_number, validity],
        )?;
    }
    add_message(conn, &id, MessageAuthor::User, new.body)?;
    touch(conn, &id, None)?;
    owned(conn, user_id, &id)
}

/// The user writes in their conversation: it is open again (waiting for the desk). A
/// closed one is `SUPPORT_CLOSED`.
pub fn user_message(
    conn: &Connection,
    user_id: &str,
    id: &str,
    body: &str,
) -> AppResult<Conversation> {
    let c = owned(conn, user_id, id)?;
    if c.status == ConversationStatus::Closed {
        return Err(AppError::new(ErrorCode::SupportClosed));
    }
    count_message(conn, user_id)?;
    add_message(conn, id, MessageAuthor::User, body)?;
    touch(conn, id, Some(ConversationStatus::Open))?;
    owned(conn, user_id, id)
}

/// The user has read the conversation: its unread count is 0.
pub fn user_read(conn: &Connection, user_id: &str, id: &str) -> AppResult<Conversation> {
    owned(conn, user_id, id)?;
    mark_read(conn, id, MessageAuthor::User)?;
    touch(conn, id, None)?;
    owned(conn, user_id, id)
}
