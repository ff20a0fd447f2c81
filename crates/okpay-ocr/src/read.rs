//! One photo to a [`Reading`]: the photo engine finds the card (and prepares the upload, the
//! same bytes the server will read), the card is cut flat, its lines detected and read, and
//! the layout names the side and the fields. A card that reads as neither side is tried once
//! more turned half a turn (it lay upside down). Boxes are given on the photo.

use crate::detect::{self, TextBox};
use crate::error::OcrError;
use crate::layout::{self, CardSide, Fields};
use crate::models::Models;
use crate::recognize::{self, Line};
use crate::rectify::Card;
use okpay_photo::Strictness;
use serde::Serialize;

/// Lines shorter than this on the flat card (px; printed text is ~30) are specks.
const MIN_LINE_H: f32 = 12.0;

/// What one photo of a card says.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Reading {
    pub side: CardSide,
    /// Each field's box is on the photo, in displayed (EXIF-turned) full-resolution pixels.
    pub fields: Fields,
    /// The card lay upside down.
    pub upside_down: bool,
}

impl Reading {
    fn unknown() -> Reading {
        Reading {
            side: CardSide::Unknown,
            fields: Fields::default(),
            upside_down: false,
        }
    }
}

/// The card cut flat out of a photo, and where the photo engine's upload lies on the photo.
pub struct Cut {
    pub card: Card,
    /// The upload's region on the photo, and upload pixels per photo pixel.
    region: okpay_photo::quality::Rect,
    scale: f32,
}

/// Find the card in the photo `bytes` and cut it flat; `None` when there is no card.
pub fn cut(bytes: &[u8]) -> Result<Option<Cut>, OcrError> {
    let examined = okpay_photo::examine(bytes, Strictness::Relaxed).map_err(OcrError::Photo)?;
    let Some(quad) = examined.verdict.quad else {
        return Ok(None);
    };
    let upload = image::load_from_memory(&examined.upload)
        .map_err(|_| OcrError::Photo(okpay_rules::ErrorCode::PhotoUnreadable))?
        .to_rgb8();
    let region = examined.upload_region;
    let scale = if region.width > 0.0 {
        upload.width() as f32 / region.width
    } else {
        1.0
    };
    let in_upload = quad.map(|[x, y]| [(x - region.x) * scale, (y - region.y) * scale]);
    Ok(Some(Cut {
        card: Card::cut(&upload, in_upload),
        region,
        scale,
    }))
}

impl Models {
    /// Read the card in the photo `bytes` (any format and size the photo engine takes).
    pub fn read_photo(&self, bytes: &[u8]) -> Result<Reading, OcrError> {
        let Some(Cut {
            card,
            region,
            scale,
        }) = cut(bytes)?
        else {
            return Ok(Reading::unknown());
        };
        let mut reading = self.read_card(&card)?;
        if reading.side == CardSide::Unknown {
            let turned = card.turned();
            let again = self.read_card(&turned)?;
            if again.side != CardSide::Unknown {
                reading = Reading {
                    upside_down: true,
                    ..again
                };
            }
        }
        // Card boxes were mapped to the upload; now to the photo.
        for f in reading.fields.iter_mut() {
            f.bbox = [
                f.bbox[0] / scale + region.x,
                f.bbox[1] / scale + region.y,
                f.bbox[2] / scale,
                f.bbox[3] / scale,
            ];
        }
        Ok(reading)
    }

    /// Read a flat card; field boxes come back in the coordinates `card` was cut from.
    pub fn read_card(&self, card: &Card) -> Result<Reading, OcrError> {
        let lines = self.lines(&card.image)?;
        let (side, mut fields) = layout::read_layout(&lines);
        for f in fields.iter_mut() {
            f.bbox = card.box_on_photo(f.bbox);
        }
        Ok(Reading {
            side,
            fields,
            upside_down: false,
        })
    }

    /// Every line of text on a flat card image, read.
    pub fn lines(&self, image: &image::RgbImage) -> Result<Vec<Line>, OcrError> {
        let boxes: Vec<TextBox> = detect::detect(self, image)?
            .into_iter()
            .filter(|b| b.thick >= MIN_LINE_H && b.len >= 0.8 * b.thick)
            .collect();
        boxes
            .into_iter()
            .map(|b| recognize::recognize(self, image, b))
            .collect()
    }
}
