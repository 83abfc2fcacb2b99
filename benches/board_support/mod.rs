//! Shared by the board's benchmarks: a point in a temporary folder, the
//! real binary in a pseudo-terminal whose output is parsed as it arrives
//! (so the moment a text appears is known to the millisecond, not to a
//! polling interval), and the desk's moves written as another process would.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use qabyldau::app::Context;
use qabyldau::config::Config;
use qabyldau::store::Store;
use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_qabyldau");

pub const CONFIG: &str = r#"
[point]
id = "bench-point"
name = "Bench"
kind = "office"
region = "Ақмола облысы"
timezone = "Asia/Almaty"

[[desk]]
number = 1

[[desk]]
number = 2
"#;

pub struct Point {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Point {
    pub fn new() -> Point {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("point.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, CONFIG).unwrap();
        Point { dir, db, config }
    }

    pub fn ctx(&self) -> Context {
        Context::new(Config::parse(CONFIG, &self.config).unwrap())
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db, self.ctx().point_id()).unwrap()
    }
}

struct Watch {
    parser: vt100::Parser,
    target: Option<String>,
    found: Sender<Instant>,
    bytes: u64,
}

/// The board in a pseudo-terminal.
pub struct Board {
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    watch: Arc<Mutex<Watch>>,
    found: Receiver<Instant>,
}

impl Board {
    pub fn spawn(point: &Point, args: &[&str], cols: u16, rows: u16) -> Board {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env("QABYLDAU_DB", &point.db);
        cmd.env("QABYLDAU_CREATE", "true");
        cmd.env("QABYLDAU_CONFIG", &point.config);
        cmd.env("HOME", point.dir.path());
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let (tx, found) = channel();
        let watch = Arc::new(Mutex::new(Watch {
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(rows.max(2)).unwrap(),
                std::num::NonZeroU16::new(cols.max(2)).unwrap(),
                0,
            ),
            target: None,
            found: tx,
            bytes: 0,
        }));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&watch);
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let at = Instant::now();
                let mut w = sink.lock().unwrap();
                w.parser.process(&buf[..n]);
                w.bytes += n as u64;
                let seen = w
                    .target
                    .as_deref()
                    .is_some_and(|t| w.parser.screen().contents().contains(t));
                if seen {
                    w.target = None;
                    let _ = w.found.send(at);
                }
            }
        });
        // the pty's writer must stay open or some systems hang up the child
        let writer = pty.master.take_writer().unwrap();
        std::mem::forget(writer);
        Board {
            child,
            _master: pty.master,
            watch,
            found,
        }
    }

    /// Starts watching for `text`; `wait` then returns when it showed.
    pub fn expect(&self, text: &str) {
        let mut w = self.watch.lock().unwrap();
        while self.found.try_recv().is_ok() {}
        if w.parser.screen().contents().contains(text) {
            let _ = w.found.send(Instant::now());
        } else {
            w.target = Some(text.to_string());
        }
    }

    pub fn wait(&self, timeout: Duration) -> Option<Instant> {
        let r = self.found.recv_timeout(timeout).ok();
        if r.is_none() {
            self.watch.lock().unwrap().target = None;
        }
        r
    }

    pub fn screen(&self) -> String {
        self.watch.lock().unwrap().parser.screen().contents()
    }

    pub fn bytes_received(&self) -> u64 {
        self.watch.lock().unwrap().bytes
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the board runs")
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime of a process, in seconds (Linux /proc).
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // the command name is in parentheses and may hold spaces
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // fields 14 and 15 of the line; 12 and 13 after "pid (comm) "
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks as f64 / hz
}

pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    format!("{cpus} CPUs, {model}")
}
