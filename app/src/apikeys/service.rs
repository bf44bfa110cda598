//! Creating, checking and revoking API keys.
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{SCOPES, repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// The caller of an API request: which key, with which scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub key_id: i64,
    pub name: String,
    pub scopes: Vec<String>,
}

impl ApiClient {
    pub fn may(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum CreateKeyError {
    NameTaken,
    BadName,
    UnknownScope(String),
    NoScopes,
    Database,
}

/// Creates a key and returns it: the only time it is ever shown.
pub async fn create(db: &Db, name: &str, scopes: &[String]) -> Result<String, CreateKeyError> {
    let name = name.trim();
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(CreateKeyError::BadName);
    }
    if scopes.is_empty() {
        return Err(CreateKeyError::NoScopes);
    }
    if let Some(unknown) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(CreateKeyError::UnknownScope(unknown.clone()));
    }
    let mut prefix_bytes = [0u8; 6];
    let mut secret_bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut prefix_bytes);
    rand::rng().fill_bytes(&mut secret_bytes);
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    // The prefix uses no '_' so the key splits unambiguously.
    let prefix = hex::encode(prefix_bytes);
    let key = format!("mp_{prefix}_{}", engine.encode(secret_bytes));
    let inserted = repo::insert(db, name, &prefix, &hash(&key), &scopes.join(" "))
        .await
        .map_err(|_| CreateKeyError::Database)?;
    if inserted {
        Ok(key)
    } else {
        Err(CreateKeyError::NameTaken)
    }
}

/// The client a bearer key belongs to; `Unauthorized` for a missing, malformed, unknown
/// or revoked key (one answer for all).
pub async fn authenticate(db: &Db, key: &str) -> Result<ApiClient, AppError> {
    let mut parts = key.trim().splitn(3, '_');
    let (Some("mp"), Some(prefix), Some(_secret)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(AppError::Unauthorized);
    };
    let Some(row) = repo::find_by_prefix(db, prefix).await? else {
        return Err(AppError::Unauthorized);
    };
    let matches: bool = {
        // Compare without stopping at the first difference.
        let (a, b) = (hash(key.trim()), row.key_hash.clone());
        a.len() == b.len()
            && a.bytes()
                .zip(b.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                == 0
    };
    if !matches || row.revoked_at.is_some() {
        return Err(AppError::Unauthorized);
    }
    repo::touch(db, row.id, Timestamp::now()).await?;
    Ok(ApiClient {
        key_id: row.id,
        name: row.name,
        scopes: row.scopes.split_whitespace().map(String::from).collect(),
    })
}

pub async fn revoke(db: &Db, name: &str) -> Result<bool, AppError> {
    Ok(repo::revoke(db, name).await?)
}
