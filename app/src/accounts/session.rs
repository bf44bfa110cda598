//! The login session. It records who is logged in (the actor) and, separately, the
//! customer whose data is shown (the subject): the same person for now, so a support agent
//! can later act for a customer without a second login system.
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use tower_sessions::{Expiry, Session};

use super::{UserSummary, repo};
use crate::db::Db;
use crate::error::AppError;

const AUTH_KEY: &str = "auth";

/// Idle lifetime without and with "remember me".
pub const IDLE: TimeDelta = TimeDelta::hours(2);
pub const IDLE_REMEMBERED: TimeDelta = TimeDelta::days(30);
/// Absolute lifetime: log in again after this, however active.
pub const ABSOLUTE: TimeDelta = TimeDelta::hours(12);
pub const ABSOLUTE_REMEMBERED: TimeDelta = TimeDelta::days(90);
/// Staff (store staff, support agents, admins) reach many customers' data: their sessions
/// end after half an hour unused and after a working day, and "stay logged in" does not
/// lengthen them.
pub const STAFF_IDLE: TimeDelta = TimeDelta::minutes(30);
pub const STAFF_ABSOLUTE: TimeDelta = TimeDelta::hours(10);

/// (absolute, idle) lifetime of a session.
fn lifetimes(remember: bool, staff: bool) -> (TimeDelta, TimeDelta) {
    match (staff, remember) {
        (true, _) => (STAFF_ABSOLUTE, STAFF_IDLE),
        (false, true) => (ABSOLUTE_REMEMBERED, IDLE_REMEMBERED),
        (false, false) => (ABSOLUTE, IDLE),
    }
}

fn is_staff(roles: &[super::Role]) -> bool {
    roles.iter().any(|r| *r != super::Role::Customer)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct AuthSession {
    user_id: i64,
    acting_for: i64,
    /// The user's session generation at login; a higher one in the database ends this session.
    generation: i64,
    logged_in_at: i64,
    remember: bool,
    /// When this session was last used, to the [`TOUCH_EVERY`]; 0 in sessions from before
    /// it was kept (read as the login time).
    #[serde(default)]
    last_seen: i64,
    /// When the user last proved their second factor (a code from their app or a recovery
    /// code) in this session; `None` when they logged in with their password alone.
    #[serde(default)]
    second_factor_at: Option<i64>,
    /// A support agent helping a customer in their account.
    #[serde(default)]
    acting: Option<ActingSession>,
}

/// How long an agent may help in a customer's account at once (shorter when the
/// customer's permission ends sooner).
pub const ACTING_FOR: TimeDelta = TimeDelta::minutes(30);

/// An agent's help in a customer's account: for whom, why, from when until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingSession {
    pub customer_id: i64,
    pub customer_user_id: i64,
    pub customer_name: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub started_at: i64,
    pub until: i64,
    /// Its row in `help_sessions` (0 in sessions from before they were kept).
    #[serde(default)]
    pub help_session: i64,
}

const PENDING_KEY: &str = "login_pending";
const SETUP_KEY: &str = "two_factor_setup";
const SHOW_ONCE_KEY: &str = "recovery_codes_once";

/// How long the second step of a login may take, and how many wrong codes it allows
/// before the password must be typed again (which the login throttle counts).
pub const PENDING_FOR: TimeDelta = TimeDelta::minutes(5);
pub const PENDING_TRIES: u32 = 5;

/// A login whose password was right, waiting for the code from the user's app. Not a
/// login yet: nothing of the account is reachable with it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingLogin {
    pub user_id: i64,
    pub generation: i64,
    pub remember: bool,
    /// Where to go after the code (a local path).
    pub next: String,
    at: i64,
    tries: u32,
}

/// How often a session in use is written back: each write moves its idle expiry (in the
/// store and the cookie) on, but a write per request would cost every page a database
/// write.
pub const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(5);

fn session_error(err: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store error");
    AppError::Unavailable
}

fn to_time(delta: TimeDelta) -> tower_sessions::cookie::time::Duration {
    tower_sessions::cookie::time::Duration::seconds(delta.num_seconds())
}

/// Logs the user in on this session, under a new session id (no session fixation).
pub async fn start(
    session: &Session,
    user: &UserSummary,
    generation: i64,
    remember: bool,
    second_factor: bool,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    let _ = session
        .remove_value(PENDING_KEY)
        .await
        .map_err(session_error)?;
    let now = chrono::Utc::now().timestamp();
    let auth = AuthSession {
        user_id: user.id,
        acting_for: user.id,
        generation,
        logged_in_at: chrono::Utc::now().timestamp(),
        remember,
        last_seen: now,
        second_factor_at: second_factor.then_some(now),
        acting: None,
    };
    session
        .insert(AUTH_KEY, auth)
        .await
        .map_err(session_error)?;
    let (_, idle) = lifetimes(remember, is_staff(&user.roles));
    session.set_expiry(Some(Expiry::OnInactivity(to_time(idle))));
    crate::accounts::current::forget_current_user();
    Ok(())
}

/// Ends the session on the server and tells the browser to forget the cookie.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)?;
    crate::accounts::current::forget_current_user();
    Ok(())
}

/// The logged-in user, if the session is still valid (used within its idle lifetime, not
/// past its absolute lifetime, not ended by a password reset elsewhere, user still exists).
pub async fn current_user(db: &Db, session: &Session) -> Result<Option<UserSummary>, AppError> {
    current_user_at(db, session, chrono::Utc::now()).await
}

/// [`current_user`] as of `now`.
pub async fn current_user_at(
    db: &Db,
    session: &Session,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<UserSummary>, AppError> {
    Ok(current_at(db, session, now).await?.map(|(user, _)| user))
}

/// The logged-in user and the id of their customer record (`None` until the retailer's
/// data knows them), read together. A session in use is marked as seen (at most every
/// [`TOUCH_EVERY`]), which saves it and so moves its idle expiry on.
pub async fn current_at(
    db: &Db,
    session: &Session,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(UserSummary, Option<i64>)>, AppError> {
    let Some(mut auth) = session
        .get::<AuthSession>(AUTH_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let now = now.timestamp();
    let last_seen = auth.last_seen.max(auth.logged_in_at);
    let expired = |staff: bool| {
        let (lifetime, idle) = lifetimes(auth.remember, staff);
        now - auth.logged_in_at > lifetime.num_seconds() || now - last_seen > idle.num_seconds()
    };
    // The customer's lifetimes are the longest: past them, no need to ask who it is.
    let user = match expired(false) {
        true => None,
        false => repo::find_with_roles(db, auth.user_id).await?,
    };
    match user {
        Some((user, roles, customer_id))
            if user.session_generation == auth.generation
                && !user.deactivated
                && !expired(is_staff(&roles)) =>
        {
            let second_factor = auth.second_factor_at.is_some();
            // Helping a customer ends at its time, or at once when the customer withdrew
            // their permission (or it ran out), or the agent lost the role.
            let mut changed = false;
            let acting = match auth.acting.take() {
                Some(acting) => match acting_still_allowed(db, &acting, &roles, now).await? {
                    Some(may_change) => Some((acting, may_change)),
                    None => {
                        changed = true;
                        None
                    }
                },
                None => None,
            };
            auth.acting = acting.as_ref().map(|(acting, _)| acting.clone());
            if changed || now - last_seen >= TOUCH_EVERY.num_seconds() {
                auth.last_seen = now;
                session
                    .insert(AUTH_KEY, auth)
                    .await
                    .map_err(session_error)?;
            }
            let mut summary = user.summary(roles);
            summary.second_factor = second_factor;
            let customer_id = match acting {
                Some((acting, may_change)) => {
                    summary.acting_for = Some(super::ActingFor {
                        customer_id: acting.customer_id,
                        customer_name: acting.customer_name,
                        customer_user_id: acting.customer_user_id,
                        until_local: crate::time::local_clock_time(
                            chrono::DateTime::from_timestamp(acting.until, 0).unwrap_or_default(),
                        ),
                        may_change,
                        reason: acting.reason,
                        ticket: acting.ticket,
                    });
                    Some(acting.customer_id)
                }
                None => customer_id,
            };
            Ok(Some((summary, customer_id)))
        }
        _ => {
            end(session).await?;
            Ok(None)
        }
    }
}

/// After a password or e-mail change this session stays logged in (under a new id) while
/// every other session of the user has ended.
pub async fn keep_after_credentials_change(
    session: &Session,
    generation: i64,
) -> Result<(), AppError> {
    update_auth(session, Cycle::Yes, |auth| auth.generation = generation).await
}

/// The password was right and the account has two-step login: the session waits for the
/// code (under a new id), and is not logged in until then.
pub async fn await_second_factor(
    session: &Session,
    user_id: i64,
    generation: i64,
    remember: bool,
    next: String,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    let _ = session
        .remove_value(AUTH_KEY)
        .await
        .map_err(session_error)?;
    let pending = PendingLogin {
        user_id,
        generation,
        remember,
        next,
        at: chrono::Utc::now().timestamp(),
        tries: 0,
    };
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(session_error)?;
    crate::accounts::current::forget_current_user();
    Ok(())
}

/// The login waiting for its code, if there is one and it is not too old.
pub async fn pending_login(session: &Session) -> Result<Option<PendingLogin>, AppError> {
    let pending = session
        .get::<PendingLogin>(PENDING_KEY)
        .await
        .map_err(session_error)?;
    let now = chrono::Utc::now().timestamp();
    Ok(pending.filter(|p| now - p.at <= PENDING_FOR.num_seconds() && p.tries < PENDING_TRIES))
}

/// Counts a wrong code against the waiting login; after [`PENDING_TRIES`] it ends (the
/// password must be typed again). Returns whether it may still be tried.
pub async fn wrong_code(session: &Session, mut pending: PendingLogin) -> Result<bool, AppError> {
    pending.tries += 1;
    if pending.tries >= PENDING_TRIES {
        let _ = session
            .remove_value(PENDING_KEY)
            .await
            .map_err(session_error)?;
        return Ok(false);
    }
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(session_error)?;
    Ok(true)
}

/// The logged-in user just proved their second factor (set it up, or typed a code to
/// confirm an admin action): noted in the session.
pub async fn mark_second_factor(session: &Session) -> Result<(), AppError> {
    update_auth(session, Cycle::Yes, |auth| {
        auth.second_factor_at = Some(chrono::Utc::now().timestamp());
    })
    .await?;
    crate::accounts::current::forget_current_user();
    Ok(())
}

/// How long ago the logged-in user last proved their second factor in this session.
pub async fn second_factor_age(session: &Session) -> Result<Option<TimeDelta>, AppError> {
    let auth = session
        .get::<AuthSession>(AUTH_KEY)
        .await
        .map_err(session_error)?;
    let now = chrono::Utc::now().timestamp();
    Ok(auth
        .and_then(|a| a.second_factor_at)
        .map(|at| TimeDelta::seconds(now - at)))
}

/// The secret offered on the set-up page, kept in the session until the user confirms a
/// code from it (a reload shows the same QR code).
pub async fn setup_secret(session: &Session) -> Result<Option<String>, AppError> {
    session
        .get::<String>(SETUP_KEY)
        .await
        .map_err(session_error)
}

pub async fn set_setup_secret(session: &Session, secret: Option<&str>) -> Result<(), AppError> {
    match secret {
        Some(secret) => session
            .insert(SETUP_KEY, secret)
            .await
            .map_err(session_error),
        None => session
            .remove_value(SETUP_KEY)
            .await
            .map(|_| ())
            .map_err(session_error),
    }
}

/// New recovery codes, kept for the one page view that shows them.
pub async fn show_codes_once(session: &Session, codes: Vec<String>) -> Result<(), AppError> {
    session
        .insert(SHOW_ONCE_KEY, codes)
        .await
        .map_err(session_error)
}

/// The recovery codes to show now (and never again), if any.
pub async fn take_codes_to_show(session: &Session) -> Result<Vec<String>, AppError> {
    Ok(session
        .remove::<Vec<String>>(SHOW_ONCE_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or_default())
}

/// Whether an agent's help in a customer's account may go on at `now`: `Some(may
/// change)` while it may, `None` when it ends.
async fn acting_still_allowed(
    db: &Db,
    acting: &ActingSession,
    roles: &[super::Role],
    now: i64,
) -> Result<Option<bool>, AppError> {
    if now >= acting.until
        || !roles
            .iter()
            .any(|r| super::Role::HELPS_CUSTOMERS.contains(r))
    {
        return Ok(None);
    }
    let at = crate::db::Timestamp(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default());
    Ok(
        crate::customers::help_repo::help_now(db, acting.customer_id, at)
            .await?
            .map(|(may_change, _)| may_change),
    )
}

/// The agent starts helping a customer in their account (after checking who may).
pub async fn start_acting(session: &Session, acting: ActingSession) -> Result<(), AppError> {
    update_auth(session, Cycle::Yes, |auth| auth.acting = Some(acting)).await?;
    crate::accounts::current::forget_current_user();
    Ok(())
}

/// The agent stops helping; what the help was, if there was any (still going or not).
pub async fn stop_acting(session: &Session) -> Result<Option<ActingSession>, AppError> {
    let mut acting = None;
    match update_auth(session, Cycle::No, |auth| acting = auth.acting.take()).await {
        Ok(()) => {}
        // Not logged in (any more): nothing to stop.
        Err(AppError::Unauthorized) => return Ok(None),
        Err(err) => return Err(err),
    }
    crate::accounts::current::forget_current_user();
    Ok(acting)
}

/// Whether a change to the login gets a new session id (against session fixation: when
/// what the session may do changes).
enum Cycle {
    Yes,
    No,
}

/// Changes this session's login with `change` and saves it; `Unauthorized` when nobody is
/// logged in.
async fn update_auth(
    session: &Session,
    cycle: Cycle,
    change: impl FnOnce(&mut AuthSession),
) -> Result<(), AppError> {
    let Some(mut auth) = session
        .get::<AuthSession>(AUTH_KEY)
        .await
        .map_err(session_error)?
    else {
        return Err(AppError::Unauthorized);
    };
    change(&mut auth);
    if matches!(cycle, Cycle::Yes) {
        session.cycle_id().await.map_err(session_error)?;
    }
    session.insert(AUTH_KEY, auth).await.map_err(session_error)
}
