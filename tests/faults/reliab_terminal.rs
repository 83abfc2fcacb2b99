//! The real binary in a pseudo-terminal under abuse: a resize storm on
//! every screen (kiosk, desk, board) down to 1×1 and up to 400×200, and a
//! panic inside a running screen (the test hook `QABYLDAU_TEST_PANIC`),
//! which must leave the terminal usable: out of the alternate screen, the
//! cursor shown, mouse and bracketed paste off, raw mode off, and the
//! message readable.

use crate::support::{Pty, TempPoint};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

/// Sizes a window manager, tmux or a careless hand can produce.
fn storm(pty: &mut Pty, seed: u64, n: usize) {
    let mut rng = StdRng::seed_from_u64(seed);
    for i in 0..n {
        let (cols, rows) = match i % 5 {
            0 => (1, 1),
            1 => (400, 200),
            _ => (rng.random_range(1..=400), rng.random_range(1..=200)),
        };
        pty.resize(cols, rows);
        if i % 10 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Back to 80×24 and drawn. A resize makes the screen clear and draw
/// itself whole; one that lands while the test's own screen model is still
/// being resized can leave that model behind, so the test nudges the size
/// again (a few times at most) until the screen is whole.
fn settle(pty: &mut Pty, what: &str, expect: &str) {
    // the program works through the storm's backlog of resizes (a full
    // redraw at each size, up to 400×200, in a debug build: seconds); keys
    // typed meanwhile wait their turn. Wait until the screen is still.
    let start = std::time::Instant::now();
    let mut last = pty.screen();
    let mut still_since = std::time::Instant::now();
    while still_since.elapsed() < Duration::from_secs(2) {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{what} never settled"
        );
        std::thread::sleep(Duration::from_millis(100));
        let now = pty.screen();
        if now != last {
            last = now;
            still_since = std::time::Instant::now();
        }
    }
    for _ in 0..5 {
        pty.resize(81, 24);
        std::thread::sleep(Duration::from_millis(300));
        pty.resize(80, 24);
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if pty.screen().contains(expect) {
                assert!(pty.is_running(), "{what} died");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            pty.is_running(),
            "{what} died in the storm:\n{}",
            pty.screen()
        );
    }
    panic!("{what} never drew {expect:?} again:\n{}", pty.screen());
}

fn after_storm(pty: &mut Pty, what: &str, expect: &str) {
    storm(pty, 8, 300);
    settle(pty, what, expect);
}

#[test]
fn a_resize_storm_on_every_screen_leaves_them_running_and_drawn() {
    let point = TempPoint::new();
    let staff = point.run_with_stdin(
        &[
            "staff",
            "add",
            "aigul",
            "--name",
            "Айгүл Сәрсенова",
            "--role",
            "supervisor",
        ],
        "1357\n",
    );
    assert!(
        staff.status.success(),
        "{}",
        String::from_utf8_lossy(&staff.stderr)
    );
    point.json(&["ticket", "--category", "housing", "--json"]);

    let mut kiosk = Pty::spawn(&point, &["kiosk", "--allow-exit"], 80, 24);
    kiosk.wait_for("Қош келдіңіз!");
    after_storm(&mut kiosk, "the kiosk", "Қош келдіңіз!");
    // Keys after the storm. This once failed about one run in five: with
    // mio's edge-triggered source, crossterm returned the resize of a
    // SIGWINCH and dropped the terminal's readiness that came in the same
    // wake-up, so a key typed with a resize was never read. The
    // level-triggered /dev/tty source (crossterm's `use-dev-tty`) fixed it
    // (docs/RELIABILITY.md §7).
    kiosk.send("1");
    kiosk.wait_for("Не істегіңіз келеді?");
    kiosk.send("1");
    kiosk.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
    storm(&mut kiosk, 9, 100);
    settle(&mut kiosk, "the kiosk", "Мәселеңіздің тақырыбын таңдаңыз");
    kiosk.send("1");
    kiosk.enter();
    kiosk.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
    kiosk.send("1");
    kiosk.wait_for("Сіздің талоныңыз: Ж-002");

    let mut desk = Pty::spawn(&point, &["desk", "--desk", "1", "--lang", "ru"], 80, 24);
    desk.wait_for("Окно 1");
    after_storm(&mut desk, "the desk", "Окно 1");

    let mut board = Pty::spawn(&point, &["board", "--lang", "ru", "--no-bell"], 80, 24);
    board.wait_for("Ж-001");
    after_storm(&mut board, "the board", "Ж-001");
}

#[test]
fn a_panic_inside_a_screen_gives_the_terminal_back_and_says_what_happened() {
    let point = TempPoint::new();
    for (args, ready) in [
        (&["kiosk", "--allow-exit"][..], "Қош келдіңіз!"),
        (&["board", "--lang", "ru", "--no-bell"][..], "В очереди"),
        (&["desk", "--desk", "1", "--lang", "ru"][..], "Окно 1"),
    ] {
        // no backtrace: its forty lines would scroll the message off
        let env = [("QABYLDAU_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")];
        let mut pty = Pty::spawn_env(&point, args, &env, 100, 30);
        pty.wait_for(ready);
        let during = pty.modes();
        assert!(
            during.alternate_screen && during.cursor_hidden && during.raw,
            "{args:?}: {during:?}"
        );
        pty.send("1");
        let status = pty.wait_exit(Duration::from_secs(30));
        assert!(!status.success(), "{args:?}: a panic is a failure");
        let screen = pty.wait_for("forced panic for the terminal test");
        let modes = pty.modes();
        assert!(
            !modes.alternate_screen,
            "{args:?}: left the alternate screen: {modes:?}"
        );
        assert!(!modes.cursor_hidden, "{args:?}: the cursor is shown");
        assert!(!modes.mouse_captured, "{args:?}: the mouse is free");
        assert!(!modes.bracketed_paste, "{args:?}: bracketed paste off");
        assert!(!modes.raw, "{args:?}: raw mode off");
        // the message is on the normal screen, on lines of its own
        let line = screen.lines().find(|l| l.contains("forced panic")).unwrap();
        assert!(
            line.trim_start().starts_with("forced panic") || line.contains("panicked"),
            "{screen}"
        );
    }
}
