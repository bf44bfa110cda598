//! Several server processes on one database (#23), the fast parts: limits counted once
//! for all processes, webhooks in order per subject whichever worker sends them, a round
//! of housekeeping taken by one process, a database that goes away (503s, `/readyz`, and
//! back by itself), and `/metrics`. Each "process" here is a router (and worker) of its own
//! on the one test database: they share nothing but the database, as real processes do.
//! `make resilience` does the same with real processes, nginx and faults.
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use app::db::{Db, PoolSettings, Timestamp};
use app::outbox::repo;
use axum::body::Body;
use chrono::TimeDelta;
use common::TestDb;
use http::{Request, StatusCode, header};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

async fn send(router: &axum::Router, req: Request<Body>) -> Answer {
    let res = router.clone().oneshot(req).await.expect("answer");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
        .await
        .expect("body");
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn page(path: &str, language: &str) -> Request<Body> {
    Request::get(path)
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_LANGUAGE, language)
        .header(header::USER_AGENT, common::TEST_BROWSER)
        .body(Body::empty())
        .expect("request")
}

fn lookup(order: &str) -> Request<Body> {
    let mut req = Request::get(format!("/api/fn/track_order?order={order}&postcode=1234AB"))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .expect("request");
    let addr: std::net::SocketAddr = "203.0.113.9:40000".parse().expect("address");
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

fn api(key: &str, path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn two_processes_count_one_limit_for_a_client_and_for_an_api_key() {
    let t = common::demo().await;
    let a = build_router(
        t.state_with(|c| c.api_rate_limit_per_minute = 6),
        PortalSessionStore::new(&t.db),
    );
    let b = build_router(
        t.state_with(|c| c.api_rate_limit_per_minute = 6),
        PortalSessionStore::new(&t.db),
    );
    // Ten lookups a minute per client address, the load balancer sending them round robin.
    for i in 0..10 {
        let router = if i % 2 == 0 { &a } else { &b };
        let answer = send(router, lookup(&format!("X{i}"))).await;
        assert!(
            !answer.body.contains("throttled"),
            "lookup {i}: {}",
            answer.body
        );
    }
    for router in [&a, &b] {
        let answer = send(router, lookup("X10")).await;
        assert!(
            answer.body.contains("throttled"),
            "the eleventh is refused by either process: {}",
            answer.body
        );
    }

    // Calls per API key, over both processes: the seventh in a minute is 429.
    let key = app::apikeys::service::create(&t.db, "backoffice", &["orders:read".to_string()])
        .await
        .expect("key");
    for i in 0..6 {
        let router = if i % 2 == 0 { &a } else { &b };
        let answer = send(router, api(&key, "/api/v1/orders/WS-240101")).await;
        assert_ne!(answer.status, StatusCode::TOO_MANY_REQUESTS, "call {i}");
    }
    let refused = send(&b, api(&key, "/api/v1/orders/WS-240101")).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    let wait: u64 = refused
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        refused.body.contains("\"status\":429"),
        "problem+json: {}",
        refused.body
    );
}

#[tokio::test]
async fn limit_counts_slide_and_go_when_they_can_no_longer_count() {
    let t = TestDb::new().await;
    let minute = std::time::Duration::from_secs(60);
    // Aligned to a slot's start, so the arithmetic below is exact.
    let start =
        Timestamp(chrono::DateTime::from_timestamp(1_800_000_000 / 60 * 60, 0).expect("time"));
    let take = |at: Timestamp| app::limits::take(&t.db, "test", "203.0.113.1", 3, minute, at);
    for _ in 0..3 {
        assert_eq!(
            take(start).await.expect("take"),
            app::limits::Verdict::Allowed
        );
    }
    assert_eq!(
        take(start + TimeDelta::seconds(20)).await.expect("take"),
        app::limits::Verdict::RetryAfter(40)
    );
    // Half a minute into the next slot half of the four tries before still count: 2 + 1.
    assert_eq!(
        take(start + TimeDelta::seconds(90)).await.expect("take"),
        app::limits::Verdict::Allowed
    );
    assert!(matches!(
        take(start + TimeDelta::seconds(91)).await.expect("take"),
        app::limits::Verdict::RetryAfter(_)
    ));
    // Another key is counted on its own.
    assert_eq!(
        app::limits::take(&t.db, "test", "203.0.113.2", 3, minute, start)
            .await
            .expect("take"),
        app::limits::Verdict::Allowed
    );
    // Nothing readable is kept: the key is hashed.
    assert_eq!(
        common::number(
            &t.db,
            "SELECT count(*) FROM rate_limit_hits WHERE subject_hash LIKE $1",
            "%203.0.113%"
        )
        .await,
        0
    );
    let gone = app::limits::purge(&t.db, start + TimeDelta::minutes(5))
        .await
        .expect("purge");
    assert_eq!(
        gone, 3,
        "both slots of the first key and the other key's slot"
    );
    assert_eq!(t.count("rate_limit_hits").await, 0);
}

#[tokio::test]
async fn one_process_takes_the_hours_housekeeping() {
    let t = TestDb::new().await;
    let now = Timestamp::now();
    let hour = std::time::Duration::from_secs(3600);
    let (a, b) = tokio::join!(
        app::limits::take_turn(&t.db, "housekeeping", hour, now),
        app::limits::take_turn(&t.db, "housekeeping", hour, now),
    );
    assert_ne!(a.expect("a"), b.expect("b"), "exactly one of two at once");
    let later = now + TimeDelta::minutes(30);
    assert!(
        !app::limits::take_turn(&t.db, "housekeeping", hour, later)
            .await
            .expect("turn")
    );
    let next_hour = now + TimeDelta::minutes(61);
    assert!(
        app::limits::take_turn(&t.db, "housekeeping", hour, next_hour)
            .await
            .expect("turn")
    );
}

async fn event(t: &TestDb, event_type: &str, data: serde_json::Value, now: Timestamp) -> i64 {
    let mut tx = t.db.begin().await.expect("begin");
    let id = repo::enqueue_webhook(&mut tx, event_type, data, now)
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");
    id
}

#[tokio::test]
async fn webhooks_of_one_subject_go_out_in_order_even_when_one_fails_and_two_workers_run() {
    let t = TestDb::new().await;
    let now = Timestamp::now();
    let lease = TimeDelta::minutes(5);
    let anna_1 = event(
        &t,
        "customer.consent_changed",
        serde_json::json!({"customer": "C-1001", "granted": true}),
        now,
    )
    .await;
    let anna_2 = event(
        &t,
        "customer.consent_changed",
        serde_json::json!({"customer": "C-1001", "granted": false}),
        now,
    )
    .await;
    let hotel = event(
        &t,
        "company.member_changed",
        serde_json::json!({"company": "HOTEL-ZS", "customer": "C-2002"}),
        now,
    )
    .await;
    let anna_3 = event(
        &t,
        "customer.erasure_completed",
        serde_json::json!({"customer": "C-1001"}),
        now,
    )
    .await;
    let unnamed = event(&t, "test.ping", serde_json::json!({}), now).await;

    // Two workers at once: each subject's oldest event only, never twice.
    let (w1, w2) = tokio::join!(
        repo::claim_due(&t.db, now, lease, 10),
        repo::claim_due(&t.db, now, lease, 10),
    );
    let mut first: Vec<repo::OutboxItem> = w1.expect("w1");
    first.extend(w2.expect("w2"));
    let mut ids: Vec<i64> = first.iter().map(|i| i.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![anna_1, hotel, unnamed]);

    // Anna's first event fails: her later ones wait for its retry, the others go on.
    let failed = first.iter().find(|i| i.id == anna_1).expect("anna's first");
    repo::mark_attempt_failed(
        &t.db,
        failed,
        "502 from the back office",
        Some(now + TimeDelta::seconds(30)),
    )
    .await
    .expect("failed");
    for item in first.iter().filter(|i| i.id != anna_1) {
        assert!(repo::mark_sent(&t.db, item, now).await.expect("sent"));
    }
    assert!(
        repo::claim_due(&t.db, now, lease, 10)
            .await
            .expect("claim")
            .is_empty(),
        "nothing of Anna's before her first event is sent"
    );
    // Her events go one after the other, in the order they were made.
    let mut sent = Vec::new();
    let mut at = now + TimeDelta::seconds(31);
    loop {
        let claimed = repo::claim_due(&t.db, at, lease, 10).await.expect("claim");
        if claimed.is_empty() {
            break;
        }
        assert_eq!(claimed.len(), 1, "one of a subject at a time");
        assert!(repo::mark_sent(&t.db, &claimed[0], at).await.expect("sent"));
        sent.push(claimed[0].id);
        at = at + TimeDelta::seconds(1);
    }
    assert_eq!(sent, vec![anna_1, anna_2, anna_3]);
}

#[test]
fn an_event_is_about_its_company_else_its_customer_else_its_order() {
    use serde_json::json;
    assert_eq!(
        repo::subject_of(&json!({"company": "HOTEL-ZS", "customer": "C-2002"})).as_deref(),
        Some("company:HOTEL-ZS")
    );
    assert_eq!(
        repo::subject_of(&json!({"customer": "C-1001", "order": "WS-240101"})).as_deref(),
        Some("customer:C-1001")
    );
    assert_eq!(
        repo::subject_of(&json!({"order": "WS-240101", "customer": null})).as_deref(),
        Some("order:WS-240101")
    );
    assert_eq!(repo::subject_of(&json!({"reorder_id": 4})), None);
}

/// A TCP relay in front of the test's database server that can be cut off and put back:
/// the database "going away" and "coming back" without touching the server itself.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(target: String, port: u16) -> Relay {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind relay");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let flag = up.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                if !flag.load(Ordering::SeqCst) {
                    continue;
                }
                let target = target.clone();
                connections.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Relay { port, up, task }
    }

    /// Every connection cut and no new one taken, as when the server stops.
    fn cut(self) -> u16 {
        self.up.store(false, Ordering::SeqCst);
        self.task.abort();
        self.port
    }
}

#[tokio::test]
async fn without_its_database_the_portal_says_so_with_503_and_recovers_by_itself() {
    let t = common::demo().await;
    let Db::Postgres(_) = &t.db else {
        // SQLite is a file inside the process: it cannot go away while the server runs.
        // What can happen is the pool being closed (at shutdown): answered the same way.
        let state = t.state();
        let router = build_router(state.clone(), PortalSessionStore::new(&state.db));
        let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
        state.db.close().await;
        assert_unavailable(&router, &anna).await;
        return;
    };
    let target = {
        let url = url::Url::parse(&t.url).expect("url");
        format!(
            "{}:{}",
            url.host_str().expect("host"),
            url.port().unwrap_or(5432)
        )
    };
    let relay = Relay::start(target.clone(), 0).await;
    let mut url = url::Url::parse(&t.url).expect("url");
    url.set_host(Some("127.0.0.1")).expect("host");
    url.set_port(Some(relay.port)).expect("port");
    let settings = PoolSettings {
        max_connections: 4,
        acquire_timeout: std::time::Duration::from_secs(2),
    };
    let db = Db::connect(url.as_str(), &settings)
        .await
        .expect("connect via relay");
    let state =
        server::state::AppState::new(db.clone(), t.state().config.as_ref().clone(), t.audit_key());
    let router = build_router(state, PortalSessionStore::new(&db));
    assert_eq!(
        send(&router, page("/readyz", "nl")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&router, page("/track", "nl")).await.status,
        StatusCode::OK
    );
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;

    let port = relay.cut();
    assert_unavailable(&router, &anna).await;

    // Back on the same address: the pool makes new connections by itself.
    let relay = Relay::start(target, port).await;
    let mut ready = false;
    for _ in 0..20 {
        if send(&router, page("/readyz", "nl")).await.status == StatusCode::OK {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(ready, "/readyz is 200 again without a restart");
    for path in ["/track", "/login", "/", "/account/orders"] {
        let answer = send(&router, with_cookie(page(path, "nl"), &anna)).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{path} after recovery: {}",
            answer.body
        );
    }
    drop(relay);
}

fn with_cookie(mut req: Request<Body>, cookie: &str) -> Request<Body> {
    req.headers_mut()
        .insert(header::COOKIE, cookie.parse().expect("cookie"));
    req
}

async fn assert_unavailable(router: &axum::Router, cookie: &str) {
    let ready = send(router, page("/readyz", "nl")).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    // A logged-in customer's page: a clear message in their language, 503, never a 500.
    for (language, words) in [
        ("nl", "even niet bereikbaar"),
        ("en", "briefly unavailable"),
    ] {
        let asked = std::time::Instant::now();
        let answer = send(
            router,
            with_cookie(page("/account/orders", language), cookie),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{language}: {}",
            answer.body
        );
        // One wait for a connection (2 s here), not one per part of the page.
        assert!(
            asked.elapsed() < std::time::Duration::from_secs(4),
            "{language}: answered after {:?}",
            asked.elapsed()
        );
        assert!(
            answer.body.to_lowercase().contains(words),
            "{language}: {}",
            answer.body
        );
        assert!(answer.headers.contains_key(header::RETRY_AFTER));
    }
    // The API: problem+json, 503, with Retry-After.
    let call = send(router, api("mp_live_whatever", "/api/v1/orders/WS-240101")).await;
    assert_eq!(
        call.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        call.body
    );
    assert_eq!(
        call.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn metrics_are_for_whoever_has_the_token() {
    let t = common::demo().await;
    let closed = build_router(t.state(), PortalSessionStore::new(&t.db));
    assert_eq!(
        send(&closed, page("/metrics", "nl")).await.status,
        StatusCode::NOT_FOUND,
        "no token configured: no /metrics"
    );
    let token = "metrics-token-for-the-test-0123456789";
    let router = build_router(
        t.state_with(|c| c.metrics_token = Some(token.into())),
        PortalSessionStore::new(&t.db),
    );
    let wrong = send(
        &router,
        Request::get("/metrics")
            .header(header::AUTHORIZATION, "Bearer not-the-token")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.body.contains("portal_"));

    // Something to count: a page, a lookup, a mail waiting.
    send(&router, page("/track", "nl")).await;
    send(&router, lookup("WS-240101")).await;
    let mut tx = t.db.begin().await.expect("begin");
    let mail = app::outbox::OutgoingMail {
        to: "anna@example.nl".into(),
        subject: "Test".into(),
        text: "Test".into(),
        html: "<p>Test</p>".into(),
    };
    repo::enqueue_mail(&mut tx, &mail, Timestamp::now() - TimeDelta::minutes(3))
        .await
        .expect("mail");
    tx.commit().await.expect("commit");

    let scraped = send(
        &router,
        Request::get("/metrics")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(scraped.status, StatusCode::OK);
    let text = scraped.body;
    for expected in [
        "portal_http_requests_total{method=\"GET\",route=\"/track\",status=\"200\"}",
        "portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/track\"",
        "portal_http_requests_total{method=\"GET\",route=\"/api/fn/track_order\"",
        "portal_db_pool_connections{state=\"max\"} 10",
        "portal_outbox_waiting{kind=\"mail\"}",
        "portal_outbox_waiting{kind=\"webhook\"}",
        "portal_outbox_oldest_waiting_seconds{kind=\"mail\"}",
        "portal_outbox_given_up{kind=\"webhook\"} 0",
        "# TYPE portal_http_request_duration_seconds histogram",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let oldest: f64 = text
        .lines()
        .find(|l| l.starts_with("portal_outbox_oldest_waiting_seconds{kind=\"mail\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .expect("a number");
    assert!(
        oldest >= 180.0,
        "the waiting mail is three minutes old: {oldest}"
    );
}
