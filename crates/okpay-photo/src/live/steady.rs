//! When to take the picture: the card good in every frame and still, each frame's outline
//! overlapping the last one's by at least [`STEADY_IOU`], for [`STEADY_MS`]. A frame that
//! is not good, a jump, or a gap in the frames starts the count again.

use super::guide::{Guidance, Look};
use crate::quality::quad::iou;

/// Least overlap (intersection over union) of the card's outline between frames.
pub const STEADY_IOU: f32 = 0.95;
/// How long the card must stay good and still.
pub const STEADY_MS: u64 = 500;
/// Frames further apart than this do not continue a steady run.
const MAX_GAP_MS: u64 = 400;

/// The steadiness of the card over the frames seen so far.
#[derive(Debug, Default, Clone)]
pub struct Steady {
    /// Since when the card has been good and still.
    since: Option<u64>,
    /// The last frame's outline and time.
    last: Option<([[f32; 2]; 4], u64)>,
}

/// Where a frame leaves the count: what to say, how long the card has been still, and
/// whether to take the picture now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub guidance: Guidance,
    pub steady_ms: u64,
    pub ready: bool,
}

impl Steady {
    /// Count `look`, seen at `now_ms` (a monotonic clock).
    pub fn push(&mut self, look: &Look, now_ms: u64) -> Progress {
        let previous = self.last.take();
        let quad = match (look.good(), look.quad) {
            (true, Some(q)) => q,
            _ => {
                self.since = None;
                self.last = look.quad.map(|q| (q, now_ms));
                return Progress {
                    guidance: look.guidance,
                    steady_ms: 0,
                    ready: false,
                };
            }
        };
        let still = previous.is_some_and(|(q, t)| {
            now_ms >= t && now_ms - t <= MAX_GAP_MS && iou(&q, &quad) >= STEADY_IOU
        });
        self.last = Some((quad, now_ms));
        let since = match (still, self.since) {
            (true, Some(since)) => since,
            _ => now_ms,
        };
        self.since = Some(since);
        let steady_ms = now_ms - since;
        Progress {
            // A card that moves between frames is told to hold still.
            guidance: if still || previous.is_none() {
                Guidance::Steady
            } else {
                Guidance::HoldStill
            },
            steady_ms,
            ready: steady_ms >= STEADY_MS,
        }
    }

    /// Start over (a new side, or after a picture was taken).
    pub fn reset(&mut self) {
        *self = Steady::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: [[f32; 2]; 4] = [
        [100.0, 100.0],
        [500.0, 100.0],
        [500.0, 350.0],
        [100.0, 350.0],
    ];

    fn good(dx: f32) -> Look {
        Look {
            quad: Some(Q.map(|[x, y]| [x + dx, y])),
            guidance: Guidance::Steady,
        }
    }

    #[test]
    fn a_still_card_is_ready_after_half_a_second() {
        let mut s = Steady::default();
        let mut ready_at = None;
        for i in 0..12u64 {
            let p = s.push(&good(0.5 * (i % 2) as f32), i * 66);
            assert_eq!(p.guidance, Guidance::Steady);
            if p.ready && ready_at.is_none() {
                ready_at = Some(i * 66);
            }
        }
        assert_eq!(ready_at, Some(528));
    }

    #[test]
    fn moving_a_bad_frame_or_a_gap_start_over() {
        let mut s = Steady::default();
        for i in 0..6u64 {
            s.push(&good(0.0), i * 100);
        }
        // Moved by 8 % of the card's width: overlap about 0.85.
        let p = s.push(&good(32.0), 600);
        assert_eq!(
            (p.guidance, p.steady_ms, p.ready),
            (Guidance::HoldStill, 0, false)
        );
        let p = s.push(&good(32.0), 700);
        assert_eq!((p.steady_ms, p.ready), (100, false));
        let glare = Look {
            guidance: Guidance::Glare,
            ..good(32.0)
        };
        assert_eq!(s.push(&glare, 800).guidance, Guidance::Glare);
        assert_eq!(s.push(&good(32.0), 900).steady_ms, 0);
        assert_eq!(s.push(&good(32.0), 1000).steady_ms, 100);
        assert_eq!(s.push(&good(32.0), 2000).steady_ms, 0);
        assert!(s.push(&good(32.0), 2600).steady_ms == 0);
    }
}
