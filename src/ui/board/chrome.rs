//! What every board view draws around its data: the bars at the top and
//! bottom, and the request for a larger window.

use super::Look;
use crate::tr;
use crate::ui::kit::cut;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// The header bar.
pub(super) fn header_style(look: &Look<'_>) -> Style {
    look.theme().header.add_modifier(Modifier::BOLD)
}

/// A bar saying the link to the regional server is down.
pub(super) fn down_style(look: &Look<'_>) -> Style {
    look.theme().alarm.add_modifier(Modifier::BOLD)
}

/// A line of text in a coloured bar, `right` at the far end when it fits.
pub(super) fn bar(frame: &mut Frame<'_>, area: Rect, left: &str, right: &str, style: Style) {
    let width = area.width as usize;
    let right_w = right.width() + 1;
    let line = if left.width() + 1 + right_w < width {
        let gap = width - 1 - left.width() - right_w;
        format!(" {left}{:gap$}{right} ", "")
    } else {
        cut(&format!(" {left}"), width)
    };
    frame.render_widget(Paragraph::new(line).style(style), area);
}

pub(super) fn too_small(frame: &mut Frame<'_>, look: &Look<'_>) {
    frame.render_widget(
        Paragraph::new(tr!(look.lang, "window-too-small"))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        frame.area(),
    );
}
