//! The rules of the catalogue.
use serde::Deserialize;

use super::{Product, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::validate::Checks;

/// A product as the webshop sends it (`PUT /api/v1/products/{sku}`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Lower-case slug, e.g. `mattresses`, `pillows`, `duvets`, `bed-frames`, `linen`.
    pub category: String,
    /// Minor units (cents).
    pub price: i64,
    pub currency: String,
    /// A JSON object an advisor can use, e.g. `{"firmness": "medium"}`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: serde_json::Map<String, serde_json::Value>,
    #[serde(default = "yes")]
    pub returnable: bool,
    /// Days to return it; leave out to let the return policy of its category decide.
    #[serde(default)]
    pub return_days: Option<i32>,
    #[serde(default = "yes")]
    pub active: bool,
    /// The family this product is a size or variant of, e.g. `MAT-NACHTRUST` for
    /// `MAT-NACHTRUST-160200`: its other active members are offered as an exchange.
    #[serde(default)]
    pub variant_of: Option<String>,
    /// The SKU of the product that replaces this one when it is no longer sold (`active`
    /// false): a reorder of this product offers the successor instead.
    #[serde(default)]
    pub successor: Option<String>,
    /// Pieces in stock, if the back office keeps the portal informed (`null` or left out:
    /// not known). A reorder says "only 40 in stock" and refuses more.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub stock: Option<i32>,
    /// Sold per this many pieces (a box of 10 pillowcases: 10); quantities ordered are
    /// multiples of it. Default 1.
    #[serde(default = "one")]
    #[schema(minimum = 1, maximum = 10000)]
    pub pack_size: i32,
}

fn one() -> i32 {
    1
}

fn yes() -> bool {
    true
}

fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub async fn upsert_product(db: &Db, sku: &str, input: ProductInput) -> Result<Product, AppError> {
    let mut checks = Checks::new();
    checks.external_id("sku", sku);
    checks.text("name", &input.name, 200);
    checks.optional_text("description", Some(&input.description), 5000);
    if !is_slug(input.category.trim()) {
        checks.push("category", "invalid");
    }
    checks.not_negative("price", input.price);
    checks.currency("currency", &input.currency);
    let variant_of = input
        .variant_of
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    if let Some(family) = variant_of {
        checks.external_id("variant_of", family);
    }
    let successor = input
        .successor
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    if let Some(successor) = successor {
        checks.external_id("successor", successor);
        if successor == sku {
            checks.push("successor", "itself");
        }
    }
    if input.stock.is_some_and(|s| s < 0) {
        checks.push("stock", "negative");
    }
    if !(1..=10_000).contains(&input.pack_size) {
        checks.push("pack_size", "out_of_range");
    }
    if input.return_days.is_some_and(|d| !(0..=3650).contains(&d)) {
        checks.push("return_days", "out_of_range");
    }
    checks.finish()?;
    let product = Product {
        sku: sku.to_string(),
        name: input.name.trim().to_string(),
        description: input.description.trim().to_string(),
        category: input.category.trim().to_string(),
        price: input.price,
        currency: input.currency,
        attributes: serde_json::Value::Object(input.attributes),
        returnable: input.returnable,
        return_days: input.return_days,
        active: input.active,
        variant_of: variant_of.map(str::to_string),
        successor: successor.map(str::to_string),
        stock: input.stock,
        pack_size: input.pack_size,
    };
    let mut tx = db.begin().await?;
    repo::upsert(&mut tx, &product, Timestamp::now()).await?;
    tx.commit().await?;
    repo::find(db, sku).await?.ok_or(AppError::Internal)
}
