//! PDF documents (the receipt, the return label) with `pdf-writer` and the PDF base fonts
//! Helvetica and Helvetica-Bold, so nothing needs embedding and files stay a few kilobytes.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4 portrait, in points.
pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 56.0;
const BOTTOM: f32 = 64.0;
pub const REGULAR: Name<'static> = Name(b"F1");
pub const BOLD: Name<'static> = Name(b"F2");

/// A character as a byte of WinAnsiEncoding (the encoding the base fonts come with);
/// what it cannot show becomes `?`.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        _ => b'?',
    }
}

pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

/// Helvetica's glyph widths (thousandths of the font size) for a–z and A–Z, from
/// Adobe's published AFM metrics; regular and bold.
const LOWER: [[u16; 26]; 2] = [
    [
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333,
        500, 278, 556, 500, 722, 500, 500, 500,
    ],
    [
        556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389,
        556, 333, 611, 556, 778, 556, 556, 500,
    ],
];
const UPPER: [[u16; 26]; 2] = [
    [
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722,
        667, 611, 722, 667, 944, 667, 667, 611,
    ],
    [
        722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722,
        667, 611, 722, 667, 944, 667, 667, 611,
    ],
];

/// Width of `text` in Helvetica at `size` points (to right-align amounts and labels).
/// Letters and the characters of amounts are exact; anything else counts as a digit.
pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    let style = usize::from(bold);
    let units: u32 = text
        .chars()
        .map(|c| {
            u32::from(match c {
                'a'..='z' => LOWER[style][c as usize - 'a' as usize],
                'A'..='Z' => UPPER[style][c as usize - 'A' as usize],
                '.' | ',' | ' ' | '\u{a0}' => 278,
                ':' if bold => 333,
                ':' => 278,
                '-' => 333,
                '%' => 889,
                _ => 556,
            })
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Cuts `text` into lines of at most `max` characters at spaces.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Lays text out top to bottom, starting new pages as needed.
pub struct Writer {
    pub pages: Vec<Content>,
    pub y: f32,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            pages: vec![Content::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    pub fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Moves down by `height`, on a new page when this one is full.
    pub fn advance(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages.push(Content::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
        self.y -= height;
    }

    pub fn text_at(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        let y = self.y;
        let bytes = encode(text);
        self.page()
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    pub fn right_at(&mut self, right: f32, text: &str, size: f32, bold: bool) {
        self.text_at(right - width(text, size, bold), text, size, bold);
    }

    pub fn line(&mut self, text: &str, size: f32, bold: bool) {
        self.advance(size * 1.45);
        self.text_at(MARGIN, text, size, bold);
    }

    pub fn rule(&mut self) {
        self.advance(6.0);
        let y = self.y;
        self.page()
            .set_line_width(0.6)
            .set_stroke_rgb(0.6, 0.63, 0.67)
            .move_to(MARGIN, y)
            .line_to(PAGE_WIDTH - MARGIN, y)
            .stroke();
        self.advance(4.0);
    }
}

impl Writer {
    /// The finished document: Helvetica and Helvetica-Bold, one page per content stream.
    pub fn into_pdf(self, title: &str) -> Vec<u8> {
        let w = self;
        // Objects: 1 catalog, 2 page tree, 3–4 fonts, 5 info, then page + content per page.
        let (catalog, tree, regular, bold, info) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        let ids: Vec<(Ref, Ref)> = (0..w.pages.len() as i32)
            .map(|i| (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i)))
            .collect();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(ids.iter().map(|(page, _)| *page))
            .count(ids.len() as i32);
        for (font, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
            pdf.type1_font(font)
                .base_font(Name(name))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Mijn Portaal"));
        for ((page_id, content_id), content) in ids.iter().zip(w.pages) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
            page.parent(tree);
            page.contents(*content_id);
            page.resources()
                .fonts()
                .pair(REGULAR, regular)
                .pair(BOLD, bold);
            page.finish();
            pdf.stream(*content_id, &content.finish());
        }
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_encoded_for_the_base_fonts() {
        assert_eq!(
            encode("€ 12,50 – café"),
            b"\x80 12,50 \x96 caf\xe9".to_vec()
        );
        assert_eq!(encode("Åsa 160×200"), b"\xc5sa 160\xd7200".to_vec());
        assert_eq!(encode("名前"), b"??".to_vec());
    }

    #[test]
    fn names_wrap_at_spaces() {
        assert_eq!(
            wrap("Hotel dekbedovertrek wit 200×220 (professioneel)", 26),
            vec!["Hotel dekbedovertrek wit", "200×220 (professioneel)"]
        );
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn amounts_line_up_on_the_right() {
        // Digits all have the same width in Helvetica, so equal lengths align exactly.
        assert_eq!(width("€ 12,50", 10.0, false), width("€ 99,99", 10.0, false));
        assert!(width("€ 1.299,00", 10.0, false) > width("€ 99,00", 10.0, false));
    }
}
