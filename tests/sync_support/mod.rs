//! Helpers of the server and sync tests: points filled with real events by
//! the library's use cases, the server in process or as a child process of
//! the real binary, and independent checks (SQL on the point's own tables).
#![allow(dead_code)]

use chrono::{DateTime, Duration as ChronoDuration, NaiveDate, TimeZone, Utc};
use qabyldau::app::Context;
use qabyldau::app::kiosk::{Author, WrittenAppeal, leave_written_appeal, take_ticket};
use qabyldau::config::Config;
use qabyldau::domain::event::{AppealOutcomeSet, EventBody, TicketAtDesk, TicketRef};
use qabyldau::domain::{
    Actor, AppealKind, AppealText, CategoryId, Citizen, Lang, Outcome, PersonName, PointId,
    Priority, ShortText,
};
use qabyldau::server::auth::{hash_token, new_token};
use qabyldau::server::storage::postgres::PostgresStorage;
use qabyldau::server::storage::sqlite::SqliteStorage;
use qabyldau::server::storage::{NewPoint, Storage};
use qabyldau::server::{AppState, Limits};
use qabyldau::store::{Store, events};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

mod backends;
pub use backends::*;

pub const BIN: &str = env!("CARGO_BIN_EXE_qabyldau");
pub const REGION: &str = "Ақмола облысы";

/// The config of a generated point.
pub fn point_config(id: &str, region: &str, server: Option<(&str, &str)>) -> String {
    let mut text = format!(
        "[point]\nid = \"{id}\"\nname = \"Point {id}\"\nkind = \"office\"\nregion = \"{region}\"\ntimezone = \"Asia/Almaty\"\n\n[[desk]]\nnumber = 1\n\n[[desk]]\nnumber = 2\n"
    );
    if let Some((url, token)) = server {
        text.push_str(&format!(
            "\n[server]\nurl = \"{url}\"\ntoken = \"{token}\"\n"
        ));
    }
    text
}

/// A point's database and config in a temp folder.
pub struct GenPoint {
    pub id: PointId,
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl GenPoint {
    pub fn new(id: &str) -> GenPoint {
        Self::with_server(id, None)
    }

    /// A point whose `[point] timezone` is `zone` (an IANA name).
    pub fn in_zone(id: &str, zone: &str) -> GenPoint {
        let p = Self::new(id);
        let text = point_config(id, REGION, None).replace(
            "timezone = \"Asia/Almaty\"",
            &format!("timezone = \"{zone}\""),
        );
        std::fs::write(&p.config, text).unwrap();
        p
    }

    /// The forwarder's config for this point: `fast_sync` with the
    /// point's own zone, as `qabyldau sync` reads it from the config.
    pub fn sync_config(&self, url: &str, token: &str) -> qabyldau::sync::SyncConfig {
        let mut cfg = fast_sync(url, token);
        cfg.timezone = self.ctx().tz();
        cfg
    }

    /// A point for a test that generates a big log and checks what is in
    /// it, not how it reached the disk: its folder is in RAM (`/dev/shm`)
    /// where the machine has one. Every generated event is committed with
    /// a full sync, as at a point, and 50,000 of them on a virtual disk
    /// were two minutes of fsync for nothing such a test asserts. The
    /// tests of the disk itself (the crash loop, the full disk) use `new`.
    pub fn scratch(id: &str) -> GenPoint {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap_or_else(|_| tempfile::tempdir().unwrap())
        } else {
            tempfile::tempdir().unwrap()
        };
        Self::in_dir(dir, id, None)
    }

    pub fn with_server(id: &str, server: Option<(&str, &str)>) -> GenPoint {
        Self::in_dir(tempfile::tempdir().unwrap(), id, server)
    }

    fn in_dir(dir: tempfile::TempDir, id: &str, server: Option<(&str, &str)>) -> GenPoint {
        let db = dir.path().join("point.db");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, point_config(id, REGION, server)).unwrap();
        GenPoint {
            id: PointId::parse(id).unwrap(),
            dir,
            db,
            config,
        }
    }

    pub fn ctx(&self) -> Context {
        let text = std::fs::read_to_string(&self.config).unwrap();
        Context::new(Config::parse(&text, &self.config).unwrap())
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db, &self.id).unwrap()
    }

    /// Adds `n` real events, made by the kiosk's use cases and by desk
    /// moves appended through `Store::write`, starting at `start` and
    /// `spacing` apart. Reproducible from `seed`.
    pub fn generate(&self, n: u64, seed: u64, start: DateTime<Utc>, spacing: ChronoDuration) {
        generate(self, n, seed, start, spacing, 0)
    }

    /// Like `generate` with appeal texts of about `text_len` characters, so
    /// the log is large.
    pub fn generate_large(&self, n: u64, seed: u64, text_len: usize) {
        generate(
            self,
            n,
            seed,
            day_start(),
            ChronoDuration::seconds(20),
            text_len,
        )
    }

    /// `generate_large`, made once per build of the test program: the log
    /// is kept under the target's temporary folder, keyed by the program's
    /// own build time and the arguments, and copied in by later runs (the
    /// PostgreSQL pass of `.ci/run` drains the log the SQLite pass made,
    /// instead of spending minutes making an equal one). A fresh point
    /// only: the copy replaces its database.
    pub fn generate_large_once(&self, n: u64, seed: u64, text_len: usize) {
        let exe = std::env::current_exe().unwrap();
        let built = std::fs::metadata(&exe)
            .and_then(|m| m.modified())
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = exe.file_name().unwrap().to_string_lossy().into_owned();
        let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "{name}-{built}-{}-{n}-{seed}-{text_len}.db",
            self.id
        ));
        if kept.exists() {
            std::fs::copy(&kept, &self.db).unwrap();
            assert_eq!(
                self.last_seq(),
                n,
                "the kept log {} is whole",
                kept.display()
            );
            return;
        }
        // the logs of earlier builds are of no more use: hundreds of MB each
        let stale = format!("{name}-");
        for e in std::fs::read_dir(kept.parent().unwrap()).unwrap().flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            if file.starts_with(&stale) && !file.starts_with(&format!("{name}-{built}-")) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        self.generate_large(n, seed, text_len);
        // a consistent copy, put in place whole or not at all
        let part = kept.with_extension(format!("{}.part", std::process::id()));
        let _ = std::fs::remove_file(&part);
        self.sqlite()
            .execute("VACUUM INTO ?1", [part.to_str().unwrap()])
            .unwrap();
        std::fs::rename(&part, &kept).unwrap();
    }

    pub fn last_seq(&self) -> u64 {
        events::last_seq(self.store().conn()).unwrap()
    }

    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// `qabyldau staff add` at this point, the PIN on standard input.
    pub fn add_staff(&self, login: &str, name: &str, role: &str, pin: &str) {
        let out = output_with_stdin(
            self.cmd(&["staff", "add", login, "--name", name, "--role", role]),
            &format!("{pin}\n"),
        );
        assert!(out.status.success(), "{}", output_text(&out));
    }

    /// `qabyldau ARGS` with this point's config and database.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .env("QABYLDAU_DB", &self.db)
            .env("QABYLDAU_CREATE", "true")
            .env("QABYLDAU_CONFIG", &self.config)
            .env("HOME", self.dir.path());
        c
    }
}

/// 08:00 in Almaty on a fixed Monday: generated days are reproducible.
pub fn day_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 3, 0, 0).unwrap()
}

const CATEGORIES: &[&str] = &[
    "housing",
    "utilities",
    "labour",
    "social",
    "health",
    "roads",
];
const OUTCOMES: &[Outcome] = &[
    Outcome::ResolvedPositive,
    Outcome::ResolvedPositive,
    Outcome::Consulted,
    Outcome::Redirected,
    Outcome::UnderConsideration,
    Outcome::Declined,
    Outcome::Withdrawn,
];

fn generate(
    point: &GenPoint,
    n: u64,
    seed: u64,
    start: DateTime<Utc>,
    spacing: ChronoDuration,
    text_len: usize,
) {
    let ctx = point.ctx();
    let mut store = point.store();
    // test data only: the durability of each commit is not what is tested
    store
        .conn()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut waiting: Vec<Uuid> = vec![];
    let mut called: Vec<Uuid> = vec![];
    let mut serving: Vec<Uuid> = vec![];
    let mut open_appeals: Vec<Uuid> = vec![];
    let first = events::last_seq(store.conn()).unwrap();
    let desk = Actor::staff("op1");
    let mut i = first;
    while events::last_seq(store.conn()).unwrap() < first + n {
        let now = start + spacing * (i as i32);
        i += 1;
        let roll = rng.random_range(0..100);
        let cat = CategoryId::new(CATEGORIES[rng.random_range(0..CATEGORIES.len())]);
        if roll < 35 || (waiting.is_empty() && called.is_empty() && serving.is_empty() && roll < 70)
        {
            let priority = if rng.random_range(0..5) == 0 {
                Priority::Veteran
            } else {
                Priority::Ordinary
            };
            let t = take_ticket(&mut store, &ctx, &cat, priority, Lang::Ru, now).unwrap();
            waiting.push(t.id);
        } else if roll < if text_len > 0 { 65 } else { 55 } {
            let mut text = String::from("В подъезде холодно, батареи не греют. Прошу помочь.");
            // long texts of long words: the log grows as with real texts,
            // while the full-text index (what a large log is not there to
            // test) gets a few hundred words to index instead of thousands
            let word: String = "Қысқысуықүйдежылужоқпросимпринятьмеры"
                .chars()
                .cycle()
                .take(400)
                .collect();
            while text.chars().count() < text_len {
                text.push(' ');
                text.push_str(&word);
            }
            let text: String = text.chars().take(AppealText::MAX).collect();
            let author = if rng.random_range(0..2) == 0 {
                Author::Anonymous
            } else {
                Author::Consented(Citizen {
                    name: PersonName::parse("Серік Жұмабаев").unwrap(),
                    iin: None,
                    phone: None,
                    settlement: Some(ShortText::parse("Көкшетау").unwrap()),
                    workplace: None,
                })
            };
            let kinds = [
                AppealKind::Complaint,
                AppealKind::Request,
                AppealKind::Consultation,
            ];
            let appeal = WrittenAppeal {
                kind: kinds[rng.random_range(0..kinds.len())],
                category: cat,
                author,
                text: AppealText::parse(&text).unwrap(),
                lang: Lang::Kk,
            };
            let r = leave_written_appeal(&mut store, &ctx, appeal, now).unwrap();
            open_appeals.push(r.id);
        } else if roll < 65 && !open_appeals.is_empty() {
            let id = open_appeals.swap_remove(rng.random_range(0..open_appeals.len()));
            let outcome = OUTCOMES[rng.random_range(0..OUTCOMES.len())];
            let redirected_to = (outcome == Outcome::Redirected)
                .then(|| ShortText::parse("Акимат города Кокшетау").unwrap());
            append(
                &mut store,
                &desk,
                now,
                EventBody::AppealOutcomeSet(AppealOutcomeSet {
                    effective_at: None,
                    appeal_id: id,
                    outcome,
                    redirected_to,
                    note: None,
                }),
            );
        } else if roll < 80 && !waiting.is_empty() {
            let id = waiting.remove(0);
            append(
                &mut store,
                &desk,
                now,
                EventBody::TicketCalled(TicketAtDesk {
                    ticket_id: id,
                    desk: 1,
                }),
            );
            called.push(id);
        } else if roll < 90 && !called.is_empty() {
            let id = called.remove(0);
            if rng.random_range(0..6) == 0 {
                append(
                    &mut store,
                    &desk,
                    now,
                    EventBody::TicketNoShow(TicketRef { ticket_id: id }),
                );
            } else {
                append(
                    &mut store,
                    &desk,
                    now,
                    EventBody::TicketServing(TicketAtDesk {
                        ticket_id: id,
                        desk: 1,
                    }),
                );
                serving.push(id);
            }
        } else if !serving.is_empty() {
            let id = serving.remove(0);
            append(
                &mut store,
                &desk,
                now,
                EventBody::TicketFinished(TicketRef { ticket_id: id }),
            );
        } else {
            let t = take_ticket(&mut store, &ctx, &cat, Priority::Ordinary, Lang::Kk, now).unwrap();
            waiting.push(t.id);
        }
    }
    store
        .conn()
        .pragma_update(None, "synchronous", "FULL")
        .unwrap();
}

fn append(store: &mut Store, actor: &Actor, now: DateTime<Utc>, body: EventBody) {
    store
        .write(actor, now, |w| -> qabyldau::store::Result<u64> {
            w.append(&body)
        })
        .unwrap();
}

/// The point's own figures, counted with SQL written here (not the
/// server's code): appeals by local (UTC+5) day received, with their
/// outcome at the end of the period; tickets by service day.
pub fn point_figures(conn: &rusqlite::Connection, from: NaiveDate, to: NaiveDate) -> [u64; 10] {
    let (from, to) = (from.to_string(), to.to_string());
    let count = |sql: &str| -> u64 {
        conn.query_row(sql, [&from, &to], |r| r.get::<_, i64>(0))
            .unwrap() as u64
    };
    // each appeal with its outcome at the end of the period, read from the
    // raw event log (docs/REPORTS.md: "as of the end of the period")
    let appeals = |cond: &str| {
        count(&format!(
            "SELECT COUNT(*) FROM (
                 SELECT (SELECT json_extract(e.payload, '$.outcome') FROM events e
                         WHERE e.kind IN ('appeal_recorded', 'appeal_outcome_set')
                           AND json_extract(e.payload, '$.appeal_id') = a.id
                           AND date(e.at, '+5 hours') <= ?2
                         ORDER BY e.seq DESC LIMIT 1) AS outcome
                 FROM appeals a WHERE date(a.received_at, '+5 hours') BETWEEN ?1 AND ?2)
             WHERE ({cond})"
        ))
    };
    let tickets = |cond: &str| {
        count(&format!(
            "SELECT COUNT(*) FROM tickets WHERE service_date BETWEEN ?1 AND ?2 AND ({cond})"
        ))
    };
    [
        appeals("1"),
        appeals("outcome = 'resolved_positive'"),
        appeals("outcome = 'consulted'"),
        appeals("outcome = 'redirected'"),
        appeals("outcome IN ('registered', 'under_consideration')"),
        appeals("outcome = 'declined'"),
        appeals("outcome = 'withdrawn'"),
        tickets("1"),
        tickets("state = 'done'"),
        tickets("state = 'no_show'"),
    ]
}

/// The server's figures (a `domain::report::Report` as JSON) in the same
/// order as `point_figures`.
pub fn server_figures(f: &serde_json::Value) -> [u64; 10] {
    let n = |path: &str| {
        f.pointer(path)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_else(|| panic!("{path} in {f}"))
    };
    [
        n("/appeals/received"),
        n("/appeals/resolved_positive/count"),
        n("/appeals/consulted/count"),
        n("/appeals/redirected/count"),
        n("/appeals/under_consideration/count"),
        n("/appeals/declined/count"),
        n("/appeals/withdrawn/count"),
        n("/tickets/issued"),
        n("/tickets/served"),
        n("/tickets/no_shows"),
    ]
}

/// Registers a point on a storage and returns its token.
pub async fn register(storage: &dyn Storage, id: &str, region: &str) -> String {
    let token = new_token();
    storage
        .add_point(
            NewPoint {
                id: PointId::parse(id).unwrap(),
                name: format!("Point {id}"),
                region: region.into(),
                kind: qabyldau::domain::PointKind::Office,
            },
            hash_token(&token),
            Utc::now(),
        )
        .await
        .unwrap();
    token
}

/// A controller of `region` at the server, logged in (PIN `2468`): the
/// staff a test or a bench decides with.
pub async fn controller(
    storage: &dyn Storage,
    login: &str,
    region: &str,
) -> qabyldau::server::region::Staff {
    storage
        .add_staff(
            qabyldau::server::storage::region::NewStaff {
                login: login.into(),
                name: "Айгүл Садырбаева".into(),
                role: qabyldau::domain::staff::RegionRole::Controller,
                region: region.into(),
                pin_hash: qabyldau::domain::pin::hash("2468").unwrap(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
    qabyldau::server::region::log_in(storage, login, "2468", Utc::now())
        .await
        .unwrap()
}

pub async fn register_supervisor(storage: &dyn Storage, name: &str, region: &str) -> String {
    let token = new_token();
    storage
        .add_supervisor(name.into(), region.into(), hash_token(&token), Utc::now())
        .await
        .unwrap();
    token
}

/// The server in this process, on 127.0.0.1 with a free port, real HTTP.
pub struct InProcServer {
    pub url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    pub storage: Arc<dyn Storage>,
    pub dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl InProcServer {
    pub async fn start() -> InProcServer {
        Self::start_with(Limits::default()).await
    }

    pub async fn start_with(limits: Limits) -> InProcServer {
        let dir = tempfile::tempdir().unwrap();
        let storage = test_storage(dir.path()).await;
        Self::start_on(storage, dir, limits, "127.0.0.1:0").await
    }

    pub async fn start_on(
        storage: Arc<dyn Storage>,
        dir: tempfile::TempDir,
        limits: Limits,
        listen: &str,
    ) -> InProcServer {
        let listener = tokio::net::TcpListener::bind(listen).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = AppState::new(Arc::clone(&storage), limits);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(qabyldau_serve(listener, state.clone(), rx));
        InProcServer {
            url: format!("http://{addr}"),
            addr,
            state,
            storage,
            dir,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    pub fn dyn_storage(&self) -> &dyn Storage {
        self.storage.as_ref()
    }
}

/// The storage the in-process tests run on. Every test goes through here,
/// so the same tests run on both backends: SQLite by default, PostgreSQL
/// with `QABYLDAU_TEST_BACKEND=postgres` (each test in a fresh database of
/// `QABYLDAU_TEST_DATABASE_URL`'s server, dropped when the storage is).
pub async fn test_storage(dir: &Path) -> Arc<dyn Storage> {
    match backend() {
        Backend::Sqlite => Arc::new(SqliteStorage::open(&dir.join("server.db")).unwrap()),
        Backend::Postgres => {
            let db = FreshPg::create().await;
            // where a test that reads the tables themselves finds them
            std::fs::write(dir.join(PG_URL_FILE), &db.url).unwrap();
            let storage = PostgresStorage::connect(&db.url).await.unwrap();
            Arc::new(PgTestStorage { storage, _db: db })
        }
    }
}

/// In a test server's folder: the URL of its PostgreSQL database, when the
/// tests run on PostgreSQL (else its SQLite file is `server.db` there).
pub const PG_URL_FILE: &str = "postgres-url";

/// Every text value in the server's own tables (all but `events` and
/// `conflicts`, which keep what the points sent), as (table, value), read
/// straight from the database of either backend.
pub async fn server_table_texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(url) = std::fs::read_to_string(dir.join(PG_URL_FILE)) {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let tables = client
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_name NOT IN ('events', 'conflicts')",
                &[],
            )
            .await
            .unwrap();
        for t in tables {
            let table: String = t.get(0);
            // every column as text, one JSON object a row
            let rows = client
                .query(
                    &format!("SELECT row_to_json(x)::text FROM \"{table}\" x"),
                    &[],
                )
                .await
                .unwrap();
            for r in rows {
                let json: serde_json::Value = serde_json::from_str(&r.get::<_, String>(0)).unwrap();
                for v in json.as_object().unwrap().values() {
                    if let Some(s) = v.as_str() {
                        out.push((table.clone(), s.to_string()));
                    }
                }
            }
        }
        return out;
    }
    let db = rusqlite::Connection::open_with_flags(
        dir.join("server.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('events', 'conflicts')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in &tables {
        let mut stmt = db.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let cols = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..cols {
                if let Ok(Some(s)) = row.get::<_, Option<String>>(i) {
                    out.push((t.clone(), s));
                }
            }
        }
    }
    out
}

async fn qabyldau_serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    rx: tokio::sync::oneshot::Receiver<()>,
) {
    qabyldau::server::serve(listener, state, async {
        let _ = rx.await;
    })
    .await
    .unwrap();
}

/// The real binary as the server, a child process the test can kill -9.
pub struct ServerProc {
    pub db: PathBuf,
    pub listen: String,
    pub url: String,
    /// How the server finds its database (`--db PATH` or
    /// `server --database-url URL`).
    storage_args: (Vec<String>, Vec<String>),
    home: PathBuf,
    child: Option<Child>,
    /// Extra environment of the server process (test hooks).
    env: Vec<(String, String)>,
}

impl ServerProc {
    /// Starts `qabyldau --db DB server --listen LISTEN` and waits for its
    /// "listening on" line.
    pub fn start(db: &Path, listen: &str) -> ServerProc {
        Self::start_with_env(db, listen, &[])
    }

    /// The same with extra environment variables for the server process.
    pub fn start_with_env(db: &Path, listen: &str, env: &[(&str, &str)]) -> ServerProc {
        let mut s = ServerProc {
            db: db.to_path_buf(),
            listen: listen.to_string(),
            url: String::new(),
            storage_args: (vec!["--db".into(), db.display().to_string()], Vec::new()),
            home: db.parent().unwrap().to_path_buf(),
            child: None,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        s.restart();
        s
    }

    /// Starts the server on a test database of either backend.
    pub fn start_db(db: &ServerDb, listen: &str) -> ServerProc {
        Self::start_db_with_env(db, listen, &[])
    }

    /// The same with extra environment variables for the server process
    /// (test switches), kept across restarts.
    pub fn start_db_with_env(db: &ServerDb, listen: &str, env: &[(&str, &str)]) -> ServerProc {
        let mut s = ServerProc {
            db: db.home().join("server.db"),
            listen: listen.to_string(),
            url: String::new(),
            storage_args: db.args(),
            home: db.home().to_path_buf(),
            child: None,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        s.restart();
        s
    }

    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut child = Command::new(BIN)
                .args(&self.storage_args.0)
                .arg("server")
                .args(&self.storage_args.1)
                .args(["--listen", &self.listen])
                .env("HOME", &self.home)
                .envs(self.env.iter().map(|(k, v)| (k, v)))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start the server");
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            if let Some(rest) = line.split("listening on ").nth(1) {
                self.url = rest.split_whitespace().next().unwrap().to_string();
                // keep the port for restarts
                self.listen = self.url.trim_start_matches("http://").to_string();
                self.child = Some(child);
                return;
            }
            // the port may still be held a moment after a kill
            let _ = child.wait();
            assert!(Instant::now() < deadline, "server did not start: {line:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's process id while it runs (to read its memory).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            unsafe {
                libc::kill(c.id() as i32, libc::SIGKILL);
            }
            let _ = c.wait();
        }
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Runs `qabyldau --db DB server point add ...` and returns the token.
pub fn cli_add_point(db: &Path, id: &str, region: &str) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args([
            "server", "point", "add", id, "--name", id, "--region", region, "--kind", "office",
        ])
        .env("HOME", db.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Every event of the point equals the server's, in order, by hash, and
/// the server holds nothing more.
pub async fn assert_same_log(storage: &dyn Storage, point: &GenPoint) {
    if let Some(difference) = log_difference(storage, point).await {
        panic!("{difference}");
    }
}

/// Where the server's copy of the point's log first differs from it, if
/// anywhere (`assert_same_log` without the panic, for a test that must
/// see its own check fail).
pub async fn log_difference(storage: &dyn Storage, point: &GenPoint) -> Option<String> {
    let store = point.store();
    let mut after = 0;
    loop {
        let mine = events::after(store.conn(), after, 2000).unwrap();
        let theirs = storage.events(point.id.clone(), after, 2000).await.unwrap();
        if mine.len() != theirs.len() {
            return Some(format!(
                "point {} after seq {after}: the server holds {} events of the next {}",
                point.id,
                theirs.len(),
                mine.len()
            ));
        }
        if mine.is_empty() {
            return None;
        }
        for (m, t) in mine.iter().zip(&theirs) {
            if m.seq != t.record.seq || m.content_hash() != t.hash || m != &t.record {
                return Some(format!("seq {}: the server holds another event", m.seq));
            }
        }
        after = mine.last().unwrap().seq;
    }
}

/// A forwarder config for tests: short waits, so a retry is quick. The
/// point is on the region's zone, as `point_config` writes it.
pub fn fast_sync(url: &str, token: &str) -> qabyldau::sync::SyncConfig {
    let mut cfg = qabyldau::sync::SyncConfig::new(url, token, chrono_tz::Asia::Almaty);
    cfg.backoff_base = Duration::from_millis(20);
    cfg.backoff_cap = Duration::from_millis(300);
    cfg.poll = Duration::from_millis(50);
    cfg.timeouts.connect = Duration::from_secs(2);
    cfg
}

/// Waits (generously: this catches a hang, it times nothing) until `f`.
pub async fn eventually(what: &str, timeout: Duration, mut f: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !f().await {
        assert!(start.elapsed() < timeout, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What a finished command said: its standard output, then its errors.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `cmd` with `stdin` on its standard input (a PIN, for scripts) and
/// waits for it.
pub fn output_with_stdin(mut cmd: Command, stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
