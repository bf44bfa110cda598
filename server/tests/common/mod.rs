//! Test support: a fresh, migrated database per test. SQLite (a temporary file) unless
//! `TEST_DATABASE_URL` names a PostgreSQL server, in which case each test gets its own
//! database there, dropped afterwards. `make test` runs the suite both ways.
#![allow(dead_code)]

pub mod smtp;

use std::sync::atomic::{AtomicU32, Ordering};

use app::db::{Db, PoolSettings};
use server::config::Config;
use server::sessions::PortalSessionStore;
use server::state::AppState;
use sqlx::Connection;

pub struct TestDb {
    pub db: Db,
    pub url: String,
    /// DATA_DIR of the state made by `state()` (mails written to disk land here).
    pub data_dir: tempfile::TempDir,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub async fn new() -> TestDb {
        let (url, cleanup) = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!(
                    "portal_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    rand_suffix()
                );
                let mut admin = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                (url.to_string(), Cleanup::Postgres { admin_url, name })
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                (url, Cleanup::Sqlite(dir))
            }
        };
        let db = Db::connect(&url, &PoolSettings::default())
            .await
            .expect("connect");
        db.migrate().await.expect("migrate");
        PortalSessionStore::new(&db)
            .migrate()
            .await
            .expect("session table");
        let data_dir = tempfile::tempdir().expect("data dir");
        TestDb {
            db,
            url,
            data_dir,
            cleanup,
        }
    }

    /// An application state (and so a router) on this database.
    pub fn state(&self) -> AppState {
        self.state_with(|_| {})
    }

    /// The same, with some configuration changed.
    pub fn state_with(&self, change: impl FnOnce(&mut Config)) -> AppState {
        let mut config = Config {
            database_url: self.url.clone(),
            public_url: "http://127.0.0.1:3000".into(),
            data_dir: self.data_dir.path().to_path_buf(),
            ..Config::default()
        };
        change(&mut config);
        let audit_key = server::audit::load_key(&config, true).expect("audit key");
        AppState::new(self.db.clone(), config, audit_key)
    }

    /// The audit key of this test's server (`DATA_DIR/audit.key`, made on first use).
    pub fn audit_key(&self) -> app::audit::chain::AuditKey {
        self.state().audit_key
    }

    /// How many rows a table has (for "a rejected request changed nothing").
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT count(*) FROM {table}");
        let (n,): (i64,) = match &self.db {
            Db::Sqlite(pool) => sqlx::query_as(&sql).fetch_one(pool).await,
            Db::Postgres(pool) => sqlx::query_as(&sql).fetch_one(pool).await,
        }
        .expect("count");
        n
    }
}

/// The browser integration tests present themselves as.
pub const TEST_BROWSER: &str = "Mozilla/5.0 (integration test)";

/// A request as a page's script sends it (form fields, answer as JSON, in English) with a
/// logged-in session's cookie; the status and the body.
pub async fn ask_as(
    router: &axum::Router,
    method: http::Method,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (http::StatusCode, String) {
    let answer = call(router, method, path, cookie, form).await;
    (answer.status, answer.body)
}

/// Runs one statement that answers nothing (a test's own setup); panics on failure.
pub async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .expect(sql);
}

/// What account mails need, as the test server's state has it.
pub fn mail_context() -> app::accounts::mails::MailContext {
    app::accounts::mails::MailContext {
        public_url: "http://127.0.0.1:3000".into(),
        retailer: "Slaapwereld".into(),
        brand_colour: "#1f5f8b".into(),
    }
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; do the async clean-up on a thread of its own.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut admin)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// One number from a query with one text parameter (`$1`).
pub async fn number(db: &Db, sql: &str, param: &str) -> i64 {
    let (n,): (i64,) = match db {
        Db::Sqlite(p) => sqlx::query_as(sql).bind(param).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).bind(param).fetch_one(p).await,
    }
    .unwrap_or_else(|e| panic!("{sql} with {param}: {e}"));
    n
}

/// The id of the customer with this customer number.
pub async fn customer_id(db: &Db, external_id: &str) -> i64 {
    number(
        db,
        "SELECT id FROM customers WHERE external_id = $1",
        external_id,
    )
    .await
}

/// The back office calling the integration API with a key of every scope.
pub struct BackOffice {
    router: axum::Router,
    key: String,
}

impl BackOffice {
    pub async fn new(t: &TestDb) -> BackOffice {
        let scopes: Vec<String> = app::apikeys::SCOPES.iter().map(|s| s.to_string()).collect();
        let key = app::apikeys::service::create(&t.db, "backoffice", &scopes)
            .await
            .expect("key");
        BackOffice {
            router: server::router::build_router(t.state(), PortalSessionStore::new(&t.db)),
            key,
        }
    }

    pub async fn call(
        &self,
        method: http::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (http::StatusCode, serde_json::Value) {
        let req = http::Request::builder()
            .method(method)
            .uri(path)
            .header(http::header::AUTHORIZATION, format!("Bearer {}", self.key))
            .header(http::header::CONTENT_TYPE, "application/json");
        let body = body
            .map(|b| axum::body::Body::from(b.to_string()))
            .unwrap_or_default();
        let res = tower::ServiceExt::oneshot(self.router.clone(), req.body(body).expect("request"))
            .await
            .expect("response");
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }
}

/// A fresh database with the demo world loaded.
pub async fn demo() -> TestDb {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    t
}

/// The (field, code) pairs of a field-error answer; panics on any other answer.
pub fn field_codes(err: app::error::AppError) -> Vec<(String, String)> {
    match err {
        app::error::AppError::Invalid(errors)
        | app::error::AppError::FormInvalid { errors, .. } => {
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// The JSON payloads queued in the outbox of one kind (`mail` or `webhook`), oldest first.
pub async fn outbox_payloads(t: &TestDb, kind: &str) -> Vec<serde_json::Value> {
    let sql = "SELECT payload FROM outbox WHERE kind = $1 ORDER BY id";
    let rows: Vec<(String,)> = match &t.db {
        Db::Sqlite(p) => sqlx::query_as(sql).bind(kind).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).bind(kind).fetch_all(p).await,
    }
    .expect("outbox");
    // A blanked payload (a sent mail, or a row erasure emptied) carries nothing.
    rows.into_iter()
        .filter(|(p,)| !p.is_empty())
        .map(|(p,)| serde_json::from_str(&p).expect("json"))
        .collect()
}

/// Anna (`anna@example.nl`, customer C-1001) starts a return of her order `number` online,
/// as the return form would: the options she saw and the return registered.
pub async fn anna_starts_return(
    t: &TestDb,
    number: &str,
    form: &app::returns::quote::ReturnForm<'_>,
) -> (app::returns::ReturnOptions, app::returns::Return) {
    use app::returns::eligibility::return_options;
    use app::returns::quote::quote;
    use app::returns::service::{Actor, start};
    let customer = Some(customer_id(&t.db, "C-1001").await);
    let user = self::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "anna@example.nl",
    )
    .await;
    let options = return_options(&t.db, customer, number)
        .await
        .expect("options");
    let q = quote(&t.db, &options, form).await.expect("quote");
    let (order_id, order) = app::orders::repo::find(&t.db, number)
        .await
        .expect("q")
        .expect("order");
    let actor = Actor {
        user_id: Some(user),
        role: app::accounts::Role::Customer,
        store_id: None,
    };
    let started = start(&t.db, &mail_context(), actor, order_id, &order, &q, None)
        .await
        .expect("started");
    (options, started)
}

/// Logs in through the login form's server function and returns the session cookie
/// (`portal_session=…`) to send with the next requests. An account with two-step login
/// (the demo's staff) then types the code its app would show (the demo key): the code of
/// the step before, this one or the next, as a code works once and a test may log the same
/// person in more than once within 30 seconds.
pub async fn login_cookie(router: &axum::Router, email: &str, password: &str) -> String {
    let login = call(
        router,
        http::Method::POST,
        "/api/fn/login",
        "",
        &[("email", email), ("password", password)],
    )
    .await;
    if login.cookie.is_empty() {
        panic!("{email} could not log in");
    }
    if login.location.as_deref() != Some("/login/code") {
        return login.cookie;
    }
    let now = chrono::Utc::now().timestamp() as u64;
    for at in [now - 30, now, now + 30] {
        let code = app::accounts::totp::code_at(server::seed::DEMO_TWO_STEP_KEY, at).expect("code");
        let answer = call(
            router,
            http::Method::POST,
            "/api/fn/login_code",
            &login.cookie,
            &[("code", &code)],
        )
        .await;
        if answer.location.is_some() {
            return answer.cookie;
        }
    }
    panic!("{email} could not log in with a code of the demo key")
}

/// An answer to [`call`]: status, body, the session cookie to go on with (a new one from
/// the answer, else the one sent), and where it sends the browser.
pub struct Answer {
    pub status: http::StatusCode,
    pub body: String,
    pub cookie: String,
    pub location: Option<String>,
}

/// Asks as a page's script does (form fields, JSON answers, in English), with `cookie`
/// (may be empty).
pub async fn call(
    router: &axum::Router,
    method: http::Method,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> Answer {
    use tower::ServiceExt;
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut req = http::Request::builder()
        .method(method)
        .uri(path)
        .header(http::header::HOST, "127.0.0.1:3000")
        .header(http::header::ORIGIN, "http://127.0.0.1:3000")
        .header(http::header::USER_AGENT, TEST_BROWSER)
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::ACCEPT_LANGUAGE, "en")
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        );
    if !cookie.is_empty() {
        req = req.header(http::header::COOKIE, cookie);
    }
    let res = router
        .clone()
        .oneshot(req.body(axum::body::Body::from(body)).expect("request"))
        .await
        .expect("answer");
    let status = res.status();
    let new_cookie = res
        .headers()
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string());
    let location = res
        .headers()
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
        .await
        .expect("body");
    Answer {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        cookie: new_cookie.unwrap_or_else(|| cookie.to_string()),
        location,
    }
}

/// Anna (C-1001) turns the newsletter by e-mail on in the portal, from a known address
/// and browser (`192.0.2.7`, `Firefox op de bank`): a consent with its full proof.
pub async fn anna_subscribes_to_the_newsletter(t: &TestDb) {
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    app::privacy::service::change_by_customer(
        &t.db,
        &user.summary(Vec::new()),
        Some(customer_id(&t.db, "C-1001").await),
        &app::privacy::service::PortalChange {
            purpose: "newsletter".into(),
            channel: "email".into(),
            granted: true,
            version: 1,
            language: "nl".into(),
        },
        &app::privacy::service::Origin {
            ip: "192.0.2.7",
            user_agent: Some("Firefox op de bank"),
        },
    )
    .await
    .expect("consent");
}

/// A row of the audit trail, as the tests read it.
#[derive(Debug)]
pub struct TrailRow {
    pub action: String,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub details: String,
}

/// The whole audit trail, oldest first.
pub async fn audit_trail(t: &TestDb) -> Vec<TrailRow> {
    let sql = "SELECT action, reason, ticket, details FROM audit_log ORDER BY id";
    type Row = (String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = match &t.db {
        app::db::Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
        app::db::Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .expect("audit");
    rows.into_iter()
        .map(|(action, reason, ticket, details)| TrailRow {
            action,
            reason,
            ticket,
            details: details.unwrap_or_default(),
        })
        .collect()
}

/// Anna (C-1001) saves advice of the demo's mattress advisor with her account, keeping
/// her weight (`answers` as the session keeps them): its code.
pub async fn anna_saves_advice(t: &TestDb, answers: serde_json::Value) -> String {
    let advisor = app::advisor::service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("the demo's advisor");
    let shelf = app::advisor::service::shelf(&t.db, &advisor.definition)
        .await
        .expect("catalogue");
    let given: app::advisor::engine::Answers = serde_json::from_value(answers).expect("answers");
    app::advisor::service::save(
        &t.db,
        app::advisor::service::ToSave {
            version: &advisor,
            customer_id: Some(customer_id(&t.db, "C-1001").await),
            answers: &given,
            keep_personal: true,
            candidates: &shelf.candidates,
        },
        app::db::Timestamp::now(),
    )
    .await
    .expect("advice saved")
}
