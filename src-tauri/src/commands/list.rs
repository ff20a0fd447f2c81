// The IPC surface, written once: every command the webview may call, with the module under
// `commands` that serves it, its `invoke` arguments (as the webview sends them) and its reply
// (`CmdResult<T>` replies `T`, or an `ApiError`). From this list `build.rs` puts the commands
// under the ACL and writes the `app-commands` permission set, `lib.rs` registers the
// handlers, and the bindings test writes the `Commands` map of `ui/src/lib/bindings.ts`.
//
// `raw T`: the command takes the request body itself, of TypeScript type `T`, instead of
// named arguments.
//
// Plain comments: `build.rs` includes this file too.

/// Expands to `$then! { module::command(arg: Type, …) -> Reply; … }` with every command.
macro_rules! with_ipc_commands {
    ($then:ident) => {
        $then! {
            app::app_info() -> AppInfo;
            app::app_set_locale(locale: String) -> ();
            auth::session_restore() -> Option<SessionView>;
            auth::auth_login(login: String, password: String) -> SessionView;
            auth::auth_register(login: String, password: String) -> SessionView;
            auth::auth_logout() -> ();
            account::account_get() -> Account;
            verification::verification_get() -> Application;
            verification::verification_consent(version: String) -> Application;
            verification::validate_fields(name: String, id_number: String, validity: Option<Validity>) -> FieldErrors;
            verification::verification_save_personal(name: String, id_number: String, validity: Option<Validity>) -> Application;
            verification::verification_submit() -> Application;
            photos::photo_pick(side: PhotoSide) -> Option<LocalPhotoView>;
            photos::photo_drop(side: PhotoSide, path: String) -> LocalPhotoView;
            photos::photo_capture(raw Uint8Array) -> LocalPhotoView;
            photos::photos_local() -> LocalPhotos;
            camera::camera_open(side: PhotoSide) -> ();
            camera::camera_close() -> ();
            camera::camera_frame(raw Uint8Array) -> FrameView;
            card::card_read(side: PhotoSide) -> Option<CardView>;
            card::card_checks(name: String, id_number: String, validity: Option<Validity>) -> Vec<Check>;
        }
    };
}
