//! Searching the audit trail for the admin, and the rows of its CSV download.
use super::{AuditFilter, AuditLine, AuditPage, PAGE_ROWS};
use crate::audit::repo::{self, AuditRow, AuditSearch};
use crate::db::Db;
use crate::error::AppError;
use crate::validate::Checks;

/// The filter checked and turned into a database search (`None`: a customer number that
/// does not exist, so nothing matches).
async fn search_of(db: &Db, filter: &AuditFilter) -> Result<Option<AuditSearch>, AppError> {
    let mut checks = Checks::new();
    let mut day = |field: &str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = crate::time::parse_date(text);
        if parsed.is_none() {
            checks.push(field, "day_format");
        }
        parsed
    };
    let from = day("from", &filter.from);
    let to = day("to", &filter.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        checks.push("to", "day_before_from");
    }
    checks.finish()?;
    let subject = match filter.customer.trim() {
        "" => None,
        number => match crate::customers::repo::find_by_external_id(db, number).await? {
            Some((id, _)) => Some(id),
            None => return Ok(None),
        },
    };
    Ok(Some(AuditSearch {
        who: filter.who.trim().to_lowercase(),
        subject,
        action: filter.action.trim().to_lowercase(),
        from: from.map(crate::time::local_midnight),
        to: to.map(|d| crate::time::local_midnight(d + chrono::Days::new(1))),
    }))
}

/// A page of the trail, newest first, older than row `before` (if given).
pub async fn search(
    db: &Db,
    filter: &AuditFilter,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    let Some(search) = search_of(db, filter).await? else {
        return Ok(AuditPage {
            lines: Vec::new(),
            older: None,
        });
    };
    let mut rows = repo::search(db, &search, before.unwrap_or(i64::MAX), PAGE_ROWS + 1).await?;
    let older = (rows.len() as i64 > PAGE_ROWS).then(|| {
        rows.truncate(PAGE_ROWS as usize);
        rows.last().map(|r| r.id)
    });
    Ok(AuditPage {
        lines: lines_of(db, rows).await?,
        older: older.flatten(),
    })
}

/// The rows for a CSV download (at most `most`), newest first.
pub async fn all(db: &Db, filter: &AuditFilter, most: i64) -> Result<Vec<AuditRow>, AppError> {
    match search_of(db, filter).await? {
        Some(search) => Ok(repo::search(db, &search, i64::MAX, most).await?),
        None => Ok(Vec::new()),
    }
}

/// The customer numbers of the rows' customers.
pub async fn customer_numbers(
    db: &Db,
    rows: &[AuditRow],
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.subject_customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut numbers = std::collections::HashMap::new();
    // A bounded statement per thousand customers (a CSV may name many).
    for chunk in ids.chunks(1000) {
        numbers.extend(crate::customers::repo::external_ids(db, chunk).await?);
    }
    Ok(numbers)
}

async fn lines_of(db: &Db, rows: Vec<AuditRow>) -> Result<Vec<AuditLine>, AppError> {
    let numbers = customer_numbers(db, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            id: r.id,
            at_local: crate::time::local_time(r.at.0),
            who: r.actor_label,
            role: r.role,
            customer: r.subject_customer_id.map(|id| {
                numbers
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}"))
            }),
            action: r.action,
            reason: r.reason,
            ticket: r.ticket,
            store: r.store_code,
            ip: r.ip,
            details: r.details,
        })
        .collect())
}

/// The CSV file: one line per row, every field, times in UTC.
pub fn csv_of(
    rows: &[AuditRow],
    numbers: &std::collections::HashMap<i64, String>,
) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| {
        tracing::error!(error = %e, "cannot write the audit CSV");
        AppError::Internal
    };
    out.write_record([
        "id",
        "at",
        "actor_user_id",
        "actor",
        "role",
        "customer",
        "action",
        "reason",
        "ticket",
        "store",
        "ip",
        "user_agent",
        "details",
        "hash",
    ])
    .map_err(internal)?;
    for r in rows {
        out.write_record([
            r.id.to_string(),
            r.at.sqlite_text(),
            r.actor_user_id.map(|id| id.to_string()).unwrap_or_default(),
            r.actor_label.clone(),
            r.role.clone(),
            r.subject_customer_id
                .map(|id| {
                    numbers
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| format!("#{id}"))
                })
                .unwrap_or_default(),
            r.action.clone(),
            r.reason.clone().unwrap_or_default(),
            r.ticket.clone().unwrap_or_default(),
            r.store_code.clone().unwrap_or_default(),
            r.ip.clone(),
            r.user_agent.clone(),
            r.details.clone().unwrap_or_default(),
            r.hash.clone(),
        ])
        .map_err(internal)?;
    }
    out.into_inner().map_err(|e| {
        tracing::error!(error = %e, "cannot write the audit CSV");
        AppError::Internal
    })
}
