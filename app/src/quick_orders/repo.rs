//! The SQL of order lists.
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

/// One line of a list: SKU, name, quantity, price when saved (minor units), currency.
pub type ListLine = (String, String, i32, i64, String);

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub by: Option<String>,
    pub updated_at: Timestamp,
}

/// The company's lists, by name.
pub async fn lists(db: &Db, company_id: i64) -> Result<Vec<ListRow>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>, Timestamp)> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT l.id, l.name, u.name, l.updated_at FROM order_lists l \
             LEFT JOIN users u ON u.id = l.created_by WHERE l.company_id = $1 ORDER BY l.name, l.id",
        )
        .bind(company_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, name, by, updated_at)| ListRow {
            id,
            name,
            by,
            updated_at,
        })
        .collect())
}

/// A list's lines in order (`line_no`, then the line).
pub async fn lines(db: &Db, list_id: i64) -> Result<Vec<(i32, ListLine)>, sqlx::Error> {
    let rows: Vec<(i32, String, String, i32, i64, String)> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT line_no, sku, name, quantity, price_minor, currency FROM order_list_lines \
             WHERE list_id = $1 ORDER BY line_no",
        )
        .bind(list_id)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(n, sku, name, q, price, currency)| (n, (sku, name, q, price, currency)))
        .collect())
}

/// The list's name, when it is one of company `company_id`'s.
pub async fn name_of(
    db: &Db,
    company_id: i64,
    list_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = db_run!(db, |pool| {
        sqlx::query_as("SELECT name FROM order_lists WHERE id = $1 AND company_id = $2")
            .bind(list_id)
            .bind(company_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row.map(|(name,)| name))
}

/// Saves a list under `name`: a list of the company with that name (any case) gets the
/// new lines; else a new list. Returns its id.
pub async fn save(
    tx: &mut Tx,
    company_id: i64,
    name: &str,
    user_id: i64,
    lines: &[ListLine],
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    let existing: Option<(i64,)> = tx_run!(tx, |conn| sqlx::query_as(
        "SELECT id FROM order_lists WHERE company_id = $1 AND LOWER(name) = LOWER($2)"
    )
    .bind(company_id)
    .bind(name)
    .fetch_optional(conn)
    .await)?;
    let id = match existing {
        Some((id,)) => {
            tx_run!(tx, |conn| sqlx::query(
                "UPDATE order_lists SET name = $2, created_by = $3, updated_at = $4 WHERE id = $1"
            )
            .bind(id)
            .bind(name)
            .bind(user_id)
            .bind(now)
            .execute(conn)
            .await
            .map(|_| ()))?;
            tx_run!(tx, |conn| sqlx::query(
                "DELETE FROM order_list_lines WHERE list_id = $1"
            )
            .bind(id)
            .execute(conn)
            .await
            .map(|_| ()))?;
            id
        }
        None => {
            let (id,): (i64,) = tx_run!(tx, |conn| {
                sqlx::query_as(
                "INSERT INTO order_lists (company_id, name, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id"
            )
            .bind(company_id)
            .bind(name)
            .bind(user_id)
            .bind(now)
            .fetch_one(conn)
            .await
            })?;
            id
        }
    };
    for (i, (sku, name, quantity, price, currency)) in lines.iter().enumerate() {
        tx_run!(tx, |conn| {
            sqlx::query(
            "INSERT INTO order_list_lines (list_id, line_no, sku, name, quantity, price_minor, currency) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(id)
        .bind(i as i32 + 1)
        .bind(sku)
        .bind(name)
        .bind(quantity)
        .bind(price)
        .bind(currency)
        .execute(conn)
        .await
        .map(|_| ())
        })?;
    }
    Ok(id)
}

/// Removes one of the company's lists; `false` when it has no such list.
pub async fn delete(db: &Db, company_id: i64, list_id: i64) -> Result<bool, sqlx::Error> {
    db_run!(db, |pool| {
        sqlx::query("DELETE FROM order_lists WHERE id = $1 AND company_id = $2")
            .bind(list_id)
            .bind(company_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
    })
}
