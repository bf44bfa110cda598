//! The integration API `/api/v1`: the retailer's webshop, tills, warehouse and carriers
//! push their data here with a bearer API key. Errors are RFC 9457 problem+json naming
//! each bad field; a rejected request changes nothing.
pub mod auth;
pub mod docs;
pub mod problem;
pub mod stores;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, put};

use crate::state::AppState;

/// Largest request body accepted (bigger: 413).
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::docs_page))
        .route("/stores/{code}", put(stores::put_store))
        .fallback(problem::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}
