//! OS notifications when the review decides (also while the window is minimised or hidden),
//! in the language the user chose. The texts come from the UI's own catalogs, so every
//! user-visible string stays in one place per language.

use crate::state::Locale;
use okpay_core::contract::{Application, VerificationStatus};
use std::collections::HashMap;
use std::sync::OnceLock;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

type Catalog = HashMap<String, String>;

fn catalog(locale: Locale) -> &'static Catalog {
    static ZH: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    let (cell, text) = match locale {
        Locale::ZhCn => (&ZH, include_str!("../../ui/src/i18n/zh-CN.json")),
        Locale::En => (&EN, include_str!("../../ui/src/i18n/en.json")),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The catalog text of `key`, falling back to Chinese, then to the key itself.
fn text(locale: Locale, key: &str) -> String {
    catalog(locale)
        .get(key)
        .or_else(|| catalog(Locale::ZhCn).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The title and body to show for a decided application, `None` while undecided.
pub fn message(locale: Locale, application: &Application) -> Option<(String, String)> {
    let kind = match application.status {
        VerificationStatus::Approved => "approved",
        VerificationStatus::Rejected => "rejected",
        _ => return None,
    };
    Some((
        text(locale, &format!("notify.{kind}.title")),
        text(locale, &format!("notify.{kind}.body")),
    ))
}

/// Show the notification for a decided application; a failure is only logged (the window
/// shows the decision anyway).
pub fn decided(app: &AppHandle, locale: Locale, application: &Application) {
    let Some((title, body)) = message(locale, application) else {
        return;
    };
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!("could not show the review notification: {e}");
    }
}

/// Ask once for the right to notify, when the user starts waiting for the review. Desktop
/// systems always allow it; Android 13+ and iOS show their prompt the first time (never again
/// once the user answered). Runs on a blocking thread: the mobile plugin call waits for the
/// answer.
pub fn ask_permission(app: &AppHandle) {
    use tauri_plugin_notification::PermissionState;
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let notification = app.notification();
        let asked = match notification.permission_state() {
            Ok(PermissionState::Prompt | PermissionState::PromptWithRationale) => {
                notification.request_permission()
            }
            other => other,
        };
        match asked {
            Ok(PermissionState::Granted) => {}
            Ok(state) => tracing::info!(%state, "review notifications are not allowed"),
            Err(e) => tracing::warn!("could not ask for notifications: {e}"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided_as(status: VerificationStatus) -> Application {
        Application {
            id: Some("a".into()),
            status,
            revision: 3,
            personal: None,
            photos: Default::default(),
            submitted_at: None,
            decided_at: None,
            reasons: Vec::new(),
            consent: None,
        }
    }

    #[test]
    fn both_languages_have_both_messages() {
        for locale in [Locale::ZhCn, Locale::En] {
            for status in [VerificationStatus::Approved, VerificationStatus::Rejected] {
                let (title, body) = message(locale, &decided_as(status)).unwrap_or_default();
                assert!(!title.starts_with("notify.") && !body.starts_with("notify."));
            }
        }
        assert_ne!(
            message(Locale::ZhCn, &decided_as(VerificationStatus::Approved)),
            message(Locale::En, &decided_as(VerificationStatus::Approved))
        );
        assert_eq!(
            message(Locale::En, &decided_as(VerificationStatus::Pending)),
            None
        );
    }
}
