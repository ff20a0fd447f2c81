//! The UI's text catalogs (`ui/src/i18n/*.json`), read so tests can check that a message on
//! screen is the catalog text for the expected code in whichever language is active.

use crate::error::{E2eError, E2eResult};
use crate::paths;

/// The UI's locales.
pub const LOCALES: [&str; 2] = ["zh-CN", "en"];

/// One locale's catalog, parsed.
fn catalog(locale: &str) -> E2eResult<serde_json::Value> {
    let path = paths::repo_root()
        .join("ui/src/i18n")
        .join(format!("{locale}.json"));
    let raw = std::fs::read_to_string(&path)?;
    serde_json::from_str(&raw)
        .map_err(|e| E2eError::Environment(format!("{}: {e}", path.display())))
}

/// The texts of `key` in every locale that has it.
pub fn texts(key: &str) -> E2eResult<Vec<String>> {
    let mut out = Vec::new();
    for locale in LOCALES {
        let catalog = catalog(locale)?;
        if let Some(text) = catalog.get(key).and_then(serde_json::Value::as_str) {
            out.push(text.to_owned());
        }
    }
    Ok(out)
}

/// The texts of every `error.<CODE>` whose code starts with `prefix`, in every locale.
pub fn error_texts_with_prefix(prefix: &str) -> E2eResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for locale in LOCALES {
        let catalog = catalog(locale)?;
        if let Some(map) = catalog.as_object() {
            for (key, value) in map {
                if let (Some(code), Some(text)) = (key.strip_prefix("error."), value.as_str())
                    && code.starts_with(prefix)
                {
                    out.push((code.to_owned(), text.to_owned()));
                }
            }
        }
    }
    Ok(out)
}
