//! One field of the written appeal per screen: a big box to type in, what
//! is asked and whether it may stay empty, and Back / Next buttons.

use super::super::step::{Field, Target};
use super::super::{Hits, choices, chrome, keyboard};
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
    // a touch screen: the keyboard, a row a line, above the buttons
    let keys = if c.k.touch() {
        c.k.keyboard_rows(field)
    } else {
        Vec::new()
    };
    let kbd_rows = u16::try_from(keys.len()).unwrap_or(0);
    let left = body.height.saturating_sub(help_rows + kbd_rows);
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
    if kbd_rows > 0 {
        let top = button_area.y.saturating_sub(kbd_rows);
        draw_keyboard(
            c,
            &keys,
            Rect::new(body.x, top, body.width, kbd_rows),
            buf,
            hits,
        );
    }
    let placed = choices::row(button_area, &buttons, false);
    choices::draw(&placed, &buttons, Some(1), c.theme, buf);
    for &(i, r) in &placed.items {
        hits.add(r, if i == 0 { Target::Back } else { Target::Next });
    }
}

/// The keyboard's rows, centred, each key a touch target (`Target::Kbd`):
/// keys as wide as a row of twelve allows, at most five columns, so a
/// finger finds them.
fn draw_keyboard(
    c: &Ctx<'_>,
    rows: &[Vec<keyboard::Key>],
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    const GAP: u16 = 1;
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as u16;
    let key_w = (area.width.saturating_sub(GAP * (widest - 1)) / widest).clamp(1, 5);
    for (r, row) in rows.iter().enumerate() {
        let y = area.y + r as u16;
        if y >= area.bottom() {
            break;
        }
        let widths: Vec<u16> = row
            .iter()
            .map(|k| match k {
                // the space bar and the layout keys are wider
                keyboard::Key::Space => key_w * 3,
                keyboard::Key::Layout(_) => key_w.max(5),
                _ => key_w,
            })
            .collect();
        let total: u16 = widths.iter().sum::<u16>() + GAP * (row.len() as u16).saturating_sub(1);
        let mut x = area.x + area.width.saturating_sub(total) / 2;
        for (key, w) in row.iter().zip(widths) {
            if x + w > area.right() {
                break;
            }
            let rect = Rect::new(x, y, w, 1);
            let label = keyboard::label(*key);
            let style = match key {
                keyboard::Key::Char(_) => c.theme.focus,
                _ => c.theme.accent,
            };
            buf.set_style(rect, style);
            let lw = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
            buf.set_stringn(x + w.saturating_sub(lw) / 2, y, &label, w as usize, style);
            hits.add(rect, Target::Kbd(*key));
            x += w + GAP;
        }
    }
}
