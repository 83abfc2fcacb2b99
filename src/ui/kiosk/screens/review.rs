//! Everything the citizen typed, once more, before it is recorded: send,
//! change, or throw away.

use super::super::step::{Choice, Draft, Target};
use super::super::{Hits, choices};
use super::Ctx;
use crate::domain::{Lang, Phone, sanitize};
use crate::tr;
use crate::ui::kit::wrap_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

fn row<'a>(label: String, value: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(
            format!("{label}: "),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value),
    ])
}

fn or_none(value: &str, lang: Lang) -> String {
    let clean = sanitize(value, false);
    if clean.trim().is_empty() {
        tr!(lang, "kiosk-review-not-given")
    } else {
        clean.trim().to_string()
    }
}

pub fn render(
    c: &Ctx<'_>,
    draft: &Draft,
    choice: &Choice,
    scroll: u16,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let lang = c.lang;
    let hint = tr!(lang, "kiosk-hint-choices");
    let body = c.frame(area, buf, &tr!(lang, "kiosk-review-title"), &hint);
    let mut lines = vec![row(
        tr!(lang, "kiosk-review-topic"),
        c.k.ctx.catalogue.name(&draft.category, lang),
    )];
    if draft.consent {
        // the phone as it will be stored, "+7 701 123 45 67"
        let phone = Phone::parse(&draft.phone)
            .map(|p| p.to_string())
            .unwrap_or_else(|_| or_none(&draft.phone, lang));
        lines.push(row(
            tr!(lang, "kiosk-review-name"),
            or_none(&draft.name, lang),
        ));
        lines.push(row(tr!(lang, "kiosk-review-phone"), phone));
        lines.push(row(
            tr!(lang, "kiosk-review-settlement"),
            or_none(&draft.settlement, lang),
        ));
        lines.push(row(
            tr!(lang, "kiosk-review-workplace"),
            or_none(&draft.workplace, lang),
        ));
    } else {
        lines.push(Line::from(tr!(lang, "kiosk-review-anonymous")));
    }
    lines.push(Line::from(Span::styled(
        format!("{}:", tr!(lang, "kiosk-review-text")),
        Style::default().add_modifier(Modifier::BOLD),
    )));
    for l in sanitize(&draft.text, true).trim().lines() {
        lines.push(Line::from(l.to_string()));
    }
    let labels = [
        tr!(lang, "kiosk-review-send"),
        tr!(lang, "kiosk-review-edit"),
        tr!(lang, "kiosk-review-cancel"),
    ];
    let button_rows = if body.height >= 10 { 3 } else { 1 };
    let buttons = Rect::new(
        body.x,
        body.bottom().saturating_sub(button_rows),
        body.width,
        button_rows.min(body.height),
    );
    // all of it, wrapped: a text longer than the screen scrolls (↑↓, the
    // wheel, or touching ▲ ▼), and the last row says there is more
    let area = Rect::new(
        body.x,
        body.y,
        body.width.saturating_sub(2),
        body.height.saturating_sub(button_rows + 1),
    );
    let rows: Vec<Line> = lines
        .into_iter()
        .flat_map(|l| wrap_line(l, area.width as usize))
        .collect();
    let overflow = rows.len() > area.height as usize;
    let shown = if overflow {
        area.height.saturating_sub(1)
    } else {
        area.height
    };
    let max = u16::try_from(rows.len().saturating_sub(shown as usize)).unwrap_or(u16::MAX);
    let first = scroll.min(max);
    hits.set_scroll_max(max);
    Paragraph::new(rows).scroll((first, 0)).render(
        Rect {
            height: shown,
            ..area
        },
        buf,
    );
    if overflow && area.height > 1 {
        let style = c.theme.focus;
        let x = body.right().saturating_sub(1);
        if first > 0 {
            let up = Rect::new(x, area.y, 1, 1);
            buf.set_string(up.x, up.y, "▲", style);
            hits.add(up, Target::Scroll(false));
        }
        let last = Rect::new(area.x, area.y + shown, body.width, 1);
        let (mark, words) = if first < max {
            ("▼", tr!(lang, "kiosk-review-more"))
        } else {
            ("▲", tr!(lang, "kiosk-review-end"))
        };
        buf.set_stringn(last.x, last.y, &words, area.width as usize, style);
        buf.set_string(x, last.y, mark, style);
        hits.add(last, Target::Scroll(first < max));
    }
    let placed = choices::row(buttons, &labels, true);
    choices::draw(&placed, &labels, Some(choice.selected), c.theme, buf);
    hits.add_choices(&placed);
}
