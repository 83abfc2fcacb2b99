//! What every screen draws with: the text input, the clock, the theme,
//! cutting text to a width. One of each, so the kiosk, the desk and the
//! board type, tell time, colour and cut text the same way.

pub mod clock;
pub mod cut;
pub mod input;
pub mod theme;

pub use clock::Clock;
pub use cut::{cut, cut_pad, wrap_line, wrap_words};
pub use input::{TextInput, TooLong};
pub use theme::Theme;
