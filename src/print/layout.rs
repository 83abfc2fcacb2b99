//! A document laid out as blocks (lines of text, the QR code, rules), in
//! the document's language, and drawn as one image per line of paper.

use super::document::{AcceptedBy, Document, Receipt, TicketSlip};
use super::raster::{self, Align, Bitmap, Style};
use crate::domain::sanitize_line;
use crate::tr;

/// Paper widths of receipt printers, in dots at 203 dpi.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperWidth {
    Mm58,
    Mm80,
}

impl PaperWidth {
    pub fn dots(self) -> u32 {
        match self {
            PaperWidth::Mm58 => 384,
            PaperWidth::Mm80 => 576,
        }
    }

    pub fn from_mm(mm: u32) -> Option<PaperWidth> {
        match mm {
            58 => Some(PaperWidth::Mm58),
            80 => Some(PaperWidth::Mm80),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Small,
    Normal,
    Large,
    /// As large as fits on one line, up to a third of the 58 mm paper.
    Huge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The configured logo, where there is one.
    Logo,
    Text {
        text: String,
        size: Size,
        bold: bool,
        align: Align,
    },
    Qr(String),
    Rule,
    Gap(u32),
}

fn centred(text: String, size: Size, bold: bool) -> Block {
    Block::Text {
        text,
        size,
        bold,
        align: Align::Centre,
    }
}

fn left(text: String, size: Size) -> Block {
    Block::Text {
        text,
        size,
        bold: false,
        align: Align::Left,
    }
}

/// The blocks of a document, top to bottom. Text that came from people or
/// the config is sanitised again here: the paper is a terminal too.
pub fn blocks(doc: &Document) -> Vec<Block> {
    match doc {
        Document::Ticket(t) => ticket(t),
        Document::Receipt(r) => receipt(r),
    }
}

fn ticket(t: &TicketSlip) -> Vec<Block> {
    let l = t.lang;
    let mut b = vec![
        Block::Logo,
        centred(sanitize_line(&t.point_name), Size::Normal, true),
        Block::Rule,
        centred(tr!(l, "print-ticket-title"), Size::Normal, false),
        centred(t.number.to_string(), Size::Huge, true),
        centred(sanitize_line(&t.topic), Size::Normal, false),
        centred(
            t.taken_at.format("%d.%m.%Y %H:%M").to_string(),
            Size::Small,
            false,
        ),
        Block::Gap(8),
    ];
    if t.ahead == 0 {
        b.push(centred(tr!(l, "kiosk-ticket-first"), Size::Normal, false));
    } else {
        b.push(centred(
            tr!(l, "kiosk-ticket-ahead", count = i64::from(t.ahead)),
            Size::Normal,
            false,
        ));
        b.push(centred(
            tr!(l, "kiosk-ticket-wait", minutes = i64::from(t.wait_minutes)),
            Size::Normal,
            false,
        ));
    }
    b.push(Block::Rule);
    b.push(centred(
        tr!(l, "kiosk-ticket-watch-board"),
        Size::Small,
        false,
    ));
    b
}

fn receipt(r: &Receipt) -> Vec<Block> {
    let l = r.lang;
    let number = r.number.to_string();
    let who = match &r.accepted_by {
        AcceptedBy::Kiosk => tr!(l, "print-accepted-kiosk"),
        AcceptedBy::Staff(name) => sanitize_line(name),
    };
    let look_up = if r.state_only {
        tr!(l, "print-receipt-lookup-state-only")
    } else {
        tr!(l, "print-receipt-lookup")
    };
    vec![
        Block::Logo,
        centred(sanitize_line(&r.point_name), Size::Normal, true),
        Block::Rule,
        centred(tr!(l, "print-receipt-title"), Size::Normal, true),
        centred(number.clone(), Size::Large, true),
        Block::Gap(8),
        left(
            tr!(
                l,
                "print-receipt-received",
                when = r.received_at.format("%d.%m.%Y %H:%M").to_string()
            ),
            Size::Normal,
        ),
        left(
            tr!(l, "print-receipt-topic", topic = sanitize_line(&r.topic)),
            Size::Normal,
        ),
        left(tr!(l, "print-receipt-accepted-by", who = who), Size::Normal),
        left(
            tr!(
                l,
                "print-receipt-due",
                date = r.answer_due.format("%d.%m.%Y").to_string()
            ),
            Size::Normal,
        ),
        Block::Rule,
        left(look_up, Size::Small),
        Block::Qr(number.clone()),
        centred(number, Size::Small, false),
    ]
}

fn style(size: Size, bold: bool, align: Align) -> Style {
    let px = match size {
        Size::Small => 20.0,
        Size::Normal => 24.0,
        Size::Large => 34.0,
        Size::Huge => 128.0,
    };
    Style { px, bold, align }
}

/// Every line of paper as its own image, `width` dots wide.
pub fn render(blocks: &[Block], width: u32, logo: Option<&Bitmap>) -> Vec<Bitmap> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Logo => {
                if let Some(l) = logo {
                    out.push(l.clone());
                    out.push(raster::gap(width, 8));
                }
            }
            Block::Text {
                text,
                size,
                bold,
                align,
            } => {
                let mut st = style(*size, *bold, *align);
                if *size == Size::Huge {
                    st.px = raster::fitting_px(text, *bold, width * 9 / 10, st.px);
                }
                for line in raster::wrap(text, st.px, st.bold, width - 2 * raster::MARGIN) {
                    out.push(raster::text_line(&line, st, width));
                }
            }
            Block::Qr(data) => match raster::qr(data, width, 6) {
                Ok(q) => out.push(q),
                // a number too long for a QR code cannot happen with our
                // numbers; the number is printed in words below it anyway
                Err(e) => tracing::warn!(error = %e, "no QR code"),
            },
            Block::Rule => out.push(raster::rule(width)),
            Block::Gap(h) => out.push(raster::gap(width, *h)),
        }
    }
    out
}
