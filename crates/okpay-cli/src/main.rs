//! `okpay`: the testers' command line. Tester controls for the staging server (list, approve,
//! reject applications) and local checks (ID numbers, photos, reading the card) with the same core as the app.
//! Every failure prints `error: CODE: message` (or `{code, message}` with `--json`) and exits 1.

mod account;
mod check;
mod output;
mod photo_check;
mod read_card;
mod session;
mod staging;
mod staging_support;
mod submit;

use clap::{Parser, Subcommand};
use okpay_core::ApiError;

#[derive(Parser)]
#[command(
    name = "okpay",
    version,
    about = "OKPay Wallet testers' command line",
    long_about = "OKPay Wallet testers' command line.\n\nSigns in to the wallet API (session kept in the OS keychain), shows the verification status, drives the staging verification server's tester controls (approve or reject a submitted application) and runs the app's local checks (ID numbers, ID-card photos) from the shell, with the same code the app uses."
)]
struct Cli {
    /// Print results and errors as JSON, one object per line.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in; the session is kept in the OS keychain.
    Login(account::LoginArgs),
    /// Show the signed-in account's tier and verification status (`--watch`: follow the
    /// review until it is decided).
    Status(account::StatusArgs),
    /// Fill in, check locally, upload and submit the verification application (`--resume`:
    /// send a submission still waiting in the encrypted outbox).
    Submit(submit::SubmitArgs),
    /// Sign out: revoke the session on the server and delete it from the keychain.
    Logout(session::Conn),
    /// Tester controls of the staging server.
    Staging(staging::Args),
    /// Validate fields the way the app does, before anything is sent.
    Validate(check::ValidateArgs),
    /// Check ID-card photo files the way the app does before upload.
    CheckPhoto(photo_check::PhotoArgs),
    /// Check that the two sides' photos are not the same shot.
    CheckPair(photo_check::PairArgs),
    /// Read the ID card in photo files: the side and each field, as the app does on the
    /// device (`--against NAME ID_NUMBER`: the cross-checks with what was typed).
    ReadCard(read_card::ReadArgs),
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Login(args) => account::login(args, cli.json).await,
        Command::Status(args) => account::status(args, cli.json).await,
        Command::Submit(args) => submit::submit(args, cli.json).await,
        Command::Logout(conn) => account::logout(conn, cli.json).await,
        Command::Staging(args) => staging::run(args, cli.json).await,
        Command::Validate(args) => check::validate(args, cli.json),
        Command::CheckPhoto(args) => photo_check::photos(args, cli.json),
        Command::CheckPair(args) => photo_check::pair(args, cli.json),
        Command::ReadCard(args) => read_card::read_card(args, cli.json),
    };
    if let Err(e) = result {
        fail(&e, cli.json);
    }
}

/// Print an error in the one shape and exit 1.
fn fail(e: &ApiError, json: bool) -> ! {
    if json {
        println!(
            "{}",
            serde_json::to_string(e).unwrap_or_else(|_| e.code.as_str())
        );
    } else {
        eprintln!("error: {}: {}", e.code, e.message);
    }
    std::process::exit(1);
}
