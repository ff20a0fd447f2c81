//! What the shell runs in the background, one module per job: watching the review
//! (`review`), sending the outbox (`outbox`), reading back the photos kept on this device
//! (`photos`). Commands start them; the review and outbox tasks run at most once at a time.

pub mod outbox;
pub mod photos;
pub mod review;

use crate::state::AppState;

/// Stop watching and sending (sign-out).
pub fn stop(state: &AppState) {
    state.watcher.abort();
    state.resumer.abort();
}
