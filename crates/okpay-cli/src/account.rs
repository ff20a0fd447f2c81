//! `okpay login|status|logout`: the same session as the app (refresh token in the OS
//! keychain, under a CLI namespace of its own so it never signs the app in or out).

use crate::output::emit;
use crate::session::{Conn, flow_with_outbox};
use okpay_core::contract::VerificationStatus;
use okpay_core::session::Session;
use okpay_core::{ApiError, ErrorCode, Sensitive};
use serde::Serialize;
use std::io::{BufRead, IsTerminal};

#[derive(clap::Args)]
pub struct LoginArgs {
    #[command(flatten)]
    conn: Conn,
    /// Email address or mainland mobile number.
    login: String,
    /// Read the password from the first line of stdin instead of prompting.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Serialize)]
struct LoginOut {
    login: String,
    saved_in_keychain: bool,
    warning: Option<ApiError>,
}

pub async fn login(args: LoginArgs, json: bool) -> Result<(), ApiError> {
    let password = read_password(args.password_stdin)?;
    let session = args.conn.session()?;
    let signed = session.sign_in(&args.login, &password).await?;
    let out = LoginOut {
        login: signed.login,
        saved_in_keychain: signed.not_persisted.is_none(),
        warning: signed.not_persisted.map(ApiError::new),
    };
    emit(&out, json, || match &out.warning {
        None => format!("signed in as {}", out.login),
        Some(w) => format!(
            "signed in as {} for this command only: {}: {}",
            out.login, w.code, w.message
        ),
    });
    Ok(())
}

fn read_password(from_stdin: bool) -> Result<Sensitive<String>, ApiError> {
    let stdin = std::io::stdin();
    if from_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|_| {
            ApiError::with_message(ErrorCode::BadRequest, "cannot read the password from stdin")
        })?;
        return Ok(Sensitive::new(
            line.trim_end_matches(['\r', '\n']).to_owned(),
        ));
    }
    rpassword::prompt_password("Password: ")
        .map(Sensitive::new)
        .map_err(|_| ApiError::with_message(ErrorCode::BadRequest, "cannot read the password"))
}

#[derive(Serialize)]
struct StatusOut {
    login: String,
    tier: okpay_core::contract::Tier,
    verification: VerificationStatus,
    reasons: Vec<String>,
}

#[derive(clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    conn: Conn,
    /// Keep following a pending review (long polling) until it is decided.
    #[arg(long)]
    watch: bool,
}

pub async fn status(args: StatusArgs, json: bool) -> Result<(), ApiError> {
    let session = args.conn.session()?;
    let Some(signed) = session.restore().await? else {
        return Err(ApiError::new(ErrorCode::AuthRequired));
    };
    // A submission waiting in the outbox goes out first.
    let flow = flow_with_outbox()?;
    let cancel = okpay_core::flow::CancellationToken::new();
    if flow
        .resume(&session, std::sync::Arc::new(|_, _, _| {}), &cancel)
        .await?
        .is_some()
        && !json
    {
        eprintln!("the queued submission was sent");
    }
    let app = session.verification().await?;
    print_status(&session, &signed.login, &app, json).await?;
    if args.watch && app.status == VerificationStatus::Pending {
        let decided =
            okpay_core::flow::watch_review(&session, app.revision, Default::default(), |_| {})
                .await?;
        print_status(&session, &signed.login, &decided, json).await?;
    }
    Ok(())
}

/// One status line: tier (fetched now), verification status, rejection reasons.
async fn print_status(
    session: &Session,
    login: &str,
    app: &okpay_core::contract::Application,
    json: bool,
) -> Result<(), ApiError> {
    let account = session.account().await?;
    let out = StatusOut {
        login: login.to_owned(),
        tier: account.tier,
        verification: app.status,
        reasons: app.reasons.iter().map(|r| r.code.as_str()).collect(),
    };
    emit(&out, json, || {
        let mut s = format!(
            "{}  tier {:?}  verification {:?}",
            out.login, out.tier, out.verification
        );
        if !out.reasons.is_empty() {
            s.push_str(&format!("  reasons {}", out.reasons.join(",")));
        }
        s
    });
    Ok(())
}

pub async fn logout(conn: Conn, json: bool) -> Result<(), ApiError> {
    let session = conn.session()?;
    if session.restore().await?.is_some() {
        session.sign_out().await?;
    }
    emit(&serde_json::json!({"signed_out": true}), json, || {
        "signed out".into()
    });
    Ok(())
}
