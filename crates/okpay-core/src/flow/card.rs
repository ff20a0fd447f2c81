//! The card read off the local photos ([`crate::card`]), kept with the photo it came from,
//! and the cross-checks with what the user typed. Without a reader, nothing is read and
//! nothing is checked; the flow goes on as before.

use super::local::{Flow, locked};
use crate::Error;
use crate::card::{CardReader, CardView};
use crate::session::Session;
use okpay_ocr::{Check, Outcome};
use okpay_rules::contract::{PersonalInfo, PhotoSide};
use std::sync::Arc;

impl Flow {
    /// Read the cards in the local photos with `reader`.
    pub fn with_card_reader(mut self, reader: CardReader) -> Flow {
        self.card_reader = Some(Arc::new(reader));
        self
    }

    /// What the card in `side`'s local photo says: read once per photo (the first read
    /// loads the models). `None` without a local photo of that side or without a reader.
    pub async fn read_card(&self, side: PhotoSide) -> Result<Option<CardView>, Error> {
        let (Some(reader), Some(prepared)) = (&self.card_reader, self.photos.prepared(side)) else {
            return Ok(None);
        };
        if let Some((bytes, read)) = locked(&self.cards).get(&side)
            && *bytes == prepared
        {
            return Ok(Some(read.view.clone()));
        }
        let read = Arc::new(reader.read(side, prepared.clone()).await?);
        let view = read.view.clone();
        // Kept only if the photo was not replaced meanwhile.
        if self.photos.prepared(side).as_ref() == Some(&prepared) {
            locked(&self.cards).insert(side, (prepared, read));
        }
        Ok(Some(view))
    }

    /// The cross-checks of `typed` against the cards read so far (of the current photos).
    pub fn card_checks(&self, typed: &PersonalInfo) -> Vec<Check> {
        let Some(reader) = &self.card_reader else {
            return Vec::new();
        };
        let reading = |side| {
            let cards = locked(&self.cards);
            let (bytes, read) = cards.get(&side)?;
            (self.photos.prepared(side).as_ref() == Some(bytes)).then(|| read.reading.clone())
        };
        let (portrait, emblem) = (reading(PhotoSide::Portrait), reading(PhotoSide::Emblem));
        reader.checks(typed, portrait.as_ref(), emblem.as_ref())
    }

    /// The first mismatch between `typed` and the cards, which must be resolved (fix the
    /// field or retake the photo) before submitting.
    pub fn card_mismatch(&self, typed: &PersonalInfo) -> Option<Check> {
        self.card_checks(typed)
            .into_iter()
            .find(|c| matches!(c.outcome, Outcome::Mismatch { .. }))
    }

    /// Refuse to submit while what was typed and what the cards say disagree: the app shows
    /// the difference first, and this holds for every client of the flow. What was typed is
    /// the personal info kept for this submission, else the server's copy; offline, with
    /// neither at hand, the checks the user was shown stand.
    pub(super) async fn refuse_card_mismatch(&self, session: &Session) -> Result<(), Error> {
        if self.card_reader.is_none() || locked(&self.cards).is_empty() {
            return Ok(());
        }
        let unsaved = locked(&self.unsaved_personal).clone();
        let typed = match unsaved {
            Some(p) => Some(p),
            None => match session.verification().await {
                Ok(app) => app.personal,
                Err(e) if e.is_transient() => None,
                Err(e) => return Err(e),
            },
        };
        match typed.and_then(|t| self.card_mismatch(&t)) {
            Some(Check {
                outcome: Outcome::Mismatch { code, .. },
                ..
            }) => Err(Error::Invalid(code)),
            _ => Ok(()),
        }
    }
}
