//! The `/v1` API client: reqwest over rustls, connect/read timeouts, `http://` only to
//! loopback, every failure mapped to a coded [`Error`]. Replies are parsed strictly; a reply
//! that does not fit the contract is `BAD_RESPONSE`, never a panic. Errors and logs carry the
//! path only, never query strings, tokens or bodies.

use crate::Error;
use crate::config::checked_url;
use crate::upload::progress_body;
use okpay_rules::contract::{
    self, Account, AdminApplication, Application, CredentialsBody, PersonalInfo, PhotoInfo,
    PhotoSide, RefreshBody, Registered, RejectRequest, StatusReply, TokenPair,
};
use okpay_rules::{ApiError, ErrorCode, Sensitive};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use std::time::Duration;
use url::Url;

/// Connect timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Per-request timeout for ordinary calls (uploads and long polls set their own).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest reply body accepted from the server.
const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// Callback for upload progress: `(bytes_sent, bytes_total)`.
pub type Progress = std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A client of one API endpoint.
#[derive(Clone, Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    base: Url,
}

impl ApiClient {
    /// A client for `base` (`https://…`, or `http://` to loopback).
    pub fn new(base: &str) -> Result<ApiClient, Error> {
        let base = checked_url(base)?;
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("okpay-wallet/", env!("CARGO_PKG_VERSION")))
            .https_only(base.scheme() == "https")
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Unreachable(e.without_url().to_string()))?;
        Ok(ApiClient { http, base })
    }

    /// The base URL.
    pub fn base(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        self.base
            .join(path)
            .map_err(|_| Error::InsecureUrl("bad path".into()))
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, Error> {
        Ok(self
            .http
            .request(method, self.url(path)?)
            .timeout(REQUEST_TIMEOUT))
    }

    fn authed(
        &self,
        method: Method,
        path: &str,
        access: &Sensitive<String>,
    ) -> Result<RequestBuilder, Error> {
        Ok(self.request(method, path)?.bearer_auth(access.expose()))
    }

    // ---- auth ----

    /// `POST /v1/auth/register`.
    pub async fn register(
        &self,
        login: &str,
        password: &Sensitive<String>,
    ) -> Result<Registered, Error> {
        let body = CredentialsBody {
            login,
            password: password.expose(),
        };
        json(self.request(Method::POST, "v1/auth/register")?.json(&body)).await
    }

    /// `POST /v1/auth/login`.
    pub async fn login(
        &self,
        login: &str,
        password: &Sensitive<String>,
    ) -> Result<TokenPair, Error> {
        let body = CredentialsBody {
            login,
            password: password.expose(),
        };
        json(self.request(Method::POST, "v1/auth/login")?.json(&body)).await
    }

    /// `POST /v1/auth/refresh` (the server rotates the refresh token).
    pub async fn refresh(&self, refresh: &Sensitive<String>) -> Result<TokenPair, Error> {
        let body = RefreshBody {
            refresh_token: refresh.expose(),
        };
        json(self.request(Method::POST, "v1/auth/refresh")?.json(&body)).await
    }

    /// `POST /v1/auth/logout`.
    pub async fn logout(
        &self,
        access: &Sensitive<String>,
        refresh: &Sensitive<String>,
    ) -> Result<(), Error> {
        let body = RefreshBody {
            refresh_token: refresh.expose(),
        };
        empty(
            self.authed(Method::POST, "v1/auth/logout", access)?
                .json(&body),
        )
        .await
    }

    // ---- account and verification ----

    /// `GET /v1/account`.
    pub async fn account(&self, access: &Sensitive<String>) -> Result<Account, Error> {
        json(self.authed(Method::GET, "v1/account", access)?).await
    }

    /// `GET /v1/verification`.
    pub async fn verification(&self, access: &Sensitive<String>) -> Result<Application, Error> {
        json(self.authed(Method::GET, "v1/verification", access)?).await
    }

    /// `PUT /v1/verification/personal`.
    pub async fn save_personal(
        &self,
        access: &Sensitive<String>,
        info: &PersonalInfo,
    ) -> Result<Application, Error> {
        json(
            self.authed(Method::PUT, "v1/verification/personal", access)?
                .json(info),
        )
        .await
    }

    /// `PUT /v1/verification/photos/{side}`, multipart, reporting progress as bytes go out.
    pub async fn upload_photo(
        &self,
        access: &Sensitive<String>,
        side: PhotoSide,
        bytes: bytes::Bytes,
        progress: Option<Progress>,
    ) -> Result<PhotoInfo, Error> {
        let total = bytes.len() as u64;
        let part =
            reqwest::multipart::Part::stream_with_length(progress_body(bytes, progress), total)
                .file_name(format!("{}.jpg", side.as_str()))
                .mime_str("image/jpeg")
                .map_err(|e| Error::BadResponse(e.to_string()))?;
        let form = reqwest::multipart::Form::new().part("photo", part);
        let path = format!("v1/verification/photos/{}", side.as_str());
        let req = self
            .authed(Method::PUT, &path, access)?
            .timeout(Duration::from_secs(120))
            .multipart(form);
        json(req).await
    }

    /// `POST /v1/verification/submit` with an idempotency key.
    pub async fn submit(
        &self,
        access: &Sensitive<String>,
        idempotency_key: &str,
    ) -> Result<Application, Error> {
        let req = self
            .authed(Method::POST, "v1/verification/submit", access)?
            .header(contract::IDEMPOTENCY_KEY_HEADER, idempotency_key);
        json(req).await
    }

    /// `GET /v1/verification/status`, long-polling up to `wait` for a revision after `after`.
    pub async fn status(
        &self,
        access: &Sensitive<String>,
        after: Option<u64>,
        wait: Duration,
    ) -> Result<StatusReply, Error> {
        let wait_secs = wait.as_secs().min(contract::MAX_STATUS_WAIT_SECS);
        let mut req = self
            .authed(Method::GET, "v1/verification/status", access)?
            .timeout(Duration::from_secs(wait_secs) + REQUEST_TIMEOUT)
            .query(&[("wait", wait_secs)]);
        if let Some(rev) = after {
            req = req.query(&[("after", rev)]);
        }
        json(req).await
    }

    // ---- tester controls (staging only) ----

    /// `GET /v1/admin/applications`.
    pub async fn admin_list(
        &self,
        admin: &Sensitive<String>,
        status: Option<&str>,
        login: Option<&str>,
    ) -> Result<Vec<AdminApplication>, Error> {
        let mut req = self
            .request(Method::GET, "v1/admin/applications")?
            .header(contract::ADMIN_TOKEN_HEADER, admin.expose());
        if let Some(s) = status {
            req = req.query(&[("status", s)]);
        }
        if let Some(l) = login {
            req = req.query(&[("login", l)]);
        }
        json(req).await
    }

    /// `POST /v1/admin/applications/{id}/approve`.
    pub async fn admin_approve(
        &self,
        admin: &Sensitive<String>,
        id: &str,
    ) -> Result<Application, Error> {
        let path = format!("v1/admin/applications/{}/approve", url_segment(id));
        json(
            self.request(Method::POST, &path)?
                .header(contract::ADMIN_TOKEN_HEADER, admin.expose()),
        )
        .await
    }

    /// `POST /v1/admin/applications/{id}/reject`.
    pub async fn admin_reject(
        &self,
        admin: &Sensitive<String>,
        id: &str,
        reasons: &RejectRequest,
    ) -> Result<Application, Error> {
        let path = format!("v1/admin/applications/{}/reject", url_segment(id));
        let req = self
            .request(Method::POST, &path)?
            .header(contract::ADMIN_TOKEN_HEADER, admin.expose())
            .json(reasons);
        json(req).await
    }
}

/// Keep only characters that are safe in a path segment.
fn url_segment(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

async fn send(req: RequestBuilder) -> Result<Response, Error> {
    let resp = req.send().await.map_err(transport)?;
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let body = read_limited(resp).await?;
    Err(Error::Server(error_body(status, &body)))
}

/// Map a reqwest failure without its URL.
fn transport(e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout
    } else if e.is_connect() || e.is_request() {
        Error::Unreachable(e.to_string())
    } else if e.is_decode() || e.is_body() {
        Error::BadResponse(e.to_string())
    } else {
        Error::Unreachable(e.to_string())
    }
}

async fn read_limited(mut resp: Response) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(transport)? {
        if out.len() + chunk.len() > MAX_REPLY_BYTES {
            return Err(Error::BadResponse("reply too large".into()));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The `{code, message}` of an error reply, or a code derived from the status.
fn error_body(status: StatusCode, body: &[u8]) -> ApiError {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(e) => ApiError {
            message: e.message.chars().take(500).collect(),
            ..e
        },
        Err(_) => ApiError::new(match status.as_u16() {
            401 => ErrorCode::AuthRequired,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            413 => ErrorCode::PayloadTooLarge,
            429 => ErrorCode::RateLimited,
            502..=504 => ErrorCode::ServiceUnavailable,
            s if s >= 500 => ErrorCode::ServerError,
            _ => ErrorCode::BadResponse,
        }),
    }
}

async fn json<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, Error> {
    let resp = send(req).await?;
    let body = read_limited(resp).await?;
    serde_json::from_slice(&body)
        .map_err(|e| Error::BadResponse(format!("reply does not match the contract: {e}")))
}

async fn empty(req: RequestBuilder) -> Result<(), Error> {
    send(req).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_and_bare_statuses_map_to_codes() {
        let e = error_body(
            StatusCode::UNAUTHORIZED,
            br#"{"code":"AUTH_INVALID_CREDENTIALS","message":"no"}"#,
        );
        assert_eq!(e.code, ErrorCode::AuthInvalidCredentials);
        assert_eq!(
            error_body(StatusCode::BAD_GATEWAY, b"<html>").code,
            ErrorCode::ServiceUnavailable
        );
        assert_eq!(
            error_body(StatusCode::IM_A_TEAPOT, b"").code,
            ErrorCode::BadResponse
        );
        assert_eq!(
            error_body(StatusCode::INTERNAL_SERVER_ERROR, b"{}").code,
            ErrorCode::ServerError
        );
    }

    #[test]
    fn refuses_plain_http_to_a_remote_host() {
        assert_eq!(
            ApiClient::new("http://example.com").err().map(|e| e.code()),
            Some(ErrorCode::InsecureUrl)
        );
    }

    #[test]
    fn path_segments_are_sanitised() {
        assert_eq!(url_segment("../x?y=1"), "xy1");
    }
}
