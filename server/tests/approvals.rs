//! Approvals: a hotel buyer's reorder over their limit (per order, or this month's
//! together) waits for an approver of the company — never the buyer — who approves it
//! (only then the back office hears of it) or rejects it with a reason; both get mail.
//! On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::{Language, Role, UserSummary};
use app::companies::manage::{MemberForm, save_member};
use app::error::AppError;
use app::reorders::ApprovalState;
use app::reorders::approvals::{decide, pending};
use app::reorders::service::{BuyAgain, BuyAgainForm, buy_again, latest_for_order};
use common::TestDb;

const HOTEL: Option<&str> = Some("HOTEL-ZS");

struct Member {
    user: UserSummary,
    customer: Option<i64>,
}

async fn member(t: &TestDb, email: &str, name: &str, customer: &str) -> Member {
    let id = common::number(&t.db, "SELECT id FROM users WHERE email = $1", email).await;
    Member {
        user: UserSummary {
            id,
            email: email.into(),
            name: name.into(),
            language: Language::Nl,
            verified: true,
            roles: vec![Role::Customer],
            second_factor: false,
            acting_for: None,
        },
        customer: Some(common::customer_id(&t.db, customer).await),
    }
}

/// Marieke (admin) sets a member's role and limits.
async fn set(t: &TestDb, admin: &Member, who: &Member, role: &str, order: &str, month: &str) {
    let form = MemberForm {
        role,
        limit_per_order: order,
        limit_per_month: month,
        locations: Vec::new(),
    };
    save_member(
        &t.db,
        admin.customer,
        HOTEL,
        who.customer.expect("id"),
        form,
    )
    .await
    .expect("limits set");
}

/// Twelve duvet covers (€ 26,95 each: € 323,40) from the hotel's order B2B-ZS-1002.
async fn twelve_covers(t: &TestDb, by: &Member) -> Result<BuyAgain, AppError> {
    buy_again(
        &t.db,
        &common::mail_context(),
        by.user.id,
        by.customer,
        "B2B-ZS-1002",
        BuyAgainForm {
            quantities: vec![(2, "12")],
            note: "Voor de nieuwe vleugel",
            location: "",
        },
        None,
    )
    .await
}

fn request_id(outcome: BuyAgain) -> i64 {
    match outcome {
        BuyAgain::Requested(r) => r.id,
        other => panic!("expected a request, got {other:?}"),
    }
}

async fn webhooks(t: &TestDb) -> Vec<serde_json::Value> {
    common::outbox_payloads(t, "webhook")
        .await
        .into_iter()
        .filter(|h| h["type"] == "order.reorder_requested")
        .collect()
}

async fn mails_to(t: &TestDb, address: &str) -> Vec<String> {
    common::outbox_payloads(t, "mail")
        .await
        .into_iter()
        .filter(|m| m["to"].as_str().is_some_and(|to| to.contains(address)))
        .map(|m| m["subject"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn over_the_limit_per_order_waits_and_a_rejection_says_why() {
    let t = common::demo().await;
    let db = &t.db;
    let marieke = member(&t, "inkoop@zeeuwsestromen.nl", "Marieke Bakker", "C-2001").await;
    let joris = member(
        &t,
        "huishouding@zeeuwsestromen.nl",
        "Joris Visser",
        "C-2002",
    )
    .await;
    set(&t, &marieke, &joris, "buyer", "100", "").await;

    let id = request_id(twelve_covers(&t, &joris).await.expect("asked"));
    assert!(webhooks(&t).await.is_empty(), "not sent before approval");
    let order_id =
        common::number(db, "SELECT id FROM orders WHERE number = $1", "B2B-ZS-1002").await;
    let view = latest_for_order(db, order_id)
        .await
        .expect("view")
        .expect("request");
    let approval = view.approval.expect("approval");
    assert_eq!(approval.state, ApprovalState::Awaiting);
    assert_eq!(approval.over_limit.as_deref(), Some("per_order"));
    assert_eq!(
        mails_to(&t, "huishouding@zeeuwsestromen.nl").await,
        ["Je nabestelling uit B2B-ZS-1002 wacht op goedkeuring"]
    );
    assert_eq!(
        mails_to(&t, "inkoop@zeeuwsestromen.nl").await,
        ["Joris Visser vraagt je goedkeuring voor een bestelling"]
    );
    let waiting = pending(db, marieke.customer).await.expect("pending");
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].id, waiting[0].total, waiting[0].buyer.as_str()),
        (id, 32_340, "Joris Visser")
    );
    assert!(pending(db, joris.customer).await.expect("none").is_empty());

    // The back office cannot place what the company has not approved.
    let refused = app::reorders::service::decide(
        db,
        Some("B2B-ZS-1002"),
        id,
        serde_json::from_value(serde_json::json!({"status": "placed", "order": "B2B-ZS-2001"}))
            .expect("decision"),
    )
    .await
    .expect_err("awaiting approval");
    assert_eq!(
        common::field_codes(refused),
        vec![("status".into(), "awaiting_approval".into())]
    );
    // A buyer approves nothing, not even their own.
    let ctx = common::mail_context();
    let refused = decide(db, &ctx, &joris.user, joris.customer, id, true, "")
        .await
        .expect_err("a buyer");
    assert!(matches!(refused, AppError::NotFound), "{refused:?}");
    // A rejection needs a reason.
    let refused = decide(db, &ctx, &marieke.user, marieke.customer, id, false, "  ")
        .await
        .expect_err("why?");
    assert_eq!(
        common::field_codes(refused),
        vec![("note".into(), "required".into())]
    );
    decide(
        db,
        &ctx,
        &marieke.user,
        marieke.customer,
        id,
        false,
        "De vleugel opent pas in maart",
    )
    .await
    .expect("rejected");
    let view = latest_for_order(db, order_id)
        .await
        .expect("view")
        .expect("request");
    let approval = view.approval.expect("approval");
    assert_eq!(approval.state, ApprovalState::Rejected);
    assert_eq!(approval.by.as_deref(), Some("Marieke Bakker"));
    assert_eq!(
        approval.note.as_deref(),
        Some("De vleugel opent pas in maart")
    );
    assert_eq!(view.status, app::reorders::ReorderStatus::Declined);
    assert!(
        webhooks(&t).await.is_empty(),
        "a rejected request never goes out"
    );
    assert!(
        mails_to(&t, "huishouding@zeeuwsestromen.nl")
            .await
            .contains(&"Je nabestelling uit B2B-ZS-1002 is afgekeurd".to_string())
    );
    let again = decide(db, &ctx, &marieke.user, marieke.customer, id, true, "")
        .await
        .expect_err("decided");
    assert_eq!(
        common::field_codes(again),
        vec![("request".into(), "already_decided".into())]
    );
}

#[tokio::test]
async fn the_monthly_limit_adds_up_and_the_approval_sends_it_on() {
    let t = common::demo().await;
    let db = &t.db;
    let ctx = common::mail_context();
    let marieke = member(&t, "inkoop@zeeuwsestromen.nl", "Marieke Bakker", "C-2001").await;
    let joris = member(
        &t,
        "huishouding@zeeuwsestromen.nl",
        "Joris Visser",
        "C-2002",
    )
    .await;
    set(&t, &marieke, &joris, "buyer", "", "500").await;

    // € 323,40 fits in € 500 a month and goes straight on; the next one does not.
    twelve_covers(&t, &joris).await.expect("first");
    assert_eq!(webhooks(&t).await.len(), 1);
    let id = request_id(twelve_covers(&t, &joris).await.expect("second"));
    assert_eq!(webhooks(&t).await.len(), 1, "the second waits");
    let waiting = pending(db, marieke.customer).await.expect("pending");
    assert_eq!(
        (waiting.len(), waiting[0].over_limit.as_str()),
        (1, "per_month")
    );

    decide(db, &ctx, &marieke.user, marieke.customer, id, true, "")
        .await
        .expect("approved");
    let sent = webhooks(&t).await;
    assert_eq!(sent.len(), 2);
    let data = &sent[1]["data"];
    assert_eq!(data["reorder_id"], id);
    assert_eq!(data["approved_by"], "Marieke Bakker");
    assert_eq!(data["customer"], "C-2002");
    assert_eq!(data["note"], "Voor de nieuwe vleugel");
    assert!(
        mails_to(&t, "huishouding@zeeuwsestromen.nl")
            .await
            .contains(&"Je nabestelling uit B2B-ZS-1002 is goedgekeurd".to_string())
    );
    assert!(
        pending(db, marieke.customer)
            .await
            .expect("none")
            .is_empty()
    );
}

#[tokio::test]
async fn nobody_approves_their_own_request_and_without_an_approver_it_is_said_at_once() {
    let t = common::demo().await;
    let db = &t.db;
    let ctx = common::mail_context();
    let marieke = member(&t, "inkoop@zeeuwsestromen.nl", "Marieke Bakker", "C-2001").await;
    let joris = member(
        &t,
        "huishouding@zeeuwsestromen.nl",
        "Joris Visser",
        "C-2002",
    )
    .await;

    // Marieke limits herself; Joris is only a buyer: nobody else could approve.
    set(&t, &marieke, &marieke, "admin", "1", "").await;
    let refused = twelve_covers(&t, &marieke).await.expect_err("no approver");
    assert_eq!(
        common::field_codes(refused),
        vec![("lines".into(), "over_limit_no_approver".into())]
    );
    assert_eq!(t.count("reorder_requests").await, 0);

    // With Joris an approver it waits for him — and Marieke, admin, cannot approve it.
    set(&t, &marieke, &joris, "approver", "", "").await;
    let id = request_id(twelve_covers(&t, &marieke).await.expect("asked"));
    assert!(
        pending(db, marieke.customer)
            .await
            .expect("none")
            .is_empty()
    );
    let refused = decide(db, &ctx, &marieke.user, marieke.customer, id, true, "")
        .await
        .expect_err("her own");
    assert!(matches!(refused, AppError::Forbidden), "{refused:?}");
    assert_eq!(pending(db, joris.customer).await.expect("his").len(), 1);
    decide(db, &ctx, &joris.user, joris.customer, id, true, "")
        .await
        .expect("approved by Joris");
    assert_eq!(webhooks(&t).await.len(), 1);
}
