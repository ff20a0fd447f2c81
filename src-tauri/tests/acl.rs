//! Every command the shell registers is under the ACL and allowed for the main window, and
//! nothing else is: the command list in `build.rs`, the `app-commands` set in
//! `permissions/app.toml` and the handler list in `src/lib.rs` must name the same commands.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default()
}

/// The quoted snake_case names between `.commands(&[` and `]`.
fn build_rs_commands() -> BTreeSet<String> {
    let text = read("build.rs");
    let start = text.find(".commands(&[").map_or(text.len(), |i| i + 12);
    let end = text[start..].find(']').map_or(text.len(), |i| start + i);
    text[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// `allow-x-y` entries of the permission set, as `x_y`.
fn allowed_commands() -> BTreeSet<String> {
    read("permissions/app.toml")
        .split('"')
        .filter_map(|s| s.strip_prefix("allow-"))
        .map(|s| s.replace('-', "_"))
        .collect()
}

/// `commands::<domain>::<name>,` lines of the invoke handler.
fn handler_commands() -> BTreeSet<String> {
    read("src/lib.rs")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("commands::"))
        .filter_map(|l| l.trim_end_matches(',').rsplit("::").next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn registered_acl_and_allowed_commands_are_the_same() {
    let built = build_rs_commands();
    assert!(built.len() >= 10, "{built:?}");
    assert_eq!(
        built,
        allowed_commands(),
        "build.rs vs permissions/app.toml"
    );
    assert_eq!(built, handler_commands(), "build.rs vs the invoke handler");
}
