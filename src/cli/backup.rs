//! `qabyldau backup --to DIR` and `qabyldau restore FILE`: copies of the
//! point's database made while the screens run, checked, the last few
//! kept; a restore that checks before it replaces anything, keeps what it
//! replaced, and makes again every erasure of a citizen recorded since the
//! copy was made.

use super::Paths;
use crate::config::Config;
use crate::store::Store;
use crate::store::backup::{self, Checked};
use anyhow::{Context as _, bail};
use chrono::Utc;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The folder the copies go to (made if missing).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// How many of this point's copies to keep there; older ones go.
    #[arg(long, default_value_t = 7)]
    keep: usize,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A copy made by `qabyldau backup`. Stop the point's screens first.
    file: PathBuf,
}

fn prefix(point: &str) -> String {
    format!("qabyldau-{point}-")
}

pub fn backup(point: &mut super::Point, args: BackupArgs) -> anyhow::Result<ExitCode> {
    let id = point.ctx.point_id().clone();
    std::fs::create_dir_all(&args.to)
        .with_context(|| format!("cannot make the folder {}", args.to.display()))?;
    let name = format!(
        "{}{}.db",
        prefix(id.as_str()),
        Utc::now().format("%Y%m%d-%H%M%S%.3f")
    );
    let part = args.to.join(format!(".{name}.part"));
    let _ = std::fs::remove_file(&part);
    backup::copy_to(&point.store, &part)
        .with_context(|| format!("cannot write the copy in {}", args.to.display()))?;
    let checked = match backup::check(&part, &id) {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            bail!("the copy did not pass its check, nothing was kept: {e}");
        }
    };
    let file = args.to.join(&name);
    std::fs::rename(&part, &file)?;
    let mut ours: Vec<PathBuf> = std::fs::read_dir(&args.to)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix(id.as_str())) && n.ends_with(".db"))
        })
        .collect();
    ours.sort();
    let gone = ours.len().saturating_sub(args.keep.max(1));
    for old in &ours[..gone] {
        std::fs::remove_file(old).with_context(|| format!("removing {}", old.display()))?;
    }
    println!(
        "copied point {id} (events 1..{}) to {}; checked; {} older copies removed",
        checked.last_seq,
        file.display(),
        gone
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(paths: &Paths, args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(&paths.config, paths.config_is_default)?;
    let id = config.point.id.clone();
    let Checked { last_seq, .. } =
        backup::check(&args.file, &id).map_err(|e| anyhow::anyhow!("nothing was replaced: {e}"))?;
    let db = paths.db.clone();
    // what was erased since the copy: read before anything moves
    let (erasures, had) = if db.exists() {
        let had = Store::open_read_only(&db, &id)
            .ok()
            .and_then(|s| crate::store::events::last_seq(s.conn()).ok());
        let erasures = backup::erasures_after(&db, last_seq).unwrap_or_else(|e| {
            eprintln!("the database being replaced could not be read for erasures: {e}");
            Vec::new()
        });
        (erasures, had)
    } else {
        (Vec::new(), None)
    };
    let aside = if db.exists() {
        let aside = aside_name(&db);
        for ext in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{ext}", db.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}{ext}", aside.display()))
                    .with_context(|| format!("cannot move {} aside", from.display()))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    let part = PathBuf::from(format!("{}.restoring", db.display()));
    std::fs::copy(&args.file, &part).with_context(|| format!("cannot write {}", part.display()))?;
    std::fs::rename(&part, &db)?;
    let mut store = Store::open(&db, &id)?;
    let made = backup::reapply(&mut store, &erasures)?;
    println!(
        "restored point {id} from {} (events 1..{last_seq})",
        args.file.display()
    );
    if let Some(aside) = aside {
        println!("the database it replaced is kept as {}", aside.display());
    }
    if let Some(had) = had.filter(|h| *h > last_seq) {
        println!(
            "the copy is older: the replaced database had {} events more; {made} erasure(s) of a citizen among them were made again here, so nobody erased since comes back; the server holds those events (the next sync says it is ahead)",
            had - last_seq
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn aside_name(db: &Path) -> PathBuf {
    PathBuf::from(format!(
        "{}.replaced-{}",
        db.display(),
        Utc::now().format("%Y%m%d-%H%M%S")
    ))
}
