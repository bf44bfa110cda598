//! The SQL of the staff area: which stores a staff member works at, and the staff list.
use crate::db::{Db, Tx};
use crate::{db_run, tx_run};

/// The stores a staff member works at (ids).
pub async fn staff_stores(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = db_run!(db, |pool| sqlx::query_as(
        "SELECT store_id FROM staff_stores WHERE user_id = $1 ORDER BY store_id"
    )
    .bind(user_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Links a staff member to a store they work at (a second time changes nothing).
pub async fn add_staff_store(tx: &mut Tx, user_id: i64, store_id: i64) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "INSERT INTO staff_stores (user_id, store_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    )
    .bind(user_id)
    .bind(store_id)
    .execute(conn)
    .await
    .map(|_| ()))
}

/// Replaces the stores a staff member works at.
pub async fn set_staff_stores(
    tx: &mut Tx,
    user_id: i64,
    store_ids: &[i64],
) -> Result<(), sqlx::Error> {
    tx_run!(tx, |conn| sqlx::query(
        "DELETE FROM staff_stores WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .map(|_| ()))?;
    for store_id in store_ids {
        add_staff_store(tx, user_id, *store_id).await?;
    }
    Ok(())
}

/// A staff member's row for `/admin/staff`.
#[derive(sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub deactivated: bool,
    pub two_factor: bool,
    pub invited: bool,
    /// Comma-separated.
    pub roles: Option<String>,
    /// Comma-separated store codes.
    pub stores: Option<String>,
}

/// Everyone with a staff role (or only `user_id`), active ones first, by name.
pub async fn members(db: &Db, user_id: Option<i64>) -> Result<Vec<MemberRow>, sqlx::Error> {
    let (roles, stores) = match db.backend() {
        crate::db::Backend::Sqlite => ("group_concat(r.role, ',')", "group_concat(s.code, ',')"),
        crate::db::Backend::Postgres => (
            "string_agg(r.role, ',' ORDER BY r.role)",
            "string_agg(s.code, ',' ORDER BY s.code)",
        ),
    };
    let sql = format!(
        "SELECT u.id, u.name, u.email, (u.deactivated_at IS NOT NULL) AS deactivated, \
         EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id) AS two_factor, \
         (u.password_hash LIKE '!%') AS invited, \
         (SELECT {roles} FROM user_roles r WHERE r.user_id = u.id) AS roles, \
         (SELECT {stores} FROM staff_stores ss JOIN stores s ON s.id = ss.store_id \
          WHERE ss.user_id = u.id) AS stores \
         FROM users u \
         WHERE EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role <> 'customer') \
         AND (CAST($1 AS BIGINT) IS NULL OR u.id = $1) \
         ORDER BY (u.deactivated_at IS NOT NULL), lower(u.name), u.id"
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}
