//! The SQL of the accounts area, and nothing else.
use super::{Language, Role, UserSummary};
use crate::db::{Db, Timestamp};
use crate::db_run;

/// A user row with the password hash: stays on the server, never serialised.
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub language: String,
    pub password_hash: String,
    pub email_verified_at: Option<Timestamp>,
    pub session_generation: i64,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("password_hash", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl UserRow {
    pub fn summary(&self, roles: Vec<Role>) -> UserSummary {
        UserSummary {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            language: Language::parse(&self.language).unwrap_or_default(),
            verified: self.email_verified_at.is_some(),
            roles,
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub email_normalized: &'a str,
    pub name: &'a str,
    pub language: Language,
    pub password_hash: &'a str,
    pub verified: bool,
    pub roles: &'a [Role],
}

pub enum CreateOutcome {
    Created(i64),
    EmailTaken,
}

const USER_COLUMNS: &str =
    "id, email, name, language, password_hash, email_verified_at, session_generation";

/// Inserts a user and their roles in one transaction.
pub async fn create(db: &Db, user: &NewUser<'_>) -> Result<CreateOutcome, sqlx::Error> {
    let now = Timestamp::now();
    let verified_at = user.verified.then_some(now);
    db_run!(db, |pool| {
        let mut tx = pool.begin().await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO users (email, email_normalized, name, language, password_hash, \
             email_verified_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             ON CONFLICT (email_normalized) DO NOTHING RETURNING id",
        )
        .bind(user.email.trim())
        .bind(user.email_normalized)
        .bind(user.name.trim())
        .bind(user.language.as_str())
        .bind(user.password_hash)
        .bind(verified_at)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = inserted else {
            return Ok(CreateOutcome::EmailTaken);
        };
        for role in user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(CreateOutcome::Created(id))
    })
}

pub async fn find_by_email(
    db: &Db,
    email_normalized: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email_normalized = $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(email_normalized)
        .fetch_optional(pool)
        .await)
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

pub async fn roles(db: &Db, user_id: i64) -> Result<Vec<Role>, sqlx::Error> {
    let rows: Vec<(String,)> = db_run!(db, |pool| {
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.iter().filter_map(|(r,)| Role::parse(r)).collect())
}

/// Gives the user a role they do not have yet.
pub async fn add_role(db: &Db, user_id: i64, role: Role) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user_id)
            .bind(role.as_str())
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn record_login_attempt(
    db: &Db,
    email_normalized: &str,
    ip: &str,
    succeeded: bool,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query(
            "INSERT INTO login_attempts (email_normalized, ip, succeeded, attempted_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(email_normalized)
        .bind(ip)
        .bind(succeeded)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// Failed attempts since `since` for this account and from this address, and the oldest
/// of each (to say when trying again is possible).
pub struct RecentFailures {
    pub for_account: i64,
    pub oldest_for_account: Option<Timestamp>,
    pub from_ip: i64,
    pub oldest_from_ip: Option<Timestamp>,
}

pub async fn recent_failures(
    db: &Db,
    email_normalized: &str,
    ip: &str,
    since: Timestamp,
) -> Result<RecentFailures, sqlx::Error> {
    let (for_account, oldest_for_account): (i64, Option<Timestamp>) = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(attempted_at) FROM login_attempts \
             WHERE email_normalized = $1 AND attempted_at > $2 AND succeeded = $3",
        )
        .bind(email_normalized)
        .bind(since)
        .bind(false)
        .fetch_one(pool)
        .await
    })?;
    let (from_ip, oldest_from_ip): (i64, Option<Timestamp>) = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(attempted_at) FROM login_attempts \
             WHERE ip = $1 AND attempted_at > $2 AND succeeded = $3",
        )
        .bind(ip)
        .bind(since)
        .bind(false)
        .fetch_one(pool)
        .await
    })?;
    Ok(RecentFailures {
        for_account,
        oldest_for_account,
        from_ip,
        oldest_from_ip,
    })
}
