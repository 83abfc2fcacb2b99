//! Text cut to a number of terminal columns, with "…" where it was cut.
//! Columns, not characters: a wide letter takes two, a combining mark none.

use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` in at most `width` columns, ending with "…" when it did not fit
/// (nothing at all in zero columns).
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` cut or padded with spaces to exactly `width` columns (one less
/// when a wide letter would have straddled the end).
pub fn cut_pad(text: &str, width: usize) -> String {
    let mut out = cut(text, width);
    let w = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(w)));
    out
}

/// One line of text word-wrapped at `width` columns; a word longer than a
/// line is cut.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let extra = usize::from(!line.is_empty());
        if !line.is_empty() && line.width() + extra + word.width() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if line.width() > width {
            out.push(cut(&line, width));
            line.clear();
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// A line of spans word-wrapped at `width` (`wrap_words`), for a pane that
/// scrolls by rows and so must know them: a "label: value" line keeps its
/// first span's style (the label's) on its first row, the rest is plain.
pub fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    if text.width() <= width {
        return vec![line];
    }
    let label = line
        .spans
        .first()
        .filter(|_| line.spans.len() > 1)
        .map(|s| (s.content.trim_end().to_string(), s.style));
    wrap_words(&text, width)
        .into_iter()
        .enumerate()
        .map(|(i, row)| match &label {
            Some((l, style)) if i == 0 && row.starts_with(l.as_str()) => {
                let rest = row[l.len()..].to_string();
                Line::from(vec![Span::styled(l.clone(), *style), Span::raw(rest)])
            }
            _ => Line::from(row),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_fits_is_left_alone() {
        assert_eq!(cut("Әсел", 4), "Әсел");
        assert_eq!(cut("", 0), "");
    }

    #[test]
    fn kazakh_text_is_cut_by_columns_with_an_ellipsis() {
        // every Kazakh letter is one column wide, whatever its UTF-8 length
        assert_eq!(cut("Қызылорда облысы", 8), "Қызылор…");
        assert_eq!(cut("ӘҒҚҢӨҰҮҺІ", 5), "ӘҒҚҢ…");
        assert_eq!(cut("Қызылорда", 1), "…");
        assert_eq!(cut("Қызылорда", 0), "");
    }

    #[test]
    fn wide_letters_take_two_columns_and_are_not_split() {
        // 受理 is four columns: in three there is room for one and "…"
        assert_eq!(cut("受理窓口", 3), "受…");
        assert_eq!(cut("受理窓口", 4), "受…");
        assert_eq!(cut("受理窓口", 5), "受理…");
        assert_eq!(cut("受理窓口", 5).width(), 5);
        // a combining mark takes no column and stays with its letter
        assert_eq!(
            cut("и\u{306}и\u{306}и\u{306}", 3),
            "и\u{306}и\u{306}и\u{306}"
        );
    }

    #[test]
    fn cut_pad_gives_exactly_the_width() {
        assert_eq!(cut_pad("Әсел", 6), "Әсел  ");
        assert_eq!(cut_pad("Әсел Нұрланқызы", 6), "Әсел …");
        assert_eq!(cut_pad("受理窓口", 4), "受… ");
        for w in 0..12 {
            assert_eq!(cut_pad("Жұмабаев Серік", w).width(), w);
        }
    }

    #[test]
    fn a_label_and_its_value_wrap_and_the_label_keeps_its_style() {
        let bold = ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![
            Span::styled("Аты-жөні: ", bold),
            Span::raw("Сәрсенова Айгүл Қанатқызы"),
        ]);
        let rows = wrap_line(line, 20);
        let text: Vec<String> = rows.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, ["Аты-жөні: Сәрсенова", "Айгүл Қанатқызы"]);
        assert_eq!(rows[0].spans[0].style, bold);
        assert_eq!(rows[1].spans[0].style, ratatui::style::Style::default());
    }

    #[test]
    fn wraps_words() {
        assert_eq!(wrap_words("один два три", 8), ["один два", "три"]);
        assert_eq!(wrap_words("", 5), [""]);
        assert_eq!(wrap_words("Пәтерде суық", 4), ["Пәт…", "суық"]);
    }
}
