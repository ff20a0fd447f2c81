//! Change notifications for the long poll: one `watch` channel per user carrying the
//! latest application revision.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
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
