//! A small version of the `photo_accuracy` report, with floors: at `normal`, no degraded
//! class has a false accept (a duplicate pair is always caught), clean classes are falsely
//! rejected at most 5% of the time, and different shots are not flagged as duplicates.
//!
//! The classes in [`KNOWN_GAPS`] do not meet their floor yet (measured with the full report,
//! `scripts/photo-accuracy.sh`, which prints every class); the test holds the floors on
//! every other class. Shrink the list as the card finder improves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use okpay_photo::quality::Strictness;
use support::accuracy::{self, ClassStats};

/// Fixtures per class (the report uses 40).
const N: usize = 8;
const SEED: u64 = 7;

/// Classes whose floor the engine does not meet yet (40-fixture report, seed 20261128); a
/// class goes here, with the reason, when a change leaves it short.
///
/// - `clean, ruled`, `clean, striped`: the finder takes a rectangle of the background's
///   evenly spaced lines (and the frame's border) for the card, whose sides against light
///   paper or a light stripe are weak steps (`docs/photo-engine.md`, 2026-12-08).
const KNOWN_GAPS: &[&str] = &["clean, ruled", "clean, striped"];

fn failures(stats: &[ClassStats], skip: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for s in stats.iter().filter(|s| !skip.contains(&s.name)) {
        if s.clean && s.false_reject_rate() > 0.05 {
            bad.push(format!(
                "{}: {} of {} rejected",
                s.name, s.false_rejects, s.n
            ));
        }
        if !s.clean && s.false_accepts > 0 {
            bad.push(format!(
                "{}: {} of {} accepted",
                s.name, s.false_accepts, s.n
            ));
        }
        if s.name.contains("pairs") && s.false_rejects + s.missing_code > 0 {
            bad.push(format!(
                "{}: {} distinct pairs flagged",
                s.name, s.false_rejects
            ));
        }
    }
    bad
}

#[test]
fn floors_hold_outside_the_known_gaps() {
    let stats = accuracy::run(N, SEED, Strictness::Normal);
    eprintln!("{}", accuracy::table(&stats));
    let bad = failures(&stats, KNOWN_GAPS);
    assert!(bad.is_empty(), "{bad:#?}");
}
