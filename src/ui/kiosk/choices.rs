//! Numbered choices: the kiosk's buttons. One layout function decides
//! where each choice is drawn; the same rectangles are what a click or a
//! touch is tested against, so what you see is what you touch.

use crate::ui::kit::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget};
use std::time::{Duration, Instant};
use unicode_width::UnicodeWidthStr;

/// Where each visible choice goes, and whether it is a bordered button
/// (three rows) or a single line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placed {
    /// (index of the choice, its rectangle), for the choices that fit.
    pub items: Vec<(usize, Rect)>,
    pub boxed: bool,
    /// Rows per column: what Left and Right jump by in two columns.
    pub rows: usize,
    /// Whether labels carry their number (a typed digit picks them).
    pub numbered: bool,
}

const GAP: u16 = 2;

fn label_text(index: usize, label: &str, count: usize, numbered: bool) -> String {
    if !numbered {
        return label.to_string();
    }
    let width = count.to_string().len();
    format!("{:>width$}  {label}", index + 1)
}

fn text_width(s: &str) -> u16 {
    u16::try_from(s.width()).unwrap_or(u16::MAX)
}

/// A column (or two) of numbered choices filling `area`: bordered buttons
/// when there is room, single lines when not, and a window that follows
/// the selection when even those do not all fit.
pub fn list(area: Rect, labels: &[String], selected: usize) -> Placed {
    let n = labels.len();
    if n == 0 || area.width == 0 || area.height == 0 {
        return Placed::default();
    }
    let widest = labels
        .iter()
        .enumerate()
        .map(|(i, l)| text_width(&label_text(i, l, n, true)))
        .max()
        .unwrap_or(0);
    for (cols, height) in [(1u16, 3u16), (2, 3), (1, 1), (2, 1)] {
        let rows = n.div_ceil(cols as usize);
        if rows * height as usize > area.height as usize {
            continue;
        }
        let need = widest + if height == 3 { 4 } else { 2 };
        let col_width = area.width.saturating_sub(GAP * (cols - 1)) / cols;
        if cols == 2 && need > col_width {
            continue;
        }
        // one column: wide enough for the longest label, centred, never
        // narrower than a comfortable touch target
        let (width, left) = if cols == 1 {
            let w = need.max(30).min(area.width);
            (w, area.x + (area.width - w) / 2)
        } else {
            (col_width, area.x)
        };
        let top = area.y + (area.height - rows as u16 * height) / 2;
        let items = (0..n)
            .map(|i| {
                let (c, r) = ((i / rows) as u16, (i % rows) as u16);
                let x = left + c * (col_width + GAP);
                (i, Rect::new(x, top + r * height, width, height))
            })
            .collect();
        return Placed {
            items,
            boxed: height == 3,
            rows,
            numbered: true,
        };
    }
    // a scrolling window of single lines around the selection
    let visible = area.height as usize;
    let first = selected
        .min(n - 1)
        .saturating_sub(visible - 1)
        .min(n.saturating_sub(visible));
    let items = (first..n.min(first + visible))
        .enumerate()
        .map(|(row, i)| (i, Rect::new(area.x, area.y + row as u16, area.width, 1)))
        .collect();
    Placed {
        items,
        boxed: false,
        rows: n,
        numbered: true,
    }
}

/// Buttons side by side at the bottom of `area` (Back / Next, Send / Edit /
/// Cancel), or stacked lines when the window is too narrow.
pub fn row(area: Rect, labels: &[String], numbered: bool) -> Placed {
    let n = labels.len();
    if n == 0 || area.width == 0 || area.height == 0 {
        return Placed::default();
    }
    let widths: Vec<u16> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| text_width(&label_text(i, l, n, numbered)) + 4)
        .collect();
    let total = widths.iter().sum::<u16>() + GAP * (n as u16 - 1);
    if total <= area.width {
        let height = if area.height >= 3 { 3 } else { 1 };
        let mut x = area.x + (area.width - total) / 2;
        let y = area.y + area.height - height;
        let items = widths
            .iter()
            .enumerate()
            .map(|(i, &w)| {
                let r = Rect::new(x, y, w, height);
                x += w + GAP;
                (i, r)
            })
            .collect();
        return Placed {
            items,
            boxed: height == 3,
            rows: 1,
            numbered,
        };
    }
    let visible = (area.height as usize).min(n);
    let top = area.y + area.height - visible as u16;
    let items = (0..visible)
        .map(|i| (i, Rect::new(area.x, top + i as u16, area.width, 1)))
        .collect();
    Placed {
        items,
        boxed: false,
        rows: n,
        numbered,
    }
}

/// Keys of equal width in as many columns as fit (of `columns`, fewer on a
/// narrow screen), boxed when every row can be three cells high: a touch
/// keypad, which a single row of twelve keys would not fit at 80 columns.
pub fn grid(area: Rect, labels: &[String], columns: &[usize], key_width: u16) -> Placed {
    let n = labels.len();
    if n == 0 || area.width == 0 || area.height == 0 {
        return Placed::default();
    }
    let fits = |cols: usize| key_width * cols as u16 + GAP * (cols as u16 - 1) <= area.width;
    let Some(cols) = columns
        .iter()
        .copied()
        .filter(|&c| c > 0)
        .find(|&c| fits(c))
    else {
        return row(area, labels, false);
    };
    let rows = n.div_ceil(cols);
    let height = if area.height as usize >= rows * 3 {
        3
    } else {
        1
    };
    let total = key_width * cols as u16 + GAP * (cols as u16 - 1);
    let left = area.x + (area.width - total) / 2;
    let items = (0..n)
        .filter_map(|i| {
            let (r, c) = ((i / cols) as u16, (i % cols) as u16);
            let y = area.y + r * height;
            (y + height <= area.bottom()).then(|| {
                (
                    i,
                    Rect::new(left + c * (key_width + GAP), y, key_width, height),
                )
            })
        })
        .collect();
    Placed {
        items,
        boxed: height == 3,
        rows,
        numbered: false,
    }
}

/// Draws the placed choices; `selected` is highlighted.
pub fn draw(
    placed: &Placed,
    labels: &[String],
    selected: Option<usize>,
    theme: &Theme,
    buf: &mut Buffer,
) {
    let n = labels.len();
    for &(i, rect) in &placed.items {
        let style = if Some(i) == selected {
            theme.called
        } else {
            Style::default()
        };
        let text = label_text(i, &labels[i], n, placed.numbered);
        // a marker as well as the colour: monochrome screens see it too
        let marker = if Some(i) == selected && placed.numbered {
            ">"
        } else {
            " "
        };
        if placed.boxed {
            let block = Block::bordered().style(style);
            let inner = block.inner(rect);
            block.render(rect, buf);
            buf.set_stringn(inner.x, inner.y, marker, inner.width as usize, style);
            Paragraph::new(Line::from(text))
                .alignment(Alignment::Left)
                .style(style)
                .render(inner.offset_x(1), buf);
        } else {
            buf.set_style(rect, style);
            buf.set_stringn(
                rect.x,
                rect.y,
                format!("{marker}{text}"),
                rect.width as usize,
                style,
            );
        }
    }
}

trait OffsetX {
    fn offset_x(self, by: u16) -> Rect;
}

impl OffsetX for Rect {
    fn offset_x(self, by: u16) -> Rect {
        let by = by.min(self.width);
        Rect::new(self.x + by, self.y, self.width - by, self.height)
    }
}

/// The choice at a clicked cell, if any.
#[cfg(test)]
pub fn hit(placed: &Placed, column: u16, row: u16) -> Option<usize> {
    placed
        .items
        .iter()
        .find(|(_, r)| r.contains(ratatui::layout::Position::new(column, row)))
        .map(|&(i, _)| i)
}

/// Typed numbers: "3" picks choice 3 at once when no other choice starts
/// with 3; "1" among eleven choices waits a moment for a second digit
/// ("11"), the screen saying so, and then takes choice 1 by itself (Enter
/// takes it at once). A citizen who presses the number shown gets that
/// choice, however long the list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Digits {
    typed: String,
    at: Option<Instant>,
}

/// What a typed digit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigitResult {
    /// Take this choice now.
    Choose(usize),
    /// Highlight this choice and wait for another digit or Enter.
    Select(usize),
    /// No choice has this number.
    Nothing,
}

/// How long a first digit waits for a second, then it is taken: short
/// enough that a citizen does not think the press was lost (and press
/// again, making "11"), long enough for two digits typed as one number.
pub const DIGIT_PAUSE: Duration = Duration::from_millis(1000);

impl Digits {
    pub fn push(&mut self, digit: char, count: usize, now: Instant) -> DigitResult {
        let stale = self
            .at
            .is_none_or(|at| now.duration_since(at) > DIGIT_PAUSE);
        if stale {
            self.typed.clear();
        }
        self.typed.push(digit);
        self.at = Some(now);
        let result = resolve(&self.typed, count);
        if result == DigitResult::Nothing && self.typed.len() > 1 {
            // "1" then "5" among eleven: start again from "5"
            self.typed = digit.to_string();
            return self.finish(resolve(&self.typed, count));
        }
        self.finish(result)
    }

    fn finish(&mut self, r: DigitResult) -> DigitResult {
        if !matches!(r, DigitResult::Select(_)) {
            self.clear();
        }
        r
    }

    pub fn clear(&mut self) {
        self.typed.clear();
        self.at = None;
    }

    /// The digits that wait for another, and the longer numbers they could
    /// still become ("1" among eleven: 10 and 11), for the screen to show.
    pub fn pending(&self, count: usize) -> Option<(&str, Vec<usize>)> {
        if self.typed.is_empty() {
            return None;
        }
        let typed = self.typed.as_str();
        let number = typed.parse::<usize>().ok();
        let longer = (1..=count)
            .filter(|&k| Some(k) != number && k.to_string().starts_with(typed))
            .collect();
        Some((typed, longer))
    }

    /// A number that waited `DIGIT_PAUSE` for a second digit in vain: its
    /// choice, to be taken now (once).
    pub fn due(&mut self, count: usize, now: Instant) -> Option<usize> {
        let at = self.at?;
        if now.duration_since(at) < DIGIT_PAUSE {
            return None;
        }
        let typed = std::mem::take(&mut self.typed);
        self.at = None;
        match resolve(&typed, count) {
            DigitResult::Select(i) | DigitResult::Choose(i) => Some(i),
            DigitResult::Nothing => None,
        }
    }
}

fn resolve(typed: &str, count: usize) -> DigitResult {
    let Ok(number) = typed.parse::<usize>() else {
        return DigitResult::Nothing;
    };
    if number == 0 || number > count {
        return DigitResult::Nothing;
    }
    let longer = (1..=count).any(|k| k != number && k.to_string().starts_with(typed));
    if longer {
        DigitResult::Select(number - 1)
    } else {
        DigitResult::Choose(number - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("choice {i}")).collect()
    }

    #[test]
    fn digits_choose_at_once_or_wait_for_a_second() {
        let t0 = Instant::now();
        let mut d = Digits::default();
        assert_eq!(d.push('3', 5, t0), DigitResult::Choose(2));
        assert_eq!(d.push('7', 5, t0), DigitResult::Nothing);
        assert_eq!(d.push('1', 11, t0), DigitResult::Select(0));
        assert_eq!(d.push('1', 11, t0), DigitResult::Choose(10));
        assert_eq!(d.push('1', 11, t0), DigitResult::Select(0));
        assert_eq!(d.push('0', 11, t0), DigitResult::Choose(9));
        // a second digit too late starts a new number
        assert_eq!(d.push('1', 11, t0), DigitResult::Select(0));
        let later = t0 + DIGIT_PAUSE + Duration::from_millis(1);
        assert_eq!(d.push('4', 11, later), DigitResult::Choose(3));
        // "1" then "5": no choice 15, so 5
        assert_eq!(d.push('1', 11, t0), DigitResult::Select(0));
        assert_eq!(d.push('5', 11, t0), DigitResult::Choose(4));
        assert_eq!(d.push('0', 5, t0), DigitResult::Nothing);
    }

    #[test]
    fn a_first_digit_alone_is_taken_after_the_pause() {
        let t0 = Instant::now();
        let mut d = Digits::default();
        assert_eq!(d.push('1', 11, t0), DigitResult::Select(0));
        assert_eq!(d.pending(11), Some(("1", vec![10, 11])));
        assert_eq!(d.due(11, t0 + DIGIT_PAUSE / 2), None, "still waiting");
        assert_eq!(d.due(11, t0 + DIGIT_PAUSE), Some(0));
        // taken once: nothing waits any more
        assert_eq!(d.due(11, t0 + DIGIT_PAUSE * 2), None);
        assert_eq!(d.pending(11), None);
        // a number chosen at once never waits
        assert_eq!(d.push('5', 11, t0), DigitResult::Choose(4));
        assert_eq!(d.due(11, t0 + DIGIT_PAUSE * 2), None);
    }

    #[test]
    fn every_choice_is_hit_where_it_is_drawn() {
        for (w, h) in [(80, 18), (80, 12), (40, 6), (20, 4), (20, 1)] {
            let area = Rect::new(0, 2, w, h);
            for n in [2, 3, 5, 11] {
                let placed = list(area, &labels(n), n - 1);
                assert!(!placed.items.is_empty(), "{w}x{h} n={n}");
                for &(i, r) in &placed.items {
                    assert!(area.contains(r.as_position()), "{w}x{h} {r:?}");
                    assert!(r.right() <= area.right() && r.bottom() <= area.bottom());
                    assert_eq!(hit(&placed, r.x, r.y), Some(i));
                    assert_eq!(hit(&placed, r.right() - 1, r.bottom() - 1), Some(i));
                }
                // the selection is always visible
                assert!(placed.items.iter().any(|&(i, _)| i == n - 1));
            }
        }
    }

    #[test]
    fn eleven_topics_fit_as_buttons_at_80x24() {
        let placed = list(Rect::new(0, 3, 80, 18), &labels(11), 0);
        assert!(placed.boxed);
        assert_eq!(placed.items.len(), 11);
        assert_eq!(placed.rows, 6);
        assert_eq!(hit(&placed, 0, 0), None);
    }

    #[test]
    fn buttons_in_a_row_or_stacked() {
        let l = vec!["Back".to_string(), "Next".to_string()];
        let wide = row(Rect::new(0, 0, 80, 3), &l, false);
        assert!(wide.boxed);
        assert_eq!(wide.items[0].1.y, wide.items[1].1.y);
        let narrow = row(Rect::new(0, 0, 12, 2), &l, false);
        assert!(!narrow.boxed);
        assert_eq!(narrow.items.len(), 2);
        assert_ne!(narrow.items[0].1.y, narrow.items[1].1.y);
    }
}
