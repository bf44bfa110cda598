//! The SQL of returns.
use super::policy::Policy;
use super::{Outcome, Resolution, Return, ReturnLine, ReturnMethod, ReturnStatus};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
struct PolicyRow {
    default_days: i32,
    trial_category: Option<String>,
    trial_nights: i32,
    carrier_cost_minor: i64,
    conditions_nl: String,
    conditions_en: String,
}

/// The policy row and category windows; the built-in default when none is set.
pub async fn policy(db: &Db) -> Result<Policy, sqlx::Error> {
    let row: Option<PolicyRow> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT default_days, trial_category, trial_nights, carrier_cost_minor, conditions_nl, conditions_en \
         FROM return_policy WHERE id = 1"
    )
    .fetch_optional(pool)
    .await
    })?;
    let categories: Vec<(String, i32)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT category, days FROM return_policy_categories ORDER BY category"
    )
    .fetch_all(pool)
    .await)?;
    Ok(match row {
        Some(r) => Policy {
            default_days: r.default_days,
            categories,
            trial_category: r.trial_category,
            trial_nights: r.trial_nights,
            carrier_cost: r.carrier_cost_minor,
            conditions_nl: r.conditions_nl,
            conditions_en: r.conditions_en,
        },
        None => Policy {
            categories,
            ..Policy::default()
        },
    })
}

/// Sets the policy (the admin's page, the demo).
pub async fn save_policy(tx: &mut Tx, p: &Policy, now: Timestamp) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "INSERT INTO return_policy (id, default_days, trial_category, trial_nights, carrier_cost_minor, \
         conditions_nl, conditions_en, updated_at) VALUES (1, $1, $2, $3, $4, $6, $7, $5) \
         ON CONFLICT (id) DO UPDATE SET default_days = excluded.default_days, \
         trial_category = excluded.trial_category, trial_nights = excluded.trial_nights, \
         carrier_cost_minor = excluded.carrier_cost_minor, conditions_nl = excluded.conditions_nl, \
         conditions_en = excluded.conditions_en, updated_at = excluded.updated_at"
    )
    .bind(p.default_days)
    .bind(p.trial_category.as_deref())
    .bind(p.trial_nights)
    .bind(p.carrier_cost)
    .bind(now)
    .bind(&p.conditions_nl)
    .bind(&p.conditions_en)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM return_policy_categories"
    )
    .execute(conn)
    .await
    .map(|_| ()))?;
    for (category, days) in &p.categories {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO return_policy_categories (category, days) VALUES ($1, $2)"
        )
        .bind(category)
        .bind(*days)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Pieces of each line already in a return, by line number.
pub async fn returned_quantities(db: &Db, order_id: i64) -> Result<Vec<(i32, i32)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT line_no, returned_quantity FROM order_lines WHERE order_id = $1 ORDER BY line_no"
    )
    .bind(order_id)
    .fetch_all(pool)
    .await)
}

/// Takes `quantity` pieces of a line for a return, only if that many are still free;
/// `false` when another return took them first. One conditional update: atomic on both
/// engines, so two returns at once cannot both have the same piece.
pub async fn reserve(
    tx: &mut Tx,
    order_id: i64,
    line_no: i32,
    quantity: i32,
) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE order_lines SET returned_quantity = returned_quantity + $3 \
         WHERE order_id = $1 AND line_no = $2 \
           AND returned_quantity + $3 <= quantity - cancelled_quantity"
    )
    .bind(order_id)
    .bind(line_no)
    .bind(quantity)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Gives pieces back (a cancelled return, a rejected line).
pub async fn release(
    tx: &mut Tx,
    order_id: i64,
    line_no: i32,
    quantity: i32,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE order_lines SET returned_quantity = CASE WHEN returned_quantity >= $3 \
           THEN returned_quantity - $3 ELSE 0 END WHERE order_id = $1 AND line_no = $2"
    )
    .bind(order_id)
    .bind(line_no)
    .bind(quantity)
    .execute(conn)
    .await
    .map(|_| ()))
}

pub struct NewReturn<'a> {
    pub code: &'a str,
    pub order_id: i64,
    pub customer_id: Option<i64>,
    pub method: ReturnMethod,
    pub resolution: Resolution,
    pub drop_off_store_id: Option<i64>,
    pub pickup_date: Option<&'a str>,
    pub pickup_slot: Option<&'a str>,
    pub currency: &'a str,
    pub refund: i64,
    pub cost: i64,
    pub refund_to: Option<&'a str>,
    pub started_by: Option<i64>,
    pub started_in: &'a str,
    pub status: ReturnStatus,
}

pub async fn insert(tx: &mut Tx, r: &NewReturn<'_>, now: Timestamp) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO returns (code, order_id, customer_id, status, method, resolution, drop_off_store_id, \
         pickup_date, pickup_slot, currency, refund_minor, cost_minor, refund_to, started_by, started_in, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
         RETURNING id"
    )
    .bind(r.code)
    .bind(r.order_id)
    .bind(r.customer_id)
    .bind(r.status.as_str())
    .bind(r.method.as_str())
    .bind(r.resolution.as_str())
    .bind(r.drop_off_store_id)
    .bind(r.pickup_date)
    .bind(r.pickup_slot)
    .bind(r.currency)
    .bind(r.refund)
    .bind(r.cost)
    .bind(r.refund_to)
    .bind(r.started_by)
    .bind(r.started_in)
    .bind(now)
    .fetch_one(conn)
    .await
    })?;
    Ok(id)
}

pub async fn insert_line(tx: &mut Tx, return_id: i64, l: &ReturnLine) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO return_lines (return_id, line_no, quantity, reason, note, exchange_for) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(return_id)
    .bind(l.line)
    .bind(l.quantity)
    .bind(&l.reason)
    .bind(l.note.as_deref())
    .bind(l.exchange_for.as_deref())
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Who did what to a return, in which role and store.
pub struct Step<'a> {
    pub return_id: i64,
    pub action: &'a str,
    pub user_id: Option<i64>,
    pub role: &'a str,
    pub store_id: Option<i64>,
    pub details: Option<&'a str>,
}

pub async fn record(tx: &mut Tx, s: &Step<'_>, now: Timestamp) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO return_events (return_id, action, user_id, role, store_id, details, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(s.return_id)
    .bind(s.action)
    .bind(s.user_id)
    .bind(s.role)
    .bind(s.store_id)
    .bind(s.details)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Moves a return to `to` if it is in one of `from`; `false` otherwise (someone else
/// moved it first).
pub async fn set_status(
    tx: &mut Tx,
    return_id: i64,
    from: &[ReturnStatus],
    to: ReturnStatus,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let allowed: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let sql = format!(
        "UPDATE returns SET status = $2, updated_at = $3 WHERE id = $1 AND status IN ({})",
        allowed
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    tx_run!(tx, |conn| sqlx::query(&sql)
        .bind(return_id)
        .bind(to.as_str())
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected() == 1))
}

pub async fn set_outcome(
    tx: &mut Tx,
    return_id: i64,
    line_no: i32,
    outcome: Outcome,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE return_lines SET outcome = $3, outcome_reason = $4 WHERE return_id = $1 AND line_no = $2"
    )
    .bind(return_id)
    .bind(line_no)
    .bind(outcome.as_str())
    .bind(reason)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

pub async fn set_refund(
    tx: &mut Tx,
    return_id: i64,
    refund: i64,
    store_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "UPDATE returns SET refund_minor = $2, drop_off_store_id = COALESCE(drop_off_store_id, $3) WHERE id = $1"
    )
    .bind(return_id)
    .bind(refund)
    .bind(store_id)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

#[derive(sqlx::FromRow)]
struct ReturnRow {
    id: i64,
    order_id: i64,
    code: String,
    number: String,
    customer: Option<String>,
    status: String,
    method: String,
    resolution: String,
    store_code: Option<String>,
    pickup_date: Option<String>,
    pickup_slot: Option<String>,
    currency: String,
    refund_minor: i64,
    cost_minor: i64,
    refund_to: Option<String>,
    started_in: String,
    handed_in_place: Option<String>,
    created_at: Timestamp,
    updated_at: Timestamp,
}

const SELECT_RETURN: &str = "SELECT r.id, r.order_id, r.code, o.number, c.external_id AS customer, r.status, \
     r.method, r.resolution, st.code AS store_code, r.pickup_date, r.pickup_slot, r.currency, \
     r.refund_minor, r.cost_minor, r.refund_to, r.started_in, r.handed_in_place, r.created_at, r.updated_at \
     FROM returns r JOIN orders o ON o.id = r.order_id LEFT JOIN customers c ON c.id = r.customer_id \
     LEFT JOIN stores st ON st.id = r.drop_off_store_id";

#[derive(sqlx::FromRow)]
struct LineRow {
    line_no: i32,
    sku: String,
    name: String,
    quantity: i32,
    reason: String,
    note: Option<String>,
    exchange_for: Option<String>,
    exchange_name: Option<String>,
    outcome: Option<String>,
    outcome_reason: Option<String>,
}

async fn complete(db: &Db, r: ReturnRow) -> Result<(i64, i64, Return), sqlx::Error> {
    let lines: Vec<LineRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT rl.line_no, ol.sku, ol.name, rl.quantity, rl.reason, rl.note, rl.exchange_for, \
         px.name AS exchange_name, rl.outcome, rl.outcome_reason FROM return_lines rl \
         JOIN returns r ON r.id = rl.return_id \
         JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_no = rl.line_no \
         LEFT JOIN products px ON px.sku = rl.exchange_for \
         WHERE rl.return_id = $1 ORDER BY rl.line_no",
        )
        .bind(r.id)
        .fetch_all(pool)
        .await
    })?;
    let photos: Vec<(i64, i32)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT id, line_no FROM return_photos WHERE return_id = $1 ORDER BY id"
    )
    .bind(r.id)
    .fetch_all(pool)
    .await)?;
    let photos_of = |line_no: i32| {
        photos
            .iter()
            .filter(|(_, l)| *l == line_no)
            .map(|(id, _)| *id)
            .collect()
    };
    Ok((
        r.id,
        r.order_id,
        Return {
            code: r.code,
            order: r.number,
            customer: r.customer,
            status: ReturnStatus::parse(&r.status).unwrap_or(ReturnStatus::Registered),
            method: ReturnMethod::parse(&r.method).unwrap_or(ReturnMethod::Store),
            resolution: Resolution::parse(&r.resolution).unwrap_or(Resolution::Refund),
            drop_off_store: r.store_code,
            pickup_date: r.pickup_date,
            pickup_slot: r.pickup_slot,
            currency: r.currency,
            refund: r.refund_minor,
            cost: r.cost_minor,
            refund_to: r.refund_to,
            started_in: r.started_in,
            handed_in_place: r.handed_in_place,
            lines: lines
                .into_iter()
                .map(|l| ReturnLine {
                    line: l.line_no,
                    sku: l.sku,
                    name: l.name,
                    quantity: l.quantity,
                    reason: l.reason,
                    note: l.note,
                    exchange_for: l.exchange_for,
                    exchange_name: l.exchange_name,
                    outcome: l.outcome.as_deref().and_then(Outcome::parse),
                    outcome_reason: l.outcome_reason,
                    photos: photos_of(l.line_no),
                })
                .collect(),
            created_at: r.created_at.0,
            updated_at: r.updated_at.0,
        },
    ))
}

/// (return id, order id, return) by its code.
pub async fn find_by_code(db: &Db, code: &str) -> Result<Option<(i64, i64, Return)>, sqlx::Error> {
    let sql = format!("{SELECT_RETURN} WHERE r.code = $1");
    let row: Option<ReturnRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(pool)
        .await)?;
    match row {
        Some(r) => Ok(Some(complete(db, r).await?)),
        None => Ok(None),
    }
}

/// The returns of an order, newest first.
pub async fn of_order(db: &Db, order_id: i64) -> Result<Vec<Return>, sqlx::Error> {
    let sql =
        format!("{SELECT_RETURN} WHERE r.order_id = $1 ORDER BY r.created_at DESC, r.id DESC");
    let rows: Vec<ReturnRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(order_id)
        .fetch_all(pool)
        .await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(complete(db, r).await?.2);
    }
    Ok(out)
}

/// A customer's open returns (not yet settled or cancelled), newest first.
pub async fn open_of_customer(db: &Db, customer_id: i64) -> Result<Vec<Return>, sqlx::Error> {
    let sql = format!(
        "{SELECT_RETURN} WHERE r.customer_id = $1 AND r.status IN ('registered', 'handed_in', 'received', 'inspected') \
         ORDER BY r.created_at DESC, r.id DESC LIMIT 20"
    );
    let rows: Vec<ReturnRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .fetch_all(pool)
        .await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(complete(db, r).await?.2);
    }
    Ok(out)
}

/// A step recorded on a return.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordedStep {
    pub action: String,
    pub user_id: Option<i64>,
    pub role: Option<String>,
    pub store_id: Option<i64>,
    pub details: Option<String>,
    pub at: Timestamp,
}

pub async fn steps(db: &Db, return_id: i64) -> Result<Vec<RecordedStep>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT action, user_id, role, store_id, details, at FROM return_events WHERE return_id = $1 ORDER BY at, id"
    )
    .bind(return_id)
    .fetch_all(pool)
    .await
    })
}

/// Purchases the desk finds for what the customer shows: a receipt code, an order
/// number, a loyalty card or an e-mail address (newest first, at most 20).
pub async fn find_purchases(
    db: &Db,
    text: &str,
    card: Option<&str>,
    email: &str,
) -> Result<Vec<(String, Timestamp, String, Option<i64>)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT o.number, o.placed_at, o.channel, o.customer_id FROM orders o \
         LEFT JOIN receipts r ON r.order_id = o.id LEFT JOIN customers c ON c.id = o.customer_id \
         WHERE upper(o.number) = upper($1) OR upper(r.code) = upper($1) \
            OR ($2 IS NOT NULL AND (o.loyalty_card = $2 OR c.loyalty_card = $2)) \
            OR ($3 <> '' AND (o.email_normalized = $3 OR c.email_normalized = $3)) \
         ORDER BY o.placed_at DESC, o.id DESC LIMIT 20"
    )
    .bind(text)
    .bind(card)
    .bind(email)
    .fetch_all(pool)
    .await)
}

/// The product categories in the catalogue (for the policy page).
pub async fn categories(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT DISTINCT category FROM products ORDER BY category"
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Records where the return was handed in, unless that is known already: the store's name
/// (`store_id`) or a place in words (the carrier's drop-off point).
pub async fn set_handed_in_place(
    tx: &mut Tx,
    return_id: i64,
    store_id: Option<i64>,
    place: Option<&str>,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE returns SET handed_in_place = COALESCE(handed_in_place, \
         (SELECT name FROM stores WHERE id = $2), $3) WHERE id = $1"
    )
    .bind(return_id)
    .bind(store_id)
    .bind(place)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// The customer a return belongs to (none for a guest's), for the audit trail.
pub async fn customer_of(db: &Db, code: &str) -> Result<Option<i64>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_scalar(
        "SELECT customer_id FROM returns WHERE code = $1"
    )
    .bind(code)
    .fetch_optional(pool)
    .await
    .map(Option::flatten))
}
