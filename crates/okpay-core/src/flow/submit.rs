//! Sending the application: consent, personal info, then every pending photo and the
//! submit under an idempotency key kept until the server acknowledges it, so a retry after
//! a cut connection never makes a second application. With an outbox the submission waits
//! on disk, sealed ([`crate::outbox`]), until the server has it, and [`Flow::resume`]
//! finishes it after a restart.

use super::local::{Flow, locked};
use crate::Error;
use crate::api::Progress;
use crate::outbox::{Outbox, Queued, QueuedPhoto};
use crate::session::Session;
use okpay_rules::ErrorCode;
use okpay_rules::contract::{Application, PersonalInfo, PhotoSide, Validity, VerificationStatus};
use okpay_rules::validate;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Upload progress of a submission: `(side, bytes_sent, bytes_total)`.
pub type SubmitProgress = Arc<dyn Fn(PhotoSide, u64, u64) + Send + Sync>;

impl Flow {
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
        // So does a difference between what was typed and what the card says.
        self.refuse_card_mismatch(session).await?;
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
            ErrorCode::AuthRequired | ErrorCode::AuthSessionExpired
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
        ErrorCode::KeychainUnavailable | ErrorCode::KeychainLocked | ErrorCode::KeychainTimeout
    )
}
