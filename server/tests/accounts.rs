//! Accounts in the data layer, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::service::{self, Created, LoginError, NewAccount};
use app::accounts::throttle::{ACCOUNT_FAILURES, CLIENT_FAILURES, FREE_FAILURES};
use app::accounts::{Language, Role, repo};
use app::db::Timestamp;
use app::error::AppError;
use chrono::TimeDelta;
use common::TestDb;

const PASSWORD: &str = "paarse olifant danst";

fn account(email: &str) -> NewAccount {
    NewAccount {
        email: email.into(),
        name: "Anna de Vries".into(),
        language: Language::Nl,
        password: PASSWORD.into(),
        roles: vec![Role::Customer],
        verified: false,
    }
}

async fn create(t: &TestDb, email: &str) -> i64 {
    match service::create_account(&t.db, account(email))
        .await
        .expect("create")
    {
        Created::User(id) => id,
        Created::EmailTaken => panic!("{email} already taken"),
    }
}

#[tokio::test]
async fn email_is_unique_whatever_its_case() {
    let t = TestDb::new().await;
    create(&t, "Anna@Example.nl").await;
    let again = service::create_account(&t.db, account(" anna@example.NL "))
        .await
        .expect("no error");
    assert!(matches!(again, Created::EmailTaken));
    let user = repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("found");
    assert_eq!(user.email, "Anna@Example.nl", "shown as typed");
    assert!(user.email_verified_at.is_none());
    assert!(
        !format!("{user:?}").contains("argon2"),
        "the hash never shows in debug output"
    );
}

#[tokio::test]
async fn every_field_problem_at_once() {
    let t = TestDb::new().await;
    let bad = NewAccount {
        email: "not-an-address".into(),
        name: " ".into(),
        language: Language::En,
        password: "password".into(),
        roles: vec![Role::Customer],
        verified: false,
    };
    let Err(AppError::Invalid(errors)) = service::create_account(&t.db, bad).await else {
        panic!("expected field errors");
    };
    let fields: Vec<_> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("email", "invalid"),
            ("name", "required"),
            ("password", "too_short")
        ]
    );
    assert!(
        repo::find_by_email(&t.db, "not-an-address")
            .await
            .expect("query")
            .is_none()
    );
}

#[tokio::test]
async fn roles_are_stored_together_with_the_user() {
    let t = TestDb::new().await;
    let staff = NewAccount {
        roles: vec![Role::StoreStaff, Role::SupportAgent],
        verified: true,
        ..account("medewerker@slaapwereld.nl")
    };
    let Created::User(id) = service::create_account(&t.db, staff).await.expect("create") else {
        panic!("taken");
    };
    let mut roles = repo::roles(&t.db, id).await.expect("roles");
    roles.sort_by_key(|r| r.as_str());
    assert_eq!(roles, [Role::StoreStaff, Role::SupportAgent]);
    repo::add_role(&t.db, id, Role::StoreStaff)
        .await
        .expect("idempotent");
    assert_eq!(repo::roles(&t.db, id).await.expect("roles").len(), 2);
    let user = repo::find_by_id(&t.db, id)
        .await
        .expect("query")
        .expect("found");
    assert!(
        user.email_verified_at.is_some(),
        "staff made by an operator start verified"
    );
}

#[tokio::test]
async fn login_with_the_right_password_only() {
    let t = TestDb::new().await;
    let id = create(&t, "anna@example.nl").await;
    let user = service::authenticate(&t.db, "ANNA@example.nl ", PASSWORD, "192.0.2.1")
        .await
        .expect("login")
        .user;
    assert_eq!(user.id, id);
    assert_eq!(user.roles, [Role::Customer]);
    assert!(!user.verified);

    let wrong =
        service::authenticate(&t.db, "anna@example.nl", "wrong password!", "192.0.2.1").await;
    assert_eq!(wrong, Err(LoginError::BadCredentials));
    let unknown = service::authenticate(&t.db, "nobody@example.nl", PASSWORD, "192.0.2.1").await;
    assert_eq!(
        unknown,
        Err(LoginError::BadCredentials),
        "same answer for an unknown address"
    );
}

async fn try_login(
    t: &TestDb,
    email: &str,
    password: &str,
    ip: &str,
    at: Timestamp,
) -> Result<(), LoginError> {
    service::authenticate_at(&t.db, email, password, ip, at)
        .await
        .map(|_| ())
}

#[tokio::test]
async fn failed_logins_slow_that_client_down_more_and_more_but_lock_nobody_out() {
    let t = TestDb::new().await;
    create(&t, "anna@example.nl").await;
    let start = Timestamp::now();
    let guesser = "192.0.2.1";
    for i in 0..FREE_FAILURES {
        let at = start + TimeDelta::seconds(i);
        let result = try_login(&t, "anna@example.nl", "wrong password!", guesser, at).await;
        assert_eq!(result, Err(LoginError::BadCredentials));
    }
    // That client waits a minute after its fifth failure, even with the right password…
    let soon = start + TimeDelta::seconds(30);
    assert_eq!(
        try_login(&t, "anna@example.nl", PASSWORD, guesser, soon).await,
        Err(LoginError::Throttled { minutes: 1 })
    );
    // …while Anna, on another device, logs in as always: no account lock.
    assert_eq!(
        try_login(&t, "anna@example.nl", PASSWORD, "198.51.100.7", soon).await,
        Ok(())
    );
    // The next failure from the guesser doubles its wait.
    let after_a_minute = start + TimeDelta::seconds(70);
    assert_eq!(
        try_login(
            &t,
            "anna@example.nl",
            "wrong again!",
            guesser,
            after_a_minute
        )
        .await,
        Err(LoginError::BadCredentials)
    );
    assert_eq!(
        try_login(
            &t,
            "anna@example.nl",
            "wrong again!",
            guesser,
            after_a_minute + TimeDelta::seconds(60)
        )
        .await,
        Err(LoginError::Throttled { minutes: 1 }),
        "two minutes from the sixth failure"
    );
    // Refused tries are no guesses: they do not make the wait longer.
    assert_eq!(
        try_login(
            &t,
            "anna@example.nl",
            PASSWORD,
            guesser,
            after_a_minute + TimeDelta::seconds(121)
        )
        .await,
        Ok(())
    );
}

#[tokio::test]
async fn parallel_guesses_are_counted_before_any_is_checked() {
    let t = TestDb::new().await;
    create(&t, "anna@example.nl").await;
    let now = Timestamp::now();
    let guesses = (0..12).map(|i| {
        let db = t.db.clone();
        tokio::spawn(async move {
            service::authenticate_at(
                &db,
                "anna@example.nl",
                &format!("guess number {i}"),
                "192.0.2.1",
                now,
            )
            .await
            .map(|_| ())
        })
    });
    let mut checked = 0;
    for guess in guesses.collect::<Vec<_>>() {
        match guess.await.expect("task") {
            Err(LoginError::BadCredentials) => checked += 1,
            Err(LoginError::Throttled { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(
        checked <= FREE_FAILURES,
        "{checked} passwords were checked; at most {FREE_FAILURES} may be"
    );
}

#[tokio::test]
async fn guessing_from_many_addresses_slows_strangers_but_not_the_customer() {
    let t = TestDb::new().await;
    create(&t, "anna@example.nl").await;
    let start = Timestamp::now();
    // Anna logged in from her phone last week.
    let phone = "198.51.100.7";
    let last_week = start - TimeDelta::days(7);
    assert_eq!(
        try_login(&t, "anna@example.nl", PASSWORD, phone, last_week).await,
        Ok(())
    );
    for i in 0..ACCOUNT_FAILURES {
        let ip = format!("203.0.113.{i}");
        let at = start + TimeDelta::milliseconds(i * 10);
        let _ = try_login(&t, "anna@example.nl", "wrong password!", &ip, at).await;
    }
    let later = start + TimeDelta::minutes(1);
    assert!(matches!(
        try_login(&t, "anna@example.nl", PASSWORD, "192.0.2.200", later).await,
        Err(LoginError::Throttled { .. })
    ));
    assert_eq!(
        try_login(&t, "anna@example.nl", PASSWORD, phone, later).await,
        Ok(()),
        "her own device still gets in"
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_per_address() {
    let t = TestDb::new().await;
    let start = Timestamp::now();
    // Someone tries many addresses from one place.
    for i in 0..CLIENT_FAILURES {
        let email = format!("guess{i}@example.nl");
        let at = start + TimeDelta::seconds(i);
        let _ = service::authenticate_at(&t.db, &email, "wrong password!", "203.0.113.9", at).await;
    }
    create(&t, "anna@example.nl").await;
    let blocked = service::authenticate_at(
        &t.db,
        "anna@example.nl",
        PASSWORD,
        "203.0.113.9",
        start + TimeDelta::minutes(2),
    )
    .await;
    assert!(matches!(blocked, Err(LoginError::Throttled { .. })));
    let elsewhere = service::authenticate_at(
        &t.db,
        "anna@example.nl",
        PASSWORD,
        "192.0.2.1",
        start + TimeDelta::minutes(2),
    )
    .await;
    assert!(elsewhere.is_ok());
}

#[tokio::test]
async fn timestamps_round_trip_and_order_in_sql() {
    let t = TestDb::new().await;
    let id = create(&t, "anna@example.nl").await;
    let user = repo::find_by_id(&t.db, id)
        .await
        .expect("query")
        .expect("found");
    assert!(user.email_verified_at.is_none());
    // Attempts at times whose text differs in width on naive formatting still compare right.
    let base = Timestamp(
        chrono::DateTime::parse_from_rfc3339("2026-11-24T09:59:59.900Z")
            .expect("time")
            .to_utc(),
    );
    repo::record_login_attempt(&t.db, "x@example.nl", "192.0.2.1", base)
        .await
        .expect("insert");
    repo::record_login_attempt(
        &t.db,
        "x@example.nl",
        "192.0.2.1",
        base + TimeDelta::milliseconds(100),
    )
    .await
    .expect("insert");
    let failures = repo::recent_failures(&t.db, "x@example.nl", "192.0.2.1", 0, base, base)
        .await
        .expect("count");
    assert_eq!(failures.pair, 1, "only the attempt after 09:59:59.900");
    assert_eq!(
        failures.pair_last,
        Some(base + TimeDelta::milliseconds(100))
    );
}

mod registration {
    use super::*;
    use app::accounts::VerifyOutcome;
    use app::accounts::mails::MailContext;
    use app::accounts::service::{Registration, VERIFY_EMAIL, register, token_hash, verify_email};
    use app::outbox::OutgoingMail;

    fn ctx() -> MailContext {
        common::mail_context()
    }

    fn registration(email: &str) -> Registration {
        Registration {
            email: email.into(),
            name: "Bram Jansen".into(),
            language: Language::En,
            password: "groene fiets in de regen".into(),
        }
    }

    /// The mails waiting in the outbox (claiming them, as the worker would).
    async fn outbox_mails(t: &TestDb) -> Vec<OutgoingMail> {
        app::outbox::repo::claim_due(
            &t.db,
            Timestamp::now() + TimeDelta::seconds(1),
            TimeDelta::minutes(5),
            100,
        )
        .await
        .expect("claim")
        .into_iter()
        .map(|item| serde_json::from_str(&item.payload).expect("mail json"))
        .collect()
    }

    fn token_in(mail: &OutgoingMail) -> String {
        let start = mail.text.find("token=").expect("a link with a token") + "token=".len();
        mail.text[start..]
            .split_whitespace()
            .next()
            .expect("token")
            .to_string()
    }

    #[tokio::test]
    async fn verifying_links_the_customer_the_webshop_already_knows() {
        let t = TestDb::new().await;
        let known: app::customers::service::CustomerInput = serde_json::from_value(
            serde_json::json!({"name": "Bram Jansen", "email": "Bram@Example.nl"}),
        )
        .expect("input");
        app::customers::service::upsert_customer(&t.db, "C-77", known)
            .await
            .expect("customer");
        register(&t.db, &ctx(), registration("bram@example.nl"), "192.0.2.1")
            .await
            .expect("register");
        let before = app::customers::service::find_customer(&t.db, "C-77")
            .await
            .expect("read")
            .expect("customer");
        assert!(!before.has_account, "not before the address is confirmed");
        let token = token_in(&outbox_mails(&t).await[0]);
        verify_email(&t.db, &token).await.expect("verify");
        let after = app::customers::service::find_customer(&t.db, "C-77")
            .await
            .expect("read")
            .expect("customer");
        assert!(after.has_account, "their history is now theirs");
    }

    #[tokio::test]
    async fn register_then_verify_with_the_link_from_the_mail() {
        let t = TestDb::new().await;
        register(&t.db, &ctx(), registration("bram@example.nl"), "192.0.2.1")
            .await
            .expect("register");
        let user = repo::find_by_email(&t.db, "bram@example.nl")
            .await
            .expect("query")
            .expect("created");
        assert!(user.email_verified_at.is_none());
        assert_eq!(
            repo::roles(&t.db, user.id).await.expect("roles"),
            [Role::Customer]
        );

        let mails = outbox_mails(&t).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(
            mails[0].subject, "Confirm your e-mail address for My Slaapwereld",
            "in the chosen language"
        );
        assert!(mails[0].to.contains("bram@example.nl"));
        let token = token_in(&mails[0]);

        assert_eq!(
            verify_email(&t.db, &token).await.expect("verify"),
            VerifyOutcome::Verified
        );
        let user = repo::find_by_id(&t.db, user.id)
            .await
            .expect("query")
            .expect("user");
        assert!(user.email_verified_at.is_some());
        assert_eq!(
            verify_email(&t.db, &token).await.expect("again"),
            VerifyOutcome::AlreadyUsed,
            "single use"
        );
        assert_eq!(
            verify_email(&t.db, "made-up").await.expect("bad"),
            VerifyOutcome::Invalid
        );
    }

    #[tokio::test]
    async fn an_expired_link_is_refused() {
        let t = TestDb::new().await;
        let id = create(&t, "anna@example.nl").await;
        let token = "expired-token-value";
        let mut tx = t.db.begin().await.expect("begin");
        repo::insert_token(
            &mut tx,
            id,
            VERIFY_EMAIL,
            &token_hash(token),
            Timestamp::now() - TimeDelta::minutes(1),
        )
        .await
        .expect("token");
        tx.commit().await.expect("commit");
        assert_eq!(
            verify_email(&t.db, token).await.expect("verify"),
            VerifyOutcome::Expired
        );
        let user = repo::find_by_id(&t.db, id)
            .await
            .expect("query")
            .expect("user");
        assert!(user.email_verified_at.is_none());
    }

    #[tokio::test]
    async fn registering_a_known_address_changes_nothing_and_tells_its_owner() {
        let t = TestDb::new().await;
        let id = create(&t, "anna@example.nl").await;
        let before = repo::find_by_id(&t.db, id)
            .await
            .expect("query")
            .expect("user");
        register(&t.db, &ctx(), registration("ANNA@example.nl"), "192.0.2.1")
            .await
            .expect("same answer as a new address");
        let after = repo::find_by_id(&t.db, id)
            .await
            .expect("query")
            .expect("user");
        assert_eq!(
            before.password_hash, after.password_hash,
            "the password is not replaced"
        );
        assert_eq!(after.name, "Anna de Vries");
        let mails = outbox_mails(&t).await;
        assert_eq!(mails.len(), 1);
        assert!(
            mails[0].subject.contains("already have an account")
                || mails[0].subject.contains("al een account")
        );
        assert!(
            !mails[0].text.contains("token="),
            "no verification link for someone else's address"
        );
    }

    #[tokio::test]
    async fn invalid_registration_leaves_no_trace() {
        let t = TestDb::new().await;
        let bad = Registration {
            password: "kort".into(),
            ..registration("bram@example.nl")
        };
        let err = register(&t.db, &ctx(), bad, "192.0.2.1")
            .await
            .expect_err("too short");
        assert_eq!(
            err.field_codes("password").collect::<Vec<_>>(),
            ["too_short"]
        );
        assert!(
            repo::find_by_email(&t.db, "bram@example.nl")
                .await
                .expect("query")
                .is_none()
        );
        assert!(outbox_mails(&t).await.is_empty());
    }

    mod reset {
        use super::*;
        use app::accounts::service::{request_password_reset, reset_password, reset_token_usable};

        #[tokio::test]
        async fn reset_with_the_link_changes_the_password_ends_sessions_and_notifies() {
            let t = TestDb::new().await;
            let id = create(&t, "anna@example.nl").await;
            let before = repo::find_by_id(&t.db, id)
                .await
                .expect("query")
                .expect("user");

            request_password_reset(&t.db, &ctx(), "Anna@Example.nl")
                .await
                .expect("request");
            let mails = outbox_mails(&t).await;
            assert_eq!(mails.len(), 1);
            let token = token_in(&mails[0]);
            assert!(mails[0].text.contains("/reset-password?token="));
            assert!(reset_token_usable(&t.db, &token).await.expect("usable"));

            // A weak password is refused and the link stays usable.
            let weak = reset_password(&t.db, &ctx(), &token, "password1")
                .await
                .expect_err("weak");
            assert_eq!(
                weak.field_codes("password").collect::<Vec<_>>(),
                ["too_short"]
            );
            assert!(
                reset_token_usable(&t.db, &token)
                    .await
                    .expect("still usable")
            );

            let ok = reset_password(&t.db, &ctx(), &token, "nieuwe blauwe lamp")
                .await
                .expect("reset");
            assert_eq!(ok.user.id, id);
            assert_eq!(
                ok.session_generation,
                before.session_generation + 1,
                "every older session ends"
            );
            assert!(
                service::authenticate(&t.db, "anna@example.nl", "nieuwe blauwe lamp", "192.0.2.1")
                    .await
                    .is_ok()
            );
            assert_eq!(
                service::authenticate(&t.db, "anna@example.nl", PASSWORD, "192.0.2.1").await,
                Err(LoginError::BadCredentials),
                "the old password no longer works"
            );
            let notices = outbox_mails(&t).await;
            assert_eq!(notices.len(), 1);
            assert!(
                notices[0].subject.contains("gewijzigd"),
                "{}",
                notices[0].subject
            );

            let again = reset_password(&t.db, &ctx(), &token, "nog een ander wachtwoord")
                .await
                .expect_err("used");
            assert_eq!(again.field_codes("token").collect::<Vec<_>>(), ["invalid"]);
            assert!(!reset_token_usable(&t.db, &token).await.expect("used up"));
        }

        #[tokio::test]
        async fn unknown_address_sends_nothing_and_says_the_same() {
            let t = TestDb::new().await;
            request_password_reset(&t.db, &ctx(), "nobody@example.nl")
                .await
                .expect("same answer");
            assert!(outbox_mails(&t).await.is_empty());
        }

        #[tokio::test]
        async fn only_the_newest_reset_link_works_and_none_after_a_password_change() {
            let t = TestDb::new().await;
            let id = create(&t, "anna@example.nl").await;
            request_password_reset(&t.db, &ctx(), "anna@example.nl")
                .await
                .expect("first");
            request_password_reset(&t.db, &ctx(), "anna@example.nl")
                .await
                .expect("second");
            let mails = outbox_mails(&t).await;
            let (older, newer) = (token_in(&mails[0]), token_in(&mails[1]));
            assert!(!reset_token_usable(&t.db, &older).await.expect("state"));
            assert!(
                reset_password(&t.db, &ctx(), &older, "nieuwe blauwe lamp")
                    .await
                    .is_err(),
                "a link replaced by a newer one"
            );
            assert!(reset_token_usable(&t.db, &newer).await.expect("state"));

            // The password is changed another way (in the account): the link ends too.
            let user = repo::find_by_id(&t.db, id)
                .await
                .expect("query")
                .expect("user")
                .summary(vec![Role::Customer]);
            app::profile::service::change_password(
                &t.db,
                &ctx(),
                &user,
                PASSWORD,
                "een heel ander wachtwoord",
                "192.0.2.1",
            )
            .await
            .expect("changed");
            assert!(!reset_token_usable(&t.db, &newer).await.expect("state"));
            assert!(
                reset_password(&t.db, &ctx(), &newer, "nieuwe blauwe lamp")
                    .await
                    .is_err(),
                "a link mailed before the change cannot undo it"
            );
        }

        #[tokio::test]
        async fn an_expired_reset_link_is_refused() {
            let t = TestDb::new().await;
            let id = create(&t, "anna@example.nl").await;
            let mut tx = t.db.begin().await.expect("begin");
            repo::insert_token(
                &mut tx,
                id,
                app::accounts::service::RESET_PASSWORD,
                &token_hash("old-link"),
                Timestamp::now() - TimeDelta::seconds(1),
            )
            .await
            .expect("token");
            tx.commit().await.expect("commit");
            assert!(!reset_token_usable(&t.db, "old-link").await.expect("state"));
            assert!(
                reset_password(&t.db, &ctx(), "old-link", "nieuwe blauwe lamp")
                    .await
                    .is_err()
            );
        }
    }
}

#[tokio::test]
async fn housekeeping_removes_old_login_attempts_and_used_links() {
    let t = TestDb::new().await;
    let id = create(&t, "anna@example.nl").await;
    let now = Timestamp::now();
    let long_ago = now - TimeDelta::days(91);
    repo::record_login_attempt(&t.db, "anna@example.nl", "192.0.2.1", long_ago)
        .await
        .expect("old attempt");
    repo::record_login_attempt(&t.db, "anna@example.nl", "192.0.2.1", now)
        .await
        .expect("recent attempt");
    let mut tx = t.db.begin().await.expect("begin");
    for (token, expires) in [
        ("stale", now - TimeDelta::days(8)),
        ("fresh", now + TimeDelta::hours(1)),
    ] {
        repo::insert_token(
            &mut tx,
            id,
            app::accounts::service::RESET_PASSWORD,
            &app::accounts::service::token_hash(token),
            expires,
        )
        .await
        .expect("token");
    }
    tx.commit().await.expect("commit");
    let tokens_before = t.count("account_tokens").await;

    assert_eq!(
        server::jobs::housekeeping_once(
            &t.db,
            &t.audit_key(),
            now,
            &server::jobs::Retention::default()
        )
        .await,
        2
    );
    assert_eq!(t.count("login_attempts").await, 1);
    assert_eq!(t.count("account_tokens").await, tokens_before - 1);
    assert!(
        app::accounts::service::reset_token_usable(&t.db, "fresh")
            .await
            .expect("state")
    );
}

#[tokio::test]
async fn only_a_few_password_hashes_run_at_once() {
    let hashes: Vec<_> = (0..24)
        .map(|i| {
            tokio::spawn(app::accounts::password::hash(format!(
                "wachtwoord nummer {i}"
            )))
        })
        .collect();
    for hash in hashes {
        hash.await.expect("task").expect("hash");
    }
    let most = app::accounts::password::most_hashes_at_once();
    let cap = app::limits::hashing().available_permits();
    assert!(most >= 1 && most <= cap, "{most} at once, cap {cap}");
}

mod limits {
    use super::*;
    use app::accounts::service::{Registration, register, request_password_reset};

    fn ctx() -> app::accounts::mails::MailContext {
        common::mail_context()
    }

    fn registration(email: &str) -> Registration {
        Registration {
            email: email.into(),
            name: "Bram".into(),
            language: Language::Nl,
            password: "een lang genoeg wachtwoord".into(),
        }
    }

    #[tokio::test]
    async fn registrations_are_limited_per_client_and_mails_per_address() {
        let t = TestDb::new().await;
        // Many registrations of one address from many places: three mails, no more.
        for i in 0..6 {
            register(
                &t.db,
                &ctx(),
                registration("bram@example.nl"),
                &format!("192.0.2.{i}"),
            )
            .await
            .expect("same answer every time");
        }
        assert_eq!(common::outbox_payloads(&t, "mail").await.len(), 3);
        // One client registering many addresses: some, then a clear refusal.
        let burst = app::limits::Limit::RegisterPerClient.burst();
        for i in 0..burst {
            register(
                &t.db,
                &ctx(),
                registration(&format!("bot{i}@example.nl")),
                "203.0.113.5",
            )
            .await
            .expect("registered");
        }
        let refused = register(
            &t.db,
            &ctx(),
            registration("bot-last@example.nl"),
            "203.0.113.5",
        )
        .await;
        assert_eq!(refused, Err(AppError::invalid("email", "too_many_tries")));
        assert!(
            repo::find_by_email(&t.db, "bot-last@example.nl")
                .await
                .expect("query")
                .is_none()
        );
    }

    #[tokio::test]
    async fn reset_mails_to_one_address_are_limited() {
        let t = TestDb::new().await;
        create(&t, "anna@example.nl").await;
        for _ in 0..5 {
            request_password_reset(&t.db, &ctx(), "anna@example.nl")
                .await
                .expect("same answer every time");
        }
        assert_eq!(common::outbox_payloads(&t, "mail").await.len(), 3);
    }
}

#[tokio::test]
async fn a_session_ends_after_two_idle_hours_and_use_keeps_it_going() {
    use app::accounts::session::{IDLE, current_user_at, start};
    let t = TestDb::new().await;
    let id = create(&t, "anna@example.nl").await;
    let user = repo::find_by_id(&t.db, id)
        .await
        .expect("query")
        .expect("user");
    let store = std::sync::Arc::new(server::sessions::PortalSessionStore::new(&t.db));
    let login = chrono::Utc::now();

    // Used every hour for five hours: still logged in (idle never reached two hours).
    let session = tower_sessions::Session::new(None, store.clone(), None);
    start(
        &session,
        &user.summary(vec![Role::Customer]),
        user.session_generation,
        false,
        false,
    )
    .await
    .expect("start");
    for hour in 1..=5 {
        let at = login + TimeDelta::hours(hour);
        let who = current_user_at(&t.db, &session, at).await.expect("read");
        assert!(who.is_some(), "hour {hour}");
    }
    // Then left alone for longer than the idle lifetime: logged out.
    let later = login + TimeDelta::hours(5) + IDLE + TimeDelta::minutes(1);
    assert!(
        current_user_at(&t.db, &session, later)
            .await
            .expect("read")
            .is_none()
    );

    // Never used after logging in: gone after two hours, not only after twelve.
    let idle = tower_sessions::Session::new(None, store, None);
    start(
        &idle,
        &user.summary(vec![Role::Customer]),
        user.session_generation,
        false,
        false,
    )
    .await
    .expect("start");
    let after_idle = login + IDLE + TimeDelta::minutes(1);
    assert!(
        current_user_at(&t.db, &idle, after_idle)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn staff_sessions_end_sooner_and_stay_logged_in_does_not_lengthen_them() {
    use app::accounts::session::{STAFF_ABSOLUTE, STAFF_IDLE, current_user_at, start};
    let t = common::demo().await;
    let id = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "winkel@slaapwereld.nl",
    )
    .await;
    let user = repo::find_by_id(&t.db, id)
        .await
        .expect("query")
        .expect("user");
    let store = std::sync::Arc::new(server::sessions::PortalSessionStore::new(&t.db));
    let login = chrono::Utc::now();
    let staff = user.summary(vec![Role::StoreStaff]);

    // "Stay logged in" ticked; used every 20 minutes: in until the working day is over.
    let session = tower_sessions::Session::new(None, store.clone(), None);
    start(&session, &staff, user.session_generation, true, true)
        .await
        .expect("start");
    let mut at = login;
    while at < login + STAFF_ABSOLUTE {
        at += TimeDelta::minutes(20);
        let who = current_user_at(&t.db, &session, at.min(login + STAFF_ABSOLUTE))
            .await
            .expect("read");
        assert!(who.is_some(), "{}", at - login);
    }
    let after_the_day = login + STAFF_ABSOLUTE + TimeDelta::minutes(1);
    assert!(
        current_user_at(&t.db, &session, after_the_day)
            .await
            .expect("read")
            .is_none(),
        "however active"
    );

    // Left alone for longer than half an hour: out, "stay logged in" or not.
    let idle = tower_sessions::Session::new(None, store, None);
    start(&idle, &staff, user.session_generation, true, true)
        .await
        .expect("start");
    let after_idle = login + STAFF_IDLE + TimeDelta::minutes(1);
    assert!(
        current_user_at(&t.db, &idle, after_idle)
            .await
            .expect("read")
            .is_none()
    );
}
