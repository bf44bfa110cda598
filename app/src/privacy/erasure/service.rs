//! The rules of erasure: the preview, asking (with a mailed confirmation link),
//! confirming (the cooling-off period starts), cancelling, and the jobs that erase when
//! the period is over and delete kept orders when their retention ends.
use chrono::{Datelike, TimeDelta, TimeZone};
use serde_json::{Value, json};

use super::repo::{self, RequestRow};
use super::{CONFIRM_HOURS, ErasureStatus, ErasureView};
use crate::accounts::UserSummary;
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::language::Language;
use crate::mail::{MailContext, Parts, compose, locale, recipient};

/// The webhook the back office receives when a customer's data has been erased, so it
/// erases its own copy too.
pub const EVENT_ERASURE_COMPLETED: &str = "customer.erasure_completed";
/// Fiscal retention (art. 52 AWR): 7 years after the end of the financial year.
pub const FISCAL_YEARS: i32 = 7;

/// Until when an order placed at `placed_at` must be kept: the end of its financial
/// (calendar) year plus seven years, i.e. 1 January of the eighth year after, in UTC.
pub fn retain_until(placed_at: Timestamp) -> Timestamp {
    let year = placed_at.0.year() + FISCAL_YEARS + 1;
    Timestamp(
        chrono::Utc
            .with_ymd_and_hms(year, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or(placed_at.0),
    )
}

/// An order's address snapshot as kept after erasure: only what the tax return needs —
/// the country and the postcode's digits (`3572 AS` → `3572`). No name, street or phone.
pub fn reduced_address(snapshot: &str) -> Option<String> {
    let value: Value = serde_json::from_str(snapshot).ok()?;
    let postcode: String = value["postcode"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .take_while(|c| c.is_ascii_digit() || c.is_whitespace())
        .filter(char::is_ascii_digit)
        .collect();
    let country = value["country"].as_str().unwrap_or_default();
    Some(json!({"postcode": postcode, "country": country}).to_string())
}

/// The erasure page: the newest request and what is open.
pub async fn view(
    db: &Db,
    user: &UserSummary,
    customer_id: Option<i64>,
    cooling_off_days: i64,
) -> Result<ErasureView, AppError> {
    let (request, open_orders, open_returns, newest) = match customer_id {
        Some(id) => (
            repo::newest(db, id).await?,
            crate::orders::privacy_repo::open_orders(
                db,
                id,
                &crate::validate::normalize_email(&user.email),
            )
            .await?,
            crate::returns::privacy_repo::open_returns(db, id).await?,
            crate::orders::privacy_repo::newest_placed_at(db, id).await?,
        ),
        None => (None, Vec::new(), Vec::new(), None),
    };
    let status = request
        .as_ref()
        .and_then(|r| ErasureStatus::parse(&r.status));
    let since = request.as_ref().map(|r| match status {
        Some(ErasureStatus::Cancelled) => r.cancelled_at.unwrap_or(r.requested_at),
        Some(ErasureStatus::CoolingOff) => r.confirmed_at.unwrap_or(r.requested_at),
        _ => r.requested_at,
    });
    Ok(ErasureView {
        status,
        since_local: since.map(|at| crate::time::local_time(at.0)),
        erase_after_local: request
            .as_ref()
            .and_then(|r| r.erase_after)
            .filter(|_| status == Some(ErasureStatus::CoolingOff))
            .map(|at| crate::time::local_time(at.0)),
        email: user.email.clone(),
        cooling_off_days,
        open_orders,
        open_returns,
        orders_kept_until: newest.map(|at| {
            crate::time::local_time(retain_until(at).0)
                .chars()
                .take(10)
                .collect()
        }),
    })
}

fn link_mail(
    ctx: &MailContext,
    user: &UserSummary,
    language: Language,
    words: impl FnOnce(crate::i18n::Locale) -> (String, String, String, Option<String>),
    link: &str,
) -> crate::outbox::OutgoingMail {
    let (subject, paragraph, button, note) = words(locale(language));
    compose(
        ctx,
        Parts {
            to: recipient(&user.name, &user.email),
            name: &user.name,
            subject,
            language,
            paragraph,
            button,
            link,
            note,
        },
    )
}

/// Asks to erase the customer's account: a link to confirm goes to their (verified)
/// address. Asking again while a request is open changes nothing.
pub async fn request(
    db: &Db,
    ctx: &MailContext,
    user: &UserSummary,
    customer_id: Option<i64>,
    language: Language,
) -> Result<(), AppError> {
    use crate::i18n::*;
    let customer_id = customer_id.ok_or_else(|| AppError::invalid("erasure", "verify_first"))?;
    if !user.verified {
        return Err(AppError::invalid("erasure", "verify_first"));
    }
    let now = Timestamp::now();
    let (token, hash) = crate::accounts::service::new_token();
    let expires = now + TimeDelta::hours(CONFIRM_HOURS);
    let mut tx = db.begin().await?;
    let Some(_) = repo::insert(
        &mut tx,
        customer_id,
        user.id,
        language.as_str(),
        &hash,
        expires,
        now,
    )
    .await?
    else {
        // One is open already: its link still works (or cancel it and ask again).
        return Ok(());
    };
    let link = format!(
        "{}/account/privacy/erasure/confirm?token={token}",
        ctx.public_url
    );
    let mail = link_mail(
        ctx,
        user,
        language,
        |l| {
            (
                td_string!(l, mail.erasure_confirm_subject).to_string(),
                td_string!(l, mail.erasure_confirm_text, hours = CONFIRM_HOURS).to_string(),
                td_string!(l, mail.erasure_confirm_button).to_string(),
                Some(td_string!(l, mail.erasure_confirm_note).to_string()),
            )
        },
        &link,
    );
    crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, "erasure requested; confirmation mailed");
    Ok(())
}

/// Confirms through the mailed link: the cooling-off period starts, and a mail says
/// until when it can be cancelled. The link works once, for the user who asked, within
/// [`CONFIRM_HOURS`].
pub async fn confirm(
    db: &Db,
    ctx: &MailContext,
    user: &UserSummary,
    customer_id: Option<i64>,
    token: &str,
    cooling_off_days: i64,
) -> Result<(), AppError> {
    use crate::i18n::*;
    let refused = || AppError::invalid("token", "invalid_or_expired");
    let row = repo::by_token_hash(db, &crate::accounts::service::token_hash(token.trim()))
        .await?
        .ok_or_else(refused)?;
    let now = Timestamp::now();
    if row.user_id != Some(user.id)
        || row.customer_id != customer_id
        || row.status != ErasureStatus::AwaitingConfirmation.as_str()
        || row.token_expires_at.is_none_or(|at| at <= now)
    {
        return Err(refused());
    }
    let erase_after = now + TimeDelta::days(cooling_off_days.max(0));
    let language = Language::parse(&row.language).unwrap_or_default();
    let when = crate::time::local_time(erase_after.0).replacen('T', " ", 1);
    let link = format!("{}/account/privacy/erasure", ctx.public_url);
    let mail = link_mail(
        ctx,
        user,
        language,
        |l| {
            (
                td_string!(l, mail.erasure_scheduled_subject).to_string(),
                td_string!(l, mail.erasure_scheduled_text, when = when.as_str()).to_string(),
                td_string!(l, mail.erasure_scheduled_button).to_string(),
                None,
            )
        },
        &link,
    );
    let mut tx = db.begin().await?;
    if !repo::confirm(&mut tx, row.id, now, erase_after).await? {
        return Err(refused());
    }
    crate::outbox::repo::enqueue_mail(&mut tx, &mail, now).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        "erasure confirmed; cooling-off period started"
    );
    Ok(())
}

/// Cancels the customer's open request (asked or cooling off). Cancelling again (a
/// second click, a reloaded form) changes nothing and is no error: the account stays.
pub async fn cancel(db: &Db, customer_id: Option<i64>) -> Result<(), AppError> {
    let Some(customer_id) = customer_id else {
        return Ok(());
    };
    if repo::cancel(db, customer_id, Timestamp::now()).await? {
        tracing::info!(customer_id, "erasure cancelled by the customer");
    }
    Ok(())
}

/// Erases every customer whose cooling-off period has ended at `now` and who has no open
/// order or return (those wait, and are tried again on the next run). How many.
pub async fn run_due(db: &Db, now: Timestamp) -> Result<u64, AppError> {
    let mut erased = 0;
    for row in repo::due(db, now).await? {
        let Some(customer_id) = row.customer_id else {
            continue;
        };
        // The login address: for open orders by e-mail, and for erasing its traces.
        let login_email = match row.user_id {
            Some(id) => crate::accounts::privacy_repo::account(db, id)
                .await?
                .map(|a| a.login_email),
            None => None,
        };
        let email = login_email
            .as_deref()
            .map(crate::validate::normalize_email)
            .unwrap_or_default();
        if !crate::orders::privacy_repo::open_orders(db, customer_id, &email)
            .await?
            .is_empty()
            || !crate::returns::privacy_repo::open_returns(db, customer_id)
                .await?
                .is_empty()
        {
            continue;
        }
        if erase(db, &row, customer_id, login_email, now).await? {
            erased += 1;
        }
    }
    Ok(erased)
}

/// Everything of one customer, in one transaction: the account goes, the kept orders are
/// anonymised, the proof of consent keeps purpose and time, the back office is told.
async fn erase(
    db: &Db,
    row: &RequestRow,
    customer_id: i64,
    login_email: Option<String>,
    now: Timestamp,
) -> Result<bool, AppError> {
    // What could name them in text kept elsewhere (sent mails and webhooks).
    let profile = crate::customers::privacy_repo::profile(db, customer_id).await?;
    let addresses: Vec<String> = login_email
        .iter()
        .chain(profile.as_ref().and_then(|p| p.email.as_ref()))
        .cloned()
        .collect();
    let mut traces = addresses.clone();
    if let Some(p) = &profile {
        traces.extend(
            [
                Some(p.name.clone()),
                p.phone.clone(),
                p.loyalty_card.clone(),
            ]
            .into_iter()
            .flatten(),
        );
    }
    for address in crate::customers::privacy_repo::addresses(db, customer_id, 0, 1000).await? {
        traces.push(address.street);
    }
    let email_normalized = login_email
        .as_deref()
        .map(crate::validate::normalize_email)
        .unwrap_or_default();
    let mut tx = db.begin().await?;
    let orders =
        crate::orders::privacy_repo::to_anonymise(&mut tx, customer_id, &email_normalized).await?;
    let mut kept_until: Option<Timestamp> = None;
    crate::returns::privacy_repo::erase(&mut tx, customer_id).await?;
    crate::reorders::repo::erase_customer_notes(&mut tx, customer_id).await?;
    for (order_id, placed_at, delivery, billing) in &orders {
        let until = retain_until(*placed_at);
        kept_until = kept_until.max(Some(until));
        crate::cancellations::repo::erase_notes(&mut tx, *order_id).await?;
        crate::reorders::repo::erase_notes(&mut tx, *order_id).await?;
        crate::tracking::repo::erase_notes(&mut tx, *order_id).await?;
        crate::shipments::repo::erase_places(&mut tx, *order_id).await?;
        crate::orders::privacy_repo::anonymise(
            &mut tx,
            *order_id,
            delivery.as_deref().and_then(reduced_address).as_deref(),
            billing.as_deref().and_then(reduced_address).as_deref(),
            now,
            until,
        )
        .await?;
    }
    super::super::repo::erase_proof(&mut tx, customer_id).await?;
    // The audit trail keeps who looked at or changed the account, when and why, but no
    // longer what they saw (the rows stay: removing them would break the chain).
    crate::audit::repo::redact_subject(&mut tx, customer_id).await?;
    crate::audit::repo::redact_mentions(&mut tx, &traces).await?;
    crate::outbox::repo::forget(&mut tx, &addresses, &traces).await?;
    if !repo::complete(&mut tx, row.id, now).await? {
        return Ok(false);
    }
    let external_id = crate::customers::privacy_repo::erase_customer(&mut tx, customer_id).await?;
    if let Some(user_id) = row.user_id {
        crate::accounts::privacy_repo::erase_account(&mut tx, user_id).await?;
    }
    crate::outbox::repo::enqueue_webhook(
        &mut tx,
        EVENT_ERASURE_COMPLETED,
        json!({
            "customer": external_id,
            "erased_at": now.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "orders_kept": orders.len(),
            "orders_kept_until": kept_until
                .map(|at| at.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(orders_kept = orders.len(), "customer erased");
    Ok(true)
}

/// Deletes anonymised orders whose retention period has ended.
pub async fn purge_kept(db: &Db, now: Timestamp) -> Result<u64, sqlx::Error> {
    crate::orders::privacy_repo::purge_kept(db, now).await
}

/// For the admin's queue: requests per status.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, AppError> {
    Ok(repo::counts(db).await?)
}

/// For the admin's queue: the newest requests, without anything personal.
pub async fn queue(db: &Db) -> Result<Vec<super::QueueEntry>, AppError> {
    Ok(repo::recent(db, 20)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(super::QueueEntry {
                id: r.id,
                status: ErasureStatus::parse(&r.status)?,
                requested_local: crate::time::local_time(r.requested_at.0),
                erase_after_local: r.erase_after.map(|at| crate::time::local_time(at.0)),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp(
            chrono::DateTime::parse_from_rfc3339(text)
                .expect("time")
                .with_timezone(&chrono::Utc),
        )
    }

    #[test]
    fn orders_are_kept_seven_years_after_the_end_of_their_financial_year() {
        assert_eq!(
            retain_until(at("2026-03-15T10:00:00Z")),
            at("2034-01-01T00:00:00Z")
        );
        assert_eq!(
            retain_until(at("2026-12-31T23:59:00Z")),
            at("2034-01-01T00:00:00Z")
        );
    }

    #[test]
    fn a_kept_address_is_the_postcodes_digits_and_the_country() {
        let snapshot = r#"{"name":"Anna de Vries","street":"Biltstraat","house_number":"101","postcode":"3572 AS","city":"Utrecht","country":"NL","phone":"06 1234 5678"}"#;
        assert_eq!(
            reduced_address(snapshot).as_deref(),
            Some(r#"{"country":"NL","postcode":"3572"}"#)
        );
        assert_eq!(
            reduced_address(r#"{"postcode":"1000","country":"BE"}"#).as_deref(),
            Some(r#"{"country":"BE","postcode":"1000"}"#)
        );
        assert_eq!(reduced_address("not json"), None);
    }
}
