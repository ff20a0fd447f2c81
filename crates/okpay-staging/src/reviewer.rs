//! The automatic reviewer: decides each pending application a fixed delay after its
//! submission: approves it, or, when the server reads cards ([`crate::card_review`]), rejects
//! it with what the photos show. It sleeps until the next one is due or a submission wakes it,
//! and decides at start-up whatever fell due while the server was down. Photos are read off
//! the database thread, between listing what is due and recording the decisions.

use crate::card_review;
use crate::clock;
use crate::config::ReviewMode;
use crate::error::{AppResult, StagingError};
use crate::state::{Inner, Staging};
use crate::store::applications::{self, Decision};
use okpay_rules::ErrorCode;
use okpay_rules::contract::{Application, ReviewerReading};
use okpay_rules::validate::Date;
use rusqlite::Connection;
use std::sync::Arc;
use std::time::Duration;

/// Longest sleep between checks when nothing is pending.
const IDLE_CHECK: Duration = Duration::from_secs(60);

/// `(user_id, revision)` of each decided application, and when the next one falls due
/// (unix ms).
pub type Decided = (Vec<(String, u64)>, Option<i64>);

/// Pending applications whose delay has passed.
fn due(conn: &Connection, delay: Duration) -> AppResult<Vec<(String, Application)>> {
    let cutoff = clock::now_ms().saturating_sub(clock::duration_ms(delay));
    let mut out = Vec::new();
    for id in applications::pending_submitted_before(conn, cutoff)? {
        let app = applications::to_application(conn, applications::by_id(conn, &id)?)?;
        out.push((id, app));
    }
    Ok(out)
}

/// The decision on one application, and what was read on its photos when cards are read.
type Judged = (String, Decision, Option<ReviewerReading>);

/// The decision on each: rejected for what the photos show when cards are read, else
/// approved. Blocking (reading a card takes a second).
fn judge(staging: &Inner, due: Vec<(String, Application)>) -> Vec<Judged> {
    let today = Date::today_china();
    due.into_iter()
        .map(|(id, app)| {
            let (reasons, read) = match staging.card_models.as_deref() {
                Some(models) => {
                    let (reasons, read) =
                        card_review::review(models, &staging.photos_dir, &app, today);
                    (reasons, Some(read))
                }
                None => (Vec::new(), None),
            };
            let decision = if reasons.is_empty() {
                Decision::Approve
            } else {
                Decision::Reject(reasons)
            };
            (id, decision, read)
        })
        .collect()
}

/// Record the decisions (one still pending: a person may have decided it meanwhile).
fn apply(conn: &mut Connection, decisions: Vec<Judged>, delay: Duration) -> AppResult<Decided> {
    let tx = conn.transaction()?;
    let mut decided = Vec::new();
    for (id, decision, read) in decisions {
        match applications::decide(&tx, &id, &decision) {
            Ok((user_id, app)) => {
                if let Some(read) = &read {
                    applications::set_card_read(&tx, &id, read)?;
                }
                let outcome = if matches!(decision, Decision::Approve) {
                    "approved"
                } else {
                    "rejected"
                };
                tracing::info!(application = %id, outcome, "decided by the automatic reviewer");
                decided.push((user_id, app.revision));
            }
            Err(e) if matches!(e.code(), ErrorCode::ApplicationLocked | ErrorCode::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let delay_ms = clock::duration_ms(delay);
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
    let failed = |e: crate::error::AppError| StagingError::Startup {
        what: "deciding overdue applications",
        message: e.0.message,
    };
    let inner = &staging.inner;
    let pending = inner.db.with(|conn| due(conn, delay)).map_err(failed)?;
    let decisions = judge(inner, pending);
    let (decided, _) = inner
        .db
        .with(|conn| apply(conn, decisions, delay))
        .map_err(failed)?;
    if !decided.is_empty() {
        tracing::info!(
            count = decided.len(),
            "approved applications whose review time passed"
        );
    }
    Ok(())
}

/// List, judge and record what is due.
async fn decide_due(inner: &Arc<Inner>, delay: Duration) -> AppResult<Decided> {
    let pending = inner.db.call(move |conn| due(conn, delay)).await?;
    let decisions = if pending.is_empty() {
        Vec::new()
    } else {
        let judged = Arc::clone(inner);
        tokio::task::spawn_blocking(move || judge(&judged, pending))
            .await
            .map_err(|e| crate::error::AppError::internal("reviewer task", e))?
    };
    inner
        .db
        .call(move |conn| apply(conn, decisions, delay))
        .await
}

/// Run the automatic reviewer on `handle` until the staging state is dropped or shut down;
/// nothing with manual review.
pub fn start(handle: &tokio::runtime::Handle, staging: &Staging) {
    let ReviewMode::AutoApproveAfter(delay) = staging.config().review else {
        return;
    };
    let weak = Arc::downgrade(&staging.inner);
    let wake = Arc::clone(&staging.inner.reviewer_wake);
    let mut shutdown = staging.inner.shutdown.subscribe();
    handle.spawn(async move {
        loop {
            if *shutdown.borrow() {
                break;
            }
            let Some(inner) = weak.upgrade() else { break };
            let outcome = decide_due(&inner, delay).await;
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
