//! `PUT /api/v1/stores/{code}`: create or update a store (idempotent by its code).
use app::stores::Store;
use app::stores::service::{StoreInput, upsert_store};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};

use super::auth::Caller;
use super::problem::{Problem, parse_json};
use crate::state::AppState;

pub async fn put_store(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Store>, Problem> {
    caller.require("stores:write")?;
    let input: StoreInput = parse_json(&body.map_err(Problem::from)?)?;
    Ok(Json(upsert_store(&state.db, &code, input).await?))
}
