//! The account: tier, limits, verification status.

use super::CmdResult;
use crate::state::AppState;
use okpay_core::contract::Account;
use tauri::State;

#[tauri::command]
pub async fn account_get(state: State<'_, AppState>) -> CmdResult<Account> {
    Ok(state.session.account().await?)
}
