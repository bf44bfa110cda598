//! The privacy centre (`/account/privacy`): what the customer agreed to, per purpose and
//! channel, with the full history and proof of every change; the same consents given at
//! the till or by phone arrive through `PUT /api/v1/customers/{id}/consents`.
//!
//! A consent counts while its newest event grants it and no text version published
//! since then asks again (`asks_again`): a changed text the law needs fresh consent for
//! is never silently carried over. Service mails (orders, parcels, returns) need no
//! consent; marketing only goes out where [`service::may_contact`] says so.
use serde::{Deserialize, Serialize};

pub mod access_log;
#[cfg(feature = "ssr")]
pub mod admin;
pub mod admin_pages;
pub mod api;
pub mod erasure;
pub mod export;
pub mod help;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// How a purpose may reach the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Email,
    Sms,
    Post,
    Phone,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 4] = [
        ContactChannel::Email,
        ContactChannel::Sms,
        ContactChannel::Post,
        ContactChannel::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Email => "email",
            ContactChannel::Sms => "sms",
            ContactChannel::Post => "post",
            ContactChannel::Phone => "phone",
        }
    }

    pub fn parse(value: &str) -> Option<ContactChannel> {
        ContactChannel::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
    }
}

/// Where a consent was given or withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    /// By the customer in this portal.
    Portal,
    /// In a store, by staff with the customer.
    Store,
    /// By customer service (phone, chat), on the customer's word.
    CustomerService,
    /// At the till.
    Till,
    /// By the back office through the API, without one of the above.
    Api,
}

impl ConsentSource {
    pub const ALL: [ConsentSource; 5] = [
        ConsentSource::Portal,
        ConsentSource::Store,
        ConsentSource::CustomerService,
        ConsentSource::Till,
        ConsentSource::Api,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentSource::Portal => "portal",
            ConsentSource::Store => "store",
            ConsentSource::CustomerService => "customer_service",
            ConsentSource::Till => "till",
            ConsentSource::Api => "api",
        }
    }

    pub fn parse(value: &str) -> Option<ConsentSource> {
        ConsentSource::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// The privacy page of one customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyView {
    pub purposes: Vec<PurposeView>,
    /// Every change, newest first.
    pub history: Vec<HistoryEntry>,
    /// Giving consent needs a confirmed e-mail address (it makes the customer record).
    pub verified: bool,
    /// The newest "Download my data" request, if any.
    pub export: Option<export::ExportView>,
    /// An erasure request under way: asked (not yet confirmed) …
    pub erasure_asked: bool,
    /// … or confirmed, erased from then (local `YYYY-MM-DDTHH:MM`).
    pub erasure_from: Option<String>,
    /// Staff who looked at or changed the account, newest first.
    pub access_log: Vec<access_log::AccessEntry>,
    /// Customer service may help in the account now (the customer allowed it).
    pub help: Option<help::HelpPermission>,
}

/// A purpose with its current text in the customer's language and a switch per channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeView {
    pub code: String,
    pub title: String,
    pub body: String,
    /// The text version shown: what a change made here agrees to.
    pub version: i32,
    pub marketing: bool,
    pub channels: Vec<ChannelChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelChoice {
    pub channel: ContactChannel,
    /// Whether the consent counts now.
    pub granted: bool,
    /// Given on an older text that has since changed in a way that asks again: it no
    /// longer counts until the customer agrees to the new text.
    pub asked_again: bool,
    /// On by the soft opt-in: the customer bought from the retailer and never chose.
    pub soft_opt_in: bool,
}

/// One change in the history, as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub purpose_title: String,
    pub channel: ContactChannel,
    pub granted: bool,
    pub version: i32,
    /// Local time, `YYYY-MM-DDTHH:MM`.
    pub at_local: String,
    pub source: ConsentSource,
    /// Made by someone else than the customer (staff, or the back office's own record).
    pub by_staff: bool,
}

/// The admin's privacy page: the purposes with their current texts, and how many
/// customers chose what (counts only, no personal data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyAdmin {
    pub purposes: Vec<PurposeAdmin>,
    pub counts: Vec<ConsentCount>,
    /// The newest "Download my data" requests (no personal data: no names, no customer).
    pub exports: Vec<export::ExportView>,
    /// "Delete my account" requests per status (counts only) …
    pub erasures: Vec<(erasure::ErasureStatus, i64)>,
    /// … and the newest ones, without names.
    pub erasure_queue: Vec<erasure::QueueEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeAdmin {
    pub code: String,
    pub channels: Vec<ContactChannel>,
    pub marketing: bool,
    pub active: bool,
    pub soft_opt_in: bool,
    pub position: i32,
    /// The newest version, and since which version consent is asked again (if ever).
    pub version: i32,
    pub asks_again_from: Option<i32>,
    pub title_nl: String,
    pub body_nl: String,
    pub title_en: String,
    pub body_en: String,
}

/// Customers per purpose, channel and text version: how many have it on now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCount {
    pub purpose: String,
    pub channel: ContactChannel,
    pub version: i32,
    pub granted: i64,
    pub withdrawn: i64,
}
