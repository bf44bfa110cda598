//! The SQL of the help a customer allows customer service (`help_permissions`): the
//! privacy page writes it (`privacy::help`), and "who is asking" reads it on every request
//! of an agent acting for the customer, so a withdrawn permission ends the help at once.
//! And of each time an agent helps (`help_sessions`): started from customer service,
//! ended by "Stop helping" or, when its time ran out, by a background job.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// The help a customer allows at `now`: (may change, until).
pub async fn help_now(
    db: &Db,
    customer_id: i64,
    now: Timestamp,
) -> Result<Option<(bool, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT may_change, expires_at FROM help_permissions \
         WHERE customer_id = $1 AND ended_at IS NULL AND expires_at > $2 \
         ORDER BY id DESC LIMIT 1"
    )
    .bind(customer_id)
    .bind(now)
    .fetch_optional(pool)
    .await)
}

/// Ends the help a customer allows now (withdrawn, or replaced).
pub async fn end_help(tx: &mut Tx, customer_id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE help_permissions SET ended_at = $2 \
         WHERE customer_id = $1 AND ended_at IS NULL AND expires_at > $2"
    )
    .bind(customer_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Records help allowed from `now` until `until`.
pub async fn allow_help(
    tx: &mut Tx,
    customer_id: i64,
    may_change: bool,
    now: Timestamp,
    until: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO help_permissions (customer_id, may_change, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4)"
    )
    .bind(customer_id)
    .bind(may_change)
    .bind(now)
    .bind(until)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// The login of a customer (their user id), if they have one.
pub async fn user_of(db: &Db, customer_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT user_id FROM customers WHERE id = $1"
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.and_then(|r| r.0))
}

/// A permission to help in the customer's data export (`help_permissions.csv`).
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct HelpExportRow {
    #[serde(skip)]
    pub id: i64,
    pub allowed_at: Timestamp,
    pub until: Timestamp,
    pub may_change: bool,
    pub withdrawn_at: Option<Timestamp>,
}

/// A customer's help permissions after `after`, at most `limit`, oldest first (for their
/// export).
pub async fn export_permissions(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<HelpExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, granted_at AS allowed_at, expires_at AS until, may_change, \
         ended_at AS withdrawn_at \
         FROM help_permissions WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// A time an agent helps a customer in their account.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HelpSession {
    pub id: i64,
    pub customer_id: i64,
    pub agent_user_id: Option<i64>,
    pub agent_label: String,
    pub role: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub started_at: Timestamp,
    pub ends_at: Timestamp,
}

/// Records the start of a help session; its id.
pub async fn open_session(tx: &mut Tx, session: &HelpSession) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| sqlx::query_as(
        "INSERT INTO help_sessions (customer_id, agent_user_id, agent_label, role, reason, \
         ticket, started_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(session.customer_id)
    .bind(session.agent_user_id)
    .bind(&session.agent_label)
    .bind(&session.role)
    .bind(&session.reason)
    .bind(&session.ticket)
    .bind(session.started_at)
    .bind(session.ends_at)
    .fetch_one(conn)
    .await)?;
    Ok(id)
}

/// Ends help session `id` at `now`; `false` when it had already ended (whoever ends it
/// first writes the trail and the mail).
pub async fn end_session(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE help_sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL"
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Help sessions not ended by "Stop helping" that are over at `now`: their time ran out,
/// or the customer's permission did (withdrawn or expired). At most `limit`, oldest first.
pub async fn overdue_sessions(
    db: &Db,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<HelpSession>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT s.id, s.customer_id, s.agent_user_id, s.agent_label, s.role, s.reason, \
         s.ticket, s.started_at, s.ends_at FROM help_sessions s \
         WHERE s.ended_at IS NULL AND (s.ends_at <= $1 OR NOT EXISTS ( \
             SELECT 1 FROM help_permissions p WHERE p.customer_id = s.customer_id \
             AND p.ended_at IS NULL AND p.expires_at > $1)) \
         ORDER BY s.id LIMIT $2"
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
