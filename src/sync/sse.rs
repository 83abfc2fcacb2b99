//! A small parser of server-sent events (`text/event-stream`), fed with
//! the bytes of a response body as they arrive. Only what the board's
//! stream uses: `event:` and `data:` fields, comments (keep-alives), blank
//! lines ending an event. The buffer is bounded: a server that never ends
//! a line cannot make the board eat memory.
//!
//! Why not `eventsource-stream`: its line buffer and an event's data grow
//! without a bound (it appends every chunk and looks for a line end), which
//! is the one thing a board facing a broken proxy must not do; and it
//! brings `nom` for the four field names used here.

/// One event: its name (`message` when the server named none) and data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the server sent an event larger than {0} bytes")]
pub struct TooLarge(pub usize);

#[derive(Debug)]
pub struct Parser {
    line: Vec<u8>,
    event: String,
    data: String,
    has_data: bool,
    limit: usize,
}

impl Parser {
    /// `limit`: the most bytes one event (all its lines) may take.
    pub fn new(limit: usize) -> Parser {
        Parser {
            line: Vec::new(),
            event: String::new(),
            data: String::new(),
            has_data: false,
            limit,
        }
    }

    /// Takes the next bytes; returns the events they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>, TooLarge> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\n' {
                if self.line.last() == Some(&b'\r') {
                    self.line.pop();
                }
                let line = std::mem::take(&mut self.line);
                if let Some(e) = self.field(&line) {
                    out.push(e);
                }
            } else {
                self.line.push(b);
                if self.line.len() + self.data.len() > self.limit {
                    return Err(TooLarge(self.limit));
                }
            }
        }
        Ok(out)
    }

    fn field(&mut self, line: &[u8]) -> Option<SseEvent> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            let data = std::mem::take(&mut self.data);
            if !std::mem::take(&mut self.has_data) {
                return None;
            }
            return Some(SseEvent {
                event: if event.is_empty() {
                    "message".into()
                } else {
                    event
                },
                data,
            });
        }
        if line[0] == b':' {
            return None; // a comment: the keep-alive
        }
        let text = String::from_utf8_lossy(line);
        let (name, value) = match text.split_once(':') {
            Some((n, v)) => (n, v.strip_prefix(' ').unwrap_or(v)),
            None => (text.as_ref(), ""),
        };
        match name {
            "event" => self.event = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            _ => {} // id, retry: not used
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let text = b": keep-alive\n\nevent: points\ndata: [1,\ndata: 2]\n\nevent: point\r\ndata: {\"id\":\"p1\"}\r\n\r\n";
        for cut in 0..text.len() {
            let mut p = Parser::new(1024);
            let mut got = p.push(&text[..cut]).unwrap();
            got.extend(p.push(&text[cut..]).unwrap());
            assert_eq!(
                got,
                vec![
                    SseEvent {
                        event: "points".into(),
                        data: "[1,\n2]".into()
                    },
                    SseEvent {
                        event: "point".into(),
                        data: "{\"id\":\"p1\"}".into()
                    },
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn an_endless_line_is_refused() {
        let mut p = Parser::new(100);
        assert!(p.push(&[b'x'; 60]).is_ok());
        assert_eq!(p.push(&[b'x'; 60]), Err(TooLarge(100)));
    }

    #[test]
    fn an_event_without_data_is_nothing() {
        let mut p = Parser::new(100);
        assert!(p.push(b"event: points\n\n").unwrap().is_empty());
        let got = p.push(b"data: x\n\n").unwrap();
        assert_eq!(got[0].event, "message");
    }
}
