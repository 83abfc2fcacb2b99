//! The report screen's parts, shared by the desk (F8) and the board's
//! supervisor view (R): `ReportPane` holds the chosen period and the report
//! computed for it off the UI thread; `ReportView` draws a report (main
//! figures, appeals by topic, appeals per day) at any size from 80×24 up.

mod names;
mod pane;
mod view;

pub use names::{cut, short_topic};
pub use pane::{DatesForm, KeyOutcome, Problem, Reply, ReportPane, dates_text};
pub use view::{ReportView, columns};

use crate::app::Context;
use crate::domain::Lang;
use crate::ui::kit::Theme;
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget};

/// "Waited over 30 min", or, when topics have limits of their own, "over
/// their topic's limit": no one number is right for all of them.
pub fn over_limit_label(lang: Lang, t: &crate::domain::report::TicketFigures) -> String {
    if t.wait_limits_by_category.is_empty() {
        crate::tr!(
            lang,
            "report-tickets-over-limit",
            minutes = t.wait_limit_minutes
        )
    } else {
        crate::tr!(lang, "report-tickets-over-limits")
    }
}

/// The period line on top and the report under it, or what is going on
/// when there is no report for the chosen period yet.
pub fn render_pane(
    pane: &ReportPane,
    ctx: &Context,
    lang: Lang,
    today: NaiveDate,
    area: Rect,
    buf: &mut Buffer,
) {
    let [picker, _, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(area.height >= 24)),
        Constraint::Min(0),
    ])
    .areas(area);
    let theme = Theme::for_context(ctx);
    pane.render_picker(picker, buf, lang, today, theme);
    match pane.current() {
        Some(data) => ReportView {
            data,
            lang,
            catalogue: ctx.catalogue,
            theme,
        }
        .render(body, buf),
        None => {
            let (key, style) = if pane.failed() {
                ("report-failed", theme.error)
            } else {
                ("report-computing", theme.warning)
            };
            Paragraph::new(Span::styled(
                cut(&crate::tr!(lang, key), body.width as usize),
                style,
            ))
            .render(body, buf);
        }
    }
}
