//! One field of the written appeal per screen: a big box to type in, what
//! is asked and whether it may stay empty, and Back / Next buttons.

use super::super::step::{Field, Target};
use super::super::{Hits, choices, chrome};
use super::Ctx;
use crate::domain::Lang;
use crate::tr;
use crate::ui::kit::TextInput;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Widget};

fn title(field: Field, lang: Lang) -> String {
    match field {
        Field::Name => tr!(lang, "kiosk-field-name"),
        Field::Phone => tr!(lang, "kiosk-field-phone"),
        Field::Settlement => tr!(lang, "kiosk-field-settlement"),
        Field::Workplace => tr!(lang, "kiosk-field-workplace"),
        Field::Text => tr!(lang, "kiosk-field-text"),
    }
}

fn help(field: Field, lang: Lang) -> String {
    let what = match field {
        Field::Name => tr!(lang, "kiosk-field-name-help"),
        Field::Phone => tr!(lang, "kiosk-field-phone-help"),
        Field::Settlement => tr!(lang, "kiosk-field-settlement-help"),
        Field::Workplace => tr!(lang, "kiosk-field-workplace-help"),
        Field::Text => tr!(lang, "kiosk-field-text-help"),
    };
    let need = if field.required() {
        tr!(lang, "kiosk-field-required")
    } else {
        tr!(lang, "kiosk-field-optional")
    };
    format!("{what} {need}")
}

pub fn render(
    c: &Ctx<'_>,
    field: Field,
    input: &TextInput,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let lang = c.lang;
    let hint = if field.multiline() {
        tr!(lang, "kiosk-hint-text")
    } else {
        tr!(lang, "kiosk-hint-field")
    };
    let body = c.frame(area, buf, &title(field, lang), &hint);
    let help = help(field, lang);
    let help_rows = chrome::rows_for(&help, body.width).min(body.height.saturating_sub(2));
    chrome::paragraph(
        Rect::new(body.x, body.y, body.width, help_rows),
        buf,
        &help,
        Style::default(),
    );
    let buttons = [tr!(lang, "kiosk-back"), tr!(lang, "kiosk-next")];
    let left = body.height.saturating_sub(help_rows);
    let button_rows = if left >= 3 + 3 + 2 { 3 } else { 1 };
    let counter_rows = u16::from(field.multiline() && left > button_rows + 3);
    let box_rows = if field.multiline() {
        left.saturating_sub(button_rows + counter_rows)
    } else {
        left.saturating_sub(button_rows).min(3)
    };
    let box_area = Rect::new(body.x, body.y + help_rows, body.width, box_rows);
    let style = c.theme.text;
    if box_rows >= 3 {
        let block = Block::bordered().border_style(c.theme.focus_border);
        let inner = block.inner(box_area);
        block.render(box_area, buf);
        input.render(inner, buf, style);
    } else {
        input.render(box_area, buf, style);
    }
    if counter_rows > 0 {
        let counter = tr!(
            lang,
            "kiosk-field-count",
            count = input.len() as i64,
            max = input.max() as i64
        );
        chrome::paragraph(
            Rect::new(body.x, box_area.bottom(), body.width, 1),
            buf,
            &counter,
            chrome::hint_style(c.theme),
        );
    }
    let button_area = Rect::new(
        body.x,
        body.bottom().saturating_sub(button_rows),
        body.width,
        button_rows.min(body.height),
    );
    let placed = choices::row(button_area, &buttons, false);
    choices::draw(&placed, &buttons, Some(1), c.theme, buf);
    for &(i, r) in &placed.items {
        hits.add(r, if i == 0 { Target::Back } else { Target::Next });
    }
}
