//! The SQL of the accounts area, and nothing else.
use super::{Language, Role, UserSummary};
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

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
    /// Deactivated by an admin: cannot log in.
    pub deactivated: bool,
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
            second_factor: false,
            acting_for: None,
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

const USER_COLUMNS: &str = "id, email, name, language, password_hash, email_verified_at, session_generation, \
     (deactivated_at IS NOT NULL) AS deactivated";

/// Inserts a user and their roles in one transaction.
pub async fn create(db: &Db, user: &NewUser<'_>) -> Result<CreateOutcome, sqlx::Error> {
    let mut tx = db.begin().await?;
    let outcome = create_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Inserts a user and their roles inside the caller's transaction.
pub async fn create_in(tx: &mut Tx, user: &NewUser<'_>) -> Result<CreateOutcome, sqlx::Error> {
    let now = Timestamp::now();
    let verified_at = user.verified.then_some(now);
    tx_run!(tx, |conn| {
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
        .fetch_optional(&mut *conn)
        .await?;
        let Some((id,)) = inserted else {
            return Ok(CreateOutcome::EmailTaken);
        };
        for role in user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.as_str())
                .execute(&mut *conn)
                .await?;
        }
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

/// The user with their roles, in one query (asked on every page a logged-in user opens).
/// A user with their roles and the id of their customer record (if the retailer's data
/// knows them): one query, as every page asks for all three.
pub async fn find_with_roles(
    db: &Db,
    id: i64,
) -> Result<Option<(UserRow, Vec<Role>, Option<i64>)>, sqlx::Error> {
    let all_roles = match db.backend() {
        crate::db::Backend::Sqlite => "group_concat(role, ',')",
        crate::db::Backend::Postgres => "string_agg(role, ',')",
    };
    let sql = format!(
        "SELECT {USER_COLUMNS}, (SELECT {all_roles} FROM user_roles r WHERE r.user_id = users.id) AS roles, \
         (SELECT c.id FROM customers c WHERE c.user_id = users.id) AS customer_id \
         FROM users WHERE id = $1"
    );
    #[derive(sqlx::FromRow)]
    struct WithRoles {
        #[sqlx(flatten)]
        user: UserRow,
        roles: Option<String>,
        customer_id: Option<i64>,
    }
    let row: Option<WithRoles> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(|r| {
        let mut roles: Vec<Role> = r
            .roles
            .unwrap_or_default()
            .split(',')
            .filter_map(Role::parse)
            .collect();
        roles.sort_by_key(|role| role.as_str());
        (r.user, roles, r.customer_id)
    }))
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

/// Records an attempt as failed before its password is checked (see `throttle`); the id
/// is for [`login_attempt_succeeded`] / [`forget_login_attempt`].
pub async fn record_login_attempt(
    db: &Db,
    email_normalized: &str,
    ip: &str,
    at: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = db_run!(db, |pool| {
        sqlx::query_as(
            "INSERT INTO login_attempts (email_normalized, ip, succeeded, attempted_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(email_normalized)
        .bind(ip)
        .bind(false)
        .bind(at)
        .fetch_one(pool)
        .await
    })?;
    Ok(id)
}

pub async fn login_attempt_succeeded(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("UPDATE login_attempts SET succeeded = $2 WHERE id = $1")
            .bind(id)
            .bind(true)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Removes an attempt that was refused before its password was checked: it was no guess.
pub async fn forget_login_attempt(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("DELETE FROM login_attempts WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// The failures that count for attempt `me` (see `throttle::Failures`), since `since`.
pub async fn recent_failures(
    db: &Db,
    email_normalized: &str,
    ip: &str,
    me: i64,
    since: Timestamp,
    known_since: Timestamp,
) -> Result<super::throttle::Failures, sqlx::Error> {
    // The pair's failures count from its last success.
    let (last_success,): (Option<Timestamp>,) = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT MAX(attempted_at) FROM login_attempts \
             WHERE email_normalized = $1 AND ip = $2 AND succeeded = $3 AND attempted_at > $4",
        )
        .bind(email_normalized)
        .bind(ip)
        .bind(true)
        .bind(known_since)
        .fetch_one(pool)
        .await
    })?;
    let pair_since = last_success.filter(|at| *at > since).unwrap_or(since);
    let (pair, pair_last): (i64, Option<Timestamp>) = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MAX(attempted_at) FROM login_attempts \
             WHERE email_normalized = $1 AND ip = $2 AND attempted_at > $3 AND succeeded = $4 AND id <> $5",
        )
        .bind(email_normalized)
        .bind(ip)
        .bind(pair_since)
        .bind(false)
        .bind(me)
        .fetch_one(pool)
        .await
    })?;
    let (client, client_oldest): (i64, Option<Timestamp>) = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(attempted_at) FROM login_attempts \
             WHERE ip = $1 AND attempted_at > $2 AND succeeded = $3 AND id <> $4",
        )
        .bind(ip)
        .bind(since)
        .bind(false)
        .bind(me)
        .fetch_one(pool)
        .await
    })?;
    let (account, account_oldest): (i64, Option<Timestamp>) = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT COUNT(*), MIN(attempted_at) FROM login_attempts \
             WHERE email_normalized = $1 AND attempted_at > $2 AND succeeded = $3 AND id <> $4",
        )
        .bind(email_normalized)
        .bind(since)
        .bind(false)
        .bind(me)
        .fetch_one(pool)
        .await
    })?;
    Ok(super::throttle::Failures {
        pair,
        pair_last,
        client,
        client_oldest,
        account,
        account_oldest,
        known_client: last_success.is_some(),
    })
}

/// Removes login attempts from before `before` (they only matter for the throttle and
/// for knowing a customer's own devices).
pub async fn purge_login_attempts(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("DELETE FROM login_attempts WHERE attempted_at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
    })
}

/// Removes tokens (links mailed for verification, password reset and e-mail change) that
/// ran out or were used before `before`.
pub async fn purge_tokens(db: &Db, before: Timestamp) -> Result<u64, sqlx::Error> {
    let mut removed = 0;
    for table in ["account_tokens", "email_changes"] {
        let sql = format!(
            "DELETE FROM {table} WHERE expires_at < $1 OR (used_at IS NOT NULL AND used_at < $1)"
        );
        removed += db_run!(db, |pool| {
            sqlx::query(&sql)
                .bind(before)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
    }
    Ok(removed)
}

/// Ends every unused token of `purpose` of a user (a newer one was sent, or the password
/// changed): such a link says "expired" from now on.
pub async fn expire_tokens(
    tx: &mut Tx,
    user_id: i64,
    purpose: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE account_tokens SET expires_at = $3 \
             WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(user_id)
        .bind(purpose)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

/// Stores a single-use token (its SHA-256, never the token itself).
pub async fn insert_token(
    tx: &mut Tx,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    let now = Timestamp::now();
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO account_tokens (user_id, purpose, token_hash, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(purpose)
        .bind(token_hash)
        .bind(expires_at)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

/// Uses a token: marks it used and returns its user, only when it has this purpose, was
/// never used and has not expired. One statement, so two clicks cannot both use it.
pub async fn use_token(
    tx: &mut Tx,
    purpose: &str,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| {
        sqlx::query_as(
            "UPDATE account_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
             RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(purpose)
        .fetch_optional(conn)
        .await
    })?;
    Ok(row.map(|(id,)| id))
}

/// Why a token did not work: unknown, used or expired (for a helpful message).
pub async fn token_state(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(Option<Timestamp>, Timestamp)>, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query_as("SELECT used_at, expires_at FROM account_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })
}

pub async fn mark_verified(tx: &mut Tx, user_id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query(
            "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $1",
        )
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

/// Sets a new password and raises the session generation, which ends every existing
/// session of the user. Returns the new generation.
pub async fn set_password(
    tx: &mut Tx,
    user_id: i64,
    password_hash: &str,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (generation,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "UPDATE users SET password_hash = $2, session_generation = session_generation + 1, updated_at = $3 \
             WHERE id = $1 RETURNING session_generation",
        )
        .bind(user_id)
        .bind(password_hash)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    // A reset link mailed before the change must not undo it.
    expire_tokens(tx, user_id, "reset_password", now).await?;
    Ok(generation)
}

pub async fn set_name_and_language(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
    language: Language,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE users SET name = $2, language = $3, updated_at = $4 WHERE id = $1"
    )
    .bind(user_id)
    .bind(name)
    .bind(language.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Whether another user has this address.
pub async fn email_in_use(
    tx: &mut Tx,
    email_normalized: &str,
    except_user: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT id FROM users WHERE email_normalized = $1 AND id <> $2"
    )
    .bind(email_normalized)
    .bind(except_user)
    .fetch_optional(conn)
    .await)?;
    Ok(row.is_some())
}

/// Stores a requested e-mail change; earlier unconfirmed requests of the user lapse.
pub async fn insert_email_change(
    tx: &mut Tx,
    user_id: i64,
    new_email: &str,
    new_email_normalized: &str,
    token_hash: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE email_changes SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL"
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))?;
    tx_run!(tx, |conn| {
        sqlx::query(
        "INSERT INTO email_changes (user_id, new_email, new_email_normalized, token_hash, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(user_id)
    .bind(new_email)
    .bind(new_email_normalized)
    .bind(token_hash)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
    })
}

/// Uses a valid e-mail change token: (user id, new address). Single use.
pub async fn use_email_change(
    tx: &mut Tx,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    tx_run!(tx, |conn| {
        sqlx::query_as(
        "UPDATE email_changes SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING user_id, new_email"
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
    })
}

/// The address a user asked to change to and has not confirmed yet.
pub async fn pending_email_change(
    db: &Db,
    user_id: i64,
    now: Timestamp,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = db_run!(db, |pool| {
        sqlx::query_as(
        "SELECT new_email FROM email_changes WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2 \
         ORDER BY id DESC LIMIT 1"
    )
    .bind(user_id)
    .bind(now)
    .fetch_optional(pool)
    .await
    })?;
    Ok(row.map(|r| r.0))
}

/// Sets a confirmed new address (and so marks it verified).
/// Sets a new (verified) address and, like a new password, ends every session of the
/// user: whoever was logged in with the old address must log in again. Returns the new
/// session generation.
pub async fn set_email(
    tx: &mut Tx,
    user_id: i64,
    email: &str,
    email_normalized: &str,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let (generation,): (i64,) = tx_run!(tx, |conn| {
        sqlx::query_as(
            "UPDATE users SET email = $2, email_normalized = $3, email_verified_at = $4, updated_at = $4, \
             session_generation = session_generation + 1 WHERE id = $1 RETURNING session_generation",
        )
        .bind(user_id)
        .bind(email)
        .bind(email_normalized)
        .bind(now)
        .fetch_one(conn)
        .await
    })?;
    // Reset links sent to the old address no longer work.
    expire_tokens(tx, user_id, "reset_password", now).await?;
    Ok(generation)
}
