//! The regional board (`qabyldau board --server URL --token T`): every
//! point of the region live from the regional server, one panel each (its
//! name, who is called to which desk, how many wait and who is next, the
//! last contact and how far behind it is), or with `--point ID` that one
//! point in the hall layout.
//!
//! The data comes from `sync::board_feed` on a task of its own, as
//! messages (`FeedEvent`); this screen only keeps and draws the last state.
//! When the link is down the board says so in red, with the time the data
//! is from and when it tries again, and keeps showing the last state.

use super::chrome::{bar, down_style, header_style, too_small};
use super::{Clock, Look, RemoteLink};
use crate::app::Context;
use crate::app::board::{AtDesk, Call};
use crate::app::region::{self, RegionPoint};
use crate::domain::Lang;
use crate::protocol::PointView;
use crate::sync::board_feed::{FeedEvent, Problem};
use crate::tr;
use crate::ui::kit::{Theme, cut};
use crate::ui::runtime::{Input, Screen};
use crate::ui::worker::Jobs;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

/// Rows of one point's panel at least: borders and three lines.
const PANEL_HEIGHT: u16 = 5;
/// The narrowest panel; more columns as the screen widens.
const PANEL_MIN_WIDTH: u16 = 38;
/// Wider panels are hard to read across a room: a wall gets columns.
const PANEL_MAX_WIDTH: u16 = 100;
/// A panel grows with the room up to this many rows (the line wraps).
const PANEL_MAX_HEIGHT: u16 = 8;
/// A point silent longer than this is marked.
const SILENT_AFTER: chrono::Duration = chrono::Duration::minutes(15);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionOptions {
    /// A fixed language; `None` starts with the first of the config's
    /// languages and turns through them if the config says so.
    pub lang: Option<Lang>,
    /// One point (`--point`): shown in the hall layout.
    pub point: Option<String>,
    /// The server's address, shown in the header.
    pub server: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Link {
    Connecting,
    Live,
    Down {
        problem: Problem,
        /// The first failure since the board was last live.
        since: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    },
}

pub struct RegionBoard {
    ctx: Context,
    clock: Clock,
    now: DateTime<Utc>,
    langs: Vec<Lang>,
    lang: Lang,
    rotate: Option<chrono::Duration>,
    lang_since: DateTime<Utc>,
    highlight_for: chrono::Duration,
    options: RegionOptions,
    views: Vec<PointView>,
    points: Vec<RegionPoint>,
    /// When the state shown last came from the server.
    data_at: Option<DateTime<Utc>>,
    link: Link,
    minute: i64,
    second: i64,
    dirty: bool,
    quit: bool,
}

impl RegionBoard {
    /// `ctx`: the board's own config (languages, time zone, wait limit),
    /// or the defaults on a machine that is no point.
    pub fn new(ctx: Context, options: RegionOptions, clock: Clock) -> RegionBoard {
        let now = clock.utc();
        let langs = if ctx.config.kiosk.languages.is_empty() {
            Lang::ALL.to_vec()
        } else {
            ctx.config.kiosk.languages.clone()
        };
        let lang = options.lang.unwrap_or(langs[0]);
        let secs = ctx.config.board.rotate_languages_secs;
        let rotate = (options.lang.is_none() && secs > 0 && langs.len() > 1)
            .then(|| chrono::Duration::seconds(secs as i64));
        let highlight_for = chrono::Duration::seconds(ctx.config.board.highlight_secs as i64);
        RegionBoard {
            ctx,
            clock,
            now,
            langs,
            lang,
            rotate,
            lang_since: now,
            highlight_for,
            options,
            views: Vec::new(),
            points: Vec::new(),
            data_at: None,
            link: Link::Connecting,
            minute: now.timestamp().div_euclid(60),
            second: now.timestamp(),
            dirty: true,
            quit: false,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The points as shown now (tests).
    pub fn points(&self) -> &[RegionPoint] {
        &self.points
    }

    pub fn is_live(&self) -> bool {
        self.link == Link::Live
    }

    pub fn is_down(&self) -> bool {
        matches!(self.link, Link::Down { .. })
    }

    fn recompute(&mut self) {
        self.points = region::points(&self.views, &self.ctx, self.now);
        self.dirty = true;
    }

    fn tick(&mut self) {
        self.now = self.clock.utc();
        let minute = self.now.timestamp().div_euclid(60);
        if minute != self.minute {
            // the order of the lines and the "last contact" move with time
            self.minute = minute;
            self.recompute();
        }
        let second = self.now.timestamp();
        if second != self.second {
            self.second = second;
            // the countdown to the next try, and a highlight running out
            if self.is_down() || self.highlighted().is_some() {
                self.dirty = true;
            }
        }
        if self
            .rotate
            .is_some_and(|every| self.now - self.lang_since >= every)
        {
            self.next_lang();
        }
    }

    fn next_lang(&mut self) {
        let i = self.langs.iter().position(|l| *l == self.lang).unwrap_or(0);
        self.lang = self.langs[(i + 1) % self.langs.len()];
        self.lang_since = self.now;
        self.dirty = true;
    }

    fn key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('c' | 'C'))
        {
            self.quit = true;
            return;
        }
        match key.code {
            KeyCode::Char('q' | 'Q') => self.quit = true,
            KeyCode::Char('l' | 'L') => self.next_lang(),
            _ => {}
        }
    }

    /// The latest call of the single point, while it is fresh.
    fn highlighted(&self) -> Option<Call> {
        let call = self.single()?.hall.latest_call()?;
        (self.now - call.at < self.highlight_for).then_some(call)
    }

    /// The point of a `--point` board, once the server sent it.
    fn single(&self) -> Option<&RegionPoint> {
        match (&self.options.point, self.points.as_slice()) {
            (Some(_), [one]) => Some(one),
            _ => None,
        }
    }

    fn local(&self, t: DateTime<Utc>) -> String {
        let tz = self.ctx.tz();
        let local = t.with_timezone(&tz);
        if local.date_naive() == self.now.with_timezone(&tz).date_naive() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%d.%m %H:%M").to_string()
        }
    }

    /// The state of the link in a few words, and whether it is down.
    fn link_words(&self) -> (String, bool) {
        let lang = self.lang;
        match &self.link {
            Link::Connecting => (tr!(lang, "board-region-connecting"), false),
            Link::Live => (tr!(lang, "board-region-live"), false),
            Link::Down { since, .. } => (
                tr!(lang, "board-region-down-since", time = self.local(*since)),
                true,
            ),
        }
    }

    /// The red line under a board whose link is down: why, how old the
    /// data is, when the next try is.
    fn down_line(&self) -> Option<String> {
        let Link::Down {
            problem, retry_at, ..
        } = &self.link
        else {
            return None;
        };
        let lang = self.lang;
        let why = match problem {
            Problem::Unreachable(d) => tr!(lang, "board-region-unreachable", detail = d.clone()),
            Problem::Refused(d) => tr!(lang, "board-region-refused", detail = d.clone()),
            Problem::Failed(d) => tr!(lang, "board-region-failed", detail = d.clone()),
        };
        let data = match self.data_at {
            Some(t) => tr!(lang, "board-region-data-from", time = self.local(t)),
            None => tr!(lang, "board-region-no-data"),
        };
        let retry = match retry_at {
            Some(at) => tr!(
                lang,
                "board-region-retry",
                seconds = (*at - self.now).num_seconds().max(0)
            ),
            None => String::new(),
        };
        Some(
            [data, retry, why]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

impl Screen for RegionBoard {
    type Msg = FeedEvent;

    fn on_input(&mut self, input: Input, _jobs: &mut Jobs<'_, FeedEvent>) {
        match input {
            Input::Tick => self.tick(),
            Input::Key(k) => {
                self.dirty = true;
                self.key(k);
            }
            Input::Resize(..) => self.dirty = true,
            Input::Mouse(_) | Input::Paste(_) => {}
        }
    }

    fn on_reply(&mut self, msg: FeedEvent, _jobs: &mut Jobs<'_, FeedEvent>) {
        self.now = self.clock.utc();
        self.dirty = true;
        match msg {
            FeedEvent::Live => self.link = Link::Live,
            FeedEvent::Points(views) => {
                self.views = views;
                self.data_at = Some(self.now);
                self.recompute();
            }
            FeedEvent::Point(view) => {
                match self.views.iter_mut().find(|v| v.id == view.id) {
                    Some(v) => *v = *view,
                    None => self.views.push(*view),
                }
                self.data_at = Some(self.now);
                self.recompute();
            }
            FeedEvent::Down { problem, retry_in } => {
                let since = match &self.link {
                    Link::Down { since, .. } => *since,
                    _ => self.now,
                };
                let retry_at = chrono::Duration::from_std(retry_in)
                    .ok()
                    .filter(|d| *d < chrono::Duration::days(1))
                    .map(|d| self.now + d);
                self.link = Link::Down {
                    problem,
                    since,
                    retry_at,
                };
            }
        }
    }

    fn render(&self, frame: &mut Frame<'_>) {
        let area = frame.area();
        if let Some(point) = self.single() {
            let hall_ctx = point_context(&self.ctx, point);
            let (text, down) = self.link_words();
            let highlight = self.highlighted();
            let look = Look {
                ctx: &hall_ctx,
                lang: self.lang,
                now: self.now,
                highlight,
                latest_call: point.hall.latest_call(),
                read_failed: false,
                remote: Some(RemoteLink { text, down }),
            };
            super::hall::render(frame, Some(&point.hall), &look);
            // the reason and the next try, over the hall's footer
            if let Some(line) = self.down_line()
                && area.height >= 8
            {
                let row = Rect {
                    y: area.bottom() - 1,
                    height: 1,
                    ..area
                };
                frame.render_widget(
                    Paragraph::new(cut(&format!(" {line}"), row.width as usize))
                        .style(down_style(&look)),
                    row,
                );
            }
            return;
        }
        self.render_region(frame);
    }

    fn finished(&self) -> bool {
        self.quit
    }

    fn tick_every(&self) -> Duration {
        Duration::from_millis(250)
    }

    fn needs_redraw(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }
}

/// A context for one remote point's hall: the board's own settings with
/// the point's name and the desks it has called to.
fn point_context(base: &Context, point: &RegionPoint) -> Context {
    let mut ctx = base.clone();
    ctx.config.point.name = point.name.clone();
    ctx
}

impl RegionBoard {
    /// The palette the board's config chose.
    fn theme(&self) -> &'static Theme {
        Theme::for_context(&self.ctx)
    }

    fn render_region(&self, frame: &mut Frame<'_>) {
        let area = frame.area();
        let lang = self.lang;
        let look_for_small = Look {
            ctx: &self.ctx,
            lang,
            now: self.now,
            highlight: None,
            latest_call: None,
            read_failed: false,
            remote: None,
        };
        if area.width < 30 || area.height < 8 {
            too_small(frame, &look_for_small);
            return;
        }
        let (link, down) = self.link_words();
        let title = match &self.options.point {
            Some(id) => tr!(lang, "board-region-title-point", point = id.clone()),
            None => tr!(lang, "board-region-title", count = self.points.len() as i64),
        };
        let right = format!(
            "{link} · {}",
            self.now.with_timezone(&self.ctx.tz()).format("%H:%M")
        );
        bar(
            frame,
            Rect { height: 1, ..area },
            &title,
            &right,
            if down {
                down_style(&look_for_small)
            } else {
                header_style(&look_for_small)
            },
        );
        let footer = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };
        match self.down_line() {
            Some(line) => frame.render_widget(
                Paragraph::new(cut(&format!(" {line}"), footer.width as usize))
                    .style(down_style(&look_for_small)),
                footer,
            ),
            None => bar(
                frame,
                footer,
                &cut(&self.options.server, area.width as usize / 2),
                &tr!(lang, "board-keys-region"),
                Style::new().add_modifier(Modifier::BOLD),
            ),
        }
        let body = Rect {
            y: area.y + 1,
            height: area.height - 2,
            ..area
        };
        if self.points.is_empty() {
            let text = match (&self.link, self.data_at) {
                (_, Some(_)) => tr!(lang, "board-region-no-points"),
                (Link::Down { .. }, None) => tr!(lang, "board-region-no-data"),
                _ => tr!(lang, "board-loading"),
            };
            frame.render_widget(
                Paragraph::new(format!(" {text}")),
                Rect { height: 1, ..body },
            );
            return;
        }
        self.render_panels(frame, body);
    }

    fn render_panels(&self, frame: &mut Frame<'_>, body: Rect) {
        let grid = grid(self.points.len(), body);
        let cols = grid.cols;
        let width = body.width / cols;
        let shown = grid.shown;
        for (i, point) in self.points.iter().take(shown).enumerate() {
            let (col, row) = (i as u16 % cols, i as u16 / cols);
            let panel = Rect {
                x: body.x + col * width,
                y: body.y + row * grid.height,
                // the last column takes what division left over
                width: if col + 1 == cols {
                    body.width - col * width
                } else {
                    width
                },
                height: grid.height,
            }
            .intersection(body);
            self.render_panel(frame, panel, point);
        }
        if shown < self.points.len() {
            let i = shown as u16;
            let place = Rect {
                x: body.x + (i % cols) * width,
                y: body.y + (i / cols) * grid.height + grid.height / 2,
                width,
                height: 1,
            }
            .intersection(body);
            frame.render_widget(
                Paragraph::new(cut(
                    &format!(
                        " {}",
                        tr!(
                            self.lang,
                            "board-region-more-points",
                            count = (self.points.len() - shown) as i64
                        )
                    ),
                    place.width as usize,
                ))
                .style(self.theme().muted),
                place,
            );
        }
    }

    fn render_panel(&self, frame: &mut Frame<'_>, area: Rect, p: &RegionPoint) {
        let silent = p
            .last_contact_at
            .is_none_or(|t| self.now - t > SILENT_AFTER);
        let border = if p.flagged {
            self.theme().error
        } else if p.revoked || silent {
            self.theme().warning
        } else {
            Style::new()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(border)
            .title(Span::styled(
                format!(" {} ", cut(&p.name, area.width.saturating_sub(4) as usize)),
                Style::new().add_modifier(Modifier::BOLD),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        // the desks, the line over the rows left, the contact last, and
        // above it the region's decisions the point has not applied
        let pending = self.pending_line(p, width);
        let tail = 1 + usize::from(pending.is_some());
        let waiting_rows = (inner.height as usize).saturating_sub(1 + tail).max(1);
        let mut lines = vec![self.desks_line(p, width)];
        lines.extend(self.waiting_lines(p, width, waiting_rows));
        while lines.len() < (inner.height as usize).saturating_sub(tail) {
            lines.push(Line::raw(""));
        }
        lines.extend(pending);
        lines.push(self.contact_line(p, silent, width));
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// "Desk 1: Ж-006  Desk 2: С-001": a desk still calling in yellow.
    fn desks_line(&self, p: &RegionPoint, width: usize) -> Line<'static> {
        let lang = self.lang;
        let at: Vec<(u32, AtDesk)> = p
            .hall
            .desks
            .iter()
            .filter_map(|d| d.ticket.map(|t| (u32::from(d.desk), t)))
            .collect();
        if at.is_empty() {
            return Line::styled(
                cut(&tr!(lang, "board-region-no-calls"), width),
                self.theme().muted,
            );
        }
        let mut spans = Vec::new();
        let mut used = 0;
        for (i, (desk, t)) in at.iter().enumerate() {
            let label = format!("{}: ", tr!(lang, "board-desk", desk = *desk));
            let number = t.number.to_string();
            let sep = if i == 0 { "" } else { "  " };
            let need = sep.width() + label.width() + number.width();
            if used + need > width {
                let rest = tr!(lang, "board-more", count = (at.len() - i) as i64);
                if used + 1 + rest.width() <= width {
                    spans.push(Span::styled(format!(" {rest}"), self.theme().muted));
                }
                break;
            }
            let style = if t.serving {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                self.theme().focus
            };
            spans.push(Span::raw(format!("{sep}{label}")));
            spans.push(Span::styled(number, style));
            used += need;
        }
        Line::from(spans)
    }

    /// "11 people waiting: Ж-003 Ж-007 … +8 more", in calling order, over
    /// up to `rows` lines.
    fn waiting_lines(&self, p: &RegionPoint, width: usize, rows: usize) -> Vec<Line<'static>> {
        let lang = self.lang;
        if p.line.is_empty() {
            return vec![Line::styled(
                cut(&tr!(lang, "board-waiting-none"), width),
                self.theme().muted,
            )];
        }
        let head = format!(
            "{}: ",
            capitalise(&tr!(
                lang,
                "board-waiting-count",
                count = p.line.len() as i64
            ))
        );
        let mut lines = Vec::new();
        let mut spans = vec![Span::styled(cut(&head, width), self.theme().accent)];
        let mut used = head.width();
        for (i, number) in p.line.iter().enumerate() {
            let long = super::hall::long_wait(&p.hall, *number, lang);
            let style = if long.is_some() {
                super::hall::long_wait_style(self.theme())
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            let text = format!("{} ", long.unwrap_or_else(|| number.to_string()));
            let left = p.line.len() - i;
            let last_row = lines.len() + 1 == rows;
            let room = if left > 1 && last_row {
                tr!(lang, "board-more", count = (left - 1) as i64).width()
            } else {
                0
            };
            if used + text.width() + room > width {
                if !last_row {
                    lines.push(Line::from(std::mem::take(&mut spans)));
                    used = 0;
                    if used + text.width() <= width {
                        spans.push(Span::styled(text.clone(), style));
                        used += text.width();
                        continue;
                    }
                }
                let rest = tr!(lang, "board-more", count = left as i64);
                if used + rest.width() <= width {
                    spans.push(Span::styled(rest, self.theme().muted));
                }
                break;
            }
            spans.push(Span::styled(text.clone(), style));
            used += text.width();
        }
        lines.push(Line::from(spans));
        lines
    }

    /// "3 decisions of the region not applied yet", when there are any.
    fn pending_line(&self, p: &RegionPoint, width: usize) -> Option<Line<'static>> {
        (p.region_pending > 0).then(|| {
            Line::styled(
                cut(
                    &capitalise(&tr!(
                        self.lang,
                        "board-region-decisions-pending",
                        count = p.region_pending as i64
                    )),
                    width,
                ),
                self.theme().warning,
            )
        })
    }

    /// The last contact, and what the server knows it lacks.
    fn contact_line(&self, p: &RegionPoint, silent: bool, width: usize) -> Line<'static> {
        let lang = self.lang;
        if p.flagged {
            return Line::styled(
                cut(&tr!(lang, "board-region-flagged"), width),
                self.theme().error.add_modifier(Modifier::BOLD),
            );
        }
        if p.revoked {
            return Line::styled(
                cut(&tr!(lang, "board-region-revoked"), width),
                self.theme().warning,
            );
        }
        let contact = match p.last_contact_at {
            Some(t) => tr!(lang, "board-region-contact", time = self.local(t)),
            None => tr!(lang, "board-region-no-contact"),
        };
        // a point that never sent anything has nothing "in step": it may
        // be a point added under a wrong id, or one never started
        let behind = if p.last_contact_at.is_none() {
            tr!(lang, "board-region-never-sent")
        } else if p.lag_events > 0 {
            tr!(lang, "board-region-behind", count = p.lag_events as i64)
        } else {
            tr!(lang, "board-region-in-step")
        };
        let text = format!("{} · {behind}", capitalise(&contact));
        let style = if silent {
            self.theme().warning
        } else {
            self.theme().muted
        };
        Line::styled(cut(&text, width), style)
    }
}

/// How the panels are laid out: columns, the height of each, and how many
/// points fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grid {
    cols: u16,
    height: u16,
    shown: usize,
}

/// The fewest columns (each at most `PANEL_MAX_WIDTH` wide) that fit every
/// point, panels as tall as the room allows up to `PANEL_MAX_HEIGHT`; when
/// not all fit, the last place says how many more there are.
fn grid(points: usize, body: Rect) -> Grid {
    let n = points.max(1) as u16;
    let most = (body.width / PANEL_MIN_WIDTH).max(1);
    let least = body.width.div_ceil(PANEL_MAX_WIDTH).clamp(1, most);
    let rows_fit = (body.height / PANEL_HEIGHT).max(1);
    let cols = (least..=most)
        .find(|c| n.div_ceil(*c) <= rows_fit)
        .unwrap_or(most)
        .min(n);
    let rows = n.div_ceil(cols).min(rows_fit);
    let height = (body.height / rows).clamp(PANEL_HEIGHT, PANEL_MAX_HEIGHT);
    let shown = if n.div_ceil(cols) > rows_fit {
        (rows_fit * cols).saturating_sub(1) as usize
    } else {
        points
    };
    Grid {
        cols,
        height,
        shown,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(width: u16, height: u16) -> Rect {
        Rect::new(0, 1, width, height)
    }

    #[test]
    fn the_grid_fits_the_points_and_the_screen() {
        // a compact terminal: four panels of five rows, one under another
        assert_eq!(
            grid(4, body(80, 22)),
            Grid {
                cols: 1,
                height: 5,
                shown: 4
            }
        );
        // five do not: two columns
        assert_eq!(grid(5, body(80, 22)).cols, 2);
        // a wall: two columns of 100, taller panels
        assert_eq!(
            grid(4, body(200, 58)),
            Grid {
                cols: 2,
                height: 8,
                shown: 4
            }
        );
        // many points on a wall: more columns, then "+N more"
        let g = grid(40, body(200, 58));
        assert_eq!((g.cols, g.height), (4, 5));
        assert_eq!(g.shown, 40);
        let g = grid(100, body(80, 22));
        assert_eq!((g.cols, g.shown), (2, 7));
    }
}
