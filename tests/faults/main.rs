//! The fault suite (docs/RELIABILITY.md): crash loop, full disk, property
//! tests, load, terminal abuse, hostile text on every screen.

#[path = "../board_common/mod.rs"]
mod board_common;
#[path = "../reliab_support/load.rs"]
mod load;
#[path = "../support/mod.rs"]
mod support;
#[path = "../sync_support/mod.rs"]
mod sync_support;

mod reliab_crash;
mod reliab_disk;
mod reliab_load;
mod reliab_panic;
mod reliab_props;
mod reliab_screens;
mod reliab_terminal;
