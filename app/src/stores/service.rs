//! The rules of the stores area.
use super::{MAX_QUERY_LEN, Store, repo};
use crate::db::Db;
use crate::error::AppError;

/// Stores whose name, town or postcode contains `query` (all stores when it is empty),
/// ordered by town and name.
pub async fn search_stores(db: &Db, query: &str) -> Result<Vec<Store>, AppError> {
    let query = query.trim();
    if query.chars().count() > MAX_QUERY_LEN {
        return Err(AppError::invalid("query", "too_long"));
    }
    Ok(repo::search(db, query).await?)
}
