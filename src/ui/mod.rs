//! Screens: kiosk, desk, board. They hold state, draw it, and hand every
//! database job to the worker thread.

pub mod board;
pub mod desk;
pub mod export;
pub mod kiosk;
pub mod kit;
pub mod lookup_words;
pub mod print_words;
pub mod report_view;
pub mod runtime;
pub mod terminal;
pub mod widgets;
pub mod words;
pub mod worker;
