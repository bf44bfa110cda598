//! "Delete my account": the customer sees first what goes, what is kept, why and until
//! when; asks; confirms through a link mailed to their address; then a cooling-off period
//! (14 days unless the retailer sets another, `ERASURE_COOLING_OFF_DAYS`) in which they can
//! cancel. After it — once no order or return of theirs is still open — a background job
//! erases the account and everything personal and anonymises the orders the retailer must
//! keep for the tax authorities (art. 52 AWR: 7 years after the end of the financial
//! year), which another job deletes when that period ends. The back office hears of it
//! (`customer.erasure_completed`).
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

/// Where a customer's request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureStatus {
    /// Asked; the mailed link is not followed yet.
    AwaitingConfirmation,
    /// Confirmed; erased after the cooling-off period unless cancelled.
    CoolingOff,
    Cancelled,
    Completed,
}

impl ErasureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureStatus::AwaitingConfirmation => "awaiting_confirmation",
            ErasureStatus::CoolingOff => "cooling_off",
            ErasureStatus::Cancelled => "cancelled",
            ErasureStatus::Completed => "completed",
        }
    }

    pub fn parse(value: &str) -> Option<ErasureStatus> {
        [
            ErasureStatus::AwaitingConfirmation,
            ErasureStatus::CoolingOff,
            ErasureStatus::Cancelled,
            ErasureStatus::Completed,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// The erasure page: what would happen, and where the customer's request is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureView {
    /// The newest request, if any.
    pub status: Option<ErasureStatus>,
    /// Local date and time (`YYYY-MM-DDTHH:MM`): when the request was made, or cancelled.
    pub since_local: Option<String>,
    /// From when the account is erased (cooling off), local `YYYY-MM-DDTHH:MM`.
    pub erase_after_local: Option<String>,
    /// The address the confirmation link went to.
    pub email: String,
    pub cooling_off_days: i64,
    /// Orders not done yet, by number: erasure waits for them.
    pub open_orders: Vec<String>,
    /// Returns not settled yet, by code.
    pub open_returns: Vec<String>,
    /// Until when the kept (anonymised) orders stay, local date `YYYY-MM-DD`; none
    /// without orders.
    pub orders_kept_until: Option<String>,
}

impl ErasureView {
    /// A request that is under way (confirmation or cooling off): it can be cancelled.
    pub fn pending(&self) -> bool {
        matches!(
            self.status,
            Some(ErasureStatus::AwaitingConfirmation | ErasureStatus::CoolingOff)
        )
    }
}

/// A request in the admin's erasure queue: no names, no customer — a number, where it
/// is and its dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub id: i64,
    pub status: ErasureStatus,
    /// Local `YYYY-MM-DDTHH:MM`.
    pub requested_local: String,
    /// The end of the cooling-off period (confirmed ones).
    pub erase_after_local: Option<String>,
}

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 24;
/// The cooling-off period unless the retailer sets another.
pub const DEFAULT_COOLING_OFF_DAYS: i64 = 14;

/// The cooling-off period in days, as the server was configured (`ERASURE_COOLING_OFF_DAYS`).
#[derive(Clone, Copy, Debug)]
pub struct CoolingOffDays(pub i64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back() {
        for s in [
            "awaiting_confirmation",
            "cooling_off",
            "cancelled",
            "completed",
        ] {
            assert_eq!(ErasureStatus::parse(s).map(ErasureStatus::as_str), Some(s));
        }
    }
}
