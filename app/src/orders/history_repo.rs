//! The SQL of a customer's own order history: the list with its filters, and guest orders
//! and till purchases that become theirs.
use super::repo::store_ref;
use super::{Channel, OrderStatus, OrderSummary};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
struct SummaryRow {
    number: String,
    channel: String,
    store_code: Option<String>,
    store_name: Option<String>,
    placed_at: Timestamp,
    status: String,
    currency: String,
    total_minor: i64,
    item_count: i32,
}

/// A customer's orders, newest first (index `orders_customer`), and how many there are.
pub async fn for_customer(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<(Vec<OrderSummary>, i64), sqlx::Error> {
    let rows: Vec<SummaryRow> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT o.number, o.channel, s.code AS store_code, s.name AS store_name, o.placed_at, o.status, \
         o.currency, o.total_minor, o.item_count \
         FROM orders o LEFT JOIN stores s ON s.id = o.store_id \
         WHERE o.customer_id = $1 ORDER BY o.placed_at DESC, o.id DESC LIMIT $2"
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(pool)
    .await
    })?;
    let (count,): (i64,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT count(*) FROM orders WHERE customer_id = $1"
    )
    .bind(customer_id)
    .fetch_one(pool)
    .await)?;
    let orders = rows
        .into_iter()
        .map(|r| OrderSummary {
            number: r.number,
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Webshop),
            store: store_ref(r.store_code, r.store_name),
            placed_at: r.placed_at.0,
            status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Received),
            currency: r.currency,
            total: r.total_minor,
            item_count: r.item_count,
        })
        .collect();
    Ok((orders, count))
}

/// The order history's filters in SQL terms.
pub struct HistoryFilter<'a> {
    pub customer_id: i64,
    /// The customer buys for a company: its orders are listed too.
    pub with_companies: bool,
    pub channel: Option<Channel>,
    /// `open`, `done`, `cancelled` or empty for all.
    pub status_group: &'a str,
    pub from: Timestamp,
    pub until: Timestamp,
    /// Lower-case, LIKE-escaped, with `%` around it; empty for no search.
    pub pattern: &'a str,
}

#[derive(sqlx::FromRow)]
pub struct HistoryRowData {
    pub number: String,
    pub channel: String,
    pub store_name: Option<String>,
    pub placed_at: Timestamp,
    pub status: String,
    pub currency: String,
    pub total_minor: i64,
    pub first_item: Option<String>,
    pub line_count: i64,
    pub cancellation_requested: bool,
    /// A colleague's name, for a company order someone else placed.
    pub ordered_by: Option<String>,
}

/// The same as `repo`'s `visible_to_customer!` for lists. Written so each database walks two
/// indexes (`orders_customer`, `orders_company`) instead of the whole table, which a
/// plain `OR` makes SQLite do; a customer who buys for no company gets the simple form,
/// which also gives the rows already in order.
fn list_scope(with_companies: bool) -> &'static str {
    if with_companies {
        "o.id IN (SELECT v.id FROM orders v WHERE v.customer_id = $1 \
                  UNION ALL SELECT v.id FROM orders v JOIN company_members m ON m.company_id = v.company_id \
                  WHERE m.customer_id = $1 AND (v.customer_id IS NULL OR v.customer_id <> $1))"
    } else {
        "o.customer_id = $1"
    }
}

/// Whether the customer buys for any company (and so sees its orders too).
pub async fn buys_for_a_company(db: &Db, customer_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT company_id FROM company_members WHERE customer_id = $1 LIMIT 1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

const HISTORY_FILTERS: &str = "($2 = '' OR o.channel = $2) \
     AND ($3 = '' \
          OR ($3 = 'open' AND o.status IN ('received', 'paid', 'processing', 'ready_for_pickup', 'shipped')) \
          OR ($3 = 'done' AND o.status IN ('delivered', 'completed')) \
          OR ($3 = 'cancelled' AND o.status = 'cancelled')) \
     AND o.placed_at >= $4 AND o.placed_at < $5 \
     AND ($6 = '' OR lower(o.number) LIKE $6 ESCAPE '\\' \
          OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND lower(l.name) LIKE $6 ESCAPE '\\'))";

/// One page of a customer's orders, newest first (ties broken by id, so pages are
/// stable), with what a list row shows; one query, however many rows.
pub async fn history_page(
    db: &Db,
    f: &HistoryFilter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<HistoryRowData>, sqlx::Error> {
    let sql = format!(
        "SELECT o.number, o.channel, s.name AS store_name, o.placed_at, o.status, o.currency, o.total_minor, \
         (SELECT l.name FROM order_lines l WHERE l.order_id = o.id ORDER BY l.line_no LIMIT 1) AS first_item, \
         (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS line_count, \
         EXISTS (SELECT 1 FROM cancellation_requests c WHERE c.order_id = o.id AND c.status = 'requested') \
           AS cancellation_requested, \
         CASE WHEN o.customer_id = $1 THEN NULL ELSE oc.name END AS ordered_by \
         FROM orders o LEFT JOIN stores s ON s.id = o.store_id LEFT JOIN customers oc ON oc.id = o.customer_id \
         WHERE {scope} AND {HISTORY_FILTERS} ORDER BY o.placed_at DESC, o.id DESC LIMIT $7 OFFSET $8",
        scope = list_scope(f.with_companies)
    );
    let channel = f.channel.map(Channel::as_str).unwrap_or_default();
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(f.customer_id)
        .bind(channel)
        .bind(f.status_group)
        .bind(f.from)
        .bind(f.until)
        .bind(f.pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await)
}

/// How many orders match the filter, and the oldest and newest order time of all the
/// customer's orders (for the year filter): one query.
pub async fn history_count_and_span(
    db: &Db,
    f: &HistoryFilter<'_>,
) -> Result<(i64, Option<(Timestamp, Timestamp)>), sqlx::Error> {
    let scope = list_scope(f.with_companies);
    let sql = format!(
        "SELECT matching.n, span.oldest, span.newest \
         FROM (SELECT count(*) AS n FROM orders o WHERE {scope} AND {HISTORY_FILTERS}) matching, \
              (SELECT min(o.placed_at) AS oldest, max(o.placed_at) AS newest FROM orders o WHERE {scope}) span"
    );
    let channel = f.channel.map(Channel::as_str).unwrap_or_default();
    let (count, oldest, newest): (i64, Option<Timestamp>, Option<Timestamp>) =
        db_run!(db, |pool| sqlx::query_as(&sql)
            .bind(f.customer_id)
            .bind(channel)
            .bind(f.status_group)
            .bind(f.from)
            .bind(f.until)
            .bind(f.pattern)
            .fetch_one(pool)
            .await)?;
    Ok((count, oldest.zip(newest)))
}

/// Store purchases made with this loyalty card that belong to nobody yet become this
/// customer's; returns how many.
pub async fn attach_by_loyalty_card(
    tx: &mut Tx,
    customer_id: i64,
    card: &str,
) -> Result<u64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE orders SET customer_id = $1 WHERE customer_id IS NULL AND loyalty_card = $2"
    )
    .bind(customer_id)
    .bind(card)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

/// Guest orders (no customer) placed with this e-mail address, newest first. Store
/// purchases are left out: a till e-mail is not proof enough, the receipt code is.
pub async fn guest_orders(
    db: &Db,
    email_normalized: &str,
) -> Result<Vec<HistoryRowData>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT o.number, o.channel, s.name AS store_name, o.placed_at, o.status, o.currency, o.total_minor, \
         (SELECT l.name FROM order_lines l WHERE l.order_id = o.id ORDER BY l.line_no LIMIT 1) AS first_item, \
         (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS line_count, \
         EXISTS (SELECT 1 FROM cancellation_requests c WHERE c.order_id = o.id AND c.status = 'requested') \
           AS cancellation_requested, NULL AS ordered_by \
         FROM orders o LEFT JOIN stores s ON s.id = o.store_id \
         WHERE o.customer_id IS NULL AND o.email_normalized = $1 AND o.channel <> 'store' \
         ORDER BY o.placed_at DESC, o.id DESC LIMIT 50"
    )
    .bind(email_normalized)
    .fetch_all(pool)
    .await
    })
}

/// Attaches the named guest orders placed with this e-mail address; returns how many.
pub async fn attach_guest_order(
    tx: &mut Tx,
    customer_id: i64,
    email_normalized: &str,
    number: &str,
) -> Result<u64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE orders SET customer_id = $1 WHERE number = $3 AND customer_id IS NULL \
         AND email_normalized = $2 AND channel <> 'store'"
    )
    .bind(customer_id)
    .bind(email_normalized)
    .bind(number)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}
