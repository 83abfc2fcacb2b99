//! Field files at the command line (docs/SYNC.md, "By hand"): the point's
//! `sync --export` / `sync --import`, the region's `server import` /
//! `server export-for`. The rules are in `sync::field_file` and
//! `server::field_file`; here the files are read and written.

use super::Point;
use crate::domain::text::sanitize_line;
use crate::server::storage::Storage;
use anyhow::Context as _;
use chrono::Utc;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write as _};
use std::path::Path;
use std::process::ExitCode;

/// Writes the file whole or not at all: into a part file beside it,
/// flushed to the stick, then renamed; a stick pulled out meanwhile leaves
/// no half file under the name.
fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(BufWriter<File>) -> anyhow::Result<(BufWriter<File>, T)>,
) -> anyhow::Result<T> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let mut part_name = name.to_os_string();
    part_name.push(".part");
    let part = path.with_file_name(part_name);
    let done = (|| -> anyhow::Result<T> {
        let file = File::create(&part)?;
        let (out, done) = write(BufWriter::new(file))?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&part, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // the rename itself reaches the disk
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(done)
    })();
    done.map_err(|e| {
        let _ = std::fs::remove_file(&part);
        anyhow::anyhow!("cannot write {}: {e:#}", path.display())
    })
}

fn opener(path: &Path) -> impl Fn() -> std::io::Result<BufReader<File>> + '_ {
    move || File::open(path).map(BufReader::new)
}

/// `sync --export FILE [--all]`.
pub fn export(point: &Point, token: &str, file: &Path, all: bool) -> anyhow::Result<ExitCode> {
    let done = write_atomically(file, |out| {
        Ok(crate::sync::field_file::export(
            &point.store,
            point.ctx.point_id(),
            token,
            point.ctx.tz(),
            all,
            Utc::now(),
            out,
        )?)
    })?;
    let range = match (done.first, done.last) {
        (Some(a), Some(b)) => format!("events {a}–{b}"),
        _ => "no events".to_string(),
    };
    println!(
        "wrote {} ({range}, {} events) for the region; the server holds events up to {} as far as this point knows",
        file.display(),
        done.events,
        done.acked_through
    );
    Ok(ExitCode::SUCCESS)
}

/// `sync --import FILE`.
pub fn import(mut point: Point, token: &str, file: &Path) -> anyhow::Result<ExitCode> {
    // the region's decisions for one point: small, read whole
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let id = point.ctx.point_id().clone();
    match crate::sync::field_file::import(&mut point.store, &bytes, &id, token, Utc::now()) {
        Ok(done) => {
            println!("{}", super::region_applied(&done));
            Ok(ExitCode::SUCCESS)
        }
        Err(crate::sync::field_file::FieldError::Store(e)) => Err(e.into()),
        Err(e) => {
            eprintln!(
                "qabyldau sync: {}: {}",
                file.display(),
                sanitize_line(&e.to_string())
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// `server import FILE`.
pub async fn server_import(
    storage: &dyn Storage,
    file: &Path,
    json: bool,
) -> anyhow::Result<ExitCode> {
    File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    match crate::server::field_file::import(storage, opener(file), Utc::now()).await {
        Ok(done) => {
            if json {
                println!("{}", serde_json::to_string(&done)?);
            } else {
                println!(
                    "point {}: {} events in the file, {} stored now, {} held already; the server holds its events up to {}",
                    done.point, done.events, done.stored, done.duplicates, done.acked_through
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(crate::server::field_file::FieldImportError::Storage(e)) => Err(e.into()),
        Err(e) => {
            eprintln!(
                "qabyldau server import: {}: {}",
                file.display(),
                sanitize_line(&e.to_string())
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// `server export-for POINT FILE [--after N]`.
pub async fn server_export_for(
    storage: &dyn Storage,
    point: &crate::domain::PointId,
    file: &Path,
    after: u64,
) -> anyhow::Result<ExitCode> {
    let (bytes, done) =
        crate::server::field_file::export_for(storage, point, after, Utc::now()).await?;
    write_atomically(file, |mut out| {
        out.write_all(&bytes)?;
        Ok((out, ()))
    })?;
    let range = match (done.first, done.last) {
        (Some(a), Some(b)) => format!("decisions {a}–{b}"),
        _ => "no decisions".to_string(),
    };
    println!(
        "wrote {} for point {} ({range}, {} bytes): `qabyldau sync --import` at the point applies it",
        file.display(),
        done.point,
        bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}
