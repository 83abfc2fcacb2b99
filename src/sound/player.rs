//! Playing calls without a sound library: a WAV stream fed to a player
//! program found at run time (`pw-play`, `paplay`, `aplay`, sox's `play`),
//! on a thread of its own, so the board never waits for the sound.
//!
//! Calls that come faster than they can be said wait in a short queue
//! (`QUEUE_LIMIT`); when it is full the oldest waiting call is dropped: the
//! board shows every call anyway, and a call said minutes late sends
//! people to a desk that has moved on.

use super::clips::Clips;
use super::join;
use super::words::{SpokenCall, announcement};
use crate::domain::Lang;
use std::collections::{HashSet, VecDeque};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Calls waiting to be said, besides the one being said.
pub const QUEUE_LIMIT: usize = 4;

/// The players tried, in order, with the arguments that make each read a
/// WAV stream from its standard input.
pub const KNOWN_PLAYERS: [(&str, &[&str]); 4] = [
    ("pw-play", &["-"]),
    ("paplay", &[]),
    ("aplay", &["-q", "-"]),
    ("play", &["-q", "-t", "wav", "-"]),
];

/// A player program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// The configured player (`[board] sound_player`), or the known players
/// found on `path` (the `PATH` variable), in order.
pub fn find_players(configured: &[String], path: Option<OsString>) -> Vec<PlayerCommand> {
    let on_path = |name: &str| -> Option<PathBuf> {
        let name = Path::new(name);
        if name.components().count() > 1 {
            return is_executable(name).then(|| name.to_path_buf());
        }
        std::env::split_paths(path.as_deref()?)
            .map(|dir| dir.join(name))
            .find(|p| is_executable(p))
    };
    if let Some((program, args)) = configured.split_first() {
        return on_path(program)
            .map(|program| PlayerCommand {
                program,
                args: args.to_vec(),
            })
            .into_iter()
            .collect();
    }
    KNOWN_PLAYERS
        .iter()
        .filter_map(|(name, args)| {
            on_path(name).map(|program| PlayerCommand {
                program,
                args: args.iter().map(|a| a.to_string()).collect(),
            })
        })
        .collect()
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// What plays a WAV stream to the end (or until `stop` is set).
pub trait Output: Send {
    fn play(&mut self, wav: &[u8], length: Duration, stop: &AtomicBool) -> Result<(), String>;
}

/// Players tried in order; the one that last worked is tried first.
pub struct Players {
    players: Vec<PlayerCommand>,
    preferred: usize,
}

impl Players {
    pub fn new(players: Vec<PlayerCommand>) -> Players {
        Players {
            players,
            preferred: 0,
        }
    }
}

impl Output for Players {
    fn play(&mut self, wav: &[u8], length: Duration, stop: &AtomicBool) -> Result<(), String> {
        let mut errors = Vec::new();
        let n = self.players.len();
        for k in 0..n {
            let i = (self.preferred + k) % n;
            match play_with(&self.players[i], wav, length, stop) {
                Ok(()) => {
                    self.preferred = i;
                    return Ok(());
                }
                Err(e) => errors.push(format!("{}: {e}", self.players[i].program.display())),
            }
            if stop.load(Ordering::Relaxed) {
                break;
            }
        }
        Err(if errors.is_empty() {
            "no player".into()
        } else {
            errors.join("; ")
        })
    }
}

/// Grace beyond the stream's own length before a player that does not
/// finish is taken for hung and ended.
const HANG_GRACE: Duration = Duration::from_secs(10);

fn play_with(
    player: &PlayerCommand,
    wav: &[u8],
    length: Duration,
    stop: &AtomicBool,
) -> Result<(), String> {
    let mut child = Command::new(&player.program)
        .args(&player.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // the stream is larger than a pipe holds: written from its own thread,
    // so a player that stops reading cannot hold this one
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let data = wav.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let mut stderr = child.stderr.take().expect("stderr was piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = (&mut stderr).take(4096).read_to_end(&mut text);
        // what is past 4 KiB is read and dropped, so the player never blocks on it
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        String::from_utf8_lossy(&text).into_owned()
    });
    let deadline = Instant::now() + length + HANG_GRACE;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if stop.load(Ordering::Relaxed) || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let said = reader.join().unwrap_or_default();
    match status {
        Some(s) if s.success() => Ok(()),
        Some(s) => {
            let said = crate::domain::sanitize_line(said.trim());
            Err(if said.is_empty() {
                format!("ended with {s}")
            } else {
                format!("ended with {s}: {said}")
            })
        }
        None if stop.load(Ordering::Relaxed) => Ok(()),
        None => Err(format!(
            "did not finish within {} s, ended",
            (length + HANG_GRACE).as_secs()
        )),
    }
}

/// Where the board hands its calls to be said.
pub trait Speaker: Send {
    fn say(&self, call: SpokenCall);
}

/// What `Announcer::say` did with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    Added,
    /// The same ticket at the same desk was still waiting to be said.
    AlreadyWaiting,
    /// The queue was full: the oldest waiting call was dropped for this one.
    DroppedOldest(SpokenCall),
}

/// How the announcer has fared, for tests and the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub said: u64,
    pub failed: u64,
    pub dropped: u64,
}

struct Shared {
    queue: Mutex<State>,
    wake: Condvar,
    stop: AtomicBool,
}

#[derive(Default)]
struct State {
    calls: VecDeque<SpokenCall>,
    counts: Counts,
    /// The thread is saying a call now.
    busy: bool,
}

/// The thread that says calls, one after another.
pub struct Announcer {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Announcer {
    pub fn start(langs: Vec<Lang>, clips: Clips, mut output: Box<dyn Output>) -> Announcer {
        let shared = Arc::new(Shared {
            queue: Mutex::new(State::default()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("spoken-calls".into())
            .spawn(move || {
                let mut log = Log::default();
                while let Some(call) = next_call(&theirs) {
                    let made = join::assemble(&announcement(call, &langs), &clips);
                    for problem in &made.problems {
                        log.clip_problem(problem);
                    }
                    let length = Duration::from_millis(made.pcm.millis());
                    let result = output.play(&made.wav(), length, &theirs.stop);
                    log.played(&result);
                    let mut state = theirs.queue.lock().unwrap_or_else(|e| e.into_inner());
                    state.busy = false;
                    match result {
                        Ok(()) => state.counts.said += 1,
                        Err(_) => state.counts.failed += 1,
                    }
                    theirs.wake.notify_all();
                }
            })
            .expect("a thread can be started");
        Announcer {
            shared,
            thread: Some(thread),
        }
    }

    /// Queues a call; never waits for the sound.
    pub fn queue(&self, call: SpokenCall) -> Queued {
        let mut state = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        if state.calls.contains(&call) {
            return Queued::AlreadyWaiting;
        }
        let outcome = if state.calls.len() >= QUEUE_LIMIT {
            let old = state.calls.pop_front().expect("the queue is full");
            state.counts.dropped += 1;
            tracing::info!(
                ticket = %old.ticket, desk = old.desk,
                "spoken calls: too many calls at once, the oldest waiting one is not said"
            );
            Queued::DroppedOldest(old)
        } else {
            Queued::Added
        };
        state.calls.push_back(call);
        self.shared.wake.notify_all();
        outcome
    }

    pub fn counts(&self) -> Counts {
        let state = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        state.counts.clone()
    }

    /// Waits until every queued call was said (or failed), at most `limit`;
    /// for tests and a clean exit.
    pub fn wait_idle(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut state = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        while !state.calls.is_empty() || state.busy {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .shared
                .wake
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

impl Speaker for Announcer {
    fn say(&self, call: SpokenCall) {
        self.queue(call);
    }
}

impl Drop for Announcer {
    /// Stops the thread and the player now: a closing board does not finish
    /// a sentence.
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn next_call(shared: &Shared) -> Option<SpokenCall> {
    let mut state = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            return None;
        }
        if let Some(call) = state.calls.pop_front() {
            state.busy = true;
            return Some(call);
        }
        state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
    }
}

/// What the log hears: a failing player once, until it works again, and
/// each unreadable clip once.
#[derive(Debug, Default)]
pub struct Log {
    failing: bool,
    clips_reported: HashSet<String>,
}

/// A line the log gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogLine {
    CannotPlay(String),
    WorksAgain,
}

impl Log {
    /// The line to log after a call was played or not, if any.
    pub fn line_for(&mut self, result: &Result<(), String>) -> Option<LogLine> {
        match (result, self.failing) {
            (Err(e), false) => {
                self.failing = true;
                Some(LogLine::CannotPlay(e.clone()))
            }
            (Ok(()), true) => {
                self.failing = false;
                Some(LogLine::WorksAgain)
            }
            _ => None,
        }
    }

    fn played(&mut self, result: &Result<(), String>) {
        match self.line_for(result) {
            Some(LogLine::CannotPlay(e)) => tracing::warn!(
                error = %e,
                "spoken calls: the sound cannot be played (no sound device?); calls are shown without sound until it works"
            ),
            Some(LogLine::WorksAgain) => tracing::info!("spoken calls: the sound works again"),
            None => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "spoken calls: still no sound");
                }
            }
        }
    }

    fn clip_problem(&mut self, problem: &super::clips::ClipError) {
        if self.clips_reported.insert(problem.to_string()) {
            tracing::warn!(%problem, "spoken calls: a clip is left out or replaced by the built-in one");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TicketNo;
    use crate::sound::wav;

    #[test]
    fn a_failing_player_is_logged_once_until_it_works_again() {
        let mut log = Log::default();
        let fail = Err("aplay: audio open error".to_string());
        assert_eq!(
            log.line_for(&fail),
            Some(LogLine::CannotPlay("aplay: audio open error".into()))
        );
        assert_eq!(log.line_for(&fail), None);
        assert_eq!(log.line_for(&fail), None);
        assert_eq!(log.line_for(&Ok(())), Some(LogLine::WorksAgain));
        assert_eq!(log.line_for(&Ok(())), None);
        assert!(matches!(log.line_for(&fail), Some(LogLine::CannotPlay(_))));
    }

    fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn players_are_found_on_the_path_in_order_or_as_configured() {
        let dir = tempfile::tempdir().unwrap();
        let path = Some(dir.path().as_os_str().to_owned());
        assert!(find_players(&[], path.clone()).is_empty());
        assert!(find_players(&[], None).is_empty());
        script(dir.path(), "aplay", "exit 0");
        script(dir.path(), "paplay", "exit 0");
        std::fs::write(dir.path().join("pw-play"), "not executable").unwrap();
        let found = find_players(&[], path.clone());
        let names: Vec<_> = found
            .iter()
            .map(|p| p.program.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["paplay", "aplay"]);
        assert_eq!(found[1].args, ["-q", "-"]);
        let configured = find_players(&["aplay".into(), "-D".into(), "hw:1".into()], path.clone());
        assert_eq!(configured.len(), 1);
        assert_eq!(configured[0].args, ["-D", "hw:1"]);
        assert!(find_players(&["nonesuch".into()], path).is_empty());
    }

    #[test]
    fn a_player_gets_the_whole_stream_on_its_stdin_and_a_failing_one_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("heard.wav");
        let good = script(dir.path(), "good", &format!("cat > '{}'", out.display()));
        let bad = script(
            dir.path(),
            "bad",
            "cat >/dev/null; echo 'audio open error: No such file' >&2; exit 1",
        );
        let wav = wav::encode(&wav::Pcm(vec![7; 40_000]));
        let stop = AtomicBool::new(false);
        let mut players = Players::new(vec![
            PlayerCommand {
                program: bad.clone(),
                args: vec![],
            },
            PlayerCommand {
                program: good,
                args: vec![],
            },
        ]);
        // the first fails, the second plays; it is tried first from then on
        players.play(&wav, Duration::from_secs(3), &stop).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), wav);
        assert_eq!(players.preferred, 1);
        let mut only_bad = Players::new(vec![PlayerCommand {
            program: bad,
            args: vec![],
        }]);
        let err = only_bad
            .play(&wav, Duration::from_secs(3), &stop)
            .unwrap_err();
        assert!(err.contains("audio open error"), "{err}");
    }

    #[test]
    fn a_closing_board_ends_the_player_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let hang = script(
            dir.path(),
            "hang",
            &format!("echo $$ > '{}'; exec sleep 600", pid_file.display()),
        );
        let stop = AtomicBool::new(true); // as when the board closes
        let mut players = Players::new(vec![PlayerCommand {
            program: hang,
            args: vec![],
        }]);
        players
            .play(&[0; 10], Duration::from_secs(1), &stop)
            .unwrap();
        // the player was ended and reaped: its process is gone
        if let Ok(pid) = std::fs::read_to_string(&pid_file) {
            let proc = PathBuf::from(format!("/proc/{}", pid.trim()));
            assert!(!proc.exists(), "the player still runs");
        }
    }

    /// An output that holds each call until the test lets it go.
    struct Gate {
        heard: Arc<Mutex<Vec<usize>>>,
        open: Arc<(Mutex<u32>, Condvar)>,
    }

    impl Output for Gate {
        fn play(&mut self, wav: &[u8], _: Duration, stop: &AtomicBool) -> Result<(), String> {
            let (lock, cv) = &*self.open;
            let mut permits = lock.lock().unwrap();
            while *permits == 0 && !stop.load(Ordering::Relaxed) {
                permits = cv
                    .wait_timeout(permits, Duration::from_millis(50))
                    .unwrap()
                    .0;
            }
            *permits = permits.saturating_sub(1);
            self.heard.lock().unwrap().push(wav.len());
            Ok(())
        }
    }

    fn call(n: u32) -> SpokenCall {
        SpokenCall {
            ticket: TicketNo::new('Ж', n),
            desk: 1,
        }
    }

    #[test]
    fn calls_faster_than_speech_queue_up_the_oldest_waiting_dropped_when_full() {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let open = Arc::new((Mutex::new(0u32), Condvar::new()));
        let announcer = Announcer::start(
            vec![Lang::Ru],
            Clips::built_in(),
            Box::new(Gate {
                heard: Arc::clone(&heard),
                open: Arc::clone(&open),
            }),
        );
        // the first call is taken by the thread and held at the gate
        assert_eq!(announcer.queue(call(1)), Queued::Added);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !announcer.shared.queue.lock().unwrap().busy {
            assert!(Instant::now() < deadline, "the thread took the call");
            std::thread::sleep(Duration::from_millis(5));
        }
        // queue() returns at once while the sound is busy
        for n in 2..=(QUEUE_LIMIT as u32 + 1) {
            assert_eq!(announcer.queue(call(n)), Queued::Added);
        }
        assert_eq!(announcer.queue(call(3)), Queued::AlreadyWaiting);
        assert_eq!(
            announcer.queue(call(99)),
            Queued::DroppedOldest(call(2)),
            "full: the oldest waiting call goes"
        );
        {
            let (lock, cv) = &*open;
            *lock.lock().unwrap() = 100;
            cv.notify_all();
        }
        assert!(announcer.wait_idle(Duration::from_secs(30)));
        let counts = announcer.counts();
        assert_eq!(
            counts,
            Counts {
                said: 1 + QUEUE_LIMIT as u64,
                failed: 0,
                dropped: 1
            }
        );
        assert_eq!(heard.lock().unwrap().len(), 1 + QUEUE_LIMIT);
    }
}
