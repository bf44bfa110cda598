//! "Delete my account": the mailed confirmation, the cooling-off period and cancelling it,
//! open orders holding it back, and — once it runs — nothing of the customer left in any
//! table or column but the fiscal fields the law makes the retailer keep, until those go
//! too. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::db::{Db, Timestamp};
use app::language::Language;
use app::privacy::erasure::service;
use chrono::TimeDelta;
use server::router::build_router;
use server::sessions::PortalSessionStore;

const DAYS: i64 = 14;

async fn anna(t: &common::TestDb) -> (app::accounts::UserSummary, i64) {
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    (
        user.summary(Vec::new()),
        common::customer_id(&t.db, "C-1001").await,
    )
}

/// Anna asks and confirms with the token from her mail; the cooling-off period runs.
async fn anna_asks_and_confirms(t: &common::TestDb) {
    let (user, customer) = anna(t).await;
    let mail = common::mail_context();
    let before = common::outbox_payloads(t, "mail").await.len();
    service::request(&t.db, &mail, &user, Some(customer), Language::Nl)
        .await
        .expect("asked");
    let mails = common::outbox_payloads(t, "mail").await;
    assert_eq!(mails.len(), before + 1, "a confirmation mail");
    let text = mails[before]["text"].as_str().expect("text").to_string();
    assert!(
        mails[before]["to"]
            .as_str()
            .expect("to")
            .contains("anna@example.nl")
    );
    let token = text
        .split("/account/privacy/erasure/confirm?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a confirmation link")
        .to_string();

    // Someone else's login cannot use her link.
    let marieke = app::accounts::repo::find_by_email(&t.db, "inkoop@zeeuwsestromen.nl")
        .await
        .expect("q")
        .expect("marieke")
        .summary(Vec::new());
    let marieke_customer = common::customer_id(&t.db, "C-2001").await;
    let err = service::confirm(&t.db, &mail, &marieke, Some(marieke_customer), &token, DAYS)
        .await
        .expect_err("not hers");
    assert_eq!(
        common::field_codes(err),
        vec![("token".into(), "invalid_or_expired".into())]
    );

    service::confirm(&t.db, &mail, &user, Some(customer), &token, DAYS)
        .await
        .expect("confirmed");
    let err = service::confirm(&t.db, &mail, &user, Some(customer), &token, DAYS)
        .await
        .expect_err("a link works once");
    assert_eq!(
        common::field_codes(err),
        vec![("token".into(), "invalid_or_expired".into())]
    );
    let view = service::view(&t.db, &user, Some(customer), DAYS)
        .await
        .expect("view");
    assert_eq!(
        view.status,
        Some(app::privacy::erasure::ErasureStatus::CoolingOff)
    );
    assert!(view.erase_after_local.is_some());
}

/// Every (table, column) holding any of `needles` (case-insensitive), as text.
async fn find_anywhere(db: &Db, needles: &[&str]) -> Vec<String> {
    let columns: Vec<(String, String, String)> =
        match db {
            Db::Sqlite(p) => sqlx::query_as(
                "SELECT m.name, c.name, c.type FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid",
            )
            .fetch_all(p)
            .await,
            Db::Postgres(p) => {
                sqlx::query_as(
                    "SELECT c.table_name::text, c.column_name::text, c.data_type::text \
             FROM information_schema.columns c \
             JOIN information_schema.tables t ON t.table_name = c.table_name \
                  AND t.table_schema = c.table_schema \
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
             ORDER BY c.table_name, c.ordinal_position",
                )
                .fetch_all(p)
                .await
            }
        }
        .expect("columns");
    assert!(columns.len() > 100, "every table and column is searched");
    let mut found = Vec::new();
    for (table, column, kind) in &columns {
        // Binary columns (photos, ZIP parts, session records) are searched as bytes too.
        let as_text = match db {
            Db::Sqlite(_) => format!("CAST(\"{column}\" AS TEXT)"),
            Db::Postgres(_) if kind == "bytea" => format!("encode(\"{column}\", 'escape')"),
            Db::Postgres(_) => format!("\"{column}\"::text"),
        };
        for needle in needles {
            let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE LOWER({as_text}) LIKE $1");
            let pattern = format!("%{}%", needle.to_lowercase());
            let (n,): (i64,) = match db {
                Db::Sqlite(p) => sqlx::query_as(&sql).bind(&pattern).fetch_one(p).await,
                Db::Postgres(p) => sqlx::query_as(&sql).bind(&pattern).fetch_one(p).await,
            }
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
            if n > 0 {
                found.push(format!("{table}.{column}: {needle} ({n})"));
            }
        }
    }
    found
}

#[tokio::test]
async fn after_erasure_nothing_of_her_is_left_but_the_kept_fiscal_fields() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    let needles = [
        "anna@example.nl",
        "Anna de Vries",
        "06 1234 5678",
        "Biltstraat",
        "Vredenburg",
        server::seed::world::ANNA_LOYALTY_CARD,
    ];
    // Her traces in many areas: a log-in, a consent with its proof, a return with a photo
    // and a note, a data export.
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    common::anna_subscribes_to_the_newsletter(&t).await;
    let form = app::returns::quote::ReturnForm {
        quantities: vec![(1, "1")],
        reasons: vec![(1, "damaged")],
        notes: vec![(1, "Groetjes van Anna de Vries, Biltstraat")],
        method: "store",
        resolution: "refund",
        store: "UTR",
        ..app::returns::quote::ReturnForm::default()
    };
    let (_, ret) = common::anna_starts_return(&t, "ST-AMS-20261115-0107", &form).await;
    let picture = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]))
            .write_to(&mut out, image::ImageFormat::Png)
            .expect("png");
        out.into_inner()
    };
    app::returns::photos::add(
        &t.db,
        app::returns::service::Actor {
            user_id: Some(user.id),
            role: app::accounts::Role::Customer,
            store_id: None,
        },
        app::returns::photos::Viewer::Customer(Some(customer)),
        &ret.code,
        1,
        picture,
    )
    .await
    .expect("photo");
    app::privacy::export::service::request(&t.db, &user, Some(customer), Language::Nl)
        .await
        .expect("export");
    app::privacy::export::service::build_next(&t.db, &common::mail_context(), Timestamp::now())
        .await
        .expect("built");
    // A support agent changed her address for her: the audit trail holds before and after.
    let audited = app::audit::service::record(
        &t.db,
        &t.audit_key(),
        &app::audit::service::Entry {
            actor_user_id: None,
            actor_label: "Sam (support)".into(),
            role: "support_agent".into(),
            subject_customer_id: Some(customer),
            action: "address.changed".into(),
            reason: Some("phone call".into()),
            ticket: None,
            store_code: None,
            ip: "192.0.2.10".into(),
            user_agent: "test".into(),
            details: serde_json::json!({"before": "Biltstraat 12", "after": "Vredenburg 40"}),
        },
    )
    .await
    .expect("audited");
    // Two desk searches that showed no one's purchases: one for her card, one for a
    // receipt. Only the one that mentions her loses its details.
    let desk_search = |query: &str| app::audit::service::Entry {
        actor_user_id: None,
        actor_label: "Sanne Winkel".into(),
        role: "store_staff".into(),
        subject_customer_id: None,
        action: "purchases.searched".into(),
        reason: None,
        ticket: None,
        store_code: Some("UTR".into()),
        ip: "192.0.2.11".into(),
        user_agent: "test".into(),
        details: serde_json::json!({ "query": query, "found": 0 }),
    };
    // Customer service noted a call with her.
    let mut agent = desk_search("");
    agent.actor_user_id = Some(
        common::number(
            &t.db,
            "SELECT id FROM users WHERE email = $1",
            "support@slaapwereld.nl",
        )
        .await,
    );
    app::customer_service::service::add_note(
        &t.db,
        &t.audit_key(),
        agent,
        customer,
        &app::customer_service::service::NoteForm {
            channel: "phone",
            topic: "Retour",
            outcome: "Anna de Vries belde: ophalen op de Biltstraat",
            follow_up_on: "",
        },
        Timestamp::now(),
    )
    .await
    .expect("note");
    for query in [server::seed::world::ANNA_LOYALTY_CARD, "RCPT-NOBODY"] {
        app::audit::service::record(&t.db, &t.audit_key(), &desk_search(query))
            .await
            .expect("search audited");
    }
    assert!(
        !find_anywhere(&t.db, &needles).await.is_empty(),
        "she is there before"
    );

    anna_asks_and_confirms(&t).await;
    // What is open holds it back: her orders under way and her return.
    let view = service::view(&t.db, &user, Some(customer), DAYS)
        .await
        .expect("view");
    assert!(!view.open_orders.is_empty() && view.open_returns == vec![ret.code.clone()]);
    let after_cooling_off = Timestamp::now() + TimeDelta::days(DAYS) + TimeDelta::minutes(1);
    assert_eq!(
        service::run_due(&t.db, Timestamp::now())
            .await
            .expect("run"),
        0,
        "cooling off"
    );
    assert_eq!(
        service::run_due(&t.db, after_cooling_off)
            .await
            .expect("run"),
        0,
        "open orders"
    );

    // Advice of the mattress advisor saved with her account, her weight kept.
    common::anna_saves_advice(
        &t,
        serde_json::json!({
            "position": ["back"], "weight": 81, "partner": ["no"], "complaints": ["back"],
            "material": ["any"], "width": ["90"]
        }),
    )
    .await;
    assert_eq!(t.count("advice").await, 1);

    // Everything done: the next run erases her.
    common::exec(&t.db, "UPDATE orders SET status = 'delivered' WHERE status NOT IN ('delivered', 'completed', 'cancelled')").await;
    common::exec(&t.db, "UPDATE returns SET status = 'refunded'").await;
    // Hers, and a guest order placed with her address that was never linked to her.
    let orders_before = common::number(
        &t.db,
        "SELECT COUNT(*) FROM orders WHERE customer_id = (SELECT id FROM customers WHERE external_id = 'C-1001') \
         OR (customer_id IS NULL AND email_normalized = $1)",
        "anna@example.nl",
    )
    .await;
    let proof_before = t.count("consent_events").await;
    // Fourteen days on, the outbox worker has long delivered what was queued.
    common::exec(
        &t.db,
        "UPDATE outbox SET status = 'sent' WHERE status = 'pending'",
    )
    .await;
    assert_eq!(
        service::run_due(&t.db, after_cooling_off)
            .await
            .expect("run"),
        1
    );

    let left = find_anywhere(&t.db, &needles).await;
    assert!(left.is_empty(), "left after erasure:\n{}", left.join("\n"));
    // The audit row stays (who, when, why), without what was seen, and the chain holds.
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM audit_log WHERE id = CAST($1 AS BIGINT)",
            &audited.to_string()
        )
        .await,
        1
    );
    assert_eq!(
        app::audit::service::verify(&t.db, &t.audit_key())
            .await
            .expect("verify"),
        app::audit::Verified::Intact {
            rows: 4,
            removed: 0
        }
    );
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM audit_log WHERE details LIKE $1",
            "%RCPT-NOBODY%"
        )
        .await,
        1,
        "a search that names someone else keeps what was searched"
    );
    assert_eq!(t.count("return_photos").await, 0);
    assert_eq!(t.count("data_exports").await, 0);
    assert_eq!(t.count("advice").await, 0, "her saved advice goes with her");
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM users WHERE email = $1",
            "anna@example.nl"
        )
        .await,
        0
    );

    // The orders the law keeps: nobody's, reduced to the postcode's digits, with a date.
    let kept = common::number(
        &t.db,
        "SELECT COUNT(*) FROM orders WHERE anonymised_at IS NOT NULL AND customer_id IS NULL \
         AND retain_until IS NOT NULL AND email IS NULL AND $1 <> ''",
        "x",
    )
    .await;
    assert_eq!(kept, orders_before);
    assert!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM orders WHERE delivery_address = $1",
            r#"{"country":"NL","postcode":"3572"}"#,
        )
        .await
            > 0
    );
    // The proof of consent keeps purpose and time.
    assert_eq!(t.count("consent_events").await, proof_before);
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM consent_events WHERE ip IS NOT NULL AND ip = $1",
            "192.0.2.7"
        )
        .await,
        0
    );
    // The back office hears of it, by customer number.
    let hooks = common::outbox_payloads(&t, "webhook").await;
    let done = hooks
        .iter()
        .find(|h| h["type"] == "customer.erasure_completed")
        .expect("customer.erasure_completed");
    assert_eq!(done["data"]["customer"], "C-1001");
    assert_eq!(done["data"]["orders_kept"], orders_before);

    // When the retention ends, the kept orders go too.
    let after_retention = Timestamp::now() + TimeDelta::days(366 * 9);
    assert_eq!(
        service::purge_kept(&t.db, after_retention)
            .await
            .expect("purge") as i64,
        orders_before
    );
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM orders WHERE anonymised_at IS NOT NULL AND $1 <> ''",
            "x"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn cancelled_in_the_cooling_off_period_nothing_is_erased() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    common::exec(&t.db, "UPDATE orders SET status = 'delivered' WHERE status NOT IN ('delivered', 'completed', 'cancelled')").await;
    anna_asks_and_confirms(&t).await;
    service::cancel(&t.db, Some(customer))
        .await
        .expect("cancelled");
    service::cancel(&t.db, Some(customer))
        .await
        .expect("cancelling twice is no error");
    let later = Timestamp::now() + TimeDelta::days(DAYS + 1);
    assert_eq!(service::run_due(&t.db, later).await.expect("run"), 0);
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM users WHERE email = $1",
            "anna@example.nl"
        )
        .await,
        1
    );
    let view = service::view(&t.db, &user, Some(customer), DAYS)
        .await
        .expect("view");
    assert_eq!(
        view.status,
        Some(app::privacy::erasure::ErasureStatus::Cancelled)
    );
    // Asking again is possible after a cancel.
    anna_asks_and_confirms(&t).await;
}
