//! [`Flow`], the local state of one user's verification on this device: the photos picked
//! and checked here, kept in sealed photo drafts on disk ([`crate::photo_drafts`]) when
//! configured so they come back after a restart, and owned by one login at a time.

use crate::Error;
use crate::card::{CardRead, CardReader};
use crate::local_photos::{LocalPhoto, LocalPhotoView, LocalPhotos};
use crate::photo_drafts::PhotoDrafts;
use crate::sealed::off_runtime;
use crate::session::Session;
use okpay_rules::contract::{PersonalInfo, PhotoSide};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Local state of one user's verification on this device.
#[derive(Default)]
pub struct Flow {
    pub(super) photos: LocalPhotos,
    /// The idempotency key of the submission under way, kept until the server has it.
    pub(super) submit_key: Mutex<Option<String>>,
    /// Validated personal info the server has not acknowledged (it was offline).
    pub(super) unsaved_personal: Mutex<Option<PersonalInfo>>,
    pub(super) outbox_dir: Option<PathBuf>,
    photo_drafts_dir: Option<PathBuf>,
    /// Whose photos `photos` holds, and their drafts on disk.
    owner: Mutex<Option<Owner>>,
    /// Held while the drafts are read or written, so the last write holds the latest photos.
    pub(super) drafts_io: tokio::sync::Mutex<()>,
    /// The card reader, when the app has its models.
    pub(super) card_reader: Option<Arc<CardReader>>,
    /// What each side's local photo says, with the prepared bytes it was read from.
    pub(super) cards: Mutex<HashMap<PhotoSide, (bytes::Bytes, Arc<CardRead>)>>,
}

/// The user the local photos belong to.
struct Owner {
    login: String,
    drafts: Drafts,
}

/// That user's photo drafts on this device.
#[derive(Clone)]
enum Drafts {
    /// Not read yet.
    Unread,
    /// Read back into the local photos; kept up to date from now on.
    Open(PhotoDrafts),
    /// No drafts in this run: none configured, or no keychain (nothing is written then).
    Off,
}

pub(super) fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Flow {
    /// Keep submissions in a sealed outbox under `dir` until the server acknowledges them
    /// (see [`crate::outbox`]); the key comes from the session's keychain.
    pub fn with_outbox(mut self, dir: impl Into<PathBuf>) -> Flow {
        self.outbox_dir = Some(dir.into());
        self
    }

    /// Keep the photos picked on this device that passed their check in sealed drafts under
    /// `dir` (see [`crate::photo_drafts`]) until the submission takes them over; the key
    /// comes from the session's keychain, and without one nothing is written.
    pub fn with_photo_drafts(mut self, dir: impl Into<PathBuf>) -> Flow {
        self.photo_drafts_dir = Some(dir.into());
        self
    }

    /// Keep a checked photo in memory (replacing an earlier one of that side); see
    /// [`LocalPhotos::put`]. [`Flow::keep_photo`] also keeps it on disk.
    pub fn put_photo(&self, photo: LocalPhoto) -> LocalPhotoView {
        self.photos.put(photo)
    }

    /// [`Flow::put_photo`] for the signed-in user, then the photo drafts rewritten: a photo
    /// that passed is kept, one that failed drops its side's entry. Drafts that cannot be
    /// written (no keychain, a disk error) leave the photo in memory only, and say so in the
    /// log only. Signed out: memory only.
    pub async fn keep_photo(&self, session: &Session, photo: LocalPhoto) -> LocalPhotoView {
        let Some(login) = session.login_name() else {
            return self.photos.put(photo);
        };
        let _io = self.drafts_io.lock().await;
        self.adopt(session, &login).await;
        let view = self.photos.put(photo);
        self.save_drafts(&login).await;
        view
    }

    /// Forget a side's local photo, in memory and in the drafts.
    pub async fn remove_photo(&self, session: &Session, side: PhotoSide) {
        let Some(login) = session.login_name() else {
            self.photos.remove(side);
            return;
        };
        let _io = self.drafts_io.lock().await;
        self.adopt(session, &login).await;
        self.photos.remove(side);
        self.save_drafts(&login).await;
    }

    /// Make the local photos the signed-in user's (call after sign-in and session restore):
    /// another user's photos are forgotten, and the photos this user kept in an earlier run
    /// come back, each where its side is still empty. Read once per user and run.
    pub async fn restore_photos(&self, session: &Session) -> Result<(), Error> {
        let login = session.login_name().ok_or(Error::SignedOut)?;
        let _io = self.drafts_io.lock().await;
        self.adopt(session, &login).await;
        Ok(())
    }

    /// Delete the signed-in user's photo drafts and forget the local photos (sign-out).
    pub async fn discard_photo_drafts(&self, session: &Session) -> Result<(), Error> {
        let login = session.login_name().ok_or(Error::SignedOut)?;
        let _io = self.drafts_io.lock().await;
        let open = match self.drafts_of(&login) {
            Some(Drafts::Open(d)) => Some(d),
            _ => self.open_photo_drafts(session).await.ok().flatten(),
        };
        self.photos.clear();
        *locked(&self.owner) = None;
        match open {
            Some(d) => off_runtime(move || d.remove(&login)).await,
            None => Ok(()),
        }
    }

    /// The photo drafts, when configured, opened with the session's keychain.
    async fn open_photo_drafts(&self, session: &Session) -> Result<Option<PhotoDrafts>, Error> {
        let Some(dir) = &self.photo_drafts_dir else {
            return Ok(None);
        };
        let keychain = session.keychain().await?;
        let environment = session.api().base().origin().ascii_serialization();
        PhotoDrafts::open(dir, &environment, keychain)
            .await
            .map(Some)
    }

    /// The drafts state of `login`, when the local photos are theirs.
    fn drafts_of(&self, login: &str) -> Option<Drafts> {
        locked(&self.owner)
            .as_ref()
            .filter(|o| o.login == login)
            .map(|o| o.drafts.clone())
    }

    /// With `drafts_io` held: the local photos become `login`'s — another user's are
    /// forgotten first — and `login`'s drafts are read back once. A keychain or disk
    /// failure turns the drafts off for this run (logged): never a file written blind over
    /// one that could not be read.
    async fn adopt(&self, session: &Session, login: &str) {
        {
            let mut owner = locked(&self.owner);
            match owner.as_ref() {
                Some(o) if o.login == login && !matches!(o.drafts, Drafts::Unread) => return,
                Some(o) if o.login != login => self.forget_local(),
                _ => {}
            }
            *owner = Some(Owner {
                login: login.to_owned(),
                drafts: Drafts::Unread,
            });
        }
        let read = async {
            let Some(drafts) = self.open_photo_drafts(session).await? else {
                return Ok(Drafts::Off);
            };
            let (d, l) = (drafts.clone(), login.to_owned());
            let photos = off_runtime(move || d.get(&l)).await?;
            self.photos.restore(photos);
            Ok::<_, Error>(Drafts::Open(drafts))
        };
        let drafts = read.await.unwrap_or_else(|e| {
            tracing::warn!(code = %e.code(), "photo drafts off for this run: photos stay in memory only");
            Drafts::Off
        });
        if let Some(o) = locked(&self.owner).as_mut().filter(|o| o.login == login) {
            o.drafts = drafts;
        }
    }

    /// With `drafts_io` held: write `login`'s drafts from the local photos that passed
    /// (none → the file is deleted). Failures are logged only.
    pub(super) async fn save_drafts(&self, login: &str) {
        let Some(Drafts::Open(d)) = self.drafts_of(login) else {
            return;
        };
        let (kept, l) = (self.photos.kept(), login.to_owned());
        if let Err(e) = off_runtime(move || d.put(&l, &kept)).await {
            tracing::warn!(code = %e.code(), "could not keep the photos on this device");
        }
    }

    /// Delete `login`'s drafts file: the submission has the photos now.
    pub(super) async fn drop_drafts(&self, login: &str) {
        let _io = self.drafts_io.lock().await;
        let Some(Drafts::Open(d)) = self.drafts_of(login) else {
            return;
        };
        let l = login.to_owned();
        if let Err(e) = off_runtime(move || d.remove(&l)).await {
            tracing::warn!(code = %e.code(), "could not delete the photo drafts");
        }
    }

    /// Forget the local photos and what a submission in progress remembered.
    fn forget_local(&self) {
        self.photos.clear();
        *locked(&self.submit_key) = None;
        *locked(&self.unsaved_personal) = None;
    }

    /// The view of a side's local photo.
    pub fn local_view(&self, side: PhotoSide) -> Option<LocalPhotoView> {
        self.photos.view(side)
    }

    /// Forget everything local (sign-out); the drafts on disk stay (see
    /// [`Flow::discard_photo_drafts`]).
    pub fn clear(&self) {
        self.forget_local();
        *locked(&self.owner) = None;
    }
}
