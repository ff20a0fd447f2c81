//! [`Staging`]: the opened server state (configuration, database, photo store, long-poll
//! channels and slots, rate limits, the password hashing gate) shared by every request and
//! the background reviewer. Neither the router nor the reviewer is started here: the server
//! is composed in `server`.

use crate::config::Config;
use crate::data_dir;
use crate::db::Db;
use crate::error::StagingError;
use crate::notify::Notifier;
use crate::password::{Gate, HashingStats};
use crate::poll_slots::PollSlots;
use crate::ratelimit::Limits;
use crate::store::sessions::Lifetimes;
use crate::store::users;
use crate::{clock, password};
use okpay_rules::validate;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::{Notify, watch};

/// File name of the SQLite database inside the data directory.
pub const DB_FILE: &str = "okpay-staging.sqlite3";
/// Folder of stored photos (files named by their SHA-256) inside the data directory.
pub const PHOTOS_DIR: &str = "photos";

pub(crate) struct Inner {
    pub config: Config,
    pub db: Db,
    pub photos_dir: PathBuf,
    /// The card reader, when the automatic reviewer reads cards.
    pub card_models: Option<Arc<okpay_ocr::Models>>,
    pub notifier: Notifier,
    /// Long polls waiting per user.
    pub poll_slots: PollSlots,
    /// Support conversation changes per user (the value is the support `seq`).
    pub support_notifier: Notifier,
    /// Support long polls waiting per user.
    pub support_poll_slots: PollSlots,
    /// The sign-in and registration limits (counted in the database).
    pub limits: Limits,
    /// Every password hash of a request goes through it.
    pub hashing: Gate,
    /// Verified against when a login does not exist, so both failures take as long.
    pub dummy_hash: String,
    pub lifetimes: Lifetimes,
    pub reviewer_wake: Arc<Notify>,
    /// `true` once the server stops: long polls answer at once, the reviewer ends.
    pub shutdown: watch::Sender<bool>,
    /// Photo checks running at once: one per core (each decodes and measures a photo).
    pub photo_work: Arc<tokio::sync::Semaphore>,
    /// Held while a photo file is written or deleted together with the rows that refer to it
    /// (files are shared by content).
    pub photo_files: tokio::sync::Mutex<()>,
}

/// The opened staging server: cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct Staging {
    pub(crate) inner: Arc<Inner>,
}

impl Staging {
    /// Create the data directory and database (or migrate an existing one), make everything
    /// in the directory owner-only, and create the seed accounts that are missing. Blocking:
    /// hashes passwords and touches the disk.
    pub fn open(config: Config) -> Result<Staging, StagingError> {
        let dir_err = |path: &Path| {
            let path = path.to_owned();
            move |source| StagingError::DataDir { path, source }
        };
        let data = &config.data_dir;
        data_dir::create_private_dir(data).map_err(dir_err(data))?;
        let photos_dir = data.join(PHOTOS_DIR);
        data_dir::create_private_dir(&photos_dir).map_err(dir_err(&photos_dir))?;
        let db_file = data.join(DB_FILE);
        data_dir::private_file(&db_file).map_err(dir_err(&db_file))?;
        let db = Db::open(&db_file)?;
        data_dir::make_private(data).map_err(dir_err(data))?;
        let fast = config.fast_password_hashing_for_tests;
        seed_accounts(&db, &config.seed_accounts, fast)?;
        let dummy_hash = password::hash("okpay-staging-timing-equaliser", fast, &mut Vec::new())
            .map_err(StagingError::PasswordHash)?;
        let card_models = match &config.card_models {
            Some(dir) => Some(Arc::new(okpay_ocr::Models::load(dir).map_err(|e| {
                StagingError::Startup {
                    what: "loading the card reader's models",
                    message: e.to_string(),
                }
            })?)),
            None => None,
        };
        let inner = Inner {
            lifetimes: Lifetimes {
                access_ms: clock::duration_ms(config.access_token_ttl),
                refresh_ms: clock::duration_ms(config.refresh_token_ttl),
                session_ms: clock::duration_ms(config.session_max_age),
            },
            poll_slots: PollSlots::new(config.max_long_polls_per_user),
            support_poll_slots: PollSlots::new(config.max_long_polls_per_user),
            support_notifier: Notifier::default(),
            limits: Limits::new(&config),
            hashing: Gate::new(
                config.password_hashing_concurrency,
                config.password_hashing_queue,
            ),
            config,
            db,
            photos_dir,
            card_models,
            notifier: Notifier::default(),
            dummy_hash,
            reviewer_wake: Arc::new(Notify::new()),
            shutdown: watch::channel(false).0,
            photo_work: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            )),
            photo_files: tokio::sync::Mutex::new(()),
        };
        Ok(Staging {
            inner: Arc::new(inner),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The password hashing gauge: running, peak, finished and refused hashes.
    pub fn password_hashing(&self) -> HashingStats {
        self.inner.hashing.stats()
    }

    /// Stop the reviewer and answer every waiting long poll now.
    pub fn shut_down(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// Tell the reviewer that an application was submitted.
    pub(crate) fn wake_reviewer(&self) {
        self.inner.reviewer_wake.notify_one();
    }
}

fn seed_accounts(db: &Db, accounts: &[(String, String)], fast: bool) -> Result<(), StagingError> {
    for (login, pass) in accounts {
        let invalid = |code| StagingError::InvalidSeedAccount {
            login: login.clone(),
            code,
        };
        let normalised = validate::login_id(login).map_err(invalid)?;
        validate::password(pass).map_err(invalid)?;
        let login = normalised.as_str();
        if db.with(|c| users::by_login(c, login))?.is_some() {
            continue;
        }
        let hash =
            password::hash(pass, fast, &mut Vec::new()).map_err(StagingError::PasswordHash)?;
        match db.with(|c| users::insert(c, login, &hash)) {
            Ok(_) => tracing::info!("seed account created"),
            Err(e) if e.code() == okpay_rules::ErrorCode::AccountExists => {}
            Err(e) => {
                return Err(StagingError::Startup {
                    what: "creating a seed account",
                    message: e.0.message,
                });
            }
        }
    }
    Ok(())
}
