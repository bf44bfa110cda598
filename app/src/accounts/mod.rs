//! Accounts: users, roles, passwords, sessions. Customers, B2B buyers, store staff,
//! support agents and admins all log in here.
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod mails;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    StoreStaff,
    SupportAgent,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Customer,
        Role::StoreStaff,
        Role::SupportAgent,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::StoreStaff => "store_staff",
            Role::SupportAgent => "support_agent",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// The languages the portal speaks; a user's preferred one is used for their e-mails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn parse(value: &str) -> Option<Language> {
        match value {
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// What the pages may know about a user (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub language: Language,
    pub verified: bool,
    pub roles: Vec<Role>,
}

/// What became of a click on the link in a verification mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerifyOutcome {
    Verified,
    AlreadyUsed,
    Expired,
    Invalid,
}

/// Lower-case and trim an e-mail address: the form in which it is unique.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A sensible check, not RFC 5322: one `@`, something before it, a dot in the domain, no
/// spaces, not absurdly long. The verification mail proves the rest.
pub fn looks_like_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(looks_like_email("anna@example.nl"));
        assert!(looks_like_email(" Anna.de.Vries+portal@Example.NL "));
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.nl",
            "anna@example",
            "an na@example.nl",
            "a@b@c.nl",
            "anna@example.",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
        assert_eq!(normalize_email(" Anna@Example.NL "), "anna@example.nl");
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
