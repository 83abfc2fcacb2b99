//! The hall view: each desk's ticket in large letters, the latest call in
//! words, the waiting line by category, how many wait and for how long.
//! It reads `app::board::Hall` only, which holds no personal data.

use super::Look;
use super::chrome::{bar, down_style, header_style, too_small};
use crate::app::board::{AtDesk, DeskNow, Hall};
use crate::tr;
use crate::ui::kit::{Theme, cut};
use crate::ui::widgets::big_text::{Big, Scale};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Below this the board shows only a request for a larger window.
const MIN_WIDTH: u16 = 24;
const MIN_HEIGHT: u16 = 8;

pub(super) fn render(frame: &mut Frame<'_>, hall: Option<&Hall>, look: &Look<'_>) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, look);
        return;
    }
    let lang = look.lang;
    // a point's hall seen from the regional server says how fresh it is
    let (right, style) = match &look.remote {
        Some(link) => (
            format!("{} · {}", link.text, look.local_time()),
            if link.down {
                down_style(look)
            } else {
                header_style(look)
            },
        ),
        None => (
            match hours_today(look) {
                Some(h) => format!("{h} · {}", look.local_time()),
                None => look.local_time(),
            },
            header_style(look),
        ),
    };
    bar(
        frame,
        Rect { height: 1, ..area },
        &look.ctx.config.point.name,
        &right,
        style,
    );
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let Some(hall) = hall else {
        frame.render_widget(
            Paragraph::new(tr!(lang, "board-loading")).alignment(Alignment::Center),
            Rect {
                y: body.y + body.height / 2,
                height: 1,
                ..body
            },
        );
        return;
    };

    // rows that are always there: the "now serving" title, the call line,
    // the "waiting" title and the footer
    let fixed = 4;
    let groups = hall.waiting.len().max(1) as u16;
    let waiting_min = groups.min(3);
    let cards_room = body.height.saturating_sub(fixed + waiting_min);
    let widest = hall
        .desks
        .iter()
        .filter_map(|d| d.ticket.map(|t| t.number.to_string()))
        .max_by_key(|s| s.chars().count())
        .filter(|s| s.chars().count() > 5)
        .unwrap_or_else(|| "Ж-000".to_string());
    let plan = plan(hall.desks.len(), body.width, cards_room, &widest);
    let cards_height = plan.map_or(1, |p| p.rows * p.card_height);
    let [title, cards, call, waiting_title, waiting, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(cards_height),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(body);

    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(" {}", tr!(lang, "board-now-serving")),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        title,
    );
    match plan {
        Some(plan) => render_cards(frame.buffer_mut(), cards, hall, &plan, look),
        None => render_desk_line(frame, cards, hall, look),
    }
    render_call_line(frame, call, look);
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(" {}", tr!(lang, "board-waiting-title")),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        waiting_title,
    );
    render_waiting(frame, waiting, hall, look);
    render_footer(frame, footer, hall, look);
}

/// How the desks' cards are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    cols: u16,
    rows: u16,
    card_height: u16,
    /// Dot size of the number; `None` draws it as ordinary text.
    scale: Option<Scale>,
}

/// The largest number size that fits all desks' cards in `width`×`height`;
/// among equal sizes, more cards side by side. `None`: not even one line a
/// card fits.
fn plan(desks: usize, width: u16, height: u16, widest: &str) -> Option<Plan> {
    let desks = desks.max(1) as u16;
    let sizes = std::iter::once(None).chain(Scale::ALL.map(Some));
    let mut best: Option<Plan> = None;
    for cols in 1..=desks {
        let rows = desks.div_ceil(cols);
        let card_width = width / cols;
        for scale in sizes.clone().rev() {
            // the largest dots only in one row of cards: two rows of big
            // numbers read worse than one row of slightly smaller ones
            if rows > 1 && scale == Scale::ALL.last().copied() {
                continue;
            }
            let (number_w, number_h) = match scale {
                None => (widest.width() as u16, 1),
                Some(s) => (Big::width(widest, s), Big::height(s)),
            };
            // borders and a column of air each side; borders and the state line
            let card_height = number_h + 3;
            if number_w + 4 <= card_width && card_height * rows <= height {
                let candidate = Plan {
                    cols,
                    rows,
                    card_height,
                    scale,
                };
                if best.is_none_or(|b| (scale, cols) > (b.scale, b.cols)) {
                    best = Some(candidate);
                }
                break;
            }
        }
    }
    best
}

fn render_cards(buf: &mut Buffer, area: Rect, hall: &Hall, plan: &Plan, look: &Look<'_>) {
    let card_width = area.width / plan.cols;
    for (i, desk) in hall.desks.iter().enumerate() {
        let (col, row) = (i as u16 % plan.cols, i as u16 / plan.cols);
        let card = Rect {
            x: area.x + col * card_width,
            y: area.y + row * plan.card_height,
            width: card_width,
            height: plan.card_height,
        }
        .intersection(area);
        if card.is_empty() {
            continue;
        }
        render_card(buf, card, desk, plan.scale, look);
    }
}

fn render_card(
    buf: &mut Buffer,
    area: Rect,
    desk: &DeskNow,
    scale: Option<Scale>,
    look: &Look<'_>,
) {
    use ratatui::widgets::Widget;
    let lang = look.lang;
    let lit = look
        .highlight
        .is_some_and(|c| c.desk == desk.desk && desk.ticket.is_some_and(|t| t.number == c.number));
    let (border, fill) = match desk.ticket {
        _ if lit => (look.theme().called, look.theme().called),
        Some(AtDesk { serving: false, .. }) => (look.theme().focus, look.theme().focus),
        Some(_) => (Style::new(), Style::new().add_modifier(Modifier::BOLD)),
        None => (look.theme().dim, Style::new()),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .style(if lit {
            look.theme().called
        } else {
            Style::new()
        })
        .title(Span::styled(
            format!(" {} ", tr!(lang, "board-desk", desk = desk.desk)),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let Some(ticket) = desk.ticket else {
        let y = inner.y + inner.height.saturating_sub(1) / 2;
        let idle = match desk.pause {
            Some(_) => cut(&tr!(lang, "board-not-serving"), inner.width as usize),
            None => "—".to_string(),
        };
        Paragraph::new(idle)
            .alignment(Alignment::Center)
            .style(look.theme().dim)
            .render(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                buf,
            );
        return;
    };
    let text = ticket.number.to_string();
    let number_h = scale.map_or(1, Big::height);
    let number_area = Rect {
        height: number_h.min(inner.height),
        ..inner
    };
    if let Some(scale) = scale {
        let w = Big::width(&text, scale).min(inner.width);
        Big {
            text: &text,
            scale,
            style: fill,
        }
        .render(
            Rect {
                x: inner.x + (inner.width - w) / 2,
                width: w,
                ..number_area
            },
            buf,
        );
    } else {
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .style(fill)
            .render(number_area, buf);
    }
    if inner.height > number_h {
        let state = if ticket.serving {
            tr!(lang, "board-state-serving")
        } else {
            tr!(lang, "board-state-called")
        };
        Paragraph::new(cut(&state, inner.width as usize))
            .alignment(Alignment::Center)
            .style(fill)
            .render(
                Rect {
                    y: inner.y + number_h,
                    height: 1,
                    ..inner
                },
                buf,
            );
    }
}

/// Today's opening hours in words, when the config has hours: "Open
/// 09:00-18:00" or "Closed today, opens 03.03 09:00".
fn hours_today(look: &Look<'_>) -> Option<String> {
    let hours = look.ctx.hours()?;
    let calendar = crate::domain::workdays::Calendar::builtin();
    let local = look.ctx.local(look.now);
    Some(match hours.on(local.date(), calendar) {
        Some(span) => tr!(look.lang, "board-hours-today", hours = span.to_string()),
        None => match hours.next_opening(local, calendar) {
            Some(at) => tr!(
                look.lang,
                "board-closed-today-opens",
                date = at.format("%d.%m").to_string(),
                time = at.format("%H:%M").to_string()
            ),
            None => tr!(look.lang, "board-closed-today"),
        },
    })
}

/// "Ж-001 (55 min)" for a ticket waiting past the limit.
pub fn long_wait(
    hall: &Hall,
    number: crate::domain::TicketNo,
    lang: crate::domain::Lang,
) -> Option<String> {
    let (_, minutes) = hall.long_waits.iter().find(|(n, _)| *n == number)?;
    Some(format!(
        "{number} ({})",
        tr!(lang, "board-minutes-short", minutes = *minutes as i64)
    ))
}

pub(super) fn long_wait_style(theme: &Theme) -> Style {
    theme.error.add_modifier(Modifier::BOLD)
}

/// No room for cards: the desks in one line of text.
fn render_desk_line(frame: &mut Frame<'_>, area: Rect, hall: &Hall, look: &Look<'_>) {
    let mut spans = Vec::new();
    for d in &hall.desks {
        let number = match (d.ticket, d.pause) {
            (Some(t), _) => t.number.to_string(),
            (None, Some(_)) => tr!(look.lang, "board-not-serving"),
            (None, None) => "—".to_string(),
        };
        let style = match d.ticket {
            Some(t) if look.highlight.is_some_and(|c| c.number == t.number) => look.theme().called,
            Some(_) => Style::new().add_modifier(Modifier::BOLD),
            None => look.theme().dim,
        };
        spans.push(Span::raw(format!(
            " {}: ",
            tr!(look.lang, "board-desk", desk = d.desk)
        )));
        spans.push(Span::styled(number, style));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).wrap(Wrap { trim: true }),
        area,
    );
}

fn render_call_line(frame: &mut Frame<'_>, area: Rect, look: &Look<'_>) {
    // the latest call in words: what a citizen who did not see the big
    // letters change reads; marked while it is fresh
    let Some(call) = look.latest_call else {
        return;
    };
    let text = tr!(
        look.lang,
        "board-call",
        ticket = call.number.to_string(),
        desk = call.desk
    );
    let fresh = look.highlight == Some(call);
    let (mark, style) = if fresh {
        ("▶", look.theme().called)
    } else {
        (" ", Style::new())
    };
    frame.render_widget(
        Paragraph::new(format!(
            " {mark} {} ",
            cut(&text, (area.width as usize).saturating_sub(4))
        ))
        .style(style),
        area,
    );
}

fn render_waiting(frame: &mut Frame<'_>, area: Rect, hall: &Hall, look: &Look<'_>) {
    if area.is_empty() {
        return;
    }
    let lang = look.lang;
    if hall.waiting.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(" {}", tr!(lang, "board-waiting-none")))
                .style(look.theme().muted),
            Rect { height: 1, ..area },
        );
        return;
    }
    let names: Vec<String> = hall
        .waiting
        .iter()
        .map(|g| g.category.name.get(lang).to_string())
        .collect();
    let name_w = names
        .iter()
        .map(|n| n.width())
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 3);
    // a wall screen with room to spare: a blank line between categories
    let step = if area.height as usize >= hall.waiting.len() * 2 {
        2
    } else {
        1
    };
    let fits = (area.height as usize).div_ceil(step);
    let shown = if hall.waiting.len() > fits {
        fits.saturating_sub(1)
    } else {
        hall.waiting.len()
    };
    for (i, (group, name)) in hall.waiting.iter().zip(&names).take(shown).enumerate() {
        let row = Rect {
            y: area.y + (i * step) as u16,
            height: 1,
            ..area
        };
        let head = format!(
            " {:<name_w$} {:>3}  ",
            cut(name, name_w),
            group.tickets.len(),
            name_w = name_w
        );
        let mut line = vec![Span::styled(head.clone(), look.theme().accent)];
        let mut used = head.width();
        let width = row.width as usize;
        for (j, number) in group.tickets.iter().enumerate() {
            // the regional board marks waits past the limit; a hall's own
            // board leaves that to the supervisor
            let long = look
                .remote
                .as_ref()
                .and_then(|_| long_wait(hall, *number, lang));
            let text = long.clone().unwrap_or_else(|| number.to_string());
            let left = group.tickets.len() - j;
            let more = if left > 1 {
                tr!(lang, "board-more", count = (left - 1) as i64)
            } else {
                String::new()
            };
            // room for this number, and for "+N more" after it if others follow
            if used + text.width() + 1 + if left > 1 { more.width() + 1 } else { 0 } > width {
                let rest = tr!(lang, "board-more", count = left as i64);
                if used + rest.width() <= width {
                    line.push(Span::styled(rest, look.theme().muted));
                }
                break;
            }
            line.push(Span::styled(
                format!("{text} "),
                if long.is_some() {
                    long_wait_style(look.theme())
                } else {
                    Style::new().add_modifier(Modifier::BOLD)
                },
            ));
            used += text.width() + 1;
        }
        frame.render_widget(Paragraph::new(Line::from(line)), row);
    }
    if shown < hall.waiting.len() {
        let hidden: usize = hall.waiting[shown..].iter().map(|g| g.tickets.len()).sum();
        let row = Rect {
            y: area.y + (shown * step) as u16,
            height: 1,
            ..area
        };
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                tr!(lang, "board-more", count = hidden as i64)
            ))
            .style(look.theme().muted),
            row,
        );
    }
}

fn render_footer(frame: &mut Frame<'_>, area: Rect, hall: &Hall, look: &Look<'_>) {
    let lang = look.lang;
    if look.read_failed {
        frame.render_widget(
            Paragraph::new(cut(
                &format!(" {}", tr!(lang, "board-error-read")),
                area.width as usize,
            ))
            .style(look.theme().alarm),
            area,
        );
        return;
    }
    let count = tr!(
        lang,
        "board-waiting-count",
        count = hall.waiting_count as i64
    );
    let wait = if hall.waiting_count == 0 || hall.estimated_wait_minutes == 0 {
        tr!(lang, "board-wait-none")
    } else {
        tr!(
            lang,
            "board-wait-estimate",
            minutes = hall.estimated_wait_minutes as i64
        )
    };
    let left = capitalise(&format!("{count} · {wait}"));
    let keys = if look.remote.is_some() {
        tr!(lang, "board-keys-region")
    } else {
        tr!(lang, "board-keys-hall")
    };
    bar(
        frame,
        area,
        &left,
        &keys,
        Style::new().add_modifier(Modifier::BOLD),
    );
}

/// "кезекте 3 адам · ..." starts a line: its first letter in upper case.
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

    #[test]
    fn cards_grow_with_the_screen() {
        // two desks on a compact terminal: side by side, smallest dots
        let p = plan(2, 80, 12, "Ж-000").unwrap();
        assert_eq!((p.cols, p.scale), (2, Some(Scale::new(1, 1))));
        // a wall screen: side by side, dots three columns by two rows
        let p = plan(2, 200, 40, "Ж-000").unwrap();
        assert_eq!((p.cols, p.scale), (2, Some(Scale::new(3, 4))));
        // many desks in little room: text numbers
        let p = plan(8, 80, 8, "Ж-000").unwrap();
        assert_eq!(p.scale, None);
        assert!(p.rows * p.card_height <= 8);
        // four desks on a wall: two rows of two
        let p = plan(4, 200, 40, "Ж-000").unwrap();
        assert_eq!((p.cols, p.rows, p.scale), (2, 2, Some(Scale::new(3, 4))));
        // one desk: the largest dots
        let p = plan(1, 200, 40, "Ж-000").unwrap();
        assert_eq!(p.scale, Some(Scale::new(4, 4)));
        // nothing fits
        assert_eq!(plan(20, 30, 2, "Ж-000"), None);
    }
}
