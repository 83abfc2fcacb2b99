//! Time from starting `qabyldau kiosk` to its first frame: the binary is
//! spawned in a pseudo-terminal and timed until the welcome text is on the
//! screen. Cold = a fresh point (config and database created); warm = the
//! same point again. Also the time from a key to the frame that answers it
//! (welcome → menu on "1"). Run: `cargo bench --bench kiosk_first_frame`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::{Pty, TempPoint};

const RUNS: usize = 40;
const WELCOME: &str = "Қош келдіңіз!";

fn first_frame(point: &TempPoint) -> Duration {
    let start = Instant::now();
    let mut pty = Pty::spawn(point, &["kiosk", "--allow-exit"], 80, 24);
    loop {
        if pty.screen().contains(WELCOME) {
            let took = start.elapsed();
            pty.kill();
            return took;
        }
        if start.elapsed() > Duration::from_secs(30) {
            panic!("no welcome screen after 30 s:\n{}", pty.screen());
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Presses "1" on the welcome screen and times until the menu shows; Esc
/// goes back (alone, so it is not read as Alt+key).
fn key_to_frame(point: &TempPoint, presses: usize) -> Vec<Duration> {
    let mut pty = Pty::spawn(point, &["kiosk", "--allow-exit"], 80, 24);
    pty.wait_for(WELCOME);
    let mut times = Vec::new();
    for _ in 0..presses {
        let start = Instant::now();
        pty.send("1");
        while !pty.screen().contains("Не істегіңіз келеді?") {
            if start.elapsed() > Duration::from_secs(30) {
                panic!("no menu:\n{}", pty.screen());
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        times.push(start.elapsed());
        pty.esc();
        pty.wait_for(WELCOME);
        std::thread::sleep(Duration::from_millis(100));
    }
    pty.kill();
    times
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<6} runs {:>3}  p50 {:>6.1} ms  p99 {:>6.1} ms  min {:>6.1} ms  max {:>6.1} ms",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}

fn main() {
    println!("binary: {}", support::BIN);
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        let point = TempPoint::new();
        cold.push(first_frame(&point));
        warm.push(first_frame(&point));
    }
    report("cold", cold);
    report("warm", warm);
    let point = TempPoint::new();
    report("key", key_to_frame(&point, 100));
}
