//! `okpay validate id|name|validity` and `okpay check-photo`: the app's local checks from the shell.

use crate::output::emit;
use clap::Subcommand;
use okpay_core::validate::{self, Date};
use okpay_core::{ApiError, ErrorCode};
use serde::Serialize;
use std::io::BufRead;

#[derive(clap::Args)]
pub struct ValidateArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Args)]
struct Today {
    /// Check as of this date (YYYY-MM-DD) instead of today in China.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

impl Today {
    fn get(&self) -> Date {
        self.today.unwrap_or_else(Date::today_china)
    }
}

#[derive(Subcommand)]
enum What {
    /// ID numbers (resident ID, HK/Macau/Taiwan residence permit, foreign permanent
    /// resident ID, legacy 15-digit); `-` reads one per line from stdin.
    Id {
        #[command(flatten)]
        today: Today,
        /// Youngest age allowed to verify (eligibility, not validity).
        #[arg(long, default_value_t = 16)]
        min_age: u32,
        inputs: Vec<String>,
    },
    /// Names as printed on the card; `-` reads one per line from stdin.
    Name { inputs: Vec<String> },
    /// The validity period printed on the emblem side (有效期限).
    Validity {
        #[command(flatten)]
        today: Today,
        /// The holder's birth date, YYYY-MM-DD (or give --id).
        #[arg(long, value_parser = parse_date, required_unless_present = "id")]
        birth: Option<Date>,
        /// The holder's ID number: birth date and kind of card are taken from it.
        #[arg(long, conflicts_with = "birth")]
        id: Option<String>,
        /// First day of validity, YYYY-MM-DD.
        #[arg(long)]
        start: String,
        /// Last day of validity, YYYY-MM-DD.
        #[arg(
            long,
            required_unless_present = "long_term",
            conflicts_with = "long_term"
        )]
        end: Option<String>,
        /// 长期: no end date.
        #[arg(long)]
        long_term: bool,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("not a real date (YYYY-MM-DD): {s}"))
}

/// One line of `okpay validate id`.
#[derive(Serialize)]
struct IdVerdict {
    input: String,
    /// The number itself is valid (a legacy 15-digit number and an under-age holder's number
    /// are valid).
    ok: bool,
    codes: Vec<ErrorCode>,
    warnings: Vec<ErrorCode>,
    kind: Option<validate::IdKind>,
    normalized: Option<String>,
    birth: Option<Date>,
    sex: Option<validate::Sex>,
    upgraded: Option<String>,
    eligibility: Option<ErrorCode>,
    region: Option<validate::region::Region>,
}

/// One line of `okpay validate name`.
#[derive(Serialize)]
struct NameVerdict {
    input: String,
    ok: bool,
    codes: Vec<ErrorCode>,
    warnings: Vec<ErrorCode>,
    normalized: Option<String>,
}

/// The line of `okpay validate validity`.
#[derive(Serialize)]
struct ValidityVerdict {
    ok: bool,
    codes: Vec<ErrorCode>,
    warnings: Vec<ErrorCode>,
    birth: Option<Date>,
    kind: validate::IdKind,
    expected: Option<validate::validity::Term>,
    days_left: Option<i64>,
}

fn inputs(args: Vec<String>) -> Vec<String> {
    args.into_iter()
        .flat_map(|a| {
            if a == "-" {
                std::io::stdin()
                    .lock()
                    .lines()
                    .map_while(Result::ok)
                    .collect()
            } else {
                vec![a]
            }
        })
        .collect()
}

fn codes_text(codes: &[ErrorCode]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn validate(args: ValidateArgs, json: bool) -> Result<(), ApiError> {
    let all_ok = match args.what {
        What::Id {
            today,
            min_age,
            inputs: i,
        } => ids(inputs(i), today.get(), min_age, json),
        What::Name { inputs: i } => names(inputs(i), json),
        What::Validity {
            today,
            birth,
            id,
            start,
            end,
            long_term,
        } => validity(
            today.get(),
            birth,
            id,
            &start,
            end.as_deref(),
            long_term,
            json,
        )?,
    };
    if !all_ok {
        std::process::exit(1);
    }
    Ok(())
}

fn ids(list: Vec<String>, today: Date, min_age: u32, json: bool) -> bool {
    let policy = validate::Policy { min_age };
    let mut all_ok = true;
    for input in list {
        let r = validate::analyze(&input, today, &policy);
        all_ok &= r.is_valid();
        let v = IdVerdict {
            ok: r.is_valid(),
            normalized: r.is_valid().then(|| r.normalized.clone()),
            codes: r.errors,
            warnings: r.warnings,
            kind: r.kind,
            birth: r.birth,
            sex: r.sex,
            upgraded: r.upgraded,
            eligibility: r.eligibility,
            region: r.region,
            input,
        };
        emit(&v, json, || match &v.normalized {
            Some(n) => {
                let mut line = format!("ok       {n}");
                if let (Some(b), Some(s)) = (&v.birth, &v.sex) {
                    line.push_str(&format!("  born {b}  {s:?}").to_lowercase());
                }
                let notes: Vec<ErrorCode> =
                    v.warnings.iter().chain(&v.eligibility).copied().collect();
                if !notes.is_empty() {
                    line.push_str(&format!("  ({})", codes_text(&notes)));
                }
                if let Some(u) = &v.upgraded {
                    line.push_str(&format!("  did you mean {u}?"));
                }
                line
            }
            None => format!("invalid  {}  {}", codes_text(&v.codes), v.input),
        });
    }
    all_ok
}

fn names(list: Vec<String>, json: bool) -> bool {
    let mut all_ok = true;
    for input in list {
        let r = validate::name(&input);
        all_ok &= r.is_ok();
        let v = NameVerdict {
            ok: r.is_ok(),
            codes: r.as_ref().err().copied().into_iter().collect(),
            warnings: Vec::new(),
            normalized: r.ok(),
            input,
        };
        emit(&v, json, || match &v.normalized {
            Some(n) => format!("ok       {n}"),
            None => format!("invalid  {}  {}", codes_text(&v.codes), v.input),
        });
    }
    all_ok
}

fn validity(
    today: Date,
    birth: Option<Date>,
    id: Option<String>,
    start: &str,
    end: Option<&str>,
    long_term: bool,
    json: bool,
) -> Result<bool, ApiError> {
    let (birth, kind) = match (birth, id) {
        (Some(b), _) => (b, validate::IdKind::Resident),
        (None, Some(id)) => {
            let r = validate::analyze(&id, today, &validate::Policy::default());
            match (r.errors.first(), r.birth) {
                (None, Some(b)) => (b, r.kind.unwrap_or(validate::IdKind::Resident)),
                (e, _) => {
                    return Err(ApiError::new(
                        e.copied().unwrap_or(ErrorCode::IdBadBirthdate),
                    ));
                }
            }
        }
        (None, None) => return Err(ApiError::new(ErrorCode::BadRequest)),
    };
    let r = validate::validity::check_text(birth, Some(start), end, long_term, kind, today);
    let v = ValidityVerdict {
        ok: r.is_valid(),
        codes: r.errors,
        warnings: r.warnings,
        birth: Some(birth),
        kind,
        expected: r.expected,
        days_left: r.days_left,
    };
    emit(&v, json, || {
        let mut line = if v.ok {
            "ok      ".to_owned()
        } else {
            format!("invalid  {}", codes_text(&v.codes))
        };
        if !v.warnings.is_empty() {
            line.push_str(&format!("  ({})", codes_text(&v.warnings)));
        }
        if let Some(d) = v.days_left {
            line.push_str(&format!("  {d} days left"));
        }
        line
    });
    Ok(v.ok)
}
