//! The supervisor's report on the board (R from the live panel): the same
//! period choice and report as the desk's F8, between the board's header
//! and a footer of keys.

use super::Look;
use super::chrome::{bar, header_style, too_small};
use crate::tr;
use crate::ui::report_view::{self, ReportPane, cut};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

const MIN_WIDTH: u16 = 40;
const MIN_HEIGHT: u16 = 16;

pub(super) fn render(frame: &mut Frame<'_>, name: &str, pane: &ReportPane, look: &Look<'_>) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, look);
        return;
    }
    let lang = look.lang;
    let title = format!(
        "{} · {} · {}",
        tr!(lang, "report-title"),
        name,
        look.local_time()
    );
    bar(
        frame,
        Rect { height: 1, ..area },
        &title,
        &tr!(lang, "board-keys-supervisor"),
        header_style(look),
    );
    let body = Rect {
        y: area.y + 1,
        height: area.height - 2,
        ..area
    };
    let today = look.ctx.service_date(look.now);
    report_view::render_pane(pane, look.ctx, lang, today, body, frame.buffer_mut());
    footer(frame, area, pane, look);
}

/// The last line: the report's keys, or why typed dates were refused.
fn footer(frame: &mut Frame<'_>, area: Rect, pane: &ReportPane, look: &Look<'_>) {
    let line = Rect {
        y: area.bottom() - 1,
        height: 1,
        ..area
    };
    let width = line.width as usize;
    let (text, style) = match pane.problem() {
        Some(p) => (p.text(look.lang), look.theme().alarm),
        None if pane.editing().is_some() => {
            (tr!(look.lang, "report-keys-editing"), look.theme().keys)
        }
        None => (tr!(look.lang, "report-keys-board"), look.theme().keys),
    };
    frame.render_widget(
        Paragraph::new(cut(&format!(" {text}"), width)).style(style),
        line,
    );
}

/// The live panel's footer: the key to the report.
pub(super) fn live_footer(frame: &mut Frame<'_>, area: Rect, look: &Look<'_>) {
    frame.render_widget(
        Paragraph::new(cut(
            &format!(" {}", tr!(look.lang, "report-keys-board-live")),
            area.width as usize,
        ))
        .style(look.theme().keys),
        area,
    );
}
