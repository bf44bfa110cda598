//! The receipt / invoice of an order as a PDF (A4), in the customer's language: the same
//! content as the printable page. Written with `pdf-writer` using the PDF base font
//! Helvetica, so nothing needs embedding and the file stays a few kilobytes.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::CustomerOrder;
use super::pages::vat_included;
use crate::customers::PostalAddress;
use crate::i18n::*;
use crate::ui::format::{date_time, money};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BOTTOM: f32 = 64.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

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

fn encode(text: &str) -> Vec<u8> {
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
fn width(text: &str, size: f32, bold: bool) -> f32 {
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
fn wrap(text: &str, max: usize) -> Vec<String> {
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
struct Writer {
    pages: Vec<Content>,
    y: f32,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            pages: vec![Content::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Moves down by `height`, on a new page when this one is full.
    fn advance(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages.push(Content::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
        self.y -= height;
    }

    fn text_at(&mut self, x: f32, text: &str, size: f32, bold: bool) {
        let y = self.y;
        let bytes = encode(text);
        self.page()
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    fn right_at(&mut self, right: f32, text: &str, size: f32, bold: bool) {
        self.text_at(right - width(text, size, bold), text, size, bold);
    }

    fn line(&mut self, text: &str, size: f32, bold: bool) {
        self.advance(size * 1.45);
        self.text_at(MARGIN, text, size, bold);
    }

    fn rule(&mut self) {
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

fn address_lines(a: &PostalAddress) -> Vec<String> {
    let addition = a
        .addition
        .as_deref()
        .map(|x| format!(" {x}"))
        .unwrap_or_default();
    let mut lines = vec![
        a.name.clone(),
        format!("{} {}{addition}", a.street, a.house_number),
        format!("{} {}", a.postcode, a.city),
    ];
    if a.country != "NL" {
        lines.push(a.country.clone());
    }
    lines
}

/// The receipt of `found` as PDF bytes.
pub fn render(found: &CustomerOrder, retailer: &str, locale: Locale) -> Vec<u8> {
    let order = &found.order;
    let m = |amount: i64| money(amount, &order.currency, locale);
    let title =
        td_string!(locale, orders.receipt_title, number = order.number.as_str()).to_string();
    let mut w = Writer::new();

    w.line(retailer, 12.0, true);
    w.advance(6.0);
    w.line(&title, 18.0, true);
    w.line(&date_time(&found.placed_local, locale), 10.0, false);
    if let Some(receipt) = &order.receipt {
        let code = td_string!(locale, orders.receipt, code = receipt.code.as_str()).to_string();
        w.line(&code, 10.0, false);
    }
    if let Some(address) = order
        .billing_address
        .as_ref()
        .or(order.delivery_address.as_ref())
    {
        w.advance(8.0);
        for line in address_lines(address) {
            w.line(&line, 10.0, false);
        }
    }

    // Columns: product (wraps), quantity, price, amount (right-aligned).
    let right = PAGE_WIDTH - MARGIN;
    let (qty_right, price_right) = (right - 170.0, right - 85.0);
    w.advance(14.0);
    w.line(td_string!(locale, orders.product), 9.5, true);
    w.right_at(qty_right, td_string!(locale, orders.quantity), 9.5, true);
    w.right_at(price_right, td_string!(locale, orders.price), 9.5, true);
    w.right_at(right, td_string!(locale, orders.line_total), 9.5, true);
    w.rule();
    for l in &order.lines {
        let name = wrap(&l.name, 48);
        for (i, part) in name.iter().enumerate() {
            w.line(part, 10.0, false);
            if i == 0 {
                w.right_at(qty_right, &l.quantity.to_string(), 10.0, false);
                w.right_at(price_right, &m(l.unit_price), 10.0, false);
                w.right_at(right, &m(l.total), 10.0, false);
            }
        }
        if l.cancelled > 0 {
            let note = td_string!(locale, cancel.line_cancelled, count = l.cancelled).to_string();
            w.line(&note, 8.5, false);
        }
        w.line(&l.sku, 8.0, false);
        w.advance(3.0);
    }
    w.rule();
    let sum = |w: &mut Writer, label: &str, amount: String, bold: bool| {
        w.advance(14.0);
        w.right_at(price_right, label, 10.0, bold);
        w.right_at(right, &amount, 10.0, bold);
    };
    if order.discount > 0 {
        sum(
            &mut w,
            td_string!(locale, orders.discount),
            format!("-{}", m(order.discount)),
            false,
        );
    }
    if order.shipping > 0 {
        sum(
            &mut w,
            td_string!(locale, orders.shipping),
            m(order.shipping),
            false,
        );
    }
    sum(
        &mut w,
        td_string!(locale, orders.total),
        m(order.total),
        true,
    );
    sum(
        &mut w,
        td_string!(locale, orders.vat_included),
        m(vat_included(order.total)),
        false,
    );
    w.advance(10.0);
    for p in &order.payments {
        let paid = td_string!(
            locale,
            orders.paid_with,
            amount = money(p.amount, &p.currency, locale),
            method = p.method.as_str()
        )
        .to_string();
        w.line(&paid, 10.0, false);
    }

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
        .title(TextStr(&title))
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
