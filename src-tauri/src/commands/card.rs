//! Reading the card on the device: what each local photo's card says, and the cross-checks
//! with what the user typed (a mismatch must be resolved before submitting).

use super::CmdResult;
use crate::state::AppState;
use okpay_core::card::CardView;
use okpay_core::contract::{PersonalInfo, PhotoSide, Validity};
use okpay_core::ocr::Check;
use tauri::State;

#[tauri::command]
pub async fn card_read(state: State<'_, AppState>, side: PhotoSide) -> CmdResult<Option<CardView>> {
    Ok(state.flow.read_card(side).await?)
}

#[tauri::command]
pub fn card_checks(
    state: State<'_, AppState>,
    name: String,
    id_number: String,
    validity: Option<Validity>,
) -> Vec<Check> {
    let typed = PersonalInfo {
        name,
        id_number,
        validity,
    };
    state.flow.card_checks(&typed)
}
