//! The data sets: the demo world (what `make run` shows) and the scale data (what the
//! benchmarks measure), on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::db::Db;
use app::orders::service::find_order;
use common::TestDb;
use server::seed::scale::{ScaleOptions, scale};
use server::seed::world::{ANNA_LOYALTY_CARD, UNCLAIMED_RECEIPT};

async fn rows<T>(db: &Db, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    match db {
        Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .expect(sql)
}

#[tokio::test]
async fn the_demo_world_covers_every_channel_and_tracking_state() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let products = t.count("products").await;
    assert!(
        (55..=70).contains(&products),
        "about 60 products, got {products}"
    );
    let categories: Vec<(String,)> =
        rows(&t.db, "SELECT DISTINCT category FROM products ORDER BY 1").await;
    assert_eq!(
        categories.into_iter().map(|c| c.0).collect::<Vec<_>>(),
        ["bed-frames", "duvets", "linen", "mattresses", "pillows"]
    );
    let channels: Vec<(String,)> =
        rows(&t.db, "SELECT DISTINCT channel FROM orders ORDER BY 1").await;
    assert_eq!(channels.len(), 4, "webshop, store, phone and b2b");

    // Anna: linked to her login, with store purchases found by her loyalty card.
    let anna: Vec<(Option<i64>, Option<String>)> = rows(
        &t.db,
        "SELECT user_id, loyalty_card FROM customers WHERE external_id = 'C-1001'",
    )
    .await;
    assert!(anna[0].0.is_some(), "the demo customer's login is linked");
    assert_eq!(anna[0].1.as_deref(), Some(ANNA_LOYALTY_CARD));
    let by_card: Vec<(String,)> = rows(
        &t.db,
        "SELECT o.number FROM orders o JOIN customers c ON c.id = o.customer_id \
         WHERE c.external_id = 'C-1001' AND o.channel = 'store'",
    )
    .await;
    assert_eq!(by_card.len(), 2);

    let unclaimed = find_order(&t.db, "ST-RTM-20261118-0093")
        .await
        .expect("read")
        .expect("order");
    assert_eq!(unclaimed.customer, None);
    assert_eq!(
        unclaimed.receipt.map(|r| r.code).as_deref(),
        Some(UNCLAIMED_RECEIPT)
    );

    // Every tracking state the track & trace pages must explain.
    let last_code = |number: &'static str| {
        let db = t.db.clone();
        async move {
            let order = find_order(&db, number).await.expect("read").expect(number);
            order.shipments[0]
                .events
                .last()
                .map(|e| e.code.clone())
                .unwrap_or_default()
        }
    };
    assert_eq!(last_code("WS-240315").await, "5", "in transit");
    assert_eq!(last_code("WS-240322").await, "OUT_FOR_DELIVERY");
    assert_eq!(
        last_code("WS-240305").await,
        "NOT_DELIVERED",
        "failed attempt"
    );
    assert_eq!(last_code("WS-240290").await, "12", "at a pickup point");
    assert_eq!(last_code("WS-240101").await, "DELIVERED");
    assert_eq!(
        last_code("WS-240250").await,
        "EXCEPTION_DAMAGED",
        "a problem"
    );
    assert_eq!(
        last_code("ST-RTM-20261120-0011").await,
        "APPOINTMENT_BOOKED"
    );
    let pickup = find_order(&t.db, "WS-240290")
        .await
        .expect("read")
        .expect("order");
    assert!(pickup.shipments[0].pickup_point.is_some());
    let delayed = find_order(&t.db, "WS-240298")
        .await
        .expect("read")
        .expect("order");
    let promised = delayed.shipments[0]
        .promised_date
        .clone()
        .expect("promised");
    assert!(
        promised < chrono::Utc::now().date_naive().to_string(),
        "promised date passed"
    );
    let split = find_order(&t.db, "WS-240310")
        .await
        .expect("read")
        .expect("order");
    assert_eq!(split.shipments.len(), 2);
    assert_eq!(split.shipments[1].from_store.as_deref(), Some("UTR"));
    let prepared = find_order(&t.db, "WS-240340")
        .await
        .expect("read")
        .expect("order");
    assert!(
        prepared.shipments.is_empty(),
        "being prepared: no parcel yet"
    );

    // The hotel and its two buyers, reordering linen.
    let members: Vec<(String,)> = rows(
        &t.db,
        "SELECT c.email FROM company_members m JOIN customers c ON c.id = m.customer_id ORDER BY 1",
    )
    .await;
    assert_eq!(members.len(), 2);
    let b2b: Vec<(String,)> = rows(&t.db, "SELECT number FROM orders WHERE channel = 'b2b'").await;
    assert!(b2b.len() >= 5, "repeated B2B orders");
    let linked: Vec<(i64,)> = rows(
        &t.db,
        "SELECT count(*) FROM customers WHERE email_normalized LIKE '%zeeuwsestromen.nl' AND user_id IS NOT NULL",
    )
    .await;
    assert_eq!(linked[0].0, 2, "both buyers can log in");

    // Loading it again changes nothing.
    let orders = t.count("orders").await;
    server::seed::demo(&t.db).await.expect("demo again");
    assert_eq!(t.count("orders").await, orders);
    assert_eq!(t.count("shipment_events").await, 47);
}

fn options() -> ScaleOptions {
    ScaleOptions {
        customers: 40,
        orders_per_customer: 4,
        lines_per_order: 3,
        products: 20,
        seed: 7,
        featured: Some(("bench@example.com".into(), 25)),
    }
}

type OrderDigest = (String, String, String, i64, i64);

async fn digest(db: &Db) -> Vec<OrderDigest> {
    rows(
        db,
        "SELECT o.number, o.channel, o.status, o.total_minor, \
         (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) FROM orders o ORDER BY o.id",
    )
    .await
}

#[tokio::test]
async fn scale_data_is_deterministic_and_keeps_the_rules() {
    let (a, b) = (TestDb::new().await, TestDb::new().await);
    let report = scale(&a.db, &options()).await.expect("scale");
    scale(&b.db, &options()).await.expect("scale");
    assert_eq!(report.customers, 41);
    assert_eq!(report.orders, 40 * 4 + 25);
    assert_eq!(
        digest(&a.db).await,
        digest(&b.db).await,
        "same seed, same data"
    );

    // The featured customer logs in and has their orders.
    let featured: Vec<(i64,)> = rows(
        &a.db,
        "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id \
         JOIN users u ON u.id = c.user_id WHERE u.email_normalized = 'bench@example.com'",
    )
    .await;
    assert_eq!(featured[0].0, 25);
    // Totals add up; parcels hold exactly what was ordered.
    let wrong: Vec<(i64,)> = rows(
        &a.db,
        "SELECT count(*) FROM orders o WHERE o.total_minor <> o.shipping_minor + \
         (SELECT sum(total_minor) FROM order_lines l WHERE l.order_id = o.id)",
    )
    .await;
    assert_eq!(wrong[0].0, 0);
    let overshipped: Vec<(i64,)> = rows(
        &a.db,
        "SELECT count(*) FROM shipment_lines sl JOIN order_lines l ON l.id = sl.order_line_id WHERE sl.quantity > l.quantity",
    )
    .await;
    assert_eq!(overshipped[0].0, 0);
    // Each parcel carries the status its latest carrier event gives, as if the events had
    // come in one by one: the background check has nothing to catch up on.
    let ids: Vec<(i64,)> = rows(&a.db, "SELECT id FROM shipments ORDER BY id").await;
    assert!(!ids.is_empty());
    let stored: Vec<(Option<String>,)> =
        rows(&a.db, "SELECT status FROM shipments ORDER BY id").await;
    let now = app::db::Timestamp::now();
    let mut tx = a.db.begin().await.expect("tx");
    for ((id,), (status,)) in ids.iter().zip(&stored) {
        let derived = app::shipments::service::refresh_status(&mut tx, *id, &[], now)
            .await
            .expect("status");
        assert_eq!(status.as_deref(), Some(derived.as_str()), "shipment {id}");
    }
    tx.commit().await.expect("commit");
    let channels: Vec<(String,)> =
        rows(&a.db, "SELECT DISTINCT channel FROM orders ORDER BY 1").await;
    assert_eq!(channels.len(), 3, "webshop, store and phone");

    // The API keeps working on top of it (PostgreSQL's id sequences were moved on).
    server::seed::demo(&a.db)
        .await
        .expect("demo on top of scale data");
    let again = scale(
        &a.db,
        &ScaleOptions {
            featured: None,
            ..options()
        },
    )
    .await
    .expect("more");
    assert_eq!(again.orders, 160);
}

#[tokio::test]
async fn the_demo_refuses_a_database_with_accounts_of_its_own() {
    let t = TestDb::new().await;
    app::accounts::service::create_account(
        &t.db,
        app::accounts::service::NewAccount {
            email: "eigenaar@winkel.nl".into(),
            name: "Eigenaar".into(),
            language: app::accounts::Language::Nl,
            password: "een-echt-sterk-wachtwoord".into(),
            roles: vec![app::accounts::Role::Admin],
            verified: true,
        },
    )
    .await
    .expect("a real admin");
    let refused = server::seed::demo(&t.db).await.expect_err("refused");
    assert!(
        refused
            .to_string()
            .contains("never loaded into a real installation"),
        "{refused}"
    );
    assert_eq!(
        t.count("users").await,
        1,
        "no demo account with a known password"
    );
    assert!(!server::seed::demo_loaded(&t.db).await.expect("meta"));

    // A demo database takes the demo again (nothing new).
    let demo = TestDb::new().await;
    server::seed::demo(&demo.db).await.expect("demo");
    let users = demo.count("users").await;
    server::seed::demo(&demo.db).await.expect("again");
    assert_eq!(demo.count("users").await, users);
}
