//! What every kiosk screen has: a header with the point's name and the
//! language, a title, the body, a message line and a hint at the bottom.
//! Colours are the theme's (`ui::kit::theme`).

use crate::ui::kit::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

/// Below this the kiosk asks for a bigger window instead of drawing.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 8;

pub struct Frame<'a> {
    pub theme: &'a Theme,
    pub point: &'a str,
    /// The language's own name, at the right of the header.
    pub language: Option<&'a str>,
    pub title: &'a str,
    /// An error (red) or a notice (yellow), above the hint.
    pub problem: Option<String>,
    pub notice: Option<String>,
    pub hint: &'a str,
}

pub fn header_style(theme: &Theme) -> Style {
    theme.header.add_modifier(Modifier::BOLD)
}

pub fn title_style(theme: &Theme) -> Style {
    theme.focus
}

pub fn problem_style(theme: &Theme) -> Style {
    theme.error.add_modifier(Modifier::BOLD)
}

pub fn hint_style(theme: &Theme) -> Style {
    theme.accent
}

/// Rows `text` takes when wrapped at `width` (close enough for layout:
/// words are short next to a screen's width).
pub fn rows_for(text: &str, width: u16) -> u16 {
    if width == 0 {
        return 0;
    }
    text.lines()
        .map(|l| (l.width() as u16).max(1).div_ceil(width))
        .sum::<u16>()
        .max(1)
}

/// Draws the frame and returns the body's rectangle.
pub fn draw(area: Rect, buf: &mut Buffer, f: &Frame<'_>) -> Rect {
    let roomy = area.height >= 16;
    // header
    let header = Rect::new(area.x, area.y, area.width, 1);
    buf.set_style(header, header_style(f.theme));
    let lang_width = f.language.map_or(0, |l| l.width() as u16 + 2);
    buf.set_stringn(
        area.x + 1,
        area.y,
        f.point,
        area.width.saturating_sub(lang_width + 2) as usize,
        header_style(f.theme),
    );
    if let Some(lang) = f.language
        && area.width > lang_width + 4
    {
        buf.set_string(
            area.right() - lang_width,
            area.y,
            lang,
            header_style(f.theme),
        );
    }
    let mut top = area.y + 1 + u16::from(roomy);
    let mut bottom = area.bottom();
    // hint, at the very bottom
    if bottom > top {
        bottom -= 1;
        Paragraph::new(Line::from(Span::styled(f.hint, hint_style(f.theme))))
            .alignment(Alignment::Center)
            .render(Rect::new(area.x, bottom, area.width, 1), buf);
    }
    // message above it
    let message = f
        .problem
        .as_ref()
        .map(|p| (p, problem_style(f.theme)))
        .or_else(|| f.notice.as_ref().map(|n| (n, title_style(f.theme))));
    if let Some((text, style)) = message {
        let rows = rows_for(text, area.width.saturating_sub(2)).min(3);
        let rows = rows.min(bottom.saturating_sub(top + 2));
        if rows > 0 {
            bottom -= rows;
            Paragraph::new(text.as_str())
                .style(style)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .render(Rect::new(area.x + 1, bottom, area.width - 2, rows), buf);
            if roomy {
                bottom -= 1;
            }
        }
    }
    // title
    let title_rows = rows_for(f.title, area.width.saturating_sub(2))
        .min(2)
        .min(bottom.saturating_sub(top + 1));
    if title_rows > 0 {
        Paragraph::new(f.title)
            .style(title_style(f.theme))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .render(
                Rect::new(area.x + 1, top, area.width.saturating_sub(2), title_rows),
                buf,
            );
        top += title_rows + u16::from(roomy);
    }
    Rect::new(
        area.x + 1,
        top.min(bottom),
        area.width.saturating_sub(2),
        bottom.saturating_sub(top),
    )
}

/// "Please enlarge the window", centred, in as much room as there is.
pub fn too_small(area: Rect, buf: &mut Buffer, text: &str, theme: &Theme) {
    let rows = rows_for(text, area.width).min(area.height);
    let y = area.y + (area.height - rows) / 2;
    Paragraph::new(text)
        .style(title_style(theme))
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(Rect::new(area.x, y, area.width, rows), buf);
}

/// A paragraph of plain text, wrapped, centred.
pub fn paragraph(area: Rect, buf: &mut Buffer, text: &str, style: Style) {
    Paragraph::new(text)
        .style(style)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
