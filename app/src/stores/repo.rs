//! The SQL of the stores area, and nothing else.
use super::{OpeningHours, Store};
use crate::db::Db;
use crate::db_run;

#[derive(sqlx::FromRow)]
struct StoreRow {
    id: i64,
    code: String,
    name: String,
    street: String,
    postcode: String,
    city: String,
    phone: Option<String>,
    opening_hours: String,
}

impl From<StoreRow> for Store {
    fn from(row: StoreRow) -> Self {
        let opening_hours = serde_json::from_str(&row.opening_hours).unwrap_or_else(|err| {
            tracing::warn!(store = %row.code, error = %err, "unreadable opening hours");
            OpeningHours::default()
        });
        Store {
            id: row.id,
            code: row.code,
            name: row.name,
            street: row.street,
            postcode: row.postcode,
            city: row.city,
            phone: row.phone,
            opening_hours,
        }
    }
}

const SEARCH: &str = "SELECT id, code, name, street, postcode, city, phone, opening_hours \
     FROM stores \
     WHERE $1 = '' \
        OR lower(name) LIKE $2 ESCAPE '\\' \
        OR lower(city) LIKE $2 ESCAPE '\\' \
        OR lower(replace(postcode, ' ', '')) LIKE $3 ESCAPE '\\' \
     ORDER BY city, name, id";

pub async fn search(db: &Db, query: &str) -> Result<Vec<Store>, sqlx::Error> {
    let lowered = query.to_lowercase();
    let pattern = format!("%{}%", crate::db::escape_like(&lowered));
    let postcode_pattern = format!("%{}%", crate::db::escape_like(&lowered.replace(' ', "")));
    let rows: Vec<StoreRow> = db_run!(db, |pool| {
        sqlx::query_as(SEARCH)
            .bind(query)
            .bind(&pattern)
            .bind(&postcode_pattern)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.into_iter().map(Store::from).collect())
}

pub struct NewStore<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub street: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub phone: Option<&'a str>,
    pub opening_hours: &'a OpeningHours,
}

/// Inserts or updates a store by its code.
pub async fn upsert(db: &Db, store: &NewStore<'_>) -> Result<(), sqlx::Error> {
    let hours = serde_json::to_string(store.opening_hours).unwrap_or_else(|_| "[]".into());
    db_run!(db, |pool| {
        sqlx::query(
            "INSERT INTO stores (code, name, street, postcode, city, phone, opening_hours) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, street = excluded.street, \
             postcode = excluded.postcode, city = excluded.city, phone = excluded.phone, \
             opening_hours = excluded.opening_hours",
        )
        .bind(store.code)
        .bind(store.name)
        .bind(store.street)
        .bind(store.postcode)
        .bind(store.city)
        .bind(store.phone)
        .bind(&hours)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn find_by_code(db: &Db, code: &str) -> Result<Option<Store>, sqlx::Error> {
    let row: Option<StoreRow> = db_run!(db, |pool| {
        sqlx::query_as(
            "SELECT id, code, name, street, postcode, city, phone, opening_hours FROM stores WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(pool)
        .await
    })?;
    Ok(row.map(Store::from))
}

/// The id of the store with this code, inside a transaction.
pub async fn id_by_code(tx: &mut crate::db::Tx, code: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::id_by_key(tx, "stores", "code", code).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(crate::db::escape_like("50%_off\\"), "50\\%\\_off\\\\");
    }
}
