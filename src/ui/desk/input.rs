//! A text field: what the operator types, with a cursor. One line, or
//! several for the appeal's text. Control characters never get in.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// In characters.
    cursor: usize,
    multiline: bool,
    /// At most this many characters are taken; the rest of a paste is dropped.
    max: usize,
}

impl TextInput {
    pub fn line(max: usize) -> Self {
        TextInput {
            max,
            ..Default::default()
        }
    }

    pub fn multiline(max: usize) -> Self {
        TextInput {
            max,
            multiline: true,
            ..Default::default()
        }
    }

    pub fn with(mut self, text: &str) -> Self {
        self.set(text);
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// No more characters fit.
    pub fn is_full(&self) -> bool {
        self.text.chars().count() >= self.max
    }

    pub fn max(&self) -> usize {
        self.max
    }

    pub fn set(&mut self, text: &str) {
        self.text = crate::domain::sanitize(text, self.multiline);
        self.cursor = self.text.chars().count();
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn insert(&mut self, c: char) {
        if self.text.chars().count() >= self.max {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Handles an editing key; false when the key is not for the field.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char(c) if !ctrl && !c.is_control() => self.insert(c),
            KeyCode::Enter if self.multiline => self.insert('\n'),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Backspace => {}
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Delete => {}
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.text.chars().count()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.chars().count(),
            _ => return false,
        }
        true
    }

    /// One line `width` cells wide: the end of the text when it is longer,
    /// the cursor shown as a reversed cell when `focused`.
    pub fn view_line(&self, width: usize, focused: bool, masked: bool) -> Line<'static> {
        let shown: String = if masked {
            "•".repeat(self.text.chars().count())
        } else {
            self.text.replace('\n', " ")
        };
        let chars: Vec<char> = shown.chars().collect();
        let cursor = if focused { self.cursor } else { chars.len() };
        // keep the cursor in view: drop characters from the start
        let mut start = 0;
        while start < cursor
            && chars[start..cursor.min(chars.len())]
                .iter()
                .collect::<String>()
                .width()
                + 1
                > width.max(1)
        {
            start += 1;
        }
        let before: String = chars[start..cursor.min(chars.len())].iter().collect();
        if !focused {
            let all: String = chars[start..].iter().collect();
            return Line::from(truncate(&all, width));
        }
        let at: String = chars.get(cursor).map_or(" ".into(), |c| c.to_string());
        let after: String = chars.iter().skip(cursor + 1).collect();
        let room = width.saturating_sub(before.width() + at.width());
        Line::from(vec![
            Span::raw(before),
            Span::styled(at, Style::default().add_modifier(Modifier::REVERSED)),
            Span::raw(truncate(&after, room)),
        ])
    }

    /// Several lines, wrapped at `width`, the last `height` around the cursor.
    pub fn view_lines(&self, width: usize, height: usize, focused: bool) -> Vec<Line<'static>> {
        let width = width.max(2);
        // wrap by characters, remembering where the cursor lands
        let mut rows: Vec<Vec<char>> = vec![Vec::new()];
        let mut cursor_row = 0;
        let mut cursor_col = 0;
        for (i, c) in self.text.chars().enumerate() {
            if i == self.cursor {
                cursor_row = rows.len() - 1;
                cursor_col = rows.last().map_or(0, Vec::len);
            }
            if c == '\n' {
                rows.push(Vec::new());
                continue;
            }
            let row = rows.last_mut().expect("one row at least");
            if row.iter().collect::<String>().width() + 1 >= width {
                rows.push(Vec::new());
            }
            rows.last_mut().expect("one row").push(c);
        }
        if self.cursor >= self.text.chars().count() {
            let last = rows.last().map_or(0, Vec::len);
            if last + 1 >= width {
                rows.push(Vec::new());
            }
            cursor_row = rows.len() - 1;
            cursor_col = rows.last().map_or(0, Vec::len);
        }
        let first = (cursor_row + 1).saturating_sub(height.max(1));
        rows.iter()
            .enumerate()
            .skip(first)
            .take(height.max(1))
            .map(|(r, row)| {
                if focused && r == cursor_row {
                    let before: String = row[..cursor_col.min(row.len())].iter().collect();
                    let at = row.get(cursor_col).map_or(" ".into(), |c| c.to_string());
                    let after: String = row.iter().skip(cursor_col + 1).collect();
                    Line::from(vec![
                        Span::raw(before),
                        Span::styled(at, Style::default().add_modifier(Modifier::REVERSED)),
                        Span::raw(after),
                    ])
                } else {
                    Line::from(row.iter().collect::<String>())
                }
            })
            .collect()
    }
}

/// Cuts `s` to `width` cells, marking the cut with "…".
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Word-wraps one line of text at `width` cells (a word longer than a
/// line is cut).
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let extra = if line.is_empty() { 0 } else { 1 };
        if !line.is_empty() && line.width() + extra + word.width() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if line.width() > width {
            out.push(truncate(&line, width));
            line.clear();
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// `s` cut or padded with spaces to exactly `width` cells.
pub fn truncate_pad(s: &str, width: usize) -> String {
    let mut out = truncate(s, width);
    let w = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_and_editing_kazakh_letters() {
        let mut t = TextInput::line(20);
        for c in "Әлия".chars() {
            t.on_key(key(KeyCode::Char(c)));
        }
        t.on_key(key(KeyCode::Left));
        t.on_key(key(KeyCode::Backspace));
        assert_eq!(t.text(), "Әля");
        t.on_key(key(KeyCode::Home));
        t.on_key(key(KeyCode::Delete));
        assert_eq!(t.text(), "ля");
        // Enter is not text in a one-line field
        assert!(!t.on_key(key(KeyCode::Enter)));
    }

    #[test]
    fn length_limit_and_sanitised_set() {
        let mut t = TextInput::line(3);
        for c in "12345".chars() {
            t.on_key(key(KeyCode::Char(c)));
        }
        assert_eq!(t.text(), "123");
        t.set("a\u{1b}[31mb\u{202e}c");
        assert_eq!(t.text(), "abc");
    }

    #[test]
    fn wraps_words() {
        assert_eq!(wrap("один два три", 8), ["один два", "три"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn long_line_shows_its_end() {
        let t = TextInput::line(100).with("абвгдежзик");
        let line = t.view_line(6, true, false);
        let s: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(s, "ежзик ");
        let masked = TextInput::line(8).with("1357").view_line(10, false, true);
        assert_eq!(masked.spans[0].content, "••••");
    }

    #[test]
    fn multiline_wraps_and_follows_cursor() {
        let mut t = TextInput::multiline(100);
        for c in "один".chars() {
            t.on_key(key(KeyCode::Char(c)));
        }
        t.on_key(key(KeyCode::Enter));
        t.on_key(key(KeyCode::Char('2')));
        assert_eq!(t.text(), "один\n2");
        let mut t = TextInput::multiline(100);
        t.set("один\nдва три четыре");
        // 8 cells: 7 characters a row and room for the cursor
        let text: Vec<String> = t
            .view_lines(8, 3, false)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(text, ["два три", " четыре", ""]);
    }
}
