//! The database handle: SQLite (embedded, the default) or PostgreSQL (scale-out), chosen
//! at run time from `DATABASE_URL`. Repositories write one query body and run it on either
//! pool with [`db_run!`]; only where the dialects really differ do they write two arms.
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Runs the same sqlx expression on whichever pool (or transaction) `$db` holds. Inside
/// the body `$conn` is `&SqlitePool` or `&PgPool`; `query_as::<_, Row>` infers the rest.
#[macro_export]
macro_rules! db_run {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($conn) => $body,
            $crate::db::Db::Postgres($conn) => $body,
        }
    };
}

/// Runs the same sqlx expression inside a transaction of either backend: `$conn` is a
/// `&mut SqliteConnection` or `&mut PgConnection`.
#[macro_export]
macro_rules! tx_run {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// A transaction on either backend: a multi-row write, and the outbox rows it causes,
/// commit together or not at all.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    /// Undoes the transaction now (dropping it also does, once its connection is next used).
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// The rows of a JSON array of texts bound as parameter `$n`, for `x IN (…)`: one
    /// statement, one bound value, however many items, on either engine.
    pub fn texts_in(self, n: u8) -> String {
        match self {
            Backend::Sqlite => format!("(SELECT value FROM json_each(${n}))"),
            Backend::Postgres => format!("(SELECT jsonb_array_elements_text(${n}::jsonb))"),
        }
    }

    /// The same for a JSON array of ids (integers).
    pub fn ids_in(self, n: u8) -> String {
        match self {
            Backend::Sqlite => format!("(SELECT value FROM json_each(${n}))"),
            Backend::Postgres => {
                format!("(SELECT jsonb_array_elements_text(${n}::jsonb)::bigint)")
            }
        }
    }
}

/// Why the database could not be opened, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL must start with sqlite:// or postgres:// (got \"{0}\"); for example sqlite://data/portal.db"
    )]
    UnknownScheme(String),
    #[error("DATABASE_URL \"{url}\" is not valid: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot create the data directory {dir}: {reason}")]
    DataDir { dir: String, reason: String },
    #[error("cannot open the database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(String),
}

#[derive(Clone, Debug)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// Hides the password of a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

impl Db {
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Db, DbError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url, settings).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::connect_postgres(url, settings).await
        } else {
            Err(DbError::UnknownScheme(redact_url(url)))
        }
    }

    async fn connect_sqlite(url: &str, settings: &PoolSettings) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbError::BadUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let filename = options.get_filename().to_path_buf();
        if let Some(dir) = filename.parent().filter(|d| !d.as_os_str().is_empty()) {
            ensure_writable_dir(dir)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(settings.max_connections.max(1))
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(|e| DbError::Connect {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Db::Sqlite(pool))
    }

    async fn connect_postgres(url: &str, settings: &PoolSettings) -> Result<Db, DbError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| DbError::BadUrl {
            url: redact_url(url),
            reason: e.to_string(),
        })?;
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections.max(1))
            .acquire_timeout(settings.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(|e| DbError::Connect {
                url: redact_url(url),
                reason: e.to_string(),
            })?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations of this backend (`migrations/sqlite` or `migrations/postgres`).
    pub async fn migrate(&self) -> Result<(), DbError> {
        let result = match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await,
        };
        result.map_err(|e| DbError::Migrate(e.to_string()))
    }

    /// The readiness check: can we run a query right now?
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        db_run!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))
    }

    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn close(&self) {
        db_run!(self, |pool| pool.close().await)
    }
}

fn ensure_writable_dir(dir: &Path) -> Result<(), DbError> {
    let fail = |reason: String| DbError::DataDir {
        dir: dir.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    // create_dir_all succeeds on an existing read-only directory; find out now rather than
    // at the first write.
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"").map_err(|e| fail(e.to_string()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(
            redact_url("postgres://portal:secret@localhost/portal"),
            "postgres://portal:***@localhost/portal"
        );
        assert_eq!(
            redact_url("sqlite://data/portal.db"),
            "sqlite://data/portal.db"
        );
    }

    #[tokio::test]
    async fn unknown_scheme_is_one_clear_sentence() {
        let err = Db::connect("mysql://localhost/x", &PoolSettings::default())
            .await
            .expect_err("mysql is not supported");
        assert!(
            err.to_string()
                .starts_with("DATABASE_URL must start with sqlite:// or postgres://")
        );
    }
}

/// The row id of the row of `table` whose `column` holds `value`: a unique key such as an
/// order number, a store code or an external id. `table` and `column` are constants of
/// the calling repository, never input.
pub async fn id_by_key(
    tx: &mut Tx,
    table: &'static str,
    column: &'static str,
    value: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!("SELECT id FROM {table} WHERE {column} = $1");
    let row: Option<(i64,)> = tx_run!(tx, |conn| sqlx::query_as(&sql)
        .bind(value)
        .fetch_optional(conn)
        .await)?;
    Ok(row.map(|r| r.0))
}

/// An insert guarded by a unique index ("one open request per order"): `None` when the
/// index refused it, because another row holds the key already.
pub fn none_if_taken<T>(inserted: Result<T, sqlx::Error>) -> Result<Option<T>, sqlx::Error> {
    match inserted {
        Ok(value) => Ok(Some(value)),
        Err(err)
            if err
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation()) =>
        {
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// Ids for `IN (…)`: numbers only, so safe to write into a statement (both dialects).
pub fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// For `LIKE … ESCAPE '\'`: `%` and `_` in what a person typed are literal characters,
/// not wildcards.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A moment in time, stored in UTC: `TIMESTAMPTZ` on PostgreSQL and fixed-width ISO-8601
/// text (`2026-11-24T12:00:00.000Z`) on SQLite, so that comparing and ordering the text
/// in SQL gives the same answer as comparing the times. Bind it in both dialects alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub chrono::DateTime<chrono::Utc>);

impl Timestamp {
    pub fn now() -> Timestamp {
        // Millisecond precision: what SQLite keeps, so a value reads back equal.
        let now = chrono::Utc::now();
        Timestamp(
            chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::milliseconds(1))
                .unwrap_or(now),
        )
    }

    pub fn sqlite_text(&self) -> String {
        self.0.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }
}

impl std::ops::Add<chrono::TimeDelta> for Timestamp {
    type Output = Timestamp;
    fn add(self, rhs: chrono::TimeDelta) -> Timestamp {
        Timestamp(self.0 + rhs)
    }
}

impl std::ops::Sub<chrono::TimeDelta> for Timestamp {
    type Output = Timestamp;
    fn sub(self, rhs: chrono::TimeDelta) -> Timestamp {
        Timestamp(self.0 - rhs)
    }
}

/// In exports and documents: RFC 3339 in UTC with milliseconds (`2026-11-24T12:00:00.000Z`).
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.sqlite_text())
    }
}

/// Writes an amount kept in minor units (cents) as a decimal text, `12900` as `"129.00"`:
/// what a person opening an export expects. For `#[serde(serialize_with)]`.
pub fn minor_as_decimal<S: serde::Serializer>(
    minor: &i64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let sign = if *minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    serializer.collect_str(&format_args!("{sign}{}.{:02}", abs / 100, abs % 100))
}

mod timestamp_sql {
    use super::Timestamp;
    use chrono::{DateTime, NaiveDateTime, Utc};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
    use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
    use sqlx::{Decode, Encode, Postgres, Sqlite, Type};

    impl Type<Sqlite> for Timestamp {
        fn type_info() -> SqliteTypeInfo {
            <String as Type<Sqlite>>::type_info()
        }
        fn compatible(ty: &SqliteTypeInfo) -> bool {
            <String as Type<Sqlite>>::compatible(ty)
        }
    }

    impl<'q> Encode<'q, Sqlite> for Timestamp {
        fn encode_by_ref(
            &self,
            buf: &mut Vec<SqliteArgumentValue<'q>>,
        ) -> Result<IsNull, BoxDynError> {
            <String as Encode<'q, Sqlite>>::encode(self.sqlite_text(), buf)
        }
    }

    impl<'r> Decode<'r, Sqlite> for Timestamp {
        fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
            let text = <&str as Decode<Sqlite>>::decode(value)?;
            if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
                return Ok(Timestamp(parsed.with_timezone(&Utc)));
            }
            // SQLite's own CURRENT_TIMESTAMP form, in UTC.
            let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")?;
            Ok(Timestamp(naive.and_utc()))
        }
    }

    impl Type<Postgres> for Timestamp {
        fn type_info() -> PgTypeInfo {
            <DateTime<Utc> as Type<Postgres>>::type_info()
        }
    }

    impl Encode<'_, Postgres> for Timestamp {
        fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
            <DateTime<Utc> as Encode<Postgres>>::encode_by_ref(&self.0, buf)
        }
    }

    impl<'r> Decode<'r, Postgres> for Timestamp {
        fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
            Ok(Timestamp(<DateTime<Utc> as Decode<Postgres>>::decode(
                value,
            )?))
        }
    }
}
