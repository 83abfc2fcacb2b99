//! The one text field of every screen: a citizen's name and appeal at the
//! kiosk, an operator's form and search at the desk, the supervisor's
//! login on the board. One line, or several (the appeal's text).
//!
//! What it promises: at most `max` characters; every inserted text,
//! typed or pasted, is cleaned by `domain::text::sanitize` as it comes in
//! (escape sequences, controls, bidi overrides never get in); a paste that
//! would not fit is refused whole, since a clipped appeal could lose the
//! part that matters; the cursor moves by characters, and up and down keep
//! the column.
//!
//! Why not a crate. `tui-input` (0.15, for ratatui 0.30) is one line only
//! and has no length limit or whole-text insert; `ratatui-textarea` (0.9)
//! is a whole editor (undo history, selections, yank, search, emacs keys
//! a kiosk must not have) without a length limit or a refusal of a paste,
//! so the limit, the paste rule and the sanitising would stay ours on top
//! of it, and its own scrolling and wrapping would move every field on the
//! screens. What it would save is the hundred lines of cursor arithmetic
//! below, which the tests here pin down.

use crate::domain::sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::cut;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// An empty one-line field taking at most `max` characters.
    pub fn line(max: usize) -> Self {
        TextInput::new("", false, max)
    }

    /// An empty multi-line field taking at most `max` characters.
    pub fn multiline(max: usize) -> Self {
        TextInput::new("", true, max)
    }

    /// A field holding `text`, cleaned and cut to `max`, the cursor at its end.
    pub fn new(text: &str, multiline: bool, max: usize) -> Self {
        let mut t = TextInput {
            chars: Vec::new(),
            cursor: 0,
            multiline,
            max,
        };
        t.set(text);
        t
    }

    pub fn with(mut self, text: &str) -> Self {
        self.set(text);
        self
    }

    /// Replaces the text (cleaned, cut to `max`); the cursor goes to its end.
    pub fn set(&mut self, text: &str) {
        self.chars = sanitize(text, self.multiline)
            .chars()
            .take(self.max)
            .collect();
        self.cursor = self.chars.len();
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Characters held.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Nothing but spaces (a required field left blank).
    pub fn is_blank(&self) -> bool {
        self.chars.iter().all(|c| c.is_whitespace())
    }

    /// No more characters fit.
    pub fn is_full(&self) -> bool {
        self.chars.len() >= self.max
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// Where the next letter goes, in characters.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Types one letter. Control characters are dropped, not refused.
    pub fn insert(&mut self, c: char) -> Result<(), TooLong> {
        let mut buf = [0; 4];
        let clean = sanitize(c.encode_utf8(&mut buf), self.multiline);
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

    /// Pastes text: all of it, or nothing when it would not fit.
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

    /// The desk's editing keys: letters, Enter in a multi-line field,
    /// Backspace, Delete, ←, →, Home, End. A letter that does not fit is
    /// dropped (the caller tells the operator, see `is_full`). False when
    /// the key is not for the field (↑↓ move between fields there).
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                let _ = self.insert(c);
            }
            KeyCode::Enter if self.multiline => {
                let _ = self.newline();
            }
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            _ => return false,
        }
        true
    }

    /// One line `width` cells wide: the end of the text when it is longer,
    /// the cursor shown as a reversed cell when `focused`; line breaks as
    /// spaces; `masked` draws every letter as a dot (PINs).
    pub fn view_line(&self, width: usize, focused: bool, masked: bool) -> Line<'static> {
        let chars: Vec<char> = if masked {
            vec!['•'; self.chars.len()]
        } else {
            self.chars
                .iter()
                .map(|&c| if c == '\n' { ' ' } else { c })
                .collect()
        };
        let cursor = if focused { self.cursor } else { chars.len() };
        // keep the cursor in view: drop characters from the start
        let cols = |s: &[char]| s.iter().map(|c| c.width().unwrap_or(0)).sum::<usize>();
        let mut start = 0;
        while start < cursor && cols(&chars[start..cursor]) + 1 > width.max(1) {
            start += 1;
        }
        let before: String = chars[start..cursor].iter().collect();
        if !focused {
            let all: String = chars[start..].iter().collect();
            return Line::from(cut(&all, width));
        }
        let at: String = chars.get(cursor).map_or(" ".into(), |c| c.to_string());
        let after: String = chars.iter().skip(cursor + 1).collect();
        let room = width.saturating_sub(before.width() + at.width());
        Line::from(vec![
            Span::raw(before),
            Span::styled(at, Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(cut(&after, room)),
        ])
    }

    /// The text word-wrapped at `width` columns, at most `height` rows,
    /// scrolled so the cursor's row is shown (the last one once the text
    /// is longer); the cursor a reversed cell when `focused`.
    pub fn view_lines(
        &self,
        width: usize,
        height: usize,
        focused: bool,
        style: Style,
    ) -> Vec<Line<'static>> {
        if width == 0 || height == 0 {
            return Vec::new();
        }
        let rows = wrap(&self.chars, width);
        let cursor_row = rows
            .iter()
            .rposition(|r| r.start <= self.cursor)
            .unwrap_or(0);
        let first = cursor_row.saturating_sub(height - 1);
        let at_cursor = style.add_modifier(Modifier::REVERSED);
        rows.iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(n, row)| {
                let mut spans: Vec<Span<'static>> = Vec::new();
                let mut plain = String::new();
                let mut used = 0;
                for i in row.start..row.end {
                    let c = self.chars[i];
                    let w = c.width().unwrap_or(0);
                    if used + w > width {
                        break;
                    }
                    if focused && i == self.cursor {
                        spans.push(Span::styled(std::mem::take(&mut plain), style));
                        spans.push(Span::styled(c.to_string(), at_cursor));
                    } else {
                        plain.push(c);
                    }
                    used += w;
                }
                spans.push(Span::styled(plain, style));
                // the cursor after the last letter of its line
                if focused
                    && n == cursor_row
                    && self.cursor >= row.end
                    && used < width
                    && (self.cursor == self.chars.len() || self.chars[self.cursor] == '\n')
                {
                    spans.push(Span::styled(" ", at_cursor));
                }
                spans.retain(|s| !s.content.is_empty());
                Line::from(spans)
            })
            .collect()
    }

    /// Draws `view_lines` into `area` (the kiosk's fields).
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style) {
        let lines = self.view_lines(area.width as usize, area.height as usize, true, style);
        for (y, line) in (area.y..).zip(lines.iter()) {
            buf.set_line(area.x, y, line, area.width);
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
/// after a space when one is on the row, else mid-word. No row holds a
/// line break.
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

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn shown(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn typing_and_editing_kazakh_letters() {
        let mut t = TextInput::line(5);
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
        // every Kazakh letter is one character, whatever its bytes
        let mut k = TextInput::line(9);
        k.paste("ӘҒҚҢӨҰҮҺІ").unwrap();
        assert!(k.is_full());
        k.left();
        k.backspace();
        assert_eq!(k.text(), "ӘҒҚҢӨҰҮІ");
    }

    #[test]
    fn the_desk_keys_edit_and_say_what_they_took() {
        let mut t = TextInput::line(3);
        for c in "12345".chars() {
            assert!(t.on_key(key(KeyCode::Char(c))));
        }
        assert_eq!(t.text(), "123", "letters past the limit are dropped");
        t.on_key(key(KeyCode::Left));
        t.on_key(key(KeyCode::Backspace));
        assert_eq!(t.text(), "13");
        t.on_key(key(KeyCode::Home));
        t.on_key(key(KeyCode::Delete));
        assert_eq!(t.text(), "3");
        // Enter is not text in a one-line field; ↑↓ move between fields
        assert!(!t.on_key(key(KeyCode::Enter)));
        assert!(!t.on_key(key(KeyCode::Up)));
        // Ctrl-S is a command, not the letter s
        assert!(!t.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
        assert_eq!(t.text(), "3");
        let mut m = TextInput::multiline(10);
        m.on_key(key(KeyCode::Char('а')));
        assert!(m.on_key(key(KeyCode::Enter)));
        m.on_key(key(KeyCode::Char('ә')));
        assert_eq!(m.text(), "а\nә");
    }

    #[test]
    fn escape_sequences_never_get_in() {
        let mut t = TextInput::line(100);
        t.paste("\u{1b}[31mСерік\u{1b}[0m\u{1b}]0;title\u{7} \u{202e}Ахметов\nекі")
            .unwrap();
        assert_eq!(t.text(), "Серік Ахметов екі");
        t.insert('\u{1b}').unwrap();
        t.insert('\u{7}').unwrap();
        t.insert('\u{202e}').unwrap();
        t.newline().unwrap();
        assert_eq!(t.text(), "Серік Ахметов екі");
        t.set("a\u{1b}[31mb\u{202e}c");
        assert_eq!(t.text(), "abc");
        // a multi-line field keeps line breaks and still drops the rest
        let mut m = TextInput::multiline(100);
        m.paste("бір\n\u{1b}[2Jекі").unwrap();
        assert_eq!(m.text(), "бір\nекі");
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
        // one letter too many is refused as well, not clipped
        assert_eq!(
            t.paste(&"ж".repeat(3998)),
            Err(TooLong {
                max: 4000,
                len: 4001
            })
        );
        assert_eq!(t.len(), 3);
        t.paste(&"ж".repeat(3997)).unwrap();
        assert!(t.is_full());
        // the limit counts what is left after cleaning
        let mut s = TextInput::line(3);
        s.paste("\u{1b}[31mабв\u{1b}[0m").unwrap();
        assert_eq!(s.text(), "абв");
    }

    #[test]
    fn set_cuts_to_the_limit() {
        let t = TextInput::line(4).with("Нұрсұлтан");
        assert_eq!(t.text(), "Нұрс");
        assert_eq!(t.cursor(), 4);
        assert!(TextInput::line(5).with("   ").is_blank());
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

    #[test]
    fn a_long_line_shows_its_end() {
        let t = TextInput::line(100).with("абвгдежзик");
        assert_eq!(shown(&t.view_line(6, true, false)), "ежзик ");
        // unfocused too: the end is what was typed last
        assert_eq!(shown(&t.view_line(6, false, false)), "ежзик");
        let masked = TextInput::line(8).with("1357").view_line(10, false, true);
        assert_eq!(masked.spans[0].content, "••••");
    }

    #[test]
    fn the_wrapped_view_follows_the_cursor() {
        let mut t = TextInput::multiline(100);
        t.set("бір\nекі үш төрт");
        let rows: Vec<String> = t
            .view_lines(7, 3, true, Style::default())
            .iter()
            .map(shown)
            .collect();
        assert_eq!(rows, ["бір", "екі үш ", "төрт "]);
        // two rows: the cursor's row is the last one shown
        let rows: Vec<String> = t
            .view_lines(7, 2, false, Style::default())
            .iter()
            .map(shown)
            .collect();
        assert_eq!(rows, ["екі үш ", "төрт"]);
        t.up();
        t.up();
        let first = t.view_lines(7, 1, true, Style::default());
        assert_eq!(shown(&first[0]), "бір");
    }
}
