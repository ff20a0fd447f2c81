//! Failed-login limiter: at most N failures per key (an account, or a client address)
//! within a sliding window, kept in memory (a restart forgets them).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Map size from which stale accounts are swept out on the next failure.
const PRUNE_AT: usize = 10_000;

pub struct LoginLimiter {
    limit: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(limit: u32, window: Duration) -> LoginLimiter {
        LoginLimiter {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn prune(&self, list: &mut VecDeque<Instant>, now: Instant) {
        while list
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            list.pop_front();
        }
    }

    /// Whether the account has used up its failures for now.
    pub fn is_blocked(&self, account: &str) -> bool {
        let now = Instant::now();
        let mut map = self.lock();
        let Some(list) = map.get_mut(account) else {
            return false;
        };
        self.prune(list, now);
        list.len() >= self.limit
    }

    pub fn record_failure(&self, account: &str) {
        let now = Instant::now();
        let mut map = self.lock();
        if map.len() >= PRUNE_AT {
            map.retain(|_, list| {
                list.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        let list = map.entry(account.to_owned()).or_default();
        self.prune(list, now);
        list.push_back(now);
    }

    /// A successful login clears the account's failures.
    pub fn reset(&self, account: &str) {
        self.lock().remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_resets() {
        let l = LoginLimiter::new(2, Duration::from_secs(60));
        assert!(!l.is_blocked("a"));
        l.record_failure("a");
        assert!(!l.is_blocked("a"));
        l.record_failure("a");
        assert!(l.is_blocked("a"));
        assert!(!l.is_blocked("b"));
        l.reset("a");
        assert!(!l.is_blocked("a"));
    }

    #[test]
    fn failures_expire_with_the_window() {
        let l = LoginLimiter::new(1, Duration::from_millis(1));
        l.record_failure("a");
        std::thread::sleep(Duration::from_millis(5));
        assert!(!l.is_blocked("a"));
    }
}
