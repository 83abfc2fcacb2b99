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

/// A question with numbered answers.
struct Question<'a> {
    title: String,
    notice: Option<String>,
    labels: Vec<String>,
    choice: &'a Choice,
}

impl Question<'_> {
    /// Draws it filling the body.
    fn render(self, c: &Ctx<'_>, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
        // a first digit waiting for a second: say so, and what to do
        let hint = match self.choice.digits.pending(self.labels.len()) {
            Some((typed, longer)) if !longer.is_empty() => tr!(
                c.lang,
                "kiosk-hint-digit-waits",
                typed = typed.to_string(),
                more = longer
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => tr!(c.lang, "kiosk-hint-choices"),
        };
        let body = c.frame_with_notice(area, buf, &self.title, &hint, self.notice);
        let placed = choices::list(body, &self.labels, self.choice.selected);
        choices::draw(
            &placed,
            &self.labels,
            Some(self.choice.selected),
            c.theme,
            buf,
        );
        hits.add_choices(&placed);
    }
}

pub fn menu(c: &Ctx<'_>, choice: &Choice, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    let labels = if c.k.campaign {
        vec![
            tr!(c.lang, "kiosk-menu-ticket-proposal"),
            tr!(c.lang, "kiosk-menu-proposal"),
            tr!(c.lang, "kiosk-menu-lookup"),
        ]
    } else {
        vec![
            tr!(c.lang, "kiosk-menu-ticket"),
            tr!(c.lang, "kiosk-menu-appeal"),
            tr!(c.lang, "kiosk-menu-lookup"),
        ]
    };
    Question {
        title: tr!(c.lang, "kiosk-menu-title"),
        notice: c.k.campaign.then(|| tr!(c.lang, "kiosk-campaign-notice")),
        labels,
        choice,
    }
    .render(c, area, buf, hits);
}

pub fn topic(
    c: &Ctx<'_>,
    purpose: Purpose,
    choice: &Choice,
    area: Rect,
    buf: &mut Buffer,
    hits: &mut Hits,
) {
    let labels: Vec<String> =
        c.k.topics()
            .iter()
            .map(|id| c.k.ctx.catalogue.name(id, c.lang))
            .collect();
    let title = match purpose {
        Purpose::Ticket => tr!(c.lang, "kiosk-topic-title-ticket"),
        Purpose::Appeal => tr!(c.lang, "kiosk-topic-title-appeal"),
    };
    Question {
        title,
        notice: None,
        labels,
        choice,
    }
    .render(c, area, buf, hits);
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
    Question {
        title: tr!(c.lang, "kiosk-priority-title"),
        notice: Some(tr!(c.lang, "kiosk-priority-note")),
        labels,
        choice,
    }
    .render(c, area, buf, hits);
}
