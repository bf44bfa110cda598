//! B2B: companies (a hotel, an office) whose buyers order for them. The back office sends
//! a company and its members through the API; the company's admin manages the rest in the
//! portal (`/account/company`): members and their roles, order limits, delivery locations
//! and invitations by e-mail. Every change made in the portal goes to the back office as
//! a `company.member_changed` webhook.
use serde::{Deserialize, Serialize};

use crate::customers::PostalAddress;

pub mod api;
pub mod invitation_pages;
pub mod member_pages;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod invitations;
#[cfg(feature = "ssr")]
pub mod mails;
#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// A delivery location of the company (a hotel's kitchen entrance, an office's post room).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyLocation {
    pub id: i64,
    pub address: PostalAddress,
}

/// A member as the company's admin manages them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// The member's customer row id (only ever shown to their company's admin).
    pub customer_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub role: MemberRole,
    /// Minor units; `None`: no limit.
    pub limit_per_order: Option<i64>,
    pub limit_per_month: Option<i64>,
    /// The locations this member may order for; empty: every location.
    pub locations: Vec<i64>,
    /// The admin looking at the page.
    pub is_me: bool,
}

/// An invitation not yet accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub role: MemberRole,
    /// Local time the link stops working.
    pub expires_local: String,
    pub expired: bool,
}

/// `/account/company`: the company the customer buys for, as they may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyView {
    pub external_id: String,
    pub name: String,
    pub role: MemberRole,
    pub limit_per_order: Option<i64>,
    pub limit_per_month: Option<i64>,
    pub currency: String,
    pub locations: Vec<CompanyLocation>,
    /// The locations the customer may order for; empty: every one.
    pub my_locations: Vec<i64>,
    /// Admins only (empty for everyone else).
    pub members: Vec<MemberRow>,
    pub invitations: Vec<InvitationRow>,
    /// Other companies the customer is a member of: (external id, name).
    pub others: Vec<(String, String)>,
}

/// Where an invitation link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Open,
    Accepted,
    Withdrawn,
    Expired,
}

/// The page an invitation link opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub company: String,
    pub role: MemberRole,
    pub email: String,
    pub invited_by: Option<String>,
    pub state: InvitationState,
    /// `None`: nobody is logged in; else whether the logged-in account has the invited
    /// address (only that account can accept).
    pub for_you: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Company {
    pub external_id: String,
    pub name: String,
    pub vat_number: Option<String>,
    pub kvk_number: Option<String>,
    pub members: Vec<CompanyMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompanyMember {
    /// The member's customer number.
    pub customer: String,
    pub name: String,
    pub role: MemberRole,
    /// Minor units; `null`: no limit (orders above it wait for an approver).
    pub limit_per_order: Option<i64>,
    /// Minor units, all of a calendar month's orders of this member together.
    pub limit_per_month: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum MemberRole {
    /// Orders for the company and sees its orders.
    Buyer,
    /// Also manages the company's buyers.
    Admin,
    /// Orders like a buyer; will approve orders above a buyer's limit (approvals, #22).
    Approver,
    /// Sees the company's orders and invoices; cannot order.
    Viewer,
}

impl MemberRole {
    pub const ALL: [MemberRole; 4] = [
        MemberRole::Buyer,
        MemberRole::Admin,
        MemberRole::Approver,
        MemberRole::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Buyer => "buyer",
            MemberRole::Admin => "admin",
            MemberRole::Approver => "approver",
            MemberRole::Viewer => "viewer",
        }
    }

    pub fn parse(value: &str) -> Option<MemberRole> {
        MemberRole::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// Whether a member in this role may order for the company (everyone but a viewer).
    pub fn may_order(self) -> bool {
        self != MemberRole::Viewer
    }
}

/// A VAT identification number: two-letter country prefix and 2–13 letters or digits
/// (`NL123456789B01`), written without spaces or dots.
pub fn normalize_vat_number(value: &str) -> Option<String> {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect::<String>()
        .to_uppercase();
    let (country, rest) = compact.split_at_checked(2)?;
    let ok = country.chars().all(|c| c.is_ascii_uppercase())
        && (2..=13).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(compact)
}

/// A Dutch Chamber of Commerce (KvK) number: eight digits.
pub fn normalize_kvk_number(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    #[test]
    fn company_numbers() {
        assert_eq!(
            super::normalize_vat_number("nl 8234.56789.B01").as_deref(),
            Some("NL823456789B01")
        );
        assert_eq!(super::normalize_vat_number("123"), None);
        assert_eq!(
            super::normalize_kvk_number("6912 3456").as_deref(),
            Some("69123456")
        );
        assert_eq!(super::normalize_kvk_number("691234"), None);
    }
}
