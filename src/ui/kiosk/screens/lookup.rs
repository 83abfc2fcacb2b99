//! "What became of my appeal?": the number, then the phone's last four
//! digits (or the IIN), typed on the keyboard or on the on-screen keypad;
//! then what the look-up found, in the citizen's language.

use super::super::step::{LookupStage, Target};
use super::super::{Hits, choices, chrome};
use super::Ctx;
use crate::app::lookup::{LookupResult, PAUSE_MINUTES};
use crate::domain::sanitize_line;
use crate::tr;
use crate::ui::kit::TextInput;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Widget};
use std::time::Instant;

/// The keypad: digits, the dash of "2026-00042", and rub-out.
const KEYS: [char; 12] = [
    '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '\u{8}',
];

pub fn ask(
    c: &Ctx<'_>,
    stage: &LookupStage,
    input: &TextInput,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let lang = c.lang;
    let (title, help) = match stage {
        LookupStage::Number => (
            tr!(lang, "kiosk-lookup-number"),
            tr!(lang, "kiosk-lookup-number-help"),
        ),
        LookupStage::SecondFactor { number } => (
            tr!(lang, "kiosk-lookup-digits"),
            tr!(
                lang,
                "kiosk-lookup-digits-help",
                number = sanitize_line(number)
            ),
        ),
    };
    let body = c.frame(area, buf, &title, &tr!(lang, "kiosk-hint-field"));
    let help_rows = chrome::rows_for(&help, body.width).min(body.height.saturating_sub(6));
    chrome::paragraph(
        Rect::new(body.x, body.y, body.width, help_rows),
        buf,
        &help,
        Style::default(),
    );
    let mut y = body.y + help_rows;
    // the typed text in a box
    let w = body.width.min(40);
    let box_h = 3.min(body.bottom().saturating_sub(y));
    let box_area = Rect::new(body.x + (body.width - w) / 2, y, w, box_h);
    let block = Block::bordered().border_style(c.theme.focus_border);
    let inner = block.inner(box_area);
    block.render(box_area, buf);
    input.render(inner, buf, c.theme.text);
    y += box_h;
    // the keypad: digits and the dash, touchable
    let labels: Vec<String> = KEYS
        .iter()
        .map(|k| {
            if *k == '\u{8}' {
                "⌫".to_string()
            } else {
                k.to_string()
            }
        })
        .collect();
    // what is left above the buttons (three rows, or one when short)
    let button_rows = if body.bottom().saturating_sub(y) >= 3 + 2 {
        3
    } else {
        1
    };
    let left = body.bottom().saturating_sub(y + button_rows);
    let pad = choices::grid(
        Rect::new(body.x, y, body.width, left),
        &labels,
        &[6, 4, 3],
        7,
    );
    choices::draw(&pad, &labels, None, c.theme, buf);
    for &(i, r) in &pad.items {
        hits.add(r, Target::Key(KEYS[i]));
    }
    let buttons = [tr!(lang, "kiosk-back"), tr!(lang, "kiosk-next")];
    let button_area = Rect::new(
        body.x,
        body.bottom().saturating_sub(button_rows),
        body.width,
        button_rows.min(body.height),
    );
    let placed = choices::row(button_area, &buttons, false);
    choices::draw(&placed, &buttons, Some(1), c.theme, buf);
    if let [(_, back), (_, next)] = placed.items.as_slice() {
        hits.add(*back, Target::Back);
        hits.add(*next, Target::Next);
    }
}

pub fn status(
    c: &Ctx<'_>,
    result: &LookupResult,
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
    let body = c.frame(area, buf, &tr!(lang, "kiosk-lookup-title"), &hint);
    let (text, style) = match result {
        LookupResult::Found(s) => (
            crate::ui::lookup_words::status_lines(lang, s, c.k.ctx.tz()).join("\n"),
            Style::default(),
        ),
        LookupResult::NotFound => (tr!(lang, "lookup-not-found"), c.theme.error),
        LookupResult::Paused { until } => (
            tr!(
                lang,
                "lookup-paused",
                minutes = PAUSE_MINUTES,
                until = until
                    .with_timezone(&c.k.ctx.tz())
                    .format("%H:%M")
                    .to_string()
            ),
            c.theme.error.add_modifier(Modifier::BOLD),
        ),
    };
    let button = [tr!(lang, "kiosk-done")];
    let button_rows = if body.height >= 8 { 3 } else { 1 };
    chrome::paragraph(
        Rect::new(
            body.x,
            body.y,
            body.width,
            body.height.saturating_sub(button_rows),
        ),
        buf,
        &text,
        style,
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
