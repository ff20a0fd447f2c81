//! Verification applications (one per user), their photos and the submission keys.
//! Every change bumps the application's `revision`.

use super::sql::{to_i64, to_u64};
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::secrets;
use okpay_photo::quality::phash::Fingerprint;
use okpay_rules::ErrorCode;
use okpay_rules::contract::{
    AdminApplication, Application, CONSENT_VERSION, Consent, PersonalInfo, PhotoInfo, PhotoSide,
    Photos, ReasonCode, RejectReason, ReviewerReading, Tier, Validity, VerificationStatus,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// An application as stored.
#[derive(Debug, Clone)]
pub struct AppRow {
    pub id: String,
    pub user_id: String,
    pub status: VerificationStatus,
    pub revision: u64,
    pub personal: Option<PersonalInfo>,
    pub submitted_at_ms: Option<i64>,
    pub submitted_revision: Option<u64>,
    pub decided_at: Option<i64>,
    pub reasons: Vec<ReasonCode>,
    pub consent: Option<Consent>,
}

/// A reviewer's decision.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Reject(Vec<ReasonCode>),
}

const COLUMNS: &str = "id, user_id, status, revision, name, id_number, validity_json, \
                       submitted_at_ms, submitted_revision, decided_at, reasons_json, \
                       consent_version, consent_at";

/// The stored (and wire) name of a status.
pub fn status_str(s: VerificationStatus) -> &'static str {
    match s {
        VerificationStatus::None => "none",
        VerificationStatus::Draft => "draft",
        VerificationStatus::Pending => "pending",
        VerificationStatus::Approved => "approved",
        VerificationStatus::Rejected => "rejected",
    }
}

/// Parse a status name.
pub fn parse_status(s: &str) -> Option<VerificationStatus> {
    Some(match s {
        "none" => VerificationStatus::None,
        "draft" => VerificationStatus::Draft,
        "pending" => VerificationStatus::Pending,
        "approved" => VerificationStatus::Approved,
        "rejected" => VerificationStatus::Rejected,
        _ => return None,
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AppRow> {
    let status: String = r.get(2)?;
    let name: Option<String> = r.get(4)?;
    let id_number: Option<String> = r.get(5)?;
    let validity_json: Option<String> = r.get(6)?;
    let reasons_json: String = r.get(10)?;
    let validity: Option<Validity> = validity_json.and_then(|j| serde_json::from_str(&j).ok());
    let personal = match (name, id_number) {
        (Some(name), Some(id_number)) => Some(PersonalInfo {
            name,
            id_number,
            validity,
        }),
        _ => None,
    };
    Ok(AppRow {
        id: r.get(0)?,
        user_id: r.get(1)?,
        status: parse_status(&status).unwrap_or(VerificationStatus::Draft),
        revision: to_u64(r.get(3)?),
        personal,
        submitted_at_ms: r.get(7)?,
        submitted_revision: r.get::<_, Option<i64>>(8)?.map(to_u64),
        decided_at: r.get(9)?,
        reasons: serde_json::from_str(&reasons_json).unwrap_or_default(),
        consent: match (
            r.get::<_, Option<String>>(11)?,
            r.get::<_, Option<i64>>(12)?,
        ) {
            (Some(version), Some(accepted_at)) => Some(Consent {
                version,
                accepted_at,
            }),
            _ => None,
        },
    })
}

/// The user's application row, if any.
pub fn of_user(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<AppRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM applications WHERE user_id = ?1"),
        [user_id],
        from_row,
    )
    .optional()
}

/// An application row by id.
pub fn by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<AppRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM applications WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

fn photos(conn: &Connection, application_id: &str) -> rusqlite::Result<Photos> {
    let mut stmt = conn.prepare(
        "SELECT side, sha256, bytes, width, height FROM photos WHERE application_id = ?1",
    )?;
    let rows = stmt.query_map([application_id], |r| {
        let side: String = r.get(0)?;
        Ok((
            side,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Photos::default();
    for row in rows {
        let (side, sha256, bytes, width, height) = row?;
        let Some(side) = PhotoSide::parse(&side) else {
            continue;
        };
        let info = PhotoInfo {
            side,
            sha256,
            bytes: to_u64(bytes),
            width: u32::try_from(width).unwrap_or(0),
            height: u32::try_from(height).unwrap_or(0),
        };
        match side {
            PhotoSide::Portrait => out.portrait = Some(info),
            PhotoSide::Emblem => out.emblem = Some(info),
        }
    }
    Ok(out)
}

/// The wire form of a stored application (`status: none` when there is none).
pub fn to_application(conn: &Connection, row: Option<AppRow>) -> rusqlite::Result<Application> {
    let Some(row) = row else {
        return Ok(Application {
            id: None,
            status: VerificationStatus::None,
            revision: 0,
            personal: None,
            photos: Photos::default(),
            submitted_at: None,
            decided_at: None,
            reasons: Vec::new(),
            consent: None,
        });
    };
    let photos = photos(conn, &row.id)?;
    let reasons = if row.status == VerificationStatus::Rejected {
        row.reasons
            .iter()
            .copied()
            .map(RejectReason::from)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Application {
        id: Some(row.id),
        status: row.status,
        revision: row.revision,
        personal: row.personal,
        photos,
        submitted_at: row.submitted_at_ms.map(|ms| ms / 1000),
        decided_at: row.decided_at,
        reasons,
        consent: row.consent,
    })
}

/// The user's application in wire form.
pub fn current(conn: &Connection, user_id: &str) -> rusqlite::Result<Application> {
    let row = of_user(conn, user_id)?;
    to_application(conn, row)
}

/// The user's tier: verified when the application is approved, or while an approved change
/// of details is resubmitted (`kept_tier`).
pub fn tier_of(conn: &Connection, user_id: &str) -> rusqlite::Result<Tier> {
    let verified: Option<bool> = conn
        .query_row(
            "SELECT status = 'approved' OR kept_tier = 1 FROM applications WHERE user_id = ?1",
            [user_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(if verified == Some(true) {
        Tier::Verified
    } else {
        Tier::Unverified
    })
}

/// Reopen the user's application for new (validated, normalised) details after a change of
/// details was approved: a draft carrying them, consent and photos kept, and a verified
/// account keeps its tier until the new submission is approved. → the application.
pub fn reopen_with(
    conn: &Connection,
    user_id: &str,
    info: &PersonalInfo,
) -> AppResult<Application> {
    let row = of_user(conn, user_id)?.ok_or_else(|| {
        AppError::with_message(ErrorCode::NotFound, "The user has no application.")
    })?;
    let validity = validity_json(info)?;
    conn.execute(
        "UPDATE applications SET name = ?2, id_number = ?3, validity_json = ?4,
         kept_tier = CASE WHEN status = 'approved' OR kept_tier = 1 THEN 1 ELSE 0 END,
         submitted_revision = NULL WHERE id = ?1",
        params![row.id, info.name, info.id_number, validity],
    )?;
    bump_to_draft(conn, &row.id)?;
    Ok(current(conn, user_id)?)
}

/// `APPLICATION_LOCKED` while pending or approved.
pub fn ensure_editable(row: Option<&AppRow>) -> AppResult<()> {
    match row.map(|r| r.status) {
        Some(VerificationStatus::Pending | VerificationStatus::Approved) => {
            Err(AppError::new(ErrorCode::ApplicationLocked))
        }
        _ => Ok(()),
    }
}

/// `CONSENT_REQUIRED` unless the current consent text was agreed to.
pub fn ensure_consent(row: Option<&AppRow>) -> AppResult<()> {
    match row.and_then(|r| r.consent.as_ref()) {
        Some(c) if c.version == CONSENT_VERSION => Ok(()),
        _ => Err(AppError::new(ErrorCode::ConsentRequired)),
    }
}

/// Record the user's consent to the current text. Agreeing again to the same version changes
/// nothing (and works on a locked application); another version is a `BAD_REQUEST`.
pub fn set_consent(conn: &Connection, user_id: &str, version: &str) -> AppResult<Application> {
    if version != CONSENT_VERSION {
        return Err(AppError::with_message(
            ErrorCode::BadRequest,
            "This is not the current consent text.",
        ));
    }
    let existing = of_user(conn, user_id)?;
    if ensure_consent(existing.as_ref()).is_ok() {
        return Ok(to_application(conn, existing)?);
    }
    ensure_editable(existing.as_ref())?;
    if existing.is_none() {
        // Consent alone starts nothing: the application stays `none` until something is
        // filled in.
        conn.execute(
            "INSERT INTO applications (id, user_id, status, revision, created_at)
             VALUES (?1, ?2, 'none', 0, ?3)",
            params![secrets::new_id(), user_id, clock::now_secs()],
        )?;
    }
    let row = of_user(conn, user_id)?
        .ok_or_else(|| AppError::internal("application vanished", "insert"))?;
    conn.execute(
        "UPDATE applications SET consent_version = ?2, consent_at = ?3, revision = revision + 1
         WHERE id = ?1",
        params![row.id, version, clock::now_secs()],
    )?;
    Ok(current(conn, user_id)?)
}

/// The user's application, created as an empty draft if missing; locked ones refuse.
fn editable(conn: &Connection, user_id: &str) -> AppResult<AppRow> {
    let row = of_user(conn, user_id)?;
    ensure_editable(row.as_ref())?;
    if let Some(row) = row {
        return Ok(row);
    }
    conn.execute(
        "INSERT INTO applications (id, user_id, status, revision, created_at)
         VALUES (?1, ?2, 'draft', 0, ?3)",
        params![secrets::new_id(), user_id, clock::now_secs()],
    )?;
    of_user(conn, user_id)?.ok_or_else(|| AppError::internal("application vanished", "insert"))
}

/// Back to `draft` with a new revision (any decision and reasons are cleared).
fn bump_to_draft(conn: &Connection, application_id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE applications SET status = 'draft', revision = revision + 1, reasons_json = '[]',
         decided_at = NULL, submitted_at_ms = NULL WHERE id = ?1",
        [application_id],
    )?;
    Ok(())
}

/// Save (already validated and normalised) personal information.
pub fn set_personal(
    conn: &Connection,
    user_id: &str,
    info: &PersonalInfo,
) -> AppResult<Application> {
    let row = editable(conn, user_id)?;
    ensure_consent(Some(&row))?;
    let validity = validity_json(info)?;
    conn.execute(
        "UPDATE applications SET name = ?2, id_number = ?3, validity_json = ?4 WHERE id = ?1",
        params![row.id, info.name, info.id_number, validity],
    )?;
    bump_to_draft(conn, &row.id)?;
    Ok(current(conn, user_id)?)
}

/// Record an uploaded (already checked and stored) photo.
/// Store `info` as its side's photo, in the same transaction as the pair rule: the same
/// shot as the other side's photo is `PHOTO_DUPLICATE_SIDES`. → the application, and the
/// file the side held before (to delete once nothing refers to it).
pub fn set_photo(
    conn: &Connection,
    user_id: &str,
    info: &PhotoInfo,
    fingerprint: &Fingerprint,
) -> AppResult<(Application, Option<String>)> {
    let row = editable(conn, user_id)?;
    ensure_consent(Some(&row))?;
    if fingerprint_of(conn, &row.id, info.side.other())?
        .is_some_and(|f| f.pair(fingerprint).duplicate)
    {
        return Err(AppError::new(ErrorCode::PhotoDuplicateSides));
    }
    let replaced: Option<String> = conn
        .query_row(
            "SELECT sha256 FROM photos WHERE application_id = ?1 AND side = ?2",
            params![row.id, info.side.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute(
        "INSERT OR REPLACE INTO photos
         (application_id, side, sha256, bytes, width, height, uploaded_at, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            row.id,
            info.side.as_str(),
            info.sha256,
            to_i64(info.bytes),
            info.width,
            info.height,
            clock::now_secs(),
            fingerprint.to_hex(),
        ],
    )?;
    bump_to_draft(conn, &row.id)?;
    let replaced = replaced.filter(|sha| *sha != info.sha256);
    Ok((current(conn, user_id)?, replaced))
}

/// The duplicate-check fingerprint kept with a side's photo (none for photos stored before
/// fingerprints were kept).
fn fingerprint_of(
    conn: &Connection,
    application_id: &str,
    side: PhotoSide,
) -> rusqlite::Result<Option<Fingerprint>> {
    let hex: Option<Option<String>> = conn
        .query_row(
            "SELECT fingerprint FROM photos WHERE application_id = ?1 AND side = ?2",
            params![application_id, side.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(hex.flatten().and_then(|h| Fingerprint::from_hex(&h)))
}

/// Whether any application still refers to the stored file `sha256`.
pub fn photo_referenced(conn: &Connection, sha256: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM photos WHERE sha256 = ?1)",
        [sha256],
        |r| r.get(0),
    )
}

/// Count an upload of `user_id` against the quota of `max` per `window_ms`, before any work
/// is done on it: `RATE_LIMITED` once the quota is used up.
pub fn reserve_upload(conn: &Connection, user_id: &str, max: u32, window_ms: i64) -> AppResult<()> {
    let now = clock::now_ms();
    conn.execute(
        "DELETE FROM photo_uploads WHERE at_ms <= ?1",
        [now.saturating_sub(window_ms)],
    )?;
    let used: i64 = conn.query_row(
        "SELECT COUNT(*) FROM photo_uploads WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?;
    if used >= i64::from(max) {
        return Err(AppError::with_message(
            ErrorCode::RateLimited,
            format!("At most {max} photo uploads a day. Try again later."),
        ));
    }
    conn.execute(
        "INSERT INTO photo_uploads (user_id, at_ms) VALUES (?1, ?2)",
        params![user_id, now],
    )?;
    Ok(())
}

/// Submit for review under an idempotency key. The same key again answers the current
/// application as long as it still stands on that submission; once the application was
/// edited or submitted again, the old key is an `IDEMPOTENCY_CONFLICT`.
pub fn submit(conn: &Connection, user_id: &str, key: &str) -> AppResult<Application> {
    let seen: Option<(String, i64)> = conn
        .query_row(
            "SELECT application_id, submitted_revision FROM idempotency_keys
             WHERE user_id = ?1 AND key = ?2",
            params![user_id, key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let row = of_user(conn, user_id)?;
    if let Some((app_id, revision)) = seen {
        return match row {
            Some(r)
                if r.id == app_id
                    && r.submitted_revision == Some(to_u64(revision))
                    && r.status != VerificationStatus::Draft =>
            {
                Ok(to_application(conn, Some(r))?)
            }
            _ => Err(AppError::new(ErrorCode::IdempotencyConflict)),
        };
    }
    let row = row.ok_or(AppError::new(ErrorCode::ApplicationIncomplete))?;
    ensure_editable(Some(&row))?;
    ensure_consent(Some(&row))?;
    let photos = photos(conn, &row.id)?;
    if row.personal.is_none() || photos.portrait.is_none() || photos.emblem.is_none() {
        return Err(AppError::new(ErrorCode::ApplicationIncomplete));
    }
    // The pair rule again, on what is about to be reviewed.
    if let (Some(a), Some(b)) = (
        fingerprint_of(conn, &row.id, PhotoSide::Portrait)?,
        fingerprint_of(conn, &row.id, PhotoSide::Emblem)?,
    ) && a.pair(&b).duplicate
    {
        return Err(AppError::new(ErrorCode::PhotoDuplicateSides));
    }
    let revision = row.revision + 1;
    conn.execute(
        "UPDATE applications SET status = 'pending', revision = ?2, submitted_at_ms = ?3,
         submitted_revision = ?2, reasons_json = '[]', decided_at = NULL, card_read_json = NULL
         WHERE id = ?1",
        params![row.id, to_i64(revision), clock::now_ms()],
    )?;
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, application_id, submitted_revision, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user_id, key, row.id, to_i64(revision), clock::now_secs()],
    )?;
    Ok(current(conn, user_id)?)
}

/// Decide a pending application. Returns the owner's user id and the new state.
pub fn decide(
    conn: &Connection,
    application_id: &str,
    decision: &Decision,
) -> AppResult<(String, Application)> {
    let row = by_id(conn, application_id)?.ok_or(AppError::new(ErrorCode::NotFound))?;
    if row.status != VerificationStatus::Pending {
        return Err(AppError::new(ErrorCode::ApplicationLocked));
    }
    let (status, reasons) = match decision {
        Decision::Approve => ("approved", Vec::new()),
        Decision::Reject(reasons) => ("rejected", reasons.clone()),
    };
    if matches!(decision, Decision::Approve) {
        // The new submission is approved: the tier no longer needs keeping.
        conn.execute(
            "UPDATE applications SET kept_tier = 0 WHERE id = ?1",
            [&row.id],
        )?;
    }
    let reasons_json = serde_json::to_string(&reasons)
        .map_err(|e| AppError::internal("reasons not serializable", e))?;
    conn.execute(
        "UPDATE applications SET status = ?2, revision = revision + 1, decided_at = ?3,
         reasons_json = ?4 WHERE id = ?1",
        params![row.id, status, clock::now_secs(), reasons_json],
    )?;
    let app = to_application(conn, by_id(conn, application_id)?)?;
    Ok((row.user_id, app))
}

/// Keep what the automatic reviewer read on the photos of the submission it decided.
pub fn set_card_read(
    conn: &Connection,
    application_id: &str,
    read: &ReviewerReading,
) -> AppResult<()> {
    let json = serde_json::to_string(read)
        .map_err(|e| AppError::internal("card reading not serializable", e))?;
    conn.execute(
        "UPDATE applications SET card_read_json = ?2 WHERE id = ?1",
        params![application_id, json],
    )?;
    Ok(())
}

/// Ids of pending applications submitted at or before `cutoff_ms`.
pub fn pending_submitted_before(
    conn: &Connection,
    cutoff_ms: i64,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM applications WHERE status = 'pending' AND submitted_at_ms <= ?1
         ORDER BY submitted_at_ms",
    )?;
    let ids = stmt.query_map([cutoff_ms], |r| r.get(0))?;
    ids.collect()
}

/// Submission time of the oldest pending application.
pub fn earliest_pending_ms(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT MIN(submitted_at_ms) FROM applications WHERE status = 'pending'",
        [],
        |r| r.get(0),
    )
}

/// Tester view: applications, optionally filtered by status and by (normalised) login.
pub fn admin_list(
    conn: &Connection,
    status: Option<VerificationStatus>,
    login: Option<&str>,
) -> rusqlite::Result<Vec<AdminApplication>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, u.login, a.status, a.submitted_at_ms, a.card_read_json
         FROM applications a JOIN users u ON u.id = a.user_id
         WHERE (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR u.login = ?2)
         ORDER BY a.created_at, a.id",
    )?;
    let rows = stmt.query_map(params![status.map(status_str), login], |r| {
        let status: String = r.get(2)?;
        Ok(AdminApplication {
            id: r.get(0)?,
            login: r.get(1)?,
            status: parse_status(&status).unwrap_or(VerificationStatus::Draft),
            submitted_at: r.get::<_, Option<i64>>(3)?.map(|ms| ms / 1000),
            // Written by this server from the same type; an unreadable one is left out.
            card_read: r
                .get::<_, Option<String>>(4)?
                .and_then(|j| serde_json::from_str(&j).ok()),
        })
    })?;
    rows.collect()
}
/// The validity period as stored (`validity_json`), if given.
pub(crate) fn validity_json(info: &PersonalInfo) -> AppResult<Option<String>> {
    info.validity
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| AppError::internal("validity not serializable", e))
}
