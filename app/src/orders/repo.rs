//! The SQL of orders, their lines and receipts.
use super::{Channel, Fulfilment, Order, OrderLine, OrderStatus, Receipt, StoreRef};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// An order row to write; the lines go separately.
pub struct OrderFields<'a> {
    pub number: &'a str,
    pub channel: Channel,
    pub store_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub company_id: Option<i64>,
    pub email: Option<&'a str>,
    pub email_normalized: Option<&'a str>,
    pub loyalty_card: Option<&'a str>,
    pub placed_at: Timestamp,
    pub status: OrderStatus,
    pub fulfilment: Fulfilment,
    pub collect_store_id: Option<i64>,
    pub currency: &'a str,
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub total: i64,
    pub item_count: i32,
    pub payments_json: &'a str,
    pub delivery_address_json: Option<&'a str>,
    pub billing_address_json: Option<&'a str>,
}

/// Inserts or updates the order with this number; returns its id. A customer once linked
/// (by the till, or by claiming the receipt) stays linked when a later update has none.
pub async fn upsert(tx: &mut Tx, o: &OrderFields<'_>, now: Timestamp) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO orders (number, channel, store_id, customer_id, company_id, email, email_normalized, loyalty_card, \
             placed_at, status, fulfilment, collect_store_id, currency, subtotal_minor, discount_minor, shipping_minor, \
             total_minor, item_count, payments, delivery_address, billing_address, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) \
             ON CONFLICT (number) DO UPDATE SET channel = excluded.channel, store_id = excluded.store_id, \
             customer_id = COALESCE(excluded.customer_id, orders.customer_id), company_id = excluded.company_id, \
             email = excluded.email, email_normalized = excluded.email_normalized, loyalty_card = excluded.loyalty_card, \
             placed_at = excluded.placed_at, status = excluded.status, fulfilment = excluded.fulfilment, \
             collect_store_id = excluded.collect_store_id, currency = excluded.currency, \
             subtotal_minor = excluded.subtotal_minor, discount_minor = excluded.discount_minor, \
             shipping_minor = excluded.shipping_minor, total_minor = excluded.total_minor, item_count = excluded.item_count, \
             payments = excluded.payments, delivery_address = excluded.delivery_address, \
             billing_address = excluded.billing_address, updated_at = excluded.updated_at \
             RETURNING id",
        )
        .bind(o.number)
        .bind(o.channel.as_str())
        .bind(o.store_id)
        .bind(o.customer_id)
        .bind(o.company_id)
        .bind(o.email)
        .bind(o.email_normalized)
        .bind(o.loyalty_card)
        .bind(o.placed_at)
        .bind(o.status.as_str())
        .bind(o.fulfilment.as_str())
        .bind(o.collect_store_id)
        .bind(o.currency)
        .bind(o.subtotal)
        .bind(o.discount)
        .bind(o.shipping)
        .bind(o.total)
        .bind(o.item_count)
        .bind(o.payments_json)
        .bind(o.delivery_address_json)
        .bind(o.billing_address_json)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    Ok(id)
}

pub struct LineFields<'a> {
    pub line_no: i32,
    pub product_id: i64,
    pub sku: &'a str,
    pub name: &'a str,
    pub quantity: i32,
    pub unit_price: i64,
    pub discount: i64,
    pub total: i64,
}

/// Makes the order's lines exactly `lines` (matched by line number, so shipments that
/// point at a line keep pointing at it).
pub async fn replace_lines(
    tx: &mut Tx,
    order_id: i64,
    lines: &[LineFields<'_>],
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM order_lines WHERE order_id = $1 AND line_no > $2"
    )
    .bind(order_id)
    .bind(lines.len() as i32)
    .execute(conn)
    .await
    .map(|_| ()))?;
    for l in lines {
        tx_run!(tx, |conn| {
            sqlx::query(
                "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity, unit_price_minor, discount_minor, total_minor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (order_id, line_no) DO UPDATE SET product_id = excluded.product_id, sku = excluded.sku, \
                 name = excluded.name, quantity = excluded.quantity, unit_price_minor = excluded.unit_price_minor, \
                 discount_minor = excluded.discount_minor, total_minor = excluded.total_minor",
            )
            .bind(order_id)
            .bind(l.line_no)
            .bind(l.product_id)
            .bind(l.sku)
            .bind(l.name)
            .bind(l.quantity)
            .bind(l.unit_price)
            .bind(l.discount)
            .bind(l.total)
            .execute(conn)
            .await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Sets the order's status (e.g. cancelled, when the back office confirmed a cancellation).
pub async fn set_status(
    tx: &mut Tx,
    order_id: i64,
    status: OrderStatus,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE orders SET status = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(order_id)
    .bind(status.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Id of the order with this number.
pub async fn id_by_number(tx: &mut Tx, number: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::id_by_key(tx, "orders", "number", number).await
}

/// Whether a line beyond `line_count` of this order is in a shipment.
pub async fn shipped_beyond(
    tx: &mut Tx,
    order_id: i64,
    line_count: i32,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
        "SELECT sl.shipment_id FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id \
         WHERE ol.order_id = $1 AND ol.line_no > $2 LIMIT 1"
    )
    .bind(order_id)
    .bind(line_count)
    .fetch_optional(conn)
    .await
    })?;
    Ok(row.is_some())
}

/// The order a receipt code belongs to, if any.
pub async fn order_by_receipt_code(tx: &mut Tx, code: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT order_id FROM receipts WHERE code = $1"
    )
    .bind(code)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|r| r.0))
}

pub async fn upsert_receipt(
    tx: &mut Tx,
    order_id: i64,
    code: &str,
    store_id: i64,
    till: Option<&str>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "INSERT INTO receipts (order_id, code, store_id, till, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (order_id) DO UPDATE SET code = excluded.code, store_id = excluded.store_id, till = excluded.till"
    )
    .bind(order_id)
    .bind(code)
    .bind(store_id)
    .bind(till)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// Gives an unclaimed receipt's purchase to a customer; its order number, or `None` when the code is unknown,
/// already claimed, or its purchase already belongs to someone.
pub async fn claim_receipt(
    tx: &mut Tx,
    code: &str,
    customer_id: i64,
    now: Timestamp,
) -> Result<Option<String>, sqlx::Error> {
    // The receipt row is the lock: of two claims at once, one updates it, the other finds
    // it claimed.
    let claimed: Option<(i64,)> = tx_run!(tx, |conn| sqlx::query_as(
        "UPDATE receipts SET claimed_at = $2 WHERE code = $1 AND claimed_at IS NULL \
         AND order_id IN (SELECT id FROM orders WHERE customer_id IS NULL) RETURNING order_id"
    )
    .bind(code)
    .bind(now)
    .fetch_optional(conn)
    .await)?;
    let Some((order_id,)) = claimed else {
        return Ok(None);
    };
    let (number,): (String,) = tx_run!(tx, |conn| sqlx::query_as(
        "UPDATE orders SET customer_id = $2, updated_at = $3 WHERE id = $1 RETURNING number"
    )
    .bind(order_id)
    .bind(customer_id)
    .bind(now)
    .fetch_one(conn)
    .await)?;
    Ok(Some(number))
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    number: String,
    channel: String,
    store_code: Option<String>,
    store_name: Option<String>,
    customer: Option<String>,
    company: Option<String>,
    email: Option<String>,
    placed_at: Timestamp,
    status: String,
    fulfilment: String,
    collect_code: Option<String>,
    collect_name: Option<String>,
    currency: String,
    subtotal_minor: i64,
    discount_minor: i64,
    shipping_minor: i64,
    total_minor: i64,
    payments: String,
    delivery_address: Option<String>,
    billing_address: Option<String>,
}

pub(super) fn store_ref(code: Option<String>, name: Option<String>) -> Option<StoreRef> {
    Some(StoreRef {
        code: code?,
        name: name?,
    })
}

fn json_or<T: serde::de::DeserializeOwned>(text: Option<&str>, what: &str) -> Option<T> {
    let text = text?;
    serde_json::from_str(text)
        .inspect_err(|err| tracing::warn!(field = what, error = %err, "unreadable JSON column"))
        .ok()
}

/// The whole order with this number (lines, receipt; shipments come from their area),
/// and its id.
pub async fn find(db: &Db, number: &str) -> Result<Option<(i64, Order)>, sqlx::Error> {
    let row: Option<OrderRow> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT o.id, o.number, o.channel, s.code AS store_code, s.name AS store_name, c.external_id AS customer, \
         co.external_id AS company, o.email, o.placed_at, o.status, o.fulfilment, cs.code AS collect_code, \
         cs.name AS collect_name, o.currency, o.subtotal_minor, o.discount_minor, o.shipping_minor, o.total_minor, \
         o.payments, o.delivery_address, o.billing_address \
         FROM orders o LEFT JOIN stores s ON s.id = o.store_id LEFT JOIN stores cs ON cs.id = o.collect_store_id \
         LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN companies co ON co.id = o.company_id \
         WHERE o.number = $1"
    )
    .bind(number)
    .fetch_optional(pool)
    .await
    })?;
    let Some(r) = row else { return Ok(None) };
    let lines: Vec<OrderLine> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT line_no AS line, sku, name, quantity, unit_price_minor AS unit_price, discount_minor AS discount, \
             total_minor AS total, cancelled_quantity AS cancelled \
             FROM order_lines WHERE order_id = $1 ORDER BY line_no"
        )
        .bind(r.id)
        .fetch_all(pool)
        .await
    })?;
    let receipt: Option<(String, String, Option<String>, Option<Timestamp>)> = db_run!(
        db,
        |pool| {
            sqlx::query_as(
            "SELECT r.code, s.code, r.till, r.claimed_at FROM receipts r JOIN stores s ON s.id = r.store_id \
             WHERE r.order_id = $1"
        )
        .bind(r.id)
        .fetch_optional(pool)
        .await
        }
    )?;
    let order = Order {
        number: r.number,
        channel: Channel::parse(&r.channel).unwrap_or(Channel::Webshop),
        store: store_ref(r.store_code, r.store_name),
        customer: r.customer,
        company: r.company,
        email: r.email,
        placed_at: r.placed_at.0,
        status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Received),
        fulfilment: Fulfilment::parse(&r.fulfilment).unwrap_or(Fulfilment::Delivery),
        collect_store: store_ref(r.collect_code, r.collect_name),
        currency: r.currency,
        subtotal: r.subtotal_minor,
        discount: r.discount_minor,
        shipping: r.shipping_minor,
        total: r.total_minor,
        payments: json_or(Some(&r.payments), "payments").unwrap_or_default(),
        delivery_address: json_or(r.delivery_address.as_deref(), "delivery_address"),
        billing_address: json_or(r.billing_address.as_deref(), "billing_address"),
        lines,
        receipt: receipt.map(|(code, store, till, claimed_at)| Receipt {
            code,
            store,
            till,
            claimed: claimed_at.is_some(),
        }),
        shipments: Vec::new(),
    };
    Ok(Some((r.id, order)))
}

/// The orders customer `$1` may see: their own, and those of every company they buy for
/// (colleagues reorder from each other's orders).
macro_rules! visible_to_customer {
    () => {
        "(o.customer_id = $1 OR o.company_id IN \
          (SELECT m.company_id FROM company_members m WHERE m.customer_id = $1))"
    };
}

/// The order with this number if it belongs to this customer (else `None`: another
/// customer's order number looks exactly like one that does not exist).
pub async fn find_for_customer(
    db: &Db,
    customer_id: i64,
    number: &str,
) -> Result<Option<(i64, Order)>, sqlx::Error> {
    let owned: Option<(i64,)> = db_run!(db, |pool| sqlx::query_as(concat!(
        "SELECT o.id FROM orders o WHERE o.number = $2 AND ",
        visible_to_customer!()
    ))
    .bind(customer_id)
    .bind(number)
    .fetch_optional(pool)
    .await)?;
    if owned.is_none() {
        return Ok(None);
    }
    find(db, number).await
}

/// Who placed the order, when that is not `customer_id` (a colleague's company order).
pub async fn ordered_by_other(
    db: &Db,
    order_id: i64,
    customer_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT c.name FROM orders o JOIN customers c ON c.id = o.customer_id \
         WHERE o.id = $1 AND o.customer_id <> $2"
    )
    .bind(order_id)
    .bind(customer_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(name,)| name))
}

/// Whether the customer has bought anything, in any channel (cancelled orders do not
/// count): what the soft opt-in for marketing e-mail rests on.
pub async fn has_bought(db: &Db, customer_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id FROM orders WHERE customer_id = $1 AND status <> 'cancelled' LIMIT 1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

/// What an order's status line is made of, for an order found by number.
#[derive(sqlx::FromRow)]
pub struct StatusFactsRow {
    pub number: String,
    pub id: i64,
    pub channel: String,
    pub status: String,
    pub fulfilment: String,
    /// The store to collect from, else the store it was bought in.
    pub store_name: Option<String>,
}

/// [`StatusFactsRow`] of each of these orders that exists (one query).
pub async fn status_facts(db: &Db, numbers: &[&str]) -> Result<Vec<StatusFactsRow>, sqlx::Error> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(numbers).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "SELECT o.number, o.id, o.channel, o.status, o.fulfilment, COALESCE(cs.name, s.name) AS store_name \
         FROM orders o LEFT JOIN stores s ON s.id = o.store_id LEFT JOIN stores cs ON cs.id = o.collect_store_id \
         WHERE o.number IN {}",
        db.backend().texts_in(1)
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(&list)
        .fetch_all(pool)
        .await)
}

/// Name, e-mail address and language of the customer of an order: whoever should hear
/// about what happens to it (a cancellation decided, a return).
pub async fn customer_contact(
    db: &Db,
    order_id: i64,
) -> Result<Option<(String, Option<String>, String)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT c.name, COALESCE(u.email, c.email), c.language FROM orders o \
         JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = c.user_id \
         WHERE o.id = $1"
    )
    .bind(order_id)
    .fetch_optional(pool)
    .await)
}

/// The customers of the order with this number or of the till receipt with this code
/// (customer service's search), by id; both lookups use their unique index.
pub async fn customers_by_number_or_receipt(
    db: &Db,
    number: &str,
    receipt_code: Option<&str>,
) -> Result<Vec<i64>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_scalar(
        "SELECT customer_id FROM orders WHERE number = $1 AND customer_id IS NOT NULL \
         UNION SELECT o.customer_id FROM receipts r JOIN orders o ON o.id = r.order_id \
         WHERE r.code = $2 AND o.customer_id IS NOT NULL"
    )
    .bind(number)
    .bind(receipt_code)
    .fetch_all(pool)
    .await)
}
