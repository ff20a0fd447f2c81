//! The support desk's side of the conversations (tester controls): the queue, a
//! conversation with its user's verification, replies, closing, and deciding
//! change-of-details requests. Approving one reopens the user's verification with the new
//! details (`applications::reopen_with`); rejecting one closes it with the agent's reason.

use super::applications;
use super::support::{self, COLUMNS, ConversationRow, from_row};
use super::users;
use crate::error::{AppError, AppResult};
use okpay_rules::contract::support::{
    AdminConversationDetail, ChangeRequestState, ConversationStatus, MessageAuthor, QueueEntry,
    VerificationSummary,
};
use okpay_rules::contract::{Application, Tier};
use okpay_rules::{ErrorCode, validate};
use rusqlite::{Connection, params};

/// Queue order: open, then waiting for the user, then closed; within a status the oldest
/// first, age counted in whole minutes; at equal age verified users first.
pub fn queue(conn: &Connection, status: Option<ConversationStatus>) -> AppResult<Vec<QueueEntry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, u.login,
                COALESCE((SELECT a.status = 'approved' OR a.kept_tier = 1 FROM applications a
                          WHERE a.user_id = c.user_id), 0) AS verified
         FROM support_conversations c JOIN users u ON u.id = c.user_id
         WHERE (?1 IS NULL OR c.status = ?1)
         ORDER BY CASE c.status WHEN 'open' THEN 0 WHEN 'waiting_for_user' THEN 1 ELSE 2 END,
                  c.created_at_ms / 60000, verified DESC, c.created_at_ms, c.id"
    ))?;
    let rows = stmt.query_map(params![status.map(support::status_str)], |r| {
        let row = from_row(r)?;
        let login: String = r.get(9)?;
        let verified: bool = r.get(10)?;
        Ok((row, login, verified))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (row, login, verified) = row?;
        let mut conversation = row.conversation;
        support::complete(conn, &mut conversation)?;
        out.push(QueueEntry {
            conversation,
            login,
            tier: if verified {
                Tier::Verified
            } else {
                Tier::Unverified
            },
        });
    }
    Ok(out)
}

fn existing(conn: &Connection, id: &str) -> AppResult<ConversationRow> {
    support::by_id(conn, id)?.ok_or(AppError::new(ErrorCode::NotFound))
}

/// A conversation with its messages, its user's login and verification (ID number masked).
pub fn detail(conn: &Connection, id: &str) -> AppResult<AdminConversationDetail> {
    let row = existing(conn, id)?;
    let login = users::by_id(conn, &row.user_id)?.map_or_else(String::new, |u| u.login);
    let app = applications::current(conn, &row.user_id)?;
    let verification = VerificationSummary {
        application_id: app.id,
        status: app.status,
        tier: applications::tier_of(conn, &row.user_id)?,
        name: app.personal.as_ref().map(|p| p.name.clone()),
        id_number: app
            .personal
            .as_ref()
            .map(|p| validate::mask_id_number(&p.id_number)),
    };
    Ok(AdminConversationDetail {
        messages: support::messages(conn, id)?,
        conversation: row.conversation,
        login,
        verification,
    })
}

/// An agent's reply: the conversation waits for the user. A closed one is `SUPPORT_CLOSED`.
/// → the detail and the owner.
pub fn reply(
    conn: &Connection,
    id: &str,
    body: &str,
) -> AppResult<(String, AdminConversationDetail)> {
    let row = existing(conn, id)?;
    if row.conversation.status == ConversationStatus::Closed {
        return Err(AppError::new(ErrorCode::SupportClosed));
    }
    support::add_message(conn, id, MessageAuthor::Agent, body)?;
    support::touch(conn, id, Some(ConversationStatus::WaitingForUser))?;
    Ok((row.user_id, detail(conn, id)?))
}

/// Close a conversation (closing a closed one changes nothing). → the detail and the owner.
pub fn close(conn: &Connection, id: &str) -> AppResult<(String, AdminConversationDetail)> {
    let row = existing(conn, id)?;
    if row.conversation.status != ConversationStatus::Closed {
        support::touch(conn, id, Some(ConversationStatus::Closed))?;
    }
    Ok((row.user_id, detail(conn, id)?))
}

/// An agent's decision on a change-of-details request.
pub enum ChangeDecision<'a> {
    Approve,
    Reject { reason: &'a str },
}

/// Decide the pending change request of conversation `id`: `NOT_FOUND` without one,
/// `SUPPORT_CLOSED` once decided. Approving reopens the user's verification with the new
/// details (the application in the answer); rejecting adds the reason as the agent's last
/// message. Either way the conversation is closed. → the owner, the detail and, when
/// approved, the reopened application.
pub fn decide_change(
    conn: &Connection,
    id: &str,
    decision: &ChangeDecision<'_>,
) -> AppResult<(String, AdminConversationDetail, Option<Application>)> {
    let row = existing(conn, id)?;
    let request = row.conversation.change_request.as_ref().ok_or_else(|| {
        AppError::with_message(
            ErrorCode::NotFound,
            "No change request in this conversation.",
        )
    })?;
    if request.state != ChangeRequestState::Pending {
        return Err(AppError::with_message(
            ErrorCode::SupportClosed,
            "This change request was already decided.",
        ));
    }
    let now = crate::clock::now_secs();
    let app = match decision {
        ChangeDecision::Approve => {
            let app = applications::reopen_with(conn, &row.user_id, &request.details)?;
            conn.execute(
                "UPDATE support_change_requests SET state = ?2, decided_at = ?3
                 WHERE conversation_id = ?1",
                params![id, support::state_str(ChangeRequestState::Approved), now],
            )?;
            Some(app)
        }
        ChangeDecision::Reject { reason } => {
            conn.execute(
                "UPDATE support_change_requests SET state = ?2, reason = ?3, decided_at = ?4
                 WHERE conversation_id = ?1",
                params![
                    id,
                    support::state_str(ChangeRequestState::Rejected),
                    reason,
                    now
                ],
            )?;
            support::add_message(conn, id, MessageAuthor::Agent, reason)?;
            None
        }
    };
    support::touch(conn, id, Some(ConversationStatus::Closed))?;
    Ok((row.user_id, detail(conn, id)?, app))
}
