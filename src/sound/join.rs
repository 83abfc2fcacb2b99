//! A call made into one stream: the clips of its pieces joined, with
//! silence for the pauses. Apart from `wav`, so that reading a clip
//! (`clips`, which decodes with `wav`) and joining clips do not import
//! each other.

use super::clips::{ClipError, Clips};
use super::wav::{Pcm, SAMPLE_RATE, encode};
use super::words::Piece;

/// Samples faded in and out at each clip's ends, so that joined clips do
/// not click.
const FADE_SAMPLES: usize = (SAMPLE_RATE / 250) as usize; // 4 ms

/// An announcement made into one stream.
#[derive(Debug)]
pub struct Assembled {
    pub pcm: Pcm,
    /// Clips that could not be had: left out, the rest is still said.
    pub problems: Vec<ClipError>,
}

impl Assembled {
    pub fn wav(&self) -> Vec<u8> {
        encode(&self.pcm)
    }
}

/// Joins the pieces: each clip's samples, and silence for each pause.
pub fn assemble(pieces: &[Piece], clips: &Clips) -> Assembled {
    let mut out: Vec<i16> = Vec::new();
    let mut problems = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Pause(p) => {
                let n = p.millis() as usize * SAMPLE_RATE as usize / 1000;
                out.extend(std::iter::repeat_n(0, n));
            }
            Piece::Clip(name) => match clips.get(name) {
                Ok(found) => {
                    problems.extend(found.warning);
                    let start = out.len();
                    out.extend_from_slice(&found.pcm.0);
                    fade(&mut out[start..]);
                }
                Err(e) => problems.push(e),
            },
        }
    }
    Assembled {
        pcm: Pcm(out),
        problems,
    }
}

fn fade(samples: &mut [i16]) {
    let n = FADE_SAMPLES.min(samples.len() / 2);
    let len = samples.len();
    for i in 0..n {
        let gain = i as f32 / n as f32;
        samples[i] = (f32::from(samples[i]) * gain) as i16;
        samples[len - 1 - i] = (f32::from(samples[len - 1 - i]) * gain) as i16;
    }
}
