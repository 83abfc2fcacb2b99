//! F8: the report for supervisors and administrators: today, this week,
//! this month or typed dates, computed on the database thread.

use super::{Console, Env, Msg, Note, View};
use crate::app::desk::form::show_date;
use crate::ui::report_view::{self, KeyOutcome};
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

/// Opens the view with fresh figures; an operator is told it is not theirs.
pub fn open(c: &mut Console, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    if !c.op.role.can_supervise() {
        return Some(Note::error(env.t("report-not-allowed")));
    }
    c.view = View::Report;
    c.report.request(&env.ctx, env.now(), jobs, Msg::Report);
    None
}

pub fn on_key(c: &mut Console, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let today = env.ctx.service_date(env.now());
    match c.report.on_key(key, today) {
        KeyOutcome::NotMine => {
            if key.code == KeyCode::Esc {
                c.view = View::Queue;
            }
            None
        }
        KeyOutcome::Handled => None,
        KeyOutcome::Compute => {
            c.report.request(&env.ctx, env.now(), jobs, Msg::Report);
            // says which period is coming (and clears a refusal of typed dates)
            let (from, to) = c.report.choice().dates(today);
            Some(Note::info(crate::tr!(
                env.lang,
                "report-period",
                from = show_date(from),
                to = show_date(to)
            )))
        }
        KeyOutcome::Refused(problem) => Some(Note::error(problem.text(env.lang))),
    }
}

pub fn on_reply(c: &mut Console, reply: report_view::Reply, env: &Env, jobs: &mut Jobs<'_, Msg>) {
    c.report
        .on_reply(reply, &env.ctx, env.now(), jobs, Msg::Report);
}

pub fn render(c: &Console, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let title = format!(
        " {} · {} ",
        env.t("report-title"),
        crate::domain::sanitize_line(&env.ctx.config.point.name)
    );
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        title,
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(body);
    f.render_widget(block, body);
    let today = env.ctx.service_date(env.now());
    report_view::render_pane(&c.report, &env.ctx, env.lang, today, inner, f.buffer_mut());
}

pub fn keys(c: &Console, env: &Env) -> String {
    if c.report.editing().is_some() {
        env.t("report-keys-editing")
    } else {
        env.t("report-keys-desk")
    }
}
