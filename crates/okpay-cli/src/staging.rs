//! `okpay staging list|approve|reject|support`: the staging server's tester controls, over the
//! admin endpoints with the admin token (`--admin-token` or `OKPAY_STAGING_ADMIN_TOKEN`).

use crate::output::{emit, masked};
use clap::Subcommand;
use okpay_core::api::ApiClient;
use okpay_core::contract::{PhotoReading, ReasonCode, RejectRequest, ReviewerReading};
use okpay_core::{ApiError, ErrorCode, Sensitive};

#[derive(clap::Args)]
pub struct Args {
    /// Base URL of the staging server.
    #[arg(long, env = "OKPAY_API_URL", default_value = okpay_core::config::LOCAL_STAGING_URL)]
    api_url: String,
    /// Admin token printed by okpay-staging at start.
    #[arg(long, env = "OKPAY_STAGING_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: String,
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Target {
    /// Application id.
    #[arg(long)]
    id: Option<String>,
    /// The applicant's login: decides their pending application.
    #[arg(long)]
    login: Option<String>,
}

#[derive(Subcommand)]
enum Action {
    /// List applications.
    List {
        /// Only this status (draft, pending, approved, rejected).
        #[arg(long)]
        status: Option<String>,
        /// Only this applicant.
        #[arg(long)]
        login: Option<String>,
    },
    /// Approve a pending application.
    Approve(#[command(flatten)] Target),
    /// Reject a pending application with reason codes (e.g. PORTRAIT_GLARE NAME_MISMATCH).
    Reject {
        #[command(flatten)]
        target: Target,
        /// Reason codes, one or more.
        #[arg(long = "reason", required = true, num_args = 1..)]
        reasons: Vec<String>,
    },
    /// The support desk: conversations, replies, change-of-details decisions.
    Support {
        #[command(subcommand)]
        action: crate::staging_support::Action,
    },
}

pub async fn run(args: Args, json: bool) -> Result<(), ApiError> {
    let api = ApiClient::new(&args.api_url)?;
    let admin = Sensitive::new(args.admin_token);
    match args.action {
        Action::List { status, login } => {
            let rows = api
                .admin_list(&admin, status.as_deref(), login.as_deref())
                .await?;
            if json {
                for r in &rows {
                    emit(r, true, String::new);
                }
            } else {
                for r in &rows {
                    println!("{}  {:<10?}  {}", r.id, r.status, r.login);
                    if let Some(read) = &r.card_read {
                        println!("    read: {}", reading_line(read));
                    }
                }
            }
        }
        Action::Approve(target) => {
            let id = resolve(&api, &admin, target).await?;
            let app = api.admin_approve(&admin, &id).await?;
            emit(&masked(app.clone()), json, || format!("approved {id}"));
        }
        Action::Reject { target, reasons } => {
            let reasons = reasons
                .iter()
                .map(|r| {
                    ReasonCode::parse(r).ok_or_else(|| {
                        ApiError::with_message(
                            ErrorCode::BadRequest,
                            format!("unknown reason code {r}"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let id = resolve(&api, &admin, target).await?;
            let app = api
                .admin_reject(&admin, &id, &RejectRequest { reasons })
                .await?;
            emit(&masked(app.clone()), json, || format!("rejected {id}"));
        }
        Action::Support { action } => {
            crate::staging_support::run(&api, &admin, action, json).await?;
        }
    }
    Ok(())
}

/// The application id: given, or the one pending application of a login.
async fn resolve(
    api: &ApiClient,
    admin: &Sensitive<String>,
    target: Target,
) -> Result<String, ApiError> {
    if let Some(id) = target.id {
        return Ok(id);
    }
    let login = target.login.unwrap_or_default();
    let rows = api.admin_list(admin, Some("pending"), Some(&login)).await?;
    match rows.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(ApiError::with_message(
            ErrorCode::NotFound,
            format!("no pending application for {login}"),
        )),
        _ => Err(ApiError::with_message(
            ErrorCode::BadRequest,
            "several pending applications: use --id",
        )),
    }
}

/// What the reviewer read, on one line: each side's fields in card order.
fn reading_line(read: &ReviewerReading) -> String {
    let side = |label: &str, r: Option<&PhotoReading>| match r {
        None => format!("{label} unreadable"),
        Some(r) => {
            let fields = [
                &r.name,
                &r.sex,
                &r.birth,
                &r.id_number,
                &r.valid_from,
                &r.valid_to,
            ];
            let mut parts = vec![format!("{label} shows {}", r.shows)];
            parts.extend(fields.into_iter().flatten().cloned());
            parts.join(" ")
        }
    };
    format!(
        "{}; {}",
        side("portrait photo", read.portrait.as_ref()),
        side("emblem photo", read.emblem.as_ref())
    )
}
