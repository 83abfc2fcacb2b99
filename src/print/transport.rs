//! The way to a printer: a device file (USB `/dev/usb/lp0`, a serial port)
//! or a raw TCP socket (port 9100). Every wait has a deadline, and a
//! printer that is missing, closed or silent is an error value: the print
//! thread never hangs and nothing here panics.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Where the printer is, as written in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterUrl {
    Tcp { host: String, port: u16 },
    File(PathBuf),
}

/// The raw-printing port of network printers (JetDirect).
pub const RAW_PORT: u16 = 9100;

impl FromStr for PrinterUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            let (host, port) = match rest.rsplit_once(':') {
                // an IPv6 address is written in brackets: tcp://[::1]:9100
                Some((h, p)) if !h.is_empty() && (!h.contains(':') || h.starts_with('[')) => {
                    let port =
                        p.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
                            format!("{s:?}: the port {p:?} is not a number 1-65535")
                        })?;
                    (h, port)
                }
                _ => (rest, RAW_PORT),
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() || host.contains('/') || host.contains(char::is_whitespace) {
                return Err(format!(
                    "{s:?}: write tcp://HOST:PORT, e.g. tcp://192.168.1.50:9100"
                ));
            }
            return Ok(PrinterUrl::Tcp {
                host: host.to_string(),
                port,
            });
        }
        if let Some(rest) = s.strip_prefix("file:") {
            // file:/dev/usb/lp0 and file:///dev/usb/lp0 both name the device
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if !path.starts_with('/') {
                return Err(format!(
                    "{s:?}: a device is named by its full path, e.g. file:/dev/usb/lp0"
                ));
            }
            return Ok(PrinterUrl::File(PathBuf::from(path)));
        }
        Err(format!(
            "{s:?}: a printer is \"tcp://HOST:PORT\" (network) or \"file:/dev/usb/lp0\" (USB or serial device)"
        ))
    }
}

impl fmt::Display for PrinterUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterUrl::Tcp { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            PrinterUrl::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            PrinterUrl::File(p) => write!(f, "file:{}", p.display()),
        }
    }
}

/// How long each kind of wait may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening the device or connecting.
    pub connect: Duration,
    /// One answer to a status request.
    pub status: Duration,
    /// Sending a whole document.
    pub send: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(3),
            status: Duration::from_secs(2),
            send: Duration::from_secs(15),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The device file is missing, or nothing listens at the address.
    #[error("no printer at {0}")]
    NoDevice(String),
    #[error("the printer did not answer in time")]
    Timeout,
    /// The connection or the device went away, or refused the data.
    #[error("the printer connection failed: {0}")]
    Broken(String),
}

/// An open connection to a printer.
pub enum Link {
    Tcp(TcpStream),
    /// `regular` is a plain file standing in for a printer (tests, or a
    /// technician capturing what would be printed): appended to, and
    /// never read, since it would only give back what was written.
    Device {
        file: std::fs::File,
        regular: bool,
    },
}

impl Link {
    pub fn open(url: &PrinterUrl, t: &Timeouts) -> Result<Link, LinkError> {
        match url {
            PrinterUrl::Tcp { host, port } => open_tcp(host, *port, t),
            PrinterUrl::File(path) => device::open(path),
        }
    }

    /// Writes all of `bytes` before `deadline`. `first` is set to the moment
    /// the first byte was accepted (the benches measure it).
    pub fn send(
        &mut self,
        bytes: &[u8],
        deadline: Instant,
        first: &mut Option<Instant>,
    ) -> Result<(), LinkError> {
        // chunks small enough that a slow printer's deadline is checked often
        for chunk in bytes.chunks(4096) {
            let left = deadline
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero())
                .ok_or(LinkError::Timeout)?;
            match self {
                Link::Tcp(s) => {
                    s.set_write_timeout(Some(left)).map_err(broken)?;
                    s.write_all(chunk).map_err(io_error)?;
                }
                Link::Device { file, .. } => device::write_all(file, chunk, deadline)?,
            }
            first.get_or_insert_with(Instant::now);
        }
        if let Link::Tcp(s) = self {
            s.flush().map_err(io_error)?;
        }
        Ok(())
    }

    /// One byte from the printer, or `Ok(None)` when none came in `timeout`.
    pub fn read_byte(&mut self, timeout: Duration) -> Result<Option<u8>, LinkError> {
        let mut b = [0u8; 1];
        match self {
            Link::Tcp(s) => {
                s.set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
                    .map_err(broken)?;
                match s.read(&mut b) {
                    Ok(0) => Err(LinkError::Broken(
                        "the printer closed the connection".into(),
                    )),
                    Ok(_) => Ok(Some(b[0])),
                    Err(e)
                        if matches!(
                            e.kind(),
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                        ) =>
                    {
                        Ok(None)
                    }
                    Err(e) => Err(io_error(e)),
                }
            }
            Link::Device { regular: true, .. } => Ok(None),
            Link::Device { file, .. } => device::read_byte(file, timeout),
        }
    }
}

fn open_tcp(host: &str, port: u16, t: &Timeouts) -> Result<Link, LinkError> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| LinkError::NoDevice(format!("{host}:{port} ({e})")))?
        .collect();
    let mut last = LinkError::NoDevice(format!("{host}:{port}"));
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, t.connect) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(Link::Tcp(s));
            }
            Err(e) if e.kind() == io::ErrorKind::TimedOut => last = LinkError::Timeout,
            Err(e) => last = LinkError::NoDevice(format!("{addr} ({e})")),
        }
    }
    Err(last)
}

fn broken(e: io::Error) -> LinkError {
    LinkError::Broken(e.to_string())
}

fn io_error(e: io::Error) -> LinkError {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => LinkError::Timeout,
        _ => broken(e),
    }
}

/// Device files, opened without blocking so that every wait is a `poll`
/// with a deadline: a USB printer that stops reading, or a serial line
/// with nothing on it, cannot stop the print thread.
mod device {
    use super::LinkError;
    use std::io::{self, Read, Write};
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;
    use std::time::{Duration, Instant};

    pub fn open(path: &Path) -> Result<super::Link, LinkError> {
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .append(regular)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => {
                    LinkError::NoDevice(format!("{} (no such device)", path.display()))
                }
                _ => LinkError::NoDevice(format!("{} ({e})", path.display())),
            })?;
        raw_if_tty(&file);
        Ok(super::Link::Device { file, regular })
    }

    /// A serial line (or the pseudo-terminal of a test) must pass every byte
    /// as it is: no echo, no newline translation, no signals.
    fn raw_if_tty(file: &std::fs::File) {
        let fd = file.as_raw_fd();
        // SAFETY: fd is an open descriptor owned by `file`; termios is a
        // plain struct filled by tcgetattr before it is read.
        unsafe {
            if libc::isatty(fd) == 1 {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(fd, &mut t) == 0 {
                    libc::cfmakeraw(&mut t);
                    let _ = libc::tcsetattr(fd, libc::TCSANOW, &t);
                }
            }
        }
    }

    /// Waits until `fd` is ready for `events`; false on timeout.
    fn wait(file: &std::fs::File, events: i16, timeout: Duration) -> Result<bool, LinkError> {
        let mut p = libc::pollfd {
            fd: file.as_raw_fd(),
            events,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd, count 1.
        let n = unsafe { libc::poll(&mut p, 1, ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                return Ok(false);
            }
            return Err(LinkError::Broken(e.to_string()));
        }
        if n > 0 && p.revents & (libc::POLLERR | libc::POLLNVAL) != 0 {
            return Err(LinkError::Broken("the device reports an error".into()));
        }
        Ok(n > 0)
    }

    pub fn write_all(
        mut file: &std::fs::File,
        mut bytes: &[u8],
        deadline: Instant,
    ) -> Result<(), LinkError> {
        while !bytes.is_empty() {
            match file.write(bytes) {
                Ok(0) => return Err(LinkError::Broken("the device takes no more data".into())),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let left = deadline
                        .checked_duration_since(Instant::now())
                        .ok_or(LinkError::Timeout)?;
                    wait(file, libc::POLLOUT, left)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(LinkError::Broken(e.to_string())),
            }
        }
        Ok(())
    }

    pub fn read_byte(mut file: &std::fs::File, timeout: Duration) -> Result<Option<u8>, LinkError> {
        let deadline = Instant::now() + timeout;
        let mut b = [0u8; 1];
        loop {
            match file.read(&mut b) {
                Ok(1) => return Ok(Some(b[0])),
                // a plain file at its end, or a device with nothing to say:
                // it has no answer
                Ok(_) => return Ok(None),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                        return Ok(None);
                    };
                    if !wait(file, libc::POLLIN, left)? {
                        return Ok(None);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // the other end of a pseudo-terminal closed
                Err(e) if e.raw_os_error() == Some(libc::EIO) => {
                    return Err(LinkError::Broken("the device went away".into()));
                }
                Err(e) => return Err(LinkError::Broken(e.to_string())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_the_config() {
        assert_eq!(
            "tcp://192.168.1.50:9100".parse(),
            Ok(PrinterUrl::Tcp {
                host: "192.168.1.50".into(),
                port: 9100
            })
        );
        assert_eq!(
            "tcp://printer.local".parse(),
            Ok(PrinterUrl::Tcp {
                host: "printer.local".into(),
                port: RAW_PORT
            })
        );
        assert_eq!(
            "tcp://[::1]:9101"
                .parse::<PrinterUrl>()
                .unwrap()
                .to_string(),
            "tcp://[::1]:9101"
        );
        assert_eq!(
            "file:/dev/usb/lp0".parse(),
            Ok(PrinterUrl::File("/dev/usb/lp0".into()))
        );
        assert_eq!(
            "file:///dev/ttyS0".parse(),
            Ok(PrinterUrl::File("/dev/ttyS0".into()))
        );
        for bad in [
            "",
            "lp0",
            "http://x",
            "tcp://",
            "tcp://h:0",
            "tcp://h:99999",
            "file:lp0",
        ] {
            assert!(bad.parse::<PrinterUrl>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn missing_device_and_closed_port_are_errors() {
        let t = Timeouts::default();
        let missing = Link::open(&PrinterUrl::File("/nonexistent/lp9".into()), &t);
        assert!(matches!(missing, Err(LinkError::NoDevice(_))));
        // a port that was just free: nothing listens there
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let closed = Link::open(
            &PrinterUrl::Tcp {
                host: "127.0.0.1".into(),
                port,
            },
            &t,
        );
        assert!(
            matches!(closed, Err(LinkError::NoDevice(_))),
            "{:?}",
            closed.err()
        );
    }

    #[test]
    fn a_silent_device_answers_nothing_in_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lp");
        std::fs::write(&path, b"").unwrap();
        let mut link = Link::open(&PrinterUrl::File(path.clone()), &Timeouts::default()).unwrap();
        let mut first = None;
        link.send(b"abc", Instant::now() + Duration::from_secs(1), &mut first)
            .unwrap();
        assert!(first.is_some());
        assert_eq!(link.read_byte(Duration::from_millis(50)).unwrap(), None);
        assert_eq!(std::fs::read(&path).unwrap(), b"abc");
    }
}
