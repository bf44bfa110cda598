//! The company manages itself (`/account/company`): the demo hotel's admin changes a
//! buyer's role, limits and locations, invites someone who joins with the mail's link, and
//! every change reaches the back office as `company.member_changed`; a company keeps one
//! admin; other companies see nothing. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::accounts::service::{NewAccount, create_account};
use app::accounts::{Language, Role, UserSummary};
use app::companies::InvitationState;
use app::companies::invitations::{InviteForm, accept, invite, view, withdraw};
use app::companies::manage::{
    MemberForm, add_location, my_company, remove_location, remove_member, save_member,
};
use app::companies::{MemberRole, repo};
use app::customers::PostalAddress;
use app::error::AppError;
use common::{BackOffice, TestDb};
use http::{Method, StatusCode};
use serde_json::json;

const HOTEL: Option<&str> = Some("HOTEL-ZS");

async fn account(t: &TestDb, email: &str, name: &str) -> UserSummary {
    create_account(
        &t.db,
        NewAccount {
            email: email.into(),
            name: name.into(),
            language: Language::Nl,
            password: "groene fiets in de regen".into(),
            roles: vec![Role::Customer],
            verified: true,
        },
    )
    .await
    .expect("account");
    let found = app::accounts::repo::find_by_email(&t.db, &app::validate::normalize_email(email))
        .await
        .expect("query")
        .expect("user");
    UserSummary {
        id: found.id,
        email: email.into(),
        name: name.into(),
        language: Language::Nl,
        verified: true,
        roles: vec![Role::Customer],
        second_factor: false,
        acting_for: None,
    }
}

/// The hotel's admin, Marieke (C-2001), as the demo has her.
async fn marieke(t: &TestDb) -> (UserSummary, Option<i64>) {
    let id = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "inkoop@zeeuwsestromen.nl",
    )
    .await;
    let user = UserSummary {
        id,
        email: "inkoop@zeeuwsestromen.nl".into(),
        name: "Marieke Bakker".into(),
        language: Language::Nl,
        verified: true,
        roles: vec![Role::Customer],
        second_factor: false,
        acting_for: None,
    };
    (user, Some(common::customer_id(&t.db, "C-2001").await))
}

fn kitchen() -> PostalAddress {
    PostalAddress {
        name: "Keuken, t.a.v. chef".into(),
        street: "Boulevard de Ruyter".into(),
        house_number: "8".into(),
        addition: Some("achter".into()),
        postcode: "4381ka".into(),
        city: "Vlissingen".into(),
        country: "nl".into(),
    }
}

fn member_form<'a>(role: &'a str, per_order: &'a str, per_month: &'a str) -> MemberForm<'a> {
    MemberForm {
        role,
        limit_per_order: per_order,
        limit_per_month: per_month,
        locations: Vec::new(),
    }
}

#[tokio::test]
async fn the_admin_sets_a_buyers_role_limits_and_locations_and_the_back_office_hears_of_it() {
    let t = common::demo().await;
    let db = &t.db;
    let (_, admin) = marieke(&t).await;
    let joris = common::customer_id(db, "C-2002").await;

    let page = my_company(db, admin, None).await.expect("her company");
    assert_eq!(page.external_id, "HOTEL-ZS");
    assert_eq!(page.role, MemberRole::Admin);
    let mut members: Vec<(&str, MemberRole, bool)> = page
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.role, m.is_me))
        .collect();
    members.sort_by_key(|m| m.0);
    assert_eq!(members.len(), 2, "{members:?}");
    assert!(members.contains(&("Marieke Bakker", MemberRole::Admin, true)));

    let location = add_location(db, admin, HOTEL, kitchen())
        .await
        .expect("location");
    let page = my_company(db, admin, HOTEL).await.expect("page");
    assert_eq!(page.locations.len(), 1);
    assert_eq!(page.locations[0].address.postcode, "4381 KA", "normalised");

    let location_id = location.to_string();
    let form = MemberForm {
        locations: vec![location_id.as_str()],
        ..member_form("buyer", "500", "2.000,00")
    };
    save_member(db, admin, HOTEL, joris, form)
        .await
        .expect("saved");
    let page = my_company(db, admin, HOTEL).await.expect("page");
    let row = page
        .members
        .iter()
        .find(|m| m.customer_id == joris)
        .expect("Joris");
    assert_eq!(
        (row.role, row.limit_per_order, row.limit_per_month),
        (MemberRole::Buyer, Some(50_000), Some(200_000))
    );
    assert_eq!(row.locations, vec![location]);

    // Joris sees his own limits and location, not the members.
    let his = my_company(db, Some(joris), None).await.expect("his page");
    assert_eq!(his.role, MemberRole::Buyer);
    assert_eq!(
        (his.limit_per_order, his.limit_per_month),
        (Some(50_000), Some(200_000))
    );
    assert_eq!(his.my_locations, vec![location]);
    assert!(his.members.is_empty() && his.invitations.is_empty());
    // … and may not change anyone.
    let refused = save_member(db, Some(joris), HOTEL, joris, member_form("admin", "", ""))
        .await
        .expect_err("a buyer is not the admin");
    assert!(matches!(refused, AppError::Forbidden), "{refused:?}");

    let hooks = common::outbox_payloads(&t, "webhook").await;
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["type"], "company.member_changed");
    let data = &hooks[0]["data"];
    assert_eq!(data["company"], "HOTEL-ZS");
    assert_eq!(data["change"], "changed");
    assert_eq!(data["customer"], "C-2002");
    assert_eq!(data["role"], "buyer");
    assert_eq!(data["limit_per_order"], 50_000);
    assert_eq!(data["limit_per_month"], 200_000);
    assert_eq!(data["locations"][0]["id"], location);
    assert_eq!(data["locations"][0]["address"]["city"], "Vlissingen");
    assert_eq!(data["by"], "C-2001");

    // Removing the location frees Joris to order for every location again.
    remove_location(db, admin, HOTEL, location)
        .await
        .expect("removed");
    let his = my_company(db, Some(joris), None).await.expect("his page");
    assert!(his.my_locations.is_empty() && his.locations.is_empty());
}

#[tokio::test]
async fn bad_limits_are_named_and_the_company_keeps_an_admin() {
    let t = common::demo().await;
    let db = &t.db;
    let (_, admin) = marieke(&t).await;
    let joris = common::customer_id(db, "C-2002").await;
    let me = admin.expect("customer");

    let err = save_member(db, admin, HOTEL, joris, member_form("", "1.500", "vijf"))
        .await
        .expect_err("invalid");
    let kept = err.kept("limit_per_order").map(str::to_string);
    let mut codes = common::field_codes(err);
    codes.sort();
    assert_eq!(
        codes,
        vec![
            ("limit_per_month".into(), "not_an_amount".into()),
            ("limit_per_order".into(), "not_an_amount".into()),
            ("role".into(), "required".into()),
        ]
    );
    assert_eq!(kept.as_deref(), Some("1.500"), "what was typed comes back");
    let err = save_member(db, admin, HOTEL, joris, member_form("buyer", "500", "100"))
        .await
        .expect_err("month below order");
    assert_eq!(
        common::field_codes(err),
        vec![("limit_per_month".into(), "month_below_order".into())]
    );
    let err = save_member(
        db,
        admin,
        HOTEL,
        joris,
        MemberForm {
            locations: vec!["999999"],
            ..member_form("buyer", "", "")
        },
    )
    .await
    .expect_err("not the company's location");
    assert_eq!(
        common::field_codes(err),
        vec![("locations".into(), "unknown".into())]
    );

    // The only admin can neither step down nor leave.
    let err = save_member(db, admin, HOTEL, me, member_form("buyer", "", ""))
        .await
        .expect_err("last admin");
    assert_eq!(
        common::field_codes(err),
        vec![("role".into(), "last_admin".into())]
    );
    let err = remove_member(db, admin, HOTEL, me)
        .await
        .expect_err("last admin");
    assert_eq!(
        common::field_codes(err),
        vec![("member".into(), "last_admin".into())]
    );
    assert_eq!(
        my_company(db, admin, HOTEL).await.expect("page").role,
        MemberRole::Admin
    );
    // With Joris an admin too, she may step down.
    save_member(db, admin, HOTEL, joris, member_form("admin", "", ""))
        .await
        .expect("second admin");
    save_member(db, admin, HOTEL, me, member_form("approver", "", ""))
        .await
        .expect("steps down");
    assert_eq!(
        my_company(db, admin, HOTEL).await.expect("page").role,
        MemberRole::Approver
    );
    // Nothing of the refused changes reached the back office.
    let changes: Vec<String> = common::outbox_payloads(&t, "webhook")
        .await
        .iter()
        .map(|h| format!("{} {}", h["data"]["customer"], h["data"]["role"]))
        .collect();
    assert_eq!(changes, ["\"C-2002\" \"admin\"", "\"C-2001\" \"approver\""]);
}

#[tokio::test]
async fn an_invited_person_joins_with_the_mails_link_and_only_they_can() {
    let t = common::demo().await;
    let db = &t.db;
    let (admin_user, admin) = marieke(&t).await;
    let ctx = common::mail_context();
    let form = |email, role| InviteForm {
        email,
        role,
        language: Language::En,
    };

    // Bad input is named; an existing member's address is refused.
    let err = invite(
        db,
        &ctx,
        &admin_user,
        admin,
        HOTEL,
        form("geen adres", "boss"),
    )
    .await
    .expect_err("invalid");
    let mut codes = common::field_codes(err);
    codes.sort();
    assert_eq!(
        codes,
        vec![
            ("email".into(), "invalid".into()),
            ("role".into(), "required".into())
        ]
    );
    let err = invite(
        db,
        &ctx,
        &admin_user,
        admin,
        HOTEL,
        form("Huishouding@ZeeuwseStromen.nl", "viewer"),
    )
    .await
    .expect_err("already a member");
    assert_eq!(
        common::field_codes(err),
        vec![("email".into(), "already_member".into())]
    );

    invite(
        db,
        &ctx,
        &admin_user,
        admin,
        HOTEL,
        form(" receptie@zeeuwsestromen.nl ", "viewer"),
    )
    .await
    .expect("invited");
    let mails = common::outbox_payloads(&t, "mail").await;
    let mail = mails.last().expect("the invitation mail");
    assert!(
        mail["to"]
            .as_str()
            .expect("to")
            .contains("receptie@zeeuwsestromen.nl")
    );
    assert!(
        mail["subject"]
            .as_str()
            .expect("subject")
            .contains("Hotel De Zeeuwse Stromen"),
        "{}",
        mail["subject"]
    );
    let text = mail["text"].as_str().expect("text");
    assert!(
        text.contains("Marieke Bakker") && text.contains("Viewer"),
        "{text}"
    );
    let token = text
        .split("/account/company/join/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("link")
        .to_string();
    let page = my_company(db, admin, HOTEL).await.expect("page");
    assert_eq!(page.invitations.len(), 1);
    assert_eq!(page.invitations[0].email, "receptie@zeeuwsestromen.nl");
    assert!(!page.invitations[0].expired);

    // Anyone with the link sees what it is; only the invited address can accept.
    let seen = view(db, &token, None).await.expect("page");
    assert_eq!(
        (seen.state, seen.role, seen.for_you),
        (InvitationState::Open, MemberRole::Viewer, None)
    );
    assert_eq!(seen.invited_by.as_deref(), Some("Marieke Bakker"));
    let stranger = account(&t, "iemand@example.nl", "Iemand Anders").await;
    assert_eq!(
        view(db, &token, Some(&stranger))
            .await
            .expect("page")
            .for_you,
        Some(false)
    );
    let err = accept(db, &stranger, &token)
        .await
        .expect_err("not their invitation");
    assert_eq!(
        common::field_codes(err),
        vec![("token".into(), "other_account".into())]
    );
    assert!(matches!(
        view(db, "not-a-token", None).await,
        Err(AppError::NotFound)
    ));

    let invited = account(&t, "Receptie@zeeuwsestromen.nl", "Sanne Koster").await;
    let company = accept(db, &invited, &token).await.expect("joined");
    assert_eq!(company, "HOTEL-ZS");
    let customer = app::customers::repo::id_for_user(db, invited.id)
        .await
        .expect("query");
    let hers = my_company(db, customer, None).await.expect("her company");
    assert_eq!(hers.role, MemberRole::Viewer);
    let err = accept(db, &invited, &token).await.expect_err("used once");
    assert_eq!(
        common::field_codes(err),
        vec![("token".into(), "accepted".into())]
    );
    assert!(
        my_company(db, admin, HOTEL)
            .await
            .expect("page")
            .invitations
            .is_empty()
    );
    let hooks = common::outbox_payloads(&t, "webhook").await;
    let joined = hooks.last().expect("webhook");
    assert_eq!(joined["type"], "company.member_changed");
    assert_eq!(joined["data"]["change"], "joined");
    assert_eq!(joined["data"]["email"], "Receptie@zeeuwsestromen.nl");
    assert_eq!(joined["data"]["role"], "viewer");

    // A withdrawn invitation no longer works.
    invite(
        db,
        &ctx,
        &admin_user,
        admin,
        HOTEL,
        form("bar@zeeuwsestromen.nl", "buyer"),
    )
    .await
    .expect("invited");
    let id = my_company(db, admin, HOTEL)
        .await
        .expect("page")
        .invitations[0]
        .id;
    withdraw(db, admin, HOTEL, id).await.expect("withdrawn");
    let mails = common::outbox_payloads(&t, "mail").await;
    let text = mails.last().expect("mail")["text"]
        .as_str()
        .expect("text")
        .to_string();
    let token = text
        .split("/account/company/join/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("link")
        .to_string();
    let bar = account(&t, "bar@zeeuwsestromen.nl", "Bar").await;
    assert_eq!(
        view(db, &token, Some(&bar)).await.expect("page").state,
        InvitationState::Withdrawn
    );
    let err = accept(db, &bar, &token).await.expect_err("withdrawn");
    assert_eq!(
        common::field_codes(err),
        vec![("token".into(), "withdrawn".into())]
    );

    // The invitations go with the links' retention.
    let later = app::db::Timestamp::now() + chrono::TimeDelta::days(30);
    assert_eq!(repo::purge_invitations(db, later).await.expect("purge"), 2);
}

#[tokio::test]
async fn a_company_sees_nothing_of_another_and_the_api_keeps_what_the_portal_set() {
    let t = common::demo().await;
    let db = &t.db;
    let office = BackOffice::new(&t).await;
    let (status, body) = office
        .call(
            Method::PUT,
            "/api/v1/companies/CAFE-UT",
            Some(json!({"name": "Café De Utrechter", "members": [{"customer": "C-1001", "role": "admin"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let anna = Some(common::customer_id(db, "C-1001").await);
    let joris = common::customer_id(db, "C-2002").await;
    assert_eq!(
        my_company(db, anna, None).await.expect("hers").external_id,
        "CAFE-UT"
    );
    assert!(matches!(
        my_company(db, anna, HOTEL).await,
        Err(AppError::NotFound)
    ));
    let refused = save_member(db, anna, HOTEL, joris, member_form("viewer", "", ""))
        .await
        .expect_err("not her company");
    assert!(matches!(refused, AppError::NotFound), "{refused:?}");
    // Her own company's admin, acting on the hotel's member: not found in hers.
    let refused = save_member(db, anna, None, joris, member_form("viewer", "", ""))
        .await
        .expect_err("not her member");
    assert!(matches!(refused, AppError::NotFound), "{refused:?}");

    // The portal sets Joris's limit; the back office sends the members again without
    // limits: the limit stays. With limits: they change.
    let (_, admin) = marieke(&t).await;
    save_member(db, admin, HOTEL, joris, member_form("buyer", "250", ""))
        .await
        .expect("saved");
    let members =
        json!([{"customer": "C-2001", "role": "admin"}, {"customer": "C-2002", "role": "buyer"}]);
    let (status, body) = office
        .call(
            Method::PUT,
            "/api/v1/companies/HOTEL-ZS",
            Some(json!({"name": "Hotel De Zeeuwse Stromen B.V.", "members": members})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let joris_row = |body: &serde_json::Value| {
        body["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["customer"] == "C-2002")
            .cloned()
            .expect("Joris")
    };
    assert_eq!(joris_row(&body)["limit_per_order"], 25_000);
    let (status, body) = office
        .call(
            Method::PUT,
            "/api/v1/companies/HOTEL-ZS",
            Some(json!({"name": "Hotel De Zeeuwse Stromen B.V.",
                        "members": [{"customer": "C-2001", "role": "admin"},
                                    {"customer": "C-2002", "role": "buyer", "limit_per_order": null, "limit_per_month": 100000}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let row = joris_row(&body);
    assert_eq!(
        (
            row["limit_per_order"].clone(),
            row["limit_per_month"].clone()
        ),
        (json!(null), json!(100_000))
    );
    let (status, problem) = office
        .call(
            Method::PUT,
            "/api/v1/companies/HOTEL-ZS",
            Some(json!({"name": "Hotel", "members": [{"customer": "C-2001", "role": "admin", "limit_per_order": -1}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
}
