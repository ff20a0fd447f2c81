//! In-process tests of the composed router with `tower::ServiceExt::oneshot`: every route
//! is reachable, and the framework's own failures come out as `{code, message}`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use okpay_rules::{ApiError, ErrorCode};
use okpay_staging::{NO_ROUTE_MESSAGE, ReviewMode};
use tower::ServiceExt;

fn router(dir: &std::path::Path) -> Router {
    let config = okpay_testkit::staging::config(dir, ReviewMode::Manual);
    let (_, router) = okpay_staging::compose(config, &tokio::runtime::Handle::current()).unwrap();
    router
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, String, Option<String>) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body =
        String::from_utf8(to_bytes(resp.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    (status, body, ctype)
}

async fn error(app: &Router, req: Request<Body>) -> (StatusCode, ApiError) {
    let (status, body, ctype) = call(app, req).await;
    assert_eq!(ctype.as_deref(), Some("application/json"), "{body}");
    let err: ApiError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(status.as_u16(), err.code.http_status());
    (status, err)
}

fn json(method: &str, uri: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn health_register_and_login_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(dir.path());
    let (status, body, _) = call(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));

    let creds = r#"{"login":"inproc@example.com","password":"long-enough-1"}"#;
    let (status, body, _) = call(&app, json("POST", "/v1/auth/register", creds)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body, _) = call(&app, json("POST", "/v1/auth/login", creds)).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let token = v["access_token"].as_str().unwrap();
    let req = Request::get("/v1/account")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (status, body, _) = call(&app, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"tier\":\"unverified\""), "{body}");
}

#[tokio::test]
async fn framework_failures_are_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(dir.path());

    let (_, e) = error(
        &app,
        Request::get("/v2/nothing").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(
        (e.code, e.message.as_str()),
        (ErrorCode::NotFound, NO_ROUTE_MESSAGE)
    );
    // A known path with another method: 405 with the method it takes.
    let resp = app
        .clone()
        .oneshot(Request::get("/v1/auth/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(resp.headers()["allow"], "POST");
    let (_, e) = error(
        &app,
        Request::delete("/v1/account").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(e.code, ErrorCode::MethodNotAllowed);
    let resp = app
        .clone()
        .oneshot(
            Request::builder()
                .method("TRACE")
                .uri("/v1/account")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.headers()["allow"], "GET, HEAD");
    // A path served for two methods lists both.
    let resp = app
        .clone()
        .oneshot(
            Request::delete("/v1/support/conversations")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    assert_eq!(resp.headers()["allow"], "GET, HEAD, POST");

    let (_, e) = error(&app, json("POST", "/v1/auth/login", "{not json")).await;
    assert_eq!(e.code, ErrorCode::BadRequest);
    let (_, e) = error(
        &app,
        json("POST", "/v1/auth/login", r#"{"login":"a@b.cc"}"#),
    )
    .await;
    assert_eq!(e.code, ErrorCode::BadRequest);
    assert!(
        e.message.contains("missing field `password`"),
        "{}",
        e.message
    );
    let (_, e) = error(
        &app,
        json("POST", "/v1/auth/login", r#"{"login":5,"password":"x"}"#),
    )
    .await;
    assert_eq!(e.code, ErrorCode::BadRequest);
    let req = Request::post("/v1/auth/login")
        .header("content-type", "text/plain")
        .body(Body::from(r#"{"login":"a@b.cc","password":"12345678"}"#))
        .unwrap();
    let (_, e) = error(&app, req).await;
    assert_eq!(e.code, ErrorCode::BadRequest);
    let req = Request::post("/v1/auth/login").body(Body::empty()).unwrap();
    let (_, e) = error(&app, req).await;
    assert_eq!(e.code, ErrorCode::BadRequest);
    let big = format!(
        r#"{{"login":"{}","password":"12345678"}}"#,
        "a".repeat(3 << 20)
    );
    let (status, e) = error(&app, json("POST", "/v1/auth/login", &big)).await;
    assert_eq!(
        (status, e.code),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
    );

    let (_, e) = error(
        &app,
        Request::get("/v1/verification/status?wait=abc")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        e.code,
        ErrorCode::AuthRequired,
        "auth is checked before the query"
    );
}

#[tokio::test]
async fn every_route_in_the_table_reaches_a_handler() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(dir.path());
    let table = okpay_staging::route_table();
    assert_eq!(table.len(), 27);
    for (method, path) in table {
        let uri = path
            .replace("{side}", "portrait")
            .replace("{id}", "some-id");
        let req = Request::builder()
            .method(method)
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let (status, body, _) = call(&app, req).await;
        assert!(
            !body.contains(NO_ROUTE_MESSAGE) && status.as_u16() != 405,
            "{method} {path} is not routed: {status} {body}"
        );
        if path != "/healthz" {
            let err: ApiError = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("{method} {path}: {e}: {body}"));
            assert_ne!(err.code, ErrorCode::Internal, "{method} {path}");
        }
    }
}
