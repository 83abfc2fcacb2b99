//! qabyldau: the software of a public reception office.
//!
//! Layers, bottom up: `domain` → `protocol` (the wire types) → `store`,
//! `i18n`, `config` → `app` → `sync` → `ui` → `cli`; `server` stands on
//! `domain`, `protocol` and `i18n` alone; `print` (printers, paper) on
//! `domain` and `i18n`. A module imports only from the
//! layers below it: `tests/layers.rs` holds the table of allowed arrows
//! (shown in docs/ARCHITECTURE.md) and fails on any other import.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod print;
pub mod protocol;
pub mod server;
pub mod sound;
pub mod store;
pub mod sync;
pub mod ui;
