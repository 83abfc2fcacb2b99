//! Entering and leaving the full-screen terminal, including after a panic.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

pub type Tty = Terminal<CrosstermBackend<Stdout>>;

static MOUSE: AtomicBool = AtomicBool::new(false);
/// Whether the terminal is in the program's hands: `leave` writes nothing
/// otherwise (a scripting command's stdout may be a pipe of JSON).
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen and (for touch screens) mouse capture. Raw
/// mode also means Ctrl-C and Ctrl-Z arrive as keys, not signals: the
/// screen decides what they do.
pub fn enter(mouse: bool) -> std::io::Result<Tty> {
    install_panic_hook();
    ENTERED.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut out = stdout();
    execute!(out, EnterAlternateScreen, crossterm::cursor::Hide)?;
    // a paste arrives as one event, not as keys (where a newline is Enter)
    execute!(out, EnableBracketedPaste)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
        MOUSE.store(true, Ordering::SeqCst);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Puts the terminal back as it was. Safe to call twice, and a no-op
/// before `enter`.
pub fn leave() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste);
    let _ = execute!(out, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = disable_raw_mode();
}

/// A panic restores the terminal before its message is printed, so the
/// message is readable and the shell is usable. The hook that was there
/// before runs after it: in the program that is `cli::crash`'s, which logs
/// the panic and ends the process.
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Held to the end (the process ends inside `previous`): a frame
        // that another thread is drawing cannot land on the restored
        // screen after this. The lock is re-entrant, so `leave` can write.
        let _frames_stopped = stdout().lock();
        leave();
        previous(info);
    }));
}
