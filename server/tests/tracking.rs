//! Track & trace: carrier webhooks (signed per carrier, replays harmless, out-of-order
//! events), messages when a parcel is late or went wrong (once), the public tracking
//! page, delivery change requests and the retailer's own sentences. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::error::AppError;
use app::my_account::service::my_order;
use app::tracking::requests::{ChangeForm, request_change};
use app::tracking::service::{public_tracking, run_checks};
use app::tracking::{RequestKind, RequestStatus, TrackingStatus};
use axum::body::{Body, to_bytes};
use common::{BackOffice, TestDb};
use http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

async fn rows(t: &TestDb, sql: &str) -> Vec<(String,)> {
    match &t.db {
        app::db::Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
        app::db::Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .expect("query")
}

async fn status_of(t: &TestDb, customer: &str, number: &str, shipment: &str) -> TrackingStatus {
    let customer_id = Some(common::customer_id(&t.db, customer).await);
    let order = my_order(&t.db, customer_id, number, false, "Slaapwereld")
        .await
        .expect("order");
    order
        .tracking
        .parcels
        .iter()
        .find(|p| p.id == shipment)
        .expect("parcel")
        .current
        .status
}

struct Carrier {
    router: axum::Router,
    secret: String,
}

impl Carrier {
    async fn new(t: &TestDb, carrier: &str) -> Carrier {
        let secret = server::webhooks::new_secret();
        app::tracking::admin::new_carrier_secret(&t.db, carrier, &secret)
            .await
            .expect("secret");
        Carrier {
            router: build_router(t.state(), PortalSessionStore::new(&t.db)),
            secret,
        }
    }

    async fn post(
        &self,
        carrier: &str,
        id: &str,
        body: &Value,
        secret: &str,
    ) -> (StatusCode, Value) {
        let body = body.to_string();
        let timestamp = chrono::Utc::now().timestamp();
        let signature = standardwebhooks::Webhook::new(secret)
            .expect("secret")
            .sign(id, timestamp, body.as_bytes())
            .expect("sign");
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/webhooks/carriers/{carrier}"))
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(Body::from(body))
            .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = to_bytes(res.into_body(), 1 << 20).await.expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

fn event(tracking: &str, code: &str, at: chrono::DateTime<chrono::Utc>) -> Value {
    json!({"tracking_number": tracking, "code": code, "description": "", "occurred_at": at.to_rfc3339()})
}

#[tokio::test]
async fn carrier_webhooks_are_verified_stored_once_and_ordered_by_time() {
    let t = common::demo().await;
    let postnl = Carrier::new(&t, "postnl").await;
    let now = chrono::Utc::now();
    // Anna's WS-240315: with PostNL, sorted, expected tomorrow.
    let parcel = "3SSLPW240315";
    assert_eq!(
        status_of(&t, "C-1001", "WS-240315", "SH-240315-1").await,
        TrackingStatus::InTransit
    );
    let before = t.count("shipment_events").await;

    // A wrong signature, another carrier's secret, or none: refused, nothing stored.
    let delivered = json!({"events": [event(parcel, "10", now - chrono::TimeDelta::minutes(5))]});
    let (status, body) = postnl
        .post(
            "postnl",
            "msg_1",
            &delivered,
            &server::webhooks::new_secret(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(
        body["type"],
        "https://mijnportaal.dev/problems/bad-signature"
    );
    let (status, _) = postnl
        .post("dhl", "msg_1", &delivered, &postnl.secret)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "dhl has no secret yet");
    let (status, _) = postnl
        .post("pigeon", "msg_1", &delivered, &postnl.secret)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(t.count("shipment_events").await, before);

    // Delivered arrives first, "out for delivery" (earlier) after it: still delivered.
    let (status, body) = postnl
        .post("postnl", "msg_1", &delivered, &postnl.secret)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 1);
    let earlier = json!({"events": [event(parcel, "7", now - chrono::TimeDelta::hours(3))]});
    let (status, _) = postnl
        .post("postnl", "msg_2", &earlier, &postnl.secret)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        status_of(&t, "C-1001", "WS-240315", "SH-240315-1").await,
        TrackingStatus::Delivered
    );

    // The same message again (a replay, or the carrier retrying): harmless.
    let (status, body) = postnl
        .post("postnl", "msg_1", &delivered, &postnl.secret)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["stored"].as_i64(), body["duplicates"].as_i64()),
        (Some(0), Some(1))
    );
    assert_eq!(t.count("shipment_events").await, before + 2);

    // An unknown code: the customer keeps the last known status; the admin sees a count.
    let odd = json!({"events": [event(parcel, "77", now)]});
    let (status, _) = postnl.post("postnl", "msg_3", &odd, &postnl.secret).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        status_of(&t, "C-1001", "WS-240315", "SH-240315-1").await,
        TrackingStatus::Delivered
    );
    let unknown = app::tracking::admin::unknown_codes(&t.db)
        .await
        .expect("codes");
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        (
            unknown[0].carrier.as_str(),
            unknown[0].code.as_str(),
            unknown[0].seen
        ),
        ("postnl", "77", 1)
    );

    // A parcel that is not ours: named, nothing stored.
    let stranger = json!({"events": [event("3SNOTOURS", "5", now)]});
    let (status, body) = postnl
        .post("postnl", "msg_4", &stranger, &postnl.secret)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "events[0].shipment");
}

#[tokio::test]
async fn a_failed_delivery_pushed_by_the_carrier_writes_to_the_customer_once() {
    let t = common::demo().await;
    run_checks(&t.db, &common::mail_context())
        .await
        .expect("first check");
    let before = common::outbox_payloads(&t, "mail").await.len();
    let dhl = Carrier::new(&t, "dhl").await;
    // Anna's WS-240322: with the DHL courier today.
    let failed = json!({"events": [event("JVGL0624032201", "NOT_DELIVERED", chrono::Utc::now())]});
    let (status, body) = dhl.post("dhl", "msg_a", &failed, &dhl.secret).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sent = common::outbox_payloads(&t, "mail").await;
    assert_eq!(sent.len(), before + 1, "one message at once");
    let mail = &sent[before];
    assert_eq!(mail["to"], "\"Anna de Vries\" <anna@example.nl>");
    assert_eq!(mail["subject"], "Nog niet bezorgd: je bestelling WS-240322");
    let text = mail["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("De vervoerder probeert het de volgende werkdag opnieuw."),
        "{text}"
    );
    assert!(!text.contains("NOT_DELIVERED"));
    // Again, by the carrier or by the background check: no second message.
    let again = json!({"events": [event("JVGL0624032201", "NOT_DELIVERED", chrono::Utc::now() - chrono::TimeDelta::minutes(1))]});
    dhl.post("dhl", "msg_b", &again, &dhl.secret).await;
    run_checks(&t.db, &common::mail_context())
        .await
        .expect("check");
    assert_eq!(common::outbox_payloads(&t, "mail").await.len(), before + 1);
}

#[tokio::test]
async fn the_background_check_finds_late_parcels_and_writes_once() {
    let t = common::demo().await;
    let sent = run_checks(&t.db, &common::mail_context())
        .await
        .expect("check");
    let subjects: Vec<String> = common::outbox_payloads(&t, "mail")
        .await
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(sent, subjects.len());
    // Anna's WS-240298 was promised two days ago and is still travelling.
    assert!(
        subjects.contains(&"Vertraagd: je bestelling WS-240298".to_string()),
        "{subjects:?}"
    );
    // Her DPD parcel was not delivered, Fatima's (English) was lost.
    assert!(subjects.contains(&"Nog niet bezorgd: je bestelling WS-240305".to_string()));
    assert!(subjects.contains(&"Something went wrong: your order WS-240250".to_string()));
    // Parcels on time, delivered or at a pickup point get nothing.
    assert!(
        !subjects
            .iter()
            .any(|s| s.contains("WS-240315") || s.contains("WS-240310"))
    );
    assert_eq!(
        run_checks(&t.db, &common::mail_context())
            .await
            .expect("again"),
        0
    );
    assert_eq!(
        common::outbox_payloads(&t, "mail").await.len(),
        subjects.len()
    );
    // The overview puts them first.
    let anna = Some(common::customer_id(&t.db, "C-1001").await);
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    let overview =
        app::my_account::service::overview(&t.db, &user.summary(Vec::new()), anna, "Slaapwereld")
            .await
            .expect("overview");
    let orders: Vec<&str> = overview
        .attention
        .iter()
        .map(|a| a.order.as_str())
        .collect();
    assert!(
        orders.contains(&"WS-240298") && orders.contains(&"WS-240305"),
        "{orders:?}"
    );
    // Each order on its way says what its own page says, read for all of them at once.
    assert!(!overview.on_the_way.is_empty());
    assert_eq!(overview.on_the_way.len(), overview.on_the_way_status.len());
    for (row, status) in overview.on_the_way.iter().zip(&overview.on_the_way_status) {
        let (order_id, order) = app::orders::service::load_with_shipments(
            &t.db,
            &row.number,
            app::orders::service::Whose::Anyone,
        )
        .await
        .expect("query")
        .expect("order");
        let own_page = app::tracking::service::order_tracking(
            &t.db,
            order_id,
            &order,
            "Slaapwereld",
            app::tracking::service::Audience::Owner,
        )
        .await
        .expect("tracking");
        assert_eq!(status.as_ref(), Some(&own_page.status), "{}", row.number);
    }
}

#[tokio::test]
async fn anyone_can_track_with_order_number_and_postcode_and_sees_nothing_personal() {
    let t = common::demo().await;
    let found = public_tracking(&t.db, "WS-240310", " 3572as ", "Slaapwereld")
        .await
        .expect("found");
    assert_eq!(found.parcels.len(), 2);
    assert!(
        found
            .parcels
            .iter()
            .all(|p| p.items.is_empty() && p.request.is_none() && p.can_request.is_empty())
    );
    assert_eq!(found.parcels[0].current.status, TrackingStatus::Delivered);
    let text = serde_json::to_string(&found).expect("json");
    assert!(
        !text.contains("Anna") && !text.contains("Oudegracht"),
        "no name or street"
    );
    for (number, postcode) in [
        ("WS-240310", "3512 AB"),
        ("WS-999999", "3572 AS"),
        ("WS-240310", ""),
    ] {
        let err = public_tracking(&t.db, number, postcode, "Slaapwereld")
            .await
            .expect_err("refused");
        assert!(
            matches!(err, AppError::NotFound | AppError::Invalid(_)),
            "{number} {postcode}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_customer_asks_for_another_day_and_the_back_office_answers() {
    let t = common::demo().await;
    let anna = Some(common::customer_id(&t.db, "C-1001").await);
    let user = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "anna@example.nl",
    )
    .await;
    let tomorrow = (app::time::clock().1 + chrono::TimeDelta::days(2)).to_string();
    let form = |kind, date| ChangeForm {
        kind,
        date,
        slot: "",
        neighbour: "",
        take_away_old: false,
        note: "",
    };

    // Not for a delivered parcel; a day in the past is named.
    let err = request_change(
        &t.db,
        user,
        anna,
        "WS-240310",
        "SH-240310-1",
        form("another_day", &tomorrow),
        None,
    )
    .await
    .expect_err("delivered");
    assert_eq!(
        common::field_codes(err),
        vec![("kind".into(), "not_possible_now".into())]
    );
    let err = request_change(
        &t.db,
        user,
        anna,
        "WS-240305",
        "SH-240305-1",
        form("another_day", "2020-01-01"),
        None,
    )
    .await
    .expect_err("past");
    assert_eq!(
        common::field_codes(err),
        vec![("date".into(), "not_in_future".into())]
    );
    // Someone else's parcel does not exist for her.
    let pieter = Some(common::customer_id(&t.db, "C-1002").await);
    assert!(matches!(
        request_change(
            &t.db,
            user,
            pieter,
            "WS-240305",
            "SH-240305-1",
            form("another_day", &tomorrow),
            None
        )
        .await,
        Err(AppError::NotFound)
    ));
    assert_eq!(t.count("delivery_requests").await, 0);

    let request = request_change(
        &t.db,
        user,
        anna,
        "WS-240305",
        "SH-240305-1",
        form("another_day", &tomorrow),
        None,
    )
    .await
    .expect("requested");
    assert_eq!(
        (request.kind, request.status),
        (RequestKind::AnotherDay, RequestStatus::Requested)
    );
    let hooks = rows(&t, "SELECT payload FROM outbox WHERE kind = 'webhook'").await;
    let hook: Value = serde_json::from_str(&hooks[0].0).expect("json");
    assert_eq!(hook["type"], "shipment.delivery_change_requested");
    assert_eq!(hook["data"]["date"], tomorrow.as_str());
    let again = request_change(
        &t.db,
        user,
        anna,
        "WS-240305",
        "SH-240305-1",
        form("neighbour", ""),
        None,
    )
    .await
    .expect_err("one open request");
    assert_eq!(
        common::field_codes(again),
        vec![("kind".into(), "already_requested".into())]
    );

    let api = BackOffice::new(&t).await;
    let path = format!("/api/v1/shipments/SH-240305-1/requests/{}", request.id);
    let (status, body) = api
        .call(
            Method::PUT,
            &path,
            Some(json!({"status": "confirmed", "note": "Donderdag tussen 9 en 13 uur"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "declined"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let order = my_order(&t.db, anna, "WS-240305", false, "Slaapwereld")
        .await
        .expect("order");
    let shown = order.tracking.parcels[0]
        .request
        .clone()
        .expect("request shown");
    assert_eq!(shown.status, RequestStatus::Confirmed);
    assert_eq!(
        shown.decision_note.as_deref(),
        Some("Donderdag tussen 9 en 13 uur")
    );
    let (status, body) = api
        .call(Method::GET, "/api/v1/shipments/SH-240305-1/requests", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_retailers_sentence_replaces_the_built_in_one_until_cleared() {
    let t = common::demo().await;
    let admin = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "beheer@slaapwereld.nl",
    )
    .await;
    let err =
        app::tracking::admin::save_texts(&t.db, admin, "delivered", "Bezorgd bij {buren}.", "")
            .await
            .expect_err("unknown placeholder");
    assert_eq!(
        common::field_codes(err),
        vec![("text_nl".into(), "unknown_placeholder".into())]
    );
    app::tracking::admin::save_texts(
        &t.db,
        admin,
        "delivered",
        "Je pakket is er, fijn slapen!",
        "",
    )
    .await
    .expect("saved");
    let anna = Some(common::customer_id(&t.db, "C-1001").await);
    let order = my_order(&t.db, anna, "WS-240310", false, "Slaapwereld")
        .await
        .expect("order");
    assert_eq!(
        order.tracking.parcels[0].current.nl.text,
        "Je pakket is er, fijn slapen!"
    );
    assert_eq!(
        order.tracking.parcels[0].current.en.text,
        "Your parcel has been delivered."
    );
    app::tracking::admin::save_texts(&t.db, admin, "delivered", "", "")
        .await
        .expect("cleared");
    let order = my_order(&t.db, anna, "WS-240310", false, "Slaapwereld")
        .await
        .expect("order");
    assert_eq!(
        order.tracking.parcels[0].current.nl.text,
        "Je pakket is bezorgd."
    );
}

#[tokio::test]
async fn every_demo_order_says_where_it_is_in_both_languages() {
    let t = common::demo().await;
    let numbers = rows(
        &t,
        "SELECT number FROM orders WHERE customer_id IS NOT NULL",
    )
    .await;
    assert!(numbers.len() > 15);
    let mut seen = std::collections::BTreeSet::new();
    for (number,) in numbers {
        let (order_id, mut order) = app::orders::repo::find(&t.db, &number)
            .await
            .expect("q")
            .expect("order");
        order.shipments = app::shipments::repo::for_order(&t.db, order_id)
            .await
            .expect("shipments");
        let tracking = app::tracking::service::order_tracking(
            &t.db,
            order_id,
            &order,
            "Slaapwereld",
            app::tracking::service::Audience::Owner,
        )
        .await
        .expect("tracking");
        let lines =
            std::iter::once(&tracking.status).chain(tracking.parcels.iter().map(|p| &p.current));
        for line in lines {
            seen.insert(line.status);
            for words in [&line.nl, &line.en] {
                assert!(
                    !words.text.is_empty() && !words.next.is_empty(),
                    "{number}: {line:?}"
                );
                assert!(
                    !words.text.contains('{') && !words.next.contains('{'),
                    "{number}: {line:?}"
                );
            }
        }
    }
    for expected in [
        TrackingStatus::InTransit,
        TrackingStatus::OutForDelivery,
        TrackingStatus::Delayed,
        TrackingStatus::AttemptFailed,
        TrackingStatus::AtPickupPoint,
        TrackingStatus::Delivered,
        TrackingStatus::Problem,
        TrackingStatus::AppointmentBooked,
        TrackingStatus::BoughtInStore,
    ] {
        assert!(
            seen.contains(&expected),
            "no demo order shows {expected:?}: {seen:?}"
        );
    }
}
