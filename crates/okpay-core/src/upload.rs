//! A request body that streams a photo in chunks and reports how many bytes have gone out,
//! for the per-photo progress bar.

use crate::api::Progress;
use bytes::Bytes;
use futures_util::stream;

const CHUNK: usize = 64 * 1024;

/// A streaming body over `bytes` that calls `progress(sent, total)` as chunks are taken.
pub(crate) fn progress_body(bytes: Bytes, progress: Option<Progress>) -> reqwest::Body {
    let total = bytes.len() as u64;
    let chunks: Vec<Bytes> = (0..bytes.len())
        .step_by(CHUNK)
        .map(|start| bytes.slice(start..(start + CHUNK).min(bytes.len())))
        .collect();
    let mut sent = 0u64;
    let s = stream::iter(chunks.into_iter().map(move |chunk| {
        sent += chunk.len() as u64;
        if let Some(p) = &progress {
            p(sent, total);
        }
        Ok::<Bytes, std::io::Error>(chunk)
    }));
    reqwest::Body::wrap_stream(s)
}
