//! qabyldau: the software of a public reception office.
//!
//! Layers, arrows pointing down: `cli` → `ui` → `app` → `domain`, `store`.
//! `sync` and `server` sit beside `app` and use `domain` and `store`.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod server;
pub mod sound;
pub mod store;
pub mod sync;
pub mod ui;
