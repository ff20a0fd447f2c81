//! A request body that streams a photo in chunks and reports how many bytes have gone out,
//! for the per-photo progress bar, and the watch that notices when an upload stops moving.

use bytes::Bytes;
use futures_util::stream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CHUNK: usize = 16 * 1024;

/// Callback for upload progress: `(bytes_sent, bytes_total)`.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// When the body last moved, and whether it is all out.
pub(crate) struct StallWatch {
    start: Instant,
    last_ms: AtomicU64,
    done: AtomicBool,
}

impl StallWatch {
    pub(crate) fn new() -> StallWatch {
        StallWatch {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            done: AtomicBool::new(false),
        }
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn moved(&self) {
        self.last_ms.store(self.elapsed_ms(), Ordering::Relaxed);
    }

    /// Resolves once the body has not moved for `stall`. Never once it is all handed to
    /// the connection: the last bytes may still sit in the socket's send buffer on a slow
    /// link, so the wait for the reply is bounded by the upload's total timeout instead.
    pub(crate) async fn stalled(&self, stall: Duration) {
        let limit = u64::try_from(stall.as_millis()).unwrap_or(u64::MAX);
        let tick = (stall / 4).max(Duration::from_millis(20));
        loop {
            tokio::time::sleep(tick).await;
            if self.done.load(Ordering::Relaxed) {
                return std::future::pending().await;
            }
            let idle = self
                .elapsed_ms()
                .saturating_sub(self.last_ms.load(Ordering::Relaxed));
            if idle >= limit {
                return;
            }
        }
    }
}

/// A streaming body over `bytes` that calls `progress(sent, total)` as chunks are taken
/// and keeps `watch` informed.
pub(crate) fn progress_body(
    bytes: Bytes,
    progress: Option<Progress>,
    watch: Arc<StallWatch>,
) -> reqwest::Body {
    let total = bytes.len() as u64;
    let chunks: Vec<Bytes> = (0..bytes.len())
        .step_by(CHUNK)
        .map(|start| bytes.slice(start..(start + CHUNK).min(bytes.len())))
        .collect();
    let mut sent = 0u64;
    watch.moved();
    let s = stream::iter(chunks.into_iter().map(move |chunk| {
        sent += chunk.len() as u64;
        watch.moved();
        if sent >= total {
            watch.done.store(true, Ordering::Relaxed);
        }
        if let Some(p) = &progress {
            p(sent, total);
        }
        Ok::<Bytes, std::io::Error>(chunk)
    }));
    reqwest::Body::wrap_stream(s)
}
