//! The card reader's accuracy run, shared by the `ocr_accuracy` example (the full report) and
//! its test (a small run with floors): random cards (see [`super::cards`]) photographed on
//! varied backgrounds, in perspective, in varied light, a little out of focus (only photos the
//! photo check lets through count), some upside down, in every system font; each side read,
//! each field compared with what was printed, and the cross-checks run with the card's own
//! details typed (any mismatch is a false alarm).

use super::cards::{self, Rng};
use super::{fonts, models, photo};
use okpay_ocr::{CardSide, Field, Fields, Outcome, Reading, Typed, cross_check};
use okpay_photo::specimen::{Background, CardText, QUAD, Scene, Side};
use okpay_photo::{Strictness, assess};
use okpay_rules::contract::Validity;
use okpay_rules::validate::Date;
use std::time::Instant;

/// The fields counted, in report order.
pub const FIELDS: [&str; 9] = [
    "name",
    "sex",
    "ethnicity",
    "birth",
    "address",
    "id_number",
    "authority",
    "valid_from",
    "valid_to",
];

#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Photos read (both sides of each card that passed the photo check).
    pub photos: usize,
    /// Photos the photo check refused (not read).
    pub refused: usize,
    pub side_right: usize,
    /// Per field of [`FIELDS`]: (exact, expected).
    pub fields: [(usize, usize); 9],
    /// Cards whose cross-checks ran, and those with a mismatch although typed right.
    pub cards_checked: usize,
    pub false_alarms: usize,
    /// Names with a rare character the reader cannot produce (checked as "not checked").
    pub ms: Vec<f64>,
    /// What went wrong, for the report: (field, printed, read).
    pub misses: Vec<(String, String, String)>,
}

impl Report {
    pub fn rate(&self, field: &str) -> f64 {
        let i = FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        let (ok, n) = self.fields[i];
        if n == 0 { 1.0 } else { ok as f64 / n as f64 }
    }
}

fn expected(t: &CardText, field: &str) -> String {
    match field {
        "name" => t.name.clone(),
        "sex" => t.sex.clone(),
        "ethnicity" => t.ethnicity.clone(),
        "birth" => format!("{:04}-{:02}-{:02}", t.birth.0, t.birth.1, t.birth.2),
        "address" => t.address.clone(),
        "id_number" => t.id_number.clone(),
        "authority" => t.authority.clone(),
        "valid_from" => t.valid_from.replace('.', "-"),
        _ => t.valid_to.replace('.', "-"),
    }
}

fn got(f: &Fields, field: &str) -> Option<Field> {
    match field {
        "name" => f.name.clone(),
        "sex" => f.sex.clone(),
        "ethnicity" => f.ethnicity.clone(),
        "birth" => f.birth.clone(),
        "address" => f.address.clone(),
        "id_number" => f.id_number.clone(),
        "authority" => f.authority.clone(),
        "valid_from" => f.valid_from.clone(),
        _ => f.valid_to.clone(),
    }
}

/// A random scene: background, placement in mild perspective, light, focus, upside down.
fn scene(rng: &mut Rng, side: Side) -> Scene {
    let background = [Background::Plain, Background::Wood, Background::Busy][rng.below(3)];
    let scale = rng.range(0.85, 1.08);
    let (dx, dy) = (rng.range(-50.0, 50.0), rng.range(-40.0, 40.0));
    let mut quad = QUAD.map(|[x, y]| {
        [
            600.0 + (x - 600.0) * scale + dx + rng.range(-15.0, 15.0),
            400.0 + (y - 400.0) * scale + dy + rng.range(-15.0, 15.0),
        ]
    });
    if rng.below(10) == 0 {
        quad = [quad[2], quad[3], quad[0], quad[1]];
    }
    Scene {
        quad,
        background,
        gain: rng.range(0.8, 1.15),
        blur: if rng.below(2) == 0 {
            0.0
        } else {
            rng.range(0.3, 0.9)
        },
        side,
        ..Scene::new(background)
    }
}

/// Read `n` random cards (both sides) from `seed`.
pub fn run(n: usize, seed: u64) -> Report {
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    let today = Date::new(2026, 12, 7).unwrap_or_else(|| unreachable!());
    for i in 0..n {
        let text = cards::card(&mut rng, fonts());
        let font = i % fonts().len();
        let mut readings: Vec<(Side, Reading)> = Vec::new();
        for side in [Side::Portrait, Side::Emblem] {
            let s = scene(&mut rng, side);
            let bytes = photo(&text, side, &s, font);
            if !assess(&bytes, Strictness::Normal).is_ok_and(|v| v.ok) {
                report.refused += 1;
                continue;
            }
            let start = Instant::now();
            let Ok(reading) = models().read_photo(&bytes) else {
                report.photos += 1;
                continue;
            };
            report.ms.push(start.elapsed().as_secs_f64() * 1e3);
            report.photos += 1;
            let want = match side {
                Side::Portrait => CardSide::Portrait,
                Side::Emblem => CardSide::Emblem,
            };
            if reading.side == want {
                report.side_right += 1;
            } else {
                report.misses.push((
                    "side".into(),
                    format!("{want:?}"),
                    format!("{:?}", reading.side),
                ));
            }
            let range = match side {
                Side::Portrait => 0..6,
                Side::Emblem => 6..9,
            };
            for k in range {
                let field = FIELDS[k];
                let want = expected(&text, field);
                let read = got(&reading.fields, field)
                    .map(|f| f.text)
                    .unwrap_or_default();
                report.fields[k].1 += 1;
                if read == want {
                    report.fields[k].0 += 1;
                } else {
                    report.misses.push((field.into(), want, read));
                }
            }
            readings.push((side, reading));
        }
        if readings.len() == 2 {
            let validity = Validity {
                start: Some(text.valid_from.replace('.', "-")),
                end: (text.valid_to != "长期").then(|| text.valid_to.replace('.', "-")),
                long_term: text.valid_to == "长期",
            };
            let typed = Typed {
                name: &text.name,
                id_number: &text.id_number,
                validity: Some(&validity),
            };
            let checks = cross_check(
                &typed,
                Some(&readings[0].1),
                Some(&readings[1].1),
                today,
                &|c| models().knows(c),
            );
            report.cards_checked += 1;
            // An expired card is a true finding, not an alarm.
            let alarms: Vec<_> = checks
                .iter()
                .filter(|c| matches!(&c.outcome, Outcome::Mismatch { code, .. } if *code != okpay_rules::ErrorCode::ValidityExpired))
                .collect();
            if !alarms.is_empty() {
                report.false_alarms += 1;
                for a in alarms {
                    report.misses.push((
                        format!("ALARM {:?}", a.checked),
                        text.name.clone(),
                        format!("{:?}", a.outcome),
                    ));
                }
            }
        }
    }
    report
}

/// The report as a table.
pub fn table(r: &Report) -> String {
    let mut ms = r.ms.clone();
    ms.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        ms.get(((ms.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let mut out = format!(
        "photos read {} (refused by the photo check {}), side right {:.1} %\n",
        r.photos,
        r.refused,
        100.0 * r.side_right as f64 / r.photos.max(1) as f64
    );
    out.push_str("field        exact     n\n");
    for (k, f) in FIELDS.iter().enumerate() {
        let (ok, n) = r.fields[k];
        out.push_str(&format!(
            "{f:<12} {:>6.1} % {n:>5}\n",
            100.0 * ok as f64 / n.max(1) as f64
        ));
    }
    out.push_str(&format!(
        "false alarms (a mismatch on a correctly typed card): {} of {} cards\n",
        r.false_alarms, r.cards_checked
    ));
    out.push_str(&format!(
        "read ms per photo: p50 {:.0}, p95 {:.0}, max {:.0}\n",
        pct(0.5),
        pct(0.95),
        pct(1.0)
    ));
    out
}
