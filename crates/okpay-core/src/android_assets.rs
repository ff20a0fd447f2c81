//! Android only: the files the app bundles as resources. Tauri puts them in the APK's assets,
//! which `std::fs` cannot open, so they are read through the application's `AssetManager`
//! (kept at start-up by [`crate::android_context`]). Blocking: call it
//! from a blocking thread.

use jni::objects::{JObject, JValue};
use okpay_ocr::{Models, OcrError};
use std::path::PathBuf;
use std::time::Duration;

/// The card reader's models, `det.onnx` and `rec.onnx` under `dir` in the assets.
pub fn card_models(dir: &str) -> Result<Models, OcrError> {
    let read = |name: &str| {
        read(&format!("{dir}/{name}"), MAX_MODEL_BYTES).map_err(|e| match e {
            AssetError::Missing => OcrError::ModelsMissing(PathBuf::from(format!("assets/{dir}"))),
            AssetError::Other(e) => OcrError::ModelInvalid(format!("{name}: {e}")),
        })
    };
    Models::from_bytes(
        read(okpay_ocr::models::DETECTOR_FILE)?,
        read(okpay_ocr::models::RECOGNIZER_FILE)?,
    )
}

/// Larger than either model, small enough to refuse a wrong file.
const MAX_MODEL_BYTES: usize = 64 << 20;

enum AssetError {
    Missing,
    Other(String),
}

/// The bytes of the asset at `path`, at most `max` of them.
fn read(path: &str, max: usize) -> Result<Vec<u8>, AssetError> {
    crate::android_context::wait_ready(Duration::from_secs(10)).map_err(AssetError::Other)?;
    let (vm, assets) = crate::android_context::assets().ok_or_else(|| {
        AssetError::Other("the app's AssetManager was not kept at start-up".into())
    })?;
    let mut env = vm.attach_current_thread().map_err(other)?;
    let result = read_with(&mut env, assets, path, max);
    if env.exception_check().unwrap_or(false) {
        // A Java exception (FileNotFoundException for a missing asset) stays pending until
        // cleared; the error above already says what failed.
        let _ = env.exception_clear();
    }
    result
}

fn read_with(
    env: &mut jni::JNIEnv,
    assets: &JObject,
    path: &str,
    max: usize,
) -> Result<Vec<u8>, AssetError> {
    let name = env.new_string(path).map_err(other)?;
    let stream = env
        .call_method(
            assets,
            "open",
            "(Ljava/lang/String;)Ljava/io/InputStream;",
            &[JValue::Object(&name)],
        )
        .and_then(|v| v.l())
        .map_err(|_| AssetError::Missing)?;
    let chunk = env.new_byte_array(64 * 1024).map_err(other)?;
    let mut buf = vec![0i8; 64 * 1024];
    let mut out = Vec::new();
    let read = loop {
        let n = match env
            .call_method(&stream, "read", "([B)I", &[JValue::Object(&chunk)])
            .and_then(|v| v.i())
        {
            Ok(n) => n,
            Err(e) => break Err(other(e)),
        };
        let Ok(n) = usize::try_from(n) else {
            break Ok(()); // -1: the end of the stream
        };
        if out.len() + n > max {
            break Err(AssetError::Other(format!(
                "{path} is larger than {max} bytes"
            )));
        }
        let n = n.min(buf.len());
        if let Err(e) = env.get_byte_array_region(&chunk, 0, &mut buf[..n]) {
            break Err(other(e));
        }
        out.extend(buf[..n].iter().map(|b| *b as u8));
    };
    let _ = env.call_method(&stream, "close", "()V", &[]);
    read.map(|()| out)
}

fn other(e: jni::errors::Error) -> AssetError {
    AssetError::Other(e.to_string())
}
