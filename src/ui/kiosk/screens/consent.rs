//! Consent to the processing of personal data, asked before anything
//! personal: without it the appeal is anonymous and no name, phone,
//! settlement or workplace is even asked.

use super::super::step::Choice;
use super::super::{Hits, choices, chrome};
use super::Ctx;
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn render(c: &Ctx<'_>, choice: &Choice, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let lang = c.lang;
    let hint = tr!(lang, "kiosk-hint-choices");
    let body = c.frame(area, buf, &tr!(lang, "kiosk-consent-title"), &hint);
    let text = format!(
        "{}\n{}",
        tr!(lang, "kiosk-consent-text"),
        tr!(lang, "kiosk-consent-anonymous-note")
    );
    let labels = [
        tr!(lang, "kiosk-consent-yes"),
        tr!(lang, "kiosk-consent-no"),
    ];
    // the answers need at least their own lines; the text gets the rest
    let answers_min = 2;
    let text_rows =
        chrome::rows_for(&text, body.width).min(body.height.saturating_sub(answers_min));
    chrome::paragraph(
        Rect::new(body.x, body.y, body.width, text_rows),
        buf,
        &text,
        Style::default(),
    );
    let gap = u16::from(body.height > text_rows + 7);
    let list = Rect::new(
        body.x,
        body.y + text_rows + gap,
        body.width,
        body.height.saturating_sub(text_rows + gap),
    );
    let placed = choices::list(list, &labels, choice.selected);
    choices::draw(&placed, &labels, Some(choice.selected), c.theme, buf);
    hits.add_choices(&placed);
}
