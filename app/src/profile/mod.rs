//! "My details": name, phone, date of birth, language; changing the password and the
//! e-mail address.
use serde::{Deserialize, Serialize};

use crate::language::Language;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub language: Language,
    /// A new address waiting for its confirmation link to be clicked.
    pub pending_email: Option<String>,
}

/// What became of a click on the link in an e-mail change mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailChangeOutcome {
    Changed,
    /// Expired, used before, or not a link we sent.
    Invalid,
    /// Someone else took the address in the meantime.
    InUse,
}
