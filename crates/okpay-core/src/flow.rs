//! The verification flow on the device: photos picked and checked locally (kept in memory,
//! re-encoded without metadata, with a small preview for the UI), personal info validated
//! before it is sent, and submission — upload what is pending, then submit under an
//! idempotency key that is kept until the server acknowledges it, so a retry after a cut
//! connection never makes a second application. Also the review watcher's long poll.

use crate::Error;
use crate::api::Progress;
use crate::session::Session;
use base64::Engine;
use okpay_rules::contract::{Application, PersonalInfo, PhotoSide, Validity};
use okpay_rules::{photo, validate};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Long side of the preview sent to the UI.
pub const PREVIEW_LONG_SIDE: u32 = 640;

/// A photo checked on the device and waiting to be uploaded.
#[derive(Clone)]
pub struct LocalPhoto {
    pub side: PhotoSide,
    /// The prepared upload: JPEG, no metadata.
    pub upload: bytes::Bytes,
    pub view: LocalPhotoView,
}

/// What the UI sees of a local photo: a downscaled preview, never the file or its path.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LocalPhotoView {
    pub side: PhotoSide,
    /// `data:image/jpeg;base64,…`
    pub preview: String,
    pub width: u32,
    pub height: u32,
    /// Size of the prepared upload.
    pub bytes: u64,
    /// Format of the original file.
    pub format: &'static str,
}

/// Check a photo file's bytes and prepare it. CPU-bound: call from a blocking thread.
pub fn prepare_photo(side: PhotoSide, file: &[u8]) -> Result<LocalPhoto, Error> {
    let (facts, img) = photo::decode(file)?;
    let upload = photo::prepare_upload(&img)?;
    let preview = photo::preview(&img, PREVIEW_LONG_SIDE)?;
    let preview = format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(preview)
    );
    Ok(LocalPhoto {
        side,
        view: LocalPhotoView {
            side,
            preview,
            width: facts.width,
            height: facts.height,
            bytes: upload.len() as u64,
            format: facts.format,
        },
        upload: upload.into(),
    })
}

/// Read a photo file, refusing one over the size limit without reading it all. Blocking:
/// call from a blocking thread.
pub fn read_photo_file(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let limit = photo::MAX_FILE_BYTES as u64;
    let unreadable = || Error::Invalid(okpay_rules::ErrorCode::PhotoUnreadable);
    let file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable())?;
    if bytes.len() as u64 > limit {
        return Err(Error::Invalid(okpay_rules::ErrorCode::PhotoTooLarge));
    }
    Ok(bytes)
}

/// Field errors for live validation: one code (or none) per field, plus what the number
/// says about its holder for the user to confirm (birth date, sex), warnings, and the
/// 18-digit upgrade of a legacy 15-digit number.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldErrors {
    pub name: Option<okpay_rules::ErrorCode>,
    /// Why the number cannot be submitted (`ID_LEGACY15` for a valid 15-digit number).
    pub id_number: Option<okpay_rules::ErrorCode>,
    /// Valid but worth a second look, e.g. `ID_UNKNOWN_REGION`.
    pub id_warnings: Vec<okpay_rules::ErrorCode>,
    /// `resident`, `hong_kong_permit`, `macau_permit`, `taiwan_permit`, `foreign_permanent`,
    /// `legacy15`; absent when the number cannot be read.
    pub id_kind: Option<validate::IdKind>,
    /// Birth date from the number, `YYYY-MM-DD`.
    pub birth: Option<validate::Date>,
    /// `male` / `female`, from the number.
    pub sex: Option<validate::Sex>,
    /// "Did you mean …": the 18-digit form of a valid 15-digit number.
    pub upgraded: Option<String>,
    /// A valid number whose holder may not verify (`ID_UNDERAGE`).
    pub eligibility: Option<okpay_rules::ErrorCode>,
}

/// Validate the personal fields without sending anything, as of today in China.
pub fn validate_fields(name: &str, id_number: &str) -> FieldErrors {
    validate_fields_on(name, id_number, validate::Date::today_china())
}

/// [`validate_fields`] as of a given day.
pub fn validate_fields_on(name: &str, id_number: &str, today: validate::Date) -> FieldErrors {
    let id = validate::analyze(id_number, today, &validate::Policy::default());
    FieldErrors {
        name: validate::name(name).err(),
        id_number: id.submittable().err(),
        id_warnings: id.warnings,
        id_kind: id.kind,
        birth: id.birth,
        sex: id.sex,
        upgraded: id.upgraded,
        eligibility: id.eligibility,
    }
}

/// Check the card's validity period against the holder's number, as of today in China.
/// `None` while the number itself cannot be read (its own error is shown instead).
pub fn validate_validity(
    id_number: &str,
    validity: &Validity,
) -> Option<validate::validity::ValidityReport> {
    let today = validate::Date::today_china();
    let id = validate::analyze(id_number, today, &validate::Policy::default());
    let birth = id.birth.filter(|_| id.is_valid())?;
    Some(validate::validity::check_text(
        birth,
        validity.start.as_deref(),
        validity.end.as_deref(),
        validity.long_term,
        id.kind.unwrap_or(validate::IdKind::Resident),
        today,
    ))
}

/// Local state of one user's verification on this device.
#[derive(Default)]
pub struct Flow {
    photos: Mutex<HashMap<PhotoSide, LocalPhoto>>,
    submit_key: Mutex<Option<String>>,
}

impl Flow {
    fn photos(&self) -> std::sync::MutexGuard<'_, HashMap<PhotoSide, LocalPhoto>> {
        self.photos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keep a checked photo for upload (replacing an earlier one of that side).
    pub fn put_photo(&self, photo: LocalPhoto) -> LocalPhotoView {
        let view = photo.view.clone();
        self.photos().insert(photo.side, photo);
        view
    }

    /// The preview of a side's pending photo.
    pub fn local_view(&self, side: PhotoSide) -> Option<LocalPhotoView> {
        self.photos().get(&side).map(|p| p.view.clone())
    }

    /// Forget everything local (sign-out).
    pub fn clear(&self) {
        self.photos().clear();
        *self
            .submit_key
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// Validate and save the personal info on the server (the server checks again).
    pub async fn save_personal(
        &self,
        session: &Session,
        name: &str,
        id_number: &str,
        validity: Option<Validity>,
    ) -> Result<Application, Error> {
        let entered = PersonalInfo {
            name: name.to_owned(),
            id_number: id_number.to_owned(),
            validity,
        };
        let info = validate::personal(&entered, validate::Date::today_china())?;
        session
            .authed(|a| {
                let info = info.clone();
                async move { session.api().save_personal(&a, &info).await }
            })
            .await
    }

    /// Upload every pending photo, then submit. `progress(side, sent, total)` reports uploads.
    pub async fn submit(
        &self,
        session: &Session,
        progress: Arc<dyn Fn(PhotoSide, u64, u64) + Send + Sync>,
    ) -> Result<Application, Error> {
        for side in PhotoSide::BOTH {
            let pending = self.photos().get(&side).cloned();
            if let Some(p) = pending {
                let report = progress.clone();
                let cb: Progress = Arc::new(move |sent, total| report(side, sent, total));
                session
                    .authed(|a| {
                        let (bytes, cb) = (p.upload.clone(), cb.clone());
                        async move { session.api().upload_photo(&a, side, bytes, Some(cb)).await }
                    })
                    .await?;
                self.photos().remove(&side);
            }
        }
        let key = {
            let mut k = self
                .submit_key
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            k.get_or_insert_with(|| uuid::Uuid::new_v4().to_string())
                .clone()
        };
        let app = session
            .authed(|a| {
                let key = key.clone();
                async move { session.api().submit(&a, &key).await }
            })
            .await?;
        *self
            .submit_key
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        Ok(app)
    }
}

/// Wait (long poll, `wait` per request) until the application's revision passes `after`,
/// then return the whole application.
pub async fn wait_for_change(
    session: &Session,
    after: u64,
    wait: Duration,
) -> Result<Application, Error> {
    loop {
        let status = session
            .authed(|a| async move { session.api().status(&a, Some(after), wait).await })
            .await?;
        if status.revision > after {
            return session.verification().await;
        }
    }
}

/// Long-poll wait per status request while watching a review.
pub const REVIEW_POLL: Duration = Duration::from_secs(25);
/// Longest pause between attempts while the server cannot be reached.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Follow a pending review: report each change through `on_change`, return the application
/// once it is decided. Network failures back off exponentially (1 s up to a minute); a
/// signed-out session or another non-transient error ends the watch with that error.
pub async fn watch_review(
    session: &Session,
    mut after: u64,
    mut on_change: impl FnMut(&Application),
) -> Result<Application, Error> {
    let mut backoff = Duration::from_secs(1);
    loop {
        match wait_for_change(session, after, REVIEW_POLL).await {
            Ok(app) => {
                backoff = Duration::from_secs(1);
                after = app.revision;
                on_change(&app);
                if app.status != okpay_rules::contract::VerificationStatus::Pending {
                    return Ok(app);
                }
            }
            Err(e) if e.is_transient() => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_is_refused_with_its_code() {
        let e = prepare_photo(PhotoSide::Portrait, b"plain text")
            .err()
            .map(|e| e.code());
        assert_eq!(e, Some(okpay_rules::ErrorCode::PhotoUnsupportedFormat));
    }

    #[test]
    fn field_errors_name_each_field() {
        let f = validate_fields("", "11010519491231002X");
        assert_eq!(f.name, Some(okpay_rules::ErrorCode::NameEmpty));
        assert_eq!(f.id_number, None);
        assert_eq!(
            f.birth.map(|d| d.to_string()).as_deref(),
            Some("1949-12-31")
        );
        assert_eq!(f.sex, Some(validate::Sex::Female));
    }

    #[test]
    fn a_legacy_number_offers_its_upgrade() {
        let f = validate_fields("张三", "110105491231002");
        assert_eq!(f.name, None);
        assert_eq!(f.id_number, Some(okpay_rules::ErrorCode::IdLegacy15));
        assert_eq!(f.upgraded.as_deref(), Some("11010519491231002X"));
        let v = serde_json::to_value(&f).unwrap_or_default();
        assert_eq!(v["id_kind"], "legacy15");
        assert_eq!(v["birth"], "1949-12-31");
    }
}
