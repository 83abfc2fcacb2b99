//! `qabyldau server staff | campaign | appeal`: the region's own staff, its
//! directives and its decisions on appeals, run at the server with its
//! `--db` / `--database-url` (docs/REGION.md). The rules are
//! `server::region`'s; this only reads the command line and says what
//! happened.

use crate::domain::text::sanitize_line;
use crate::domain::{AppealText, FullAppealNo, Outcome, PointId, ShortText};
use crate::server::region::{self, DecisionRequest};
use crate::server::storage::Storage;
use crate::server::storage::region::NewStaff;
use anyhow::Context as _;
use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Adds a member of the region's staff; the PIN is asked twice (or read
    /// from one line of standard input).
    Add {
        login: String,
        #[arg(long)]
        name: String,
        /// controller (decides on appeals), supervisor (reads) or admin
        #[arg(long)]
        role: crate::domain::staff::RegionRole,
        /// The region they work for ('*': every region).
        #[arg(long)]
        region: String,
    },
    /// Disables a login; what it did stays.
    Disable { login: String },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum AppealCommand {
    /// Decides on an appeal as the regional desk does: the point receives
    /// the decision at its next sync. The PIN is read from standard input.
    Decide {
        /// The point's id and the appeal's number (`akm-01 2026-00042`),
        /// or both in one (`akm-01/2026-00042`).
        #[arg(num_args = 1..=2, required = true, value_name = "POINT_ID APPEAL_NUMBER")]
        appeal: Vec<String>,
        #[arg(long)]
        outcome: Outcome,
        /// The answer given to the citizen.
        #[arg(long)]
        answer: Option<String>,
        /// The state body the appeal is redirected to (`--outcome redirected`).
        #[arg(long)]
        body: Option<String>,
        /// The regional staff login that decides.
        #[arg(long)]
        login: String,
    },
    /// Erases the personal data of the citizen who brought an appeal, at
    /// their request made at the region: the point erases them (all their
    /// appeals there) at its next sync; the appeals stay, anonymous, in
    /// every figure. The PIN of --login is asked (or read from stdin).
    EraseCitizen {
        /// The point's id and the appeal's number, as for `decide`.
        #[arg(num_args = 1..=2, required = true, value_name = "POINT_ID APPEAL_NUMBER")]
        appeal: Vec<String>,
        /// The appeals' texts too, when the citizen asks.
        #[arg(long)]
        texts: bool,
        /// The citizen's request: its number and date, or how they asked.
        #[arg(long)]
        reason: String,
        /// The regional staff login (a controller or admin).
        #[arg(long)]
        login: String,
    },
}

/// Reads `akm-01 2026-00042` or `akm-01/2026-00042`.
fn appeal_named(parts: &[String]) -> anyhow::Result<FullAppealNo> {
    let text = match parts {
        [one] => one.clone(),
        [point, number] => format!("{}/{}", point.trim(), number.trim()),
        _ => anyhow::bail!("name the appeal as POINT_ID NUMBER or POINT_ID/NUMBER"),
    };
    anyhow::ensure!(
        text.contains('/'),
        "name the point too: POINT_ID {text} or POINT_ID/{text} (every point numbers its appeals from 1)"
    );
    // the point part is checked by parse_at; `here` is never used with a '/'
    let here = PointId::parse("x").expect("a valid id");
    FullAppealNo::parse_at(&text, &here).map_err(anyhow::Error::msg)
}

pub async fn staff(storage: &dyn Storage, command: StaffCommand) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match command {
        StaffCommand::Add {
            login,
            name,
            role,
            region,
        } => {
            let login = crate::domain::staff::Login::parse(&login)?;
            let (name, region) = (sanitize_line(&name), sanitize_line(&region));
            anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
            anyhow::ensure!(
                !region.trim().is_empty(),
                "--region must name a region, or '*' for all"
            );
            let pin = super::pin_input::new_pin("PIN")?;
            let pin_hash = crate::domain::pin::hash(&pin)?;
            storage
                .add_staff(
                    NewStaff {
                        login: login.as_str().to_string(),
                        name: name.clone(),
                        role,
                        region: region.clone(),
                        pin_hash,
                    },
                    now,
                )
                .await?;
            println!(
                "{} ({name}) added: {} of the region {region}.",
                login.as_str(),
                role.as_str()
            );
        }
        StaffCommand::Disable { login } => {
            storage.disable_staff(login.clone(), now).await?;
            println!("{}: disabled.", sanitize_line(&login));
        }
        StaffCommand::List { json } => {
            let list = storage.list_staff().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for s in list {
                    println!(
                        "{:<24} {:<11} {:<24} {}{}",
                        sanitize_line(&s.login),
                        s.role,
                        sanitize_line(&s.region),
                        sanitize_line(&s.name),
                        if s.disabled_at.is_some() {
                            "  DISABLED"
                        } else {
                            ""
                        }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn campaign(
    storage: &dyn Storage,
    state: OnOff,
    region: Option<String>,
) -> anyhow::Result<ExitCode> {
    let on = state == OnOff::On;
    let region = region.map(|r| sanitize_line(&r));
    let reached = region::campaign(storage, on, region.clone(), Utc::now()).await?;
    let scope = region.map_or("every region".to_string(), |r| format!("the region {r}"));
    println!(
        "Campaign mode {} for {scope}: {} point(s) will apply it at their next sync.",
        if on { "on" } else { "off" },
        reached.len()
    );
    for p in reached {
        println!("  {p}");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn retention(
    storage: &dyn Storage,
    years: u32,
    region: Option<String>,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=75).contains(&years),
        "--years {years}: give 1 to 75 years"
    );
    let region = region.map(|r| sanitize_line(&r));
    let reached = region::retention(storage, years, region.clone(), Utc::now()).await?;
    let scope = region.map_or("every region".to_string(), |r| format!("the region {r}"));
    println!(
        "Personal data kept {years} year(s) after a citizen's last appeal closed, for {scope}: {} point(s) will apply it at their next sync.",
        reached.len()
    );
    for p in reached {
        println!("  {p}");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn appeal(storage: &dyn Storage, command: AppealCommand) -> anyhow::Result<ExitCode> {
    match command {
        AppealCommand::Decide {
            appeal,
            outcome,
            answer,
            body,
            login,
        } => {
            let appeal = appeal_named(&appeal)?;
            let answer = answer
                .map(|a| AppealText::parse(&a))
                .transpose()
                .context("--answer")?;
            let body = body
                .map(|b| ShortText::parse(&b))
                .transpose()
                .context("--body")?;
            let pin = super::pin_input::pin("PIN: ")?;
            let now = Utc::now();
            let staff = region::log_in(storage, &login, &pin, now).await?;
            let rseq = region::decide(
                storage,
                &staff,
                DecisionRequest {
                    appeal: appeal.clone(),
                    outcome,
                    body,
                    answer,
                },
                now,
            )
            .await?;
            println!(
                "{appeal}: {} by {} ({}). The point receives it as its region decision {rseq}.",
                outcome.as_str(),
                staff.login,
                sanitize_line(&staff.name)
            );
        }
        AppealCommand::EraseCitizen {
            appeal,
            texts,
            reason,
            login,
        } => {
            let appeal = appeal_named(&appeal)?;
            let reason = ShortText::parse(&reason).context("--reason")?;
            let pin = super::pin_input::pin("PIN: ")?;
            let now = Utc::now();
            let staff = region::log_in(storage, &login, &pin, now).await?;
            let rseq =
                region::erase_citizen(storage, &staff, appeal.clone(), texts, reason, now).await?;
            println!(
                "{appeal}: its citizen is to be erased, by {} ({}). The point erases them at its next sync (region decision {rseq}).",
                staff.login,
                sanitize_line(&staff.name)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
