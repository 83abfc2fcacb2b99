//! The on-screen keyboard of a touch kiosk (`[kiosk] touch = true`): shown
//! under a field of the written appeal, every key a touch target. Four
//! layouts: Kazakh (the nine Kazakh letters on a row of their own above
//! the Russian ЙЦУКЕН rows, as on a Kazakh keyboard), Russian, Latin (with
//! the marked letters of the Kazakh Latin alphabet) and digits with the
//! signs an address or a phone needs. One shift for the next letter: names
//! start with a capital.

use crate::domain::Lang;

/// Which keys are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    Kazakh,
    Russian,
    Latin,
    Digits,
}

impl Layout {
    pub const ALL: [Layout; 4] = [
        Layout::Kazakh,
        Layout::Russian,
        Layout::Latin,
        Layout::Digits,
    ];

    /// The label of the key that switches to this layout.
    pub fn label(self) -> &'static str {
        match self {
            Layout::Kazakh => "ҚАЗ",
            Layout::Russian => "РУС",
            Layout::Latin => "LAT",
            Layout::Digits => "123",
        }
    }

    /// The letter rows, lower case.
    fn rows(self) -> &'static [&'static str] {
        match self {
            Layout::Kazakh => &["әіңғүұқөһ", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбюё"],
            Layout::Russian => &["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбюё"],
            Layout::Latin => &["äğıñöşūüç", "qwertyuiop", "asdfghjkl", "zxcvbnm"],
            Layout::Digits => &["1234567890", "+-()/.,:;", "«»\"'!?№"],
        }
    }
}

/// A key of the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Space,
    Backspace,
    /// The next letter in upper case.
    Shift,
    /// A new line (the appeal's text only).
    NewLine,
    Layout(Layout),
}

/// The keyboard as it stands: its layout, and whether the next letter is
/// a capital.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Keyboard {
    pub layout: Layout,
    pub shift: bool,
}

impl Keyboard {
    /// The keyboard a field starts with: digits for a number (the phone),
    /// else the citizen's language; a name (`capital`) starts with a
    /// capital.
    pub fn for_field(lang: Lang, number: bool, capital: bool) -> Keyboard {
        let layout = match (number, lang) {
            (true, _) => Layout::Digits,
            (_, Lang::Kk) => Layout::Kazakh,
            (_, Lang::Ru) => Layout::Russian,
            (_, Lang::En) => Layout::Latin,
        };
        Keyboard {
            layout,
            shift: capital,
        }
    }

    /// The rows of keys to draw, the last one the keys that are no letter
    /// (with a new-line key for a `multiline` field).
    pub fn rows(&self, multiline: bool) -> Vec<Vec<Key>> {
        let mut rows: Vec<Vec<Key>> = self
            .layout
            .rows()
            .iter()
            .map(|r| r.chars().map(|c| Key::Char(self.case(c))).collect())
            .collect();
        let mut last = vec![Key::Shift, Key::Space, Key::Backspace];
        if multiline {
            last.push(Key::NewLine);
        }
        last.extend(
            Layout::ALL
                .into_iter()
                .filter(|l| *l != self.layout)
                .map(Key::Layout),
        );
        rows.push(last);
        rows
    }

    fn case(&self, c: char) -> char {
        if self.shift {
            c.to_uppercase().next().unwrap_or(c)
        } else {
            c
        }
    }

    /// What a touched key types, if anything; the keyboard changes with
    /// it (a shift is spent on one letter, a layout key switches).
    pub fn press(&mut self, key: Key) -> Option<char> {
        match key {
            Key::Char(c) => {
                self.shift = false;
                Some(c)
            }
            Key::Space => Some(' '),
            Key::Backspace => Some('\u{8}'),
            Key::NewLine => Some('\n'),
            Key::Shift => {
                self.shift = !self.shift;
                None
            }
            Key::Layout(l) => {
                self.layout = l;
                None
            }
        }
    }
}

/// A key's label on screen.
pub fn label(key: Key) -> String {
    match key {
        Key::Char(c) => c.to_string(),
        Key::Space => "␣".to_string(),
        Key::Backspace => "⌫".to_string(),
        Key::Shift => "⇧".to_string(),
        Key::NewLine => "↵".to_string(),
        Key::Layout(l) => l.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kazakh_layout_has_every_kazakh_letter() {
        let k = Keyboard {
            layout: Layout::Kazakh,
            shift: false,
        };
        let keys: String = k
            .rows(true)
            .into_iter()
            .flatten()
            .filter_map(|k| match k {
                Key::Char(c) => Some(c),
                _ => None,
            })
            .collect();
        for c in "әғқңөұүһі".chars() {
            assert!(keys.contains(c), "{c}");
        }
        // and the whole Russian alphabet
        for c in "абвгдеёжзийклмнопрстуфхцчшщъыьэюя".chars() {
            assert!(keys.contains(c), "{c}");
        }
    }

    #[test]
    fn shift_makes_one_capital() {
        let mut k = Keyboard::for_field(Lang::Kk, false, true);
        assert!(k.shift, "a name starts with a capital");
        assert_eq!(k.rows(false)[0][0], Key::Char('Ә'));
        assert_eq!(k.press(Key::Char('Ә')), Some('Ә'));
        assert!(!k.shift);
        assert_eq!(k.rows(false)[0][0], Key::Char('ә'));
        assert_eq!(k.press(Key::Layout(Layout::Latin)), None);
        assert_eq!(k.layout, Layout::Latin);
        assert_eq!(
            Keyboard::for_field(Lang::Ru, true, false).layout,
            Layout::Digits
        );
    }
}
