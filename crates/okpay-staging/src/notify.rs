//! Change notifications for the long polls (the review status, the support updates): one
//! `watch` channel per user carrying the latest revision or sequence number, and the wait
//! both polls share ([`wait_newer`]).

use crate::poll_slots::PollSlots;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// Per-user revision channels, created when someone first waits.
#[derive(Default)]
pub struct Notifier {
    channels: Mutex<HashMap<String, watch::Sender<u64>>>,
}

impl Notifier {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, watch::Sender<u64>>> {
        self.channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Listen for the user's next change. Subscribe before reading the state so that no
    /// change between the read and the wait is missed.
    pub fn subscribe(&self, user_id: &str) -> watch::Receiver<u64> {
        let mut map = self.lock();
        map.retain(|_, tx| tx.receiver_count() > 0);
        map.entry(user_id.to_owned())
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    /// Wake everyone waiting on the user's application.
    pub fn publish(&self, user_id: &str, revision: u64) {
        if let Some(tx) = self.lock().get(user_id) {
            tx.send_replace(revision);
        }
    }
}

/// No waiting slot was left for the user: nothing was waited for.
pub struct NoSlot;

/// A long poll's wait, holding one of the user's `slots`: until `changes` carries a value
/// above `after`, `wait` runs out or the server shuts down (then at once).
pub async fn wait_newer(
    changes: &mut watch::Receiver<u64>,
    after: u64,
    wait: Duration,
    shutdown: &watch::Sender<bool>,
    slots: &PollSlots,
    user_id: &str,
) -> Result<(), NoSlot> {
    let mut shutdown = shutdown.subscribe();
    if *shutdown.borrow_and_update() {
        return Ok(());
    }
    let Some(_slot) = slots.take(user_id) else {
        return Err(NoSlot);
    };
    let newer = async {
        loop {
            if changes.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
            if *changes.borrow_and_update() > after {
                break;
            }
        }
    };
    tokio::select! {
        _ = tokio::time::timeout(wait, newer) => {}
        _ = shutdown.changed() => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_publish_after_subscribe_wakes_the_waiter() {
        let n = Notifier::default();
        let mut rx = n.subscribe("u1");
        n.publish("u2", 5);
        n.publish("u1", 7);
        let woke = tokio::time::timeout(std::time::Duration::from_secs(1), rx.changed()).await;
        assert!(matches!(woke, Ok(Ok(()))));
        assert_eq!(*rx.borrow(), 7);
    }
}
