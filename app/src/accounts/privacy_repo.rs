//! The user account and its log-ins as a data export writes them (`privacy::export`)
//! and what erasure removes of them (`privacy::erasure`);
//! the field names are the export's columns.
use serde::Serialize;

use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct AccountRow {
    pub login_email: String,
    pub account_name: String,
    pub account_language: String,
    pub email_verified_at: Option<Timestamp>,
    pub account_created_at: Timestamp,
}

pub async fn account(db: &Db, user_id: i64) -> Result<Option<AccountRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT email AS login_email, name AS account_name, language AS account_language, \
                email_verified_at, created_at AS account_created_at \
         FROM users WHERE id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct LoginRow {
    #[serde(skip)]
    pub id: i64,
    pub attempted_at: Timestamp,
    pub ip: String,
    pub succeeded: bool,
}

/// Log-in attempts on the user's e-mail address (kept for the login-attempt retention
/// period), after `after`, at most `limit`, oldest first.
pub async fn logins(
    db: &Db,
    user_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<LoginRow>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT a.id, a.attempted_at, a.ip, a.succeeded \
         FROM login_attempts a JOIN users u ON u.email_normalized = a.email_normalized \
         WHERE u.id = $1 AND a.id > $2 ORDER BY a.id LIMIT $3"
    )
    .bind(user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await)
}

/// Erasure: the user account (its roles, links, e-mail changes and card/receipt tries go
/// with it) and the log-in attempts on its address. Sessions of the user end with it.
pub async fn erase_account(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM login_attempts WHERE email_normalized = \
         (SELECT email_normalized FROM users WHERE id = $1)",
        "DELETE FROM users WHERE id = $1",
    ] {
        tx_run!(tx, |conn| sqlx::query(sql)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}
