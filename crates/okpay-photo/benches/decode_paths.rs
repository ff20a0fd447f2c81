//! The measurements behind the JPEG path of the photo engine: per-thread CPU ms, median of
//! 9 after a warm-up, from bytes in memory, of the engine's own 1/4-scale baseline decoder
//! (`codec::jpeg_reduced`, luma and chroma; and with the 1/2-scale planes), libjpeg (`mozjpeg`) DCT-scaled decodes to gray, RGB
//! and YCbCr, `jpeg-decoder`'s `scale()`, full `zune-jpeg` decodes, and the other stages of
//! `examine` (luma, halvings, upload encode, preview) on a 1/2-scale decode.
//!
//! `cargo bench -p okpay-photo --bench decode_paths [--features simd] [-- --stages]` with the
//! photos in `OKPAY_PHOTO_DIR`. `-- --upload`: the 1/2-scale decode's options (RGB or
//! YCbCr out, fancy upsampling, fast IDCT) and the upload encode from RGB, YCbCr or gray;
//! `-- --micro`: the pixel kernels of `raster` (luma, halvings, area resamples, blur,
//! orientation) on that decode.

use std::hint::black_box;
use support::{median_cpu_ms, photo_dir};

mod support;

fn jd_scaled(bytes: &[u8], denom: u16) -> usize {
    let mut d = jpeg_decoder::Decoder::new(bytes);
    let _ = d.read_info();
    let Some(i) = d.info() else { return 0 };
    let _ = d.scale(i.width.div_ceil(denom), i.height.div_ceil(denom));
    d.decode().map(|v| v.len()).unwrap_or(0)
}

fn zune(bytes: &[u8], cs: zune_core::colorspace::ColorSpace) -> usize {
    let o = zune_core::options::DecoderOptions::new_fast().jpeg_set_out_colorspace(cs);
    let mut d =
        zune_jpeg::JpegDecoder::new_with_options(zune_core::bytestream::ZCursor::new(bytes), o);
    d.decode().map(|v| v.len()).unwrap_or(0)
}

fn main() {
    use zune_core::colorspace::ColorSpace;
    if let Ok(b) = std::fs::read(photo_dir().join("card_12mp.jpg")) {
        examine_stages(&b);
        if std::env::args().any(|a| a == "--micro") {
            micro(&b);
            return;
        }
        if std::env::args().any(|a| a == "--upload") {
            upload_paths(&b);
            return;
        }
        if std::env::args().any(|a| a == "--stages") {
            return;
        }
    }
    for name in ["card_12mp.jpg", "card_12mp_progressive.jpg"] {
        let Ok(bytes) = std::fs::read(photo_dir().join(name)) else {
            eprintln!("no {name}");
            continue;
        };
        let b = &bytes[..];
        moz_all(b, name);
        for denom in [8u16, 4, 2, 1] {
            let ms = median_cpu_ms(9, || {
                black_box(jd_scaled(b, denom));
            });
            eprintln!(
                "{name} jpeg-decoder 1/{denom}: {ms:.1} ms ({} bytes)",
                jd_scaled(b, denom)
            );
        }
        for cs in [ColorSpace::Luma, ColorSpace::RGB, ColorSpace::YCbCr] {
            let ms = median_cpu_ms(9, || {
                black_box(zune(b, cs));
            });
            eprintln!(
                "{name} zune-jpeg full {cs:?}: {ms:.1} ms ({} bytes)",
                zune(b, cs)
            );
        }
    }
}

pub fn moz(bytes: &[u8], num: u8, gray: bool) -> usize {
    let run = || -> std::io::Result<usize> {
        let mut d = mozjpeg::Decompress::new_mem(bytes)?;
        d.scale(num);
        let mut s = if gray { d.grayscale()? } else { d.rgb()? };
        let v: Vec<u8> = s.read_scanlines()?;
        Ok(v.len())
    };
    std::panic::catch_unwind(run)
        .ok()
        .and_then(|r| r.ok())
        .unwrap_or(0)
}

pub fn moz_all(b: &[u8], name: &str) {
    let own = median_cpu_ms(9, || {
        black_box(okpay_photo::codec::jpeg_reduced::decode_any(b).is_some());
    });
    match okpay_photo::codec::jpeg_reduced::decode_any(b) {
        Some(_) => eprintln!("{name} own 1/4 decoder, Y and chroma: {own:.1} ms"),
        None => eprintln!("{name} own 1/4 decoder: not handled"),
    }
    let half = median_cpu_ms(9, || {
        black_box(okpay_photo::codec::jpeg_reduced::decode_any_with_half(b).is_some());
    });
    match okpay_photo::codec::jpeg_reduced::decode_any_with_half(b) {
        Some(_) => eprintln!("{name} own decoder, 1/2 planes and 1/4 from them: {half:.1} ms"),
        None => eprintln!("{name} own decoder with 1/2 planes: not handled"),
    }
    let ycc = median_cpu_ms(9, || {
        black_box(moz_ycc_quarter(b));
    });
    eprintln!("{name} mozjpeg 2/8 YCbCr: {ycc:.1} ms");
    for num in [1u8, 2, 4, 8] {
        for gray in [true, false] {
            let ms = median_cpu_ms(9, || {
                black_box(moz(b, num, gray));
            });
            eprintln!(
                "{name} mozjpeg {num}/8 gray={gray}: {ms:.1} ms ({} bytes)",
                moz(b, num, gray)
            );
        }
    }
}

/// libjpeg's 1/4-scale YCbCr decode, as the analysis took it before the engine's own.
fn moz_ycc_quarter(b: &[u8]) -> usize {
    let run = || -> std::io::Result<usize> {
        let mut d = mozjpeg::Decompress::new_mem(b)?;
        d.scale(2);
        d.do_fancy_upsampling(false);
        let mut s = d.to_colorspace(mozjpeg::ColorSpace::JCS_YCbCr)?;
        let v = s.read_scanlines::<u8>()?;
        s.finish()?;
        Ok(v.len())
    };
    std::panic::catch_unwind(run)
        .ok()
        .and_then(Result::ok)
        .unwrap_or(0)
}

/// The other stages of `examine` on a 1/2-scale RGB decode.
pub fn examine_stages(b: &[u8]) {
    use okpay_photo::codec::encode::encode_rgb;
    use okpay_photo::raster::resample;
    let mut d = match mozjpeg::Decompress::new_mem(b) {
        Ok(d) => d,
        Err(_) => return,
    };
    d.scale(4);
    let Ok(mut s) = d.rgb() else { return };
    let (w, h) = (s.width(), s.height());
    let Ok(rgb) = s.read_scanlines::<u8>() else {
        return;
    };
    let luma = median_cpu_ms(9, || {
        black_box(resample::luma(&rgb));
    });
    let l = resample::luma(&rgb);
    let halve_gray = median_cpu_ms(9, || {
        black_box(resample::area_resize(&l, w, h, 1, w / 2, h / 2));
    });
    let halve_rgb = median_cpu_ms(9, || {
        black_box(resample::area_resize(&rgb, w, h, 3, w / 2, h / 2));
    });
    let img = image::RgbImage::from_raw(w as u32, h as u32, rgb.clone()).unwrap_or_default();
    let upload = median_cpu_ms(9, || {
        black_box(encode_rgb(&img, 85).ok());
    });
    let (pw, ph) = (640, 640 * h / w.max(1));
    let preview = median_cpu_ms(9, || {
        let small = resample::area_resize(&rgb, w, h, 3, pw, ph);
        let small = image::RgbImage::from_raw(pw as u32, ph as u32, small).unwrap_or_default();
        black_box(encode_rgb(&small, 80).ok());
    });
    let je = median_cpu_ms(9, || {
        let mut out = Vec::new();
        let e = jpeg_encoder::Encoder::new(&mut out, 85);
        black_box(
            e.encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
                .ok(),
        );
    });
    eprintln!("jpeg-encoder q85 at {w}x{h}: {je:.1}");
    eprintln!(
        "examine stages at {w}x{h}: luma {luma:.1}, halve gray {halve_gray:.1}, halve rgb {halve_rgb:.1}, upload encode {upload:.1}, preview (area resize + encode) {preview:.1}"
    );
}
/// The 1/2-scale decode's options and the upload encode's input, measured.
pub fn upload_paths(b: &[u8]) {
    use mozjpeg::{ColorSpace, DctMethod};
    let dec = |cs: ColorSpace, fancy: bool, dct: Option<DctMethod>| -> (usize, usize, Vec<u8>) {
        let run = || -> std::io::Result<(usize, usize, Vec<u8>)> {
            let mut d = mozjpeg::Decompress::new_mem(b)?;
            d.scale(4);
            d.do_fancy_upsampling(fancy);
            if let Some(m) = dct {
                d.dct_method(m);
            }
            let mut s = d.to_colorspace(cs)?;
            let (w, h) = (s.width(), s.height());
            let v: Vec<u8> = s.read_scanlines()?;
            Ok((w, h, v))
        };
        std::panic::catch_unwind(run)
            .ok()
            .and_then(|r| r.ok())
            .unwrap_or_default()
    };
    for (name, cs, fancy, dct) in [
        ("rgb", ColorSpace::JCS_RGB, true, None),
        ("rgb nofancy", ColorSpace::JCS_RGB, false, None),
        (
            "rgb ifast",
            ColorSpace::JCS_RGB,
            true,
            Some(DctMethod::IntegerFast),
        ),
        (
            "rgb nofancy ifast",
            ColorSpace::JCS_RGB,
            false,
            Some(DctMethod::IntegerFast),
        ),
        ("ycc", ColorSpace::JCS_YCbCr, true, None),
        (
            "ycc ifast",
            ColorSpace::JCS_YCbCr,
            true,
            Some(DctMethod::IntegerFast),
        ),
        ("gray", ColorSpace::JCS_GRAYSCALE, true, None),
    ] {
        let ms = median_cpu_ms(9, || {
            black_box(dec(cs, fancy, dct));
        });
        eprintln!("decode 1/2 {name}: {ms:.1}");
    }
    let (w, h, rgb) = dec(ColorSpace::JCS_RGB, true, None);
    let (_, _, ycc) = dec(ColorSpace::JCS_YCbCr, true, None);
    let enc = |data: &[u8], cs: ColorSpace, w: usize, h: usize| -> usize {
        let run = || -> std::io::Result<Vec<u8>> {
            let mut c = mozjpeg::Compress::new(cs);
            c.set_fastest_defaults();
            c.set_size(w, h);
            c.set_quality(85.0);
            let mut s = c.start_compress(Vec::with_capacity(w * h / 4))?;
            s.write_scanlines(data)?;
            s.finish()
        };
        std::panic::catch_unwind(run)
            .ok()
            .and_then(|r| r.ok())
            .map_or(0, |v| v.len())
    };
    for (name, data, cs) in [
        ("rgb", &rgb, ColorSpace::JCS_RGB),
        ("ycc", &ycc, ColorSpace::JCS_YCbCr),
    ] {
        let ms = median_cpu_ms(9, || {
            black_box(enc(data, cs, w, h));
        });
        eprintln!(
            "encode q85 {w}x{h} from {name}: {ms:.1} ms, {} bytes",
            enc(data, cs, w, h)
        );
    }
    let y: Vec<u8> = ycc.iter().step_by(3).copied().collect();
    let ms = median_cpu_ms(9, || {
        black_box(enc(&y, ColorSpace::JCS_GRAYSCALE, w, h));
    });
    eprintln!("encode q85 gray: {ms:.1}");
    let l = okpay_photo::raster::resample::luma(&rgb);
    let diff = l.iter().zip(&y).map(|(a, b)| a.abs_diff(*b) as u64).max();
    eprintln!("luma vs Y max diff {diff:?}");
}

/// The pixel kernels of `gray` on the 1/2-scale decode.
pub fn micro(b: &[u8]) {
    use okpay_photo::raster::resample;
    let Ok(mut d) = mozjpeg::Decompress::new_mem(b) else {
        return;
    };
    d.scale(4);
    let Ok(mut s) = d.rgb() else { return };
    let (w, h) = (s.width(), s.height());
    let Ok(rgb) = s.read_scanlines::<u8>() else {
        return;
    };
    let t = |name: &str, f: &mut dyn FnMut()| {
        let ms = median_cpu_ms(15, f);
        eprintln!("{name}: {ms:.2} ms");
    };
    t("luma_halved 2016x1512", &mut || {
        black_box(resample::luma_halved(&rgb, w));
    });
    t("luma 2016x1512", &mut || {
        black_box(resample::luma(&rgb));
    });
    t("halve rgb 2016x1512", &mut || {
        black_box(resample::area_resize(&rgb, w, h, 3, w / 2, h / 2));
    });
    let half = resample::area_resize(&rgb, w, h, 3, w / 2, h / 2);
    t("area rgb 1008 -> 640", &mut || {
        black_box(resample::area_resize(&half, w / 2, h / 2, 3, 640, 480));
    });
    t("area rgb 2016 -> 640", &mut || {
        black_box(resample::area_resize(&rgb, w, h, 3, 640, 480));
    });
    t("luma_fit 2016 -> 1008 (x2 area)", &mut || {
        black_box(resample::luma_fit(&rgb, w, h, 1008));
    });
    let g = okpay_photo::raster::Plane::new(w / 2, h / 2, resample::luma_halved(&rgb, w));
    t("blur5_fixed 1008x756", &mut || {
        black_box(g.blur5_fixed());
    });
    t("orient 6 gray 1008x756", &mut || {
        black_box(g.clone().orient(okpay_photo::raster::Orientation::Rotate90));
    });
}
