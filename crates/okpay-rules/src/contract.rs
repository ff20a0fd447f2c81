//! Wire types of the `/v1` verification API (see `docs/openapi.yaml`). Requests the client
//! sends and replies the server sends. Secrets arrive as [`Sensitive`] on the client side;
//! the server builds its token replies from [`TokenReply`], which is never logged.

pub mod support;

use crate::Sensitive;
use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The header that makes `POST /v1/verification/submit` idempotent.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// The header carrying the staging admin token for tester controls.
pub const ADMIN_TOKEN_HEADER: &str = "X-Admin-Token";
/// The header of a known device: the server hands it out on a successful sign-in, and a
/// sign-in to the same account that presents it again is not held by other clients' failures.
pub const DEVICE_TOKEN_HEADER: &str = "X-Device-Token";
/// Longest long-poll wait the server accepts on `GET /v1/verification/status?wait=`.
pub const MAX_STATUS_WAIT_SECS: u64 = 30;
/// Largest photo upload the server accepts, in bytes.
pub const MAX_PHOTO_BYTES: usize = 20 * 1024 * 1024;
/// Longest side of a photo upload, in pixels: an upload is a baseline JPEG the app prepared.
pub const MAX_UPLOAD_LONG_SIDE: u32 = 2560;

/// `POST /v1/auth/register` and `POST /v1/auth/login`.
#[derive(Debug, Clone, Deserialize)]
pub struct Credentials {
    /// An email address or a mainland mobile number.
    pub login: String,
    pub password: Sensitive<String>,
}

/// The body the client serializes for login/register (the password leaves the wrapper here
/// and only here).
#[derive(Serialize)]
pub struct CredentialsBody<'a> {
    pub login: &'a str,
    pub password: &'a str,
}

/// `POST /v1/auth/refresh` and `POST /v1/auth/logout`.
#[derive(Debug, Clone, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: Sensitive<String>,
}

/// Body the client serializes for refresh/logout.
#[derive(Serialize)]
pub struct RefreshBody<'a> {
    pub refresh_token: &'a str,
}

/// Tokens as the client receives them.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenPair {
    pub access_token: Sensitive<String>,
    pub refresh_token: Sensitive<String>,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// Tokens as the server sends them. Built, serialized and dropped in one place.
#[derive(Serialize)]
pub struct TokenReply {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

/// `POST /v1/auth/register` reply.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Registered {
    pub user_id: String,
    pub login: String,
}

/// Account tier.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Unverified,
    Verified,
}

/// Transfer and withdrawal limits, in fen (1/100 CNY).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct Limits {
    pub currency: String,
    pub single_transfer: i64,
    pub daily_transfer: i64,
    pub daily_withdrawal: i64,
}

/// Whole yuan in fen.
const fn yuan(y: i64) -> i64 {
    y * 100
}

impl Limits {
    /// The limits that come with a tier.
    pub fn for_tier(tier: Tier) -> Limits {
        match tier {
            Tier::Unverified => Limits {
                currency: "CNY".into(),
                single_transfer: yuan(500),
                daily_transfer: yuan(1_000),
                daily_withdrawal: 0,
            },
            Tier::Verified => Limits {
                currency: "CNY".into(),
                single_transfer: yuan(50_000),
                daily_transfer: yuan(200_000),
                daily_withdrawal: yuan(50_000),
            },
        }
    }
}

/// `GET /v1/account`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
pub struct Account {
    pub user_id: String,
    pub login: String,
    pub tier: Tier,
    pub limits: Limits,
    pub verification: VerificationStatus,
}

/// Where an application is in its life.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    /// Nothing started yet.
    None,
    /// Being filled in (personal info and/or photos saved, not submitted).
    Draft,
    /// Submitted, waiting for the reviewer.
    Pending,
    Approved,
    Rejected,
}

/// The two sides of a resident ID card.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum PhotoSide {
    /// 人像面: the side with the holder's photo, name and ID number.
    Portrait,
    /// 国徽面: the side with the national emblem, issuing authority and validity period.
    Emblem,
}

impl PhotoSide {
    pub const BOTH: [PhotoSide; 2] = [PhotoSide::Portrait, PhotoSide::Emblem];

    /// The other side of the card.
    pub fn other(self) -> PhotoSide {
        match self {
            PhotoSide::Portrait => PhotoSide::Emblem,
            PhotoSide::Emblem => PhotoSide::Portrait,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PhotoSide::Portrait => "portrait",
            PhotoSide::Emblem => "emblem",
        }
    }

    pub fn parse(s: &str) -> Option<PhotoSide> {
        match s {
            "portrait" => Some(PhotoSide::Portrait),
            "emblem" => Some(PhotoSide::Emblem),
            _ => None,
        }
    }
}

/// Validity period as printed on the emblem side (有效期限). Optional until the full rules.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default, TS)]
pub struct Validity {
    /// `YYYY-MM-DD`.
    pub start: Option<String>,
    /// `YYYY-MM-DD`; absent when `long_term`.
    pub end: Option<String>,
    /// 长期: no end date.
    #[serde(default)]
    pub long_term: bool,
}

/// `PUT /v1/verification/personal` body and the personal part of an application.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct PersonalInfo {
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub validity: Option<Validity>,
}

/// A stored photo, as the server reports it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct PhotoInfo {
    pub side: PhotoSide,
    /// Hex SHA-256 of the stored bytes.
    pub sha256: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
}

/// Photos of an application.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default, TS)]
pub struct Photos {
    pub portrait: Option<PhotoInfo>,
    pub emblem: Option<PhotoInfo>,
}

impl Photos {
    pub fn get(&self, side: PhotoSide) -> Option<&PhotoInfo> {
        match side {
            PhotoSide::Portrait => self.portrait.as_ref(),
            PhotoSide::Emblem => self.emblem.as_ref(),
        }
    }
}

/// What a rejection reason points at, so the app reopens exactly that part.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReasonTarget {
    Name,
    IdNumber,
    Validity,
    Portrait,
    Emblem,
}

/// Reviewer's rejection reasons: stable codes, each tied to one field or photo side.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
    NameMismatch,
    IdNumberMismatch,
    ValidityExpired,
    PortraitBlurry,
    PortraitGlare,
    PortraitCornerMissing,
    PortraitNotOriginal,
    EmblemBlurry,
    EmblemGlare,
    EmblemCornerMissing,
    EmblemNotOriginal,
    /// The typed validity period is not the card's, or its length does not fit the age.
    ValidityMismatch,
    PortraitWrongSide,
    PortraitUnreadable,
    EmblemWrongSide,
    EmblemUnreadable,
    #[serde(other)]
    Unknown,
}

impl ReasonCode {
    pub const ALL: &'static [ReasonCode] = &[
        ReasonCode::NameMismatch,
        ReasonCode::IdNumberMismatch,
        ReasonCode::ValidityExpired,
        ReasonCode::PortraitBlurry,
        ReasonCode::PortraitGlare,
        ReasonCode::PortraitCornerMissing,
        ReasonCode::PortraitNotOriginal,
        ReasonCode::EmblemBlurry,
        ReasonCode::EmblemGlare,
        ReasonCode::EmblemCornerMissing,
        ReasonCode::EmblemNotOriginal,
        ReasonCode::ValidityMismatch,
        ReasonCode::PortraitWrongSide,
        ReasonCode::PortraitUnreadable,
        ReasonCode::EmblemWrongSide,
        ReasonCode::EmblemUnreadable,
    ];

    /// The field or side a reason concerns.
    pub fn target(self) -> ReasonTarget {
        use ReasonCode::*;
        match self {
            NameMismatch => ReasonTarget::Name,
            IdNumberMismatch | Unknown => ReasonTarget::IdNumber,
            ValidityExpired | ValidityMismatch => ReasonTarget::Validity,
            PortraitBlurry
            | PortraitGlare
            | PortraitCornerMissing
            | PortraitNotOriginal
            | PortraitWrongSide
            | PortraitUnreadable => ReasonTarget::Portrait,
            EmblemBlurry | EmblemGlare | EmblemCornerMissing | EmblemNotOriginal
            | EmblemWrongSide | EmblemUnreadable => ReasonTarget::Emblem,
        }
    }

    /// The wire name, e.g. `PORTRAIT_GLARE`.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "UNKNOWN".to_owned())
    }

    /// Parse a wire name; `None` for an unknown one.
    pub fn parse(s: &str) -> Option<ReasonCode> {
        serde_json::from_value(serde_json::Value::String(s.to_owned()))
            .ok()
            .filter(|c| *c != ReasonCode::Unknown)
    }
}

/// One rejection reason.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct RejectReason {
    pub code: ReasonCode,
    pub target: ReasonTarget,
}

impl From<ReasonCode> for RejectReason {
    fn from(code: ReasonCode) -> Self {
        RejectReason {
            code,
            target: code.target(),
        }
    }
}

/// `GET /v1/verification`: the user's current application.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
pub struct Application {
    /// Absent while the status is `none`.
    pub id: Option<String>,
    pub status: VerificationStatus,
    /// Increases on every change; the long poll waits for a revision above the caller's.
    pub revision: u64,
    pub personal: Option<PersonalInfo>,
    pub photos: Photos,
    /// Unix seconds.
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// Non-empty only when `status` is `rejected`.
    pub reasons: Vec<RejectReason>,
    /// The consent to process sensitive personal information, when given.
    #[serde(default)]
    pub consent: Option<Consent>,
}

/// Version of the consent text for sensitive personal information (the ID number and the ID
/// card images) that the app shows before anything is collected, as China's PIPL requires.
/// A new text gets a new version and must be agreed to again.
pub const CONSENT_VERSION: &str = "2026-11";

/// A recorded consent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, TS)]
pub struct Consent {
    /// The [`CONSENT_VERSION`] agreed to.
    pub version: String,
    /// Unix seconds.
    pub accepted_at: i64,
}

/// `PUT /v1/verification/consent` body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConsentRequest {
    pub version: String,
}

/// `GET /v1/verification/status[?wait=SECS&after=REVISION]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatusReply {
    pub status: VerificationStatus,
    pub revision: u64,
    pub reasons: Vec<RejectReason>,
}

/// `POST /v1/admin/applications/{id}/reject` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RejectRequest {
    pub reasons: Vec<ReasonCode>,
}

/// One row of `GET /v1/admin/applications`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AdminApplication {
    pub id: String,
    pub login: String,
    pub status: VerificationStatus,
    pub submitted_at: Option<i64>,
    /// What the automatic reviewer read on the photos of this submission, when the server
    /// reads cards and has decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_read: Option<ReviewerReading>,
}

/// What the automatic reviewer read on each photo of a submission.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReviewerReading {
    /// Absent: the photo could not be read at all.
    pub portrait: Option<PhotoReading>,
    pub emblem: Option<PhotoReading>,
}

/// The fields a tester needs from one photo: the ID number masked, the address and the
/// issuing authority left out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PhotoReading {
    /// The side the photo shows: `portrait`, `emblem` or `unknown`.
    pub shows: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<String>,
    /// Masked like every ID number the server shows: `1101**********002X`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD` or `长期`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
}

/// A code the server attaches to a field-validation failure is an [`ErrorCode`].
pub type FieldCode = ErrorCode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_parses_back_and_has_a_target() {
        for r in ReasonCode::ALL {
            assert_eq!(ReasonCode::parse(&r.as_str()), Some(*r));
        }
        assert_eq!(ReasonCode::parse("NOPE"), None);
        assert_eq!(ReasonCode::EmblemGlare.target(), ReasonTarget::Emblem);
    }

    #[test]
    fn token_pair_debug_never_shows_tokens() {
        let t: Result<TokenPair, _> = serde_json::from_str(
            r#"{"access_token":"AAA-secret","refresh_token":"RRR-secret","expires_in":900}"#,
        );
        let s = format!("{t:?}");
        assert!(
            !s.contains("AAA-secret") && !s.contains("RRR-secret"),
            "{s}"
        );
    }
}
