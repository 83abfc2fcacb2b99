//! The ticket: its number in large letters, the place in the queue and the
//! wait, until the citizen touches "Done" or the screen closes by itself.

use super::super::step::Target;
use super::super::{Hits, big_number, choices, chrome};
use super::Ctx;
use super::choose::priority_name;
use crate::app::kiosk::TicketIssued;
use crate::domain::{CategoryId, Priority};
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use std::time::Instant;

pub struct Shown<'a> {
    pub issued: &'a TicketIssued,
    pub category: &'a CategoryId,
    pub priority: Priority,
    pub since: Instant,
}

pub fn render(c: &Ctx<'_>, t: &Shown<'_>, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let lang = c.lang;
    let hint = tr!(
        lang,
        "kiosk-closes-in",
        seconds = c.seconds_left(t.since) as i64
    );
    let number = t.issued.number.to_string();
    // the number as text in the title too: the block letters are a picture
    let title = tr!(lang, "kiosk-ticket-title", number = number.clone());
    let body = c.frame(area, buf, &title, &hint);
    let mut lines = vec![tr!(
        lang,
        "kiosk-ticket-topic",
        topic = c.k.ctx.catalogue.name(t.category, lang)
    )];
    if t.priority.is_priority() {
        lines.push(tr!(
            lang,
            "kiosk-ticket-priority",
            priority = priority_name(t.priority, lang)
        ));
    }
    let place = t.issued.place;
    if place.ahead == 0 {
        lines.push(tr!(lang, "kiosk-ticket-first"));
    } else {
        lines.push(tr!(lang, "kiosk-ticket-ahead", count = place.ahead as i64));
        lines.push(tr!(
            lang,
            "kiosk-ticket-wait",
            minutes = place.estimated_wait_minutes as i64
        ));
    }
    lines.push(tr!(lang, "kiosk-ticket-watch-board"));
    let text = lines.join("\n");
    let button = [tr!(lang, "kiosk-done")];
    // the number gets what the text and the button leave
    let text_rows = chrome::rows_for(&text, body.width);
    let button_rows = if body.height >= text_rows + 3 + 4 {
        3
    } else {
        1
    };
    let room = body
        .height
        .saturating_sub(text_rows + button_rows)
        .max(1)
        .min(body.height);
    let number_area = Rect::new(body.x, body.y, body.width, room);
    let number_rows = big_number::height(&number, number_area);
    let style = c.theme.text.add_modifier(Modifier::BOLD);
    big_number::render(&number, number_area, buf, style);
    let y = body.y + number_rows.min(room);
    let rest = body.bottom().saturating_sub(y);
    let text_area = Rect::new(body.x, y, body.width, rest.saturating_sub(button_rows));
    chrome::paragraph(text_area, buf, &text, Style::default());
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
