//! Photos on the device before they are uploaded: each picked file is judged by the photo
//! quality engine at once, re-encoded without metadata and previewed; what the engine found
//! (card outline, glare, missing corners, reasons) goes to the UI to be drawn on the photo.
//! A photo that fails is kept for display but never uploaded, and the same shot used for
//! both sides is caught here too.

use crate::Error;
use base64::Engine;
use okpay_photo as photo;
use okpay_photo::quality::{self, Corner, Rect, Strictness, Verdict};
use okpay_rules::ErrorCode;
use okpay_rules::contract::PhotoSide;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

/// The strictness the app judges photos at.
pub const APP_STRICTNESS: Strictness = Strictness::Normal;

/// What the local check found, in the photo's own pixels (`width` × `height` of the view).
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct PhotoCheck {
    pub ok: bool,
    /// Stable `PHOTO_*` codes, most fundamental first.
    pub reasons: Vec<ErrorCode>,
    /// Card corners TL, TR, BR, BL; may lie outside the frame.
    pub quad: Option<[[f32; 2]; 4]>,
    pub glare: Vec<Rect>,
    pub missing_corners: Vec<Corner>,
}

impl From<&Verdict> for PhotoCheck {
    fn from(v: &Verdict) -> PhotoCheck {
        PhotoCheck {
            ok: v.ok,
            reasons: v.reasons.clone(),
            quad: v.quad,
            glare: v.glare.clone(),
            missing_corners: v.missing_corners.clone(),
        }
    }
}

impl PhotoCheck {
    fn refuse(&mut self, code: ErrorCode) {
        if !self.reasons.contains(&code) {
            self.reasons.push(code);
        }
        self.ok = false;
    }
}

/// A photo checked on the device.
#[derive(Clone)]
pub struct LocalPhoto {
    pub side: PhotoSide,
    /// The prepared upload (JPEG, no metadata), absent when the check failed.
    pub upload: Option<bytes::Bytes>,
    /// The prepared JPEG whether or not it passed, to compare the two sides' shots.
    pub prepared: bytes::Bytes,
    pub view: LocalPhotoView,
}

/// What the UI sees of a local photo: a downscaled preview and the check, never the file or
/// its path.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
#[ts(rename = "LocalPhoto")]
pub struct LocalPhotoView {
    pub side: PhotoSide,
    /// `data:image/jpeg;base64,…`
    pub preview: String,
    pub width: u32,
    pub height: u32,
    /// Size of the prepared upload (0 when the photo failed).
    pub bytes: u64,
    /// Format of the original file: `jpeg`, `png` or `webp`.
    #[ts(type = "string")]
    pub format: &'static str,
    pub check: PhotoCheck,
}

/// Check a photo file's bytes and prepare it. CPU-bound: call from a blocking thread.
/// Errors are files that cannot be judged at all (not an image, too large, unreadable); a
/// photo that can be judged but fails comes back with `check.ok == false`.
pub fn prepare_photo(
    side: PhotoSide,
    file: &[u8],
    strictness: Strictness,
) -> Result<LocalPhoto, Error> {
    let examined = photo::examine(file, strictness)?;
    let check = PhotoCheck::from(&examined.verdict);
    let preview = format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&examined.preview)
    );
    let prepared = bytes::Bytes::from(examined.upload);
    let upload = check.ok.then(|| prepared.clone());
    Ok(LocalPhoto {
        side,
        prepared,
        view: LocalPhotoView {
            side,
            preview,
            width: examined.facts.width,
            height: examined.facts.height,
            bytes: upload.as_ref().map_or(0, |u| u.len() as u64),
            format: examined.facts.format,
            check,
        },
        upload,
    })
}

/// Photos checked at once on this device: each decodes a phone photo of up to 100 MP and
/// runs every check, so more at once would only add memory.
static PHOTO_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// [`prepare_photo`] of the bytes `file` reads, on a blocking thread, at most two at a time
/// on this device (the rest wait their turn).
pub async fn prepare_photo_off_runtime(
    side: PhotoSide,
    file: impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static,
    strictness: Strictness,
) -> Result<LocalPhoto, Error> {
    let _turn = PHOTO_WORK
        .acquire()
        .await
        .map_err(|_| Error::Invalid(ErrorCode::Internal))?;
    tokio::task::spawn_blocking(move || prepare_photo(side, &file()?, strictness))
        .await
        .map_err(|_| Error::Invalid(ErrorCode::Internal))?
}

/// Read a photo file, refusing one over the size limit without reading it all. Blocking:
/// call from a blocking thread.
pub fn read_photo_file(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let limit = photo::MAX_FILE_BYTES as u64;
    let unreadable = || Error::Invalid(ErrorCode::PhotoUnreadable);
    let file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable())?;
    if bytes.len() as u64 > limit {
        return Err(Error::Invalid(ErrorCode::PhotoTooLarge));
    }
    Ok(bytes)
}

/// The photos picked on this device, one per side.
#[derive(Default)]
pub struct LocalPhotos {
    by_side: Mutex<HashMap<PhotoSide, LocalPhoto>>,
}

impl LocalPhotos {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PhotoSide, LocalPhoto>> {
        self.by_side
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keep a checked photo (replacing an earlier one of that side). When it is the same
    /// shot as the other side's photo, it fails with `PHOTO_DUPLICATE_SIDES` and is never
    /// uploaded.
    pub fn put(&self, mut photo: LocalPhoto) -> LocalPhotoView {
        let mut map = self.lock();
        let other = map.get(&photo.side.other());
        if let Some(other) = other
            && quality::phash::check_pair(&photo.prepared, &other.prepared)
                .is_ok_and(|pair| pair.duplicate)
        {
            photo.view.check.refuse(ErrorCode::PhotoDuplicateSides);
            photo.upload = None;
            photo.view.bytes = 0;
        }
        let view = photo.view.clone();
        map.insert(photo.side, photo);
        view
    }

    /// The view of a side's local photo.
    pub fn view(&self, side: PhotoSide) -> Option<LocalPhotoView> {
        self.lock().get(&side).map(|p| p.view.clone())
    }

    /// The prepared JPEG of a side's local photo, passed or not.
    pub fn prepared(&self, side: PhotoSide) -> Option<bytes::Bytes> {
        self.lock().get(&side).map(|p| p.prepared.clone())
    }

    /// A side's photo waiting to be uploaded: `Ok(None)` when there is none, the first
    /// reason when the local photo failed its check.
    pub fn pending(&self, side: PhotoSide) -> Result<Option<bytes::Bytes>, Error> {
        match self.lock().get(&side) {
            None => Ok(None),
            Some(p) => match &p.upload {
                Some(u) => Ok(Some(u.clone())),
                None => Err(Error::Invalid(
                    p.view
                        .check
                        .reasons
                        .first()
                        .copied()
                        .unwrap_or(ErrorCode::PhotoUnreadable),
                )),
            },
        }
    }

    /// The server has it: forget the local copy.
    pub fn uploaded(&self, side: PhotoSide) {
        self.lock().remove(&side);
    }

    /// Forget a side's photo (the user cleared it).
    pub fn remove(&self, side: PhotoSide) {
        self.lock().remove(&side);
    }

    /// The photos that passed (those with an upload), portrait side first.
    pub fn kept(&self) -> Vec<LocalPhoto> {
        let map = self.lock();
        PhotoSide::BOTH
            .iter()
            .filter_map(|side| map.get(side).filter(|p| p.upload.is_some()).cloned())
            .collect()
    }

    /// Put back photos kept from an earlier run, each only where its side is still empty
    /// (a photo picked in this run is newer).
    pub fn restore(&self, photos: Vec<LocalPhoto>) {
        let mut map = self.lock();
        for photo in photos {
            map.entry(photo.side).or_insert(photo);
        }
    }

    /// Forget everything (sign-out).
    pub fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_text_file_is_refused_with_its_code() {
        let e = prepare_photo(PhotoSide::Portrait, b"plain text", APP_STRICTNESS)
            .err()
            .map(|e| e.code());
        assert_eq!(e, Some(ErrorCode::PhotoUnsupportedFormat));
    }
}
