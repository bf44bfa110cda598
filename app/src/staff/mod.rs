//! Staff tools: the admin's staff accounts (`/admin/staff`: invite by mail, roles, the
//! stores a store employee works at, deactivate, reset two-step login — `accounts.rs`,
//! `accounts_pages.rs`; the CLI's `server user create --store` does the same), and the
//! admin's view of the audit trail (`/admin/audit`): search it, page through it, download
//! it as CSV; reading it and downloading it are recorded in it too.
#[cfg(feature = "ssr")]
pub mod accounts;
pub mod accounts_pages;
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::accounts::Role;

/// The roles an admin gives on `/admin/staff`.
pub const STAFF_ROLES: [Role; 3] = [Role::StoreStaff, Role::SupportAgent, Role::Admin];

/// A staff member as the admin sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    /// Codes of the stores they work at.
    pub stores: Vec<String>,
    /// Two-step login set up.
    pub two_factor: bool,
    pub active: bool,
    /// Invited, and the password not chosen yet.
    pub invited: bool,
    /// The admin looking at the list.
    pub is_you: bool,
}

/// `/admin/staff`: the staff, the stores to choose from, and whether the admin must type a
/// code before a change (their last one is older than `current::REAUTH_WITHIN`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub members: Vec<StaffMember>,
    /// (code, name) of every store.
    pub stores: Vec<(String, String)>,
    pub code_needed: bool,
}

/// Rows per page on `/admin/audit`.
pub const PAGE_ROWS: i64 = 50;
/// Most rows in one CSV download (narrow the search for more).
pub const CSV_ROWS: i64 = 100_000;

/// What the admin searches the trail for; every field may be empty (or left out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Part of the staff member's name.
    pub who: String,
    /// A customer number (`C-1001`).
    pub customer: String,
    /// An action or the start of one (`return.`).
    pub action: String,
    /// `YYYY-MM-DD`, the first and last day (local time).
    pub from: String,
    pub to: String,
}

impl AuditFilter {
    /// The filter as a query string (for "older" and the CSV link).
    pub fn query(&self) -> String {
        let mut out = url_encode_pairs(&[
            ("who", &self.who),
            ("customer", &self.customer),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]);
        if out.is_empty() {
            out.push_str("all=1");
        }
        out
    }
}

fn url_encode_pairs(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        for byte in value.trim().bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    out.push(byte as char)
                }
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    out
}

/// One row of the trail as the admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    /// Local time, `YYYY-MM-DDTHH:MM`.
    pub at_local: String,
    pub who: String,
    pub role: String,
    /// The customer's number, if the row is about one.
    pub customer: Option<String>,
    pub action: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub store: Option<String>,
    pub ip: String,
    /// What was seen or changed (JSON); `None` once the customer was erased.
    pub details: Option<String>,
}

/// A page of the trail, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    /// Where the next (older) page starts, when there is one.
    pub older: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_becomes_a_query_string() {
        let filter = AuditFilter {
            who: "Sanne W".into(),
            action: "return.".into(),
            from: "2026-11-01".into(),
            ..AuditFilter::default()
        };
        assert_eq!(
            filter.query(),
            "who=Sanne%20W&action=return.&from=2026-11-01"
        );
        assert_eq!(AuditFilter::default().query(), "all=1");
    }
}
