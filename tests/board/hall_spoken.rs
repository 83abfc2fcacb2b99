//! Spoken calls on the board: each new call (and recall) is handed to the
//! speaker once, the first read speaks nothing, and the real binary feeds
//! a player program a valid WAV per call, or logs once that it cannot.

use crate::board_common::screen::*;
use crate::board_common::*;
use crate::support::{Pty, TEST_CONFIG, TempPoint};
use chrono::{Duration, Utc};
use qabyldau::domain::{Lang, TicketNo};
use qabyldau::sound::{Speaker, SpokenCall};
use qabyldau::store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A speaker that only remembers what it was asked to say.
#[derive(Clone, Default)]
struct Heard(Arc<Mutex<Vec<SpokenCall>>>);

impl Speaker for Heard {
    fn say(&self, call: SpokenCall) {
        self.0.lock().unwrap().push(call);
    }
}

impl Heard {
    fn take(&self) -> Vec<SpokenCall> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

fn said(prefix: char, number: u32, desk: u16) -> SpokenCall {
    SpokenCall {
        ticket: TicketNo::new(prefix, number),
        desk,
    }
}

#[test]
fn each_new_call_and_recall_is_said_once_and_the_first_read_says_nothing() {
    let ctx = ctx();
    let mut store = store(&ctx);
    // a ticket already at a desk when the board starts is no new call
    let early = take(&mut store, &ctx, "housing", local(9, 0));
    call(&mut store, early, 1, local(9, 1));
    let clock = TestClock::at(local(10, 0));
    let heard = Heard::default();
    let mut b = board(&ctx, &clock, Some(Lang::En), false).with_speaker(Box::new(heard.clone()));
    tick(&mut b, &mut store);
    assert!(heard.take().is_empty());

    let a = take(&mut store, &ctx, "labour", local(10, 0));
    let c = take(&mut store, &ctx, "social", local(10, 0));
    clock.advance(Duration::seconds(1));
    tick(&mut b, &mut store);
    assert!(heard.take().is_empty(), "a ticket taken is no call");

    // two desks call between two reads: both are said, in the order called
    call(&mut store, c, 2, local(10, 1));
    call(&mut store, a, 1, local(10, 2));
    clock.set(local(10, 2));
    tick(&mut b, &mut store);
    assert_eq!(heard.take(), [said('С', 1, 2), said('Т', 1, 1)]);
    clock.advance(Duration::seconds(1));
    tick(&mut b, &mut store);
    assert!(heard.take().is_empty(), "said once");

    recall(&mut store, c, 2, local(10, 3));
    clock.set(local(10, 3));
    tick(&mut b, &mut store);
    assert_eq!(heard.take(), [said('С', 1, 2)], "a recall is said again");

    // the citizen sat down: serving is no call
    serve(&mut store, c, 2, local(10, 4));
    clock.set(local(10, 4));
    tick(&mut b, &mut store);
    assert!(heard.take().is_empty());
}

/// A point whose board speaks, and a folder on `PATH` holding only a fake
/// `aplay` with the given body.
fn speaking_point(aplay: &str) -> (TempPoint, PathBuf) {
    let config = format!(
        "{TEST_CONFIG}\n[board]\nspoken_calls = true\nspoken_languages = [\"kk\", \"ru\"]\n"
    );
    let point = TempPoint::with_config(&config);
    let bin = point.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let path = bin.join("aplay");
    std::fs::write(&path, format!("#!/bin/sh\n{aplay}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    (point, bin)
}

fn log_text(point: &TempPoint) -> String {
    let mut text = String::new();
    if let Ok(dir) = std::fs::read_dir(point.path().join("logs")) {
        for e in dir.flatten() {
            text += &std::fs::read_to_string(e.path()).unwrap_or_default();
        }
    }
    text
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "waited for {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn desk(point: &TempPoint) -> (Store, qabyldau::app::Context) {
    let ctx = ctx_with(TEST_CONFIG);
    (Store::open(&point.db, ctx.point_id()).unwrap(), ctx)
}

#[test]
fn the_board_feeds_the_player_a_wav_per_call_without_a_sound_device() {
    // PATH holds only the fake player: it names its tools by full path
    let (point, bin) = speaking_point("exec /bin/cat > \"$HEARD_DIR/heard-$$.wav\"");
    let heard_dir = point.path().join("heard");
    std::fs::create_dir_all(&heard_dir).unwrap();
    let path = bin.display().to_string();
    let dir = heard_dir.display().to_string();
    let mut board = Pty::spawn_env(
        &point,
        &["board", "--lang", "en", "--no-bell"],
        &[("PATH", &path), ("HEARD_DIR", &dir)],
        80,
        24,
    );
    board.wait_for("No one is waiting");
    let (mut store, ctx) = desk(&point);
    let t = take(&mut store, &ctx, "housing", Utc::now());
    call(&mut store, t, 2, Utc::now());
    board.wait_for("Ticket Ж-001, please go to desk 2");
    let heard = || -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&heard_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };
    wait_until("the first call's sound", || heard().len() == 1);

    // what the player got is one valid WAV: chime, Kazakh, Russian
    let bytes = wait_for_whole_file(&heard()[0]);
    let reader = hound::WavReader::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(reader.spec().sample_rate, 16_000);
    assert_eq!(reader.spec().channels, 1);
    let secs = f64::from(reader.duration()) / 16_000.0;
    assert!(
        (3.0..15.0).contains(&secs),
        "two sentences and a chime: {secs} s"
    );
    assert_eq!(bytes.len() as u32, 44 + 2 * reader.duration());

    let u = take(&mut store, &ctx, "labour", Utc::now());
    call(&mut store, u, 1, Utc::now());
    wait_until("the second call's sound", || heard().len() == 2);
    let log = log_text(&point);
    assert!(!log.contains("cannot be played"), "{log}");

    board.send("q");
    assert!(
        board
            .wait_exit(std::time::Duration::from_secs(30))
            .success()
    );
}

/// A file another process is still writing, once its size stops growing
/// and it parses.
fn wait_for_whole_file(path: &Path) -> Vec<u8> {
    let mut last = Vec::new();
    wait_until("a whole WAV", || {
        let now = std::fs::read(path).unwrap_or_default();
        let whole = now.len() == last.len()
            && hound::WavReader::new(std::io::Cursor::new(&now))
                .is_ok_and(|r| now.len() as u32 == 44 + 2 * r.duration());
        last = now;
        whole
    });
    last
}

#[test]
fn without_a_sound_device_the_board_logs_it_once_and_goes_on() {
    let (point, bin) = speaking_point(
        "/bin/cat >/dev/null; echo 'aplay: main:831: audio open error: No such file or directory' >&2; exit 1",
    );
    let path = bin.display().to_string();
    let mut board = Pty::spawn_env(
        &point,
        &["board", "--lang", "en", "--no-bell"],
        &[("PATH", &path)],
        80,
        24,
    );
    board.wait_for("No one is waiting");
    let (mut store, ctx) = desk(&point);
    for (i, category) in ["housing", "labour", "social"].into_iter().enumerate() {
        let t = take(&mut store, &ctx, category, Utc::now());
        call(&mut store, t, 1 + (i as u16 % 2), Utc::now());
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    board.wait_for("Ticket С-001, please go to desk 1");
    wait_until("the log line", || {
        log_text(&point).contains("cannot be played")
    });
    // the calls after the first fail too, and are not logged again
    std::thread::sleep(std::time::Duration::from_secs(2));
    board.send("q");
    assert!(
        board
            .wait_exit(std::time::Duration::from_secs(30))
            .success()
    );
    let log = log_text(&point);
    assert_eq!(log.matches("cannot be played").count(), 1, "{log}");
    assert!(log.contains("audio open error"), "{log}");
}

#[test]
fn without_a_player_the_board_says_so_once_and_shows_calls() {
    let point = TempPoint::with_config(&format!("{TEST_CONFIG}\n[board]\nspoken_calls = true\n"));
    let empty = point.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let path = empty.display().to_string();
    let mut board = Pty::spawn_env(
        &point,
        &["board", "--lang", "en", "--no-bell"],
        &[("PATH", &path)],
        80,
        24,
    );
    board.wait_for("No one is waiting");
    let (mut store, ctx) = desk(&point);
    let t = take(&mut store, &ctx, "housing", Utc::now());
    call(&mut store, t, 2, Utc::now());
    board.wait_for("Ticket Ж-001, please go to desk 2");
    board.send("q");
    assert!(
        board
            .wait_exit(std::time::Duration::from_secs(30))
            .success()
    );
    let log = log_text(&point);
    assert_eq!(log.matches("no player program found").count(), 1, "{log}");
}
