//! Who is asking, in one place: the logged-in user (the actor), the customer whose data the
//! request shows and changes (the subject), and the role the actor acts in. Every server
//! function starts here, and every query is scoped by what it answers. Today the subject
//! is the actor's own customer record, or, while a support agent helps a customer in
//! their account, that customer's: another value of [`Asking`], not another code path.
use leptos::prelude::use_context;

use super::{Role, UserSummary};
use crate::context;
use crate::db::Db;
use crate::error::AppError;

/// The answer to "who is asking" for a request about a customer's own data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asking {
    /// The logged-in user: who acts, and who is recorded as having acted.
    pub actor: UserSummary,
    /// The customer whose data is shown and changed (`None` until the retailer's data
    /// knows the actor as a customer: they have no orders, returns or addresses yet).
    pub subject: Option<i64>,
    /// The role the actor acts in for this request.
    pub role: Role,
    /// The login whose account the pages show: the actor's own, or, while a support agent
    /// helps a customer, the customer's.
    pub account: UserSummary,
}

/// What an agent helping a customer may ask besides showing pages (page loads by GET
/// only read): the server functions that only read. Everything else is refused while
/// helping, except the changes below when the customer allows them; password, e-mail,
/// consents, data download, erasure and the permission itself are never among them.
const READS_WHILE_HELPING: &[&str] = &[
    "my_overview",
    "my_orders",
    "my_order",
    "my_details",
    "my_addresses",
    "my_company",
    "pending_approvals",
    "my_loyalty",
    "my_return",
    "my_privacy",
    "my_erasure",
    "my_advice",
    "cancel_choice",
    "change_choice",
    "reorder_choice",
    "return_choice",
    "return_review",
];

/// The changes an agent may make for a customer who allows changes (not only looking).
/// Each writes its audit row, with both identities and the agent's reason, in the
/// transaction of the change (see [`Asking::trail`]).
pub const CHANGES_WHILE_HELPING: &[&str] = &[
    "confirm_return",
    "cancel_return",
    "save_address",
    "delete_address",
    "request_delivery_change",
    "request_cancellation",
];

impl Asking {
    /// Who is asking when `actor`, an agent, helps the customer `helping` names: the
    /// agent in their staff role, for that customer, showing that customer's account.
    /// For `asking()` and the server's downloads (receipt, label, photo).
    pub async fn helping_in(
        db: &Db,
        actor: UserSummary,
        helping: &super::ActingFor,
    ) -> Result<Asking, AppError> {
        let account = super::repo::find_with_roles(db, helping.customer_user_id)
            .await?
            .map(|(user, roles, _)| user.summary(roles))
            .ok_or(AppError::NotFound)?;
        let role = actor
            .roles
            .iter()
            .copied()
            .find(|r| *r != Role::Customer)
            .ok_or(AppError::Forbidden)?;
        Ok(Asking {
            actor,
            subject: Some(helping.customer_id),
            role,
            account,
        })
    }

    /// The agent helping the customer whose account this request is about, if any.
    pub fn helping(&self) -> Option<&super::ActingFor> {
        self.actor
            .acting_for
            .as_ref()
            .filter(|helping| self.subject == Some(helping.customer_id))
    }

    /// The audit row of a change this request makes to the customer's data when an agent
    /// makes it for them; `None` for the customer's own change. The service appends it in
    /// the change's transaction (`audit::service::Trail`).
    pub fn trail(
        &self,
        action: &str,
        details: serde_json::Value,
    ) -> Result<Option<crate::audit::service::Trail>, AppError> {
        if self.helping().is_none() {
            return Ok(None);
        }
        Ok(Some(crate::audit::service::Trail {
            key: crate::audit::service::key()?,
            entry: audit_entry(self, action, None, details),
        }))
    }
}

/// Who is asking, for a customer's own pages; `Unauthorized` when nobody is logged in.
/// A support agent helping a customer (with their permission) asks as themselves for the
/// customer: to look, and every look is recorded; to change only what
/// [`CHANGES_WHILE_HELPING`] names, when the customer allows changes
/// (`ReadOnlyWhileHelping` otherwise).
pub async fn asking() -> Result<Asking, AppError> {
    let (actor, subject) = current_customer().await?;
    let Some(helping) = actor.acting_for.clone() else {
        return Ok(Asking {
            account: actor.clone(),
            actor,
            subject,
            role: Role::Customer,
        });
    };
    let request = while_helping(helping.may_change)?;
    let db = context::db()?;
    let asking = Asking::helping_in(&db, actor, &helping).await?;
    // A change records itself, with what changed, in its own transaction.
    if let HelpRequest::Look(what) = request {
        record_audit(
            &db,
            audit_entry(
                &asking,
                "help.viewed",
                None,
                serde_json::json!({ "page": what }),
            ),
        )
        .await;
    }
    Ok(asking)
}

/// What an agent helping a customer asks for.
enum HelpRequest {
    /// To look at a page or read (its path or function).
    Look(String),
    /// To make one of the changes the customer allows.
    Change,
}

/// While helping: what is asked for, or `ReadOnlyWhileHelping` for anything the agent
/// may not do (a change when the customer allows only looking, or any change not in
/// [`CHANGES_WHILE_HELPING`]).
fn while_helping(may_change: bool) -> Result<HelpRequest, AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Err(AppError::ReadOnlyWhileHelping);
    };
    let path = parts.uri.path();
    match path.strip_prefix("/api/fn/") {
        Some(name) if READS_WHILE_HELPING.contains(&name) => Ok(HelpRequest::Look(name.into())),
        Some(name) if may_change && CHANGES_WHILE_HELPING.contains(&name) => {
            Ok(HelpRequest::Change)
        }
        Some(_) => Err(AppError::ReadOnlyWhileHelping),
        None if parts.method == http::Method::GET => Ok(HelpRequest::Look(path.to_string())),
        None => Err(AppError::ReadOnlyWhileHelping),
    }
}

/// Who is asking, for staff pages: the actor must have one of `roles`, and acts in the
/// first of them they have (`Forbidden` otherwise). Staff pages have no subject.
pub async fn staff(roles: &[Role]) -> Result<Asking, AppError> {
    let actor = user_with_role(roles).await?;
    let role = roles
        .iter()
        .copied()
        .find(|r| actor.roles.contains(r))
        .ok_or(AppError::Forbidden)?;
    Ok(Asking {
        account: actor.clone(),
        actor,
        subject: None,
        role,
    })
}

/// The customer record of a portal user, made on first need (a loyalty card, an address,
/// attaching guest orders) for users the retailer's systems do not know yet.
pub async fn ensure_customer(db: &Db, user: &UserSummary) -> Result<i64, AppError> {
    // A customer record carries the user's e-mail address, and purchases find it by that
    // address: never made from an address its owner has not confirmed.
    if !user.verified {
        return Err(AppError::invalid("email", "verify_email_first"));
    }
    let customer_id = crate::customers::service::ensure_customer_for(
        db,
        user.id,
        &user.name,
        &user.email,
        user.language,
    )
    .await?;
    // The rest of this request knows the new record too.
    if let Some(cache) = use_context::<RequestCache>()
        && let Ok(mut who) = cache.who.try_lock()
        && let Some((Some(known), customer)) = &mut *who
        && known.id == user.id
    {
        *customer = Some(Some(customer_id));
    }
    Ok(customer_id)
}

/// What one request has already worked out about who is asking: a page asks several
/// times (the header, the page's own data), and each answer costs database queries. The
/// server provides a fresh one per request; logging in or out forgets it.
#[derive(Clone, Default)]
pub struct RequestCache {
    /// `Some(answer)` once known; `answer` is the user (if logged in) and their customer id.
    who: std::sync::Arc<tokio::sync::Mutex<Option<Who>>>,
    /// The database was away when this request asked: the other parts of the page get the
    /// same answer at once instead of each waiting out the pool's timeout again.
    unavailable: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

type Who = (Option<UserSummary>, Option<Option<i64>>);

/// Forgets who this request belongs to (after logging in or out). When the answer is
/// being worked out right now (an expired session ends while it is read), that answer
/// is the new one anyway, so the lock is not waited for.
pub fn forget_current_user() {
    if let Some(cache) = use_context::<RequestCache>()
        && let Ok(mut who) = cache.who.try_lock()
    {
        *who = None;
    }
}

/// The logged-in user of this request, if any.
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    let Some(cache) = use_context::<RequestCache>() else {
        return Ok(load_current().await?.map(|(user, _)| user));
    };
    // Held while loading: parts of the page asking at the same time wait for one answer.
    let mut who = cache.who.lock().await;
    if let Some((user, _)) = &*who {
        return Ok(user.clone());
    }
    use std::sync::atomic::Ordering;
    if cache.unavailable.load(Ordering::Relaxed) {
        return Err(AppError::Unavailable);
    }
    let (user, customer_id) = match load_current().await {
        Ok(Some((user, customer_id))) => (Some(user), Some(customer_id)),
        Ok(None) => (None, None),
        Err(AppError::Unavailable) => {
            cache.unavailable.store(true, Ordering::Relaxed);
            return Err(AppError::Unavailable);
        }
        Err(err) => return Err(err),
    };
    *who = Some((user.clone(), customer_id));
    Ok(user)
}

/// The logged-in user; `Unauthorized` when nobody is logged in.
pub async fn logged_in_user() -> Result<UserSummary, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The logged-in user, if they have one of these roles; `Forbidden` otherwise. A staff
/// role counts only in a session that passed two-step login (`SecondFactorNeeded`).
pub async fn user_with_role(roles: &[Role]) -> Result<UserSummary, AppError> {
    let user = logged_in_user().await?;
    has_role(&user, roles)?;
    Ok(user)
}

/// Whether `user` may act in one of `roles` (see [`user_with_role`]).
pub fn has_role(user: &UserSummary, roles: &[Role]) -> Result<(), AppError> {
    let held: Vec<Role> = user
        .roles
        .iter()
        .copied()
        .filter(|r| roles.contains(r))
        .collect();
    match held.as_slice() {
        [] => Err(AppError::Forbidden),
        held if held.iter().all(|r| *r != Role::Customer) && !user.second_factor => {
            Err(AppError::SecondFactorNeeded)
        }
        _ => Ok(()),
    }
}

/// How long an admin's last code may be old for them to change staff accounts without
/// typing a new one (re-authentication before admin actions).
pub const REAUTH_WITHIN: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// The logged-in user and their customer id, one query (see `session::current_at`).
async fn load_current() -> Result<Option<(UserSummary, Option<i64>)>, AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    super::session::current_at(&db, &session, chrono::Utc::now()).await
}

/// The logged-in user and the customer linked to them (`None` until the retailer's data
/// knows them). `Unauthorized` when nobody is logged in.
async fn current_customer() -> Result<(UserSummary, Option<i64>), AppError> {
    let user = logged_in_user().await?;
    if let Some(helping) = &user.acting_for {
        let customer_id = helping.customer_id;
        return Ok((user, Some(customer_id)));
    }
    let Some(cache) = use_context::<RequestCache>() else {
        let customer_id = crate::customers::repo::id_for_user(&context::db()?, user.id).await?;
        return Ok((user, customer_id));
    };
    let mut who = cache.who.lock().await;
    if let Some((Some(known), Some(customer_id))) = &*who
        && known.id == user.id
    {
        return Ok((user, *customer_id));
    }
    let customer_id = crate::customers::repo::id_for_user(&context::db()?, user.id).await?;
    *who = Some((Some(user.clone()), Some(customer_id)));
    Ok((user, customer_id))
}

/// An entry for the audit trail about what `asking` does in this request: the actor, their
/// role and the customer acted for, with the request's client address and browser.
/// `subject` names the customer concerned when it is not `asking.subject` (a staff page
/// about one customer); `details` says what was seen or what changed (before/after).
pub fn audit_entry(
    asking: &Asking,
    action: &str,
    subject: Option<i64>,
    details: serde_json::Value,
) -> crate::audit::service::Entry {
    let user_agent = use_context::<http::request::Parts>()
        .map(|parts| crate::audit::service::browser_of(&parts.headers))
        .unwrap_or_default();
    audit_entry_from(
        asking,
        action,
        subject,
        details,
        context::client_ip(),
        user_agent,
    )
}

/// [`audit_entry`] for a request handled outside a server function (a download), which
/// names its client address and browser itself.
pub fn audit_entry_from(
    asking: &Asking,
    action: &str,
    subject: Option<i64>,
    details: serde_json::Value,
    ip: String,
    user_agent: String,
) -> crate::audit::service::Entry {
    // While helping a customer, every row about them carries why the agent helps.
    let helping = asking
        .helping()
        .filter(|_| subject.is_none_or(|s| Some(s) == asking.subject));
    crate::audit::service::Entry {
        actor_user_id: Some(asking.actor.id),
        actor_label: asking.actor.name.clone(),
        role: asking.role.as_str().to_string(),
        subject_customer_id: subject.or(asking.subject),
        action: action.to_string(),
        reason: helping.map(|h| h.reason.clone()),
        ticket: helping.and_then(|h| h.ticket.clone()),
        store_code: None,
        ip,
        user_agent,
        details,
    }
}

/// Records `entry` on its own, after the change it describes was kept (settings pages,
/// views and searches). A change to a customer's data appends inside its own transaction
/// instead (`audit::service::append`). A trail that cannot be written is logged loudly;
/// the change itself stands.
pub async fn record_audit(db: &Db, entry: crate::audit::service::Entry) {
    let result = match crate::audit::service::key() {
        Ok(key) => crate::audit::service::record(db, &key, &entry).await,
        Err(err) => Err(err),
    };
    if let Err(err) = result {
        tracing::error!(action = %entry.action, actor = ?entry.actor_user_id, error = ?err, "cannot write to the audit trail");
    }
}

/// Re-authentication before an admin action: enough when this session's last code is at
/// most [`REAUTH_WITHIN`] old; otherwise `code` must be a good one now (field `code`:
/// `reauth_needed` when empty, `wrong_code`). A good code renews the window.
pub async fn reauthenticated(actor: &UserSummary, code: &str) -> Result<(), AppError> {
    let session = context::session().await?;
    if super::session::second_factor_age(&session)
        .await?
        .is_some_and(|age| age <= REAUTH_WITHIN)
    {
        return Ok(());
    }
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "reauth_needed"));
    }
    let db = context::db()?;
    match super::two_factor::check(&db, actor.id, code, crate::db::Timestamp::now()).await? {
        Some(_) => super::session::mark_second_factor(&session).await,
        None => Err(super::two_factor::wrong_code()),
    }
}

/// Whether an admin action now needs a code first (see [`reauthenticated`]).
pub async fn code_needed() -> Result<bool, AppError> {
    let session = context::session().await?;
    let age = super::session::second_factor_age(&session).await?;
    Ok(age.is_none_or(|age| age > REAUTH_WITHIN))
}
