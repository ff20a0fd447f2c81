//! Build script: Tauri's code generation, with the app's own commands (the one list in
//! `src/commands/list.rs`) under the ACL and allowed by the `app-commands` permission set,
//! which is written here from the same list.

include!("src/commands/list.rs");

/// The command names of the list.
macro_rules! command_names {
    ($( $module:ident :: $cmd:ident ( $($args:tt)* ) -> $reply:ty ; )*) => {
        &[ $( stringify!($cmd) ),* ]
    };
}

const COMMANDS: &[&str] = with_ipc_commands!(command_names);

/// `permissions/app.toml`: the set the main window's capability grants.
fn permission_set() -> String {
    let mut out = String::from(
        "# Written by build.rs from src/commands/list.rs: do not edit.\n\
         # The app's own commands that the main window may call.\n\
         [[set]]\n\
         identifier = \"app-commands\"\n\
         description = \"Every command of the verification flow.\"\n\
         permissions = [\n",
    );
    for cmd in COMMANDS {
        out.push_str(&format!("  \"allow-{}\",\n", cmd.replace('_', "-")));
    }
    out.push_str("]\n");
    out
}

fn main() {
    println!("cargo::rerun-if-changed=src/commands/list.rs");
    let path = std::path::Path::new("permissions/app.toml");
    let set = permission_set();
    if std::fs::read_to_string(path).ok().as_deref() != Some(set.as_str())
        && let Err(e) = std::fs::write(path, set)
    {
        println!("cargo::error=cannot write {}: {e}", path.display());
        return;
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        println!("cargo::error=tauri build step failed: {e:#}");
    }
}
