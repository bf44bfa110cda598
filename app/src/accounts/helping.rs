//! The end of a support agent's help in a customer's account: the audit row and the mail
//! to the customer (who, when, why, what was changed), in one transaction — when the
//! agent stops, or, when the time or the customer's permission ran out first, from the
//! background job ([`end_overdue`]). Each help session ends once (`help_sessions`).
use super::current::Asking;
use super::session::ActingSession;
use crate::audit::chain::AuditKey;
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// The actions of the audit trail that are changes an agent made in the customer's account
/// (see `current::CHANGES_WHILE_HELPING`), listed in the mail afterwards.
pub const CHANGES: &[&str] = &[
    "return.started",
    "return.cancelled",
    "cancellation.requested",
    "delivery_change.requested",
    "address.added",
    "address.changed",
    "address.deleted",
];

/// What the agent changed in a help session (from `started` on), each as a line in
/// `language`, oldest first.
async fn changes_made(
    db: &Db,
    agent_id: Option<i64>,
    customer_id: i64,
    started: chrono::DateTime<chrono::Utc>,
    language: super::Language,
) -> Result<Vec<String>, AppError> {
    let locale = crate::mail::locale(language);
    let Some(agent_id) = agent_id else {
        return Ok(Vec::new());
    };
    let rows = crate::audit::repo::by_actor_about(
        db,
        agent_id,
        customer_id,
        crate::db::Timestamp(started),
        CHANGES,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let label = crate::audit::action_label(locale, &row.action);
            let object = row
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
                .as_ref()
                .and_then(crate::audit::object_of);
            match object {
                Some(object) => format!("{label} {object}"),
                None => label,
            }
        })
        .collect())
}

/// One help session coming to its end.
struct Ending {
    /// Its row in `help_sessions` (0: a session from before they were kept).
    help_session: i64,
    customer_id: i64,
    agent_id: Option<i64>,
    agent_name: String,
    reason: String,
    ticket: Option<String>,
    started: chrono::DateTime<chrono::Utc>,
    ended: chrono::DateTime<chrono::Utc>,
    /// The `help.ended` row (actor, role, address and browser filled in).
    entry: crate::audit::service::Entry,
}

/// Ends the session once: `help.ended` in the trail and the mail to the customer, in one
/// transaction; `false` when it had already ended.
async fn finish(
    db: &Db,
    key: &AuditKey,
    mail: &crate::mail::MailContext,
    mut ending: Ending,
    now: Timestamp,
) -> Result<bool, AppError> {
    ending.entry.reason = Some(ending.reason.clone());
    ending.entry.ticket = ending.ticket.clone();
    let customer = match crate::customers::help_repo::user_of(db, ending.customer_id).await? {
        Some(user_id) => super::repo::find_by_id(db, user_id).await?,
        None => None,
    };
    let message = match customer {
        Some(customer) => {
            let language = super::Language::parse(&customer.language).unwrap_or_default();
            let when = format!(
                "{} {}–{}",
                crate::time::local_date(ending.started).format("%d-%m-%Y"),
                crate::time::local_clock_time(ending.started),
                crate::time::local_clock_time(ending.ended),
            );
            let why = crate::audit::why_text(Some(ending.reason.clone()), ending.ticket.clone());
            let changes = changes_made(
                db,
                ending.agent_id,
                ending.customer_id,
                ending.started,
                language,
            )
            .await?;
            Some(super::mails::helped(
                mail,
                &customer.email,
                &customer.name,
                language,
                super::mails::Helped {
                    who: &ending.agent_name,
                    when: &when,
                    why: &why,
                    changes: &changes,
                },
            ))
        }
        None => None,
    };
    let mut tx = db.begin().await?;
    if ending.help_session != 0
        && !crate::customers::help_repo::end_session(&mut tx, ending.help_session, now).await?
    {
        return Ok(false);
    }
    crate::audit::service::append(&mut tx, key, &ending.entry, now).await?;
    if let Some(message) = message {
        crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The agent stopped helping: `help.ended` and the mail to the customer (who helped, when,
/// why and what changed) — unless the background job ended this session already.
pub async fn ended(
    db: &Db,
    key: &AuditKey,
    mail: &crate::mail::MailContext,
    agent: &Asking,
    acting: &ActingSession,
) -> Result<(), AppError> {
    let now = Timestamp::now();
    let started = chrono::DateTime::from_timestamp(acting.started_at, 0).unwrap_or_default();
    let entry = super::current::audit_entry(
        agent,
        "help.ended",
        Some(acting.customer_id),
        serde_json::json!({ "started": crate::time::rfc3339(started), "ended_by": "agent" }),
    );
    let ending = Ending {
        help_session: acting.help_session,
        customer_id: acting.customer_id,
        agent_id: Some(agent.actor.id),
        agent_name: agent.actor.name.clone(),
        reason: acting.reason.clone(),
        ticket: acting.ticket.clone(),
        started,
        ended: now.0,
        entry,
    };
    finish(db, key, mail, ending, now).await?;
    Ok(())
}

/// How many overdue help sessions one round of the job ends at most.
const OVERDUE_PER_ROUND: i64 = 100;

/// Ends the help sessions that are over at `now` without "Stop helping" (their 30 minutes
/// ran out, or the customer withdrew their permission or it expired): the same trail row
/// and mail as a stop. Safe with several server processes (each session ends once). How
/// many it ended.
pub async fn end_overdue(
    db: &Db,
    key: &AuditKey,
    mail: &crate::mail::MailContext,
    now: Timestamp,
) -> Result<u64, AppError> {
    let mut done = 0;
    for session in crate::customers::help_repo::overdue_sessions(db, now, OVERDUE_PER_ROUND).await?
    {
        let by_time = session.ends_at <= now;
        let ended = if by_time { session.ends_at.0 } else { now.0 };
        let entry = crate::audit::service::Entry {
            actor_user_id: session.agent_user_id,
            actor_label: session.agent_label.clone(),
            role: session.role.clone(),
            subject_customer_id: Some(session.customer_id),
            action: "help.ended".into(),
            reason: None,
            ticket: None,
            store_code: None,
            // Ended by the server, not from the agent's browser.
            ip: String::new(),
            user_agent: String::new(),
            details: serde_json::json!({
                "started": crate::time::rfc3339(session.started_at.0),
                "ended_by": if by_time { "time" } else { "permission" },
            }),
        };
        let ending = Ending {
            help_session: session.id,
            customer_id: session.customer_id,
            agent_id: session.agent_user_id,
            agent_name: session.agent_label,
            reason: session.reason,
            ticket: session.ticket,
            started: session.started_at.0,
            ended,
            entry,
        };
        if finish(db, key, mail, ending, now).await? {
            done += 1;
        }
    }
    Ok(done)
}
