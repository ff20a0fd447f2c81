//! What the automatic reviewer reads on the photos, with the app's own card reader: a
//! submission whose card says another name or number, whose card has expired, whose period
//! is not the one typed, or whose photo shows the other side or nothing readable, is rejected
//! with the reasons the app already explains. Only when the server is given the models
//! (`--card-models`); what is read is used for the decision and then dropped.

use okpay_ocr::{CardSide, Checked, Field, Models, Outcome, Reading, Typed, cross_check};
use okpay_rules::contract::{Application, PhotoInfo, PhotoReading, ReasonCode, ReviewerReading};
use okpay_rules::validate::{Date, mask_id_number};
use std::path::Path;

/// The reasons to reject `app` for (none: approve), and what was read, for the admin list.
pub fn review(
    models: &Models,
    photos_dir: &Path,
    app: &Application,
    today: Date,
) -> (Vec<ReasonCode>, ReviewerReading) {
    let read = |info: Option<&PhotoInfo>| {
        let bytes = std::fs::read(photos_dir.join(&info?.sha256)).ok()?;
        models.read_photo(&bytes).ok()
    };
    let (portrait, emblem) = (
        read(app.photos.portrait.as_ref()),
        read(app.photos.emblem.as_ref()),
    );
    let read = ReviewerReading {
        portrait: portrait.as_ref().map(summary),
        emblem: emblem.as_ref().map(summary),
    };
    (reasons(models, app, &portrait, &emblem, today), read)
}

fn reasons(
    models: &Models,
    app: &Application,
    portrait: &Option<Reading>,
    emblem: &Option<Reading>,
    today: Date,
) -> Vec<ReasonCode> {
    let mut reasons = Vec::new();
    for (reading, unreadable) in [
        (portrait, ReasonCode::PortraitUnreadable),
        (emblem, ReasonCode::EmblemUnreadable),
    ] {
        if reading.as_ref().is_none_or(|r| r.side == CardSide::Unknown) {
            reasons.push(unreadable);
        }
    }
    let Some(personal) = &app.personal else {
        return reasons;
    };
    let typed = Typed {
        name: &personal.name,
        id_number: &personal.id_number,
        validity: personal.validity.as_ref(),
    };
    for check in cross_check(&typed, portrait.as_ref(), emblem.as_ref(), today, &|c| {
        models.knows(c)
    }) {
        if !matches!(check.outcome, Outcome::Mismatch { .. }) {
            continue;
        }
        let reason = match check.checked {
            Checked::PortraitSide => ReasonCode::PortraitWrongSide,
            Checked::EmblemSide => ReasonCode::EmblemWrongSide,
            Checked::Name => ReasonCode::NameMismatch,
            Checked::IdNumber | Checked::Birth | Checked::Sex => ReasonCode::IdNumberMismatch,
            Checked::Expiry => ReasonCode::ValidityExpired,
            Checked::Validity | Checked::Term => ReasonCode::ValidityMismatch,
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    reasons
}

/// What a tester sees of one reading.
fn summary(r: &Reading) -> PhotoReading {
    let text = |f: &Option<Field>| f.as_ref().map(|f| f.text.clone());
    PhotoReading {
        shows: match r.side {
            CardSide::Portrait => "portrait",
            CardSide::Emblem => "emblem",
            CardSide::Unknown => "unknown",
        }
        .to_owned(),
        name: text(&r.fields.name),
        sex: text(&r.fields.sex),
        birth: text(&r.fields.birth),
        id_number: r.fields.id_number.as_ref().map(|f| mask_id_number(&f.text)),
        valid_from: text(&r.fields.valid_from),
        valid_to: text(&r.fields.valid_to),
    }
}
