//! Where the clips come from: an office's own recordings in `[board]
//! sounds_dir` first, then the ones built into the binary (made by
//! `assets/sounds/make-clips.sh`).
//!
//! A clip is looked up by name each time a call is spoken, so a recording
//! dropped into the folder is used from the next call on; one that cannot
//! be read is reported and the built-in clip is used instead.

use super::wav::{self, Pcm};
use std::path::{Path, PathBuf};

/// Clips an office may record are at most this long; a longer file
/// (a whole phrase recorded by mistake) is cut, so a call never holds the
/// hall for minutes.
pub const MAX_CLIP_SECS: u32 = 5;

/// A WAV file larger than this is not read at all.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    #[error("no clip named {0:?}")]
    Missing(String),
    #[error("clip {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
}

/// Where a clip was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Office(PathBuf),
    BuiltIn,
}

/// The clips of spoken calls.
#[derive(Debug, Clone, Default)]
pub struct Clips {
    /// The office's folder: `<dir>/kk/desk.wav` replaces the built-in `kk/desk`.
    dir: Option<PathBuf>,
}

/// A clip ready to be joined to others, and where it came from; `warning`
/// says why an office's file was passed over.
#[derive(Debug)]
pub struct Found {
    pub pcm: Pcm,
    pub source: Source,
    pub warning: Option<ClipError>,
}

impl Clips {
    pub fn new(dir: Option<PathBuf>) -> Clips {
        Clips { dir }
    }

    /// The built-in clips only.
    pub fn built_in() -> Clips {
        Clips { dir: None }
    }

    pub fn get(&self, name: &str) -> Result<Found, ClipError> {
        let mut warning = None;
        if let Some(dir) = &self.dir {
            let path = dir.join(format!("{name}.wav"));
            if path.is_file() {
                match read_file(&path) {
                    Ok(pcm) => {
                        return Ok(Found {
                            pcm,
                            source: Source::Office(path),
                            warning: None,
                        });
                    }
                    Err(e) => warning = Some(e),
                }
            }
        }
        let bytes = built_in(name).ok_or_else(|| ClipError::Missing(name.to_string()))?;
        let pcm = wav::decode(bytes, MAX_CLIP_SECS).map_err(|reason| ClipError::Unreadable {
            path: PathBuf::from(format!("(built-in) {name}.wav")),
            reason,
        })?;
        Ok(Found {
            pcm,
            source: Source::BuiltIn,
            warning,
        })
    }
}

fn read_file(path: &Path) -> Result<Pcm, ClipError> {
    let unreadable = |reason: String| ClipError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(unreadable(format!(
            "{size} bytes: more than {MAX_FILE_BYTES}, not a short word"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    wav::decode(&bytes, MAX_CLIP_SECS).map_err(unreadable)
}

/// The built-in clip of that name.
pub fn built_in(name: &str) -> Option<&'static [u8]> {
    built_in_clips()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

/// Every built-in clip's name.
pub fn built_in_names() -> impl Iterator<Item = &'static str> {
    built_in_clips().map(|(n, _)| *n)
}

macro_rules! clips_of {
    ($lang:literal, [$($name:literal),* $(,)?]) => {
        [$((
            concat!($lang, "/", $name),
            include_bytes!(concat!("../../assets/sounds/", $lang, "/", $name, ".wav")) as &[u8],
        )),*]
    };
}

/// The letters' clips of one language, in `words::LETTERS` order (a test
/// checks the two lists agree).
macro_rules! letters_of {
    ($lang:literal) => {
        clips_of!(
            $lang,
            [
                "letter_a",
                "letter_ae",
                "letter_b",
                "letter_v",
                "letter_g",
                "letter_gh",
                "letter_d",
                "letter_e",
                "letter_yo",
                "letter_zh",
                "letter_z",
                "letter_i",
                "letter_y",
                "letter_k",
                "letter_q",
                "letter_l",
                "letter_m",
                "letter_n",
                "letter_ng",
                "letter_o",
                "letter_oe",
                "letter_p",
                "letter_r",
                "letter_s",
                "letter_t",
                "letter_u",
                "letter_uu",
                "letter_ue",
                "letter_f",
                "letter_kh",
                "letter_h",
                "letter_ts",
                "letter_ch",
                "letter_sh",
                "letter_shch",
                "letter_yi",
                "letter_ii",
                "letter_eh",
                "letter_yu",
                "letter_ya",
            ]
        )
    };
}

/// Every built-in clip, by name.
static BUILT_IN_GROUPS: &[&[(&str, &[u8])]] = &[
    &[(
        "chime",
        include_bytes!("../../assets/sounds/chime.wav") as &[u8],
    )],
    &clips_of!(
        "kk",
        [
            "ticket", "desk", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "20", "30",
            "40", "50", "60", "70", "80", "90", "100", "1000",
        ]
    ),
    &letters_of!("kk"),
    &clips_of!(
        "ru",
        [
            "ticket",
            "desk",
            "0",
            "1",
            "2",
            "2f",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
            "10",
            "11",
            "12",
            "13",
            "14",
            "15",
            "16",
            "17",
            "18",
            "19",
            "20",
            "30",
            "40",
            "50",
            "60",
            "70",
            "80",
            "90",
            "100",
            "200",
            "300",
            "400",
            "500",
            "600",
            "700",
            "800",
            "900",
            "1000",
            "1000_few",
            "1000_many",
        ]
    ),
    &letters_of!("ru"),
    &clips_of!(
        "en",
        [
            "ticket", "desk", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
            "13", "14", "15", "16", "17", "18", "19", "20", "30", "40", "50", "60", "70", "80",
            "90", "hundred", "thousand",
        ]
    ),
    &letters_of!("en"),
];

fn built_in_clips() -> impl Iterator<Item = &'static (&'static str, &'static [u8])> {
    BUILT_IN_GROUPS.iter().flat_map(|g| g.iter())
}
