//! The audit trail's chain (issue #20): rows are sealed one after the other, the chain
//! checks out, and every kind of tampering is found and named — by the service and by
//! `server audit verify` as an operator runs it. On SQLite and, with TEST_DATABASE_URL,
//! on PostgreSQL.
mod common;

use app::audit::service::{self, Entry};
use app::audit::{Problem, Verified, repo};
use app::db::{Db, Timestamp};

fn entry(action: &str, subject: Option<i64>, details: serde_json::Value) -> Entry {
    Entry {
        actor_user_id: Some(4),
        actor_label: "Sam Jansen (support)".into(),
        role: "support_agent".into(),
        subject_customer_id: subject,
        action: action.into(),
        reason: Some("Klant belt over levering".into()),
        ticket: Some("T-1042".into()),
        store_code: None,
        ip: "192.0.2.10".into(),
        user_agent: "Mozilla/5.0 (test)".into(),
        details,
    }
}

async fn exec(db: &Db, sql: &str) -> Result<u64, sqlx::Error> {
    match db {
        Db::Sqlite(pool) => sqlx::raw_sql(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(pool) => sqlx::raw_sql(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
    }
}

/// What someone with write access to the database could do: the guards against mistakes
/// (the append-only triggers) can be dropped; the seals cannot be forged without the key.
async fn drop_guards(db: &Db) {
    let sql = match db {
        Db::Sqlite(_) => "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_only_redact;",
        Db::Postgres(_) => "DROP TRIGGER audit_log_append_only ON audit_log;",
    };
    exec(db, sql).await.expect("drop the triggers");
}

/// Three rows: a view of customer 1, a change for customer 1, a search.
async fn three_rows(t: &common::TestDb) -> Vec<i64> {
    let key = t.audit_key();
    let mut ids = Vec::new();
    for e in [
        entry(
            "customer.viewed",
            Some(1),
            serde_json::json!({"page": "360"}),
        ),
        entry(
            "address.changed",
            Some(1),
            serde_json::json!({"before": {"street": "Oudegracht 1"}, "after": {"street": "Neude 5"}}),
        ),
        entry(
            "customer.searched",
            None,
            serde_json::json!({"query": "de vries"}),
        ),
    ] {
        ids.push(service::record(&t.db, &key, &e).await.expect("recorded"));
    }
    ids
}

#[tokio::test]
async fn rows_are_chained_and_the_chain_checks_out() {
    let t = common::TestDb::new().await;
    let key = t.audit_key();
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: 0,
            removed: 0
        }
    );
    let ids = three_rows(&t).await;
    assert!(ids.windows(2).all(|w| w[0] < w[1]));

    // A change that is rolled back takes its audit row along, and leaves the chain whole.
    let mut tx = t.db.begin().await.expect("tx");
    service::append(
        &mut tx,
        &key,
        &entry("return.started", Some(1), serde_json::json!({})),
        Timestamp::now(),
    )
    .await
    .expect("appended");
    tx.rollback().await.expect("rolled back");

    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: 3,
            removed: 0
        }
    );
    let rows = repo::page(&t.db, 0, 10).await.expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].prev_hash, "");
    assert_eq!(rows[1].prev_hash, rows[0].hash);
    assert_eq!(rows[2].prev_hash, rows[1].hash);
    assert_eq!(rows[1].ticket.as_deref(), Some("T-1042"));
    assert!(
        rows[1]
            .details
            .as_deref()
            .is_some_and(|d| d.contains("Neude 5"))
    );

    // Another key did not seal these rows.
    let other = app::audit::chain::AuditKey::generate();
    assert_eq!(
        service::newest_sealed_with(&t.db, &key).await.expect("q"),
        Some(true)
    );
    assert_eq!(
        service::newest_sealed_with(&t.db, &other).await.expect("q"),
        Some(false)
    );
    assert!(matches!(
        service::verify(&t.db, &other).await.expect("verify"),
        Verified::Broken { rows_checked: 0, problem: Problem::Changed { row } } if row == ids[0]
    ));
}

#[tokio::test]
async fn rows_cannot_be_changed_or_removed_only_their_details_emptied() {
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    let change = format!(
        "UPDATE audit_log SET reason = 'nothing' WHERE id = {}",
        ids[1]
    );
    assert!(exec(&t.db, &change).await.is_err(), "an edit is refused");
    let remove = format!("DELETE FROM audit_log WHERE id = {}", ids[1]);
    assert!(exec(&t.db, &remove).await.is_err(), "a delete is refused");
    let rewrite = format!(
        "UPDATE audit_log SET details = '{{}}' WHERE id = {}",
        ids[1]
    );
    assert!(
        exec(&t.db, &rewrite).await.is_err(),
        "details can only be emptied"
    );

    // Erasing the customer empties the details of the rows about them; the rows (who, when,
    // why) stay and the chain still checks out.
    let mut tx = t.db.begin().await.expect("tx");
    assert_eq!(repo::redact_subject(&mut tx, 1).await.expect("redacted"), 2);
    tx.commit().await.expect("commit");
    let rows = repo::page(&t.db, 0, 10).await.expect("rows");
    assert_eq!(rows[0].details, None);
    assert_eq!(rows[1].details, None);
    assert!(
        rows[2].details.is_some(),
        "a row about nobody keeps its details"
    );
    assert_eq!(rows[1].reason.as_deref(), Some("Klant belt over levering"));
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Intact {
            rows: 3,
            removed: 0
        }
    );
}

async fn page_text(router: &axum::Router, path: &str, cookie: &str) -> String {
    use tower::ServiceExt;
    let req = http::Request::get(path)
        .header(http::header::HOST, "127.0.0.1:3000")
        .header(http::header::COOKIE, cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    let res = router.clone().oneshot(req).await.expect("response");
    assert!(res.status().is_success(), "{path}: {}", res.status());
    let body = axum::body::to_bytes(res.into_body(), 8 << 20)
        .await
        .expect("body");
    String::from_utf8(body.to_vec()).expect("utf-8")
}

#[tokio::test]
async fn an_edited_row_is_found_and_named() {
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    drop_guards(&t.db).await;
    exec(
        &t.db,
        &format!(
            "UPDATE audit_log SET reason = 'routine check' WHERE id = {}",
            ids[1]
        ),
    )
    .await
    .expect("edited");
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Broken {
            rows_checked: 1,
            problem: Problem::Changed { row: ids[1] }
        }
    );
}

#[tokio::test]
async fn edited_details_are_found() {
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    drop_guards(&t.db).await;
    let sql = format!(
        r#"UPDATE audit_log SET details = '{{"before":{{"street":"Oudegracht 1"}},"after":{{"street":"Oudegracht 1"}}}}' WHERE id = {}"#,
        ids[1]
    );
    exec(&t.db, &sql).await.expect("edited");
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Broken {
            rows_checked: 1,
            problem: Problem::DetailsChanged { row: ids[1] }
        }
    );
}

#[tokio::test]
async fn a_removed_row_in_the_middle_and_at_the_end_are_found() {
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    drop_guards(&t.db).await;
    exec(
        &t.db,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[2]),
    )
    .await
    .expect("deleted");
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Broken {
            rows_checked: 2,
            problem: Problem::EndMissing {
                head_rows: 3,
                found_rows: 2,
                last_row: Some(ids[1])
            }
        }
    );
    exec(
        &t.db,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[0]),
    )
    .await
    .expect("deleted");
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Broken {
            rows_checked: 0,
            problem: Problem::Unlinked {
                row: ids[1],
                after: None
            }
        }
    );
}

#[tokio::test]
async fn a_removed_middle_row_is_named_by_the_row_after_it() {
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    drop_guards(&t.db).await;
    exec(
        &t.db,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[1]),
    )
    .await
    .expect("deleted");
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Broken {
            rows_checked: 1,
            problem: Problem::Unlinked {
                row: ids[2],
                after: Some(ids[0])
            }
        }
    );
}

#[tokio::test]
async fn rows_written_at_the_same_time_still_form_one_chain() {
    let t = common::TestDb::new().await;
    let key = t.audit_key();
    let mut tasks = Vec::new();
    for n in 0..24 {
        let (db, key) = (t.db.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let e = entry(
                "customer.viewed",
                Some(n % 3),
                serde_json::json!({ "n": n }),
            );
            service::record(&db, &key, &e).await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("recorded");
    }
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: 24,
            removed: 0
        }
    );
}

/// `server audit verify` as an operator runs it, against this test's database.
fn verify_command(t: &common::TestDb) -> std::process::Output {
    let dir = tempfile::tempdir().expect("temp dir");
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["audit", "verify"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &t.url)
        .env("DATA_DIR", dir.path())
        .env("AUDIT_KEY", t.audit_key().to_text())
        .output()
        .expect("run server")
}

#[tokio::test]
async fn the_verify_command_says_intact_or_names_the_first_broken_row() {
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    let out = verify_command(&t);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("intact: 3 rows"), "{stdout}");

    drop_guards(&t.db).await;
    exec(
        &t.db,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[1]),
    )
    .await
    .expect("deleted");
    let out = verify_command(&t);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "BROKEN: row {} does not follow row {}",
            ids[2], ids[0]
        )),
        "{stdout}"
    );

    // Without AUDIT_KEY and without a key file there is nothing to check with.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["audit", "verify"])
        .current_dir(dir.path())
        .env_clear()
        .env("DATABASE_URL", &t.url)
        .env("DATA_DIR", dir.path())
        .output()
        .expect("run server");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot read the audit key"), "{stderr}");
}

/// Rows written at `ages` (days before now), oldest first by id; answers their ids.
async fn rows_aged(t: &common::TestDb, ages: &[i64]) -> Vec<i64> {
    let key = t.audit_key();
    let mut ids = Vec::new();
    for (n, days) in ages.iter().enumerate() {
        let mut tx = t.db.begin().await.expect("tx");
        let e = entry("customer.viewed", Some(1), serde_json::json!({ "n": n }));
        let at = Timestamp::now() - chrono::TimeDelta::days(*days);
        ids.push(
            service::append(&mut tx, &key, &e, at)
                .await
                .expect("appended"),
        );
        tx.commit().await.expect("commit");
    }
    ids
}

#[tokio::test]
async fn rows_past_the_retention_period_go_and_the_rest_still_checks_out() {
    let t = common::TestDb::new().await;
    let key = t.audit_key();
    // The third row is old again (a clock set back): it stays, or the chain would have a gap.
    let ids = rows_aged(&t, &[800, 740, 10, 900, 0]).await;
    let retention = server::jobs::Retention::default();
    assert_eq!(retention.audit, chrono::TimeDelta::days(730));
    let removed = server::jobs::housekeeping_once(&t.db, &key, Timestamp::now(), &retention).await;
    assert_eq!(removed, 2);
    assert_eq!(t.count("audit_log").await, 3);
    let kept = repo::page(&t.db, 0, 10).await.expect("rows");
    assert_eq!(kept.iter().map(|r| r.id).collect::<Vec<_>>(), ids[2..]);
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: 3,
            removed: 2
        }
    );
    // Nothing more is due; rows written afterwards chain on as before.
    assert_eq!(
        service::remove_older_than(&t.db, &key, Timestamp::now() - retention.audit)
            .await
            .expect("removed"),
        0
    );
    rows_aged(&t, &[0]).await;
    let out = verify_command(&t);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("intact: 4 rows") && stdout.contains("2 older rows were removed"),
        "{stdout}"
    );

    // A kept row still cannot be deleted; a removed one is gone for good.
    let remove = format!("DELETE FROM audit_log WHERE id = {}", ids[2]);
    assert!(exec(&t.db, &remove).await.is_err(), "a delete is refused");

    // Later every row of today is past it too: all go but the newest (SQLite would give
    // the next row an id before the chain's start otherwise), and the chain is whole.
    let later = Timestamp::now() + chrono::TimeDelta::days(731);
    assert_eq!(
        service::remove_older_than(&t.db, &key, later - retention.audit)
            .await
            .expect("removed"),
        3
    );
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: 1,
            removed: 5
        }
    );
    let newer = rows_aged(&t, &[0]).await;
    assert!(newer[0] > ids[4]);
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: 2,
            removed: 5
        }
    );
}

#[tokio::test]
async fn rows_removed_from_the_beginning_without_the_key_are_found() {
    let t = common::TestDb::new().await;
    let key = t.audit_key();
    let ids = rows_aged(&t, &[800, 10, 5, 0]).await;
    service::remove_older_than(&t.db, &key, Timestamp::now() - chrono::TimeDelta::days(730))
        .await
        .expect("removed");

    // The first kept row removed: the next one does not follow the sealed start.
    drop_guards(&t.db).await;
    exec(
        &t.db,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[1]),
    )
    .await
    .expect("deleted");
    exec(&t.db, "UPDATE audit_head SET row_count = row_count - 1")
        .await
        .expect("head");
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Broken {
            rows_checked: 0,
            problem: Problem::Unlinked {
                row: ids[2],
                after: Some(ids[0])
            }
        }
    );

    // Moving the start past it as well, without the key: the start's seal no longer holds.
    let kept = repo::page(&t.db, 0, 10).await.expect("rows");
    exec(
        &t.db,
        &format!(
            "UPDATE audit_head SET start_after_id = {}, start_hash = '{}', removed_count = 2",
            ids[1], kept[0].prev_hash
        ),
    )
    .await
    .expect("start moved");
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Broken {
            rows_checked: 0,
            problem: Problem::StartChanged
        }
    );
    let out = verify_command(&t);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("the chain's start was changed"), "{stdout}");

    // Rows cut from the beginning of a chain that never had a start: named as before.
    let t = common::TestDb::new().await;
    let ids = three_rows(&t).await;
    drop_guards(&t.db).await;
    exec(
        &t.db,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[0]),
    )
    .await
    .expect("deleted");
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Broken {
            rows_checked: 0,
            problem: Problem::Unlinked {
                row: ids[1],
                after: None
            }
        }
    );
}

async fn call(
    router: &axum::Router,
    method: http::Method,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> http::StatusCode {
    common::ask_as(router, method, path, cookie, form).await.0
}

#[tokio::test]
async fn staff_actions_are_in_the_trail_with_actor_role_customer_store_and_browser() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna = common::customer_id(&t.db, "C-1001").await;
    let form = app::returns::quote::ReturnForm {
        quantities: vec![(1, "1")],
        reasons: vec![(1, "damaged")],
        method: "store",
        resolution: "refund",
        store: "UTR",
        ..app::returns::quote::ReturnForm::default()
    };
    let (_, ret) = common::anna_starts_return(&t, "ST-AMS-20261115-0107", &form).await;

    // Store staff look up purchases and open Anna's return at the desk.
    let staff =
        common::login_cookie(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let path = "/api/fn/desk_find?q=anna%40example.nl".to_string();
    assert!(
        call(&router, http::Method::GET, &path, &staff, &[])
            .await
            .is_success()
    );
    let path = format!("/api/fn/desk_return?code={}", ret.code);
    assert!(
        call(&router, http::Method::GET, &path, &staff, &[])
            .await
            .is_success()
    );

    // The admin changes a tracking sentence.
    let admin =
        common::login_cookie(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;
    let status = call(
        &router,
        http::Method::POST,
        "/api/fn/save_tracking_texts",
        &admin,
        &[
            ("status", "delivered"),
            ("text_nl", "Bezorgd, veel slaapplezier!"),
            ("text_en", ""),
        ],
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");

    let rows = repo::page(&t.db, 0, 100).await.expect("rows");
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "purchases.searched",
            "return.viewed",
            "settings.tracking_text_changed"
        ]
    );
    let search = &rows[0];
    assert_eq!(search.role, "store_staff");
    assert_eq!(search.store_code.as_deref(), Some("UTR"));
    assert_eq!(
        search.subject_customer_id,
        Some(anna),
        "her purchases were shown: the search is in her access log"
    );
    assert!(
        search
            .details
            .as_deref()
            .is_some_and(|d| d.contains("anna@example.nl"))
    );
    let viewed = &rows[1];
    assert_eq!(
        viewed.subject_customer_id,
        Some(anna),
        "the customer whose return it is"
    );
    assert_eq!(viewed.user_agent, common::TEST_BROWSER);
    assert!(!viewed.ip.is_empty());
    assert!(viewed.actor_user_id.is_some() && !viewed.actor_label.is_empty());
    let changed = &rows[2];
    assert_eq!(changed.role, "admin");
    assert_eq!(changed.subject_customer_id, None);
    assert!(
        changed
            .details
            .as_deref()
            .is_some_and(|d| d.contains("veel slaapplezier"))
    );
    assert_eq!(
        service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        Verified::Intact {
            rows: 3,
            removed: 0
        }
    );
    // Anna sees on her privacy page who looked at her return, where, and when; not the
    // searches or settings that were not about her, and not the staff member's address.
    let cookie = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let page = page_text(&router, "/account/privacy", &cookie).await;
    let log = page
        .split("id=\"access-log\"")
        .nth(1)
        .expect("an access log section")
        .split("</section>")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(log.contains("Sanne Winkel (winkelmedewerker, "), "{log}");
    assert!(
        log.contains(&format!("Bekeek je retour {}", ret.code)),
        "{log}"
    );
    assert!(
        !log.contains("tracking") && !log.contains("anna@example.nl"),
        "{log}"
    );
    assert!(
        !log.contains(&viewed.ip) && !log.contains("audit test"),
        "{log}"
    );
}

async fn fetch(
    router: &axum::Router,
    path: &str,
    cookie: Option<&str>,
) -> (http::StatusCode, http::HeaderMap, String) {
    use tower::ServiceExt;
    let mut req = http::Request::get(path)
        .header(http::header::HOST, "127.0.0.1:3000")
        .header(http::header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        req = req.header(http::header::COOKIE, cookie);
    }
    let res = router
        .clone()
        .oneshot(req.body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let body = axum::body::to_bytes(res.into_body(), 8 << 20)
        .await
        .expect("body");
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_admin_searches_pages_and_downloads_the_trail_and_that_is_recorded_too() {
    let t = common::demo().await;
    let key = t.audit_key();
    let anna = common::customer_id(&t.db, "C-1001").await;
    // 60 rows: views of Anna's data by Sam, then one search by Sanne.
    for n in 0..60 {
        let mut e = entry("customer.viewed", Some(anna), serde_json::json!({ "n": n }));
        e.actor_label = "Sam Jansen".into();
        service::record(&t.db, &key, &e).await.expect("recorded");
    }
    let mut e = entry(
        "purchases.searched",
        None,
        serde_json::json!({ "query": "50%_off" }),
    );
    e.actor_label = "Sanne Winkel".into();
    e.role = "store_staff".into();
    service::record(&t.db, &key, &e).await.expect("recorded");

    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let admin =
        common::login_cookie(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;

    // Newest first, 50 to a page, and where the next page starts.
    let (status, _, body) = fetch(&router, "/api/fn/audit_search", Some(&admin)).await;
    assert_eq!(status, http::StatusCode::OK, "{body}");
    let page: app::staff::AuditPage = serde_json::from_str(&body).expect("json");
    assert_eq!(page.lines.len(), 50);
    assert_eq!(page.lines[0].who, "Sanne Winkel");
    assert_eq!(page.lines[1].customer.as_deref(), Some("C-1001"));
    let older = page.older.expect("an older page");
    let (_, _, body) = fetch(
        &router,
        &format!("/api/fn/audit_search?before={older}"),
        Some(&admin),
    )
    .await;
    let rest: app::staff::AuditPage = serde_json::from_str(&body).expect("json");
    assert_eq!(
        rest.lines.len(),
        11,
        "61 rows in all (the first read is the 62nd, newer)"
    );
    assert_eq!(rest.older, None);

    // By name (part of it, any case), by customer number, by the start of an action.
    let (_, _, body) = fetch(&router, "/api/fn/audit_search?who=sanne%20w", Some(&admin)).await;
    let found: app::staff::AuditPage = serde_json::from_str(&body).expect("json");
    assert_eq!(found.lines.len(), 1);
    assert_eq!(found.lines[0].role, "store_staff");
    let (_, _, body) = fetch(
        &router,
        "/api/fn/audit_search?customer=C-1001&action=customer.",
        Some(&admin),
    )
    .await;
    let found: app::staff::AuditPage = serde_json::from_str(&body).expect("json");
    assert_eq!((found.lines.len(), found.older.is_some()), (50, true));
    let (_, _, body) = fetch(
        &router,
        "/api/fn/audit_search?customer=C-9999",
        Some(&admin),
    )
    .await;
    let found: app::staff::AuditPage = serde_json::from_str(&body).expect("json");
    assert!(
        found.lines.is_empty(),
        "an unknown customer number finds nothing"
    );
    // `%` and `_` are letters in a search, not wildcards.
    let (_, _, body) = fetch(&router, "/api/fn/audit_search?who=%25", Some(&admin)).await;
    let found: app::staff::AuditPage = serde_json::from_str(&body).expect("json");
    assert!(found.lines.is_empty());

    // A date that is not one, and a range that ends before it starts.
    let (status, _, body) = fetch(
        &router,
        "/api/fn/audit_search?from=29-11-2026",
        Some(&admin),
    )
    .await;
    assert_eq!(status, http::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("day_format"), "{body}");
    let (status, _, body) = fetch(
        &router,
        "/api/fn/audit_search?from=2026-11-29&to=2026-11-01",
        Some(&admin),
    )
    .await;
    assert_eq!(status, http::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("day_before_from"), "{body}");

    // Today's rows, as CSV.
    let today = app::time::local_date(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string();
    let (status, headers, csv) = fetch(
        &router,
        &format!("/admin/audit.csv?from={today}&to={today}&who=sam"),
        Some(&admin),
    )
    .await;
    assert_eq!(status, http::StatusCode::OK, "{csv}");
    assert!(
        headers[http::header::CONTENT_TYPE]
            .to_str()
            .expect("header text")
            .starts_with("text/csv")
    );
    assert!(
        headers[http::header::CONTENT_DISPOSITION]
            .to_str()
            .expect("header text")
            .contains(&format!("audit-{today}.csv"))
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "id",
            "at",
            "actor_user_id",
            "actor",
            "role",
            "customer",
            "action",
            "reason",
            "ticket",
            "store",
            "ip",
            "user_agent",
            "details",
            "hash"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 60);
    assert_eq!(&records[0][5], "C-1001");
    assert_eq!(&records[0][12], r#"{"n":59}"#);

    // Others: store staff get "not found", nobody logged in is sent to log in.
    let staff =
        common::login_cookie(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    assert_eq!(
        fetch(&router, "/admin/audit.csv", Some(&staff)).await.0,
        http::StatusCode::NOT_FOUND
    );
    assert_eq!(
        fetch(&router, "/api/fn/audit_search", Some(&staff)).await.0,
        http::StatusCode::FORBIDDEN
    );
    let (status, headers, _) = fetch(&router, "/admin/audit.csv", None).await;
    assert!(status.is_redirection());
    assert!(
        headers[http::header::LOCATION]
            .to_str()
            .expect("header text")
            .starts_with("/login?next=")
    );

    // Every read and the download are in the trail, with what was searched; the chain holds.
    let rows: Vec<_> = repo::page(&t.db, 0, 1000)
        .await
        .expect("rows")
        .into_iter()
        .skip(61)
        .collect();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "audit.read").count(),
        6,
        "{actions:?}"
    );
    assert_eq!(actions.last(), Some(&"audit.exported"));
    assert!(
        rows.last()
            .and_then(|r| r.details.as_deref())
            .expect("details")
            .contains(r#""who":"sam""#)
    );
    assert!(rows.iter().all(|r| r.role == "admin"));
    let total = t.count("audit_log").await as u64;
    assert_eq!(
        service::verify(&t.db, &key).await.expect("verify"),
        Verified::Intact {
            rows: total,
            removed: 0
        }
    );

    // The page itself, for a person.
    let (status, _, html) = fetch(&router, "/admin/audit?customer=C-1001", Some(&admin)).await;
    assert_eq!(status, http::StatusCode::OK);
    assert!(
        html.contains("Audittrail")
            && html.contains("Sam Jansen")
            && html.contains("customer.viewed")
    );
    assert!(
        html.contains("/admin/audit.csv?customer=C-1001"),
        "the CSV link keeps the search"
    );
    assert!(
        html.contains("/admin/audit?customer=C-1001&amp;before="),
        "a link to older rows"
    );
}
