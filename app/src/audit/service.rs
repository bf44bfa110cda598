//! Writing to the audit trail and checking it.
use super::chain::{self, AuditKey, Sealed};
use super::repo::{self, AuditRow};
use super::{Problem, Verified};
use crate::db::{Db, Timestamp, Tx};
use crate::error::AppError;

/// One thing that happened, as the caller knows it (who is asking comes from
/// `accounts::current`; the request's address and browser from `context`).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub actor_user_id: Option<i64>,
    /// The name or staff number the customer will see in their access log.
    pub actor_label: String,
    pub role: String,
    pub subject_customer_id: Option<i64>,
    /// What happened, `area.verb`: `customer.viewed`, `audit.searched`, `return.started`.
    pub action: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub store_code: Option<String>,
    pub ip: String,
    pub user_agent: String,
    /// What changed (`{"before": …, "after": …}`), what was looked at, or searched for.
    pub details: serde_json::Value,
}

/// The browser a request came from, as the trail keeps it: long enough for any real
/// browser, so that a made-up header cannot fill the trail.
pub fn browser_of(headers: &http::HeaderMap) -> String {
    headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(400).collect())
        .unwrap_or_default()
}

/// An audit row waiting for the change it describes: the service making the change
/// appends it inside that change's transaction, after adding what only it knows (the new
/// return's code, the address before and after).
#[derive(Clone)]
pub struct Trail {
    pub key: AuditKey,
    pub entry: Entry,
}

impl Trail {
    /// Adds `name: value` to the row's details.
    pub fn with(mut self, name: &str, value: serde_json::Value) -> Trail {
        if let serde_json::Value::Object(map) = &mut self.entry.details {
            map.insert(name.to_string(), value);
        } else {
            self.entry.details = serde_json::json!({ name: value });
        }
        self
    }

    /// Appends the row inside `tx` (see [`append`]).
    pub async fn append(&self, tx: &mut Tx, at: Timestamp) -> Result<i64, AppError> {
        append(tx, &self.key, &self.entry, at).await
    }
}

/// Appends `trail`, when there is one, inside `tx` (a change made for a customer by
/// someone else; a customer's own change has none).
pub async fn append_if(tx: &mut Tx, trail: Option<&Trail>, at: Timestamp) -> Result<(), AppError> {
    if let Some(trail) = trail {
        trail.append(tx, at).await?;
    }
    Ok(())
}

/// Adds `entry` to the chain inside `tx`, the transaction of the change it records: both
/// are kept or neither. Appenders wait for each other until their transaction ends.
pub async fn append(
    tx: &mut Tx,
    key: &AuditKey,
    entry: &Entry,
    at: Timestamp,
) -> Result<i64, AppError> {
    let prev_hash = repo::take_head(tx).await?;
    let details = entry.details.to_string();
    let mut row = AuditRow {
        id: 0,
        at,
        actor_user_id: entry.actor_user_id,
        actor_label: entry.actor_label.clone(),
        role: entry.role.clone(),
        subject_customer_id: entry.subject_customer_id,
        action: entry.action.clone(),
        reason: entry.reason.clone(),
        ticket: entry.ticket.clone(),
        store_code: entry.store_code.clone(),
        ip: entry.ip.clone(),
        user_agent: entry.user_agent.clone(),
        details_digest: chain::digest(&details),
        details: Some(details),
        prev_hash,
        hash: String::new(),
    };
    row.hash = seal_of(key, &row);
    let id = repo::insert(tx, &row).await?;
    repo::set_head(tx, &row.hash).await?;
    Ok(id)
}

/// Adds `entry` on its own (a view, a search: nothing else is written).
pub async fn record(db: &Db, key: &AuditKey, entry: &Entry) -> Result<i64, AppError> {
    let mut tx = db.begin().await?;
    let id = append(&mut tx, key, entry, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Rows checked per query.
const PAGE: i64 = 1000;

/// Walks the whole chain, oldest first, and stops at the first row that does not hold.
/// The chain starts after the rows removed for retention, where its sealed start says.
pub async fn verify(db: &Db, key: &AuditKey) -> Result<Verified, AppError> {
    let head = repo::head(db).await?;
    let start = head.start();
    if !start.is_beginning() && chain::seal_start(key, &start) != head.start_seal {
        return Ok(Verified::Broken {
            rows_checked: 0,
            problem: Problem::StartChanged,
        });
    }
    let mut prev: Option<(i64, String)> =
        (!start.is_beginning()).then(|| (start.after_id, start.hash.to_string()));
    let mut checked: u64 = 0;
    let broken = |checked, problem| {
        Ok(Verified::Broken {
            rows_checked: checked,
            problem,
        })
    };
    loop {
        let after = prev.as_ref().map_or(0, |(id, _)| *id);
        let rows = repo::page(db, after, PAGE).await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let prev_hash = prev.as_ref().map_or("", |(_, hash)| hash.as_str());
            if row.prev_hash != prev_hash {
                let after = prev.as_ref().map(|(id, _)| *id);
                return broken(checked, Problem::Unlinked { row: row.id, after });
            }
            if seal_of(key, &row) != row.hash {
                return broken(checked, Problem::Changed { row: row.id });
            }
            if let Some(details) = &row.details
                && chain::digest(details) != row.details_digest
            {
                return broken(checked, Problem::DetailsChanged { row: row.id });
            }
            checked += 1;
            prev = Some((row.id, row.hash));
        }
    }
    let last_hash = prev.as_ref().map_or("", |(_, hash)| hash.as_str());
    if i64::try_from(checked).ok() != Some(head.row_count) || last_hash != head.last_hash {
        return broken(
            checked,
            Problem::EndMissing {
                head_rows: head.row_count,
                found_rows: checked,
                last_row: prev.map(|(id, _)| id).filter(|id| *id != start.after_id),
            },
        );
    }
    Ok(Verified::Intact {
        rows: checked,
        removed: u64::try_from(head.removed_count).unwrap_or(0),
    })
}

/// Rows looked at per transaction when removing old ones.
const REMOVE_BATCH: i64 = 1000;

/// Removes the rows written before `before` from the chain's beginning (the retention
/// period), moving its sealed start past them; answers how many went. Stops at the first
/// row written at or after `before`, so the chain keeps no gap, and keeps the newest row.
pub async fn remove_older_than(
    db: &Db,
    key: &AuditKey,
    before: Timestamp,
) -> Result<u64, AppError> {
    let mut removed_now = 0;
    loop {
        let mut tx = db.begin().await?;
        let head = repo::lock_head(&mut tx).await?;
        let rows = repo::oldest(&mut tx, head.start_after_id, REMOVE_BATCH).await?;
        let mut old: Vec<_> = rows.iter().take_while(|(_, at, _)| *at < before).collect();
        // The newest row always stays: SQLite gives a new row the highest id plus one, so
        // with no rows left ids would start again below the chain's start.
        if old.len() == rows.len() && rows.len() < REMOVE_BATCH as usize {
            old.pop();
        }
        let Some((last_id, last_at, last_hash)) = old.last() else {
            tx.rollback().await?;
            return Ok(removed_now);
        };
        let count = i64::try_from(old.len()).unwrap_or(i64::MAX);
        let start = chain::ChainStart {
            after_id: *last_id,
            hash: last_hash,
            at: Some(*last_at),
            removed: head.removed_count + count,
        };
        let seal = chain::seal_start(key, &start);
        removed_now += repo::remove_through(&mut tx, &start, &seal, count).await?;
        tx.commit().await?;
        if old.len() < rows.len() || rows.len() < REMOVE_BATCH as usize {
            return Ok(removed_now);
        }
    }
}

/// The audit key of this server, which it puts in every request's context.
pub fn key() -> Result<AuditKey, AppError> {
    leptos::prelude::use_context::<AuditKey>().ok_or_else(|| {
        tracing::error!("no audit key in the request context");
        AppError::Internal
    })
}

/// Whether `key` sealed the newest row (`None` while there are none).
pub async fn newest_sealed_with(db: &Db, key: &AuditKey) -> Result<Option<bool>, AppError> {
    let Some(row) = repo::newest(db).await? else {
        return Ok(None);
    };
    Ok(Some(seal_of(key, &row) == row.hash))
}

fn seal_of(key: &AuditKey, row: &AuditRow) -> String {
    chain::seal(
        key,
        &row.prev_hash,
        &Sealed {
            at: row.at,
            actor_user_id: row.actor_user_id,
            actor_label: &row.actor_label,
            role: &row.role,
            subject_customer_id: row.subject_customer_id,
            action: &row.action,
            reason: row.reason.as_deref(),
            ticket: row.ticket.as_deref(),
            store_code: row.store_code.as_deref(),
            ip: &row.ip,
            user_agent: &row.user_agent,
            details_digest: &row.details_digest,
        },
    )
}
