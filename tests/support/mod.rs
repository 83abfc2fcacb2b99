//! Shared helpers of the integration tests: a temporary point (config and
//! database in a temp folder), the real binary in a pseudo-terminal, and the
//! scripting commands. Each test file includes it with `mod support;`.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_qabyldau");

/// A point's files in a temporary folder, removed on drop.
pub struct TempPoint {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

/// A config for tests: point "test-point", two desks, all languages.
pub const TEST_CONFIG: &str = r#"
[point]
id = "test-point"
name = "Тест қабылдау бөлмесі"
kind = "enterprise"
region = "Ақмола облысы"
timezone = "Asia/Almaty"
officials = ["Депутат Серік Ахметов", "Жилищный отдел: Айгерим Нұрланқызы"]

[[desk]]
number = 1
name = "1"

[[desk]]
number = 2
name = "2"

[kiosk]
languages = ["kk", "ru", "en"]
idle_timeout_secs = 60
campaign_mode = false
"#;

impl TempPoint {
    pub fn new() -> Self {
        Self::with_config(TEST_CONFIG)
    }

    pub fn with_config(config_text: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("point.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, config_text).expect("write config");
        TempPoint { dir, db, config }
    }

    /// The environment that points the binary at this point's files.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("QABYLDAU_DB".into(), self.db.display().to_string()),
            // a fresh point's database is made on first use, as asked
            ("QABYLDAU_CREATE".into(), "true".into()),
            ("QABYLDAU_CONFIG".into(), self.config.display().to_string()),
            ("HOME".into(), self.dir.path().display().to_string()),
        ]
    }

    /// Runs `qabyldau ARGS` to completion and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(BIN)
            .args(args)
            .envs(self.env())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start qabyldau");
        // A command that exits without reading its input closes the pipe
        // early; that is its answer, not a failure of the test.
        if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing stdin: {e}"
            );
        }
        child.wait_with_output().expect("qabyldau output")
    }

    /// Runs a command that must succeed and parses its stdout as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "qabyldau {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON on stdout")
    }

    /// Opens the database read-only for checks.
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(&self.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open db")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The real binary in a pseudo-terminal, its screen kept by a vt100 parser.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts `qabyldau ARGS` in a `cols`×`rows` terminal.
    pub fn spawn(point: &TempPoint, args: &[&str], cols: u16, rows: u16) -> Pty {
        Self::spawn_env(point, args, &[], cols, rows)
    }

    pub fn spawn_env(
        point: &TempPoint,
        args: &[&str],
        extra_env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        for (k, v) in point.env() {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn in pty");
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().expect("pty writer");
        Pty {
            child,
            writer,
            parser,
            master: pty.master,
        }
    }

    /// The screen as text, rows joined by newlines.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The terminal's state as the program left it: whether it is in the
    /// alternate screen, the cursor hidden, the mouse captured, bracketed
    /// paste on, and (from the pty's termios) whether raw mode is on.
    pub fn modes(&self) -> Modes {
        let parser = self.parser.lock().unwrap();
        let s = parser.screen();
        let raw = self.master.as_raw_fd().map(|fd| {
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            let ok = unsafe { libc::tcgetattr(fd, &mut t) } == 0;
            ok && t.c_lflag & libc::ICANON == 0
        });
        Modes {
            alternate_screen: s.alternate_screen(),
            cursor_hidden: s.hide_cursor(),
            mouse_captured: s.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
            bracketed_paste: s.bracketed_paste(),
            raw: raw.unwrap_or(false),
        }
    }

    /// Waits until the screen contains `text`, or panics with the screen.
    /// The timeout is generous: it catches a hang, it does not time anything.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, Duration::from_secs(30))
    }

    pub fn wait_for_within(&self, text: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > timeout {
                panic!("screen never showed {text:?}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types text (UTF-8) or raw key bytes.
    pub fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.writer.write_all(bytes.as_ref()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    pub fn enter(&mut self) {
        self.send("\r");
    }

    pub fn esc(&mut self) {
        self.send("\x1b");
    }

    pub fn key_down(&mut self) {
        self.send("\x1b[B");
    }

    pub fn key_up(&mut self) {
        self.send("\x1b[A");
    }

    pub fn tab(&mut self) {
        self.send("\t");
    }

    pub fn ctrl(&mut self, letter: char) {
        let byte = (letter.to_ascii_lowercase() as u8) & 0x1f;
        self.send([byte]);
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first: a frame the program draws for the new size must
        // land in a screen of that size. The other order loses it when the
        // program answers before the parser is resized, and the program,
        // believing its frame is on screen, never draws it again.
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the process to exit on its own; panics after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if start.elapsed() > timeout {
                panic!("process did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `Pty::modes` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    pub alternate_screen: bool,
    pub cursor_hidden: bool,
    pub mouse_captured: bool,
    pub bracketed_paste: bool,
    pub raw: bool,
}

/// vt100 wants non-zero sizes and misbehaves below 2×2.
fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(2)).expect("at least 2")
}

impl Drop for Pty {
    fn drop(&mut self) {
        self.kill();
    }
}
