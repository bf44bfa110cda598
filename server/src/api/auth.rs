//! Bearer API keys: who is calling, and may they call this endpoint.
use app::apikeys::service::{ApiClient, authenticate};
use axum::extract::FromRequestParts;
use http::header::AUTHORIZATION;
use http::request::Parts;

use super::problem::Problem;
use crate::state::AppState;

/// The authenticated caller of an `/api/v1` request. Every call is logged with the key's name.
pub struct Caller(pub ApiClient);

impl Caller {
    pub fn require(&self, scope: &str) -> Result<(), Problem> {
        if self.0.may(scope) {
            Ok(())
        } else {
            Err(Problem::forbidden(scope))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(Problem::unauthorized)?;
        let client = authenticate(&state.db, key).await.map_err(Problem::from)?;
        // Counted in the database: every server process behind the load balancer adds to
        // one count per key. A count that cannot be read lets the call through (logged).
        let verdict = app::limits::take(
            &state.db,
            "api_per_key",
            &client.key_id.to_string(),
            state.config.api_rate_limit_per_minute.max(1),
            std::time::Duration::from_secs(60),
            app::db::Timestamp::now(),
        )
        .await;
        match verdict {
            Ok(app::limits::Verdict::Allowed) => {}
            Ok(app::limits::Verdict::RetryAfter(wait)) => {
                tracing::warn!(api_key = %client.name, "api rate limit reached");
                metrics::counter!("portal_rate_limited_total", "limit" => "api_per_key")
                    .increment(1);
                return Err(Problem::too_many_requests(wait));
            }
            Err(error) => {
                tracing::warn!(%error, "api rate limit not counted: database error");
            }
        }
        tracing::info!(api_key = %client.name, method = %parts.method, path = %parts.uri.path(), "api call");
        Ok(Caller(client))
    }
}
