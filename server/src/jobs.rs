//! Background work. The outbox worker delivers what the outbox holds (mails, webhooks): it claims due rows
//! (safe with several server processes), sends them, and on failure tries again later with
//! exponential backoff; after `MAX_ATTEMPTS` a row is marked failed and logged.
use std::sync::Arc;
use std::time::Duration;

use app::db::{Db, Timestamp};
use app::outbox::repo::{self, OutboxItem};
use app::outbox::{KIND_MAIL, KIND_WEBHOOK, OutgoingMail};
use chrono::TimeDelta;

use crate::mail::MailSender;
use crate::webhooks::WebhookSender;

/// How long a claimed row stays with its worker before another may take it over.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);
pub const MAX_ATTEMPTS: i32 = 12;
/// A batch starts no new delivery after this long. One delivery takes at most the SMTP or
/// webhook timeout (15 s), so every delivery ends well inside [`LEASE`].
pub const SEND_WINDOW: Duration = Duration::from_secs(120);
const BATCH: i64 = 20;
const POLL: Duration = Duration::from_secs(2);

/// 30 s, 1 min, 2 min, … at most an hour between tries.
pub fn backoff(attempts_so_far: i32) -> TimeDelta {
    let seconds = 30i64.saturating_mul(1i64 << attempts_so_far.clamp(0, 7));
    TimeDelta::seconds(seconds.min(3600))
}

#[derive(Clone)]
pub struct OutboxWorker {
    pub db: Db,
    pub mail: Arc<MailSender>,
    pub webhooks: Arc<WebhookSender>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Claimed but given back unsent (the batch ran out of time).
    pub released: usize,
}

impl OutboxWorker {
    /// A worker with the senders `config` asks for.
    pub fn from_config(db: Db, config: &crate::config::Config) -> Result<OutboxWorker, String> {
        Ok(OutboxWorker {
            db,
            mail: Arc::new(MailSender::from_config(config)?),
            webhooks: Arc::new(WebhookSender::from_config(config)?),
        })
    }

    /// Delivers what is due at `now`.
    pub async fn run_once(&self, now: Timestamp) -> Result<RunReport, sqlx::Error> {
        let mut report = RunReport::default();
        // Mails wait in the outbox while there is no way to send them (no SMTP_URL outside
        // the demo): never written where someone could read them.
        let skip = self.mail.holds().then_some(KIND_MAIL);
        let claimed = repo::claim_due_except(&self.db, now, LEASE, BATCH, skip).await?;
        let started = std::time::Instant::now();
        for (index, item) in claimed.iter().enumerate() {
            // Start no delivery that could end after the lease: the rest go back, due at
            // once, so no other worker can take a row this one is still sending.
            if started.elapsed() > SEND_WINDOW {
                repo::release(&self.db, &claimed[index..]).await?;
                report.released = claimed.len() - index;
                break;
            }
            match self.deliver(item).await {
                Ok(()) => {
                    if repo::mark_sent(&self.db, item, Timestamp::now()).await? {
                        metrics::counter!("portal_outbox_sent_total", "kind" => item.kind.clone())
                            .increment(1);
                        report.sent += 1;
                    } else {
                        tracing::warn!(
                            outbox_id = item.id,
                            "outbox row was sent after its lease ran out; another worker had taken it over"
                        );
                    }
                }
                Err(error) if item.attempts + 1 >= MAX_ATTEMPTS => {
                    tracing::error!(outbox_id = item.id, kind = %item.kind, %error, "giving up on outbox item");
                    repo::mark_attempt_failed(&self.db, item, &error, None).await?;
                    metrics::counter!("portal_outbox_failures_total", "kind" => item.kind.clone(), "outcome" => "gave_up")
                        .increment(1);
                    report.failed += 1;
                }
                Err(error) => {
                    let retry_at = now + backoff(item.attempts);
                    tracing::warn!(outbox_id = item.id, kind = %item.kind, %error, attempts = item.attempts + 1, "outbox delivery failed; will retry");
                    repo::mark_attempt_failed(&self.db, item, &error, Some(retry_at)).await?;
                    metrics::counter!("portal_outbox_failures_total", "kind" => item.kind.clone(), "outcome" => "retry")
                        .increment(1);
                    report.retried += 1;
                }
            }
        }
        Ok(report)
    }

    async fn deliver(&self, item: &OutboxItem) -> Result<(), String> {
        match item.kind.as_str() {
            KIND_MAIL => {
                let mail: OutgoingMail = serde_json::from_str(&item.payload)
                    .map_err(|e| format!("unreadable mail payload: {e}"))?;
                self.mail.send(&mail).await
            }
            KIND_WEBHOOK => self.webhooks.send(&item.payload).await,
            other => Err(format!("no sender for outbox kind \"{other}\"")),
        }
    }

    /// Runs until the task is aborted (at shutdown). After a round that sent something it
    /// looks again at once: the next event of a subject becomes due only when the one
    /// before it is sent.
    pub async fn run(self) {
        loop {
            let busy = match self.run_once(Timestamp::now()).await {
                Ok(report) => {
                    ran("outbox");
                    report.sent > 0
                }
                Err(err) => {
                    tracing::warn!(error = %err, "outbox worker could not reach the database");
                    false
                }
            };
            if !busy {
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

pub use crate::config::Retention;

/// Records that background job `job` just finished a round: /metrics shows how long ago
/// (a job that stopped running shows a growing lag).
pub fn ran(job: &'static str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    metrics::gauge!("portal_job_last_run_timestamp_seconds", "job" => job).set(now);
}

/// How often the clean-up runs (in one of the processes).
pub const HOUSEKEEPING_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Hourly clean-up of records that only matter for a while, by whichever process takes
/// the hour's turn (`limits::take_turn`).
/// `mail_files`: where the demo's mail viewer finds its `.eml` files (when mails are
/// written there); they hold reset links too.
pub async fn housekeeping(
    db: app::db::Db,
    retention: Retention,
    audit_key: app::audit::chain::AuditKey,
    mail_files: Option<std::path::PathBuf>,
) {
    // Every process looks every five minutes; one of them gets the hour's round.
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        tick.tick().await;
        let now = app::db::Timestamp::now();
        match app::limits::take_turn(&db, "housekeeping", HOUSEKEEPING_EVERY, now).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(%error, "housekeeping: cannot reach the database; trying again later");
                continue;
            }
        }
        housekeeping_once(&db, &audit_key, now, &retention).await;
        ran("housekeeping");
        if let Some(dir) = &mail_files
            && let Ok(kept) = retention.mail_files.to_std()
        {
            let before = std::time::SystemTime::now() - kept;
            report_purge::<std::convert::Infallible>(
                "mail files",
                Ok(purge_mail_files(dir, before)),
            );
        }
    }
}

/// Removes `.eml` files in `dir` last written before `before`; how many.
pub fn purge_mail_files(dir: &std::path::Path, before: std::time::SystemTime) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for path in entries.flatten().map(|e| e.path()) {
        let old = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .is_ok_and(|at| at < before);
        if old
            && path.extension().is_some_and(|e| e == "eml")
            && std::fs::remove_file(&path).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// One round of clean-up as of `now`. Returns how many rows went.
pub async fn housekeeping_once(
    db: &app::db::Db,
    audit_key: &app::audit::chain::AuditKey,
    now: app::db::Timestamp,
    retention: &Retention,
) -> u64 {
    report_purge(
        "rate-limit counts past their window",
        app::limits::purge(db, now).await,
    ) + report_purge(
        "idempotency keys",
        app::apikeys::repo::purge_idempotency_keys(db, now - retention.idempotency_keys).await,
    ) + report_purge(
        "login attempts",
        app::accounts::repo::purge_login_attempts(db, now - retention.login_attempts).await,
    ) + report_purge(
        "account links (used or expired)",
        app::accounts::repo::purge_tokens(db, now - retention.used_links).await,
    ) + report_purge(
        "company invitations (accepted, withdrawn or expired)",
        app::companies::repo::purge_invitations(db, now - retention.used_links).await,
    ) + report_purge(
        "card and receipt claim records",
        app::loyalty::repo::purge_claims(db, now - retention.claim_attempts).await,
    ) + report_purge(
        "sent outbox rows",
        app::outbox::repo::purge_finished(db, now - retention.outbox).await,
    ) + report_purge(
        "photos of settled returns",
        app::returns::photo_repo::purge_of_settled(db, now - retention.return_photos).await,
    ) + report_purge(
        "data exports past their download period",
        app::privacy::export::service::expire(db, now).await,
    ) + report_purge(
        "customers at the end of their cooling-off period (erased)",
        app::privacy::erasure::service::run_due(db, now).await,
    ) + report_purge(
        "anonymised orders past their fiscal retention",
        app::privacy::erasure::service::purge_kept(db, now).await,
    ) + report_purge(
        "guests' advice past its period",
        app::advisor::repo::purge_expired(db, now).await,
    ) + report_purge(
        "advisor events past two years",
        app::advisor::repo::purge_events(
            db,
            now - chrono::TimeDelta::days(app::advisor::insights::EVENTS_DAYS),
        )
        .await,
    ) + report_purge(
        "audit rows past their retention (the chain now starts after them)",
        app::audit::service::remove_older_than(db, audit_key, now - retention.audit).await,
    )
}

fn report_purge<E: std::fmt::Debug>(what: &str, result: Result<u64, E>) -> u64 {
    match result {
        Ok(0) => 0,
        Ok(n) => {
            tracing::info!(count = n, "housekeeping: {what}");
            n
        }
        Err(err) => {
            tracing::warn!(error = ?err, "cannot remove old {what}");
            0
        }
    }
}

/// How often the export builder looks for a requested "Download my data".
pub const EXPORTS_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Builds requested data exports one after the other (the ZIP, then the customer's mail).
/// Safe with several server processes: each export is claimed before it is built.
pub async fn data_exports(db: app::db::Db, mail: app::accounts::mails::MailContext) {
    loop {
        match app::privacy::export::service::build_next(&db, &mail, app::db::Timestamp::now()).await
        {
            // Built one: look for the next at once.
            Ok(Some(_)) => {
                ran("data_exports");
                continue;
            }
            Ok(None) => ran("data_exports"),
            // Logged where it happened; the export is tried again later.
            Err(_) => {}
        }
        tokio::time::sleep(EXPORTS_EVERY).await;
    }
}

/// How often the help-session check looks for help in a customer's account that is over
/// without "Stop helping".
pub const HELP_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Ends help sessions whose time (or the customer's permission) ran out before the agent
/// pressed "Stop helping": the customer still gets the mail saying who helped and what was
/// changed. Every minute; safe with several server processes.
pub async fn help_sessions(
    db: app::db::Db,
    key: app::audit::chain::AuditKey,
    mail: app::accounts::mails::MailContext,
) {
    let mut tick = tokio::time::interval(HELP_CHECK_EVERY);
    loop {
        tick.tick().await;
        match app::accounts::helping::end_overdue(&db, &key, &mail, app::db::Timestamp::now()).await
        {
            Ok(0) => ran("help_sessions"),
            Ok(n) => {
                ran("help_sessions");
                tracing::info!(sessions = n, "help sessions ended by time")
            }
            Err(err) => {
                tracing::warn!(error = ?err, "help-session check failed; trying again in a minute")
            }
        }
    }
}

/// How often the tracking check looks for late parcels (and parcels that went wrong
/// without a message yet).
pub const TRACKING_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Writes to customers whose parcel is late or went wrong, once per parcel and cause;
/// first right at start, then every minute. Safe with several server processes: the
/// message is recorded under a unique key before it is queued.
pub async fn tracking_checks(db: app::db::Db, mail: app::accounts::mails::MailContext) {
    let mut tick = tokio::time::interval(TRACKING_CHECK_EVERY);
    loop {
        tick.tick().await;
        match app::tracking::service::run_checks(&db, &mail).await {
            Ok(0) => ran("tracking_checks"),
            Ok(n) => {
                ran("tracking_checks");
                tracing::info!(messages = n, "parcel messages queued")
            }
            Err(err) => {
                tracing::warn!(error = ?err, "tracking check failed; trying again in a minute")
            }
        }
    }
}

/// Messages for parcels that just went wrong. A failure here is logged, not returned:
/// the events are stored, and the background check tries the messages again.
pub async fn notify_parcels(
    state: &crate::state::AppState,
    receipt: &app::shipments::service::EventsReceipt,
) {
    if receipt.changed_shipments.is_empty() {
        return;
    }
    if let Err(err) = app::tracking::service::check_parcels(
        &state.db,
        &state.mail_context(),
        &receipt.changed_shipments,
    )
    .await
    {
        tracing::error!(
            ?err,
            "could not check parcels for messages; the background check will"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_mail_files_go_and_others_stay() {
        let dir = tempfile::tempdir().expect("dir");
        for name in ["old.eml", "notes.txt"] {
            std::fs::write(dir.path().join(name), "x").expect("write");
        }
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        std::fs::write(dir.path().join("new.eml"), "x").expect("write");
        assert_eq!(
            purge_mail_files(dir.path(), std::time::SystemTime::UNIX_EPOCH),
            0
        );
        assert_eq!(
            purge_mail_files(dir.path(), later),
            2,
            "both .eml files are older"
        );
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(0), TimeDelta::seconds(30));
        assert_eq!(backoff(1), TimeDelta::seconds(60));
        assert_eq!(backoff(3), TimeDelta::seconds(240));
        assert_eq!(backoff(7), TimeDelta::seconds(3600));
        assert_eq!(backoff(30), TimeDelta::seconds(3600));
    }
}
