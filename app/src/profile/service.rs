//! The rules of "my details".
use chrono::{NaiveDate, TimeDelta, Utc};

use super::{Details, EmailChangeOutcome};
use crate::accounts::current::ensure_customer;
use crate::accounts::mails::{self, MailContext};
use crate::accounts::password::check_new_password;
use crate::accounts::service::{LoginError, authenticate, new_token, token_hash};
use crate::accounts::{UserSummary, repo as users};
use crate::customers::repo as customers;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::language::Language;
use crate::outbox::repo as outbox;
use crate::validate::{Checks, non_empty};
use crate::validate::{looks_like_email, normalize_email};

/// How long the link to confirm a new e-mail address works.
pub const EMAIL_CHANGE_LIFETIME: TimeDelta = TimeDelta::hours(24);

pub async fn details(db: &Db, user: &UserSummary) -> Result<Details, AppError> {
    let (phone, birth_date) = match customers::id_for_user(db, user.id).await? {
        Some(id) => customers::contact_details(db, id).await?,
        None => (None, None),
    };
    Ok(Details {
        name: user.name.clone(),
        email: user.email.clone(),
        phone,
        birth_date: birth_date.map(|d| d.to_string()),
        language: user.language,
        pending_email: users::pending_email_change(db, user.id, Timestamp::now()).await?,
    })
}

/// Checks and stores name, phone, date of birth and language.
pub async fn save_details(
    db: &Db,
    user: &UserSummary,
    name: &str,
    phone: &str,
    birth_date: &str,
    language: &str,
) -> Result<(), AppError> {
    let mut checks = Checks::new();
    checks.text("name", name, 200);
    let phone = non_empty(Some(phone));
    if phone.is_some_and(|p| {
        p.chars().count() > 32
            || p.chars().filter(char::is_ascii_digit).count() < 6
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    }) {
        checks.push("phone", "invalid_phone");
    }
    let birth_date = match non_empty(Some(birth_date)) {
        None => None,
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(date)
                if date <= Utc::now().date_naive()
                    && date >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default() =>
            {
                Some(date)
            }
            _ => {
                checks.push("birth_date", "invalid_date");
                None
            }
        },
    };
    let language = Language::parse(language).unwrap_or(user.language);
    // Phone and date of birth live on the customer record, made only for a confirmed
    // address (see `ensure_customer`); name and language are the account's own.
    if !user.verified {
        if phone.is_some() {
            checks.push("phone", "verify_email_first");
        }
        if birth_date.is_some() {
            checks.push("birth_date", "verify_email_first");
        }
    }
    checks.finish()?;
    let now = Timestamp::now();
    if !user.verified {
        let mut tx = db.begin().await?;
        users::set_name_and_language(&mut tx, user.id, name.trim(), language, now).await?;
        tx.commit().await?;
        return Ok(());
    }
    let customer_id = ensure_customer(db, user).await?;
    let mut tx = db.begin().await?;
    users::set_name_and_language(&mut tx, user.id, name.trim(), language, now).await?;
    customers::set_contact_details(
        &mut tx,
        customer_id,
        name.trim(),
        phone,
        birth_date,
        language,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The current password must be right (throttled like a login); the new one must be
/// strong. Every other session of the user ends; returns the new session generation
/// for this one.
pub async fn change_password(
    db: &Db,
    ctx: &MailContext,
    user: &UserSummary,
    current: &str,
    new: &str,
    ip: &str,
) -> Result<i64, AppError> {
    check_current_password(db, user, current, ip, "current_password").await?;
    if let Err(weakness) = check_new_password(new, &[user.email.as_str(), user.name.as_str()]) {
        return Err(AppError::invalid("new_password", weakness.code()));
    }
    let hash = crate::accounts::password::hash(new.to_string()).await?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let generation = users::set_password(&mut tx, user.id, &hash, now).await?;
    let mail = mails::password_changed(ctx, &user.email, &user.name, user.language);
    outbox::enqueue_mail(&mut tx, &mail, now).await?;
    tx.commit().await?;
    Ok(generation)
}

async fn check_current_password(
    db: &Db,
    user: &UserSummary,
    password: &str,
    ip: &str,
    field: &str,
) -> Result<(), AppError> {
    if password.is_empty() {
        return Err(AppError::invalid(field, "required"));
    }
    match authenticate(db, &user.email, password, ip).await {
        Ok(_) => Ok(()),
        Err(LoginError::BadCredentials) => Err(AppError::invalid(field, "wrong_password")),
        Err(LoginError::Throttled { .. }) => Err(AppError::invalid(field, "throttled")),
        Err(LoginError::Failed(err)) => Err(err),
    }
}

/// Sends a confirmation link to the new address and a notice to the current one. The
/// address changes only when the link is clicked.
pub async fn request_email_change(
    db: &Db,
    ctx: &MailContext,
    user: &UserSummary,
    new_email: &str,
    password: &str,
    ip: &str,
) -> Result<(), AppError> {
    let new_email = new_email.trim();
    if new_email.is_empty() {
        return Err(AppError::invalid("new_email", "required"));
    }
    if !looks_like_email(new_email) {
        return Err(AppError::invalid("new_email", "invalid"));
    }
    let normalized = normalize_email(new_email);
    if normalized == normalize_email(&user.email) {
        return Err(AppError::invalid("new_email", "same_as_current"));
    }
    check_current_password(db, user, password, ip, "email_password").await?;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    // The user proved who they are with their password (and is throttled like a login),
    // so saying the address is taken reveals no more than the register page would.
    if users::email_in_use(&mut tx, &normalized, user.id).await? {
        return Err(AppError::invalid("new_email", "in_use"));
    }
    let (token, hash) = new_token();
    users::insert_email_change(
        &mut tx,
        user.id,
        new_email,
        &normalized,
        &hash,
        now + EMAIL_CHANGE_LIFETIME,
        now,
    )
    .await?;
    for mail in [
        mails::email_change_confirm(ctx, new_email, &user.name, user.language, &token),
        mails::email_change_notice(ctx, &user.email, &user.name, user.language, new_email),
    ] {
        outbox::enqueue_mail(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Applies the change the link was sent for.
pub async fn confirm_email_change(db: &Db, token: &str) -> Result<EmailChangeOutcome, AppError> {
    Ok(confirm_email_change_ending_sessions(db, token).await?.0)
}

/// As [`confirm_email_change`]; a change ends every session of the user, so it also says
/// whose (user id) and the new session generation, for the caller to keep its own.
pub async fn confirm_email_change_ending_sessions(
    db: &Db,
    token: &str,
) -> Result<(EmailChangeOutcome, Option<(i64, i64)>), AppError> {
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let Some((user_id, new_email)) =
        users::use_email_change(&mut tx, &token_hash(token.trim()), now).await?
    else {
        return Ok((EmailChangeOutcome::Invalid, None));
    };
    let normalized = normalize_email(&new_email);
    if users::email_in_use(&mut tx, &normalized, user_id).await? {
        tx.commit().await?;
        return Ok((EmailChangeOutcome::InUse, None));
    }
    let generation = users::set_email(&mut tx, user_id, &new_email, &normalized, now).await?;
    customers::set_email_of_user(&mut tx, user_id, &new_email, &normalized, now).await?;
    tx.commit().await?;
    Ok((EmailChangeOutcome::Changed, Some((user_id, generation))))
}
