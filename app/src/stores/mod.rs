//! Stores: the retailer's shops with address and opening hours. The first area wired end to
//! end (page → server function → service → repository), and the pattern the others follow.
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// Opening hours for Monday (index 0) to Sunday (index 6); `None` is closed that day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpeningHours(pub Vec<Option<DayHours>>);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayHours {
    pub opens: String,
    pub closes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Store {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub phone: Option<String>,
    pub opening_hours: OpeningHours,
}

/// The longest search text accepted; longer input is a mistake, not a search.
pub const MAX_QUERY_LEN: usize = 100;
