//! `/v1/verification`: the user's application, personal information, and the status long
//! poll (a few waiting per user: more answer `RATE_LIMITED` with `Retry-After` at once).

use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ApiQuery, Auth};
use crate::notify::wait_newer;
use crate::state::Staging;
use crate::store::applications;
use axum::Json;
use axum::extract::State;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};
use okpay_rules::contract::{
    Application, ConsentRequest, MAX_STATUS_WAIT_SECS, PersonalInfo, StatusReply,
};
use okpay_rules::{ErrorCode, validate};
use serde::Deserialize;
use std::time::Duration;

/// `GET /v1/verification` → the caller's application (`status: none` before any).
pub async fn get_application(
    State(st): State<Staging>,
    auth: Auth,
) -> AppResult<Json<Application>> {
    let app = st
        .inner
        .db
        .call(move |c| Ok(applications::current(c, &auth.user_id)?))
        .await?;
    Ok(Json(app))
}

/// `PUT /v1/verification/consent` → the application with the consent recorded. Nothing
/// sensitive (personal information, photos) is accepted before it.
pub async fn put_consent(
    State(st): State<Staging>,
    auth: Auth,
    ApiJson(req): ApiJson<ConsentRequest>,
) -> AppResult<Json<Application>> {
    let user_id = auth.user_id.clone();
    let app = st
        .inner
        .db
        .transaction(move |tx| applications::set_consent(tx, &user_id, &req.version))
        .await?;
    tracing::info!(user = %auth.user_id, revision = app.revision, "consent recorded");
    st.inner.notifier.publish(&auth.user_id, app.revision);
    Ok(Json(app))
}

/// `PUT /v1/verification/personal` → the application, now a draft. Name and ID number are
/// checked again (the same `validate::personal` the app runs: name, number, eligibility,
/// validity period) and stored normalised.
pub async fn put_personal(
    State(st): State<Staging>,
    auth: Auth,
    ApiJson(info): ApiJson<PersonalInfo>,
) -> AppResult<Json<Application>> {
    let info = validate::personal(&info, validate::Date::today_china()).map_err(AppError::new)?;
    let masked = validate::mask_id_number(&info.id_number);
    let user_id = auth.user_id.clone();
    let app = st
        .inner
        .db
        .transaction(move |tx| applications::set_personal(tx, &user_id, &info))
        .await?;
    tracing::info!(user = %auth.user_id, id_number = %masked, revision = app.revision, "personal information saved");
    st.inner.notifier.publish(&auth.user_id, app.revision);
    Ok(Json(app))
}

/// `Retry-After` (seconds) of a long poll refused because the user has too many waiting.
const POLL_RETRY_AFTER_SECS: &str = "5";

/// Query of `GET /v1/verification/status`.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    /// Seconds to wait for a change (at most `MAX_STATUS_WAIT_SECS`).
    pub wait: Option<u64>,
    /// The revision the caller already has.
    pub after: Option<u64>,
}

async fn read_status(st: &Staging, user_id: &str) -> AppResult<StatusReply> {
    let user_id = user_id.to_owned();
    let app = st
        .inner
        .db
        .call(move |c| Ok(applications::current(c, &user_id)?))
        .await?;
    Ok(StatusReply {
        status: app.status,
        revision: app.revision,
        reasons: app.reasons,
    })
}

/// `RATE_LIMITED` with `Retry-After` and `message`: the user already has as many long polls
/// of this kind waiting as allowed.
pub(crate) fn too_many_polls(message: &'static str) -> Response {
    let err = AppError::with_message(ErrorCode::RateLimited, message);
    ([(RETRY_AFTER, POLL_RETRY_AFTER_SECS)], err).into_response()
}

/// `GET /v1/verification/status?wait=SECS&after=REV`: answers at once, or, when `after`
/// is given and nothing newer exists, once the application changes or `wait` runs out.
/// Only a poll that would wait takes one of the user's slots; none left → [`too_many_polls`].
pub async fn status(
    State(st): State<Staging>,
    auth: Auth,
    ApiQuery(q): ApiQuery<StatusQuery>,
) -> AppResult<Response> {
    let mut changes = st.inner.notifier.subscribe(&auth.user_id);
    let reply = read_status(&st, &auth.user_id).await?;
    let (Some(after), Some(wait)) = (q.after, q.wait) else {
        return Ok(Json(reply).into_response());
    };
    if reply.revision > after || wait == 0 {
        return Ok(Json(reply).into_response());
    }
    let wait = Duration::from_secs(wait.min(MAX_STATUS_WAIT_SECS));
    let i = &st.inner;
    let waited = wait_newer(
        &mut changes,
        after,
        wait,
        &i.shutdown,
        &i.poll_slots,
        &auth.user_id,
    );
    if waited.await.is_err() {
        tracing::warn!(user = %auth.user_id, "long poll refused: too many waiting");
        return Ok(too_many_polls(
            "Too many status requests are waiting for this account.",
        ));
    }
    Ok(Json(read_status(&st, &auth.user_id).await?).into_response())
}
