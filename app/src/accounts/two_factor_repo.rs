//! The SQL of two-step login: a user's authenticator secret and their recovery codes.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// A user's confirmed authenticator: its secret and the newest step a code was used for.
pub async fn find(db: &Db, user_id: i64) -> Result<Option<(String, i64)>, sqlx::Error> {
    db_run!(db, |pool| sqlx::query_as(
        "SELECT secret, last_step FROM user_totp WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

/// Whether the user has two-step login set up.
pub async fn is_enrolled(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    Ok(find(db, user_id).await?.is_some())
}

/// Sets (or replaces) the user's authenticator, and replaces their recovery codes.
pub async fn enrol(
    tx: &mut Tx,
    user_id: i64,
    secret: &str,
    step: i64,
    code_hashes: &[String],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO user_totp (user_id, secret, last_step, confirmed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, \
         last_step = excluded.last_step, confirmed_at = excluded.confirmed_at"
    )
    .bind(user_id)
    .bind(secret)
    .bind(step)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    replace_recovery_codes(tx, user_id, code_hashes, now).await
}

/// Throws the user's recovery codes away and stores these instead.
pub async fn replace_recovery_codes(
    tx: &mut Tx,
    user_id: i64,
    code_hashes: &[String],
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM recovery_codes WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    for hash in code_hashes {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)"
        )
        .bind(user_id)
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Moves the user's newest used step on to `step`, only if it is newer: one statement, so
/// the same code sent twice at once is accepted once.
pub async fn use_step(db: &Db, user_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let done = db_run!(db, |pool| sqlx::query(
        "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2"
    )
    .bind(user_id)
    .bind(step)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Uses up an unused recovery code of the user; false when there is none with this hash.
pub async fn use_recovery_code(
    db: &Db,
    user_id: i64,
    code_hash: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = db_run!(db, |pool| sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 \
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL"
    )
    .bind(user_id)
    .bind(code_hash)
    .bind(now)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done >= 1)
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = db_run!(db, |pool| sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"
    )
    .bind(user_id)
    .fetch_one(pool)
    .await)?;
    Ok(n)
}

/// Removes the user's two-step login (an admin's reset for a lost phone): they set it up
/// again at their next login.
pub async fn remove(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM recovery_codes WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM user_totp WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ()))
}
