//! Finding a customer and keeping notes of contacts.
use super::repo::{self, NewNote};
use super::{ContactNote, FoundCustomer, NoteChannel, SHOWN, SearchResult};
use crate::audit::chain::AuditKey;
use crate::audit::service::Entry;
use crate::customers::search::Query;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::validate::Checks;

/// The customers a search finds, every reading of it tried (see
/// `customers::search::Query`), by name. An empty search is a field error.
pub async fn search(db: &Db, text: &str) -> Result<SearchResult, AppError> {
    let query = Query::parse(text);
    if query.is_empty() {
        return Err(AppError::invalid("q", "required"));
    }
    let limit = SHOWN as i64 + 1;
    let mut ids = crate::customers::repo::search_ids(db, &query, limit).await?;
    if let Some(code) = &query.code {
        let receipt = crate::orders::service::normalize_receipt_code(code);
        ids.extend(
            crate::orders::repo::customers_by_number_or_receipt(
                db,
                &code.to_uppercase(),
                receipt.as_deref(),
            )
            .await?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    let more = ids.len() > SHOWN;
    ids.truncate(SHOWN);
    let customers = repo::found(db, &ids)
        .await?
        .into_iter()
        .map(|row| FoundCustomer {
            id: row.id,
            number: row.external_id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            place: match (row.postcode, row.city) {
                (Some(postcode), Some(city)) => Some(format!("{postcode} {city}")),
                _ => None,
            },
            orders: row.orders,
            has_account: row.has_account,
        })
        .collect();
    Ok(SearchResult { customers, more })
}

/// What an agent typed for a note.
#[derive(Clone, Debug, Default)]
pub struct NoteForm<'a> {
    pub channel: &'a str,
    pub topic: &'a str,
    pub outcome: &'a str,
    /// `YYYY-MM-DD` or empty.
    pub follow_up_on: &'a str,
}

/// Checks and keeps a note of a contact with customer `customer_id`; the audit trail
/// gets `entry` (who wrote it, for whom) in the same transaction, with what was noted.
pub async fn add_note(
    db: &Db,
    key: &AuditKey,
    mut entry: Entry,
    customer_id: i64,
    form: &NoteForm<'_>,
    now: Timestamp,
) -> Result<i64, AppError> {
    let mut checks = Checks::new();
    let channel = NoteChannel::parse(form.channel.trim());
    if channel.is_none() {
        checks.push("channel", "required");
    }
    let (topic, outcome) = (form.topic.trim(), form.outcome.trim());
    checks.text("topic", topic, super::TOPIC_MAX);
    checks.text("outcome", outcome, super::OUTCOME_MAX);
    let follow_up_on = match form.follow_up_on.trim() {
        "" => None,
        day => match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(day) if day < crate::time::local_date(now.0) => {
                checks.push("follow_up_on", "not_before_today");
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                checks.push("follow_up_on", "day_format");
                None
            }
        },
    };
    checks.finish()?;
    let channel = channel.ok_or(AppError::Internal)?;
    if !repo::exists(db, customer_id).await? {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin().await?;
    let id = repo::add_note(
        &mut tx,
        &NewNote {
            customer_id,
            author_user_id: entry.actor_user_id.ok_or(AppError::Internal)?,
            author_label: &entry.actor_label,
            channel: channel.as_str(),
            topic,
            outcome,
            follow_up_on,
        },
        now,
    )
    .await?;
    entry.subject_customer_id = Some(customer_id);
    entry.action = "note.added".into();
    entry.details = serde_json::json!({
        "note": id,
        "after": {
            "channel": channel.as_str(),
            "topic": topic,
            "outcome": outcome,
            "follow_up_on": follow_up_on.map(|d| d.to_string()),
        },
    });
    crate::audit::service::append(&mut tx, key, &entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The customer's notes, newest first (at most `limit`).
pub async fn notes(db: &Db, customer_id: i64, limit: i64) -> Result<Vec<ContactNote>, AppError> {
    Ok(repo::notes(db, customer_id, 0, limit)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(ContactNote {
                id: row.id,
                at_local: crate::time::local_time(row.created_at.0),
                author: row.author_label,
                channel: NoteChannel::parse(&row.channel)?,
                topic: row.topic,
                outcome: row.outcome,
                follow_up_on: row.follow_up_on.map(|d| d.to_string()),
            })
        })
        .collect())
}

/// Checks that `asking` may help `customer_id` in their account now (the customer allows
/// it, has a login) and records the start (`help_sessions` and `help.started`, in one
/// transaction); the acting session to keep.
pub async fn start_helping(
    db: &Db,
    asking: &crate::accounts::current::Asking,
    customer_id: i64,
    reason: &str,
    ticket: &str,
) -> Result<crate::accounts::session::ActingSession, AppError> {
    let mut checks = crate::validate::Checks::new();
    checks.text("why", reason, 200);
    checks.optional_text("ticket", Some(ticket), 50);
    checks.finish()?;
    let Some((_, customer)) = crate::customers::repo::find_by_id(db, customer_id).await? else {
        return Err(AppError::NotFound);
    };
    let now = crate::db::Timestamp::now();
    let Some((_, allowed_until)) =
        crate::customers::help_repo::help_now(db, customer_id, now).await?
    else {
        return Err(AppError::invalid("customer", "help_not_allowed"));
    };
    let Some(customer_user_id) = crate::customers::help_repo::user_of(db, customer_id).await?
    else {
        return Err(AppError::invalid("customer", "no_account"));
    };
    let until = std::cmp::min(
        (now + crate::accounts::session::ACTING_FOR).0,
        allowed_until.0,
    );
    let ticket = crate::validate::non_empty(Some(ticket.trim())).map(str::to_string);
    let reason = reason.trim().to_string();
    let key = crate::audit::service::key()?;
    let mut tx = db.begin().await?;
    let help_session = crate::customers::help_repo::open_session(
        &mut tx,
        &crate::customers::help_repo::HelpSession {
            id: 0,
            customer_id,
            agent_user_id: Some(asking.actor.id),
            agent_label: asking.actor.name.clone(),
            role: asking.role.as_str().to_string(),
            reason: reason.clone(),
            ticket: ticket.clone(),
            started_at: now,
            ends_at: crate::db::Timestamp(until),
        },
    )
    .await?;
    let mut entry = crate::accounts::current::audit_entry(
        asking,
        "help.started",
        Some(customer_id),
        serde_json::json!({ "until": crate::time::rfc3339(until) }),
    );
    entry.reason = Some(reason.clone());
    entry.ticket = ticket.clone();
    crate::audit::service::append(&mut tx, &key, &entry, now).await?;
    tx.commit().await?;
    Ok(crate::accounts::session::ActingSession {
        help_session,
        customer_id,
        customer_user_id,
        customer_name: customer.name,
        reason,
        ticket,
        started_at: now.0.timestamp(),
        until: until.timestamp(),
    })
}
