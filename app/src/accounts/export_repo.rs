//! The user account and its log-ins as a data export writes them (`privacy::export`);
//! the field names are the export's columns.
use serde::Serialize;

use crate::db::{Db, Timestamp};
use crate::db_run;

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
