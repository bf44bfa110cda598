//! The consent centre: changes and their proof, consent given elsewhere through the API,
//! asking again on a changed text, and the page as a browser without JavaScript uses it.
//! On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::db::Db;
use app::language::Language;
use app::privacy::ContactChannel;
use app::privacy::service::{
    Origin, PortalChange, PurposeDefinition, change_by_customer, define_purpose, may_contact,
    text_hash, view,
};
use axum::body::{Body, to_bytes};
use http::{Request, StatusCode, header};
use serde_json::json;
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

async fn anna(t: &common::TestDb) -> (app::accounts::UserSummary, i64) {
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    let summary = user.summary(Vec::new());
    (summary, common::customer_id(&t.db, "C-1001").await)
}

/// Whether marketing for `purpose` may reach the customer through `channel`.
async fn may(t: &common::TestDb, customer: i64, purpose: &str, channel: ContactChannel) -> bool {
    may_contact(&t.db, customer, purpose, channel)
        .await
        .expect("ask")
}

/// The privacy page as the customer sees it.
async fn page_of(
    t: &common::TestDb,
    user: &app::accounts::UserSummary,
    customer: i64,
    language: Language,
) -> app::privacy::PrivacyView {
    view(&t.db, user, Some(customer), language)
        .await
        .expect("view")
}

fn change(purpose: &str, channel: &str, granted: bool, version: i32) -> PortalChange {
    PortalChange {
        purpose: purpose.into(),
        channel: channel.into(),
        granted,
        version,
        language: "nl".into(),
    }
}

const ORIGIN: Origin<'static> = Origin {
    ip: "192.0.2.7",
    user_agent: Some("Firefox op de bank"),
};

/// (granted, source, actor_user_id, ip, user_agent, text_sha256, text_snapshot, text_version,
/// text_language) of every consent event of a customer, oldest first.
type Proof = (
    bool,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    String,
    i32,
    String,
);

async fn proof(db: &Db, customer_id: i64) -> Vec<Proof> {
    let sql = "SELECT granted, source, actor_user_id, ip, user_agent, text_sha256, text_snapshot, \
               text_version, text_language FROM consent_events WHERE customer_id = $1 ORDER BY id";
    match db {
        Db::Sqlite(p) => sqlx::query_as(sql).bind(customer_id).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).bind(customer_id).fetch_all(p).await,
    }
    .expect("proof")
}

#[tokio::test]
async fn a_change_is_shown_kept_as_proof_and_sent_to_the_back_office() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    // Anna said yes to the newsletter at the till; the back office records it.
    let office = common::BackOffice::new(&t).await;
    let (status, body) = office
        .call(
            http::Method::PUT,
            "/api/v1/customers/C-1001/consents",
            Some(json!({"consents": [{"purpose": "newsletter", "channel": "email", "granted": true,
                "text_version": 1, "language": "nl", "source": "till", "taken_by": "Kassa 2, Utrecht",
                "given_at": "2026-11-01T10:00:00Z"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = page_of(&t, &user, customer, Language::Nl).await;
    let codes: Vec<&str> = page.purposes.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "newsletter",
            "personal_offers",
            "product_tips",
            "review_requests",
            "delivery_partners"
        ]
    );
    let newsletter = &page.purposes[0];
    assert_eq!(newsletter.title, "Nieuwsbrief");
    assert!(newsletter.channels[0].granted);
    assert_eq!(page.history.len(), 1);
    assert_eq!(page.history[0].source, app::privacy::ConsentSource::Till);
    assert!(page.history[0].by_staff);
    let webhooks_before = common::outbox_payloads(&t, "webhook").await.len();

    // She withdraws it, and agrees to personal offers by text message.
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("newsletter", "email", false, 1),
        &ORIGIN,
    )
    .await
    .expect("withdraw");
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("personal_offers", "sms", true, 1),
        &ORIGIN,
    )
    .await
    .expect("grant");
    let page = page_of(&t, &user, customer, Language::En).await;
    assert!(!page.purposes[0].channels[0].granted);
    let offers = &page.purposes[1];
    assert_eq!(offers.title, "Personal offers");
    let sms = offers
        .channels
        .iter()
        .find(|c| c.channel == ContactChannel::Sms)
        .expect("sms");
    assert!(sms.granted);
    assert_eq!(page.history.len(), 3);
    assert_eq!(page.history[0].purpose_title, "Personal offers");
    assert!(page.history[0].granted && !page.history[0].by_staff);
    assert!(!page.history[1].granted);
    assert!(may(&t, customer, "personal_offers", ContactChannel::Sms).await);
    assert!(!may(&t, customer, "personal_offers", ContactChannel::Email).await);
    assert!(!may(&t, customer, "newsletter", ContactChannel::Email).await);

    // The proof: every field, the text as she read it and its hash.
    let proof = proof(&t.db, customer).await;
    assert_eq!(proof.len(), 3);
    let (granted, source, actor, ip, agent, sha, snapshot, version, language) = &proof[2];
    assert!(*granted);
    assert_eq!(source, "portal");
    assert_eq!(*actor, Some(user.id));
    assert_eq!(ip.as_deref(), Some("192.0.2.7"));
    assert_eq!(agent.as_deref(), Some("Firefox op de bank"));
    assert_eq!((*version, language.as_str()), (1, "nl"));
    let (title, body) = snapshot.split_once('\n').expect("title and body");
    assert_eq!(title, "Persoonlijke aanbiedingen");
    assert_eq!(*sha, text_hash(title, body));
    // The till's consent has no portal actor, address or browser.
    assert_eq!(proof[0].1, "till");
    assert_eq!((proof[0].2, proof[0].3.as_deref()), (None, None));

    // The back office heard of both changes.
    let hooks = common::outbox_payloads(&t, "webhook").await;
    let new: Vec<&serde_json::Value> = hooks[webhooks_before..].iter().collect();
    assert_eq!(new.len(), 2);
    assert!(new.iter().all(|h| h["type"] == "customer.consent_changed"));
    assert_eq!(new[1]["data"]["customer"], "C-1001");
    assert_eq!(new[1]["data"]["purpose"], "personal_offers");
    assert_eq!(new[1]["data"]["channel"], "sms");
    assert_eq!(new[1]["data"]["granted"], true);
    assert_eq!(new[1]["data"]["source"], "portal");
}

#[tokio::test]
async fn a_change_must_name_the_newest_text_and_a_channel_of_the_purpose() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    for (c, field, code) in [
        (
            change("newsletter", "sms", true, 1),
            "channel",
            "not_for_purpose",
        ),
        (change("newsletter", "fax", true, 1), "channel", "invalid"),
        (
            change("newsletter", "email", true, 2),
            "version",
            "text_changed",
        ),
        (change("lottery", "email", true, 1), "purpose", "unknown"),
    ] {
        let err = change_by_customer(&t.db, &user, Some(customer), &c, &ORIGIN)
            .await
            .expect_err("refused");
        assert_eq!(
            common::field_codes(err),
            [(field.to_string(), code.to_string())]
        );
    }
    assert!(proof(&t.db, customer).await.is_empty(), "nothing recorded");
}

#[tokio::test]
async fn a_new_text_that_asks_again_ends_the_old_consent_and_an_editorial_one_does_not() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("newsletter", "email", true, 1),
        &ORIGIN,
    )
    .await
    .expect("grant");
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("product_tips", "email", true, 1),
        &ORIGIN,
    )
    .await
    .expect("grant");
    // An editorial change of the tips (asks_again false): her consent still counts.
    let tips = PurposeDefinition {
        code: "product_tips",
        channels: &[ContactChannel::Email],
        marketing: true,
        position: 3,
        active: true,
        soft_opt_in: false,
        texts: &[
            (
                Language::Nl,
                "Tips na je aankoop",
                "Na een aankoop tips over onderhoud en wassen.",
            ),
            (
                Language::En,
                "Tips after your purchase",
                "After a purchase, tips on care and washing.",
            ),
        ],
        asks_again: false,
    };
    assert_eq!(define_purpose(&t.db, &tips).await.expect("define"), 2);
    // The same text again makes no new version.
    assert_eq!(define_purpose(&t.db, &tips).await.expect("define"), 2);
    assert!(may(&t, customer, "product_tips", ContactChannel::Email).await);
    // The newsletter now also covers partners' offers: that asks again.
    let newsletter = PurposeDefinition {
        code: "newsletter",
        channels: &[ContactChannel::Email],
        marketing: true,
        position: 1,
        active: true,
        soft_opt_in: false,
        texts: &[
            (
                Language::Nl,
                "Nieuwsbrief",
                "Eens per maand onze nieuwsbrief, nu ook met aanbiedingen van partners.",
            ),
            (
                Language::En,
                "Newsletter",
                "Our monthly newsletter, now with offers from partners too.",
            ),
        ],
        asks_again: true,
    };
    assert_eq!(define_purpose(&t.db, &newsletter).await.expect("define"), 2);
    assert!(!may(&t, customer, "newsletter", ContactChannel::Email).await);
    let page = page_of(&t, &user, customer, Language::Nl).await;
    let choice = &page.purposes[0].channels[0];
    assert!(!choice.granted && choice.asked_again, "{choice:?}");
    assert_eq!(page.purposes[0].version, 2);
    // Agreeing to the old text is refused; to the new one counts.
    let err = change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("newsletter", "email", true, 1),
        &ORIGIN,
    )
    .await
    .expect_err("old text");
    assert_eq!(
        common::field_codes(err),
        [("version".to_string(), "text_changed".to_string())]
    );
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("newsletter", "email", true, 2),
        &ORIGIN,
    )
    .await
    .expect("new text");
    assert!(may(&t, customer, "newsletter", ContactChannel::Email).await);
    // The proof of the old consent still carries the old text.
    let proof = proof(&t.db, customer).await;
    assert!(proof[0].6.contains("nieuwe collecties"));
    assert!(proof.last().expect("new").6.contains("partners"));
}

/// The `field` of each entry of a problem+json answer's `errors`.
fn error_fields(body: &serde_json::Value) -> Vec<&str> {
    body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect()
}

/// Pieter's three consents from the till, the third with this `source`.
fn three_from_the_till(third_source: &str) -> serde_json::Value {
    json!({"consents": [
        {"purpose": "newsletter", "channel": "email", "granted": true, "text_version": 1, "language": "nl", "source": "till"},
        {"purpose": "newsletter", "channel": "post", "granted": true, "text_version": 1, "language": "nl", "source": "till"},
        {"purpose": "review_requests", "channel": "sms", "granted": true, "text_version": 9, "language": "nl", "source": third_source}
    ]})
}

#[tokio::test]
async fn the_back_office_records_consent_given_at_the_till_all_or_nothing() {
    let t = common::demo().await;
    let office = common::BackOffice::new(&t).await;
    let pieter = common::customer_id(&t.db, "C-1002").await;
    // One bad entry: nothing is recorded, each problem named.
    let (status, body) = office
        .call(
            http::Method::PUT,
            "/api/v1/customers/C-1002/consents",
            Some(three_from_the_till("portal")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = error_fields(&body);
    assert_eq!(fields, ["consents[2].source"], "{body}");
    let (status, body) = office
        .call(
            http::Method::PUT,
            "/api/v1/customers/C-1002/consents",
            Some(three_from_the_till("store")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = error_fields(&body);
    assert_eq!(
        fields,
        ["consents[1].channel", "consents[2].text_version"],
        "{body}"
    );
    assert!(proof(&t.db, pieter).await.is_empty());

    // By phone, taken by customer service: recorded and shown with its source.
    let (status, body) = office
        .call(
            http::Method::PUT,
            "/api/v1/customers/C-1002/consents",
            Some(json!({"consents": [
                {"purpose": "personal_offers", "channel": "post", "granted": true, "text_version": 1, "language": "nl",
                 "source": "customer_service", "taken_by": "Sanne, klantenservice"}
            ]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!([
            {"purpose": "personal_offers", "channel": "post", "granted": true, "text_version": 1, "basis": "consent"},
            // Pieter bought from us: the tips reach him by the soft opt-in, told apart.
            {"purpose": "product_tips", "channel": "email", "granted": true, "text_version": 1, "basis": "soft_opt_in"}
        ])
    );
    // Pieter has no portal account: his history is there for when he makes one.
    let history = app::privacy::repo::history(&t.db, pieter, "nl")
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].title.as_str(),
            history[0].source.as_str(),
            history[0].actor_user_id
        ),
        ("Persoonlijke aanbiedingen", "customer_service", None)
    );
    // Unknown customer: 404; reading needs no body.
    let (status, _) = office
        .call(http::Method::GET, "/api/v1/customers/C-9999/consents", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = office
        .call(http::Method::GET, "/api/v1/customers/C-1002/consents", None)
        .await;
    assert_eq!(
        (status, body[0]["purpose"].as_str()),
        (StatusCode::OK, Some("personal_offers"))
    );
}

/// The page and a switch as a browser without JavaScript uses them: a plain form POST,
/// then back on the page with the new state.
#[tokio::test]
async fn the_switch_works_as_a_plain_form() {
    let t = common::demo().await;
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let cookie = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let get_page = |cookie: String| {
        let router = router.clone();
        async move {
            let res = router
                .oneshot(
                    Request::get("/account/privacy")
                        .header(header::COOKIE, cookie)
                        .header(header::ACCEPT, "text/html")
                        .body(Body::empty())
                        .expect("req"),
                )
                .await
                .expect("page");
            assert_eq!(res.status(), StatusCode::OK);
            String::from_utf8(
                to_bytes(res.into_body(), 1 << 20)
                    .await
                    .expect("body")
                    .to_vec(),
            )
            .expect("utf8")
        }
    };
    let html = get_page(cookie.clone()).await;
    assert!(html.contains("<h1>Privacy"), "{html}");
    assert!(html.contains(r#"action="/api/fn/set_consent""#));
    // Nothing chosen yet; only the tips are on, by the soft opt-in (she bought from us).
    assert_eq!(html.matches(r#"aria-checked="true""#).count(), 1);
    assert!(html.contains("Aan omdat je bij ons kocht"));
    assert!(html.contains("Je hebt nog geen keuzes gemaakt."));

    let form: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("purpose", "newsletter")
        .append_pair("channel", "email")
        .append_pair("granted", "true")
        .append_pair("version", "1")
        .append_pair("language", "nl")
        .finish();
    let res = router
        .clone()
        .oneshot(
            Request::post("/api/fn/set_consent")
                .header(header::COOKIE, &cookie)
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "http://127.0.0.1:3000")
                .header(header::USER_AGENT, "Lynx/2.9")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .body(Body::from(form))
                .expect("req"),
        )
        .await
        .expect("post");
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(location, "/account/privacy?saved=1#purpose-newsletter");
    let html = get_page(cookie).await;
    // The newsletter is on, and its form now switches it off.
    let newsletter = html
        .split(r#"id="purpose-newsletter""#)
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("newsletter section");
    assert!(newsletter.contains(r#"name="granted" value="false""#));
    assert!(newsletter.contains(r#"role="switch" aria-checked="true""#));
    assert!(html.contains("Toestemming gegeven") && html.contains("In Mijn Portaal"));
    let anna = common::customer_id(&t.db, "C-1001").await;
    let proof = proof(&t.db, anna).await;
    assert_eq!(proof.last().and_then(|p| p.4.as_deref()), Some("Lynx/2.9"));
}

#[tokio::test]
async fn the_admin_defines_purposes_whose_changed_texts_become_new_versions() {
    use app::privacy::admin::{PurposeForm, overview, save};
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    let form = |body_nl: &'static str, asks_again: bool, active: bool| PurposeForm {
        code: "birthday",
        channels: vec![ContactChannel::Email, ContactChannel::Post],
        marketing: true,
        active,
        soft_opt_in: false,
        position: "6",
        title_nl: "Verjaardagskorting",
        body_nl,
        title_en: "Birthday discount",
        body_en: "A discount in the week of your birthday.",
        asks_again,
    };
    assert_eq!(
        save(
            &t.db,
            &form("Korting in de week van je verjaardag.", false, true)
        )
        .await
        .expect("new"),
        1
    );
    let page = page_of(&t, &user, customer, Language::Nl).await;
    let birthday = page.purposes.last().expect("shown");
    assert_eq!(
        (birthday.code.as_str(), birthday.channels.len()),
        ("birthday", 2)
    );
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("birthday", "post", true, 1),
        &ORIGIN,
    )
    .await
    .expect("grant");
    // New words that ask again: version 2; the old rows stay for the proof.
    assert_eq!(
        save(
            &t.db,
            &form(
                "Korting en een kaartje in de week van je verjaardag.",
                true,
                true
            )
        )
        .await
        .expect("changed"),
        2
    );
    let texts = common::number(
        &t.db,
        "SELECT count(*) FROM consent_texts t JOIN consent_purposes p ON p.id = t.purpose_id WHERE p.code = $1",
        "birthday",
    )
    .await;
    assert_eq!(texts, 4);
    assert!(!may(&t, customer, "birthday", ContactChannel::Post).await);
    let admin = overview(&t.db).await.expect("admin");
    let shown = admin
        .purposes
        .iter()
        .find(|p| p.code == "birthday")
        .expect("listed");
    assert_eq!((shown.version, shown.asks_again_from), (2, Some(2)));
    assert!(shown.body_nl.contains("kaartje"));
    let count = admin
        .counts
        .iter()
        .find(|c| c.purpose == "birthday")
        .expect("counted");
    assert_eq!(
        (count.channel, count.version, count.granted, count.withdrawn),
        (ContactChannel::Post, 1, 1, 0)
    );
    // Switched off: customers no longer see it, and it reaches nobody.
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("birthday", "post", true, 2),
        &ORIGIN,
    )
    .await
    .expect("agree again");
    assert!(may(&t, customer, "birthday", ContactChannel::Post).await);
    save(
        &t.db,
        &form(
            "Korting en een kaartje in de week van je verjaardag.",
            false,
            false,
        ),
    )
    .await
    .expect("deactivated");
    let page = page_of(&t, &user, customer, Language::Nl).await;
    assert!(page.purposes.iter().all(|p| p.code != "birthday"));
    assert!(!may(&t, customer, "birthday", ContactChannel::Post).await);

    // Bad input: each problem named by the form's fields, nothing saved.
    let mut bad = form("", false, true);
    bad.code = "new purpose!";
    bad.channels.clear();
    bad.title_en = " ";
    let err = save(&t.db, &bad).await.expect_err("refused");
    let mut fields: Vec<String> = common::field_codes(err)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    fields.sort();
    assert_eq!(fields, ["body_nl", "channels", "code", "title_en"]);
    let mut bad = form("x", false, true);
    bad.position = "first";
    assert_eq!(
        common::field_codes(save(&t.db, &bad).await.expect_err("refused")),
        [("position".to_string(), "out_of_range".to_string())]
    );
}

#[tokio::test]
async fn the_soft_opt_in_mails_buyers_until_they_say_no_and_is_told_apart_from_consent() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    let office = common::BackOffice::new(&t).await;
    // Anna bought from Slaapwereld and never chose about the tips: e-mail only, by the
    // soft opt-in the demo retailer set for that purpose.
    assert!(may(&t, customer, "product_tips", ContactChannel::Email).await);
    let page = page_of(&t, &user, customer, Language::Nl).await;
    let tips = page
        .purposes
        .iter()
        .find(|p| p.code == "product_tips")
        .expect("tips");
    assert!(tips.channels[0].granted && tips.channels[0].soft_opt_in);
    assert!(
        page.purposes
            .iter()
            .filter(|p| p.code != "product_tips")
            .all(|p| p.channels.iter().all(|c| !c.soft_opt_in))
    );
    let (status, body) = office
        .call(http::Method::GET, "/api/v1/customers/C-1001/consents", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!([{"purpose": "product_tips", "channel": "email", "granted": true, "text_version": 1, "basis": "soft_opt_in"}])
    );
    // She says no: recorded as her choice, and it wins from then on.
    change_by_customer(
        &t.db,
        &user,
        Some(customer),
        &change("product_tips", "email", false, 1),
        &ORIGIN,
    )
    .await
    .expect("no");
    assert!(!may(&t, customer, "product_tips", ContactChannel::Email).await);
    let page = page_of(&t, &user, customer, Language::Nl).await;
    let tips = page
        .purposes
        .iter()
        .find(|p| p.code == "product_tips")
        .expect("tips");
    assert!(!tips.channels[0].granted && !tips.channels[0].soft_opt_in);
    let (_, body) = office
        .call(http::Method::GET, "/api/v1/customers/C-1001/consents", None)
        .await;
    assert_eq!(body[0]["basis"], "consent");
    assert_eq!(body[0]["granted"], false);

    // Someone who never bought gets nothing by it.
    let (status, _) = office
        .call(
            http::Method::PUT,
            "/api/v1/customers/C-7001",
            Some(json!({"name": "Noor Nieuw", "email": "noor@example.nl"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let noor = common::customer_id(&t.db, "C-7001").await;
    assert!(!may(&t, noor, "product_tips", ContactChannel::Email).await);
    let (_, body) = office
        .call(http::Method::GET, "/api/v1/customers/C-7001/consents", None)
        .await;
    assert_eq!(body, json!([]));

    // The setting is only for marketing by e-mail.
    let form = app::privacy::admin::PurposeForm {
        code: "catalogue",
        channels: vec![ContactChannel::Post],
        marketing: true,
        active: true,
        soft_opt_in: true,
        position: "7",
        title_nl: "Catalogus",
        body_nl: "Twee keer per jaar onze catalogus.",
        title_en: "Catalogue",
        body_en: "Our catalogue twice a year.",
        asks_again: false,
    };
    let err = app::privacy::admin::save(&t.db, &form)
        .await
        .expect_err("refused");
    assert_eq!(
        common::field_codes(err),
        [(
            "soft_opt_in".to_string(),
            "email_marketing_only".to_string()
        )]
    );
}
