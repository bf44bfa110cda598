//! A customer's own orders — the history with its filters, search and pages, and one
//! order's page — on SQLite and (with TEST_DATABASE_URL) PostgreSQL. Every query is
//! scoped to the customer: another customer's order is "not found" and never counted.
mod common;

use app::error::AppError;
use app::my_account::service::my_order;
use app::orders::history::order_history;
use app::orders::{Channel, HistoryQuery, OrderStatus, StatusGroup};
use axum::body::{Body, to_bytes};
use common::TestDb;
use http::{Request, StatusCode, header};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

fn query(f: impl FnOnce(&mut HistoryQuery)) -> HistoryQuery {
    let mut q = HistoryQuery {
        page: 1,
        ..HistoryQuery::default()
    };
    f(&mut q);
    q
}

#[tokio::test]
async fn the_history_shows_every_channel_newest_first_and_filters() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let anna = Some(common::customer_id(&t.db, "C-1001").await);
    let all = order_history(&t.db, anna, &query(|_| {}))
        .await
        .expect("history");
    assert_eq!(
        all.total, 13,
        "ten webshop orders, a phone order and two store purchases"
    );
    assert_eq!(all.rows[0].number, "WS-240350", "newest first");
    let times: Vec<&str> = all.rows.iter().map(|r| r.placed_local.as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert!(
        all.rows.iter().all(|r| r.number != "WS-239980"),
        "the guest order is not attached"
    );

    let store = order_history(&t.db, anna, &query(|q| q.channel = Some(Channel::Store)))
        .await
        .expect("store");
    assert_eq!(store.total, 2);
    assert!(store.rows.iter().all(|r| {
        r.store_name
            .as_deref()
            .is_some_and(|s| s.starts_with("Slaapwereld "))
    }));

    let open = order_history(&t.db, anna, &query(|q| q.status = Some(StatusGroup::Open)))
        .await
        .expect("open");
    assert!(
        open.rows
            .iter()
            .all(|r| StatusGroup::of(r.status) == StatusGroup::Open)
    );
    assert!(
        open.rows
            .iter()
            .any(|r| r.status == OrderStatus::ReadyForPickup)
    );

    let by_product = order_history(&t.db, anna, &query(|q| q.q = "hoeslaken".into()))
        .await
        .expect("search");
    assert_eq!(
        by_product
            .rows
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>(),
        ["WS-240335", "WS-240322", "WS-240310"],
        "orders with a (molton) fitted sheet"
    );
    let by_number = order_history(&t.db, anna, &query(|q| q.q = "ws-2403".into()))
        .await
        .expect("search");
    assert!(
        by_number.total >= 5
            && by_number
                .rows
                .iter()
                .all(|r| r.number.starts_with("WS-2403"))
    );
    let recent = order_history(&t.db, anna, &query(|q| q.period = Some("30d".into())))
        .await
        .expect("30d");
    assert!(recent.total > 0 && recent.total < all.total);
    assert!(all.years.contains(&2026));

    // The summary of a row: first item and how many more.
    let two_lines = all
        .rows
        .iter()
        .find(|r| r.number == "WS-240315")
        .expect("row");
    assert_eq!(two_lines.first_item, "4-seizoenen dekbed 200×220");
    assert_eq!(two_lines.other_lines, 1);
}

#[tokio::test]
async fn another_customers_order_is_not_found_and_never_counted() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let anna = Some(common::customer_id(&t.db, "C-1001").await);
    let own = my_order(&t.db, anna, "WS-240310", false, "Slaapwereld")
        .await
        .expect("own order");
    assert_eq!(own.order.shipments.len(), 2);
    assert!(own.placed_local.len() == 16, "{}", own.placed_local);
    assert_eq!(
        my_order(&t.db, anna, "WS-240200", false, "Slaapwereld").await,
        Err(AppError::NotFound),
        "Pieter's order"
    );
    assert_eq!(
        my_order(&t.db, anna, "WS-999999", false, "Slaapwereld").await,
        Err(AppError::NotFound),
        "no such order"
    );
    assert_eq!(
        my_order(&t.db, None, "WS-240310", false, "Slaapwereld").await,
        Err(AppError::NotFound),
        "no customer yet"
    );
    // Searching for someone else's order number or product finds nothing.
    let probe = order_history(&t.db, anna, &query(|q| q.q = "WS-240200".into()))
        .await
        .expect("search");
    assert_eq!(probe.total, 0);
    let probe = order_history(&t.db, anna, &query(|q| q.q = "boxspring".into()))
        .await
        .expect("search");
    assert_eq!(probe.total, 0, "Pieter's boxspring stays his");
    let nobody = order_history(&t.db, None, &query(|_| {}))
        .await
        .expect("empty");
    assert_eq!(nobody.total, 0);
}

#[tokio::test]
async fn company_buyers_see_every_order_of_their_company_and_nobody_else_does() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let (admin, buyer, anna) = (
        Some(common::customer_id(&t.db, "C-2001").await),
        Some(common::customer_id(&t.db, "C-2002").await),
        Some(common::customer_id(&t.db, "C-1001").await),
    );
    let business = |q: &mut HistoryQuery| q.channel = Some(Channel::B2b);
    for who in [admin, buyer] {
        let seen = order_history(&t.db, who, &query(business))
            .await
            .expect("history");
        assert_eq!(seen.total, 7, "all seven hotel orders, whoever placed them");
        let theirs = seen.rows.iter().filter(|r| r.ordered_by.is_none()).count();
        let colleagues = seen.rows.iter().filter(|r| r.ordered_by.is_some()).count();
        assert!(
            theirs > 0 && colleagues > 0,
            "{theirs} own, {colleagues} by a colleague"
        );
    }
    // B2B-ZS-1001 was placed by the admin: the buyer may open (and reorder from) it.
    let colleagues = my_order(&t.db, buyer, "B2B-ZS-1001", false, "Slaapwereld")
        .await
        .expect("visible");
    assert!(colleagues.ordered_by.is_some());
    let own = my_order(&t.db, admin, "B2B-ZS-1001", false, "Slaapwereld")
        .await
        .expect("own");
    assert_eq!(own.ordered_by, None);
    // Outside the company: not found, not counted, not searchable.
    assert_eq!(
        my_order(&t.db, anna, "B2B-ZS-1001", false, "Slaapwereld").await,
        Err(AppError::NotFound)
    );
    let probe = order_history(&t.db, anna, &query(|q| q.q = "hotel".into()))
        .await
        .expect("search");
    assert_eq!(probe.total, 0);
}

#[tokio::test]
async fn five_hundred_orders_page_by_25_without_gaps_or_repeats() {
    let t = TestDb::new().await;
    let options = server::seed::scale::ScaleOptions {
        customers: 3,
        orders_per_customer: 5,
        lines_per_order: 2,
        products: 10,
        seed: 3,
        featured: Some(("veel@example.nl".into(), 500)),
    };
    server::seed::scale::scale(&t.db, &options)
        .await
        .expect("scale");
    let id = Some(common::customer_id(&t.db, "SC1").await);
    let mut seen = std::collections::HashSet::new();
    let first = order_history(&t.db, id, &query(|_| {}))
        .await
        .expect("page 1");
    assert_eq!((first.total, first.pages), (500, 20));
    for page in 1..=20 {
        let found = order_history(&t.db, id, &query(|q| q.page = page))
            .await
            .expect("page");
        assert_eq!(found.rows.len(), 25);
        for row in found.rows {
            assert!(seen.insert(row.number), "no order twice");
        }
    }
    assert_eq!(seen.len(), 500);
    let beyond = order_history(&t.db, id, &query(|q| q.page = 99))
        .await
        .expect("beyond");
    assert_eq!(beyond.page, 20, "a page past the end shows the last one");
}

async fn body_of(
    router: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, http::HeaderMap, String) {
    let res = router.clone().oneshot(req).await.expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = to_bytes(res.into_body(), 4 * 1024 * 1024)
        .await
        .expect("body");
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn the_pages_render_on_the_server_for_the_owner_only() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    // Not logged in: to the login page, and back here afterwards.
    let (status, headers, _) = body_of(
        &router,
        Request::get("/account/orders")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .expect("req"),
    )
    .await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers[header::LOCATION], "/login?next=%2Faccount%2Forders");

    let login = Request::post("/api/fn/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(
            "email=anna%40example.nl&password=slaapwel-demo-klant",
        ))
        .expect("req");
    let (_, headers, _) = body_of(&router, login).await;
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .expect("session");
    let get = |uri: &str| {
        Request::get(uri)
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT_LANGUAGE, "nl")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .expect("req")
    };
    let (status, _, html) = body_of(&router, get("/account/orders?channel=store")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Gekocht in Slaapwereld Amsterdam"),
        "store purchases name their store"
    );
    assert!(html.contains("2 bestellingen"));
    assert!(!html.contains("WS-240315"), "filtered to store purchases");
    let (status, _, html) = body_of(&router, get("/account/orders/WS-240310")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bestelling WS-240310"));
    assert!(
        html.contains("Biltstraat 101"),
        "the delivery address as it was"
    );
    assert!(html.contains("3SSLPW240310"), "its parcels");
    let (status, _, html) = body_of(&router, get("/account/orders/WS-240200")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Pieter's order");
    assert!(!html.contains("Pieter"), "nothing of it leaks");
    let (status, _, html) = body_of(&router, get("/account/orders/WS-240310/receipt")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bon bij bestelling WS-240310") && html.contains("Waarvan btw 21%"));
    let (status, _, _) = body_of(&router, get("/account/orders/WS-240200/receipt")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Pieter's receipt");
    let (status, headers, pdf) =
        body_of(&router, get("/account/orders/WS-240310/receipt.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "inline; filename=\"bon-WS-240310.pdf\""
    );
    assert!(pdf.starts_with("%PDF-"));
    // Text with accents or € is written as hex; plain ASCII as is.
    assert!(pdf.contains("(Bon bij bestelling WS-240310)") && pdf.contains("(DEK-ZOMER-200220)"));
    assert!(pdf.contains("(Biltstraat 101)") && pdf.contains("(Waarvan btw 21%)"));
    let (status, _, pdf) = body_of(&router, get("/account/orders/WS-240200/receipt.pdf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Pieter's receipt as PDF");
    assert!(!pdf.contains("Pieter"));
    let anonymous = Request::get("/account/orders/WS-240310/receipt.pdf")
        .body(Body::empty())
        .expect("req");
    let (status, headers, _) = body_of(&router, anonymous).await;
    assert!(status.is_redirection());
    assert_eq!(
        headers[header::LOCATION],
        "/login?next=%2Faccount%2Forders%2FWS-240310%2Freceipt.pdf"
    );
    let (status, _, html) = body_of(&router, get("/account")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hallo Anna de Vries"));
    assert!(html.contains("2620001000014"), "the loyalty card");
}

#[tokio::test]
async fn guest_orders_with_the_confirmed_address_are_offered_and_attached_on_request() {
    use app::orders::history::{attach_guest_orders, offered_guest_orders};
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let row = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    let anna = app::accounts::UserSummary {
        id: row.id,
        email: row.email.clone(),
        name: row.name.clone(),
        language: app::accounts::Language::Nl,
        verified: true,
        roles: vec![app::accounts::Role::Customer],
        second_factor: false,
        acting_for: None,
    };
    let offered = offered_guest_orders(&t.db, &anna).await.expect("offer");
    assert_eq!(
        offered
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>(),
        ["WS-239980"]
    );
    let unverified = app::accounts::UserSummary {
        verified: false,
        ..anna.clone()
    };
    assert!(
        offered_guest_orders(&t.db, &unverified)
            .await
            .expect("offer")
            .is_empty(),
        "not before the address is confirmed"
    );
    assert_eq!(
        attach_guest_orders(
            &t.db,
            &anna,
            &["WS-240200".into(), "ST-RTM-20261118-0093".into()]
        )
        .await,
        Ok(0),
        "someone else's order and a till purchase cannot be taken this way"
    );
    let customer = Some(common::customer_id(&t.db, "C-1001").await);
    let before = order_history(&t.db, customer, &query(|_| {}))
        .await
        .expect("history")
        .total;
    assert_eq!(
        attach_guest_orders(&t.db, &anna, &["WS-239980".into()]).await,
        Ok(1)
    );
    let after = order_history(&t.db, customer, &query(|_| {}))
        .await
        .expect("history");
    assert_eq!(after.total, before + 1);
    assert!(
        offered_guest_orders(&t.db, &anna)
            .await
            .expect("offer")
            .is_empty()
    );
}
