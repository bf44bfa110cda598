//! The HTTP surface through the real router (no network): pages, language, health,
//! security headers, server functions. Runs on SQLite and PostgreSQL like the data layer.
mod common;

use axum::Router;
use axum::body::{Body, to_bytes};
use http::{Request, StatusCode, header};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

use common::TestDb;

async fn router(t: &TestDb) -> Router {
    server::seed::demo(&t.db).await.expect("demo data");
    build_router(t.state(), PortalSessionStore::new(&t.db))
}

struct Page {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

async fn send(router: &Router, req: Request<Body>) -> Page {
    let res = router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body(), 4 * 1024 * 1024)
        .await
        .expect("body");
    Page {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(uri: &str, accept_language: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, accept_language)
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn home_page_is_server_rendered_in_dutch_for_a_dutch_browser() {
    let t = TestDb::new().await;
    let page = send(&router(&t).await, get("/", "nl-NL,nl;q=0.9,en;q=0.8")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<html lang=\"nl\""),
        "{}",
        &page.body[..300.min(page.body.len())]
    );
    assert!(page.body.contains("Welkom bij Mijn Slaapwereld"));
    assert!(
        page.body.contains("/pkg/mijn-portaal.js"),
        "hydration script is linked"
    );
}

#[tokio::test]
async fn a_page_carries_no_data_for_hydration() {
    // Islands mode: nothing on a page is hydrated, so no resource is serialised into it.
    let t = TestDb::new().await;
    let page = send(&router(&t).await, get("/stores", "nl")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Onze winkels"));
    // leptos_axum always declares the empty list; a serialised resource would be an entry.
    assert!(
        page.body.contains("__RESOLVED_RESOURCES=[]")
            && !page.body.contains("__RESOLVED_RESOURCES["),
        "no serialised resources"
    );
}

#[tokio::test]
async fn the_bundle_is_sent_as_the_build_compressed_it() {
    let t = TestDb::new().await;
    let site = tempfile::tempdir().expect("temp dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).expect("pkg dir");
    std::fs::write(pkg.join("mijn-portaal.css"), "body { margin: 0 }").expect("css");
    std::fs::write(pkg.join("mijn-portaal.css.br"), b"brotli bytes").expect("css.br");
    server::seed::demo(&t.db).await.expect("demo data");
    let root = site.path().to_path_buf();
    let router = build_router(
        t.state_with(move |c| c.site_root = root),
        PortalSessionStore::new(&t.db),
    );

    let req = Request::get("/pkg/mijn-portaal.css")
        .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
        .body(Body::empty())
        .expect("request");
    let file = send(&router, req).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(
        file.body, "brotli bytes",
        "the precompressed copy, as it is"
    );
    // A test binary has no hash file: plain names, which browsers must check again.
    assert_eq!(file.headers[header::CACHE_CONTROL], "no-cache");
    assert_eq!(file.headers[header::CONTENT_TYPE], "text/css");

    let plain = send(&router, get("/pkg/mijn-portaal.css", "nl")).await;
    assert_eq!(plain.body, "body { margin: 0 }");
    let missing = send(&router, get("/pkg/nothing.js", "nl")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn home_page_in_english_for_an_english_browser() {
    let t = TestDb::new().await;
    let page = send(&router(&t).await, get("/", "en-GB,en;q=0.9")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(page.body.contains("Welcome to My Slaapwereld"));
}

#[tokio::test]
async fn the_language_cookie_wins_over_the_browser() {
    let t = TestDb::new().await;
    let req = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "nl")
        .header(header::COOKIE, "i18n_pref_locale=en")
        .body(Body::empty())
        .expect("request");
    let page = send(&router(&t).await, req).await;
    assert!(page.body.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn language_switch_sets_the_cookie_and_returns_to_the_page() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let page = send(
        &router,
        get("/language/en?next=%2Fstores%3Fq%3Dutrecht", "nl"),
    )
    .await;
    assert!(page.status.is_redirection());
    assert_eq!(page.headers[header::LOCATION], "/stores?q=utrecht");
    let cookie = page.headers[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"));

    let evil = send(&router, get("/language/nl?next=%2F%2Fevil.example", "nl")).await;
    assert_eq!(evil.headers[header::LOCATION], "/", "no open redirect");
    let unknown = send(&router, get("/language/de", "nl")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_page_is_a_404_with_a_helpful_page() {
    let t = TestDb::new().await;
    let page = send(&router(&t).await, get("/does-not-exist", "nl")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Pagina niet gevonden"));
    assert!(page.body.contains("href=\"/\""), "a way back home");
}

#[tokio::test]
async fn stores_page_searches_on_the_server() {
    let t = TestDb::new().await;
    let page = send(&router(&t).await, get("/stores?q=utrecht", "en")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Slaapwereld Utrecht"));
    assert!(!page.body.contains("Slaapwereld Amsterdam"));
    assert!(page.body.contains("Oudegracht 45"));
    assert!(page.body.contains("Opening hours"));
}

#[tokio::test]
async fn security_headers_and_a_nonce_that_matches_the_scripts() {
    let t = TestDb::new().await;
    let page = send(&router(&t).await, get("/", "nl")).await;
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        csp.contains("worker-src 'self'"),
        "the loyalty card's service worker"
    );
    assert!(csp.contains("object-src 'none'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the CSP nonce"
    );
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        page.headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY");

    let other = send(&router(&t).await, get("/", "nl")).await;
    assert_ne!(
        other.headers[header::CONTENT_SECURITY_POLICY],
        page.headers[header::CONTENT_SECURITY_POLICY],
        "a fresh nonce per response"
    );
}

#[tokio::test]
async fn pages_and_personal_answers_are_never_stored() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    for uri in [
        "/",
        "/login",
        "/account",
        "/account/orders/WS-240310/receipt.pdf",
        "/api/fn/my_orders?channel=&status=&period=&q=&page=",
    ] {
        let page = send(&router, get(uri, "nl")).await;
        assert_eq!(
            page.headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{uri} ({})",
            page.status
        );
    }
    let health = send(&router, get("/healthz", "nl")).await;
    assert!(health.headers.get(header::CACHE_CONTROL).is_none());
}

#[tokio::test]
async fn health_and_readiness() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let health = send(&router, get("/healthz", "en")).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
    let ready = send(&router, get("/readyz", "en")).await;
    assert_eq!(ready.status, StatusCode::OK);

    t.db.close().await;
    let not_ready = send(&router, get("/readyz", "en")).await;
    assert_eq!(not_ready.status, StatusCode::SERVICE_UNAVAILABLE);
    let still_alive = send(&router, get("/healthz", "en")).await;
    assert_eq!(still_alive.status, StatusCode::OK);
}

#[tokio::test]
async fn server_function_answers_json_and_refuses_bad_input() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let call = |query: String| {
        Request::post("/api/fn/search_stores")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(format!("query={query}")))
            .expect("request")
    };
    let ok = send(&router, call("groningen".into())).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let stores: Vec<app::stores::Store> = serde_json::from_str(&ok.body).expect("json");
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0].city, "Groningen");

    let bad = send(&router, call("x".repeat(200))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("too_long"));
}

#[tokio::test]
async fn pages_are_served_compressed_when_asked() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let page = send(
        &router,
        Request::get("/")
            .header(header::ACCEPT_ENCODING, "br")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(
        page.headers
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().ok()),
        Some(Some("br"))
    );
}

fn form_post(uri: &str, body: &str, origin: Option<&str>, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en");
    if let Some(origin) = origin {
        req = req.header(header::ORIGIN, origin);
    }
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    req.body(Body::from(body.to_string())).expect("request")
}

const SITE: Option<&str> = Some("http://127.0.0.1:3000");
const ANNA: &str = "email=anna%40example.nl&password=slaapwel-demo-klant&next=%2Fstores";

/// `portal_session=…` from a response, for the next request's Cookie header.
fn session_cookie(page: &Page) -> Option<String> {
    page.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

fn get_with_cookie(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn login_shows_the_user_and_logout_ends_the_session_on_the_server() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let login = send(&router, form_post("/api/fn/login", ANNA, SITE, None)).await;
    assert!(
        login.status.is_success() || login.status.is_redirection(),
        "{} {}",
        login.status,
        login.body
    );
    let raw = login
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .expect("a session cookie")
        .to_string();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax") && raw.contains("Path=/"),
        "{raw}"
    );
    assert!(!raw.contains("Secure"), "plain http in tests");
    let cookie = session_cookie(&login).expect("cookie");

    let home = send(&router, get_with_cookie("/", &cookie)).await;
    assert!(
        home.body.contains("Anna de Vries"),
        "the header shows who is logged in"
    );
    assert!(home.body.contains("Log out"));

    let logout = send(
        &router,
        form_post("/api/fn/logout", "", SITE, Some(&cookie)),
    )
    .await;
    assert!(
        logout.status.is_success() || logout.status.is_redirection(),
        "{}",
        logout.status
    );
    let after = send(&router, get_with_cookie("/", &cookie)).await;
    assert!(
        !after.body.contains("Anna de Vries"),
        "the old cookie no longer logs in"
    );
}

#[tokio::test]
async fn login_rotates_the_session_id() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let first = session_cookie(&send(&router, form_post("/api/fn/login", ANNA, SITE, None)).await)
        .expect("cookie");
    let second = send(
        &router,
        form_post("/api/fn/login", ANNA, SITE, Some(&first)),
    )
    .await;
    let second = session_cookie(&second).expect("a new cookie");
    assert_ne!(first, second, "a new session id at login");
    let with_old = send(&router, get_with_cookie("/", &first)).await;
    assert!(
        !with_old.body.contains("Anna de Vries"),
        "the old id is dead"
    );
    let with_new = send(&router, get_with_cookie("/", &second)).await;
    assert!(with_new.body.contains("Anna de Vries"));
}

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let wrong = send(
        &router,
        form_post(
            "/api/fn/login",
            "email=anna%40example.nl&password=not-her-password",
            SITE,
            None,
        ),
    )
    .await;
    let unknown = send(
        &router,
        form_post(
            "/api/fn/login",
            "email=nobody%40example.nl&password=not-her-password",
            SITE,
            None,
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        session_cookie(&wrong).is_none(),
        "no session for a failed login"
    );
    assert!(wrong.body.contains("LoginRefused"), "{}", wrong.body);
    assert!(
        wrong.body.contains("anna@example.nl"),
        "the typed address comes back for the form"
    );
    assert!(
        !wrong.body.contains("not-her-password"),
        "the password never comes back"
    );
}

#[tokio::test]
async fn writes_from_another_site_or_without_origin_are_refused() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let no_origin = send(&router, form_post("/api/fn/login", ANNA, None, None)).await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN);
    let evil = send(
        &router,
        form_post("/api/fn/login", ANNA, Some("https://evil.example"), None),
    )
    .await;
    assert_eq!(evil.status, StatusCode::FORBIDDEN);
    assert!(session_cookie(&evil).is_none());
}

#[tokio::test]
async fn a_password_reset_ends_sessions_elsewhere() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let cookie = session_cookie(&send(&router, form_post("/api/fn/login", ANNA, SITE, None)).await)
        .expect("cookie");
    assert!(
        send(&router, get_with_cookie("/", &cookie))
            .await
            .body
            .contains("Anna de Vries")
    );

    let ctx = common::mail_context();
    app::accounts::service::request_password_reset(&t.db, &ctx, "anna@example.nl")
        .await
        .expect("request");
    let now = app::db::Timestamp::now() + chrono::TimeDelta::seconds(1);
    let item = app::outbox::repo::claim_due(&t.db, now, chrono::TimeDelta::minutes(5), 10)
        .await
        .expect("claim")
        .into_iter()
        .find(|i| i.payload.contains("reset-password?token="))
        .expect("reset mail");
    let mail: app::outbox::OutgoingMail = serde_json::from_str(&item.payload).expect("json");
    let start = mail.text.find("token=").expect("token") + 6;
    let token = mail.text[start..].split_whitespace().next().expect("token");
    app::accounts::service::reset_password(&t.db, &ctx, token, "nieuwe blauwe lamp")
        .await
        .expect("reset");

    let after = send(&router, get_with_cookie("/", &cookie)).await;
    assert!(
        !after.body.contains("Anna de Vries"),
        "the other session has ended"
    );
}

#[tokio::test]
async fn the_mail_viewer_is_there_only_when_asked_for_on_this_machine() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo data");
    let status = async |change: fn(&mut server::config::Config)| {
        let router = build_router(t.state_with(change), PortalSessionStore::new(&t.db));
        send(&router, get("/dev/mail", "nl")).await.status
    };
    assert_eq!(
        status(|_| {}).await,
        StatusCode::NOT_FOUND,
        "not unless asked for"
    );
    assert_eq!(status(|c| c.dev_mail = "1".into()).await, StatusCode::OK);
    let public = |c: &mut server::config::Config| {
        c.dev_mail = "1".into();
        c.host = [0, 0, 0, 0].into();
    };
    assert_eq!(
        status(public).await,
        StatusCode::NOT_FOUND,
        "not on a public address"
    );
    let forced = |c: &mut server::config::Config| {
        c.dev_mail = "force".into();
        c.host = [0, 0, 0, 0].into();
    };
    assert_eq!(status(forced).await, StatusCode::OK, "unless forced");
    let smtp = |c: &mut server::config::Config| {
        c.dev_mail = "1".into();
        c.smtp_url = Some("smtp://127.0.0.1:2525".into());
    };
    assert_eq!(status(smtp).await, StatusCode::NOT_FOUND, "never with SMTP");
}

#[tokio::test]
async fn development_mail_page_lists_mails_with_clickable_links() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo data");
    let state = t.state_with(|c| c.dev_mail = "1".into());
    let router = build_router(state.clone(), PortalSessionStore::new(&t.db));
    let ctx = common::mail_context();
    app::accounts::service::request_password_reset(&t.db, &ctx, "anna@example.nl")
        .await
        .expect("request");
    let worker =
        server::jobs::OutboxWorker::from_config(t.db.clone(), &state.config).expect("file senders");
    let sent = worker
        .run_once(app::db::Timestamp::now() + chrono::TimeDelta::seconds(1))
        .await
        .expect("run")
        .sent;
    assert_eq!(sent, 1);

    let list = send(&router, get("/dev/mail", "nl")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Nieuw wachtwoord voor Mijn Slaapwereld"),
        "{}",
        list.body
    );
    let href_start = list
        .body
        .find("href=\"/dev/mail/")
        .expect("a link to the mail")
        + 6;
    let href = list.body[href_start..].split('"').next().expect("href");
    let shown = send(&router, get(href, "nl")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown
            .body
            .contains("<a href=\"http://127.0.0.1:3000/reset-password?token="),
        "{}",
        shown.body
    );

    let sneaky = send(&router, get("/dev/mail/..%2F..%2Fportal.eml", "nl")).await;
    assert_eq!(sneaky.status, StatusCode::NOT_FOUND);
}

/// A tracking lookup from `peer`, with an `X-Forwarded-For` header when given.
fn track_from(peer: &str, forwarded_for: Option<&str>, order: &str) -> Request<Body> {
    let mut req = Request::get(format!("/api/fn/track_order?order={order}&postcode=1234AB"))
        .header(header::ACCEPT, "application/json");
    if let Some(chain) = forwarded_for {
        req = req.header("x-forwarded-for", chain);
    }
    let mut req = req.body(Body::empty()).expect("request");
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().expect("address");
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

fn throttled(page: &Page) -> bool {
    page.body.contains("throttled")
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_counted_on_its_own() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo data");
    let router = build_router(
        t.state_with(|c| c.trusted_proxies = "127.0.0.1, 10.0.0.0/8".into()),
        PortalSessionStore::new(&t.db),
    );
    // One client through the proxy uses up its lookups…
    for i in 0..10 {
        let page = send(
            &router,
            track_from("127.0.0.1", Some("203.0.113.1"), &format!("X{i}")),
        )
        .await;
        assert!(!throttled(&page), "lookup {i}: {}", page.body);
    }
    let eleventh = send(&router, track_from("127.0.0.1", Some("203.0.113.1"), "X10")).await;
    assert!(throttled(&eleventh), "{}", eleventh.body);
    // …which locks out neither the next client behind the same proxy, nor one whose
    // request passed two of our proxies, nor one that made up an address in front.
    let other = send(&router, track_from("127.0.0.1", Some("203.0.113.2"), "Y1")).await;
    assert!(!throttled(&other), "{}", other.body);
    let two_hops = send(
        &router,
        track_from("127.0.0.1", Some("203.0.113.3, 10.0.0.7"), "Y2"),
    )
    .await;
    assert!(!throttled(&two_hops), "{}", two_hops.body);
    let made_up = send(
        &router,
        track_from("127.0.0.1", Some("203.0.113.2, 203.0.113.1"), "Y3"),
    )
    .await;
    assert!(
        throttled(&made_up),
        "the nearest untrusted hop counts: {}",
        made_up.body
    );
}

#[tokio::test]
async fn a_forwarded_header_from_anyone_else_is_ignored() {
    let t = TestDb::new().await;
    let router = router(&t).await; // no TRUSTED_PROXIES
    for i in 0..10 {
        let chain = format!("203.0.113.{i}");
        let page = send(
            &router,
            track_from("198.51.100.7", Some(&chain), &format!("X{i}")),
        )
        .await;
        assert!(!throttled(&page), "lookup {i}: {}", page.body);
    }
    let next = send(
        &router,
        track_from("198.51.100.7", Some("203.0.113.99"), "X10"),
    )
    .await;
    assert!(
        throttled(&next),
        "a made-up address does not escape the limit: {}",
        next.body
    );
}

#[tokio::test]
async fn an_email_change_ends_other_sessions_but_keeps_this_one() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    let login = || form_post("/api/fn/login", ANNA, SITE, None);
    let here = session_cookie(&send(&router, login()).await).expect("cookie");
    let elsewhere = session_cookie(&send(&router, login()).await).expect("cookie");

    let user = app::accounts::repo::find_by_email(&t.db, "anna@example.nl")
        .await
        .expect("query")
        .expect("anna")
        .summary(vec![app::accounts::Role::Customer]);
    app::profile::service::request_email_change(
        &t.db,
        &common::mail_context(),
        &user,
        "anna.nieuw@example.nl",
        "slaapwel-demo-klant",
        "192.0.2.1",
    )
    .await
    .expect("requested");
    let mail = common::outbox_payloads(&t, "mail")
        .await
        .into_iter()
        .find(|m| m["to"].as_str().is_some_and(|to| to.contains("anna.nieuw")))
        .expect("confirmation mail");
    let text = mail["text"].as_str().expect("text");
    let start = text.find("token=").expect("link") + 6;
    let token = text[start..].split_whitespace().next().expect("token");

    let confirmed = send(
        &router,
        form_post(
            "/api/fn/confirm_email_change",
            &format!("token={token}"),
            SITE,
            Some(&here),
        ),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let here = session_cookie(&confirmed).unwrap_or(here);
    assert!(
        send(&router, get_with_cookie("/", &here))
            .await
            .body
            .contains("Anna de Vries"),
        "the session that confirmed stays logged in"
    );
    assert!(
        !send(&router, get_with_cookie("/", &elsewhere))
            .await
            .body
            .contains("Anna de Vries"),
        "a session logged in with the old address has ended"
    );
}

#[tokio::test]
async fn what_was_typed_never_travels_in_an_address() {
    let t = TestDb::new().await;
    let router = router(&t).await;
    // A browser without JavaScript posts the login form with a wrong password.
    let req = Request::post("/api/fn/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::REFERER, "http://127.0.0.1:3000/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::ACCEPT_LANGUAGE, "nl")
        .body(Body::from(
            "email=anna%40example.nl&password=niet-haar-wachtwoord",
        ))
        .expect("request");
    let refused = send(&router, req).await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    let location = refused.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    assert!(location.contains("__err="), "{location}");
    let decoded: String = location
        .split(['?', '&'])
        .filter_map(|pair| pair.strip_prefix("__err="))
        .map(|v| {
            use base64::Engine;
            let raw = url::form_urlencoded::parse(format!("v={v}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            String::from_utf8(
                base64::engine::general_purpose::URL_SAFE
                    .decode(raw)
                    .expect("base64"),
            )
            .expect("utf-8")
        })
        .collect();
    assert!(decoded.contains("LoginRefused"), "{decoded}");
    assert!(
        !location.contains("anna") && !decoded.contains("anna"),
        "the typed address is not in the address: {decoded}"
    );

    // The page it is sent back to still shows what was typed, from the session.
    let cookie = session_cookie(&refused).expect("a session for the typed values");
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let page = send(&router, get_with_cookie(path, &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("value=\"anna@example.nl\""),
        "the form comes back filled in"
    );
    // Someone else with the same address sees the error, not what was typed.
    let stranger = send(&router, get(path, "nl")).await;
    assert!(!stranger.body.contains("anna@example.nl"));

    // Refused again from that page: the address carries the newest refusal only (leptos
    // appends to the page's address, which still has the first).
    let again = Request::post("/api/fn/login")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::REFERER, format!("http://127.0.0.1:3000{path}"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .body(Body::from("email=sem%40example.nl&password=ook-niet"))
        .expect("request");
    let refused = send(&router, again).await;
    let location = refused.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    for key in ["__err=", "__path=", "__kept="] {
        assert_eq!(location.matches(key).count(), 1, "{key} once: {location}");
    }
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let page = send(&router, get_with_cookie(path, &cookie)).await;
    assert!(
        page.body.contains("value=\"sem@example.nl\""),
        "the newest typed address comes back"
    );
}
