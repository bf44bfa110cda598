//! "Download my data": the customer asks on the privacy page, a background job builds a
//! ZIP (`builder.rs`: `data.json` against a published schema, a CSV per kind of record, a
//! README in their language), a mail says when it is ready, and for seven days only the
//! user who asked can download it (every download recorded). One export at a time per
//! customer: asking again while one is being built finds that one.
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod builder;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod sections;
#[cfg(feature = "ssr")]
pub mod service;

/// Where an export is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    Queued,
    Building,
    Ready,
    Failed,
    Expired,
}

impl ExportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Queued => "queued",
            ExportStatus::Building => "building",
            ExportStatus::Ready => "ready",
            ExportStatus::Failed => "failed",
            ExportStatus::Expired => "expired",
        }
    }

    pub fn parse(value: &str) -> Option<ExportStatus> {
        [
            ExportStatus::Queued,
            ExportStatus::Building,
            ExportStatus::Ready,
            ExportStatus::Failed,
            ExportStatus::Expired,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// Still being made: asking again finds this one.
    pub fn in_progress(self) -> bool {
        matches!(self, ExportStatus::Queued | ExportStatus::Building)
    }
}

/// The customer's newest export, as the privacy page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub code: String,
    pub status: ExportStatus,
    /// How far the build is, 0–100 (100 only when ready).
    pub percent: u8,
    /// Local time, `YYYY-MM-DDTHH:MM`.
    pub requested_local: String,
    /// Until when the download works (ready ones).
    pub until_local: Option<String>,
    pub size_bytes: Option<i64>,
    pub downloads: i64,
    /// When the server looked (local `HH:MM:SS`): shown while it is being made.
    pub checked_at: String,
    /// The same moment to the millisecond, for the "check again" link: each look gives a
    /// new address, so following it always loads the page again (with or without
    /// JavaScript). With whole seconds, a look within the same second as the one before
    /// linked to the address already open, and the browser only scrolled.
    pub check_key: String,
}

/// The download's address for an export.
pub fn download_path(code: &str) -> String {
    format!("/account/privacy/export/{code}")
}

/// "1.4 MB", "820 kB": a file size as a person reads it.
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} kB", (bytes + 999) / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(1), "1 kB");
        assert_eq!(size_text(820_000), "820 kB");
        assert_eq!(size_text(1_440_000), "1.4 MB");
    }

    #[test]
    fn statuses_read_back() {
        for s in ["queued", "building", "ready", "failed", "expired"] {
            assert_eq!(ExportStatus::parse(s).map(ExportStatus::as_str), Some(s));
        }
        assert!(ExportStatus::Queued.in_progress() && !ExportStatus::Ready.in_progress());
    }
}
