//! The SQL of the privacy centre: purposes and their versioned texts, the append-only
//! proof of every consent change, and the state now.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// A purpose with one of its texts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PurposeText {
    pub purpose_id: i64,
    pub code: String,
    /// Comma-separated channel names.
    pub channels: String,
    pub marketing: bool,
    /// Existing customers get its e-mail until they say no (Telecommunicatiewet 11.7.3).
    pub soft_opt_in: bool,
    pub version: i32,
    pub language: String,
    pub title: String,
    pub body: String,
    pub sha256: String,
    /// The newest version that asks again: consent given on an older one no longer counts.
    pub asks_again_from: Option<i32>,
}

const PURPOSE_TEXT_COLUMNS: &str = "p.id AS purpose_id, p.code, p.channels, p.marketing, p.soft_opt_in, t.version, t.language, \
     t.title, t.body, t.sha256, \
     (SELECT max(a.version) FROM consent_texts a WHERE a.purpose_id = p.id AND a.asks_again) AS asks_again_from";

/// Every active purpose with the texts of its newest version (one row per language),
/// in the admin's order.
pub async fn current_texts(db: &Db) -> Result<Vec<PurposeText>, sqlx::Error> {
    let sql = format!(
        "SELECT {PURPOSE_TEXT_COLUMNS} FROM consent_purposes p JOIN consent_texts t ON t.purpose_id = p.id \
         WHERE p.active AND t.version = (SELECT max(v.version) FROM consent_texts v WHERE v.purpose_id = p.id) \
         ORDER BY p.position, p.id, t.language"
    );
    db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
}

/// One version of an active purpose's text in one language.
pub async fn text(
    tx: &mut Tx,
    code: &str,
    version: i32,
    language: &str,
) -> Result<Option<PurposeText>, sqlx::Error> {
    let sql = format!(
        "SELECT {PURPOSE_TEXT_COLUMNS} FROM consent_purposes p JOIN consent_texts t ON t.purpose_id = p.id \
         WHERE p.active AND p.code = $1 AND t.version = $2 AND t.language = $3"
    );
    tx_run!(tx, |conn| sqlx::query_as(&sql)
        .bind(code)
        .bind(version)
        .bind(language)
        .fetch_optional(conn)
        .await)
}

/// The newest version of a purpose's text (any language).
pub async fn newest_version(tx: &mut Tx, code: &str) -> Result<Option<i32>, sqlx::Error> {
    let row: Option<(Option<i32>,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
        "SELECT max(t.version) FROM consent_purposes p JOIN consent_texts t ON t.purpose_id = p.id \
         WHERE p.active AND p.code = $1"
    )
    .bind(code)
    .fetch_optional(conn)
    .await
    })?;
    Ok(row.and_then(|(v,)| v))
}

/// A customer's consents now: (purpose id, channel, granted, text version).
pub async fn current(
    db: &Db,
    customer_id: i64,
) -> Result<Vec<(i64, String, bool, i32)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT purpose_id, channel, granted, text_version FROM consents WHERE customer_id = $1"
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await)
}

#[derive(Debug, sqlx::FromRow)]
pub struct HistoryRow {
    pub title: String,
    pub channel: String,
    pub granted: bool,
    pub text_version: i32,
    pub source: String,
    pub actor_user_id: Option<i64>,
    pub recorded_at: Timestamp,
}

/// Every change of a customer's consents, newest first, titled in `language` (the
/// purpose's code where that version has no text in it).
pub async fn history(
    db: &Db,
    customer_id: i64,
    language: &str,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT COALESCE((SELECT t.title FROM consent_texts t WHERE t.purpose_id = e.purpose_id \
           AND t.version = e.text_version AND t.language = $2), p.code) AS title, \
         e.channel, e.granted, e.text_version, e.source, e.actor_user_id, e.recorded_at \
         FROM consent_events e JOIN consent_purposes p ON p.id = e.purpose_id \
         WHERE e.customer_id = $1 ORDER BY e.recorded_at DESC, e.id DESC"
    )
    .bind(customer_id)
    .bind(language)
    .fetch_all(pool)
    .await)
}

/// One consent change as the proof keeps it.
pub struct NewEvent<'a> {
    pub customer_id: i64,
    pub text: &'a PurposeText,
    pub channel: &'a str,
    pub granted: bool,
    pub source: &'a str,
    pub actor_user_id: Option<i64>,
    pub actor_name: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub at: Timestamp,
}

/// Appends the change to the proof and makes it the state now, unless a newer change
/// is already there (the back office may send one given earlier at the till).
/// Returns the event's id.
pub async fn record(tx: &mut Tx, e: &NewEvent<'_>) -> Result<i64, sqlx::Error> {
    let snapshot = format!("{}\n{}", e.text.title, e.text.body);
    let (event_id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
        "INSERT INTO consent_events (customer_id, purpose_id, channel, granted, text_version, text_language, \
         text_snapshot, text_sha256, source, actor_user_id, actor_name, ip, user_agent, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
    )
    .bind(e.customer_id)
    .bind(e.text.purpose_id)
    .bind(e.channel)
    .bind(e.granted)
    .bind(e.text.version)
    .bind(&e.text.language)
    .bind(&snapshot)
    .bind(&e.text.sha256)
    .bind(e.source)
    .bind(e.actor_user_id)
    .bind(e.actor_name)
    .bind(e.ip)
    .bind(e.user_agent)
    .bind(e.at)
    .fetch_one(conn)
    .await
    })?;
    tx_run!(tx, |conn| {
        sqlx::query(
        "INSERT INTO consents (customer_id, purpose_id, channel, granted, text_version, event_id, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (customer_id, purpose_id, channel) DO UPDATE SET granted = excluded.granted, \
           text_version = excluded.text_version, event_id = excluded.event_id, changed_at = excluded.changed_at \
         WHERE consents.changed_at <= excluded.changed_at"
    )
    .bind(e.customer_id)
    .bind(e.text.purpose_id)
    .bind(e.channel)
    .bind(e.granted)
    .bind(e.text.version)
    .bind(event_id)
    .bind(e.at)
    .execute(conn)
    .await
    .map(|_| ())
    })?;
    Ok(event_id)
}

/// What decides whether marketing for a purpose may use a channel: whether the purpose
/// is active and uses the channel, whether it has the soft opt-in, the newest version
/// that asks again, and the customer's consent now (granted, text version) if any.
#[derive(Debug, sqlx::FromRow)]
pub struct ContactState {
    pub uses_channel: bool,
    pub soft_opt_in: bool,
    pub asks_again_from: Option<i32>,
    pub granted: Option<bool>,
    pub text_version: Option<i32>,
}

pub async fn contact_state(
    db: &Db,
    customer_id: i64,
    code: &str,
    channel: &str,
) -> Result<Option<ContactState>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT (',' || p.channels || ',') LIKE ('%,' || $3 || ',%') AS uses_channel, p.soft_opt_in, \
         (SELECT max(a.version) FROM consent_texts a WHERE a.purpose_id = p.id AND a.asks_again) AS asks_again_from, \
         c.granted, c.text_version \
         FROM consent_purposes p \
         LEFT JOIN consents c ON c.purpose_id = p.id AND c.customer_id = $1 AND c.channel = $3 \
         WHERE p.code = $2 AND p.active"
    )
    .bind(customer_id)
    .bind(code)
    .bind(channel)
    .fetch_optional(pool)
    .await
    })
}

/// A purpose's settings as the admin saves them.
pub struct PurposeSettings<'a> {
    pub code: &'a str,
    /// Comma-separated channel names.
    pub channels: &'a str,
    pub marketing: bool,
    pub position: i32,
    pub active: bool,
    pub soft_opt_in: bool,
}

/// Creates a purpose, or updates its settings; returns its id.
pub async fn upsert_purpose(
    tx: &mut Tx,
    p: &PurposeSettings<'_>,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO consent_purposes (code, channels, marketing, position, active, soft_opt_in, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (code) DO UPDATE SET channels = excluded.channels, marketing = excluded.marketing, \
               position = excluded.position, active = excluded.active, soft_opt_in = excluded.soft_opt_in \
             RETURNING id",
        )
        .bind(p.code)
        .bind(p.channels)
        .bind(p.marketing)
        .bind(p.position)
        .bind(p.active)
        .bind(p.soft_opt_in)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    Ok(id)
}

/// The newest text of a purpose in a language: (version, sha256).
pub async fn newest_text(
    tx: &mut Tx,
    purpose_id: i64,
    language: &str,
) -> Result<Option<(i32, String)>, sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query_as(
        "SELECT version, sha256 FROM consent_texts WHERE purpose_id = $1 AND language = $2 \
         ORDER BY version DESC LIMIT 1"
    )
    .bind(purpose_id)
    .bind(language)
    .fetch_optional(conn)
    .await)
}

/// A new version of a purpose's text; earlier versions stay as they were.
pub struct NewText<'a> {
    pub purpose_id: i64,
    pub version: i32,
    pub language: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub sha256: &'a str,
    pub asks_again: bool,
    pub at: Timestamp,
}

pub async fn insert_text(tx: &mut Tx, t: &NewText<'_>) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
        "INSERT INTO consent_texts (purpose_id, version, language, title, body, sha256, asks_again, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(t.purpose_id)
    .bind(t.version)
    .bind(t.language)
    .bind(t.title)
    .bind(t.body)
    .bind(t.sha256)
    .bind(t.asks_again)
    .bind(t.at)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// Every purpose, active or not, with the texts of its newest version (one row per
/// language), in the admin's order.
pub async fn all_texts(db: &Db) -> Result<Vec<(PurposeText, bool, i32)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        text: PurposeText,
        active: bool,
        position: i32,
    }
    let sql = format!(
        "SELECT {PURPOSE_TEXT_COLUMNS}, p.active, p.position FROM consent_purposes p \
         JOIN consent_texts t ON t.purpose_id = p.id \
         WHERE t.version = (SELECT max(v.version) FROM consent_texts v WHERE v.purpose_id = p.id) \
         ORDER BY p.position, p.id, t.language"
    );
    let rows: Vec<Row> = db_run!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.text, r.active, r.position))
        .collect())
}

/// (purpose, channel, text version, customers with it on, customers with it off).
pub async fn counts(db: &Db) -> Result<Vec<(String, String, i32, i64, i64)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT p.code, c.channel, c.text_version, \
         sum(CASE WHEN c.granted THEN 1 ELSE 0 END), sum(CASE WHEN c.granted THEN 0 ELSE 1 END) \
         FROM consents c JOIN consent_purposes p ON p.id = c.purpose_id \
         GROUP BY p.position, p.code, c.channel, c.text_version \
         ORDER BY p.position, p.code, c.channel, c.text_version"
    )
    .fetch_all(pool)
    .await)
}

/// A consent change as the customer's data export writes it: the proof, without other
/// people's details (staff are named only as "by staff").
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct HistoryExportRow {
    #[serde(skip)]
    pub id: i64,
    pub purpose: String,
    pub channel: String,
    pub granted: bool,
    pub text_version: i32,
    pub text_language: String,
    pub text: String,
    pub text_sha256: String,
    pub source: String,
    pub by_staff: bool,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub recorded_at: Timestamp,
}

/// The customer's consent changes with an id after `after`, at most `limit`, oldest
/// first; `own_user_id` is the customer's own login (changes by anyone else are staff's).
pub async fn export_history(
    db: &Db,
    customer_id: i64,
    own_user_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<HistoryExportRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT e.id, p.code AS purpose, e.channel, e.granted, e.text_version, e.text_language, \
                e.text_snapshot AS text, e.text_sha256, e.source, \
                (e.actor_user_id IS NOT NULL AND e.actor_user_id <> $2) AS by_staff, \
                e.ip, e.user_agent, e.recorded_at \
         FROM consent_events e JOIN consent_purposes p ON p.id = e.purpose_id \
         WHERE e.customer_id = $1 AND e.id > $3 ORDER BY e.id LIMIT $4"
    )
    .bind(customer_id)
    .bind(own_user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Erasure: the proof of the customer's consents keeps purpose, channel, choice, text and
/// time; who, from where and with which browser go.
pub async fn erase_proof(tx: &mut Tx, customer_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE consent_events SET customer_id = NULL, ip = NULL, user_agent = NULL, \
                actor_name = NULL, actor_user_id = NULL \
         WHERE customer_id = $1"
    )
    .bind(customer_id)
    .execute(conn)
    .await
    .map(|_| ()))
}
