//! ESC/POS: a printout as bytes (initialise, raster images, feed, cut)
//! and the real-time status requests (DLE EOT) with their answers. The
//! commands come from the `escpos` crate; the raster image is ours, since
//! its `graphics` feature would pull in the `image` crate with every codec
//! to turn our 1-bit lines back into the same 1-bit lines.

use super::raster::Bitmap;
use crate::domain::event::PrintFailure;
use escpos::driver::Driver;
use escpos::errors::PrinterError;
use escpos::printer::Printer;
use escpos::utils::{Protocol, RealTimeStatusRequest, RealTimeStatusResponse};
use std::cell::RefCell;
use std::rc::Rc;

/// Collects what the `escpos` printer would send, so the bytes can go
/// out through our own link with its deadlines.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "capture".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

fn captured(
    build: impl FnOnce(&mut Printer<Capture>) -> Result<(), PrinterError>,
) -> Result<Vec<u8>, PrinterError> {
    let capture = Capture::default();
    let mut printer = Printer::new(capture.clone(), Protocol::default(), None);
    build(&mut printer)?;
    printer.print()?;
    Ok(capture.0.take())
}

/// The tallest image sent in one command: some printers' buffers hold no
/// more, and a line of text is far lower.
pub const MAX_BAND: u32 = 256;

/// `GS v 0`: a raster image, 8 dots a byte, the most significant bit left.
pub fn raster(image: &Bitmap) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes_per_row = image.width().div_ceil(8);
    let mut y0 = 0;
    while y0 < image.height() {
        let rows = (image.height() - y0).min(MAX_BAND);
        out.extend_from_slice(&[
            0x1d,
            b'v',
            b'0',
            0,
            (bytes_per_row & 0xff) as u8,
            (bytes_per_row >> 8) as u8,
            (rows & 0xff) as u8,
            (rows >> 8) as u8,
        ]);
        for y in y0..y0 + rows {
            for bx in 0..bytes_per_row {
                let mut byte = 0u8;
                for bit in 0..8 {
                    if image.get(bx * 8 + bit, y) {
                        byte |= 0x80 >> bit;
                    }
                }
                out.push(byte);
            }
        }
        y0 += rows;
    }
    out
}

/// A whole printout: initialise, each line as its own image, feed past
/// the cutter, cut.
pub fn document(lines: &[Bitmap]) -> Vec<u8> {
    captured(|p| {
        p.init()?;
        for line in lines {
            p.custom(&raster(line))?;
        }
        p.feeds(4)?;
        p.partial_cut()?;
        Ok(())
    })
    .expect("commands into memory cannot fail")
}

/// The status requests asked before and after printing, in this order.
pub const REQUESTS: [RealTimeStatusRequest; 3] = [
    RealTimeStatusRequest::Printer,
    RealTimeStatusRequest::OfflineCause,
    RealTimeStatusRequest::RollPaperSensor,
];

/// `DLE EOT n` for one request.
pub fn status_request(request: RealTimeStatusRequest) -> Vec<u8> {
    captured(|p| {
        p.real_time_status(request)?;
        Ok(())
    })
    .expect("commands into memory cannot fail")
}

/// What the answers to `REQUESTS` say, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub printer: u8,
    pub offline_cause: u8,
    pub paper: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the printer's status answer makes no sense: {0}")]
pub struct BadAnswer(String);

impl Status {
    /// The trouble the answers show, if any. A printer out of paper usually
    /// also says it is offline: the cause is named, not the symptom.
    pub fn trouble(&self) -> Result<Option<PrintFailure>, BadAnswer> {
        use RealTimeStatusResponse as R;
        let parse = |req, byte| {
            RealTimeStatusResponse::parse(req, byte).map_err(|e| BadAnswer(e.to_string()))
        };
        let printer = parse(RealTimeStatusRequest::Printer, self.printer)?;
        let cause = parse(RealTimeStatusRequest::OfflineCause, self.offline_cause)?;
        let paper = parse(RealTimeStatusRequest::RollPaperSensor, self.paper)?;
        let flag = |m: &std::collections::HashMap<R, bool>, k| m.get(&k).copied().unwrap_or(false);
        if !flag(&paper, R::RollPaperEndSensorPaperPresent)
            || flag(&cause, R::PrintingStopsDueToPaperEnd)
        {
            return Ok(Some(PrintFailure::PaperOut));
        }
        if !flag(&cause, R::CoverClosed) {
            return Ok(Some(PrintFailure::CoverOpen));
        }
        if !flag(&printer, R::Online) || flag(&cause, R::ErrorOccurred) {
            return Ok(Some(PrintFailure::Offline));
        }
        Ok(None)
    }
}

/// Status bytes a printer would answer, for virtual printers in tests and
/// benches: the fixed bits of each answer (`0xx1xx10`) with the trouble's.
pub mod answers {
    use crate::domain::event::PrintFailure;

    pub const FINE: [u8; 3] = [0x12, 0x12, 0x12];

    /// The answers to DLE EOT 1, 2 and 4 of a printer in `trouble`.
    pub fn of(trouble: Option<PrintFailure>) -> [u8; 3] {
        match trouble {
            None => FINE,
            // offline (bit 3); paper end stop (bit 5); paper end (bits 5, 6)
            Some(PrintFailure::PaperOut) => [0x1a, 0x32, 0x72],
            // offline; cover open (bit 2)
            Some(PrintFailure::CoverOpen) => [0x1a, 0x16, 0x12],
            // offline; an error (bit 6)
            Some(_) => [0x1a, 0x52, 0x12],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_requests_are_dle_eot() {
        assert_eq!(
            status_request(RealTimeStatusRequest::Printer)[..3],
            [0x10, 0x04, 1]
        );
        assert_eq!(
            status_request(RealTimeStatusRequest::RollPaperSensor)[..3],
            [0x10, 0x04, 4]
        );
    }

    #[test]
    fn answers_are_read_as_their_trouble() {
        for t in [
            None,
            Some(PrintFailure::PaperOut),
            Some(PrintFailure::CoverOpen),
            Some(PrintFailure::Offline),
        ] {
            let [a, b, c] = answers::of(t);
            let s = Status {
                printer: a,
                offline_cause: b,
                paper: c,
            };
            assert_eq!(s.trouble(), Ok(t));
        }
        let nonsense = Status {
            printer: 0xff,
            offline_cause: 0x12,
            paper: 0x12,
        };
        assert!(nonsense.trouble().is_err());
    }

    #[test]
    fn raster_packs_eight_dots_a_byte() {
        let mut b = Bitmap::new(10, 2);
        b.set(0, 0);
        b.set(9, 1);
        let bytes = raster(&b);
        assert_eq!(&bytes[..8], &[0x1d, b'v', b'0', 0, 2, 0, 2, 0]);
        assert_eq!(&bytes[8..], &[0x80, 0, 0, 0x40]);
    }
}
