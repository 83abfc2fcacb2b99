//! Database work off the render loop. A screen hands a job to the worker
//! thread that owns the `Store`; the result comes back as a message. A slow
//! disk makes a reply late, never a frame.

use crate::app::Store;
use std::sync::mpsc;
use tokio::sync::mpsc::UnboundedSender;

type Job = Box<dyn FnOnce(&mut Store) + Send>;

pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    /// Starts the thread that owns `store` for the life of the screen.
    ///
    /// A panic in a job ends the whole program (the panic hook of
    /// `cli::crash`): the thread is not restarted and no later job runs on
    /// a connection whose transaction the panic left open. SQLite rolls
    /// such a transaction back when the process is gone.
    pub fn start(mut store: Store) -> Worker {
        if let Some(nth) = test_panic_write() {
            store.panic_in_write(nth);
        }
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("db".into())
            .spawn(move || {
                for job in rx {
                    job(&mut store);
                }
            })
            .expect("a thread can be started");
        Worker { jobs }
    }
}

/// Test hook of the crash tests (docs/RELIABILITY.md): with
/// `QABYLDAU_TEST_PANIC_DB_WRITE=N` the N-th write transaction on the
/// database thread panics before its commit. Nothing sets it in use.
fn test_panic_write() -> Option<u32> {
    std::env::var("QABYLDAU_TEST_PANIC_DB_WRITE")
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

impl Worker {
    /// A worker without a database, for a screen that runs no jobs (the
    /// regional board, fed by the network): a job sent to it is dropped
    /// and logged.
    pub fn without_store() -> Worker {
        let (jobs, _) = mpsc::channel::<Job>();
        Worker { jobs }
    }
}

/// Where a screen sends work and where replies arrive. In tests the work
/// runs at once on a store the test holds (`Jobs::inline`), so a screen's
/// whole behaviour is testable without a terminal or a thread.
pub enum Jobs<'s, Msg> {
    Thread {
        worker: &'s Worker,
        replies: UnboundedSender<Msg>,
    },
    Inline {
        store: &'s mut Store,
        replies: Vec<Msg>,
    },
}

impl<'s, Msg: Send + 'static> Jobs<'s, Msg> {
    pub fn inline(store: &'s mut Store) -> Self {
        Jobs::Inline {
            store,
            replies: Vec::new(),
        }
    }

    /// Runs `job` against the store and delivers `reply(result)` to the screen.
    pub fn run<T: Send + 'static>(
        &mut self,
        job: impl FnOnce(&mut Store) -> T + Send + 'static,
        reply: impl FnOnce(T) -> Msg + Send + 'static,
    ) {
        match self {
            Jobs::Thread { worker, replies } => {
                let replies = replies.clone();
                let sent = worker.jobs.send(Box::new(move |store| {
                    let _ = replies.send(reply(job(store)));
                }));
                if sent.is_err() {
                    tracing::error!("the database thread has stopped");
                }
            }
            Jobs::Inline { store, replies } => replies.push(reply(job(store))),
        }
    }

    /// The replies produced inline (tests).
    pub fn take_replies(&mut self) -> Vec<Msg> {
        match self {
            Jobs::Thread { .. } => Vec::new(),
            Jobs::Inline { replies, .. } => std::mem::take(replies),
        }
    }
}
