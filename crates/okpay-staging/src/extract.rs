//! Request extractors whose failures come out as `{code, message}`: JSON bodies, query
//! strings, path parameters, the signed-in user (Bearer access token) and the tester
//! controls' admin token.

use crate::error::AppError;
use crate::secrets;
use crate::state::Staging;
use crate::store::sessions;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use okpay_rules::ErrorCode;
use okpay_rules::contract::ADMIN_TOKEN_HEADER;
use serde::de::DeserializeOwned;

/// The client's IP address, when the server was started with connection info (absent when
/// the router is driven directly, as in-process tests do).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// A JSON body; bad JSON, missing fields, a wrong content type or an oversize body are
/// `BAD_REQUEST` / `PAYLOAD_TOO_LARGE`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(r) => Err(json_rejection(&r)),
        }
    }
}

fn json_rejection(r: &JsonRejection) -> AppError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::new(ErrorCode::PayloadTooLarge);
    }
    let message = match r {
        JsonRejection::MissingJsonContentType(_) => {
            "Expected a body with Content-Type: application/json.".to_owned()
        }
        JsonRejection::JsonSyntaxError(_) => "The request body is not valid JSON.".to_owned(),
        JsonRejection::JsonDataError(e) => {
            // serde's "missing field `x`" names a field, never a value: safe to pass on.
            let text = e.body_text();
            match text.find("missing field") {
                Some(i) => format!("The JSON body is incomplete: {}", &text[i..]),
                None => "The JSON body has a field of the wrong type or value.".to_owned(),
            }
        }
        _ => "The request body could not be read.".to_owned(),
    };
    AppError::with_message(ErrorCode::BadRequest, message)
}

/// A query string; a malformed one is `BAD_REQUEST`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|_: QueryRejection| {
                AppError::with_message(ErrorCode::BadRequest, "The query string is not valid.")
            })
    }
}

/// Path parameters; a malformed one is `NOT_FOUND`.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|_: PathRejection| AppError::new(ErrorCode::NotFound))
    }
}

/// The bearer token of a request: `Ok(None)` without an `Authorization` header, an error
/// for a header that is not `Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let expired = || AppError::new(ErrorCode::AuthSessionExpired);
    let value = value.to_str().map_err(|_| expired())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(expired)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(expired());
    }
    Ok(Some(token.to_owned()))
}

/// The signed-in user. Missing token: `AUTH_REQUIRED`; unknown, expired or revoked:
/// `AUTH_SESSION_EXPIRED`.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user_id: String,
}

impl FromRequestParts<Staging> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &Staging) -> Result<Self, AppError> {
        let token = bearer(&parts.headers)?.ok_or(AppError::new(ErrorCode::AuthRequired))?;
        let authed = st
            .inner
            .db
            .call(move |c| Ok(sessions::authenticate(c, &token)?))
            .await?;
        authed
            .map(|a| Auth { user_id: a.user_id })
            .ok_or(AppError::new(ErrorCode::AuthSessionExpired))
    }
}

/// A request carrying the right `X-Admin-Token`; otherwise `FORBIDDEN`.
pub struct Admin;

impl FromRequestParts<Staging> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &Staging) -> Result<Self, AppError> {
        let expected = st.inner.config.admin_token.as_bytes();
        let given = parts.headers.get(ADMIN_TOKEN_HEADER).map(|v| v.as_bytes());
        match given {
            Some(given) if !expected.is_empty() && secrets::constant_time_eq(given, expected) => {
                Ok(Admin)
            }
            _ => Err(AppError::new(ErrorCode::Forbidden)),
        }
    }
}
