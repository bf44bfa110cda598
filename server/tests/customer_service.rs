//! Customer service (issue #20): finding a customer by anything the agent hears, the
//! customer's story, contact notes, and the audit trail of each. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::customer_service::service::{self, NoteForm};
use app::db::Timestamp;

/// The names of the customers a search finds.
async fn names(t: &common::TestDb, q: &str) -> Vec<String> {
    service::search(&t.db, q)
        .await
        .unwrap_or_else(|e| panic!("{q}: {e:?}"))
        .customers
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[tokio::test]
async fn anna_is_found_by_anything_an_agent_may_hear_or_read() {
    let t = common::demo().await;
    for q in [
        "anna",
        "Vries",
        "de vr",
        "ANNA DE VRIES",
        "anna@example.nl",
        " Anna@Example.NL ",
        "06 1234 5678",
        "+31612345678",
        "0031 6 12345678",
        "3572 AS 101",
        "3572as101",
        "3572 AS, 101",
        "WS-240101",
        "ws-240101",
        "2620001000014",
        "AMS9D3F6H1",
        "ams9d3f6h1",
    ] {
        assert_eq!(names(&t, q).await, ["Anna de Vries"], "{q}");
    }
    // Her second address (work, 40-B) counts too.
    assert_eq!(names(&t, "3511 BD 40").await, ["Anna de Vries"]);
    assert!(names(&t, "nobody-here").await.is_empty());
    assert!(names(&t, "Zoë Nobody").await.is_empty());
    // Nothing to look for is a field error, not every customer.
    assert_eq!(
        common::field_codes(service::search(&t.db, "  ").await.expect_err("empty")),
        [("q".to_string(), "required".to_string())]
    );
}

#[tokio::test]
async fn a_changed_name_phone_or_address_is_found_at_once_and_old_rows_are_indexed_at_start() {
    let t = common::demo().await;
    let anna = common::customer_id(&t.db, "C-1001").await;
    let mut tx = t.db.begin().await.expect("tx");
    app::customers::repo::set_contact_details(
        &mut tx,
        anna,
        "Anna Zwanenburg-de Vries",
        Some("+31 6 8765 4321"),
        None,
        app::language::Language::Nl,
        Timestamp::now(),
    )
    .await
    .expect("details");
    tx.commit().await.expect("commit");
    assert_eq!(names(&t, "zwanenburg").await, ["Anna Zwanenburg-de Vries"]);
    assert_eq!(names(&t, "06-87654321").await, ["Anna Zwanenburg-de Vries"]);
    assert!(names(&t, "06 1234 5678").await.is_empty(), "the old number");

    let address = app::customers::PostalAddress {
        name: "Anna Zwanenburg".into(),
        street: "Oudegracht".into(),
        house_number: "7".into(),
        addition: None,
        postcode: "3511 AB".into(),
        city: "Utrecht".into(),
        country: "NL".into(),
    };
    let mut tx = t.db.begin().await.expect("begin");
    let id = app::customers::address_repo::save_address(
        &mut tx,
        anna,
        None,
        &address,
        false,
        false,
        None,
        Timestamp::now(),
    )
    .await
    .expect("save")
    .expect("hers");
    tx.commit().await.expect("commit");
    assert_eq!(names(&t, "3511AB 7").await, ["Anna Zwanenburg-de Vries"]);
    let mut tx = t.db.begin().await.expect("begin");
    assert!(
        app::customers::address_repo::delete_address(&mut tx, anna, id)
            .await
            .expect("delete")
    );
    tx.commit().await.expect("commit");
    assert!(names(&t, "3511AB 7").await.is_empty());

    // A database from before the index: start-up fills it in.
    common::exec(&t.db, "DELETE FROM customer_search").await;
    assert!(names(&t, "zwanenburg").await.is_empty());
    let indexed = app::customers::service::index_unindexed(&t.db)
        .await
        .expect("index");
    assert_eq!(indexed as i64, t.count("customers").await);
    assert_eq!(names(&t, "zwanenburg").await, ["Anna Zwanenburg-de Vries"]);
    assert_eq!(
        app::customers::service::index_unindexed(&t.db)
            .await
            .expect("again"),
        0
    );
}

#[tokio::test]
async fn many_matches_are_capped_and_say_so() {
    let t = common::demo().await;
    let mut tx = t.db.begin().await.expect("tx");
    for i in 0..25 {
        app::customers::repo::upsert(
            &mut tx,
            &format!("C-JAN-{i}"),
            &app::customers::repo::CustomerFields {
                name: &format!("Jan Jansen {i}"),
                email: None,
                email_normalized: None,
                phone: None,
                language: app::language::Language::Nl,
                loyalty_card: None,
            },
            Timestamp::now(),
        )
        .await
        .expect("customer");
    }
    tx.commit().await.expect("commit");
    let found = service::search(&t.db, "jansen").await.expect("search");
    assert_eq!(found.customers.len(), app::customer_service::SHOWN);
    assert!(found.more);
    let narrowed = service::search(&t.db, "jan jansen 17")
        .await
        .expect("search");
    assert_eq!(
        narrowed
            .customers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Jan Jansen 17"]
    );
    assert!(!narrowed.more);
}

#[tokio::test]
async fn an_agent_finds_anna_reads_her_story_and_notes_the_call_all_in_the_trail() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let anna = common::customer_id(&t.db, "C-1001").await;
    let agent =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;

    let (status, body) = common::ask_as(
        &router,
        http::Method::GET,
        "/api/fn/find_customers?q=06%201234%205678",
        &agent,
        &[],
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    assert!(body.contains("Anna de Vries"), "{body}");

    // She asked to cancel part of her newest order: her story shows the request.
    let anna_user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna")
        .id;
    app::cancellations::service::request_cancellation(
        &t.db,
        anna_user,
        Some(anna),
        "WS-240350",
        app::cancellations::service::CancelForm {
            quantities: vec![(1, "1")],
            reason: "changed_mind",
            note: "",
        },
        None,
    )
    .await
    .expect("requested");
    // And another day for the parcel that could not be delivered.
    let tomorrow = (app::time::clock().1 + chrono::TimeDelta::days(1)).to_string();
    app::tracking::requests::request_change(
        &t.db,
        anna_user,
        Some(anna),
        "WS-240305",
        "SH-240305-1",
        app::tracking::requests::ChangeForm {
            kind: "another_day",
            date: &tomorrow,
            slot: "",
            neighbour: "",
            take_away_old: false,
            note: "",
        },
        None,
    )
    .await
    .expect("asked");

    let story_path = format!("/api/fn/customer_story?id={anna}");
    let (status, body) = common::ask_as(&router, http::Method::GET, &story_path, &agent, &[]).await;
    assert!(status.is_success(), "{status} {body}");
    for expected in [
        "WS-240350",
        "ST-AMS-20261115-0107",
        "anna@example.nl",
        "Biltstraat",
        "\"kind\":\"cancellation\",\"order\":\"WS-240350\",\"status\":\"requested\"",
        "\"kind\":\"delivery_change\",\"order\":\"WS-240305\",\"status\":\"requested\"",
    ] {
        assert!(body.contains(expected), "story lacks {expected}: {body}");
    }

    // A note: refused with every problem named and nothing kept, then kept.
    let anna_text = anna.to_string();
    let (status, body) = common::ask_as(
        &router,
        http::Method::POST,
        "/api/fn/add_contact_note",
        &agent,
        &[
            ("customer", &anna_text),
            ("channel", "fax"),
            ("topic", " "),
            ("outcome", "Told her the parcel comes tomorrow"),
            ("follow_up_on", "2020-01-01"),
        ],
    )
    .await;
    assert_eq!(status, http::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for field in ["channel", "topic", "follow_up_on"] {
        assert!(body.contains(field), "{field} not named: {body}");
    }
    assert_eq!(t.count("contact_notes").await, 0);
    let tomorrow = (app::time::clock().1 + chrono::TimeDelta::days(2)).to_string();
    let (status, body) = common::ask_as(
        &router,
        http::Method::POST,
        "/api/fn/add_contact_note",
        &agent,
        &[
            ("customer", &anna_text),
            ("channel", "phone"),
            ("topic", "Where is my duvet?"),
            ("outcome", "Told her the parcel comes tomorrow"),
            ("follow_up_on", &tomorrow),
        ],
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    let (_, body) = common::ask_as(&router, http::Method::GET, &story_path, &agent, &[]).await;
    assert!(body.contains("Where is my duvet?"), "{body}");
    assert!(body.contains("Youssef Support"), "the author: {body}");

    // Someone nobody knows, and a note for them.
    let (status, _) = common::ask_as(
        &router,
        http::Method::GET,
        "/api/fn/customer_story?id=999999",
        &agent,
        &[],
    )
    .await;
    assert_eq!(status, http::StatusCode::NOT_FOUND);
    let (status, _) = common::ask_as(
        &router,
        http::Method::POST,
        "/api/fn/add_contact_note",
        &agent,
        &[
            ("customer", "999999"),
            ("channel", "phone"),
            ("topic", "x"),
            ("outcome", "x"),
        ],
    )
    .await;
    assert_eq!(status, http::StatusCode::NOT_FOUND);
    assert_eq!(t.count("contact_notes").await, 1);

    // The trail: the search without a customer, each look and the note with Anna (her own
    // cancellation request writes none).
    let rows = app::audit::repo::page(&t.db, 0, 100).await.expect("rows");
    let seen: Vec<(&str, Option<i64>, &str)> = rows
        .iter()
        .map(|r| (r.action.as_str(), r.subject_customer_id, r.role.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("customer.searched", None, "support_agent"),
            ("customer.viewed", Some(anna), "support_agent"),
            ("note.added", Some(anna), "support_agent"),
            ("customer.viewed", Some(anna), "support_agent"),
        ]
    );
    assert!(
        rows[0]
            .details
            .as_deref()
            .is_some_and(|d| d.contains("06 1234 5678"))
    );
    assert!(
        rows[2]
            .details
            .as_deref()
            .is_some_and(|d| d.contains("Where is my duvet?"))
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

    // Anna sees the looks and the note in her access log.
    let log = app::privacy::access_log::of_customer(&t.db, anna)
        .await
        .expect("log");
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["customer.viewed", "note.added", "customer.viewed"]
    );
    assert!(log.iter().all(|e| e.who == "Youssef Support"));

    // And the note in her data export.
    let notes = app::customer_service::repo::export_notes(&t.db, anna, 0, 10)
        .await
        .expect("export");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].channel, "phone");
    assert_eq!(notes[0].staff, "Youssef Support");

    // The story page shows her request.
    let page = common::call(
        &router,
        http::Method::GET,
        &format!("/service/customers/{anna}"),
        &agent,
        &[],
    )
    .await;
    assert!(
        page.body.contains("Cancellation · WS-240350")
            && page.body.contains("Waiting for an answer"),
        "the story page shows the request"
    );
}

#[tokio::test]
async fn a_note_and_its_trail_row_are_kept_together_or_not_at_all() {
    let t = common::demo().await;
    let anna = common::customer_id(&t.db, "C-1001").await;
    let entry = app::audit::service::Entry {
        actor_user_id: Some(
            common::number(
                &t.db,
                "SELECT id FROM users WHERE email = $1",
                "support@slaapwereld.nl",
            )
            .await,
        ),
        actor_label: "Youssef Support".into(),
        role: "support_agent".into(),
        subject_customer_id: None,
        action: String::new(),
        reason: None,
        ticket: None,
        store_code: None,
        ip: "192.0.2.1".into(),
        user_agent: "test".into(),
        details: serde_json::Value::Null,
    };
    let form = NoteForm {
        channel: "chat",
        topic: "Pillow",
        outcome: "Advised the low one",
        follow_up_on: "",
    };
    // Without the trail's head row the append fails: the note must not stay.
    common::exec(&t.db, "DELETE FROM audit_head").await;
    assert!(
        service::add_note(
            &t.db,
            &t.audit_key(),
            entry.clone(),
            anna,
            &form,
            Timestamp::now()
        )
        .await
        .is_err()
    );
    assert_eq!(t.count("contact_notes").await, 0);
}
