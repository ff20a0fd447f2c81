//! `/v1/support`: the user's conversations with the support desk — open one (a change of
//! details carries the new values, checked by the verification's field rules; an appeal
//! links the user's rejected application), read, write, mark read, and the updates long
//! poll (the same mechanism as the verification status: a per-user notifier, a few waiting
//! polls per user).

use super::verification::too_many_polls;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::notify::wait_newer;
use crate::state::Staging;
use crate::store::applications;
use crate::store::support::{self, Opening};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use okpay_rules::contract::VerificationStatus;
use okpay_rules::contract::support::{
    Conversation, ConversationDetail, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, MAX_UPDATES_WAIT_SECS,
    NewConversation, NewMessage, SupportTopic, SupportUpdates, support_text,
};
use okpay_rules::{ErrorCode, validate};
use serde::Deserialize;
use std::time::Duration;

/// A subject or body checked against its cap: `BAD_REQUEST` naming the field.
pub(crate) fn text(field: &str, value: &str, max: usize) -> AppResult<String> {
    support_text(value, max)
        .map_err(|e| AppError::with_message(ErrorCode::BadRequest, format!("{field} {e}.")))
}

/// `GET /v1/support/conversations` → the caller's conversations, latest change first.
pub async fn list(State(st): State<Staging>, auth: Auth) -> AppResult<Json<Vec<Conversation>>> {
    let list = st
        .inner
        .db
        .call(move |c| support::list(c, &auth.user_id, None))
        .await?;
    Ok(Json(list))
}

/// `POST /v1/support/conversations` → 201 and the new conversation.
pub async fn create(
    State(st): State<Staging>,
    auth: Auth,
    ApiJson(req): ApiJson<NewConversation>,
) -> AppResult<(StatusCode, Json<Conversation>)> {
    let subject = text("subject", &req.subject, MAX_SUBJECT_CHARS)?;
    let body = text("body", &req.body, MAX_BODY_CHARS)?;
    let change = match (req.topic, &req.change) {
        (SupportTopic::ChangeDetails, Some(info)) => {
            Some(validate::personal(info, validate::Date::today_china()).map_err(AppError::new)?)
        }
        (SupportTopic::ChangeDetails, None) => {
            return Err(AppError::with_message(
                ErrorCode::BadRequest,
                "A change_details conversation carries the new details in change.",
            ));
        }
        (_, Some(_)) => {
            return Err(AppError::with_message(
                ErrorCode::BadRequest,
                "Only a change_details conversation carries change.",
            ));
        }
        (_, None) => None,
    };
    let user_id = auth.user_id.clone();
    let (conversation, seq) = st
        .inner
        .db
        .transaction(move |tx| {
            if let Some(app_id) = req.application_id.as_deref() {
                let app = applications::by_id(tx, app_id)?
                    .filter(|a| a.user_id == user_id)
                    .ok_or_else(|| {
                        AppError::with_message(ErrorCode::NotFound, "No such application.")
                    })?;
                if req.topic == SupportTopic::RejectionQuestion
                    && app.status != VerificationStatus::Rejected
                {
                    return Err(AppError::with_message(
                        ErrorCode::BadRequest,
                        "An appeal links a rejected application.",
                    ));
                }
            } else if req.topic == SupportTopic::RejectionQuestion {
                return Err(AppError::with_message(
                    ErrorCode::BadRequest,
                    "A rejection_question conversation links the rejected application.",
                ));
            }
            let opening = Opening {
                topic: req.topic,
                subject: &subject,
                body: &body,
                application_id: req.application_id.as_deref(),
                change: change.as_ref(),
            };
            let c = support::create(tx, &user_id, &opening)?;
            let seq = c.seq;
            Ok((c, seq))
        })
        .await?;
    tracing::info!(user = %auth.user_id, conversation = %conversation.id, "support conversation opened");
    st.inner.support_notifier.publish(&auth.user_id, seq);
    Ok((StatusCode::CREATED, Json(conversation)))
}

/// `GET /v1/support/conversations/{id}` → the conversation with its messages; another
/// user's is `NOT_FOUND`.
pub async fn get(
    State(st): State<Staging>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ConversationDetail>> {
    let detail = st
        .inner
        .db
        .call(move |c| {
            let conversation = support::owned(c, &auth.user_id, &id)?;
            Ok(ConversationDetail {
                messages: support::messages(c, &id)?,
                conversation,
            })
        })
        .await?;
    Ok(Json(detail))
}

/// `POST /v1/support/conversations/{id}/messages` → 201 and the conversation, open again.
pub async fn post_message(
    State(st): State<Staging>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<NewMessage>,
) -> AppResult<(StatusCode, Json<Conversation>)> {
    let body = text("body", &req.body, MAX_BODY_CHARS)?;
    let user_id = auth.user_id.clone();
    let c = st
        .inner
        .db
        .transaction(move |tx| support::user_message(tx, &user_id, &id, &body))
        .await?;
    st.inner.support_notifier.publish(&auth.user_id, c.seq);
    Ok((StatusCode::CREATED, Json(c)))
}

/// `POST /v1/support/conversations/{id}/read` → the conversation, nothing unread.
pub async fn read(
    State(st): State<Staging>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Conversation>> {
    let user_id = auth.user_id.clone();
    let c = st
        .inner
        .db
        .transaction(move |tx| support::user_read(tx, &user_id, &id))
        .await?;
    st.inner.support_notifier.publish(&auth.user_id, c.seq);
    Ok(Json(c))
}

/// Query of `GET /v1/support/updates`.
#[derive(Debug, Deserialize)]
pub struct UpdatesQuery {
    /// Seconds to wait for a change (at most `MAX_UPDATES_WAIT_SECS`).
    pub wait: Option<u64>,
    /// The `seq` the caller already has.
    pub after: Option<u64>,
}

async fn read_updates(
    st: &Staging,
    user_id: &str,
    after: Option<u64>,
) -> AppResult<SupportUpdates> {
    let user_id = user_id.to_owned();
    st.inner
        .db
        .call(move |c| {
            Ok(SupportUpdates {
                seq: support::user_seq(c, &user_id)?,
                conversations: support::list(c, &user_id, after)?,
            })
        })
        .await
}

/// `GET /v1/support/updates?after=SEQ&wait=SECS`: answers at once, or, when `after` is given
/// and nothing newer exists, once a conversation of the user's changes or `wait` runs out.
/// Only a poll that would wait takes a slot; none left → `RATE_LIMITED` with `Retry-After`.
pub async fn updates(
    State(st): State<Staging>,
    auth: Auth,
    ApiQuery(q): ApiQuery<UpdatesQuery>,
) -> AppResult<Response> {
    let mut changes = st.inner.support_notifier.subscribe(&auth.user_id);
    let reply = read_updates(&st, &auth.user_id, q.after).await?;
    let (Some(after), Some(wait)) = (q.after, q.wait) else {
        return Ok(Json(reply).into_response());
    };
    if reply.seq > after || wait == 0 {
        return Ok(Json(reply).into_response());
    }
    let wait = Duration::from_secs(wait.min(MAX_UPDATES_WAIT_SECS));
    let i = &st.inner;
    let slots = &i.support_poll_slots;
    let waited = wait_newer(&mut changes, after, wait, &i.shutdown, slots, &auth.user_id);
    if waited.await.is_err() {
        return Ok(too_many_polls(
            "Too many support update requests are waiting for this account.",
        ));
    }
    Ok(Json(read_updates(&st, &auth.user_id, Some(after)).await?).into_response())
}
