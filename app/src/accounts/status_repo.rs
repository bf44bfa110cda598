//! The SQL an admin's changes to a staff account need: roles, deactivation, ending its
//! sessions (the rest of the accounts SQL is in `repo.rs`).
use super::Role;
use crate::db::{Timestamp, Tx};
use crate::tx_run;

/// Sets or clears an account's deactivation; either way every session of the user ends.
pub async fn set_deactivated(
    tx: &mut Tx,
    user_id: i64,
    deactivated_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE users SET deactivated_at = $2, session_generation = session_generation + 1, \
         updated_at = $3 WHERE id = $1"
    )
    .bind(user_id)
    .bind(deactivated_at)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Ends every session of the user (their two-step login was reset).
pub async fn end_sessions(tx: &mut Tx, user_id: i64, now: Timestamp) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "UPDATE users SET session_generation = session_generation + 1, updated_at = $2 \
         WHERE id = $1"
    )
    .bind(user_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Replaces the user's roles.
pub async fn set_roles(tx: &mut Tx, user_id: i64, roles: &[Role]) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM user_roles WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    for role in roles {
        tx_run!(tx, |conn| sqlx::query(
            "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)"
        )
        .bind(user_id)
        .bind(role.as_str())
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}
