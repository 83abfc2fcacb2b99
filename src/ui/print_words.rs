//! Printer trouble in words, the same on the kiosk, the desk and the board.

use crate::domain::Lang;
use crate::domain::event::PrintFailure;
use crate::tr;

pub fn failure(lang: Lang, reason: PrintFailure) -> String {
    match reason {
        PrintFailure::PaperOut => tr!(lang, "print-failure-paper-out"),
        PrintFailure::CoverOpen => tr!(lang, "print-failure-cover-open"),
        PrintFailure::Offline => tr!(lang, "print-failure-offline"),
        PrintFailure::NoDevice => tr!(lang, "print-failure-no-device"),
        PrintFailure::Timeout => tr!(lang, "print-failure-timeout"),
        PrintFailure::Failed => tr!(lang, "print-failure-failed"),
    }
}
