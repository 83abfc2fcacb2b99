//! Pausing the desk: `P` in the queue view opens the choice of a reason
//! (or, while paused, brings the desk back); the current-ticket pane says
//! that the desk is paused, why and for how long.

use super::{Console, Env, Msg, Note, centered};
use crate::app::desk::pause;
use crate::domain::pause::{DeskPause, PauseReason};
use crate::tr;
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::sync::Arc;

/// The reason dialog: which of `PauseReason::ALL` is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PauseDialog {
    pub choice: usize,
}

pub fn reason(lang: crate::domain::Lang, r: PauseReason) -> String {
    crate::i18n::t(lang, &format!("pause-reason-{}", r.as_str()))
}

/// `P` in the queue view: back if paused, otherwise the reasons.
pub fn on_p(c: &mut Console, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    if c.snap.pause.is_some() {
        let (ctx, op, desk, now) = (Arc::clone(&env.ctx), c.op.clone(), env.desk, env.now());
        jobs.run(
            move |store| pause::resume(store, &ctx, &op, desk, now),
            |r| Msg::Done("desk-resumed", r),
        );
    } else {
        c.pause = Some(PauseDialog::default());
    }
    None
}

pub fn on_dialog_key(
    c: &mut Console,
    key: KeyEvent,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    let n = PauseReason::ALL.len();
    let d = c.pause.as_mut()?;
    match key.code {
        KeyCode::Esc => c.pause = None,
        KeyCode::Up | KeyCode::BackTab => d.choice = (d.choice + n - 1) % n,
        KeyCode::Down | KeyCode::Tab => d.choice = (d.choice + 1) % n,
        KeyCode::Char(k @ '1'..='9') if (k as usize - '1' as usize) < n => {
            d.choice = k as usize - '1' as usize;
            return choose(c, env, jobs);
        }
        KeyCode::Enter => return choose(c, env, jobs),
        _ => {}
    }
    None
}

fn choose(c: &mut Console, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let d = c.pause.take()?;
    let why = PauseReason::ALL[d.choice];
    let (ctx, op, desk, now) = (Arc::clone(&env.ctx), c.op.clone(), env.desk, env.now());
    jobs.run(
        move |store| pause::pause(store, &ctx, &op, desk, why, now).map(|_| ()),
        |r| Msg::Done("desk-paused-done", r),
    );
    None
}

/// "Paused: break, since 10:05 (12 min). P to come back."
pub fn paused_line(p: &DeskPause, env: &Env) -> Line<'static> {
    let minutes = (env.now() - p.since).num_minutes().max(0);
    let since = p
        .since
        .with_timezone(&env.ctx.tz())
        .format("%H:%M")
        .to_string();
    Line::from(Span::styled(
        tr!(
            env.lang,
            "desk-paused-now",
            reason = reason(env.lang, p.reason),
            time = since,
            minutes = minutes
        ),
        env.theme().mark.add_modifier(Modifier::BOLD),
    ))
}

pub fn render_dialog(d: &PauseDialog, f: &mut Frame<'_>, body: Rect, env: &Env) {
    let area = centered(body, 56, PauseReason::ALL.len() as u16 + 4);
    f.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", env.t("desk-pause-title")));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = PauseReason::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let text = crate::ui::kit::cut(
                &format!(
                    "{} {}. {}",
                    if i == d.choice { "▸" } else { " " },
                    i + 1,
                    reason(env.lang, *r)
                ),
                w,
            );
            if i == d.choice {
                Line::from(Span::styled(text, env.theme().focus))
            } else {
                Line::from(text)
            }
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        crate::ui::kit::cut(&env.t("desk-pause-hint"), w),
        env.theme().dim,
    )));
    f.render_widget(Paragraph::new(lines), inner);
}
