//! `/v1/admin/applications`: tester controls behind `X-Admin-Token` — list applications,
//! approve or reject pending ones.

use crate::error::{AppError, AppResult};
use crate::extract::{Admin, ApiJson, ApiPath, ApiQuery};
use crate::state::Staging;
use crate::store::applications::{self, Decision};
use axum::Json;
use axum::extract::State;
use okpay_rules::ErrorCode;
use okpay_rules::contract::{AdminApplication, Application, ReasonCode, RejectRequest};
use okpay_rules::validate;
use serde::Deserialize;

/// Filters of `GET /v1/admin/applications`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub login: Option<String>,
}

/// → `Vec<AdminApplication>`, oldest first.
pub async fn list(
    _: Admin,
    State(st): State<Staging>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Json<Vec<AdminApplication>>> {
    let status = match q.status.as_deref().map(str::trim) {
        Some(s) => Some(applications::parse_status(s).ok_or_else(|| {
            AppError::with_message(
                ErrorCode::BadRequest,
                "status must be none, draft, pending, approved or rejected.",
            )
        })?),
        None => None,
    };
    let login = q
        .login
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|l| {
            validate::login_id(l)
                .map(|id| id.as_str().to_owned())
                .unwrap_or_else(|_| l.to_lowercase())
        });
    let rows = st
        .inner
        .db
        .call(move |c| Ok(applications::admin_list(c, status, login.as_deref())?))
        .await?;
    Ok(Json(rows))
}

async fn decide(st: &Staging, id: String, decision: Decision) -> AppResult<Json<Application>> {
    let (user_id, app) = st
        .inner
        .db
        .transaction(move |tx| applications::decide(tx, &id, &decision))
        .await?;
    tracing::info!(application = ?app.id, status = ?app.status, "application decided by a tester");
    st.inner.notifier.publish(&user_id, app.revision);
    Ok(Json(app))
}

/// `POST /v1/admin/applications/{id}/approve` → the approved application.
pub async fn approve(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<Application>> {
    decide(&st, id, Decision::Approve).await
}

/// `POST /v1/admin/applications/{id}/reject` with `{"reasons": [...]}` → the rejected
/// application. Reasons must be a non-empty list of known codes.
pub async fn reject(
    _: Admin,
    State(st): State<Staging>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<RejectRequest>,
) -> AppResult<Json<Application>> {
    if req.reasons.is_empty() || req.reasons.contains(&ReasonCode::Unknown) {
        return Err(AppError::with_message(
            ErrorCode::BadRequest,
            "reasons must be a non-empty list of known rejection reason codes.",
        ));
    }
    let mut reasons: Vec<ReasonCode> = Vec::new();
    for r in req.reasons {
        if !reasons.contains(&r) {
            reasons.push(r);
        }
    }
    decide(&st, id, Decision::Reject(reasons)).await
}
