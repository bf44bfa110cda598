//! `GET /admin/advisors/{key}/definition.json`: an advisor's definition to download (the
//! draft, else the published version), to keep, edit elsewhere or import into another
//! portal. Admins only; anyone else gets "not found", without a session the login first.
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use app::error::AppError;

use crate::state::AppState;

pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(key): Path<String>,
) -> Response {
    let here = format!("/admin/advisors/{key}/definition.json");
    let result = async {
        let user = app::accounts::session::current_user(&state.db, &session)
            .await?
            .ok_or(AppError::Unauthorized)?;
        if app::accounts::current::has_role(&user, &[app::accounts::Role::Admin]).is_err() {
            return Err(AppError::NotFound);
        }
        let version = match app::advisor::service::draft(&state.db, &key).await? {
            Some(draft) => draft,
            None => app::advisor::service::published(&state.db, &key)
                .await?
                .ok_or(AppError::NotFound)?,
        };
        let body =
            serde_json::to_string_pretty(&version.definition).map_err(|_| AppError::Internal)?;
        Ok((
            [
                (
                    http::header::CONTENT_TYPE,
                    "application/json; charset=utf-8".to_string(),
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.json\"", version.row.key),
                ),
                (http::header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            body + "\n",
        )
            .into_response())
    }
    .await;
    crate::receipt_pdf::answered(result, &here)
}
