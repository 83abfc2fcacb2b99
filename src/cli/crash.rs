//! What a panic does in this program: it ends it.
//!
//! A panic anywhere (the screen's thread, the database thread, a tokio task
//! such as the forwarder, the server's handlers) means an invariant broke.
//! Carrying on would leave a kiosk half alive (a screen waiting for a
//! thread that is gone, a forwarder that silently stopped) and could write
//! from a state nobody planned for. So the panic hook restores the terminal
//! (`ui::terminal`'s own hook runs first), logs where it happened, prints
//! the message, and ends the process with [`PANIC_STATUS`]: getty or
//! systemd starts the kiosk again.
//!
//! The hook ends the process before any unwinding, so no code, tokio's
//! catching of a task's panic included, can carry on writing after it.
//! Nothing confirmed is lost by that: a citizen is told "recorded" only
//! after a commit, and a transaction the panic left open is rolled back by
//! SQLite when the process is gone (as after a SIGKILL, which the crash
//! loop tests).

use std::sync::Mutex;
use tracing_appender::non_blocking::WorkerGuard;

/// The status a panicking process ends with (the one Rust itself uses).
pub const PANIC_STATUS: i32 = 101;

/// The log's writer thread; taken and dropped to flush the log before the
/// process ends, on a panic or at a normal exit.
static LOG: Mutex<Option<WorkerGuard>> = Mutex::new(None);

/// Flushes the log when the program ends normally.
pub struct Installed(());

impl Drop for Installed {
    fn drop(&mut self) {
        flush_log();
    }
}

/// Installs the hook for the life of the program. `log` is the guard of
/// the log file's writer, if there is a log.
pub fn install(log: Option<WorkerGuard>) -> Installed {
    if let Ok(mut slot) = LOG.lock() {
        *slot = log;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("unnamed");
        let (file, line, column) = info
            .location()
            .map_or(("unknown", 0, 0), |l| (l.file(), l.line(), l.column()));
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        tracing::error!(
            thread,
            file,
            line,
            column,
            message = %crate::domain::text::sanitize_line(&message),
            "panic: the program ends"
        );
        // the message on stderr (readable: the terminal is restored)
        previous(info);
        flush_log();
        std::process::exit(PANIC_STATUS);
    }));
    Installed(())
}

fn flush_log() {
    // try_lock: a panic while the lock is held (it never is for long)
    // must not wait for itself
    if let Ok(mut slot) = LOG.try_lock() {
        drop(slot.take());
    }
}
