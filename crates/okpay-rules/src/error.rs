//! The closed set of stable error codes and the one error shape, `{code, message}`, used
//! across HTTP (staging server ↔ client) and IPC (app ↔ web UI). The UI maps each code to
//! zh-CN/en text; `message` is an English fallback for logs and the CLI, never shown as-is
//! when the catalog has the code.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

macro_rules! error_codes {
    ($( $variant:ident = $status:literal, $msg:literal; )*) => {
        /// Every error code the app, the CLI and the server can produce. Closed set: the UI
        /// catalog has a text for each, and a test keeps the two in step.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum ErrorCode {
            $( $variant, )*
            /// A code this build does not know (a newer server): kept, never a panic.
            #[serde(other)]
            Unknown,
        }

        impl ErrorCode {
            /// All known codes, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ErrorCode::Unknown ];

            /// The HTTP status the server answers with for this code.
            pub fn http_status(self) -> u16 {
                match self { $( ErrorCode::$variant => $status, )* ErrorCode::Unknown => 500 }
            }

            /// An English default message.
            pub fn default_message(self) -> &'static str {
                match self { $( ErrorCode::$variant => $msg, )* ErrorCode::Unknown => "Unexpected error." }
            }
        }
    };
}

error_codes! {
    // transport and server
    NetworkUnreachable = 503, "The server cannot be reached. Check your network connection.";
    NetworkTimeout = 504, "The server took too long to answer.";
    InsecureUrl = 400, "Only https:// addresses are allowed (http:// only to this computer).";
    BadResponse = 502, "The server sent a reply that could not be understood.";
    ServerError = 500, "The server had a problem. Try again later.";
    ServiceUnavailable = 503, "The service is temporarily unavailable. Try again later.";
    Cancelled = 499, "The operation was cancelled.";
    Internal = 500, "Unexpected error.";
    // requests
    BadRequest = 400, "The request was not valid.";
    NotFound = 404, "Not found.";
    MethodNotAllowed = 405, "This route does not accept that method.";
    Forbidden = 403, "You are not allowed to do this.";
    PayloadTooLarge = 413, "The upload is too large.";
    RateLimited = 429, "Too many attempts. Wait a moment and try again.";
    // sessions
    AuthInvalidCredentials = 401, "Wrong account or password.";
    AuthRequired = 401, "Please sign in.";
    AuthSessionExpired = 401, "Your session has expired. Please sign in again.";
    AccountExists = 409, "An account with this email or phone number already exists.";
    PasswordTooShort = 422, "The password must have at least 8 characters.";
    LoginInvalid = 422, "Enter an email address or a mainland mobile number.";
    // keychain
    KeychainUnavailable = 503, "No system keychain is available, so you cannot stay signed in.";
    KeychainLocked = 423, "The system keychain is locked. Unlock it and try again.";
    KeychainTimeout = 504, "The system keychain did not answer in time.";
    // personal information
    NameEmpty = 422, "Enter your name as printed on the ID card.";
    NameTooShort = 422, "The name is too short.";
    NameTooLong = 422, "The name is too long.";
    NameBadChar = 422, "The name contains characters that cannot appear on an ID card.";
    IdEmpty = 422, "Enter your ID number.";
    IdBadLength = 422, "An ID number has 18 characters.";
    IdBadChar = 422, "An ID number has 17 digits followed by a digit or X.";
    IdBadChecksum = 422, "This ID number is not valid: check for a mistyped digit.";
    IdBadBirthdate = 422, "The birth date in this ID number is not a real date.";
    // photos
    PhotoUnreadable = 422, "The photo cannot be read.";
    PhotoUnsupportedFormat = 415, "Only JPEG, PNG or WebP photos are accepted.";
    PhotoTooLarge = 413, "The photo is too large (at most 20 MB and 100 megapixels).";
    PhotoLowResolution = 422, "The photo has too few pixels to read the card.";
    PhotoMissing = 422, "Add a photo of both sides of the ID card.";
    // the application
    ApplicationIncomplete = 422, "Fill in your details and add both photos before submitting.";
    ApplicationLocked = 409, "The application is under review or already approved and cannot be changed.";
    IdempotencyConflict = 409, "This submission key was already used for a different request.";
    // personal information, to the letter of GB 11643 / GB/T 2260 and the card rules
    IdBadRegion = 422, "The first two digits of this ID number are not a real province code.";
    IdUnknownRegion = 422, "The area code in this ID number is not in our list: check it against the card.";
    IdFutureBirthdate = 422, "The birth date in this ID number is in the future.";
    IdTooOld = 422, "The birth date in this ID number is more than 150 years ago.";
    IdLegacy15 = 422, "This is an old 15-digit number: enter the 18-digit number on your current card.";
    IdUnderage = 403, "You must be at least 16 years old to verify your identity.";
    NameHasDigit = 422, "A name cannot contain digits.";
    NameHasEmoji = 422, "A name cannot contain emoji or symbols.";
    NameInvisibleChar = 422, "The name contains invisible or control characters: retype it.";
    NameBadSeparator = 422, "Use one middle dot (·) between the parts of a name, not at the start or end.";
    NameMixedScript = 422, "Write the name either in Chinese characters or in Latin letters, as on the card.";
    ValidityMissing = 422, "Enter the card's validity period: a start date and an end date, or long-term.";
    ValidityBadDate = 422, "A date of the validity period is not a real date (YYYY-MM-DD).";
    ValidityStartInFuture = 422, "The validity period cannot start in the future.";
    ValidityStartBeforeBirth = 422, "The validity period cannot start before the birth date.";
    ValidityEndBeforeStart = 422, "The end date must be after the start date.";
    ValidityExpired = 422, "This ID card has expired. Renew it before verifying.";
    ValidityExpiringSoon = 422, "This ID card expires within 30 days.";
    ValidityLengthMismatch = 422, "The validity period does not match the card holder's age: check both dates.";
    ValidityLongTermNotAllowed = 422, "Long-term validity is only issued to card holders aged 46 or over at issue.";
    // the photo quality engine
    PhotoCardNotFound = 422, "No ID card was found in the photo.";
    PhotoCardTooSmall = 422, "The card is too small in the photo: move closer.";
    PhotoCornerMissing = 422, "A corner of the card is cut off: keep the whole card in the frame.";
    PhotoBlurry = 422, "The photo is blurry.";
    PhotoTooDark = 422, "The photo is too dark.";
    PhotoOverexposed = 422, "The photo is overexposed.";
    PhotoGlare = 422, "Glare hides part of the card.";
    PhotoShadow = 422, "The light across the card is uneven (a shadow).";
    PhotoDuplicateSides = 422, "The same photo was used for both sides of the card.";
    // consent
    ConsentRequired = 428, "Agree to the processing of your ID information before continuing.";
    // what the card says, read on the device
    NameMismatch = 422, "The name you typed is not the name on the card.";
    IdNumberMismatch = 422, "The ID number you typed is not the number on the card.";
    CardBirthMismatch = 422, "The birth date in the ID number is not the birth date printed on the card.";
    CardSexMismatch = 422, "The sex in the ID number is not the sex printed on the card.";
    ValidityMismatch = 422, "The validity period you typed is not the one on the card.";
    PhotoWrongSide = 422, "This photo shows the other side of the card.";
    OcrUnavailable = 503, "The card reader is not available on this device.";
    // the connection
    RequestTimeout = 408, "The request did not arrive in time. Check the connection and try again.";
    // support
    SupportClosed = 409, "This support conversation or request is closed.";
}

impl ErrorCode {
    /// The wire name, e.g. `ID_BAD_CHECKSUM`.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "UNKNOWN".to_owned())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// The one error body, over HTTP and IPC: `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, TS)]
#[error("{code}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            message: code.default_message().to_owned(),
        }
    }

    /// An error with a specific message.
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::new(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_as_screaming_snake_case() {
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{s}"
            );
            let back: ErrorCode = serde_json::from_value(serde_json::Value::String(s.clone()))
                .unwrap_or(ErrorCode::Internal);
            assert_eq!(back, *code, "{s}");
        }
        assert_eq!(ErrorCode::IdBadChecksum.as_str(), "ID_BAD_CHECKSUM");
        assert_eq!(ErrorCode::IdLegacy15.as_str(), "ID_LEGACY15");
    }

    #[test]
    fn unknown_code_from_a_newer_server_is_kept_not_fatal() {
        let e: ApiError = serde_json::from_str(r#"{"code":"SOMETHING_NEW","message":"x"}"#)
            .unwrap_or(ApiError::new(ErrorCode::Internal));
        assert_eq!(e.code, ErrorCode::Unknown);
    }

    #[test]
    fn error_body_shape_is_code_and_message() {
        let v = serde_json::to_value(ApiError::new(ErrorCode::RateLimited)).unwrap_or_default();
        let obj = v.as_object().cloned().unwrap_or_default();
        assert_eq!(obj.len(), 2);
        assert_eq!(obj["code"], "RATE_LIMITED");
    }
}
