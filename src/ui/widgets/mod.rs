//! Widgets shared by the screens.

pub mod big_text;
