//! `POST /v1/verification/submit`: send the application for review, idempotently.

use crate::error::{AppError, AppResult};
use crate::extract::Auth;
use crate::state::Staging;
use crate::store::applications;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use okpay_rules::ErrorCode;
use okpay_rules::contract::{Application, IDEMPOTENCY_KEY_HEADER, VerificationStatus};

/// Accepted length of an `Idempotency-Key`, in characters.
const KEY_CHARS: std::ops::RangeInclusive<usize> = 8..=200;

fn idempotency_key(headers: &HeaderMap) -> AppResult<String> {
    let bad = |m: &str| AppError::with_message(ErrorCode::BadRequest, m);
    let value = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .ok_or_else(|| bad("The Idempotency-Key header is required."))?
        .to_str()
        .map_err(|_| bad("The Idempotency-Key header must be visible ASCII."))?
        .trim();
    if !KEY_CHARS.contains(&value.chars().count()) {
        return Err(bad(
            "The Idempotency-Key header must have 8 to 200 characters.",
        ));
    }
    Ok(value.to_owned())
}

/// → the application, now `pending`. The same key again answers the same application
/// without a new submission.
pub async fn submit(
    State(st): State<Staging>,
    auth: Auth,
    headers: HeaderMap,
) -> AppResult<Json<Application>> {
    let key = idempotency_key(&headers)?;
    let user_id = auth.user_id.clone();
    let app = st
        .inner
        .db
        .transaction(move |tx| applications::submit(tx, &user_id, &key))
        .await?;
    if app.status == VerificationStatus::Pending {
        tracing::info!(user = %auth.user_id, revision = app.revision, "application submitted");
        st.wake_reviewer();
    }
    st.inner.notifier.publish(&auth.user_id, app.revision);
    Ok(Json(app))
}
