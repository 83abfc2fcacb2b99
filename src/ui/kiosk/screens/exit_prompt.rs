//! The staff's way out: a PIN box over the screen (F12 or Ctrl-Q).

use super::super::chrome;
use super::super::exit::ExitPrompt;
use super::Ctx;
use super::problem;
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Clear, Widget};

pub fn render(c: &Ctx<'_>, prompt: &ExitPrompt, area: Rect, buf: &mut Buffer) {
    let lang = c.lang;
    let w = area.width.saturating_sub(4).min(60);
    let h = area.height.saturating_sub(2).min(10);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let block = Block::bordered()
        .title(tr!(lang, "kiosk-exit-title"))
        .border_style(c.theme.focus_border);
    let inner = block.inner(r);
    block.render(r, buf);
    let mut lines = Vec::new();
    if prompt.pin_set {
        lines.push(tr!(lang, "kiosk-exit-prompt"));
        lines.push(if prompt.pin.is_empty() {
            "_".to_string()
        } else {
            "*".repeat(prompt.pin.len())
        });
    } else {
        lines.push(problem::text(super::super::step::Problem::NoExitPin, lang));
    }
    let text = lines.join("\n");
    let rows = chrome::rows_for(&text, inner.width).min(inner.height);
    chrome::paragraph(
        Rect::new(inner.x, inner.y, inner.width, rows),
        buf,
        &text,
        Style::default(),
    );
    let mut bottom = inner.bottom();
    if bottom > inner.y + rows {
        bottom -= 1;
        chrome::paragraph(
            Rect::new(inner.x, bottom, inner.width, 1),
            buf,
            &if prompt.pin_set {
                tr!(lang, "kiosk-exit-hint")
            } else {
                tr!(lang, "kiosk-exit-hint-close")
            },
            chrome::hint_style(c.theme),
        );
    }
    if let Some(p) = prompt.problem {
        let text = problem::text(p, lang);
        let rows = chrome::rows_for(&text, inner.width).min(bottom.saturating_sub(inner.y + rows));
        chrome::paragraph(
            Rect::new(inner.x, bottom - rows, inner.width, rows),
            buf,
            &text,
            chrome::problem_style(c.theme),
        );
    }
}
