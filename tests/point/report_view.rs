//! The report screen as supervisors see it, at the desk (F8) and on the
//! board (R from the supervisor's live panel): snapshots in three languages
//! at 80×24 and 160×48 on a fixed month of history with a fixed "today",
//! the period choices, typed dates and their messages, the refusal for an
//! operator, and a stale report dropped when the period changes.

use crate::board_common::screen::{self as board_screen, TestClock};
use crate::board_common::{call, no_show, served_ticket, take};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use qabyldau::app::desk::Operator;
use qabyldau::app::desk::appeals::record_appeal;
use qabyldau::app::desk::form::AppealInput;
use qabyldau::app::desk::sessions::{close_session, open_session};
use qabyldau::app::{self, Context, staff};
use qabyldau::domain::event::{Role, SessionKind};
use qabyldau::domain::report::PeriodChoice;
use qabyldau::domain::staff::Login;
use qabyldau::domain::{Actor, AppealKind, CategoryId, Lang, Outcome};
use qabyldau::store::Store;
use qabyldau::ui::desk::{Clock, DeskScreen, View};
use qabyldau::ui::runtime::{Input, Screen};
use qabyldau::ui::worker::Jobs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// `h:m` on day `d` of March 2026 in Almaty (UTC+5).
fn march(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap() - Duration::hours(5)
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Today: Wednesday 18 March 2026, 11:00 in Almaty.
fn now() -> DateTime<Utc> {
    march(18, 11, 0)
}

fn operator() -> Operator {
    Operator {
        login: Login::parse("aigul").unwrap(),
        name: "Айгүл Сәрсенова".into(),
        role: Role::Operator,
    }
}

/// One appeal recorded at the desk with its outcome, as the form sends it.
struct Appeal {
    category: &'static str,
    kind: AppealKind,
    outcome: Outcome,
    redirected_to: &'static str,
    /// A control deadline as typed, if it is put under control.
    deadline: &'static str,
}

fn appeal(category: &'static str, outcome: Outcome) -> Appeal {
    Appeal {
        category,
        kind: AppealKind::Request,
        outcome,
        redirected_to: "",
        deadline: "",
    }
}

fn record(s: &mut Store, ctx: &Context, a: Appeal, at: DateTime<Utc>) {
    let mut input = AppealInput::new(CategoryId::new(a.category), Lang::Ru);
    input.kind = a.kind;
    input.text = "Пәтерде суық, жылу жоқ".into();
    input.outcome = a.outcome;
    input.redirected_to = a.redirected_to.into();
    if !a.deadline.is_empty() {
        input.under_control = true;
        input.responsible = "Нұрлан Әбдіров".into();
        input.deadline = a.deadline.into();
    }
    record_appeal(s, ctx, &operator(), Some(1), &input, at).unwrap();
}

/// A point with a month of history: 21 appeals in March (one in
/// February), a mobile reception on 10 March with three appeals, appeals
/// under control (one overdue), and tickets on the last three days.
/// Staff: dana (supervisor, 2468), aigul (operator, 1357).
fn point() -> (Store, Context) {
    use Outcome::*;
    let ctx = crate::board_common::ctx();
    let mut s = crate::board_common::store(&ctx);
    for (login, name, role, pin) in [
        ("dana", "Дана Серікова", Role::Supervisor, "2468"),
        ("aigul", "Айгүл Сәрсенова", Role::Operator, "1357"),
    ] {
        staff::add(
            &mut s,
            &Actor::system(),
            login,
            name,
            role,
            pin,
            march(1, 8, 0),
        )
        .unwrap();
    }
    let feb = Utc.with_ymd_and_hms(2026, 2, 20, 5, 0, 0).unwrap();
    record(&mut s, &ctx, appeal("housing", ResolvedPositive), feb);
    let days: [(u32, Vec<Appeal>); 7] = [
        (
            2,
            vec![
                appeal("housing", ResolvedPositive),
                appeal("housing", Consulted),
                Appeal {
                    deadline: "10.03.2026",
                    ..appeal("utilities", UnderConsideration)
                },
            ],
        ),
        (
            3,
            vec![
                appeal("labour", ResolvedPositive),
                Appeal {
                    redirected_to: "Жұмыспен қамту орталығы",
                    ..appeal("social", Redirected)
                },
            ],
        ),
        (
            5,
            vec![
                appeal("utilities", ResolvedPositive),
                appeal("utilities", ResolvedPositive),
                appeal("health", Declined),
            ],
        ),
        (
            12,
            vec![
                appeal("housing", Withdrawn),
                appeal("education", Consulted),
                Appeal {
                    kind: AppealKind::Proposal,
                    ..appeal("programme", Registered)
                },
            ],
        ),
        (
            16,
            vec![
                appeal("housing", ResolvedPositive),
                Appeal {
                    deadline: "03.04.2026",
                    ..appeal("housing", Registered)
                },
                appeal("labour", Consulted),
            ],
        ),
        (
            17,
            vec![
                appeal("utilities", ResolvedPositive),
                Appeal {
                    redirected_to: "Жер инспекциясы",
                    ..appeal("land", Redirected)
                },
            ],
        ),
        (
            18,
            vec![appeal("housing", Registered), appeal("health", Consulted)],
        ),
    ];
    for (day, appeals) in days {
        for (i, a) in appeals.into_iter().enumerate() {
            record(&mut s, &ctx, a, march(day, 9, 10 * i as u32));
        }
    }
    // the mobile reception in a village on 10 March
    let op = operator();
    open_session(
        &mut s,
        &op,
        SessionKind::Mobile,
        date(3, 10),
        "Жаңажол ауылы",
        &["Депутат Серік Ахметов".to_string()],
        march(10, 10, 0),
    )
    .unwrap();
    for (i, a) in [
        appeal("roads", Registered),
        appeal("roads", Consulted),
        appeal("utilities", ResolvedPositive),
    ]
    .into_iter()
    .enumerate()
    {
        record(&mut s, &ctx, a, march(10, 10, 20 + i as u32));
    }
    close_session(&mut s, &op, march(10, 13, 0)).unwrap();
    // the queue of the last three days: served, one no-show, two waiting
    for day in [16, 17, 18] {
        for (i, cat) in ["housing", "utilities", "labour"].into_iter().enumerate() {
            let t = march(day, 9, 5 * i as u32);
            served_ticket(
                &mut s,
                &ctx,
                cat,
                1 + (i as u16 % 2),
                [
                    t,
                    t + Duration::minutes(8 + i as i64 * 4),
                    t + Duration::minutes(20 + i as i64 * 5),
                ],
            );
        }
    }
    let gone = take(&mut s, &ctx, "housing", march(17, 10, 0));
    call(&mut s, gone, 1, march(17, 10, 15));
    no_show(&mut s, gone, march(17, 10, 20));
    take(&mut s, &ctx, "social", march(18, 10, 40));
    take(&mut s, &ctx, "housing", march(18, 10, 50));
    (s, ctx)
}

// ---- the desk ----

struct Desk {
    screen: DeskScreen,
    store: Store,
}

impl Desk {
    fn new(lang: Lang) -> Desk {
        let (store, ctx) = point();
        Desk {
            screen: DeskScreen::new(ctx, 1, lang, Clock::fixed(now())),
            store,
        }
    }

    fn input(&mut self, input: Input) {
        let mut jobs = Jobs::inline(&mut self.store);
        self.screen.on_input(input, &mut jobs);
        self.screen.pump(&mut jobs);
    }

    fn key(&mut self, code: KeyCode) {
        self.input(Input::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn typ(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn log_in(&mut self, login: &str, pin: &str) {
        self.typ(login);
        self.key(KeyCode::Enter);
        self.typ(pin);
        self.key(KeyCode::Enter);
        assert!(self.screen.console().is_some(), "{}", self.text(80, 24));
    }

    fn view(&self) -> View {
        self.screen.console().unwrap().view
    }

    fn pane(&self) -> &qabyldau::ui::report_view::ReportPane {
        &self.screen.console().unwrap().report
    }

    fn note(&self) -> String {
        self.screen
            .note()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }

    fn text(&self, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| self.screen.render(f)).unwrap();
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[test]
fn desk_report_snapshots() {
    for lang in Lang::ALL {
        let mut d = Desk::new(lang);
        d.log_in("dana", "2468");
        d.key(KeyCode::F(8));
        assert_eq!(d.view(), View::Report);
        // this month by default: 1–18 March, 21 appeals
        let r = d.pane().current().expect("computed").clone();
        assert_eq!(r.report.period.from, date(3, 1));
        assert_eq!(r.report.appeals.received, 21);
        assert_eq!(r.daily.iter().sum::<u64>(), 21);
        for (w, h) in SIZES {
            let screen = d.text(w, h);
            assert!(screen.contains("21"), "{lang} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("desk_report_{lang}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn the_desk_refuses_the_report_to_an_operator() {
    let mut d = Desk::new(Lang::En);
    d.log_in("aigul", "1357");
    d.key(KeyCode::F(8));
    assert_eq!(d.view(), View::Queue);
    assert_eq!(
        d.note(),
        "Reports are for supervisors and administrators only."
    );
    assert!(d.pane().current().is_none());
    assert!(!d.text(80, 24).contains("Appeals by topic"));
    // and in Russian and Kazakh
    for (lang, text) in [
        (
            Lang::Ru,
            "Отчёты доступны только руководителям и администраторам.",
        ),
        (Lang::Kk, "Есептерді тек басшылар мен әкімшілер көре алады."),
    ] {
        let mut d = Desk::new(lang);
        d.log_in("aigul", "1357");
        d.key(KeyCode::F(8));
        assert_eq!(d.note(), text);
    }
}

#[test]
fn the_periods_today_this_week_this_month() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in("dana", "2468");
    d.key(KeyCode::F(8));
    let figures = |d: &Desk| {
        let r = &d.pane().current().unwrap().report;
        (r.period.from, r.period.to, r.appeals.received)
    };
    d.key(KeyCode::Char('1'));
    assert_eq!(figures(&d), (date(3, 18), date(3, 18), 2));
    assert_eq!(d.pane().current().unwrap().daily, [2]);
    d.key(KeyCode::Char('2'));
    // Monday 16 to Wednesday 18 March
    assert_eq!(figures(&d), (date(3, 16), date(3, 18), 7));
    assert_eq!(d.pane().current().unwrap().daily, [3, 2, 2]);
    d.key(KeyCode::Char('3'));
    assert_eq!(figures(&d), (date(3, 1), date(3, 18), 21));
    let r = d.pane().current().unwrap().report.clone();
    assert_eq!(r.appeals.resolved_positive.count, 7);
    assert_eq!(r.sessions.mobile_sessions, 1);
    assert_eq!(r.sessions.citizens_received, 3);
    assert_eq!(r.control.taken_under_control, 2);
    assert_eq!(r.control.overdue, 1);
    assert_eq!(r.tickets.issued, 12);
    assert_eq!(r.tickets.served, 9);
    assert_eq!(r.tickets.no_shows, 1);
    // the topics, most first: housing 6, utilities 5
    assert_eq!(r.groups[0].0, "housing");
    assert_eq!(r.groups[0].1.received, 6);
    assert_eq!(r.groups[1].0, "utilities");
    assert_eq!(r.groups[1].1.received, 5);
    // Esc goes back to the queue
    d.key(KeyCode::Esc);
    assert_eq!(d.view(), View::Queue);
}

#[test]
fn typed_dates_are_checked_with_clear_messages() {
    let mut d = Desk::new(Lang::Ru);
    d.log_in("dana", "2468");
    d.key(KeyCode::F(8));
    d.key(KeyCode::Char('4'));
    // the fields start with this month's dates; typing replaces them
    let form = d.pane().editing().unwrap().clone();
    assert_eq!(
        (form.from.as_str(), form.to.as_str()),
        ("01.03.2026", "18.03.2026")
    );
    d.typ("31.02.2026");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.note(),
        "Дата начала: введите в виде дд.мм.гггг, например 01.03.2026."
    );
    assert!(d.pane().editing().is_some());
    // the start date has the cursor again: typed anew
    d.typ("01.02.2026");
    // a whole date moves the cursor to the end date
    assert!(d.pane().editing().unwrap().on_to);
    d.typ("2026");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.note(),
        "Дата окончания: введите в виде дд.мм.гггг, например 31.03.2026."
    );
    d.typ("15.01.2026");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.note(),
        "Период заканчивается раньше, чем начинается: проверьте даты."
    );
    d.key(KeyCode::Tab);
    d.typ("19.03.2026");
    d.typ("20.03.2026");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.note(),
        "Период начинается после сегодняшнего дня: данных ещё нет."
    );
    // nothing was computed for the refused dates
    assert_eq!(d.pane().current().unwrap().report.period.from, date(3, 1));
    d.typ("01.02.2026");
    d.typ("28.02.2026");
    d.key(KeyCode::Enter);
    assert!(d.pane().editing().is_none());
    assert_eq!(
        d.pane().choice(),
        PeriodChoice::Dates {
            from: date(2, 1),
            to: date(2, 28)
        }
    );
    let r = d.pane().current().unwrap();
    assert_eq!(r.report.appeals.received, 1);
    assert_eq!(r.daily.len(), 28);
    assert_eq!(r.daily[19], 1);
    let screen = d.text(80, 24);
    assert!(screen.contains("01.02.2026 – 28.02.2026"), "{screen}");
    insta::assert_snapshot!("desk_report_typed_ru_80x24", screen);
    // Esc while typing keeps the period shown
    d.key(KeyCode::Char('4'));
    d.typ("0");
    d.key(KeyCode::Esc);
    assert!(d.pane().editing().is_none());
    assert_eq!(d.view(), View::Report);
    assert_eq!(d.pane().current().unwrap().report.appeals.received, 1);
}

#[test]
fn a_stale_report_is_dropped_when_the_period_changes() {
    let mut d = Desk::new(Lang::En);
    d.log_in("dana", "2468");
    d.key(KeyCode::F(8));
    let key = |c: char| Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut jobs = Jobs::inline(&mut d.store);
    // "today" is asked for; before its report comes back, "this week"
    d.screen.on_input(key('1'), &mut jobs);
    let today = jobs.take_replies();
    assert_eq!(today.len(), 1);
    d.screen.on_input(key('2'), &mut jobs);
    // one report at a time: the week waits for the day's to come back
    assert!(jobs.take_replies().is_empty());
    assert!(d.screen.console().unwrap().report.computing());
    for r in today {
        d.screen.on_reply(r, &mut jobs);
    }
    // the day's report was not shown under "this week"...
    let pane = &d.screen.console().unwrap().report;
    assert!(pane.current().is_none());
    assert!(pane.computing());
    // ...and the week's was asked for at once
    let week = jobs.take_replies();
    assert_eq!(week.len(), 1);
    for r in week {
        d.screen.on_reply(r, &mut jobs);
    }
    d.screen.pump(&mut jobs);
    drop(jobs);
    let r = &d.pane().current().unwrap().report;
    assert_eq!((r.period.from, r.period.to), (date(3, 16), date(3, 18)));
    assert_eq!(r.appeals.received, 7);
    assert!(!d.pane().computing());
}

#[test]
fn computing_is_shown_until_the_report_comes() {
    let mut d = Desk::new(Lang::Kk);
    d.log_in("dana", "2468");
    let mut jobs = Jobs::inline(&mut d.store);
    d.screen.on_input(
        Input::Key(KeyEvent::new(KeyCode::F(8), KeyModifiers::NONE)),
        &mut jobs,
    );
    let pending = jobs.take_replies();
    drop(jobs);
    let screen = d.text(80, 24);
    assert!(screen.contains("Есептелуде…"), "{screen}");
    assert!(!screen.contains("Түскен өтініштер"), "{screen}");
    let mut jobs = Jobs::inline(&mut d.store);
    for r in pending {
        d.screen.on_reply(r, &mut jobs);
    }
    drop(jobs);
    let screen = d.text(80, 24);
    assert!(!screen.contains("Есептелуде…"), "{screen}");
    assert!(screen.contains("Түскен өтініштер"), "{screen}");
}

#[test]
fn the_daily_series_adds_up_for_any_period() {
    let (store, ctx) = point();
    for (from, to) in [
        (date(2, 1), date(3, 18)),
        (date(3, 10), date(3, 10)),
        (date(3, 16), date(3, 18)),
        (date(1, 1), date(12, 31)),
    ] {
        let r = app::report::for_screen(&store, &ctx, from, to, now()).unwrap();
        assert_eq!(r.daily.len() as i64, (to - from).num_days() + 1);
        assert_eq!(r.daily.iter().sum::<u64>(), r.report.appeals.received);
    }
}

// ---- the board ----

fn board_at(lang: Lang) -> (qabyldau::ui::board::Board, Store) {
    let (mut s, ctx) = point();
    let clock = TestClock::at(now());
    let mut b = board_screen::board(&ctx, &clock, Some(lang), true);
    board_screen::log_in(&mut b, &mut s, "dana", "2468");
    assert!(b.is_supervisor_view());
    (b, s)
}

#[test]
fn board_report_snapshots() {
    for lang in Lang::ALL {
        let (mut b, mut s) = board_at(lang);
        // the live panel says which key opens the report
        let live = board_screen::render(&b, 80, 24);
        let hint = match lang {
            Lang::Kk => "R кез келген кезеңге есеп",
            Lang::Ru => "R отчёт",
            Lang::En => "R report",
        };
        assert!(live.lines().last().unwrap().contains(hint), "{live}");
        board_screen::key(&mut b, &mut s, KeyCode::Char('r'));
        assert!(b.is_report_view());
        assert_eq!(
            b.report_pane().current().unwrap().report.appeals.received,
            21
        );
        for (w, h) in SIZES {
            let screen = board_screen::render(&b, w, h);
            insta::assert_snapshot!(format!("board_report_{lang}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn the_board_switches_between_the_live_panel_and_the_report() {
    let (mut b, mut s) = board_at(Lang::En);
    board_screen::key(&mut b, &mut s, KeyCode::Char('r'));
    assert!(b.is_report_view());
    let screen = board_screen::render(&b, 80, 24);
    assert!(screen.contains("Appeals by topic"), "{screen}");
    assert!(screen.lines().last().unwrap().contains("R live panel"));
    // the period keys work here as at the desk
    board_screen::key(&mut b, &mut s, KeyCode::Char('2'));
    let r = &b.report_pane().current().unwrap().report;
    assert_eq!((r.period.from, r.appeals.received), (date(3, 16), 7));
    // typed dates: letters do nothing (Q does not quit while typing)
    board_screen::key(&mut b, &mut s, KeyCode::Char('4'));
    board_screen::type_text(&mut b, &mut s, "q");
    assert!(b.report_pane().editing().is_some());
    board_screen::type_text(&mut b, &mut s, "12.03.2026");
    board_screen::key(&mut b, &mut s, KeyCode::Enter);
    // the 18th was kept as the end date
    let r = &b.report_pane().current().unwrap().report;
    assert_eq!((r.period.from, r.period.to), (date(3, 12), date(3, 18)));
    assert_eq!(r.appeals.received, 10);
    // a refused date is said in the footer
    board_screen::key(&mut b, &mut s, KeyCode::Char('4'));
    board_screen::type_text(&mut b, &mut s, "99");
    board_screen::key(&mut b, &mut s, KeyCode::Enter);
    let screen = board_screen::render(&b, 80, 24);
    assert!(
        screen
            .lines()
            .last()
            .unwrap()
            .contains("Start date: type it as dd.mm.yyyy"),
        "{screen}"
    );
    board_screen::key(&mut b, &mut s, KeyCode::Esc);
    // R: back to the live panel, and again to the report as it was
    board_screen::key(&mut b, &mut s, KeyCode::Char('r'));
    assert!(b.is_supervisor_view() && !b.is_report_view());
    assert!(board_screen::render(&b, 80, 24).contains("Arrivals per hour"));
    board_screen::key(&mut b, &mut s, KeyCode::Char('r'));
    assert!(b.is_report_view());
    let r = &b.report_pane().current().unwrap().report;
    assert_eq!(r.period.from, date(3, 12));
    // Esc: back to the hall, logged out
    board_screen::key(&mut b, &mut s, KeyCode::Esc);
    assert!(!b.is_supervisor_view());
}

#[test]
fn the_board_report_renders_at_any_size() {
    let (mut b, mut s) = board_at(Lang::Kk);
    board_screen::key(&mut b, &mut s, KeyCode::Char('r'));
    for w in (1..=200).step_by(9).chain([40, 79, 80, 99, 100, 101, 160]) {
        for h in (1..=60).step_by(4).chain([16, 23, 24, 29, 30, 31, 48]) {
            b.on_input(Input::Resize(w, h), &mut Jobs::inline(&mut s));
            board_screen::render(&b, w, h);
        }
    }
}

/// Two habits, one period: typing both dates straight on (the cursor
/// moves to the end date by itself) and pressing Tab between them, as the
/// README says, give the same report, never the second date over the first.
#[test]
fn a_tab_after_the_start_date_does_not_send_the_end_date_over_it() {
    for tab in [false, true] {
        let mut d = Desk::new(Lang::En);
        d.log_in("dana", "2468");
        d.key(KeyCode::F(8));
        d.key(KeyCode::Char('4'));
        d.typ("01.02.2026");
        if tab {
            d.key(KeyCode::Tab);
        }
        d.typ("28.02.2026");
        let form = d.pane().editing().unwrap().clone();
        assert_eq!(
            (form.from.as_str(), form.to.as_str()),
            ("01.02.2026", "28.02.2026"),
            "tab: {tab}"
        );
        d.key(KeyCode::Enter);
        assert_eq!(
            d.pane().choice(),
            PeriodChoice::Dates {
                from: date(2, 1),
                to: date(2, 28)
            },
            "tab: {tab}"
        );
    }
    // Tab still goes back when that is what is meant: after typing there
    let mut d = Desk::new(Lang::En);
    d.log_in("dana", "2468");
    d.key(KeyCode::F(8));
    d.key(KeyCode::Char('4'));
    d.typ("01.02.2026");
    d.typ("2");
    d.key(KeyCode::Tab);
    assert!(!d.pane().editing().unwrap().on_to);
}

#[test]
fn typing_dates_at_80x24() {
    for lang in Lang::ALL {
        let mut d = Desk::new(lang);
        d.log_in("dana", "2468");
        d.key(KeyCode::F(8));
        d.key(KeyCode::Char('4'));
        d.typ("01.02.2026");
        d.typ("15.0");
        let screen = d.text(80, 24);
        // both dates on the period line, the keys of typing at the bottom
        let period_line = screen.lines().nth(2).unwrap();
        assert!(
            period_line.contains("01.02.2026") && period_line.contains("15.0"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("desk_report_typing_{lang}_80x24"), screen);
    }
}
