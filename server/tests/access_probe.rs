//! The access-control probe. Its table names who may use every page, every server
//! function and every other route; the first test fails when the router has one the table
//! does not name (or the other way round), so a new route cannot skip the probe. The
//! other tests ask, through the real router: anonymous for every page and function that
//! is not public, a customer for every staff and admin one, and customer A for customer
//! B's orders, receipts, returns, labels, photos and addresses — and check that nothing
//! is shown, and that someone else's id gets the same answer as an unknown one.
//! On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use std::collections::BTreeSet;

use axum::Router;
use axum::body::{Body, to_bytes};
use http::{Method, Request, StatusCode, header};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

/// Who may use a page, server function or route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// Anyone (the link or form is the proof where one is needed).
    Public,
    /// A logged-in customer, for their own data only.
    Customer,
    /// Store staff (and admins) at the return desk.
    Desk,
    /// Customer service: support agents, store staff and admins.
    Service,
    Admin,
    /// Signed by a carrier (HMAC), see carrier_webhooks.
    Carrier,
    /// A development aid, only with its switch (absent here).
    Dev,
    /// The operators' scraper: `METRICS_TOKEN` as a bearer token, not any login.
    Operator,
}
use Access::*;

/// Every page, with the address the probe asks for (ids filled in with Anna's data).
const PAGES: &[(&str, Access)] = &[
    ("/", Public),
    ("/login", Public),
    ("/login/code", Public),
    ("/account/two-factor", Customer),
    ("/register", Public),
    ("/register/sent", Public),
    ("/forgot-password", Public),
    ("/forgot-password/sent", Public),
    ("/reset-password", Public),
    ("/verify-email", Public),
    ("/account/confirm-email", Public),
    ("/stores", Public),
    ("/track", Public),
    // The advisor's conversation and saved advice: anyone; the code is the proof.
    ("/advies/code", Public),
    ("/advies/code/{code}", Public),
    ("/advies/{key}", Public),
    ("/account", Customer),
    ("/account/addresses", Customer),
    ("/account/addresses/{id}", Customer),
    ("/account/details", Customer),
    ("/account/company", Customer),
    ("/account/company/members/{member}", Customer),
    ("/account/company/approvals", Customer),
    ("/account/company/quick-order", Customer),
    ("/account/company/orders", Customer),
    // The invitation's token is the proof; joining needs a login (accept_company_invitation).
    ("/account/company/join/{token}", Public),
    ("/account/loyalty", Customer),
    ("/account/loyalty/card", Customer),
    ("/account/privacy", Customer),
    ("/account/privacy/erasure", Customer),
    ("/account/privacy/erasure/confirm", Customer),
    ("/account/orders", Customer),
    ("/account/orders/{number}", Customer),
    ("/account/orders/{number}/buy-again", Customer),
    ("/account/orders/{number}/cancel", Customer),
    (
        "/account/orders/{number}/parcels/{shipment}/change",
        Customer,
    ),
    ("/account/orders/{number}/receipt", Customer),
    ("/account/orders/{number}/return", Customer),
    ("/account/orders/{number}/return/review", Customer),
    ("/account/returns/{code}", Customer),
    ("/store/find", Desk),
    ("/store/orders/{number}/return", Desk),
    ("/store/orders/{number}/return/review", Desk),
    ("/store/returns", Desk),
    ("/store/returns/find", Desk),
    ("/store/returns/{code}", Desk),
    ("/admin/returns", Admin),
    ("/admin/tracking", Admin),
    ("/admin/privacy", Admin),
    ("/admin/audit", Admin),
    ("/admin/advisors", Admin),
    ("/admin/advisors/{key}", Admin),
    ("/admin/advisors/{key}/insights", Admin),
    ("/admin/advisors/{key}/questions/{question}", Admin),
    ("/admin/staff", Admin),
    ("/admin/staff/{user}", Admin),
    ("/service/customers", Service),
    ("/service/customers/{customer}", Service),
];

/// Every server function (`/api/fn/<name>`).
const SERVER_FNS: &[(&str, Access)] = &[
    ("login", Public),
    ("login_code", Public),
    ("two_factor_state", Customer),
    ("confirm_two_factor", Customer),
    ("confirm_code", Customer),
    ("renew_recovery_codes", Customer),
    ("logout", Public),
    ("register", Public),
    ("current_user", Public),
    ("verify_email", Public),
    ("request_password_reset", Public),
    ("reset_link_usable", Public),
    ("reset_password", Public),
    ("confirm_email_change", Public),
    ("search_stores", Public),
    ("track_order", Public),
    ("advisors", Public),
    ("advisor_step", Public),
    ("advisor_answer", Public),
    ("advisor_restart", Public),
    ("advisor_save", Public),
    ("saved_advice", Public),
    ("advisor_continue", Public),
    ("advisor_mail", Public),
    ("my_advice", Customer),
    ("advisors_admin", Admin),
    ("advisor_admin", Admin),
    ("save_advisor_draft", Admin),
    ("publish_advisor", Admin),
    ("advisor_insights", Admin),
    ("advisor_question", Admin),
    ("save_advisor_question", Admin),
    ("my_overview", Customer),
    ("my_orders", Customer),
    ("my_order", Customer),
    ("my_details", Customer),
    ("my_addresses", Customer),
    ("my_company", Customer),
    ("save_company_member", Customer),
    ("remove_company_member", Customer),
    ("invite_company_member", Customer),
    ("withdraw_company_invitation", Customer),
    ("add_company_location", Customer),
    ("remove_company_location", Customer),
    ("company_invitation", Public),
    ("accept_company_invitation", Customer),
    ("pending_approvals", Customer),
    ("decide_approval", Customer),
    ("quick_order", Customer),
    ("send_quick_order", Customer),
    ("order_list", Customer),
    ("delete_order_list", Customer),
    ("company_orders", Customer),
    ("my_loyalty", Customer),
    ("my_privacy", Customer),
    ("my_return", Customer),
    ("save_details", Customer),
    ("change_password", Customer),
    ("change_email", Customer),
    ("save_address", Customer),
    ("delete_address", Customer),
    ("add_loyalty_card", Customer),
    ("request_digital_card", Customer),
    ("claim_receipt", Customer),
    ("set_consent", Customer),
    ("set_help", Customer),
    ("stop_helping", Customer),
    ("request_export", Customer),
    ("my_erasure", Customer),
    ("request_erasure", Customer),
    ("confirm_erasure", Customer),
    ("cancel_erasure", Customer),
    ("attach_guest_orders", Customer),
    ("cancel_choice", Customer),
    ("request_cancellation", Customer),
    ("change_choice", Customer),
    ("request_delivery_change", Customer),
    ("reorder_choice", Customer),
    ("buy_again", Customer),
    ("return_choice", Customer),
    ("return_review", Customer),
    ("confirm_return", Customer),
    ("cancel_return", Customer),
    ("desk_open", Desk),
    ("desk_find", Desk),
    ("desk_return", Desk),
    ("desk_choice", Desk),
    ("desk_review", Desk),
    ("desk_confirm", Desk),
    ("inspect_return", Desk),
    ("return_policy", Admin),
    ("save_return_policy", Admin),
    ("tracking_admin", Admin),
    ("save_tracking_texts", Admin),
    ("privacy_admin", Admin),
    ("save_purpose", Admin),
    ("audit_search", Admin),
    ("load_staff", Admin),
    ("load_staff_member", Admin),
    ("invite_staff", Admin),
    ("change_staff", Admin),
    ("set_staff_active", Admin),
    ("reset_staff_two_factor", Admin),
    ("find_customers", Service),
    ("customer_story", Service),
    ("add_contact_note", Service),
    ("start_helping", Service),
];

/// Every other route of the router (server/src), by the path it is declared with.
const OTHER_ROUTES: &[(&str, Access)] = &[
    ("/healthz", Public),
    ("/readyz", Public),
    ("/metrics", Operator),
    ("/language/{code}", Public),
    ("/account/orders/{number}/receipt.pdf", Customer),
    ("/account/returns/{code}/label.pdf", Customer),
    ("/account/privacy/export/{code}", Customer),
    ("/account/returns/{code}/lines/{line}/photos", Customer),
    ("/account/returns/{code}/photos/{id}", Customer),
    ("/account/returns/{code}/photos/{id}/delete", Customer),
    ("/account/company/quick-order/upload", Customer),
    ("/account/company/invoices/{number}/invoice.pdf", Customer),
    ("/store/returns/{code}/photos/{id}", Desk),
    ("/admin/audit.csv", Admin),
    ("/admin/advisors/{key}/definition.json", Admin),
    ("/webhooks/carriers/{carrier}", Carrier),
    ("/api/fn/{*fn_name}", Public),
    ("/dev/mail", Dev),
    ("/dev/mail/{file}", Dev),
    ("/dev/basket", Dev),
    ("/openapi.json", Public),
    ("/docs", Public),
    // The compiled stylesheet, script and wasm (hashed names), for everyone.
    ("/pkg", Public),
];

/// The `.route("…")` paths declared in server/src (the API's are also in its OpenAPI
/// document, checked against the router by commerce_api's test).
fn declared_routes() -> BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("src").flatten() {
                files.push(entry.path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        // Nested routers count too (the API's own routes are read below and from its
        // OpenAPI document).
        for (at, _) in text.match_indices(".nest(") {
            let rest = text[at + 6..].trim_start();
            let Some(quoted) = rest.strip_prefix('"') else {
                panic!(
                    "{}: a nest whose path the probe cannot read",
                    path.display()
                );
            };
            let prefix = quoted.split('"').next().unwrap_or_default();
            if prefix != "/api/v1" {
                found.insert(prefix.to_string());
            }
        }
        for (at, _) in text.match_indices(".route(") {
            let rest = text[at + 7..].trim_start();
            let route = if let Some(quoted) = rest.strip_prefix('"') {
                quoted.split('"').next().unwrap_or_default().to_string()
            } else if rest.starts_with("crate::dev_basket::PATH") {
                server::dev_basket::PATH.to_string()
            } else {
                panic!(
                    "{}: a route whose path the probe cannot read: {}",
                    path.display(),
                    &rest[..40.min(rest.len())]
                );
            };
            // API routes are nested under /api/v1 and probed from the OpenAPI document.
            let is_api = path.ends_with("api/mod.rs")
                && !matches!(route.as_str(), "/openapi.json" | "/docs");
            if !is_api {
                found.insert(route);
            }
        }
    }
    found
}

fn names<'a>(table: &'a [(&'a str, Access)]) -> BTreeSet<String> {
    table.iter().map(|(p, _)| p.to_string()).collect()
}

#[tokio::test]
async fn every_route_and_server_function_is_in_the_probe() {
    let pages: BTreeSet<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(
        pages,
        names(PAGES),
        "pages: add new ones to PAGES with who may see them"
    );
    let functions: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/fn/").to_string())
        .collect();
    assert_eq!(
        functions,
        names(SERVER_FNS),
        "server functions: add new ones to SERVER_FNS with who may call them"
    );
    assert_eq!(
        declared_routes(),
        names(OTHER_ROUTES),
        "routes: add new ones to OTHER_ROUTES with who may use them"
    );
}

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

async fn ask(
    router: &Router,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    form: &str,
) -> Answer {
    let mut uri = uri.to_string();
    // A page that sends on to another page (not to the login) is judged by where it ends.
    for _ in 0..3 {
        let answer = ask_once(router, method.clone(), &uri, cookie, form).await;
        let onward = method == Method::GET
            && answer.status.is_redirection()
            && answer.location.starts_with('/')
            && !answer.location.starts_with("/login");
        if !onward {
            return answer;
        }
        uri = answer.location;
    }
    ask_once(router, method, &uri, cookie, form).await
}

async fn ask_once(
    router: &Router,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    form: &str,
) -> Answer {
    let server_fn = uri.starts_with("/api/fn/");
    let mut req = Request::builder()
        .method(method.clone())
        .uri(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::ACCEPT_LANGUAGE, "nl")
        // A server function is asked as the page's script asks (a plain form post would be
        // sent back to the form); a page as a browser asks.
        .header(
            header::ACCEPT,
            if server_fn {
                "application/json"
            } else {
                "text/html"
            },
        );
    let mut body = form.to_string();
    if method == Method::POST && (uri.ends_with("/photos") || uri.ends_with("/upload")) {
        req = req.header(header::CONTENT_TYPE, "multipart/form-data; boundary=probe");
        body = "--probe--\r\n".into();
    } else if method == Method::POST {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = to_bytes(res.into_body(), 16 << 20).await.expect("body");
    Answer {
        status,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn login(router: &Router, email: &str, password: &str) -> String {
    common::login_cookie(router, email, password).await
}

/// Anna's data the probe asks for (she is customer B below).
struct Hers {
    /// Her customer id (customer service's pages).
    customer: i64,
    number: String,
    store_number: String,
    shipment: String,
    code: String,
    address: i64,
    photo: i64,
    /// Her "Download my data", built and ready.
    export: String,
}

impl Hers {
    fn fill(&self, pattern: &str) -> String {
        pattern
            .replace("{number}", &self.number)
            .replace("{shipment}", &self.shipment)
            .replace("{code}", &self.code)
            .replace("{id}", &self.address.to_string())
            .replace("{customer}", &self.customer.to_string())
            .replace("{member}", &self.customer.to_string())
            .replace("{token}", "probe")
            // A staff member (the admin's pages): any user id will do for a refusal.
            .replace("{user}", "1")
    }

    /// The same address with every id replaced by one nobody has.
    fn unknown(&self, filled: &str) -> String {
        filled
            .replace(&self.store_number, "ST-XXX-20260101-9999")
            .replace(&self.number, "WS-999999")
            .replace(&self.shipment, "SH-999999-1")
            .replace(&self.code, "R9999999")
            .replace(&format!("/{}", self.address), "/999999")
            .replace(
                &format!("/customers/{}", self.customer),
                "/customers/999999",
            )
            .replace(&format!("/photos/{}", self.photo), "/photos/999999")
            .replace(&self.export, "0123456789abcdef0123456789abcdef")
    }
}

async fn her_data(t: &common::TestDb) -> Hers {
    let form = app::returns::quote::ReturnForm {
        quantities: vec![(1, "1")],
        reasons: vec![(1, "damaged")],
        method: "store",
        resolution: "refund",
        store: "UTR",
        ..app::returns::quote::ReturnForm::default()
    };
    let store_number = "ST-AMS-20261115-0107".to_string();
    let (_, ret) = common::anna_starts_return(t, &store_number, &form).await;
    let anna = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "anna@example.nl",
    )
    .await;
    let customer = common::customer_id(&t.db, "C-1001").await;
    let picture = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]))
            .write_to(&mut out, image::ImageFormat::Png)
            .expect("png");
        out.into_inner()
    };
    let actor = app::returns::service::Actor {
        user_id: Some(anna),
        role: app::accounts::Role::Customer,
        store_id: None,
    };
    let viewer = app::returns::photos::Viewer::Customer(Some(customer));
    let with_photo = app::returns::photos::add(&t.db, actor, viewer, &ret.code, 1, picture)
        .await
        .expect("photo");
    let photo = with_photo.lines[0].photos[0];
    let address = common::number(
        &t.db,
        "SELECT MIN(id) FROM addresses WHERE customer_id = (SELECT id FROM customers WHERE external_id = $1)",
        "C-1001",
    )
    .await;
    let export = app::privacy::export::service::request(
        &t.db,
        &app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
            .await
            .expect("q")
            .expect("anna")
            .summary(Vec::new()),
        Some(customer),
        app::language::Language::Nl,
    )
    .await
    .expect("export asked")
    .code;
    app::privacy::export::service::build_next(
        &t.db,
        &common::mail_context(),
        app::db::Timestamp::now(),
    )
    .await
    .expect("export built");
    Hers {
        customer,
        number: "WS-240101".into(),
        store_number,
        shipment: "SH-240101-1".into(),
        code: ret.code,
        address,
        photo,
        export,
    }
}

/// A probe request: a page or route by GET, a server function by POST with `form`.
fn requests(hers: &Hers, access: Access) -> Vec<(Method, String, String)> {
    let mut out = Vec::new();
    for (page, a) in PAGES {
        if *a == access {
            out.push((Method::GET, hers.fill(page), String::new()));
        }
    }
    // Every field any server function asks for, so each gets past reading its input to
    // the question of who is asking (a function ignores the fields it does not have).
    let form = format!(
        "number={n}&code={c}&id={a}&shipment={s}&query=&q={n}&numbers={n}\
         &channel=&status=delivered&period=&page=1&name=Probe&phone=&birth_date=&language=nl\
         &current_password=x&new_password=x&new_email=probe%40example.nl&email_password=x\
         &street=Dorpsstraat&house_number=1&postcode=1234AB&city=Utrecht&country=NL\
         &card_number=2620001000014&text_nl=x&text_en=x&purpose=newsletter&granted=true&version=1&token=probe\
         &customer={customer}&email=probe%40example.nl&user=1&active=true&allow=false&why=probe&key=matras&question=position&definition=%7B%7D\
         &company=&member={customer}&limit_per_order=&limit_per_month=&invitation=999999&location_id=999999&request=999999&decision=approve",
        customer = hers.customer,
        n = hers.number,
        c = hers.code,
        a = hers.address,
        s = hers.shipment,
    );
    let methods: std::collections::HashMap<String, Method> =
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, method)| (path.trim_start_matches("/api/fn/").to_string(), method))
            .collect();
    for (name, a) in SERVER_FNS {
        if *a == access {
            match methods.get(*name) {
                Some(&Method::GET) => {
                    out.push((Method::GET, format!("/api/fn/{name}?{form}"), String::new()))
                }
                _ => out.push((Method::POST, format!("/api/fn/{name}"), form.clone())),
            }
        }
    }
    for (route, a) in OTHER_ROUTES {
        if *a == access {
            let uri = hers
                .fill(route)
                .replace(
                    &format!("returns/{}/photos/{}", hers.code, hers.address),
                    &format!("returns/{}/photos/{}", hers.code, hers.photo),
                )
                .replace("{line}", "1")
                .replace(
                    &format!("privacy/export/{}", hers.code),
                    &format!("privacy/export/{}", hers.export),
                )
                .replace(
                    "orders/WS-240101/receipt.pdf",
                    &format!("orders/{}/receipt.pdf", hers.store_number),
                );
            let method =
                if uri.ends_with("/delete") || uri.ends_with("/photos") || uri.ends_with("/upload")
                {
                    Method::POST
                } else {
                    Method::GET
                };
            out.push((method, uri, String::new()));
        }
    }
    out
}

/// What of Anna's must never be in an answer to someone else (ids echoed from the
/// request itself are taken out first by the caller).
fn leaks(hers: &Hers, body: &str) -> Option<&'static str> {
    [
        ("her name", body.contains("Anna de Vries")),
        ("her street", body.contains("Biltstraat")),
        ("her return", body.contains(&hers.code)),
        (
            "her order",
            body.contains(&hers.number) || body.contains(&hers.store_number),
        ),
    ]
    .into_iter()
    .find_map(|(what, leaked)| leaked.then_some(what))
}

/// An answer without the ids the request itself carried.
fn scrubbed(body: &str, uri: &str, form: &str) -> String {
    let mut body = body.replace(uri, "");
    for (_, value) in url::form_urlencoded::parse(form.as_bytes()) {
        if !value.is_empty() {
            body = body.replace(value.as_ref(), "");
        }
    }
    for part in uri.split('/').filter(|p| p.len() > 3) {
        body = body.replace(part, "");
    }
    body
}

fn refused(answer: &Answer) -> bool {
    matches!(
        answer.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || (answer.status.is_redirection() && answer.location.starts_with("/login"))
}

async fn probed_router() -> (common::TestDb, Router, Hers) {
    let t = common::demo().await;
    let hers = her_data(&t).await;
    // With a metrics token, so /metrics is there to be refused.
    let router = build_router(
        t.state_with(|c| c.metrics_token = Some("probe-metrics-token-0123456789abcdef".into())),
        PortalSessionStore::new(&t.db),
    );
    (t, router, hers)
}

#[tokio::test]
async fn anonymous_gets_no_account_staff_or_admin_page_or_function() {
    let (_t, router, hers) = probed_router().await;
    let mut wrong = Vec::new();
    for access in [Customer, Desk, Service, Admin, Operator] {
        for (method, uri, form) in requests(&hers, access) {
            let answer = ask(&router, method.clone(), &uri, None, &form).await;
            let leak = leaks(&hers, &scrubbed(&answer.body, &uri, &form));
            if !refused(&answer) || leak.is_some() {
                wrong.push(format!(
                    "{method} {uri}: {} {} {leak:?}",
                    answer.status, answer.location
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "anonymous got through:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn a_customer_gets_no_staff_or_admin_page_or_function() {
    let (_t, router, hers) = probed_router().await;
    let anna = login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let desk = login(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let support = login(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let mut wrong = Vec::new();
    for (access, who, cookie) in [
        (Desk, "a customer", &anna),
        (Service, "a customer", &anna),
        (Admin, "a customer", &anna),
        (Admin, "store staff", &desk),
        (Admin, "a support agent", &support),
        (Desk, "a support agent", &support),
        (Operator, "a customer", &anna),
        (Operator, "a support agent", &support),
    ] {
        for (method, uri, form) in requests(&hers, access) {
            let answer = ask(&router, method.clone(), &uri, Some(cookie), &form).await;
            let refused_here = matches!(
                answer.status,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED
            );
            if !refused_here {
                wrong.push(format!("{who}: {method} {uri}: {}", answer.status));
            }
        }
    }
    assert!(wrong.is_empty(), "got through:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn customer_a_gets_nothing_of_customer_b_and_the_same_answer_as_for_an_unknown_id() {
    let (_t, router, hers) = probed_router().await;
    // Customer A: the hotel's buyer, a customer with orders of her own.
    let a = login(
        &router,
        "inkoop@zeeuwsestromen.nl",
        "slaapwel-demo-zakelijk",
    )
    .await;
    let mut wrong = Vec::new();
    for (method, uri, form) in requests(&hers, Customer) {
        let names_an_id = uri != hers.unknown(&uri) || form != hers.unknown(&form);
        if !names_an_id {
            continue; // A's own pages (/account, /account/orders …): nothing of B's asked for.
        }
        let hers_answer = ask(&router, method.clone(), &uri, Some(&a), &form).await;
        let unknown = ask(
            &router,
            method.clone(),
            &hers.unknown(&uri),
            Some(&a),
            &hers.unknown(&form),
        )
        .await;
        if let Some(what) = leaks(&hers, &scrubbed(&hers_answer.body, &uri, &form)) {
            wrong.push(format!("{method} {uri}: shows {what}"));
        }
        if hers_answer.status != unknown.status {
            wrong.push(format!(
                "{method} {uri}: {} for hers, {} for an unknown id",
                hers_answer.status, unknown.status
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "customer A learnt of customer B:\n{}",
        wrong.join("\n")
    );
}

/// Rows in the tables a refused form must leave alone.
async fn rows(t: &common::TestDb) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for table in [
        "users",
        "customers",
        "addresses",
        "orders",
        "returns",
        "return_photos",
        "cancellation_requests",
        "reorder_requests",
        "delivery_requests",
        "return_events",
        "receipts",
        "email_changes",
        "account_tokens",
        "outbox",
        "tracking_texts",
        "contact_notes",
    ] {
        out.push((table, t.count(table).await));
    }
    out
}

#[tokio::test]
async fn bad_input_to_any_server_function_is_a_4xx_and_changes_nothing() {
    let (t, router, _) = probed_router().await;
    let anna = login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let admin = login(&router, "beheer@slaapwereld.nl", "slaapwel-demo-beheer").await;
    let fields = [
        "number",
        "code",
        "id",
        "shipment",
        "query",
        "q",
        "numbers",
        "channel",
        "status",
        "period",
        "page",
        "name",
        "phone",
        "birth_date",
        "language",
        "email",
        "password",
        "current_password",
        "new_password",
        "new_email",
        "email_password",
        "street",
        "house_number",
        "addition",
        "postcode",
        "city",
        "country",
        "card_number",
        "token",
        "text_nl",
        "text_en",
        "reason",
        "kind",
        "remember",
        "next",
        "default_delivery",
    ];
    let huge = "𝕏".repeat(5_000);
    let values: [(&str, String); 5] = [
        ("empty", String::new()),
        ("huge", huge),
        (
            "odd unicode",
            "\u{202E}\u{0000}\u{FEFF}<script>'\"%;\\u{1F6CF}".into(),
        ),
        ("numbers of the wrong kind", "-1e999".into()),
        ("a list", "x".into()),
    ];
    let methods: std::collections::HashMap<String, Method> =
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, method)| (path.trim_start_matches("/api/fn/").to_string(), method))
            .collect();
    // Functions without input that change something by design (issue a card, log out).
    let no_input = ["request_digital_card", "logout", "current_user"];
    let before = rows(&t).await;
    let mut wrong = Vec::new();
    for (name, access) in SERVER_FNS {
        if no_input.contains(name) {
            continue;
        }
        let cookie = match access {
            Customer => Some(anna.as_str()),
            Admin | Desk | Service => Some(admin.as_str()),
            _ => None,
        };
        for (what, value) in &values {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for field in fields {
                if *what == "a list" {
                    form.append_pair(&format!("{field}[]"), value);
                    form.append_pair(&format!("{field}[0]"), value);
                } else {
                    form.append_pair(field, value);
                }
            }
            let mut form = form.finish();
            if *what == "odd unicode" {
                form.push_str("&broken=%FF%FE");
            }
            let answer = match methods.get(*name) {
                Some(&Method::GET) => {
                    // An address has a length limit of its own: the first fields only.
                    let mut query = form.as_str();
                    while query.len() > 60_000 {
                        query = &query[..query[..query.len() / 2].rfind('&').unwrap_or(0)];
                    }
                    ask(
                        &router,
                        Method::GET,
                        &format!("/api/fn/{name}?{query}"),
                        cookie,
                        "",
                    )
                    .await
                }
                _ => {
                    ask(
                        &router,
                        Method::POST,
                        &format!("/api/fn/{name}"),
                        cookie,
                        &form,
                    )
                    .await
                }
            };
            if answer.status.is_server_error() {
                wrong.push(format!(
                    "{name} with {what}: {} {}",
                    answer.status,
                    &answer.body[..answer.body.len().min(200)]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "5xx for bad input:\n{}", wrong.join("\n"));
    assert_eq!(
        rows(&t).await,
        before,
        "a refused form changed the database"
    );
}
