//! The SQL of the advisors: their versions and the advice given.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// The draft's version number; published versions count from 1.
pub const DRAFT: i32 = 0;

/// A version of an advisor as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub advisor_id: i64,
    pub key: String,
    pub version: i32,
    pub definition: String,
    pub saved_at: Timestamp,
    pub published_at: Option<Timestamp>,
}

const VERSION_COLUMNS: &str =
    "v.id, v.advisor_id, a.key, v.version, v.definition, v.saved_at, v.published_at";

/// The advisor's id, made when it is new. Two admins importing the same new key at once
/// both get the one advisor (the second insert does nothing, then finds the first's).
pub async fn advisor_id(tx: &mut Tx, key: &str, now: Timestamp) -> Result<i64, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO advisors (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
    )
    .bind(key)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))?;
    tx_run!(tx, |conn| sqlx::query_scalar(
        "SELECT id FROM advisors WHERE key = $1"
    )
    .bind(key)
    .fetch_one(conn)
    .await)
}

/// Writes the draft (replacing the one there was).
pub async fn save_draft(
    tx: &mut Tx,
    advisor_id: i64,
    definition: &str,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO advisor_versions (advisor_id, version, definition, saved_at, saved_by) \
         VALUES ($1, 0, $2, $3, $4) \
         ON CONFLICT (advisor_id, version) DO UPDATE SET definition = excluded.definition, \
             saved_at = excluded.saved_at, saved_by = excluded.saved_by"
    )
    .bind(advisor_id)
    .bind(definition)
    .bind(now)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Publishes `definition` as the advisor's next version; answers its row id and number.
pub async fn publish(
    tx: &mut Tx,
    advisor_id: i64,
    definition: &str,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<(i64, i32), sqlx::Error> {
    let next: i32 = tx_run!(tx, |conn| sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM advisor_versions WHERE advisor_id = $1"
    )
    .bind(advisor_id)
    .fetch_one(conn)
    .await)?;
    let id = tx_run!(tx, |conn| {
        sqlx::query_scalar(
        "INSERT INTO advisor_versions (advisor_id, version, definition, saved_at, saved_by, published_at) \
         VALUES ($1, $2, $3, $4, $5, $4) RETURNING id"
    )
    .bind(advisor_id)
    .bind(next)
    .bind(definition)
    .bind(now)
    .bind(user_id)
    .fetch_one(conn)
    .await
    })?;
    Ok((id, next))
}

/// The newest published version of the advisor `key`.
pub async fn published(db: &Db, key: &str) -> Result<Option<VersionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM advisor_versions v JOIN advisors a ON a.id = v.advisor_id \
         WHERE a.key = $1 AND v.version > 0 ORDER BY v.version DESC LIMIT 1"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(key)
        .fetch_optional(pool)
        .await)
}

/// The newest published version of every advisor, by key.
pub async fn all_published(db: &Db) -> Result<Vec<VersionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM advisor_versions v JOIN advisors a ON a.id = v.advisor_id \
         WHERE v.version > 0 AND v.version = \
         (SELECT MAX(w.version) FROM advisor_versions w WHERE w.advisor_id = v.advisor_id) \
         ORDER BY a.key"
    );
    db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
}

/// The draft of the advisor `key`, if it has one.
pub async fn draft(db: &Db, key: &str) -> Result<Option<VersionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM advisor_versions v JOIN advisors a ON a.id = v.advisor_id \
         WHERE a.key = $1 AND v.version = 0"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(key)
        .fetch_optional(pool)
        .await)
}

/// One version by its row id (the version saved advice points at).
pub async fn version(db: &Db, id: i64) -> Result<Option<VersionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM advisor_versions v JOIN advisors a ON a.id = v.advisor_id \
         WHERE v.id = $1"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// Advice as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AdviceRow {
    pub id: i64,
    pub code: String,
    pub advisor_version_id: i64,
    pub customer_id: Option<i64>,
    pub answers: String,
    pub keeps_personal: bool,
    pub picks: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub order_id: Option<i64>,
}

const ADVICE_COLUMNS: &str = "id, code, advisor_version_id, customer_id, answers, keeps_personal, \
     picks, created_at, updated_at, expires_at, order_id";

/// What is saved of one piece of advice.
pub struct NewAdvice<'a> {
    pub code: &'a str,
    pub advisor_version_id: i64,
    pub customer_id: Option<i64>,
    pub answers: &'a str,
    pub keeps_personal: bool,
    pub picks: &'a str,
    pub expires_at: Option<Timestamp>,
}

pub async fn insert_advice(
    db: &Db,
    advice: &NewAdvice<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_scalar(
        "INSERT INTO advice (code, advisor_version_id, customer_id, answers, keeps_personal, \
             picks, created_at, updated_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id"
    )
    .bind(advice.code)
    .bind(advice.advisor_version_id)
    .bind(advice.customer_id)
    .bind(advice.answers)
    .bind(advice.keeps_personal)
    .bind(advice.picks)
    .bind(now)
    .bind(advice.expires_at)
    .fetch_one(pool)
    .await)
}

/// Advice by its code, unless it has expired by `now`.
pub async fn advice_by_code(
    db: &Db,
    code: &str,
    now: Timestamp,
) -> Result<Option<AdviceRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ADVICE_COLUMNS} FROM advice WHERE code = $1 \
         AND (expires_at IS NULL OR expires_at > $2)"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(code)
        .bind(now)
        .fetch_optional(pool)
        .await)
}

/// A customer's advice, newest first.
pub async fn advice_of_customer(db: &Db, customer_id: i64) -> Result<Vec<AdviceRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ADVICE_COLUMNS} FROM advice WHERE customer_id = $1 ORDER BY created_at DESC, id DESC"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .fetch_all(pool)
        .await)
}

/// Removes guests' advice past its end; how many went.
pub async fn purge_expired(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "DELETE FROM advice WHERE expires_at IS NOT NULL AND expires_at <= $1"
    )
    .bind(now)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
}

/// Advice in the customer's data export (`advice.csv`).
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct AdviceExportRow {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub advisor: String,
    pub version: i32,
    pub given_at: Timestamp,
    /// The answers kept, by question key (JSON).
    pub answers: String,
    pub keeps_personal: bool,
    /// The advised products with their match score, best first (JSON).
    pub advised: String,
    pub order_number: Option<String>,
}

/// A customer's saved advice after `after`, at most `limit`, oldest first (for their
/// export).
pub async fn export_advice(
    db: &Db,
    customer_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<AdviceExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT d.id, d.code, a.key AS advisor, v.version, d.created_at AS given_at, d.answers, \
         d.keeps_personal, d.picks AS advised, o.number AS order_number \
         FROM advice d JOIN advisor_versions v ON v.id = d.advisor_version_id \
         JOIN advisors a ON a.id = v.advisor_id LEFT JOIN orders o ON o.id = d.order_id \
         WHERE d.customer_id = $1 AND d.id > $2 ORDER BY d.id LIMIT $3"
    )
    .bind(customer_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// An order advice can be linked to: its id, its customer and when it was placed.
pub async fn order_to_link(
    db: &Db,
    number: &str,
) -> Result<Option<(i64, Option<i64>, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT id, customer_id, placed_at FROM orders WHERE number = $1"
    )
    .bind(number)
    .fetch_optional(pool)
    .await)
}

/// A line of the order advice led to: the product's family and whether a return (not
/// cancelled) took it back, e.g. within the trial nights.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BoughtLine {
    pub sku: String,
    pub name: String,
    pub family: String,
    pub returned: bool,
}

pub async fn bought_lines(db: &Db, order_id: i64) -> Result<Vec<BoughtLine>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT l.sku, l.name, COALESCE(p.variant_of, l.sku) AS family, \
         EXISTS (SELECT 1 FROM returns r JOIN return_lines rl ON rl.return_id = r.id \
                 WHERE r.order_id = l.order_id AND rl.line_no = l.line_no \
                 AND r.status <> 'cancelled') AS returned \
         FROM order_lines l LEFT JOIN products p ON p.sku = l.sku \
         WHERE l.order_id = $1 ORDER BY l.line_no"
    )
    .bind(order_id)
    .fetch_all(pool)
    .await)
}

/// The product families of `skus` (a size's family is its `variant_of`).
pub async fn families(db: &Db, skus: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let list = serde_json::to_string(skus).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "SELECT COALESCE(variant_of, sku) FROM products WHERE sku IN {}",
        db.backend().texts_in(1)
    );
    db_run!(db, |pool| sqlx::query_scalar(&sql)
        .bind(&list)
        .fetch_all(pool)
        .await)
}

/// A customer's advice not yet linked to an order, given between `from` and `to`,
/// newest first.
pub async fn unlinked_advice(
    db: &Db,
    customer_id: i64,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<AdviceRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ADVICE_COLUMNS} FROM advice WHERE customer_id = $1 AND order_id IS NULL \
         AND created_at >= $2 AND created_at <= $3 ORDER BY created_at DESC, id DESC"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(customer_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await)
}

/// Links advice to the order it led to, unless it is linked already.
pub async fn link_order(
    db: &Db,
    advice_id: i64,
    order_id: i64,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "UPDATE advice SET order_id = $1, updated_at = $2 WHERE id = $3 AND order_id IS NULL"
    )
    .bind(order_id)
    .bind(now)
    .bind(advice_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected() == 1))
}

/// The number of an order.
pub async fn order_number(db: &Db, order_id: i64) -> Result<Option<String>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_scalar(
        "SELECT number FROM orders WHERE id = $1"
    )
    .bind(order_id)
    .fetch_optional(pool)
    .await)
}

/// Every advisor: its key, newest published version (if any), and whether it has a draft.
pub async fn all_advisors(db: &Db) -> Result<Vec<(String, Option<i32>, bool)>, sqlx::Error> {
    let rows: Vec<(String, Option<i32>, i64)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT a.key, MAX(CASE WHEN v.version > 0 THEN v.version END), \
         COUNT(CASE WHEN v.version = 0 THEN 1 END) \
         FROM advisors a LEFT JOIN advisor_versions v ON v.advisor_id = a.id \
         GROUP BY a.key ORDER BY a.key"
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(key, published, drafts)| (key, published, drafts > 0))
        .collect())
}

/// Records what a visitor did in a conversation (anonymous; see migration 0029).
pub async fn record_event(
    db: &Db,
    version: &VersionRow,
    kind: &str,
    question: Option<&str>,
    answer: Option<&str>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "INSERT INTO advisor_events (advisor_id, version, kind, question, answer, at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(version.advisor_id)
    .bind(version.version)
    .bind(kind)
    .bind(question)
    .bind(answer)
    .bind(now)
    .execute(pool)
    .await
    .map(|_| ()))
}

/// How often each (kind, question, answer) happened for an advisor since `since`.
pub async fn event_counts(
    db: &Db,
    advisor_id: i64,
    since: Timestamp,
) -> Result<Vec<(String, Option<String>, Option<String>, i64)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT kind, question, answer, COUNT(*) FROM advisor_events \
         WHERE advisor_id = $1 AND at >= $2 GROUP BY kind, question, answer"
    )
    .bind(advisor_id)
    .bind(since)
    .fetch_all(pool)
    .await)
}

/// Removes events from before `before`; how many went.
pub async fn purge_events(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| sqlx::query(
        "DELETE FROM advisor_events WHERE at < $1"
    )
    .bind(before)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
}

/// Advice given with any version of an advisor since `since`, after id `after`, at most
/// `limit`, oldest first: for the insights.
pub async fn advice_of_advisor(
    db: &Db,
    advisor_id: i64,
    since: Timestamp,
    after: i64,
    limit: i64,
) -> Result<Vec<AdviceRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ADVICE_COLUMNS} FROM advice WHERE id > $1 AND created_at >= $2 AND advisor_version_id IN \
         (SELECT id FROM advisor_versions WHERE advisor_id = $3) ORDER BY id LIMIT $4"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(after)
        .bind(since)
        .bind(advisor_id)
        .bind(limit)
        .fetch_all(pool)
        .await)
}
