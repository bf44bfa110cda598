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
        if let Err(not_until) = state.api_limiter.check_key(&client.key_id) {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            tracing::warn!(api_key = %client.name, "api rate limit reached");
            return Err(Problem::too_many_requests(wait.as_secs().max(1)));
        }
        tracing::info!(api_key = %client.name, method = %parts.method, path = %parts.uri.path(), "api call");
        Ok(Caller(client))
    }
}
