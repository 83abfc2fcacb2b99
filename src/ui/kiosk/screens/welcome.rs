//! The first screen: a greeting and the language choice, in every language
//! the point offers, since nobody has chosen one yet.

use super::super::Hits;
use super::super::choices;
use super::super::chrome;
use super::super::step::Choice;
use super::Ctx;
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

pub fn render(c: &Ctx<'_>, choice: &Choice, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let langs = c.k.languages();
    let roomy = area.height >= 16;
    chrome::draw(
        area,
        buf,
        &chrome::Frame {
            theme: c.theme,
            point: &c.point,
            language: None,
            title: "",
            problem: None,
            notice: None,
            hint: "",
        },
    );
    let greeting: Vec<String> = langs.iter().map(|&l| tr!(l, "kiosk-welcome")).collect();
    let ask: Vec<String> = langs
        .iter()
        .map(|&l| tr!(l, "kiosk-choose-language"))
        .collect();
    let inner = Rect::new(area.x + 1, area.y + 1, area.width - 2, area.height - 1);
    let gap = u16::from(roomy);
    // as much of the greeting as leaves the choices room: boxed if possible
    let candidates = [
        format!("{}\n{}", greeting.join("\n"), ask.join("\n")),
        format!("{}\n{}", greeting.join("\n"), ask.join(" / ")),
        format!("{}\n{}", greeting.join("  "), ask.join(" / ")),
        greeting.join("  "),
    ];
    let n = langs.len() as u16;
    let fits = |text: &str, choice_rows: u16| {
        chrome::rows_for(text, inner.width) + 2 * gap + choice_rows < inner.height
    };
    let text = [n * 3, n]
        .iter()
        .find_map(|&rows| candidates.iter().find(|t| fits(t, rows)))
        .cloned()
        .unwrap_or_default();
    let mut y = inner.y + gap;
    let rows = chrome::rows_for(&text, inner.width).min(inner.height.saturating_sub(n + 1));
    if !text.is_empty() {
        chrome::paragraph(
            Rect::new(inner.x, y, inner.width, rows),
            buf,
            &text,
            chrome::title_style(c.theme).add_modifier(Modifier::BOLD),
        );
        y += rows + gap;
    }
    let labels: Vec<String> = langs.iter().map(|l| l.native_name().to_string()).collect();
    let list = Rect::new(
        inner.x,
        y,
        inner.width,
        inner.bottom().saturating_sub(y + 1),
    );
    let placed = choices::list(list, &labels, choice.selected);
    choices::draw(&placed, &labels, Some(choice.selected), c.theme, buf);
    hits.add_choices(&placed);
    let hint = format!("1-{}   Enter", labels.len());
    chrome::paragraph(
        Rect::new(area.x, area.bottom() - 1, area.width, 1),
        buf,
        &hint,
        chrome::hint_style(c.theme),
    );
}
