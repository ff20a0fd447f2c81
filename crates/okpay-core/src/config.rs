//! Where the app talks to: the API base URL and whether it is production. The URL comes from
//! `--api-url` / `OKPAY_API_URL`; a production build bakes in its URL through the
//! `OKPAY_PRODUCTION_API_URL` build-time variable. Anything else is a staging environment and
//! the app shows a STAGING badge.

use crate::Error;
use url::Url;

/// The app identifier, also the keychain service namespace.
pub const APP_IDENTIFIER: &str = "com.okpay.wallet";
/// Where `make run` starts the local staging server.
pub const LOCAL_STAGING_URL: &str = "http://127.0.0.1:8787";

/// The production API URL of this build, if it was built for production.
fn production_url() -> Option<&'static str> {
    option_env!("OKPAY_PRODUCTION_API_URL")
}

/// Resolved API endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: Url,
    pub staging: bool,
}

impl Endpoint {
    /// From an explicit URL (flag or environment), else the production URL, else local staging.
    pub fn resolve(explicit: Option<&str>) -> Result<Endpoint, Error> {
        let raw = explicit
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .or(production_url())
            .unwrap_or(LOCAL_STAGING_URL);
        let url = checked_url(raw)?;
        let staging = production_url()
            .and_then(|p| Url::parse(p).ok())
            .is_none_or(|p| p != url);
        Ok(Endpoint { url, staging })
    }

    /// A short name for the environment, used to namespace keychain entries: the origin.
    pub fn environment_key(&self) -> String {
        self.url.origin().ascii_serialization()
    }
}

/// Parse a base URL: `https://` anywhere, `http://` only to a loopback host.
pub fn checked_url(raw: &str) -> Result<Url, Error> {
    let url = Url::parse(raw).map_err(|_| Error::InsecureUrl("not a URL".into()))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(Error::InsecureUrl(format!(
            "{}://{}",
            url.scheme(),
            url.host_str().unwrap_or("")
        ))),
    }
}

/// Whether `url` names this machine: 127.0.0.0/8, `::1` or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_only_to_loopback() {
        assert!(checked_url("http://127.0.0.1:8787").is_ok());
        assert!(checked_url("http://[::1]:1").is_ok());
        assert!(checked_url("http://localhost:3000").is_ok());
        assert!(checked_url("https://api.example.com").is_ok());
        for bad in [
            "http://api.example.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "nope",
        ] {
            assert_eq!(
                checked_url(bad).err().map(|e| e.code()),
                Some(okpay_rules::ErrorCode::InsecureUrl),
                "{bad}"
            );
        }
    }

    #[test]
    fn non_production_is_staging() {
        let e = Endpoint::resolve(Some("http://127.0.0.1:9")).unwrap_or_else(|e| panic!("{e}"));
        assert!(e.staging);
        assert_eq!(e.environment_key(), "http://127.0.0.1:9");
    }
}
