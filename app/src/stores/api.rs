//! Server functions of the stores area. Store information is public: no login needed.
use leptos::prelude::*;

use super::Store;
use crate::error::AppError;

#[server(prefix = "/api/fn", endpoint = "search_stores")]
pub async fn search_stores(query: String) -> Result<Vec<Store>, AppError> {
    let db = crate::context::db()?;
    let result = super::service::search_stores(&db, &query).await;
    if let Err(err) = &result {
        crate::context::set_error_status(err);
    }
    result
}
