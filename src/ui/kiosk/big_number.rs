//! The ticket number on the kiosk, in the shared large font
//! (`ui::widgets::big_text`, which draws Kazakh and Russian letters), in the
//! largest size that fits, or as plain text when none does.

use crate::ui::widgets::big_text::{Big, Scale};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

fn choose(text: &str, area: Rect) -> Option<Scale> {
    Scale::ALL
        .iter()
        .rev()
        .find(|&&s| Big::width(text, s) <= area.width && Big::height(s) <= area.height)
        .copied()
}

/// The rows the number will take in `area` (so a screen can lay out what
/// goes below it).
pub fn height(text: &str, area: Rect) -> u16 {
    choose(text, area).map_or(1, Big::height)
}

/// Draws `text` centred at the top of `area`.
pub fn render(text: &str, area: Rect, buf: &mut Buffer, style: Style) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    match choose(text, area) {
        Some(scale) => {
            let width = Big::width(text, scale);
            let x = area.x + (area.width - width) / 2;
            let at = Rect::new(x, area.y, width, Big::height(scale));
            Big { text, scale, style }.render(at, buf);
        }
        None => Paragraph::new(Line::from(text.to_string()).style(style))
            .centered()
            .render(area, buf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Catalogue;

    fn drawn(text: &str, w: u16, h: u16) -> String {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        render(text, area, &mut buf, Style::default());
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn lit(picture: &str) -> usize {
        picture
            .chars()
            .filter(|c| matches!(c, '█' | '▀' | '▄'))
            .count()
    }

    #[test]
    fn every_category_prefix_is_drawn_large() {
        for cat in Catalogue::builtin().all() {
            let picture = drawn(&format!("{}-001", cat.prefix), 80, 8);
            let prefix_only = drawn(&cat.prefix.to_string(), 16, 8);
            assert!(
                lit(&prefix_only) >= 8,
                "prefix {} is blank:\n{picture}",
                cat.prefix
            );
        }
    }

    #[test]
    fn size_follows_the_space() {
        let big = drawn("Ж-017", 80, 8);
        assert!(lit(&big) > 40, "{big}");
        assert_eq!(drawn("Ж-017", 6, 8).trim(), "Ж-017");
        assert_eq!(height("Ж-017", Rect::new(0, 0, 40, 2)), 1);
        assert!(
            height("Ж-017", Rect::new(0, 0, 160, 30)) > height("Ж-017", Rect::new(0, 0, 80, 8))
        );
    }
}
