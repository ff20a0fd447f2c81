//! The ACL as Tauri built it (`gen/schemas/`, written by the build) holds every command of the
//! one list (`src/commands/list.rs`) and nothing else, and the main window is granted those
//! commands and listening to events, nothing more.

use serde_json::Value;
use std::collections::BTreeSet;

include!("../src/commands/list.rs");

macro_rules! command_names {
    ($( $module:ident :: $cmd:ident ( $($args:tt)* ) -> $reply:ty ; )*) => {
        [ $( stringify!($cmd) ),* ]
    };
}

fn listed() -> BTreeSet<String> {
    with_ipc_commands!(command_names)
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn generated(file: &str) -> Value {
    let path = format!("{}/gen/schemas/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_app_acl_is_the_command_list() {
    let acl = &generated("acl-manifests.json")["__app-acl__"];
    let listed = listed();
    assert!(listed.len() >= 10, "{listed:?}");
    let allowed: BTreeSet<String> = acl["permissions"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, p)| strings(&p["commands"]["allow"]))
        .collect();
    assert_eq!(allowed, listed, "commands with an allow- permission");
    let set: BTreeSet<String> = strings(&acl["permission_sets"]["app-commands"]["permissions"]);
    let expected: BTreeSet<String> = listed
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(set, expected, "the app-commands set");
}

#[test]
fn the_main_window_gets_the_app_commands_and_events_only() {
    let main = &generated("capabilities.json")["main"];
    assert_eq!(
        strings(&main["windows"]),
        BTreeSet::from(["main".to_owned()])
    );
    let granted = strings(&main["permissions"]);
    let expected = [
        "app-commands",
        "core:event:allow-listen",
        "core:event:allow-unlisten",
    ];
    assert_eq!(granted, expected.map(str::to_owned).into());
}
