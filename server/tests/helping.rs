//! Acting for a customer (issue #20): the customer decides on their privacy page; a support
//! agent helps in their account only while that lasts, with a reason, looking only or (when
//! she allows it) also making changes; every look and change is in the customer's access
//! log, with both identities, and the customer gets a mail afterwards listing the changes.
//! On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use common::call;
use http::{Method, StatusCode};

/// Each of these server functions is refused to the agent helping (`ReadOnlyWhileHelping`).
async fn refused_while_helping(
    router: &axum::Router,
    agent: &str,
    calls: &[(&str, Vec<(&str, &str)>)],
) {
    for (function, form) in calls {
        let answer = call(
            router,
            Method::POST,
            &format!("/api/fn/{function}"),
            agent,
            form,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{function}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("ReadOnlyWhileHelping"),
            "{function}: {}",
            answer.body
        );
    }
}

/// The customer's choice on her privacy page (`allow`, `length`, `may_change`).
async fn set_help(router: &axum::Router, customer: &str, form: &[(&str, &str)]) -> common::Answer {
    call(router, Method::POST, "/api/fn/set_help", customer, form).await
}

/// The agent starts helping the customer with id `customer`, for `why`.
async fn start_helping(
    router: &axum::Router,
    agent: &str,
    customer: &str,
    why: &str,
    ticket: Option<&str>,
) -> common::Answer {
    let mut form = vec![("customer", customer), ("why", why)];
    if let Some(ticket) = ticket {
        form.push(("ticket", ticket));
    }
    call(router, Method::POST, "/api/fn/start_helping", agent, &form).await
}

/// Anna's return of the duvet of WS-240310, handed in at the Utrecht store.
const RETURN_AT_UTRECHT: &str =
    "quantity[1]=1&reason[1]=changed_mind&method=store&store=UTR&resolution=refund";

#[tokio::test]
async fn an_agent_helps_anna_only_while_she_allows_it_looking_only_and_she_sees_it() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna_id = common::customer_id(&t.db, "C-1001").await.to_string();
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let agent =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;

    // Not allowed (the default): refused, and the story page says so.
    let refused = start_helping(
        &router,
        &agent,
        &anna_id,
        "Retour samen aanmelden",
        Some("T-4711"),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("help_not_allowed"),
        "{}",
        refused.body
    );

    // Anna allows help for an hour, looking only.
    let allowed = set_help(&router, &anna, &[("allow", "true"), ("length", "hour")]).await;
    assert!(
        allowed.status.is_success(),
        "{} {}",
        allowed.status,
        allowed.body
    );
    let privacy = call(
        &router,
        Method::GET,
        "/api/fn/my_privacy?language=en",
        &anna,
        &[],
    )
    .await;
    assert!(
        privacy.body.contains("\"may_change\":false"),
        "{}",
        privacy.body
    );

    // A reason is needed; then the agent works in Anna's account.
    let no_reason = start_helping(&router, &agent, &anna_id, "", Some("T-4711")).await;
    assert!(no_reason.body.contains("\"why\""), "{}", no_reason.body);
    let started = start_helping(
        &router,
        &agent,
        &anna_id,
        "Retour samen aanmelden",
        Some("T-4711"),
    )
    .await;
    assert_eq!(
        started.location.as_deref(),
        Some("/account"),
        "{}",
        started.body
    );
    let agent = started.cookie;
    let me = call(&router, Method::POST, "/api/fn/current_user", &agent, &[]).await;
    assert!(
        me.body.contains("\"customer_name\":\"Anna de Vries\""),
        "{}",
        me.body
    );
    let overview = call(&router, Method::GET, "/api/fn/my_overview", &agent, &[]).await;
    assert!(overview.status.is_success(), "{}", overview.body);
    assert!(
        overview.body.contains("Anna"),
        "her overview: {}",
        overview.body
    );
    // Every page shows whom they are helping.
    let page = call(&router, Method::GET, "/account/orders", &agent, &[]).await;
    assert!(
        page.body.contains("You are helping Anna de Vries"),
        "banner missing"
    );
    // Her receipts too (a download, recorded like a page).
    let receipt = call(
        &router,
        Method::GET,
        "/account/orders/WS-240310/receipt.pdf",
        &agent,
        &[],
    )
    .await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert!(receipt.body.starts_with("%PDF-"), "a PDF");
    assert!(
        common::audit_trail(&t)
            .await
            .iter()
            .any(|r| r.action == "help.viewed" && r.details.contains("receipt.pdf")),
        "the download is in the trail"
    );

    // Looking only: every change, and always her password, e-mail, consents, download,
    // deletion and the permission itself, is refused.
    refused_while_helping(
        &router,
        &agent,
        &[
            (
                "confirm_return",
                vec![("number", "WS-240310"), ("query", RETURN_AT_UTRECHT)],
            ),
            (
                "save_address",
                vec![
                    ("name", "Anna"),
                    ("street", "Nieuwe Gracht"),
                    ("house_number", "1"),
                    ("postcode", "3512 LC"),
                    ("city", "Utrecht"),
                    ("country", "NL"),
                ],
            ),
            (
                "change_password",
                vec![("current_password", "x"), ("new_password", "y")],
            ),
            (
                "change_email",
                vec![("new_email", "agent@example.nl"), ("email_password", "x")],
            ),
            (
                "set_consent",
                vec![
                    ("purpose", "newsletter"),
                    ("channel", "email"),
                    ("granted", "true"),
                    ("version", "1"),
                    ("language", "nl"),
                ],
            ),
            ("request_export", vec![("language", "nl")]),
            ("request_erasure", vec![("language", "nl")]),
            ("set_help", vec![("allow", "false")]),
            (
                "save_details",
                vec![
                    ("name", "X"),
                    ("phone", ""),
                    ("birth_date", ""),
                    ("language", "nl"),
                ],
            ),
        ],
    )
    .await;

    // Anna sees who looked and why.
    let privacy = call(
        &router,
        Method::GET,
        "/api/fn/my_privacy?language=en",
        &anna,
        &[],
    )
    .await;
    assert!(privacy.body.contains("help.viewed"), "{}", privacy.body);
    assert!(privacy.body.contains("Youssef Support"), "{}", privacy.body);
    let trail = common::audit_trail(&t).await;
    let started_row = trail
        .iter()
        .find(|r| r.action == "help.started")
        .expect("started");
    assert_eq!(
        started_row.reason.as_deref(),
        Some("Retour samen aanmelden")
    );
    assert_eq!(started_row.ticket.as_deref(), Some("T-4711"));
    assert!(trail.iter().any(|r| r.action == "help.allowed"));

    // She withdraws: the help ends at the agent's next step.
    let withdrawn = set_help(&router, &anna, &[("allow", "false")]).await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.body);
    let me = call(&router, Method::POST, "/api/fn/current_user", &agent, &[]).await;
    assert!(!me.body.contains("customer_name"), "{}", me.body);
    let overview = call(&router, Method::GET, "/api/fn/my_overview", &agent, &[]).await;
    assert!(
        !overview.body.contains("WS-240350"),
        "no more of hers: {}",
        overview.body
    );

    // Allowed again; this time the agent stops, and Anna gets a mail.
    set_help(&router, &anna, &[("allow", "true"), ("length", "day")]).await;
    let started = start_helping(
        &router,
        &agent,
        &anna_id,
        "Bezorgadres controleren",
        Some("T-4711"),
    )
    .await;
    let stopped = call(
        &router,
        Method::POST,
        "/api/fn/stop_helping",
        &started.cookie,
        &[],
    )
    .await;
    assert_eq!(
        stopped.location.as_deref(),
        Some(format!("/service/customers/{anna_id}").as_str()),
        "{}",
        stopped.body
    );
    let me = call(
        &router,
        Method::POST,
        "/api/fn/current_user",
        &stopped.cookie,
        &[],
    )
    .await;
    assert!(!me.body.contains("customer_name"), "{}", me.body);
    let mails = common::outbox_payloads(&t, "mail").await;
    let mail = mails
        .iter()
        .find(|m| {
            m["to"]
                .as_str()
                .is_some_and(|to| to.contains("anna@example.nl"))
                && m["text"]
                    .as_str()
                    .is_some_and(|x| x.contains("Bezorgadres controleren"))
        })
        .expect("the mail after the help");
    assert!(
        mail["text"]
            .as_str()
            .expect("text")
            .contains("Youssef Support"),
        "{mail}"
    );
    assert!(
        common::audit_trail(&t)
            .await
            .iter()
            .any(|r| r.action == "help.ended")
    );
    let verified = app::audit::service::verify(&t.db, &t.audit_key())
        .await
        .expect("verify");
    assert!(
        matches!(verified, app::audit::Verified::Intact { .. }),
        "{verified:?}"
    );
}

#[tokio::test]
async fn only_staff_start_helping_and_a_customer_without_a_login_cannot_be_helped_in_one() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna_id = common::customer_id(&t.db, "C-1001").await.to_string();
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    set_help(&router, &anna, &[("allow", "true"), ("length", "week")]).await;
    // Anna herself (or any customer) cannot start helping anyone.
    let answer = start_helping(&router, &anna, &anna_id, "x", None).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    let answer = start_helping(&router, "", &anna_id, "x", None).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    // No length: refused next to the field.
    let answer = set_help(&router, &anna, &[("allow", "true")]).await;
    assert!(answer.body.contains("\"length\""), "{}", answer.body);
}

/// One value of a database query, on either database.
async fn one<T>(t: &common::TestDb, sql: &str, bind: i64) -> T
where
    T: Send + Unpin,
    (T,): for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let row: (T,) = match &t.db {
        app::db::Db::Sqlite(p) => sqlx::query_as(sql).bind(bind).fetch_one(p).await,
        app::db::Db::Postgres(p) => sqlx::query_as(sql).bind(bind).fetch_one(p).await,
    }
    .expect(sql);
    row.0
}

#[tokio::test]
async fn when_anna_allows_changes_the_agent_starts_a_return_and_changes_an_address_for_her() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna_customer = common::customer_id(&t.db, "C-1001").await;
    let anna_id = anna_customer.to_string();
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let agent =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let agent_user = app::accounts::repo::find_by_email(&t.db, "support@slaapwereld.nl")
        .await
        .expect("query")
        .expect("the demo agent")
        .id;

    let allowed = set_help(
        &router,
        &anna,
        &[("allow", "true"), ("length", "hour"), ("may_change", "on")],
    )
    .await;
    assert!(allowed.status.is_success(), "{}", allowed.body);
    let started = start_helping(
        &router,
        &agent,
        &anna_id,
        "Dekbed retour aanmelden",
        Some("T-5150"),
    )
    .await;
    assert_eq!(
        started.location.as_deref(),
        Some("/account"),
        "{}",
        started.body
    );
    let agent = started.cookie;
    let banner = call(&router, Method::GET, "/account/orders", &agent, &[]).await;
    assert!(
        banner.body.contains("They allow you to make changes."),
        "banner says changes are allowed"
    );

    // The agent starts the return of the duvet for her.
    let returned = call(
        &router,
        Method::POST,
        "/api/fn/confirm_return",
        &agent,
        &[("number", "WS-240310"), ("query", RETURN_AT_UTRECHT)],
    )
    .await;
    let location = returned.location.clone().unwrap_or_default();
    assert!(
        location.starts_with("/account/returns/R"),
        "{} {}",
        returned.status,
        returned.body
    );
    let code = location
        .trim_start_matches("/account/returns/")
        .split('?')
        .next()
        .expect("code")
        .to_string();
    // The return is hers, started by the agent.
    let (return_id, _, ret) = app::returns::repo::find_by_code(&t.db, &code)
        .await
        .expect("query")
        .expect("the return");
    assert_eq!(ret.order, "WS-240310");
    let started_by: Option<i64> = one(
        &t,
        "SELECT started_by FROM returns WHERE id = $1",
        return_id,
    )
    .await;
    assert_eq!(started_by, Some(agent_user));
    let customer: Option<i64> = one(
        &t,
        "SELECT customer_id FROM returns WHERE id = $1",
        return_id,
    )
    .await;
    assert_eq!(customer, Some(anna_customer));

    // And adds an address.
    let saved = call(
        &router,
        Method::POST,
        "/api/fn/save_address",
        &agent,
        &[
            ("name", "Anna de Vries"),
            ("street", "Nieuwe Gracht"),
            ("house_number", "12"),
            ("postcode", "3512 LC"),
            ("city", "Utrecht"),
            ("country", "NL"),
        ],
    )
    .await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/account/addresses?saved=1"),
        "{} {}",
        saved.status,
        saved.body
    );
    let changed_by: Option<i64> = one(
        &t,
        "SELECT changed_by FROM addresses WHERE customer_id = $1 AND street = 'Nieuwe Gracht'",
        anna_customer,
    )
    .await;
    assert_eq!(changed_by, Some(agent_user));

    // What stays hers, even now: password, e-mail, consents, the permission; and what is
    // not among the changes she allowed (buying again).
    refused_while_helping(
        &router,
        &agent,
        &[
            (
                "change_password",
                vec![("current_password", "x"), ("new_password", "y")],
            ),
            ("set_help", vec![("allow", "false")]),
            ("request_export", vec![("language", "nl")]),
            ("buy_again", vec![("number", "WS-240310")]),
        ],
    )
    .await;

    // Each change is in the trail with both identities and why.
    let trail = common::audit_trail(&t).await;
    let row = trail
        .iter()
        .find(|r| r.action == "return.started")
        .expect("return.started");
    assert_eq!(row.reason.as_deref(), Some("Dekbed retour aanmelden"));
    assert_eq!(row.ticket.as_deref(), Some("T-5150"));
    assert!(
        row.details.contains(&code) && row.details.contains("WS-240310"),
        "{}",
        row.details
    );
    let row = trail
        .iter()
        .find(|r| r.action == "address.added")
        .expect("address.added");
    assert!(
        row.details.contains("Nieuwe Gracht 12, 3512 LC Utrecht"),
        "{}",
        row.details
    );
    let (actor, subject): (Option<i64>, Option<i64>) = {
        let sql = "SELECT actor_user_id, subject_customer_id FROM audit_log \
                   WHERE action = 'return.started'";
        match &t.db {
            app::db::Db::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await,
            app::db::Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
        }
        .expect("row")
    };
    assert_eq!((actor, subject), (Some(agent_user), Some(anna_customer)));

    // Anna sees it in her access log.
    let privacy = call(
        &router,
        Method::GET,
        "/api/fn/my_privacy?language=en",
        &anna,
        &[],
    )
    .await;
    assert!(privacy.body.contains("return.started"), "{}", privacy.body);
    assert!(privacy.body.contains(&code), "{}", privacy.body);

    // The agent stops; her mail lists what was changed.
    let stopped = call(&router, Method::POST, "/api/fn/stop_helping", &agent, &[]).await;
    assert!(stopped.location.is_some(), "{}", stopped.body);
    let mails = common::outbox_payloads(&t, "mail").await;
    let mail = mails
        .iter()
        .find(|m| {
            m["text"]
                .as_str()
                .is_some_and(|x| x.contains("Dekbed retour aanmelden"))
        })
        .expect("the mail after the help");
    let text = mail["text"].as_str().expect("text");
    assert!(text.contains(&code), "{text}");
    assert!(text.contains("Nieuwe Gracht 12, 3512 LC Utrecht"), "{text}");
    assert!(!text.contains("niets gewijzigd"), "{text}");
    let verified = app::audit::service::verify(&t.db, &t.audit_key())
        .await
        .expect("verify");
    assert!(
        matches!(verified, app::audit::Verified::Intact { .. }),
        "{verified:?}"
    );
}

/// The mails to Anna after help with `reason`.
async fn mails_about(t: &common::TestDb, reason: &str) -> Vec<serde_json::Value> {
    common::outbox_payloads(t, "mail")
        .await
        .into_iter()
        .filter(|m| m["text"].as_str().is_some_and(|x| x.contains(reason)))
        .collect()
}

#[tokio::test]
async fn help_that_runs_out_without_stop_still_ends_with_the_mail_once() {
    use app::db::Timestamp;
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna_id = common::customer_id(&t.db, "C-1001").await.to_string();
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let agent =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let (key, mail) = (t.audit_key(), common::mail_context());
    let allowed = set_help(&router, &anna, &[("allow", "true"), ("length", "week")]).await;
    assert!(allowed.status.is_success(), "{}", allowed.body);
    let started = start_helping(&router, &agent, &anna_id, "Levering nabellen", None).await;
    assert_eq!(
        started.location.as_deref(),
        Some("/account"),
        "{}",
        started.body
    );

    // While it lasts, nothing ends.
    let now = Timestamp::now();
    let ended = app::accounts::helping::end_overdue(&t.db, &key, &mail, now)
        .await
        .expect("check");
    assert_eq!(ended, 0);
    // 31 minutes later the job ends it: the trail says so, and Anna gets her mail, once.
    let later = Timestamp(now.0 + chrono::TimeDelta::minutes(31));
    for expected in [1, 0] {
        let ended = app::accounts::helping::end_overdue(&t.db, &key, &mail, later)
            .await
            .expect("check");
        assert_eq!(ended, expected);
    }
    assert_eq!(mails_about(&t, "Levering nabellen").await.len(), 1);
    let trail = common::audit_trail(&t).await;
    let row = trail
        .iter()
        .find(|r| r.action == "help.ended")
        .expect("help.ended");
    assert!(
        row.details.contains("\"ended_by\":\"time\""),
        "{}",
        row.details
    );
    assert_eq!(row.reason.as_deref(), Some("Levering nabellen"));
    // The agent pressing Stop afterwards sends no second mail.
    let stopped = call(
        &router,
        Method::POST,
        "/api/fn/stop_helping",
        &started.cookie,
        &[],
    )
    .await;
    assert!(stopped.location.is_some(), "{}", stopped.body);
    assert_eq!(mails_about(&t, "Levering nabellen").await.len(), 1);

    // Anna withdraws her permission while the agent helps: the job ends it at once.
    let started = start_helping(&router, &stopped.cookie, &anna_id, "Adres nakijken", None).await;
    assert_eq!(
        started.location.as_deref(),
        Some("/account"),
        "{}",
        started.body
    );
    let withdrawn = set_help(&router, &anna, &[("allow", "false")]).await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.body);
    let ended = app::accounts::helping::end_overdue(&t.db, &key, &mail, Timestamp::now())
        .await
        .expect("check");
    assert_eq!(ended, 1);
    assert_eq!(mails_about(&t, "Adres nakijken").await.len(), 1);
    assert!(
        common::audit_trail(&t)
            .await
            .iter()
            .any(|r| r.action == "help.ended" && r.details.contains("\"ended_by\":\"permission\""))
    );
    let verified = app::audit::service::verify(&t.db, &t.audit_key())
        .await
        .expect("verify");
    assert!(
        matches!(verified, app::audit::Verified::Intact { .. }),
        "{verified:?}"
    );
}

/// Sets the end of every help permission to `at` (as if that time has come).
async fn permissions_end_at(t: &common::TestDb, at: app::db::Timestamp) {
    let sql = "UPDATE help_permissions SET expires_at = $1";
    match &t.db {
        app::db::Db::Sqlite(p) => sqlx::query(sql).bind(at).execute(p).await.map(|_| ()),
        app::db::Db::Postgres(p) => sqlx::query(sql).bind(at).execute(p).await.map(|_| ()),
    }
    .expect("update");
}

#[tokio::test]
async fn help_is_refused_after_the_permission_expired_and_ends_when_it_expires() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna_id = common::customer_id(&t.db, "C-1001").await.to_string();
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let agent =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let a_minute_ago = app::db::Timestamp(chrono::Utc::now() - chrono::TimeDelta::minutes(1));
    let allow = || set_help(&router, &anna, &[("allow", "true"), ("length", "hour")]);

    // Allowed for an hour, and the hour has passed: refused.
    assert!(allow().await.status.is_success());
    permissions_end_at(&t, a_minute_ago).await;
    let refused = start_helping(&router, &agent, &anna_id, "Factuur nakijken", None).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("help_not_allowed"),
        "{}",
        refused.body
    );

    // Allowed again; while the agent helps, the permission runs out: the next click is
    // the agent's own account again, and none of hers is shown.
    assert!(allow().await.status.is_success());
    let started = start_helping(&router, &agent, &anna_id, "Factuur nakijken", None).await;
    assert_eq!(
        started.location.as_deref(),
        Some("/account"),
        "{}",
        started.body
    );
    permissions_end_at(&t, a_minute_ago).await;
    let me = call(
        &router,
        Method::POST,
        "/api/fn/current_user",
        &started.cookie,
        &[],
    )
    .await;
    assert!(!me.body.contains("customer_name"), "{}", me.body);
    let overview = call(
        &router,
        Method::GET,
        "/api/fn/my_overview",
        &started.cookie,
        &[],
    )
    .await;
    assert!(
        !overview.body.contains("WS-240350"),
        "no more of hers: {}",
        overview.body
    );
}
