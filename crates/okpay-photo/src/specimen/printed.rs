//! A specimen card with real print: the fields of a [`CardText`] set in CJK fonts from the
//! system (Debian's WenQuanYi and Noto CJK) where a resident ID card prints them, so the card
//! reader can be tested on what it will see. The face is drawn once, flat, at 10 px per mm,
//! and placed in a [`Scene`] like any other face.

use super::face;
use super::render::render_face;
use super::scene::{Scene, Side};
use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::RgbImage;
use std::path::Path;

/// Pixels per millimetre of the flat face.
const PX_PER_MM: f32 = 10.0;
const FACE_W: u32 = 856;
const FACE_H: u32 = 540;

/// Where Debian puts the fonts used, most common first, with the index of the face for
/// simplified Chinese in each collection (Noto CJK's first face is the Japanese one, whose
/// glyphs differ: 黄, 龑).
pub const FONT_FILES: [(&str, u32); 4] = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
];

/// What a card says. Dates as printed: `birth` is (year, month, day); the validity period is
/// `YYYY.MM.DD` and `YYYY.MM.DD` or `长期`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardText {
    pub name: String,
    /// 男 or 女.
    pub sex: String,
    pub ethnicity: String,
    pub birth: (i32, u8, u8),
    pub address: String,
    pub id_number: String,
    pub authority: String,
    pub valid_from: String,
    pub valid_to: String,
}

impl CardText {
    /// A specimen card's text (no real person): a man born 1990-05-17 in Beijing, a card
    /// valid 2016–2036.
    pub fn specimen() -> CardText {
        CardText {
            name: "张伟".to_owned(),
            sex: "男".to_owned(),
            ethnicity: "汉".to_owned(),
            birth: (1990, 5, 17),
            address: "北京市朝阳区建国路88号2单元".to_owned(),
            id_number: "11010519900517001X".to_owned(),
            authority: "北京市公安局朝阳分局".to_owned(),
            valid_from: "2016.05.01".to_owned(),
            valid_to: "2036.05.01".to_owned(),
        }
    }
}

/// The fonts found on this system; the first one that has a glyph sets it.
pub struct Fonts(Vec<FontVec>);

impl Fonts {
    /// Every font of [`FONT_FILES`] present, or `None` when there is none.
    pub fn system() -> Option<Fonts> {
        let fonts: Vec<FontVec> = FONT_FILES
            .iter()
            .filter_map(|(p, face)| Fonts::load(Path::new(p), *face))
            .collect();
        (!fonts.is_empty()).then_some(Fonts(fonts))
    }

    fn load(path: &Path, face: u32) -> Option<FontVec> {
        FontVec::try_from_vec_and_index(std::fs::read(path).ok()?, face).ok()
    }

    /// How many fonts there are (a card picks one for its values by number).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether some font has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.0.iter().any(|f| f.glyph_id(c).0 != 0)
    }

    /// The font to set `c` in: `preferred` if it has the glyph, else the first that has.
    fn for_char(&self, c: char, preferred: usize) -> &FontVec {
        let first = &self.0[preferred % self.0.len()];
        if first.glyph_id(c).0 != 0 {
            return first;
        }
        self.0
            .iter()
            .find(|f| f.glyph_id(c).0 != 0)
            .unwrap_or(first)
    }
}

/// A drawn face: colour per pixel at 10 px per mm.
pub struct Printed {
    rgb: Vec<[f32; 3]>,
}

const LABEL: [f32; 3] = [70.0, 110.0, 150.0];
const INK: [f32; 3] = [28.0, 28.0, 32.0];

impl Printed {
    /// The `side` of the card that says `text`, its values set in font number `font`.
    pub fn new(side: Side, text: &CardText, fonts: &Fonts, font: usize) -> Printed {
        let mut face = Printed {
            rgb: Vec::with_capacity((FACE_W * FACE_H) as usize),
        };
        for y in 0..FACE_H {
            for x in 0..FACE_W {
                let (mx, my) = (x as f32 / PX_PER_MM, y as f32 / PX_PER_MM);
                // The printed security background, pale and fine (no text of its own).
                let wave = (mx * 2.1).sin() * (my * 1.7).cos() * 6.0;
                let base = match side {
                    Side::Portrait => [226.0, 234.0, 236.0],
                    Side::Emblem => [232.0, 236.0, 226.0],
                };
                face.rgb.push(base.map(|c| c + wave));
            }
        }
        match side {
            Side::Portrait => face.portrait(text, fonts, font),
            Side::Emblem => face.emblem(text, fonts, font),
        }
        face
    }

    fn portrait(&mut self, t: &CardText, fonts: &Fonts, font: usize) {
        // The portrait: a head and shoulders on a pale ground.
        for y in 80..400 {
            for x in 560..800 {
                let (mx, my) = (x as f32 / PX_PER_MM, y as f32 / PX_PER_MM);
                let (dx, dy) = ((mx - 68.0) / 7.0, (my - 20.0) / 9.0);
                let shoulders =
                    my > 30.0 && ((mx - 68.0) / 11.0).powi(2) + ((my - 41.0) / 9.0).powi(2) < 1.0;
                self.rgb[(y * FACE_W + x) as usize] = if dx * dx + dy * dy < 1.0 || shoulders {
                    [96.0, 88.0, 84.0]
                } else {
                    [214.0, 220.0, 228.0]
                };
            }
        }
        let label =
            |f: &mut Printed, s: &str, x: f32, y: f32| f.text(fonts, 0, s, x, y, 2.8, 0.6, LABEL);
        let value = |f: &mut Printed, s: &str, x: f32, y: f32, mm: f32| {
            f.text(fonts, font, s, x, y, mm, 0.15, INK)
        };
        label(self, "姓名", 6.5, 7.0);
        value(self, &t.name, 16.5, 6.3, 4.0);
        label(self, "性别", 6.5, 14.0);
        value(self, &t.sex, 16.5, 13.6, 3.4);
        label(self, "民族", 27.5, 14.0);
        value(self, &t.ethnicity, 37.0, 13.6, 3.4);
        label(self, "出生", 6.5, 21.0);
        let (y, m, d) = t.birth;
        value(self, &format!("{y}"), 16.5, 20.6, 3.4);
        label(self, "年", 25.5, 21.0);
        value(self, &format!("{m}"), 30.0, 20.6, 3.4);
        label(self, "月", 34.0, 21.0);
        value(self, &format!("{d}"), 38.0, 20.6, 3.4);
        label(self, "日", 42.0, 21.0);
        label(self, "住址", 6.5, 28.0);
        let chars: Vec<char> = t.address.chars().collect();
        for (row, part) in chars.chunks(11).take(3).enumerate() {
            let s: String = part.iter().collect();
            value(self, &s, 16.5, 27.6 + 5.0 * row as f32, 3.4);
        }
        label(self, "公民身份号码", 6.5, 46.0);
        self.text(fonts, font, &t.id_number, 29.0, 45.4, 3.9, 0.45, INK);
    }

    fn emblem(&mut self, t: &CardText, fonts: &Fonts, font: usize) {
        for y in 0..FACE_H {
            for x in 0..FACE_W {
                let (mx, my) = (x as f32 / PX_PER_MM, y as f32 / PX_PER_MM);
                let (dx, dy) = (mx - 14.0, my - 14.0);
                if dx * dx + dy * dy < 81.0 {
                    self.rgb[(y * FACE_W + x) as usize] = face::emblem(mx, my, 0);
                }
            }
        }
        self.text(fonts, 0, "中华人民共和国", 30.0, 7.0, 4.6, 1.4, INK);
        self.text(fonts, 0, "居民身份证", 27.0, 15.5, 7.2, 1.8, INK);
        self.text(fonts, 0, "签发机关", 14.0, 37.5, 2.8, 0.6, LABEL);
        self.text(fonts, font, &t.authority, 29.0, 37.1, 3.4, 0.15, INK);
        self.text(fonts, 0, "有效期限", 14.0, 45.0, 2.8, 0.6, LABEL);
        let period = format!("{}-{}", t.valid_from, t.valid_to);
        self.text(fonts, font, &period, 29.0, 44.6, 3.4, 0.1, INK);
    }

    /// Set `s` with its top left at (`x`, `y`) mm, `size` mm high, `gap` mm between
    /// characters, in `colour`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        fonts: &Fonts,
        font: usize,
        s: &str,
        x: f32,
        y: f32,
        size: f32,
        gap: f32,
        colour: [f32; 3],
    ) {
        let px = size * PX_PER_MM;
        let scale = PxScale::from(px);
        let mut pen = x * PX_PER_MM;
        for c in s.chars() {
            let f = fonts.for_char(c, font);
            let sf = f.as_scaled(scale);
            let id = f.glyph_id(c);
            let glyph = id
                .with_scale_and_position(scale, ab_glyph::point(pen, y * PX_PER_MM + sf.ascent()));
            pen += sf.h_advance(id) + gap * PX_PER_MM;
            let Some(outline) = f.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            let rgb = &mut self.rgb;
            outline.draw(|gx, gy, cover| {
                let (px, py) = (
                    b.min.x as i64 + i64::from(gx),
                    b.min.y as i64 + i64::from(gy),
                );
                if (0..i64::from(FACE_W)).contains(&px) && (0..i64::from(FACE_H)).contains(&py) {
                    let p = &mut rgb[(py as u32 * FACE_W + px as u32) as usize];
                    let a = cover.clamp(0.0, 1.0);
                    for i in 0..3 {
                        p[i] = p[i] * (1.0 - a) + colour[i] * a;
                    }
                }
            });
        }
    }

    /// Colour at (`mx`, `my`) mm, bilinear.
    fn at(&self, mx: f32, my: f32) -> [f32; 3] {
        let (x, y) = (mx * PX_PER_MM - 0.5, my * PX_PER_MM - 0.5);
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let get = |xi: f32, yi: f32| {
            let xi = (xi as i64).clamp(0, i64::from(FACE_W) - 1) as u32;
            let yi = (yi as i64).clamp(0, i64::from(FACE_H) - 1) as u32;
            self.rgb[(yi * FACE_W + xi) as usize]
        };
        let (a, b, c, d) = (
            get(x0, y0),
            get(x0 + 1.0, y0),
            get(x0, y0 + 1.0),
            get(x0 + 1.0, y0 + 1.0),
        );
        std::array::from_fn(|i| {
            (a[i] * (1.0 - fx) + b[i] * fx) * (1.0 - fy) + (c[i] * (1.0 - fx) + d[i] * fx) * fy
        })
    }

    /// The scene with this face on the card (the scene's `side` and `variant` are ignored).
    pub fn render(&self, scene: &Scene) -> RgbImage {
        render_face(scene, &|mx, my| self.at(mx, my))
    }
}
