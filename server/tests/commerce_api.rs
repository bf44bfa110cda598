//! The integration API for commerce data — customers, products, companies, orders from
//! every channel, shipments and carrier events — on SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL: happy paths, idempotent repeats, every kind of bad input (and the database
//! unchanged after it), scopes, rate limits, and store purchases landing with the right
//! customer.
mod common;

use app::apikeys::SCOPES;
use app::apikeys::service::create;
use axum::Router;
use axum::body::{Body, to_bytes};
use common::TestDb;
use http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::{Value, json};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

struct Api {
    t: TestDb,
    router: Router,
    key: String,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    /// (field, code) of each problem, in order.
    fn fields(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or_default().to_string(),
                            e["code"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn has(&self, field: &str, code: &str) -> bool {
        self.fields().iter().any(|(f, c)| f == field && c == code)
    }
}

impl Api {
    async fn new() -> Api {
        Api::with_limit(1200).await
    }

    async fn with_limit(per_minute: u32) -> Api {
        let t = TestDb::new().await;
        let state = t.state_with(|c| c.api_rate_limit_per_minute = per_minute);
        let router = build_router(state, PortalSessionStore::new(&t.db));
        let scopes: Vec<String> = SCOPES.iter().map(|s| s.to_string()).collect();
        let key = create(&t.db, "backoffice", &scopes).await.expect("key");
        server::seed::stores(&t.db).await.expect("stores");
        Api { t, router, key }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(key) = key {
            req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        for (name, value) in extra {
            req = req.header(*name, *value);
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let res = self
            .router
            .clone()
            .oneshot(req.body(body).expect("request"))
            .await
            .expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = to_bytes(res.into_body(), 8 * 1024 * 1024)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    async fn put(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(&self.key), Some(body), &[])
            .await
    }

    async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, Some(&self.key), None, &[])
            .await
    }

    async fn ok(&self, path: &str, body: Value) -> Value {
        let reply = self.put(path, body).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        reply.body
    }

    /// Two products, one customer with a loyalty card, one company.
    async fn basics(&self) {
        self.ok(
            "/api/v1/products/MAT-1",
            product("Matras Nachtrust 90×200", 49900),
        )
        .await;
        self.ok("/api/v1/products/KUS-1", product("Hoofdkussen latex", 3995))
            .await;
        self.ok("/api/v1/customers/C-1", customer()).await;
    }
}

fn product(name: &str, price: i64) -> Value {
    json!({"name": name, "category": "mattresses", "price": price, "currency": "EUR",
           "attributes": {"firmness": "medium", "width_cm": 90}})
}

fn customer() -> Value {
    json!({"name": "Anna de Vries", "email": "Anna@Example.nl", "loyalty_card": "2620 0010 0001 4",
           "addresses": [{"id": "home", "name": "Anna de Vries", "street": "Biltstraat", "house_number": "101",
                          "postcode": "3572as", "city": "Utrecht", "country": "nl", "default_delivery": true}]})
}

fn home() -> Value {
    json!({"name": "Anna de Vries", "street": "Biltstraat", "house_number": "101", "postcode": "3572 AS",
           "city": "Utrecht", "country": "NL"})
}

fn webshop_order() -> Value {
    json!({"channel": "webshop", "customer": "C-1", "placed_at": "2026-11-20T14:05:00+01:00", "status": "paid",
           "currency": "EUR", "lines": [{"sku": "MAT-1", "quantity": 1, "unit_price": 49900},
                                        {"sku": "KUS-1", "quantity": 2, "unit_price": 3995, "discount": 990}],
           "shipping": 0, "total": 56900,
           "payments": [{"method": "ideal", "amount": 56900, "currency": "EUR"}],
           "delivery_address": home(), "billing_address": home()})
}

fn store_purchase(receipt: &str) -> Value {
    json!({"channel": "store", "store": "UTR", "placed_at": "2026-11-21T11:00:00Z", "status": "completed",
           "currency": "EUR", "lines": [{"sku": "KUS-1", "quantity": 1, "unit_price": 3995}],
           "payments": [{"method": "pin", "amount": 3995, "currency": "EUR"}],
           "receipt": {"code": receipt, "till": "2"}})
}

#[tokio::test]
async fn customers_are_upserted_normalised_and_read_back_with_their_orders() {
    let api = Api::new().await;
    api.basics().await;
    let again = api.ok("/api/v1/customers/C-1", customer()).await;
    assert_eq!(
        api.t.count("customers").await,
        1,
        "idempotent by customer number"
    );
    assert_eq!(api.t.count("addresses").await, 1);
    assert_eq!(again["loyalty_card"], "2620001000014");
    assert_eq!(again["email"], "Anna@Example.nl");
    assert_eq!(again["addresses"][0]["address"]["postcode"], "3572 AS");
    assert_eq!(again["addresses"][0]["address"]["country"], "NL");
    assert_eq!(again["addresses"][0]["default_delivery"], true);

    api.ok("/api/v1/orders/WS-1", webshop_order()).await;
    let record = api.get("/api/v1/customers/C-1").await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.body);
    assert_eq!(record.body["order_count"], 1);
    assert_eq!(record.body["orders"][0]["number"], "WS-1");
    assert_eq!(record.body["orders"][0]["total"], 56900);
    assert_eq!(record.body["orders"][0]["item_count"], 3);
    assert_eq!(
        api.get("/api/v1/customers/C-404").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_customers_name_each_field_and_change_nothing() {
    let api = Api::new().await;
    api.basics().await;
    let reply = api
        .put("/api/v1/customers/C-2", json!({"name": " ", "email": "not-an-address", "loyalty_card": "12ab",
            "addresses": [{"id": "a", "name": "X", "street": "Straat", "house_number": "1", "postcode": "0123 AB",
                           "city": "Utrecht", "country": "NL"}]}))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    for (field, code) in [
        ("name", "required"),
        ("email", "invalid"),
        ("loyalty_card", "invalid"),
        ("addresses[0].postcode", "invalid_postcode"),
    ] {
        assert!(
            reply.has(field, code),
            "{field} {code}: {:?}",
            reply.fields()
        );
    }
    // Someone else's card.
    let reply = api
        .put(
            "/api/v1/customers/C-2",
            json!({"name": "Piet", "loyalty_card": "2620001000014"}),
        )
        .await;
    assert!(reply.has("loyalty_card", "taken"), "{:?}", reply.fields());
    assert_eq!(api.t.count("customers").await, 1, "nothing stored");
}

#[tokio::test]
async fn products_keep_advisor_attributes_and_refuse_bad_money() {
    let api = Api::new().await;
    let stored = api
        .ok("/api/v1/products/MAT-1", product("Matras", 49900))
        .await;
    assert_eq!(stored["attributes"]["firmness"], "medium");
    assert_eq!(stored["returnable"], true);
    let reply = api
        .put(
            "/api/v1/products/MAT-2",
            json!({"name": "Matras", "category": "Mattresses!", "price": -1, "currency": "EURO"}),
        )
        .await;
    assert!(reply.has("price", "negative"));
    assert!(reply.has("currency", "unknown_currency"));
    assert!(reply.has("category", "invalid"));
    let reply = api
        .put("/api/v1/products/MAT-2", json!({"name": "Matras", "category": "mattresses", "price": 1, "currency": "EUR", "attributes": [1]}))
        .await;
    assert!(
        reply.has("attributes", "wrong_type"),
        "{:?}",
        reply.fields()
    );
    assert_eq!(api.t.count("products").await, 1);
}

#[tokio::test]
async fn an_order_lands_whole_and_a_repeat_changes_nothing() {
    let api = Api::new().await;
    api.basics().await;
    let order = api.ok("/api/v1/orders/WS-1", webshop_order()).await;
    assert_eq!(order["customer"], "C-1");
    assert_eq!(order["placed_at"], "2026-11-20T13:05:00Z", "stored in UTC");
    assert_eq!(order["subtotal"], 56900);
    assert_eq!(order["lines"][1]["total"], 2 * 3995 - 990);
    assert_eq!(
        order["lines"][0]["name"], "Matras Nachtrust 90×200",
        "name as it was"
    );
    assert_eq!(order["fulfilment"], "delivery");
    assert_eq!(order["delivery_address"]["postcode"], "3572 AS");
    let again = api.ok("/api/v1/orders/WS-1", webshop_order()).await;
    assert_eq!(again, order);
    assert_eq!(api.t.count("orders").await, 1);
    assert_eq!(api.t.count("order_lines").await, 2);

    // An update with one line fewer drops that line.
    let mut fewer = webshop_order();
    fewer["lines"].as_array_mut().expect("lines").pop();
    fewer["total"] = json!(49900);
    fewer["payments"][0]["amount"] = json!(49900);
    let updated = api.ok("/api/v1/orders/WS-1", fewer).await;
    assert_eq!(updated["lines"].as_array().map(Vec::len), Some(1));
    assert_eq!(api.t.count("order_lines").await, 1);
    assert_eq!(api.get("/api/v1/orders/WS-1").await.body, updated);
    assert_eq!(
        api.get("/api/v1/orders/WS-404").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_kind_of_bad_order_is_named_and_nothing_is_stored() {
    let api = Api::new().await;
    api.basics().await;
    let mut bad = webshop_order();
    bad["lines"] = json!([
        {"sku": "NOPE-1", "quantity": 1, "unit_price": 100},
        {"sku": "MAT-1", "quantity": -2, "unit_price": 49900},
        {"sku": "KUS-1", "quantity": 1, "unit_price": -5}
    ]);
    bad["payments"][0]["currency"] = json!("USD");
    bad["total"] = json!(1);
    let reply = api.put("/api/v1/orders/WS-9", bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, code) in [
        ("lines[1].quantity", "must_be_positive"),
        ("lines[2].unit_price", "negative"),
        ("payments[0].currency", "currency_mismatch"),
        ("total", "total_mismatch"),
    ] {
        assert!(
            reply.has(field, code),
            "{field} {code}: {:?}",
            reply.fields()
        );
    }
    // Unknown SKUs and customers are found in the database, after the shape is right.
    let mut unknown = webshop_order();
    unknown["lines"][0]["sku"] = json!("NOPE-1");
    unknown["customer"] = json!("C-404");
    let reply = api.put("/api/v1/orders/WS-9", unknown).await;
    assert!(
        reply.has("lines[0].sku", "unknown_sku"),
        "{:?}",
        reply.fields()
    );
    assert!(
        reply.has("customer", "unknown_customer"),
        "{:?}",
        reply.fields()
    );

    let mut missing = webshop_order();
    missing.as_object_mut().expect("object").remove("lines");
    let reply = api.put("/api/v1/orders/WS-9", missing).await;
    assert!(reply.has("lines", "required"), "{:?}", reply.fields());

    let mut wrong_type = webshop_order();
    wrong_type["lines"][0]["quantity"] = json!("two");
    let reply = api.put("/api/v1/orders/WS-9", wrong_type).await;
    assert!(
        reply.has("lines[0].quantity", "wrong_type"),
        "{:?}",
        reply.fields()
    );

    let mut wrong_channel = webshop_order();
    wrong_channel["channel"] = json!("fax");
    let reply = api.put("/api/v1/orders/WS-9", wrong_channel).await;
    assert!(
        reply.has("channel", "unknown_value"),
        "{:?}",
        reply.fields()
    );

    let mut b2b = webshop_order();
    b2b["channel"] = json!("b2b");
    let reply = api.put("/api/v1/orders/WS-9", b2b).await;
    assert!(reply.has("company", "required"), "{:?}", reply.fields());

    let mut no_store = store_purchase("UTR00000001");
    no_store.as_object_mut().expect("object").remove("store");
    let reply = api.put("/api/v1/orders/ST-9", no_store).await;
    assert!(reply.has("store", "required"), "{:?}", reply.fields());

    assert_eq!(api.t.count("orders").await, 0);
    assert_eq!(api.t.count("order_lines").await, 0);

    // A failed update leaves the earlier version as it was.
    let before = api.ok("/api/v1/orders/WS-1", webshop_order()).await;
    let mut broken = webshop_order();
    broken["lines"][1]["sku"] = json!("NOPE-1");
    assert_eq!(
        api.put("/api/v1/orders/WS-1", broken).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(api.get("/api/v1/orders/WS-1").await.body, before);
}

#[tokio::test]
async fn a_store_purchase_lands_with_the_card_holder_or_waits_to_be_claimed() {
    let api = Api::new().await;
    api.basics().await;
    let mut with_card = store_purchase("UTR-4K8M-2P7");
    with_card["loyalty_card"] = json!("2620001000014");
    let order = api.ok("/api/v1/orders/ST-1", with_card).await;
    assert_eq!(order["customer"], "C-1", "linked by the loyalty card");
    assert_eq!(order["store"]["code"], "UTR");
    assert_eq!(order["fulfilment"], "carry_out");
    assert_eq!(
        order["receipt"]["code"], "UTR4K8M2P7",
        "stored as printed, without dashes"
    );
    let record = api.get("/api/v1/customers/C-1").await;
    assert_eq!(record.body["orders"][0]["number"], "ST-1");
    assert_eq!(
        record.body["orders"][0]["store"]["name"],
        "Slaapwereld Utrecht"
    );

    // By e-mail address, for a till that asked for it.
    let mut with_email = store_purchase("UTR5X5X5X5");
    with_email["email"] = json!("anna@example.NL");
    assert_eq!(
        api.ok("/api/v1/orders/ST-2", with_email).await["customer"],
        "C-1"
    );

    // Nobody: unlinked until the customer claims the slip.
    let order = api
        .ok("/api/v1/orders/ST-3", store_purchase("RTM7A3K9Q2"))
        .await;
    assert_eq!(order["customer"], Value::Null);
    assert_eq!(order["receipt"]["claimed"], false);
    // A receipt code belongs to one purchase.
    let reply = api
        .put("/api/v1/orders/ST-4", store_purchase("RTM7A3K9Q2"))
        .await;
    assert!(reply.has("receipt.code", "taken"), "{:?}", reply.fields());

    let (customer_id,): (i64,) = match &api.t.db {
        app::db::Db::Sqlite(p) => {
            sqlx::query_as("SELECT id FROM customers WHERE external_id = 'C-1'")
                .fetch_one(p)
                .await
        }
        app::db::Db::Postgres(p) => {
            sqlx::query_as("SELECT id FROM customers WHERE external_id = 'C-1'")
                .fetch_one(p)
                .await
        }
    }
    .expect("customer id");
    let number = app::orders::service::claim_receipt(&api.t.db, customer_id, "rtm 7a3k 9q2")
        .await
        .expect("claimed");
    assert_eq!(number, "ST-3");
    let again = app::orders::service::claim_receipt(&api.t.db, customer_id, "RTM7A3K9Q2").await;
    assert_eq!(
        again,
        Err(app::error::AppError::invalid("code", "not_claimable")),
        "claimed twice"
    );
    let unknown = app::orders::service::claim_receipt(&api.t.db, customer_id, "ZZZ999999").await;
    assert_eq!(unknown, again, "unknown and claimed look the same");
    let order = api.get("/api/v1/orders/ST-3").await.body;
    assert_eq!(order["customer"], "C-1");
    assert_eq!(order["receipt"]["claimed"], true);
    // The till re-sending the purchase does not take it away again.
    api.ok("/api/v1/orders/ST-3", store_purchase("RTM7A3K9Q2"))
        .await;
    assert_eq!(api.get("/api/v1/orders/ST-3").await.body["customer"], "C-1");

    // A webshop guest order is never attached by e-mail alone.
    let mut guest = webshop_order();
    guest.as_object_mut().expect("object").remove("customer");
    guest["email"] = json!("anna@example.nl");
    assert_eq!(
        api.ok("/api/v1/orders/WS-G", guest).await["customer"],
        Value::Null
    );
}

#[tokio::test]
async fn companies_have_buyers_and_b2b_orders_belong_to_them() {
    let api = Api::new().await;
    api.basics().await;
    api.ok(
        "/api/v1/customers/C-2",
        json!({"name": "Joris Visser", "email": "joris@hotel.example"}),
    )
    .await;
    let company = api
        .ok("/api/v1/companies/HOTEL-1", json!({"name": "Hotel De Zeeuwse Stromen", "vat_number": "nl 8622.77461.B01",
            "kvk_number": "2204 5678", "members": [{"customer": "C-1", "role": "admin"}, {"customer": "C-2", "role": "buyer"}]}))
        .await;
    assert_eq!(company["vat_number"], "NL862277461B01");
    assert_eq!(company["members"].as_array().map(Vec::len), Some(2));
    let reply = api
        .put("/api/v1/companies/HOTEL-2", json!({"name": "X", "kvk_number": "12", "members": [{"customer": "C-9", "role": "buyer"}]}))
        .await;
    assert!(reply.has("kvk_number", "invalid"));
    assert!(reply.has("members[0].customer", "unknown_customer"));
    assert_eq!(api.t.count("companies").await, 1);

    let mut b2b = webshop_order();
    b2b["channel"] = json!("b2b");
    b2b["company"] = json!("HOTEL-1");
    b2b["customer"] = json!("C-2");
    let order = api.ok("/api/v1/orders/B2B-1", b2b).await;
    assert_eq!(order["company"], "HOTEL-1");
    assert_eq!(order["customer"], "C-2");
}

#[tokio::test]
async fn invoices_arrive_through_the_api_and_each_bad_field_is_named() {
    let api = Api::new().await;
    api.basics().await;
    api.ok(
        "/api/v1/companies/HOTEL-1",
        json!({"name": "Hotel", "members": [{"customer": "C-1", "role": "admin"}]}),
    )
    .await;
    let stored = api
        .ok(
            "/api/v1/invoices/F-2026-001",
            json!({"company": "HOTEL-1", "date": "2026-11-02", "due_date": "2026-12-02",
                   "amount": 7990, "currency": "EUR",
                   "lines": [{"description": "Hoofdkussen latex", "quantity": 2, "unit_price": 3995, "amount": 7990}]}),
        )
        .await;
    assert_eq!(stored["status"], "open");
    assert_eq!(stored["pdf"], false);
    assert_eq!(stored["lines"].as_array().map(Vec::len), Some(1));
    let read = api.get("/api/v1/invoices/F-2026-001").await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["amount"], 7990);
    assert_eq!(
        api.get("/api/v1/invoices/F-NONE").await.status,
        StatusCode::NOT_FOUND
    );
    let reply = api
        .put(
            "/api/v1/invoices/F-2026-002",
            json!({"company": "NOBODY", "date": "2026-13-01", "due_date": "2026-12-01",
                   "amount": 100, "currency": "EUR", "pdf": "bm90IGEgcGRm"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert!(reply.has("company", "unknown_company"));
    assert!(reply.has("date", "invalid_date"));
    assert!(reply.has("pdf", "not_a_pdf"));
    assert_eq!(api.t.count("invoices").await, 1);
}

#[tokio::test]
async fn shipments_never_carry_more_than_was_ordered() {
    let api = Api::new().await;
    api.basics().await;
    api.ok("/api/v1/orders/WS-1", webshop_order()).await;
    let first = api
        .ok(
            "/api/v1/shipments/SH-1",
            json!({"order": "WS-1", "carrier": "PostNL", "tracking_number": "3sabc123",
            "promised_date": "2026-11-23", "lines": [{"sku": "KUS-1", "quantity": 1}]}),
        )
        .await;
    assert_eq!(first["carrier"], "postnl");
    assert_eq!(first["tracking_number"], "3SABC123");
    assert_eq!(
        first["lines"],
        json!([{"line": 2, "sku": "KUS-1", "quantity": 1}])
    );
    // The rest goes in a second parcel, from a store.
    let second = api
        .ok("/api/v1/shipments/SH-2", json!({"order": "WS-1", "carrier": "dhl", "tracking_number": "JVGL1", "from_store": "UTR"}))
        .await;
    assert_eq!(
        second["lines"],
        json!([{"line": 1, "sku": "MAT-1", "quantity": 1}, {"line": 2, "sku": "KUS-1", "quantity": 1}])
    );
    assert_eq!(second["from_store"], "UTR");
    // Re-sending the first is fine; asking for more than is left is not.
    api.ok(
        "/api/v1/shipments/SH-1",
        json!({"order": "WS-1", "carrier": "postnl", "tracking_number": "3SABC123",
        "lines": [{"sku": "KUS-1", "quantity": 1}]}),
    )
    .await;
    let reply = api
        .put(
            "/api/v1/shipments/SH-3",
            json!({"order": "WS-1", "carrier": "dpd", "tracking_number": "1",
            "lines": [{"sku": "KUS-1", "quantity": 1}, {"sku": "MAT-9", "quantity": 1}]}),
        )
        .await;
    assert!(
        reply.has("lines[0].quantity", "exceeds_ordered"),
        "{:?}",
        reply.fields()
    );
    assert!(
        reply.has("lines[1].sku", "not_in_order"),
        "{:?}",
        reply.fields()
    );
    let reply = api
        .put(
            "/api/v1/shipments/SH-3",
            json!({"order": "WS-404", "carrier": "dpd", "tracking_number": "1"}),
        )
        .await;
    assert!(reply.has("order", "unknown_order"));
    let reply = api
        .put(
            "/api/v1/shipments/SH-3",
            json!({"order": "WS-1", "carrier": "dhl", "tracking_number": "JVGL1",
            "lines": [{"sku": "KUS-1", "quantity": 1}]}),
        )
        .await;
    assert!(
        reply.has("tracking_number", "taken"),
        "{:?}",
        reply.fields()
    );
    assert_eq!(api.t.count("shipments").await, 2);
    let order = api.get("/api/v1/orders/WS-1").await.body;
    assert_eq!(order["shipments"].as_array().map(Vec::len), Some(2));
}

async fn events(api: &Api, body: Value, key: Option<&str>) -> Reply {
    let extra: Vec<(&str, &str)> = key
        .map(|k| vec![("idempotency-key", k)])
        .unwrap_or_default();
    api.call(
        Method::POST,
        "/api/v1/shipment-events",
        Some(&api.key),
        Some(body),
        &extra,
    )
    .await
}

#[tokio::test]
async fn carrier_events_are_stored_once_in_any_order_and_retries_are_safe() {
    let api = Api::new().await;
    api.basics().await;
    api.ok("/api/v1/orders/WS-1", webshop_order()).await;
    api.ok(
        "/api/v1/shipments/SH-1",
        json!({"order": "WS-1", "carrier": "postnl", "tracking_number": "3SABC123"}),
    )
    .await;
    let batch = json!({"events": [
        {"carrier": "postnl", "tracking_number": "3sabc123", "code": "5", "description": "Gesorteerd", "location": "Nieuwegein",
         "occurred_at": "2026-11-21T08:00:00Z"},
        {"shipment": "SH-1", "code": "1", "description": "Aangemeld", "occurred_at": "2026-11-20T18:00:00+01:00"}
    ]});
    let reply = events(&api, batch.clone(), None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.body,
        json!({"received": 2, "stored": 2, "duplicates": 0})
    );
    let reply = events(&api, batch.clone(), None).await;
    assert_eq!(
        reply.body,
        json!({"received": 2, "stored": 0, "duplicates": 2}),
        "the same events twice"
    );
    let order = api.get("/api/v1/orders/WS-1").await.body;
    let codes: Vec<&str> = order["shipments"][0]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        codes,
        ["1", "5"],
        "ordered by when they happened, not when they arrived"
    );

    // One unknown shipment rejects the whole batch.
    let reply = events(
        &api,
        json!({"events": [
            {"shipment": "SH-1", "code": "7", "occurred_at": "2026-11-21T12:00:00Z"},
            {"shipment": "SH-404", "code": "7", "occurred_at": "2026-11-21T12:00:00Z"},
            {"code": "7", "occurred_at": "2026-11-21T12:00:00Z"}
        ]}),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.has("events[2].shipment", "required"),
        "{:?}",
        reply.fields()
    );
    let reply = events(
        &api,
        json!({"events": [
            {"shipment": "SH-1", "code": "7", "occurred_at": "2026-11-21T12:00:00Z"},
            {"shipment": "SH-404", "code": "7", "occurred_at": "2026-11-21T12:00:00Z"}
        ]}),
        None,
    )
    .await;
    assert!(
        reply.has("events[1].shipment", "unknown_shipment"),
        "{:?}",
        reply.fields()
    );
    assert_eq!(
        api.t.count("shipment_events").await,
        2,
        "nothing of the bad batch stored"
    );

    // Idempotency-Key: the same request again gets the first answer, marked as replayed.
    let next = json!({"events": [{"shipment": "SH-1", "code": "10", "occurred_at": "2026-11-22T10:00:00Z"}]});
    let first = events(&api, next.clone(), Some("retry-1")).await;
    assert_eq!(first.body["stored"], 1);
    let replay = events(&api, next.clone(), Some("retry-1")).await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.body, first.body, "the first answer, not 'duplicate'");
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    let reused = events(&api, batch, Some("retry-1")).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reused.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(api.t.count("shipment_events").await, 3);
}

#[tokio::test]
async fn scopes_are_enforced_per_endpoint() {
    let api = Api::new().await;
    let reader = create(&api.t.db, "crm", &["customers:read".to_string()])
        .await
        .expect("key");
    for (method, path, body) in [
        (Method::PUT, "/api/v1/customers/C-1", Some(customer())),
        (Method::PUT, "/api/v1/products/MAT-1", Some(product("M", 1))),
        (Method::PUT, "/api/v1/orders/WS-1", Some(webshop_order())),
        (Method::GET, "/api/v1/orders/WS-1", None),
        (
            Method::PUT,
            "/api/v1/companies/H-1",
            Some(json!({"name": "H"})),
        ),
        (Method::PUT, "/api/v1/shipments/SH-1", Some(json!({}))),
        (
            Method::POST,
            "/api/v1/shipment-events",
            Some(json!({"events": []})),
        ),
    ] {
        let reply = api
            .call(method.clone(), path, Some(&reader), body, &[])
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    assert_eq!(api.t.count("customers").await, 0);
    assert_eq!(api.t.count("products").await, 0);
}

#[tokio::test]
async fn a_key_over_its_rate_limit_gets_429_with_retry_after() {
    let api = Api::with_limit(3).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let reply = api.get("/api/v1/customers/C-1").await;
        statuses.push(reply.status);
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(
                reply.headers[header::CONTENT_TYPE],
                "application/problem+json"
            );
            let wait: u64 = reply.headers[header::RETRY_AFTER]
                .to_str()
                .expect("ascii")
                .parse()
                .expect("seconds");
            assert!((1..=60).contains(&wait), "{wait}");
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_the_router_serves() {
    let api = Api::new().await;
    let doc = api
        .call(Method::GET, "/api/v1/openapi.json", None, None, &[])
        .await
        .body;
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    let mut routes: Vec<(String, String)> = server::api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    documented.sort();
    routes.sort();
    assert_eq!(documented, routes);
    for (method, path) in server::api::ROUTES {
        // Fill the path parameters; without a key every real route answers 401, the
        // fallback for an unknown route answers 404.
        let concrete = path
            .replace("{code}", "X")
            .replace("{id}", "X")
            .replace("{sku}", "X")
            .replace("{number}", "X");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let reply = api
            .call(method.clone(), &concrete, None, Some(json!({})), &[])
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} is routed"
        );
        let op = &doc["paths"][*path][method.as_str().to_lowercase()];
        for status in ["401", "403", "429"] {
            assert!(
                op["responses"][status].is_object(),
                "{method} {path} documents {status}"
            );
        }
    }
}

/// The curl example in README.md works as printed: each call, in order, on the demo data.
#[tokio::test]
async fn the_readme_example_works_as_printed() {
    let api = Api::new().await;
    server::seed::demo(&api.t.db).await.expect("demo");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let start = readme.find("```sh\nBIN=").expect("the API example");
    let block = &readme[start..][..readme[start + 3..].find("```").expect("end") + 3];
    let mut calls = 0;
    for piece in block.split("curl -sS").skip(1) {
        let method = match piece.trim_start().strip_prefix("-X ") {
            Some(rest) => rest.split_whitespace().next().expect("method"),
            None => "GET",
        };
        let path = piece
            .split_whitespace()
            .find_map(|w| w.strip_prefix("$API"))
            .map(|p| format!("/api/v1{p}"))
            .expect("a path");
        let body = piece
            .split_once("-d '")
            .map(|(_, rest)| rest.split_once('\'').expect("closing quote").0);
        let body =
            body.map(|b| serde_json::from_str::<Value>(b).expect("the example's JSON parses"));
        let idempotency_key = piece
            .split_once("Idempotency-Key: ")
            .map(|(_, rest)| rest.split('"').next().expect("value"));
        let extra: Vec<(&str, &str)> = idempotency_key
            .map(|k| vec![("idempotency-key", k)])
            .unwrap_or_default();
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let reply = api
            .call(method.clone(), &path, Some(&api.key), body, &extra)
            .await;
        assert!(
            reply.status.is_success(),
            "{method} {path}: {} {}",
            reply.status,
            reply.body
        );
        calls += 1;
    }
    assert_eq!(calls, 7);
    let record = api.get("/api/v1/customers/C-5001").await.body;
    assert_eq!(
        record["order_count"], 2,
        "the webshop order and the store receipt"
    );
    let order = api.get("/api/v1/orders/WS-300001").await.body;
    assert_eq!(
        order["shipments"][0]["events"].as_array().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn an_unconfirmed_address_never_receives_store_purchases() {
    let api = Api::new().await;
    api.basics().await;
    let db = &api.t.db;
    // Someone registers with Piet's address, never confirms it, and tries to make a
    // customer record with it.
    let id = match app::accounts::service::create_account(
        db,
        app::accounts::service::NewAccount {
            email: "piet@example.nl".into(),
            name: "Niet Piet".into(),
            language: app::accounts::Language::Nl,
            password: "een lang genoeg wachtwoord".into(),
            roles: vec![app::accounts::Role::Customer],
            verified: false,
        },
    )
    .await
    .expect("account")
    {
        app::accounts::service::Created::User(id) => id,
        app::accounts::service::Created::EmailTaken => panic!("taken"),
    };
    let squatter = app::accounts::repo::find_by_id(db, id)
        .await
        .expect("query")
        .expect("user")
        .summary(vec![app::accounts::Role::Customer]);
    let address = app::addresses::service::AddressForm {
        name: "Niet Piet".into(),
        street: "Dorpsstraat".into(),
        house_number: "1".into(),
        addition: String::new(),
        postcode: "1234 AB".into(),
        city: "Utrecht".into(),
        country: "NL".into(),
        default_delivery: true,
        default_billing: true,
    };
    let refused =
        app::addresses::service::save_my_address(db, &squatter, None, address, None).await;
    assert_eq!(
        common::field_codes(refused.expect_err("refused")),
        [("street".to_string(), "verify_email_first".to_string())]
    );
    let details =
        app::profile::service::save_details(db, &squatter, "Niet Piet", "0612345678", "", "nl")
            .await;
    assert_eq!(
        common::field_codes(details.expect_err("refused")),
        [("phone".to_string(), "verify_email_first".to_string())]
    );
    assert_eq!(
        common::number(
            db,
            "SELECT COUNT(*) FROM customers WHERE email_normalized = $1",
            "piet@example.nl"
        )
        .await,
        0,
        "no customer record from an unconfirmed address"
    );

    // A record made that way before this rule (or any other way) gets nothing either.
    app::customers::repo::create_for_user(
        db,
        id,
        "Niet Piet",
        "piet@example.nl",
        app::accounts::Language::Nl,
        app::db::Timestamp::now(),
    )
    .await
    .expect("legacy record");
    let mut at_the_till = store_purchase("UTR9Z9Z9Z9");
    at_the_till["email"] = json!("piet@example.nl");
    assert_eq!(
        api.ok("/api/v1/orders/ST-P1", at_the_till).await["customer"],
        Value::Null,
        "waits to be claimed instead"
    );
}

#[tokio::test]
async fn ids_and_queries_that_cannot_be_read_are_problems_too() {
    let api = Api::new().await;
    // Past the 64-bit range: names nothing, so the answer for an unknown id.
    for path in [
        "/api/v1/orders/WS-1/cancellations/99999999999999999999",
        "/api/v1/orders/WS-1/reorders/99999999999999999999",
        "/api/v1/shipments/SH-1/requests/99999999999999999999",
    ] {
        let reply = api.put(path, json!({"status": "accepted"})).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            reply.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{path}"
        );
    }
    let photo = api
        .get("/api/v1/returns/R1/photos/99999999999999999999")
        .await;
    assert_eq!(photo.status, StatusCode::NOT_FOUND);
    assert_eq!(
        photo.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    let query = api.get("/api/v1/customers/C-1?orders_limit=many").await;
    assert_eq!(query.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        query.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(query.body["status"], 400);
}
