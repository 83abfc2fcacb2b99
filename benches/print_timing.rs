//! Time from the citizen's last key at the kiosk to the printer: to the
//! printout's first byte (after the status request has been answered) and
//! to its last (the cut), for a queue ticket and for an appeal's receipt.
//! The real `qabyldau kiosk` in a pseudo-terminal, a virtual ESC/POS
//! printer on loopback TCP that answers the status requests. Run:
//! `cargo bench --bench print_timing`.

#[path = "../tests/print_support/mod.rs"]
mod print_support;
#[path = "../tests/support/mod.rs"]
mod support;

use print_support::VirtualPrinter;
use std::time::{Duration, Instant};
use support::{Pty, TEST_CONFIG, TempPoint};

const RUNS: usize = 30;

struct Times {
    first: Vec<Duration>,
    last: Vec<Duration>,
}

/// Waits for the cut of the printout the key pressed at `pressed` caused.
fn measure(vp: &VirtualPrinter, pressed: Instant, times: &mut Times) {
    vp.wait_for_cut(Duration::from_secs(30));
    let r = vp.shared.received.lock().unwrap();
    times
        .first
        .push(r.first_byte.expect("a first byte") - pressed);
    times.last.push(r.last_byte.expect("a last byte") - pressed);
}

fn tickets(pty: &mut Pty, vp: &VirtualPrinter) -> Times {
    let mut times = Times {
        first: Vec::new(),
        last: Vec::new(),
    };
    for _ in 0..RUNS {
        pty.send("1");
        pty.wait_for("Не істегіңіз келеді?");
        pty.send("1");
        pty.wait_for("Мәселеңіздің тақырыбын таңдаңыз");
        pty.send("1");
        pty.enter();
        pty.wait_for("Кезектен тыс қабылдану құқығыңыз бар ма?");
        vp.clear();
        let pressed = Instant::now();
        pty.send("1"); // the last step: the ticket is taken and printed
        measure(vp, pressed, &mut times);
        pty.wait_for("Талоныңызды принтерден алыңыз");
        pty.enter();
        pty.wait_for("Қош келдіңіз!");
    }
    times
}

fn receipts(pty: &mut Pty, vp: &VirtualPrinter) -> Times {
    let mut times = Times {
        first: Vec::new(),
        last: Vec::new(),
    };
    for _ in 0..RUNS {
        pty.send("1");
        pty.wait_for("Не істегіңіз келеді?");
        pty.send("2");
        pty.wait_for("Өтінішіңіздің тақырыбын таңдаңыз");
        pty.send("2");
        pty.wait_for("Дербес деректерді өңдеуге келісім");
        pty.send("1");
        pty.wait_for("Тегіңіз, атыңыз, әкеңіздің аты");
        pty.send("Сәрсенова Айгүл Қанатқызы\r");
        pty.wait_for("Телефон нөміріңіз");
        pty.send("+7 747 123 45 67\r\r\r");
        pty.wait_for("Өтінішіңіздің мәтіні");
        pty.send("Үйде жылу жоқ, үш айдан бері.");
        pty.tab();
        pty.wait_for("Өтінішіңізді тексеріңіз");
        vp.clear();
        let pressed = Instant::now();
        pty.send("1"); // the last step: the appeal is recorded and printed
        measure(vp, pressed, &mut times);
        pty.wait_for("Өтініш талонын принтерден алыңыз");
        pty.enter();
        pty.wait_for("Қош келдіңіз!");
    }
    times
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<16} runs {:>3}  p50 {:>6.1} ms  p99 {:>6.1} ms  min {:>6.1} ms  max {:>6.1} ms",
        times.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

fn main() {
    println!("binary: {}", support::BIN);
    let vp = VirtualPrinter::tcp();
    let config = format!(
        "{TEST_CONFIG}\n[printer]\nurl = \"{}\"\nwidth_mm = 58\n",
        vp.url
    );
    let point = TempPoint::with_config(&config);
    let mut pty = Pty::spawn(&point, &["kiosk", "--allow-exit"], 80, 24);
    pty.wait_for("Қош келдіңіз!");
    let t = tickets(&mut pty, &vp);
    let r = receipts(&mut pty, &vp);
    pty.kill();
    report("ticket first", t.first);
    report("ticket last", t.last);
    report("receipt first", r.first);
    report("receipt last", r.last);
}
