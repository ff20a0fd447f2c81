//! How the CLI prints results: one JSON object per line with `--json`, else a line of text;
//! applications with the ID number masked.

/// An application as the CLI prints it: the ID number masked (`1101**********002X`), as on
/// the app's review screen; the full number never reaches a terminal or a log.
pub fn masked(mut app: okpay_core::contract::Application) -> okpay_core::contract::Application {
    if let Some(p) = app.personal.as_mut() {
        p.id_number = okpay_core::validate::mask_id_number(&p.id_number);
    }
    app
}

/// Print one result value, as JSON or as a line of text.
pub fn emit<T: serde::Serialize>(value: &T, json: bool, text: impl FnOnce() -> String) {
    if json {
        match serde_json::to_string(value) {
            Ok(s) => println!("{s}"),
            Err(_) => println!("{{}}"),
        }
    } else {
        println!("{}", text());
    }
}
