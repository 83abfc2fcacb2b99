//! The report drawn: the main figures, appeals by topic as a bar chart, and
//! appeals received per day as a sparkline. At 80×24 it is a plain list of
//! figures beside the chart (the least important figures go first when rows
//! run out); from about 100×30 the figures are in boxes by section, with
//! every share in per cent, and the sparkline runs under the whole width.
//! Only the 16 basic colours are used.

use super::names::{cut, pad, short_topic};
use crate::app::report::ScreenReport;
use crate::domain::report::{Report, Share};
use crate::domain::{Catalogue, CategoryId, Lang, sanitize_line};
use crate::tr;
use crate::ui::kit::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline, Widget};
use unicode_width::UnicodeWidthStr;

/// Below this the figures are a plain list and the sparkline sits under
/// the chart.
const ROOMY_WIDTH: u16 = 100;
/// Rows the boxed figures take: 21 figures, 4 boxes.
const BOXED_ROWS: u16 = 29;

pub struct ReportView<'a> {
    pub data: &'a ScreenReport,
    pub lang: Lang,
    pub catalogue: &'a Catalogue,
    pub theme: &'a Theme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Appeals,
    Control,
    Sessions,
    Queue,
}

impl Section {
    fn title_key(self) -> &'static str {
        match self {
            Section::Appeals => "report-section-appeals",
            Section::Control => "report-section-control",
            Section::Sessions => "report-section-sessions",
            Section::Queue => "report-section-tickets",
        }
    }
}

/// One figure: its label, its count (or minutes), its share of appeals
/// received if it has one, and how much it matters when rows are few (0
/// is kept longest).
struct Figure {
    section: Section,
    label: String,
    value: String,
    percent: Option<f64>,
    rank: u8,
    alert: bool,
    /// Shown only in the boxed layout (90th percentiles, repeated appeals).
    roomy_only: bool,
}

fn figures(r: &Report, lang: Lang) -> Vec<Figure> {
    let count = |section, key: &str, n: u64, rank| Figure {
        section,
        label: tr!(lang, key),
        value: n.to_string(),
        percent: None,
        rank,
        alert: false,
        roomy_only: false,
    };
    let share = |key: &str, s: Share, rank| Figure {
        percent: Some(s.percent),
        ..count(Section::Appeals, key, s.count, rank)
    };
    let minutes = |key: &str, m: Option<f64>, rank, roomy_only| Figure {
        section: Section::Queue,
        label: tr!(lang, key),
        value: m.map_or_else(|| tr!(lang, "report-none"), |m| format!("{m:.1}")),
        percent: None,
        rank,
        alert: false,
        roomy_only,
    };
    let a = &r.appeals;
    let (c, s, t) = (&r.control, &r.sessions, &r.tickets);
    vec![
        count(Section::Appeals, "report-appeals-received", a.received, 0),
        share("report-resolved-positive", a.resolved_positive, 0),
        share("report-consulted", a.consulted, 1),
        share("report-redirected", a.redirected, 2),
        share("report-under-consideration", a.under_consideration, 1),
        share("report-declined", a.declined, 4),
        share("report-withdrawn", a.withdrawn, 5),
        Figure {
            roomy_only: true,
            ..count(Section::Appeals, "report-repeated", a.repeated, 6)
        },
        count(
            Section::Control,
            "report-control-taken",
            c.taken_under_control,
            2,
        ),
        count(
            Section::Control,
            "report-control-in-time",
            c.closed_in_time,
            3,
        ),
        Figure {
            alert: c.overdue > 0,
            ..count(Section::Control, "report-control-overdue", c.overdue, 2)
        },
        count(
            Section::Sessions,
            "report-sessions-mobile",
            s.mobile_sessions,
            3,
        ),
        count(
            Section::Sessions,
            "report-sessions-on-site",
            s.on_site_sessions,
            4,
        ),
        count(
            Section::Sessions,
            "report-sessions-citizens",
            s.citizens_received,
            3,
        ),
        count(Section::Queue, "report-tickets-issued", t.issued, 2),
        count(Section::Queue, "report-tickets-served", t.served, 3),
        count(Section::Queue, "report-tickets-no-show", t.no_shows, 4),
        count(
            Section::Queue,
            "report-tickets-not-printed",
            t.not_printed,
            5,
        ),
        count(
            Section::Queue,
            "report-tickets-closed",
            t.closed_unserved,
            5,
        ),
        Figure {
            label: super::over_limit_label(lang, t),
            alert: t.over_wait_limit > 0,
            ..count(
                Section::Queue,
                "report-tickets-over-limit",
                t.over_wait_limit,
                4,
            )
        },
        minutes("report-wait-median", t.wait.median, 3, false),
        minutes("report-wait-p90", t.wait.p90, 6, true),
        minutes("report-service-median", t.service.median, 4, false),
        minutes("report-service-p90", t.service.p90, 6, true),
        minutes("report-paused-total", Some(r.pauses.minutes), 5, false),
    ]
}

/// Drops the least important figures (the later of equals first) until
/// `rows` are left, keeping the order.
fn keep_most_important(mut list: Vec<Figure>, rows: usize) -> Vec<Figure> {
    while list.len() > rows {
        let Some((i, _)) = list.iter().enumerate().max_by_key(|(i, f)| (f.rank, *i)) else {
            break;
        };
        list.remove(i);
    }
    list
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn titled(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), bold()))
}

fn percent_text(p: f64) -> String {
    format!("{p:.1}%")
}

/// "label ....... value" in `width` columns; the value bold, the label cut.
fn figure_line(f: &Figure, width: usize, with_percent: bool, theme: &Theme) -> Line<'static> {
    let mut value = f.value.clone();
    if let (Some(p), true) = (f.percent, with_percent) {
        value = format!("{value} · {}", percent_text(p));
    }
    let room = width.saturating_sub(value.width() + 1);
    let label = cut(&f.label, room);
    let gap = width.saturating_sub(label.width() + value.width());
    alerted(
        f,
        Line::from(vec![
            Span::raw(label),
            Span::raw(" ".repeat(gap)),
            Span::styled(value, bold()),
        ]),
        theme,
    )
}

/// Overdue appeals are the figure to notice: red when there are any.
fn alerted(f: &Figure, line: Line<'static>, theme: &Theme) -> Line<'static> {
    if f.alert {
        line.style(theme.error)
    } else {
        line
    }
}

/// "label .... count  share%" with the per-cent column lined up (boxes).
fn boxed_line(f: &Figure, width: usize, count_w: usize, theme: &Theme) -> Line<'static> {
    let pct = f.percent.map(percent_text).unwrap_or_default();
    let right = format!("{:>count_w$} {:>6}", f.value, pct);
    let room = width.saturating_sub(right.width() + 1);
    let label = pad(&f.label, room);
    alerted(
        f,
        Line::from(vec![
            Span::raw(label),
            Span::raw(" "),
            Span::styled(right, bold()),
        ]),
        theme,
    )
}

impl Widget for ReportView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 20 || area.height < 3 {
            // room for the two figures people quote and nothing else
            let figs = keep_most_important(figures(&self.data.report, self.lang), 2);
            let lines: Vec<Line> = figs
                .iter()
                .map(|f| figure_line(f, area.width as usize, true, self.theme))
                .collect();
            Paragraph::new(lines).render(area, buf);
            return;
        }
        let spark_rows = if area.height >= 30 {
            (area.height / 5).clamp(6, 10)
        } else {
            0
        };
        let top_rows = area.height - spark_rows;
        if area.width >= ROOMY_WIDTH && top_rows >= BOXED_ROWS {
            self.render_roomy(area, spark_rows, buf);
        } else {
            self.render_compact(area, buf);
        }
    }
}

impl ReportView<'_> {
    fn report(&self) -> &Report {
        &self.data.report
    }

    /// 80×24: the figures as a list on the left, the topics and the
    /// sparkline on the right.
    fn render_compact(&self, area: Rect, buf: &mut Buffer) {
        let narrow = area.width < 60;
        let left_w = if narrow {
            area.width
        } else {
            (area.width * 53 / 100).clamp(30, 60)
        };
        let [left, gap, right] = Layout::horizontal([
            Constraint::Length(left_w),
            Constraint::Length(u16::from(!narrow)),
            Constraint::Min(0),
        ])
        .areas(area);
        self.figure_list(left, buf);
        if narrow {
            return;
        }
        // a rule between the two columns: the daily chart on the right is
        // not read as bars of the ticket figures beside it
        for y in gap.top()..gap.bottom() {
            buf.set_string(gap.x, y, "│", self.theme.dim);
        }
        // the sparkline takes what the topics leave, from 4 rows to 8
        let topics_rows = self.report().groups.len().max(1) as u16 + 1;
        let spark_rows = right
            .height
            .saturating_sub(topics_rows + 1)
            .clamp(4, 8)
            .min(right.height);
        let [topics, _, daily] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(u16::from(right.height > spark_rows + 3)),
            Constraint::Length(spark_rows),
        ])
        .areas(right);
        let [topics_title, topics_body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(topics);
        Paragraph::new(Span::styled(
            cut(
                &tr!(self.lang, "report-topics-title"),
                topics_title.width as usize,
            ),
            bold(),
        ))
        .render(topics_title, buf);
        self.topics_chart(topics_body, false, buf);
        self.sparkline(daily, buf);
    }

    /// The figures, one a line, as many as fit; headings only when every
    /// figure has its line and there are rows to spare.
    fn figure_list(&self, area: Rect, buf: &mut Buffer) {
        let all: Vec<Figure> = figures(self.report(), self.lang)
            .into_iter()
            .filter(|f| !f.roomy_only)
            .collect();
        let rows = area.height as usize;
        let width = area.width as usize;
        // in a list only "resolved positively" has its share: it is the
        // one offices quote, and the labels keep their room
        let line = |f: &Figure| {
            figure_line(
                f,
                width,
                f.section == Section::Appeals && f.rank == 0,
                self.theme,
            )
        };
        let headings = all.len() + 4 <= rows;
        let mut lines = Vec::new();
        if headings {
            let mut last = None;
            for f in &all {
                if last != Some(f.section) {
                    lines.push(Line::styled(
                        cut(&tr!(self.lang, f.section.title_key()), width),
                        bold().patch(self.theme.accent),
                    ));
                    last = Some(f.section);
                }
                lines.push(line(f));
            }
        } else {
            lines = keep_most_important(all, rows).iter().map(line).collect();
        }
        Paragraph::new(lines).render(area, buf);
    }

    /// From about 100×30: boxes by section on the left, the topics on the
    /// right, the sparkline along the bottom.
    fn render_roomy(&self, area: Rect, spark_rows: u16, buf: &mut Buffer) {
        let [top, daily] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(spark_rows)]).areas(area);
        let left_w = (area.width * 2 / 5).clamp(46, 64);
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Min(0)]).areas(top);
        let all = figures(self.report(), self.lang);
        let count_w = all.iter().map(|f| f.value.width()).max().unwrap_or(1);
        let sections = [
            Section::Appeals,
            Section::Control,
            Section::Sessions,
            Section::Queue,
        ];
        let heights: Vec<Constraint> = sections
            .iter()
            .map(|s| Constraint::Length(all.iter().filter(|f| f.section == *s).count() as u16 + 2))
            .chain([Constraint::Min(0)])
            .collect();
        let boxes = Layout::vertical(heights).split(left);
        for (i, s) in sections.iter().enumerate() {
            let block = titled(tr!(self.lang, s.title_key()));
            let inner = block.inner(boxes[i]);
            block.render(boxes[i], buf);
            let lines: Vec<Line> = all
                .iter()
                .filter(|f| f.section == *s)
                .map(|f| boxed_line(f, inner.width as usize, count_w, self.theme))
                .collect();
            Paragraph::new(lines).render(inner, buf);
        }
        self.right_boxes(right, buf);
        let block = titled(self.daily_title(daily.width.saturating_sub(2) as usize));
        let inner = block.inner(daily);
        block.render(daily, buf);
        self.sparkline_body(inner, buf);
    }

    /// The topics, and below them (when there is room) where appeals were
    /// redirected and the proposals for the programme.
    fn right_boxes(&self, area: Rect, buf: &mut Buffer) {
        let r = self.report();
        let topics_rows = (r.groups.len().max(1) as u16) * 2 + 1;
        let lists: Vec<(String, Vec<(String, u64)>)> = [
            (
                tr!(self.lang, "report-redirected-by-body"),
                r.redirected_to
                    .iter()
                    .map(|(b, n)| (sanitize_line(b), *n))
                    .collect::<Vec<_>>(),
            ),
            (
                tr!(self.lang, "report-proposals"),
                r.proposals_by_category
                    .iter()
                    .map(|(c, n)| (self.topic_name(c), *n))
                    .collect(),
            ),
        ]
        .into_iter()
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
        let mut constraints = vec![Constraint::Min(topics_rows.min(area.height))];
        let mut spare = area.height.saturating_sub(topics_rows + 2);
        let mut shown = Vec::new();
        for (title, rows) in lists {
            let want = rows.len() as u16 + 2;
            if spare >= want.min(5) {
                let h = want.min(spare);
                constraints.push(Constraint::Length(h));
                spare -= h;
                shown.push((title, rows));
            }
        }
        let parts = Layout::vertical(constraints).split(area);
        let block = titled(tr!(self.lang, "report-topics-title"));
        let inner = block.inner(parts[0]);
        block.render(parts[0], buf);
        self.topics_chart(inner, true, buf);
        for (i, (title, mut rows)) in shown.into_iter().enumerate() {
            rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let block = titled(title);
            let inner = block.inner(parts[i + 1]);
            block.render(parts[i + 1], buf);
            let width = inner.width as usize;
            let lines: Vec<Line> = rows
                .iter()
                .map(|(name, n)| {
                    let value = n.to_string();
                    let label = pad(name, width.saturating_sub(value.width() + 1));
                    Line::from(vec![
                        Span::raw(label),
                        Span::raw(" "),
                        Span::styled(value, bold()),
                    ])
                })
                .collect();
            Paragraph::new(lines).render(inner, buf);
        }
    }

    fn topic_name(&self, id: &str) -> String {
        sanitize_line(&self.catalogue.name(&CategoryId::new(id), self.lang))
    }

    /// Appeals by topic, most first, as horizontal bars with the topic's
    /// name on the left; topics that do not fit are summed up in a last
    /// line.
    fn topics_chart(&self, area: Rect, roomy: bool, buf: &mut Buffer) {
        let r = self.report();
        if area.height == 0 || area.width < 8 {
            return;
        }
        if r.groups.is_empty() {
            Paragraph::new(Span::styled(
                cut(&tr!(self.lang, "report-topics-none"), area.width as usize),
                self.theme.muted,
            ))
            .render(area, buf);
            return;
        }
        let gap = u16::from(roomy && area.height as usize >= r.groups.len() * 2);
        let fit = ((area.height + gap) / (1 + gap)) as usize;
        let (shown, rest) = if r.groups.len() > fit {
            (
                fit.saturating_sub(1),
                r.groups.len() - fit.saturating_sub(1),
            )
        } else {
            (r.groups.len(), 0)
        };
        let label_w = (area.width as usize * if roomy { 45 } else { 42 } / 100).max(6);
        let names: Vec<String> = r.groups[..shown]
            .iter()
            .map(|(id, _)| short_topic(&self.topic_name(id), label_w))
            .collect();
        let label_w = names.iter().map(|n| n.width()).max().unwrap_or(0);
        let received = r.appeals.received;
        let bars: Vec<Bar> = r.groups[..shown]
            .iter()
            .zip(&names)
            .map(|((_, f), name)| {
                let text = if roomy {
                    let p = (f.received as f64 * 1000.0 / received.max(1) as f64).round() / 10.0;
                    format!("{} · {}", f.received, percent_text(p))
                } else {
                    f.received.to_string()
                };
                Bar::default()
                    .value(f.received)
                    .label(Line::from(pad(name, label_w)))
                    .text_value(text)
            })
            .collect();
        let chart_rows = ((shown as u16) * (1 + gap)).saturating_sub(gap);
        let [chart, more] = Layout::vertical([
            Constraint::Length(chart_rows.min(area.height)),
            Constraint::Length(u16::from(rest > 0)),
        ])
        .areas(area);
        BarChart::default()
            .direction(Direction::Horizontal)
            .data(BarGroup::default().bars(&bars))
            .bar_width(1)
            .bar_gap(gap)
            .bar_style(self.theme.accent)
            .value_style(self.theme.accent_bar)
            .render(chart, buf);
        if rest > 0 {
            let n: u64 = r.groups[shown..].iter().map(|(_, f)| f.received).sum();
            Paragraph::new(Span::styled(
                cut(
                    &tr!(self.lang, "report-topics-more", topics = rest, count = n),
                    more.width as usize,
                ),
                self.theme.muted,
            ))
            .render(more, buf);
        }
    }

    /// The sparkline's title: per day, or per several days when the period
    /// has more days than `width` has columns.
    fn daily_title(&self, width: usize) -> String {
        match columns(&self.data.daily, width).1 {
            1 => tr!(self.lang, "report-daily-title"),
            per => tr!(self.lang, "report-daily-columns", days = per as i64),
        }
    }

    /// Title line, the columns, and a line of dates under them.
    fn sparkline(&self, area: Rect, buf: &mut Buffer) {
        if area.height < 2 {
            return;
        }
        let [title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let text = cut(&self.daily_title(body.width as usize), title.width as usize);
        Paragraph::new(Span::styled(text, bold())).render(title, buf);
        self.sparkline_body(body, buf);
    }

    /// The columns and, on the last row, the first and last dates and the
    /// highest value.
    fn sparkline_body(&self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let [bars, axis] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(u16::from(area.height >= 2)),
        ])
        .areas(area);
        let (values, per) = columns(&self.data.daily, area.width as usize);
        let peak = values.iter().copied().max().unwrap_or(0);
        Sparkline::default()
            .data(&values)
            .max(peak.max(1))
            .style(self.theme.ok)
            .render(bars, buf);
        if axis.height == 0 {
            return;
        }
        let p = &self.report().period;
        let first = p.from.format("%d.%m").to_string();
        let last = p.to.format("%d.%m").to_string();
        let peak_text = if per > 1 {
            tr!(self.lang, "report-daily-peak-columns", count = peak as i64)
        } else {
            tr!(self.lang, "report-daily-peak", count = peak as i64)
        };
        let width = axis.width as usize;
        let mut line = first.clone();
        let ends = if p.from == p.to {
            first.width()
        } else {
            first.width() + last.width()
        };
        // the peak in the middle with at least a space on each side, cut
        // (or left out) when the line is short
        let room = width.saturating_sub(ends + 2);
        let middle = if room >= 6 {
            cut(&peak_text, room)
        } else {
            String::new()
        };
        let gap = width.saturating_sub(ends + middle.width());
        if p.from == p.to {
            line.push_str(&" ".repeat(gap.min(2)));
            line.push_str(&middle);
        } else {
            line.push_str(&" ".repeat(gap / 2));
            line.push_str(&middle);
            line.push_str(&" ".repeat(gap - gap / 2));
            line.push_str(&last);
        }
        Paragraph::new(Span::styled(cut(&line, width), self.theme.muted)).render(axis, buf);
    }
}

/// The daily values spread over `width` columns: each day repeated when
/// there is room (a month on a wide screen), or several days summed into
/// a column when there is not (a year at 80 columns). Returns the values
/// and how many days each column holds.
pub fn columns(daily: &[u64], width: usize) -> (Vec<u64>, usize) {
    if daily.is_empty() || width == 0 {
        return (Vec::new(), 1);
    }
    if daily.len() <= width {
        let each = width / daily.len();
        let values = daily
            .iter()
            .flat_map(|v| std::iter::repeat_n(*v, each))
            .collect();
        return (values, 1);
    }
    let per = daily.len().div_ceil(width);
    (daily.chunks(per).map(|c| c.iter().sum()).collect(), per)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_spread_or_summed_to_the_width() {
        assert_eq!(columns(&[1, 2, 3], 7), (vec![1, 1, 2, 2, 3, 3], 1));
        let year = vec![1u64; 365];
        let (v, per) = columns(&year, 80);
        assert_eq!(per, 5);
        assert!(v.len() <= 80);
        assert_eq!(v.iter().sum::<u64>(), 365);
        assert_eq!(columns(&[], 10), (vec![], 1));
        assert_eq!(columns(&[4], 0), (vec![], 1));
    }

    #[test]
    fn the_least_important_figures_go_first() {
        let r = crate::domain::report::compute(
            crate::domain::report::period(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                chrono_tz::Asia::Almaty,
            )
            .unwrap(),
            &[],
            &[],
            &[],
            &[],
            &crate::domain::queue::WaitLimits::uniform(30),
            None,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        );
        let all = figures(&r, Lang::En);
        let kept = keep_most_important(all, 3);
        let labels: Vec<&str> = kept.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Appeals received",
                "Resolved positively",
                "Consultation given"
            ]
        );
    }
}
