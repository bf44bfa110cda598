//! "Let customer service help me in my account": the customer decides whether a support
//! agent may act for them, for how long (an hour, a day, a week) and whether only to look
//! or also to make changes (start a return, change an address, ask for a delivery change,
//! cancel). Off by default; withdrawn at any time; every change is in the audit trail. The
//! acting itself (reason, 30 minutes, the banner) starts from the customer's page in
//! customer service and asks [`current`] first.
use serde::{Deserialize, Serialize};

/// For how long the customer allows help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpLength {
    Hour,
    Day,
    Week,
}

impl HelpLength {
    pub const ALL: [HelpLength; 3] = [HelpLength::Hour, HelpLength::Day, HelpLength::Week];

    pub fn as_str(self) -> &'static str {
        match self {
            HelpLength::Hour => "hour",
            HelpLength::Day => "day",
            HelpLength::Week => "week",
        }
    }

    pub fn parse(value: &str) -> Option<HelpLength> {
        HelpLength::ALL.into_iter().find(|l| l.as_str() == value)
    }

    pub fn duration(self) -> chrono::TimeDelta {
        match self {
            HelpLength::Hour => chrono::TimeDelta::hours(1),
            HelpLength::Day => chrono::TimeDelta::days(1),
            HelpLength::Week => chrono::TimeDelta::weeks(1),
        }
    }
}

/// The help a customer allows now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpPermission {
    /// Also changes, not only looking.
    pub may_change: bool,
    /// Until when (local `YYYY-MM-DDTHH:MM`).
    pub until_local: String,
    /// Until when (UTC), for the acting session's own end.
    pub until: chrono::DateTime<chrono::Utc>,
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::{HelpLength, HelpPermission};
    use crate::accounts::current::{self, Asking};
    use crate::audit::chain::AuditKey;
    use crate::db::{Db, Timestamp};
    use crate::error::AppError;

    /// The help `customer_id` allows at `now`, if any.
    pub async fn current(
        db: &Db,
        customer_id: i64,
        now: Timestamp,
    ) -> Result<Option<HelpPermission>, AppError> {
        let row = crate::customers::help_repo::help_now(db, customer_id, now).await?;
        Ok(row.map(|(may_change, until)| HelpPermission {
            may_change,
            until_local: crate::time::local_time(until.0),
            until: until.0,
        }))
    }

    /// The customer allows help (`Some(length)`, replacing what they allowed before) or
    /// withdraws it (`None`); recorded in the audit trail in the same transaction.
    pub async fn set(
        db: &Db,
        key: &AuditKey,
        asking: &Asking,
        customer_id: i64,
        allow: Option<(HelpLength, bool)>,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        crate::customers::help_repo::end_help(&mut tx, customer_id, now).await?;
        let details = match allow {
            Some((length, may_change)) => {
                let until = now + length.duration();
                crate::customers::help_repo::allow_help(
                    &mut tx,
                    customer_id,
                    may_change,
                    now,
                    until,
                )
                .await?;
                serde_json::json!({
                    "allowed": true,
                    "may_change": may_change,
                    "for": length.as_str(),
                    "until": crate::time::rfc3339(until.0),
                })
            }
            None => serde_json::json!({ "allowed": false }),
        };
        let action = if allow.is_some() {
            "help.allowed"
        } else {
            "help.withdrawn"
        };
        let entry = current::audit_entry(asking, action, Some(customer_id), details);
        crate::audit::service::append(&mut tx, key, &entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
