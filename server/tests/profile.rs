//! "My details": personal details, password and e-mail address changes, on SQLite and
//! (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::service::authenticate;
use app::accounts::{Language, Role, UserSummary};
use app::db::Timestamp;
use app::error::AppError;
use app::outbox::OutgoingMail;
use app::profile::EmailChangeOutcome;
use app::profile::service::{
    change_password, confirm_email_change, details, request_email_change, save_details,
};
use chrono::TimeDelta;
use common::{TestDb, mail_context};

async fn anna(t: &TestDb) -> UserSummary {
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    UserSummary {
        id: user.id,
        email: user.email,
        name: user.name,
        language: Language::Nl,
        verified: true,
        roles: vec![Role::Customer],
        second_factor: false,
        acting_for: None,
    }
}

async fn mails(t: &TestDb) -> Vec<OutgoingMail> {
    app::outbox::repo::claim_due(
        &t.db,
        Timestamp::now() + TimeDelta::seconds(1),
        TimeDelta::minutes(5),
        100,
    )
    .await
    .expect("claim")
    .into_iter()
    .map(|item| serde_json::from_str(&item.payload).expect("mail"))
    .collect()
}

#[tokio::test]
async fn details_are_checked_and_saved_on_user_and_customer() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let user = anna(&t).await;
    let err = save_details(&t.db, &user, " ", "bel me", "2999-01-01", "nl")
        .await
        .expect_err("invalid");
    assert_eq!(err.field_codes("name").collect::<Vec<_>>(), ["required"]);
    assert_eq!(
        err.field_codes("phone").collect::<Vec<_>>(),
        ["invalid_phone"]
    );
    assert_eq!(
        err.field_codes("birth_date").collect::<Vec<_>>(),
        ["invalid_date"]
    );
    save_details(
        &t.db,
        &user,
        "Anna van Dijk",
        "+31 6 1234 5678",
        "1988-04-12",
        "en",
    )
    .await
    .expect("saved");
    let user = anna(&t).await;
    assert_eq!(user.name, "Anna van Dijk");
    let shown = details(
        &t.db,
        &UserSummary {
            language: Language::En,
            ..user
        },
    )
    .await
    .expect("details");
    assert_eq!(shown.phone.as_deref(), Some("+31 6 1234 5678"));
    assert_eq!(shown.birth_date.as_deref(), Some("1988-04-12"));
    let customer = app::customers::service::find_customer(&t.db, "C-1001")
        .await
        .expect("read")
        .expect("customer");
    assert_eq!(
        customer.name, "Anna van Dijk",
        "the customer record follows"
    );
    assert_eq!(customer.language, Language::En);
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_other_sessions() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let user = anna(&t).await;
    let ctx = mail_context();
    let before = app::accounts::repo::find_by_id(&t.db, user.id)
        .await
        .expect("q")
        .expect("u")
        .session_generation;
    assert_eq!(
        change_password(
            &t.db,
            &ctx,
            &user,
            "fout",
            "een heel sterk nieuw wachtwoord",
            "127.0.0.9"
        )
        .await,
        Err(AppError::invalid("current_password", "wrong_password"))
    );
    assert_eq!(
        change_password(
            &t.db,
            &ctx,
            &user,
            "slaapwel-demo-klant",
            "password1",
            "127.0.0.9"
        )
        .await,
        Err(AppError::invalid("new_password", "too_short"))
    );
    let generation = change_password(
        &t.db,
        &ctx,
        &user,
        "slaapwel-demo-klant",
        "paarse olifant op de fiets",
        "127.0.0.9",
    )
    .await
    .expect("changed");
    assert!(generation > before, "every other session ends");
    assert!(
        authenticate(
            &t.db,
            "anna@example.nl",
            "paarse olifant op de fiets",
            "127.0.0.9"
        )
        .await
        .is_ok()
    );
    assert!(
        authenticate(&t.db, "anna@example.nl", "slaapwel-demo-klant", "127.0.0.9")
            .await
            .is_err()
    );
    let sent = mails(&t).await;
    assert!(
        sent.iter()
            .any(|m| m.subject.contains("wachtwoord") && m.to.contains("anna@example.nl")),
        "told by mail"
    );
}

#[tokio::test]
async fn an_email_change_waits_for_the_link_and_tells_the_old_address() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let user = anna(&t).await;
    let ctx = mail_context();
    let ip = "127.0.0.8";
    assert_eq!(
        request_email_change(
            &t.db,
            &ctx,
            &user,
            "support@slaapwereld.nl",
            "slaapwel-demo-klant",
            ip
        )
        .await,
        Err(AppError::invalid("new_email", "in_use"))
    );
    assert_eq!(
        request_email_change(
            &t.db,
            &ctx,
            &user,
            "ANNA@example.nl",
            "slaapwel-demo-klant",
            ip
        )
        .await,
        Err(AppError::invalid("new_email", "same_as_current"))
    );
    assert_eq!(
        request_email_change(&t.db, &ctx, &user, "anna.nieuw@example.nl", "fout", ip).await,
        Err(AppError::invalid("email_password", "wrong_password"))
    );
    request_email_change(
        &t.db,
        &ctx,
        &user,
        "anna.nieuw@example.nl",
        "slaapwel-demo-klant",
        ip,
    )
    .await
    .expect("requested");
    assert_eq!(
        details(&t.db, &user)
            .await
            .expect("details")
            .pending_email
            .as_deref(),
        Some("anna.nieuw@example.nl")
    );
    assert_eq!(
        anna(&t).await.email,
        "anna@example.nl",
        "nothing changes before the link is clicked"
    );
    let sent = mails(&t).await;
    let confirm = sent
        .iter()
        .find(|m| m.to.contains("anna.nieuw@example.nl"))
        .expect("mail to the new address");
    let notice = sent
        .iter()
        .find(|m| m.to.contains("<anna@example.nl>"))
        .expect("notice to the old address");
    assert!(notice.text.contains("anna.nieuw@example.nl"));
    let start = confirm.text.find("token=").expect("link") + "token=".len();
    let token: String = confirm.text[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_string();

    let generation_before = common::number(
        &t.db,
        "SELECT session_generation FROM users WHERE email = $1",
        "anna@example.nl",
    )
    .await;
    assert_eq!(
        confirm_email_change(&t.db, &token).await,
        Ok(EmailChangeOutcome::Changed)
    );
    assert_eq!(
        common::number(
            &t.db,
            "SELECT session_generation FROM users WHERE email = $1",
            "anna.nieuw@example.nl",
        )
        .await,
        generation_before + 1,
        "every session logged in with the old address ends"
    );
    assert_eq!(
        confirm_email_change(&t.db, &token).await,
        Ok(EmailChangeOutcome::Invalid),
        "single use"
    );
    assert!(
        authenticate(&t.db, "anna.nieuw@example.nl", "slaapwel-demo-klant", ip)
            .await
            .is_ok()
    );
    let customer = app::customers::service::find_customer(&t.db, "C-1001")
        .await
        .expect("read")
        .expect("customer");
    assert_eq!(customer.email.as_deref(), Some("anna.nieuw@example.nl"));
    assert_eq!(
        confirm_email_change(&t.db, "made-up").await,
        Ok(EmailChangeOutcome::Invalid)
    );
}
