//! Returns: the policy per line, starting a return (online and at the desk), the same
//! item never returned twice (also by two requests at once), cancelling, inspection at
//! the store with an audit trail, and the back office's API. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::error::AppError;
use app::returns::desk::{Inspection, inspect};
use app::returns::eligibility::return_options;
use app::returns::quote::{ReturnForm, quote};
use app::returns::service::{Actor, cancel, start};
use app::returns::{Outcome, Resolution, ReturnMethod, ReturnStatus};
use common::{BackOffice, TestDb};
use http::{Method, StatusCode};
use serde_json::json;

fn drop_off<'a>(quantities: &[(i32, &'a str)], reasons: &[(i32, &'a str)]) -> ReturnForm<'a> {
    ReturnForm {
        quantities: quantities.to_vec(),
        reasons: reasons.to_vec(),
        method: "store",
        resolution: "refund",
        store: "UTR",
        ..ReturnForm::default()
    }
}

async fn anna(t: &TestDb) -> (Option<i64>, i64) {
    let customer = Some(common::customer_id(&t.db, "C-1001").await);
    let user = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "anna@example.nl",
    )
    .await;
    (customer, user)
}

#[tokio::test]
async fn the_policy_says_per_line_whether_and_until_when() {
    let t = common::demo().await;
    let (customer, _) = anna(&t).await;
    // WS-240310: the duvet was delivered yesterday, the sheets are still with DHL.
    let options = return_options(&t.db, customer, "WS-240310")
        .await
        .expect("options");
    assert!(options.lines[0].until.is_some() && options.lines[0].blocked.is_none());
    assert_eq!(options.lines[1].blocked.as_deref(), Some("not_received"));
    // Bought in Utrecht 52 days ago: the 30 days have passed, and the page says when.
    let old = return_options(&t.db, customer, "ST-UTR-20261003-0042")
        .await
        .expect("options");
    assert_eq!(old.lines[0].blocked.as_deref(), Some("window_ended"));
    let ended = old.lines[0].ended_on.clone().expect("day it ended");
    let err = quote(&t.db, &old, &drop_off(&[(1, "1")], &[(1, "changed_mind")]))
        .await
        .expect_err("too late");
    assert_eq!(
        common::field_codes(err),
        vec![("quantity[1]".into(), format!("window_ended:{ended}"))]
    );
    // Another customer's order does not exist for her.
    let pieter = Some(common::customer_id(&t.db, "C-1002").await);
    assert!(matches!(
        return_options(&t.db, pieter, "WS-240310").await,
        Err(AppError::NotFound)
    ));
}

#[tokio::test]
async fn a_customer_returns_a_store_purchase_online_and_the_back_office_hears_of_it() {
    let t = common::demo().await;
    let (customer, user) = anna(&t).await;
    let number = "ST-AMS-20261115-0107";
    let options = return_options(&t.db, customer, number)
        .await
        .expect("options");
    let err = quote(&t.db, &options, &drop_off(&[(1, "2")], &[]))
        .await
        .expect_err("bad");
    assert_eq!(
        common::field_codes(err),
        vec![("quantity[1]".into(), "more_than_left".into())]
    );
    let err = quote(
        &t.db,
        &options,
        &ReturnForm {
            store: "",
            ..drop_off(&[(1, "1")], &[])
        },
    )
    .await
    .expect_err("bad");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("reason[1]".into(), "required".into()),
            ("store".into(), "required".into())
        ]
    );
    // By carrier: the return costs €4.95, taken off the refund; no surprises.
    let by_post = ReturnForm {
        method: "carrier",
        store: "",
        ..drop_off(&[(1, "1")], &[(1, "not_as_expected")])
    };
    let q = quote(&t.db, &options, &by_post).await.expect("quote");
    assert_eq!(q.cost, 495);
    assert_eq!(q.refund, options.lines[0].unit_refund - 495);
    assert_eq!(q.refund_to.as_deref(), Some("pin"));

    let (order_id, order) = app::orders::repo::find(&t.db, number)
        .await
        .expect("q")
        .expect("order");
    let actor = Actor {
        user_id: Some(user),
        role: app::accounts::Role::Customer,
        store_id: None,
    };
    let r = start(
        &t.db,
        &common::mail_context(),
        actor,
        order_id,
        &order,
        &q,
        None,
    )
    .await
    .expect("started");
    assert_eq!(
        (r.status, r.method, r.resolution),
        (
            ReturnStatus::Registered,
            ReturnMethod::Carrier,
            Resolution::Refund
        )
    );
    assert!(r.code.starts_with('R') && r.code.len() == 9);
    let hooks = common::outbox_payloads(&t, "webhook").await;
    assert_eq!(hooks[0]["type"], "return.created");
    assert_eq!(hooks[0]["data"]["code"], r.code.as_str());
    let mails = common::outbox_payloads(&t, "mail").await;
    assert!(
        mails
            .iter()
            .any(|m| m["subject"] == format!("Je retour {}", r.code))
    );
    // Nobody else sees it.
    let pieter = Some(common::customer_id(&t.db, "C-1002").await);
    assert!(matches!(
        app::returns::service::my_return(&t.db, pieter, &r.code).await,
        Err(AppError::NotFound)
    ));
    // What is in a return cannot be returned again.
    let again = return_options(&t.db, customer, number)
        .await
        .expect("options");
    assert_eq!(again.lines[0].blocked.as_deref(), Some("all_returned"));

    // Until handed in she can cancel; then the item is free again.
    let cancelled = cancel(&t.db, actor, customer, &r.code, None)
        .await
        .expect("cancelled");
    assert_eq!(cancelled.status, ReturnStatus::Cancelled);
    assert!(
        return_options(&t.db, customer, number)
            .await
            .expect("o")
            .lines[0]
            .blocked
            .is_none()
    );
    let err = cancel(&t.db, actor, customer, &r.code, None)
        .await
        .expect_err("twice");
    assert_eq!(
        common::field_codes(err),
        vec![("return".into(), "not_cancellable".into())]
    );
}

#[tokio::test]
async fn two_returns_of_the_same_item_at_once_cannot_both_succeed() {
    let t = common::demo().await;
    let (customer, user) = anna(&t).await;
    let number = "ST-AMS-20261115-0107";
    let options = return_options(&t.db, customer, number)
        .await
        .expect("options");
    let form = drop_off(&[(2, "1")], &[(2, "changed_mind")]);
    let q = quote(&t.db, &options, &form).await.expect("quote");
    let (order_id, order) = app::orders::repo::find(&t.db, number)
        .await
        .expect("q")
        .expect("order");
    let actor = Actor {
        user_id: Some(user),
        role: app::accounts::Role::Customer,
        store_id: None,
    };
    let mail = common::mail_context();
    let (a, b) = tokio::join!(
        start(&t.db, &mail, actor, order_id, &order, &q, None),
        start(&t.db, &mail, actor, order_id, &order, &q, None),
    );
    let results = [a, b];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let failed = results
        .into_iter()
        .find_map(Result::err)
        .expect("one failed");
    assert_eq!(
        common::field_codes(failed),
        vec![("lines".into(), "already_returned".into())]
    );
    assert_eq!(t.count("returns").await, 1);
    assert_eq!(
        common::outbox_payloads(&t, "webhook").await.len(),
        1,
        "the failed one left nothing behind"
    );
}

#[tokio::test]
async fn store_staff_inspect_a_return_and_every_step_is_recorded() {
    let t = common::demo().await;
    let (customer, user) = anna(&t).await;
    let number = "ST-AMS-20261115-0107";
    let form = drop_off(
        &[(1, "1"), (2, "1")],
        &[(1, "damaged"), (2, "changed_mind")],
    );
    let (options, r) = common::anna_starts_return(&t, number, &form).await;
    let mail = common::mail_context();
    assert_eq!(
        r.refund,
        options.lines[0].unit_refund + options.lines[1].unit_refund
    );

    let staff = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "winkel@slaapwereld.nl",
    )
    .await;
    let utrecht = app::staff::repo::staff_stores(&t.db, staff)
        .await
        .expect("stores")[0];
    let desk = Actor {
        user_id: Some(staff),
        role: app::accounts::Role::StoreStaff,
        store_id: Some(utrecht),
    };
    let err = inspect(
        &t.db,
        &mail,
        desk,
        &r.code,
        &[Inspection {
            line: 1,
            outcome: Outcome::Rejected,
            reason: None,
        }],
        None,
    )
    .await
    .expect_err("reasons needed");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("outcome_reason[1]".into(), "required".into()),
            ("outcome[2]".into(), "required".into())
        ]
    );
    let done = inspect(
        &t.db,
        &mail,
        desk,
        &r.code,
        &[
            Inspection {
                line: 1,
                outcome: Outcome::Rejected,
                reason: Some("Gebruikt en gewassen"),
            },
            Inspection {
                line: 2,
                outcome: Outcome::Accepted,
                reason: None,
            },
        ],
        None,
    )
    .await
    .expect("inspected");
    assert_eq!(done.status, ReturnStatus::Inspected);
    assert_eq!(
        done.handed_in_place.as_deref(),
        Some("Slaapwereld Utrecht"),
        "brought to the Utrecht desk"
    );
    assert_eq!(
        done.refund, options.lines[1].unit_refund,
        "only the accepted line"
    );
    assert_eq!(done.lines[0].outcome, Some(Outcome::Rejected));
    // The rejected piece may be returned again; the accepted one not.
    let after = return_options(&t.db, customer, number).await.expect("o");
    assert!(after.lines[0].blocked.is_none());
    assert_eq!(after.lines[1].blocked.as_deref(), Some("all_returned"));
    // Who, when, where.
    let (id, _, _) = app::returns::repo::find_by_code(&t.db, &r.code)
        .await
        .expect("q")
        .expect("return");
    let steps = app::returns::repo::steps(&t.db, id).await.expect("steps");
    let who = |s: &app::returns::repo::RecordedStep| {
        (s.action.clone(), s.user_id, s.role.clone(), s.store_id)
    };
    let summary: Vec<_> = steps.iter().map(who).collect();
    assert_eq!(
        summary,
        vec![
            (
                "started_online".into(),
                Some(user),
                Some("customer".into()),
                None
            ),
            (
                "inspected".into(),
                Some(staff),
                Some("store_staff".into()),
                Some(utrecht)
            ),
        ]
    );
    assert!(
        common::outbox_payloads(&t, "mail")
            .await
            .iter()
            .any(|m| m["subject"] == format!("We hebben je retour {} gecontroleerd", r.code))
    );

    // The back office moves it along through the API.
    let api = BackOffice::new(&t).await;
    let path = format!("/api/v1/returns/{}", r.code);
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "refunded"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "refunded");
    let refunded = format!("Terugbetaald: {}", r.code);
    assert!(
        common::outbox_payloads(&t, "mail")
            .await
            .iter()
            .any(|m| m["subject"] == refunded.as_str()),
        "the customer hears of the refund"
    );
    let (status, body) = api
        .call(Method::PUT, &path, Some(json!({"status": "received"})))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not backwards: {body}"
    );
    let (status, body) = api
        .call(
            Method::GET,
            &format!("/api/v1/orders/{number}/returns"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[0]["code"], r.code.as_str());
    let (status, _) = api
        .call(Method::GET, "/api/v1/returns/RNOTHING1", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_find_a_till_slip_and_take_a_return_in_at_the_desk() {
    let t = common::demo().await;
    let found = app::returns::desk::find_purchases(&t.db, "rtm7a3k9q2")
        .await
        .expect("found");
    assert_eq!(
        found
            .purchases
            .iter()
            .map(|f| f.number.as_str())
            .collect::<Vec<_>>(),
        vec!["ST-RTM-20261118-0093"]
    );
    let by_card = app::returns::desk::find_purchases(&t.db, "2620001000014")
        .await
        .expect("card");
    assert!(
        by_card
            .purchases
            .iter()
            .any(|f| f.number == "ST-AMS-20261115-0107"),
        "Anna's card"
    );
    let by_email = app::returns::desk::find_purchases(&t.db, " Anna@Example.nl ")
        .await
        .expect("email");
    assert!(by_email.purchases.iter().any(|f| f.number == "WS-240310"));

    let staff = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "winkel@slaapwereld.nl",
    )
    .await;
    let utrecht = app::staff::repo::staff_stores(&t.db, staff)
        .await
        .expect("stores")[0];
    let desk = Actor {
        user_id: Some(staff),
        role: app::accounts::Role::StoreStaff,
        store_id: Some(utrecht),
    };
    // The desk's audit row is written with the return, in its transaction: a refused
    // return leaves none.
    let trail = app::audit::service::Trail {
        key: t.audit_key(),
        entry: app::audit::service::Entry {
            actor_user_id: Some(staff),
            actor_label: "Sanne Winkel".into(),
            role: "store_staff".into(),
            subject_customer_id: None,
            action: "return.registered".into(),
            reason: None,
            ticket: None,
            store_code: Some("UTR".into()),
            ip: "192.0.2.1".into(),
            user_agent: String::new(),
            details: serde_json::json!({ "purchase": "ST-RTM-20261118-0093" }),
        },
    };
    let refused = app::returns::desk::desk_confirm(
        &t.db,
        &common::mail_context(),
        desk,
        "ST-RTM-20261118-0093",
        "quantity%5B1%5D=9&reason%5B1%5D=damaged&resolution=refund",
        "UTR",
        Some(&trail),
    )
    .await;
    assert!(refused.is_err());
    assert!(common::audit_trail(&t).await.is_empty());
    let r = app::returns::desk::desk_confirm(
        &t.db,
        &common::mail_context(),
        desk,
        "ST-RTM-20261118-0093",
        "quantity%5B1%5D=1&reason%5B1%5D=damaged&resolution=refund&method=carrier&store=AMS",
        "UTR",
        Some(&trail),
    )
    .await
    .expect("registered");
    let rows = common::audit_trail(&t).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "return.registered");
    assert!(rows[0].details.contains(&r.code), "{}", rows[0].details);
    // At the desk the goods are handed in there, whatever the form said.
    assert_eq!(
        (r.status, r.method),
        (ReturnStatus::HandedIn, ReturnMethod::Store)
    );
    assert_eq!(r.drop_off_store.as_deref(), Some("UTR"));
    assert_eq!(r.handed_in_place.as_deref(), Some("Slaapwereld Utrecht"));
    assert_eq!(r.started_in, "store");
    assert_eq!(r.customer, None, "a purchase without an account");
}

#[tokio::test]
async fn the_admin_sets_the_policy_and_it_applies_at_once() {
    let t = common::demo().await;
    let (customer, _) = anna(&t).await;
    let form = |default_days, carrier_cost| app::returns::admin::PolicyForm {
        default_days,
        trial_category: "mattresses",
        trial_nights: "100",
        carrier_cost,
        days: vec![("linen", "14"), ("pillows", "abc")],
        conditions_nl: "Ongebruikt terugsturen.",
        conditions_en: "Return unused.",
    };
    let err = app::returns::admin::save_policy_form(&t.db, &form("400", "vier"))
        .await
        .expect_err("bad");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("default_days".into(), "out_of_range".into()),
            ("carrier_cost".into(), "invalid_amount".into()),
            ("days[pillows]".into(), "not_a_number".into()),
        ]
    );
    // 52 days after buying: out of the 30-day window, inside a 60-day one.
    let before = return_options(&t.db, customer, "ST-UTR-20261003-0042")
        .await
        .expect("o");
    assert_eq!(before.lines[0].blocked.as_deref(), Some("window_ended"));
    let mut ok = form("60", "2,50");
    ok.days = vec![("linen", "14")];
    app::returns::admin::save_policy_form(&t.db, &ok)
        .await
        .expect("saved");
    let after = return_options(&t.db, customer, "ST-UTR-20261003-0042")
        .await
        .expect("o");
    assert_eq!(after.lines[0].blocked, None);
    assert_eq!(after.carrier_cost, 250);
    assert_eq!(after.conditions_en, "Return unused.");
}

#[tokio::test]
async fn an_exchange_offers_the_other_sizes_of_the_product_on_sale() {
    let t = common::demo().await;
    let (customer, user) = anna(&t).await;
    let number = "ST-AMS-20261115-0107";
    let options = return_options(&t.db, customer, number)
        .await
        .expect("options");
    // The duvet cover (140×220) comes in two other sizes; the pillowcases in none.
    let offered: Vec<&str> = options.lines[0]
        .exchange_options
        .iter()
        .map(|o| o.sku.as_str())
        .collect();
    assert_eq!(offered, ["LIN-OVERTREK-200220", "LIN-OVERTREK-240220"]);
    assert!(options.lines[1].exchange_options.is_empty());

    let exchange = |wanted: Vec<(i32, &'static str)>| ReturnForm {
        resolution: "exchange",
        exchange_for: wanted,
        ..drop_off(&[(1, "1"), (2, "1")], &[(1, "wrong_size"), (2, "other")])
    };
    let err = quote(&t.db, &options, &exchange(vec![(1, "MAT-NACHTRUST-80200")]))
        .await
        .expect_err("not one of its sizes");
    assert_eq!(
        common::field_codes(err),
        vec![
            ("exchange_for[1]".into(), "not_offered".into()),
            ("exchange_for[2]".into(), "required".into()),
        ]
    );
    // Without variants, the customer says in words what they want.
    let q = quote(
        &t.db,
        &options,
        &exchange(vec![(1, "LIN-OVERTREK-200220"), (2, "in het grijs")]),
    )
    .await
    .expect("quote");
    assert_eq!(
        q.lines[0].exchange_name.as_deref(),
        Some("Dekbedovertrek katoensatijn 200×220")
    );
    let (order_id, order) = app::orders::repo::find(&t.db, number)
        .await
        .expect("q")
        .expect("order");
    let actor = Actor {
        user_id: Some(user),
        role: app::accounts::Role::Customer,
        store_id: None,
    };
    let r = start(
        &t.db,
        &common::mail_context(),
        actor,
        order_id,
        &order,
        &q,
        None,
    )
    .await
    .expect("started");
    let office = BackOffice::new(&t).await;
    let (status, body) = office
        .call(Method::GET, &format!("/api/v1/returns/{}", r.code), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["resolution"], "exchange");
    assert_eq!(body["lines"][0]["exchange_for"], "LIN-OVERTREK-200220");
    assert_eq!(
        body["lines"][0]["exchange_name"],
        "Dekbedovertrek katoensatijn 200×220"
    );
    assert_eq!(body["lines"][1]["exchange_for"], "in het grijs");
    assert_eq!(body["lines"][1]["exchange_name"], serde_json::Value::Null);

    // A size no longer sold is no longer offered.
    let (status, _) = office
        .call(
            Method::PUT,
            "/api/v1/products/LIN-OVERTREK-240220",
            Some(json!({"name": "Dekbedovertrek katoensatijn 240×220", "category": "linen",
                        "price": 6195, "currency": "EUR", "variant_of": "LIN-OVERTREK", "active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = office
        .call(
            Method::PUT,
            "/api/v1/products/LIN-OVERTREK-TEST",
            Some(
                json!({"name": "x", "category": "linen", "price": 1, "currency": "EUR",
                        "variant_of": "not a family id!"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    cancel(&t.db, actor, customer, &r.code, None)
        .await
        .expect("cancelled: the cover can be returned again");
    let options = return_options(&t.db, customer, "ST-AMS-20261115-0107")
        .await
        .expect("options");
    let offered: Vec<&str> = options.lines[0]
        .exchange_options
        .iter()
        .map(|o| o.sku.as_str())
        .collect();
    assert_eq!(offered, ["LIN-OVERTREK-200220"]);
}

#[tokio::test]
async fn the_carrier_reports_where_a_parcel_was_handed_in() {
    let t = common::demo().await;
    let (customer, user) = anna(&t).await;
    let by_post = ReturnForm {
        method: "carrier",
        store: "",
        ..drop_off(&[(2, "1")], &[(2, "changed_mind")])
    };
    let (_, r) = common::anna_starts_return(&t, "ST-AMS-20261115-0107", &by_post).await;
    assert_eq!(r.handed_in_place, None);
    let actor = Actor {
        user_id: Some(user),
        role: app::accounts::Role::Customer,
        store_id: None,
    };
    let mails_before = common::outbox_payloads(&t, "mail").await.len();

    let api = BackOffice::new(&t).await;
    let path = format!("/api/v1/returns/{}", r.code);
    let too_long = "x".repeat(201);
    let (status, body) = api
        .call(
            Method::PUT,
            &path,
            Some(json!({"status": "handed_in", "place": too_long})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "place");
    let place = "PostNL-punt Primera Utrecht Centrum";
    let (status, body) = api
        .call(
            Method::PUT,
            &path,
            Some(json!({"status": "handed_in", "place": place})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["status"].as_str(), body["handed_in_place"].as_str()),
        (Some("handed_in"), Some(place))
    );
    // The same report again changes nothing; she handed it in herself, so no mail.
    let (status, _) = api
        .call(Method::PUT, &path, Some(json!({"status": "handed_in"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        common::outbox_payloads(&t, "mail").await.len(),
        mails_before
    );
    // Handed in: no longer hers to cancel.
    let err = cancel(&t.db, actor, customer, &r.code, None)
        .await
        .expect_err("handed in");
    assert_eq!(
        common::field_codes(err),
        vec![("return".into(), "not_cancellable".into())]
    );
    let (status, _) = api
        .call(Method::PUT, &path, Some(json!({"status": "received"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api
        .call(Method::PUT, &path, Some(json!({"status": "handed_in"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not backwards");
    let found = app::returns::service::find(&t.db, &r.code)
        .await
        .expect("return");
    assert_eq!(found.handed_in_place.as_deref(), Some(place));
}
