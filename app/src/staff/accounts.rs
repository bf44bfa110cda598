//! Staff accounts, as the admin keeps them on `/admin/staff`: invite someone by mail
//! (they choose their password with the link and set up two-step login), change their
//! roles and stores, deactivate and reactivate them, reset their two-step login when a
//! phone is lost. Every change is one transaction with its audit row (before and after).
use super::{STAFF_ROLES, StaffMember, StaffOverview};
use crate::accounts::current::{self, Asking};
use crate::accounts::{Language, Role};
use crate::audit::chain::AuditKey;
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;
use crate::validate::Checks;

/// How long the link in an invitation works.
pub const INVITE_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// What the admin typed to invite or change a staff member.
#[derive(Clone, Debug, Default)]
pub struct StaffForm {
    pub roles: Vec<Role>,
    /// Store codes.
    pub stores: Vec<String>,
}

/// Roles and stores from the form's checkboxes (`role[admin]=on`, `store[UTR]=on`).
pub fn form_of(
    roles: &std::collections::BTreeMap<String, String>,
    stores: &std::collections::BTreeMap<String, String>,
) -> StaffForm {
    StaffForm {
        roles: STAFF_ROLES
            .into_iter()
            .filter(|r| roles.contains_key(r.as_str()))
            .collect(),
        stores: stores.keys().map(|c| c.trim().to_uppercase()).collect(),
    }
}

fn member_of(row: super::repo::MemberRow, you: i64) -> StaffMember {
    let mut roles: Vec<Role> = row
        .roles
        .unwrap_or_default()
        .split(',')
        .filter_map(Role::parse)
        .filter(|r| *r != Role::Customer)
        .collect();
    roles.sort_by_key(|r| STAFF_ROLES.iter().position(|s| s == r));
    let mut stores: Vec<String> = row
        .stores
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    stores.sort();
    StaffMember {
        id: row.id,
        name: row.name,
        email: row.email,
        roles,
        stores,
        two_factor: row.two_factor,
        active: !row.deactivated,
        invited: row.invited,
        is_you: row.id == you,
    }
}

/// The staff list for `/admin/staff`.
pub async fn overview(db: &Db, you: i64, code_needed: bool) -> Result<StaffOverview, AppError> {
    let members = super::repo::members(db, None)
        .await?
        .into_iter()
        .map(|row| member_of(row, you))
        .collect();
    let stores = crate::stores::repo::search(db, "")
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    Ok(StaffOverview {
        members,
        stores,
        code_needed,
    })
}

/// One staff member (`NotFound` for anyone else: a customer is not the admin's to change here).
pub async fn member(db: &Db, you: i64, user_id: i64) -> Result<StaffMember, AppError> {
    super::repo::members(db, Some(user_id))
        .await?
        .into_iter()
        .next()
        .map(|row| member_of(row, you))
        .ok_or(AppError::NotFound)
}

/// Checks roles and stores; the ids of the stores.
async fn checked_stores(
    tx: &mut Tx,
    form: &StaffForm,
    checks: &mut Checks,
) -> Result<Vec<i64>, AppError> {
    if form.roles.is_empty() {
        checks.push("role", "required");
    }
    if form.roles.contains(&Role::StoreStaff) && form.stores.is_empty() {
        checks.push("store", "needed_for_store_staff");
    }
    let mut ids = Vec::new();
    for code in &form.stores {
        match crate::stores::repo::id_by_code(tx, code).await? {
            Some(id) => ids.push(id),
            None => checks.push("store", "unknown"),
        }
    }
    Ok(ids)
}

fn store_names(form: &StaffForm) -> Vec<String> {
    let mut stores = form.stores.clone();
    stores.sort();
    stores
}

fn role_names(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

/// Invites a new staff member: the account (no password yet), its roles and stores, the
/// invitation mail with a link to choose a password, and the audit row — one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    db: &Db,
    key: &AuditKey,
    mail: &crate::mail::MailContext,
    asking: &Asking,
    email: &str,
    name: &str,
    language: Language,
    form: &StaffForm,
) -> Result<i64, AppError> {
    let mut checks = Checks::new();
    let email = email.trim();
    if email.is_empty() {
        checks.push("email", "required");
    } else if !crate::validate::looks_like_email(email) {
        checks.push("email", "invalid");
    }
    checks.text("name", name, 100);
    let mut tx = db.begin().await?;
    let store_ids = checked_stores(&mut tx, form, &mut checks).await?;
    checks.finish()?;
    let email_normalized = crate::validate::normalize_email(email);
    let user = crate::accounts::repo::NewUser {
        email,
        email_normalized: &email_normalized,
        name: name.trim(),
        language,
        password_hash: crate::accounts::password::NOT_CHOSEN_YET,
        // The admin vouches for the address; the link proves it again.
        verified: true,
        roles: &form.roles,
    };
    let user_id = match crate::accounts::repo::create_in(&mut tx, &user).await? {
        crate::accounts::repo::CreateOutcome::Created(id) => id,
        crate::accounts::repo::CreateOutcome::EmailTaken => {
            return Err(AppError::invalid("email", "has_account"));
        }
    };
    super::repo::set_staff_stores(&mut tx, user_id, &store_ids).await?;
    let now = Timestamp::now();
    let (token, hash) = crate::accounts::service::new_token();
    crate::accounts::repo::insert_token(
        &mut tx,
        user_id,
        crate::accounts::service::RESET_PASSWORD,
        &hash,
        now + INVITE_LIFETIME,
    )
    .await?;
    let message = crate::accounts::mails::staff_invite(
        mail,
        email,
        name.trim(),
        language,
        &token,
        &asking.actor.name,
    );
    crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    let entry = current::audit_entry(
        asking,
        "staff.invited",
        None,
        serde_json::json!({
            "user": user_id,
            "email": email_normalized,
            "name": name.trim(),
            "roles": role_names(&form.roles),
            "stores": store_names(form),
        }),
    );
    crate::audit::service::append(&mut tx, key, &entry, now).await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Changes a staff member's roles and stores. An admin cannot take their own admin role
/// away (someone must be left to give it back).
pub async fn change(
    db: &Db,
    key: &AuditKey,
    asking: &Asking,
    user_id: i64,
    form: &StaffForm,
) -> Result<(), AppError> {
    let before = member(db, asking.actor.id, user_id).await?;
    let mut checks = Checks::new();
    if user_id == asking.actor.id && !form.roles.contains(&Role::Admin) {
        checks.push("role", "keep_own_admin");
    }
    let mut tx = db.begin().await?;
    let store_ids = checked_stores(&mut tx, form, &mut checks).await?;
    checks.finish()?;
    // A staff member who is also a customer stays one.
    let mut roles = form.roles.clone();
    if crate::accounts::repo::roles(db, user_id)
        .await?
        .contains(&Role::Customer)
    {
        roles.push(Role::Customer);
    }
    crate::accounts::status_repo::set_roles(&mut tx, user_id, &roles).await?;
    super::repo::set_staff_stores(&mut tx, user_id, &store_ids).await?;
    let entry = current::audit_entry(
        asking,
        "staff.changed",
        None,
        serde_json::json!({
            "user": user_id,
            "name": before.name,
            "before": { "roles": role_names(&before.roles), "stores": before.stores },
            "after": { "roles": role_names(&form.roles), "stores": store_names(form) },
        }),
    );
    crate::audit::service::append(&mut tx, key, &entry, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (every session ends, no login) or reactivates a staff member. Not oneself.
pub async fn set_active(
    db: &Db,
    key: &AuditKey,
    asking: &Asking,
    user_id: i64,
    active: bool,
) -> Result<(), AppError> {
    let member = member(db, asking.actor.id, user_id).await?;
    if user_id == asking.actor.id {
        return Err(AppError::invalid("active", "not_yourself"));
    }
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    crate::accounts::status_repo::set_deactivated(&mut tx, user_id, (!active).then_some(now), now)
        .await?;
    let entry = current::audit_entry(
        asking,
        if active {
            "staff.reactivated"
        } else {
            "staff.deactivated"
        },
        None,
        serde_json::json!({ "user": user_id, "name": member.name }),
    );
    crate::audit::service::append(&mut tx, key, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a staff member's two-step login (a lost phone): their sessions end, and they set
/// it up again at their next login. Not one's own (that needs another admin).
pub async fn reset_two_factor(
    db: &Db,
    key: &AuditKey,
    asking: &Asking,
    user_id: i64,
) -> Result<(), AppError> {
    let member = member(db, asking.actor.id, user_id).await?;
    if user_id == asking.actor.id {
        return Err(AppError::invalid("two_factor", "not_yourself"));
    }
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    crate::accounts::two_factor_repo::remove(&mut tx, user_id).await?;
    crate::accounts::status_repo::end_sessions(&mut tx, user_id, now).await?;
    let entry = current::audit_entry(
        asking,
        "staff.two_factor_reset",
        None,
        serde_json::json!({ "user": user_id, "name": member.name }),
    );
    crate::audit::service::append(&mut tx, key, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}
