//! The TypeScript face of the IPC, generated from the Rust types: every type a command takes
//! or returns, the values of the string unions (error codes among them), the commands of the
//! one list (`commands/list.rs`) with their arguments and replies, and the events with their
//! payloads. `ui/src/lib/bindings.ts` is committed; this test fails when it is out of date.
//! Regenerate with
//! `OKPAY_UPDATE_BINDINGS=1 cargo test -p okpay-app --lib bindings`.

use crate::commands::camera::{FRAME_HEADER, FrameView};
use crate::commands::photos::{LocalPhotos, SIDE_HEADER};
use crate::commands::{app::AppInfo, auth::SessionView, with_ipc_commands};
use crate::events::{UPLOAD_PROGRESS, UploadProgress, VERIFICATION_CHANGED};
use okpay_core::card::{CardView, FieldKey, FieldView};
use okpay_core::contract::*;
use okpay_core::flow::{FieldErrors, LocalPhotoView, PhotoCheck};
use okpay_core::ocr::{CardSide, Check, Checked, NotChecked, Outcome};
use okpay_core::photo::live::{Guidance, STEADY_MS};
use okpay_core::quality::{Corner, Rect};
use okpay_core::validate::{IdKind, Sex};
use okpay_core::{ApiError, ErrorCode};
use std::path::PathBuf;
use ts_rs::{Config, TS};

fn cfg() -> Config {
    Config::default().with_large_int("number")
}

fn decl<T: TS>() -> String {
    format!("export {}\n", T::decl(&cfg()))
}

fn name<T: TS>() -> String {
    T::name(&cfg())
}

/// `Commands` entries from the list: name, `invoke` arguments, reply.
macro_rules! command_table {
    ($( $module:ident :: $cmd:ident ( $($args:tt)* ) -> $reply:ty ; )*) => {
        vec![ $( (stringify!($cmd), args!($($args)*), name::<$reply>()) ),* ]
    };
}

/// The TypeScript type of a command's arguments: the raw body's, or an object of them under
/// the camelCase names `invoke` takes.
macro_rules! args {
    (raw $body:ident) => {
        stringify!($body).to_owned()
    };
    ($( $arg:ident : $ty:ty ),*) => {
        object(&[ $( (stringify!($arg), name::<$ty>()) ),* ])
    };
}

fn object(fields: &[(&str, String)]) -> String {
    if fields.is_empty() {
        return "Record<string, never>".to_owned();
    }
    let fields: Vec<String> = fields
        .iter()
        .map(|(field, ty)| format!("{}: {ty}", camel(field)))
        .collect();
    format!("{{ {} }}", fields.join("; "))
}

/// `id_number` → `idNumber`.
fn camel(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The values of a string-union type, in declaration order, as a TS constant.
fn values<T: TS>(constant: &str) -> String {
    let union = T::inline(&cfg());
    let values: Vec<&str> = union.split(" | ").collect();
    assert!(
        values
            .iter()
            .all(|v| v.len() > 2 && v.starts_with('"') && v.ends_with('"')),
        "{} is not a union of strings: {union}",
        name::<T>()
    );
    format!(
        "export const {constant}: readonly {}[] = [{}];\n",
        name::<T>(),
        values.join(", ")
    )
}

fn render() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by `OKPAY_UPDATE_BINDINGS=1 cargo test -p okpay-app --lib bindings`.\n\
         // Do not edit: a test fails when this file and the Rust side differ.\n\n",
    );
    for d in [
        decl::<ErrorCode>(),
        decl::<ApiError>(),
        decl::<Tier>(),
        decl::<Limits>(),
        decl::<Account>(),
        decl::<VerificationStatus>(),
        decl::<PhotoSide>(),
        decl::<Validity>(),
        decl::<PersonalInfo>(),
        decl::<PhotoInfo>(),
        decl::<Photos>(),
        decl::<ReasonTarget>(),
        decl::<ReasonCode>(),
        decl::<RejectReason>(),
        decl::<Consent>(),
        decl::<Application>(),
        decl::<IdKind>(),
        decl::<Sex>(),
        decl::<FieldErrors>(),
        decl::<Rect>(),
        decl::<Corner>(),
        decl::<PhotoCheck>(),
        decl::<LocalPhotoView>(),
        decl::<LocalPhotos>(),
        decl::<AppInfo>(),
        decl::<SessionView>(),
        decl::<UploadProgress>(),
        decl::<CardSide>(),
        decl::<FieldKey>(),
        decl::<FieldView>(),
        decl::<CardView>(),
        decl::<Checked>(),
        decl::<NotChecked>(),
        decl::<Outcome>(),
        decl::<Check>(),
        decl::<Guidance>(),
        decl::<FrameView>(),
    ] {
        out.push_str(&d);
    }
    out.push_str(&format!(
        "\n/** The consent text version the app shows (PIPL). */\nexport const CONSENT_VERSION = {CONSENT_VERSION:?};\n\
         /** The header of `photo_capture` that names the side. */\nexport const PHOTO_SIDE_HEADER = {SIDE_HEADER:?};\n\
         /** The largest photo file the shell takes. */\nexport const MAX_PHOTO_BYTES = {};\n\
         /** The header of `camera_frame` with the frame's size, `WIDTHxHEIGHT`. */\nexport const FRAME_HEADER = {FRAME_HEADER:?};\n\
         /** How long the card must stay good and still before the picture is taken, ms. */\nexport const STEADY_MS = {STEADY_MS};\n\n\
         // Every value of the string unions, for lists and tests.\n",
        okpay_core::photo::MAX_FILE_BYTES
    ));
    for v in [
        values::<ErrorCode>("ERROR_CODES"),
        values::<ReasonCode>("REASON_CODES"),
        values::<ReasonTarget>("REASON_TARGETS"),
        values::<VerificationStatus>("VERIFICATION_STATUSES"),
        values::<Tier>("TIERS"),
        values::<PhotoSide>("PHOTO_SIDES"),
        values::<Corner>("CORNERS"),
        values::<Checked>("CHECKED"),
        values::<Guidance>("GUIDANCE"),
    ] {
        out.push_str(&v);
    }
    let targets: Vec<String> = ReasonCode::ALL
        .iter()
        .map(|r| {
            let target = serde_json::to_string(&r.target()).unwrap_or_default();
            format!("{}: {target}", r.as_str())
        })
        .collect();
    out.push_str(&format!(
        "/** The field or side each rejection reason concerns. */\nexport const REASON_TARGET: Readonly<Record<Exclude<ReasonCode, \"UNKNOWN\">, ReasonTarget>> = {{ {} }};\n",
        targets.join(", ")
    ));
    out.push_str("\n/** Every command: its `invoke` arguments and its reply. */\nexport interface Commands {\n");
    let commands: Vec<(&str, String, String)> = with_ipc_commands!(command_table);
    for (cmd, args, reply) in commands {
        out.push_str(&format!("  {cmd}: {{ args: {args}; reply: {reply} }};\n"));
    }
    out.push_str("}\n\n/** Every event and its payload. */\nexport interface Events {\n");
    out.push_str(&format!(
        "  {VERIFICATION_CHANGED:?}: {};\n  {UPLOAD_PROGRESS:?}: {};\n}}\n",
        name::<Application>(),
        name::<UploadProgress>()
    ));
    out
}

fn bindings_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
}

#[test]
fn bindings_are_current() {
    let fresh = render();
    let path = bindings_path();
    if std::env::var_os("OKPAY_UPDATE_BINDINGS").is_some() {
        assert!(
            std::fs::write(&path, &fresh).is_ok(),
            "cannot write {path:?}"
        );
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is out of date: run OKPAY_UPDATE_BINDINGS=1 cargo test -p okpay-app --lib bindings"
    );
}
