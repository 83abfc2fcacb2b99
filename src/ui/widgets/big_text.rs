//! Large ticket numbers for a hall: a 5×7 dot font drawn with half blocks,
//! so one dot is one column wide and half a row high (square on a usual
//! terminal font), at any whole scale.
//!
//! Why not tui-big-text: its font (font8x8) has no Cyrillic letters, and
//! every ticket starts with one (Ж, Д, З, Ю, П, ...): the letter a citizen
//! looks for would be blank. This font has digits, the dash, the Russian and
//! Kazakh alphabets and the Latin one; any other character falls back to
//! itself in ordinary size, so a number is never lost.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

const ROWS: usize = 7;

/// One glyph: rows of '#' (dot) and '.' (blank), all the same width.
type Glyph = [&'static str; ROWS];

const GLYPHS: &[(char, Glyph)] = &[
    (
        '0',
        [
            ".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.",
        ],
    ),
    (
        '1',
        [
            "..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###.",
        ],
    ),
    (
        '2',
        [
            ".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####",
        ],
    ),
    (
        '3',
        [
            "#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###.",
        ],
    ),
    (
        '4',
        [
            "...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#.",
        ],
    ),
    (
        '5',
        [
            "#####", "#....", "####.", "....#", "....#", "#...#", ".###.",
        ],
    ),
    (
        '6',
        [
            "..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###.",
        ],
    ),
    (
        '7',
        [
            "#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#...",
        ],
    ),
    (
        '8',
        [
            ".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###.",
        ],
    ),
    (
        '9',
        [
            ".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##..",
        ],
    ),
    ('-', ["...", "...", "...", "###", "...", "...", "..."]),
    (
        'А',
        [
            ".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'Б',
        [
            "#####", "#....", "#....", "####.", "#...#", "#...#", "####.",
        ],
    ),
    (
        'В',
        [
            "####.", "#...#", "#...#", "####.", "#...#", "#...#", "####.",
        ],
    ),
    (
        'Г',
        [
            "#####", "#....", "#....", "#....", "#....", "#....", "#....",
        ],
    ),
    (
        'Д',
        [
            "..##.", ".#.#.", ".#.#.", ".#.#.", ".#.#.", "#####", "#...#",
        ],
    ),
    (
        'Е',
        [
            "#####", "#....", "#....", "####.", "#....", "#....", "#####",
        ],
    ),
    (
        'Ё',
        [
            ".#.#.", ".....", "#####", "#....", "####.", "#....", "#####",
        ],
    ),
    (
        'Ж',
        [
            "#.#.#", "#.#.#", ".###.", "..#..", ".###.", "#.#.#", "#.#.#",
        ],
    ),
    (
        'З',
        [
            ".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###.",
        ],
    ),
    (
        'И',
        [
            "#...#", "#...#", "#..##", "#.#.#", "##..#", "#...#", "#...#",
        ],
    ),
    (
        'Й',
        [
            ".#.#.", "..#..", "#...#", "#..##", "#.#.#", "##..#", "#...#",
        ],
    ),
    (
        'К',
        [
            "#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#",
        ],
    ),
    (
        'Л',
        [
            "..###", ".#..#", ".#..#", ".#..#", ".#..#", ".#..#", "#...#",
        ],
    ),
    (
        'М',
        [
            "#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'Н',
        [
            "#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'О',
        [
            ".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.",
        ],
    ),
    (
        'П',
        [
            "#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'Р',
        [
            "####.", "#...#", "#...#", "####.", "#....", "#....", "#....",
        ],
    ),
    (
        'С',
        [
            ".###.", "#...#", "#....", "#....", "#....", "#...#", ".###.",
        ],
    ),
    (
        'Т',
        [
            "#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#..",
        ],
    ),
    (
        'У',
        [
            "#...#", "#...#", "#...#", ".####", "....#", "#...#", ".###.",
        ],
    ),
    (
        'Ф',
        [
            "..#..", ".###.", "#.#.#", "#.#.#", "#.#.#", ".###.", "..#..",
        ],
    ),
    (
        'Х',
        [
            "#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#",
        ],
    ),
    (
        'Ц',
        [
            "#..#.", "#..#.", "#..#.", "#..#.", "#..#.", "#####", "....#",
        ],
    ),
    (
        'Ч',
        [
            "#...#", "#...#", "#...#", ".####", "....#", "....#", "....#",
        ],
    ),
    (
        'Ш',
        [
            "#.#.#", "#.#.#", "#.#.#", "#.#.#", "#.#.#", "#.#.#", "#####",
        ],
    ),
    (
        'Щ',
        [
            "#.#.#", "#.#.#", "#.#.#", "#.#.#", "#.#.#", "#####", "....#",
        ],
    ),
    (
        'Ъ',
        [
            "##...", ".#...", ".#...", ".###.", ".#..#", ".#..#", ".###.",
        ],
    ),
    (
        'Ы',
        [
            "#...#", "#...#", "#...#", "##..#", "#.#.#", "#.#.#", "##..#",
        ],
    ),
    (
        'Ь',
        [
            "#....", "#....", "#....", "####.", "#...#", "#...#", "####.",
        ],
    ),
    (
        'Э',
        [
            ".###.", "#...#", "....#", ".####", "....#", "#...#", ".###.",
        ],
    ),
    (
        'Ю',
        [
            "#..#.", "#.#.#", "#.#.#", "###.#", "#.#.#", "#.#.#", "#..#.",
        ],
    ),
    (
        'Я',
        [
            ".####", "#...#", "#...#", ".####", "..#.#", ".#..#", "#...#",
        ],
    ),
    (
        'Ә',
        [
            ".###.", "....#", "....#", "#####", "#...#", "#...#", ".###.",
        ],
    ),
    (
        'Ғ',
        [
            ".####", ".#...", ".#...", "####.", ".#...", ".#...", ".#...",
        ],
    ),
    (
        'Қ',
        [
            "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#..##", "....#",
        ],
    ),
    (
        'Ң',
        [
            "#...#", "#...#", "#####", "#...#", "#...#", "#..##", "....#",
        ],
    ),
    (
        'Ө',
        [
            ".###.", "#...#", "#...#", "#####", "#...#", "#...#", ".###.",
        ],
    ),
    (
        'Ұ',
        [
            "#...#", "#...#", ".#.#.", "..#..", "#####", "..#..", "..#..",
        ],
    ),
    (
        'Ү',
        [
            "#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#..",
        ],
    ),
    (
        'Һ',
        [
            "#....", "#....", "####.", "#...#", "#...#", "#...#", "#...#",
        ],
    ),
    (
        'І',
        [
            ".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###.",
        ],
    ),
    (
        'D',
        [
            "###..", "#..#.", "#...#", "#...#", "#...#", "#..#.", "###..",
        ],
    ),
    (
        'F',
        [
            "#####", "#....", "#....", "####.", "#....", "#....", "#....",
        ],
    ),
    (
        'G',
        [
            ".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####",
        ],
    ),
    (
        'J',
        [
            "..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##..",
        ],
    ),
    (
        'L',
        [
            "#....", "#....", "#....", "#....", "#....", "#....", "#####",
        ],
    ),
    (
        'N',
        [
            "#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#",
        ],
    ),
    (
        'Q',
        [
            ".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#",
        ],
    ),
    (
        'R',
        [
            "####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#",
        ],
    ),
    (
        'S',
        [
            ".####", "#....", "#....", ".###.", "....#", "....#", "####.",
        ],
    ),
    (
        'U',
        [
            "#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###.",
        ],
    ),
    (
        'V',
        [
            "#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#..",
        ],
    ),
    (
        'W',
        [
            "#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#.",
        ],
    ),
    (
        'Z',
        [
            "#####", "....#", "...#.", "..#..", ".#...", "#....", "#####",
        ],
    ),
];

/// Latin letters drawn like the Cyrillic letters they look like.
const SAME_AS: &[(char, char)] = &[
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('I', 'І'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'Ү'),
];

fn glyph(c: char) -> Option<&'static Glyph> {
    let c = c.to_uppercase().next().unwrap_or(c);
    let c = SAME_AS
        .iter()
        .find(|(latin, _)| *latin == c)
        .map_or(c, |(_, same)| *same);
    GLYPHS.iter().find(|(g, _)| *g == c).map(|(_, g)| g)
}

/// Whether `c` has a large form (not the ordinary-size fallback).
#[cfg(test)]
fn has_glyph(c: char) -> bool {
    glyph(c).is_some()
}

fn glyph_width(c: char) -> u16 {
    glyph(c).map_or(1, |g| g[0].len() as u16)
}

/// How large a dot is: `columns` wide and `halves` half-rows high. A dot
/// one column by one half-row is about square on a usual terminal font;
/// whole sizes keep every dot the same height, so edges stay clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Scale {
    pub columns: u16,
    pub halves: u16,
}

impl Scale {
    /// From the smallest to the largest: square dots, then a 3×4 dot that
    /// fits a wall screen's cards where 4×4 would not.
    pub const ALL: [Scale; 4] = [
        Scale::new(1, 1),
        Scale::new(2, 2),
        Scale::new(3, 4),
        Scale::new(4, 4),
    ];

    pub const fn new(columns: u16, halves: u16) -> Scale {
        Scale { columns, halves }
    }
}

/// `text` in large dots.
pub struct Big<'a> {
    pub text: &'a str,
    pub scale: Scale,
    pub style: Style,
}

impl Big<'_> {
    /// Columns the text takes: dots, and one dot of space between characters.
    pub fn width(text: &str, scale: Scale) -> u16 {
        let n = text.chars().count() as u16;
        let dots: u16 = text.chars().map(glyph_width).sum::<u16>() + n.saturating_sub(1);
        dots * scale.columns.max(1)
    }

    /// Rows the text takes.
    pub fn height(scale: Scale) -> u16 {
        (ROWS as u16 * scale.halves.max(1)).div_ceil(2)
    }
}

impl Widget for Big<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let kx = self.scale.columns.max(1);
        let ky = self.scale.halves.max(1);
        let height = Big::height(self.scale).min(area.height);
        let mut x = area.x;
        for c in self.text.chars() {
            let w = glyph_width(c) * kx;
            if x >= area.right() {
                break;
            }
            match glyph(c) {
                Some(g) => {
                    // each cell shows two half-rows: the upper and the lower
                    for row in 0..height {
                        for col in 0..w {
                            let cx = x + col;
                            if cx >= area.right() {
                                break;
                            }
                            let dot = |half: u16| {
                                let y = (row * 2 + half) / ky;
                                g.get(y as usize)
                                    .and_then(|line| line.as_bytes().get((col / kx) as usize))
                                    == Some(&b'#')
                            };
                            let symbol = match (dot(0), dot(1)) {
                                (true, true) => "█",
                                (true, false) => "▀",
                                (false, true) => "▄",
                                (false, false) => " ",
                            };
                            buf[(cx, area.y + row)]
                                .set_symbol(symbol)
                                .set_style(self.style);
                        }
                    }
                }
                None => {
                    let y = area.y + height.saturating_sub(1) / 2;
                    let mut s = [0u8; 4];
                    buf[(x, y)]
                        .set_symbol(c.encode_utf8(&mut s))
                        .set_style(self.style);
                }
            }
            x = x.saturating_add(w + kx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Catalogue;

    #[test]
    fn every_glyph_is_a_clean_rectangle() {
        for (c, g) in GLYPHS {
            let w = g[0].len();
            for line in g {
                assert_eq!(line.len(), w, "{c}");
                assert!(line.bytes().all(|b| b == b'#' || b == b'.'), "{c}");
            }
            assert!(g.iter().any(|l| l.contains('#')), "{c} is blank");
        }
        let mut chars: Vec<char> = GLYPHS.iter().map(|(c, _)| *c).collect();
        chars.sort_unstable();
        let n = chars.len();
        chars.dedup();
        assert_eq!(chars.len(), n, "a character drawn twice");
    }

    #[test]
    fn every_ticket_prefix_and_alphabet_letter_has_a_large_form() {
        for c in Catalogue::builtin().all() {
            assert!(has_glyph(c.prefix), "{}", c.prefix);
        }
        let kazakh_and_russian = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ";
        for c in kazakh_and_russian.chars().chain('A'..='Z').chain('0'..='9') {
            assert!(has_glyph(c), "{c}");
        }
    }

    fn draw(text: &str, scale: Scale) -> Vec<String> {
        let area = Rect::new(0, 0, Big::width(text, scale), Big::height(scale));
        let mut buf = Buffer::empty(area);
        Big {
            text,
            scale,
            style: Style::default(),
        }
        .render(area, &mut buf);
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    #[test]
    fn dots_become_half_blocks() {
        // "1" is 5 dots wide, 7 high: 4 rows, the last with only a top half
        let small = Scale::new(1, 1);
        assert_eq!(draw("1", small), [" ▄█  ", "  █  ", "  █  ", " ▀▀▀ "]);
        // every dot two columns wide and a full row high
        let double = Scale::new(2, 2);
        assert_eq!(draw("1", double)[0], "    ██    ");
        assert_eq!(draw("1", double)[1], "  ████    ");
        assert_eq!(draw("1", double).len(), 7);
        // three columns and two rows a dot: no half-filled edge anywhere
        let wall = Scale::new(3, 4);
        let rows = draw("Ж-017", wall);
        assert_eq!(rows.len(), 14);
        assert!(rows.iter().all(|r| !r.contains('▀') && !r.contains('▄')));
        assert_eq!(
            Big::width("Ж-017", small),
            5 + 1 + 3 + 1 + 5 + 1 + 5 + 1 + 5
        );
        assert_eq!(Big::width("Ж-017", wall), 3 * 27);
    }

    #[test]
    fn unknown_character_falls_back_to_itself() {
        let rows = draw("☺1", Scale::new(1, 1));
        assert!(rows.iter().any(|r| r.contains('☺')), "{rows:?}");
    }
}
