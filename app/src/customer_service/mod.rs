//! Customer service: find a customer (`/service/customers`) and keep notes of each
//! contact so the customer never tells their story twice. Support agents, store staff
//! and admins use it; every search, every look at a customer and every note is written to
//! the audit trail (the customer sees the looks and notes in their access log). The page
//! with the customer's whole story is a composition page (`customer_story/`).
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// Most customers one search shows; more means "be more precise".
pub const SHOWN: usize = 20;
/// Longest topic and outcome of a note, in characters.
pub const TOPIC_MAX: usize = 120;
pub const OUTCOME_MAX: usize = 2000;

/// The roles that help customers.
#[cfg(feature = "ssr")]
pub const HELPERS: &[crate::accounts::Role] = crate::accounts::Role::HELPS_CUSTOMERS;

/// A customer in the search results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundCustomer {
    pub id: i64,
    /// The retailer's customer number, if it has one.
    pub number: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Postcode and city of the default delivery address (or the first one).
    pub place: Option<String>,
    pub orders: i64,
    pub has_account: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub customers: Vec<FoundCustomer>,
    /// More matched than are shown.
    pub more: bool,
}

/// How the customer got in touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteChannel {
    Phone,
    Chat,
    Store,
    Email,
}

impl NoteChannel {
    pub const ALL: [NoteChannel; 4] = [Self::Phone, Self::Chat, Self::Store, Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Chat => "chat",
            Self::Store => "store",
            Self::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// A note of one contact, as the customer page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactNote {
    pub id: i64,
    /// Local time, `YYYY-MM-DDTHH:MM`.
    pub at_local: String,
    pub author: String,
    pub channel: NoteChannel,
    pub topic: String,
    pub outcome: String,
    /// `YYYY-MM-DD`: when someone should get back to the customer.
    pub follow_up_on: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_read_back() {
        for channel in NoteChannel::ALL {
            assert_eq!(NoteChannel::parse(channel.as_str()), Some(channel));
        }
        assert_eq!(NoteChannel::parse("fax"), None);
    }
}
