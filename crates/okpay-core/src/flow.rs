//! The verification flow on the device: consent, personal info validated before it is sent,
//! photos checked locally (see [`crate::local_photos`]), and submission — upload what is
//! pending, then submit under an idempotency key that is kept until the server acknowledges
//! it, so a retry after a cut connection never makes a second application. With an outbox
//! ([`Flow::with_outbox`]) the submission waits on disk, sealed, until the server has it,
//! and [`Flow::resume`] finishes it after a restart. With photo drafts
//! ([`Flow::with_photo_drafts`]) the photos picked on this device that passed their check
//! are kept sealed on disk too ([`crate::photo_drafts`]) until the submission takes them
//! over, and come back after a restart. Also the review watcher's long poll.

use crate::Error;
use crate::api::Progress;
use crate::outbox::{Outbox, Queued, QueuedPhoto};
use crate::photo_drafts::PhotoDrafts;
use crate::sealed::off_runtime;
use crate::session::Session;
use okpay_rules::contract::{Application, PersonalInfo, PhotoSide, Validity, VerificationStatus};
use okpay_rules::validate;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
pub use tokio_util::sync::CancellationToken;

pub use crate::local_photos::{
    APP_STRICTNESS, LocalPhoto, LocalPhotoView, LocalPhotos, PhotoCheck, prepare_photo,
    read_photo_file,
};

/// Field errors for live validation: one code (or none) per field, plus what the number
/// says about its holder for the user to confirm (birth date, sex), warnings, and the
/// 18-digit upgrade of a legacy 15-digit number.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
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
    #[ts(type = "string | null")]
    pub birth: Option<validate::Date>,
    /// `male` / `female`, from the number.
    pub sex: Option<validate::Sex>,
    /// "Did you mean …": the 18-digit form of a valid 15-digit number.
    pub upgraded: Option<String>,
    /// A valid number whose holder may not verify (`ID_UNDERAGE`).
    pub eligibility: Option<okpay_rules::ErrorCode>,
    /// The validity period's first error (`VALIDITY_*`), when one was given and the number
    /// can be read.
    pub validity: Option<okpay_rules::ErrorCode>,
    /// Valid but worth a look, e.g. `VALIDITY_EXPIRING_SOON`.
    pub validity_warnings: Vec<okpay_rules::ErrorCode>,
    /// Days until the card expires (negative once expired; absent for 长期).
    pub validity_days_left: Option<i64>,
}

/// Validate the personal fields without sending anything, as of today in China.
pub fn validate_fields(name: &str, id_number: &str) -> FieldErrors {
    validate_fields_with(name, id_number, None)
}

/// [`validate_fields`] with the card's validity period.
pub fn validate_fields_with(
    name: &str,
    id_number: &str,
    validity: Option<&Validity>,
) -> FieldErrors {
    validate_fields_at(name, id_number, validity, validate::Date::today_china())
}

/// [`validate_fields`] as of a given day.
pub fn validate_fields_on(name: &str, id_number: &str, today: validate::Date) -> FieldErrors {
    validate_fields_at(name, id_number, None, today)
}

/// Every field, the validity period included, as of a given day.
pub fn validate_fields_at(
    name: &str,
    id_number: &str,
    validity: Option<&Validity>,
    today: validate::Date,
) -> FieldErrors {
    let id = validate::analyze(id_number, today, &validate::Policy::default());
    let report = match (validity, id.birth.filter(|_| id.is_valid())) {
        (Some(v), Some(birth)) => Some(validate::validity::check_text(
            birth,
            v.start.as_deref(),
            v.end.as_deref(),
            v.long_term,
            id.kind.unwrap_or(validate::IdKind::Resident),
            today,
        )),
        _ => None,
    };
    FieldErrors {
        validity: report.as_ref().and_then(|r| r.errors.first().copied()),
        validity_warnings: report
            .as_ref()
            .map(|r| r.warnings.clone())
            .unwrap_or_default(),
        validity_days_left: report.and_then(|r| r.days_left),
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

/// Upload progress of a submission: `(side, bytes_sent, bytes_total)`.
pub type SubmitProgress = Arc<dyn Fn(PhotoSide, u64, u64) + Send + Sync>;

/// Local state of one user's verification on this device.
#[derive(Default)]
pub struct Flow {
    photos: LocalPhotos,
    submit_key: Mutex<Option<String>>,
    /// Validated personal info the server has not acknowledged (it was offline).
    unsaved_personal: Mutex<Option<PersonalInfo>>,
    outbox_dir: Option<PathBuf>,
    photo_drafts_dir: Option<PathBuf>,
    /// Whose photos `photos` holds, and their drafts on disk.
    owner: Mutex<Option<Owner>>,
    /// Held while the drafts are read or written, so the last write holds the latest photos.
    drafts_io: tokio::sync::Mutex<()>,
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

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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

    /// The outbox, when configured: opened with the session's keychain (a keychain that
    /// fails is its coded error — no outbox, nothing written).
    async fn outbox(&self, session: &Session) -> Result<Option<Outbox>, Error> {
        let Some(dir) = &self.outbox_dir else {
            return Ok(None);
        };
        let keychain = session.keychain().await?;
        let environment = session.api().base().origin().ascii_serialization();
        Outbox::open(dir, &environment, keychain).await.map(Some)
    }

    /// Whether a submission of the signed-in user waits in the outbox.
    pub async fn has_queued(&self, session: &Session) -> Result<bool, Error> {
        let login = session.login_name().ok_or(Error::SignedOut)?;
        match self.outbox(session).await? {
            Some(ob) => Ok(ob.get(&login)?.is_some()),
            None => Ok(false),
        }
    }

    /// Drop the signed-in user's queued submission, if any (call before signing out: the
    /// outbox belongs to the signed-in account).
    pub async fn discard_queued(&self, session: &Session) -> Result<(), Error> {
        let login = session.login_name().ok_or(Error::SignedOut)?;
        match self.outbox(session).await? {
            Some(ob) => ob.remove(&login),
            None => Ok(()),
        }
    }

    /// Send what waits in the outbox for the signed-in user: personal info and photos not
    /// yet acknowledged, then the submit under its original idempotency key. `Ok(None)`
    /// when nothing waits (or no outbox is configured). The entry is deleted once the
    /// server acknowledges the submit, or when the server refuses it for good.
    pub async fn resume(
        &self,
        session: &Session,
        progress: SubmitProgress,
        cancel: &CancellationToken,
    ) -> Result<Option<Application>, Error> {
        let Some(outbox) = self.outbox(session).await? else {
            return Ok(None);
        };
        let login = session.login_name().ok_or(Error::SignedOut)?;
        let Some(mut queued) = outbox.get(&login)? else {
            return Ok(None);
        };
        let work = async {
            let current = session.verification().await?;
            if matches!(
                current.status,
                VerificationStatus::Pending | VerificationStatus::Approved
            ) {
                // Submitted already (the acknowledgement was lost): only the key remains.
                queued.personal = None;
                queued.photos.clear();
            }
            deliver(
                session,
                Some(&outbox),
                &login,
                &mut queued,
                &progress,
                |_| {},
            )
            .await
        };
        let app = tokio::select! {
            biased;
            () = cancel.cancelled() => Err(Error::Cancelled),
            done = work => done,
        }?;
        Ok(Some(app))
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
    async fn save_drafts(&self, login: &str) {
        let Some(Drafts::Open(d)) = self.drafts_of(login) else {
            return;
        };
        let (kept, l) = (self.photos.kept(), login.to_owned());
        if let Err(e) = off_runtime(move || d.put(&l, &kept)).await {
            tracing::warn!(code = %e.code(), "could not keep the photos on this device");
        }
    }

    /// Delete `login`'s drafts file: the submission has the photos now.
    async fn drop_drafts(&self, login: &str) {
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

    /// Record the user's consent to the processing of sensitive personal information (the
    /// text of `version`, shown by the app); nothing personal is accepted before it.
    pub async fn consent(&self, session: &Session, version: &str) -> Result<Application, Error> {
        session
            .authed(|a| async move { session.api().consent(&a, version).await })
            .await
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
        let saved = session
            .authed(|a| {
                let info = info.clone();
                async move { session.api().save_personal(&a, &info).await }
            })
            .await;
        // Kept for the submission when the network failed, forgotten once the server has it.
        *locked(&self.unsaved_personal) = match &saved {
            Err(e) if e.is_transient() => Some(info),
            _ => None,
        };
        saved
    }

    /// Upload every pending photo, then submit. `progress(side, sent, total)` reports uploads.
    pub async fn submit(
        &self,
        session: &Session,
        progress: SubmitProgress,
    ) -> Result<Application, Error> {
        self.submit_cancellable(session, progress, &CancellationToken::new())
            .await
    }

    /// [`Flow::submit`] that stops with `CANCELLED` as soon as `cancel` fires: the request
    /// under way is dropped, photos not yet acknowledged stay pending and the idempotency
    /// key is kept, so a later submit picks up where this one stopped.
    pub async fn submit_cancellable(
        &self,
        session: &Session,
        progress: SubmitProgress,
        cancel: &CancellationToken,
    ) -> Result<Application, Error> {
        tokio::select! {
            biased;
            () = cancel.cancelled() => Err(Error::Cancelled),
            done = self.submit_inner(session, progress) => done,
        }
    }

    async fn submit_inner(
        &self,
        session: &Session,
        progress: SubmitProgress,
    ) -> Result<Application, Error> {
        let login = session.login_name().ok_or(Error::SignedOut)?;
        // Photos kept from an earlier run are submitted too.
        self.restore_photos(session).await?;
        // A local photo that failed its check stops the submission before anything is sent.
        let mut photos = Vec::new();
        for side in PhotoSide::BOTH {
            if let Some(bytes) = self.photos.pending(side)? {
                photos.push(QueuedPhoto { side, bytes });
            }
        }
        let idempotency_key = locked(&self.submit_key)
            .get_or_insert_with(|| uuid::Uuid::new_v4().to_string())
            .clone();
        let mut queued = Queued {
            personal: locked(&self.unsaved_personal).clone(),
            photos,
            idempotency_key,
        };
        // Without a keychain there is no key for the outbox: the submission goes out from
        // memory only, and nothing is ever written in clear instead.
        let outbox = match self.outbox(session).await {
            Ok(outbox) => outbox,
            Err(e) if is_keychain_failure(&e) => {
                tracing::warn!(code = %e.code(), "no keychain: this submission is not kept on disk");
                None
            }
            Err(e) => return Err(e),
        };
        if let Some(ob) = &outbox {
            ob.put(&login, &queued)?;
            // The outbox holds the photos now.
            self.drop_drafts(&login).await;
        }
        let delivered = deliver(
            session,
            outbox.as_ref(),
            &login,
            &mut queued,
            &progress,
            |step| match step {
                Step::Personal => *locked(&self.unsaved_personal) = None,
                Step::Photo(side) => self.photos.uploaded(side),
            },
        )
        .await;
        let queued_on_disk = outbox
            .as_ref()
            .is_some_and(|ob| ob.path_of(&login).exists());
        if delivered.is_ok() || queued_on_disk {
            self.drop_drafts(&login).await;
        } else {
            // Refused for good: the outbox let go, the photos not yet uploaded stay kept.
            let _io = self.drafts_io.lock().await;
            self.save_drafts(&login).await;
        }
        let app = delivered?;
        *locked(&self.submit_key) = None;
        Ok(app)
    }
}

/// A step the server acknowledged.
enum Step {
    Personal,
    Photo(PhotoSide),
}

/// Send `queued` step by step — personal info, each photo, the submit — shrinking the
/// outbox entry after each acknowledgement and deleting it after the submit's. A refusal
/// for good (not transient, not a sign-in problem) deletes the entry too: sending it again
/// could not succeed.
async fn deliver(
    session: &Session,
    outbox: Option<&Outbox>,
    login: &str,
    queued: &mut Queued,
    progress: &SubmitProgress,
    acked: impl Fn(Step),
) -> Result<Application, Error> {
    let result = deliver_steps(session, outbox, login, queued, progress, &acked).await;
    if let (Some(ob), Err(e)) = (outbox, &result)
        && !e.is_transient()
        && !matches!(e, Error::Keychain(_) | Error::SignedOut | Error::Cancelled)
        && !matches!(
            e.code(),
            okpay_rules::ErrorCode::AuthRequired | okpay_rules::ErrorCode::AuthSessionExpired
        )
    {
        tracing::warn!(code = %e.code(), "the server refused the queued submission; removed from the outbox");
        ob.remove(login)?;
    }
    result
}

async fn deliver_steps(
    session: &Session,
    outbox: Option<&Outbox>,
    login: &str,
    queued: &mut Queued,
    progress: &SubmitProgress,
    acked: &impl Fn(Step),
) -> Result<Application, Error> {
    let keep = |q: &Queued| outbox.map_or(Ok(()), |ob| ob.put(login, q));
    if let Some(info) = queued.personal.clone() {
        session
            .authed(|a| {
                let info = info.clone();
                async move { session.api().save_personal(&a, &info).await }
            })
            .await?;
        queued.personal = None;
        acked(Step::Personal);
        keep(queued)?;
    }
    while let Some(photo) = queued.photos.first().cloned() {
        let report = progress.clone();
        let side = photo.side;
        let cb: Progress = Arc::new(move |sent, total| report(side, sent, total));
        session
            .authed(|a| {
                let (bytes, cb) = (photo.bytes.clone(), cb.clone());
                async move { session.api().upload_photo(&a, side, bytes, Some(cb)).await }
            })
            .await?;
        queued.photos.remove(0);
        acked(Step::Photo(side));
        keep(queued)?;
    }
    let key = queued.idempotency_key.clone();
    let app = session
        .authed(|a| {
            let key = key.clone();
            async move { session.api().submit(&a, &key).await }
        })
        .await?;
    if let Some(ob) = outbox {
        ob.remove(login)?;
    }
    Ok(app)
}

/// The keychain cannot be used (missing, locked, not answering).
fn is_keychain_failure(e: &Error) -> bool {
    matches!(
        e.code(),
        okpay_rules::ErrorCode::KeychainUnavailable
            | okpay_rules::ErrorCode::KeychainLocked
            | okpay_rules::ErrorCode::KeychainTimeout
    )
}

/// Wait (long poll, `wait` per request) until the application's revision passes `after`,
/// then return the whole application.
pub async fn wait_for_change(
    session: &Session,
    after: u64,
    wait: Duration,
) -> Result<Application, Error> {
    wait_for_change_paced(session, after, wait, &|| Duration::ZERO).await
}

/// [`wait_for_change`], pausing `idle_gap()` after every poll that saw no change (the app
/// asks for a longer gap while it is in the background).
pub async fn wait_for_change_paced(
    session: &Session,
    after: u64,
    wait: Duration,
    idle_gap: &(dyn Fn() -> Duration + Send + Sync),
) -> Result<Application, Error> {
    loop {
        let status = session
            .authed(|a| async move { session.api().status(&a, Some(after), wait).await })
            .await?;
        if status.revision > after {
            return session.verification().await;
        }
        let gap = idle_gap();
        if !gap.is_zero() {
            tokio::time::sleep(gap).await;
        }
    }
}

/// Long-poll wait per status request while watching a review.
pub const REVIEW_POLL: Duration = Duration::from_secs(25);
/// Longest pause between attempts while the server cannot be reached.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Pause after an unchanged long poll while the app is in the background: with
/// [`REVIEW_POLL`] one request a minute at most.
pub const BACKGROUND_IDLE_GAP: Duration = Duration::from_secs(35);

/// Follow a pending review: report each change through `on_change`, return the application
/// once it is decided. Network failures back off exponentially (1 s up to a minute); a
/// signed-out session or another non-transient error ends the watch with that error.
pub async fn watch_review(
    session: &Session,
    after: u64,
    on_change: impl FnMut(&Application),
) -> Result<Application, Error> {
    watch_review_paced(session, after, on_change, &|| Duration::ZERO).await
}

/// [`watch_review`] with a pause of `idle_gap()` after each long poll that saw no change:
/// while the app is in the background a gap of [`BACKGROUND_IDLE_GAP`] keeps it to one
/// request a minute at most.
pub async fn watch_review_paced(
    session: &Session,
    mut after: u64,
    mut on_change: impl FnMut(&Application),
    idle_gap: &(dyn Fn() -> Duration + Send + Sync),
) -> Result<Application, Error> {
    let mut backoff = Duration::from_secs(1);
    loop {
        match wait_for_change_paced(session, after, REVIEW_POLL, idle_gap).await {
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
