//! The return label as a PDF: the return code as a Code 128 barcode the drop-off point
//! scans, the address it goes to, and what is in the parcel.
use super::Return;
use crate::i18n::*;
use crate::pdf::{PAGE_WIDTH, Writer};

/// One bar module of the barcode, in points.
const MODULE: f32 = 1.6;
const BAR_HEIGHT: f32 = 70.0;

pub fn render(ret: &Return, retailer: &str, return_address: &[String], locale: Locale) -> Vec<u8> {
    let title = td_string!(locale, returns.label_title, code = ret.code.as_str()).to_string();
    let mut w = Writer::new();
    w.line(retailer, 12.0, true);
    w.advance(4.0);
    w.line(&title, 20.0, true);
    w.line(td_string!(locale, returns.label_instructions), 10.0, false);
    w.advance(12.0);

    // The barcode, drawn bar by bar from the encoder's modules (1 = bar).
    if let Ok(bars) = crate::codes::code128_bars(&ret.code) {
        w.advance(BAR_HEIGHT);
        let y = w.y;
        let total = bars.len() as f32 * MODULE;
        let x0 = (PAGE_WIDTH - total) / 2.0;
        let page = w.page();
        page.set_fill_rgb(0.0, 0.0, 0.0);
        for (i, bar) in bars.iter().enumerate() {
            if *bar == 1 {
                page.rect(x0 + i as f32 * MODULE, y, MODULE, BAR_HEIGHT);
            }
        }
        page.fill_nonzero();
        w.advance(4.0);
        let code_width = crate::pdf::width(&ret.code, 14.0, true);
        w.advance(16.0);
        w.text_at((PAGE_WIDTH - code_width) / 2.0, &ret.code, 14.0, true);
    }

    w.advance(18.0);
    w.line(td_string!(locale, returns.label_to), 10.0, true);
    w.line(retailer, 14.0, true);
    for line in return_address {
        w.line(line, 14.0, false);
    }
    w.rule();
    w.line(
        &td_string!(locale, returns.label_order, number = ret.order.as_str()).to_string(),
        10.0,
        false,
    );
    for l in &ret.lines {
        w.line(
            &format!("{} × {} ({})", l.quantity, l.name, l.sku),
            10.0,
            false,
        );
    }
    w.into_pdf(&title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::returns::{Resolution, ReturnLine, ReturnMethod, ReturnStatus};

    #[test]
    fn a_label_is_a_pdf_with_the_code_and_address() {
        let ret = Return {
            code: "RK7M2P9QX".into(),
            order: "WS-240310".into(),
            customer: None,
            status: ReturnStatus::Registered,
            method: ReturnMethod::Carrier,
            resolution: Resolution::Refund,
            drop_off_store: None,
            pickup_date: None,
            pickup_slot: None,
            currency: "EUR".into(),
            refund: 1000,
            cost: 495,
            refund_to: None,
            started_in: "online".into(),
            handed_in_place: None,
            lines: vec![ReturnLine {
                line: 1,
                sku: "DEK-ZOMER-200220".into(),
                name: "Zomerdekbed".into(),
                quantity: 1,
                reason: "damaged".into(),
                note: None,
                exchange_for: None,
                exchange_name: None,
                photos: Vec::new(),
                outcome: None,
                outcome_reason: None,
            }],
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        };
        let pdf = render(
            &ret,
            "Slaapwereld",
            &["Retourcentrum".into(), "3500 AA Utrecht".into()],
            Locale::nl,
        );
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("RK7M2P9QX"));
        assert!(text.contains("3500 AA Utrecht"));
        assert!(text.contains(" re"), "the bars are drawn as rectangles");
    }
}
