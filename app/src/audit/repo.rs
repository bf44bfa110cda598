//! The SQL of the audit trail and nothing else.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// A row as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: Timestamp,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub role: String,
    pub subject_customer_id: Option<i64>,
    pub action: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub store_code: Option<String>,
    pub ip: String,
    pub user_agent: String,
    pub details: Option<String>,
    pub details_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

const COLUMNS: &str = "id, at, actor_user_id, actor_label, role, subject_customer_id, action, \
     reason, ticket, store_code, ip, user_agent, details, details_digest, prev_hash, hash";

/// Counts one more row at the chain's end and answers the hash it ends with. Being a write,
/// it makes a second appender wait until this transaction ends (row lock on PostgreSQL,
/// the database's write lock on SQLite), so rows are chained one after the other.
pub async fn take_head(tx: &mut Tx) -> Result<String, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_scalar(
        "UPDATE audit_head SET row_count = row_count + 1 WHERE id = 1 RETURNING last_hash"
    )
    .fetch_one(conn)
    .await)
}

/// Moves the chain's end to the row just written.
pub async fn set_head(tx: &mut Tx, hash: &str) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE audit_head SET last_hash = $1 WHERE id = 1"
    )
    .bind(hash)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// The chain's two ends: where it starts (after the rows removed for retention) and
/// where it ends.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Head {
    /// Rows in the chain now (removed rows no longer count).
    pub row_count: i64,
    pub last_hash: String,
    pub start_after_id: i64,
    pub start_hash: String,
    pub start_at: Option<Timestamp>,
    pub removed_count: i64,
    pub start_seal: String,
}

impl Head {
    pub fn start(&self) -> super::chain::ChainStart<'_> {
        super::chain::ChainStart {
            after_id: self.start_after_id,
            hash: &self.start_hash,
            at: self.start_at,
            removed: self.removed_count,
        }
    }
}

const HEAD_COLUMNS: &str =
    "row_count, last_hash, start_after_id, start_hash, start_at, removed_count, start_seal";

/// The chain's ends.
pub async fn head(db: &Db) -> Result<Head, sqlx::Error> {
    let sql = format!("SELECT {HEAD_COLUMNS} FROM audit_head WHERE id = 1");
    db_run!(db, |pool| sqlx::query_as(&sql).fetch_one(pool).await)
}

/// The chain's ends, locked until `tx` ends (appenders wait, as for `take_head`).
pub async fn lock_head(tx: &mut Tx) -> Result<Head, sqlx::Error> {
    let sql = format!(
        "UPDATE audit_head SET row_count = row_count WHERE id = 1 RETURNING {HEAD_COLUMNS}"
    );
    tx_run!(tx, |conn| sqlx::query_as(&sql).fetch_one(conn).await)
}

/// The first `limit` rows after `after_id`: id, time and hash.
pub async fn oldest(
    tx: &mut Tx,
    after_id: i64,
    limit: i64,
) -> Result<Vec<(i64, Timestamp, String)>, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_as(
        "SELECT id, at, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2"
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await)
}

/// Moves the chain's start past `removed` more rows, the last of them `after_id`, and
/// removes them (the guard on `audit_log` lets only rows before the start go).
pub async fn remove_through(
    tx: &mut Tx,
    start: &super::chain::ChainStart<'_>,
    seal: &str,
    removed: i64,
) -> Result<u64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE audit_head SET start_after_id = $1, start_hash = $2, start_at = $3, \
             removed_count = $4, start_seal = $5, row_count = row_count - $6 \
         WHERE id = 1"
    )
    .bind(start.after_id)
    .bind(start.hash)
    .bind(start.at)
    .bind(start.removed)
    .bind(seal)
    .bind(removed)
    .execute(conn)
    .await
    .map(|_| ()))?;
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM audit_log WHERE id <= $1"
    )
    .bind(start.after_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

/// Writes a sealed row; answers its id.
pub async fn insert(tx: &mut Tx, row: &AuditRow) -> Result<i64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor_user_id, actor_label, role, subject_customer_id, \
             action, reason, ticket, store_code, ip, user_agent, details, details_digest, \
             prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         RETURNING id"
    )
    .bind(row.at)
    .bind(row.actor_user_id)
    .bind(&row.actor_label)
    .bind(&row.role)
    .bind(row.subject_customer_id)
    .bind(&row.action)
    .bind(&row.reason)
    .bind(&row.ticket)
    .bind(&row.store_code)
    .bind(&row.ip)
    .bind(&row.user_agent)
    .bind(&row.details)
    .bind(&row.details_digest)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .fetch_one(conn)
    .await)
}

/// Rows after `after_id`, oldest first, `limit` at a time (for checking the chain).
pub async fn page(db: &Db, after_id: i64, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(after_id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// Empties the details of every row about a customer (their erasure): the rows stay, so
/// the chain stays whole, and say who looked and why, but no longer what they saw.
pub async fn redact_subject(tx: &mut Tx, customer_id: i64) -> Result<u64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE audit_log SET details = NULL \
         WHERE subject_customer_id = $1 AND details IS NOT NULL"
    )
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))
}

/// Empties the details of rows that name no customer but mention one of `traces` (an
/// erased customer's e-mail address, phone, card number, name: a search for them that
/// found nothing of theirs). Traces shorter than four characters are skipped: they would
/// empty rows about anyone.
pub async fn redact_mentions(tx: &mut Tx, traces: &[String]) -> Result<u64, sqlx::Error> {
    let mut emptied = 0;
    for trace in traces
        .iter()
        .map(|t| t.trim())
        .filter(|t| t.chars().count() >= 4)
    {
        let pattern = format!("%{}%", crate::db::escape_like(&trace.to_lowercase()));
        emptied += tx_run!(tx, |conn| sqlx::query(
            "UPDATE audit_log SET details = NULL \
             WHERE subject_customer_id IS NULL AND details IS NOT NULL \
               AND lower(details) LIKE $1 ESCAPE '\\'"
        )
        .bind(&pattern)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(emptied)
}

/// The newest row, if any.
pub async fn newest(db: &Db) -> Result<Option<AuditRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT 1");
    db_run!(db, |pool| sqlx::query_as(&sql).fetch_optional(pool).await)
}

/// The newest rows about a customer (what their access log shows), newest first.
pub async fn of_subject(
    db: &Db,
    customer_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE subject_customer_id = $1 ORDER BY id DESC LIMIT $2"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// The rows `actor_id` wrote about customer `customer_id` from `since` on whose action is
/// one of `actions`, oldest first (what an agent changed while helping).
pub async fn by_actor_about(
    db: &Db,
    actor_id: i64,
    customer_id: i64,
    since: Timestamp,
    actions: &[&str],
) -> Result<Vec<AuditRow>, sqlx::Error> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let listed = (0..actions.len())
        .map(|n| format!("${}", n + 4))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log \
         WHERE subject_customer_id = $1 AND actor_user_id = $2 AND at >= $3 \
           AND action IN ({listed}) \
         ORDER BY id"
    );
    db_run!(db, |pool| {
        let mut query = sqlx::query_as(&sql)
            .bind(customer_id)
            .bind(actor_id)
            .bind(since);
        for action in actions {
            query = query.bind(*action);
        }
        query.fetch_all(pool).await
    })
}

/// What to look for in the trail (the admin's search); empty texts match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditSearch {
    /// Part of the actor's name, lower case.
    pub who: String,
    pub subject: Option<i64>,
    /// An action or its start, lower case.
    pub action: String,
    /// From this moment, before that one.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// Rows matching `search` older than row `before_id`, newest first, at most `limit`.
pub async fn search(
    db: &Db,
    search: &AuditSearch,
    before_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log \
         WHERE id < $1 \
           AND ($2 = '' OR lower(actor_label) LIKE $2 ESCAPE '\\') \
           AND ($3 < 0 OR subject_customer_id = $3) \
           AND ($4 = '' OR action LIKE $4 ESCAPE '\\') \
           AND at >= $5 AND at < $6 \
         ORDER BY id DESC LIMIT $7"
    );
    let who = match search.who.as_str() {
        "" => String::new(),
        text => format!("%{}%", crate::db::escape_like(text)),
    };
    let action = match search.action.as_str() {
        "" => String::new(),
        text => format!("{}%", crate::db::escape_like(text)),
    };
    // Open ends as moments both databases store (and SQLite's text compares in order).
    let from = search
        .from
        .unwrap_or(Timestamp(chrono::DateTime::UNIX_EPOCH));
    let to = search.to.unwrap_or_else(|| {
        Timestamp(
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
                .unwrap_or_default(),
        )
    });
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(before_id)
        .bind(&who)
        .bind(search.subject.unwrap_or(-1))
        .bind(&action)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// A row of the customer's data export (`staff_access.csv`): who at the retailer looked at
/// or changed their data, when, why and what. Not the staff member's address or browser.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct AccessExportRow {
    #[serde(skip)]
    pub id: i64,
    pub at: Timestamp,
    pub staff: String,
    pub role: String,
    pub store: Option<String>,
    pub action: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub details: Option<String>,
}

/// A customer's rows after `after`, at most `limit`, oldest first (for their export): what
/// staff did; their own changes (allowing help) are in their own files.
pub async fn export_rows(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<AccessExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, at, actor_label AS staff, role, store_code AS store, action, reason, \
                ticket, details \
         FROM audit_log WHERE subject_customer_id = $1 AND id > $2 AND role <> 'customer' \
         ORDER BY id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
