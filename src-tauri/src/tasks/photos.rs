//! The read-back of the photos the user kept on this device, started after sign-in so the
//! photo steps find them ready (`photos_local` waits for it if it still runs).

use crate::state::AppState;
use okpay_core::flow::Flow;
use okpay_core::session::Session;

/// Read back the signed-in user's kept photos in the background.
pub fn restore(state: &AppState) {
    let (flow, session) = (state.flow.clone(), state.session.clone());
    tauri::async_runtime::spawn(async move { restore_now(&flow, &session).await });
}

/// Read back the signed-in user's kept photos; forgets another user's.
pub async fn restore_now(flow: &Flow, session: &Session) {
    if let Err(e) = flow.restore_photos(session).await {
        tracing::debug!(code = %e.code(), "no kept photos to restore");
    }
}
