//! An invoice sent as lines, as a PDF (A4) in the member's language, made the way the
//! receipt is (see `crate::pdf`).
use super::{Invoice, InvoiceStatus};
use crate::i18n::*;
use crate::orders::vat_included;
use crate::pdf::{MARGIN, PAGE_WIDTH, Writer, wrap};
use crate::ui::format::{date, money};

/// The invoice of `company` (its name) as PDF bytes.
pub fn render(invoice: &Invoice, company: &str, retailer: &str, locale: Locale) -> Vec<u8> {
    let m = |amount: i64| money(amount, &invoice.currency, locale);
    let title = td_string!(
        locale,
        company_orders.invoice_title,
        number = invoice.number.as_str()
    )
    .to_string();
    let mut w = Writer::new();
    w.line(retailer, 12.0, true);
    w.advance(6.0);
    w.line(&title, 18.0, true);
    w.line(company, 11.0, false);
    w.advance(4.0);
    let dated = td_string!(
        locale,
        company_orders.invoice_dates,
        date = date(&invoice.date, locale),
        due = date(&invoice.due_date, locale)
    )
    .to_string();
    w.line(&dated, 10.0, false);
    if let Some(order) = &invoice.order {
        let about =
            td_string!(locale, company_orders.invoice_order, order = order.as_str()).to_string();
        w.line(&about, 10.0, false);
    }
    if invoice.status == InvoiceStatus::Paid {
        w.line(td_string!(locale, company_orders.paid), 10.0, true);
    }

    let right = PAGE_WIDTH - MARGIN;
    let (qty_right, price_right) = (right - 170.0, right - 85.0);
    w.advance(14.0);
    w.line(td_string!(locale, orders.product), 9.5, true);
    w.right_at(qty_right, td_string!(locale, orders.quantity), 9.5, true);
    w.right_at(price_right, td_string!(locale, orders.price), 9.5, true);
    w.right_at(right, td_string!(locale, orders.line_total), 9.5, true);
    w.rule();
    for l in &invoice.lines {
        for (i, part) in wrap(&l.description, 48).iter().enumerate() {
            w.line(part, 10.0, false);
            if i == 0 {
                w.right_at(qty_right, &l.quantity.to_string(), 10.0, false);
                w.right_at(price_right, &m(l.unit_price), 10.0, false);
                w.right_at(right, &m(l.amount), 10.0, false);
            }
        }
        w.advance(3.0);
    }
    w.rule();
    w.advance(14.0);
    w.right_at(price_right, td_string!(locale, orders.total), 10.0, true);
    w.right_at(right, &m(invoice.amount), 10.0, true);
    w.advance(14.0);
    w.right_at(
        price_right,
        td_string!(locale, orders.vat_included),
        10.0,
        false,
    );
    w.right_at(right, &m(vat_included(invoice.amount)), 10.0, false);
    w.into_pdf(&title)
}
