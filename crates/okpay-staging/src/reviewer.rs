//! The automatic reviewer: approves each pending application a fixed delay after its
//! submission. It sleeps until the next one is due or a submission wakes it, and decides
//! at start-up whatever fell due while the server was down.

use crate::clock;
use crate::config::ReviewMode;
use crate::error::{AppResult, StagingError};
use crate::state::Staging;
use crate::store::applications::{self, Decision};
use okpay_rules::ErrorCode;
use rusqlite::Connection;
use std::time::Duration;

/// Longest sleep between checks when nothing is pending.
const IDLE_CHECK: Duration = Duration::from_secs(60);

/// `(user_id, revision)` of each approved application, and when the next one falls due
/// (unix ms).
pub type Decided = (Vec<(String, u64)>, Option<i64>);

/// Approve every pending application whose delay has passed.
pub fn decide_due(conn: &mut Connection, delay: Duration) -> AppResult<Decided> {
    let delay_ms = clock::duration_ms(delay);
    let tx = conn.transaction()?;
    let cutoff = clock::now_ms().saturating_sub(delay_ms);
    let mut decided = Vec::new();
    for id in applications::pending_submitted_before(&tx, cutoff)? {
        match applications::decide(&tx, &id, &Decision::Approve) {
            Ok((user_id, app)) => {
                tracing::info!(application = %id, "application approved by the automatic reviewer");
                decided.push((user_id, app.revision));
            }
            Err(e) if matches!(e.code(), ErrorCode::ApplicationLocked | ErrorCode::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let next = applications::earliest_pending_ms(&tx)?.map(|ms| ms.saturating_add(delay_ms));
    tx.commit()?;
    Ok((decided, next))
}

/// Approve, before the server takes requests, what fell due while it was down (automatic
/// review only). Blocking.
pub fn decide_overdue(staging: &Staging) -> Result<(), StagingError> {
    let ReviewMode::AutoApproveAfter(delay) = staging.config().review else {
        return Ok(());
    };
    let (decided, _) = staging
        .inner
        .db
        .with(|conn| decide_due(conn, delay))
        .map_err(|e| StagingError::Startup {
            what: "deciding overdue applications",
            message: e.0.message,
        })?;
    if !decided.is_empty() {
        tracing::info!(
            count = decided.len(),
            "approved applications whose review time passed"
        );
    }
    Ok(())
}

/// Run the automatic reviewer on `handle` until the staging state is dropped or shut down;
/// nothing with manual review.
pub fn start(handle: &tokio::runtime::Handle, staging: &Staging) {
    let ReviewMode::AutoApproveAfter(delay) = staging.config().review else {
        return;
    };
    let weak = std::sync::Arc::downgrade(&staging.inner);
    let wake = std::sync::Arc::clone(&staging.inner.reviewer_wake);
    let mut shutdown = staging.inner.shutdown.subscribe();
    handle.spawn(async move {
        loop {
            if *shutdown.borrow() {
                break;
            }
            let Some(inner) = weak.upgrade() else { break };
            let db = inner.db.clone();
            let outcome = db.call(move |conn| decide_due(conn, delay)).await;
            let sleep_for = match outcome {
                Ok((decided, next)) => {
                    for (user_id, revision) in decided {
                        inner.notifier.publish(&user_id, revision);
                    }
                    next.map_or(IDLE_CHECK, |due| {
                        let ms = u64::try_from(due.saturating_sub(clock::now_ms())).unwrap_or(0);
                        Duration::from_millis(ms).min(IDLE_CHECK)
                    })
                }
                Err(e) => {
                    tracing::error!(code = %e.code(), "automatic review failed; retrying");
                    Duration::from_secs(1)
                }
            };
            drop(inner);
            tokio::select! {
                () = tokio::time::sleep(sleep_for) => {}
                () = wake.notified() => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::debug!("automatic reviewer stopped");
    });
}
