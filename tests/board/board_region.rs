//! The regional board (`board --server`) as a person sees it, from fixed
//! server data: every point's panel in kk, ru and en at 80×24 and 200×60,
//! one point in the hall layout, and a link that is down and comes back.
//! What the server sends holds no personal data; the board shows ticket
//! numbers, categories, desks and times only.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use qabyldau::app::Context;
use qabyldau::config::Config;
use qabyldau::domain::{Lang, PointId};
use qabyldau::protocol::{Flag, PointView, QueueTicket, QueueView};
use qabyldau::store::Store;
use qabyldau::sync::board_feed::{FeedEvent, Problem};
use qabyldau::ui::board::{RegionBoard, RegionOptions};
use qabyldau::ui::runtime::{Input, Screen};
use qabyldau::ui::worker::Jobs;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, Mutex};

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// 2 March 2026 at `h:m:s` in Almaty (UTC+5).
fn local(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, s).unwrap() - Duration::hours(5)
}

fn ctx() -> Context {
    Context::new(
        Config::parse(
            qabyldau::config::DEFAULT_CONFIG,
            std::path::Path::new("default.toml"),
        )
        .unwrap(),
    )
}

fn waiting(number: &str, category: &str, priority: &str, taken: DateTime<Utc>) -> QueueTicket {
    QueueTicket {
        number: number.into(),
        category: category.into(),
        priority: priority.into(),
        state: "waiting".into(),
        desk: None,
        taken_at: taken,
        called_at: None,
    }
}

fn at_desk(
    number: &str,
    category: &str,
    desk: u32,
    state: &str,
    called: DateTime<Utc>,
) -> QueueTicket {
    QueueTicket {
        number: number.into(),
        category: category.into(),
        priority: "ordinary".into(),
        state: state.into(),
        desk: Some(desk.try_into().unwrap()),
        taken_at: called - Duration::minutes(20),
        called_at: Some(called),
    }
}

fn view(
    id: &str,
    name: &str,
    contact: Option<DateTime<Utc>>,
    lag_events: u64,
    now_serving: Vec<QueueTicket>,
    waiting: Vec<QueueTicket>,
) -> PointView {
    PointView {
        id: id.into(),
        name: name.into(),
        region: "Ақмола облысы".into(),
        kind: "office".into(),
        revoked: false,
        acked_through: 120,
        reported_head: Some(120 + lag_events),
        lag_events,
        last_contact_at: contact,
        lag_seconds: Some(1),
        last_event_at: contact,
        flagged: None,
        region_pending: 0,
        queue: QueueView {
            point_id: id.into(),
            service_date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            issued: (now_serving.len() + waiting.len()) as u64 + 10,
            served: 10,
            no_shows: 1,
            now_serving,
            waiting,
        },
    }
}

/// Four points of Akmola region at 10:30: a busy city office (a veteran
/// taken at 10:05 is called before ordinary tickets taken earlier, and a
/// ticket that waited past 30 minutes before the veteran), a factory's
/// reception three events behind, a mobile team silent since 08:10, and an
/// office flagged for a conflict.
fn region() -> Vec<PointView> {
    let city = view(
        "akm-kokshetau",
        "Көкшетау қалалық қабылдау",
        Some(local(10, 29, 50)),
        0,
        vec![
            at_desk("Ж-006", "housing", 1, "called", local(10, 29, 57)),
            at_desk("С-001", "social", 2, "serving", local(10, 6, 0)),
        ],
        vec![
            waiting("Ж-007", "housing", "ordinary", local(9, 55, 0)),
            waiting("К-003", "utilities", "ordinary", local(10, 1, 0)),
            waiting("Ж-008", "housing", "veteran", local(10, 5, 0)),
            waiting("Т-002", "labour", "ordinary", local(10, 8, 0)),
            waiting("Ж-009", "housing", "ordinary", local(10, 12, 0)),
            waiting("Д-001", "roads", "ordinary", local(10, 15, 0)),
            waiting("К-004", "utilities", "ordinary", local(10, 20, 0)),
            waiting("М-002", "health", "ordinary", local(10, 25, 0)),
        ],
    );
    let factory = view(
        "akm-stepnogorsk",
        "Степногорск, «Қазмырыш» ЖШС",
        Some(local(10, 28, 0)),
        3,
        vec![at_desk("Т-012", "labour", 1, "serving", local(10, 20, 0))],
        vec![
            waiting("Т-013", "labour", "ordinary", local(10, 22, 0)),
            waiting("С-004", "social", "disability", local(10, 24, 0)),
        ],
    );
    let mobile = view(
        "akm-zerendi",
        "Зеренді ауданы, көшпелі қабылдау",
        Some(local(8, 10, 0)),
        120,
        vec![],
        vec![],
    );
    let mut flagged = view(
        "akm-oblast",
        "Ақмола облыстық қоғамдық қабылдау",
        Some(local(10, 25, 0)),
        0,
        vec![at_desk("Ж-031", "housing", 3, "serving", local(10, 18, 0))],
        vec![waiting("Ж-032", "housing", "ordinary", local(10, 19, 0))],
    );
    flagged.flagged = Some(Flag {
        seq: 77,
        at: local(10, 0, 0),
    });
    vec![city, factory, mobile, flagged]
}

#[derive(Clone)]
struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    fn at(t: DateTime<Utc>) -> Self {
        TestClock(Arc::new(Mutex::new(t)))
    }
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
}

fn board(clock: &TestClock, lang: Lang, point: Option<&str>) -> RegionBoard {
    let c = clock.clone();
    RegionBoard::new(
        ctx(),
        RegionOptions {
            lang: Some(lang),
            point: point.map(String::from),
            server: "https://qabyldau.akmola.example.kz".into(),
        },
        qabyldau::ui::kit::Clock::from_fn(move || *c.0.lock().unwrap()),
    )
}

fn feed(b: &mut RegionBoard, event: FeedEvent) {
    let mut store = Store::open_in_memory(&PointId::parse("unused").unwrap()).unwrap();
    let mut jobs = Jobs::inline(&mut store);
    b.on_reply(event, &mut jobs);
}

fn input(b: &mut RegionBoard, i: Input) {
    let mut store = Store::open_in_memory(&PointId::parse("unused").unwrap()).unwrap();
    let mut jobs = Jobs::inline(&mut store);
    b.on_input(i, &mut jobs);
}

fn render(b: &RegionBoard, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| b.render(f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn live_board(lang: Lang, point: Option<&str>, views: Vec<PointView>) -> RegionBoard {
    let clock = TestClock::at(local(10, 30, 0));
    let mut b = board(&clock, lang, point);
    feed(&mut b, FeedEvent::Points(views));
    feed(&mut b, FeedEvent::Live);
    b
}

#[test]
fn the_region_in_three_languages() {
    for lang in Lang::ALL {
        let b = live_board(lang, None, region());
        assert!(b.is_live());
        for (w, h) in SIZES {
            let screen = render(&b, w, h);
            for name in ["Көкшетау", "Степногорск", "Зеренді", "Ақмола облыстық"]
            {
                assert!(screen.contains(name), "{lang} {w}x{h}:\n{screen}");
            }
            assert!(screen.contains("Ж-006"), "{lang} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("region_{lang}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn the_line_is_in_calling_order() {
    let b = live_board(Lang::En, None, region());
    // by name, so a wall keeps its layout
    let ids: Vec<&str> = b.points().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "akm-oblast",
            "akm-zerendi",
            "akm-kokshetau",
            "akm-stepnogorsk"
        ]
    );
    let city = &b.points()[2];
    let line: Vec<String> = city.line.iter().map(|t| t.to_string()).collect();
    // Ж-007 (09:55) has waited 35 minutes: it counts as priority, taken
    // before the veteran; then the veteran; then the others as taken
    assert_eq!(
        line,
        [
            "Ж-007", "Ж-008", "К-003", "Т-002", "Ж-009", "Д-001", "К-004", "М-002"
        ]
    );
    let screen = render(&b, 200, 60);
    assert!(
        // Ж-007 is past the 30-minute limit: marked with its wait
        screen.contains("8 people waiting: Ж-007 (35 min) Ж-008 К-003 Т-002"),
        "{screen}"
    );
    // the disabled citizen's ticket goes first at the factory
    assert!(screen.contains("2 people waiting: С-004 Т-013"), "{screen}");
}

#[test]
fn one_point_in_the_hall_layout() {
    for lang in Lang::ALL {
        let views: Vec<PointView> = region().into_iter().take(1).collect();
        let b = live_board(lang, Some("akm-kokshetau"), views);
        for (w, h) in SIZES {
            let screen = render(&b, w, h);
            assert!(screen.contains("Көкшетау қалалық қабылдау"), "{screen}");
            // the hall's big numbers are block letters
            assert!(screen.contains('█'), "{lang} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("region_point_{lang}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn a_dropped_link_is_shown_and_the_board_recovers() {
    let clock = TestClock::at(local(10, 30, 0));
    let mut b = board(&clock, Lang::En, None);
    assert!(render(&b, 80, 24).contains("connecting"));
    feed(&mut b, FeedEvent::Points(region()));
    feed(&mut b, FeedEvent::Live);
    // the server goes away at 10:31
    clock.set(local(10, 31, 0));
    feed(
        &mut b,
        FeedEvent::Down {
            problem: Problem::Unreachable("cannot connect: connection refused".into()),
            retry_in: std::time::Duration::from_secs(8),
        },
    );
    assert!(b.is_down());
    let screen = render(&b, 80, 24);
    assert!(screen.contains("no connection since 10:31"), "{screen}");
    assert!(
        screen.contains("Data shown as of 10:30. Next try in 8 s."),
        "{screen}"
    );
    let wide = render(&b, 200, 60);
    assert!(
        wide.contains("The regional server cannot be reached (cannot connect"),
        "{wide}"
    );
    // the last state stays on screen
    assert!(screen.contains("Ж-006"), "{screen}");
    insta::assert_snapshot!("region_down_en_80x24", screen);
    // the countdown moves with the clock; a second failure keeps "since"
    clock.set(local(10, 31, 5));
    input(&mut b, Input::Tick);
    assert!(b.needs_redraw());
    let screen = render(&b, 200, 60);
    assert!(screen.contains("Next try in 3 s"), "{screen}");
    assert!(screen.contains("Data shown as of 10:30"), "{screen}");
    clock.set(local(10, 31, 9));
    feed(
        &mut b,
        FeedEvent::Down {
            problem: Problem::Unreachable("timed out".into()),
            retry_in: std::time::Duration::from_secs(20),
        },
    );
    assert!(render(&b, 80, 24).contains("no connection since 10:31"));
    // back: the new state and "live"
    clock.set(local(10, 32, 0));
    let mut views = region();
    views[0].queue.now_serving[0].number = "Ж-010".into();
    feed(&mut b, FeedEvent::Points(views));
    feed(&mut b, FeedEvent::Live);
    assert!(b.is_live());
    let screen = render(&b, 80, 24);
    assert!(screen.contains("live"), "{screen}");
    assert!(!screen.contains("no connection"), "{screen}");
    assert!(screen.contains("Ж-010"), "{screen}");
}

#[test]
fn a_refused_token_says_so_in_every_language() {
    for (lang, text) in [
        (Lang::Kk, "Сервер бұл таблоның кілтін қабылдамады"),
        (Lang::Ru, "Сервер не принял ключ доступа этого табло"),
        (Lang::En, "The server refused this board's token"),
    ] {
        let clock = TestClock::at(local(10, 30, 0));
        let mut b = board(&clock, lang, None);
        feed(
            &mut b,
            FeedEvent::Down {
                problem: Problem::Refused("401 unknown_token: no such token".into()),
                retry_in: std::time::Duration::from_secs(25),
            },
        );
        let screen = render(&b, 200, 60);
        assert!(screen.contains(text), "{screen}");
    }
}

#[test]
fn one_changed_point_replaces_only_itself() {
    let mut b = live_board(Lang::Ru, None, region());
    let mut factory = region()[1].clone();
    factory.queue.now_serving[0] = at_desk("Т-013", "labour", 1, "called", local(10, 30, 0));
    factory.queue.waiting.remove(0);
    feed(&mut b, FeedEvent::Point(Box::new(factory)));
    let screen = render(&b, 200, 60);
    assert!(screen.contains("Окно 1: Т-013"), "{screen}");
    assert!(screen.contains("Окно 1: Ж-006"), "{screen}");
    assert_eq!(b.points().len(), 4);
}

#[test]
fn keys_turn_the_language_and_quit() {
    let mut b = live_board(Lang::Kk, None, region());
    input(
        &mut b,
        Input::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE)),
    );
    assert_eq!(b.lang(), Lang::Ru);
    assert!(!b.finished());
    input(
        &mut b,
        Input::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
    );
    assert!(b.finished());
}

/// A point registered at the server that never sent anything (added under
/// an id that is not its `[point] id`, or never started) is said to be so,
/// not shown as having nothing missing.
/// Decisions of the region waiting for a point (a mobile team away from the
/// network) are counted on its panel, in each language.
#[test]
fn decisions_the_point_has_not_applied_are_counted() {
    let mut away = view(
        "akm-zerendi",
        "Зеренді ауданы, көшпелі қабылдау",
        Some(local(8, 10, 0)),
        0,
        vec![],
        vec![],
    );
    away.region_pending = 3;
    for lang in Lang::ALL {
        let b = live_board(lang, None, vec![away.clone(), region().remove(0)]);
        let screen = render(&b, 120, 24);
        let pending = match lang {
            Lang::Kk => "Облыстың 3 шешімі әлі қолданылмаған",
            Lang::Ru => "3 решения области ещё не применены",
            Lang::En => "3 decisions of the region not applied yet",
        };
        assert!(screen.contains(pending), "{lang}:\n{screen}");
        assert_eq!(
            screen.matches(pending).count(),
            1,
            "only the point that waits"
        );
        insta::assert_snapshot!(format!("board_region_pending_{}", lang.code()), screen);
    }
}

#[test]
fn a_point_that_never_sent_anything_is_not_shown_in_step() {
    let never = view("akm-1", "Көкшетау", None, 0, vec![], vec![]);
    for lang in Lang::ALL {
        let b = live_board(lang, None, vec![never.clone(), region().remove(0)]);
        let screen = render(&b, 80, 24);
        let (never_sent, in_step) = match lang {
            Lang::Kk => ("ешнәрсе жіберілмеген", "бәрі алынды"),
            Lang::Ru => ("ничего не присылал", "всё получено"),
            Lang::En => ("nothing ever sent", "nothing missing"),
        };
        let line = screen
            .lines()
            .find(|l| l.contains(never_sent))
            .unwrap_or_else(|| panic!("{lang}:\n{screen}"));
        assert!(!line.contains(in_step), "{lang}:\n{screen}");
        // the point that did send is still in step
        assert!(screen.contains(in_step), "{lang}:\n{screen}");
    }
}
