//! Reading the card in the photos picked on this device, before anything is uploaded: the
//! side each photo shows and what its fields say, with a crop of each field from the photo
//! so the user sees what was read, and the cross-checks with what the user typed. The models
//! load once, lazily, off the async runtime; one photo is read at a time. What is read stays
//! in memory with the photo it came from and goes when the photo goes.

use crate::Error;
use base64::Engine;
use okpay_ocr::{CardSide, Check, Field, Models, OcrError, Reading, Typed};
use okpay_rules::ErrorCode;
use okpay_rules::contract::{PersonalInfo, PhotoSide};
use okpay_rules::validate::Date;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Which field a [`FieldView`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKey {
    Name,
    Sex,
    Ethnicity,
    Birth,
    Address,
    IdNumber,
    Authority,
    ValidFrom,
    ValidTo,
}

/// One field as the card says it, for the UI.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct FieldView {
    pub key: FieldKey,
    pub text: String,
    pub confidence: f32,
    /// `data:image/jpeg;base64,…`: the field cut from the photo.
    pub crop: String,
}

/// What one local photo's card says, for the UI.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct CardView {
    /// The slot the photo is in.
    pub side: PhotoSide,
    /// The side it shows.
    pub read_as: CardSide,
    pub upside_down: bool,
    pub fields: Vec<FieldView>,
}

/// A reading kept with its photo.
#[derive(Debug, Clone)]
pub struct CardRead {
    pub reading: Reading,
    pub view: CardView,
}

/// How a reader gets its models, called once, on a blocking thread.
type LoadModels = Box<dyn Fn() -> Result<Models, OcrError> + Send + Sync>;

/// The card reader of one app run.
pub struct CardReader {
    load: LoadModels,
    models: OnceLock<Result<Arc<Models>, String>>,
    /// One read at a time: each uses every core.
    busy: tokio::sync::Mutex<()>,
}

impl CardReader {
    /// A reader of the models in `dir` (loaded on first use).
    pub fn new(dir: impl Into<PathBuf>) -> CardReader {
        let dir = dir.into();
        CardReader::with_loader(move || Models::load(&dir))
    }

    /// A reader whose models come from `load` (called on first use), for where they are not
    /// plain files: on Android they are inside the app package ([`crate::android_assets`]).
    pub fn with_loader(
        load: impl Fn() -> Result<Models, OcrError> + Send + Sync + 'static,
    ) -> CardReader {
        CardReader {
            load: Box::new(load),
            models: OnceLock::new(),
            busy: tokio::sync::Mutex::new(()),
        }
    }

    fn models(&self) -> Result<Arc<Models>, Error> {
        self.models
            .get_or_init(|| {
                (self.load)().map(Arc::new).map_err(|e| {
                    tracing::warn!(error = %e, "the card reader is not available");
                    e.to_string()
                })
            })
            .clone()
            .map_err(|_| Error::Invalid(ErrorCode::OcrUnavailable))
    }

    /// Read the prepared photo of `side` (off the runtime; the first read loads the models).
    pub async fn read(
        self: &Arc<Self>,
        side: PhotoSide,
        prepared: bytes::Bytes,
    ) -> Result<CardRead, Error> {
        let _one = self.busy.lock().await;
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let models = me.models()?;
            let reading = models
                .read_photo(&prepared)
                .map_err(|e| Error::Invalid(e.code()))?;
            let view = view(side, &reading, &prepared);
            Ok(CardRead { reading, view })
        })
        .await
        .map_err(|e| Error::File(format!("reading the card failed: {e}")))?
    }

    /// The cross-checks of `typed` against the readings, as of today in China.
    pub fn checks(
        &self,
        typed: &PersonalInfo,
        portrait: Option<&Reading>,
        emblem: Option<&Reading>,
    ) -> Vec<Check> {
        // Loaded by the reads these readings came from.
        let Some(Ok(models)) = self.models.get() else {
            return Vec::new();
        };
        let typed = Typed {
            name: &typed.name,
            id_number: &typed.id_number,
            validity: typed.validity.as_ref(),
        };
        okpay_ocr::cross_check(&typed, portrait, emblem, Date::today_china(), &|c| {
            models.knows(c)
        })
    }
}

/// The fields with their crops, in the card's order.
fn view(side: PhotoSide, reading: &Reading, prepared: &[u8]) -> CardView {
    let image = image::load_from_memory(prepared).ok().map(|i| i.to_rgb8());
    let f = &reading.fields;
    let fields = [
        (FieldKey::Name, &f.name),
        (FieldKey::Sex, &f.sex),
        (FieldKey::Ethnicity, &f.ethnicity),
        (FieldKey::Birth, &f.birth),
        (FieldKey::Address, &f.address),
        (FieldKey::IdNumber, &f.id_number),
        (FieldKey::Authority, &f.authority),
        (FieldKey::ValidFrom, &f.valid_from),
        (FieldKey::ValidTo, &f.valid_to),
    ]
    .into_iter()
    .filter_map(|(key, field)| {
        let field = field.as_ref()?;
        Some(FieldView {
            key,
            text: field.text.clone(),
            confidence: field.confidence,
            crop: image.as_ref().map(|i| crop(i, field)).unwrap_or_default(),
        })
    })
    .collect();
    CardView {
        side,
        read_as: reading.side,
        upside_down: reading.upside_down,
        fields,
    }
}

/// The field's box (with a little margin), as a small JPEG data URL.
fn crop(image: &image::RgbImage, field: &Field) -> String {
    let [x, y, w, h] = field.bbox;
    let pad = h * 0.25;
    let x0 = (x - pad).max(0.0) as u32;
    let y0 = (y - pad).max(0.0) as u32;
    let x1 = ((x + w + pad).max(0.0) as u32).min(image.width());
    let y1 = ((y + h + pad).max(0.0) as u32).min(image.height());
    if x1 <= x0 || y1 <= y0 {
        return String::new();
    }
    let cut = image::imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image();
    let mut out = Vec::new();
    if image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&cut)
        .is_err()
    {
        return String::new();
    }
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&out)
    )
}
