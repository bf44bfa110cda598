//! The SQL of the catalogue.
use super::Product;
use crate::db::{Db, Timestamp, Tx};
use crate::{db_run, tx_run};

#[derive(sqlx::FromRow)]
struct ProductRow {
    sku: String,
    name: String,
    description: String,
    category: String,
    price_minor: i64,
    currency: String,
    attributes: String,
    returnable: bool,
    return_days: Option<i32>,
    active: bool,
    variant_of: Option<String>,
    successor: Option<String>,
    stock: Option<i32>,
    pack_size: i32,
}

impl From<ProductRow> for Product {
    fn from(r: ProductRow) -> Product {
        Product {
            attributes: serde_json::from_str(&r.attributes)
                .unwrap_or_else(|_| serde_json::json!({})),
            sku: r.sku,
            name: r.name,
            description: r.description,
            category: r.category,
            price: r.price_minor,
            currency: r.currency,
            returnable: r.returnable,
            return_days: r.return_days,
            active: r.active,
            variant_of: r.variant_of,
            successor: r.successor,
            stock: r.stock,
            pack_size: r.pack_size,
        }
    }
}

pub async fn upsert(tx: &mut Tx, p: &Product, now: Timestamp) -> Result<(), sqlx::Error> {
    let attributes = p.attributes.to_string();
    tx_run!(tx, |conn| {
        sqlx::query(
            "INSERT INTO products (sku, name, description, category, price_minor, currency, attributes, returnable, \
             return_days, active, created_at, updated_at, variant_of, successor, stock, pack_size) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15) \
             ON CONFLICT (sku) DO UPDATE SET name = excluded.name, description = excluded.description, \
             category = excluded.category, price_minor = excluded.price_minor, currency = excluded.currency, \
             attributes = excluded.attributes, returnable = excluded.returnable, return_days = excluded.return_days, \
             active = excluded.active, updated_at = excluded.updated_at, variant_of = excluded.variant_of, \
             successor = excluded.successor, stock = excluded.stock, pack_size = excluded.pack_size",
        )
        .bind(&p.sku)
        .bind(&p.name)
        .bind(&p.description)
        .bind(&p.category)
        .bind(p.price)
        .bind(&p.currency)
        .bind(&attributes)
        .bind(p.returnable)
        .bind(p.return_days)
        .bind(p.active)
        .bind(now)
        .bind(&p.variant_of)
        .bind(&p.successor)
        .bind(p.stock)
        .bind(p.pack_size)
        .execute(conn)
        .await
        .map(|_| ())
    })
}

const COLUMNS: &str = "sku, name, description, category, price_minor, currency, attributes, returnable, return_days, active, variant_of, \
                       successor, stock, pack_size";

pub async fn find(db: &Db, sku: &str) -> Result<Option<Product>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE sku = $1");
    let row: Option<ProductRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(sku)
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(Product::from))
}

/// The active products of `category`, by SKU (what an advisor chooses from).
pub async fn active_in_category(db: &Db, category: &str) -> Result<Vec<Product>, sqlx::Error> {
    let sql =
        format!("SELECT {COLUMNS} FROM products WHERE category = $1 AND active = $2 ORDER BY sku");
    let rows: Vec<ProductRow> = db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(category)
        .bind(true)
        .fetch_all(pool)
        .await)?;
    Ok(rows.into_iter().map(Product::from).collect())
}

/// Id and name of each known SKU among `skus` (one query for a whole order).
pub async fn ids_by_sku(
    tx: &mut Tx,
    skus: &[&str],
) -> Result<std::collections::HashMap<String, (i64, String)>, sqlx::Error> {
    let list = serde_json::to_string(skus).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "SELECT id, sku, name FROM products WHERE sku IN {}",
        tx.backend().texts_in(1)
    );
    let rows: Vec<(i64, String, String)> = tx_run!(tx, |conn| sqlx::query_as(&sql)
        .bind(&list)
        .fetch_all(conn)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, sku, name)| (sku, (id, name)))
        .collect())
}

/// What the return policy needs of a product.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReturnFacts {
    pub sku: String,
    pub category: String,
    pub returnable: bool,
    pub return_days: Option<i32>,
    pub variant_of: Option<String>,
}

/// The return facts of each known SKU among `skus` (one query for a whole order).
pub async fn return_facts(db: &Db, skus: &[&str]) -> Result<Vec<ReturnFacts>, sqlx::Error> {
    let list = serde_json::to_string(skus).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "SELECT sku, category, returnable, return_days, variant_of FROM products WHERE sku IN {}",
        db.backend().texts_in(1)
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(&list)
        .fetch_all(pool)
        .await)
}

/// The active products of these families as (family, sku, name), by name.
pub async fn variants(
    db: &Db,
    families: &[&str],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    if families.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(families).unwrap_or_else(|_| "[]".into());
    let sql = format!(
        "SELECT variant_of, sku, name FROM products WHERE active = $2 AND variant_of IN {} ORDER BY name, sku",
        db.backend().texts_in(1)
    );
    db_run!(db, |pool| sqlx::query_as(&sql)
        .bind(&list)
        .bind(true)
        .fetch_all(pool)
        .await)
}
