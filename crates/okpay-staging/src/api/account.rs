//! `GET /v1/account`: who is signed in, their tier and limits.

use crate::error::{AppError, AppResult};
use crate::extract::Auth;
use crate::state::Staging;
use crate::store::{applications, users};
use axum::Json;
use axum::extract::State;
use okpay_rules::ErrorCode;
use okpay_rules::contract::{Account, Limits, VerificationStatus};

/// The account; `verified` when the application is approved, or was and is being
/// resubmitted after an approved change of details.
pub async fn account(State(st): State<Staging>, auth: Auth) -> AppResult<Json<Account>> {
    let account = st
        .inner
        .db
        .call(move |c| {
            let user = users::by_id(c, &auth.user_id)?
                .ok_or(AppError::new(ErrorCode::AuthSessionExpired))?;
            let status =
                applications::of_user(c, &user.id)?.map_or(VerificationStatus::None, |a| a.status);
            let tier = applications::tier_of(c, &user.id)?;
            Ok(Account {
                user_id: user.id,
                login: user.login,
                tier,
                limits: Limits::for_tier(tier),
                verification: status,
            })
        })
        .await?;
    Ok(Json(account))
}
