//! `server user create`: staff (and test) accounts made by an operator.
use std::io::Read;

use app::accounts::service::{Created, NewAccount, create_account};
use app::accounts::{Language, Role};
use app::db::Db;
use app::error::AppError;
use base64::Engine;
use rand::RngCore;

pub struct CreateUser {
    pub email: String,
    pub name: Option<String>,
    pub roles: Vec<String>,
    pub language: String,
    pub password_stdin: bool,
}

/// Creates the account and returns what to tell the operator.
pub async fn create(db: &Db, request: CreateUser) -> Result<String, String> {
    let roles = request
        .roles
        .iter()
        .map(|r| {
            Role::parse(r).ok_or_else(|| {
                format!("unknown role \"{r}\"; use customer, store_staff, support_agent or admin")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let language = Language::parse(&request.language)
        .ok_or_else(|| format!("unknown language \"{}\"; use nl or en", request.language))?;
    let (password, generated) = if request.password_stdin {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        (input.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (generate_password(), true)
    };
    let name = request.name.unwrap_or_else(|| {
        request
            .email
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let account = NewAccount {
        email: request.email.clone(),
        name,
        language,
        password: password.clone(),
        roles,
        verified: true,
    };
    match create_account(db, account).await {
        Ok(Created::User(id)) if generated => Ok(format!(
            "Created user {id} <{}>. Password (shown once): {password}",
            request.email.trim()
        )),
        Ok(Created::User(id)) => Ok(format!("Created user {id} <{}>.", request.email.trim())),
        Ok(Created::EmailTaken) => Err(format!(
            "an account for {} already exists",
            request.email.trim()
        )),
        Err(AppError::Invalid(errors)) => Err(errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code.replace('_', " ")))
            .collect::<Vec<_>>()
            .join("; ")),
        Err(other) => Err(format!("cannot create the user: {other}")),
    }
}

/// 18 random bytes as URL-safe base64: 24 characters, about 144 bits.
pub fn generate_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
