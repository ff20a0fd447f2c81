//! Retrying idempotent requests: which failures are worth another try (connection
//! failures, timeouts, 408, 502/503/504), how long to wait (exponential backoff with full
//! jitter, at least what `Retry-After` asks) and how many attempts at most.

use crate::Error;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::future::Future;
use std::time::Duration;

/// How idempotent requests are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (1 = never retry).
    pub attempts: u32,
    /// Backoff before the second attempt; doubles with each further one.
    pub base: Duration,
    /// Longest backoff.
    pub cap: Duration,
    /// A `Retry-After` longer than this ends the retries at once.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 250 ms doubling up to 8 s, `Retry-After` up to 30 s.
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Send once, never again.
    pub const NEVER: RetryPolicy = RetryPolicy {
        attempts: 1,
        base: Duration::ZERO,
        cap: Duration::ZERO,
        max_retry_after: Duration::ZERO,
    };

    /// The pause after failed attempt number `failed` (1-based): a uniformly random time
    /// up to `min(cap, base · 2^(failed-1))` ("full jitter").
    pub fn backoff(&self, failed: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << failed.saturating_sub(1).min(20));
        let ceiling = exp.min(self.cap);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        if millis == 0 {
            return Duration::ZERO;
        }
        Duration::from_millis(rand::random_range(0..=millis))
    }
}

/// A failed attempt: the error, the HTTP status when there was a reply, and the server's
/// `Retry-After`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    pub status: Option<u16>,
    pub retry_after: Option<Duration>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            status: None,
            retry_after: None,
        }
    }
}

impl Failure {
    /// Connection failures, timeouts, 408 (the request did not reach the server in time)
    /// and 502/503/504 may succeed next time.
    fn is_retryable(&self) -> bool {
        match self.status {
            Some(s) => matches!(s, 408 | 502..=504),
            None => matches!(self.error, Error::Unreachable(_) | Error::Timeout),
        }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the API).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Run `attempt` until it succeeds, fails for good, or the policy's attempts are used up.
pub(crate) async fn run<T, F, Fut>(policy: &RetryPolicy, what: &str, attempt: F) -> Result<T, Error>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut failed = 0u32;
    loop {
        let failure = match attempt().await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        failed += 1;
        if !failure.is_retryable() || failed >= policy.attempts.max(1) {
            return Err(failure.error);
        }
        let mut pause = policy.backoff(failed);
        if let Some(asked) = failure.retry_after {
            if asked > policy.max_retry_after {
                return Err(failure.error);
            }
            pause = pause.max(asked);
        }
        tracing::info!(
            what,
            attempt = failed,
            code = %failure.error.code(),
            pause_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
            "transient failure; retrying"
        );
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_under_an_exponential_ceiling() {
        let p = RetryPolicy {
            attempts: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(1),
        };
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(9) <= Duration::from_millis(500));
            assert!(p.backoff(40) <= Duration::from_millis(500));
        }
        assert_eq!(RetryPolicy::NEVER.backoff(3), Duration::ZERO);
    }

    #[test]
    fn only_transport_failures_and_gateway_statuses_are_retried() {
        let server = |s: u16| Failure {
            error: Error::Server(okpay_rules::ApiError::new(
                okpay_rules::ErrorCode::ServiceUnavailable,
            )),
            status: Some(s),
            retry_after: None,
        };
        assert!(server(502).is_retryable());
        assert!(server(503).is_retryable());
        assert!(server(504).is_retryable());
        assert!(server(408).is_retryable());
        assert!(!server(500).is_retryable());
        assert!(!server(429).is_retryable());
        assert!(Failure::from(Error::Timeout).is_retryable());
        assert!(Failure::from(Error::Unreachable("x".into())).is_retryable());
        assert!(!Failure::from(Error::BadResponse("x".into())).is_retryable());
    }
}
