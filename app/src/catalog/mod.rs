//! The product catalogue as the webshop sends it: what order lines point at, what the
//! return policy and the advisors read.
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub category: String,
    /// Minor units (cents).
    pub price: i64,
    pub currency: String,
    /// What a product advisor can use, e.g. `{"firmness": "medium", "width_cm": 160}`.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub attributes: serde_json::Value,
    pub returnable: bool,
    /// Days to return it; `null`: the return policy of its category decides.
    pub return_days: Option<i32>,
    pub active: bool,
    /// The product family it is a size or variant of (e.g. the webshop's parent product):
    /// the family's other active products are offered when it is returned for an exchange.
    #[serde(default)]
    pub variant_of: Option<String>,
    /// The SKU of the product that replaces this one once it is no longer sold: a reorder
    /// offers it instead.
    #[serde(default)]
    pub successor: Option<String>,
    /// Pieces in stock, when the back office sends it (`null`: not known).
    #[serde(default)]
    pub stock: Option<i32>,
    /// Sold per this many pieces: a quantity ordered is a multiple of it.
    #[serde(default = "one")]
    pub pack_size: i32,
}

fn one() -> i32 {
    1
}
