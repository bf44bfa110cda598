//! "Buy again": a consumer is sent to the webshop basket with the chosen products; a B2B
//! buyer's reorder request is stored, sent to the back office as a webhook and answered
//! through the integration API. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::cancellations::service::{CancelForm, cancel_options, request_cancellation};
use app::error::AppError;
use app::my_account::service::my_order;
use app::reorders::ReorderStatus;
use app::reorders::service::{BuyAgain, BuyAgainForm, buy_again, reorder_options};
use app::returns::eligibility::return_options;
use common::{BackOffice, TestDb};
use http::{Method, StatusCode};
use serde_json::json;

const BASKET: &str = "https://shop.example/basket?add={items}";

async fn user(t: &TestDb, email: &str) -> i64 {
    common::number(&t.db, "SELECT id FROM users WHERE email = $1", email).await
}

fn form<'a>(quantities: &[(i32, &'a str)], note: &'a str) -> BuyAgainForm<'a> {
    BuyAgainForm {
        quantities: quantities.to_vec(),
        note,
        location: "",
    }
}

#[tokio::test]
async fn a_consumer_goes_to_the_webshop_basket_with_the_chosen_products() {
    let t = common::demo().await;
    let db = &t.db;
    let anna = Some(common::customer_id(db, "C-1001").await);
    let user_id = user(&t, "anna@example.nl").await;

    let options = reorder_options(db, anna, "WS-240310", Some(BASKET))
        .await
        .expect("options");
    assert!(!options.for_company);
    assert!(options.basket_available);
    let skus: Vec<(&str, i32, bool)> = options
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.ordered, l.price_now.is_some()))
        .collect();
    assert_eq!(
        skus,
        vec![
            ("DEK-ZOMER-200220", 1, true),
            ("LIN-HOESLAKEN-90200", 2, true)
        ]
    );

    let outcome = buy_again(
        db,
        &common::mail_context(),
        user_id,
        anna,
        "WS-240310",
        form(&[(1, "1"), (2, "3")], ""),
        Some(BASKET),
    )
    .await
    .expect("basket");
    assert_eq!(
        outcome,
        BuyAgain::Basket(
            "https://shop.example/basket?add=DEK-ZOMER-200220:1,LIN-HOESLAKEN-90200:3".into()
        )
    );
    // Nothing stored, nothing sent: the webshop takes it from here.
    assert_eq!(t.count("reorder_requests").await, 0);
    assert!(common::outbox_payloads(&t, "webhook").await.is_empty());

    // Without a webshop basket configured there is nowhere to go.
    let err = buy_again(
        db,
        &common::mail_context(),
        user_id,
        anna,
        "WS-240310",
        form(&[(1, "1")], ""),
        None,
    )
    .await
    .expect_err("no basket");
    assert_eq!(
        common::field_codes(err),
        vec![("lines".into(), "unavailable".into())]
    );
    let order = my_order(db, anna, "WS-240310", false, "Slaapwereld")
        .await
        .expect("order");
    assert!(!order.can_buy_again);
    let order = my_order(db, anna, "WS-240310", true, "Slaapwereld")
        .await
        .expect("order");
    assert!(order.can_buy_again);
    assert!(order.reorder.is_none());
}

#[tokio::test]
async fn bad_quantities_are_named_and_products_no_longer_sold_cannot_be_chosen() {
    let t = common::demo().await;
    let db = &t.db;
    let anna = Some(common::customer_id(db, "C-1001").await);
    let user_id = user(&t, "anna@example.nl").await;
    let retire = "UPDATE products SET active = false WHERE sku = 'LIN-HOESLAKEN-90200'";
    match db {
        app::db::Db::Sqlite(p) => sqlx::query(retire).execute(p).await.map(|_| ()),
        app::db::Db::Postgres(p) => sqlx::query(retire).execute(p).await.map(|_| ()),
    }
    .expect("retire product");
    let options = reorder_options(db, anna, "WS-240310", Some(BASKET))
        .await
        .expect("options");
    assert_eq!(options.lines[1].price_now, None);

    let err = buy_again(
        db,
        &common::mail_context(),
        user_id,
        anna,
        "WS-240310",
        form(&[(1, "1000"), (2, "1")], ""),
        Some(BASKET),
    )
    .await
    .expect_err("bad");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("quantity[1]".into(), "too_many".into()),
            ("quantity[2]".into(), "no_longer_sold".into())
        ]
    );
    let err = buy_again(
        db,
        &common::mail_context(),
        user_id,
        anna,
        "WS-240310",
        form(&[(1, "0"), (2, "0")], ""),
        Some(BASKET),
    )
    .await
    .expect_err("nothing");
    assert_eq!(
        common::field_codes(err),
        vec![("lines".into(), "nothing_chosen".into())]
    );
}

#[tokio::test]
async fn a_b2b_buyer_asks_the_back_office_to_order_a_colleagues_order_again() {
    let t = common::demo().await;
    let db = &t.db;
    let joris = Some(common::customer_id(db, "C-2002").await);
    let joris_user = user(&t, "huishouding@zeeuwsestromen.nl").await;
    let anna = Some(common::customer_id(db, "C-1001").await);

    let options = reorder_options(db, joris, "B2B-ZS-1002", None)
        .await
        .expect("options");
    assert!(options.for_company);
    assert_eq!(options.lines.len(), 3);
    let order = my_order(db, joris, "B2B-ZS-1002", false, "Slaapwereld")
        .await
        .expect("order");
    assert!(order.can_buy_again, "company orders need no webshop");

    // Someone outside the company cannot even see it.
    assert!(matches!(
        reorder_options(db, anna, "B2B-ZS-1002", Some(BASKET)).await,
        Err(AppError::NotFound)
    ));

    let outcome = buy_again(
        db,
        &common::mail_context(),
        joris_user,
        joris,
        "B2B-ZS-1002",
        form(&[(1, "50"), (2, "0"), (3, "60")], "  PO 2026-118  "),
        None,
    )
    .await
    .expect("requested");
    let BuyAgain::Requested(request) = outcome else {
        panic!("expected a request")
    };
    assert_eq!(request.status, ReorderStatus::Requested);
    assert_eq!(request.customer.as_deref(), Some("C-2002"));
    assert_eq!(request.note.as_deref(), Some("PO 2026-118"));
    let asked: Vec<(&str, i32)> = request
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity))
        .collect();
    assert_eq!(
        asked,
        vec![("LIN-HOTEL-LAKEN-160", 50), ("LIN-HOTEL-SLOOP", 60)]
    );

    let hooks = common::outbox_payloads(&t, "webhook").await;
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["type"], "order.reorder_requested");
    let data = &hooks[0]["data"];
    assert_eq!(data["reorder_id"], request.id);
    assert_eq!(data["order"], "B2B-ZS-1002");
    assert_eq!(data["company"], "HOTEL-ZS");
    assert_eq!(data["customer"], "C-2002");
    assert_eq!(data["lines"][1]["quantity"], 60);

    let shown = my_order(db, joris, "B2B-ZS-1002", false, "Slaapwereld")
        .await
        .expect("order")
        .reorder
        .expect("shown on the order");
    assert_eq!(shown.status, ReorderStatus::Requested);

    // The back office places it (the new order's number) or declines; not both.
    let api = BackOffice::new(&t).await;
    let path = format!("/api/v1/orders/B2B-ZS-1002/reorders/{}", request.id);
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "placed"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "order");
    let placed = json!({"status": "placed", "order": "B2B-ZS-1007"});
    let (status, body) = api.call(Method::PUT, &path, Some(placed.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "placed");
    assert_eq!(body["new_order"], "B2B-ZS-1007");
    let (status, _) = api.call(Method::PUT, &path, Some(placed)).await;
    assert_eq!(status, StatusCode::OK, "the same answer twice is harmless");
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "declined"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "already_decided");
    let (status, body) = api
        .call(Method::GET, "/api/v1/orders/B2B-ZS-1002/reorders", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().map(Vec::len), Some(1));
    let (status, _) = api
        .call(
            Method::PUT,
            "/api/v1/orders/B2B-ZS-1001/reorders/1",
            Some(json!({"status": "declined"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a request of another order");

    let shown = my_order(db, joris, "B2B-ZS-1002", false, "Slaapwereld")
        .await
        .expect("order")
        .reorder
        .expect("shown");
    assert_eq!(shown.status, ReorderStatus::Placed);
    assert_eq!(shown.new_order.as_deref(), Some("B2B-ZS-1007"));
}

#[tokio::test]
async fn a_bad_note_stores_nothing() {
    let t = common::demo().await;
    let db = &t.db;
    let joris = Some(common::customer_id(db, "C-2002").await);
    let joris_user = user(&t, "huishouding@zeeuwsestromen.nl").await;
    let long = "x".repeat(501);
    let err = buy_again(
        db,
        &common::mail_context(),
        joris_user,
        joris,
        "B2B-ZS-1002",
        form(&[(1, "5")], &long),
        None,
    )
    .await
    .expect_err("too long");
    assert_eq!(
        common::field_codes(err),
        vec![("note".into(), "too_long".into())]
    );
    assert_eq!(t.count("reorder_requests").await, 0);
    assert!(common::outbox_payloads(&t, "webhook").await.is_empty());
}

#[tokio::test]
async fn a_viewer_sees_the_companys_orders_but_cannot_order() {
    let t = common::demo().await;
    let db = &t.db;
    let office = BackOffice::new(&t).await;
    // The back office makes Joris a viewer and Marieke an approver; any other role is
    // refused by name.
    let (status, company) = office
        .call(
            Method::PUT,
            "/api/v1/companies/HOTEL-ZS",
            Some(json!({"name": "Hotel De Zeeuwse Stromen B.V.",
                        "members": [{"customer": "C-2001", "role": "approver"}, {"customer": "C-2002", "role": "viewer"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{company}");
    let mut roles: Vec<(&str, &str)> = company["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["customer"].as_str().expect("customer"),
                m["role"].as_str().expect("role"),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(roles, [("C-2001", "approver"), ("C-2002", "viewer")]);
    let (status, problem) = office
        .call(
            Method::PUT,
            "/api/v1/companies/HOTEL-ZS",
            Some(json!({"name": "Hotel", "members": [{"customer": "C-2002", "role": "boss"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");

    let joris = Some(common::customer_id(db, "C-2002").await);
    let joris_user = user(&t, "huishouding@zeeuwsestromen.nl").await;
    let order = my_order(db, joris, "B2B-ZS-1002", false, "Slaapwereld")
        .await
        .expect("still sees the company's order");
    assert_eq!(order.order.number, "B2B-ZS-1002");
    assert!(!order.can_buy_again, "no \"order again\" for a viewer");
    let options = reorder_options(db, joris, "B2B-ZS-1002", None)
        .await
        .expect("options");
    assert!(options.for_company && !options.may_order);
    let refused = buy_again(
        db,
        &common::mail_context(),
        joris_user,
        joris,
        "B2B-ZS-1002",
        form(&[(1, "5")], ""),
        None,
    )
    .await
    .expect_err("a viewer cannot order");
    assert_eq!(
        common::field_codes(refused),
        vec![("lines".into(), "viewer_cannot_order".into())]
    );
    assert_eq!(t.count("reorder_requests").await, 0);
    assert!(common::outbox_payloads(&t, "webhook").await.is_empty());

    // Nor cancel or return: this month's order is still cancellable for a buyer, not for
    // the viewer, and none of the company's lines can be returned by the viewer.
    let fresh = my_order(db, joris, "B2B-ZS-1007", false, "Slaapwereld")
        .await
        .expect("sees this month's order");
    assert!(!fresh.cancellable && !fresh.returnable);
    let cancel = cancel_options(db, joris, "B2B-ZS-1007")
        .await
        .expect("cancel page");
    assert_eq!(cancel.blocked.as_deref(), Some("viewer"));
    let refused = request_cancellation(
        db,
        joris_user,
        joris,
        "B2B-ZS-1007",
        CancelForm {
            quantities: vec![(1, "40")],
            reason: "ordered_by_mistake",
            note: "",
        },
        None,
    )
    .await
    .expect_err("a viewer cannot cancel");
    assert_eq!(
        common::field_codes(refused),
        vec![("order".into(), "viewer_cannot_act".into())]
    );
    for number in ["B2B-ZS-1006", "B2B-ZS-1002"] {
        let returns = return_options(db, joris, number)
            .await
            .expect("return page");
        assert!(
            returns
                .lines
                .iter()
                .all(|l| l.blocked.as_deref() == Some("viewer") && l.left == 0),
            "{number}: {:?}",
            returns.lines
        );
    }
    assert_eq!(t.count("cancellation_requests").await, 0);

    // The approver still orders.
    let marieke = Some(common::customer_id(db, "C-2001").await);
    let marieke_user = user(&t, "inkoop@zeeuwsestromen.nl").await;
    let options = reorder_options(db, marieke, "B2B-ZS-1002", None)
        .await
        .expect("options");
    assert!(options.may_order);
    let fresh = my_order(db, marieke, "B2B-ZS-1007", false, "Slaapwereld")
        .await
        .expect("order");
    assert!(
        fresh.cancellable,
        "a buyer (here an approver) still cancels"
    );
    buy_again(
        db,
        &common::mail_context(),
        marieke_user,
        marieke,
        "B2B-ZS-1002",
        form(&[(1, "5")], ""),
        None,
    )
    .await
    .expect("requested");
}

#[tokio::test]
async fn ordering_again_flags_price_changes_a_successor_low_stock_and_pack_sizes() {
    let t = common::demo().await;
    let db = &t.db;
    let joris = Some(common::customer_id(db, "C-2002").await);
    let joris_user = user(&t, "huishouding@zeeuwsestromen.nl").await;
    let options = reorder_options(db, joris, "B2B-ZS-1002", None)
        .await
        .expect("options");
    let [sheet, cover, pillowcase] = &options.lines[..] else {
        panic!("three lines: {:?}", options.lines)
    };
    // The hotel paid €13.45 a sheet then; today it is €14.95.
    assert_eq!(sheet.price_changed(), Some((1345, 1495)));
    // The duvet cover is no longer sold: its successor is offered, 12 in stock.
    assert_eq!(cover.sku, "LIN-HOTEL-OVERTREK-200-PERCAL");
    assert_eq!(
        cover.replaces.as_ref().map(|(sku, _)| sku.as_str()),
        Some("LIN-HOTEL-OVERTREK-200")
    );
    assert_eq!((cover.price_now, cover.price_changed()), (Some(2695), None));
    assert_eq!((cover.low_stock(), cover.suggested()), (Some(12), 12));
    // Pillowcases come in tens.
    assert_eq!((pillowcase.pack_size, pillowcase.suggested()), (10, 60));

    let err = buy_again(
        db,
        &common::mail_context(),
        joris_user,
        joris,
        "B2B-ZS-1002",
        form(&[(2, "30"), (3, "65")], ""),
        None,
    )
    .await
    .expect_err("too many, not whole packs");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("quantity[2]".into(), "more_than_in_stock".into()),
            ("quantity[3]".into(), "not_pack_multiple".into())
        ]
    );
    let Ok(BuyAgain::Requested(request)) = buy_again(
        db,
        &common::mail_context(),
        joris_user,
        joris,
        "B2B-ZS-1002",
        form(&[(2, "12"), (3, "70")], ""),
        None,
    )
    .await
    else {
        panic!("requested")
    };
    let asked: Vec<(&str, i32)> = request
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.quantity))
        .collect();
    assert_eq!(
        asked,
        [
            ("LIN-HOTEL-OVERTREK-200-PERCAL", 12),
            ("LIN-HOTEL-SLOOP", 70)
        ]
    );

    // The catalogue API refuses a product that succeeds itself, negative stock, no pack.
    let office = BackOffice::new(&t).await;
    let (status, problem) = office
        .call(
            Method::PUT,
            "/api/v1/products/LIN-HOTEL-SLOOP",
            Some(
                json!({"name": "Sloop", "category": "linen", "price": 495, "currency": "EUR",
                        "successor": "LIN-HOTEL-SLOOP", "stock": -1, "pack_size": 0}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["successor", "stock", "pack_size"], "{problem}");
}
