//! Following a submitted application's review: long polls on the status until its revision
//! moves, with a backoff while the server cannot be reached and, in the background, a pause
//! between polls.

use crate::Error;
use crate::session::Session;
use okpay_rules::contract::{Application, VerificationStatus};
use std::time::Duration;

/// Long-poll wait per status request while watching a review.
pub const REVIEW_POLL: Duration = Duration::from_secs(25);
/// Longest pause between attempts while the server cannot be reached.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Pause after an unchanged long poll while the app is in the background: with
/// [`REVIEW_POLL`] one request a minute at most.
pub const BACKGROUND_IDLE_GAP: Duration = Duration::from_secs(35);

/// How a review is polled.
#[derive(Clone, Copy)]
pub struct Polling<'a> {
    /// Long-poll wait per status request ([`REVIEW_POLL`] by default).
    pub wait: Duration,
    /// Pause after each long poll that saw no change, asked for again after each one: none
    /// by default; the app asks for [`BACKGROUND_IDLE_GAP`] while it is in the background.
    pub idle_gap: &'a (dyn Fn() -> Duration + Send + Sync),
}

fn no_gap() -> Duration {
    Duration::ZERO
}

impl Default for Polling<'_> {
    fn default() -> Self {
        Polling {
            wait: REVIEW_POLL,
            idle_gap: &no_gap,
        }
    }
}

/// Follow a pending review: report each change through `on_change`, return the application
/// once it is decided. Network failures back off exponentially (1 s up to [`MAX_BACKOFF`]);
/// a signed-out session or another non-transient error ends the watch with that error.
pub async fn watch_review(
    session: &Session,
    mut after: u64,
    polling: Polling<'_>,
    mut on_change: impl FnMut(&Application),
) -> Result<Application, Error> {
    let mut backoff = Duration::from_secs(1);
    loop {
        match wait_for_change(session, after, &polling).await {
            Ok(app) => {
                backoff = Duration::from_secs(1);
                after = app.revision;
                on_change(&app);
                if app.status != VerificationStatus::Pending {
                    return Ok(app);
                }
            }
            Err(e) if e.is_transient() => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Long-poll until the application's revision passes `after`, then return the whole
/// application.
async fn wait_for_change(
    session: &Session,
    after: u64,
    polling: &Polling<'_>,
) -> Result<Application, Error> {
    let wait = polling.wait;
    loop {
        let status = session
            .authed(|a| async move { session.api().status(&a, Some(after), wait).await })
            .await?;
        if status.revision > after {
            return session.verification().await;
        }
        let gap = (polling.idle_gap)();
        if !gap.is_zero() {
            tokio::time::sleep(gap).await;
        }
    }
}
