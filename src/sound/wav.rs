//! WAV in and out: any PCM clip read into one format (16 kHz, mono,
//! 16-bit), and an announcement written as one WAV stream for a player's
//! standard input.

use std::io::Cursor;

/// The one format every clip is turned into and every call is played in.
pub const SAMPLE_RATE: u32 = 16_000;

/// A clip's samples at `SAMPLE_RATE`, mono.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pcm(pub Vec<i16>);

impl Pcm {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn millis(&self) -> u64 {
        self.0.len() as u64 * 1000 / u64::from(SAMPLE_RATE)
    }
}

/// Reads a WAV file of integer or float PCM, any rate and channel count:
/// the channels are mixed, the rate is converted, and at most `max_secs`
/// are kept.
pub fn decode(bytes: &[u8], max_secs: u32) -> Result<Pcm, String> {
    let mut reader = hound::WavReader::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels);
    if channels == 0 || spec.sample_rate == 0 {
        return Err("no channels or no sample rate".into());
    }
    let limit = max_secs as usize * spec.sample_rate as usize * channels;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .take(limit)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
        hound::SampleFormat::Int => {
            let scale = 2f32.powi(i32::from(spec.bits_per_sample) - 1);
            reader
                .samples::<i32>()
                .take(limit)
                .map(|s| s.map(|s| s as f32 / scale))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())?
        }
    };
    let mono: Vec<f32> = samples
        .chunks(channels)
        .map(|frame| frame.iter().sum::<f32>() / frame.len() as f32)
        .collect();
    let resampled = resample(&mono, spec.sample_rate, SAMPLE_RATE);
    Ok(Pcm(resampled
        .into_iter()
        .map(|s| (s * 32_768.0).round().clamp(-32_768.0, 32_767.0) as i16)
        .collect()))
}

/// Linear interpolation: enough for speech recorded at 44.1 or 48 kHz and
/// played in a hall.
fn resample(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || input.is_empty() {
        return input.to_vec();
    }
    let out_len = (input.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    let step = f64::from(from) / f64::from(to);
    (0..out_len)
        .map(|i| {
            let pos = i as f64 * step;
            let at = pos.floor() as usize;
            let frac = (pos - at as f64) as f32;
            let a = input[at.min(input.len() - 1)];
            let b = input[(at + 1).min(input.len() - 1)];
            a + (b - a) * frac
        })
        .collect()
}

/// Writes 16 kHz mono 16-bit samples as a WAV stream.
pub fn encode(pcm: &Pcm) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::with_capacity(44 + pcm.len() * 2));
    {
        let mut writer = hound::WavWriter::new(&mut out, spec).expect("a WAV header fits in a Vec");
        let mut samples = writer.get_i16_writer(pcm.len() as u32);
        for s in &pcm.0 {
            samples.write_sample(*s);
        }
        samples.flush().expect("the samples counted fit");
        writer.finalize().expect("writing to a Vec does not fail");
    }
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_of(spec: hound::WavSpec, frames: usize, value: impl Fn(usize) -> f32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
        for i in 0..frames {
            for _ in 0..spec.channels {
                match spec.sample_format {
                    hound::SampleFormat::Float => w.write_sample(value(i)).unwrap(),
                    hound::SampleFormat::Int => w
                        .write_sample((value(i) * f32::from(i16::MAX)) as i16)
                        .unwrap(),
                }
            }
        }
        w.finalize().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_stereo_44k_recording_becomes_16k_mono_of_the_same_length() {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        // one second of a half-loud constant
        let pcm = decode(&wav_of(spec, 44_100, |_| 0.5), 5).unwrap();
        assert_eq!(pcm.len(), 16_000);
        assert!(pcm.0.iter().all(|s| (*s - 16_383).abs() <= 1), "level kept");
    }

    #[test]
    fn float_recordings_are_read_and_long_ones_cut() {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let pcm = decode(&wav_of(spec, 16_000 * 7, |i| (i % 2) as f32), 5).unwrap();
        assert_eq!(pcm.millis(), 5_000);
    }

    #[test]
    fn not_a_wav_is_an_error_not_a_panic() {
        assert!(decode(b"RIFF\x10\x00\x00\x00WAVEjunk", 5).is_err());
        assert!(decode(b"", 5).is_err());
        assert!(decode(&[0xff; 100], 5).is_err());
    }

    #[test]
    fn encode_then_decode_is_the_same_samples() {
        let pcm = Pcm((0..1000).map(|i| (i * 31 % 2000 - 1000) as i16).collect());
        assert_eq!(decode(&encode(&pcm), 5).unwrap(), pcm);
    }
}
