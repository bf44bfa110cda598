//! The loyalty card page's actions — linking a plastic card, a digital card, claiming a
//! till slip — on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::service::{NewAccount, create_account};
use app::accounts::{Language, Role, UserSummary};
use app::error::AppError;
use app::loyalty::service::{add_card, claim_receipt, request_digital_card};
use app::orders::HistoryQuery;
use app::orders::history::order_history;
use app::orders::service::upsert_order;
use common::TestDb;

async fn user(t: &TestDb, email: &str, verified: bool) -> UserSummary {
    create_account(
        &t.db,
        NewAccount {
            email: email.into(),
            name: "Sem Bakker".into(),
            language: Language::Nl,
            password: "groene fiets in de regen".into(),
            roles: vec![Role::Customer],
            verified,
        },
    )
    .await
    .expect("account");
    let found = app::accounts::repo::find_by_email(&t.db, email)
        .await
        .expect("query")
        .expect("user");
    UserSummary {
        id: found.id,
        email: email.into(),
        name: "Sem Bakker".into(),
        language: Language::Nl,
        verified,
        roles: vec![Role::Customer],
        second_factor: false,
        acting_for: None,
    }
}

async fn store_purchase(t: &TestDb, number: &str, card: Option<&str>, receipt: &str) {
    let mut body = serde_json::json!({"channel": "store", "store": "UTR", "placed_at": "2026-11-01T10:00:00Z",
        "status": "completed", "currency": "EUR", "lines": [{"sku": "KUS-LATEX-LAAG", "quantity": 1, "unit_price": 3995}],
        "receipt": {"code": receipt}});
    if let Some(card) = card {
        body["loyalty_card"] = serde_json::json!(card);
    }
    upsert_order(&t.db, number, serde_json::from_value(body).expect("input"))
        .await
        .expect("order");
}

async fn history(t: &TestDb, user: &UserSummary) -> Vec<String> {
    let id = app::customers::repo::id_for_user(&t.db, user.id)
        .await
        .expect("query");
    order_history(
        &t.db,
        id,
        &HistoryQuery {
            page: 1,
            ..HistoryQuery::default()
        },
    )
    .await
    .expect("history")
    .rows
    .into_iter()
    .map(|r| r.number)
    .collect()
}

#[tokio::test]
async fn linking_a_plastic_card_brings_its_store_purchases() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    store_purchase(&t, "ST-1", Some("2620 0099 9999 0"), "UTR1111111").await;
    store_purchase(&t, "ST-2", Some("2620009999990"), "UTR2222222").await;
    let sem = user(&t, "sem@example.nl", true).await;
    assert!(history(&t, &sem).await.is_empty());
    assert_eq!(
        add_card(&t.db, &sem, "2620 0099 9999 0", "192.0.2.1").await,
        Ok(2)
    );
    assert_eq!(history(&t, &sem).await, ["ST-2", "ST-1"]);
    // Linking again is harmless.
    assert_eq!(
        add_card(&t.db, &sem, "2620009999990", "192.0.2.1").await,
        Ok(0)
    );

    // Anna's card is hers.
    let other = user(&t, "other@example.nl", true).await;
    assert_eq!(
        add_card(&t.db, &other, "2620001000014", "192.0.2.1").await,
        Err(AppError::invalid("card_number", "taken"))
    );
    assert_eq!(
        add_card(&t.db, &other, "12ab", "192.0.2.1").await,
        Err(AppError::invalid("card_number", "invalid"))
    );
    assert_eq!(
        add_card(&t.db, &other, " ", "192.0.2.1").await,
        Err(AppError::invalid("card_number", "required"))
    );
    // Not before the e-mail address is confirmed.
    let unverified = user(&t, "new@example.nl", false).await;
    assert_eq!(
        add_card(&t.db, &unverified, "2620005555558", "192.0.2.1").await,
        Err(AppError::invalid("card_number", "verify_email_first"))
    );
}

#[tokio::test]
async fn a_till_slip_is_claimed_once() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let sem = user(&t, "sem@example.nl", true).await;
    assert_eq!(
        claim_receipt(&t.db, &sem, "rtm7a3k9q2", "192.0.2.1")
            .await
            .as_deref(),
        Ok("ST-RTM-20261118-0093")
    );
    assert_eq!(history(&t, &sem).await, ["ST-RTM-20261118-0093"]);
    let other = user(&t, "other@example.nl", true).await;
    assert_eq!(
        claim_receipt(&t.db, &other, "RTM7A3K9Q2", "192.0.2.1").await,
        Err(AppError::invalid("code", "not_claimable")),
        "claimed twice"
    );
    assert_eq!(
        claim_receipt(&t.db, &other, "AMS9D3F6H1", "192.0.2.1").await,
        Err(AppError::invalid("code", "not_claimable")),
        "Anna's purchase (linked by her card) cannot be taken"
    );
    assert_eq!(
        claim_receipt(&t.db, &other, "?!", "192.0.2.1").await,
        Err(AppError::invalid("code", "invalid"))
    );
}

#[tokio::test]
async fn a_digital_card_is_issued_once_and_scans() {
    let t = TestDb::new().await;
    let sem = user(&t, "sem@example.nl", true).await;
    let number = request_digital_card(&t.db, &sem).await.expect("card");
    assert!(number.starts_with("2629") && number.len() == 13, "{number}");
    assert_eq!(
        request_digital_card(&t.db, &sem).await.as_deref(),
        Ok(number.as_str())
    );
    let view = app::loyalty::service::view(
        &t.db,
        &sem,
        app::customers::repo::id_for_user(&t.db, sem.id)
            .await
            .expect("query"),
    )
    .await
    .expect("view");
    let card = view.card.expect("a card");
    assert_eq!(card.number, number);
    assert!(card.qr_svg.starts_with("<svg") && card.barcode_svg.starts_with("<svg"));
}

#[tokio::test]
async fn card_and_receipt_numbers_cannot_be_guessed_in_bulk() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let sem = user(&t, "sem@example.nl", true).await;
    // A mistyped (or made-up) number fails its check digit: nothing looked up.
    assert_eq!(
        add_card(&t.db, &sem, "2620001000017", "192.0.2.1").await,
        Err(AppError::invalid("card_number", "invalid"))
    );
    // Valid-looking numbers: ten tries an hour per user, then a clear refusal.
    let mut refused = 0;
    for i in 0..12 {
        let body = format!("26200077{i:04}");
        let card = format!("{body}{}", app::customers::gs1_check_digit(&body));
        match add_card(&t.db, &sem, &card, "192.0.2.1").await {
            Ok(0) => {}
            Err(e) if e == AppError::invalid("card_number", "too_many_tries") => refused += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(refused, 2);
    assert_eq!(
        claim_receipt(&t.db, &sem, "RTM7A3K9Q2", "192.0.2.1").await,
        Err(AppError::invalid("code", "too_many_tries")),
        "the same budget for receipts"
    );
    // One receipt code tried from many accounts: five tries, then refused for everyone.
    for i in 0..5 {
        let guesser = user(&t, &format!("guesser{i}@example.nl"), true).await;
        assert_eq!(
            claim_receipt(&t.db, &guesser, "ZZZ9999999", &format!("198.51.100.{i}")).await,
            Err(AppError::invalid("code", "not_claimable"))
        );
    }
    let last = user(&t, "guesser5@example.nl", true).await;
    assert_eq!(
        claim_receipt(&t.db, &last, "ZZZ9999999", "198.51.100.9").await,
        Err(AppError::invalid("code", "too_many_tries"))
    );
    // Every try is on record, with who, from where and how it ended.
    assert_eq!(t.count("claim_attempts").await, 12 + 1 + 5 + 1);
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM claim_attempts WHERE outcome = $1",
            "too_many_tries"
        )
        .await,
        4
    );
}
