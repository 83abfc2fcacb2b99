//! A field file: the sync carried on a USB stick when a point has no
//! network (docs/SYNC.md, "By hand"). One file carries one direction: a
//! point's events up to the region (`sync --export`, `server import`), or
//! the region's decisions for one point down to it (`server export-for`,
//! `sync --import`). What it carries is exactly what the API carries, and
//! the receiver applies it by exactly the API's rules.
//!
//! The file is JSON Lines, UTF-8:
//!
//! ```text
//! {"format":"qabyldau-field-file","version":1,"carries":"point_events",…}   the header
//! {…}                                                                      one event (or decision) a line
//! {"seal":"<64 hex digits>"}                                               the end
//! ```
//!
//! **The seal is a keyed digest chain** over the lines as written:
//! `c₀ = HMAC(k, header)`, `cᵢ = HMAC(k, cᵢ₋₁ ‖ lineᵢ)`, the seal is the
//! last. Any byte changed, a line lost or added, a file cut short (no seal
//! line) or two files spliced: the chain does not come out, and the file is
//! refused whole, before anything of it is applied. The key `k` is the
//! SHA-256 of the point's token, which the point has (its config) and the
//! server keeps (it stores tokens only so): a file cannot be altered, or
//! made for a point, by someone holding the stick but not the token.

use crate::domain::PointId;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Write};

pub const FORMAT: &str = "qabyldau-field-file";
pub const VERSION: u32 = 1;

/// What a field file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carries {
    /// A point's events (`domain::event::EventRecord`), in `seq` order: what
    /// `POST /api/v1/events` takes.
    PointEvents,
    /// The region's decisions for one point (`domain::event::FromRegion`),
    /// in `rseq` order: what `GET /api/v1/region-events` answers.
    RegionDecisions,
}

impl std::fmt::Display for Carries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Carries::PointEvents => "a point's events for the region",
            Carries::RegionDecisions => "the region's decisions for a point",
        })
    }
}

/// The first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub carries: Carries,
    pub point_id: PointId,
    pub made_at: DateTime<Utc>,
    /// Lines between the header and the seal.
    pub count: u64,
    /// The first and last `seq` (or `rseq`) carried; none in an empty file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u64>,
    /// As in a push: the point's own last `seq` and its time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

impl Header {
    pub fn new(carries: Carries, point_id: PointId, made_at: DateTime<Utc>) -> Header {
        Header {
            format: FORMAT.to_string(),
            version: VERSION,
            carries,
            point_id,
            made_at,
            count: 0,
            first: None,
            last: None,
            head: None,
            timezone: None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealLine {
    seal: String,
}

/// The key a point's files are sealed with: the SHA-256 of its token, as
/// 64 hex digits (what the server keeps of a token).
#[derive(Clone)]
pub struct SealKey(String);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

impl SealKey {
    /// At the point, from its token.
    pub fn of_token(token: &str) -> SealKey {
        SealKey(token_digest(token))
    }

    /// At the server, from the digest it keeps of the point's token.
    pub fn of_token_digest(digest: &str) -> SealKey {
        SealKey(digest.to_string())
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_bytes()).expect("any key length")
    }
}

/// The SHA-256 of a token, hex: how the server keeps (and looks up) a
/// token, and the key of the point's field files.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FieldFileError {
    #[error("this is not a qabyldau field file (its first line is not a field file's header)")]
    NotAFieldFile,
    #[error("this field file is of version {0}; this program reads version {VERSION}: update it")]
    UnknownVersion(u32),
    #[error("the field file is cut short (it has no seal at its end): copy it again")]
    Truncated,
    #[error(
        "the field file is damaged or was changed after it was written (its seal does not match), \
         or it was sealed with another token of the point; nothing of it was applied"
    )]
    Damaged,
    #[error(
        "the field file holds {found} lines where its header says {said}; nothing of it was applied"
    )]
    Miscounted { said: u64, found: u64 },
    #[error("line {line} of the field file is not JSON: {message}")]
    Line { line: usize, message: String },
    #[error("cannot read the field file: {0}")]
    Read(String),
}

/// Writes a field file line by line, so a point's whole history is never
/// held in memory: the header first, then each item, then `finish` writes
/// the seal. The header's `count` must be the number of items written
/// (`finish` refuses otherwise, and the caller drops the part file).
pub struct Sealer<W: Write> {
    out: W,
    key: SealKey,
    chain: [u8; 32],
    said: u64,
    written: u64,
}

impl<W: Write> Sealer<W> {
    pub fn start(mut out: W, header: &Header, key: &SealKey) -> std::io::Result<Sealer<W>> {
        let line = serde_json::to_vec(header).expect("a header serialises");
        let chain = link(key, None, &line);
        out.write_all(&line)?;
        out.write_all(b"\n")?;
        Ok(Sealer {
            out,
            key: key.clone(),
            chain,
            said: header.count,
            written: 0,
        })
    }

    pub fn line(&mut self, item: &impl Serialize) -> std::io::Result<()> {
        let line = serde_json::to_vec(item).map_err(std::io::Error::other)?;
        self.chain = link(&self.key, Some(&self.chain), &line);
        self.out.write_all(&line)?;
        self.out.write_all(b"\n")?;
        self.written += 1;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        if self.written != self.said {
            return Err(std::io::Error::other(format!(
                "{} lines written where the header says {}",
                self.written, self.said
            )));
        }
        let seal = SealLine {
            seal: hex::encode(self.chain),
        };
        self.out
            .write_all(&serde_json::to_vec(&seal).expect("a seal serialises"))?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A whole field file in memory (small files, and tests).
pub fn encode(mut header: Header, items: &[serde_json::Value], key: &SealKey) -> Vec<u8> {
    header.count = items.len() as u64;
    let mut sealer = Sealer::start(Vec::new(), &header, key).expect("a Vec takes every write");
    for item in items {
        sealer.line(item).expect("a Vec takes every write");
    }
    sealer.finish().expect("the count is right")
}

/// Reads the header alone, unchecked: which point's key to check it with.
pub fn peek(input: impl BufRead) -> Result<Header, FieldFileError> {
    let mut lines = Lines(input);
    let first = lines.next_line()?.ok_or(FieldFileError::NotAFieldFile)?;
    header_of(&first)
}

fn header_of(line: &[u8]) -> Result<Header, FieldFileError> {
    let header: Header = serde_json::from_slice(line).map_err(|_| FieldFileError::NotAFieldFile)?;
    if header.format != FORMAT {
        return Err(FieldFileError::NotAFieldFile);
    }
    if header.version != VERSION {
        return Err(FieldFileError::UnknownVersion(header.version));
    }
    Ok(header)
}

/// The first pass over a file: the whole chain checked against the seal,
/// and the count against the header, reading one line at a time. Nothing
/// of a file is to be applied before this passes.
pub fn verify(input: impl BufRead, key: &SealKey) -> Result<Header, FieldFileError> {
    let mut lines = Lines(input);
    let first = lines.next_line()?.ok_or(FieldFileError::NotAFieldFile)?;
    let header = header_of(&first)?;
    let mut chain = link(key, None, &first);
    let mut previous: Option<Vec<u8>> = None;
    let mut found = 0u64;
    while let Some(line) = lines.next_line()? {
        if let Some(item) = previous.replace(line) {
            chain = link(key, Some(&chain), &item);
            found += 1;
        }
    }
    // the last line is the seal; a file without one was cut short
    let seal: SealLine = previous
        .as_deref()
        .and_then(|l| serde_json::from_slice(l).ok())
        .ok_or(FieldFileError::Truncated)?;
    let expected = hex::decode(&seal.seal).map_err(|_| FieldFileError::Damaged)?;
    // compared in constant time: the seal is a MAC
    if !constant_time_eq(&expected, &chain) {
        return Err(FieldFileError::Damaged);
    }
    if found != header.count {
        return Err(FieldFileError::Miscounted {
            said: header.count,
            found,
        });
    }
    Ok(header)
}

/// The second pass: the items of a file `verify` passed, one at a time.
pub fn items(
    input: impl BufRead,
    header: &Header,
) -> impl Iterator<Item = Result<serde_json::Value, FieldFileError>> {
    let mut lines = Lines(input);
    let mut skipped_header = false;
    let mut line_no = 1usize;
    let count = header.count;
    let mut read = 0u64;
    std::iter::from_fn(move || {
        if !skipped_header {
            skipped_header = true;
            if let Err(e) = lines.next_line() {
                return Some(Err(e));
            }
        }
        if read == count {
            return None;
        }
        read += 1;
        line_no += 1;
        Some(match lines.next_line() {
            Ok(Some(line)) => serde_json::from_slice(&line).map_err(|e| FieldFileError::Line {
                line: line_no,
                message: e.to_string(),
            }),
            Ok(None) => Err(FieldFileError::Truncated),
            Err(e) => Err(e),
        })
    })
}

/// A whole field file in memory, checked, then read.
pub fn decode(
    bytes: &[u8],
    key: &SealKey,
) -> Result<(Header, Vec<serde_json::Value>), FieldFileError> {
    let header = verify(bytes, key)?;
    let items = items(bytes, &header).collect::<Result<Vec<_>, _>>()?;
    Ok((header, items))
}

/// Lines without their `\n`, as bytes: the seal is over the bytes as
/// written, never over a text decoding of them.
struct Lines<R>(R);

impl<R: BufRead> Lines<R> {
    fn next_line(&mut self) -> Result<Option<Vec<u8>>, FieldFileError> {
        let mut line = Vec::new();
        let n = self
            .0
            .read_until(b'\n', &mut line)
            .map_err(|e| FieldFileError::Read(e.to_string()))?;
        if n == 0 {
            return Ok(None);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        Ok(Some(line))
    }
}

fn link(key: &SealKey, before: Option<&[u8; 32]>, line: &[u8]) -> [u8; 32] {
    let mut mac = key.mac();
    match before {
        Some(c) => mac.update(c),
        // the first link names the format, so no other HMAC of the key
        // over the same bytes could pass for a field file's
        None => mac.update(b"qabyldau-field-file v1\n"),
    }
    mac.update(line);
    mac.finalize().into_bytes().into()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> (Vec<u8>, SealKey) {
        let key = SealKey::of_token("qbl_test");
        let mut header = Header::new(
            Carries::PointEvents,
            PointId::parse("p1").unwrap(),
            Utc::now(),
        );
        header.first = Some(1);
        header.last = Some(2);
        let items = [json!({"seq": 1, "text": "Әлия"}), json!({"seq": 2})];
        (encode(header, &items, &key), key)
    }

    #[test]
    fn a_file_reads_back_as_written() {
        let (bytes, key) = file();
        let (header, items) = decode(&bytes, &key).unwrap();
        assert_eq!(header.count, 2);
        assert_eq!(items[0]["text"], "Әлия");
        assert_eq!(peek(&bytes[..]).unwrap(), header);
        // the server's key, from the digest it keeps, is the same key
        let server = SealKey::of_token_digest(&token_digest("qbl_test"));
        assert!(decode(&bytes, &server).is_ok());
    }

    #[test]
    fn any_byte_changed_refuses_the_whole_file() {
        let (bytes, key) = file();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            assert!(decode(&bad, &key).is_err(), "byte {i} changed was taken");
        }
    }

    #[test]
    fn a_cut_file_another_key_or_a_spliced_file_is_refused() {
        let (bytes, key) = file();
        let cut = &bytes[..bytes.len() - 20];
        assert_eq!(decode(cut, &key), Err(FieldFileError::Truncated));
        let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        let no_seal = [lines[0], lines[1], lines[2]].join(&b'\n');
        assert_eq!(decode(&no_seal, &key), Err(FieldFileError::Truncated));
        let dropped = [lines[0], lines[1], lines[3]].join(&b'\n');
        assert_eq!(decode(&dropped, &key), Err(FieldFileError::Damaged));
        assert_eq!(
            decode(&bytes, &SealKey::of_token("qbl_other")),
            Err(FieldFileError::Damaged)
        );
        assert_eq!(
            decode(b"PK\x03\x04 a zip", &key),
            Err(FieldFileError::NotAFieldFile)
        );
        let newer =
            String::from_utf8(bytes.clone())
                .unwrap()
                .replacen("\"version\":1", "\"version\":2", 1);
        assert_eq!(
            decode(newer.as_bytes(), &key),
            Err(FieldFileError::UnknownVersion(2))
        );
    }
}
