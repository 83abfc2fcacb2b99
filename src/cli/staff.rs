//! `qabyldau staff add|list|disable`: the people who log in at the desks.

use super::Point;
use crate::app::staff;
use crate::domain::Actor;
use crate::domain::staff::Role;
use chrono::Utc;
use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct StaffArgs {
    #[command(subcommand)]
    command: StaffCommand,
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Adds a staff member. The PIN (4 to 8 digits) is asked twice on a
    /// terminal, or read as one line from standard input.
    Add {
        login: String,
        /// Full name, as shown at the desk.
        #[arg(long)]
        name: String,
        /// operator, supervisor or admin.
        #[arg(long, default_value = "operator")]
        role: Role,
    },
    /// Lists staff members.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Disables a login: it can no longer log in. Its history stays.
    Disable { login: String },
    /// Gives a login a new PIN (asked as for `add`) and lifts a lock: a
    /// forgotten PIN, or a point rebuilt with `restore --from-server`,
    /// where PINs never travel.
    SetPin { login: String },
}

pub fn run(point: &mut Point, args: StaffArgs) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match args.command {
        StaffCommand::Add { login, name, role } => {
            let pin = super::pin_input::new_pin("PIN")?;
            staff::add(
                &mut point.store,
                &Actor::system(),
                &login,
                &name,
                role,
                &pin,
                now,
            )?;
            println!("added {} ({})", login.trim().to_lowercase(), role.as_str());
        }
        StaffCommand::List { json } => {
            let rows = staff::list(&point.store)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in rows {
                    println!(
                        "{:<20} {:<11} {:<9} {}",
                        r.login,
                        r.role.as_str(),
                        if r.disabled { "disabled" } else { "active" },
                        crate::domain::sanitize_line(&r.name)
                    );
                }
            }
        }
        StaffCommand::SetPin { login } => {
            let pin = super::pin_input::new_pin("PIN")?;
            staff::set_pin(&mut point.store, &login, &pin, now)?;
            println!("{}: new PIN set", login.trim().to_lowercase());
        }
        StaffCommand::Disable { login } => {
            staff::disable(&mut point.store, &Actor::system(), &login, now)?;
            println!("disabled {}", login.trim().to_lowercase());
        }
    }
    Ok(ExitCode::SUCCESS)
}
