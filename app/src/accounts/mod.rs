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
pub mod helping;
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
pub mod status_repo;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub mod two_factor;
pub mod two_factor_pages;
#[cfg(feature = "ssr")]
pub mod two_factor_repo;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    StoreStaff,
    SupportAgent,
    Admin,
}

impl Role {
    /// The roles that find customers, read their story and help them in their account
    /// (customer service; an acting session ends when the agent no longer has one).
    pub const HELPS_CUSTOMERS: &'static [Role] =
        &[Role::SupportAgent, Role::StoreStaff, Role::Admin];

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
    /// Whether this session passed two-step login. Staff pages need it.
    #[serde(default)]
    pub second_factor: bool,
    /// A support agent helping a customer in their account (with the customer's
    /// permission): whom, and until when. Every page shows it.
    #[serde(default)]
    pub acting_for: Option<ActingFor>,
}

/// Whom a support agent is helping in their account, until when, and whether the
/// customer lets them make changes. Why the agent helps (reason, ticket) and the
/// customer's login stay on the server: the pages only need the banner's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingFor {
    pub customer_id: i64,
    pub customer_name: String,
    /// The customer's own login.
    #[serde(skip)]
    pub customer_user_id: i64,
    /// Local `HH:MM` the help ends.
    pub until_local: String,
    /// The customer allows changes (start a return, change an address, ...), not only
    /// looking; read from their permission on every request.
    pub may_change: bool,
    /// Why the agent helps, as they gave it when starting; in every audit row.
    #[serde(skip)]
    pub reason: String,
    #[serde(skip)]
    pub ticket: Option<String>,
}

impl UserSummary {
    /// Whether the user has a staff role (store staff, support agent, admin).
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| *r != Role::Customer)
    }
}

/// The two-step login settings page: the state of the logged-in user's second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorState {
    /// Set up (an authenticator app is linked).
    pub enrolled: bool,
    /// Required for this user (staff).
    pub required: bool,
    /// This session passed it (a code was typed at login or since).
    pub confirmed: bool,
    /// Unused recovery codes.
    pub codes_left: i64,
    /// When not set up: what to link an app with.
    pub setup: Option<TwoFactorSetup>,
    /// Recovery codes just made, shown this once.
    pub new_codes: Vec<String>,
    /// Where the user's work starts (after setting it up).
    pub landing: String,
}

/// What an authenticator app is linked with: the secret to type, or its QR code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    /// In groups of four.
    pub secret: String,
    /// The `otpauth://` link as an inline SVG QR code.
    pub qr_svg: String,
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
