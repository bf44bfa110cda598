//! `/healthz`: the process answers. `/readyz`: and it can reach its database.
use axum::extract::State;
use axum::response::IntoResponse;
use http::StatusCode;

use crate::state::AppState;

pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// How long the readiness check waits for the database: a load balancer's health check
/// wants a quick answer, not the pool's whole wait for a connection.
pub const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(READY_WITHIN, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check failed: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness check failed: no database answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
