//! B2B: companies (a hotel, an office) whose buyers order for them.
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

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
