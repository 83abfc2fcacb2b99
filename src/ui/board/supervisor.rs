//! The supervisor's view: today's figures, the desks, waits, appeals past
//! their deadline, arrivals per hour, and the link to the regional server.

use super::Look;
use super::chrome::{bar, header_style, too_small};
use crate::app::board::{Figures, Hall, SyncLink, positive_percent};
use crate::domain::Lang;
use crate::domain::sync_alarm::SyncAlarm;
use crate::tr;
use crate::ui::kit::cut;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

const MIN_WIDTH: u16 = 40;
const MIN_HEIGHT: u16 = 16;

pub(super) fn render(
    frame: &mut Frame<'_>,
    name: &str,
    figures: Option<&Figures>,
    hall: Option<&Hall>,
    sync: Option<&SyncLink>,
    look: &Look<'_>,
) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, look);
        return;
    }
    let lang = look.lang;
    let local = look.now.with_timezone(&look.ctx.tz());
    // the date is on the "today" box; the header keeps room for the keys
    let title = format!(
        "{} · {}",
        tr!(lang, "board-supervisor-title", name = name),
        local.format("%H:%M"),
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
    super::report::live_footer(
        frame,
        Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        },
        look,
    );
    let Some(f) = figures else {
        frame.render_widget(
            Paragraph::new(tr!(lang, "board-loading")),
            Rect { height: 1, ..body },
        );
        return;
    };
    let paused = hall.map_or(0, |h| h.desks.iter().filter(|d| d.pause.is_some()).count());
    let top_rows = (f.desks.len() as u16 + paused as u16 + 3).max(8);
    let printer_lines = printer_view(f, look);
    let status_rows = u16::from(look.read_failed) + printer_lines.len() as u16;
    let overdue_rows = (f.overdue.len().max(1) as u16).min(3) + 2;
    // a row naming the tickets past the waiting limit, when there are any
    // and the overdue appeals keep their rows; else it stands in for the
    // day's mean wait (render_waits)
    let long_rows = u16::from(
        hall.is_some_and(|h| !h.long_waits.is_empty())
            && body.height > top_rows + 2 + status_rows + overdue_rows + 5 + 3,
    );
    // the sync box: its most important line always, the others while the
    // overdue appeals and the smallest chart still fit
    let (sync_lines, sync_border) = sync_view(sync, look);
    let spare = body
        .height
        .saturating_sub(top_rows + 2 + long_rows + status_rows + overdue_rows + 5 + 2);
    let sync_rows = 2 + (sync_lines.len() as u16).clamp(1, spare.max(1));
    // what is left after the fixed parts goes to the chart (up to 16 rows)
    // and the overdue appeals (all the rest: a long list is what to see)
    let rest = body
        .height
        .saturating_sub(top_rows + 2 + long_rows + sync_rows + status_rows);
    let chart_rows = rest.saturating_sub(overdue_rows).clamp(5, 16);
    let [top, waits, overdue, chart, sync_area, status] = Layout::vertical([
        Constraint::Length(top_rows),
        Constraint::Length(2 + long_rows),
        Constraint::Min(3),
        Constraint::Length(chart_rows),
        Constraint::Length(sync_rows),
        Constraint::Length(status_rows),
    ])
    .areas(body);
    let [today, desks] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    render_today(frame, today, f, lang);
    render_desks(frame, desks, f, hall, look);
    render_waits(frame, waits, f, hall, look, long_rows > 0);
    render_overdue(frame, overdue, f, look);
    render_arrivals(frame, chart, f, look);
    render_sync(frame, sync_area, sync_lines, sync_border, lang);
    let mut status_lines: Vec<Line> = printer_lines
        .iter()
        .map(|t| Line::styled(cut(t, status.width as usize), look.theme().alarm))
        .collect();
    if look.read_failed {
        status_lines.push(Line::styled(
            cut(
                &format!(" {}", tr!(lang, "board-error-read")),
                status.width as usize,
            ),
            look.theme().alarm,
        ));
    }
    frame.render_widget(Paragraph::new(status_lines), status);
}

/// One line per printer whose paper did not come out last time: which,
/// why, since when, and what did not print.
fn printer_view(f: &Figures, look: &Look<'_>) -> Vec<String> {
    let lang = look.lang;
    f.printers_in_trouble
        .iter()
        .take(2)
        .filter_map(|p| {
            let reason = crate::ui::print_words::failure(lang, p.trouble?);
            let time =
                p.at.with_timezone(&look.ctx.tz())
                    .format("%H:%M")
                    .to_string();
            Some(format!(
                " {}",
                tr!(
                    lang,
                    "board-printer-trouble",
                    printer = crate::domain::sanitize_line(&p.printer),
                    reason = reason,
                    time = time,
                    document = crate::domain::sanitize_line(p.document.as_deref().unwrap_or("—"))
                )
            ))
        })
        .collect()
}

/// The alarm in the screen's language (an older version's text as it is).
fn alarm_words(lang: Lang, alarm: &SyncAlarm) -> String {
    match alarm {
        SyncAlarm::Rewound { from, to } => tr!(
            lang,
            "board-sync-alarm-rewound",
            from = *from as i64,
            to = *to as i64
        ),
        SyncAlarm::Conflict { seq } => tr!(lang, "board-sync-alarm-conflict", seq = *seq as i64),
        SyncAlarm::ServerAhead { server, here } => tr!(
            lang,
            "board-sync-alarm-ahead",
            server = *server as i64,
            here = *here as i64
        ),
        SyncAlarm::Flagged => tr!(lang, "board-sync-alarm-flagged"),
        SyncAlarm::Text { text } => crate::domain::sanitize_line(text),
    }
}

fn titled(title: String) -> Block<'static> {
    Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {title} "),
        Style::new().add_modifier(Modifier::BOLD),
    ))
}

/// "label ........ value" rows, the values lined up on the right.
fn figure_lines(rows: &[(String, String)], width: u16) -> Vec<Line<'static>> {
    let width = width as usize;
    rows.iter()
        .map(|(label, value)| {
            let room = width.saturating_sub(value.width() + 1);
            let label = cut(label, room);
            let gap = width.saturating_sub(label.width() + value.width());
            Line::from(vec![
                Span::raw(label),
                Span::raw(" ".repeat(gap)),
                Span::styled(value.clone(), Style::new().add_modifier(Modifier::BOLD)),
            ])
        })
        .collect()
}

fn render_today(frame: &mut Frame<'_>, area: Rect, f: &Figures, lang: Lang) {
    let block = titled(tr!(
        lang,
        "board-today",
        date = f.day.format("%d.%m.%Y").to_string()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let a = &f.appeals;
    let percent = positive_percent(a).map_or(String::new(), |p| format!(" ({p}%)"));
    let rows = [
        (tr!(lang, "board-fig-tickets"), f.tickets.to_string()),
        (tr!(lang, "board-fig-appeals"), a.received.to_string()),
        (
            tr!(lang, "board-fig-positive"),
            format!("{}{percent}", a.resolved_positive),
        ),
        (tr!(lang, "board-fig-consulted"), a.consulted.to_string()),
        (
            tr!(lang, "board-fig-under-consideration"),
            a.under_consideration.to_string(),
        ),
        (tr!(lang, "board-fig-redirected"), a.redirected.to_string()),
    ];
    frame.render_widget(
        Paragraph::new(figure_lines(&rows, inner.width.min(48))),
        inner,
    );
}

fn minutes(lang: Lang, m: Option<f64>) -> String {
    m.map_or("—".to_string(), |m| {
        tr!(lang, "board-minutes-short", minutes = m.round() as i64)
    })
}

fn render_desks(
    frame: &mut Frame<'_>,
    area: Rect,
    f: &Figures,
    hall: Option<&Hall>,
    look: &Look<'_>,
) {
    let lang = look.lang;
    let block = titled(tr!(lang, "board-desks-title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let headers = [
        tr!(lang, "board-col-desk"),
        tr!(lang, "board-col-served"),
        tr!(lang, "board-col-service"),
    ];
    let w0 = headers[0].width().max(4);
    let w1 = headers[1].width().max(4);
    let row = |a: &str, b: &str, c: &str| format!("{a:<w0$}  {b:>w1$}  {c}");
    let mut lines = vec![Line::styled(
        cut(
            &row(&headers[0], &headers[1], &headers[2]),
            inner.width as usize,
        ),
        look.theme().accent,
    )];
    for d in &f.desks {
        lines.push(Line::raw(cut(
            &row(
                &d.desk.to_string(),
                &d.served.to_string(),
                &minutes(lang, d.mean_service_minutes),
            ),
            inner.width as usize,
        )));
    }
    // paused desks: for how long first, so a narrow box cuts the reason
    for d in hall.iter().flat_map(|h| &h.desks) {
        let Some(p) = d.pause else { continue };
        let minutes = (look.now - p.since).num_minutes().max(0);
        lines.push(Line::styled(
            cut(
                &tr!(
                    lang,
                    "board-desk-paused",
                    desk = d.desk,
                    minutes = minutes,
                    reason = crate::i18n::t(lang, &format!("pause-reason-{}", p.reason.as_str()))
                ),
                inner.width as usize,
            ),
            look.theme().focus,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_waits(
    frame: &mut Frame<'_>,
    area: Rect,
    f: &Figures,
    hall: Option<&Hall>,
    look: &Look<'_>,
    own_row: bool,
) {
    let lang = look.lang;
    let now_longest = f
        .waits
        .oldest_waiting_since
        .map(|since| ((look.now - since).num_seconds().max(0) as f64) / 60.0);
    let mean = format!(
        "{}: {} · {}: {}",
        tr!(lang, "board-wait-mean"),
        minutes(lang, f.waits.mean_minutes),
        tr!(lang, "board-wait-longest"),
        minutes(lang, f.waits.longest_minutes)
    );
    let mut now_line = format!(
        "{}: {}",
        tr!(lang, "board-wait-now"),
        minutes(lang, now_longest)
    );
    if let Some(h) = hall {
        now_line.push_str(" · ");
        now_line.push_str(&tr!(
            lang,
            "board-waiting-count",
            count = h.waiting_count as i64
        ));
    }
    let width = area.width as usize;
    let mut lines = vec![
        Line::raw(cut(&format!(" {mean}"), width)),
        Line::raw(cut(&format!(" {now_line}"), width)),
    ];
    // tickets past the waiting limit, the longest wait first
    if let Some(h) = hall.filter(|h| !h.long_waits.is_empty()) {
        let tickets: Vec<String> = h
            .long_waits
            .iter()
            .map(|(n, m)| {
                format!(
                    "{n} {}",
                    tr!(lang, "board-minutes-short", minutes = *m as i64)
                )
            })
            .collect();
        if !own_row {
            lines.remove(0);
        }
        lines.push(Line::styled(
            cut(
                &format!(
                    " {}",
                    // with topics' own limits no one number names them all
                    if look.ctx.config.queue.wait_limits.is_empty() {
                        tr!(
                            lang,
                            "board-over-limit",
                            limit = look.ctx.config.queue.wait_limit_minutes,
                            count = h.long_waits.len() as i64,
                            tickets = tickets.join(", ")
                        )
                    } else {
                        tr!(
                            lang,
                            "board-over-limits",
                            count = h.long_waits.len() as i64,
                            tickets = tickets.join(", ")
                        )
                    }
                ),
                width,
            ),
            super::hall::long_wait_style(look.theme()),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_overdue(frame: &mut Frame<'_>, area: Rect, f: &Figures, look: &Look<'_>) {
    let lang = look.lang;
    let style = if f.overdue.is_empty() {
        Style::new()
    } else {
        look.theme().error
    };
    let block = titled(tr!(
        lang,
        "board-overdue-title",
        count = f.overdue.len() as i64
    ))
    .border_style(style);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if f.overdue.is_empty() {
        frame.render_widget(Paragraph::new(tr!(lang, "board-overdue-none")), inner);
        return;
    }
    let rows = inner.height as usize;
    let shown = if f.overdue.len() > rows {
        rows.saturating_sub(1)
    } else {
        f.overdue.len()
    };
    let mut lines: Vec<Line> = f.overdue[..shown]
        .iter()
        .map(|o| {
            let text = tr!(
                lang,
                "board-overdue-row",
                number = o.number.to_string(),
                category = look.ctx.catalogue.name(&o.category, lang),
                deadline = o.deadline.format("%d.%m.%Y").to_string(),
                days = -crate::domain::workdays::days_left(f.day, o.deadline),
                responsible = o.responsible.clone().unwrap_or_else(|| "—".into())
            );
            Line::raw(cut(&text, inner.width as usize))
        })
        .collect();
    if shown < f.overdue.len() {
        lines.push(Line::styled(
            tr!(lang, "board-more", count = (f.overdue.len() - shown) as i64),
            look.theme().muted,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_arrivals(frame: &mut Frame<'_>, area: Rect, f: &Figures, look: &Look<'_>) {
    let lang = look.lang;
    let block = titled(tr!(lang, "board-arrivals-title"));
    let inner = block.inner(area);
    // working hours at least, and every hour that had arrivals
    let busy = |h: &usize| f.arrivals[*h] > 0;
    let first = (0..24).find(busy).map_or(8, |h| h.min(8));
    let last = (0..24).rev().find(busy).map_or(18, |h| h.max(18));
    let hours = last - first + 1;
    let gap = 1u16;
    let bar_width = ((inner.width + gap) / hours as u16)
        .saturating_sub(gap)
        .clamp(2, 14);
    let bars: Vec<Bar> = (first..=last)
        .map(|h| {
            Bar::default()
                .value(u64::from(f.arrivals[h]))
                .label(Line::from(format!("{h:02}")))
                .text_value(if f.arrivals[h] > 0 {
                    f.arrivals[h].to_string()
                } else {
                    String::new()
                })
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .block(block)
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(gap)
            .bar_style(look.theme().accent)
            .value_style(look.theme().accent_bar.add_modifier(Modifier::BOLD)),
        area,
    );
}

/// The box of the link to the regional server: events not yet there, the
/// last success, whether a forwarder runs, the last error while it is not
/// healed, and an alarm (red) a supervisor must look at. Its lines in
/// order of importance, so a small screen keeps the first.
fn sync_view(sync: Option<&SyncLink>, look: &Look<'_>) -> (Vec<(String, Style)>, Style) {
    let lang = look.lang;
    let st = match sync {
        None => {
            return (
                vec![(tr!(lang, "board-loading"), Style::new())],
                Style::new(),
            );
        }
        Some(SyncLink::NotConfigured) => {
            return (
                vec![(tr!(lang, "board-sync-none"), look.theme().muted)],
                look.theme().dim,
            );
        }
        Some(SyncLink::Linked(st)) => st,
    };
    let when = |t: DateTime<Utc>| {
        let local = t.with_timezone(&look.ctx.tz());
        if local.date_naive() == look.now.with_timezone(&look.ctx.tz()).date_naive() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%d.%m.%Y %H:%M").to_string()
        }
    };
    let healthy = st.healthy;
    let mut lines = Vec::new();
    if let Some(alarm) = &st.alarm {
        let time = st.alarm_at.map_or_else(|| "—".to_string(), when);
        lines.push((
            tr!(
                lang,
                "board-sync-alarm",
                time = time,
                alarm = alarm_words(lang, alarm)
            ),
            look.theme().error.add_modifier(Modifier::BOLD),
        ));
    }
    let sent = if st.pending == 0 {
        tr!(lang, "board-sync-all-sent")
    } else {
        tr!(lang, "board-sync-pending", count = st.pending as i64)
    };
    let success = match st.last_success_at {
        Some(t) => tr!(lang, "board-sync-last-success", time = when(t)),
        None => tr!(lang, "board-sync-no-success"),
    };
    let forwarder = if st.forwarder_active {
        tr!(lang, "board-sync-forwarder-on")
    } else {
        tr!(lang, "board-sync-forwarder-off")
    };
    let summary_style = if healthy && st.pending == 0 && st.last_success_at.is_some() {
        look.theme().ok
    } else {
        Style::new()
    };
    lines.push((format!("{sent} · {success} · {forwarder}"), summary_style));
    if let (false, Some(error)) = (healthy, &st.last_error) {
        let time = st.last_error_at.map_or_else(|| "—".to_string(), when);
        lines.push((
            tr!(lang, "board-sync-error", time = time, error = error.clone()),
            look.theme().warning,
        ));
    }
    let border = if st.alarm.is_some() {
        look.theme().error
    } else if !healthy {
        look.theme().warning
    } else {
        Style::new()
    };
    (lines, border)
}

fn render_sync(
    frame: &mut Frame<'_>,
    area: Rect,
    lines: Vec<(String, Style)>,
    border: Style,
    lang: Lang,
) {
    let block = titled(tr!(lang, "board-sync-title")).border_style(border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .take(inner.height as usize)
        .map(|(text, style)| Line::styled(cut(&text, width), style))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
