//! CPU the board uses while nothing happens: a wall-size board (200×60)
//! showing a morning's queue, left alone for 60 s. Reads utime + stime of
//! the board process from /proc before and after, and counts the bytes it
//! wrote to the terminal meanwhile.
//!
//! cargo bench --bench board_idle_cpu   (BOARD_IDLE_SECS=N to change the time)

mod board_support;

use board_support::*;
use chrono::Utc;
use qabyldau::app::kiosk;
use qabyldau::domain::event::{EventBody, TicketAtDesk};
use qabyldau::domain::{Actor, CategoryId, Lang, Priority};
use std::time::{Duration, Instant};

fn main() {
    let secs: u64 = std::env::var("BOARD_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let point = Point::new();
    let ctx = point.ctx();
    let mut store = point.store();
    let mut ids = Vec::new();
    for (i, cat) in ["housing", "utilities", "labour", "social", "roads"]
        .iter()
        .cycle()
        .take(40)
        .enumerate()
    {
        let t = kiosk::take_ticket(
            &mut store,
            &ctx,
            &CategoryId::new(*cat),
            if i % 7 == 0 {
                Priority::Veteran
            } else {
                Priority::Ordinary
            },
            Lang::Kk,
            Utc::now(),
        )
        .unwrap();
        ids.push(t);
    }
    for (desk, t) in [(1u16, &ids[0]), (2, &ids[1])] {
        store
            .write(&Actor::staff("bench"), Utc::now(), |w| {
                w.append(&EventBody::TicketCalled(TicketAtDesk {
                    ticket_id: t.id,
                    desk,
                }))
                .map(|_| ())
            })
            .map_err(|e: qabyldau::store::StoreError| e)
            .unwrap();
    }
    let board = Board::spawn(&point, &["board", "--lang", "kk"], 200, 60);
    // the latest call in words: the board has read the queue
    board.expect("терезеге өтіңіз");
    board
        .wait(Duration::from_secs(30))
        .expect("the board shows the queue");
    // let the start and the call's highlight (10 s) pass
    std::thread::sleep(Duration::from_secs(12));
    let pid = board.pid();
    let (cpu0, bytes0, t0) = (cpu_seconds(pid), board.bytes_received(), Instant::now());
    std::thread::sleep(Duration::from_secs(secs));
    let (cpu1, bytes1, wall) = (cpu_seconds(pid), board.bytes_received(), t0.elapsed());
    let used = cpu1 - cpu0;
    println!("board idle CPU: 200×60 hall, 40 waiting, 2 desks called, no changes");
    println!("machine: {}", machine());
    println!(
        "wall {:.1} s · CPU (utime+stime) {:.2} s · {:.3}% of one core · {} bytes drawn",
        wall.as_secs_f64(),
        used,
        used / wall.as_secs_f64() * 100.0,
        bytes1 - bytes0
    );
}
