//! Reprinting at the desk: a queue ticket chosen in the line, or an
//! appeal's receipt from its detail. What the paper says is read back from
//! the tables (a job), the paper goes to the print thread, and what became
//! of it is an event written by the operator who asked (by the system when
//! the operator has logged out meanwhile).

use super::{Env, Msg, Note, text};
use crate::app::AppResult;
use crate::domain::Actor;
use crate::domain::event::DocumentRef;
use crate::print::{Document, PrintReport};
use crate::ui::worker::Jobs;
use std::sync::Arc;

/// Sends `doc` again to the point's printer.
pub fn send(doc: DocumentRef, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    if env.printer.is_none() {
        return Some(Note::error(env.t("desk-print-none")));
    }
    let (ctx, now) = (Arc::clone(&env.ctx), env.now());
    jobs.run(
        move |store| crate::app::print::document(store, &ctx, doc, now),
        Msg::Reprint,
    );
    Some(Note::info(env.t(words(doc).sent)))
}

/// What to print was read: to the print thread.
pub fn on_document(r: AppResult<Document>, env: &Env) -> Option<Note> {
    match (r, &env.printer) {
        (Ok(doc), Some(p)) => {
            p.submit(doc, true);
            None
        }
        (Ok(_), None) => Some(Note::error(env.t("desk-print-none"))),
        (Err(e), _) => Some(Note::error(text::error(env.lang, &e))),
    }
}

/// A reprint ended: its event is written, by `actor`.
pub fn on_printed(actor: Actor, report: PrintReport, env: &Env, jobs: &mut Jobs<'_, Msg>) {
    let at = env.now();
    jobs.run(
        move |store| {
            let r = crate::app::print::record(store, &actor, &report, at);
            (report, r)
        },
        |(report, r)| Msg::PrintRecorded(report, r),
    );
}

/// The reprint's event is written: say how the paper went.
pub fn on_recorded(report: &PrintReport, r: AppResult<u64>, env: &Env) -> Option<Note> {
    if let Err(e) = r {
        return Some(Note::error(text::error(env.lang, &e)));
    }
    let words = words(report.document);
    Some(match &report.result {
        Ok(()) => Note::info(env.t(words.done)),
        Err(f) => Note::error(crate::tr!(
            env.lang,
            words.failed,
            reason = crate::ui::print_words::failure(env.lang, f.reason)
        )),
    })
}

/// The messages of a reprint, by what is reprinted: a queue ticket and a
/// receipt are different papers in every language.
struct Words {
    sent: &'static str,
    done: &'static str,
    failed: &'static str,
}

fn words(doc: DocumentRef) -> Words {
    match doc {
        DocumentRef::Ticket(_) => Words {
            sent: "desk-ticket-reprint-sent",
            done: "desk-ticket-reprinted",
            failed: "desk-ticket-reprint-failed",
        },
        DocumentRef::Receipt(_) => Words {
            sent: "desk-reprint-sent",
            done: "desk-reprinted",
            failed: "desk-reprint-failed",
        },
    }
}
