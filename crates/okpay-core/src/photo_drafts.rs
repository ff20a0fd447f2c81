//! Photo drafts: the photos a user picked on this device and that passed the local check,
//! kept until the submission takes them over, so that quitting the app on the photo or
//! review step loses nothing. Per side it holds what showing and later uploading the photo
//! needs without the original file: the prepared upload JPEG and the view the UI shows
//! (check result, preview, overlay data). One file per account and environment, sealed
//! like the outbox ([`crate::sealed`], key in the OS keychain, on this device only);
//! without a keychain nothing is written. A file that cannot be opened, or whose content
//! does not make sense, is removed and nothing is restored.

use crate::Error;
use crate::keychain::Keychain;
use crate::local_photos::{LocalPhoto, LocalPhotoView, PhotoCheck};
use crate::sealed::{Kind, SealedFiles, b64};
use okpay_photo::quality::{Corner, Rect};
use okpay_rules::ErrorCode;
use okpay_rules::contract::PhotoSide;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Photo draft files: magic with format version 1, extension `photos`.
const KIND: Kind = Kind {
    magic: b"OKPPD1",
    extension: "photos",
    what: "photo draft",
};

/// What is sealed: the kept photos, at most one per side.
#[derive(Serialize, Deserialize)]
struct Stored {
    photos: Vec<StoredPhoto>,
}

#[derive(Serialize, Deserialize)]
struct StoredPhoto {
    side: PhotoSide,
    /// The prepared upload, base64 inside the sealed file.
    #[serde(with = "b64")]
    upload: bytes::Bytes,
    preview: String,
    width: u32,
    height: u32,
    format: String,
    quad: Option<[[f32; 2]; 4]>,
    glare: Vec<Rect>,
    missing_corners: Vec<Corner>,
    /// Codes of a photo that passed: warnings only (empty today).
    reasons: Vec<ErrorCode>,
}

impl StoredPhoto {
    /// A passing photo as stored; `None` for one without an upload (failed: never kept).
    fn of(photo: &LocalPhoto) -> Option<StoredPhoto> {
        let upload = photo.upload.clone()?;
        let view = &photo.view;
        Some(StoredPhoto {
            side: photo.side,
            upload,
            preview: view.preview.clone(),
            width: view.width,
            height: view.height,
            format: view.format.to_owned(),
            quad: view.check.quad,
            glare: view.check.glare.clone(),
            missing_corners: view.check.missing_corners.clone(),
            reasons: view.check.reasons.clone(),
        })
    }

    /// Back to a local photo ready to show and upload; `None` when the content does not
    /// make sense (then nothing of the file is trusted).
    fn into_photo(self) -> Option<LocalPhoto> {
        let format = known_format(&self.format)?;
        if self.upload.is_empty() || !self.preview.starts_with("data:image/jpeg;base64,") {
            return None;
        }
        Some(LocalPhoto {
            side: self.side,
            prepared: self.upload.clone(),
            view: LocalPhotoView {
                side: self.side,
                preview: self.preview,
                width: self.width,
                height: self.height,
                bytes: self.upload.len() as u64,
                format,
                check: PhotoCheck {
                    ok: true,
                    reasons: self.reasons,
                    quad: self.quad,
                    glare: self.glare,
                    missing_corners: self.missing_corners,
                },
            },
            upload: Some(self.upload),
        })
    }
}

/// The formats a view names (see `okpay_photo::PhotoFacts::format`).
fn known_format(name: &str) -> Option<&'static str> {
    ["jpeg", "png", "webp"].into_iter().find(|f| *f == name)
}

/// The photo drafts of one environment in one directory, unlocked with the keychain's key.
#[derive(Debug, Clone)]
pub struct PhotoDrafts {
    files: SealedFiles,
}

impl PhotoDrafts {
    /// Open the drafts in `dir` for `environment` (the API origin) with the device key from
    /// `keychain` (created on first use). A keychain that fails → its coded error.
    pub async fn open(
        dir: &Path,
        environment: &str,
        keychain: &Keychain,
    ) -> Result<PhotoDrafts, Error> {
        let files = SealedFiles::open(dir, environment, keychain, KIND).await?;
        Ok(PhotoDrafts { files })
    }

    /// The file of `login`'s drafts (named by a keyed hash: no login on disk).
    pub fn path_of(&self, login: &str) -> PathBuf {
        self.files.path_of(login)
    }

    /// Keep the photos among `photos` that passed (those with an upload), replacing what was
    /// kept for `login`; with none the file is deleted. Blocking (sealing, fsync).
    pub fn put(&self, login: &str, photos: &[LocalPhoto]) -> Result<(), Error> {
        let stored = Stored {
            photos: photos.iter().filter_map(StoredPhoto::of).collect(),
        };
        if stored.photos.is_empty() {
            return self.remove(login);
        }
        self.files.put(login, &stored)
    }

    /// `login`'s kept photos (none when there is no file). A file that cannot be opened, or
    /// that holds nonsense (an unknown format, a side twice), is removed. Blocking.
    pub fn get(&self, login: &str) -> Result<Vec<LocalPhoto>, Error> {
        let Some(stored) = self.files.get::<Stored>(login)? else {
            return Ok(Vec::new());
        };
        let count = stored.photos.len();
        let photos: Vec<LocalPhoto> = stored
            .photos
            .into_iter()
            .filter_map(StoredPhoto::into_photo)
            .collect();
        let twice = photos.len() == 2 && photos[0].side == photos[1].side;
        if photos.len() != count || count > 2 || twice {
            tracing::warn!("a photo draft held photos that cannot be shown; removed");
            self.remove(login)?;
            return Ok(Vec::new());
        }
        Ok(photos)
    }

    /// Delete `login`'s drafts (submitted, queued in the outbox, or signed out).
    pub fn remove(&self, login: &str) -> Result<(), Error> {
        self.files.remove(login)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn stored(side: PhotoSide, format: &str) -> StoredPhoto {
        StoredPhoto {
            side,
            upload: bytes::Bytes::from_static(b"\xff\xd8 jpeg"),
            preview: "data:image/jpeg;base64,AAAA".into(),
            width: 1600,
            height: 1000,
            format: format.into(),
            quad: None,
            glare: Vec::new(),
            missing_corners: Vec::new(),
            reasons: Vec::new(),
        }
    }

    #[tokio::test]
    async fn sealed_nonsense_is_removed_and_failed_photos_are_never_kept() {
        let dir = tempfile::tempdir().unwrap();
        let k = crate::keychain::mock();
        let drafts = PhotoDrafts::open(dir.path(), "e", &k).await.unwrap();
        let files = SealedFiles::open(dir.path(), "e", &k, KIND).await.unwrap();
        for nonsense in [
            vec![stored(PhotoSide::Portrait, "gif")],
            vec![
                stored(PhotoSide::Emblem, "jpeg"),
                stored(PhotoSide::Emblem, "jpeg"),
            ],
        ] {
            files.put("a@b.test", &Stored { photos: nonsense }).unwrap();
            assert!(drafts.get("a@b.test").unwrap().is_empty());
            assert!(!drafts.path_of("a@b.test").exists());
        }
        files
            .put(
                "a@b.test",
                &Stored {
                    photos: vec![stored(PhotoSide::Emblem, "png")],
                },
            )
            .unwrap();
        let back = drafts.get("a@b.test").unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].view.format, "png");
        assert!(back[0].view.check.ok);
        assert_eq!(back[0].view.bytes, 7);
        assert_eq!(back[0].upload.as_ref(), Some(&back[0].prepared));

        // A photo without an upload (failed) is not kept: with nothing else, no file.
        let mut failed = back[0].clone();
        failed.upload = None;
        drafts.put("a@b.test", &[failed]).unwrap();
        assert!(!drafts.path_of("a@b.test").exists());
    }
}
