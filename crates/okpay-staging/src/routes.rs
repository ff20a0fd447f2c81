//! The route table and the router: every route, the JSON fallbacks for unknown routes and
//! methods, the request deadlines (`deadline`), and a last-resort layer that turns any
//! non-JSON error into `{code, message}`.

use crate::api::{account, admin, auth, health, photos, submit, verification};
use crate::deadline;
use crate::error::{AppError, error_response};
use crate::state::Staging;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use okpay_rules::{ApiError, ErrorCode};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Message of the `NOT_FOUND` answer for a path no route serves.
pub const NO_ROUTE_MESSAGE: &str = "No such route.";

type Route = (&'static str, &'static str, MethodRouter<Staging>);

fn table() -> Vec<Route> {
    vec![
        ("GET", "/healthz", get(health::healthz)),
        ("POST", "/v1/auth/register", post(auth::register)),
        ("POST", "/v1/auth/login", post(auth::login)),
        ("POST", "/v1/auth/refresh", post(auth::refresh)),
        ("POST", "/v1/auth/logout", post(auth::logout)),
        ("GET", "/v1/account", get(account::account)),
        (
            "GET",
            "/v1/verification",
            get(verification::get_application),
        ),
        (
            "PUT",
            "/v1/verification/consent",
            put(verification::put_consent),
        ),
        (
            "PUT",
            "/v1/verification/personal",
            put(verification::put_personal),
        ),
        (
            "PUT",
            "/v1/verification/photos/{side}",
            put(photos::put_photo).layer(DefaultBodyLimit::max(photos::PHOTO_BODY_LIMIT)),
        ),
        ("POST", "/v1/verification/submit", post(submit::submit)),
        ("GET", "/v1/verification/status", get(verification::status)),
        ("GET", "/v1/admin/applications", get(admin::list)),
        (
            "POST",
            "/v1/admin/applications/{id}/approve",
            post(admin::approve),
        ),
        (
            "POST",
            "/v1/admin/applications/{id}/reject",
            post(admin::reject),
        ),
    ]
}

/// Every `(METHOD, path)` the router serves, paths in axum/OpenAPI template form.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

async fn no_route() -> AppError {
    AppError::with_message(ErrorCode::NotFound, NO_ROUTE_MESSAGE)
}

/// `METHOD_NOT_ALLOWED` with the `Allow` header of a path served for `method` only (each
/// path has one method; a GET route answers HEAD too).
fn not_allowed(method: &'static str) -> Response {
    let allow = if method == "GET" { "GET, HEAD" } else { method };
    let mut res = AppError::new(ErrorCode::MethodNotAllowed).into_response();
    res.headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    res
}

/// Any error response that is not already JSON (a layer's or the framework's own) becomes
/// `{code, message}` with the code's status.
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let code = match status.as_u16() {
        401 => ErrorCode::AuthRequired,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        408 => ErrorCode::RequestTimeout,
        413 => ErrorCode::PayloadTooLarge,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::ServiceUnavailable,
        500..=599 => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    };
    error_response(ApiError::new(code))
}

/// The whole API (`/v1/...` and `/healthz`) over `staging`.
pub fn router(staging: Staging) -> Router {
    let config = staging.config();
    let (body_timeout, request_timeout) = (config.body_timeout, config.request_timeout);
    let mut router = Router::new();
    for (method, path, method_router) in table() {
        router = router.route(
            path,
            method_router.fallback(move || async move { not_allowed(method) }),
        );
    }
    router
        .fallback(no_route)
        .layer(axum::middleware::from_fn_with_state(
            body_timeout,
            deadline::body_deadline,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(axum::middleware::map_response(json_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(staging)
}
