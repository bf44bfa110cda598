//! What a server function may ask of the request it serves. The server puts these in the
//! Leptos context for every page render and server-function call (see server/src/router.rs).
use leptos::prelude::use_context;

use crate::db::Db;
use crate::error::AppError;

/// The database of this request.
pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        AppError::Internal
    })
}

/// Sets the HTTP status of the page or server-function response being rendered.
pub fn set_status(status: u16) {
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
}
