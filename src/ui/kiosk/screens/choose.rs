//! The screens that are a question and numbered answers: what the citizen
//! came for, the topic, and whether they have a right to priority.

use super::super::Hits;
use super::super::choices;
use super::super::step::{Choice, Purpose};
use super::Ctx;
use crate::domain::Priority;
use crate::tr;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// A question with numbered answers filling the body.
fn question(
    c: &Ctx<'_>,
    title: &str,
    notice: Option<String>,
    labels: &[String],
    choice: &Choice,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let hint = tr!(c.lang, "kiosk-hint-choices");
    let body = c.frame_with_notice(area, buf, title, &hint, notice);
    let placed = choices::list(body, labels, choice.selected);
    choices::draw(&placed, labels, Some(choice.selected), buf);
    hits.add_choices(&placed);
}

pub fn menu(c: &Ctx<'_>, choice: &Choice, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let labels = if c.k.campaign {
        vec![
            tr!(c.lang, "kiosk-menu-ticket-proposal"),
            tr!(c.lang, "kiosk-menu-proposal"),
        ]
    } else {
        vec![
            tr!(c.lang, "kiosk-menu-ticket"),
            tr!(c.lang, "kiosk-menu-appeal"),
        ]
    };
    let notice = c.k.campaign.then(|| tr!(c.lang, "kiosk-campaign-notice"));
    let title = tr!(c.lang, "kiosk-menu-title");
    question(c, &title, notice, &labels, choice, area, buf, hits);
}

pub fn topic(
    c: &Ctx<'_>,
    purpose: Purpose,
    choice: &Choice,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let labels: Vec<String> = c
        .k
        .topics()
        .iter()
        .map(|id| c.k.ctx.catalogue.name(id, c.lang))
        .collect();
    let title = match purpose {
        Purpose::Ticket => tr!(c.lang, "kiosk-topic-title-ticket"),
        Purpose::Appeal => tr!(c.lang, "kiosk-topic-title-appeal"),
    };
    question(c, &title, None, &labels, choice, area, buf, hits);
}

pub fn priority_name(p: Priority, lang: crate::domain::Lang) -> String {
    match p {
        Priority::Ordinary => tr!(lang, "kiosk-priority-ordinary"),
        Priority::Disability => tr!(lang, "kiosk-priority-disability"),
        Priority::Veteran => tr!(lang, "kiosk-priority-veteran"),
        Priority::Pregnancy => tr!(lang, "kiosk-priority-pregnancy"),
        Priority::Elderly => tr!(lang, "kiosk-priority-elderly"),
    }
}

pub fn priority(c: &Ctx<'_>, choice: &Choice, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let labels: Vec<String> = Priority::ALL
        .iter()
        .map(|&p| priority_name(p, c.lang))
        .collect();
    let title = tr!(c.lang, "kiosk-priority-title");
    let notice = Some(tr!(c.lang, "kiosk-priority-note"));
    question(c, &title, notice, &labels, choice, area, buf, hits);
}
