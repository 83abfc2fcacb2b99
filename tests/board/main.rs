//! The queue board: the hall, the supervisor's view, its liveness and
//! sync state, and the regional board.

#[path = "../board_common/mod.rs"]
mod board_common;
#[path = "../support/mod.rs"]
mod support;
#[path = "../sync_support/mod.rs"]
mod sync_support;

mod board_e2e;
mod board_figures;
mod board_live;
mod board_personal_data;
mod board_region;
mod board_region_e2e;
mod board_sync_state;
mod board_text;
mod board_views;
mod hall_hours;
mod hall_long_wait;
mod hall_pause;
mod hall_spoken;
