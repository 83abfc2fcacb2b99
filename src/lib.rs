//! qabyldau: the software of a public reception office.
//!
//! Layers, arrows pointing down: `cli` → `ui` → `app` → `domain`, `store`.
//! `sync` and `server` sit beside `app` and use `domain` and `store`;
//! `print` (printers, paper) uses `domain` and `i18n` only.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod print;
pub mod server;
pub mod store;
pub mod sync;
pub mod ui;
