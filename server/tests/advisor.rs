//! Product advisors (issue #21): definitions are imported into a draft, checked and
//! published as versions; advice is saved under a code and keeps pointing at the version
//! it was given with; personal answers are kept only with consent. On SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::advisor::engine::{Answers, Given};
use app::advisor::{repo, service};
use app::db::Timestamp;

fn answers(pairs: &[(&str, Given)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn choose(key: &str) -> Given {
    Given::Choices(vec![key.to_string()])
}

fn side_sleeper() -> Answers {
    answers(&[
        ("position", choose("side")),
        ("weight", Given::Number(75)),
        ("partner", choose("no")),
        ("complaints", Given::Choices(vec!["shoulder_hip".into()])),
        ("material", choose("foam")),
        ("width", choose("140")),
    ])
}

#[tokio::test]
async fn the_demo_publishes_the_mattress_advisor_and_a_new_version_leaves_old_advice_alone() {
    let t = common::demo().await;
    let v1 = service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("the demo's advisor is published");
    assert_eq!(v1.row.version, 1);
    let candidates = service::candidates(&t.db, &v1.definition)
        .await
        .expect("catalogue");
    // The active mattresses of the demo catalogue, every size.
    assert_eq!(candidates.len(), 17);

    // A guest's advice, saved under a code; their weight and complaints are not kept.
    let now = Timestamp::now();
    let code = service::save(
        &t.db,
        service::ToSave {
            version: &v1,
            customer_id: None,
            answers: &side_sleeper(),
            keep_personal: false,
            candidates: &candidates,
        },
        now,
    )
    .await
    .expect("saved");
    assert_eq!(code.len(), 8);
    let typed = format!("{}-{}", &code[..4], code[4..].to_lowercase());
    let saved = service::by_code(&t.db, &typed)
        .await
        .expect("read")
        .expect("found by the code as typed");
    assert_eq!(saved.version.row.version, 1);
    assert!(saved.advice.customer_id.is_none());
    assert!(saved.advice.expires_at.is_some());
    assert!(saved.answers.contains_key("position"));
    assert!(
        !saved.answers.contains_key("weight"),
        "no consent: not kept"
    );
    assert!(!saved.answers.contains_key("complaints"));
    assert!(
        saved.advice.picks.contains("MAT-WOLKEN-140200"),
        "{}",
        saved.advice.picks
    );

    // With consent, they are.
    let code_kept = service::save(
        &t.db,
        service::ToSave {
            version: &v1,
            customer_id: None,
            answers: &side_sleeper(),
            keep_personal: true,
            candidates: &candidates,
        },
        now,
    )
    .await
    .expect("saved");
    let kept = service::by_code(&t.db, &code_kept)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(kept.answers.get("weight"), Some(&Given::Number(75)));

    // The retailer edits the first question and publishes: version 2 for new visitors,
    // while the saved advice still opens with version 1.
    let mut edited: serde_json::Value = serde_json::from_str(app::advisor::MATTRESS).expect("json");
    edited["questions"][0]["text"]["en"] =
        serde_json::json!("How do you lie when you fall asleep?");
    let key = service::import_draft(&t.db, &edited.to_string(), None)
        .await
        .expect("import")
        .expect("valid");
    assert_eq!(key, "matras");
    let draft = service::draft(&t.db, "matras")
        .await
        .expect("read")
        .expect("a draft");
    assert_eq!(draft.row.version, repo::DRAFT);
    assert_eq!(
        service::published(&t.db, "matras")
            .await
            .expect("read")
            .expect("v1")
            .row
            .version,
        1,
        "a draft changes nothing for visitors"
    );
    let report = service::check_draft(&t.db, "matras").await.expect("check");
    assert!(report.complete && report.dead_ends.is_empty());
    assert_eq!(
        service::publish(&t.db, "matras", None)
            .await
            .expect("published"),
        2
    );
    let v2 = service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("v2");
    assert_eq!(v2.row.version, 2);
    assert_eq!(
        v2.definition.questions[0].text.en,
        "How do you lie when you fall asleep?"
    );
    let old = service::by_code(&t.db, &code)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(old.version.row.version, 1);
    assert_eq!(
        old.version.definition.questions[0].text.en,
        "Which position do you usually sleep in?"
    );

    // A guest's advice goes after its period.
    let later = now + chrono::TimeDelta::days(service::GUEST_ADVICE_DAYS + 1);
    assert_eq!(repo::purge_expired(&t.db, later).await.expect("purged"), 2);
    assert!(
        service::by_code(&t.db, &code)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_bad_definition_is_refused_whole_naming_the_field() {
    let t = common::demo().await;
    let before = t.count("advisor_versions").await;
    let mut bad: serde_json::Value = serde_json::from_str(app::advisor::MATTRESS).expect("json");
    bad["rules"][3]["op"] = serde_json::json!("around");
    let problems = service::import_draft(&t.db, &bad.to_string(), None)
        .await
        .expect("read")
        .expect_err("refused");
    assert_eq!(problems[0].at, "rules[3].op");
    assert!(
        problems[0].message.contains("unknown variant `around`"),
        "{}",
        problems[0]
    );
    bad["rules"][3]["op"] = serde_json::json!("equals");
    bad["questions"][2]["answers"][1]["key"] = serde_json::json!("no");
    let problems = service::import_draft(&t.db, &bad.to_string(), None)
        .await
        .expect("read")
        .expect_err("refused");
    assert_eq!(problems[0].at, "questions[2].answers[1].key");
    assert_eq!(
        t.count("advisor_versions").await,
        before,
        "nothing half-imported"
    );
    let draft = service::draft(&t.db, "matras")
        .await
        .expect("read")
        .expect("the draft the demo published from");
    assert_eq!(draft.definition.questions[2].answers[1].key, "yes");
}

/// The advisor's server functions as the pages call them (each form a POST with a
/// redirect), with the visitor's session cookie.
struct Visitor<'r> {
    router: &'r axum::Router,
    cookie: String,
}

/// The portal as a browser meets it, on the test's database.
fn router(t: &common::TestDb) -> axum::Router {
    server::router::build_router(t.state(), server::sessions::PortalSessionStore::new(&t.db))
}

impl<'r> Visitor<'r> {
    /// Someone not logged in.
    fn guest(router: &'r axum::Router) -> Visitor<'r> {
        Visitor {
            router,
            cookie: String::new(),
        }
    }

    /// Someone logged in (staff pass the second step).
    async fn login(router: &'r axum::Router, email: &str, password: &str) -> Visitor<'r> {
        Visitor {
            router,
            cookie: common::login_cookie(router, email, password).await,
        }
    }
    async fn step(&self, change: &str) -> app::advisor::Step {
        let answer = common::call(
            self.router,
            http::Method::GET,
            &format!("/api/fn/advisor_step?key=matras&language=en&change={change}"),
            &self.cookie,
            &[],
        )
        .await;
        assert_eq!(answer.status, http::StatusCode::OK, "{}", answer.body);
        serde_json::from_str(&answer.body).expect("a step")
    }

    async fn post(&mut self, function: &str, form: &[(&str, &str)]) -> common::Answer {
        let answer = common::call(
            self.router,
            http::Method::POST,
            &format!("/api/fn/{function}"),
            &self.cookie,
            form,
        )
        .await;
        self.cookie = answer.cookie.clone();
        answer
    }

    /// Answers `question`, expecting to be sent on to the conversation.
    async fn answer(&mut self, question: &str, field: &str, value: &str) {
        let answer = self
            .post(
                "advisor_answer",
                &[("key", "matras"), ("question", question), (field, value)],
            )
            .await;
        assert_eq!(
            answer.location.as_deref(),
            Some("/advies/matras"),
            "{question}: {}",
            answer.body
        );
    }

    /// An answer refused: the field and code it is refused with.
    async fn refused(&mut self, question: &str, field: &str, value: &str) -> Vec<(String, String)> {
        let answer = self
            .post(
                "advisor_answer",
                &[("key", "matras"), ("question", question), (field, value)],
            )
            .await;
        assert_eq!(answer.status, http::StatusCode::UNPROCESSABLE_ENTITY);
        common::field_codes(serde_json::from_str(&answer.body).expect("an error"))
    }

    async fn answer_all(&mut self, weight: &str) {
        self.answer("position", "choice", "side").await;
        self.answer("weight", "number", weight).await;
        self.answer("partner", "choice", "no").await;
        self.answer("complaints", "choices[shoulder_hip]", "on")
            .await;
        self.answer("material", "choice", "foam").await;
        self.answer("width", "choice", "140").await;
    }

    /// Saves the advice: answers its code.
    async fn save(&mut self, keep_personal: bool) -> String {
        let mut form = vec![("key", "matras")];
        if keep_personal {
            form.push(("keep_personal", "yes"));
        }
        let answer = self.post("advisor_save", &form).await;
        let location = answer.location.expect("on to the saved advice");
        let code = location
            .strip_prefix("/advies/code/")
            .and_then(|rest| rest.strip_suffix("?saved=1"))
            .expect("the saved advice's address");
        code.to_string()
    }

    /// The admin's screen of the mattress advisor (`query`: more of the address).
    async fn screen(
        &self,
        query: &str,
    ) -> (
        app::advisor::admin::AdvisorDetail,
        Option<app::advisor::admin::Refused>,
    ) {
        let answer = common::call(
            self.router,
            http::Method::GET,
            &format!("/api/fn/advisor_admin?key=matras&language=en{query}"),
            &self.cookie,
            &[],
        )
        .await;
        assert_eq!(answer.status, http::StatusCode::OK, "{}", answer.body);
        serde_json::from_str(&answer.body).expect("the screen")
    }

    async fn saved(&self, code: &str) -> common::Answer {
        common::call(
            self.router,
            http::Method::GET,
            &format!("/api/fn/saved_advice?code={code}&language=en"),
            &self.cookie,
            &[],
        )
        .await
    }
}

#[tokio::test]
async fn a_guest_gets_explained_advice_saves_it_and_the_store_goes_on_with_it() {
    let t = common::demo().await;
    let router = router(&t);
    let mut guest = Visitor::guest(&router);

    // The home page links to the advisor; its first page asks the first question.
    let home = common::call(&router, http::Method::GET, "/", "", &[]).await;
    assert!(
        home.body.contains("href=\"/advies/matras\""),
        "home links to it"
    );
    let page = common::call(&router, http::Method::GET, "/advies/matras", "", &[]).await;
    assert_eq!(page.status, http::StatusCode::OK);
    assert!(
        page.body
            .contains("Which position do you usually sleep in?")
    );
    let first = guest.step("").await;
    let question = first.question.expect("a question");
    assert_eq!((question.key.as_str(), first.number), ("position", 1));
    assert_eq!(question.answers.len(), 4);

    // Wrong answers are refused next to their field; nothing is kept.
    assert_eq!(
        guest.refused("position", "choice", "").await,
        [("choice".to_string(), "required".to_string())]
    );
    assert_eq!(
        guest.refused("position", "choice", "upside_down").await,
        [("choice".to_string(), "required".to_string())]
    );
    guest.answer("position", "choice", "side").await;
    assert_eq!(
        guest.refused("weight", "number", "zeventig").await,
        [("number".to_string(), "not_a_number".to_string())]
    );
    assert_eq!(
        guest.refused("weight", "number", "300").await,
        [("number".to_string(), "out_of_range".to_string())]
    );
    let step = guest.step("").await;
    let weight = step.question.expect("still the weight");
    assert_eq!(weight.key, "weight");
    assert!(weight.personal && weight.why.is_some(), "says why it asks");
    assert_eq!(step.previous.as_deref(), Some("position"));

    guest.answer_all("75").await;
    let done = guest.step("").await;
    assert!(done.question.is_none());
    let advice = done.advice.expect("the advice");
    assert_eq!(advice.picks.len(), 3);
    assert!(advice.exact);
    assert!(
        advice.picks.iter().all(|p| p.name.contains("140")),
        "the width asked for"
    );
    assert!(!advice.picks[0].fits.is_empty(), "explained");
    // Where the catalogue says a model is on display, the advice names those stores.
    let showrooms: Vec<(&str, &str)> = advice.picks[0]
        .showrooms
        .iter()
        .map(|s| (s.name.as_str(), s.city.as_str()))
        .collect();
    assert_eq!(
        showrooms,
        [
            ("Slaapwereld Utrecht", "Utrecht"),
            ("Slaapwereld Amsterdam", "Amsterdam")
        ],
        "{:?}",
        advice.picks[0].name
    );
    assert!(done.personal_given && !done.logged_in);
    assert_eq!(done.answered.len(), 6);
    assert_eq!(done.answered[1].answer, "75 kg");
    // Changing an earlier answer shows it, with what was chosen.
    let changing = guest.step("position").await;
    assert_eq!(
        changing.question.expect("the position again").chosen,
        ["side"]
    );

    // Saved without consent: the code opens it anywhere, without weight and complaints.
    let code = guest.save(false).await;
    let elsewhere = Visitor::guest(&router);
    let opened = elsewhere.saved(&code.to_lowercase()).await;
    assert_eq!(opened.status, http::StatusCode::OK, "{}", opened.body);
    let saved: app::advisor::SavedView = serde_json::from_str(&opened.body).expect("saved");
    assert_eq!(saved.code, code);
    assert!(saved.personal_missing && !saved.keeps_personal && !saved.store);
    assert!(saved.answered.iter().all(|a| !a.personal));
    assert!(saved.qr_svg.starts_with("<svg"));
    assert!(saved.link.ends_with(&format!("/advies/code/{code}")));
    assert!(saved.expires_local.is_some());
    let unknown = elsewhere.saved("ZZZZ2222").await;
    assert_eq!(unknown.status, http::StatusCode::NOT_FOUND);

    // Store staff open it by the code, go on with it, answer the weight again and see
    // what shifts.
    let mut store = Visitor::login(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let at_store: app::advisor::SavedView =
        serde_json::from_str(&store.saved(&code).await.body).expect("saved");
    assert!(at_store.store);
    let went_on = store.post("advisor_continue", &[("code", &code)]).await;
    assert_eq!(went_on.location.as_deref(), Some("/advies/matras"));
    let asks = store.step("").await;
    assert_eq!(asks.question.expect("the weight, not kept").key, "weight");
    store.answer("weight", "number", "120").await;
    store.answer("complaints", "choices[none]", "on").await;
    let shifted = store.step("").await;
    assert!(shifted.advice.is_some());
    assert_eq!(
        shifted.was_first.as_deref(),
        Some(advice.picks[0].name.as_str()),
        "what came first before"
    );

    // Anna, logged in, saves hers to her account, with her weight (she ticks the box).
    let mut anna = Visitor::login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    anna.answer_all("68").await;
    assert!(anna.step("").await.logged_in);
    let hers = anna.save(true).await;
    let row = service::by_code(&t.db, &hers)
        .await
        .expect("read")
        .expect("saved");
    assert_eq!(
        row.advice.customer_id,
        Some(common::customer_id(&t.db, "C-1001").await)
    );
    assert!(row.advice.expires_at.is_none(), "kept with the account");
    assert_eq!(row.answers.get("weight"), Some(&Given::Number(68)));

    // Starting again forgets the answers.
    let restarted = anna.post("advisor_restart", &[("key", "matras")]).await;
    assert_eq!(restarted.location.as_deref(), Some("/advies/matras"));
    assert_eq!(anna.step("").await.answered.len(), 0);
}

#[tokio::test]
async fn advice_is_linked_to_the_order_it_led_to_and_its_trial_night_return() {
    let t = common::demo().await;
    let v1 = service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("published");
    let shelf = service::shelf(&t.db, &v1.definition)
        .await
        .expect("catalogue");
    let anna = common::customer_id(&t.db, "C-1001").await;
    let code = service::save(
        &t.db,
        service::ToSave {
            version: &v1,
            customer_id: Some(anna),
            answers: &side_sleeper(),
            keep_personal: false,
            candidates: &shelf.candidates,
        },
        Timestamp::now(),
    )
    .await
    .expect("saved");
    let saved = service::by_code(&t.db, &code)
        .await
        .expect("read")
        .expect("found");
    // She buys the advised mattress in the store, in another size than advised.
    let advised = service::picked(&saved.advice)[0].clone();
    let family = shelf
        .candidates
        .iter()
        .find(|c| c.sku == advised)
        .expect("advised product")
        .family
        .clone();
    let other_size = shelf
        .candidates
        .iter()
        .find(|c| c.family == family && c.sku != advised)
        .expect("another size");
    let api = common::BackOffice::new(&t).await;
    let purchase = |number: &str, sku: &str, price: i64| {
        serde_json::json!({"channel": "store", "store": "UTR", "customer": "C-1001",
            "placed_at": chrono::Utc::now().to_rfc3339(), "status": "completed", "currency": "EUR",
            "lines": [{"sku": sku, "quantity": 1, "unit_price": price}],
            "payments": [{"method": "pin", "amount": price, "currency": "EUR"}],
            "receipt": {"code": format!("RC-{number}"), "till": "1"}})
    };
    // A pillow first: nothing advised, nothing linked.
    let (status, body) = api
        .call(
            http::Method::PUT,
            "/api/v1/orders/ST-ADV-1",
            Some(purchase("ST-ADV-1", "KUS-MEMORY-HOOG", 4995)),
        )
        .await;
    assert_eq!(status, http::StatusCode::OK, "{body}");
    assert!(
        service::by_code(&t.db, &code)
            .await
            .expect("read")
            .expect("found")
            .advice
            .order_id
            .is_none()
    );
    let (status, body) = api
        .call(
            http::Method::PUT,
            "/api/v1/orders/ST-ADV-2",
            Some(purchase("ST-ADV-2", &other_size.sku, other_size.price)),
        )
        .await;
    assert_eq!(status, http::StatusCode::OK, "{body}");
    let linked = service::by_code(&t.db, &code)
        .await
        .expect("read")
        .expect("found");
    assert!(linked.advice.order_id.is_some(), "linked to ST-ADV-2");
    let bought = service::purchase(&t.db, &linked.advice)
        .await
        .expect("read")
        .expect("a purchase");
    assert_eq!(bought.order_number, "ST-ADV-2");
    assert_eq!(bought.products, std::slice::from_ref(&other_size.name));
    assert!(!bought.returned);

    // Within the trial nights she brings it back: the advice shows it.
    common::anna_starts_return(
        &t,
        "ST-ADV-2",
        &app::returns::quote::ReturnForm {
            quantities: vec![(1, "1")],
            reasons: vec![(1, "too_soft")],
            method: "store",
            resolution: "refund",
            store: "UTR",
            ..app::returns::quote::ReturnForm::default()
        },
    )
    .await;
    let returned = service::purchase(&t.db, &linked.advice)
        .await
        .expect("read")
        .expect("a purchase");
    assert!(returned.returned);
}

#[tokio::test]
async fn the_admin_edits_a_question_previews_the_draft_checks_and_publishes() {
    let t = common::demo().await;
    let router = router(&t);
    let mut admin = Visitor::login(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;
    let (detail, refused) = admin.screen("").await;
    assert_eq!(detail.published, Some(1));
    assert!(refused.is_none());

    // A definition with a mistake: refused whole, each problem by its place, text kept.
    let mut edited: serde_json::Value = serde_json::from_str(&detail.definition).expect("json");
    edited["questions"][0]["text"]["en"] =
        serde_json::json!("How do you lie when you fall asleep?");
    let mut broken = edited.clone();
    broken["questions"][1]["range"]["maximum"] = serde_json::json!(250);
    let refused = admin
        .post(
            "save_advisor_draft",
            &[("from", "matras"), ("definition", &broken.to_string())],
        )
        .await;
    assert_eq!(
        refused.location.as_deref(),
        Some("/admin/advisors/matras?refused=1")
    );
    let (_, kept) = admin.screen("").await;
    let kept = kept.expect("the refused definition");
    assert_eq!(kept.problems[0].at, "questions[1].range.maximum");
    assert_eq!(kept.typed, broken.to_string());

    // Corrected: the draft; visitors still get version 1.
    let saved = admin
        .post(
            "save_advisor_draft",
            &[("from", "matras"), ("definition", &edited.to_string())],
        )
        .await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/admin/advisors/matras?saved=1")
    );
    let (detail, refused) = admin.screen("&check=true").await;
    assert!(refused.is_none() && detail.has_draft);
    let report = detail.report.expect("the check");
    assert!(report.complete && report.dead_ends.is_empty());
    assert!(
        report.without_product.iter().all(|p| p.contains("kg")),
        "only weights nothing carries: {:?}",
        report.without_product
    );
    let visitor = Visitor::guest(&router);
    assert_eq!(
        visitor.step("").await.question.expect("first").text,
        "Which position do you usually sleep in?"
    );

    // The preview asks the draft's question; only for admins.
    let preview = common::call(
        &router,
        http::Method::GET,
        "/api/fn/advisor_step?key=matras&language=en&preview=true",
        &admin.cookie,
        &[],
    )
    .await;
    let step: app::advisor::Step = serde_json::from_str(&preview.body).expect("a step");
    assert!(step.preview);
    assert_eq!(
        step.question.expect("first").text,
        "How do you lie when you fall asleep?"
    );
    let answered = admin
        .post(
            "advisor_answer",
            &[
                ("key", "matras"),
                ("question", "position"),
                ("choice", "back"),
                ("preview", "1"),
            ],
        )
        .await;
    assert_eq!(
        answered.location.as_deref(),
        Some("/advies/matras?preview=1")
    );
    assert_eq!(
        admin.step("").await.answered.len(),
        0,
        "the preview's answers are kept apart"
    );
    let not_for_visitors = common::call(
        &router,
        http::Method::GET,
        "/api/fn/advisor_step?key=matras&language=en&preview=true",
        "",
        &[],
    )
    .await;
    assert_eq!(not_for_visitors.status, http::StatusCode::UNAUTHORIZED);

    // The definition to download, then publishing makes version 2 for visitors.
    let download = common::call(
        &router,
        http::Method::GET,
        "/admin/advisors/matras/definition.json",
        &admin.cookie,
        &[],
    )
    .await;
    assert_eq!(download.status, http::StatusCode::OK);
    assert!(
        download
            .body
            .contains("How do you lie when you fall asleep?")
    );
    let published = admin.post("publish_advisor", &[("key", "matras")]).await;
    assert_eq!(
        published.location.as_deref(),
        Some("/admin/advisors/matras?published=2")
    );
    assert_eq!(
        visitor.step("").await.question.expect("first").text,
        "How do you lie when you fall asleep?"
    );
}

#[tokio::test]
async fn the_insights_count_answers_drop_off_and_advice_to_purchase_to_return() {
    let t = common::demo().await;
    let router = router(&t);
    // One visitor stops after the weight; a guest and Anna reach the advice and save it.
    let mut stops = Visitor::guest(&router);
    stops.answer("position", "choice", "back").await;
    stops.answer("weight", "number", "95").await;
    let mut guest = Visitor::guest(&router);
    guest.answer_all("72").await;
    assert!(guest.step("").await.advice.is_some());
    // Changing an answer, or looking at the advice again, counts nothing twice.
    guest.answer("weight", "number", "74").await;
    guest.step("").await;
    guest.save(false).await;
    let mut anna = Visitor::login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    anna.answer_all("75").await;
    anna.step("").await;
    let code = anna.save(true).await;
    // She buys the advised mattress and brings it back.
    let saved = service::by_code(&t.db, &code)
        .await
        .expect("read")
        .expect("saved");
    let sku = service::picked(&saved.advice)[0].clone();
    let (status, body) = common::BackOffice::new(&t)
        .await
        .call(
            http::Method::PUT,
            "/api/v1/orders/ST-INS-1",
            Some(
                serde_json::json!({"channel": "store", "store": "UTR", "customer": "C-1001",
                "placed_at": chrono::Utc::now().to_rfc3339(), "status": "completed",
                "currency": "EUR", "lines": [{"sku": sku, "quantity": 1, "unit_price": 69900}],
                "payments": [{"method": "pin", "amount": 69900, "currency": "EUR"}],
                "receipt": {"code": "RC-INS-1", "till": "1"}}),
            ),
        )
        .await;
    assert_eq!(status, http::StatusCode::OK, "{body}");
    common::anna_starts_return(
        &t,
        "ST-INS-1",
        &app::returns::quote::ReturnForm {
            quantities: vec![(1, "1")],
            reasons: vec![(1, "too_firm")],
            method: "store",
            resolution: "refund",
            store: "UTR",
            ..app::returns::quote::ReturnForm::default()
        },
    )
    .await;

    let admin =
        common::login_cookie(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;
    let answer = common::call(
        &router,
        http::Method::GET,
        "/api/fn/advisor_insights?key=matras&language=en",
        &admin,
        &[],
    )
    .await;
    assert_eq!(answer.status, http::StatusCode::OK, "{}", answer.body);
    let insights: app::advisor::admin::Insights =
        serde_json::from_str(&answer.body).expect("insights");
    assert_eq!((insights.started, insights.advised), (3, 2));
    let position = &insights.questions[0];
    assert_eq!(position.answered, 3);
    let shares: Vec<(&str, i64, u8)> = position
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.count, a.percent))
        .collect();
    assert_eq!(shares, [("On my side", 2, 67), ("On my back", 1, 33)]);
    let weight = &insights.questions[1];
    let ranges: Vec<(&str, i64)> = weight
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.count))
        .collect();
    assert_eq!(
        ranges,
        [("70–79 kg", 2), ("90–99 kg", 1)],
        "no exact weights"
    );
    let partner = &insights.questions[2];
    assert_eq!(partner.answered, 2);
    assert_eq!(
        partner.stopped_percent,
        Some(33),
        "one of three stopped here"
    );
    assert_eq!(
        insights.questions[3].stopped_percent, None,
        "only asked of those who share their bed"
    );
    assert_eq!(insights.products.len(), 1);
    let product = &insights.products[0];
    assert_eq!(
        (product.advised, product.bought, product.returned),
        (2, 1, 1)
    );
    assert_eq!(
        common::number(
            &t.db,
            "SELECT COUNT(*) FROM advisor_events WHERE answer LIKE $1",
            "%72%"
        )
        .await,
        0,
        "the exact weight is nowhere"
    );
}

#[tokio::test]
async fn a_guests_advice_is_mailed_at_the_store_with_consent_and_arrives_over_smtp() {
    let t = common::demo().await;
    let router = router(&t);
    let mut guest = Visitor::guest(&router);
    guest.answer_all("75").await;
    let code = guest.save(false).await;
    let first = guest
        .step("")
        .await
        .advice
        .expect("the advice")
        .picks
        .remove(0)
        .name;

    // At the counter: no consent ticked, or no address, is refused next to the field,
    // with what was typed kept.
    let mut store = Visitor::login(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let without_consent = store
        .post(
            "advisor_mail",
            &[
                ("code", &code),
                ("email", "klant@example.nl"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(
        without_consent.status,
        http::StatusCode::UNPROCESSABLE_ENTITY
    );
    let error: app::error::AppError =
        serde_json::from_str(&without_consent.body).expect("an error");
    assert_eq!(error.kept("email"), Some("klant@example.nl"));
    assert_eq!(
        common::field_codes(error),
        [("consent".to_string(), "required".to_string())]
    );
    let bad_address = store
        .post(
            "advisor_mail",
            &[("code", &code), ("email", "klant@"), ("consent", "on")],
        )
        .await;
    assert_eq!(
        common::field_codes(serde_json::from_str(&bad_address.body).expect("an error")),
        [("email".to_string(), "invalid".to_string())]
    );

    // With consent, in the language the customer chose: on to the advice, "mailed".
    let mailed = store
        .post(
            "advisor_mail",
            &[
                ("code", &code),
                ("email", " Klant@Example.nl "),
                ("consent", "on"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(
        mailed.location.as_deref(),
        Some(format!("/advies/code/{code}?mailed=1").as_str()),
        "{}",
        mailed.body
    );

    // The mail goes out over SMTP: the advice in order, the code and its link.
    let port = common::smtp::free_port();
    let received = common::smtp::start_sink(port);
    common::smtp::worker(&t, port)
        .run_once(app::db::Timestamp::now())
        .await
        .expect("run");
    let messages = received.lock().expect("lock").clone();
    let spaced = format!("{}-{}", &code[..4], &code[4..]);
    let message = messages
        .iter()
        .map(|m| common::smtp::readable(m))
        .find(|m| m.contains(&spaced))
        .unwrap_or_else(|| panic!("no mail with {spaced}: {messages:?}"));
    assert!(message.contains("To: klant@example.nl"), "{message}");
    assert!(
        message.contains(&format!(
            "Subject: Your advice from the Mattress advisor ({spaced})"
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("/advies/code/{code}")),
        "{message}"
    );
    assert!(
        message.contains(&format!("- {first}: ")),
        "the first choice, first: {message}"
    );
    assert!(message.contains("Hello,"), "no name to greet: {message}");

    // A visitor mails it to themselves (no consent box: asking is agreeing); the same
    // address gets at most three an hour.
    let to_herself = [
        ("code", code.as_str()),
        ("email", "klant@example.nl"),
        ("language", "nl"),
    ];
    for _ in 0..2 {
        let again = guest.post("advisor_mail", &to_herself).await;
        assert!(again.location.is_some(), "{}", again.body);
    }
    let flooding = guest.post("advisor_mail", &to_herself).await;
    assert_eq!(
        common::field_codes(serde_json::from_str(&flooding.body).expect("an error")),
        [("email".to_string(), "throttled".to_string())]
    );

    // Advice kept in a customer's account is not mailed from its code.
    let mut anna = Visitor::login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    anna.answer_all("68").await;
    let hers = anna.save(false).await;
    let refused = guest
        .post(
            "advisor_mail",
            &[
                ("code", &hers),
                ("email", "iemand@example.nl"),
                ("language", "nl"),
            ],
        )
        .await;
    assert_eq!(refused.status, http::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_admin_changes_a_questions_words_in_a_form_and_they_go_into_the_draft() {
    let t = common::demo().await;
    let router = router(&t);
    let mut admin = Visitor::login(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;
    let (detail, _) = admin.screen("").await;
    let keys: Vec<&str> = detail.questions.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "position",
            "weight",
            "partner",
            "partner_weight",
            "complaints",
            "material",
            "width"
        ]
    );
    let shown = common::call(
        &router,
        http::Method::GET,
        "/api/fn/advisor_question?key=matras&question=position&language=en",
        &admin.cookie,
        &[],
    )
    .await;
    let form: app::advisor::admin::QuestionEdit =
        serde_json::from_str(&shown.body).expect("the form");
    assert_eq!(form.text_en, "Which position do you usually sleep in?");
    assert_eq!(
        (form.answers[0].key.as_str(), form.answers[0].icon.as_str()),
        ("side", "side")
    );

    // Refused: each problem at its field, everything typed kept.
    let refused = admin
        .post(
            "save_advisor_question",
            &[
                ("key", "matras"),
                ("question", "position"),
                ("text_nl", " "),
                ("text_en", "How do you lie when you fall asleep?"),
                ("answer_nl[side]", "Op mijn zij"),
                ("icon[side]", "unicorn"),
            ],
        )
        .await;
    assert_eq!(refused.status, http::StatusCode::UNPROCESSABLE_ENTITY);
    let error: app::error::AppError = serde_json::from_str(&refused.body).expect("an error");
    assert_eq!(
        error.kept("text_en"),
        Some("How do you lie when you fall asleep?")
    );
    assert_eq!(error.kept("icon[side]"), Some("unicorn"));
    assert_eq!(
        common::field_codes(error),
        [
            ("text_nl".to_string(), "required".to_string()),
            ("icon[side]".to_string(), "unknown_icon".to_string())
        ]
    );

    // Saved into the draft; visitors keep the published version until it is published.
    let saved = admin
        .post(
            "save_advisor_question",
            &[
                ("key", "matras"),
                ("question", "position"),
                ("text_nl", "Hoe lig je als je in slaap valt?"),
                ("text_en", "How do you lie when you fall asleep?"),
                ("why_nl", &form.why_nl),
                ("why_en", &form.why_en),
                ("answer_nl[side]", "Op mijn zij, opgerold"),
                ("answer_en[side]", "On my side, curled up"),
                ("icon[side]", "soft"),
                ("icon[mixed]", ""),
            ],
        )
        .await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/admin/advisors/matras?saved=1"),
        "{}",
        saved.body
    );
    let draft = service::draft(&t.db, "matras")
        .await
        .expect("read")
        .expect("a draft");
    let position = draft.definition.question("position").expect("asked");
    assert_eq!(position.text.en, "How do you lie when you fall asleep?");
    assert_eq!(position.answers[0].text.en, "On my side, curled up");
    assert_eq!(position.answers[0].icon.as_deref(), Some("soft"));
    assert_eq!(position.answers[3].icon, None);
    assert_eq!(position.answers[1].text.en, "On my back", "not typed: kept");
    let published = service::published(&t.db, "matras")
        .await
        .expect("read")
        .expect("published");
    assert_eq!(
        published
            .definition
            .question("position")
            .expect("asked")
            .text
            .en,
        "Which position do you usually sleep in?"
    );

    // A number's range: the highest above the lowest.
    let range = admin
        .post(
            "save_advisor_question",
            &[
                ("key", "matras"),
                ("question", "weight"),
                ("text_nl", "Gewicht"),
                ("text_en", "Weight"),
                ("why_nl", "Waarom"),
                ("why_en", "Why"),
                ("min", "150"),
                ("max", "40"),
                ("unit_nl", "kg"),
                ("unit_en", "kg"),
            ],
        )
        .await;
    assert_eq!(
        common::field_codes(serde_json::from_str(&range.body).expect("an error")),
        [("max".to_string(), "not_above_min".to_string())]
    );
}
