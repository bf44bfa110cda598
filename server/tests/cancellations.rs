//! Cancelling an order: the customer asks (whole order or some lines, only while it is not
//! being prepared), the back office hears of it through a signed webhook and answers
//! through the integration API; on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use std::sync::{Arc, Mutex};

use app::cancellations::CancellationStatus;
use app::cancellations::service::{CancelForm, cancel_options, request_cancellation};
use app::db::Timestamp;
use app::error::AppError;
use app::my_account::service::my_order;
use app::orders::OrderStatus;
use app::orders::service::find_order;
use axum::Router;
use axum::body::Bytes;
use common::TestDb;
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};
use server::jobs::OutboxWorker;

/// WS-240350: Anna's order of an hour ago, paid, not picked yet: line 1 is two latex
/// pillows, line 2 a summer duvet.
const FRESH: &str = "WS-240350";

struct Anna {
    t: TestDb,
    user_id: i64,
    customer_id: Option<i64>,
}

async fn anna() -> Anna {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let user_id = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "anna@example.nl",
    )
    .await;
    let customer_id = Some(common::customer_id(&t.db, "C-1001").await);
    Anna {
        t,
        user_id,
        customer_id,
    }
}

fn form<'a>(quantities: &[(i32, &'a str)], reason: &'a str) -> CancelForm<'a> {
    CancelForm {
        quantities: quantities.to_vec(),
        reason,
        note: "",
    }
}

#[tokio::test]
async fn a_customer_cancels_part_of_a_fresh_order_and_the_back_office_hears_of_it() {
    let a = anna().await;
    let db = &a.t.db;
    let options = cancel_options(db, a.customer_id, FRESH)
        .await
        .expect("options");
    assert_eq!(options.blocked, None);
    assert_eq!(
        options
            .lines
            .iter()
            .map(|l| (l.line, l.quantity))
            .collect::<Vec<_>>(),
        vec![(1, 2), (2, 1)]
    );

    let mut f = form(&[(1, "1"), (2, "0")], "ordered_by_mistake");
    f.note = "  Eén kussen is genoeg  ";
    let c = request_cancellation(db, a.user_id, a.customer_id, FRESH, f, None)
        .await
        .expect("requested");
    assert_eq!(c.status, CancellationStatus::Requested);
    assert!(!c.whole_order);
    assert_eq!(c.lines.len(), 1);
    assert_eq!((c.lines[0].line, c.lines[0].quantity), (1, 1));
    assert_eq!(c.note.as_deref(), Some("Eén kussen is genoeg"));

    // The back office's webhook, in the same transaction.
    let hooks = common::outbox_payloads(&a.t, "webhook").await;
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["type"], "order.cancellation_requested");
    assert!(
        hooks[0]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("evt_"))
    );
    let data = &hooks[0]["data"];
    assert_eq!(data["cancellation_id"], c.id);
    assert_eq!(data["order"], FRESH);
    assert_eq!(data["customer"], "C-1001");
    assert_eq!(data["whole_order"], false);
    assert_eq!(data["lines"][0]["sku"], "KUS-LATEX-HOOG");
    assert_eq!(data["lines"][0]["quantity"], 1);

    // The order page says so, and does not offer to cancel again.
    let mine = my_order(db, a.customer_id, FRESH, false, "Slaapwereld")
        .await
        .expect("order");
    assert!(!mine.cancellable);
    let shown = mine.cancellation.expect("shown");
    assert_eq!(shown.status, CancellationStatus::Requested);
    let again = request_cancellation(
        db,
        a.user_id,
        a.customer_id,
        FRESH,
        form(&[(2, "1")], "other"),
        None,
    )
    .await
    .expect_err("one open request per order");
    assert_eq!(
        common::field_codes(again),
        vec![("order".to_string(), "already_requested".to_string())]
    );
    assert_eq!(a.t.count("cancellation_requests").await, 1);
    let history = app::orders::history::order_history(
        db,
        a.customer_id,
        &app::orders::HistoryQuery {
            page: 1,
            ..Default::default()
        },
    )
    .await
    .expect("history");
    let row = history
        .rows
        .iter()
        .find(|r| r.number == FRESH)
        .expect("row");
    assert!(row.cancellation_requested);
}

#[tokio::test]
async fn bad_requests_are_explained_and_store_nothing() {
    let a = anna().await;
    let db = &a.t.db;
    let ask = |quantities: &'static [(i32, &'static str)], reason: &'static str| {
        request_cancellation(
            db,
            a.user_id,
            a.customer_id,
            FRESH,
            form(quantities, reason),
            None,
        )
    };
    let err = ask(&[(1, "3"), (2, "x")], "changed_mind")
        .await
        .expect_err("too many");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("quantity[1]".to_string(), "more_than_ordered".to_string()),
            ("quantity[2]".to_string(), "not_a_number".to_string()),
        ]
    );
    let err = ask(&[(1, "0"), (2, "")], "").await.expect_err("nothing");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("lines".to_string(), "nothing_selected".to_string()),
            ("reason".to_string(), "required".to_string()),
        ]
    );
    let err = ask(&[(1, "-1")], "changed_mind")
        .await
        .expect_err("negative");
    assert_eq!(
        common::field_codes(err),
        vec![("quantity[1]".to_string(), "negative".to_string())]
    );
    assert_eq!(a.t.count("cancellation_requests").await, 0);
    assert_eq!(common::outbox_payloads(&a.t, "webhook").await.len(), 0);
}

#[tokio::test]
async fn orders_being_prepared_store_purchases_and_other_peoples_orders_cannot_be_cancelled() {
    let a = anna().await;
    let db = &a.t.db;
    for (number, why) in [
        ("WS-240340", "being_prepared"),
        ("WS-240315", "being_prepared"),
        ("ST-AMS-20261115-0107", "store_purchase"),
    ] {
        let options = cancel_options(db, a.customer_id, number)
            .await
            .expect(number);
        assert_eq!(options.blocked.as_deref(), Some(why), "{number}");
        assert!(
            !my_order(db, a.customer_id, number, false, "Slaapwereld")
                .await
                .expect(number)
                .cancellable
        );
        let err = request_cancellation(
            db,
            a.user_id,
            a.customer_id,
            number,
            form(&[(1, "1")], "changed_mind"),
            None,
        )
        .await
        .expect_err(number);
        assert_eq!(
            common::field_codes(err),
            vec![("order".to_string(), "not_cancellable".to_string())]
        );
    }
    // Pieter's paid order: for Anna it does not exist.
    for number in ["ST-RTM-20261120-0011", "WS-240200", "NO-SUCH-ORDER"] {
        assert!(matches!(
            cancel_options(db, a.customer_id, number).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            request_cancellation(
                db,
                a.user_id,
                a.customer_id,
                number,
                form(&[(1, "1")], "changed_mind"),
                None
            )
            .await,
            Err(AppError::NotFound)
        ));
    }
    assert_eq!(a.t.count("cancellation_requests").await, 0);
}

#[tokio::test]
async fn the_back_office_confirms_or_declines_through_the_api() {
    let a = anna().await;
    let db = &a.t.db;
    let api = common::BackOffice::new(&a.t).await;
    let part = request_cancellation(
        db,
        a.user_id,
        a.customer_id,
        FRESH,
        form(&[(1, "1")], "changed_mind"),
        None,
    )
    .await
    .expect("requested");
    let path = format!("/api/v1/orders/{FRESH}/cancellations/{}", part.id);

    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "maybe"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "status");

    let mails_before = a.t.count("outbox").await;
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "confirmed"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "confirmed");
    assert!(body["decided_at"].is_string());
    assert_eq!(
        a.t.count("outbox").await,
        mails_before + 1,
        "the customer's mail"
    );
    let order = find_order(db, FRESH).await.expect("read").expect("order");
    assert_eq!(order.lines[0].cancelled, 1);
    assert_eq!(order.lines[1].cancelled, 0);
    assert_eq!(order.status, OrderStatus::Paid, "the rest goes ahead");

    // The same answer again changes nothing; the other answer is refused.
    let (status, _) = api
        .call(Method::PUT, &path, Some(json!({"status": "confirmed"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a.t.count("outbox").await, mails_before + 1);
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "declined"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "already_decided");

    // Then the rest: a pillow and the duvet (that is all that is left) — declined first.
    let options = cancel_options(db, a.customer_id, FRESH)
        .await
        .expect("options");
    assert_eq!(
        options
            .lines
            .iter()
            .map(|l| (l.line, l.quantity))
            .collect::<Vec<_>>(),
        vec![(1, 1), (2, 1)]
    );
    let rest = request_cancellation(
        db,
        a.user_id,
        a.customer_id,
        FRESH,
        form(&[(1, "1"), (2, "1")], "delivery_too_late"),
        None,
    )
    .await
    .expect("requested");
    assert!(rest.whole_order);
    let path = format!("/api/v1/orders/{FRESH}/cancellations/{}", rest.id);
    let (status, body) = api
        .call(
            Method::PUT,
            &path,
            Some(json!({"status": "declined", "note": "Al ingepakt"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mine = my_order(db, a.customer_id, FRESH, false, "Slaapwereld")
        .await
        .expect("order");
    let shown = mine.cancellation.expect("shown");
    assert_eq!(shown.status, CancellationStatus::Declined);
    assert_eq!(shown.decision_note.as_deref(), Some("Al ingepakt"));
    assert!(mine.cancellable, "declined: the customer may ask again");

    let again = request_cancellation(
        db,
        a.user_id,
        a.customer_id,
        FRESH,
        form(&[(1, "1"), (2, "1")], "delivery_too_late"),
        None,
    )
    .await
    .expect("requested");
    let path = format!("/api/v1/orders/{FRESH}/cancellations/{}", again.id);
    let (status, _) = api
        .call(Method::PUT, &path, Some(json!({"status": "confirmed"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let order = find_order(db, FRESH).await.expect("read").expect("order");
    assert_eq!(order.status, OrderStatus::Cancelled, "nothing left");
    let options = cancel_options(db, a.customer_id, FRESH)
        .await
        .expect("options");
    assert_eq!(options.blocked.as_deref(), Some("nothing_left"));

    let (status, body) = api
        .call(
            Method::GET,
            &format!("/api/v1/orders/{FRESH}/cancellations"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<&str> = body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    assert_eq!(statuses, ["confirmed", "declined", "confirmed"]);
    let (status, _) = api
        .call(
            Method::PUT,
            &format!("/api/v1/orders/WS-240200/cancellations/{}", again.id),
            Some(json!({"status": "confirmed"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a request belongs to its order"
    );
}

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A back office that records what it receives and answers `answer`.
async fn back_office(answer: StatusCode) -> (String, Received) {
    let received: Received = Arc::default();
    let store = received.clone();
    let app = Router::new().route(
        "/hooks",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            async move {
                store.lock().expect("lock").push((headers, body));
                answer
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

#[tokio::test]
async fn webhooks_are_signed_for_the_back_office_and_retried_when_it_fails() {
    let a = anna().await;
    request_cancellation(
        &a.t.db,
        a.user_id,
        a.customer_id,
        FRESH,
        form(&[(2, "1")], "found_cheaper"),
        None,
    )
    .await
    .expect("requested");
    let secret = server::webhooks::new_secret();

    let (down, tried) = back_office(StatusCode::SERVICE_UNAVAILABLE).await;
    let config = a.t.state_with(|c| {
        c.webhook_url = Some(down);
        c.webhook_secret = Some(secret.clone());
    });
    let worker = OutboxWorker::from_config(a.t.db.clone(), &config.config).expect("worker");
    let report = worker
        .run_once(Timestamp::now() + chrono::TimeDelta::seconds(1))
        .await
        .expect("run");
    assert_eq!((report.sent, report.retried), (0, 1));
    assert_eq!(tried.lock().expect("lock").len(), 1);

    let (up, received) = back_office(StatusCode::NO_CONTENT).await;
    let config = a.t.state_with(|c| {
        c.webhook_url = Some(up);
        c.webhook_secret = Some(secret.clone());
    });
    let worker = OutboxWorker::from_config(a.t.db.clone(), &config.config).expect("worker");
    let later = Timestamp::now() + chrono::TimeDelta::minutes(2);
    assert_eq!(worker.run_once(later).await.expect("run").sent, 1);
    assert_eq!(worker.run_once(later).await.expect("run").sent, 0, "once");
    let received = received.lock().expect("lock");
    let (headers, body) = &received[0];
    standardwebhooks::Webhook::new(&secret)
        .expect("secret")
        .verify(body, headers)
        .expect("signed with the shared secret");
    assert!(
        standardwebhooks::Webhook::new(&server::webhooks::new_secret())
            .expect("secret")
            .verify(body, headers)
            .is_err()
    );
    let event: Value = serde_json::from_slice(body).expect("json");
    assert_eq!(event["type"], "order.cancellation_requested");
    assert_eq!(headers["webhook-id"], event["id"].as_str().expect("id"));
    assert_eq!(event["data"]["lines"][0]["sku"], "DEK-ZOMER-200220");
    // The retry is the same event: the receiver can drop duplicates by its id.
    assert_eq!(
        tried.lock().expect("lock")[0].0["webhook-id"],
        headers["webhook-id"]
    );
}
