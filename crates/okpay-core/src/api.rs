//! The `/v1` API client: reqwest over rustls, connect/read timeouts, an upload stall
//! timeout, `http://` only to loopback, every failure mapped to a coded [`Error`]. A
//! loopback endpoint is always reached directly, never through a proxy from the environment
//! (`HTTP_PROXY`, `ALL_PROXY`…): that traffic is plain HTTP and carries passwords and
//! tokens; other endpoints keep the system proxy.
//! Idempotent requests (GETs, PUTs, the submit carrying its `Idempotency-Key`) are retried
//! on connection failures, timeouts, 408 and 502/503/504 with exponential backoff and full
//! jitter, honouring `Retry-After` (see [`RetryPolicy`]); login, register, refresh and
//! logout are sent once. Replies are parsed strictly; a reply that does not fit the contract
//! is `BAD_RESPONSE`, never a panic. Errors and logs carry the path only, never query
//! strings, tokens or bodies.

mod support;

use crate::Error;
use crate::config::{checked_url, is_loopback};
use crate::retry::{Failure, RetryPolicy, run};
use crate::upload::{StallWatch, progress_body};
use okpay_rules::contract::{
    self, Account, AdminApplication, Application, CredentialsBody, DEVICE_TOKEN_HEADER,
    PersonalInfo, PhotoInfo, PhotoSide, RefreshBody, Registered, RejectRequest, StatusReply,
    TokenPair,
};
use okpay_rules::{ApiError, ErrorCode, Sensitive};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Connect timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Per-request timeout for ordinary calls (uploads and long polls set their own).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest reply body accepted from the server.
const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// Time allowed for a whole photo upload.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(120);
/// An upload that sends nothing for this long is given up (`NETWORK_TIMEOUT`).
pub const STALL_TIMEOUT: Duration = Duration::from_secs(20);

pub use crate::upload::Progress;

/// How long the client waits, per phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing the TCP/TLS connection.
    pub connect: Duration,
    /// A whole ordinary request, reply included; also the longest silence while reading.
    pub request: Duration,
    /// A whole photo upload.
    pub upload: Duration,
    /// An upload that makes no progress for this long is cut.
    pub stall: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: CONNECT_TIMEOUT,
            request: REQUEST_TIMEOUT,
            upload: UPLOAD_TIMEOUT,
            stall: STALL_TIMEOUT,
        }
    }
}

/// Everything tunable about a client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientOptions {
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
}

/// A client of one API endpoint.
#[derive(Clone, Debug)]
pub struct ApiClient {
    /// Ordinary calls: a read that stays silent for the request timeout fails.
    http: reqwest::Client,
    /// Uploads and long polls, where silence is expected: bounded by their own timeouts
    /// (the stall watch and the total for uploads, wait + request for long polls).
    http_long: reqwest::Client,
    base: Url,
    options: ClientOptions,
}

impl ApiClient {
    /// A client for `base` (`https://…`, or `http://` to loopback) with the default
    /// timeouts and retry policy.
    pub fn new(base: &str) -> Result<ApiClient, Error> {
        ApiClient::with_options(base, ClientOptions::default())
    }

    /// A client for `base` with the given timeouts and retry policy.
    pub fn with_options(base: &str, options: ClientOptions) -> Result<ApiClient, Error> {
        let base = checked_url(base)?;
        let direct = is_loopback(&base);
        let builder = || {
            let b = reqwest::Client::builder()
                .connect_timeout(options.timeouts.connect)
                .user_agent(concat!("okpay-wallet/", env!("CARGO_PKG_VERSION")))
                .https_only(base.scheme() == "https")
                .redirect(reqwest::redirect::Policy::none());
            // Redirects are off, so every request of this client goes to `base`'s host.
            if direct { b.no_proxy() } else { b }
        };
        let built = |b: reqwest::ClientBuilder| {
            b.build()
                .map_err(|e| Error::Unreachable(e.without_url().to_string()))
        };
        let http = built(builder().read_timeout(options.timeouts.request))?;
        let http_long = built(builder())?;
        Ok(ApiClient {
            http,
            http_long,
            base,
            options,
        })
    }

    /// The timeouts and retry policy in force.
    pub fn options(&self) -> ClientOptions {
        self.options
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
            .timeout(self.options.timeouts.request))
    }

    fn authed(
        &self,
        method: Method,
        path: &str,
        access: &Sensitive<String>,
    ) -> Result<RequestBuilder, Error> {
        Ok(self.request(method, path)?.bearer_auth(access.expose()))
    }

    /// Send what `build` makes, again and again under the retry policy while the failure
    /// is transient (idempotent requests only).
    async fn idempotent<T, F, Fut>(&self, what: &'static str, attempt: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        run(&self.options.retry, what, attempt).await
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
        self.login_as_device(login, password, None)
            .await
            .map(|(pair, _)| pair)
    }

    /// `POST /v1/auth/login` presenting this device's token for the account (other clients'
    /// failed sign-ins do not lock a known device out) → the tokens and the device token the
    /// server answers, to keep for the next sign-in.
    pub async fn login_as_device(
        &self,
        login: &str,
        password: &Sensitive<String>,
        device: Option<&Sensitive<String>>,
    ) -> Result<(TokenPair, Option<Sensitive<String>>), Error> {
        let body = CredentialsBody {
            login,
            password: password.expose(),
        };
        let mut req = self.request(Method::POST, "v1/auth/login")?.json(&body);
        if let Some(device) = device {
            req = req.header(DEVICE_TOKEN_HEADER, device.expose());
        }
        let resp = send(req).await.map_err(|f| f.error)?;
        let answered = resp
            .headers()
            .get(DEVICE_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 256)
            .map(|v| Sensitive::new(v.to_owned()));
        let body = read_limited(resp).await.map_err(|f| f.error)?;
        let pair = serde_json::from_slice(&body)
            .map_err(|e| Error::BadResponse(format!("reply does not match the contract: {e}")))?;
        Ok((pair, answered))
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
        self.idempotent("account", || async {
            json_once(self.authed(Method::GET, "v1/account", access)?).await
        })
        .await
    }

    /// `GET /v1/verification`.
    pub async fn verification(&self, access: &Sensitive<String>) -> Result<Application, Error> {
        self.idempotent("verification", || async {
            json_once(self.authed(Method::GET, "v1/verification", access)?).await
        })
        .await
    }

    /// `PUT /v1/verification/consent`.
    pub async fn consent(
        &self,
        access: &Sensitive<String>,
        version: &str,
    ) -> Result<Application, Error> {
        let body = okpay_rules::contract::ConsentRequest {
            version: version.to_owned(),
        };
        self.idempotent("consent", || async {
            json_once(
                self.authed(Method::PUT, "v1/verification/consent", access)?
                    .json(&body),
            )
            .await
        })
        .await
    }

    /// `PUT /v1/verification/personal`.
    pub async fn save_personal(
        &self,
        access: &Sensitive<String>,
        info: &PersonalInfo,
    ) -> Result<Application, Error> {
        self.idempotent("personal", || async {
            json_once(
                self.authed(Method::PUT, "v1/verification/personal", access)?
                    .json(info),
            )
            .await
        })
        .await
    }

    /// `PUT /v1/verification/photos/{side}`, multipart, reporting progress as bytes go out.
    /// Cut when no byte goes out for the stall timeout; the same bytes are sent again under
    /// the retry policy (the PUT is idempotent).
    pub async fn upload_photo(
        &self,
        access: &Sensitive<String>,
        side: PhotoSide,
        bytes: bytes::Bytes,
        progress: Option<Progress>,
    ) -> Result<PhotoInfo, Error> {
        self.idempotent("photo upload", || {
            self.upload_once(access, side, bytes.clone(), progress.clone())
        })
        .await
    }

    async fn upload_once(
        &self,
        access: &Sensitive<String>,
        side: PhotoSide,
        bytes: bytes::Bytes,
        progress: Option<Progress>,
    ) -> Result<PhotoInfo, Failure> {
        let total = bytes.len() as u64;
        let watch = Arc::new(StallWatch::new());
        let body = progress_body(bytes, progress, watch.clone());
        let part = reqwest::multipart::Part::stream_with_length(body, total)
            .file_name(format!("{}.jpg", side.as_str()))
            .mime_str("image/jpeg")
            .map_err(|e| Error::BadResponse(e.to_string()))?;
        let form = reqwest::multipart::Form::new().part("photo", part);
        let path = format!("v1/verification/photos/{}", side.as_str());
        let req = self
            .http_long
            .request(Method::PUT, self.url(&path)?)
            .bearer_auth(access.expose())
            .timeout(self.options.timeouts.upload)
            .multipart(form);
        tokio::select! {
            reply = json_once(req) => reply,
            () = watch.stalled(self.options.timeouts.stall) => {
                tracing::warn!(side = side.as_str(), "upload stalled; cut");
                Err(Error::Timeout.into())
            }
        }
    }

    /// `POST /v1/verification/submit` with an idempotency key.
    pub async fn submit(
        &self,
        access: &Sensitive<String>,
        idempotency_key: &str,
    ) -> Result<Application, Error> {
        self.idempotent("submit", || async {
            let req = self
                .authed(Method::POST, "v1/verification/submit", access)?
                .header(contract::IDEMPOTENCY_KEY_HEADER, idempotency_key);
            json_once(req).await
        })
        .await
    }

    /// `GET /v1/verification/status`, long-polling up to `wait` for a revision after `after`.
    pub async fn status(
        &self,
        access: &Sensitive<String>,
        after: Option<u64>,
        wait: Duration,
    ) -> Result<StatusReply, Error> {
        let wait_secs = wait.as_secs().min(contract::MAX_STATUS_WAIT_SECS);
        self.idempotent("status", || async {
            let mut req = self
                .http_long
                .request(Method::GET, self.url("v1/verification/status")?)
                .bearer_auth(access.expose())
                .timeout(Duration::from_secs(wait_secs) + self.options.timeouts.request)
                .query(&[("wait", wait_secs)]);
            if let Some(rev) = after {
                req = req.query(&[("after", rev)]);
            }
            json_once(req).await
        })
        .await
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

async fn send(req: RequestBuilder) -> Result<Response, Failure> {
    let resp = req.send().await.map_err(transport)?;
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let retry_after = crate::retry::retry_after(resp.headers());
    let body = read_limited(resp).await?;
    Err(Failure {
        error: Error::Server(error_body(status, &body)),
        status: Some(status.as_u16()),
        retry_after,
    })
}

/// Map a reqwest failure without its URL. A connection that broke while the request or
/// the reply was on the wire is `NETWORK_UNREACHABLE` (worth another try); a reply that
/// cannot be decoded is `BAD_RESPONSE`.
fn transport(e: reqwest::Error) -> Failure {
    let e = e.without_url();
    let error = if e.is_timeout() {
        Error::Timeout
    } else if e.is_decode() {
        Error::BadResponse(e.to_string())
    } else {
        Error::Unreachable(e.to_string())
    };
    error.into()
}

async fn read_limited(mut resp: Response) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(transport)? {
        if out.len() + chunk.len() > MAX_REPLY_BYTES {
            return Err(Error::BadResponse("reply too large".into()).into());
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
            405 => ErrorCode::MethodNotAllowed,
            408 => ErrorCode::RequestTimeout,
            413 => ErrorCode::PayloadTooLarge,
            429 => ErrorCode::RateLimited,
            502..=504 => ErrorCode::ServiceUnavailable,
            s if s >= 500 => ErrorCode::ServerError,
            _ => ErrorCode::BadResponse,
        }),
    }
}

/// One attempt: send, then parse the reply as `T`.
async fn json_once<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, Failure> {
    let resp = send(req).await?;
    let body = read_limited(resp).await?;
    serde_json::from_slice(&body)
        .map_err(|e| Error::BadResponse(format!("reply does not match the contract: {e}")).into())
}

/// A request sent once, never again.
async fn json<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, Error> {
    json_once(req).await.map_err(|f| f.error)
}

async fn empty(req: RequestBuilder) -> Result<(), Error> {
    send(req).await.map(drop).map_err(|f| f.error)
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
