//! From a desk's committed call to the board's redrawn screen: the board in
//! a pseudo-terminal, this process writing the calls into the same database
//! as a desk would, timing each call from the end of its commit to the
//! moment the pty output shows the new number. p50 and p99 over 1,000 calls.
//!
//! cargo bench --bench board_propagation   (BOARD_CALLS=N to change the count)

mod board_support;

use board_support::*;
use chrono::Utc;
use qabyldau::app::kiosk;
use qabyldau::domain::event::{EventBody, TicketAtDesk, TicketRef};
use qabyldau::domain::{Actor, CategoryId, Lang, Priority};
use rand::Rng;
use std::time::{Duration, Instant};

fn main() {
    let calls: usize = std::env::var("BOARD_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let point = Point::new();
    let board = Board::spawn(&point, &["board", "--lang", "en", "--no-bell"], 80, 24);
    board.expect("Now serving");
    board
        .wait(Duration::from_secs(30))
        .expect("the board started");
    let ctx = point.ctx();
    let mut store = point.store();
    let categories = ["housing", "utilities", "labour", "social", "roads"];
    // the day's line, taken before: 1,000 tickets in five categories
    let mut tickets = Vec::with_capacity(calls);
    for i in 0..calls {
        let issued = kiosk::take_ticket(
            &mut store,
            &ctx,
            &CategoryId::new(categories[i % categories.len()]),
            Priority::Ordinary,
            Lang::Ru,
            Utc::now(),
        )
        .unwrap();
        tickets.push(issued);
    }
    let mut rng = rand::rng();
    let mut at_desk: [Option<uuid::Uuid>; 2] = [None, None];
    let mut latencies = Vec::with_capacity(calls);
    let mut missed = 0;
    let desk_actor = Actor::staff("bench");
    for (i, t) in tickets.iter().enumerate() {
        // calls come at any moment, not in step with the board's tick
        std::thread::sleep(Duration::from_micros(rng.random_range(0..100_000)));
        let desk = (i % 2) as u16 + 1;
        board.expect(&format!("Ticket {}, please go to desk {desk}", t.number));
        let previous = at_desk[i % 2].replace(t.id);
        // the desk's "next": the previous citizen did not come, call the next
        store
            .write(&desk_actor, Utc::now(), |w| {
                if let Some(p) = previous {
                    w.append(&EventBody::TicketNoShow(TicketRef { ticket_id: p }))?;
                }
                w.append(&EventBody::TicketCalled(TicketAtDesk {
                    ticket_id: t.id,
                    desk,
                }))
                .map(|_| ())
            })
            .map_err(|e: qabyldau::store::StoreError| e)
            .unwrap();
        let committed = Instant::now();
        match board.wait(Duration::from_secs(10)) {
            Some(seen) => latencies.push(seen.saturating_duration_since(committed)),
            None => {
                missed += 1;
                eprintln!(
                    "call {} not seen in 10 s; screen:\n{}",
                    t.number,
                    board.screen()
                );
            }
        }
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| {
        ms(latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1])
    };
    let mean = latencies.iter().map(|d| ms(*d)).sum::<f64>() / latencies.len() as f64;
    println!("board propagation: committed call → board screen shows it");
    println!("machine: {}", machine());
    println!(
        "calls: {} (not seen within 10 s: {missed})",
        latencies.len()
    );
    println!(
        "p50 {:.1} ms · p90 {:.1} ms · p99 {:.1} ms · max {:.1} ms · mean {:.1} ms",
        pct(0.50),
        pct(0.90),
        pct(0.99),
        ms(*latencies.last().unwrap()),
        mean
    );
}
