//! Printed tickets and receipts on ESC/POS thermal printers (58 and 80 mm),
//! reached as a device file or over raw TCP. Depends on `domain` and the
//! text (`i18n`) only; the use cases (`app::print`) gather what a document
//! says and record what became of it, the screens hand documents to a
//! `Spooler`, whose thread is the only one that ever waits on a printer.
//!
//! A print job: lay out and draw every line (`layout`, `raster`), open the
//! link (`transport`), ask the status (`DLE EOT`, `commands`), send the
//! images, cut, ask the status again. Any trouble on the way is a
//! `PrintFailure` with its reason, never a panic and never a hang.

pub mod commands;
pub mod document;
pub mod layout;
pub mod raster;
pub mod transport;

pub use document::{AcceptedBy, Document, Receipt, TicketSlip};
pub use layout::PaperWidth;
pub use transport::{PrinterUrl, Timeouts};

use crate::domain::event::{DocumentRef, PrintFailure};
use raster::Bitmap;
use std::sync::mpsc;
use std::time::Instant;
use transport::{Link, LinkError};

/// A printer as configured: where, how wide, with which logo.
#[derive(Debug, Clone)]
pub struct Printer {
    pub url: PrinterUrl,
    pub width: PaperWidth,
    pub logo: Option<Bitmap>,
    /// Ask the printer's status before and after (`DLE EOT`). Off only for
    /// a printer that cannot answer: then paper out goes unnoticed.
    pub status: bool,
    pub timeouts: Timeouts,
}

/// Why a job did not print, for the event and for the technician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub reason: PrintFailure,
    pub detail: String,
}

/// What became of one print job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReport {
    pub document: DocumentRef,
    /// The printer's address as configured, for the event.
    pub printer: String,
    pub result: Result<(), Failure>,
    pub reprint: bool,
    pub timing: Timing,
}

/// Moments of a job, for the benches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub started: Instant,
    pub first_byte: Option<Instant>,
    pub last_byte: Option<Instant>,
}

impl From<LinkError> for Failure {
    fn from(e: LinkError) -> Failure {
        let reason = match e {
            LinkError::NoDevice(_) => PrintFailure::NoDevice,
            LinkError::Timeout => PrintFailure::Timeout,
            LinkError::Broken(_) => PrintFailure::Failed,
        };
        Failure {
            reason,
            detail: e.to_string(),
        }
    }
}

impl Printer {
    /// The images of `doc` as this printer prints them.
    pub fn lines(&self, doc: &Document) -> Vec<Bitmap> {
        layout::render(&layout::blocks(doc), self.width.dots(), self.logo.as_ref())
    }

    /// Prints `doc` and says how it went. Blocks for as long as the
    /// printer takes (bounded by the timeouts): call it off the screen's
    /// thread.
    pub fn print(&self, doc: &Document, reprint: bool) -> PrintReport {
        let started = Instant::now();
        let mut timing = Timing {
            started,
            first_byte: None,
            last_byte: None,
        };
        let bytes = commands::document(&self.lines(doc));
        let result = self.send(&bytes, &mut timing);
        if let Err(f) = &result {
            tracing::warn!(printer = %self.url, reason = f.reason.as_str(), detail = %f.detail, "not printed");
        }
        PrintReport {
            document: doc.reference(),
            printer: self.url.to_string(),
            result,
            reprint,
            timing,
        }
    }

    fn send(&self, bytes: &[u8], timing: &mut Timing) -> Result<(), Failure> {
        let mut link = Link::open(&self.url, &self.timeouts)?;
        if self.status {
            self.check(&mut link)?;
        }
        let deadline = Instant::now() + self.timeouts.send;
        link.send(bytes, deadline, &mut timing.first_byte)?;
        timing.last_byte = Some(Instant::now());
        if self.status {
            // paper that ran out half way, a cover opened while printing
            self.check(&mut link)?;
        }
        Ok(())
    }

    /// Asks the three statuses; trouble is a failure.
    fn check(&self, link: &mut Link) -> Result<(), Failure> {
        let mut answers = [0u8; 3];
        for (i, request) in commands::REQUESTS.iter().enumerate() {
            let mut first = None;
            link.send(
                &commands::status_request(*request),
                Instant::now() + self.timeouts.status,
                &mut first,
            )?;
            answers[i] = link.read_byte(self.timeouts.status)?.ok_or(Failure {
                reason: PrintFailure::Timeout,
                detail: "no answer to a status request (DLE EOT); if this printer cannot answer, set status = false in [printer]".into(),
            })?;
        }
        let status = commands::Status {
            printer: answers[0],
            offline_cause: answers[1],
            paper: answers[2],
        };
        match status.trouble() {
            Ok(None) => Ok(()),
            Ok(Some(reason)) => Err(Failure {
                reason,
                detail: format!(
                    "status {:02x} {:02x} {:02x}",
                    answers[0], answers[1], answers[2]
                ),
            }),
            Err(e) => Err(Failure {
                reason: PrintFailure::Failed,
                detail: e.to_string(),
            }),
        }
    }
}

type Job = (Document, bool);

/// The print thread: takes documents one at a time, prints each, and
/// hands the report to `deliver` (the screen's feed, or a test's
/// channel). Submitting never waits.
pub struct Spooler {
    jobs: mpsc::Sender<Job>,
    url: String,
}

impl Spooler {
    pub fn start(printer: Printer, deliver: impl Fn(PrintReport) + Send + 'static) -> Spooler {
        let (jobs, rx) = mpsc::channel::<Job>();
        let url = printer.url.to_string();
        std::thread::Builder::new()
            .name("print".into())
            .spawn(move || {
                for (doc, reprint) in rx {
                    deliver(printer.print(&doc, reprint));
                }
            })
            .expect("a thread can be started");
        Spooler { jobs, url }
    }

    /// Queues `doc`; its report comes through `deliver`.
    pub fn submit(&self, doc: Document, reprint: bool) {
        if self.jobs.send((doc, reprint)).is_err() {
            tracing::error!("the print thread has stopped");
        }
    }

    pub fn printer(&self) -> &str {
        &self.url
    }
}
