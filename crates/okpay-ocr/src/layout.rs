//! From lines to the card's fields. Lines are grouped into rows by height; the printed labels
//! (姓名, 性别, 民族, 出生, 住址, 公民身份号码 on the portrait side; 中华人民共和国, 居民身份证,
//! 签发机关, 有效期限 on the emblem side) tell the side and where each value starts, so a value
//! read together with its label in one line and a value read as its own line come out the same.

use crate::detect::TextBox;
use crate::recognize::Line;
use serde::Serialize;

/// Which face of the card a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CardSide {
    /// 人像面: name, sex, ethnicity, birth date, address, number, portrait.
    Portrait,
    /// 国徽面: issuing authority and validity period.
    Emblem,
    /// Neither: not an ID card, or nothing on it could be read.
    Unknown,
}

const PORTRAIT_LABELS: [&str; 6] = ["姓名", "性别", "民族", "出生", "住址", "公民身份号码"];
const EMBLEM_LABELS: [&str; 4] = ["中华人民共和国", "居民身份证", "签发机关", "有效期限"];
/// Labels that must be found for a side to be named.
const MIN_LABELS: usize = 2;
/// Where the portrait starts on the flat card (x, in card pixels): address lines stop there.
const PORTRAIT_PHOTO_X: f32 = 560.0;

/// One field as read: its text, the mean confidence of its characters, and its box (x, y,
/// width, height: on the flat card from [`read_layout`], on the photo in a
/// [`Reading`](crate::Reading)).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Field {
    pub text: String,
    pub confidence: f32,
    #[serde(rename = "box")]
    pub bbox: [f32; 4],
    /// Each character's confidence, when `text` is the characters as read (not a date
    /// rewritten from them).
    #[serde(skip)]
    #[ts(skip)]
    pub chars: Vec<f32>,
}

/// Every field found on one side (the other side's are absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct Fields {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sex: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ethnicity: Option<Field>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub birth: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub address: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id_number: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub authority: Option<Field>,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_from: Option<Field>,
    /// `YYYY-MM-DD` or `长期`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_to: Option<Field>,
}

impl Fields {
    /// Every field present, to adjust in place.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Field> {
        [
            &mut self.name,
            &mut self.sex,
            &mut self.ethnicity,
            &mut self.birth,
            &mut self.address,
            &mut self.id_number,
            &mut self.authority,
            &mut self.valid_from,
            &mut self.valid_to,
        ]
        .into_iter()
        .flatten()
    }
}

/// A character of a row: itself, its confidence, and its x span on the card.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    c: char,
    p: f32,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
}

/// The characters of one row of text, left to right, spaces dropped.
#[derive(Debug, Clone, Default)]
struct Row(Vec<Glyph>);

impl Row {
    /// Where `label` starts in this row (by characters), allowing one misread character in a
    /// label of four or more.
    fn find(&self, label: &str) -> Option<usize> {
        let want: Vec<char> = label.chars().collect();
        let have: Vec<char> = self.0.iter().map(|g| g.c).collect();
        let allowed = usize::from(want.len() >= 4);
        (0..=have.len().checked_sub(want.len())?).find(|&i| {
            want.iter()
                .zip(&have[i..i + want.len()])
                .filter(|(a, b)| a != b)
                .count()
                <= allowed
        })
    }

    /// The characters after `label` (up to the first of `stops`), as a field.
    fn after(&self, label: &str, stops: &[&str]) -> Option<Field> {
        let start = self.find(label)? + label.chars().count();
        let end = stops
            .iter()
            .filter_map(|s| self.find(s))
            .filter(|&i| i >= start)
            .min()
            .unwrap_or(self.0.len());
        field(&self.0[start..end])
    }
}

fn field(glyphs: &[Glyph]) -> Option<Field> {
    if glyphs.is_empty() {
        return None;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for g in glyphs {
        (x0, y0, x1, y1) = (x0.min(g.x0), y0.min(g.y0), x1.max(g.x1), y1.max(g.y1));
    }
    Some(Field {
        text: glyphs.iter().map(|g| g.c).collect(),
        confidence: glyphs.iter().map(|g| g.p).sum::<f32>() / glyphs.len() as f32,
        bbox: [x0, y0, x1 - x0, y1 - y0],
        chars: glyphs.iter().map(|g| g.p).collect(),
    })
}

/// Lines grouped into rows (a line joins a row when its middle lies within the row's
/// height), each row's characters left to right with their share of the line's width.
fn rows(lines: &[Line]) -> Vec<Row> {
    let mut sorted: Vec<&Line> = lines.iter().filter(|l| !l.chars.is_empty()).collect();
    sorted.sort_by(|a, b| a.bbox.center_y().total_cmp(&b.bbox.center_y()));
    let mut groups: Vec<Vec<&Line>> = Vec::new();
    for line in sorted {
        let joins = groups.last().is_some_and(|g| {
            let last: &TextBox = &g[g.len() - 1].bbox;
            // Compared where the last line is, along this line's slope: on a card cut a little
            // askew, a label and its value lie on one slanted row.
            let b = &line.bbox;
            let here = b.cy + b.angle.tan() * (last.cx - b.cx);
            (here - last.cy).abs() < 0.5 * last.thick.min(b.thick)
        });
        match groups.last_mut() {
            Some(g) if joins => g.push(line),
            _ => groups.push(vec![line]),
        }
    }
    groups
        .into_iter()
        .map(|mut g| {
            g.sort_by(|a, b| a.bbox.x.total_cmp(&b.bbox.x));
            let mut glyphs = Vec::new();
            // Where the previous line of the row ends and its last character: two lines grown
            // into each other read the character they share twice; the later copy is dropped.
            let mut last_right = f32::MIN;
            let mut last_char = None;
            for line in g {
                let n = line.chars.len() as f32;
                let b = line.bbox;
                for (i, &(c, p)) in line.chars.iter().enumerate() {
                    let middle = b.x + b.w * (i as f32 + 0.5) / n;
                    if c.is_whitespace() || (middle < last_right && last_char == Some(c)) {
                        continue;
                    }
                    glyphs.push(Glyph {
                        c,
                        p,
                        x0: b.x + b.w * i as f32 / n,
                        x1: b.x + b.w * (i + 1) as f32 / n,
                        y0: b.y,
                        y1: b.y + b.h,
                    });
                }
                last_right = last_right.max(b.right());
                last_char = line
                    .chars
                    .iter()
                    .rev()
                    .map(|x| x.0)
                    .find(|c| !c.is_whitespace());
            }
            Row(glyphs)
        })
        .collect()
}

/// The side the labels name, and the fields read off it.
pub fn read_layout(lines: &[Line]) -> (CardSide, Fields) {
    let rows = rows(lines);
    let count = |labels: &[&str]| {
        labels
            .iter()
            .filter(|l| rows.iter().any(|r| r.find(l).is_some()))
            .count()
    };
    let (portrait, emblem) = (count(&PORTRAIT_LABELS), count(&EMBLEM_LABELS));
    if portrait >= MIN_LABELS && portrait > emblem {
        (CardSide::Portrait, portrait_fields(&rows))
    } else if emblem >= MIN_LABELS && emblem > portrait {
        (CardSide::Emblem, emblem_fields(&rows))
    } else {
        (CardSide::Unknown, Fields::default())
    }
}

fn row_of<'a>(rows: &'a [Row], label: &str) -> Option<(usize, &'a Row)> {
    rows.iter()
        .enumerate()
        .find(|(_, r)| r.find(label).is_some())
}

fn portrait_fields(rows: &[Row]) -> Fields {
    let mut f = Fields::default();
    if let Some((_, r)) = row_of(rows, "姓名") {
        f.name = r
            .after("姓名", &[])
            .map(|v| keep(v, |c| !c.is_ascii_digit()))
            // Printed in simplified characters: one read in its traditional form is folded.
            .map(|v| Field {
                text: v.text.chars().map(crate::variants::fold).collect(),
                ..v
            });
    }
    if let Some((_, r)) = row_of(rows, "性别") {
        f.sex = r
            .after("性别", &["民族"])
            .map(|v| keep(v, |c| c == '男' || c == '女'));
    }
    if let Some((_, r)) = row_of(rows, "民族") {
        f.ethnicity = r.after("民族", &[]);
    }
    if let Some((_, r)) = row_of(rows, "出生") {
        f.birth = r
            .after("出生", &[])
            .and_then(|v| with_text(v, chinese_date));
    }
    let id_row = row_of(rows, "公民身份号码");
    if let Some((i, r)) = row_of(rows, "住址") {
        let end = id_row.map_or(rows.len(), |(j, _)| j).max(i + 1);
        let mut glyphs: Vec<Glyph> = Vec::new();
        if let Some(start) = r.find("住址") {
            glyphs.extend(r.0[start + 2..].iter().filter(|g| g.x0 < PORTRAIT_PHOTO_X));
        }
        // Up to two more lines, never the number's.
        for next in rows[i + 1..end.min(i + 4)]
            .iter()
            .take_while(|r| digit_run(r) < 12)
        {
            glyphs.extend(next.0.iter().filter(|g| g.x0 < PORTRAIT_PHOTO_X));
        }
        f.address = field(&glyphs);
    }
    let number_row = id_row.map(|(_, r)| r.clone()).or_else(|| {
        rows.iter()
            .find(|r| r.0.iter().filter(|g| g.c.is_ascii_digit()).count() >= 15)
            .cloned()
    });
    if let Some(r) = number_row {
        let start = r.find("公民身份号码").map_or(0, |i| i + 6);
        let glyphs: Vec<Glyph> = r.0[start..]
            .iter()
            .filter(|g| g.c.is_ascii_digit() || g.c == 'X' || g.c == 'x')
            .map(|g| Glyph {
                c: g.c.to_ascii_uppercase(),
                ..*g
            })
            .collect();
        f.id_number = field(&glyphs);
    }
    f
}

/// The longest run of digits (or X) in a row.
fn digit_run(r: &Row) -> usize {
    let (mut best, mut run) = (0, 0);
    for g in &r.0 {
        run = if g.c.is_ascii_digit() || g.c == 'X' {
            run + 1
        } else {
            0
        };
        best = best.max(run);
    }
    best
}

fn emblem_fields(rows: &[Row]) -> Fields {
    let mut f = Fields::default();
    if let Some((_, r)) = row_of(rows, "签发机关") {
        f.authority = r.after("签发机关", &[]);
    }
    if let Some(v) = row_of(rows, "有效期限").and_then(|(_, r)| r.after("有效期限", &[])) {
        let (from, to) = dotted_period(&v.text);
        f.valid_from = from.map(|t| Field {
            text: t,
            chars: Vec::new(),
            ..v.clone()
        });
        f.valid_to = to.map(|t| Field {
            text: t,
            chars: Vec::new(),
            ..v
        });
    }
    f
}

/// Keep the characters `keep` accepts.
fn keep(v: Field, keep: impl Fn(char) -> bool) -> Field {
    let kept: Vec<(char, f32)> = v
        .text
        .chars()
        .zip(v.chars.iter().copied())
        .filter(|&(c, _)| keep(c))
        .collect();
    Field {
        text: kept.iter().map(|k| k.0).collect(),
        chars: kept.iter().map(|k| k.1).collect(),
        ..v
    }
}

fn with_text(v: Field, parse: impl Fn(&str) -> Option<String>) -> Option<Field> {
    parse(&v.text).map(|text| Field {
        text,
        chars: Vec::new(),
        ..v
    })
}

/// The runs of ASCII digits in `s`.
fn digit_runs(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

fn iso(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    okpay_rules::validate::date::Date::new(y, m, d).map(|date| date.to_string())
}

/// `1990年3月7日` → `1990-03-07`.
pub fn chinese_date(s: &str) -> Option<String> {
    match digit_runs(s).as_slice() {
        [y, m, d] if y.len() == 4 => iso(y, m, d),
        // Year, month and day run together: 1990037 is ambiguous, 19900307 is not.
        [all] if all.len() == 8 => iso(&all[..4], &all[4..6], &all[6..]),
        _ => None,
    }
}

/// `2015.03.07-2035.03.07` or `2015.03.07-长期` → (from, to).
pub fn dotted_period(s: &str) -> (Option<String>, Option<String>) {
    let runs = digit_runs(s);
    let date_at = |i: usize| -> Option<String> {
        match runs.get(i..) {
            Some([y, m, d, ..]) if y.len() == 4 && m.len() == 2 && d.len() == 2 => iso(y, m, d),
            Some([all, ..]) if all.len() == 8 => iso(&all[..4], &all[4..6], &all[6..]),
            _ => None,
        }
    };
    let first_len = match runs.first() {
        Some(r) if r.len() == 8 => 1,
        _ => 3,
    };
    let from = date_at(0);
    let to = if s.contains("长期") {
        Some("长期".to_owned())
    } else {
        date_at(first_len)
    };
    (from, to)
}

#[cfg(test)]
mod tests;
