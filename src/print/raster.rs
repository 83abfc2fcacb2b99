//! Text, QR codes and the logo as 1-bit images of the paper's width.
//! Printers' code pages (866, 1251) have no Kazakh letters, so nothing is
//! sent as characters: every line is drawn here from the bundled DejaVu
//! Sans, which has Ә Ғ Қ Ң Ө Ұ Ү Һ І, and sent as a raster image.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use std::sync::OnceLock;

/// A 1-bit image: `true` is a black dot. Rows of `width` dots.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    dots: Vec<bool>,
}

impl std::fmt::Debug for Bitmap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitmap {}×{}", self.width, self.height)
    }
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Bitmap {
        Bitmap {
            width,
            height,
            dots: vec![false; (width as usize) * (height as usize)],
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.dots[(y * self.width + x) as usize]
    }

    /// Dots outside the image are ignored, so glyphs may overhang.
    pub fn set(&mut self, x: i64, y: i64) {
        if x >= 0 && y >= 0 && (x as u32) < self.width && (y as u32) < self.height {
            self.dots[(y as u32 * self.width + x as u32) as usize] = true;
        }
    }

    pub fn black_dots(&self) -> usize {
        self.dots.iter().filter(|d| **d).count()
    }

    /// Images one under the other, on a page `width` wide.
    pub fn stack(width: u32, parts: &[Bitmap]) -> Bitmap {
        let height = parts.iter().map(|p| p.height).sum();
        let mut out = Bitmap::new(width, height);
        let mut y0 = 0;
        for p in parts {
            for y in 0..p.height {
                for x in 0..p.width.min(width) {
                    if p.get(x, y) {
                        out.set(i64::from(x), i64::from(y0 + y));
                    }
                }
            }
            y0 += p.height;
        }
        out
    }

    /// The image as text, one row a line, `#` for black: the golden form of
    /// the print tests, readable in a diff.
    pub fn to_text(&self) -> String {
        let mut s = String::with_capacity(((self.width + 1) * self.height) as usize);
        for y in 0..self.height {
            for x in 0..self.width {
                s.push(if self.get(x, y) { '#' } else { '.' });
            }
            s.push('\n');
        }
        s
    }
}

/// The fonts of every printout, compiled into the binary (licence in
/// `assets/fonts/LICENSE-DejaVu.txt`).
struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: FontRef::try_from_slice(REGULAR).expect("the bundled font is valid"),
        bold: FontRef::try_from_slice(BOLD).expect("the bundled font is valid"),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
}

/// The style of one piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Glyph height in dots (at 203 dpi, 24 dots is 3 mm).
    pub px: f32,
    pub bold: bool,
    pub align: Align,
}

fn font(bold: bool) -> &'static FontRef<'static> {
    let f = fonts();
    if bold { &f.bold } else { &f.regular }
}

/// The width in dots of `text` in one line.
pub fn text_width(text: &str, px: f32, bold: bool) -> f32 {
    let scaled = font(bold).as_scaled(PxScale::from(px));
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            w += scaled.kern(p, id);
        }
        w += scaled.h_advance(id);
        prev = Some(id);
    }
    w
}

/// Breaks `text` into lines no wider than `width` dots: at spaces where it
/// can, inside a word only when the word alone is too wide. Line breaks in
/// the text are kept.
pub fn wrap(text: &str, px: f32, bold: bool, width: u32) -> Vec<String> {
    let width = width as f32;
    let fits = |s: &str| text_width(s, px, bold) <= width;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // a word wider than the paper is cut where it must be
            for c in word.chars() {
                let mut longer = line.clone();
                longer.push(c);
                if !fits(&longer) && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        lines.push(line);
    }
    lines
}

/// Dots kept free at each side of the paper: printers do not print to
/// the very edge.
pub const MARGIN: u32 = 8;

/// One line of text as an image `width` dots wide and one line high.
pub fn text_line(text: &str, style: Style, width: u32) -> Bitmap {
    let f = font(style.bold);
    let scaled = f.as_scaled(PxScale::from(style.px));
    let height = (scaled.ascent() - scaled.descent() + scaled.line_gap()).ceil() as u32;
    let mut out = Bitmap::new(width, height.max(1));
    let line_w = text_width(text, style.px, style.bold);
    let mut x = match style.align {
        Align::Left => MARGIN as f32,
        Align::Centre => ((width as f32 - line_w) / 2.0).max(0.0),
    };
    let baseline = scaled.ascent();
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            x += scaled.kern(p, id);
        }
        let glyph = id.with_scale_and_position(style.px, ab_glyph::point(x, baseline));
        x += scaled.h_advance(id);
        prev = Some(id);
        if let Some(outline) = f.outline_glyph(glyph) {
            let b = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                // half covered or more is a dot: thermal paper has no grey
                if coverage >= 0.5 {
                    out.set(
                        b.min.x as i64 + i64::from(gx),
                        b.min.y as i64 + i64::from(gy),
                    );
                }
            });
        }
    }
    out
}

/// The largest glyph height, up to `max_px`, at which `text` fits on one
/// line of `width` dots.
pub fn fitting_px(text: &str, bold: bool, width: u32, max_px: f32) -> f32 {
    let w = text_width(text, max_px, bold);
    if w <= width as f32 {
        max_px
    } else {
        (max_px * width as f32 / w).floor().max(8.0)
    }
}

/// A QR code of `data`, each module `module` dots square, with the quiet
/// zone the standard asks for (four modules), centred on the page.
pub fn qr(data: &str, width: u32, module: u32) -> Result<Bitmap, qrcode::types::QrError> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)?;
    let n = code.width() as u32;
    let colors = code.to_colors();
    // at least one dot a module; fewer than 4 dots is hard for phone cameras
    let module = module.min(width / (n + 8)).max(1);
    let side = (n + 8) * module;
    let mut out = Bitmap::new(width, side);
    let x0 = width.saturating_sub(side) / 2 + 4 * module;
    let y0 = 4 * module;
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i as u32 % n, i as u32 / n);
            for dy in 0..module {
                for dx in 0..module {
                    out.set(
                        i64::from(x0 + mx * module + dx),
                        i64::from(y0 + my * module + dy),
                    );
                }
            }
        }
    }
    Ok(out)
}

/// A blank strip `height` dots high.
pub fn gap(width: u32, height: u32) -> Bitmap {
    Bitmap::new(width, height)
}

/// A horizontal line across the page.
pub fn rule(width: u32) -> Bitmap {
    let mut b = Bitmap::new(width, 9);
    for y in 4..6 {
        for x in 8..width.saturating_sub(8) {
            b.set(i64::from(x), i64::from(y));
        }
    }
    b
}

#[derive(Debug, thiserror::Error)]
pub enum LogoError {
    #[error("cannot read the logo {path}: {message}")]
    Read { path: String, message: String },
}

/// A PNG logo as a 1-bit image no wider than `width` (scaled down, never
/// up), centred: dark and opaque pixels print.
pub fn logo_from_png(path: &std::path::Path, width: u32) -> Result<Bitmap, LogoError> {
    let err = |message: String| LogoError::Read {
        path: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| err(e.to_string()))?;
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .ok_or_else(|| err("too large".into()))?
    ];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| err(e.to_string()))?;
    let (w, h) = (info.width, info.height);
    if w == 0 || h == 0 || w > 10_000 || h > 10_000 {
        return Err(err(format!("{w}×{h} is not a logo size")));
    }
    let channels = info.color_type.samples();
    let dark = |x: u32, y: u32| -> bool {
        let i = ((y * w + x) as usize) * channels;
        let px = &buf[i..i + channels];
        let (lum, alpha) = match channels {
            1 => (u32::from(px[0]), 255),
            2 => (u32::from(px[0]), u32::from(px[1])),
            3 => (
                (u32::from(px[0]) * 3 + u32::from(px[1]) * 6 + u32::from(px[2])) / 10,
                255,
            ),
            _ => (
                (u32::from(px[0]) * 3 + u32::from(px[1]) * 6 + u32::from(px[2])) / 10,
                u32::from(px[3]),
            ),
        };
        // on white paper: a transparent pixel is white
        let on_paper = (lum * alpha + 255 * (255 - alpha)) / 255;
        on_paper < 128
    };
    let scale = (width as f64 / w as f64).min(1.0);
    let (ow, oh) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    let mut out = Bitmap::new(width, oh);
    let x0 = (width - ow) / 2;
    for y in 0..oh {
        for x in 0..ow {
            let (sx, sy) = (
                ((x as f64 / scale) as u32).min(w - 1),
                ((y as f64 / scale) as u32).min(h - 1),
            );
            if dark(sx, sy) {
                out.set(i64::from(x0 + x), i64::from(y));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kazakh_letter_has_a_glyph() {
        let f = font(false);
        for c in "ӘҒҚҢӨҰҮҺІәғқңөұүһі".chars() {
            assert_ne!(f.glyph_id(c).0, 0, "{c} has no glyph");
            assert_ne!(font(true).glyph_id(c).0, 0, "{c} has no bold glyph");
            let line = text_line(
                &c.to_string(),
                Style {
                    px: 24.0,
                    bold: false,
                    align: Align::Left,
                },
                64,
            );
            assert!(line.black_dots() > 10, "{c} draws nothing");
        }
        // a letter the font lacks (a control point) draws no box of dots
        assert_eq!(f.glyph_id('\u{e000}').0, 0);
    }

    #[test]
    fn wrapping_keeps_every_word_inside_the_paper() {
        let text = "Сіздің өтінішіңіз тіркелді, нөмірі жазылған талонды сақтаңыз";
        let lines = wrap(text, 24.0, false, 200);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 24.0, false) <= 200.0, "{l:?}");
        }
        assert_eq!(lines.join(" "), text);
        // one word wider than the paper is cut, not lost
        let long = "Ә".repeat(40);
        assert_eq!(wrap(&long, 24.0, true, 100).concat(), long);
    }

    #[test]
    fn qr_code_fits_the_page() {
        let q = qr("akm-01/2026-00042", 384, 6).unwrap();
        assert_eq!(q.width(), 384);
        assert!(q.height() <= 384);
        assert!(q.black_dots() > 1000);
    }
}
