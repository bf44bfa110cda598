//! The SQL of customer service: the search results' rows and the contact notes.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
pub struct FoundRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub orders: i64,
    pub has_account: bool,
}

/// The customers with these ids, by name, with their main address and number of orders.
pub async fn found(db: &Db, ids: &[i64]) -> Result<Vec<FoundRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.id, c.external_id, c.name, c.email, c.phone, a.postcode, a.city, \
                (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS orders, \
                c.user_id IS NOT NULL AS has_account \
         FROM customers c \
         LEFT JOIN addresses a ON a.id = (SELECT a2.id FROM addresses a2 WHERE a2.customer_id = c.id \
              ORDER BY a2.is_default_delivery DESC, a2.id LIMIT 1) \
         WHERE c.id IN ({}) ORDER BY c.name, c.id",
        crate::db::id_list(ids)
    );
    db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
}

pub struct NewNote<'a> {
    pub customer_id: i64,
    pub author_user_id: i64,
    pub author_label: &'a str,
    pub channel: &'a str,
    pub topic: &'a str,
    pub outcome: &'a str,
    pub follow_up_on: Option<chrono::NaiveDate>,
}

pub async fn add_note(tx: &mut Tx, note: &NewNote<'_>, now: Timestamp) -> Result<i64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO contact_notes (customer_id, author_user_id, author_label, channel, topic, \
             outcome, follow_up_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(note.customer_id)
    .bind(note.author_user_id)
    .bind(note.author_label)
    .bind(note.channel)
    .bind(note.topic)
    .bind(note.outcome)
    .bind(note.follow_up_on)
    .bind(now)
    .fetch_one(conn)
    .await)
}

#[derive(sqlx::FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub created_at: Timestamp,
    pub author_label: String,
    pub channel: String,
    pub topic: String,
    pub outcome: String,
    pub follow_up_on: Option<chrono::NaiveDate>,
}

/// The customer's notes, newest first, `limit` after skipping `offset`.
pub async fn notes(
    db: &Db,
    customer_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<NoteRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, created_at, author_label, channel, topic, outcome, follow_up_on \
         FROM contact_notes WHERE customer_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    )
    .bind(customer_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await)
}

/// Whether a customer with this id exists.
pub async fn exists(db: &Db, customer_id: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = db_run!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_one(pool)
    .await)?;
    Ok(n > 0)
}

/// A note in the customer's data export (`contact_notes.csv`).
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct NoteExportRow {
    #[serde(skip)]
    pub id: i64,
    pub at: Timestamp,
    pub staff: String,
    pub channel: String,
    pub topic: String,
    pub outcome: String,
    pub follow_up_on: Option<chrono::NaiveDate>,
}

/// A customer's notes after `after`, at most `limit`, oldest first (for their export).
pub async fn export_notes(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<NoteExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, created_at AS at, author_label AS staff, channel, topic, outcome, follow_up_on \
         FROM contact_notes WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
