//! The server suite: the regional server's API, storage, ingest and the
//! forwarder against it. Every test here takes its server storage from
//! `sync_support`'s backend choice, so `.ci/run` runs this program a second
//! time with `QABYLDAU_TEST_BACKEND=postgres`.

#[path = "../reliab_support/mod.rs"]
mod reliab_support;
#[path = "../sync_support/mod.rs"]
mod sync_support;

mod citizen_data;
mod doctor;
mod field_files;
mod hall_report;
mod region_back;
mod reliab_corpus;
mod reliab_net;
mod report_server;
mod restore_from_server;
mod server_api;
mod server_database_url;
mod server_openapi;
mod server_storage;
mod sync_cli;
mod sync_concurrent;
mod sync_lost_reply;
mod sync_offline;
mod sync_server_killed;
