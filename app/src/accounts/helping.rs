//! The end of a support agent's help in a customer's account: the audit row and the mail
//! to the customer, in one transaction.
use super::current::Asking;
use super::session::ActingSession;
use crate::audit::chain::AuditKey;
use crate::db::{Db, Timestamp};
use crate::error::AppError;

/// Records `help.ended` and mails the customer who helped, when and why.
pub async fn ended(
    db: &Db,
    key: &AuditKey,
    mail: &crate::mail::MailContext,
    agent: &Asking,
    acting: &ActingSession,
) -> Result<(), AppError> {
    let now = Timestamp::now();
    let started = chrono::DateTime::from_timestamp(acting.started_at, 0).unwrap_or_default();
    let mut entry = super::current::audit_entry(
        agent,
        "help.ended",
        Some(acting.customer_id),
        serde_json::json!({ "started": crate::time::rfc3339(started) }),
    );
    entry.reason = Some(acting.reason.clone());
    entry.ticket = acting.ticket.clone();
    let customer = super::repo::find_by_id(db, acting.customer_user_id).await?;
    let mut tx = db.begin().await?;
    crate::audit::service::append(&mut tx, key, &entry, now).await?;
    if let Some(customer) = customer {
        let language = super::Language::parse(&customer.language).unwrap_or_default();
        let when = format!(
            "{} {}–{}",
            crate::time::local_date(started).format("%d-%m-%Y"),
            crate::time::local_clock_time(started),
            crate::time::local_clock_time(now.0),
        );
        let why = match &acting.ticket {
            Some(ticket) => format!("{} ({ticket})", acting.reason),
            None => acting.reason.clone(),
        };
        let message = super::mails::helped(
            mail,
            &customer.email,
            &customer.name,
            language,
            &agent.actor.name,
            &when,
            &why,
        );
        crate::outbox::repo::enqueue_mail(&mut tx, &message, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
