//! A virtual ESC/POS printer for the print tests and benches: it listens on
//! loopback TCP (or sits on the master side of a pseudo-terminal, as a
//! serial device), records every byte, answers the status requests
//! (DLE EOT 1, 2, 4) as a printer in the trouble the test sets, and a
//! decoder written here (not the program's) turns what it received back
//! into the image the paper would show.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a test sets: the answers to DLE EOT 1, 2 and 4. The fixed bits of
/// each answer are 0xx1xx10.
pub const FINE: [u8; 3] = [0x12, 0x12, 0x12];
/// Offline, because the paper ended; the paper sensor says "end".
pub const PAPER_OUT: [u8; 3] = [0x1a, 0x32, 0x72];
/// Offline, the cover is open.
pub const COVER_OPEN: [u8; 3] = [0x1a, 0x16, 0x12];

#[derive(Default)]
pub struct Received {
    /// Every byte but the status requests, in order.
    pub bytes: Vec<u8>,
    pub status_requests: usize,
    pub connections: usize,
    pub first_byte: Option<Instant>,
    pub last_byte: Option<Instant>,
}

#[derive(Clone)]
pub struct Shared {
    pub received: Arc<Mutex<Received>>,
    pub answers: Arc<Mutex<[u8; 3]>>,
    /// Answer no status request at all (a printer that cannot).
    pub silent: Arc<Mutex<bool>>,
    /// The cable is pulled: the port is closed from now on.
    pub unplugged: Arc<std::sync::atomic::AtomicBool>,
}

impl Shared {
    fn new() -> Shared {
        Shared {
            received: Arc::default(),
            answers: Arc::new(Mutex::new(FINE)),
            silent: Arc::default(),
            unplugged: Arc::default(),
        }
    }
}

pub struct VirtualPrinter {
    pub shared: Shared,
    pub url: String,
    /// The pty's master, kept open while the printer "is plugged in".
    master: Option<std::fs::File>,
}

impl VirtualPrinter {
    /// A network printer on 127.0.0.1, any free port.
    pub fn tcp() -> VirtualPrinter {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        let shared = Shared::new();
        let s = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                if s.unplugged.load(std::sync::atomic::Ordering::SeqCst) {
                    // the listener is dropped with this thread: the port
                    // refuses every connection from now on
                    break;
                }
                s.received.lock().unwrap().connections += 1;
                let s = s.clone();
                std::thread::spawn(move || serve_tcp(stream, s));
            }
        });
        VirtualPrinter {
            shared,
            url,
            master: None,
        }
    }

    /// A printer on a serial line: the program opens the pty's slave as
    /// `file:/dev/pts/N`; this side answers on the master.
    pub fn pty() -> VirtualPrinter {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty fills two descriptors; the name, termios and
        // window size pointers may be null.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty");
        // SAFETY: slave is an open terminal descriptor.
        let name = unsafe { std::ffi::CStr::from_ptr(libc::ttyname(slave)) }
            .to_string_lossy()
            .into_owned();
        // raw on both sides before the program opens it, so that no byte
        // is changed on the way (the program makes its side raw too)
        for fd in [master, slave] {
            // SAFETY: fd is open; termios is filled before use.
            unsafe {
                let mut t: libc::termios = std::mem::zeroed();
                libc::tcgetattr(fd, &mut t);
                libc::cfmakeraw(&mut t);
                libc::tcsetattr(fd, libc::TCSANOW, &t);
            }
        }
        use std::os::fd::FromRawFd;
        // SAFETY: each descriptor is owned by exactly one File from here on.
        let master = unsafe { std::fs::File::from_raw_fd(master) };
        let slave_keep = unsafe { std::fs::File::from_raw_fd(slave) };
        let shared = Shared::new();
        let s = shared.clone();
        let mut reader = master.try_clone().unwrap();
        std::thread::spawn(move || {
            // the slave stays open here so the master never reads EIO
            // between two opens by the program
            let _slave = slave_keep;
            let mut parser = Parser::default();
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let answers = take(&s, &mut parser, &buf[..n]);
                        if !answers.is_empty() && reader.write_all(&answers).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        VirtualPrinter {
            shared,
            url: format!("file:{name}"),
            master: Some(master),
        }
    }

    /// Pulls a network printer's cable: its port is closed when this
    /// returns (a connection after it is refused).
    pub fn unplug(&self) {
        self.shared
            .unplugged
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let addr = self.url.trim_start_matches("tcp://").to_string();
        // wakes the accepting thread, which then drops the listener
        let _ = TcpStream::connect(&addr);
        let start = Instant::now();
        while TcpStream::connect(&addr).is_ok() {
            assert!(start.elapsed() < Duration::from_secs(5), "still listening");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn set_answers(&self, answers: [u8; 3]) {
        *self.shared.answers.lock().unwrap() = answers;
    }

    pub fn set_silent(&self, silent: bool) {
        *self.shared.silent.lock().unwrap() = silent;
    }

    /// The bytes received so far (status requests left out).
    pub fn bytes(&self) -> Vec<u8> {
        self.shared.received.lock().unwrap().bytes.clone()
    }

    pub fn clear(&self) {
        *self.shared.received.lock().unwrap() = Received::default();
    }

    /// Waits until a whole printout (ending in a cut) has arrived.
    pub fn wait_for_cut(&self, timeout: Duration) -> Vec<u8> {
        let start = Instant::now();
        loop {
            let b = self.bytes();
            if ends_with_cut(&b) {
                return b;
            }
            assert!(
                start.elapsed() < timeout,
                "no printout in {timeout:?}: {} bytes",
                b.len()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn ends_with_cut(b: &[u8]) -> bool {
    b.len() >= 4 && b[b.len() - 4..b.len() - 1] == [0x1d, b'V', b'A']
}

fn serve_tcp(mut stream: TcpStream, s: Shared) {
    let mut parser = Parser::default();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let answers = take(&s, &mut parser, &buf[..n]);
                if !answers.is_empty() && stream.write_all(&answers).is_err() {
                    break;
                }
            }
        }
    }
}

/// Records `chunk` and returns the answers to any status requests in it.
fn take(s: &Shared, parser: &mut Parser, chunk: &[u8]) -> Vec<u8> {
    let now = Instant::now();
    let mut out = Vec::new();
    let answers = *s.answers.lock().unwrap();
    let silent = *s.silent.lock().unwrap();
    let mut r = s.received.lock().unwrap();
    for cmd in parser.feed(chunk) {
        match cmd {
            Command::Status(n) => {
                r.status_requests += 1;
                if !silent {
                    match n {
                        1 => out.push(answers[0]),
                        2 => out.push(answers[1]),
                        4 => out.push(answers[2]),
                        _ => {}
                    }
                }
            }
            // the NUL after DLE EOT n (escpos sends 4 bytes): nothing
            Command::Other(bytes) if bytes == [0] => {}
            Command::Other(bytes) | Command::Raster { bytes, .. } => {
                r.first_byte.get_or_insert(now);
                r.last_byte = Some(now);
                r.bytes.extend_from_slice(&bytes);
            }
        }
    }
    out
}

/// One command of the stream.
#[derive(Debug)]
pub enum Command {
    /// DLE EOT n
    Status(u8),
    /// GS v 0: width in bytes, rows, the command's bytes
    Raster {
        width_bytes: usize,
        rows: usize,
        bytes: Vec<u8>,
    },
    /// Any other command, as bytes
    Other(Vec<u8>),
}

/// An ESC/POS command parser: what this printer understands. Bytes it does
/// not know make `Other` of one byte, which `decode` refuses.
#[derive(Default)]
pub struct Parser {
    pending: Vec<u8>,
}

impl Parser {
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Command> {
        self.pending.extend_from_slice(chunk);
        let mut out = Vec::new();
        loop {
            let p = &self.pending;
            if p.is_empty() {
                break;
            }
            // the length of the command at the front, once enough of it is
            // here to tell; None: wait for more bytes
            let len = match p.as_slice() {
                [0x10, 0x04, _, ..] => Some(3),
                [0x10] | [0x10, 0x04] => None,
                [0x1b, b'@', ..] => Some(2),
                [0x1b, b'd', _, ..] => Some(3),
                [0x1b] | [0x1b, b'd'] => None,
                [0x1d, b'V', b'A' | 66, _, ..] => Some(4),
                [0x1d, b'V', b'A' | 66] => None,
                [0x1d, b'V', _, ..] => Some(3),
                [0x1d, b'v', _, _, w0, w1, h0, h1, ..] => Some(
                    8 + (*w0 as usize | (*w1 as usize) << 8) * (*h0 as usize | (*h1 as usize) << 8),
                ),
                [0x1d] | [0x1d, b'V'] | [0x1d, b'v', ..] => None,
                _ => Some(1),
            };
            let Some(len) = len else { break };
            if p.len() < len {
                break;
            }
            let bytes: Vec<u8> = self.pending.drain(..len).collect();
            out.push(match (bytes[0], bytes.get(1)) {
                (0x10, Some(0x04)) => Command::Status(bytes[2]),
                (0x1d, Some(b'v')) => Command::Raster {
                    width_bytes: bytes[4] as usize | (bytes[5] as usize) << 8,
                    rows: bytes[6] as usize | (bytes[7] as usize) << 8,
                    bytes,
                },
                _ => Command::Other(bytes),
            });
        }
        out
    }
}

/// The paper as an image: rows of dots, `true` black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub width: usize,
    pub rows: Vec<Vec<bool>>,
    pub cut: bool,
}

/// Decodes a printout: every raster image stacked in order; initialise,
/// feed and cut are understood, anything else is an error (text sent as
/// characters would be one: every line must be an image).
pub fn decode(bytes: &[u8]) -> Result<Paper, String> {
    let mut parser = Parser::default();
    let mut paper = Paper {
        width: 0,
        rows: Vec::new(),
        cut: false,
    };
    for cmd in parser.feed(bytes) {
        match cmd {
            Command::Status(_) => {}
            Command::Raster {
                width_bytes,
                rows,
                bytes,
            } => {
                if bytes[3] != 0 {
                    return Err(format!("raster mode {} (scaled)", bytes[3]));
                }
                let width = width_bytes * 8;
                if paper.width != 0 && paper.width != width {
                    return Err(format!("images of widths {} and {width}", paper.width));
                }
                paper.width = width;
                let data = &bytes[8..];
                for y in 0..rows {
                    let row = &data[y * width_bytes..(y + 1) * width_bytes];
                    paper.rows.push(
                        (0..width)
                            .map(|x| row[x / 8] & (0x80 >> (x % 8)) != 0)
                            .collect(),
                    );
                }
            }
            Command::Other(b) => match b.as_slice() {
                [0x1b, b'@'] | [0x1b, b'd', _] | [0] => {}
                [0x1d, b'V', ..] => paper.cut = true,
                other => return Err(format!("not understood: {other:02x?}")),
            },
        }
    }
    if parser.pending.len() > 1 || parser.pending.first().is_some_and(|b| *b != 0) {
        return Err(format!("{} bytes left over", parser.pending.len()));
    }
    Ok(paper)
}

impl Paper {
    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// As a 1-bit PNG (the golden form).
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, self.width as u32, self.height() as u32);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::One);
            let mut w = enc.write_header().unwrap();
            let mut data = Vec::new();
            for row in &self.rows {
                for chunk in row.chunks(8) {
                    let mut byte = 0u8;
                    for (i, black) in chunk.iter().enumerate() {
                        // in PNG grey 1 is white
                        if !black {
                            byte |= 0x80 >> i;
                        }
                    }
                    data.push(byte);
                }
            }
            w.write_image_data(&data).unwrap();
        }
        out
    }

    pub fn from_png(bytes: &[u8]) -> Paper {
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND);
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let stride = info.line_size;
        let rows = (0..h)
            .map(|y| (0..w).map(|x| buf[y * stride + x] < 128).collect())
            .collect();
        Paper {
            width: w,
            rows,
            cut: true,
        }
    }

    /// Finds and decodes the QR codes on the paper.
    pub fn qr_codes(&self) -> Vec<String> {
        let (w, h) = (self.width, self.height());
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            if self.rows[y][x] { 0 } else { 255 }
        });
        img.detect_grids()
            .into_iter()
            .filter_map(|g| g.decode().ok().map(|(_, text)| text))
            .collect()
    }

    /// Rows that differ from `other` (a different height counts them all).
    pub fn differing_rows(&self, other: &Paper) -> usize {
        if self.width != other.width || self.height() != other.height() {
            return self.height().max(other.height());
        }
        self.rows
            .iter()
            .zip(&other.rows)
            .filter(|(a, b)| a != b)
            .count()
    }
}

/// Compares `paper` with the golden PNG `tests/golden/NAME.png`;
/// `QABYLDAU_BLESS=1` writes it instead (then look at it and commit it).
pub fn assert_golden(name: &str, paper: &Paper) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.png"));
    if std::env::var_os("QABYLDAU_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, paper.to_png()).unwrap();
        return;
    }
    let golden = Paper::from_png(
        &std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; QABYLDAU_BLESS=1 writes it", path.display())),
    );
    let diff = paper.differing_rows(&golden);
    if diff != 0 {
        let got = path.with_extension("got.png");
        std::fs::write(&got, paper.to_png()).unwrap();
        panic!(
            "{name}: {diff} rows differ from {} (this print is in {})",
            path.display(),
            got.display()
        );
    }
}
