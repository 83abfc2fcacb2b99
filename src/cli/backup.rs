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
    #[arg(
        required_unless_present = "from_server",
        conflicts_with = "from_server"
    )]
    file: Option<PathBuf>,
    /// Rebuild this point's database on a new machine from the regional
    /// server's copy of its events and what the region decided for it.
    #[arg(long)]
    from_server: bool,
    /// With --from-server: the server (default: the config's [server] url).
    #[arg(long, value_name = "URL", requires = "from_server")]
    server: Option<String>,
    /// With --from-server: the point's token (default: the config's).
    #[arg(
        long,
        env = "QABYLDAU_SYNC_TOKEN",
        hide_env_values = true,
        requires = "from_server"
    )]
    token: Option<String>,
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
    let Some(file) = args.file.clone() else {
        return from_server(paths, &config, args);
    };
    let id = config.point.id.clone();
    let Checked { last_seq, .. } =
        backup::check(&file, &id).map_err(|e| anyhow::anyhow!("nothing was replaced: {e}"))?;
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
    std::fs::copy(&file, &part).with_context(|| format!("cannot write {}", part.display()))?;
    std::fs::rename(&part, &db)?;
    let mut store = Store::open(&db, &id)?;
    if let Some(aside) = &aside {
        // the keys of what the copy lacks, before it is taken back
        if let Err(e) = backup::carry_keys(&mut store, aside) {
            eprintln!(
                "the citizens' keys of the replaced database could not be carried over ({e}): appeals recorded after the copy will read as erased"
            );
        }
    }
    let made = backup::reapply(&mut store, &erasures)?;
    println!(
        "restored point {id} from {} (events 1..{last_seq})",
        file.display()
    );
    if let Some(aside) = &aside {
        println!("the database it replaced is kept as {}", aside.display());
    }
    if let Some(had) = had.filter(|h| *h > last_seq) {
        println!(
            "the copy is older: the replaced database had {} events more; {made} erasure(s) of a citizen among them were made again here, so nobody erased since comes back",
            had - last_seq
        );
    }
    drop(store);
    if let Some(link) = &config.server {
        // before a screen writes anything: what the copy lacks is at the
        // server, and taken back now, with no number used twice
        let cfg = crate::sync::SyncConfig::new(&link.url, &link.token, config.point.timezone);
        let taken = tokio::runtime::Runtime::new()?.block_on(async {
            let mut f = crate::sync::Forwarder::open(&db, &id, cfg).await?;
            let before = f.take_back().await?;
            f.reconcile().await?;
            Ok::<_, crate::sync::SyncError>(before)
        });
        match taken {
            Ok(n) => {
                println!(
                    "took back {n} events from the server that the copy lacked; numbering goes on after them"
                );
                if let Some(aside) = &aside {
                    let mut store = Store::open(&db, &id)?;
                    if let Err(e) = backup::carry_pins(&mut store, aside) {
                        eprintln!(
                            "the staff's PINs of the replaced database could not be carried over ({e}): `qabyldau staff set-pin LOGIN`"
                        );
                    }
                }
            }
            Err(e) => println!(
                "the server could not be asked for what the copy lacks ({}); the next sync takes it back, before that new tickets may take numbers the server already holds",
                crate::domain::text::sanitize_line(&e.to_string())
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `restore --from-server`: a new point's database made from the server's
/// copy of its log (docs/SYNC.md, "The region as the point's backup"),
/// built beside the place it goes and moved there only when complete.
fn from_server(paths: &Paths, config: &Config, args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let id = config.point.id.clone();
    let link = config.server.as_ref();
    let server = args
        .server
        .or_else(|| link.map(|l| l.url.clone()))
        .context("no server: give --server URL or set [server] url in the config")?;
    let token = args
        .token
        .or_else(|| link.map(|l| l.token.clone()))
        .context("no token: give --token or set [server] token in the config")?;
    let db = paths.db.clone();
    if db.exists() {
        bail!(
            "there is a database at {}: `restore --from-server` makes a new point's database and replaces none; move it away first (a database that only lacks the latest events takes them back at its next sync)",
            db.display()
        );
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot make the folder {}", dir.display()))?;
    }
    let part = PathBuf::from(format!("{}.restoring", db.display()));
    let with_ext = |p: &Path, ext: &str| PathBuf::from(format!("{}{ext}", p.display()));
    for ext in ["", "-wal", "-shm"] {
        // an earlier attempt that was stopped
        let _ = std::fs::remove_file(with_ext(&part, ext));
    }
    let cfg = crate::sync::SyncConfig::new(&server, &token, config.point.timezone);
    let started = std::time::Instant::now();
    let done = tokio::runtime::Runtime::new()?.block_on(async {
        let mut f = crate::sync::Forwarder::open(&part, &id, cfg).await?;
        let events = f.take_back().await?;
        let acked = f.reconcile().await?;
        let region = f.pull_region().await?;
        Ok::<_, crate::sync::SyncError>((events, acked, region))
    });
    let (events, acked, region) = match done {
        Ok(done) => done,
        Err(e) => {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(with_ext(&part, ext));
            }
            bail!(
                "nothing was made at {}: {}",
                db.display(),
                crate::domain::text::sanitize_line(&e.to_string())
            );
        }
    };
    // the forwarder's connection is closed: the file is whole on its own
    let store = Store::open(&part, &id)?;
    store.truncate_wal()?;
    drop(store);
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_ext(&part, ext));
    }
    std::fs::rename(&part, &db)
        .with_context(|| format!("cannot move {} to {}", part.display(), db.display()))?;
    println!(
        "rebuilt point {id} at {} from {} in {:.1} s: {events} events (the server holds 1..{acked}), {} decisions of the region applied since",
        db.display(),
        crate::domain::text::sanitize_line(&server),
        started.elapsed().as_secs_f64(),
        region.applied
    );
    println!(
        "not on this machine, since they never leave a point: the texts of the appeals and the citizens' names, IINs and phones recorded on the old one (their keys; they read as erased; a backup made with `qabyldau backup` keeps them), and the staff's PINs (`qabyldau staff set-pin LOGIN` gives each a new one); the appeals themselves, the queue and every figure are whole"
    );
    Ok(ExitCode::SUCCESS)
}

fn aside_name(db: &Path) -> PathBuf {
    PathBuf::from(format!(
        "{}.replaced-{}",
        db.display(),
        Utc::now().format("%Y%m%d-%H%M%S")
    ))
}
