//! Drawing the kiosk: one file per screen. Each draws into the body the
//! frame leaves and records where its choices are, for clicks and touches.

mod choose;
mod consent;
mod exit_prompt;
mod field;
mod lookup;
mod problem;
mod receipt;
mod review;
mod ticket;
mod welcome;

use super::chrome::{self, MIN_HEIGHT, MIN_WIDTH};
use super::step::{Paper, Step};
use super::{Hits, Kiosk};
use crate::domain::{Lang, sanitize_line};
use crate::tr;
use crate::ui::kit::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What a screen needs besides the kiosk itself.
pub(super) struct Ctx<'a> {
    pub k: &'a Kiosk,
    pub theme: &'static Theme,
    pub lang: Lang,
    pub point: String,
}

impl Ctx<'_> {
    /// The frame every screen but the welcome uses.
    pub fn frame(&self, area: Rect, buf: &mut Buffer, title: &str, hint: &str) -> Rect {
        self.frame_with_notice(area, buf, title, hint, None)
    }

    pub fn frame_with_notice(
        &self,
        area: Rect,
        buf: &mut Buffer,
        title: &str,
        hint: &str,
        notice: Option<String>,
    ) -> Rect {
        // the idle wipe is coming: that is the line to read now
        let countdown = self
            .k
            .idle_seconds_left()
            .map(|s| tr!(self.lang, "kiosk-idle-warning", seconds = s));
        chrome::draw(
            area,
            buf,
            &chrome::Frame {
                theme: self.theme,
                point: &self.point,
                language: Some(self.lang.native_name()),
                title,
                problem: countdown.or_else(|| self.k.problem.map(|p| problem::text(p, self.lang))),
                notice,
                hint,
            },
        )
    }

    /// The frame of a ticket or receipt: what became of its paper above
    /// the hint, in red when it did not come out.
    pub fn frame_paper(
        &self,
        area: Rect,
        buf: &mut Buffer,
        title: &str,
        hint: &str,
        paper: Paper,
        ticket: bool,
    ) -> Rect {
        let lang = self.lang;
        let what = |t: &str, r: &str| tr!(lang, if ticket { t } else { r });
        let (problem, notice) = match paper {
            Paper::NoPrinter => (None, None),
            Paper::Printing(_) => (None, Some(tr!(lang, "kiosk-paper-printing"))),
            Paper::Printed => (
                None,
                Some(what("kiosk-paper-take-ticket", "kiosk-paper-take-receipt")),
            ),
            Paper::Failed(reason) => (
                Some(tr!(
                    lang,
                    "kiosk-paper-failed",
                    reason = crate::ui::print_words::failure(lang, reason)
                )),
                None,
            ),
        };
        chrome::draw(
            area,
            buf,
            &chrome::Frame {
                theme: self.theme,
                point: &self.point,
                language: Some(self.lang.native_name()),
                title,
                problem: problem.or_else(|| self.k.problem.map(|p| problem::text(p, self.lang))),
                notice,
                hint,
            },
        )
    }

    /// Seconds until a result screen closes by itself.
    pub fn seconds_left(&self, since: std::time::Instant) -> u64 {
        let shown = self.k.clock.instant().duration_since(since);
        self.k
            .result_timeout()
            .saturating_sub(shown)
            .as_secs_f64()
            .ceil() as u64
    }
}

pub(super) fn render(k: &Kiosk, area: Rect, buf: &mut Buffer, hits: &mut Hits) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        chrome::too_small(
            area,
            buf,
            &tr!(k.lang, "window-too-small"),
            Theme::for_context(&k.ctx),
        );
        return;
    }
    let c = Ctx {
        k,
        theme: Theme::for_context(&k.ctx),
        lang: k.lang,
        point: sanitize_line(&k.ctx.config.point.name),
    };
    match &k.step {
        Step::Welcome(choice) => welcome::render(&c, choice, area, buf, hits),
        Step::Menu(choice) => choose::menu(&c, choice, area, buf, hits),
        Step::Topic { purpose, choice } => choose::topic(&c, *purpose, choice, area, buf, hits),
        Step::Priority { choice, .. } => choose::priority(&c, choice, area, buf, hits),
        Step::Taking { .. } => wait(&c, area, buf, &tr!(c.lang, "kiosk-taking")),
        Step::Ticket {
            issued,
            category,
            priority,
            since,
            paper,
        } => {
            let shown = ticket::Shown {
                issued,
                category,
                priority: *priority,
                since: *since,
                paper: *paper,
            };
            ticket::render(&c, &shown, area, buf, hits)
        }
        Step::Consent { choice, .. } => consent::render(&c, choice, area, buf, hits),
        Step::Lookup { stage, input } => lookup::ask(&c, stage, input, area, buf, hits),
        Step::LookingUp => wait(&c, area, buf, &tr!(c.lang, "kiosk-lookup-title")),
        Step::Status { result, since } => lookup::status(&c, result, *since, area, buf, hits),
        Step::Field { field, input, .. } => field::render(&c, *field, input, area, buf, hits),
        Step::Review {
            draft,
            choice,
            scroll,
        } => review::render(&c, draft, choice, *scroll, area, buf, hits),
        Step::Saving { .. } => wait(&c, area, buf, &tr!(c.lang, "kiosk-saving")),
        Step::Receipt {
            received,
            anonymous,
            since,
            receipt,
            paper,
        } => {
            let shown = receipt::Shown {
                received,
                anonymous: *anonymous,
                since: *since,
                receipt: receipt.as_ref(),
                paper: *paper,
            };
            receipt::render(&c, &shown, area, buf, hits)
        }
    }
    if let Some(prompt) = &k.exit {
        // the prompt covers the screen: nothing under it can be touched
        hits.targets.clear();
        exit_prompt::render(&c, prompt, area, buf);
    }
}

/// "Please wait": a job is running.
fn wait(c: &Ctx<'_>, area: Rect, buf: &mut Buffer, text: &str) {
    let body = c.frame(area, buf, text, "");
    let y = body.y + body.height / 2;
    chrome::paragraph(
        Rect::new(body.x, y, body.width, 1.min(body.height)),
        buf,
        &tr!(c.lang, "kiosk-please-wait"),
        chrome::title_style(c.theme),
    );
}
