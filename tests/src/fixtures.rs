//! Test photos: two distinct, card-like JPEGs (portrait side and emblem side of a specimen ID
//! card lying on a table, drawn by `okpay_photo::specimen`), a retaken portrait side that
//! differs from the first, a blurred portrait the app must refuse on the device, and a `.jpg`
//! that is really text. Nothing binary lives in the repository. Also the SHA-256 the server
//! must record for a photo the app uploads.

use crate::error::{E2eError, E2eResult};
use okpay_photo::specimen::{self, Fault};
use std::path::{Path, PathBuf};

pub use okpay_photo::specimen::Side;

/// Photo width: larger than the smallest photo the app accepts.
pub const WIDTH: u32 = specimen::WIDTH;
/// Photo height.
pub const HEIGHT: u32 = specimen::HEIGHT;

/// The files one test uses.
pub struct Photos {
    pub portrait: PathBuf,
    pub emblem: PathBuf,
    /// `not-a-photo.jpg`: plain text with an image extension.
    pub not_an_image: PathBuf,
    /// `id-portrait-blurred.jpg`: the portrait side out of focus.
    pub blurred: PathBuf,
}

/// Write all fixtures into `dir`.
pub fn write_all(dir: &Path) -> E2eResult<Photos> {
    let photos = Photos {
        portrait: dir.join("id-portrait.jpg"),
        emblem: dir.join("id-emblem.jpg"),
        not_an_image: dir.join("not-a-photo.jpg"),
        blurred: dir.join("id-portrait-blurred.jpg"),
    };
    std::fs::write(&photos.portrait, card(Side::Portrait, Fault::None, 0))?;
    std::fs::write(&photos.emblem, card(Side::Emblem, Fault::None, 0))?;
    std::fs::write(&photos.blurred, card(Side::Portrait, Fault::Blur(4.0), 0))?;
    std::fs::write(
        &photos.not_an_image,
        "This file is plain text with a .jpg name; it is not an image.\n",
    )?;
    Ok(photos)
}

/// Write `id-portrait-retake.jpg` into `dir`: the portrait side photographed again (one more
/// printed line), a valid photo whose upload differs from the first portrait's.
pub fn write_portrait_retake(dir: &Path) -> E2eResult<PathBuf> {
    let path = dir.join("id-portrait-retake.jpg");
    std::fs::write(&path, card(Side::Portrait, Fault::None, 1))?;
    Ok(path)
}

fn card(side: Side, fault: Fault, variant: u32) -> Vec<u8> {
    specimen::photo_jpeg(side, fault, variant)
}

/// Hex SHA-256 of what the app uploads for the photo file at `path`: the app judges and
/// re-encodes it with `okpay_photo::examine`, and the server records the hash of the
/// bytes it stores.
pub fn upload_sha256(path: &Path) -> E2eResult<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path)?;
    let refused = |code: okpay_rules::ErrorCode| {
        E2eError::Environment(format!(
            "fixture {} refused by the photo rules: {code:?}",
            path.display()
        ))
    };
    let examined =
        okpay_photo::examine(&bytes, okpay_photo::quality::Strictness::Normal).map_err(refused)?;
    if !examined.verdict.ok {
        return Err(refused(examined.verdict.reasons[0]));
    }
    Ok(hex::encode(sha2::Sha256::digest(&examined.upload)))
}

/// Photos of a card with real print that says [`NAME`](crate::flows::NAME),
/// [`ID_NUMBER`](crate::flows::ID_NUMBER) and a validity period from
/// [`VALIDITY_START`](crate::flows::VALIDITY_START), long-term (the holder was 66 at issue).
pub struct Printed {
    pub portrait: PathBuf,
    /// The portrait side photographed again (another place, another light): a different shot.
    pub portrait_again: PathBuf,
    pub emblem: PathBuf,
}

/// Write the [`Printed`] photos into `dir`.
pub fn write_printed(dir: &Path) -> E2eResult<Printed> {
    use okpay_photo::specimen::{Background, CardText, Fonts, Printed as Face, QUAD, Scene};
    let fonts = Fonts::system().ok_or_else(|| {
        E2eError::App("no CJK font (scripts/deps.sh installs fonts-wqy-microhei)".into())
    })?;
    let start = crate::flows::VALIDITY_START.replace('-', ".");
    let text = CardText {
        name: crate::flows::NAME.into(),
        sex: "女".into(),
        ethnicity: "汉".into(),
        birth: (1949, 12, 31),
        address: "北京市朝阳区建国路88号2单元".into(),
        id_number: crate::flows::ID_NUMBER.into(),
        authority: "北京市公安局朝阳分局".into(),
        valid_from: start,
        valid_to: "长期".into(),
    };
    let shoot = |side: Side, scene: Scene| {
        let scene = Scene { side, ..scene };
        specimen::jpeg(&Face::new(side, &text, &fonts, 0).render(&scene), 92)
    };
    let wood = Scene::new(Background::Wood);
    let elsewhere = Scene {
        quad: QUAD.map(|[x, y]| [x * 0.9 + 60.0, y * 0.9 + 30.0]),
        gain: 0.9,
        ..Scene::new(Background::Plain)
    };
    let photos = Printed {
        portrait: dir.join("card-portrait.jpg"),
        portrait_again: dir.join("card-portrait-again.jpg"),
        emblem: dir.join("card-emblem.jpg"),
    };
    std::fs::write(&photos.portrait, shoot(Side::Portrait, wood))?;
    std::fs::write(&photos.portrait_again, shoot(Side::Portrait, elsewhere))?;
    std::fs::write(&photos.emblem, shoot(Side::Emblem, wood))?;
    Ok(photos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_distinct_card_photos_and_a_text_file() -> E2eResult<()> {
        let dir = tempfile::tempdir()?;
        let photos = write_all(dir.path())?;
        let a = std::fs::read(&photos.portrait)?;
        let b = std::fs::read(&photos.emblem)?;
        assert_ne!(a, b);
        for bytes in [&a, &b] {
            let img = image::load_from_memory(bytes)?;
            assert!(img.width() >= 1200 && img.height() >= 760);
            assert_eq!(image::guess_format(bytes)?, image::ImageFormat::Jpeg);
        }
        let retake = std::fs::read(write_portrait_retake(dir.path())?)?;
        assert_ne!(retake, a);
        assert_ne!(
            upload_sha256(&photos.portrait)?,
            upload_sha256(&dir.path().join("id-portrait-retake.jpg"))?
        );
        let text = std::fs::read(&photos.not_an_image)?;
        assert!(image::guess_format(&text).is_err());
        Ok(())
    }
}
