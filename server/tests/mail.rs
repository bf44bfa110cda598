//! The outbox and mail delivery against a real SMTP server (an in-process SMTP sink), on
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use std::sync::{Arc, Mutex};

use app::db::Timestamp;
use app::outbox::repo;
use app::outbox::{KIND_MAIL, OutgoingMail};
use chrono::TimeDelta;
use common::TestDb;
use server::config::Config;
use server::jobs::{OutboxWorker, RunReport};

/// Collects every message it receives.
#[derive(Clone, Default)]
struct Sink {
    current: Vec<u8>,
    received: Arc<Mutex<Vec<String>>>,
}

impl mailin_embedded::Handler for Sink {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = String::from_utf8_lossy(&std::mem::take(&mut self.current)).into_owned();
        self.received.lock().expect("lock").push(message);
        mailin_embedded::response::OK
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

/// Starts the sink on `port` and returns what it receives.
fn start_sink(port: u16) -> Arc<Mutex<Vec<String>>> {
    let sink = Sink::default();
    let received = sink.received.clone();
    let mut server = mailin_embedded::Server::new(sink);
    server
        .with_name("sink.test")
        .with_addr(("127.0.0.1", port))
        .expect("address");
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    // Wait until it accepts connections.
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    received
}

fn worker(t: &TestDb, port: u16) -> OutboxWorker {
    let config = Config {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: "Slaapwereld <service@slaapwereld.example>".into(),
        data_dir: std::env::temp_dir().join("mijn-portaal-mail-tests"),
        ..Config::default()
    };
    OutboxWorker::from_config(t.db.clone(), &config).expect("senders")
}

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
            retried: 0,
            failed: 0
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
            sent: 0,
            retried: 1,
            failed: 0
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
async fn without_smtp_mails_are_written_as_eml_files() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        smtp_url: None,
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
