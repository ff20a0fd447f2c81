//! The card cut out of the photo and turned flat: the quad the photo engine found is mapped to
//! a fixed 856 x 540 image (10 px per mm of the 85.6 x 54 mm card), so reading costs the same
//! for a 2 MP and a 48 MP photo and every field sits where the card's layout puts it.

use image::{Rgb, RgbImage};
use okpay_photo::raster::Homography;

/// Width of the flat card in pixels.
pub const CARD_W: u32 = 856;
/// Height of the flat card in pixels.
pub const CARD_H: u32 = 540;

/// A flat card and the map from its pixels back to the photo's.
#[derive(Clone)]
pub struct Card {
    pub image: RgbImage,
    /// Flat-card pixel → photo pixel.
    to_photo: Homography,
}

impl Card {
    /// Cut the card at `quad` (TL, TR, BR, BL, photo pixels) out of `photo`. A quad whose
    /// first side is the short one (the card stood upright in the photo) is turned so the
    /// long side runs across.
    pub fn cut(photo: &RgbImage, quad: [[f32; 2]; 4]) -> Card {
        let side = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
        let across = side(quad[0], quad[1]) + side(quad[3], quad[2]);
        let down = side(quad[0], quad[3]) + side(quad[1], quad[2]);
        let quad = if across < down {
            [quad[3], quad[0], quad[1], quad[2]]
        } else {
            quad
        };
        let to_photo = Homography::square_to_quad(&quad).after_scale(CARD_W, CARD_H);
        let image = RgbImage::from_fn(CARD_W, CARD_H, |x, y| {
            let [px, py] = to_photo.apply(f64::from(x) + 0.5, f64::from(y) + 0.5);
            let c = sample(photo, (px - 0.5) as f32, (py - 0.5) as f32);
            Rgb(c.map(|v| v.round().clamp(0.0, 255.0) as u8))
        });
        Card { image, to_photo }
    }

    /// The same card turned half a turn (it lay upside down in the photo).
    pub fn turned(&self) -> Card {
        let mut image = self.image.clone();
        image::imageops::rotate180_in_place(&mut image);
        let to_photo = self.to_photo.after_half_turn(CARD_W, CARD_H);
        Card { image, to_photo }
    }

    /// A flat-card box (x, y, width, height) as the photo's axis-aligned bounding box.
    pub fn box_on_photo(&self, b: [f32; 4]) -> [f32; 4] {
        let corners = [
            [b[0], b[1]],
            [b[0] + b[2], b[1]],
            [b[0] + b[2], b[1] + b[3]],
            [b[0], b[1] + b[3]],
        ]
        .map(|[x, y]| self.to_photo.apply(f64::from(x), f64::from(y)));
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for [x, y] in corners {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        [x0 as f32, y0 as f32, (x1 - x0) as f32, (y1 - y0) as f32]
    }
}

/// The colour at (`x`, `y`) of `img`, bilinear, its edges repeated outside.
pub(crate) fn sample(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    if w == 0 || h == 0 {
        return [0.0; 3];
    }
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |xi: i64, yi: i64| {
        img.get_pixel(xi.clamp(0, w - 1) as u32, yi.clamp(0, h - 1) as u32)
            .0
    };
    let (xi, yi) = (x0 as i64, y0 as i64);
    let (a, b, c, d) = (
        at(xi, yi),
        at(xi + 1, yi),
        at(xi, yi + 1),
        at(xi + 1, yi + 1),
    );
    std::array::from_fn(|i| {
        let top = f32::from(a[i]) * (1.0 - fx) + f32::from(b[i]) * fx;
        let bottom = f32::from(c[i]) * (1.0 - fx) + f32::from(d[i]) * fx;
        top * (1.0 - fy) + bottom * fy
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_land_on_the_quad_and_turning_swaps_them() {
        let quad = [[100.0, 50.0], [900.0, 80.0], [880.0, 600.0], [120.0, 560.0]];
        let photo = RgbImage::new(1000, 700);
        let card = Card::cut(&photo, quad);
        let close = |a: [f64; 2], b: [f32; 2]| {
            (a[0] - f64::from(b[0])).abs() < 1e-6 && (a[1] - f64::from(b[1])).abs() < 1e-6
        };
        let (w, h) = (f64::from(CARD_W), f64::from(CARD_H));
        assert!(close(card.to_photo.apply(0.0, 0.0), quad[0]));
        assert!(close(card.to_photo.apply(w, 0.0), quad[1]));
        assert!(close(card.to_photo.apply(w, h), quad[2]));
        let turned = card.turned();
        assert!(close(turned.to_photo.apply(0.0, 0.0), quad[2]));
        assert!(close(turned.to_photo.apply(w, h), quad[0]));
    }

    #[test]
    fn an_upright_card_is_laid_across() {
        // The card stands: its short side runs across the photo.
        let quad = [
            [100.0, 100.0],
            [640.0, 100.0],
            [640.0, 956.0],
            [100.0, 956.0],
        ];
        let mut photo = RgbImage::from_pixel(800, 1100, Rgb([255, 255, 255]));
        // A dark band along the card's left long side.
        for y in 100..956 {
            for x in 100..150 {
                photo.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        let card = Card::cut(&photo, quad);
        // Laid across, that long side is the flat card's top edge.
        assert_eq!(card.image.get_pixel(CARD_W / 2, 5).0, [0, 0, 0]);
        assert_ne!(card.image.get_pixel(CARD_W / 2, CARD_H - 5).0, [0, 0, 0]);
    }
}
