//! Customers: the people who buy, as the webshop and the tills know them, linked to a
//! portal account when one exists; their addresses and loyalty card.
use serde::{Deserialize, Serialize};

use crate::language::Language;

pub mod address;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

pub use address::PostalAddress;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Customer {
    /// The retailer's own customer number; absent for customers only the portal knows.
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Language,
    pub loyalty_card: Option<String>,
    /// Whether a portal account is linked to this customer.
    pub has_account: bool,
    pub addresses: Vec<Address>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Address {
    #[serde(skip)]
    pub id: i64,
    /// The id the retailer's system gave this address, if it came from there.
    pub external_id: Option<String>,
    pub address: PostalAddress,
    pub default_delivery: bool,
    pub default_billing: bool,
}

/// A loyalty card number: 6 to 20 digits (spaces as printed are ignored).
pub fn normalize_loyalty_card(card: &str) -> Option<String> {
    let digits: String = card.chars().filter(|c| !c.is_whitespace()).collect();
    ((6..=20).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

#[cfg(test)]
mod tests {
    #[test]
    fn loyalty_cards_are_digits() {
        use super::normalize_loyalty_card as card;
        assert_eq!(card("2620 0012 3456").as_deref(), Some("262000123456"));
        assert_eq!(card("12345"), None);
        assert_eq!(card("26200A123456"), None);
    }
}

/// An address in the customer's own address book (with its id, for editing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAddress {
    pub id: i64,
    pub address: PostalAddress,
    pub default_delivery: bool,
    pub default_billing: bool,
}
