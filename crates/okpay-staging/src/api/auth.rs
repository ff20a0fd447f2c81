//! `/v1/auth/*`: register, login, rotating refresh within the session's absolute lifetime,
//! logout. A sign-in or registration is counted before its password is hashed (the decision
//! table is in `crate::ratelimit`), and every hash goes through the hashing gate
//! (`crate::password::Gate`). Each login and refresh also deletes a batch of the session
//! rows nothing can use any more.

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::extract::{ApiJson, ClientAddr, bearer};
use crate::password;
use crate::ratelimit::{self, Attempt};
use crate::state::Staging;
use crate::store::sessions::{self, PURGE_BATCH, Purged, RefreshOutcome};
use crate::store::throttle::{self, Bucket, Reserved};
use crate::store::{devices, users};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use okpay_rules::ErrorCode;
use okpay_rules::contract::{
    Credentials, DEVICE_TOKEN_HEADER, RefreshRequest, Registered, TokenReply,
};
use okpay_rules::validate;
use rusqlite::TransactionBehavior;

/// Longest device token looked up; anything longer is no token of ours.
const MAX_DEVICE_TOKEN_LEN: usize = 128;

/// `RATE_LIMITED`, to be tried again in `wait_ms` (rounded up to seconds).
fn rate_limited(wait_ms: i64) -> AppError {
    let secs = u64::try_from(wait_ms.saturating_add(999) / 1000).unwrap_or(1);
    AppError::new(ErrorCode::RateLimited).retry_after(secs)
}

/// Take back the count of an attempt whose password was never checked.
async fn release(st: &Staging, attempt: String) {
    let released = st
        .inner
        .db
        .call(move |c| Ok(throttle::release(c, &attempt)?))
        .await;
    if released.is_err() {
        tracing::warn!("an unchecked attempt stays counted");
    }
}

/// `POST /v1/auth/register` → 201 `Registered`. Counted per client address; a full hashing
/// queue answers `SERVICE_UNAVAILABLE`.
pub async fn register(
    State(st): State<Staging>,
    ClientAddr(addr): ClientAddr,
    ApiJson(creds): ApiJson<Credentials>,
) -> AppResult<(StatusCode, Json<Registered>)> {
    let login = validate::login_id(&creds.login)
        .map_err(AppError::new)?
        .as_str()
        .to_owned();
    validate::password(creds.password.expose()).map_err(AppError::new)?;
    let address = ratelimit::client_address(addr);
    let buckets = st
        .inner
        .limits
        .buckets(&Attempt::Register { address: &address });
    let reserved = st
        .inner
        .db
        .call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let reserved = throttle::reserve(&tx, &buckets, clock::now_ms())?;
            tx.commit()?;
            Ok(reserved)
        })
        .await?;
    let attempt = match reserved {
        Reserved::Taken(attempt) => attempt,
        Reserved::Full { retry_after_ms } => {
            tracing::warn!("registration refused: too many from this address");
            return Err(rate_limited(retry_after_ms));
        }
    };
    let fast = st.config().fast_password_hashing_for_tests;
    let secret = creds.password;
    let hashed = st
        .inner
        .hashing
        .run(move |memory| password::hash(secret.expose(), fast, memory))
        .await;
    let hash = match hashed {
        Ok(hash) => hash.map_err(|e| AppError::internal("password hashing failed", e))?,
        Err(e) => {
            release(&st, attempt).await;
            return Err(e);
        }
    };
    let stored_login = login.clone();
    let user_id = st
        .inner
        .db
        .call(move |c| {
            // A registration stays counted, whether the account is new or not.
            throttle::settle(c, &attempt)?;
            users::insert(c, &stored_login, &hash)
        })
        .await?;
    tracing::info!(user = %user_id, "account registered");
    Ok((StatusCode::CREATED, Json(Registered { user_id, login })))
}

/// The device token a request presents, if it looks like one.
fn presented_device(headers: &HeaderMap) -> Option<String> {
    let token = headers.get(DEVICE_TOKEN_HEADER)?.to_str().ok()?.trim();
    (!token.is_empty() && token.len() <= MAX_DEVICE_TOKEN_LEN).then(|| token.to_owned())
}

/// What the counting step of a sign-in found.
struct Counted {
    reserved: Reserved,
    /// The client's own bucket, emptied by a right password.
    own: Option<Bucket>,
    user: Option<users::UserRow>,
    /// The presented device token, when it is a known device of this account.
    known_device: Option<String>,
}

/// `POST /v1/auth/login` → `TokenReply`, with the client's device token in `X-Device-Token`.
/// Unknown login and wrong password answer alike. Counted before the password is checked;
/// a full bucket (see `crate::ratelimit`) → `RATE_LIMITED` with `Retry-After`.
pub async fn login(
    State(st): State<Staging>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(creds): ApiJson<Credentials>,
) -> AppResult<([(&'static str, String); 1], Json<TokenReply>)> {
    let account = validate::login_id(&creds.login)
        .map(|l| l.as_str().to_owned())
        .unwrap_or_else(|_| creds.login.trim().to_lowercase());
    let address = ratelimit::client_address(addr);
    let presented = presented_device(&headers);
    let limits = st.inner.limits;
    let device_ttl = clock::duration_ms(st.config().known_device_ttl) / 1000;
    let counted = st
        .inner
        .db
        .call(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now_ms = clock::now_ms();
            let user = users::by_login(&tx, &account)?;
            let mut known_device = None;
            if let (Some(user), Some(token)) = (&user, presented) {
                let owner = devices::owner(
                    &tx,
                    &devices::fingerprint(&token),
                    now_ms / 1000,
                    device_ttl,
                )?;
                if owner.as_deref() == Some(user.id.as_str()) {
                    known_device = Some(token);
                }
            }
            let fingerprint = known_device.as_deref().map(devices::fingerprint);
            let buckets = limits.buckets(&Attempt::SignIn {
                account: &account,
                address: &address,
                known_device: fingerprint.as_deref(),
            });
            let reserved = throttle::reserve(&tx, &buckets, now_ms)?;
            tx.commit()?;
            Ok(Counted {
                reserved,
                own: buckets.into_iter().next(),
                user,
                known_device,
            })
        })
        .await?;
    let attempt = match counted.reserved {
        Reserved::Taken(attempt) => attempt,
        Reserved::Full { retry_after_ms } => {
            tracing::warn!("login refused: too many failures");
            return Err(rate_limited(retry_after_ms));
        }
    };
    let (user_id, phc) = match counted.user {
        Some(u) => (Some(u.id), u.password_hash),
        None => (None, st.inner.dummy_hash.clone()),
    };
    let secret = creds.password;
    let checked = st
        .inner
        .hashing
        .run(move |memory| password::verify(secret.expose(), &phc, memory))
        .await;
    let matches = match checked {
        Ok(matches) => matches,
        Err(e) => {
            release(&st, attempt).await;
            return Err(e);
        }
    };
    let Some(user_id) = user_id.filter(|_| matches) else {
        // A wrong password stays counted.
        st.inner
            .db
            .call(move |c| Ok(throttle::settle(c, &attempt)?))
            .await?;
        return Err(AppError::new(ErrorCode::AuthInvalidCredentials));
    };
    let lifetimes = st.inner.lifetimes;
    let uid = user_id.clone();
    let (own, known_device) = (counted.own, counted.known_device);
    let (reply, device) = st
        .inner
        .db
        .transaction(move |tx| {
            throttle::release(tx, &attempt)?;
            if let Some(own) = own {
                throttle::clear(tx, &own.key)?;
            }
            let now = clock::now_secs();
            let device = match known_device {
                Some(token) => {
                    devices::touch(tx, &devices::fingerprint(&token), now)?;
                    token
                }
                None => devices::remember(tx, &uid, now, device_ttl)?,
            };
            Ok((sessions::start(tx, &uid, lifetimes)?, device))
        })
        .await?;
    tracing::info!(user = %user_id, "signed in");
    purge_sessions(&st).await;
    Ok(([(DEVICE_TOKEN_HEADER, device)], Json(reply)))
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

#[cfg(test)]
mod tests {
    use crate::config::{Config, ReviewMode};
    use axum::body::Body;
    use axum::http::Request;
    use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
    use std::time::Duration;
    use tower::ServiceExt;

    fn fail(e: impl std::fmt::Debug) -> String {
        format!("{e:?}")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_hashing_queue_answers_503_and_leaves_nothing_counted() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(fail)?;
        let mut config = Config::new(dir.path(), "admin");
        config.review = ReviewMode::Manual;
        config.fast_password_hashing_for_tests = true;
        config.password_hashing_concurrency = 1;
        config.password_hashing_queue = 0;
        let (st, app) = crate::compose(config, &tokio::runtime::Handle::current()).map_err(fail)?;
        // The only hasher is busy.
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let busy = tokio::spawn({
            let st = st.clone();
            async move { st.inner.hashing.run(move |_| hold.recv().is_ok()).await }
        });
        while st.password_hashing().running == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        for path in ["/v1/auth/register", "/v1/auth/login"] {
            let req = Request::post(path)
                .header(CONTENT_TYPE, "application/json")
                .body(Body::from(
                    r#"{"login":"queued@example.com","password":"long-enough-1"}"#,
                ))
                .map_err(fail)?;
            let resp = app.clone().oneshot(req).await.map_err(fail)?;
            assert_eq!(resp.status().as_u16(), 503, "{path}");
            assert_eq!(
                resp.headers().get(RETRY_AFTER).map(|v| v.as_bytes()),
                Some(&b"1"[..]),
                "{path}"
            );
        }
        let counted: i64 = st
            .inner
            .db
            .call(|c| Ok(c.query_row("SELECT COUNT(*) FROM throttle_events", [], |r| r.get(0))?))
            .await
            .map_err(fail)?;
        assert_eq!(counted, 0, "refused attempts are not counted");
        assert_eq!(st.password_hashing().refused, 2);
        release.send(()).map_err(fail)?;
        assert_eq!(busy.await.map_err(fail)?, Ok(true));
        Ok(())
    }
}
