//! `qabyldau citizen erase`: a citizen's personal data erased at their
//! request, as a supervisor does it at the desk (scripts, admins, tests).

use super::Point;
use crate::app::citizen::{self, Whom};
use crate::domain::{AppealNo, Iin, Phone, ShortText};
use anyhow::{Context as _, anyhow};
use chrono::Utc;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CitizenArgs {
    #[command(subcommand)]
    command: CitizenCommand,
}

#[derive(Debug, Subcommand)]
enum CitizenCommand {
    /// Erases a citizen's personal data (name, IIN, phone, settlement,
    /// workplace) from every appeal of theirs; the appeals stay, anonymous,
    /// in every figure. The PIN of --login is asked (or read as one line
    /// from standard input). The erasure is an event naming who and why.
    Erase {
        /// The citizen's IIN (12 digits).
        #[arg(long, group = "whom", required = true)]
        iin: Option<String>,
        /// The citizen's phone, in any form the kiosk accepts.
        #[arg(long, group = "whom")]
        phone: Option<String>,
        /// The citizen who brought this appeal (a number as "2026-00042").
        #[arg(long, group = "whom")]
        appeal: Option<String>,
        /// Every citizen all of whose appeals were closed more than
        /// `[retention] years` ago (no login: the rule, not a choice).
        #[arg(long, group = "whom", conflicts_with_all = ["texts", "login", "reason"])]
        expired: bool,
        /// The appeals' texts too, when the citizen asks.
        #[arg(long)]
        texts: bool,
        /// The supervisor or administrator erasing.
        #[arg(long, required_unless_present = "expired")]
        login: Option<String>,
        /// The citizen's request: its number and date, or how they asked.
        #[arg(long, required_unless_present = "expired")]
        reason: Option<String>,
    },
    /// Lists who looked at a citizen's personal data: the appeals' cards
    /// opened at the desk, and exports with personal data that held one of
    /// their appeals. A supervisor's --login (the PIN is asked).
    Looked {
        #[arg(long, group = "whom_looked", required = true)]
        iin: Option<String>,
        #[arg(long, group = "whom_looked")]
        phone: Option<String>,
        #[arg(long, group = "whom_looked")]
        appeal: Option<String>,
        #[arg(long)]
        login: String,
        #[arg(long)]
        json: bool,
    },
}

fn whom(
    iin: Option<String>,
    phone: Option<String>,
    appeal: Option<String>,
) -> anyhow::Result<Whom> {
    Ok(match (iin, phone, appeal) {
        (Some(i), _, _) => Whom::Iin(Iin::parse(&i).map_err(|e| anyhow!("--iin: {e}"))?),
        (_, Some(p), _) => Whom::Phone(Phone::parse(&p).map_err(|e| anyhow!("--phone: {e}"))?),
        (_, _, Some(n)) => Whom::Appeal(
            n.parse::<AppealNo>()
                .map_err(|e| anyhow!("--appeal: {e}"))?,
        ),
        (None, None, None) => anyhow::bail!("name the citizen: --iin, --phone or --appeal"),
    })
}

pub fn run(point: &mut Point, args: CitizenArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        CitizenCommand::Erase { expired: true, .. } => {
            let years = point.ctx.retention_years(&point.store)?;
            let n = citizen::erase_expired(&mut point.store, years, Utc::now())
                .context("nothing was erased")?;
            println!(
                "erased for age the citizen of {n} appeal(s) closed more than {years} year(s) ago"
            );
        }
        CitizenCommand::Erase {
            iin,
            phone,
            appeal,
            texts,
            login,
            reason,
            ..
        } => {
            let (login, reason) = (
                login.expect("clap requires --login"),
                reason.expect("clap requires --reason"),
            );
            let whom = whom(iin, phone, appeal)?;
            let reason = ShortText::parse(&reason).map_err(|e| anyhow!("--reason: {e}"))?;
            let pin = super::pin_input::pin("PIN: ")?;
            let done = citizen::erase(
                &mut point.store,
                &login,
                &pin,
                &whom,
                texts,
                reason,
                Utc::now(),
            )
            .context("nothing was erased")?;
            println!(
                "erased the citizen of {} appeal(s){}",
                done.citizens,
                if texts {
                    format!(", and {} text(s)", done.texts)
                } else {
                    String::new()
                }
            );
            if !done.wal_truncated {
                println!(
                    "another program holds the database open: the old pages leave the -wal file at its next checkpoint"
                );
            }
        }
        CitizenCommand::Looked {
            iin,
            phone,
            appeal,
            login,
            json,
        } => {
            let whom = whom(iin, phone, appeal)?;
            let pin = super::pin_input::pin("PIN: ")?;
            let rows = citizen::looked(
                &mut point.store,
                &point.ctx,
                &login,
                &pin,
                &whom,
                Utc::now(),
            )
            .context("cannot list who looked")?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(ExitCode::SUCCESS);
            }
            if rows.is_empty() {
                println!("nobody has looked at this citizen's data");
            }
            let tz = point.ctx.tz();
            for r in rows {
                let who = |login: &str, name: &Option<String>| match name {
                    Some(n) => format!("{} ({login})", crate::domain::sanitize_line(n)),
                    None => login.to_string(),
                };
                match r {
                    citizen::Looked::Card {
                        at,
                        login,
                        name,
                        appeal,
                    } => println!(
                        "{}  {}  opened the card of {appeal}",
                        at.with_timezone(&tz).format("%d.%m.%Y %H:%M"),
                        who(&login, &name)
                    ),
                    citizen::Looked::Export {
                        at,
                        login,
                        name,
                        from,
                        to,
                        format,
                    } => println!(
                        "{}  {}  exported personal data ({format}, {} to {})",
                        at.with_timezone(&tz).format("%d.%m.%Y %H:%M"),
                        who(&login, &name),
                        from.format("%d.%m.%Y"),
                        to.format("%d.%m.%Y")
                    ),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
