//! Acting for a customer (issue #20): the customer decides on their privacy page; a support
//! agent helps in their account only while that lasts, with a reason, looking only; every
//! look is in the customer's access log, and the customer gets a mail afterwards.
//! On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use common::call;
use http::{Method, StatusCode};

async fn actions(t: &common::TestDb) -> Vec<(String, Option<String>, Option<String>, String)> {
    let sql = "SELECT action, reason, ticket, details FROM audit_log ORDER BY id";
    match &t.db {
        app::db::Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await,
        app::db::Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .expect("audit")
}

#[tokio::test]
async fn an_agent_helps_anna_only_while_she_allows_it_looking_only_and_she_sees_it() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna_id = common::customer_id(&t.db, "C-1001").await.to_string();
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let agent =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let start = |agent: String, reason: &'static str| {
        let anna_id = anna_id.clone();
        let router = router.clone();
        async move {
            call(
                &router,
                Method::POST,
                "/api/fn/start_helping",
                &agent,
                &[
                    ("customer", &anna_id),
                    ("why", reason),
                    ("ticket", "T-4711"),
                ],
            )
            .await
        }
    };

    // Not allowed (the default): refused, and the story page says so.
    let refused = start(agent.clone(), "Retour samen aanmelden").await;
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
    let allowed = call(
        &router,
        Method::POST,
        "/api/fn/set_help",
        &anna,
        &[("allow", "true"), ("length", "hour")],
    )
    .await;
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
    let no_reason = start(agent.clone(), "").await;
    assert!(no_reason.body.contains("\"why\""), "{}", no_reason.body);
    let started = start(agent.clone(), "Retour samen aanmelden").await;
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

    // Looking only: every change, and always her password, e-mail, consents, download,
    // deletion and the permission itself, is refused.
    for (function, form) in [
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
    ] {
        let answer = call(
            &router,
            Method::POST,
            &format!("/api/fn/{function}"),
            &agent,
            &form,
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
    let trail = actions(&t).await;
    let started_row = trail
        .iter()
        .find(|r| r.0 == "help.started")
        .expect("started");
    assert_eq!(started_row.1.as_deref(), Some("Retour samen aanmelden"));
    assert_eq!(started_row.2.as_deref(), Some("T-4711"));
    assert!(trail.iter().any(|r| r.0 == "help.allowed"));

    // She withdraws: the help ends at the agent's next step.
    let withdrawn = call(
        &router,
        Method::POST,
        "/api/fn/set_help",
        &anna,
        &[("allow", "false")],
    )
    .await;
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
    call(
        &router,
        Method::POST,
        "/api/fn/set_help",
        &anna,
        &[("allow", "true"), ("length", "day")],
    )
    .await;
    let started = start(agent.clone(), "Bezorgadres controleren").await;
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
    assert!(actions(&t).await.iter().any(|r| r.0 == "help.ended"));
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
    call(
        &router,
        Method::POST,
        "/api/fn/set_help",
        &anna,
        &[("allow", "true"), ("length", "week")],
    )
    .await;
    // Anna herself (or any customer) cannot start helping anyone.
    let answer = call(
        &router,
        Method::POST,
        "/api/fn/start_helping",
        &anna,
        &[("customer", &anna_id), ("why", "x")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    let answer = call(
        &router,
        Method::POST,
        "/api/fn/start_helping",
        "",
        &[("customer", &anna_id), ("why", "x")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    // No length: refused next to the field.
    let answer = call(
        &router,
        Method::POST,
        "/api/fn/set_help",
        &anna,
        &[("allow", "true")],
    )
    .await;
    assert!(answer.body.contains("\"length\""), "{}", answer.body);
}
