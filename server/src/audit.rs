//! The audit trail on the server's side: the key it is sealed with (`AUDIT_KEY`, else
//! `DATA_DIR/audit.key`, made at the first start and readable by its owner only), the
//! check at start that this key is the one the newest row was sealed with, and
//! `server audit verify`.
use std::path::{Path, PathBuf};

use app::audit::chain::AuditKey;
use app::audit::{Verified, service};
use app::db::Db;

use crate::config::Config;

/// Where the key is kept when `AUDIT_KEY` is not set.
pub fn key_file(config: &Config) -> PathBuf {
    config.data_dir.join("audit.key")
}

/// The key from `AUDIT_KEY`, else from `DATA_DIR/audit.key`; with `create`, a missing
/// file is made with a new random key (the first start).
pub fn load_key(config: &Config, create: bool) -> Result<AuditKey, String> {
    if let Some(text) = config.audit_key.as_deref().filter(|k| !k.trim().is_empty()) {
        return AuditKey::parse(text).map_err(|e| format!("AUDIT_KEY: {e}"));
    }
    let path = key_file(config);
    match std::fs::read_to_string(&path) {
        Ok(text) => AuditKey::parse(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && create => {
            let key = AuditKey::generate();
            write_private(&path, &key.to_text())
                .map_err(|e| format!("cannot write the audit key to {}: {e}", path.display()))?;
            tracing::info!(path = %path.display(), "made a new audit key (keep it with the database's backups; several processes: set AUDIT_KEY instead)");
            Ok(key)
        }
        Err(err) => Err(format!(
            "cannot read the audit key {} ({err}); set AUDIT_KEY or restore the file",
            path.display()
        )),
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

/// Says loudly when this process's key did not seal the newest row: its rows would
/// break the chain (another process with another key, or a lost key file).
pub async fn check_key_at_start(db: &Db, key: &AuditKey) {
    match service::newest_sealed_with(db, key).await {
        Ok(Some(false)) => tracing::error!(
            "the audit key of this process did not seal the newest audit row: every process must use the same AUDIT_KEY (or the same DATA_DIR/audit.key); rows written now will fail `server audit verify`"
        ),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = ?err, "cannot check the audit key"),
    }
}

/// `server audit verify`: the report, and whether the chain is whole.
pub async fn verify(db: &Db, key: &AuditKey) -> Result<(String, bool), String> {
    match service::verify(db, key).await {
        Ok(Verified::Intact { rows, removed }) => {
            let mut report =
                format!("The audit trail is intact: {rows} rows, each sealed and in order.");
            if removed > 0 {
                report.push_str(&format!(
                    " {removed} older rows were removed after the retention period (RETENTION_AUDIT_DAYS); the chain starts after them, at a sealed start."
                ));
            }
            Ok((report, true))
        }
        Ok(Verified::Broken {
            rows_checked,
            problem,
        }) => Ok((
            format!(
                "The audit trail is BROKEN: {problem}. ({rows_checked} rows before it are intact.)"
            ),
            false,
        )),
        Err(err) => Err(format!("cannot read the audit trail: {err:?}")),
    }
}

/// `GET /admin/audit.csv?who=…&customer=…&action=…&from=…&to=…`: the admin's search as a
/// CSV file (newest first, at most `CSV_ROWS` rows). The download is recorded in the trail
/// too. Anyone else gets "not found"; without a session, the login page first.
pub async fn csv_download(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    headers: http::HeaderMap,
    client: Option<axum::Extension<app::context::ClientAddr>>,
    axum::extract::Query(filter): axum::extract::Query<app::staff::AuditFilter>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let here = format!("/admin/audit.csv?{}", filter.query());
    let result = async {
        let user = app::accounts::session::current_user(&state.db, &session)
            .await?
            .ok_or(app::error::AppError::Unauthorized)?;
        if app::accounts::current::has_role(&user, &[app::accounts::Role::Admin]).is_err() {
            return Err(app::error::AppError::NotFound);
        }
        let rows = app::staff::service::all(&state.db, &filter, app::staff::CSV_ROWS).await?;
        let numbers = app::staff::service::customer_numbers(&state.db, &rows).await?;
        let body = app::staff::service::csv_of(&rows, &numbers)?;
        let entry = app::audit::service::Entry {
            actor_user_id: Some(user.id),
            actor_label: user.name.clone(),
            role: app::accounts::Role::Admin.as_str().to_string(),
            subject_customer_id: None,
            action: "audit.exported".into(),
            reason: None,
            ticket: None,
            store_code: None,
            ip: client
                .map(|axum::Extension(c)| c.0.to_string())
                .unwrap_or_else(|| "unknown".into()),
            user_agent: service::browser_of(&headers),
            details: serde_json::json!({ "search": filter, "rows": rows.len() }),
        };
        // No file without its record: the download is refused when the trail cannot be written.
        service::record(&state.db, &state.audit_key, &entry).await?;
        let name = format!(
            "audit-{}.csv",
            app::time::local_date(chrono::Utc::now()).format("%Y-%m-%d")
        );
        Ok((
            [
                (
                    http::header::CONTENT_TYPE,
                    "text/csv; charset=utf-8".to_string(),
                ),
                (
                    http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (http::header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            body,
        )
            .into_response())
    }
    .await;
    match result {
        Err(app::error::AppError::Invalid(_) | app::error::AppError::FormInvalid { .. }) => {
            axum::response::Redirect::to(&format!("/admin/audit?{}", filter.query()))
                .into_response()
        }
        other => crate::receipt_pdf::answered(other, &here),
    }
}
