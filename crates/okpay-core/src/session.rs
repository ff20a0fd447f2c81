//! The signed-in session. The access token lives in memory only; the refresh token lives in
//! the OS keychain (namespaced by app and environment) and in memory. On a 401 the session
//! refreshes once — single-flight, so concurrent requests share one refresh — and retries
//! once; a refresh the server rejects signs the user out cleanly. A keychain that fails
//! leaves a session that lasts only for this run, with the failure reported, never a file.

use crate::Error;
use crate::api::ApiClient;
use crate::keychain::{Keychain, KeychainError};
use okpay_rules::contract::{Account, Application, TokenPair};
use okpay_rules::{ErrorCode, Sensitive};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::sync::Mutex;

/// Keychain account name of the saved session.
const SESSION_ACCOUNT: &str = "session";

/// What the keychain holds: the login (for display) and the refresh token.
#[derive(Serialize, Deserialize)]
struct Saved {
    login: String,
    refresh_token: String,
}

struct Tokens {
    login: String,
    access: Sensitive<String>,
    refresh: Sensitive<String>,
    /// Bumped on every refresh, so a request knows whether its 401 was already handled.
    generation: u64,
}

/// The result of signing in or restoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub login: String,
    /// Set when the session could not be kept in the keychain: it lasts only for this run.
    pub not_persisted: Option<ErrorCode>,
}

/// Where the session's keychain comes from.
pub enum KeychainSource {
    /// The platform keychain, opened on first use (and again after a failure).
    Platform { service: String },
    /// A given keychain (tests use a mock store).
    Given(Keychain),
    /// No keychain: sessions last only for this run.
    Disabled,
}

/// The keychain service name for an endpoint: app identifier plus environment, so staging
/// and production sessions never mix.
pub fn keychain_service(endpoint: &crate::config::Endpoint) -> String {
    format!(
        "{}:{}",
        crate::config::APP_IDENTIFIER,
        endpoint.environment_key()
    )
}

/// One user's session against one API endpoint.
pub struct Session {
    api: ApiClient,
    source: KeychainSource,
    opened: tokio::sync::OnceCell<Keychain>,
    tokens: Mutex<Option<Tokens>>,
    refresh_lock: tokio::sync::Mutex<()>,
}

impl Session {
    /// A signed-out session. Without a working keychain sign-in still works, for this run only.
    pub fn new(api: ApiClient, source: KeychainSource) -> Session {
        Session {
            api,
            source,
            opened: tokio::sync::OnceCell::new(),
            tokens: Mutex::new(None),
            refresh_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// The keychain, opening the platform's on first use.
    pub async fn keychain(&self) -> Result<&Keychain, KeychainError> {
        match &self.source {
            KeychainSource::Given(k) => Ok(k),
            KeychainSource::Disabled => Err(KeychainError::Unavailable("disabled".into())),
            KeychainSource::Platform { service } => {
                self.opened
                    .get_or_try_init(|| {
                        Keychain::open(service.clone(), crate::keychain::DEFAULT_TIMEOUT)
                    })
                    .await
            }
        }
    }

    /// The API client.
    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    /// The signed-in login, if any.
    pub fn login_name(&self) -> Option<String> {
        self.lock().as_ref().map(|t| t.login.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Tokens>> {
        self.tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sign in with a password.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &Sensitive<String>,
    ) -> Result<SignedIn, Error> {
        let normalized = okpay_rules::validate::login_id(login)?;
        let login = normalized.as_str();
        // This device's token for the account, kept in the keychain: others' failed sign-ins
        // do not lock a known device out. Without a keychain the sign-in goes on without one.
        let keychain = self.keychain().await.ok();
        let account = device_account(login);
        let device = match &keychain {
            Some(k) => k.load(&account).await.ok().flatten(),
            None => None,
        };
        let (pair, answered) = self
            .api
            .login_as_device(login, password, device.as_ref())
            .await?;
        if let (Some(k), Some(token)) = (&keychain, answered)
            && device.as_ref().is_none_or(|d| d.expose() != token.expose())
            && k.save(&account, &token).await.is_err()
        {
            tracing::warn!("this device's sign-in token could not be kept in the keychain");
        }
        self.adopt(login.to_owned(), pair).await
    }

    /// Create an account, then sign in.
    pub async fn register(
        &self,
        login: &str,
        password: &Sensitive<String>,
    ) -> Result<SignedIn, Error> {
        let normalized = okpay_rules::validate::login_id(login)?;
        okpay_rules::validate::password(password.expose())?;
        self.api.register(normalized.as_str(), password).await?;
        self.sign_in(normalized.as_str(), password).await
    }

    /// Resume the session saved in the keychain: `Ok(None)` when there is none or the server
    /// no longer accepts it (the stale entry is then removed).
    pub async fn restore(&self) -> Result<Option<SignedIn>, Error> {
        let keychain = self.keychain().await?;
        let Some(secret) = keychain.load(SESSION_ACCOUNT).await? else {
            return Ok(None);
        };
        let Ok(saved) = serde_json::from_str::<Saved>(secret.expose()) else {
            keychain.delete(SESSION_ACCOUNT).await?;
            return Ok(None);
        };
        match self.api.refresh(&Sensitive::new(saved.refresh_token)).await {
            Ok(pair) => self.adopt(saved.login, pair).await.map(Some),
            Err(e) if is_auth_rejection(&e) => {
                keychain.delete(SESSION_ACCOUNT).await?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Take a fresh token pair: keep it in memory, save the refresh token in the keychain.
    async fn adopt(&self, login: String, pair: TokenPair) -> Result<SignedIn, Error> {
        let not_persisted = self
            .persist(&login, &pair.refresh_token)
            .await
            .err()
            .map(|e| e.code());
        if let Some(code) = not_persisted {
            tracing::warn!(%code, "session kept for this run only: the keychain refused it");
            // An older entry would hold a refresh token the server has just rotated away;
            // presenting it at the next start would revoke this session's whole family.
            if let Ok(k) = self.keychain().await
                && k.delete(SESSION_ACCOUNT).await.is_err()
            {
                tracing::warn!("a stale session entry could not be removed from the keychain");
            }
        }
        let mut guard = self.lock();
        let generation = guard.as_ref().map_or(0, |t| t.generation + 1);
        *guard = Some(Tokens {
            login: login.clone(),
            access: pair.access_token,
            refresh: pair.refresh_token,
            generation,
        });
        Ok(SignedIn {
            login,
            not_persisted,
        })
    }

    async fn persist(&self, login: &str, refresh: &Sensitive<String>) -> Result<(), KeychainError> {
        let keychain = self.keychain().await?;
        let saved = Saved {
            login: login.to_owned(),
            refresh_token: refresh.expose().clone(),
        };
        let value =
            serde_json::to_string(&saved).map_err(|e| KeychainError::Unavailable(e.to_string()))?;
        keychain.save(SESSION_ACCOUNT, &Sensitive::new(value)).await
    }

    /// Sign out: revoke on the server (best effort when offline), delete the keychain entry,
    /// forget the tokens.
    pub async fn sign_out(&self) -> Result<(), Error> {
        let tokens = self.lock().take();
        if let Some(t) = tokens
            && let Err(e) = self.api.logout(&t.access, &t.refresh).await
        {
            tracing::warn!(code = %e.code(), "server-side sign-out failed; the local session is gone anyway");
        }
        match self.keychain().await {
            Ok(k) => k.delete(SESSION_ACCOUNT).await.map_err(Error::from),
            Err(KeychainError::Unavailable(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Run an authenticated request; on a 401, refresh once (shared with concurrent callers)
    /// and retry once.
    pub async fn authed<T, F, Fut>(&self, f: F) -> Result<T, Error>
    where
        F: Fn(Sensitive<String>) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let (access, generation) = self.current()?;
        match f(access).await {
            Err(e) if is_auth_rejection(&e) => {
                self.refresh_after(generation).await?;
                let (access, _) = self.current()?;
                f(access).await
            }
            other => other,
        }
    }

    /// `GET /v1/account` for the signed-in user.
    pub async fn account(&self) -> Result<Account, Error> {
        self.authed(|a| async move { self.api.account(&a).await })
            .await
    }

    /// `GET /v1/verification`: the signed-in user's application.
    pub async fn verification(&self) -> Result<Application, Error> {
        self.authed(|a| async move { self.api.verification(&a).await })
            .await
    }

    fn current(&self) -> Result<(Sensitive<String>, u64), Error> {
        self.lock()
            .as_ref()
            .map(|t| (t.access.clone(), t.generation))
            .ok_or(Error::SignedOut)
    }

    /// Refresh unless someone already did since `seen_generation`.
    async fn refresh_after(&self, seen_generation: u64) -> Result<(), Error> {
        let _one_at_a_time = self.refresh_lock.lock().await;
        let (login, refresh, generation) = {
            let guard = self.lock();
            let t = guard.as_ref().ok_or(Error::SignedOut)?;
            (t.login.clone(), t.refresh.clone(), t.generation)
        };
        if generation != seen_generation {
            return Ok(());
        }
        match self.api.refresh(&refresh).await {
            Ok(pair) => self.adopt(login, pair).await.map(drop),
            Err(e) if is_auth_rejection(&e) => {
                self.lock().take();
                if let Ok(k) = self.keychain().await {
                    let _ = k.delete(SESSION_ACCOUNT).await;
                }
                Err(Error::Server(okpay_rules::ApiError::new(
                    ErrorCode::AuthSessionExpired,
                )))
            }
            Err(e) => Err(e),
        }
    }
}

fn is_auth_rejection(e: &Error) -> bool {
    matches!(
        e.code(),
        ErrorCode::AuthSessionExpired | ErrorCode::AuthRequired
    ) && matches!(e, Error::Server(_))
}

/// The keychain entry holding this device's sign-in token for `login` (not a secret that
/// signs anyone in: it only spares a known device the limits others' failures fill).
pub fn device_account(login: &str) -> String {
    format!("device-token:{login}")
}
