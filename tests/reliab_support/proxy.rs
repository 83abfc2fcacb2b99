//! A fault proxy on loopback, between the forwarder and the server (tokio).
//! One request per connection (the server is asked to close after its
//! answer, and that answer tells the client so). For each request it picks
//! a fault from its plan, does it, and logs the request: when it came,
//! what it was, which fault it met, and what the server answered if the
//! server saw it.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Passed on untouched.
    Pass,
    /// Held this long before it goes to the server (longer than the
    /// client's read timeout: the client gives up, the server still
    /// commits later).
    Delay(Duration),
    /// The connection is reset (RST) after half the request body: the
    /// server never sees it.
    ResetRequest,
    /// The server answers; half the answer reaches the client, then RST.
    ResetReply,
    /// The server answers (and has committed); the client gets nothing.
    DropReply,
    /// Request and answer both cut into writes of 1–13 bytes.
    Slice,
    /// The proxy answers itself, as a load balancer would: this status,
    /// an HTML body, and `Retry-After` seconds when given.
    Status(u16, Option<u64>),
}

impl Fault {
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Pass => "pass",
            Fault::Delay(_) => "delay",
            Fault::ResetRequest => "reset mid-request",
            Fault::ResetReply => "reset mid-reply",
            Fault::DropReply => "reply dropped after commit",
            Fault::Slice => "sliced",
            Fault::Status(500, _) => "500",
            Fault::Status(503, Some(_)) => "503 + Retry-After",
            Fault::Status(..) => "other status",
        }
    }
}

/// What the proxy does to the requests to come.
pub enum Plan {
    /// Every request passes.
    Pass,
    /// Every request meets this fault.
    Always(Fault),
    /// Requests alternate: even ones pass, odd ones meet the next fault of
    /// the list in turn (so every kind is met), delays drawn from the rng.
    Alternate {
        faults: Vec<Fault>,
        rng: Box<StdRng>,
        next: usize,
        count: u64,
    },
    /// Faults that last a while, as a real network's do: the first request
    /// after a passed one starts an episode of the next fault of the list,
    /// which every request meets until `length` has passed; then one
    /// request passes, and the next starts the next episode. A forwarder
    /// that retries at once makes many requests in an episode; one that
    /// backs off, few (`Seen::episode` tells which request met which).
    Episodes {
        faults: Vec<Fault>,
        length: Duration,
        rng: Box<StdRng>,
        next: usize,
        current: Option<(Fault, Instant, u32)>,
        episodes: u32,
    },
}

impl Plan {
    pub fn alternate(faults: Vec<Fault>, seed: u64) -> Plan {
        Plan::Alternate {
            faults,
            rng: Box::new(StdRng::seed_from_u64(seed)),
            next: 0,
            count: 0,
        }
    }

    pub fn episodes(faults: Vec<Fault>, length: Duration, seed: u64) -> Plan {
        Plan::Episodes {
            faults,
            length,
            rng: Box::new(StdRng::seed_from_u64(seed)),
            next: 0,
            current: None,
            episodes: 0,
        }
    }

    /// The fault for the next request, and the episode it belongs to.
    fn pick(&mut self) -> (Fault, Option<u32>) {
        let Plan::Episodes {
            faults,
            length,
            rng,
            next,
            current,
            episodes,
        } = self
        else {
            return (self.pick_one(), None);
        };
        let now = Instant::now();
        match *current {
            Some((fault, started, n)) if now < started + *length => {
                (draw_delay(fault, rng), Some(n))
            }
            Some(_) => {
                *current = None;
                (Fault::Pass, None)
            }
            None if faults.is_empty() => (Fault::Pass, None),
            None => {
                let fault = faults[*next % faults.len()];
                *next += 1;
                *episodes += 1;
                *current = Some((fault, now, *episodes));
                (draw_delay(fault, rng), Some(*episodes))
            }
        }
    }

    fn pick_one(&mut self) -> Fault {
        match self {
            Plan::Pass => Fault::Pass,
            Plan::Always(f) => *f,
            Plan::Episodes { .. } => unreachable!("picked by `pick`"),
            Plan::Alternate {
                faults,
                rng,
                next,
                count,
            } => {
                *count += 1;
                if *count % 2 == 0 || faults.is_empty() {
                    return Fault::Pass;
                }
                let f = faults[*next % faults.len()];
                *next += 1;
                draw_delay(f, rng)
            }
        }
    }
}

/// A delay fault holds a request between half its length and its length.
fn draw_delay(f: Fault, rng: &mut StdRng) -> Fault {
    match f {
        Fault::Delay(max) => Fault::Delay(Duration::from_millis(
            rng.random_range(max.as_millis() as u64 / 2..=max.as_millis() as u64),
        )),
        f => f,
    }
}

/// One request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub fault: Fault,
    /// The fault episode it met (`Plan::Episodes`).
    pub episode: Option<u32>,
    /// The server's status, when the server answered.
    pub upstream_status: Option<u16>,
}

#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    pub plan: Arc<Mutex<Plan>>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl FaultProxy {
    /// Starts the proxy to `upstream` (host:port) on a free loopback port.
    pub async fn start(upstream: String, plan: Plan) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let proxy = FaultProxy {
            url,
            plan: Arc::new(Mutex::new(plan)),
            seen: Arc::new(Mutex::new(Vec::new())),
        };
        let p = proxy.clone();
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let (p, up) = (p.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = p.serve(client, &up).await;
                });
            }
        });
        proxy
    }

    pub fn set_plan(&self, plan: Plan) {
        *self.plan.lock().unwrap() = plan;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Requests that arrived in `[from, to)`.
    pub fn count_between(&self, from: Instant, to: Instant) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.at >= from && s.at < to)
            .count()
    }

    async fn serve(&self, mut client: TcpStream, upstream: &str) -> std::io::Result<()> {
        client.set_nodelay(true)?;
        let Some((head, mut buf)) = read_head(&mut client).await? else {
            return Ok(());
        };
        let at = Instant::now();
        let first = head.lines().next().unwrap_or_default().to_string();
        let mut parts = first.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let (fault, episode) = self.plan.lock().unwrap().pick();
        let idx = {
            let mut seen = self.seen.lock().unwrap();
            seen.push(Seen {
                at,
                method,
                path,
                fault,
                episode,
                upstream_status: None,
            });
            seen.len() - 1
        };
        let len = content_length(&head);
        if fault == Fault::ResetRequest {
            // half the body, then a reset: no answer, nothing for the server
            while buf.len() < len / 2 {
                let mut tmp = [0u8; 4096];
                let n = client.read(&mut tmp).await?;
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&tmp[..n]);
            }
            return reset(client);
        }
        while buf.len() < len {
            let mut tmp = [0u8; 16384];
            let n = client.read(&mut tmp).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&tmp[..n]);
        }
        if let Fault::Status(code, retry_after) = fault {
            let body =
                format!("<html><body><h1>{code}</h1>upstream is having a bad day</body></html>");
            let mut answer = format!(
                "HTTP/1.1 {code} Fault\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            if let Some(s) = retry_after {
                answer.push_str(&format!("retry-after: {s}\r\n"));
            }
            answer.push_str("\r\n");
            answer.push_str(&body);
            client.write_all(answer.as_bytes()).await?;
            return client.shutdown().await;
        }
        if let Fault::Delay(d) = fault {
            tokio::time::sleep(d).await;
        }
        // to the server, asking it to close after its answer
        let head: String = head
            .split("\r\n")
            .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
            .map(|l| format!("{l}\r\n"))
            .collect::<String>()
            .trim_end()
            .to_string();
        let mut request = format!("{head}\r\nConnection: close\r\n\r\n").into_bytes();
        request.extend_from_slice(&buf[..len]);
        let mut up = TcpStream::connect(upstream).await?;
        up.set_nodelay(true)?;
        if fault == Fault::Slice {
            write_sliced(&mut up, &request).await?;
        } else {
            up.write_all(&request).await?;
        }
        let mut answer = Vec::new();
        up.read_to_end(&mut answer).await?;
        let status = std::str::from_utf8(&answer[..answer.len().min(12)])
            .ok()
            .and_then(|s| s.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok());
        self.seen.lock().unwrap()[idx].upstream_status = status;
        match fault {
            Fault::DropReply => client.shutdown().await,
            Fault::ResetReply => {
                client.write_all(&answer[..answer.len() / 2]).await?;
                reset(client)
            }
            Fault::Slice => {
                write_sliced(&mut client, &answer).await?;
                client.shutdown().await
            }
            _ => {
                client.write_all(&answer).await?;
                client.shutdown().await
            }
        }
    }
}

/// Closes with RST instead of FIN. (A zero linger does not block on drop:
/// the reset is immediate, which is why tokio's warning does not apply.)
#[allow(deprecated)]
fn reset(s: TcpStream) -> std::io::Result<()> {
    s.set_linger(Some(Duration::ZERO))?;
    drop(s);
    Ok(())
}

async fn write_sliced(s: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    let mut rng = StdRng::seed_from_u64(bytes.len() as u64);
    let mut i = 0;
    while i < bytes.len() {
        let n = rng.random_range(1..=13).min(bytes.len() - i);
        s.write_all(&bytes[i..i + n]).await?;
        s.flush().await?;
        i += n;
        if rng.random_range(0..64) == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    Ok(())
}

/// Reads up to the end of the head; returns the head and what came after it.
async fn read_head(s: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 16384];
    loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..i]).to_string();
            return Ok(Some((head, buf[i + 4..].to_vec())));
        }
        let n = s.read(&mut tmp).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&tmp[..n]);
    }
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
}
