//! Staff accounts and two-step login (issue #20), through the real router as the pages'
//! scripts ask: setting up an authenticator app, logging in with a code and with a
//! recovery code, codes that work once, staff pages refused without it; the admin inviting,
//! changing, deactivating and resetting staff, each in the audit trail.
//! On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::totp;
use axum::Router;
use common::{Answer, call};
use http::{Method, StatusCode};

async fn login(router: &Router, email: &str, password: &str) -> Answer {
    call(
        router,
        Method::POST,
        "/api/fn/login",
        "",
        &[("email", email), ("password", password)],
    )
    .await
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// A new support agent, as `server user create` makes one (no two-step login yet).
async fn new_agent(t: &common::TestDb) -> i64 {
    let account = app::accounts::service::NewAccount {
        email: "agent@slaapwereld.nl".into(),
        name: "Ayla Agent".into(),
        language: app::accounts::Language::En,
        password: "lange-zin-voor-de-balie".into(),
        roles: vec![app::accounts::Role::SupportAgent],
        verified: true,
    };
    match app::accounts::service::create_account(&t.db, account)
        .await
        .expect("agent")
    {
        app::accounts::service::Created::User(id) => id,
        _ => panic!("the agent exists already"),
    }
}

#[tokio::test]
async fn an_agent_sets_up_two_step_login_then_logs_in_with_a_code_and_a_recovery_code() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    new_agent(&t).await;

    // Password right, no app yet: logged in, sent to set it up; staff pages refuse until then.
    let first = login(&router, "agent@slaapwereld.nl", "lange-zin-voor-de-balie").await;
    assert_eq!(
        first.location.as_deref(),
        Some("/account/two-factor"),
        "{}",
        first.body
    );
    let agent = first.cookie;
    let refused = call(
        &router,
        Method::GET,
        "/api/fn/find_customers?q=Anna",
        &agent,
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("SecondFactorNeeded"),
        "{}",
        refused.body
    );

    // The settings page offers a secret (the same one on a reload) and its QR code.
    let state = call(
        &router,
        Method::POST,
        "/api/fn/two_factor_state",
        &agent,
        &[],
    )
    .await;
    assert!(state.status.is_success(), "{}", state.body);
    let state: app::accounts::TwoFactorState = serde_json::from_str(&state.body).expect("state");
    assert!(!state.enrolled && state.required && !state.confirmed);
    let setup = state.setup.expect("a secret to link");
    assert!(setup.qr_svg.contains("<svg"), "{}", setup.qr_svg);
    let again: app::accounts::TwoFactorState = serde_json::from_str(
        &call(
            &router,
            Method::POST,
            "/api/fn/two_factor_state",
            &agent,
            &[],
        )
        .await
        .body,
    )
    .expect("state");
    assert_eq!(again.setup.as_ref().map(|s| &s.secret), Some(&setup.secret));
    let secret = setup.secret.replace(' ', "");

    // A wrong code is refused next to the field; the app's code sets it up.
    let wrong = call(
        &router,
        Method::POST,
        "/api/fn/confirm_two_factor",
        &agent,
        &[("code", "000000")],
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("wrong_code"), "{}", wrong.body);
    let code = totp::code_at(&secret, now()).expect("code");
    let set_up = call(
        &router,
        Method::POST,
        "/api/fn/confirm_two_factor",
        &agent,
        &[("code", &code)],
    )
    .await;
    assert!(
        set_up.status.is_success(),
        "{} {}",
        set_up.status,
        set_up.body
    );
    let agent = set_up.cookie;

    // The recovery codes are shown once.
    let shown: app::accounts::TwoFactorState = serde_json::from_str(
        &call(
            &router,
            Method::POST,
            "/api/fn/two_factor_state",
            &agent,
            &[],
        )
        .await
        .body,
    )
    .expect("state");
    assert!(shown.enrolled && shown.confirmed);
    assert_eq!(shown.new_codes.len(), totp::RECOVERY_CODES);
    assert_eq!(shown.codes_left, totp::RECOVERY_CODES as i64);
    let later: app::accounts::TwoFactorState = serde_json::from_str(
        &call(
            &router,
            Method::POST,
            "/api/fn/two_factor_state",
            &agent,
            &[],
        )
        .await
        .body,
    )
    .expect("state");
    assert!(later.new_codes.is_empty(), "shown only once");

    // Now the staff pages open.
    let found = call(
        &router,
        Method::GET,
        "/api/fn/find_customers?q=Anna",
        &agent,
        &[],
    )
    .await;
    assert!(found.status.is_success(), "{} {}", found.status, found.body);

    // Next login: the password alone is not a login; the same code again is refused.
    let pending = login(&router, "agent@slaapwereld.nl", "lange-zin-voor-de-balie").await;
    assert_eq!(pending.location.as_deref(), Some("/login/code"));
    let not_yet = call(
        &router,
        Method::POST,
        "/api/fn/current_user",
        &pending.cookie,
        &[],
    )
    .await;
    assert_eq!(not_yet.body, "null", "not logged in before the code");
    let replay = call(
        &router,
        Method::POST,
        "/api/fn/login_code",
        &pending.cookie,
        &[("code", &code)],
    )
    .await;
    assert_eq!(
        replay.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once: {}",
        replay.body
    );
    let next_code = totp::code_at(&secret, now() + 30).expect("code");
    let in_ = call(
        &router,
        Method::POST,
        "/api/fn/login_code",
        &pending.cookie,
        &[("code", &next_code)],
    )
    .await;
    assert_eq!(
        in_.location.as_deref(),
        Some("/service/customers"),
        "{}",
        in_.body
    );
    assert_ne!(
        in_.cookie, pending.cookie,
        "a new session id after the second step"
    );
    let found = call(
        &router,
        Method::GET,
        "/api/fn/find_customers?q=Anna",
        &in_.cookie,
        &[],
    )
    .await;
    assert!(found.status.is_success(), "{}", found.body);

    // A recovery code works once, typed any way, and is in the trail.
    let recovery = shown.new_codes[3].to_uppercase().replace('-', " ");
    let pending = login(&router, "agent@slaapwereld.nl", "lange-zin-voor-de-balie").await;
    let in_ = call(
        &router,
        Method::POST,
        "/api/fn/login_code",
        &pending.cookie,
        &[("code", &recovery)],
    )
    .await;
    assert_eq!(
        in_.location.as_deref(),
        Some("/account/two-factor?recovered=1"),
        "{}",
        in_.body
    );
    let pending = login(&router, "agent@slaapwereld.nl", "lange-zin-voor-de-balie").await;
    let used = call(
        &router,
        Method::POST,
        "/api/fn/login_code",
        &pending.cookie,
        &[("code", &recovery)],
    )
    .await;
    assert_eq!(
        used.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        used.body
    );
    let actions = common::audit_trail(&t).await;
    assert!(
        actions.iter().any(|r| r.action == "two_factor.enrolled"),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|r| r.action == "login.recovery_code_used"
                && r.details.contains("\"codes_left\":9")),
        "{actions:?}"
    );

    // Five wrong codes end the attempt: the password again.
    let pending = login(&router, "agent@slaapwereld.nl", "lange-zin-voor-de-balie").await;
    for _ in 0..4 {
        let wrong = call(
            &router,
            Method::POST,
            "/api/fn/login_code",
            &pending.cookie,
            &[("code", "111111")],
        )
        .await;
        assert!(wrong.body.contains("wrong_code"), "{}", wrong.body);
    }
    let last = call(
        &router,
        Method::POST,
        "/api/fn/login_code",
        &pending.cookie,
        &[("code", "111111")],
    )
    .await;
    assert!(last.body.contains("login_again"), "{}", last.body);
    let good = totp::code_at(&secret, now() - 30).expect("code");
    let too_late = call(
        &router,
        Method::POST,
        "/api/fn/login_code",
        &pending.cookie,
        &[("code", &good)],
    )
    .await;
    assert!(too_late.body.contains("login_again"), "{}", too_late.body);
}

#[tokio::test]
async fn roles_keep_staff_pages_apart() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let support =
        common::login_cookie(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let desk = common::login_cookie(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let anna = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    for cookie in [&support, &desk, &anna] {
        let answer = call(&router, Method::POST, "/api/fn/load_staff", cookie, &[]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    }
    let answer = call(
        &router,
        Method::GET,
        "/api/fn/find_customers?q=Anna",
        &anna,
        &[],
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    let answer = call(
        &router,
        Method::GET,
        "/api/fn/find_customers?q=Anna",
        &desk,
        &[],
    )
    .await;
    assert!(
        answer.status.is_success(),
        "store staff help customers too: {}",
        answer.body
    );
}

#[tokio::test]
async fn the_admin_invites_changes_deactivates_and_resets_staff_all_in_the_trail() {
    let t = common::demo().await;
    let router =
        server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db));
    let admin =
        common::login_cookie(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;

    let list = call(&router, Method::POST, "/api/fn/load_staff", &admin, &[]).await;
    assert!(list.status.is_success(), "{}", list.body);
    let overview: app::staff::StaffOverview = serde_json::from_str(&list.body).expect("staff");
    assert!(!overview.code_needed, "a code was typed just now");
    let sanne = overview
        .members
        .iter()
        .find(|m| m.name == "Sanne Winkel")
        .expect("Sanne");
    assert_eq!(sanne.stores, ["UTR"]);
    assert!(sanne.two_factor && sanne.active && !sanne.invited);
    assert!(
        overview.members.iter().all(|m| m.name != "Anna de Vries"),
        "customers are not staff"
    );

    // Invite: every problem named at once, nothing made.
    let refused = call(
        &router,
        Method::POST,
        "/api/fn/invite_staff",
        &admin,
        &[
            ("email", "geen-adres"),
            ("name", ""),
            ("role[store_staff]", "on"),
        ],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    for code in ["\"invalid\"", "\"required\"", "needed_for_store_staff"] {
        assert!(refused.body.contains(code), "{code}: {}", refused.body);
    }
    let taken = call(
        &router,
        Method::POST,
        "/api/fn/invite_staff",
        &admin,
        &[
            ("email", "anna@example.nl"),
            ("name", "Anna"),
            ("role[support_agent]", "on"),
        ],
    )
    .await;
    assert!(taken.body.contains("has_account"), "{}", taken.body);

    let invited = call(
        &router,
        Method::POST,
        "/api/fn/invite_staff",
        &admin,
        &[
            ("email", "Piet@Slaapwereld.nl"),
            ("name", "Piet Balie"),
            ("language", "en"),
            ("role[store_staff]", "on"),
            ("store[AMS]", "on"),
        ],
    )
    .await;
    assert!(
        invited.status.is_success(),
        "{} {}",
        invited.status,
        invited.body
    );
    let mails = common::outbox_payloads(&t, "mail").await;
    let mail = mails
        .iter()
        .find(|m| {
            m["to"]
                .as_str()
                .is_some_and(|to| to.contains("Piet@Slaapwereld.nl"))
        })
        .expect("the invitation");
    assert!(
        mail["subject"]
            .as_str()
            .expect("subject")
            .contains("staff account"),
        "{mail}"
    );
    let text = mail["text"].as_str().expect("text");
    assert!(text.contains("Beheerder made a staff account"), "{text}");
    let token = text
        .split("reset-password?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("link");
    let overview: app::staff::StaffOverview = serde_json::from_str(
        &call(&router, Method::POST, "/api/fn/load_staff", &admin, &[])
            .await
            .body,
    )
    .expect("staff");
    let piet = overview
        .members
        .iter()
        .find(|m| m.name == "Piet Balie")
        .expect("Piet")
        .clone();
    assert!(piet.invited && !piet.two_factor);
    assert_eq!(piet.stores, ["AMS"]);
    // No password yet: nothing logs in.
    let nothing = login(&router, "piet@slaapwereld.nl", "!invited").await;
    assert_eq!(nothing.status, StatusCode::UNAUTHORIZED);

    // He chooses a password with the link and is sent to set up two-step login.
    let chosen = call(
        &router,
        Method::POST,
        "/api/fn/reset_password",
        "",
        &[("token", token), ("password", "balie-in-amsterdam-2026")],
    )
    .await;
    assert_eq!(
        chosen.location.as_deref(),
        Some("/account/two-factor"),
        "{}",
        chosen.body
    );
    let piet_session = chosen.cookie;

    // The admin makes him a support agent too (before and after in the trail)...
    let piet_id = piet.id.to_string();
    let changed = call(
        &router,
        Method::POST,
        "/api/fn/change_staff",
        &admin,
        &[
            ("user", &piet_id),
            ("role[store_staff]", "on"),
            ("role[support_agent]", "on"),
            ("store[AMS]", "on"),
            ("store[UTR]", "on"),
        ],
    )
    .await;
    assert!(changed.status.is_success(), "{}", changed.body);
    // ...cannot take their own admin role away...
    let beheer_id = overview
        .members
        .iter()
        .find(|m| m.is_you)
        .expect("me")
        .id
        .to_string();
    let own = call(
        &router,
        Method::POST,
        "/api/fn/change_staff",
        &admin,
        &[("user", &beheer_id), ("role[support_agent]", "on")],
    )
    .await;
    assert!(own.body.contains("keep_own_admin"), "{}", own.body);
    let own = call(
        &router,
        Method::POST,
        "/api/fn/set_staff_active",
        &admin,
        &[("user", &beheer_id), ("active", "false")],
    )
    .await;
    assert!(own.body.contains("not_yourself"), "{}", own.body);

    // ...deactivates him: his session ends and his password no longer logs in...
    let off = call(
        &router,
        Method::POST,
        "/api/fn/set_staff_active",
        &admin,
        &[("user", &piet_id), ("active", "false")],
    )
    .await;
    assert!(off.status.is_success(), "{}", off.body);
    let ended = call(
        &router,
        Method::POST,
        "/api/fn/current_user",
        &piet_session,
        &[],
    )
    .await;
    assert_eq!(ended.body, "null", "deactivated: logged out");
    let refused = login(&router, "piet@slaapwereld.nl", "balie-in-amsterdam-2026").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    // ...and back.
    let on = call(
        &router,
        Method::POST,
        "/api/fn/set_staff_active",
        &admin,
        &[("user", &piet_id), ("active", "true")],
    )
    .await;
    assert!(on.status.is_success(), "{}", on.body);
    let back = login(&router, "piet@slaapwereld.nl", "balie-in-amsterdam-2026").await;
    assert_eq!(back.location.as_deref(), Some("/account/two-factor"));

    // Sanne lost her phone: her two-step login is reset, her session ends.
    let sanne_session =
        common::login_cookie(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let sanne_id = sanne.id.to_string();
    let reset = call(
        &router,
        Method::POST,
        "/api/fn/reset_staff_two_factor",
        &admin,
        &[("user", &sanne_id)],
    )
    .await;
    assert!(reset.status.is_success(), "{}", reset.body);
    let ended = call(
        &router,
        Method::POST,
        "/api/fn/current_user",
        &sanne_session,
        &[],
    )
    .await;
    assert_eq!(ended.body, "null");
    let again = login(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    assert_eq!(
        again.location.as_deref(),
        Some("/account/two-factor"),
        "sets it up again"
    );

    let actions = common::audit_trail(&t).await;
    let find = |action: &str| {
        actions
            .iter()
            .find(|r| r.action == action)
            .map(|r| r.details.clone())
    };
    let invited = find("staff.invited").expect("invited");
    assert!(
        invited.contains("piet@slaapwereld.nl") && invited.contains("store_staff"),
        "{invited}"
    );
    let changed = find("staff.changed").expect("changed");
    assert!(
        changed.contains("\"before\"") && changed.contains("support_agent"),
        "{changed}"
    );
    assert!(find("staff.deactivated").is_some() && find("staff.reactivated").is_some());
    assert!(
        find("staff.two_factor_reset")
            .expect("reset")
            .contains("Sanne Winkel")
    );
    let verified = app::audit::service::verify(&t.db, &t.audit_key())
        .await
        .expect("verify");
    assert!(
        matches!(verified, app::audit::Verified::Intact { .. }),
        "{verified:?}"
    );
}
