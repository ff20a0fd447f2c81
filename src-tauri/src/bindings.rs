//! The TypeScript face of the IPC, generated from the Rust types: every type a command takes
//! or returns, the error codes, the commands with their arguments and replies, and the
//! events with their payloads. `ui/src/lib/bindings.ts` is committed; this test fails when
//! it is out of date. Regenerate with
//! `OKPAY_UPDATE_BINDINGS=1 cargo test -p okpay-app --lib bindings`.

use crate::commands::{app::AppInfo, auth::SessionView, photos::LocalPhotos};
use crate::events::{UPLOAD_PROGRESS, UploadProgress, VERIFICATION_CHANGED};
use okpay_core::contract::*;
use okpay_core::flow::{FieldErrors, LocalPhotoView, PhotoCheck};
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

/// One command: its name, its arguments (camelCase, as `invoke` takes them) and its reply.
macro_rules! commands {
    ($( $cmd:ident ( $( $arg:ident : $ty:ty ),* ) -> $reply:ty ; )*) => {
        vec![ $( (
            stringify!($cmd),
            vec![ $( (stringify!($arg), name::<$ty>()) ),* ],
            name::<$reply>(),
        ) ),* ]
    };
}

type Command = (&'static str, Vec<(&'static str, String)>, String);

fn command_table() -> Vec<Command> {
    commands! {
        app_info() -> AppInfo;
        app_set_locale(locale: String) -> ();
        session_restore() -> Option<SessionView>;
        auth_login(login: String, password: String) -> SessionView;
        auth_register(login: String, password: String) -> SessionView;
        auth_logout() -> ();
        account_get() -> Account;
        verification_get() -> Application;
        verification_consent(version: String) -> Application;
        validate_fields(name: String, idNumber: String, validity: Option<Validity>) -> FieldErrors;
        verification_save_personal(name: String, idNumber: String, validity: Option<Validity>) -> Application;
        verification_submit() -> Application;
        photo_pick(side: PhotoSide) -> Option<LocalPhotoView>;
        photo_drop(side: PhotoSide, path: String) -> LocalPhotoView;
        photos_local() -> LocalPhotos;
    }
}

/// Commands whose arguments are not JSON.
fn raw_commands() -> Vec<Command> {
    vec![(
        "photo_capture",
        vec![(
            "body",
            "Uint8Array /* the photo file; header `x-okpay-side`: PhotoSide */".to_owned(),
        )],
        name::<LocalPhotoView>(),
    )]
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
    ] {
        out.push_str(&d);
    }
    out.push_str(&format!(
        "\n/** The consent text version the app shows (PIPL). */\nexport const CONSENT_VERSION = {:?};\n",
        CONSENT_VERSION
    ));
    out.push_str("\n/** Every command: its `invoke` arguments and its reply. */\nexport interface Commands {\n");
    for (cmd, args, reply) in command_table().into_iter().chain(raw_commands()) {
        let args: Vec<String> = args.iter().map(|(a, t)| format!("{a}: {t}")).collect();
        let reply = if reply == "null" {
            "null".to_owned()
        } else {
            reply
        };
        out.push_str(&format!(
            "  {cmd}: {{ args: {{ {} }}; reply: {reply} }};\n",
            args.join("; ")
        ));
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

#[test]
fn every_registered_command_has_bindings() {
    let text = include_str!("../build.rs");
    let start = text.find(".commands(&[").map_or(text.len(), |i| i + 12);
    let end = text[start..].find(']').map_or(text.len(), |i| start + i);
    let mut built: Vec<&str> = text[start..end].split('"').skip(1).step_by(2).collect();
    let (table, raw) = (command_table(), raw_commands());
    let mut bound: Vec<&str> = table.iter().chain(raw.iter()).map(|c| c.0).collect();
    built.sort_unstable();
    bound.sort_unstable();
    assert_eq!(built, bound);
}
