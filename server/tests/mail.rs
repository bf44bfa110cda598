//! The outbox and mail delivery against a real SMTP server (an in-process SMTP sink), on
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::db::Timestamp;
use app::outbox::repo;
use app::outbox::{KIND_MAIL, OutgoingMail};
use chrono::TimeDelta;
use common::TestDb;
use server::config::Config;
use server::jobs::{OutboxWorker, RunReport};

use common::smtp::{free_port, start_sink, worker};

fn welcome_mail() -> OutgoingMail {
    OutgoingMail {
        to: "Anna de Vries <anna@example.nl>".into(),
        subject: "Bevestig je e-mailadres".into(),
        text: "Open deze link: http://127.0.0.1:3000/verify?token=abc123".into(),
        html: "<p><a href=\"http://127.0.0.1:3000/verify?token=abc123\">Bevestigen</a></p>".into(),
    }
}

async fn enqueue(t: &TestDb, mail: &OutgoingMail, now: Timestamp) -> i64 {
    let mut tx = t.db.begin().await.expect("begin");
    let id = repo::enqueue(
        &mut tx,
        KIND_MAIL,
        &serde_json::to_string(mail).expect("json"),
        now,
    )
    .await
    .expect("enqueue");
    tx.commit().await.expect("commit");
    id
}

#[tokio::test]
async fn mail_arrives_with_both_parts_and_the_link() {
    let t = TestDb::new().await;
    let port = free_port();
    let received = start_sink(port);
    let now = Timestamp::now();
    let id = enqueue(&t, &welcome_mail(), now).await;

    let report = worker(&t, port).run_once(now).await.expect("run");
    assert_eq!(
        report,
        RunReport {
            sent: 1,
            ..RunReport::default()
        }
    );
    let messages = received.lock().expect("lock").clone();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(
        message.contains("Subject: Bevestig je e-mailadres"),
        "{message}"
    );
    assert!(message.contains("Content-Type: text/plain"), "{message}");
    assert!(message.contains("Content-Type: text/html"), "{message}");
    assert!(message.contains("verify?token=abc123"), "{message}");
    assert_eq!(repo::status(&t.db, id).await.expect("status").0, "sent");
    let blanked = common::number(
        &t.db,
        "SELECT COUNT(*) FROM outbox WHERE payload = '' AND CAST(id AS TEXT) = $1",
        &id.to_string(),
    )
    .await;
    assert_eq!(blanked, 1, "a sent mail's links do not stay in the outbox");
}

#[tokio::test]
async fn smtp_down_keeps_the_mail_and_delivers_it_once_when_back() {
    let t = TestDb::new().await;
    let port = free_port(); // nothing listens here yet
    let worker = worker(&t, port);
    let now = Timestamp::now();
    let id = enqueue(&t, &welcome_mail(), now).await;

    let down = worker.run_once(now).await.expect("run");
    assert_eq!(
        down,
        RunReport {
            retried: 1,
            ..RunReport::default()
        }
    );
    let (status, attempts, error) = repo::status(&t.db, id).await.expect("status");
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.is_some(), "the reason is kept");

    let received = start_sink(port);
    // Not due yet: the backoff is respected.
    assert_eq!(
        worker
            .run_once(now + TimeDelta::seconds(5))
            .await
            .expect("run"),
        RunReport::default()
    );
    let later = now + TimeDelta::seconds(31);
    assert_eq!(worker.run_once(later).await.expect("run").sent, 1);
    assert_eq!(
        worker
            .run_once(later + TimeDelta::hours(2))
            .await
            .expect("run"),
        RunReport::default()
    );
    assert_eq!(
        received.lock().expect("lock").len(),
        1,
        "delivered exactly once"
    );
    assert_eq!(repo::status(&t.db, id).await.expect("status").0, "sent");
}

#[tokio::test]
async fn two_workers_never_claim_the_same_row() {
    let t = TestDb::new().await;
    let now = Timestamp::now();
    for _ in 0..10 {
        enqueue(&t, &welcome_mail(), now).await;
    }
    let (a, b) = tokio::join!(
        repo::claim_due(&t.db, now, TimeDelta::minutes(5), 10),
        repo::claim_due(&t.db, now, TimeDelta::minutes(5), 10),
    );
    let mut ids: Vec<i64> = a
        .expect("a")
        .iter()
        .chain(b.expect("b").iter())
        .map(|i| i.id)
        .collect();
    assert_eq!(ids.len(), 10, "every row claimed once");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 10, "no row claimed twice");
    // Claimed rows stay with their worker until the lease ends.
    assert!(
        repo::claim_due(&t.db, now, TimeDelta::minutes(5), 10)
            .await
            .expect("claim")
            .is_empty()
    );
    let after_lease = now + TimeDelta::minutes(6);
    assert_eq!(
        repo::claim_due(&t.db, after_lease, TimeDelta::minutes(5), 10)
            .await
            .expect("claim")
            .len(),
        10
    );
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_cannot_record_the_row() {
    let t = TestDb::new().await;
    let now = Timestamp::now();
    let id = enqueue(&t, &welcome_mail(), now).await;
    let slow = repo::claim_due(&t.db, now, TimeDelta::minutes(5), 10)
        .await
        .expect("claim");
    let after_lease = now + TimeDelta::minutes(6);
    let taken_over = repo::claim_due(&t.db, after_lease, TimeDelta::minutes(5), 10)
        .await
        .expect("claim");
    assert_eq!((slow.len(), taken_over.len()), (1, 1));
    assert!(
        !repo::mark_sent(&t.db, &slow[0], after_lease)
            .await
            .expect("mark"),
        "the old claim no longer holds"
    );
    repo::mark_attempt_failed(&t.db, &slow[0], "too late", None)
        .await
        .expect("mark");
    assert_eq!(repo::status(&t.db, id).await.expect("status").1, 0);
    assert!(
        repo::mark_sent(&t.db, &taken_over[0], after_lease)
            .await
            .expect("mark")
    );
    let (status, attempts, _) = repo::status(&t.db, id).await.expect("status");
    assert_eq!((status.as_str(), attempts), ("sent", 1));
    assert!(
        !repo::mark_sent(&t.db, &taken_over[0], after_lease)
            .await
            .expect("mark"),
        "sent once"
    );
}

#[tokio::test]
async fn sent_and_failed_rows_are_purged_after_their_time() {
    let t = TestDb::new().await;
    let now = Timestamp::now();
    let sent = enqueue(&t, &welcome_mail(), now).await;
    let waiting = enqueue(&t, &welcome_mail(), now).await;
    let claimed = repo::claim_due(&t.db, now, TimeDelta::minutes(5), 1)
        .await
        .expect("claim");
    assert_eq!(claimed[0].id, sent);
    assert!(
        repo::mark_sent(&t.db, &claimed[0], now)
            .await
            .expect("mark")
    );
    assert_eq!(
        repo::purge_finished(&t.db, now - TimeDelta::seconds(1))
            .await
            .expect("purge"),
        0,
        "not yet"
    );
    assert_eq!(
        repo::purge_finished(&t.db, now + TimeDelta::seconds(1))
            .await
            .expect("purge"),
        1
    );
    assert_eq!(
        repo::status(&t.db, waiting).await.expect("status").0,
        "pending"
    );
}

#[tokio::test]
async fn a_rolled_back_change_sends_nothing() {
    let t = TestDb::new().await;
    let now = Timestamp::now();
    let mut tx = t.db.begin().await.expect("begin");
    repo::enqueue(
        &mut tx,
        KIND_MAIL,
        &serde_json::to_string(&welcome_mail()).expect("json"),
        now,
    )
    .await
    .expect("enqueue");
    drop(tx); // the change that caused the mail failed
    assert!(
        repo::claim_due(&t.db, now, TimeDelta::minutes(5), 10)
            .await
            .expect("claim")
            .is_empty()
    );
}

#[tokio::test]
async fn without_smtp_the_demo_writes_mails_as_eml_files_for_the_viewer() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        smtp_url: None,
        dev_mail: "1".into(),
        ..Config::default()
    };
    let worker = OutboxWorker::from_config(t.db.clone(), &config).expect("senders");
    let now = Timestamp::now();
    enqueue(&t, &welcome_mail(), now).await;
    assert_eq!(worker.run_once(now).await.expect("run").sent, 1);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .expect("mail dir")
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    let content = std::fs::read_to_string(files[0].path()).expect("read");
    assert!(files[0].path().extension().is_some_and(|e| e == "eml"));
    assert!(content.contains("verify?token=abc123"));
}

#[tokio::test]
async fn without_smtp_outside_the_demo_mails_wait_in_the_outbox() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let held = Config {
        data_dir: dir.path().to_path_buf(),
        smtp_url: None,
        ..Config::default()
    };
    let holding = OutboxWorker::from_config(t.db.clone(), &held).expect("senders");
    let now = Timestamp::now();
    let id = enqueue(&t, &welcome_mail(), now).await;
    assert_eq!(
        holding.run_once(now).await.expect("run"),
        RunReport::default()
    );
    assert!(
        !dir.path().join("mail").exists(),
        "nothing written where someone could read the links"
    );
    let (status, attempts, _) = repo::status(&t.db, id).await.expect("status");
    assert_eq!((status.as_str(), attempts), ("pending", 0));

    // Once SMTP_URL is set, the mail goes out.
    let port = free_port();
    let received = start_sink(port);
    assert_eq!(worker(&t, port).run_once(now).await.expect("run").sent, 1);
    assert_eq!(received.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn gives_up_after_the_last_attempt() {
    let t = TestDb::new().await;
    let worker = worker(&t, free_port());
    let mut now = Timestamp::now();
    let id = enqueue(&t, &welcome_mail(), now).await;
    let mut failed = 0;
    for _ in 0..server::jobs::MAX_ATTEMPTS {
        failed += worker.run_once(now).await.expect("run").failed;
        now = now + TimeDelta::hours(2);
    }
    assert_eq!(failed, 1);
    let (status, attempts, _) = repo::status(&t.db, id).await.expect("status");
    assert_eq!(
        (status.as_str(), attempts),
        ("failed", server::jobs::MAX_ATTEMPTS)
    );
}
