//! Everything the citizen typed, once more, before it is recorded: send,
//! change, or throw away.

use super::super::step::{Choice, Draft};
use super::super::{Hits, choices};
use super::Ctx;
use crate::domain::{Lang, Phone, sanitize};
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

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
    // the text is cut at the bottom when long: all of it was seen while typing
    let text_area = Rect::new(
        body.x,
        body.y,
        body.width,
        body.height.saturating_sub(button_rows + 1),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(text_area, buf);
    let placed = choices::row(buttons, &labels, true);
    choices::draw(&placed, &labels, Some(choice.selected), c.theme, buf);
    hits.add_choices(&placed);
}
