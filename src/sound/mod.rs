//! Spoken calls: the board says each call aloud in the hall's languages,
//! from short clips, offline.
//!
//! - `words`: what a call says, as clip names (a pure function);
//! - `clips`: where a clip comes from (the office's folder, or built in);
//! - `wav`: clips read into one format and joined into one WAV stream;
//! - `player`: a player program found at run time plays it, on a thread of
//!   its own, calls queued.
//!
//! No terminal and no database here: the board hands calls to a `Speaker`.
//! Nothing is linked for sound at build time; without a player or a sound
//! device the board logs it once and goes on silently.

pub mod clips;
pub mod join;
pub mod player;
pub mod wav;
pub mod words;

pub use clips::Clips;
pub use player::{Announcer, Speaker};
pub use words::SpokenCall;

use crate::domain::Lang;
use std::path::PathBuf;

/// How the board speaks, from `[board]` in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeechSettings {
    pub langs: Vec<Lang>,
    pub sounds_dir: Option<PathBuf>,
    pub player: Vec<String>,
}

/// Why the board is silent although spoken calls are on.
#[derive(Debug, thiserror::Error)]
pub enum NoSpeech {
    #[error(
        "no player program found: install one of pw-play, paplay, aplay (alsa-utils) or sox, or name one in [board] sound_player"
    )]
    NoPlayer,
    #[error("the player named in [board] sound_player ({0}) is not an executable program")]
    ConfiguredPlayerMissing(String),
}

/// Starts the announcer with a player found on `PATH`.
pub fn start(settings: &SpeechSettings) -> Result<Announcer, NoSpeech> {
    let players = player::find_players(&settings.player, std::env::var_os("PATH"));
    if players.is_empty() {
        return Err(match settings.player.first() {
            Some(p) => NoSpeech::ConfiguredPlayerMissing(p.clone()),
            None => NoSpeech::NoPlayer,
        });
    }
    tracing::info!(
        players = ?players.iter().map(|p| p.program.display().to_string()).collect::<Vec<_>>(),
        "spoken calls: on"
    );
    Ok(Announcer::start(
        settings.langs.clone(),
        Clips::new(settings.sounds_dir.clone()),
        Box::new(player::Players::new(players)),
    ))
}

#[cfg(test)]
mod tests {
    use super::clips::{self, Source};
    use super::words::{self, Pause, Piece, SpokenCall};
    use super::*;
    use crate::domain::TicketNo;

    /// Samples of a built-in clip, read by hound straight from the file in
    /// `assets/`, not through our decoder.
    fn samples_in_asset(name: &str) -> usize {
        let path = format!("{}/assets/sounds/{name}.wav", env!("CARGO_MANIFEST_DIR"));
        let reader = hound::WavReader::open(&path).unwrap();
        let spec = reader.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 16_000, 16),
            "{path}"
        );
        reader.duration() as usize
    }

    #[test]
    fn the_sound_of_a_call_is_a_valid_wav_of_the_expected_length() {
        let call = SpokenCall {
            ticket: TicketNo::new('Ж', 117),
            desk: 3,
        };
        let langs = [Lang::Kk, Lang::Ru, Lang::En];
        let pieces = words::announcement(call, &langs);
        let made = join::assemble(&pieces, &Clips::built_in());
        assert!(made.problems.is_empty(), "{:?}", made.problems);
        let bytes = made.wav();

        // what a player reads: a WAV header and exactly the samples it announces
        let mut reader = hound::WavReader::new(std::io::Cursor::new(&bytes)).unwrap();
        let spec = reader.spec();
        assert_eq!(spec.channels, 1);
        assert_eq!(spec.sample_rate, 16_000);
        assert_eq!(spec.bits_per_sample, 16);
        assert_eq!(spec.sample_format, hound::SampleFormat::Int);
        let declared = reader.duration() as usize;
        let read = reader
            .samples::<i16>()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .len();
        assert_eq!(read, declared);
        assert_eq!(bytes.len(), 44 + 2 * declared, "nothing after the samples");

        // expected: every clip's own length in assets/ plus every pause
        let expected: usize = pieces
            .iter()
            .map(|p| match p {
                Piece::Clip(name) => samples_in_asset(name),
                Piece::Pause(p) => p.millis() as usize * 16,
            })
            .sum();
        assert_eq!(declared, expected);
        let secs = declared as f64 / 16_000.0;
        assert!((6.0..20.0).contains(&secs), "three sentences: {secs} s");

        // sound where the clips are, silence in the long pause between languages
        let samples: Vec<i16> = hound::WavReader::new(std::io::Cursor::new(&bytes))
            .unwrap()
            .samples::<i16>()
            .map(|s| s.unwrap())
            .collect();
        let chime = samples_in_asset("chime");
        assert!(samples[..chime].iter().any(|s| s.unsigned_abs() > 8_000));
        let mut at = 0;
        for p in &pieces {
            let n = match p {
                Piece::Clip(name) => samples_in_asset(name),
                Piece::Pause(p) => p.millis() as usize * 16,
            };
            if *p == Piece::Pause(Pause::Language) {
                assert!(samples[at..at + n].iter().all(|s| *s == 0));
            }
            at += n;
        }
    }

    #[test]
    fn every_clip_a_call_can_ask_for_is_built_in_and_nothing_else_is() {
        let mut asked = std::collections::BTreeSet::new();
        asked.insert(words::CHIME.to_string());
        for lang in Lang::ALL {
            let code = lang.code();
            for n in (0..=9_999).chain([10_000, 4_294_967_295]) {
                for w in words::number(n, lang) {
                    asked.insert(format!("{code}/{w}"));
                }
            }
            for (c, _) in words::LETTERS {
                asked.insert(format!("{code}/{}", words::letter_clip(c).unwrap()));
            }
            asked.insert(format!("{code}/ticket"));
            asked.insert(format!("{code}/desk"));
        }
        let built: std::collections::BTreeSet<String> =
            clips::built_in_names().map(String::from).collect();
        assert_eq!(asked, built);
        // and the files in assets/ are exactly those
        let mut files = std::collections::BTreeSet::new();
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/sounds");
        for entry in walk(&root) {
            if entry.extension().is_some_and(|e| e == "wav") {
                let name = entry.strip_prefix(&root).unwrap().with_extension("");
                files.insert(name.to_str().unwrap().to_string());
            }
        }
        assert_eq!(files, built);
        for name in &built {
            let found = Clips::built_in().get(name).unwrap();
            let ms = found.pcm.millis();
            assert!((250..=1_500).contains(&ms), "{name}: {ms} ms");
        }
    }

    fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn an_office_recording_replaces_a_built_in_clip_and_a_broken_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("kk")).unwrap();
        let mine = wav::Pcm(vec![1_000; 8_000]);
        std::fs::write(dir.path().join("kk/desk.wav"), wav::encode(&mine)).unwrap();
        std::fs::write(dir.path().join("kk/ticket.wav"), b"not a wav").unwrap();
        let clips = Clips::new(Some(dir.path().to_path_buf()));
        let desk = clips.get("kk/desk").unwrap();
        assert_eq!(desk.pcm, mine);
        assert!(matches!(desk.source, Source::Office(_)));
        let ticket = clips.get("kk/ticket").unwrap();
        assert_eq!(ticket.source, Source::BuiltIn);
        assert!(ticket.warning.is_some(), "the broken file is reported");
        assert_eq!(clips.get("ru/desk").unwrap().source, Source::BuiltIn);
        assert!(clips.get("kk/nonesuch").is_err());
    }
}
