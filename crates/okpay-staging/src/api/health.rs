//! `GET /healthz`: liveness probe.

/// Plain `ok`.
pub async fn healthz() -> &'static str {
    "ok"
}
