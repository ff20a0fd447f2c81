//! The accuracy run: random fixtures per class (seeded), judged by `assess` at a chosen
//! strictness, counted per class (false accepts, false rejects, missing and extra codes, quad
//! IoU), plus the duplicate-sides check on pairs. The motion-blur class shows the card with
//! real print (system CJK fonts), whose fine detail hid motion blur from the blur check. Shared by the `photo_accuracy` example and
//! the `quality_accuracy` test.

use super::rng::{Rng, on_card, placed_quad};
use super::{Background, Scene, Shade, Side, encode, iou_in_frame, jpeg_q, render, resized};
use image::{ImageFormat, RgbImage};
use okpay_photo::quality::{Strictness, assess, phash};
use okpay_photo::specimen::{CardText, Fonts, Printed};
use okpay_rules::ErrorCode;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;
use std::time::Instant;

/// Frame of the random fixtures (a 4:3 phone photo, scaled down).
pub const FRAME: (u32, u32) = (1600, 1200);
/// Frame of the low-resolution class: passes the header checks, too few pixels on the card.
pub const SMALL_FRAME: (u32, u32) = (960, 720);

/// A class of fixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    CleanPlain,
    CleanWood,
    CleanBusy,
    Blurred,
    /// The card with real print moved by 4 to 8 % of its width during the exposure, in any
    /// direction.
    MotionBlur,
    Dark,
    Overexposed,
    Glare,
    Shadow,
    CornerCut,
    TooSmall,
    LowResolution,
    /// Pairs: half the same shot re-encoded/resized/converted, half different shots (the
    /// other side at the same spot, the card moved, another background and spot).
    DuplicatePairs,
    /// Pairs of different shots with the card at the very same spot and angle on another
    /// background: the blind spot of a whole-frame gray hash.
    SameSpotPairs,
    /// Clean cards on notebook paper (ruled or squared, any pitch and turn). Listed last so
    /// that the classes before them keep their fixtures.
    CleanRuled,
    /// Clean cards on a striped tablecloth (any width, angle and colours).
    CleanStriped,
}

impl Class {
    pub const ALL: [Class; 16] = [
        Class::CleanPlain,
        Class::CleanWood,
        Class::CleanBusy,
        Class::Blurred,
        Class::Dark,
        Class::Overexposed,
        Class::Glare,
        Class::Shadow,
        Class::CornerCut,
        Class::TooSmall,
        Class::LowResolution,
        Class::DuplicatePairs,
        Class::SameSpotPairs,
        // Added last, so that the classes before them keep their seeds.
        Class::MotionBlur,
        Class::CleanRuled,
        Class::CleanStriped,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::CleanPlain => "clean, plain",
            Class::CleanWood => "clean, textured",
            Class::CleanBusy => "clean, busy",
            Class::Blurred => "blurred",
            Class::MotionBlur => "motion blur",
            Class::Dark => "dark",
            Class::Overexposed => "overexposed",
            Class::Glare => "glare",
            Class::Shadow => "shadow",
            Class::CornerCut => "corner cut",
            Class::TooSmall => "too small",
            Class::LowResolution => "low resolution",
            Class::DuplicatePairs => "duplicate pairs",
            Class::SameSpotPairs => "pairs, same spot",
            Class::CleanRuled => "clean, ruled",
            Class::CleanStriped => "clean, striped",
        }
    }

    pub fn is_clean(self) -> bool {
        matches!(
            self,
            Class::CleanPlain
                | Class::CleanWood
                | Class::CleanBusy
                | Class::CleanRuled
                | Class::CleanStriped
        )
    }

    /// The code a photo of this class must get, and codes that may come with it.
    fn expected(self) -> (Option<ErrorCode>, &'static [ErrorCode]) {
        use ErrorCode as E;
        match self {
            Class::CleanPlain
            | Class::CleanWood
            | Class::CleanBusy
            | Class::CleanRuled
            | Class::CleanStriped
            | Class::DuplicatePairs
            | Class::SameSpotPairs => (None, &[]),
            Class::Blurred | Class::MotionBlur => (Some(E::PhotoBlurry), &[]),
            Class::Dark => (Some(E::PhotoTooDark), &[]),
            Class::Overexposed => (Some(E::PhotoOverexposed), &[]),
            Class::Glare => (Some(E::PhotoGlare), &[]),
            Class::Shadow => (Some(E::PhotoShadow), &[]),
            Class::CornerCut => (Some(E::PhotoCornerMissing), &[]),
            // A card this small at this frame size also has too few pixels.
            Class::TooSmall => (Some(E::PhotoCardTooSmall), &[E::PhotoLowResolution]),
            Class::LowResolution => (Some(E::PhotoLowResolution), &[]),
        }
    }
}

/// One fixture: the scene and the frame the truth quad is measured in.
pub struct Fixture {
    pub scene: Scene,
    pub quality: u8,
    /// The card's face with real print, instead of the drawn one.
    pub printed: Option<Printed>,
}

impl Fixture {
    pub fn render(&self) -> RgbImage {
        match &self.printed {
            Some(p) => p.render(&self.scene),
            None => render(&self.scene),
        }
    }
}

/// The system's CJK fonts, loaded once.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        Fonts::system().expect("no CJK font: scripts/deps.sh installs fonts-wqy-microhei")
    })
}

fn any_background(rng: &mut Rng) -> Background {
    [Background::Plain, Background::Wood, Background::Busy][rng.below(3)]
}

fn any_side(rng: &mut Rng) -> Side {
    if rng.coin() {
        Side::Portrait
    } else {
        Side::Emblem
    }
}

/// A clean scene on `bg` with a random placement in [`FRAME`].
fn clean(rng: &mut Rng, bg: Background) -> Scene {
    Scene {
        quad: placed_quad(rng, FRAME, (0.6, 0.8), 0.25, 40.0),
        side: any_side(rng),
        width: FRAME.0,
        height: FRAME.1,
        ..Scene::new(bg)
    }
}

/// A clean scene on a random background (the base of a degraded one).
fn base(rng: &mut Rng) -> Scene {
    let bg = any_background(rng);
    clean(rng, bg)
}

/// A random fixture of `class` (not for [`Class::DuplicatePairs`], which uses [`pair`]).
pub fn fixture(class: Class, rng: &mut Rng) -> Fixture {
    let quality = 80 + rng.below(16) as u8;
    let scene = match class {
        Class::CleanPlain => clean(rng, Background::Plain),
        Class::CleanWood => clean(rng, Background::Wood),
        Class::CleanBusy | Class::DuplicatePairs | Class::SameSpotPairs => {
            clean(rng, Background::Busy)
        }
        Class::CleanRuled => {
            let bg = Background::Ruled {
                pitch: 20 + rng.below(11) as u8,
                angle: (rng.below(41) as i32 - 20) as i8,
                squared: rng.below(3) == 0,
            };
            clean(rng, bg)
        }
        Class::CleanStriped => {
            let bg = Background::Striped {
                width: 20 + rng.below(61) as u8,
                angle: (rng.below(180) as i32 - 90) as i8,
                tone: rng.below(4) as u8,
            };
            clean(rng, bg)
        }
        Class::Blurred => Scene {
            blur: rng.range(4.0, 7.0),
            ..base(rng)
        },
        Class::MotionBlur => {
            let s = base(rng);
            let [a, b] = [s.quad[0], s.quad[1]];
            let width = (b[0] - a[0]).hypot(b[1] - a[1]);
            Scene {
                motion: Some((rng.range(0.04, 0.08) * width, rng.range(0.0, 180.0))),
                ..s
            }
        }
        Class::Dark => Scene {
            gain: rng.range(0.1, 0.22),
            ..base(rng)
        },
        Class::Overexposed => Scene {
            gain: rng.range(1.4, 1.8),
            offset: rng.range(50.0, 90.0),
            ..base(rng)
        },
        Class::Glare => {
            let s = base(rng);
            let at = on_card(&s.quad, rng.range(0.15, 0.85), rng.range(0.2, 0.8));
            Scene {
                glare: Some((at, rng.range(35.0, 60.0))),
                ..s
            }
        }
        Class::Shadow => {
            let s = base(rng);
            if rng.coin() {
                // Light falling off across the frame, to at most 15% at the far side.
                Scene {
                    shadow: Some(rng.range(0.05, 0.15)),
                    ..s
                }
            } else {
                // A cast shadow across the card, its edge through the card's middle part.
                let (u0, u1) = (rng.range(0.3, 0.7), rng.range(0.3, 0.7));
                Scene {
                    shade: Some(Shade {
                        a: on_card(&s.quad, u0, -0.5),
                        b: on_card(&s.quad, u1, 1.5),
                        level: rng.range(0.3, 0.45),
                        soft: rng.range(10.0, 60.0),
                    }),
                    ..s
                }
            }
        }
        Class::CornerCut => {
            let mut s = base(rng);
            // Push the card out through one border by 40..160 px past its outermost corner.
            let d = rng.range(40.0, 160.0);
            let (w, h) = (FRAME.0 as f32, FRAME.1 as f32);
            let xs = s.quad.map(|p| p[0]);
            let ys = s.quad.map(|p| p[1]);
            let shift = match rng.below(4) {
                0 => [-(xs.iter().copied().fold(f32::MAX, f32::min)) - d, 0.0],
                1 => [
                    w - 1.0 - xs.iter().copied().fold(f32::MIN, f32::max) + d,
                    0.0,
                ],
                2 => [0.0, -(ys.iter().copied().fold(f32::MAX, f32::min)) - d],
                _ => [
                    0.0,
                    h - 1.0 - ys.iter().copied().fold(f32::MIN, f32::max) + d,
                ],
            };
            s.quad = s.quad.map(|p| [p[0] + shift[0], p[1] + shift[1]]);
            s
        }
        Class::TooSmall => Scene {
            quad: placed_quad(rng, FRAME, (0.25, 0.38), 0.25, 40.0),
            side: any_side(rng),
            width: FRAME.0,
            height: FRAME.1,
            ..base(rng)
        },
        Class::LowResolution => Scene {
            quad: placed_quad(rng, SMALL_FRAME, (0.66, 0.78), 0.2, 30.0),
            side: any_side(rng),
            width: SMALL_FRAME.0,
            height: SMALL_FRAME.1,
            ..base(rng)
        },
    };
    let printed = (class == Class::MotionBlur).then(|| {
        Printed::new(
            scene.side,
            &CardText::specimen(),
            fonts(),
            rng.below(fonts().len()),
        )
    });
    Fixture {
        scene,
        quality,
        printed,
    }
}

/// What a pair for the duplicate check holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairKind {
    /// The same shot, re-encoded, resized or converted.
    Same,
    /// A different shot: the other side at the same spot, the card moved, or another
    /// background with the card elsewhere.
    Different,
    /// A different shot: another background, the card at the very same spot and angle.
    SameSpot,
}

fn other_background(b: Background) -> Background {
    match b {
        Background::Plain => Background::Wood,
        Background::Wood => Background::Busy,
        Background::Busy => Background::Plain,
        Background::Ruled { .. } | Background::Striped { .. } => Background::Wood,
    }
}

/// A pair of photos for the duplicate check: `(front, back, how)`.
pub fn pair(rng: &mut Rng, kind: PairKind) -> (Vec<u8>, Vec<u8>, &'static str) {
    let s = base(rng);
    let img = render(&s);
    let front = jpeg_q(&img, 92);
    let (other, how) = match kind {
        PairKind::Same => {
            let (back, how) = match rng.below(4) {
                0 => (jpeg_q(&img, 40 + rng.below(40) as u8), "re-encoded"),
                1 => (jpeg_q(&resized(&img, 0.5), 85), "half size"),
                2 => (encode(&img, ImageFormat::Png), "png"),
                _ => (encode(&resized(&img, 0.75), ImageFormat::WebP), "3/4 webp"),
            };
            return (front, back, how);
        }
        PairKind::SameSpot => (
            Scene {
                background: other_background(s.background),
                ..s
            },
            "other background, same spot",
        ),
        PairKind::Different => match rng.below(3) {
            0 => (
                Scene {
                    side: match s.side {
                        Side::Portrait => Side::Emblem,
                        Side::Emblem => Side::Portrait,
                    },
                    ..s
                },
                "other side",
            ),
            1 => (
                Scene {
                    quad: placed_quad(rng, FRAME, (0.6, 0.8), 0.25, 40.0),
                    ..s
                },
                "card moved",
            ),
            _ => (
                Scene {
                    background: other_background(s.background),
                    quad: placed_quad(rng, FRAME, (0.6, 0.8), 0.25, 40.0),
                    ..s
                },
                "other background",
            ),
        },
    };
    (front, jpeg_q(&render(&other), 92), how)
}

/// Counts for one class.
#[derive(Debug, Default, Clone)]
pub struct ClassStats {
    pub name: &'static str,
    pub clean: bool,
    pub n: usize,
    /// A degraded photo accepted (a duplicate pair not caught).
    pub false_accepts: usize,
    /// A clean photo rejected; a degraded one rejected for the wrong reasons (expected code
    /// missing, or extra codes); a distinct pair flagged as duplicate.
    pub false_rejects: usize,
    pub missing_code: usize,
    pub extra_code: usize,
    pub not_found: usize,
    pub iou_sum: f64,
    pub iou_n: usize,
    pub iou_min: f32,
    /// Codes seen beyond the expected ones, with counts.
    pub extras: BTreeMap<String, usize>,
    pub ms_sum: f64,
    /// Pairs: largest distance of a same shot, smallest of different shots.
    pub same_max: Option<u32>,
    pub diff_min: Option<u32>,
    /// Pairs: largest thumbnail difference of a same shot, smallest of different shots.
    pub same_thumb_max: Option<f32>,
    pub diff_thumb_min: Option<f32>,
}

impl ClassStats {
    pub fn false_reject_rate(&self) -> f64 {
        self.false_rejects as f64 / self.n.max(1) as f64
    }

    pub fn iou_mean(&self) -> Option<f64> {
        (self.iou_n > 0).then(|| self.iou_sum / self.iou_n as f64)
    }
}

/// Run `n` fixtures of every class from `seed` at `strictness`.
pub fn run(n: usize, seed: u64, strictness: Strictness) -> Vec<ClassStats> {
    Class::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x1000_0000_01B3));
            if matches!(c, Class::DuplicatePairs | Class::SameSpotPairs) {
                run_pairs(*c, n, &mut rng)
            } else {
                run_class(*c, n, &mut rng, strictness)
            }
        })
        .collect()
}

fn run_class(class: Class, n: usize, rng: &mut Rng, strictness: Strictness) -> ClassStats {
    let (want, allowed) = class.expected();
    let mut st = ClassStats {
        name: class.name(),
        clean: class.is_clean(),
        iou_min: f32::MAX,
        ..ClassStats::default()
    };
    for _ in 0..n {
        let f = fixture(class, rng);
        let bytes = jpeg_q(&f.render(), f.quality);
        let t0 = Instant::now();
        let v = assess(&bytes, strictness);
        st.ms_sum += t0.elapsed().as_secs_f64() * 1e3;
        st.n += 1;
        let (ok, reasons, quad) = match &v {
            Ok(v) => (v.ok, v.reasons.clone(), v.quad),
            Err(e) => (false, vec![*e], None),
        };
        if reasons.contains(&ErrorCode::PhotoCardNotFound) {
            st.not_found += 1;
        }
        let mut iou = None;
        if let Some(q) = quad {
            let i = iou_in_frame(&q, &f.scene.quad, (f.scene.width, f.scene.height));
            st.iou_sum += f64::from(i);
            st.iou_n += 1;
            st.iou_min = st.iou_min.min(i);
            iou = Some(i);
        }
        if let Some(dir) = std::env::var_os("OKPAY_ACCURACY_DUMP") {
            let file = format!("{}-{:02}.jpg", class.name().replace([',', ' '], "_"), st.n);
            eprintln!(
                "{file}: {:?} {:?} iou {iou:?} reasons {reasons:?} truth {:?} found {quad:?}",
                f.scene.background, f.scene.side, f.scene.quad
            );
            let _ = std::fs::write(std::path::Path::new(&dir).join(file), &bytes);
        }
        let extra: Vec<ErrorCode> = reasons
            .iter()
            .copied()
            .filter(|r| Some(*r) != want && !allowed.contains(r))
            .collect();
        for e in &extra {
            *st.extras.entry(format!("{e:?}")).or_default() += 1;
        }
        match want {
            None => st.false_rejects += usize::from(!ok),
            Some(code) => {
                let missing = !reasons.contains(&code);
                st.false_accepts += usize::from(ok);
                st.missing_code += usize::from(missing);
                st.false_rejects += usize::from(!ok && (missing || !extra.is_empty()));
            }
        }
        st.extra_code += usize::from(!extra.is_empty());
    }
    if st.iou_n == 0 {
        st.iou_min = 0.0;
    }
    st
}

fn run_pairs(class: Class, n: usize, rng: &mut Rng) -> ClassStats {
    let mut st = ClassStats {
        name: class.name(),
        ..ClassStats::default()
    };
    for k in 0..n {
        let kind = match class {
            Class::SameSpotPairs => PairKind::SameSpot,
            _ if k % 2 == 0 => PairKind::Same,
            _ => PairKind::Different,
        };
        let same = kind == PairKind::Same;
        let (a, b, how) = pair(rng, kind);
        let t0 = Instant::now();
        let v = phash::check_pair(&a, &b);
        st.ms_sum += t0.elapsed().as_secs_f64() * 1e3;
        st.n += 1;
        match v {
            Ok(v) => {
                let t = v.thumb_difference;
                if same {
                    st.false_accepts += usize::from(!v.duplicate);
                    st.same_max = Some(st.same_max.unwrap_or(0).max(v.distance));
                    st.same_thumb_max = Some(st.same_thumb_max.unwrap_or(0.0).max(t));
                } else {
                    st.false_rejects += usize::from(v.duplicate);
                    st.diff_min = Some(st.diff_min.unwrap_or(64).min(v.distance));
                    st.diff_thumb_min = Some(st.diff_thumb_min.unwrap_or(255.0).min(t));
                }
                if same != v.duplicate {
                    let key = format!("{how}: {} / {t:.1}", v.distance);
                    *st.extras.entry(key).or_default() += 1;
                }
            }
            Err(e) => {
                st.missing_code += 1;
                *st.extras.entry(format!("{how}: {e:?}")).or_default() += 1;
            }
        }
    }
    st
}

/// The per-class table, as printed by the example.
pub fn table(stats: &[ClassStats]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16} {:>4} {:>8} {:>8} {:>8} {:>6} {:>6} {:>8} {:>8} {:>7}",
        "class", "n", "f.acc", "f.rej", "missing", "extra", "n.f.", "IoU avg", "IoU min", "ms avg"
    );
    for s in stats {
        let iou = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.4}"));
        let facc = if s.clean {
            "-".to_owned()
        } else {
            s.false_accepts.to_string()
        };
        let _ = writeln!(
            out,
            "{:<16} {:>4} {:>8} {:>8} {:>8} {:>6} {:>6} {:>8} {:>8} {:>7.1}",
            s.name,
            s.n,
            facc,
            s.false_rejects,
            s.missing_code,
            s.extra_code,
            s.not_found,
            iou(s.iou_mean()),
            iou(s.iou_mean().map(|_| f64::from(s.iou_min))),
            s.ms_sum / s.n.max(1) as f64,
        );
    }
    for s in stats {
        if s.same_max.is_some() || s.diff_min.is_some() {
            let show = |v: Option<u32>| v.map_or("-".to_owned(), |v| v.to_string());
            let show_f = |v: Option<f32>| v.map_or("-".to_owned(), |v| format!("{v:.2}"));
            let _ = writeln!(
                out,
                "{}: same shot: hash distance max {}, thumbnail difference max {}; different \
                 shots: distance min {}, difference min {} (thresholds {}, {})",
                s.name,
                show(s.same_max),
                show_f(s.same_thumb_max),
                show(s.diff_min),
                show_f(s.diff_thumb_min),
                phash::SAME_SHOT_MAX_DISTANCE,
                phash::SAME_SHOT_MAX_THUMB_DIFFERENCE,
            );
        }
        if !s.extras.is_empty() {
            let _ = writeln!(out, "{}: {:?}", s.name, s.extras);
        }
    }
    out
}
