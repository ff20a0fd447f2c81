//! How many status long polls each user has waiting: a waiting poll holds a connection and a
//! task, so one user gets a few ([`PollSlots::take`]) and the others are refused at once
//! instead of piling up. A slot is given back when its guard drops, also when the client
//! goes away mid-wait.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Waiting long polls per user, at most `limit` each.
pub struct PollSlots {
    limit: usize,
    held: Mutex<HashMap<String, usize>>,
}

/// One waiting long poll; its slot is free again when this drops.
pub struct PollSlot<'a> {
    slots: &'a PollSlots,
    user_id: String,
}

impl PollSlots {
    pub fn new(limit: usize) -> PollSlots {
        PollSlots {
            limit,
            held: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, usize>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A slot for one more of the user's polls, or `None` when all of theirs are taken.
    pub fn take(&self, user_id: &str) -> Option<PollSlot<'_>> {
        let mut held = self.lock();
        let n = held.entry(user_id.to_owned()).or_insert(0);
        if *n >= self.limit {
            if *n == 0 {
                held.remove(user_id);
            }
            return None;
        }
        *n += 1;
        Some(PollSlot {
            slots: self,
            user_id: user_id.to_owned(),
        })
    }

    /// Polls the user has waiting.
    #[cfg(test)]
    fn held(&self, user_id: &str) -> usize {
        self.lock().get(user_id).copied().unwrap_or(0)
    }
}

impl Drop for PollSlot<'_> {
    fn drop(&mut self) {
        let mut held = self.slots.lock();
        if let Some(n) = held.get_mut(&self.user_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_at_most_the_limit_and_slots_come_back() {
        let slots = PollSlots::new(2);
        let a1 = slots.take("a");
        let a2 = slots.take("a");
        assert!(a1.is_some() && a2.is_some());
        assert!(slots.take("a").is_none());
        assert!(slots.take("b").is_some(), "another user is not affected");
        drop(a1);
        assert_eq!(slots.held("a"), 1);
        assert!(slots.take("a").is_some());
        drop(a2);
        assert_eq!(slots.held("a"), 0);
        assert!(slots.lock().is_empty(), "no entry is left behind");
    }

    #[test]
    fn a_limit_of_zero_refuses_every_wait() {
        let slots = PollSlots::new(0);
        assert!(slots.take("a").is_none());
        assert!(slots.lock().is_empty());
    }
}
