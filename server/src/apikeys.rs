//! `server apikey create|revoke`.
use app::apikeys::SCOPES;
use app::apikeys::service::{self, CreateKeyError};
use app::db::Db;

pub async fn create(db: &Db, name: &str, scopes: &[String]) -> Result<String, String> {
    let scopes: Vec<String> = scopes
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    match service::create(db, name, &scopes).await {
        Ok(key) => Ok(format!(
            "Created API key \"{}\" with scopes {}.\nKey (shown once, store it now): {key}",
            name.trim(),
            scopes.join(",")
        )),
        Err(CreateKeyError::NameTaken) => Err(format!(
            "an API key named \"{}\" already exists",
            name.trim()
        )),
        Err(CreateKeyError::BadName) => {
            Err("the name must be 1-64 letters, digits, '-', '_' or '.'".into())
        }
        Err(CreateKeyError::NoScopes) => Err("give at least one scope with --scopes".into()),
        Err(CreateKeyError::UnknownScope(s)) => Err(format!(
            "unknown scope \"{s}\"; known: {}",
            SCOPES.join(",")
        )),
        Err(CreateKeyError::Database) => Err("cannot store the key in the database".into()),
    }
}

pub async fn revoke(db: &Db, name: &str) -> Result<String, String> {
    match service::revoke(db, name).await {
        Ok(true) => Ok(format!("Revoked API key \"{name}\".")),
        Ok(false) => Err(format!("no active API key named \"{name}\"")),
        Err(err) => Err(format!("cannot revoke the key: {err}")),
    }
}
