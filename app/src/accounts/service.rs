//! The rules of the accounts area.
use chrono::TimeDelta;

use super::password::{self, check_new_password};
use super::repo::{self, CreateOutcome, NewUser};
use super::{Language, Role, UserSummary, VerifyOutcome, looks_like_email, normalize_email};
use crate::db::{Db, Timestamp};
use crate::error::{AppError, FieldError};

pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub language: Language,
    pub password: String,
    pub roles: Vec<Role>,
    /// Staff created by an operator from the command line start verified.
    pub verified: bool,
}

impl NewAccount {
    /// The row to insert, once the password is hashed.
    fn to_row<'a>(&'a self, email_normalized: &'a str, password_hash: &'a str) -> NewUser<'a> {
        NewUser {
            email: &self.email,
            email_normalized,
            name: &self.name,
            language: self.language,
            password_hash,
            verified: self.verified,
            roles: &self.roles,
        }
    }
}

/// Checks the fields of a new account; every problem at once, per field.
pub fn validate_new_account(account: &NewAccount) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let mut push = |field: &str, code: &str| {
        errors.push(FieldError {
            field: field.into(),
            code: code.into(),
        })
    };
    if account.email.trim().is_empty() {
        push("email", "required");
    } else if !looks_like_email(&account.email) {
        push("email", "invalid");
    }
    let name = account.name.trim();
    if name.is_empty() {
        push("name", "required");
    } else if name.chars().count() > 100 {
        push("name", "too_long");
    }
    if let Err(weakness) = check_new_password(&account.password, &[account.email.as_str(), name]) {
        push("password", weakness.code());
    }
    if account.roles.is_empty() {
        push("roles", "required");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

pub enum Created {
    User(i64),
    /// The address already has an account. Callers facing the public say nothing different
    /// (no account enumeration); the CLI reports it.
    EmailTaken,
}

pub async fn create_account(db: &Db, account: NewAccount) -> Result<Created, AppError> {
    validate_new_account(&account)?;
    let password_hash = password::hash(account.password.clone()).await?;
    let email_normalized = normalize_email(&account.email);
    let outcome = repo::create(db, &account.to_row(&email_normalized, &password_hash)).await?;
    Ok(match outcome {
        CreateOutcome::Created(id) => Created::User(id),
        CreateOutcome::EmailTaken => Created::EmailTaken,
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong e-mail or password: one message for both.
    BadCredentials,
    /// Too many failures; try again after this many minutes.
    Throttled {
        minutes: i64,
    },
    Failed(AppError),
}

impl From<sqlx::Error> for LoginError {
    fn from(err: sqlx::Error) -> Self {
        LoginError::Failed(err.into())
    }
}

/// A successful login: the user, and the session generation to store in the session.
#[derive(Debug, PartialEq, Eq)]
pub struct Authenticated {
    pub user: UserSummary,
    pub session_generation: i64,
}

/// Checks e-mail and password, throttled (see `throttle`). Takes as long for an unknown
/// address as for a known one.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<Authenticated, LoginError> {
    authenticate_at(db, email, password, ip, Timestamp::now()).await
}

pub async fn authenticate_at(
    db: &Db,
    email: &str,
    password: &str,
    ip: &str,
    now: Timestamp,
) -> Result<Authenticated, LoginError> {
    use super::throttle;
    let email_normalized = normalize_email(email);
    // Recorded as a failure first: guesses sent in parallel count against each other.
    let attempt = repo::record_login_attempt(db, &email_normalized, ip, now).await?;
    let failures = repo::recent_failures(
        db,
        &email_normalized,
        ip,
        attempt,
        now - throttle::WINDOW,
        now - throttle::KNOWN_FOR,
    )
    .await?;
    if let Some(free_at) = throttle::free_at(&failures, now) {
        repo::forget_login_attempt(db, attempt).await?;
        metrics::counter!("portal_login_throttled_total").increment(1);
        return Err(LoginError::Throttled {
            minutes: throttle::minutes_until(free_at, now),
        });
    }

    let user = repo::find_by_email(db, &email_normalized).await?;
    let ok = password::verify(
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    match user {
        // A deactivated account is refused like a wrong password (nothing to learn).
        Some(user) if ok && !user.deactivated => {
            repo::login_attempt_succeeded(db, attempt).await?;
            let roles = repo::roles(db, user.id).await?;
            Ok(Authenticated {
                session_generation: user.session_generation,
                user: user.summary(roles),
            })
        }
        _ => Err(LoginError::BadCredentials),
    }
}

/// A new single-use token and the SHA-256 stored for it.
pub fn new_token() -> (String, String) {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub const VERIFY_EMAIL: &str = "verify_email";
pub const VERIFY_EMAIL_LIFETIME: TimeDelta = TimeDelta::hours(24);

pub struct Registration {
    pub email: String,
    pub name: String,
    pub language: Language,
    pub password: String,
}

/// Registers a customer and sends the verification mail, all in one transaction. When the
/// address already has an account nothing is created and its owner gets a mail saying so:
/// the caller's answer (and its timing, the password is hashed either way) is the same,
/// so registration does not tell a stranger which addresses have an account.
pub async fn register(
    db: &Db,
    ctx: &super::mails::MailContext,
    reg: Registration,
    client: &str,
) -> Result<(), AppError> {
    use crate::limits::{Limit, allow};
    let account = NewAccount {
        email: reg.email.clone(),
        name: reg.name.clone(),
        language: reg.language,
        password: reg.password,
        roles: vec![Role::Customer],
        verified: false,
    };
    validate_new_account(&account)?;
    // Each registration costs a password hash and a mail: a few per client address.
    if !allow(db, Limit::RegisterPerClient, client).await {
        return Err(AppError::invalid("email", "too_many_tries"));
    }
    let password_hash = password::hash(account.password.clone()).await?;
    let email_normalized = normalize_email(&account.email);
    // Nobody's mailbox is flooded from here: beyond a few mails an hour to one address,
    // the answer stays the same but no mail goes.
    let mail_allowed = allow(db, Limit::AccountMailPerAddress, &email_normalized).await;
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let outcome =
        repo::create_in(&mut tx, &account.to_row(&email_normalized, &password_hash)).await?;
    let mail = match outcome {
        CreateOutcome::Created(user_id) => {
            let (token, hash) = new_token();
            repo::insert_token(
                &mut tx,
                user_id,
                VERIFY_EMAIL,
                &hash,
                now + VERIFY_EMAIL_LIFETIME,
            )
            .await?;
            super::mails::verify_email(
                ctx,
                &account.email,
                account.name.trim(),
                account.language,
                &token,
            )
        }
        CreateOutcome::EmailTaken => {
            let existing = repo::find_by_email(db, &email_normalized).await?;
            let (name, language) = existing
                .map(|u| (u.name, Language::parse(&u.language).unwrap_or_default()))
                .unwrap_or((account.name.clone(), account.language));
            super::mails::already_registered(ctx, &account.email, &name, language)
        }
    };
    if mail_allowed {
        crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    } else {
        tracing::warn!("registration mail not sent: too many to this address this hour");
    }
    tx.commit().await?;
    Ok(())
}

/// Confirms an e-mail address with the token from the mail.
pub async fn verify_email(db: &Db, token: &str) -> Result<VerifyOutcome, AppError> {
    let hash = token_hash(token.trim());
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    if let Some(user_id) = repo::use_token(&mut tx, VERIFY_EMAIL, &hash, now).await? {
        repo::mark_verified(&mut tx, user_id, now).await?;
        // The webshop may already know this person: their history becomes theirs.
        crate::customers::repo::link_customer_to_user(&mut tx, user_id).await?;
        tx.commit().await?;
        return Ok(VerifyOutcome::Verified);
    }
    drop(tx);
    Ok(match repo::token_state(db, &hash).await? {
        Some((Some(_used), _)) => VerifyOutcome::AlreadyUsed,
        Some((None, expires_at)) if expires_at <= now => VerifyOutcome::Expired,
        _ => VerifyOutcome::Invalid,
    })
}

pub const RESET_PASSWORD: &str = "reset_password";
pub const RESET_PASSWORD_LIFETIME: TimeDelta = TimeDelta::hours(1);

/// The address must look like one before anything is looked up.
pub fn check_reset_request(email: &str) -> Result<(), AppError> {
    if looks_like_email(email) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "email",
            if email.trim().is_empty() {
                "required"
            } else {
                "invalid"
            },
        ))
    }
}

/// Sends a reset link when the address has an account; does nothing otherwise. The caller
/// shows the same answer either way.
pub async fn request_password_reset(
    db: &Db,
    ctx: &super::mails::MailContext,
    email: &str,
) -> Result<(), AppError> {
    check_reset_request(email)?;
    let email_normalized = normalize_email(email);
    let Some(user) = repo::find_by_email(db, &email_normalized)
        .await?
        .filter(|u| !u.deactivated)
    else {
        return Ok(());
    };
    if !crate::limits::allow(
        db,
        crate::limits::Limit::AccountMailPerAddress,
        &email_normalized,
    )
    .await
    {
        tracing::warn!(
            user_id = user.id,
            "reset mail not sent: too many to this address this hour"
        );
        return Ok(());
    }
    let now = Timestamp::now();
    let (token, hash) = new_token();
    let language = Language::parse(&user.language).unwrap_or_default();
    let mail = super::mails::password_reset(ctx, &user.email, &user.name, language, &token);
    let mut tx = db.begin().await?;
    // Only the newest link works: an older one (in a mailbox someone else may read) ends.
    repo::expire_tokens(&mut tx, user.id, RESET_PASSWORD, now).await?;
    repo::insert_token(
        &mut tx,
        user.id,
        RESET_PASSWORD,
        &hash,
        now + RESET_PASSWORD_LIFETIME,
    )
    .await?;
    crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link can still be used (to show the form or an explanation).
pub async fn reset_token_usable(db: &Db, token: &str) -> Result<bool, AppError> {
    let now = Timestamp::now();
    Ok(
        matches!(repo::token_state(db, &token_hash(token.trim())).await?, Some((None, expires_at)) if expires_at > now),
    )
}

/// Sets a new password with a reset link: the link is used up, every session of the user
/// ends, and they get a mail that their password changed. Returns the user and the new
/// session generation, so the caller can log them in on this device.
pub async fn reset_password(
    db: &Db,
    ctx: &super::mails::MailContext,
    token: &str,
    new_password: &str,
) -> Result<Authenticated, AppError> {
    let hash = token_hash(token.trim());
    let now = Timestamp::now();
    // Check the password against the owner's details before using up the link.
    let mut tx = db.begin().await?;
    let Some(user_id) = repo::use_token(&mut tx, RESET_PASSWORD, &hash, now).await? else {
        return Err(AppError::invalid("token", "invalid"));
    };
    let Some(user) = repo::find_by_id(db, user_id)
        .await?
        .filter(|u| !u.deactivated)
    else {
        return Err(AppError::invalid("token", "invalid"));
    };
    if let Err(weakness) =
        check_new_password(new_password, &[user.email.as_str(), user.name.as_str()])
    {
        // Dropping the transaction leaves the link unused: the user can try another password.
        return Err(AppError::invalid("password", weakness.code()));
    }
    let password_hash = password::hash(new_password.to_string()).await?;
    let generation = repo::set_password(&mut tx, user_id, &password_hash, now).await?;
    let language = Language::parse(&user.language).unwrap_or_default();
    let mail = super::mails::password_changed(ctx, &user.email, &user.name, language);
    crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    tx.commit().await?;
    let roles = repo::roles(db, user_id).await?;
    Ok(Authenticated {
        user: user.summary(roles),
        session_generation: generation,
    })
}
