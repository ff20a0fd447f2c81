//! The route table and the router: every route, the JSON fallbacks for unknown routes and
//! methods, the request deadlines (`deadline`), and a last-resort layer that turns any
//! non-JSON error into `{code, message}`.

use crate::api::{
    account, admin, auth, health, photos, submit, support, support_desk, verification,
};
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
        ("GET", "/v1/support/conversations", get(support::list)),
        ("POST", "/v1/support/conversations", post(support::create)),
        ("GET", "/v1/support/conversations/{id}", get(support::get)),
        (
            "POST",
            "/v1/support/conversations/{id}/messages",
            post(support::post_message),
        ),
        (
            "POST",
            "/v1/support/conversations/{id}/read",
            post(support::read),
        ),
        ("GET", "/v1/support/updates", get(support::updates)),
        (
            "GET",
            "/v1/admin/support/conversations",
            get(support_desk::queue),
        ),
        (
            "GET",
            "/v1/admin/support/conversations/{id}",
            get(support_desk::get),
        ),
        (
            "POST",
            "/v1/admin/support/conversations/{id}/messages",
            post(support_desk::reply),
        ),
        (
            "POST",
            "/v1/admin/support/conversations/{id}/close",
            post(support_desk::close),
        ),
        (
            "POST",
            "/v1/admin/support/conversations/{id}/change/approve",
            post(support_desk::approve_change),
        ),
        (
            "POST",
            "/v1/admin/support/conversations/{id}/change/reject",
            post(support_desk::reject_change),
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

/// `METHOD_NOT_ALLOWED` with the `Allow` header listing the methods a path is served for
/// (a GET route answers HEAD too).
fn not_allowed(allow: &str) -> Response {
    let mut res = AppError::new(ErrorCode::MethodNotAllowed).into_response();
    if let Ok(value) = HeaderValue::from_str(allow) {
        res.headers_mut().insert(ALLOW, value);
    }
    res
}

/// The table's routes merged by path (a path may take several methods), in table order,
/// each with its `Allow` value.
fn by_path() -> Vec<(&'static str, String, MethodRouter<Staging>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>, MethodRouter<Staging>)> = Vec::new();
    for (method, path, method_router) in table() {
        match out.iter_mut().find(|(p, _, _)| *p == path) {
            Some(entry) => {
                entry.1.push(method);
                entry.2 = std::mem::replace(&mut entry.2, MethodRouter::new()).merge(method_router);
            }
            None => out.push((path, vec![method], method_router)),
        }
    }
    out.into_iter()
        .map(|(path, methods, method_router)| {
            let allow: Vec<&str> = methods
                .iter()
                .flat_map(|m| {
                    if *m == "GET" {
                        vec!["GET", "HEAD"]
                    } else {
                        vec![*m]
                    }
                })
                .collect();
            (path, allow.join(", "), method_router)
        })
        .collect()
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
    for (path, allow, method_router) in by_path() {
        router = router.route(
            path,
            method_router.fallback(move || async move { not_allowed(&allow) }),
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
