//! A ticket number in large block letters, readable from a few steps away.
//! Digits and Latin letters come from `tui-big-text`; its 8×8 font has no
//! Cyrillic, and ticket prefixes are Cyrillic (Ж, Қ, Ю...), so those glyphs
//! are drawn here. Only full and half blocks are used: the Linux console
//! fonts have them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};
use tui_big_text::{BigText, PixelSize};

/// Columns and rows one glyph takes at each size.
const GLYPH_W: u16 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    /// One cell per pixel: 8 rows.
    Full,
    /// Two pixels per cell, stacked: 4 rows.
    Half,
    /// Plain text, when even half-height letters do not fit.
    Plain,
}

impl Size {
    fn rows(self) -> u16 {
        match self {
            Size::Full => 8,
            Size::Half => 4,
            Size::Plain => 1,
        }
    }
}

/// The rows the number will take in `area` (so a screen can lay out what
/// goes below it).
pub fn height(text: &str, area: Rect) -> u16 {
    choose(text, area).rows()
}

fn choose(text: &str, area: Rect) -> Size {
    let width = text.chars().count() as u16 * GLYPH_W;
    if width > area.width {
        Size::Plain
    } else if area.height >= 8 {
        Size::Full
    } else if area.height >= 4 {
        Size::Half
    } else {
        Size::Plain
    }
}

/// Draws `text` centred at the top of `area` in the largest size that fits.
pub fn render(text: &str, area: Rect, buf: &mut Buffer, style: Style) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let size = choose(text, area);
    if size == Size::Plain {
        Paragraph::new(Line::from(text.to_string()).style(style))
            .centered()
            .render(area, buf);
        return;
    }
    let count = text.chars().count() as u16;
    let mut x = area.x + (area.width - count * GLYPH_W) / 2;
    for c in text.chars() {
        let cell = Rect::new(x, area.y, GLYPH_W, size.rows()).intersection(area);
        let c = c.to_uppercase().next().unwrap_or(c);
        match cyrillic(c) {
            Glyph::Own(rows) => draw_glyph(&bits(rows), cell, buf, size, style),
            Glyph::Font(latin) => {
                let pixel = if size == Size::Full {
                    PixelSize::Full
                } else {
                    PixelSize::HalfHeight
                };
                BigText::builder()
                    .pixel_size(pixel)
                    .style(style)
                    .lines(vec![Line::from(latin.to_string())])
                    .build()
                    .render(cell, buf);
            }
        }
        x += GLYPH_W;
    }
}

fn draw_glyph(glyph: &[u8; 8], area: Rect, buf: &mut Buffer, size: Size, style: Style) {
    buf.set_style(area, style);
    let step = if size == Size::Full { 1 } else { 2 };
    for (row, y) in (0..8).step_by(step).zip(area.top()..area.bottom()) {
        for (col, x) in (0..8).zip(area.left()..area.right()) {
            let on = |r: usize| glyph[r] & (1 << col) != 0;
            let symbol = match (size, on(row), step == 2 && on(row + 1)) {
                (Size::Full, true, _) => '█',
                (Size::Full, false, _) => ' ',
                (_, true, true) => '█',
                (_, true, false) => '▀',
                (_, false, true) => '▄',
                (_, false, false) => ' ',
            };
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.set_char(symbol);
            }
        }
    }
}

enum Glyph {
    /// Drawn from our own rows below.
    Own(&'static [&'static str; 8]),
    /// The same shape as this character of the 8×8 font.
    Font(char),
}

/// Cyrillic capitals: those shaped like a Latin letter borrow its glyph;
/// the rest are drawn here, row by row, `#` for a lit pixel.
fn cyrillic(c: char) -> Glyph {
    let latin = match c {
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        'Ү' => 'Y',
        'Һ' => 'h',
        _ => '\0',
    };
    if latin != '\0' {
        return Glyph::Font(latin);
    }
    let rows: &'static [&'static str; 8] = match c {
        'Б' => &[
            "######..", "##......", "##......", "#####...", "##..##..", "##..##..", "#####...",
            "........",
        ],
        'Г' => &[
            "######..", "##......", "##......", "##......", "##......", "##......", "##......",
            "........",
        ],
        'Ғ' => &[
            ".######.", ".##.....", ".##.....", "#####...", ".##.....", ".##.....", ".##.....",
            "........",
        ],
        'Д' => &[
            "..####..", ".##.##..", ".##.##..", ".##.##..", ".##.##..", "#######.", "##...##.",
            "........",
        ],
        'Ж' => &[
            "##.##.##", "##.##.##", ".######.", "..####..", ".######.", "##.##.##", "##.##.##",
            "........",
        ],
        'З' => &[
            ".####...", "##..##..", "....##..", "..###...", "....##..", "##..##..", ".####...",
            "........",
        ],
        'И' => &[
            "##...##.", "##..###.", "##.####.", "#######.", "####.##.", "###..##.", "##...##.",
            "........",
        ],
        'Й' => &[
            "..###...", "##...##.", "##..###.", "##.####.", "####.##.", "###..##.", "##...##.",
            "........",
        ],
        'Қ' => &[
            "##..##..", "##.##...", "####....", "###.....", "####....", "##.##...", "##..###.",
            "......#.",
        ],
        'Л' => &[
            "..####..", ".##.##..", ".##.##..", ".##.##..", ".##.##..", ".##.##..", "##..##..",
            "........",
        ],
        'Ң' => &[
            "##..##..", "##..##..", "##..##..", "######..", "##..##..", "##..##..", "##..###.",
            "......#.",
        ],
        'Ө' => &[
            ".####...", "##..##..", "##..##..", "######..", "##..##..", "##..##..", ".####...",
            "........",
        ],
        'П' => &[
            "#######.", "##...##.", "##...##.", "##...##.", "##...##.", "##...##.", "##...##.",
            "........",
        ],
        'У' => &[
            "##...##.", "##...##.", "##...##.", ".######.", ".....##.", "##...##.", ".#####..",
            "........",
        ],
        'Ұ' => &[
            "##..##..", "##..##..", ".####...", "..##....", "######..", "..##....", "..##....",
            "........",
        ],
        'Ф' => &[
            "..##....", ".######.", "##.##.##", "##.##.##", ".######.", "..##....", "..##....",
            "........",
        ],
        'Ц' => &[
            "##..##..", "##..##..", "##..##..", "##..##..", "##..##..", "#######.", ".....##.",
            "........",
        ],
        'Ч' => &[
            "##..##..", "##..##..", "##..##..", ".#####..", "....##..", "....##..", "....##..",
            "........",
        ],
        'Ш' => &[
            "##.##.##", "##.##.##", "##.##.##", "##.##.##", "##.##.##", "##.##.##", "########",
            "........",
        ],
        'Щ' => &[
            "#..#..#.", "#..#..#.", "#..#..#.", "#..#..#.", "#..#..#.", "########", ".......#",
            "........",
        ],
        'Ъ' => &[
            "###.....", ".##.....", ".##.....", ".#####..", ".##..##.", ".##..##.", ".#####..",
            "........",
        ],
        'Ы' => &[
            "##....##", "##....##", "##....##", "#####.##", "##..####", "##..####", "#####.##",
            "........",
        ],
        'Ь' => &[
            "##......", "##......", "##......", "#####...", "##..##..", "##..##..", "#####...",
            "........",
        ],
        'Э' => &[
            ".####...", "##..##..", "....##..", "..####..", "....##..", "##..##..", ".####...",
            "........",
        ],
        'Ю' => &[
            "#...###.", "#..#...#", "#..#...#", "####...#", "#..#...#", "#..#...#", "#...###.",
            "........",
        ],
        'Я' => &[
            ".######.", "##...##.", "##...##.", ".######.", "...####.", "..##.##.", ".##..##.",
            "........",
        ],
        'Ә' => &[
            ".####...", "....##..", "....##..", "######..", "##..##..", "##..##..", ".####...",
            "........",
        ],
        'Ё' => &[
            ".#..#...", "######..", "##......", "#####...", "##......", "##......", "######..",
            "........",
        ],
        other => return Glyph::Font(other),
    };
    Glyph::Own(rows)
}

/// "#..#...." → bit 0 is the leftmost pixel, as in the 8×8 font.
fn bits(rows: &[&str; 8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (r, row) in rows.iter().enumerate() {
        for (i, c) in row.chars().take(8).enumerate() {
            if c == '#' {
                out[r] |= 1 << i;
            }
        }
    }
    out
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

    #[test]
    fn every_category_prefix_has_a_glyph() {
        for cat in Catalogue::builtin().all() {
            let picture = drawn(&cat.prefix.to_string(), 8, 8);
            let lit = picture.chars().filter(|&c| c == '█').count();
            assert!(lit >= 10, "prefix {} is blank:\n{picture}", cat.prefix);
        }
    }

    #[test]
    fn all_kazakh_and_russian_capitals_are_drawn() {
        for c in "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ".chars()
        {
            let picture = drawn(&c.to_string(), 8, 8);
            assert!(picture.contains('█'), "{c} is blank");
        }
    }

    #[test]
    fn size_follows_the_space() {
        assert!(drawn("Ж-017", 80, 8).contains('█'));
        let half = drawn("Ж-017", 80, 4);
        assert!(half.contains('▀') || half.contains('▄'), "{half}");
        assert_eq!(drawn("Ж-017", 20, 8).trim(), "Ж-017");
        assert_eq!(height("Ж-017", Rect::new(0, 0, 40, 3)), 1);
        assert_eq!(height("Ж-017", Rect::new(0, 0, 40, 30)), 8);
    }
}
