//! Accounts: users, roles, passwords, sessions. Customers, B2B buyers, store staff,
//! support agents and admins all log in here.
use serde::{Deserialize, Serialize};

pub use crate::language::Language;
#[cfg(feature = "ssr")]
pub use crate::validate::{looks_like_email, normalize_email};

pub mod api;
#[cfg(feature = "ssr")]
pub mod current;
#[cfg(feature = "ssr")]
pub mod mails;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod privacy_repo;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
