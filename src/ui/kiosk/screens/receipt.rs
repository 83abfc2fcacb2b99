//! The appeal is recorded (durably: this screen comes only after the
//! commit): its number, and what happens next.

use super::super::step::Paper;
use super::super::step::Target;
use super::super::{Hits, choices, chrome};
use super::Ctx;
use crate::app::kiosk::AppealReceived;
use crate::print::{AcceptedBy, Receipt};
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Widget};
use std::time::Instant;

pub struct Shown<'a> {
    pub received: &'a AppealReceived,
    pub anonymous: bool,
    pub since: Instant,
    pub receipt: Option<&'a Receipt>,
    pub paper: Paper,
}

pub fn render(c: &Ctx<'_>, r: &Shown<'_>, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let lang = c.lang;
    let hint = tr!(
        lang,
        "kiosk-closes-in",
        seconds = c.seconds_left(r.since) as i64
    );
    let body = c.frame_paper(
        area,
        buf,
        &tr!(lang, "kiosk-receipt-title"),
        &hint,
        r.paper,
        false,
    );
    let number = r.received.number.to_string();
    let label = tr!(lang, "kiosk-receipt-number", number = number.clone());
    let next = if r.anonymous {
        tr!(lang, "kiosk-receipt-anonymous")
    } else {
        tr!(lang, "kiosk-receipt-contact")
    };
    // what the paper says, on the screen too (the paper may not come out)
    let mut lines = Vec::new();
    if let Some(rc) = r.receipt {
        lines.push(tr!(
            lang,
            "kiosk-receipt-full-number",
            number = rc.number.to_string()
        ));
        lines.push(tr!(
            lang,
            "print-receipt-received",
            when = rc.received_at.format("%d.%m.%Y %H:%M").to_string()
        ));
        let who = match &rc.accepted_by {
            AcceptedBy::Kiosk => tr!(lang, "print-accepted-kiosk"),
            AcceptedBy::Staff(name) => crate::domain::sanitize_line(name),
        };
        lines.push(tr!(lang, "print-receipt-accepted-by", who = who));
        lines.push(tr!(
            lang,
            "print-receipt-due",
            date = rc.answer_due.format("%d.%m.%Y").to_string()
        ));
    }
    lines.push(if r.receipt.is_some_and(|rc| rc.state_only) {
        tr!(lang, "kiosk-receipt-keep-state-only")
    } else {
        tr!(lang, "kiosk-receipt-keep")
    });
    lines.push(next);
    let text = lines.join("\n");
    let button = [tr!(lang, "kiosk-done")];
    let roomy = body.height >= 12 + 4;
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
