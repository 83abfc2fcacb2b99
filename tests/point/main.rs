//! A point's own programs: the kiosk, the desk, the demo, the reports and
//! their screens, the texts of the three languages, and a point's screens
//! forwarding to a server in the background.

#[path = "../board_common/mod.rs"]
mod board_common;
#[path = "../print_support/mod.rs"]
mod print_support;
#[path = "../support/mod.rs"]
mod support;
#[path = "../sync_support/mod.rs"]
mod sync_support;

mod citizen_erase;
mod demo_cli;
mod desk_e2e;
mod desk_search_migration;
mod hall_e2e;
mod hall_hours;
mod i18n_complete;
mod kiosk_concurrency;
mod kiosk_e2e;
mod print_e2e;
mod print_render;
mod report_export;
mod report_figures;
mod report_view;
mod report_view_e2e;
mod support_selftest;
mod sync_screens;
