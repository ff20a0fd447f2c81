//! The core's error type. Every variant has a stable [`ErrorCode`]; [`Error::to_api`] gives
//! the `{code, message}` shape that crosses IPC and is printed by the CLI. Messages never
//! contain tokens, passwords, ID numbers or URLs with query strings.

use okpay_rules::{ApiError, ErrorCode};

/// What can go wrong in the client core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with an error body.
    #[error("server: {0}")]
    Server(ApiError),
    /// No connection could be made.
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// Connecting, reading or uploading took too long.
    #[error("the server did not answer in time")]
    Timeout,
    /// A plain `http://` URL to a non-loopback host, or a URL that does not parse.
    #[error("refused URL: {0}")]
    InsecureUrl(String),
    /// The server's reply was not what the contract says.
    #[error("unexpected reply: {0}")]
    BadResponse(String),
    /// The keychain failed (see [`crate::keychain::KeychainError`]).
    #[error(transparent)]
    Keychain(#[from] crate::keychain::KeychainError),
    /// Local validation refused an input before anything was sent.
    #[error("invalid input: {0}")]
    Invalid(ErrorCode),
    /// No session: sign in first.
    #[error("not signed in")]
    SignedOut,
    /// The operation was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Reading a local file failed.
    #[error("cannot read the file: {0}")]
    File(String),
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Server(e) => e.code,
            Error::Unreachable(_) => ErrorCode::NetworkUnreachable,
            Error::Timeout => ErrorCode::NetworkTimeout,
            Error::InsecureUrl(_) => ErrorCode::InsecureUrl,
            Error::BadResponse(_) => ErrorCode::BadResponse,
            Error::Keychain(k) => k.code(),
            Error::Invalid(c) => *c,
            Error::SignedOut => ErrorCode::AuthRequired,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::File(_) => ErrorCode::PhotoUnreadable,
        }
    }

    /// The `{code, message}` shape for IPC and the CLI.
    pub fn to_api(&self) -> ApiError {
        match self {
            Error::Server(e) => e.clone(),
            other => ApiError::new(other.code()),
        }
    }

    /// Whether the request may be sent again (transport failures, 408, 5xx and 429).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Unreachable(_) | Error::Timeout => true,
            Error::Server(e) => matches!(
                e.code,
                ErrorCode::ServiceUnavailable
                    | ErrorCode::ServerError
                    | ErrorCode::RateLimited
                    | ErrorCode::RequestTimeout
            ),
            _ => false,
        }
    }
}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error::Invalid(code)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        e.to_api()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_may_succeed_if_sent_again_is_transient() {
        let server = |code| Error::Server(okpay_rules::ApiError::new(code));
        assert!(server(ErrorCode::RequestTimeout).is_transient());
        assert!(server(ErrorCode::ServiceUnavailable).is_transient());
        assert!(!server(ErrorCode::MethodNotAllowed).is_transient());
        assert!(!server(ErrorCode::PhotoUnreadable).is_transient());
        assert!(Error::Timeout.is_transient());
    }
}
