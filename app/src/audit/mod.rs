//! The audit trail: every staff action and every action taken for a customer, written as
//! an append-only chain of rows, each sealed with an HMAC over its fields and the hash of
//! the row before it (`chain.rs`). `service::append` adds a row inside the transaction of
//! the change it records; `service::verify` walks the chain and names the first row that
//! was changed, inserted or removed (`server audit verify`).
//!
//! A shared basic: it knows no area. Who is asking (actor, subject, role) is filled in by
//! the caller, from `accounts::current`.
#[cfg(feature = "ssr")]
pub mod chain;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// What a row of the trail says was done, as the customer reads it in their access log
/// and in the mail after an agent helped them.
pub fn action_label(locale: crate::i18n::Locale, action: &str) -> String {
    use crate::i18n::td_string;
    let l = locale;
    match action {
        "return.viewed" => td_string!(l, privacy.access_return_viewed).to_string(),
        "return.inspected" => td_string!(l, privacy.access_return_inspected).to_string(),
        "return.registered" => td_string!(l, privacy.access_return_registered).to_string(),
        "return.started" => td_string!(l, privacy.access_return_started).to_string(),
        "return.cancelled" => td_string!(l, privacy.access_return_cancelled).to_string(),
        "cancellation.requested" => {
            td_string!(l, privacy.access_cancellation_requested).to_string()
        }
        "delivery_change.requested" => {
            td_string!(l, privacy.access_delivery_change_requested).to_string()
        }
        "address.added" => td_string!(l, privacy.access_address_added).to_string(),
        "address.changed" => td_string!(l, privacy.access_address_changed).to_string(),
        "address.deleted" => td_string!(l, privacy.access_address_deleted).to_string(),
        "customer.viewed" => td_string!(l, privacy.access_customer_viewed).to_string(),
        "note.added" => td_string!(l, privacy.access_note_added).to_string(),
        "purchases.searched" => td_string!(l, privacy.access_purchases_searched).to_string(),
        "help.allowed" => td_string!(l, privacy.access_help_allowed).to_string(),
        "help.withdrawn" => td_string!(l, privacy.access_help_withdrawn).to_string(),
        "help.started" => td_string!(l, privacy.access_help_started).to_string(),
        "help.viewed" => td_string!(l, privacy.access_help_viewed).to_string(),
        "help.ended" => td_string!(l, privacy.access_help_ended).to_string(),
        _ => td_string!(l, privacy.access_other).to_string(),
    }
}

/// What a row is about, from its details: a return's code, an order number or an address.
pub fn object_of(details: &serde_json::Value) -> Option<String> {
    ["return", "order", "address"]
        .into_iter()
        .find_map(|name| details.get(name).and_then(|v| v.as_str()))
        .map(str::to_string)
}

/// "Why" as a person reads it: the reason with its ticket number, either alone, or a dash.
pub fn why_text(reason: Option<String>, ticket: Option<String>) -> String {
    match (reason, ticket) {
        (Some(reason), Some(ticket)) => format!("{reason} ({ticket})"),
        (Some(reason), None) => reason,
        (None, Some(ticket)) => ticket,
        (None, None) => "—".to_string(),
    }
}

/// The answer of `verify`: the chain is whole, or where it first breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// Every kept row holds; `removed` older rows went after the retention period.
    Intact {
        rows: u64,
        removed: u64,
    },
    Broken {
        rows_checked: u64,
        problem: Problem,
    },
}

/// What is wrong with the chain, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The row's fields no longer match its seal: it was changed after it was written
    /// (or written with another key).
    Changed { row: i64 },
    /// The row does not follow the row before it: a row in between was removed, or a
    /// row was put in that was never appended.
    Unlinked { row: i64, after: Option<i64> },
    /// The row's `details` no longer match what was sealed (emptying them is allowed).
    DetailsChanged { row: i64 },
    /// The chain's start (after the rows removed for retention) does not match its seal:
    /// it was moved, which would hide rows removed from the beginning.
    StartChanged,
    /// The chain's end is not where the head says: the newest rows were removed.
    EndMissing {
        head_rows: i64,
        found_rows: u64,
        last_row: Option<i64>,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed { row } => write!(
                f,
                "row {row} was changed after it was written (its seal does not match; or the audit key is not the one it was written with)"
            ),
            Problem::Unlinked {
                row,
                after: Some(after),
            } => write!(
                f,
                "row {row} does not follow row {after}: a row between them was removed, or row {row} was put in afterwards"
            ),
            Problem::StartChanged => write!(
                f,
                "the chain's start was changed (its seal does not match): rows may have been removed from the beginning"
            ),
            Problem::Unlinked { row, after: None } => write!(
                f,
                "row {row} is the first row but does not start the chain: the rows before it were removed"
            ),
            Problem::DetailsChanged { row } => {
                write!(
                    f,
                    "the details of row {row} were changed after it was written"
                )
            }
            Problem::EndMissing {
                head_rows,
                found_rows,
                last_row,
            } => write!(
                f,
                "the chain should have {head_rows} rows but ends after {found_rows}{}: the newest rows were removed",
                last_row
                    .map(|r| format!(" (at row {r})"))
                    .unwrap_or_default()
            ),
        }
    }
}
