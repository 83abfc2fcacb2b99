//! The reply is lost after the server committed: a proxy on loopback
//! passes each request to the server, reads the whole answer, and for some
//! batches hangs up on the forwarder instead of passing it on. The
//! forwarder resends; the server takes the resend as a duplicate; the
//! server ends with exactly the point's log.

use crate::sync_support::*;
use chrono::Duration as ChronoDuration;
use qabyldau::sync::Forwarder;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Drops the answer to every `every`-th batch, `max` times in all.
struct Dropper {
    every: u64,
    max: u64,
    posts: AtomicU64,
    dropped: AtomicU64,
}

impl Dropper {
    fn drop_this(&self) -> bool {
        let n = self.posts.fetch_add(1, Ordering::SeqCst) + 1;
        if n % self.every == 0 && self.dropped.load(Ordering::SeqCst) < self.max {
            self.dropped.fetch_add(1, Ordering::SeqCst);
            true
        } else {
            false
        }
    }
}

async fn proxy(listener: TcpListener, upstream: String, dropper: Arc<Dropper>) {
    loop {
        let Ok((client, _)) = listener.accept().await else {
            return;
        };
        let (up, d) = (upstream.clone(), Arc::clone(&dropper));
        tokio::spawn(async move {
            let _ = serve_client(client, &up, &d).await;
        });
    }
}

/// One request per client connection: the server's answer carries its
/// `connection: close`, so the forwarder opens a new one for the next.
async fn serve_client(
    mut client: TcpStream,
    upstream: &str,
    dropper: &Dropper,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let Some((head, body)) = read_request(&mut client, &mut buf).await? else {
        return Ok(());
    };
    let is_post = head.starts_with("POST ");
    // to the server on a fresh connection that it closes after answering
    let head: String = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .map(|l| format!("{l}\r\n"))
        .collect::<String>()
        .trim_end()
        .to_string();
    let mut up = TcpStream::connect(upstream).await?;
    up.write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
        .await?;
    up.write_all(&body).await?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer).await?;
    // the server has answered, so it has committed (or refused)
    if is_post && dropper.drop_this() {
        return Ok(()); // hang up: the forwarder never sees the answer
    }
    client.write_all(&answer).await
}

async fn read_request(
    s: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut tmp = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut tmp).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buf.len() < body_start + len {
        let n = s.read(&mut tmp).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&tmp[..n]);
    }
    let body = buf[body_start..body_start + len].to_vec();
    buf.drain(..body_start + len);
    Ok(Some((head, body)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_reply_makes_a_harmless_resend() {
    let server = InProcServer::start().await;
    let token = register(server.dyn_storage(), "p1", REGION).await;
    let point = GenPoint::new("p1");
    point.generate(3_000, 11, day_start(), ChronoDuration::seconds(20));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    let dropper = Arc::new(Dropper {
        every: 3,
        max: 8,
        posts: AtomicU64::new(0),
        dropped: AtomicU64::new(0),
    });
    tokio::spawn(proxy(
        listener,
        server.addr.to_string(),
        Arc::clone(&dropper),
    ));

    let mut cfg = fast_sync(&proxy_url, &token);
    cfg.batch_events = 100;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (db, id) = (point.db.clone(), point.id.clone());
    let forwarder = tokio::spawn(async move {
        let mut f = Forwarder::open(&db, &id, cfg).await.unwrap();
        f.watch(async {
            let _ = stop_rx.await;
        })
        .await;
    });
    eventually(
        "all acknowledged",
        std::time::Duration::from_secs(120),
        async || {
            qabyldau::store::sync_state::cursor(point.store().conn())
                .unwrap()
                .0
                == 3_000
        },
    )
    .await;
    stop_tx.send(()).unwrap();
    forwarder.await.unwrap();
    let status = qabyldau::store::sync_state::get(point.store().conn()).unwrap();
    assert!(status.last_error.is_some(), "the lost replies were noticed");
    assert_eq!(status.pending, 0);
    assert_eq!(
        dropper.dropped.load(Ordering::SeqCst),
        8,
        "replies were lost"
    );
    let dup = server.state.metrics.events_duplicate.get();
    let stored = server.state.metrics.events_ingested.get();
    assert_eq!(stored, 3_000, "each event stored once");
    assert!(
        dup >= 8 * 100,
        "every lost batch came again as duplicates: {dup}"
    );
    assert_same_log(server.dyn_storage(), &point).await;
    server.stop().await;
}
