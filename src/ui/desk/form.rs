//! The appeal form: the citizen, the appeal, who heard it, the outcome and
//! control. Checked as it is typed; the citizen's earlier appeals appear
//! beside it as soon as an IIN, a phone or a full name is there.

use super::{Console, Env, Msg, Note, View, poll, text};
use crate::app::AppResult;
use crate::app::desk::appeals::{citizen_history, record_appeal};
use crate::app::desk::form::{self as rules, AppealInput, Field, Invalid, parse_date, show_date};
use crate::app::desk::records::AppealRecord;
use crate::app::desk::records::SessionRecord;
use crate::app::desk::records::TicketRecord;
use crate::app::kiosk::AppealReceived;
use crate::domain::appeal::{AppealKind, Channel, Outcome};
use crate::domain::event::SessionKind;
use crate::domain::workdays::Calendar;
use crate::domain::{
    AppealText, CategoryId, Iin, PersonName, Phone, ShortText, TicketNo, sanitize_line,
};
use crate::tr;
use crate::ui::kit::{TextInput, cut, cut_pad};
use crate::ui::worker::Jobs;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::sync::Arc;
use uuid::Uuid;

/// One place the cursor can be in the form, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Name,
    Iin,
    Phone,
    Settlement,
    Workplace,
    Consent,
    Category,
    Kind,
    Channel,
    Text,
    Official(usize),
    HeardOther,
    Outcome,
    Redirected,
    Control,
    Responsible,
    Deadline,
}

impl Slot {
    fn field(self) -> Option<Field> {
        Some(match self {
            Slot::Name => Field::Name,
            Slot::Iin => Field::Iin,
            Slot::Phone => Field::Phone,
            Slot::Settlement => Field::Settlement,
            Slot::Workplace => Field::Workplace,
            Slot::Consent => Field::Consent,
            Slot::Category => Field::Category,
            Slot::Kind => Field::Kind,
            Slot::Channel => Field::Channel,
            Slot::Text => Field::Text,
            Slot::Official(_) | Slot::HeardOther => Field::HeardBy,
            Slot::Outcome => Field::Outcome,
            Slot::Redirected => Field::RedirectedTo,
            Slot::Responsible => Field::Responsible,
            Slot::Deadline => Field::Deadline,
            Slot::Control => return None,
        })
    }
}

pub struct FormState {
    pub name: TextInput,
    pub iin: TextInput,
    pub phone: TextInput,
    pub settlement: TextInput,
    pub workplace: TextInput,
    pub consent: bool,
    pub categories: Vec<CategoryId>,
    pub category: usize,
    pub kinds: Vec<AppealKind>,
    pub kind: usize,
    pub channel: usize,
    pub text: TextInput,
    pub officials: Vec<(String, bool)>,
    pub heard_other: TextInput,
    pub outcome: usize,
    pub redirected: TextInput,
    pub control: bool,
    pub responsible: TextInput,
    pub deadline: TextInput,
    pub focus: Slot,
    pub ticket: Option<(Uuid, TicketNo)>,
    pub campaign: bool,
    /// Mistakes found by the last save; re-checked as the operator fixes them.
    pub errors: Vec<Invalid>,
    pub history: Vec<AppealRecord>,
    history_key: String,
    history_gen: u64,
    confirm_clear: bool,
    saving: bool,
}

fn short() -> TextInput {
    TextInput::line(ShortText::MAX)
}

impl FormState {
    pub fn new(
        env: &Env,
        ticket: Option<&TicketRecord>,
        campaign: bool,
        session: Option<&SessionRecord>,
    ) -> Self {
        let catalogue = env.ctx.catalogue;
        let categories: Vec<CategoryId> = catalogue
            .offered(campaign)
            .into_iter()
            .map(|c| c.id.clone())
            .collect();
        let desk_first = env
            .ctx
            .config
            .desk(env.desk)
            .and_then(|d| d.categories.first().cloned());
        let wanted = ticket.map(|t| t.category.clone()).or(desk_first);
        let category = wanted
            .and_then(|w| categories.iter().position(|c| *c == w))
            .unwrap_or(0);
        let kinds: Vec<AppealKind> = if campaign {
            vec![AppealKind::Proposal]
        } else {
            AppealKind::ALL.to_vec()
        };
        let kind = kinds
            .iter()
            .position(|k| *k == AppealKind::Request)
            .unwrap_or(0);
        let channel = match (session.map(|s| s.kind), ticket) {
            (Some(SessionKind::Mobile), _) => Channel::Mobile,
            (Some(SessionKind::OnSite), _) => Channel::OnSite,
            (None, Some(_)) => env.ctx.point_kind().kiosk_channel(),
            (None, None) => Channel::WalkIn,
        };
        let mut officials: Vec<(String, bool)> = env
            .ctx
            .config
            .point
            .officials
            .iter()
            .map(|o| (sanitize_line(o), false))
            .filter(|(o, _)| !o.is_empty())
            .collect();
        // the officials of an open session are ticked, and added if missing
        for o in session.map(|s| s.officials.as_slice()).unwrap_or(&[]) {
            let o = sanitize_line(o);
            match officials.iter_mut().find(|(name, _)| *name == o) {
                Some(entry) => entry.1 = true,
                None => officials.push((o, true)),
            }
        }
        let today = env.ctx.service_date(env.now());
        FormState {
            name: TextInput::line(PersonName::MAX),
            iin: TextInput::line(20),
            phone: TextInput::line(24),
            settlement: short(),
            workplace: short(),
            consent: false,
            categories,
            category,
            kinds,
            kind,
            channel: Channel::ALL.iter().position(|c| *c == channel).unwrap_or(0),
            text: TextInput::multiline(AppealText::MAX),
            officials,
            heard_other: short(),
            outcome: 0,
            redirected: short(),
            control: false,
            responsible: TextInput::line(PersonName::MAX),
            deadline: TextInput::line(10)
                .with(&show_date(Calendar::builtin().default_deadline(today))),
            focus: Slot::Name,
            ticket: ticket.map(|t| (t.id, t.number)),
            campaign,
            errors: Vec::new(),
            history: Vec::new(),
            history_key: String::new(),
            history_gen: 0,
            confirm_clear: false,
            saving: false,
        }
    }

    /// Nothing typed yet: the form may be replaced without losing anything.
    pub fn is_pristine(&self) -> bool {
        [
            &self.name,
            &self.iin,
            &self.phone,
            &self.settlement,
            &self.workplace,
            &self.text,
            &self.heard_other,
            &self.redirected,
            &self.responsible,
        ]
        .iter()
        .all(|t| t.is_blank())
            && !self.consent
            && !self.control
    }

    pub fn is_dirty(&self) -> bool {
        !self.is_pristine()
    }

    pub fn outcome_value(&self) -> Outcome {
        Outcome::ALL[self.outcome]
    }

    fn slots(&self) -> Vec<Slot> {
        let mut s = vec![
            Slot::Name,
            Slot::Iin,
            Slot::Phone,
            Slot::Settlement,
            Slot::Workplace,
            Slot::Consent,
            Slot::Category,
            Slot::Kind,
            Slot::Channel,
            Slot::Text,
        ];
        s.extend((0..self.officials.len()).map(Slot::Official));
        s.push(Slot::HeardOther);
        s.push(Slot::Outcome);
        if self.outcome_value() == Outcome::Redirected {
            s.push(Slot::Redirected);
        }
        s.push(Slot::Control);
        if self.control {
            s.push(Slot::Responsible);
            s.push(Slot::Deadline);
        }
        s
    }

    fn step(&mut self, forward: bool) {
        let slots = self.slots();
        let i = slots.iter().position(|s| *s == self.focus).unwrap_or(0);
        let n = slots.len();
        self.focus = slots[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    fn input_mut(&mut self, slot: Slot) -> Option<&mut TextInput> {
        Some(match slot {
            Slot::Name => &mut self.name,
            Slot::Iin => &mut self.iin,
            Slot::Phone => &mut self.phone,
            Slot::Settlement => &mut self.settlement,
            Slot::Workplace => &mut self.workplace,
            Slot::Text => &mut self.text,
            Slot::HeardOther => &mut self.heard_other,
            Slot::Redirected => &mut self.redirected,
            Slot::Responsible => &mut self.responsible,
            Slot::Deadline => &mut self.deadline,
            _ => return None,
        })
    }

    pub(super) fn input(&self, slot: Slot) -> Option<&TextInput> {
        Some(match slot {
            Slot::Name => &self.name,
            Slot::Iin => &self.iin,
            Slot::Phone => &self.phone,
            Slot::Settlement => &self.settlement,
            Slot::Workplace => &self.workplace,
            Slot::Text => &self.text,
            Slot::HeardOther => &self.heard_other,
            Slot::Redirected => &self.redirected,
            Slot::Responsible => &self.responsible,
            Slot::Deadline => &self.deadline,
            _ => return None,
        })
    }

    /// Changes a choice or a tick box; false when the slot has none.
    fn cycle(&mut self, forward: bool) -> bool {
        let step = |i: &mut usize, n: usize| {
            *i = if forward {
                (*i + 1) % n
            } else {
                (*i + n - 1) % n
            }
        };
        match self.focus {
            Slot::Category => step(&mut self.category, self.categories.len()),
            Slot::Kind => step(&mut self.kind, self.kinds.len()),
            Slot::Channel => step(&mut self.channel, Channel::ALL.len()),
            Slot::Outcome => step(&mut self.outcome, Outcome::ALL.len()),
            Slot::Consent => self.consent = !self.consent,
            Slot::Control => self.control = !self.control,
            Slot::Official(i) => self.officials[i].1 = !self.officials[i].1,
            _ => return false,
        }
        true
    }

    pub fn to_input(&self, env: &Env) -> AppealInput {
        AppealInput {
            name: self.name.text(),
            iin: self.iin.text(),
            phone: self.phone.text(),
            settlement: self.settlement.text(),
            workplace: self.workplace.text(),
            category: self.categories[self.category].clone(),
            kind: self.kinds[self.kind],
            channel: Channel::ALL[self.channel],
            text: self.text.text(),
            heard_by: self
                .officials
                .iter()
                .filter(|(_, on)| *on)
                .map(|(n, _)| n.clone())
                .collect(),
            heard_by_other: self.heard_other.text(),
            consent: self.consent,
            outcome: self.outcome_value(),
            redirected_to: self.redirected.text(),
            under_control: self.control,
            responsible: self.responsible.text(),
            deadline: self.deadline.text(),
            ticket_id: self.ticket.map(|t| t.0),
            lang: env.lang,
        }
    }

    fn check(&self, env: &Env) -> Result<(), Vec<Invalid>> {
        rules::validate(
            &self.to_input(env),
            env.ctx.catalogue,
            self.campaign,
            env.ctx.service_date(env.now()),
        )
        .map(|_| ())
    }

    /// What the citizen history is looked up by, when there is something.
    fn history_key(&self) -> Option<(String, String, String)> {
        let iin = Iin::parse(&self.iin.text())
            .map(|i| i.as_str().to_string())
            .ok();
        let phone = Phone::parse(&self.phone.text())
            .map(|p| p.as_str().to_string())
            .ok();
        let name = sanitize_line(&self.name.text());
        let name = (name.split_whitespace().count() >= 2).then_some(name);
        if iin.is_none() && phone.is_none() && name.is_none() {
            return None;
        }
        Some((
            iin.unwrap_or_default(),
            phone.unwrap_or_default(),
            name.unwrap_or_default(),
        ))
    }

    fn look_up_history(&mut self, jobs: &mut Jobs<'_, Msg>) {
        let key = self.history_key();
        let flat = key
            .as_ref()
            .map(|(a, b, c)| format!("{a}|{b}|{c}"))
            .unwrap_or_default();
        if flat == self.history_key {
            return;
        }
        self.history_key = flat;
        self.history_gen += 1;
        let generation = self.history_gen;
        match key {
            None => self.history.clear(),
            Some((iin, phone, name)) => jobs.run(
                move |store| citizen_history(store, &iin, &phone, &name, 20),
                move |r| Msg::History(generation, r),
            ),
        }
    }

    /// A reply for an older lookup is dropped: the operator typed on.
    pub fn on_history(&mut self, generation: u64, r: AppResult<Vec<AppealRecord>>) {
        if generation == self.history_gen {
            self.history = r.unwrap_or_default();
        }
    }
}

/// Showing the form: a blank one follows the desk's current ticket.
pub fn enter(c: &mut Console, env: &Env) {
    if c.form.is_pristine() {
        let ticket = c.snap.current.as_ref();
        c.form = FormState::new(env, ticket, c.snap.campaign, c.snap.session.as_ref());
    }
}

pub fn on_key(c: &mut Console, key: KeyEvent, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let f = &mut c.form;
    if f.saving {
        return None;
    }
    if !(ctrl && key.code == KeyCode::Char('n')) {
        f.confirm_clear = false;
    }
    match key.code {
        KeyCode::Char('s') if ctrl => return save(c, env, jobs),
        KeyCode::Char('n') if ctrl => {
            if f.is_dirty() && !f.confirm_clear {
                f.confirm_clear = true;
                return Some(Note::error(env.t("desk-form-confirm-clear")));
            }
            c.form = FormState::new(env, None, c.snap.campaign, c.snap.session.as_ref());
            return Some(Note::info(env.t("desk-form-cleared")));
        }
        KeyCode::Esc => {
            c.view = View::Queue;
            return None;
        }
        KeyCode::Tab | KeyCode::Down => f.step(true),
        KeyCode::BackTab | KeyCode::Up => f.step(false),
        KeyCode::Enter if f.focus != Slot::Text => f.step(true),
        KeyCode::Left | KeyCode::Right if f.input(f.focus).is_none() => {
            f.cycle(key.code == KeyCode::Right);
        }
        KeyCode::Char(' ') if f.input(f.focus).is_none() => {
            f.cycle(true);
        }
        _ => {
            let focus = f.focus;
            if let Some(input) = f.input_mut(focus) {
                let was_full = input.is_full();
                input.on_key(key);
                if was_full && matches!(key.code, KeyCode::Char(_)) {
                    let max = input.max();
                    let field = focus.field().map(|fl| text::field(env.lang, fl));
                    return Some(Note::error(format!(
                        "{}: {}",
                        field.unwrap_or_default(),
                        text::problem(env.lang, rules::Problem::TooLong { max })
                    )));
                }
            }
            if matches!(focus, Slot::Name | Slot::Iin | Slot::Phone) {
                f.look_up_history(jobs);
            }
        }
    }
    if !c.form.errors.is_empty() {
        let before = c.form.errors.clone();
        c.form.errors = c.form.check(env).err().unwrap_or_default();
        if c.form.errors != before {
            // the message line follows the corrections
            return Some(match c.form.errors.first() {
                Some(first) => Note::error(text::invalid(env.lang, first)),
                None => Note::info(env.t("desk-form-fixed")),
            });
        }
    }
    None
}

fn save(c: &mut Console, env: &Env, jobs: &mut Jobs<'_, Msg>) -> Option<Note> {
    let f = &mut c.form;
    f.campaign = c.snap.campaign;
    if let Err(errors) = f.check(env) {
        let first = errors[0];
        f.errors = errors;
        if let Some(slot) = f
            .slots()
            .into_iter()
            .find(|s| s.field() == Some(first.field))
        {
            f.focus = slot;
        }
        return Some(Note::error(text::error(
            env.lang,
            &crate::app::desk::DeskError::Invalid(f.errors.clone()).into(),
        )));
    }
    let input = f.to_input(env);
    f.saving = true;
    let ctx = Arc::clone(&env.ctx);
    let op = c.op.clone();
    let (desk, now) = (env.desk, env.now());
    jobs.run(
        move |store| record_appeal(store, &ctx, &op, Some(desk), &input, now),
        Msg::Saved,
    );
    Some(Note::info(env.t("desk-form-saving")))
}

pub fn on_saved(
    c: &mut Console,
    r: AppResult<AppealReceived>,
    env: &Env,
    jobs: &mut Jobs<'_, Msg>,
) -> Option<Note> {
    c.form.saving = false;
    match r {
        Ok(done) => {
            c.form = FormState::new(env, None, c.snap.campaign, c.snap.session.as_ref());
            c.view = View::Queue;
            poll(env, -1, jobs);
            Some(Note::info(tr!(
                env.lang,
                "desk-form-saved",
                number = done.number.to_string()
            )))
        }
        Err(e) => {
            if let crate::app::AppError::Desk(crate::app::desk::DeskError::Invalid(v)) = &e {
                c.form.errors = v.clone();
            }
            Some(Note::error(text::error(env.lang, &e)))
        }
    }
}

const LABEL: usize = 18;

fn label_style(env: &Env, focused: bool, wrong: bool) -> Style {
    match (focused, wrong) {
        (_, true) => env.theme().error.add_modifier(Modifier::BOLD),
        (true, false) => env.theme().focus,
        (false, false) => Style::default(),
    }
}

fn label(env: &Env, s: &str, focused: bool, wrong: bool) -> Span<'static> {
    let marker = if focused { "▸" } else { " " };
    Span::styled(
        format!("{marker}{}", cut_pad(s, LABEL - 1)),
        label_style(env, focused, wrong),
    )
}

/// The lines under the IIN or phone field: what is wrong, or what the IIN says.
fn check_lines(f: &FormState, slot: Slot, env: &Env, width: usize) -> Vec<Line<'static>> {
    let Some(first) = check_line(f, slot, env) else {
        return Vec::new();
    };
    let style = first.spans.first().map(|s| s.style).unwrap_or_default();
    let text: String = first.spans.iter().map(|s| s.content.as_ref()).collect();
    let pad = " ".repeat(LABEL);
    crate::ui::kit::wrap_words(text.trim_start(), width.saturating_sub(LABEL))
        .into_iter()
        .map(|l| Line::from(Span::styled(format!("{pad}{l}"), style)))
        .collect()
}

fn check_line(f: &FormState, slot: Slot, env: &Env) -> Option<Line<'static>> {
    let lang = env.lang;
    let (typed, problem) = match slot {
        Slot::Iin => (f.iin.text(), rules::check_iin(&f.iin.text())),
        Slot::Phone => (f.phone.text(), rules::check_phone(&f.phone.text())),
        _ => return None,
    };
    if typed.trim().is_empty() {
        return None;
    }
    let pad = " ".repeat(LABEL);
    Some(match problem {
        Some(p) => Line::from(Span::styled(
            format!("{pad}✗ {}", text::problem(lang, p)),
            env.theme().error,
        )),
        None if slot == Slot::Iin => {
            let iin = Iin::parse(&typed).expect("checked");
            Line::from(Span::styled(
                format!(
                    "{pad}✓ {}",
                    tr!(lang, "desk-iin-ok", born = show_date(iin.birth_date()))
                ),
                env.theme().ok,
            ))
        }
        None => Line::from(Span::styled(
            format!("{pad}✓ {}", Phone::parse(&typed).expect("checked").as_str()),
            env.theme().ok,
        )),
    })
}

fn choice(value: String, focused: bool, width: usize) -> Span<'static> {
    if focused {
        Span::raw(format!("◂ {} ▸", cut(&value, width.saturating_sub(4))))
    } else {
        Span::raw(cut(&value, width))
    }
}

fn tick(on: bool) -> &'static str {
    if on { "[x] " } else { "[ ] " }
}

/// The form's lines, each with the slot it belongs to (for scrolling).
fn lines(f: &FormState, env: &Env, width: usize) -> Vec<(Option<Slot>, Line<'static>)> {
    let lang = env.lang;
    let wrong = |slot: Slot| {
        slot.field()
            .is_some_and(|fl| f.errors.iter().any(|e| e.field == fl))
    };
    let value_w = width.saturating_sub(LABEL);
    let mut out: Vec<(Option<Slot>, Line<'static>)> = Vec::new();
    for slot in f.slots() {
        let focused = f.focus == slot;
        let bad = wrong(slot);
        match slot {
            Slot::Consent | Slot::Control => {
                let (on, key) = if slot == Slot::Consent {
                    (f.consent, "desk-f-consent")
                } else {
                    (f.control, "desk-f-control")
                };
                out.push((
                    Some(slot),
                    Line::from(vec![
                        Span::styled(
                            if focused { "▸" } else { " " },
                            label_style(env, focused, bad),
                        ),
                        Span::styled(
                            format!("{}{}", tick(on), env.t(key)),
                            label_style(env, focused, bad),
                        ),
                    ]),
                ));
            }
            Slot::Official(i) => {
                let (name, on) = &f.officials[i];
                let head = if i == 0 {
                    env.t("desk-f-heard-by")
                } else {
                    String::new()
                };
                out.push((
                    Some(slot),
                    Line::from(vec![
                        label(env, &head, focused, bad),
                        Span::styled(
                            cut(&format!("{}{name}", tick(*on)), value_w),
                            label_style(env, focused, false),
                        ),
                    ]),
                ));
            }
            Slot::Category | Slot::Kind | Slot::Channel | Slot::Outcome => {
                let (key, value) = match slot {
                    Slot::Category => (
                        "desk-f-category",
                        env.ctx.catalogue.name(&f.categories[f.category], lang),
                    ),
                    Slot::Kind => ("desk-f-kind", text::kind(lang, f.kinds[f.kind])),
                    Slot::Channel => (
                        "desk-f-channel",
                        text::channel(lang, Channel::ALL[f.channel]),
                    ),
                    _ => ("desk-f-outcome", text::outcome(lang, f.outcome_value())),
                };
                out.push((
                    Some(slot),
                    Line::from(vec![
                        label(env, &env.t(key), focused, bad),
                        choice(value, focused, value_w),
                    ]),
                ));
            }
            Slot::Text => {
                out.push((
                    Some(slot),
                    Line::from(label(env, &env.t("desk-f-text"), focused, bad)),
                ));
                for l in f
                    .text
                    .view_lines(width.saturating_sub(2), 4, focused, Style::default())
                {
                    let mut spans = vec![Span::raw("  ")];
                    spans.extend(l.spans);
                    out.push((Some(slot), Line::from(spans)));
                }
                let missing = 4usize.saturating_sub(
                    f.text
                        .view_lines(width.saturating_sub(2), 4, focused, Style::default())
                        .len(),
                );
                for _ in 0..missing {
                    out.push((Some(slot), Line::from("  ·")));
                }
            }
            _ => {
                let key = match slot {
                    Slot::Name => "desk-f-name",
                    Slot::Iin => "desk-f-iin",
                    Slot::Phone => "desk-f-phone",
                    Slot::Settlement => "desk-f-settlement",
                    Slot::Workplace => "desk-f-workplace",
                    // "others" only below a list of the point's officials:
                    // alone it is the field of who heard the citizen
                    Slot::HeardOther if f.officials.is_empty() => "desk-f-heard-by",
                    Slot::HeardOther => "desk-f-heard-other",
                    Slot::Redirected => "desk-f-redirected",
                    Slot::Responsible => "desk-f-responsible",
                    _ => "desk-f-deadline",
                };
                // every slot left here is a text field
                let Some(input) = f.input(slot) else {
                    continue;
                };
                let mut spans = vec![label(env, &env.t(key), focused, bad)];
                spans.extend(input.view_line(value_w, focused, false).spans);
                out.push((Some(slot), Line::from(spans)));
                for l in check_lines(f, slot, env, width) {
                    out.push((Some(slot), l));
                }
                if slot == Slot::Deadline {
                    if let Some(d) = parse_date(&f.deadline.text()) {
                        let days =
                            crate::domain::workdays::days_left(env.ctx.service_date(env.now()), d);
                        out.push((
                            Some(slot),
                            Line::from(Span::styled(
                                format!(
                                    "{}{}",
                                    " ".repeat(LABEL),
                                    tr!(lang, "desk-days-left", count = days)
                                ),
                                env.theme().dim,
                            )),
                        ));
                    }
                }
            }
        }
    }
    out
}

pub fn render(c: &Console, fr: &mut Frame<'_>, body: Rect, env: &Env) {
    let f = &c.form;
    let lang = env.lang;
    let [left, right] =
        Layout::horizontal([Constraint::Length(52), Constraint::Min(20)]).areas(body);
    let title = match f.ticket {
        Some((_, no)) => tr!(lang, "desk-form-title-ticket", ticket = no.to_string()),
        None => env.t("desk-form-title"),
    };
    let title = if f.campaign {
        format!(" {title} · {} ", env.t("desk-campaign-on"))
    } else {
        format!(" {title} ")
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(left);
    fr.render_widget(block, left);
    let all = lines(f, env, inner.width as usize);
    let height = inner.height as usize;
    // scroll so that the focused slot's lines are in view
    let first_focus = all
        .iter()
        .position(|(s, _)| *s == Some(f.focus))
        .unwrap_or(0);
    let last_focus = all
        .iter()
        .rposition(|(s, _)| *s == Some(f.focus))
        .unwrap_or(first_focus);
    // two lines below the focus stay in view, so fields that appear
    // (responsible, deadline) are seen
    let want_end = (last_focus + 3).min(all.len());
    let start = want_end.saturating_sub(height).min(first_focus);
    let shown: Vec<Line> = all
        .into_iter()
        .skip(start)
        .take(height)
        .map(|(_, l)| l)
        .collect();
    fr.render_widget(Paragraph::new(shown), inner);
    render_history(f, fr, right, env);
}

fn render_history(f: &FormState, fr: &mut Frame<'_>, area: Rect, env: &Env) {
    let lang = env.lang;
    let title = if f.history.is_empty() {
        env.t("desk-history-title")
    } else {
        tr!(lang, "desk-history-title-count", count = f.history.len())
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "));
    let inner = block.inner(area);
    fr.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if f.history.is_empty() {
        let hint = if f.history_key().is_some() {
            env.t("desk-history-none")
        } else {
            env.t("desk-history-hint")
        };
        lines.push(Line::from(Span::styled(hint, env.theme().dim)));
    } else {
        lines.push(Line::from(Span::styled(
            cut(&env.t("desk-history-repeated"), w),
            env.theme().mark,
        )));
        for a in &f.history {
            let date = a.received_at.with_timezone(&env.ctx.tz()).date_naive();
            lines.push(Line::from(Span::styled(
                cut(&format!("{} {}", a.number, show_date(date)), w),
                Style::default().add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(cut(
                &format!(
                    " {} · {}",
                    env.ctx.catalogue.name(&a.category, lang),
                    text::outcome(lang, a.outcome)
                ),
                w,
            )));
            let first = crate::domain::sanitize_line(a.text.lines().next().unwrap_or_default());
            lines.push(Line::from(Span::styled(
                cut(&format!(" {first}"), w),
                env.theme().dim,
            )));
        }
    }
    fr.render_widget(Paragraph::new(lines), inner);
}
