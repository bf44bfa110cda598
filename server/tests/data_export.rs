//! "Download my data": asking (one at a time), the background build, what the ZIP holds
//! (every file, `data.json` valid against its schema, only this customer's data), the
//! mail, and who may download it until when. On SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL.
mod common;

use std::io::Read;

use app::db::Timestamp;
use app::language::Language;
use app::privacy::export::builder::{SCHEMA_JSON, Section};
use app::privacy::export::{ExportStatus, repo, service};
use app::returns::quote::ReturnForm;
use axum::body::{Body, to_bytes};
use chrono::TimeDelta;
use http::{Request, StatusCode, header};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

async fn anna(t: &common::TestDb) -> (app::accounts::UserSummary, i64) {
    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna");
    (
        user.summary(Vec::new()),
        common::customer_id(&t.db, "C-1001").await,
    )
}

/// The stored ZIP of export `code`, joined from its parts.
async fn zip_of(t: &common::TestDb, code: &str) -> Vec<u8> {
    let row = repo::by_code(&t.db, code)
        .await
        .expect("q")
        .expect("export");
    let mut bytes = Vec::new();
    for seq in 0..row.parts {
        bytes.extend(
            repo::part(&t.db, row.id, seq)
                .await
                .expect("q")
                .expect("part"),
        );
    }
    assert_eq!(Some(bytes.len() as i64), row.size_bytes);
    bytes
}

/// Every file of a ZIP, by name.
fn files_of(zip: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a ZIP");
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("UTF-8 text");
        files.insert(file.name().expect("a name").to_string(), text);
    }
    files
}

/// Anna asks, the job builds it: the export's code.
async fn anna_exports(t: &common::TestDb, language: Language) -> String {
    let (user, customer) = anna(t).await;
    let asked = service::request(&t.db, &user, Some(customer), language)
        .await
        .expect("asked");
    assert_eq!(asked.status, ExportStatus::Queued);
    let built = service::build_next(&t.db, &common::mail_context(), Timestamp::now())
        .await
        .expect("built");
    assert_eq!(built.as_deref(), Some(asked.code.as_str()));
    asked.code
}

#[tokio::test]
async fn the_export_holds_every_file_valid_and_only_this_customers_data() {
    let t = common::demo().await;
    // Things of Anna's from several areas: a consent with its proof, a return, a log-in.
    common::anna_subscribes_to_the_newsletter(&t).await;
    let (_, anna_return) = common::anna_starts_return(
        &t,
        "ST-AMS-20261115-0107",
        &ReturnForm {
            quantities: vec![(1, "1")],
            reasons: vec![(1, "changed_mind")],
            method: "store",
            resolution: "refund",
            store: "UTR",
            ..ReturnForm::default()
        },
    )
    .await;
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let cookie = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    // She lets customer service help her for a day, also with changes.
    let allowed = common::call(
        &router,
        http::Method::POST,
        "/api/fn/set_help",
        &cookie,
        &[("allow", "true"), ("length", "day"), ("may_change", "on")],
    )
    .await;
    assert!(allowed.status.is_success(), "{}", allowed.body);
    // She saves the mattress advisor's advice with her account, keeping her weight.
    let advice_code = common::anna_saves_advice(
        &t,
        serde_json::json!({
            "position": ["side"], "weight": 64, "partner": ["no"], "complaints": ["none"],
            "material": ["any"], "width": ["160"]
        }),
    )
    .await;
    // Someone else's consent, given at the till: it must not appear in Anna's export.
    let input = serde_json::from_value(serde_json::json!({"consents": [{
        "purpose": "personal_offers", "channel": "sms", "granted": true, "text_version": 1,
        "language": "nl", "source": "till", "taken_by": "Kassa 3"}]}))
    .expect("input");
    app::privacy::service::record_from_back_office(&t.db, "C-1002", input)
        .await
        .expect("pieter's consent");

    let code = anna_exports(&t, Language::Nl).await;
    let files = files_of(&zip_of(&t, &code).await);

    let mut expected: Vec<String> = Section::ALL
        .iter()
        .map(|s| format!("{}.csv", s.name()))
        .collect();
    expected.extend(["README.txt", "data.json", "data.schema.json"].map(String::from));
    expected.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);

    // data.json: one document, valid against the schema it names.
    let data: serde_json::Value = serde_json::from_str(&files["data.json"]).expect("JSON");
    let schema: serde_json::Value = serde_json::from_str(SCHEMA_JSON).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let problems: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        problems.is_empty(),
        "data.json against its schema: {problems:#?}"
    );
    let mut broken = data.clone();
    broken["orders"][0]["total"] = serde_json::json!(129);
    assert!(!validator.is_valid(&broken), "the schema checks the fields");
    assert_eq!(data["schema"], "mijn-portaal/export/v1");
    assert_eq!(files["data.schema.json"], SCHEMA_JSON);
    assert_eq!(data["profile"]["email"], "anna@example.nl");
    assert_eq!(data["profile"]["login_email"], "anna@example.nl");

    // Everything of hers is there, from each area.
    let anna_orders = common::number(
        &t.db,
        "SELECT count(*) FROM orders WHERE customer_id = (SELECT id FROM customers WHERE external_id = $1)",
        "C-1001",
    )
    .await;
    let listed = |section: &str| data[section].as_array().expect(section).len();
    assert_eq!(listed("orders") as i64, anna_orders);
    assert!(listed("order_lines") >= listed("orders"));
    assert_eq!(listed("addresses"), 2);
    assert!(listed("store_purchases") >= 1, "her till receipts");
    assert!(listed("parcels") >= 1);
    assert_eq!(listed("help_permissions"), 1);
    assert_eq!(data["help_permissions"][0]["may_change"], true);
    assert_eq!(
        data["help_permissions"][0]["withdrawn_at"],
        serde_json::Value::Null
    );
    assert!(
        files["help_permissions.csv"].starts_with("allowed_at,until,may_change,withdrawn_at"),
        "{}",
        files["help_permissions.csv"]
    );
    assert_eq!(listed("advice"), 1);
    assert_eq!(data["advice"][0]["code"], advice_code.as_str());
    assert_eq!(data["advice"][0]["advisor"], "matras");
    assert_eq!(data["advice"][0]["keeps_personal"], true);
    assert!(
        data["advice"][0]["answers"]
            .as_str()
            .is_some_and(|a| a.contains("\"weight\":64")),
        "{}",
        data["advice"][0]["answers"]
    );
    assert!(
        data["advice"][0]["advised"]
            .as_str()
            .is_some_and(|a| a.contains("MAT-")),
        "{}",
        data["advice"][0]["advised"]
    );
    assert_eq!(data["returns"][0]["code"], anna_return.code.as_str());
    assert_eq!(
        data["return_lines"][0]["return_code"],
        anna_return.code.as_str()
    );
    assert_eq!(data["consent_history"][0]["ip"], "192.0.2.7");
    assert_eq!(data["consent_history"][0]["source"], "portal");
    assert_eq!(data["consent_history"][0]["by_staff"], false);
    assert!(
        data["consents"]
            .as_array()
            .expect("consents")
            .iter()
            .any(|c| c["purpose"] == "newsletter"
                && c["channel"] == "email"
                && c["granted"] == true)
    );
    assert!(listed("logins") >= 1, "the log-in above");
    assert!(
        data["orders"]
            .as_array()
            .expect("orders")
            .iter()
            .all(|o| o["total"].as_str().is_some_and(|t| t.contains('.'))),
        "amounts as decimal text"
    );

    // The CSV files: the columns in order, a row per entry of data.json.
    for section in Section::ALL {
        let text = &files[&format!("{}.csv", section.name())];
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(header, section.columns(), "{}.csv", section.name());
        let rows = reader.records().count();
        let in_json = if section == Section::Profile {
            1
        } else {
            listed(section.name())
        };
        assert_eq!(rows, in_json, "{}.csv rows", section.name());
    }

    // Nobody else's data: Pieter's order, address, card, e-mail and consent never appear.
    let pieter = [
        "WS-240200",
        "Witte de Withstraat",
        "2620001000021",
        "pieter.jansen@example.nl",
        "Pieter Jansen",
        "Kassa 3",
    ];
    for (name, text) in &files {
        if name == "data.schema.json" {
            continue;
        }
        for needle in pieter {
            assert!(!text.contains(needle), "{needle} found in {name}");
        }
    }

    // The README is in her language and fills in who and when.
    assert!(files["README.txt"].contains("JOUW GEGEVENS BIJ Slaapwereld"));
    assert!(!files["README.txt"].contains("{retailer}"));
}

#[tokio::test]
async fn one_export_at_a_time_and_a_mail_when_it_is_ready() {
    let t = common::demo().await;
    let (user, customer) = anna(&t).await;
    let first = service::request(&t.db, &user, Some(customer), Language::En)
        .await
        .expect("asked");
    let again = service::request(&t.db, &user, Some(customer), Language::En)
        .await
        .expect("asked again");
    assert_eq!(first.code, again.code, "asking again finds the one waiting");
    // "Check again" leads to a new address at every look, also two looks within one
    // second: a link to the address already open would only scroll the page.
    let look = || async {
        service::newest(&t.db, customer)
            .await
            .expect("q")
            .expect("export")
    };
    let (one, two) = (look().await, {
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        look().await
    });
    assert_ne!(one.check_key, two.check_key);
    assert_eq!(t.count("data_exports").await, 1);
    let mails_before = common::outbox_payloads(&t, "mail").await.len();

    let mail = common::mail_context();
    let built = service::build_next(&t.db, &mail, Timestamp::now())
        .await
        .expect("built");
    assert_eq!(built, Some(first.code.clone()));
    assert_eq!(
        service::build_next(&t.db, &mail, Timestamp::now())
            .await
            .expect("nothing left"),
        None
    );
    let page = service::newest(&t.db, customer)
        .await
        .expect("q")
        .expect("export");
    assert_eq!(page.status, ExportStatus::Ready);
    assert_eq!(page.percent, 100);
    assert!(page.until_local.is_some() && page.size_bytes.is_some_and(|s| s > 1000));

    let mails = common::outbox_payloads(&t, "mail").await;
    assert_eq!(mails.len(), mails_before + 1);
    let sent = &mails[mails_before];
    assert!(sent["to"].as_str().expect("to").contains("anna@example.nl"));
    assert_eq!(sent["subject"], "Your data is ready to download");
    let link = format!(
        "http://127.0.0.1:3000/account/privacy/export/{}",
        first.code
    );
    assert!(sent["text"].as_str().expect("text").contains(&link));

    // Once ready, a new request makes a new one.
    let next = service::request(&t.db, &user, Some(customer), Language::En)
        .await
        .expect("asked");
    assert_ne!(next.code, first.code);

    // Without a customer record (an unconfirmed address) there is nothing to export yet.
    let err = service::request(&t.db, &user, None, Language::En)
        .await
        .expect_err("no customer");
    assert_eq!(
        common::field_codes(err),
        vec![("export".into(), "verify_first".into())]
    );
}

async fn get(
    router: &axum::Router,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    // As a browser asks: compressed answers welcome (a download must not be compressed
    // again; pages are, so the test reads them without it).
    let mut req = Request::get(path).header(header::HOST, "127.0.0.1:3000");
    if path.contains("/export/") {
        req = req.header(header::ACCEPT_ENCODING, "gzip, br");
    }
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).expect("req"))
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let body = to_bytes(res.into_body(), 64 << 20).await.expect("body");
    (status, headers, body.to_vec())
}

#[tokio::test]
async fn only_the_customer_downloads_it_each_time_recorded_until_it_expires() {
    let t = common::demo().await;
    let code = anna_exports(&t, Language::Nl).await;
    let stored = zip_of(&t, &code).await;
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let path = format!("/account/privacy/export/{code}");

    // Not logged in: log in first, then back here.
    let (status, headers, _) = get(&router, &path, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .expect("location")
            .starts_with("/login?next=%2Faccount%2Fprivacy%2Fexport%2F")
    );

    // Someone else, logged in: as if it did not exist.
    let marieke = common::login_cookie(
        &router,
        "inkoop@zeeuwsestromen.nl",
        "slaapwel-demo-zakelijk",
    )
    .await;
    let (status, _, _) = get(&router, &path, Some(&marieke)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Anna gets the ZIP as it was stored, as an attachment; the download is recorded.
    let anna_cookie = common::login_cookie(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let (status, headers, body) = get(&router, &path, Some(&anna_cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("disposition")
            .starts_with("attachment; filename=\"mijn-gegevens-")
    );
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
    assert!(
        headers.get(header::CONTENT_ENCODING).is_none(),
        "a ZIP is not compressed again"
    );
    assert_eq!(
        headers[header::CONTENT_LENGTH],
        stored.len().to_string().as_str()
    );
    assert_eq!(body, stored);
    let (_, customer) = anna(&t).await;
    let row = repo::by_code(&t.db, &code).await.expect("q").expect("row");
    assert_eq!(repo::downloads(&t.db, row.id).await.expect("count"), 1);

    // The privacy page offers it, with its size and how often it was downloaded.
    let (status, _, page) = get(&router, "/account/privacy", Some(&anna_cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).expect("html");
    assert!(
        page.contains(&format!("href=\"{path}\"")),
        "download link on the page"
    );
    assert!(page.contains("1 keer gedownload"));

    // Seven days on, the housekeeping expires it: the file is gone, the link says why.
    let later = Timestamp::now() + TimeDelta::days(7) + TimeDelta::minutes(1);
    assert!(
        server::jobs::housekeeping_once(
            &t.db,
            &t.audit_key(),
            later,
            &server::jobs::Retention::default()
        )
        .await
            >= 1
    );
    assert_eq!(t.count("data_export_parts").await, 0);
    let expired = service::newest(&t.db, customer)
        .await
        .expect("q")
        .expect("export");
    assert_eq!(expired.status, ExportStatus::Expired);
    let (status, headers, _) = get(&router, &path, Some(&anna_cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/account/privacy?export_error=expired#export"
    );
    assert_eq!(
        repo::downloads(&t.db, row.id).await.expect("count"),
        1,
        "a refused try is no download"
    );
}
