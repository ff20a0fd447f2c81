//! Server configuration: where the data lives, the admin token, how applications are
//! reviewed, which accounts exist from the start, and the session, rate-limit and
//! connection knobs.

use std::path::PathBuf;
use std::time::Duration;

/// The demo account's login, seeded by the `okpay-staging` binary.
pub const DEMO_LOGIN: &str = "demo@okpay.test";
/// The demo account's password, seeded by the `okpay-staging` binary. Staging only.
pub const DEMO_PASSWORD: &str = "okpay-demo-2468";

/// How submitted applications get decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewMode {
    /// Only the tester controls (`/v1/admin/applications/{id}/approve|reject`) decide.
    Manual,
    /// A background reviewer approves every pending application this long after its
    /// submission (tester controls can still decide earlier).
    AutoApproveAfter(Duration),
}

/// Everything [`crate::compose`] needs.
#[derive(Clone)]
pub struct Config {
    /// Directory holding the SQLite database and the uploaded photos. Created if missing.
    pub data_dir: PathBuf,
    /// Token for the tester controls (`X-Admin-Token`). An empty token disables them.
    pub admin_token: String,
    pub review: ReviewMode,
    /// `(login, password)` pairs created at open when missing (existing ones are kept).
    pub seed_accounts: Vec<(String, String)>,
    /// Cheap argon2 parameters so test suites stay fast. Never for real use.
    pub fast_password_hashing_for_tests: bool,
    /// Lifetime of an access token.
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token.
    pub refresh_token_ttl: Duration,
    /// Absolute lifetime of a session, counted from sign-in: refreshing never extends it,
    /// and no token of the session works after it.
    pub session_max_age: Duration,
    /// Failed logins allowed within `failed_login_window` for one account from one client
    /// address, and for one known device of an account, before `RATE_LIMITED`. The
    /// decision table is in `ratelimit`.
    pub failed_login_limit: u32,
    /// Failed logins for one account from new devices at any address: stops guessing spread
    /// over many addresses. Known devices of the account still sign in.
    pub failed_login_limit_per_account: u32,
    /// Failed logins from one client address (any account) from new devices: stops one
    /// address from guessing across many accounts.
    pub failed_login_limit_per_address: u32,
    pub failed_login_window: Duration,
    /// Registrations allowed from one client address within `register_window`.
    pub register_limit_per_address: u32,
    pub register_window: Duration,
    /// How long a device stays known after its last successful sign-in.
    pub known_device_ttl: Duration,
    /// Password hashes (argon2id, 19 MiB each) that run at once.
    pub password_hashing_concurrency: usize,
    /// Requests that may wait for a hasher; one more answers `SERVICE_UNAVAILABLE`.
    pub password_hashing_queue: usize,
    /// The card reader's models: when set, the automatic reviewer reads the photos and
    /// rejects what the app's own checks would call a mismatch ([`crate::card_review`]).
    pub card_models: Option<PathBuf>,
    /// Photo uploads one user may make in a day, each a decode and the checks; past it
    /// `RATE_LIMITED`.
    pub photo_uploads_per_day: u32,
    /// Time a client has to send a request's headers (and, between requests, to start the
    /// next one) before its connection is closed.
    pub header_read_timeout: Duration,
    /// Time a request's body has to arrive in full, counted from its headers (not reset by
    /// each chunk): `REQUEST_TIMEOUT` and the connection closed after it.
    pub body_timeout: Duration,
    /// Time a whole request may take, body and work: `REQUEST_TIMEOUT` after it. Keep it
    /// above `body_timeout` and the longest status wait (30 s).
    pub request_timeout: Duration,
    /// Status long polls one user may have waiting at once; more answer `RATE_LIMITED`.
    pub max_long_polls_per_user: usize,
}

impl Config {
    /// A configuration with the defaults below for everything but the data dir and token.
    pub fn new(data_dir: impl Into<PathBuf>, admin_token: impl Into<String>) -> Config {
        Config {
            data_dir: data_dir.into(),
            admin_token: admin_token.into(),
            ..Config::default()
        }
    }
}

impl Default for Config {
    /// Data in `./okpay-staging-data`, tester controls disabled (empty token), automatic
    /// approval after 20 s without reading cards, no seeded accounts, 15 min access / 30 day
    /// refresh tokens in sessions of at most 90 days; per 5 minutes 5 failed logins per
    /// account and address (or known device), 30 per account and 20 per address; 20
    /// registrations per address per 10 minutes; devices known for 90 days; as many hashers
    /// as cores (at most 4) and 256 requests waiting for one; 100 photo uploads per user a
    /// day; 30 s for the headers, 60 s for the body and 120 s for the whole request; and 4
    /// long polls per user.
    fn default() -> Config {
        Config {
            data_dir: PathBuf::from("okpay-staging-data"),
            admin_token: String::new(),
            review: ReviewMode::AutoApproveAfter(Duration::from_secs(20)),
            seed_accounts: Vec::new(),
            fast_password_hashing_for_tests: false,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            session_max_age: Duration::from_secs(90 * 24 * 3600),
            failed_login_limit: 5,
            failed_login_limit_per_account: 30,
            failed_login_limit_per_address: 20,
            failed_login_window: Duration::from_secs(5 * 60),
            register_limit_per_address: 20,
            register_window: Duration::from_secs(10 * 60),
            known_device_ttl: Duration::from_secs(90 * 24 * 3600),
            password_hashing_concurrency: std::thread::available_parallelism()
                .map_or(2, |n| n.get().min(4)),
            password_hashing_queue: 256,
            card_models: None,
            photo_uploads_per_day: 100,
            header_read_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(120),
            max_long_polls_per_user: 4,
        }
    }
}

impl std::fmt::Debug for Config {
    /// Never prints the admin token or the seeded passwords.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let logins: Vec<&str> = self.seed_accounts.iter().map(|(l, _)| l.as_str()).collect();
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("admin_token", &"<redacted>")
            .field("review", &self.review)
            .field("seed_accounts", &logins)
            .field(
                "fast_password_hashing_for_tests",
                &self.fast_password_hashing_for_tests,
            )
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("session_max_age", &self.session_max_age)
            .field("failed_login_limit", &self.failed_login_limit)
            .field("photo_uploads_per_day", &self.photo_uploads_per_day)
            .field(
                "failed_login_limit_per_account",
                &self.failed_login_limit_per_account,
            )
            .field(
                "failed_login_limit_per_address",
                &self.failed_login_limit_per_address,
            )
            .field("failed_login_window", &self.failed_login_window)
            .field(
                "register_limit_per_address",
                &self.register_limit_per_address,
            )
            .field("register_window", &self.register_window)
            .field("known_device_ttl", &self.known_device_ttl)
            .field(
                "password_hashing_concurrency",
                &self.password_hashing_concurrency,
            )
            .field("password_hashing_queue", &self.password_hashing_queue)
            .field("card_models", &self.card_models)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_long_polls_per_user", &self.max_long_polls_per_user)
            .finish()
    }
}
