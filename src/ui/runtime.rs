//! The event loop every screen runs in: terminal input, replies from the
//! database thread and a timer, drawn after each change. Nothing here
//! waits on a disk or a network.

use super::terminal::{self, Tty};
use super::worker::{Jobs, Worker};
use crossterm::event::{Event, EventStream, KeyEvent, MouseEvent};
use futures::StreamExt;
use ratatui::Frame;
use std::task::Poll;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Text pasted at once (bracketed paste): one input, however long, so a
    /// big paste is one check and one frame, not a key and a frame per letter.
    Paste(String),
    /// The timer: idle timeouts, clocks, polling for other processes' writes.
    Tick,
}

/// A full-screen program: state, how it changes, how it looks.
pub trait Screen {
    type Msg: Send + 'static;

    fn on_input(&mut self, input: Input, jobs: &mut Jobs<'_, Self::Msg>);
    fn on_reply(&mut self, msg: Self::Msg, jobs: &mut Jobs<'_, Self::Msg>);
    fn render(&self, frame: &mut Frame<'_>);
    /// True once the screen should close.
    fn finished(&self) -> bool;
    fn tick_every(&self) -> Duration {
        Duration::from_millis(250)
    }
    /// Whether anything on screen changed since the last draw. A screen that
    /// polls on a short tick (the board) answers false while nothing did,
    /// so an idle screen is not redrawn ten times a second. By default every
    /// event is followed by a draw.
    fn needs_redraw(&mut self) -> bool {
        true
    }
    /// Ring the terminal bell after this draw (a call on the board).
    fn take_bell(&mut self) -> bool {
        false
    }
}

pub struct Options {
    pub mouse: bool,
}

/// Runs `screen` until it is finished. The terminal is restored on return
/// and on panic.
pub async fn run<S: Screen>(screen: S, worker: Worker, options: Options) -> anyhow::Result<()> {
    run_fed(screen, worker, options, None).await
}

/// Like `run`, and messages arriving on `feed` (from a task of the
/// screen's own, e.g. the regional board's network link) go to
/// `Screen::on_reply` as they come.
pub async fn run_fed<S: Screen>(
    mut screen: S,
    worker: Worker,
    options: Options,
    feed: Option<mpsc::UnboundedReceiver<S::Msg>>,
) -> anyhow::Result<()> {
    let mut tty = terminal::enter(options.mouse)?;
    let result = event_loop(&mut screen, &worker, &mut tty, feed).await;
    terminal::leave();
    result
}

/// The next message of the feed; never, without one (or once it closed).
async fn next_fed<M>(feed: &mut Option<mpsc::UnboundedReceiver<M>>) -> M {
    match feed {
        Some(rx) => match rx.recv().await {
            Some(m) => m,
            None => {
                *feed = None;
                std::future::pending().await
            }
        },
        None => std::future::pending().await,
    }
}

async fn event_loop<S: Screen>(
    screen: &mut S,
    worker: &Worker,
    tty: &mut Tty,
    mut feed: Option<mpsc::UnboundedReceiver<S::Msg>>,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<S::Msg>();
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(screen.tick_every());
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    draw(screen, tty)?;
    while !screen.finished() {
        let mut jobs = Jobs::Thread {
            worker,
            replies: tx.clone(),
        };
        let mut resized = false;
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    resized |= matches!(event, Event::Resize(..));
                    if !dispatch(screen, event, tty, &mut jobs)? {
                        continue;
                    }
                    // Events already waiting (keys typed faster than frames,
                    // a paste without bracketed paste) are handled before the
                    // next frame, so a burst costs one frame, not one each.
                    for _ in 0..MAX_EVENTS_PER_FRAME {
                        if screen.finished() {
                            break;
                        }
                        // polled with this task's own waker (not a no-op
                        // one), so a later key still wakes the loop
                        match futures::poll!(events.next()) {
                            Poll::Ready(Some(Ok(event))) => {
                                resized |= matches!(event, Event::Resize(..));
                                dispatch(screen, event, tty, &mut jobs)?;
                            }
                            Poll::Ready(Some(Err(e))) => return Err(e.into()),
                            _ => break,
                        }
                    }
                }
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(msg) = rx.recv() => screen.on_reply(msg, &mut jobs),
            msg = next_fed(&mut feed) => screen.on_reply(msg, &mut jobs),
            _ = tick.tick() => screen.on_input(Input::Tick, &mut jobs),
        }
        // a resized terminal is cleared: it is drawn whatever the screen says
        if screen.needs_redraw() || resized {
            draw(screen, tty)?;
        }
    }
    Ok(())
}

/// How many already-waiting terminal events are handled before a frame.
const MAX_EVENTS_PER_FRAME: usize = 4096;

/// Hands one terminal event to the screen; false when the event means
/// nothing to screens (focus changes).
fn dispatch<S: Screen>(
    screen: &mut S,
    event: Event,
    tty: &mut Tty,
    jobs: &mut Jobs<'_, S::Msg>,
) -> anyhow::Result<bool> {
    match event {
        Event::Key(k) => {
            test_panic();
            screen.on_input(Input::Key(k), jobs)
        }
        Event::Mouse(m) => screen.on_input(Input::Mouse(m), jobs),
        Event::Paste(text) => screen.on_input(Input::Paste(text), jobs),
        Event::Resize(w, h) => {
            tty.autoresize()?;
            screen.on_input(Input::Resize(w, h), jobs)
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Test hook of the terminal tests (docs/RELIABILITY.md): with
/// `QABYLDAU_TEST_PANIC` set, the first key panics inside the running
/// screen, so a test can see that the panic hook gives the terminal back
/// and the message can be read. Nothing sets it in use.
fn test_panic() {
    if std::env::var_os("QABYLDAU_TEST_PANIC").is_some() {
        panic!("forced panic for the terminal test (QABYLDAU_TEST_PANIC)");
    }
}

fn draw<S: Screen>(screen: &mut S, tty: &mut Tty) -> anyhow::Result<()> {
    tty.draw(|f| screen.render(f))?;
    if screen.take_bell() {
        use std::io::Write;
        let mut out = std::io::stdout();
        out.write_all(b"\x07")?;
        out.flush()?;
    }
    Ok(())
}
