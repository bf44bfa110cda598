//! `server user create`: staff (and test) accounts made by an operator.
use std::io::Read;

use app::accounts::service::{Created, NewAccount, create_account};
use app::accounts::{Language, Role};
use app::audit::chain::AuditKey;
use app::db::Db;
use app::error::AppError;
use base64::Engine;
use rand::RngCore;

pub struct CreateUser {
    pub email: String,
    pub name: Option<String>,
    pub roles: Vec<String>,
    /// Store codes the staff member works at.
    pub stores: Vec<String>,
    pub language: String,
    pub password_stdin: bool,
}

/// Creates the account (linked to its stores), records it in the audit trail, and
/// returns what to tell the operator.
pub async fn create(db: &Db, key: &AuditKey, request: CreateUser) -> Result<String, String> {
    let roles = request
        .roles
        .iter()
        .map(|r| {
            Role::parse(r).ok_or_else(|| {
                format!("unknown role \"{r}\"; use customer, store_staff, support_agent or admin")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let store_ids = store_ids(db, &roles, &request.stores).await?;
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
    let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let name = request.name.clone().unwrap_or_else(|| {
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
        Ok(Created::User(id)) => {
            link_and_record(db, key, id, &request, &role_names, &store_ids).await?;
            let stores = if request.stores.is_empty() {
                String::new()
            } else {
                format!(" Works at: {}.", request.stores.join(", ").to_uppercase())
            };
            Ok(if generated {
                format!(
                    "Created user {id} <{}>.{stores} Password (shown once): {password}",
                    request.email.trim()
                )
            } else {
                format!("Created user {id} <{}>.{stores}", request.email.trim())
            })
        }
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

/// The ids of the stores named, checked against the roles: a store employee needs one,
/// only staff get one.
async fn store_ids(db: &Db, roles: &[Role], codes: &[String]) -> Result<Vec<i64>, String> {
    let staff = roles.iter().any(|r| *r != Role::Customer);
    if roles.contains(&Role::StoreStaff) && codes.is_empty() {
        return Err(
            "a store employee needs --store with the code of their store (e.g. UTR)".into(),
        );
    }
    if !staff && !codes.is_empty() {
        return Err("--store is for staff (store_staff, support_agent or admin)".into());
    }
    let mut ids = Vec::new();
    for code in codes {
        let code = code.trim().to_uppercase();
        match app::stores::repo::find_by_code(db, &code).await {
            Ok(Some(store)) => ids.push(store.id),
            Ok(None) => {
                let known: Vec<String> = app::stores::repo::search(db, "")
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| s.code)
                    .collect();
                return Err(format!(
                    "unknown store \"{code}\"; known stores: {}",
                    if known.is_empty() {
                        "none yet".to_string()
                    } else {
                        known.join(", ")
                    }
                ));
            }
            Err(err) => return Err(format!("cannot look up store {code}: {err}")),
        }
    }
    Ok(ids)
}

/// Links the new account to its stores and writes `staff.created` to the audit trail, in
/// one transaction.
async fn link_and_record(
    db: &Db,
    key: &AuditKey,
    user_id: i64,
    request: &CreateUser,
    roles: &[&str],
    store_ids: &[i64],
) -> Result<(), String> {
    let fail = |e: String| format!("the account was made, but {e}");
    let mut tx = db.begin().await.map_err(|e| fail(e.to_string()))?;
    for store_id in store_ids {
        app::staff::repo::add_staff_store(&mut tx, user_id, *store_id)
            .await
            .map_err(|e| fail(format!("linking its store failed: {e}")))?;
    }
    let entry = app::audit::service::Entry {
        actor_user_id: None,
        actor_label: "command line (server user create)".into(),
        role: "operator".into(),
        subject_customer_id: None,
        action: "staff.created".into(),
        reason: None,
        ticket: None,
        store_code: None,
        ip: "local".into(),
        user_agent: String::new(),
        details: serde_json::json!({
            "user": user_id,
            "email": request.email.trim(),
            "roles": roles,
            "stores": request.stores.iter().map(|c| c.trim().to_uppercase()).collect::<Vec<_>>(),
        }),
    };
    app::audit::service::append(&mut tx, key, &entry, app::db::Timestamp::now())
        .await
        .map_err(|e| fail(format!("the audit trail could not record it: {e}")))?;
    tx.commit().await.map_err(|e| fail(e.to_string()))
}

/// Removes a user's two-step login from the command line (an operator's way out when the
/// only admin lost their phone and their recovery codes); recorded in the audit trail.
pub async fn reset_two_step(db: &Db, key: &AuditKey, email: &str) -> Result<String, String> {
    let normalized = app::accounts::normalize_email(email);
    let user = app::accounts::repo::find_by_email(db, &normalized)
        .await
        .map_err(|e| format!("cannot look up {email}: {e}"))?
        .ok_or_else(|| format!("no account for {}", email.trim()))?;
    let now = app::db::Timestamp::now();
    let fail = |e: String| format!("nothing was changed: {e}");
    let mut tx = db.begin().await.map_err(|e| fail(e.to_string()))?;
    app::accounts::two_factor_repo::remove(&mut tx, user.id)
        .await
        .map_err(|e| fail(e.to_string()))?;
    app::accounts::status_repo::end_sessions(&mut tx, user.id, now)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let entry = app::audit::service::Entry {
        actor_user_id: None,
        actor_label: "command line (server user reset-two-step)".into(),
        role: "operator".into(),
        subject_customer_id: None,
        action: "staff.two_factor_reset".into(),
        reason: None,
        ticket: None,
        store_code: None,
        ip: "local".into(),
        user_agent: String::new(),
        details: serde_json::json!({ "user": user.id, "name": user.name }),
    };
    app::audit::service::append(&mut tx, key, &entry, now)
        .await
        .map_err(|e| fail(format!("the audit trail could not record it: {e}")))?;
    tx.commit().await.map_err(|e| fail(e.to_string()))?;
    Ok(format!(
        "Two-step login of {} <{}> removed; they set it up again at their next login.",
        user.name, user.email
    ))
}

/// 18 random bytes as URL-safe base64: 24 characters, about 144 bits.
pub fn generate_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
