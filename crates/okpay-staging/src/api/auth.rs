//! `/v1/auth/*`: register, login (failures rate-limited per account and per client
//! address), rotating refresh within the session's absolute lifetime, logout. Each login
//! and refresh also deletes a batch of the session rows nothing can use any more.

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ClientAddr, bearer};
use crate::password;
use crate::state::Staging;
use crate::store::sessions::{self, PURGE_BATCH, Purged, RefreshOutcome};
use crate::store::users;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use okpay_rules::ErrorCode;
use okpay_rules::contract::{Credentials, RefreshRequest, Registered, TokenReply};
use okpay_rules::validate;

/// `POST /v1/auth/register` → 201 `Registered`.
pub async fn register(
    State(st): State<Staging>,
    ApiJson(creds): ApiJson<Credentials>,
) -> AppResult<(StatusCode, Json<Registered>)> {
    let login = validate::login_id(&creds.login)
        .map_err(AppError::new)?
        .as_str()
        .to_owned();
    validate::password(creds.password.expose()).map_err(AppError::new)?;
    let fast = st.config().fast_password_hashing_for_tests;
    let secret = creds.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(secret.expose(), fast))
        .await?
        .map_err(|e| AppError::internal("password hashing failed", e))?;
    let stored_login = login.clone();
    let user_id = st
        .inner
        .db
        .call(move |c| users::insert(c, &stored_login, &hash))
        .await?;
    tracing::info!(user = %user_id, "account registered");
    Ok((StatusCode::CREATED, Json(Registered { user_id, login })))
}

/// `POST /v1/auth/login` → `TokenReply`. Unknown login and wrong password answer alike.
/// Too many failures for the account, or from the client's address, → `RATE_LIMITED`.
pub async fn login(
    State(st): State<Staging>,
    ClientAddr(addr): ClientAddr,
    ApiJson(creds): ApiJson<Credentials>,
) -> AppResult<Json<TokenReply>> {
    let address = addr.map(|a| a.to_string());
    let by_address = &st.inner.address_limiter;
    if address.as_deref().is_some_and(|a| by_address.is_blocked(a)) {
        tracing::warn!("login refused: too many failures from this address");
        return Err(AppError::new(ErrorCode::RateLimited));
    }
    let account = validate::login_id(&creds.login)
        .map(|l| l.as_str().to_owned())
        .unwrap_or_else(|_| creds.login.trim().to_lowercase());
    let limiter = &st.inner.limiter;
    if limiter.is_blocked(&account) {
        tracing::warn!("login refused: too many failures for this account");
        return Err(AppError::new(ErrorCode::RateLimited));
    }
    let lookup = account.clone();
    let user = st
        .inner
        .db
        .call(move |c| Ok(users::by_login(c, &lookup)?))
        .await?;
    let (user_id, phc) = match user {
        Some(u) => (Some(u.id), u.password_hash),
        None => (None, st.inner.dummy_hash.clone()),
    };
    let secret = creds.password;
    let matches =
        tokio::task::spawn_blocking(move || password::verify(secret.expose(), &phc)).await?;
    let Some(user_id) = user_id.filter(|_| matches) else {
        limiter.record_failure(&account);
        if let Some(a) = &address {
            by_address.record_failure(a);
        }
        return Err(AppError::new(ErrorCode::AuthInvalidCredentials));
    };
    limiter.reset(&account);
    let lifetimes = st.inner.lifetimes;
    let uid = user_id.clone();
    let reply = st
        .inner
        .db
        .call(move |c| Ok(sessions::start(c, &uid, lifetimes)?))
        .await?;
    tracing::info!(user = %user_id, "signed in");
    purge_sessions(&st).await;
    Ok(Json(reply))
}

/// `POST /v1/auth/refresh` → new `TokenReply`; the presented token is consumed, and a
/// consumed one presented again revokes its whole session.
pub async fn refresh(
    State(st): State<Staging>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> AppResult<Json<TokenReply>> {
    let lifetimes = st.inner.lifetimes;
    let outcome = st
        .inner
        .db
        .transaction(move |tx| Ok(sessions::rotate(tx, req.refresh_token.expose(), lifetimes)?))
        .await?;
    match outcome {
        RefreshOutcome::Rotated(reply) => {
            purge_sessions(&st).await;
            Ok(Json(reply))
        }
        RefreshOutcome::Reused | RefreshOutcome::Invalid => {
            Err(AppError::new(ErrorCode::AuthSessionExpired))
        }
    }
}

/// Delete a batch of expired and ended session rows ([`sessions::purge`]); a failure is
/// only logged, the request it follows has succeeded.
async fn purge_sessions(st: &Staging) {
    let lifetimes = st.inner.lifetimes;
    let purged = st
        .inner
        .db
        .transaction(move |tx| {
            Ok(sessions::purge(
                tx,
                clock::now_ms(),
                lifetimes,
                PURGE_BATCH,
            )?)
        })
        .await;
    match purged {
        Ok(p) if p != Purged::default() => tracing::debug!(
            access_tokens = p.access_tokens,
            refresh_tokens = p.refresh_tokens,
            families = p.families,
            "ended session rows deleted"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(code = %e.code(), "deleting ended session rows failed"),
    }
}

/// `POST /v1/auth/logout` → 204. Revokes the refresh token's session and, when a valid
/// Bearer access token comes along, that token's session. Unknown tokens are not an error.
pub async fn logout(
    State(st): State<Staging>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> AppResult<StatusCode> {
    let access = bearer(&headers).ok().flatten();
    st.inner
        .db
        .transaction(move |tx| {
            if let Some(family) = sessions::family_of_refresh(tx, req.refresh_token.expose())? {
                sessions::revoke_family(tx, &family)?;
            }
            if let Some(authed) = access
                .map(|a| sessions::authenticate(tx, &a))
                .transpose()?
                .flatten()
            {
                sessions::revoke_family(tx, &authed.family_id)?;
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
