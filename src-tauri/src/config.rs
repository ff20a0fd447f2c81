//! Start-up configuration: the API endpoint from `--api-url URL` or `OKPAY_API_URL`, the data
//! directory (`OKPAY_DATA_DIR`, else the platform's app data directory), the card reader's
//! models (`OKPAY_OCR_MODELS`, else the bundled resources), and logging to
//! stderr (`OKPAY_LOG`, default `info`). Logs never carry secrets.

use okpay_core::card::CardReader;
use okpay_core::config::Endpoint;

/// The endpoint from the command line or the environment (flag wins).
pub fn endpoint_from_env_and_args() -> Result<Endpoint, okpay_core::Error> {
    let mut args = std::env::args().skip(1);
    let mut flag = None;
    while let Some(a) = args.next() {
        if a == "--api-url" {
            flag = args.next();
        } else if let Some(v) = a.strip_prefix("--api-url=") {
            flag = Some(v.to_owned());
        }
    }
    let env = std::env::var("OKPAY_API_URL").ok();
    Endpoint::resolve(flag.or(env).as_deref())
}

/// Where the app keeps its files (the sealed outbox and photo drafts): `OKPAY_DATA_DIR`, else
/// `platform_default` (the app data directory Tauri resolves per platform).
pub fn data_dir(platform_default: Option<std::path::PathBuf>) -> Option<std::path::PathBuf> {
    std::env::var_os("OKPAY_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or(platform_default)
}

/// The card reader: its models from `OKPAY_OCR_MODELS`, else `ocr` among the app's resources
/// (the bundle carries them there; on Android they are inside the app package).
pub fn card_reader(resource_dir: Option<std::path::PathBuf>) -> Option<CardReader> {
    if let Some(dir) = std::env::var_os("OKPAY_OCR_MODELS").filter(|v| !v.is_empty()) {
        return Some(CardReader::new(dir));
    }
    #[cfg(target_os = "android")]
    {
        let _ = resource_dir;
        Some(CardReader::with_loader(|| {
            okpay_core::android_assets::card_models("ocr")
        }))
    }
    #[cfg(not(target_os = "android"))]
    resource_dir.map(|d| CardReader::new(d.join("ocr")))
}

/// Log to stderr.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OKPAY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
