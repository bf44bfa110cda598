//! Server functions of the stores area. Store information is public: no login needed.
use leptos::prelude::*;

use super::Store;
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "search_stores")]
pub async fn search_stores(query: String) -> Result<Vec<Store>, AppError> {
    let db = crate::context::db()?;
    crate::context::answered(super::service::search_stores(&db, &query).await)
}
