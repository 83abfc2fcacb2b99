//! A text field a citizen types into: one line (name, phone) or many (the
//! appeal). It holds at most `max` characters; anything typed or pasted is
//! cleaned of control characters and escape sequences as it comes in.

use crate::domain::sanitize;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    chars: Vec<char>,
    /// Index into `chars` where the next letter goes.
    cursor: usize,
    multiline: bool,
    max: usize,
}

/// The input refused a letter or a paste because the field would hold more
/// than `max` characters; `len` is how many it would have held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    pub max: usize,
    pub len: usize,
}

impl TextInput {
    pub fn new(text: &str, multiline: bool, max: usize) -> Self {
        let chars: Vec<char> = sanitize(text, multiline).chars().take(max).collect();
        TextInput {
            cursor: chars.len(),
            chars,
            multiline,
            max,
        }
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// Types one letter. Control characters are dropped, not refused.
    pub fn insert(&mut self, c: char) -> Result<(), TooLong> {
        let clean = sanitize(&c.to_string(), self.multiline);
        self.insert_clean(&clean.chars().collect::<Vec<_>>())
    }

    /// A line break in a multi-line field; nothing in a one-line field.
    pub fn newline(&mut self) -> Result<(), TooLong> {
        if self.multiline {
            self.insert_clean(&['\n'])
        } else {
            Ok(())
        }
    }

    /// Pastes text: all of it, or nothing when it would not fit (a clipped
    /// appeal could lose the part that matters).
    pub fn paste(&mut self, text: &str) -> Result<(), TooLong> {
        let clean: Vec<char> = sanitize(text, self.multiline).chars().collect();
        self.insert_clean(&clean)
    }

    fn insert_clean(&mut self, clean: &[char]) -> Result<(), TooLong> {
        let len = self.chars.len() + clean.len();
        if len > self.max {
            return Err(TooLong { max: self.max, len });
        }
        self.chars
            .splice(self.cursor..self.cursor, clean.iter().copied());
        self.cursor += clean.len();
        Ok(())
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    /// To the start of the current line.
    pub fn home(&mut self) {
        self.cursor = self.line_start(self.cursor);
    }

    /// To the end of the current line.
    pub fn end(&mut self) {
        self.cursor = self.line_end(self.cursor);
    }

    /// To the same column of the line above (multi-line fields).
    pub fn up(&mut self) {
        let start = self.line_start(self.cursor);
        if start == 0 {
            self.cursor = 0;
            return;
        }
        let column = self.cursor - start;
        let prev_start = self.line_start(start - 1);
        self.cursor = (prev_start + column).min(start - 1);
    }

    /// To the same column of the line below (multi-line fields).
    pub fn down(&mut self) {
        let end = self.line_end(self.cursor);
        if end >= self.chars.len() {
            self.cursor = self.chars.len();
            return;
        }
        let column = self.cursor - self.line_start(self.cursor);
        let next_start = end + 1;
        self.cursor = (next_start + column).min(self.line_end(next_start));
    }

    fn line_start(&self, at: usize) -> usize {
        self.chars[..at]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1)
    }

    fn line_end(&self, at: usize) -> usize {
        self.chars[at..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(self.chars.len(), |i| at + i)
    }

    /// Draws the text wrapped at word boundaries, scrolled so the cursor
    /// shows, with the cursor as a reversed cell. `mask` draws each letter as
    /// a dot (PINs).
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style, mask: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let rows = wrap(&self.chars, area.width as usize);
        let cursor_row = rows
            .iter()
            .rposition(|r| r.start <= self.cursor)
            .unwrap_or(0);
        let first = cursor_row.saturating_sub(area.height as usize - 1);
        for (screen_row, row) in rows
            .iter()
            .skip(first)
            .take(area.height as usize)
            .enumerate()
        {
            let y = area.y + screen_row as u16;
            let mut x = area.x;
            for i in row.start..row.end {
                let c = if mask { '*' } else { self.chars[i] };
                let w = c.width().unwrap_or(0) as u16;
                if c == '\n' || x + w > area.right() {
                    break;
                }
                let cell_style = if i == self.cursor {
                    style.add_modifier(Modifier::REVERSED)
                } else {
                    style
                };
                buf.set_string(x, y, c.to_string(), cell_style);
                x += w;
            }
            if first + screen_row == cursor_row
                && self.cursor >= row.end
                && x < area.right()
                && (self.cursor == self.chars.len() || self.chars[self.cursor] == '\n')
            {
                buf.set_string(x, y, " ", style.add_modifier(Modifier::REVERSED));
            }
        }
    }
}

/// One screen row of wrapped text: `chars[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    start: usize,
    end: usize,
}

/// Splits at line breaks, then wraps each line at `width` columns, breaking
/// after a space when one is on the row, else mid-word.
fn wrap(chars: &[char], width: usize) -> Vec<Row> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut start = 0;
    loop {
        let line_end = chars[start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |i| start + i);
        wrap_line(chars, start, line_end, width, &mut rows);
        if line_end >= chars.len() {
            break;
        }
        start = line_end + 1;
    }
    rows
}

fn wrap_line(chars: &[char], start: usize, end: usize, width: usize, rows: &mut Vec<Row>) {
    let mut row_start = start;
    loop {
        let mut used = 0;
        let mut i = row_start;
        let mut last_space = None;
        while i < end {
            let w = chars[i].width().unwrap_or(0);
            if used + w > width {
                break;
            }
            if chars[i] == ' ' {
                last_space = Some(i);
            }
            used += w;
            i += 1;
        }
        if i >= end {
            rows.push(Row {
                start: row_start,
                end,
            });
            return;
        }
        let cut = match last_space {
            Some(s) if s > row_start => s + 1,
            _ => i.max(row_start + 1),
        };
        rows.push(Row {
            start: row_start,
            end: cut,
        });
        row_start = cut;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_editing_and_the_limit() {
        let mut t = TextInput::new("", false, 5);
        for c in "Әлия".chars() {
            t.insert(c).unwrap();
        }
        t.left();
        t.left();
        t.backspace();
        assert_eq!(t.text(), "Әия");
        t.end();
        t.insert('!').unwrap();
        t.insert('?').unwrap();
        assert_eq!(t.insert('x'), Err(TooLong { max: 5, len: 6 }));
        assert_eq!(t.text(), "Әия!?");
        t.home();
        t.delete();
        assert_eq!(t.text(), "ия!?");
    }

    #[test]
    fn escape_sequences_never_get_in() {
        let mut t = TextInput::new("", false, 100);
        t.paste("\u{1b}[31mСерік\u{1b}[0m\u{1b}]0;title\u{7} \u{202e}Ахметов\nекі")
            .unwrap();
        assert_eq!(t.text(), "Серік Ахметов екі");
        t.insert('\u{1b}').unwrap();
        t.insert('\u{7}').unwrap();
        t.newline().unwrap();
        assert_eq!(t.text(), "Серік Ахметов екі");
    }

    #[test]
    fn a_paste_that_does_not_fit_is_refused_whole() {
        let mut t = TextInput::new("бар", true, 4000);
        let mb = "ә".repeat(1 << 20);
        assert_eq!(
            t.paste(&mb),
            Err(TooLong {
                max: 4000,
                len: 3 + (1 << 20)
            })
        );
        assert_eq!(t.text(), "бар");
    }

    #[test]
    fn up_and_down_keep_the_column() {
        let mut t = TextInput::new("абвгд\nеж\nзийкл", true, 100);
        t.up();
        assert_eq!(t.cursor, 8); // end of "еж"
        t.up();
        assert_eq!(t.cursor, 2);
        t.down();
        t.down();
        assert_eq!(t.cursor, 11);
        t.down();
        assert_eq!(t.cursor, t.len());
    }

    #[test]
    fn wrapping_breaks_after_spaces() {
        let chars: Vec<char> = "бір екі үш\nтөрт".chars().collect();
        let rows = wrap(&chars, 7);
        let text: Vec<String> = rows
            .iter()
            .map(|r| chars[r.start..r.end].iter().collect())
            .collect();
        assert_eq!(text, ["бір ", "екі үш", "төрт"]);
        let long: Vec<char> = "абвгдеж".chars().collect();
        assert_eq!(wrap(&long, 3).len(), 3);
        assert_eq!(wrap(&[], 3), [Row { start: 0, end: 0 }]);
    }
}
