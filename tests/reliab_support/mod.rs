//! Helpers of the fault, security and load suite (`tests/reliab_*.rs`):
//! the fault proxy. Points, servers and the pseudo-terminal come from
//! `sync_support` and `support`.
#![allow(dead_code)]

pub mod proxy;
