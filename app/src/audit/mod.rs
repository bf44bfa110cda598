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
    Intact { rows: u64 },
    Broken { rows_checked: u64, problem: Problem },
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
