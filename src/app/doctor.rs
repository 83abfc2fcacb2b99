//! `qabyldau doctor`: what is wrong with this point, in plain words. Each
//! check gives one finding (ok, a warning, or a problem, with what was
//! seen); nothing is changed. The server's check needs the network, which
//! this layer does not have: the caller asks the server (`sync::api`) and
//! gives `clock` and `server` what it saw.

use crate::config::PrinterConfig;
use crate::domain::PointId;
use crate::store::{Store, backup, sync_state};
use chrono::TimeDelta;
use serde::Serialize;
use std::path::Path;

/// Less free space than this at the database's folder: a problem (the
/// point stops recording soon: a day of a busy point is megabytes, a
/// backup the size of the database).
pub const DISK_PROBLEM_BYTES: u64 = 200 * 1024 * 1024;
/// Less than this: a warning.
pub const DISK_WARNING_BYTES: u64 = 1024 * 1024 * 1024;

/// A point's clock this far from the server's: a warning.
pub const CLOCK_WARNING: TimeDelta = TimeDelta::seconds(30);
/// This far: a problem. Tickets are numbered by the day and deadlines
/// counted in working days from the point's clock; minutes off and a
/// ticket taken at midnight lands in the wrong day.
pub const CLOCK_PROBLEM: TimeDelta = TimeDelta::seconds(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Config,
    Database,
    Disk,
    Log,
    Sync,
    Server,
    Clock,
    Printer,
}

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Check::Config => "config",
            Check::Database => "database",
            Check::Disk => "disk",
            Check::Log => "log folder",
            Check::Sync => "sync",
            Check::Server => "server",
            Check::Clock => "clock",
            Check::Printer => "printer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    Warning,
    Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: Check,
    pub verdict: Verdict,
    /// What was seen, one line.
    pub detail: String,
}

impl Finding {
    pub fn ok(check: Check, detail: impl Into<String>) -> Finding {
        Finding {
            check,
            verdict: Verdict::Ok,
            detail: detail.into(),
        }
    }

    pub fn warning(check: Check, detail: impl Into<String>) -> Finding {
        Finding {
            check,
            verdict: Verdict::Warning,
            detail: detail.into(),
        }
    }

    pub fn problem(check: Check, detail: impl Into<String>) -> Finding {
        Finding {
            check,
            verdict: Verdict::Problem,
            detail: detail.into(),
        }
    }
}

/// The database file: opens, passes SQLite's integrity check, is this
/// point's, of a schema this program knows.
pub fn database(path: &Path, point: &PointId) -> Finding {
    if !path.exists() {
        return Finding::problem(
            Check::Database,
            format!(
                "there is no database at {} (a new point makes it with --create)",
                path.display()
            ),
        );
    }
    match backup::check(path, point) {
        Ok(checked) => Finding::ok(
            Check::Database,
            format!(
                "{}: integrity ok, point {point}, schema {}, {} events",
                path.display(),
                checked.schema,
                checked.last_seq
            ),
        ),
        Err(e) => Finding::problem(Check::Database, e.to_string()),
    }
}

/// Free space where the database is.
pub fn disk(folder: &Path) -> Finding {
    match free_bytes(folder) {
        Ok(free) => disk_verdict(folder, free),
        Err(e) => Finding::warning(
            Check::Disk,
            format!("cannot tell the free space at {}: {e}", folder.display()),
        ),
    }
}

pub fn disk_verdict(folder: &Path, free: u64) -> Finding {
    let said = format!("{} free at {}", mib(free), folder.display());
    if free < DISK_PROBLEM_BYTES {
        Finding::problem(
            Check::Disk,
            format!(
                "only {said}: the point will soon stop recording; free space, or move the database"
            ),
        )
    } else if free < DISK_WARNING_BYTES {
        Finding::warning(Check::Disk, format!("only {said}"))
    } else {
        Finding::ok(Check::Disk, said)
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

#[cfg(unix)]
fn free_bytes(folder: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes())?;
    // SAFETY: `path` is a NUL-terminated string that outlives the call, and
    // `stat` is a plain struct statvfs fills in.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    #[allow(clippy::unnecessary_cast)] // the fields' widths differ by platform
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

#[cfg(not(unix))]
fn free_bytes(_folder: &Path) -> std::io::Result<u64> {
    Err(std::io::Error::other("not known on this system"))
}

/// The log folder can be written (without it the point runs, but nothing
/// is left to find out afterwards what happened).
pub fn log_folder(dir: &Path) -> Finding {
    if !dir.is_dir() {
        return Finding::warning(
            Check::Log,
            format!(
                "{} does not exist (a screen makes it when it can)",
                dir.display()
            ),
        );
    }
    let probe = dir.join(format!(".doctor-{}", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe);
    let _ = std::fs::remove_file(&probe);
    match written {
        Ok(_) => Finding::ok(Check::Log, format!("{} can be written", dir.display())),
        Err(e) => Finding::problem(
            Check::Log,
            format!(
                "{} cannot be written ({e}): the screens keep no log",
                dir.display()
            ),
        ),
    }
}

/// What the point's own sync state says: an alarm, a last error, how much
/// waits. `configured`: whether the config names a server.
pub fn sync(store: &Store, configured: bool) -> Finding {
    let st = match sync_state::get(store.conn()) {
        Ok(st) => st,
        Err(e) => return Finding::problem(Check::Sync, format!("cannot read the sync state: {e}")),
    };
    if let Some(alarm) = &st.alarm {
        return Finding::problem(
            Check::Sync,
            format!(
                "alarm: {} (a supervisor looks, then `qabyldau sync --clear-alarm`)",
                crate::domain::text::sanitize_line(&alarm.to_string())
            ),
        );
    }
    if !configured {
        return Finding::ok(
            Check::Sync,
            format!(
                "no server configured; {} events kept here only",
                st.last_seq
            ),
        );
    }
    let said = format!(
        "{} of {} events held by the server, {} pending",
        st.acked_seq, st.last_seq, st.pending
    );
    match (&st.last_error, st.last_error_at, st.last_success_at) {
        (Some(err), Some(at), success) if success.is_none_or(|s| s < at) => Finding::warning(
            Check::Sync,
            format!(
                "{said}; the last attempt failed: {}",
                crate::domain::text::sanitize_line(err)
            ),
        ),
        _ => Finding::ok(Check::Sync, said),
    }
}

/// The point's clock against the server's (`skew`: the server's time less
/// the point's, as measured).
pub fn clock(skew: TimeDelta) -> Finding {
    let secs = skew.num_seconds();
    let said = match secs {
        0 => "the point's clock agrees with the server's".to_string(),
        s if s > 0 => format!("the point's clock is {s} s behind the server's"),
        s => format!("the point's clock is {} s ahead of the server's", -s),
    };
    if skew.abs() >= CLOCK_PROBLEM {
        Finding::problem(
            Check::Clock,
            format!(
                "{said}: the day's ticket numbers and the deadlines go wrong; set the time (NTP: timedatectl set-ntp true)"
            ),
        )
    } else if skew.abs() >= CLOCK_WARNING {
        Finding::warning(Check::Clock, said)
    } else {
        Finding::ok(Check::Clock, said)
    }
}

/// The printer answers where the config says it is.
pub fn printer(config: &PrinterConfig) -> Finding {
    let url = match config.address() {
        Ok(url) => url,
        Err(e) => return Finding::problem(Check::Printer, e),
    };
    match crate::print::transport::Link::open(&url, &crate::print::Timeouts::default()) {
        Ok(_) => Finding::ok(Check::Printer, format!("{} answers", config.url)),
        Err(e) => Finding::problem(
            Check::Printer,
            format!(
                "{}: {e}; receipts are not printed (the screens say so)",
                config.url
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_minutes_off_is_a_problem_seconds_off_is_not() {
        assert_eq!(clock(TimeDelta::seconds(3)).verdict, Verdict::Ok);
        assert_eq!(clock(TimeDelta::seconds(-45)).verdict, Verdict::Warning);
        let off = clock(TimeDelta::minutes(-7));
        assert_eq!(off.verdict, Verdict::Problem);
        assert!(off.detail.contains("420 s ahead"), "{}", off.detail);
        assert!(clock(TimeDelta::minutes(3)).detail.contains("180 s behind"));
    }

    #[test]
    fn little_free_space_is_said_with_the_folder() {
        let at = Path::new("/var/lib/qabyldau");
        let low = disk_verdict(at, 50 * 1024 * 1024);
        assert_eq!(low.verdict, Verdict::Problem);
        assert!(low.detail.contains("50 MiB free at /var/lib/qabyldau"));
        assert_eq!(
            disk_verdict(at, 500 * 1024 * 1024).verdict,
            Verdict::Warning
        );
        assert_eq!(disk_verdict(at, 5 << 30).verdict, Verdict::Ok);
        // the real call reads this machine's free space
        assert!(free_bytes(Path::new(".")).unwrap() > 0);
    }

    #[test]
    fn a_damaged_or_other_points_database_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("point.db");
        let p1 = PointId::parse("p1").unwrap();
        drop(Store::open(&db, &p1).unwrap());
        assert_eq!(database(&db, &p1).verdict, Verdict::Ok);
        let other = database(&db, &PointId::parse("p2").unwrap());
        assert_eq!(other.verdict, Verdict::Problem);
        assert!(other.detail.contains("point \"p1\""), "{}", other.detail);
        std::fs::write(&db, b"not a database at all, just bytes").unwrap();
        assert_eq!(database(&db, &p1).verdict, Verdict::Problem);
        assert_eq!(
            database(&dir.path().join("none.db"), &p1).verdict,
            Verdict::Problem
        );
    }
}
