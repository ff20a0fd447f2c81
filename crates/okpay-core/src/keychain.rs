//! The OS keychain, through `keyring-core` with one store per platform: Secret Service on
//! Linux, the protected-data Keychain on macOS/iOS, Credential Manager on Windows, the
//! Keystore on Android. Every call blocks and may prompt, so it runs on a blocking thread
//! under a timeout. There is no fallback: without a keychain the caller gets a coded error
//! and nothing is written anywhere else.

use keyring_core::{CredentialStore, Entry};
use okpay_rules::{ErrorCode, Sensitive};
use std::sync::Arc;
use std::time::Duration;

/// How long one keychain call may take before the caller gives up on it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the first keychain call on Android waits for the app shell to hand over the
/// application context (see `android_context`); within [`DEFAULT_TIMEOUT`].
#[cfg(target_os = "android")]
const ANDROID_CONTEXT_WAIT: Duration = Duration::from_secs(4);

/// Keychain failures, each with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No keychain service (no Secret Service on the session bus, no store on the platform).
    #[error("no keychain is available: {0}")]
    Unavailable(String),
    /// The keychain exists but is locked or access was denied.
    #[error("the keychain is locked or access was denied")]
    Locked,
    /// The keychain did not answer within the timeout.
    #[error("the keychain did not answer in time")]
    Timeout,
}

impl KeychainError {
    pub fn code(&self) -> ErrorCode {
        match self {
            KeychainError::Unavailable(_) => ErrorCode::KeychainUnavailable,
            KeychainError::Locked => ErrorCode::KeychainLocked,
            KeychainError::Timeout => ErrorCode::KeychainTimeout,
        }
    }
}

fn map_err(e: keyring_core::Error) -> KeychainError {
    match e {
        keyring_core::Error::NoStorageAccess(_) => KeychainError::Locked,
        other => KeychainError::Unavailable(other.to_string()),
    }
}

/// The platform's credential store. Blocking: call from a blocking thread (see [`Keychain::open`]).
fn platform_store() -> Result<Arc<CredentialStore>, KeychainError> {
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    let store = zbus_secret_service_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>);
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    let store =
        apple_native_keyring_store::protected::Store::new().map(|s| s as Arc<CredentialStore>);
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>);
    #[cfg(target_os = "android")]
    let store = {
        crate::android_context::wait_ready(ANDROID_CONTEXT_WAIT)
            .map_err(KeychainError::Unavailable)?;
        android_native_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>)
    };
    #[cfg(not(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "macos",
        target_os = "ios",
        target_os = "windows",
        target_os = "android"
    )))]
    let store: keyring_core::Result<Arc<CredentialStore>> = Err(
        keyring_core::Error::NotSupportedByStore("no keychain on this platform".into()),
    );
    store.map_err(map_err)
}

/// Secrets of one app in one environment: `service` namespaces the entries.
#[derive(Clone)]
pub struct Keychain {
    store: Arc<CredentialStore>,
    service: String,
    timeout: Duration,
    /// Store-specific entry modifiers (see [`platform_modifiers`]).
    modifiers: &'static [(&'static str, &'static str)],
}

/// Entry modifiers of the platform store. On Apple platforms entries stay readable after
/// the first unlock since boot (this device only), so a refresh that happens while the
/// phone is locked can still save the rotated refresh token.
fn platform_modifiers() -> &'static [(&'static str, &'static str)] {
    if cfg!(any(target_os = "macos", target_os = "ios")) {
        &[("access-policy", "after-first-unlock-this-device-only")]
    } else {
        &[]
    }
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Keychain {
    /// Open the platform keychain for `service`, off the async runtime, under the timeout.
    pub async fn open(service: String, timeout: Duration) -> Result<Keychain, KeychainError> {
        let store = blocking(timeout, platform_store).await?;
        Ok(Keychain {
            store,
            service,
            timeout,
            modifiers: platform_modifiers(),
        })
    }

    /// A keychain over a given store (tests use `keyring_core::mock::Store`).
    pub fn with_store(store: Arc<CredentialStore>, service: String, timeout: Duration) -> Keychain {
        Keychain {
            store,
            service,
            timeout,
            modifiers: &[],
        }
    }

    fn entry(&self, account: &str) -> Result<Entry, KeychainError> {
        if self.modifiers.is_empty() {
            return Entry::new_in_store(&self.store, &self.service, account).map_err(map_err);
        }
        let modifiers = self.modifiers.iter().copied().collect();
        Entry::new_in_store_with_modifiers(&self.store, &self.service, account, &modifiers)
            .map_err(map_err)
    }

    /// Read a secret; `None` when there is no entry.
    pub async fn load(&self, account: &str) -> Result<Option<Sensitive<String>>, KeychainError> {
        let entry = self.entry(account)?;
        blocking(self.timeout, move || match entry.get_password() {
            Ok(s) => Ok(Some(Sensitive::new(s))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        })
        .await
    }

    /// Write (or replace) a secret.
    pub async fn save(
        &self,
        account: &str,
        secret: &Sensitive<String>,
    ) -> Result<(), KeychainError> {
        let entry = self.entry(account)?;
        let value = secret.clone();
        blocking(self.timeout, move || {
            entry.set_password(value.expose()).map_err(map_err)
        })
        .await
    }

    /// Remove a secret; removing a missing one is not an error.
    pub async fn delete(&self, account: &str) -> Result<(), KeychainError> {
        let entry = self.entry(account)?;
        blocking(self.timeout, move || match entry.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        })
        .await
    }
}

/// Run a blocking keychain call on the blocking pool, giving up after `timeout`.
async fn blocking<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> Result<T, KeychainError> + Send + 'static,
) -> Result<T, KeychainError> {
    match tokio::time::timeout(timeout, tokio::task::spawn_blocking(f)).await {
        Ok(Ok(r)) => r,
        Ok(Err(join)) => Err(KeychainError::Unavailable(format!(
            "keychain call failed: {join}"
        ))),
        Err(_) => Err(KeychainError::Timeout),
    }
}

/// A keychain over a fresh in-memory store, for unit tests across the crate.
#[cfg(test)]
pub(crate) fn mock() -> Keychain {
    let store = keyring_core::mock::Store::new().map(|s| s as Arc<CredentialStore>);
    match store {
        Ok(s) => Keychain::with_store(s, "com.okpay.wallet.test".into(), DEFAULT_TIMEOUT),
        Err(e) => panic!("mock store: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn save_load_delete_round_trip() -> Result<(), KeychainError> {
        let k = mock();
        assert_eq!(k.load("refresh").await?, None);
        k.save("refresh", &Sensitive::new("r1".into())).await?;
        assert_eq!(
            k.load("refresh").await?.map(|s| s.into_inner()),
            Some("r1".into())
        );
        k.delete("refresh").await?;
        k.delete("refresh").await?;
        assert_eq!(k.load("refresh").await?, None);
        Ok(())
    }

    #[tokio::test]
    async fn a_slow_keychain_times_out_with_its_code() {
        let r: Result<(), _> = blocking(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(())
        })
        .await;
        assert_eq!(r.err().map(|e| e.code()), Some(ErrorCode::KeychainTimeout));
    }

    #[test]
    fn locked_store_maps_to_locked() {
        let e = map_err(keyring_core::Error::NoStorageAccess(Box::new(
            std::io::Error::other("locked"),
        )));
        assert_eq!(e, KeychainError::Locked);
        assert_eq!(e.code(), ErrorCode::KeychainLocked);
    }
}
