//! `server seed scale`: realistic bulk data for benchmarks — customers with addresses and
//! loyalty cards, orders from every channel with lines, till receipts, shipments with
//! carrier events. Written with multi-row INSERTs in large transactions (100,000
//! customers × 10 orders takes minutes, not hours), bypassing the per-request services
//! but keeping their rules (totals add up, shipments never exceed the lines). The same
//! `--seed` on an empty database gives the same data: times count back from a fixed day.
use app::accounts::service::{NewAccount, create_account};
use app::accounts::{Language, Role, normalize_email};
use app::db::{Db, Timestamp, Tx};
use app::tx_run;
use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone)]
pub struct ScaleOptions {
    pub customers: u64,
    pub orders_per_customer: u32,
    pub lines_per_order: u32,
    pub products: u32,
    pub seed: u64,
    /// A customer with a login and this many orders, e.g. for the benchmark
    /// (`bench@example.com`), created first so it has the lowest ids.
    pub featured: Option<(String, u32)>,
}

/// The password of the featured customer's account (benchmark data only).
pub const FEATURED_PASSWORD: &str = "schaal-bench-wachtwoord";

/// Customers per transaction: big enough to be fast, small enough to keep memory flat.
const BATCH_CUSTOMERS: u64 = 2_000;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ScaleReport {
    pub customers: u64,
    pub orders: u64,
    pub lines: u64,
    pub shipments: u64,
    pub events: u64,
}

enum V {
    I(i64),
    OptI(Option<i64>),
    T(String),
    OptT(Option<String>),
    Ts(Timestamp),
    D(NaiveDate),
    B(bool),
}

struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    suffix: &'static str,
    rows: Vec<Vec<V>>,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Table {
        Table {
            name,
            columns,
            suffix: "",
            rows: Vec::new(),
        }
    }

    async fn flush(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        // SQLite takes at most 32,766 bound values per statement.
        let per_statement = (30_000 / self.columns.len()).max(1);
        let head = format!("INSERT INTO {} ({}) ", self.name, self.columns.join(", "));
        for chunk in self.rows.chunks(per_statement) {
            tx_run!(&mut *tx, |conn| {
                let mut qb = sqlx::QueryBuilder::new(&head);
                qb.push_values(chunk, |mut b, row| {
                    for value in row {
                        match value {
                            V::I(v) => b.push_bind(*v),
                            V::OptI(v) => b.push_bind(*v),
                            V::T(v) => b.push_bind(v.as_str()),
                            V::OptT(v) => b.push_bind(v.as_deref()),
                            V::Ts(v) => b.push_bind(*v),
                            V::D(v) => b.push_bind(*v),
                            V::B(v) => b.push_bind(*v),
                        };
                    }
                });
                qb.push(self.suffix);
                qb.build().execute(conn).await.map(|_| ())
            })?;
        }
        self.rows.clear();
        Ok(())
    }
}

const FIRST: &[&str] = &[
    "Emma", "Daan", "Sophie", "Lucas", "Julia", "Sem", "Tess", "Finn", "Mila", "Noah", "Lotte",
    "Bram", "Sara", "Milan", "Eva", "Jesse", "Anouk", "Thijs", "Fleur", "Ruben", "Yara", "Mohamed",
    "Noor", "Levi",
];
const LAST: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "El Idrissi",
    "Yilmaz",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Amsterdam", "Prinsengracht", "1015"),
    ("Utrecht", "Biltstraat", "3572"),
    ("Rotterdam", "Coolsingel", "3011"),
    ("Eindhoven", "Stratumseind", "5611"),
    ("Groningen", "Vismarkt", "9711"),
    ("Den Haag", "Frederikstraat", "2514"),
    ("Zwolle", "Diezerstraat", "8011"),
];
const CATEGORIES: &[(&str, &str, i64)] = &[
    ("mattresses", "Matras", 59900),
    ("pillows", "Hoofdkussen", 4995),
    ("duvets", "Dekbed", 9995),
    ("bed-frames", "Bedframe", 79900),
    ("linen", "Hoeslaken", 2995),
];
/// Per carrier: the codes of a parcel's life, in order (see the demo world).
const CARRIER_CODES: &[(&str, &[&str])] = &[
    ("postnl", &["1", "2", "5", "7", "10"]),
    (
        "dhl",
        &[
            "PRENOTIFICATION_RECEIVED",
            "PARCEL_ARRIVED_AT_LOCAL_DEPOT",
            "OUT_FOR_DELIVERY",
            "DELIVERED",
        ],
    ),
    (
        "dpd",
        &[
            "ACCEPTED",
            "AT_SENDING_DEPOT",
            "AT_DELIVERY_DEPOT",
            "OUT_FOR_DELIVERY",
            "DELIVERED",
        ],
    ),
];

async fn next_id(tx: &mut Tx, table: &str) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COALESCE(max(id), 0) + 1 FROM {table}");
    let (id,): (i64,) = tx_run!(&mut *tx, |conn| sqlx::query_as(&sql).fetch_one(conn).await)?;
    Ok(id)
}

struct Ids {
    customer: i64,
    address: i64,
    order: i64,
    line: i64,
    receipt: i64,
    shipment: i64,
    event: i64,
}

/// Loads the data set; returns what it wrote.
pub async fn scale(db: &Db, options: &ScaleOptions) -> Result<ScaleReport, String> {
    let err = |e: sqlx::Error| e.to_string();
    super::mark_generated(db, super::SCALE_SEEDED_KEY)
        .await
        .map_err(err)?;
    super::stores(db).await.map_err(err)?;
    let mut rng = StdRng::seed_from_u64(options.seed);
    let anchor: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let now = Timestamp::now();

    let stores: Vec<(i64,)> = app::db_run!(db, |pool| sqlx::query_as(
        "SELECT id FROM stores ORDER BY code"
    )
    .fetch_all(pool)
    .await)
    .map_err(err)?;
    let stores: Vec<i64> = stores.into_iter().map(|s| s.0).collect();
    let products = ensure_products(db, options.products, now)
        .await
        .map_err(err)?;

    let featured_user = match &options.featured {
        None => None,
        Some((email, _)) => {
            let account = NewAccount {
                email: email.clone(),
                name: "Bench Klant".into(),
                language: Language::Nl,
                password: FEATURED_PASSWORD.into(),
                roles: vec![Role::Customer],
                verified: true,
            };
            create_account(db, account)
                .await
                .map_err(|e| format!("featured account: {e}"))?;
            let id: Option<(i64,)> = app::db_run!(db, |pool| sqlx::query_as(
                "SELECT id FROM users WHERE email_normalized = $1"
            )
            .bind(normalize_email(email))
            .fetch_optional(pool)
            .await)
            .map_err(err)?;
            id.map(|r| r.0)
        }
    };

    let mut report = ScaleReport::default();
    let total = options.customers + u64::from(options.featured.is_some());
    let mut done = 0u64;
    while done < total {
        let batch = BATCH_CUSTOMERS.min(total - done);
        let mut tx = db.begin().await.map_err(err)?;
        let mut ids = Ids {
            customer: next_id(&mut tx, "customers").await.map_err(err)?,
            address: next_id(&mut tx, "addresses").await.map_err(err)?,
            order: next_id(&mut tx, "orders").await.map_err(err)?,
            line: next_id(&mut tx, "order_lines").await.map_err(err)?,
            receipt: next_id(&mut tx, "receipts").await.map_err(err)?,
            shipment: next_id(&mut tx, "shipments").await.map_err(err)?,
            event: next_id(&mut tx, "shipment_events").await.map_err(err)?,
        };
        let mut t = Tables::new();
        for i in 0..batch {
            let featured = done + i == 0 && options.featured.is_some();
            let orders = match (&options.featured, featured) {
                (Some((_, n)), true) => *n,
                _ => options.orders_per_customer,
            };
            let email = match (&options.featured, featured) {
                (Some((email, _)), true) => email.clone(),
                _ => format!("klant{}@scale.example", ids.customer),
            };
            let user_id = if featured { featured_user } else { None };
            customer(
                &mut rng,
                &mut t,
                &mut ids,
                &mut report,
                &email,
                user_id,
                orders,
                options,
                &stores,
                &products,
                anchor,
                now,
            );
        }
        t.flush(&mut tx).await.map_err(err)?;
        tx.commit().await.map_err(err)?;
        done += batch;
        report.customers += batch;
    }
    if let Db::Postgres(pool) = db {
        // Rows were written with explicit ids: move the identity sequences past them.
        for table in [
            "customers",
            "addresses",
            "orders",
            "order_lines",
            "receipts",
            "shipments",
            "shipment_events",
            "products",
        ] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(max(id), 1) FROM {table}))"
            ))
            .execute(pool)
            .await
            .map_err(err)?;
        }
        sqlx::query("ANALYZE").execute(pool).await.map_err(err)?;
    } else if let Db::Sqlite(pool) = db {
        sqlx::query("ANALYZE").execute(pool).await.map_err(err)?;
    }
    Ok(report)
}

struct Tables {
    customers: Table,
    search: Table,
    addresses: Table,
    orders: Table,
    lines: Table,
    receipts: Table,
    shipments: Table,
    shipment_lines: Table,
    events: Table,
}

impl Tables {
    fn new() -> Tables {
        Tables {
            customers: Table::new(
                "customers",
                &[
                    "id",
                    "external_id",
                    "user_id",
                    "email",
                    "email_normalized",
                    "name",
                    "phone",
                    "language",
                    "loyalty_card",
                    "created_at",
                    "updated_at",
                ],
            ),
            search: Table::new("customer_search", &["customer_id", "term"]),
            addresses: Table::new(
                "addresses",
                &[
                    "id",
                    "customer_id",
                    "external_id",
                    "name",
                    "street",
                    "house_number",
                    "postcode",
                    "city",
                    "country",
                    "is_default_delivery",
                    "is_default_billing",
                    "created_at",
                    "updated_at",
                ],
            ),
            orders: Table::new(
                "orders",
                &[
                    "id",
                    "number",
                    "channel",
                    "store_id",
                    "customer_id",
                    "email",
                    "email_normalized",
                    "placed_at",
                    "status",
                    "fulfilment",
                    "currency",
                    "subtotal_minor",
                    "discount_minor",
                    "shipping_minor",
                    "total_minor",
                    "item_count",
                    "payments",
                    "delivery_address",
                    "billing_address",
                    "created_at",
                    "updated_at",
                ],
            ),
            lines: Table::new(
                "order_lines",
                &[
                    "id",
                    "order_id",
                    "line_no",
                    "product_id",
                    "sku",
                    "name",
                    "quantity",
                    "unit_price_minor",
                    "discount_minor",
                    "total_minor",
                ],
            ),
            receipts: Table::new(
                "receipts",
                &["id", "order_id", "code", "store_id", "till", "created_at"],
            ),
            shipments: Table::new(
                "shipments",
                &[
                    "id",
                    "external_id",
                    "order_id",
                    "carrier",
                    "tracking_number",
                    "promised_date",
                    "latest_event_at",
                    "status",
                    "created_at",
                    "updated_at",
                ],
            ),
            shipment_lines: Table::new(
                "shipment_lines",
                &["shipment_id", "order_line_id", "quantity"],
            ),
            events: Table::new(
                "shipment_events",
                &[
                    "id",
                    "shipment_id",
                    "code",
                    "description",
                    "location",
                    "occurred_at",
                    "received_at",
                ],
            ),
        }
    }

    async fn flush(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        // Parents before children (foreign keys are checked per statement).
        for table in [
            &mut self.customers,
            &mut self.search,
            &mut self.addresses,
            &mut self.orders,
            &mut self.lines,
            &mut self.receipts,
            &mut self.shipments,
            &mut self.shipment_lines,
            &mut self.events,
        ] {
            table.flush(tx).await?;
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn customer(
    rng: &mut StdRng,
    t: &mut Tables,
    ids: &mut Ids,
    report: &mut ScaleReport,
    email: &str,
    user_id: Option<i64>,
    orders: u32,
    options: &ScaleOptions,
    stores: &[i64],
    products: &[(i64, String, String, i64)],
    anchor: DateTime<Utc>,
    now: Timestamp,
) {
    let customer_id = ids.customer;
    ids.customer += 1;
    let name = format!(
        "{} {}",
        FIRST[rng.random_range(0..FIRST.len())],
        LAST[rng.random_range(0..LAST.len())]
    );
    let (city, street, pc) = CITIES[rng.random_range(0..CITIES.len())];
    let number = rng.random_range(1..300).to_string();
    let postcode = format!(
        "{pc} {}{}",
        char::from(b'A' + rng.random_range(0..20u8)),
        char::from(b'B' + rng.random_range(0..20u8))
    );
    let has_card = rng.random_bool(0.6);
    // Derived from the id, not drawn: the seed's other values stay what they were.
    let phone = format!("06 {:08}", customer_id % 100_000_000);
    t.customers.rows.push(vec![
        V::I(customer_id),
        V::T(format!("SC{customer_id}")),
        V::OptI(user_id),
        V::T(email.to_string()),
        V::T(normalize_email(email)),
        V::T(name.clone()),
        V::T(phone.clone()),
        V::T("nl".into()),
        V::OptT(has_card.then(|| format!("27{customer_id:011}"))),
        V::Ts(now),
        V::Ts(now),
    ]);
    // The same terms `customers::repo::refresh_search` writes, so the search finds them.
    for term in
        app::customers::search::terms(&name, Some(&phone), [(postcode.as_str(), number.as_str())])
    {
        t.search.rows.push(vec![V::I(customer_id), V::T(term)]);
    }
    t.addresses.rows.push(vec![
        V::I(ids.address),
        V::I(customer_id),
        V::T("home".into()),
        V::T(name.clone()),
        V::T(street.into()),
        V::T(number.clone()),
        V::T(postcode.clone()),
        V::T(city.into()),
        V::T("NL".into()),
        V::B(true),
        V::B(true),
        V::Ts(now),
        V::Ts(now),
    ]);
    ids.address += 1;
    let address_json = serde_json::json!({"name": name, "street": street, "house_number": number,
        "postcode": postcode, "city": city, "country": "NL"})
    .to_string();

    for _ in 0..orders {
        let order_id = ids.order;
        ids.order += 1;
        let roll: f64 = rng.random();
        let channel = if roll < 0.70 {
            "webshop"
        } else if roll < 0.90 {
            "store"
        } else {
            "phone"
        };
        let age_minutes = rng.random_range(0..(730 * 24 * 60));
        let placed = Timestamp(anchor - TimeDelta::minutes(age_minutes));
        let recent = age_minutes < 5 * 24 * 60;
        let store_id = (channel == "store").then(|| stores[rng.random_range(0..stores.len())]);
        let mut subtotal = 0i64;
        let mut items = 0i64;
        let mut order_lines = Vec::new();
        for line_no in 1..=options.lines_per_order {
            let (product_id, sku, name, price) = &products[rng.random_range(0..products.len())];
            let quantity = if rng.random_bool(0.8) {
                1
            } else {
                rng.random_range(2..4)
            };
            let total = price * quantity;
            subtotal += total;
            items += quantity;
            t.lines.rows.push(vec![
                V::I(ids.line),
                V::I(order_id),
                V::I(i64::from(line_no)),
                V::I(*product_id),
                V::T(sku.clone()),
                V::T(name.clone()),
                V::I(quantity),
                V::I(*price),
                V::I(0),
                V::I(total),
            ]);
            order_lines.push((ids.line, quantity));
            ids.line += 1;
        }
        let shipping = if channel == "store" || subtotal >= 5000 {
            0
        } else {
            495
        };
        let total = subtotal + shipping;
        let status = match (channel, recent) {
            ("store", _) => "completed",
            (_, false) => "delivered",
            (_, true) => ["paid", "processing", "shipped", "shipped"][rng.random_range(0..4)],
        };
        let method = match channel {
            "store" => "pin",
            "phone" => "payment_link",
            _ => "ideal",
        };
        let delivery = (channel != "store").then(|| address_json.clone());
        t.orders.rows.push(vec![
            V::I(order_id),
            V::T(format!("SO{order_id:09}")),
            V::T(channel.into()),
            V::OptI(store_id),
            V::I(customer_id),
            V::T(email.to_string()),
            V::T(normalize_email(email)),
            V::Ts(placed),
            V::T(status.into()),
            V::T(
                if channel == "store" {
                    "carry_out"
                } else {
                    "delivery"
                }
                .into(),
            ),
            V::T("EUR".into()),
            V::I(subtotal),
            V::I(0),
            V::I(shipping),
            V::I(total),
            V::I(items),
            V::T(format!(
                r#"[{{"method":"{method}","amount":{total},"currency":"EUR"}}]"#
            )),
            V::OptT(delivery.clone()),
            V::OptT(delivery),
            V::Ts(placed),
            V::Ts(placed),
        ]);
        report.orders += 1;
        report.lines += u64::from(options.lines_per_order);
        if let Some(store_id) = store_id {
            t.receipts.rows.push(vec![
                V::I(ids.receipt),
                V::I(order_id),
                V::T(format!("SR{order_id:09}")),
                V::I(store_id),
                V::OptT(Some(rng.random_range(1..5).to_string())),
                V::Ts(placed),
            ]);
            ids.receipt += 1;
            continue;
        }
        if matches!(status, "paid" | "processing") {
            continue;
        }
        let (carrier, codes) = CARRIER_CODES[rng.random_range(0..CARRIER_CODES.len())];
        let shipment_id = ids.shipment;
        ids.shipment += 1;
        let events = if status == "delivered" {
            codes.len()
        } else {
            rng.random_range(1..codes.len())
        };
        let event_time = |k: usize| placed + TimeDelta::hours(6 + 9 * k as i64);
        t.shipments.rows.push(vec![
            V::I(shipment_id),
            V::T(format!("SS{shipment_id:09}")),
            V::I(order_id),
            V::T(carrier.into()),
            V::T(format!("SCL{shipment_id:010}")),
            V::D((placed.0 + TimeDelta::days(2)).date_naive()),
            V::Ts(event_time(events - 1)),
            // The status the carrier's latest event gives, as `shipments::service::
            // refresh_status` stores it: without it the server's background check would
            // first work through every seeded parcel (and skew the benchmark doing so).
            V::OptT(
                app::shipments::carriers::map_event(carrier, codes[events - 1])
                    .map(|s| s.as_str().to_string()),
            ),
            V::Ts(placed),
            V::Ts(placed),
        ]);
        for (line_id, quantity) in order_lines {
            t.shipment_lines
                .rows
                .push(vec![V::I(shipment_id), V::I(line_id), V::I(quantity)]);
        }
        for (k, code) in codes.iter().take(events).enumerate() {
            t.events.rows.push(vec![
                V::I(ids.event),
                V::I(shipment_id),
                V::T((*code).into()),
                V::T(String::new()),
                V::OptT(Some(city.into())),
                V::Ts(event_time(k)),
                V::Ts(event_time(k)),
            ]);
            ids.event += 1;
        }
        report.shipments += 1;
        report.events += events as u64;
    }
}

/// Makes sure `count` scale products (`SCL-0001`…) exist; returns (id, sku, name, price).
async fn ensure_products(
    db: &Db,
    count: u32,
    now: Timestamp,
) -> Result<Vec<(i64, String, String, i64)>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut table = Table::new(
        "products",
        &[
            "sku",
            "name",
            "description",
            "category",
            "price_minor",
            "currency",
            "attributes",
            "created_at",
            "updated_at",
        ],
    );
    table.suffix = " ON CONFLICT (sku) DO NOTHING";
    for n in 1..=count.max(1) {
        let (category, noun, base) = CATEGORIES[n as usize % CATEGORIES.len()];
        let price = base + i64::from(n % 7) * 1000;
        table.rows.push(vec![
            V::T(format!("SCL-{n:04}")),
            V::T(format!("{noun} model {n}")),
            V::T(String::new()),
            V::T(category.into()),
            V::I(price),
            V::T("EUR".into()),
            V::T("{}".into()),
            V::Ts(now),
            V::Ts(now),
        ]);
    }
    table.flush(&mut tx).await?;
    let limit = i64::from(count.max(1));
    let rows: Vec<(i64, String, String, i64)> = tx_run!(&mut tx, |conn| {
        sqlx::query_as(
        "SELECT id, sku, name, price_minor FROM products WHERE sku LIKE 'SCL-%' ORDER BY sku LIMIT $1"
    )
    .bind(limit)
    .fetch_all(conn)
    .await
    })?;
    tx.commit().await?;
    Ok(rows)
}
