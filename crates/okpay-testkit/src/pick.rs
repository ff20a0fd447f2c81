//! The specimen card's photos put into an `okpay_core` flow the way the app puts a picked
//! file: checked by the photo engine at the app's strictness, prepared, kept in memory.

use crate::fixtures::{Side, card_jpeg};
use okpay_core::contract::PhotoSide;
use okpay_core::flow::{APP_STRICTNESS, Flow, LocalPhotoView, prepare_photo};

/// Pick `bytes` for `side` of `flow`.
pub fn pick_bytes(flow: &Flow, side: PhotoSide, bytes: &[u8]) -> LocalPhotoView {
    flow.put_photo(prepare_photo(side, bytes, APP_STRICTNESS).expect("a photo the engine judges"))
}

/// Pick the specimen card's photo of `side` (`variant`: a retake that differs).
pub fn pick_card(flow: &Flow, side: PhotoSide, variant: u32) -> LocalPhotoView {
    let drawn = match side {
        PhotoSide::Portrait => Side::Portrait,
        PhotoSide::Emblem => Side::Emblem,
    };
    pick_bytes(flow, side, &card_jpeg(drawn, variant))
}

/// Pick both sides; the prepared uploads, portrait first (what the server must store).
pub fn pick_both(flow: &Flow) -> Vec<(PhotoSide, Vec<u8>)> {
    PhotoSide::BOTH
        .iter()
        .map(|&side| {
            let drawn = if side == PhotoSide::Portrait {
                Side::Portrait
            } else {
                Side::Emblem
            };
            let photo = prepare_photo(side, &card_jpeg(drawn, 0), APP_STRICTNESS).expect("judged");
            let upload = photo
                .upload
                .clone()
                .expect("a good photo has an upload")
                .to_vec();
            flow.put_photo(photo);
            (side, upload)
        })
        .collect()
}
