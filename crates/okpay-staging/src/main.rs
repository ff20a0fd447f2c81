//! `okpay-staging`: run the stand-in of the OKPay wallet verification API on this machine
//! for local runs and tests. Prints the demo account, the admin token and the URL at start.

use clap::Parser;
use okpay_staging::{Config, DEMO_LOGIN, DEMO_PASSWORD, ReviewMode};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const ABOUT: &str = "Stand-in of the OKPay wallet verification API, for local runs and tests.";

const LONG_ABOUT: &str = "\
Stand-in of the OKPay wallet verification API, for local runs and tests.

Serves the /v1 API of docs/openapi.yaml (accounts, sessions, the real-name verification
application with ID card photo uploads, review status with long polling) from a SQLite
database in --data, so state survives restarts. Pending applications are approved
automatically after --review-delay seconds, or only through the tester controls with
--manual-review.

Demo account: created on first start and printed on every start:
  login demo@okpay.test, password okpay-demo-2468

Tester controls (header X-Admin-Token: <admin token>):
  GET  /v1/admin/applications?status=pending&login=LOGIN
  POST /v1/admin/applications/{id}/approve
  POST /v1/admin/applications/{id}/reject   {\"reasons\": [\"PORTRAIT_GLARE\", ...]}
The admin token comes from --admin-token or OKPAY_STAGING_ADMIN_TOKEN; without either, a
random one is generated once, kept in DIR/admin-token and printed on every start.

Not a production server: it listens on loopback addresses only unless --allow-remote.";

#[derive(Debug, Parser)]
#[command(name = "okpay-staging", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Args {
    /// Address to listen on, e.g. 127.0.0.1:8787 (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,

    /// Directory for the database, the stored photos and the generated admin token.
    #[arg(
        long = "data",
        value_name = "DIR",
        default_value = "okpay-staging-data"
    )]
    data: PathBuf,

    /// Extra account created at start if missing (repeatable). LOGIN is an e-mail address
    /// or a mainland mobile number, PASSWORD at least 8 characters.
    #[arg(long = "seed-account", value_name = "LOGIN:PASSWORD", value_parser = parse_seed)]
    seed_accounts: Vec<(String, String)>,

    /// Token for the tester controls (X-Admin-Token). Default: generated and kept in DIR.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "OKPAY_STAGING_ADMIN_TOKEN",
        hide_env_values = true
    )]
    admin_token: Option<String>,

    /// Seconds after submission at which the automatic reviewer approves an application.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 20,
        conflicts_with = "manual_review"
    )]
    review_delay: u64,

    /// No automatic reviewer: applications stay pending until a tester decides them.
    #[arg(long)]
    manual_review: bool,

    /// The card reader's models (scripts/ocr-models.sh): the automatic reviewer reads the
    /// photos and rejects a card that says another name or number, has expired, or shows the
    /// wrong side, as a person would.
    #[arg(long, value_name = "DIR", conflicts_with = "manual_review")]
    card_models: Option<PathBuf>,

    /// Allow listening on a non-loopback address (the server is for local testing only).
    #[arg(long)]
    allow_remote: bool,
}

fn parse_seed(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((login, password)) if !login.is_empty() && !password.is_empty() => {
            Ok((login.to_owned(), password.to_owned()))
        }
        _ => Err("expected LOGIN:PASSWORD".to_owned()),
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

async fn run(args: Args) -> Result<(), String> {
    if !args.listen.ip().is_loopback() && !args.allow_remote {
        return Err(format!(
            "refusing to listen on {}: not a loopback address (pass --allow-remote to insist)",
            args.listen
        ));
    }
    let admin_token = match args.admin_token.filter(|t| !t.trim().is_empty()) {
        Some(t) => t,
        None => okpay_staging::load_or_create_admin_token(&args.data).map_err(|e| {
            format!(
                "cannot keep the admin token in {}: {e}",
                args.data.display()
            )
        })?,
    };
    let mut seed_accounts = vec![(DEMO_LOGIN.to_owned(), DEMO_PASSWORD.to_owned())];
    seed_accounts.extend(args.seed_accounts);
    let review = if args.manual_review {
        ReviewMode::Manual
    } else {
        ReviewMode::AutoApproveAfter(Duration::from_secs(args.review_delay))
    };
    let config = Config {
        data_dir: args.data.clone(),
        admin_token: admin_token.clone(),
        review,
        seed_accounts,
        card_models: args.card_models.clone(),
        ..Config::default()
    };
    let (addr, server) = okpay_staging::spawn(config, args.listen)
        .await
        .map_err(|e| e.to_string())?;
    println!("okpay-staging: stand-in of the OKPay wallet verification API");
    println!("  data:         {}", args.data.display());
    println!("  demo account: {DEMO_LOGIN} / {DEMO_PASSWORD}");
    println!("  admin token:  {admin_token}");
    match review {
        ReviewMode::Manual => println!("  review:       manual (tester controls only)"),
        ReviewMode::AutoApproveAfter(d) if args.card_models.is_some() => println!(
            "  review:       automatic after {} s, reading the cards",
            d.as_secs()
        ),
        ReviewMode::AutoApproveAfter(d) => {
            println!("  review:       automatic approval after {} s", d.as_secs())
        }
    }
    println!("  listening on: http://{addr}");
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::error!(error = %e, "cannot wait for Ctrl-C; stopping");
    }
    tracing::info!("stopping");
    server.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("okpay-staging: {e}");
            ExitCode::FAILURE
        }
    }
}
