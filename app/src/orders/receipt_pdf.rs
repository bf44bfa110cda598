//! The receipt / invoice of an order as a PDF (A4), in the customer's language: the same
//! content as the printable page (see `crate::pdf`).
use super::{Order, vat_included};
use crate::customers::PostalAddress;
use crate::i18n::*;
use crate::pdf::{MARGIN, PAGE_WIDTH, Writer, wrap};
use crate::ui::format::{date_time, money};

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

/// The receipt of `order` (placed at `placed_local`, see `time::local_time`) as PDF bytes.
pub fn render(order: &Order, placed_local: &str, retailer: &str, locale: Locale) -> Vec<u8> {
    let m = |amount: i64| money(amount, &order.currency, locale);
    let title =
        td_string!(locale, orders.receipt_title, number = order.number.as_str()).to_string();
    let mut w = Writer::new();

    w.line(retailer, 12.0, true);
    w.advance(6.0);
    w.line(&title, 18.0, true);
    w.line(&date_time(placed_local, locale), 10.0, false);
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

    w.into_pdf(&title)
}
