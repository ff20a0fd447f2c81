//! Password hashing with argon2id (PHC strings in the database). Slow and 19 MiB a hash by
//! design, so requests hash through a [`Gate`]: a few hashes at once on the blocking pool,
//! each in memory kept for the next, a bounded queue, and a refusal beyond it. Fresh
//! 19 MiB allocations on the pool's many threads stay with the allocator: a load run of
//! 200 sign-ups, two hashes at a time, still peaked at over 5 GB before the memory was kept.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use okpay_rules::ErrorCode;
use rand::RngCore;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Semaphore;

/// The working memory of one hash.
pub type Memory = Vec<Block>;

/// Most memory a stored hash may ask for (64 MiB): more is no hash of ours.
const MAX_BLOCKS: usize = 64 * 1024;

/// What a refused request is told to wait, in seconds.
const RETRY_AFTER_SECS: u64 = 1;

/// At most `concurrency` hashes run at once, at most `queue` requests wait for one; one
/// more is refused with `SERVICE_UNAVAILABLE` and `Retry-After`.
pub struct Gate {
    permits: Arc<Semaphore>,
    /// Memory of hashes that ended, for the next ones: never more than `concurrency`.
    kept: Arc<Mutex<Vec<Memory>>>,
    /// Running plus waiting requests allowed.
    capacity: usize,
    admitted: Arc<AtomicUsize>,
    gauge: Arc<Gauge>,
}

#[derive(Default)]
struct Gauge {
    running: AtomicUsize,
    peak: AtomicUsize,
    finished: AtomicU64,
    refused: AtomicU64,
}

/// The hashing gauge at one moment (for tests and monitoring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HashingStats {
    /// Hashes running now.
    pub running: usize,
    /// The most that ever ran at once.
    pub peak_running: usize,
    /// Requests running or waiting now.
    pub admitted: usize,
    /// Hashes done.
    pub finished: u64,
    /// Requests refused because the queue was full.
    pub refused: u64,
    /// Bytes of hashing memory kept for reuse.
    pub memory_kept: usize,
}

/// Decrements its counter when dropped (a request done, or gone while waiting).
struct Held(Arc<AtomicUsize>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One hash on the gauge, from start to end (also when the hash panics).
struct Running(Arc<Gauge>);

impl Running {
    fn start(gauge: Arc<Gauge>) -> Running {
        let now = gauge.running.fetch_add(1, Ordering::SeqCst) + 1;
        gauge.peak.fetch_max(now, Ordering::SeqCst);
        Running(gauge)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.finished.fetch_add(1, Ordering::SeqCst);
    }
}

impl Gate {
    /// A gate for `concurrency` hashes at once (at least 1) and `queue` waiting requests.
    pub fn new(concurrency: usize, queue: usize) -> Gate {
        let concurrency = concurrency.max(1);
        Gate {
            permits: Arc::new(Semaphore::new(concurrency)),
            kept: Arc::new(Mutex::new(Vec::new())),
            capacity: concurrency.saturating_add(queue),
            admitted: Arc::new(AtomicUsize::new(0)),
            gauge: Arc::new(Gauge::default()),
        }
    }

    /// Run `hash` on the blocking pool once a hasher is free, with kept memory. The permit
    /// goes with the closure, so a request dropped mid-hash holds its place until the end.
    pub async fn run<R: Send + 'static>(
        &self,
        hash: impl FnOnce(&mut Memory) -> R + Send + 'static,
    ) -> AppResult<R> {
        let capacity = self.capacity;
        let entered = self
            .admitted
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < capacity).then_some(n + 1)
            });
        if entered.is_err() {
            self.gauge.refused.fetch_add(1, Ordering::SeqCst);
            tracing::warn!("password hashing queue full: request refused");
            return Err(AppError::new(ErrorCode::ServiceUnavailable).retry_after(RETRY_AFTER_SECS));
        }
        let admitted = Held(Arc::clone(&self.admitted));
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| AppError::internal("password hashing gate closed", e))?;
        let gauge = Arc::clone(&self.gauge);
        let kept = Arc::clone(&self.kept);
        tokio::task::spawn_blocking(move || {
            let _slot = (admitted, permit);
            let _running = Running::start(gauge);
            let mut memory = lock(&kept).pop().unwrap_or_default();
            let out = hash(&mut memory);
            lock(&kept).push(memory);
            out
        })
        .await
        .map_err(AppError::from)
    }

    pub fn stats(&self) -> HashingStats {
        HashingStats {
            running: self.gauge.running.load(Ordering::SeqCst),
            peak_running: self.gauge.peak.load(Ordering::SeqCst),
            admitted: self.admitted.load(Ordering::SeqCst),
            finished: self.gauge.finished.load(Ordering::SeqCst),
            refused: self.gauge.refused.load(Ordering::SeqCst),
            memory_kept: lock(&self.kept).iter().map(|m| m.len() * Block::SIZE).sum(),
        }
    }
}

/// A poisoned lock only means a hash panicked; the kept memory is still memory.
fn lock(kept: &Mutex<Vec<Memory>>) -> MutexGuard<'_, Vec<Memory>> {
    kept.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Hash a password in `memory`. `fast` picks cheap parameters for test suites.
pub fn hash(password: &str, fast: bool, memory: &mut Memory) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let encoded = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    let params = if fast {
        Params::new(256, 1, 1, None).map_err(|e| e.to_string())?
    } else {
        Params::default()
    };
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    run(&argon, password, &salt, &mut out, memory).map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| e.to_string())?,
        salt: Some(encoded.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a stored PHC string (which carries its own parameters),
/// checked in `memory`.
pub fn verify(password: &str, phc: &str, memory: &mut Memory) -> bool {
    matches(password, phc, memory).unwrap_or(false)
}

fn matches(password: &str, phc: &str, memory: &mut Memory) -> Option<bool> {
    let parsed = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).ok()?;
    let expected = parsed.hash?;
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    run(&argon, password, salt, &mut out, memory).ok()?;
    // `Output` compares in constant time.
    Some(Output::new(&out).ok()? == expected)
}

/// One argon2 run, its memory grown to what the parameters need.
fn run(
    argon: &Argon2<'_>,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
    memory: &mut Memory,
) -> Result<(), argon2::Error> {
    let blocks = argon.params().block_count();
    if blocks > MAX_BLOCKS {
        return Err(argon2::Error::MemoryTooMuch);
    }
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    argon.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    async fn until(gate: &Gate, done: impl Fn(HashingStats) -> bool) {
        while !done(gate.stats()) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_gate_caps_running_hashes_and_refuses_beyond_its_queue() {
        let gate = Arc::new(Gate::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.run(move |_| hold.recv().is_ok()).await }
        });
        until(&gate, |s| s.running == 1).await;
        let second = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.run(|_| true).await }
        });
        // The second waits behind the first (or, were there no cap, is already done).
        until(&gate, |s| s.admitted == 2 || s.finished > 0).await;
        // One running, one waiting: the next is refused at once, with a time to come back.
        let refused = gate.run(|_| true).await;
        assert_eq!(
            refused,
            Err(AppError::new(ErrorCode::ServiceUnavailable).retry_after(RETRY_AFTER_SECS))
        );
        assert_eq!(gate.stats().running, 1);
        assert!(release.send(()).is_ok());
        assert_eq!(first.await.ok(), Some(Ok(true)));
        assert_eq!(second.await.ok(), Some(Ok(true)));
        let stats = gate.stats();
        assert_eq!(
            (
                stats.peak_running,
                stats.finished,
                stats.refused,
                stats.admitted
            ),
            (1, 2, 1, 0)
        );
    }

    #[test]
    fn hash_then_verify() {
        let memory = &mut Memory::new();
        let phc = hash("correct horse", true, memory).unwrap_or_default();
        assert!(phc.starts_with("$argon2id$v=19$m=256,t=1,p=1$"));
        assert!(verify("correct horse", &phc, memory));
        assert!(!verify("wrong horse", &phc, memory));
        assert!(!verify("correct horse", "not a hash", memory));
    }

    #[test]
    fn the_same_phc_strings_as_the_argon2_crate_and_memory_kept() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let memory = &mut Memory::new();
        let ours = hash("correct horse", false, memory).unwrap_or_default();
        assert_eq!(memory.len(), Params::DEFAULT_M_COST as usize);
        let parsed = PasswordHash::new(&ours);
        assert!(parsed.is_ok_and(|p| {
            Argon2::default()
                .verify_password(b"correct horse", &p)
                .is_ok()
        }));
        let salt = SaltString::encode_b64(b"sixteen byte sal").map(|s| {
            Argon2::default()
                .hash_password(b"correct horse", &s)
                .map(|h| h.to_string())
        });
        let theirs = salt.ok().and_then(Result::ok).unwrap_or_default();
        assert!(verify("correct horse", &theirs, memory));
        assert!(!verify("correct horsf", &theirs, memory));
        assert_eq!(
            memory.len(),
            Params::DEFAULT_M_COST as usize,
            "reused, not grown"
        );
        // A stored hash asking for more memory than ours ever do is refused.
        let greedy = theirs.replace("m=19456", "m=1048576");
        assert!(!verify("correct horse", &greedy, memory));
    }
}
