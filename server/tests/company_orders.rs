//! The company's orders and invoices: every member sees all of their company's orders
//! (filtered by buyer, location, period) and invoices, its admin the totals per month; a
//! member of another company sees none of it. Invoices come from the back office with a
//! PDF or lines. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::company_orders::invoices::{InvoiceInput, find, pdf_for_member, upsert_invoice};
use app::company_orders::service::page;
use app::company_orders::{CompanyOrdersQuery, InvoiceStatus};
use app::error::AppError;
use app::i18n::Locale;
use base64::Engine;
use common::TestDb;

const HOTEL: &str = "HOTEL-ZS";

fn query(buyer: &str, location: &str, period: &str) -> CompanyOrdersQuery {
    CompanyOrdersQuery {
        company: HOTEL.into(),
        buyer: buyer.into(),
        location: location.into(),
        period: period.into(),
    }
}

async fn anna_of_her_own_company(t: &TestDb) -> Option<i64> {
    let input: app::companies::service::CompanyInput = serde_json::from_value(serde_json::json!({
        "name": "Pension Anna",
        "members": [{"customer": "C-1001", "role": "admin"}]
    }))
    .expect("input");
    app::companies::service::upsert_company(&t.db, "PENSION-A", input)
        .await
        .expect("company");
    Some(common::customer_id(&t.db, "C-1001").await)
}

fn invoice(body: serde_json::Value) -> InvoiceInput {
    serde_json::from_value(body).expect("invoice input")
}

#[tokio::test]
async fn members_see_all_company_orders_filtered_and_the_admin_the_months() {
    let t = common::demo().await;
    let db = &t.db;
    let marieke = Some(common::customer_id(db, "C-2001").await);
    let joris_id = common::customer_id(db, "C-2002").await;
    let joris = Some(joris_id);

    let all = page(db, marieke, &query("", "", "")).await.expect("admin");
    let numbers: Vec<&str> = all.orders.iter().map(|o| o.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "B2B-ZS-1007",
            "B2B-ZS-1006",
            "B2B-ZS-1005",
            "B2B-ZS-1004",
            "B2B-ZS-1003",
            "B2B-ZS-1002",
            "B2B-ZS-1001"
        ],
        "every buyer's, newest first"
    );
    assert_eq!(all.matching, 7);
    assert!(all.admin);
    let counted: i64 = all.months.iter().map(|m| m.orders).sum();
    let summed: i64 = all.months.iter().map(|m| m.total).sum();
    assert_eq!(counted, 7);
    assert_eq!(summed, all.orders.iter().map(|o| o.total).sum::<i64>());

    let as_buyer = page(db, joris, &query("", "", "")).await.expect("buyer");
    assert_eq!(as_buyer.matching, 7, "a buyer sees colleagues' orders too");
    assert!(as_buyer.months.is_empty(), "totals are the admin's");

    let jorises = page(db, joris, &query(&joris_id.to_string(), "", ""))
        .await
        .expect("by buyer");
    assert!(jorises.matching >= 1);
    assert!(
        jorises
            .orders
            .iter()
            .all(|o| o.buyer.as_deref() == Some("Joris Visser")),
        "only Joris's"
    );
    let recent = page(db, marieke, &query("", "", "30d")).await.expect("30d");
    assert!(recent.matching < all.matching && recent.matching >= 1);

    // A location with the hotel's address: the orders sent there.
    let hotel = app::customers::PostalAddress {
        name: "Hotel".into(),
        street: "Boulevard de Ruyter".into(),
        house_number: "8".into(),
        addition: None,
        postcode: "4381 KA".into(),
        city: "Vlissingen".into(),
        country: "NL".into(),
    };
    let id = app::companies::manage::add_location(db, marieke, Some(HOTEL), hotel)
        .await
        .expect("location");
    let there = page(db, marieke, &query("", &id.to_string(), ""))
        .await
        .expect("by location");
    assert!(there.matching >= 1);
    assert!(
        there
            .orders
            .iter()
            .all(|o| o.location.as_deref() == Some("Hotel"))
    );

    // Another company's member: not the hotel's page, and their own shows nothing of it.
    let anna = anna_of_her_own_company(&t).await;
    assert!(matches!(
        page(db, anna, &query("", "", "")).await,
        Err(AppError::NotFound)
    ));
    let hers = page(
        db,
        anna,
        &CompanyOrdersQuery {
            company: "PENSION-A".into(),
            ..Default::default()
        },
    )
    .await
    .expect("hers");
    assert!(hers.orders.is_empty() && hers.invoices.is_empty());
}

#[tokio::test]
async fn invoices_are_the_companys_own_with_the_pdf_sent_or_made() {
    let t = common::demo().await;
    let db = &t.db;
    let joris = Some(common::customer_id(db, "C-2002").await);
    let shown = page(db, joris, &query("", "", "")).await.expect("page");
    assert_eq!(shown.invoices.len(), 5, "the demo's delivered orders");
    assert_eq!(shown.invoices[0].number, "F-ZS-1005");
    assert_eq!(shown.invoices[0].status, InvoiceStatus::Open);
    assert!(shown.invoices[0].overdue, "due a few days ago");
    assert_eq!(shown.invoices[4].status, InvoiceStatus::Paid);

    // Made from its lines.
    let made = pdf_for_member(db, joris, "F-ZS-1001", "Slaapwereld", Locale::nl)
        .await
        .expect("pdf");
    assert!(made.starts_with(b"%PDF-"));

    // Sent as a PDF: that PDF, byte for byte.
    let sent = b"%PDF-1.7\n% the back office's own\n".to_vec();
    let body = serde_json::json!({
        "company": HOTEL, "order": "B2B-ZS-1006", "date": "2026-11-01", "due_date": "2026-12-01",
        "amount": 12345, "currency": "EUR",
        "pdf": base64::engine::general_purpose::STANDARD.encode(&sent)
    });
    let stored = upsert_invoice(db, "F-ZS-2001", invoice(body))
        .await
        .expect("stored");
    assert!(stored.pdf && stored.lines.is_empty());
    assert_eq!(stored.order.as_deref(), Some("B2B-ZS-1006"));
    let got = pdf_for_member(db, joris, "F-ZS-2001", "Slaapwereld", Locale::en)
        .await
        .expect("pdf");
    assert_eq!(got, sent);
    assert_eq!(
        find(db, "F-ZS-2001")
            .await
            .expect("find")
            .expect("there")
            .amount,
        12345
    );

    // Never another company's.
    let anna = anna_of_her_own_company(&t).await;
    let refused = pdf_for_member(db, anna, "F-ZS-2001", "Slaapwereld", Locale::nl).await;
    assert!(matches!(refused, Err(AppError::NotFound)), "{refused:?}");
}

#[tokio::test]
async fn an_invoice_names_each_bad_field() {
    let t = common::demo().await;
    let db = &t.db;
    let body = serde_json::json!({
        "company": "NOBODY", "order": "WS-240350", "date": "2026-11-31", "due_date": "2026-10-01",
        "amount": 1000, "currency": "XXX",
        "lines": [{"description": "", "quantity": 0, "unit_price": 100, "amount": 900}]
    });
    let refused = upsert_invoice(db, "F-BAD-1", invoice(body))
        .await
        .expect_err("bad");
    let mut codes = common::field_codes(refused);
    codes.sort();
    let expect = |f: &str, c: &str| (f.to_string(), c.to_string());
    for wanted in [
        expect("company", "unknown_company"),
        expect("order", "unknown_order"),
        expect("date", "invalid_date"),
        expect("currency", "unknown_currency"),
        expect("lines[0].description", "required"),
        expect("lines[0].quantity", "must_be_positive"),
        expect("amount", "total_mismatch"),
    ] {
        assert!(codes.contains(&wanted), "{wanted:?} in {codes:?}");
    }
    let body = serde_json::json!({
        "company": HOTEL, "date": "2026-11-02", "due_date": "2026-11-01", "amount": 0, "currency": "EUR"
    });
    let mut codes = common::field_codes(
        upsert_invoice(db, "F-BAD-2", invoice(body))
            .await
            .expect_err("bad"),
    );
    codes.sort();
    assert_eq!(
        codes,
        [
            ("due_date".to_string(), "before_date".to_string()),
            ("pdf".to_string(), "pdf_or_lines".to_string())
        ]
    );
    // A consumer's order is no order of the hotel.
    let body = serde_json::json!({
        "company": HOTEL, "order": "WS-240350", "date": "2026-11-02", "due_date": "2026-12-01",
        "amount": 100, "currency": "EUR",
        "lines": [{"description": "Linnen", "quantity": 1, "unit_price": 100, "amount": 100}]
    });
    let codes = common::field_codes(
        upsert_invoice(db, "F-BAD-3", invoice(body))
            .await
            .expect_err("not theirs"),
    );
    assert_eq!(codes, [("order".to_string(), "unknown_order".to_string())]);
}
