//! The appeal is recorded (durably: this screen comes only after the
//! commit): its number, and what happens next.

use super::super::step::Target;
use super::super::{Hits, choices, chrome};
use super::Ctx;
use crate::app::kiosk::AppealReceived;
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Widget};
use std::time::Instant;

pub fn render(
    c: &Ctx<'_>,
    received: &AppealReceived,
    anonymous: bool,
    since: Instant,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let lang = c.lang;
    let hint = tr!(
        lang,
        "kiosk-closes-in",
        seconds = c.seconds_left(since) as i64
    );
    let body = c.frame(area, buf, &tr!(lang, "kiosk-receipt-title"), &hint);
    let number = received.number.to_string();
    let label = tr!(lang, "kiosk-receipt-number", number = number.clone());
    let next = if anonymous {
        tr!(lang, "kiosk-receipt-anonymous")
    } else {
        tr!(lang, "kiosk-receipt-contact")
    };
    let text = format!("{}\n{next}", tr!(lang, "kiosk-receipt-keep"));
    let button = [tr!(lang, "kiosk-done")];
    let roomy = body.height >= 12;
    let mut y = body.y;
    if roomy {
        // the number in a box of its own
        let w = (label.chars().count() as u16 + 6).min(body.width);
        let r = Rect::new(body.x + (body.width - w) / 2, y, w, 3);
        let style = c.theme.text.add_modifier(Modifier::BOLD);
        Block::bordered().border_style(c.theme.ok).render(r, buf);
        chrome::paragraph(
            Rect::new(r.x + 1, r.y + 1, r.width - 2, 1),
            buf,
            &label,
            style,
        );
        y += 4;
    } else {
        chrome::paragraph(
            Rect::new(body.x, y, body.width, 1),
            buf,
            &label,
            Style::default().add_modifier(Modifier::BOLD),
        );
        y += 1;
    }
    let button_rows = if roomy { 3 } else { 1 };
    let text_rows = body.bottom().saturating_sub(y + button_rows);
    chrome::paragraph(
        Rect::new(body.x, y, body.width, text_rows),
        buf,
        &text,
        Style::default(),
    );
    let button_area = Rect::new(
        body.x,
        body.bottom().saturating_sub(button_rows),
        body.width,
        button_rows.min(body.height),
    );
    let placed = choices::row(button_area, &button, false);
    choices::draw(&placed, &button, Some(0), c.theme, buf);
    for &(_, r) in &placed.items {
        hits.add(r, Target::Next);
    }
}
