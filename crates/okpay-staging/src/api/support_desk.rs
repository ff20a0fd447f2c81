//! `/v1/admin/support`: the support desk for testers, behind `X-Admin-Token` — the queue,
//! a conversation with its user's verification (ID number masked), replies, closing, and
//! the decision on a change-of-details request. Every change wakes the user's support long
//! poll (and the verification's, when a change of details reopens it).

use super::support::text;
use crate::error::{AppError, AppResult};
use crate::extract::{Admin, ApiJson, ApiPath, ApiQuery};
use crate::state::Staging;
use crate::store::support;
use crate::store::support_desk::{self, ChangeDecision};
use axum::Json;
use axum::extract::State;
use okpay_rules::ErrorCode;
use okpay_rules::contract::support::{
    AdminConversationDetail, ChangeRejection, MAX_BODY_CHARS, NewMessage, QueueEntry,
};
use serde::Deserialize;

/// Filter of `GET /v1/admin/support/conversations`.
#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    pub status: Option<String>,
}

/// → the queue: open first, then waiting for the user, then closed; oldest first; verified
/// users ahead at equal age.
pub async fn queue(
    _: Admin,
    State(st): State<Staging>,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> AppResult<Json<Vec<QueueEntry>>> {
    let status = match q.status.as_deref().map(str::trim) {
        Some(s) => Some(support::parse_status(s).ok_or_else(|| {
            AppError::with_message(
                ErrorCode::BadRequest,
                "status must be open, waiting_for_user or closed.",
            )
        })?),
        None => None,
    };
    let rows = st
        .inner
        .db
        .call(move |c| support_desk::queue(c, status))
        .await?;
    Ok(Json(rows))
}

/// `GET /v1/admin/support/conversations/{id}`.
pub async fn get(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<AdminConversationDetail>> {
    let detail = st
        .inner
        .db
        .call(move |c| support_desk::detail(c, &id))
        .await?;
    Ok(Json(detail))
}

fn published(
    st: &Staging,
    user_id: &str,
    detail: AdminConversationDetail,
) -> Json<AdminConversationDetail> {
    st.inner
        .support_notifier
        .publish(user_id, detail.conversation.seq);
    Json(detail)
}

/// `POST /v1/admin/support/conversations/{id}/messages`: the agent's reply.
pub async fn reply(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<NewMessage>,
) -> AppResult<Json<AdminConversationDetail>> {
    let body = text("body", &req.body, MAX_BODY_CHARS)?;
    let (user_id, detail) = st
        .inner
        .db
        .transaction(move |tx| support_desk::reply(tx, &id, &body))
        .await?;
    Ok(published(&st, &user_id, detail))
}

/// `POST /v1/admin/support/conversations/{id}/close`.
pub async fn close(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<AdminConversationDetail>> {
    let (user_id, detail) = st
        .inner
        .db
        .transaction(move |tx| support_desk::close(tx, &id))
        .await?;
    Ok(published(&st, &user_id, detail))
}

/// `POST /v1/admin/support/conversations/{id}/change/approve`: the user's verification is
/// reopened with the new details.
pub async fn approve_change(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<AdminConversationDetail>> {
    let (user_id, detail, app) = st
        .inner
        .db
        .transaction(move |tx| support_desk::decide_change(tx, &id, &ChangeDecision::Approve))
        .await?;
    if let Some(app) = app {
        tracing::info!(application = ?app.id, "verification reopened for changed details");
        st.inner.notifier.publish(&user_id, app.revision);
    }
    Ok(published(&st, &user_id, detail))
}

/// `POST /v1/admin/support/conversations/{id}/change/reject` with `{"reason": "..."}`.
pub async fn reject_change(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ChangeRejection>,
) -> AppResult<Json<AdminConversationDetail>> {
    let reason = text("reason", &req.reason, MAX_BODY_CHARS)?;
    let (user_id, detail, _) = st
        .inner
        .db
        .transaction(move |tx| {
            support_desk::decide_change(tx, &id, &ChangeDecision::Reject { reason: &reason })
        })
        .await?;
    Ok(published(&st, &user_id, detail))
}
