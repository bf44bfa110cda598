//! A customer's own order history: one page of it with filters (channel, status, period,
//! a search), and the guest orders placed with their e-mail address that they can attach.
use chrono::{DateTime, Utc};

use super::{Channel, OrderStatus, history_repo};
use crate::db::{Db, Timestamp};
use crate::error::AppError;
use crate::time::{local_midnight, local_time};
use crate::validate::normalize_email;

/// The `[from, until)` of a period filter: `30d`, `6m`, `12m`, a year, or none (all).
pub fn period_bounds(period: Option<&str>, now: Timestamp) -> (Timestamp, Timestamp) {
    // Four-digit years at both ends: on SQLite times compare as text.
    let open = (
        Timestamp(DateTime::<Utc>::UNIX_EPOCH),
        Timestamp(DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(365 * 8000)),
    );
    let ago = |days: i64| (now - chrono::TimeDelta::days(days), open.1);
    match period {
        Some("30d") => ago(30),
        Some("6m") => ago(183),
        Some("12m") => ago(365),
        Some(year) => match year.parse::<i32>() {
            Ok(y) => match (
                chrono::NaiveDate::from_ymd_opt(y, 1, 1),
                chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1),
            ) {
                (Some(a), Some(b)) => (local_midnight(a), local_midnight(b)),
                _ => open,
            },
            Err(_) => open,
        },
        None => open,
    }
}

fn like_pattern(q: &str) -> String {
    if q.is_empty() {
        return String::new();
    }
    let mut out = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The SQL filter of a history query for this customer; `pattern` is the query's search
/// as [`like_pattern`] made it (the caller keeps it: the filter borrows it).
async fn filter_for<'a>(
    db: &Db,
    customer_id: i64,
    query: &'a super::HistoryQuery,
    pattern: &'a str,
) -> Result<history_repo::HistoryFilter<'a>, AppError> {
    let (from, until) = period_bounds(query.period.as_deref(), Timestamp::now());
    Ok(history_repo::HistoryFilter {
        customer_id,
        with_companies: history_repo::buys_for_a_company(db, customer_id).await?,
        channel: query.channel,
        status_group: query.status.map(|s| s.as_str()).unwrap_or_default(),
        from,
        until,
        pattern,
    })
}

/// One page of the order history of a customer (`None`: a user no customer is linked
/// to yet, who has no orders).
pub async fn order_history(
    db: &Db,
    customer_id: Option<i64>,
    query: &super::HistoryQuery,
) -> Result<super::HistoryPage, AppError> {
    use super::{HistoryPage, PAGE_SIZE};
    let Some(customer_id) = customer_id else {
        return Ok(HistoryPage {
            rows: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
            years: Vec::new(),
        });
    };
    let pattern = like_pattern(&query.q);
    let filter = filter_for(db, customer_id, query, &pattern).await?;
    let (total, span) = history_repo::history_count_and_span(db, &filter).await?;
    let pages = (total.max(1) as u32).div_ceil(PAGE_SIZE);
    let page = query.page.clamp(1, pages);
    let rows = history_repo::history_page(
        db,
        &filter,
        i64::from(PAGE_SIZE),
        i64::from((page - 1) * PAGE_SIZE),
    )
    .await?;
    let years = match span {
        Some((oldest, newest)) => {
            let year = |t: Timestamp| crate::time::local_year(t.0);
            (year(oldest)..=year(newest)).rev().collect()
        }
        None => Vec::new(),
    };
    Ok(HistoryPage {
        rows: rows.into_iter().map(history_row).collect(),
        total,
        page,
        pages,
        years,
    })
}

/// The first `limit` rows of a customer's history with these filters, newest first,
/// without counting them (the overview lists open orders; it needs no page count).
pub async fn first_rows(
    db: &Db,
    customer_id: Option<i64>,
    query: &super::HistoryQuery,
    limit: i64,
) -> Result<Vec<super::HistoryRow>, AppError> {
    let Some(customer_id) = customer_id else {
        return Ok(Vec::new());
    };
    let pattern = like_pattern(&query.q);
    let filter = filter_for(db, customer_id, query, &pattern).await?;
    let rows = history_repo::history_page(db, &filter, limit, 0).await?;
    Ok(rows.into_iter().map(history_row).collect())
}

fn history_row(r: history_repo::HistoryRowData) -> super::HistoryRow {
    super::HistoryRow {
        number: r.number,
        channel: Channel::parse(&r.channel).unwrap_or(Channel::Webshop),
        store_name: r.store_name,
        placed_local: local_time(r.placed_at.0),
        status: OrderStatus::parse(&r.status).unwrap_or(OrderStatus::Received),
        currency: r.currency,
        total: r.total_minor,
        first_item: r.first_item.unwrap_or_default(),
        other_lines: (r.line_count - 1).max(0),
        cancellation_requested: r.cancellation_requested,
        ordered_by: r.ordered_by,
    }
}

/// Orders placed as a guest with the user's (confirmed) e-mail address: offered to them,
/// attached only when they say they are theirs.
pub async fn offered_guest_orders(
    db: &Db,
    user: &crate::accounts::UserSummary,
) -> Result<Vec<super::HistoryRow>, AppError> {
    if !user.verified {
        return Ok(Vec::new());
    }
    let rows = history_repo::guest_orders(db, &normalize_email(&user.email)).await?;
    Ok(rows.into_iter().map(history_row).collect())
}

/// Attaches the guest orders the user confirmed (by number); only ones placed with their
/// confirmed e-mail address can be attached. Returns how many.
pub async fn attach_guest_orders(
    db: &Db,
    user: &crate::accounts::UserSummary,
    numbers: &[String],
) -> Result<u64, AppError> {
    if !user.verified {
        return Err(AppError::invalid("orders", "verify_email_first"));
    }
    let customer_id = crate::accounts::current::ensure_customer(db, user).await?;
    let email = normalize_email(&user.email);
    let mut tx = db.begin().await?;
    let mut attached = 0;
    for number in numbers
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .take(50)
    {
        attached += history_repo::attach_guest_order(&mut tx, customer_id, &email, number).await?;
    }
    tx.commit().await?;
    Ok(attached)
}
