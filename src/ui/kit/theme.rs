//! The colours of every screen, by what a thing is rather than by colour:
//! a screen asks for `theme.alarm`, never for white on red. Two palettes,
//! chosen with `[ui] theme` in the point's config:
//!
//! - `standard`: the basic sixteen colours only, so the Linux console and
//!   any terminal over SSH show them as meant.
//! - `high_contrast`: for weak eyes and washed-out screens in bright halls:
//!   no grey or dark text, bright colours and bold, every highlight a dark
//!   letter on a bright field.
//!
//! Colours are not in the snapshot tests (they compare letters), so a
//! palette changes no snapshot; the tests below compare the styles.

use crate::config::ThemeName;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Title bars: the header of every screen.
    pub header: Style,
    /// What must be seen at once: the latest call, the chosen button.
    pub called: Style,
    /// A standing mark in a bar (campaign mode).
    pub mark: Style,
    /// The field or label that takes the keys; screen titles on the kiosk.
    pub focus: Style,
    /// A frame around where the citizen types.
    pub focus_border: Style,
    /// Something is wrong and must be acted on: an error line, an overdue
    /// appeal, a lost link.
    pub alarm: Style,
    /// Error text (a field's problem, a failed read).
    pub error: Style,
    /// Attention, not yet wrong: a link error that may heal, data getting old.
    pub warning: Style,
    /// Done, well: saved, serving, the link healthy.
    pub ok: Style,
    /// A message bar saying something went well.
    pub ok_bar: Style,
    /// Headings, names, hints.
    pub accent: Style,
    /// A bar in the accent colour (chart values, the open session).
    pub accent_bar: Style,
    /// Text that only helps: empty-list hints, labels.
    pub dim: Style,
    /// Secondary text: counts, sub-lines.
    pub muted: Style,
    /// The key help at the bottom.
    pub keys: Style,
    /// What a citizen typed or must read first, on the kiosk.
    pub text: Style,
}

pub const STANDARD: Theme = Theme {
    header: Style::new().fg(Color::White).bg(Color::Blue),
    called: Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD),
    mark: Style::new().fg(Color::Black).bg(Color::Yellow),
    focus: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    focus_border: Style::new().fg(Color::Yellow),
    alarm: Style::new().fg(Color::White).bg(Color::Red),
    error: Style::new().fg(Color::Red),
    warning: Style::new().fg(Color::Yellow),
    ok: Style::new().fg(Color::Green),
    ok_bar: Style::new().fg(Color::Black).bg(Color::Green),
    accent: Style::new().fg(Color::Cyan),
    accent_bar: Style::new().fg(Color::Black).bg(Color::Cyan),
    dim: Style::new().fg(Color::DarkGray),
    muted: Style::new().fg(Color::Gray),
    keys: Style::new().fg(Color::Black).bg(Color::Gray),
    text: Style::new().fg(Color::White),
};

pub const HIGH_CONTRAST: Theme = Theme {
    header: Style::new()
        .fg(Color::Black)
        .bg(Color::White)
        .add_modifier(Modifier::BOLD),
    called: Style::new()
        .fg(Color::Black)
        .bg(Color::LightYellow)
        .add_modifier(Modifier::BOLD),
    mark: Style::new()
        .fg(Color::Black)
        .bg(Color::LightYellow)
        .add_modifier(Modifier::BOLD),
    focus: Style::new()
        .fg(Color::LightYellow)
        .add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    focus_border: Style::new()
        .fg(Color::LightYellow)
        .add_modifier(Modifier::BOLD),
    alarm: Style::new()
        .fg(Color::Black)
        .bg(Color::LightRed)
        .add_modifier(Modifier::BOLD),
    error: Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD),
    warning: Style::new()
        .fg(Color::LightYellow)
        .add_modifier(Modifier::BOLD),
    ok: Style::new()
        .fg(Color::LightGreen)
        .add_modifier(Modifier::BOLD),
    ok_bar: Style::new()
        .fg(Color::Black)
        .bg(Color::LightGreen)
        .add_modifier(Modifier::BOLD),
    accent: Style::new()
        .fg(Color::LightCyan)
        .add_modifier(Modifier::BOLD),
    accent_bar: Style::new()
        .fg(Color::Black)
        .bg(Color::LightCyan)
        .add_modifier(Modifier::BOLD),
    dim: Style::new().fg(Color::White),
    muted: Style::new().fg(Color::White),
    keys: Style::new().fg(Color::Black).bg(Color::White),
    text: Style::new().fg(Color::White).add_modifier(Modifier::BOLD),
};

impl Theme {
    pub fn of(name: ThemeName) -> &'static Theme {
        match name {
            ThemeName::Standard => &STANDARD,
            ThemeName::HighContrast => &HIGH_CONTRAST,
        }
    }

    /// The theme the point's config chose.
    pub fn for_context(ctx: &crate::app::Context) -> &'static Theme {
        Theme::of(ctx.config.ui.theme)
    }

    #[cfg(test)]
    fn all(&self) -> [Style; 16] {
        [
            self.header,
            self.called,
            self.mark,
            self.focus,
            self.focus_border,
            self.alarm,
            self.error,
            self.warning,
            self.ok,
            self.ok_bar,
            self.accent,
            self.accent_bar,
            self.dim,
            self.muted,
            self.keys,
            self.text,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(s: Style) -> impl Iterator<Item = Color> {
        s.fg.into_iter().chain(s.bg)
    }

    #[test]
    fn the_two_themes_differ_in_every_role() {
        for (standard, high) in STANDARD.all().into_iter().zip(HIGH_CONTRAST.all()) {
            assert_ne!(standard, high);
        }
        assert_eq!(Theme::of(ThemeName::Standard), &STANDARD);
        assert_eq!(Theme::of(ThemeName::HighContrast), &HIGH_CONTRAST);
    }

    #[test]
    fn both_use_the_sixteen_basic_colours_only() {
        for theme in [&STANDARD, &HIGH_CONTRAST] {
            for c in theme.all().into_iter().flat_map(colours) {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_) | Color::Reset),
                    "{c:?} is not one of the sixteen"
                );
            }
        }
    }

    #[test]
    fn high_contrast_has_no_grey_text_and_no_dark_field() {
        for s in HIGH_CONTRAST.all() {
            assert!(
                !matches!(
                    s.fg,
                    Some(Color::DarkGray | Color::Gray | Color::Blue | Color::Red | Color::Cyan)
                ),
                "{s:?}"
            );
            // a coloured field always carries black letters
            if s.bg.is_some() {
                assert_eq!(s.fg, Some(Color::Black), "{s:?}");
            }
        }
    }

    #[test]
    fn roles_that_must_stand_apart_do() {
        for theme in [&STANDARD, &HIGH_CONTRAST] {
            assert_ne!(theme.alarm, theme.ok_bar);
            assert_ne!(theme.called, theme.header);
            assert_ne!(theme.error, theme.warning);
            assert_ne!(theme.focus, Style::new());
        }
    }
}
