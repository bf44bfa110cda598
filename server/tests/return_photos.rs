//! Photos of damage on a return line, through the real router: the customer adds them
//! with a plain multipart form (no JavaScript needed), sees them, removes one; the store
//! desk and the back office see them; nobody else does; what is not a photo, too large or
//! too late is refused with a message for that line and changes nothing. On SQLite and
//! (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use std::io::Cursor;

use app::returns::desk::{Inspection, inspect};
use app::returns::quote::ReturnForm;
use app::returns::service::Actor;
use app::returns::{Outcome, Return};
use axum::body::{Body, to_bytes};
use common::{BackOffice, TestDb};
use http::{Request, StatusCode, header};
use image::{Rgb, RgbImage};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

const BOUNDARY: &str = "----portal-test-boundary";

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    RgbImage::from_pixel(width, height, Rgb([180, 40, 40]))
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

fn multipart(file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"schade.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct Visitor {
    router: axum::Router,
    cookie: String,
}

impl Visitor {
    async fn login(router: &axum::Router, email: &str, password: &str) -> Visitor {
        let cookie = common::login_cookie(router, email, password).await;
        Visitor {
            router: router.clone(),
            cookie,
        }
    }

    async fn send(
        &self,
        req: http::request::Builder,
        body: Body,
    ) -> (StatusCode, http::HeaderMap, Vec<u8>) {
        let res = self
            .router
            .clone()
            .oneshot(
                req.header(header::COOKIE, &self.cookie)
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::ORIGIN, "http://127.0.0.1:3000")
                    .body(body)
                    .expect("req"),
            )
            .await
            .expect("response");
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = to_bytes(res.into_body(), 8 << 20).await.expect("body");
        (status, headers, bytes.to_vec())
    }

    /// Posts the photo form; the page it is sent back to.
    async fn add_photo(&self, code: &str, line: &str, file: &[u8]) -> String {
        let (status, headers, _) = self
            .send(
                Request::post(format!("/account/returns/{code}/lines/{line}/photos")).header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                ),
                Body::from(multipart(file)),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        headers[header::LOCATION]
            .to_str()
            .expect("location")
            .to_string()
    }

    async fn get(&self, path: &str) -> (StatusCode, http::HeaderMap, Vec<u8>) {
        self.send(
            Request::get(path).header(header::ACCEPT, "text/html"),
            Body::empty(),
        )
        .await
    }
}

/// Anna returns one damaged duvet cover and one pillowcase she changed her mind about.
async fn damaged_return(t: &TestDb) -> Return {
    let form = ReturnForm {
        quantities: vec![(1, "1"), (2, "1")],
        reasons: vec![(1, "damaged"), (2, "changed_mind")],
        method: "store",
        resolution: "refund",
        store: "UTR",
        ..ReturnForm::default()
    };
    common::anna_starts_return(t, "ST-AMS-20261115-0107", &form)
        .await
        .1
}

async fn photos_of(t: &TestDb, code: &str, line: i32) -> Vec<i64> {
    let r = app::returns::service::find(&t.db, code)
        .await
        .expect("return");
    r.lines
        .into_iter()
        .find(|l| l.line == line)
        .expect("line")
        .photos
}

#[tokio::test]
async fn the_customer_adds_photos_of_damage_and_only_the_right_people_see_them() {
    let t = common::demo().await;
    let r = damaged_return(&t).await;
    let code = r.code.as_str();
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let anna = Visitor::login(&router, "anna@example.nl", "slaapwel-demo-klant").await;

    // The return's page offers the form on the damaged line only.
    let (status, _, html) = anna.get(&format!("/account/returns/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(html).expect("html");
    assert_eq!(html.matches("enctype=\"multipart/form-data\"").count(), 1);
    assert!(html.contains("Foto van de schade (niet verplicht)"));

    // A phone-sized photo: stored as a smaller JPEG, shown on the page.
    let back = anna.add_photo(code, "1", &png(3000, 2000)).await;
    assert_eq!(back, format!("/account/returns/{code}?photo=added#line-1"));
    let ids = photos_of(&t, code, 1).await;
    assert_eq!(ids.len(), 1);
    let photo = format!("/account/returns/{code}/photos/{}", ids[0]);
    let (status, headers, bytes) = anna.get(&photo).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .expect("cc")
            .starts_with("private")
    );
    let stored = image::load_from_memory(&bytes).expect("jpeg");
    assert_eq!((stored.width(), stored.height()), (1600, 1067));
    let (_, _, html) = anna
        .get(&format!("/account/returns/{code}?photo=added"))
        .await;
    let html = String::from_utf8(html).expect("html");
    assert!(html.contains(&format!("src=\"{photo}\"")));
    assert!(html.contains("Foto toegevoegd."));

    // Refused, each with its message by the line, and nothing stored.
    let refused = anna
        .add_photo(code, "1", b"%PDF-1.7 a receipt, not a photo")
        .await;
    assert_eq!(
        refused,
        format!("/account/returns/{code}?photo_error=not_a_photo&line=1#line-1")
    );
    let (_, _, html) = anna.get(&refused).await;
    let html = String::from_utf8(html).expect("html");
    assert!(html.contains("We kunnen dit bestand niet als foto lezen."));
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(
        anna.add_photo(code, "2", &png(10, 10)).await,
        format!("/account/returns/{code}?photo_error=not_needed&line=2#line-2"),
        "only for damage"
    );
    assert_eq!(
        anna.add_photo(code, "1", b"").await,
        format!("/account/returns/{code}?photo_error=required&line=1#line-1")
    );
    assert_eq!(photos_of(&t, code, 1).await.len(), 1);
    assert_eq!(photos_of(&t, code, 2).await.len(), 0);

    // At most three per line.
    anna.add_photo(code, "1", &png(20, 20)).await;
    anna.add_photo(code, "1", &png(30, 30)).await;
    assert_eq!(
        anna.add_photo(code, "1", &png(40, 40)).await,
        format!("/account/returns/{code}?photo_error=too_many&line=1#line-1")
    );
    let ids = photos_of(&t, code, 1).await;
    assert_eq!(ids.len(), 3);

    // Removing one (a plain form too).
    let (status, headers, _) = anna
        .send(
            Request::post(format!("/account/returns/{code}/photos/{}/delete", ids[2])),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/account/returns/{code}?photo=removed")
    );
    assert_eq!(photos_of(&t, code, 1).await, ids[..2].to_vec());

    // Another visitor (here the support agent, who has no orders) never sees them.
    let other = Visitor::login(&router, "support@slaapwereld.nl", "slaapwel-demo-support").await;
    let (status, _, _) = other.get(&photo).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = other
        .get(&format!("/store/returns/{code}/photos/{}", ids[0]))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the desk's address is for store staff"
    );
    let (status, _, _) = other
        .send(
            Request::post(format!("/account/returns/{code}/lines/1/photos")).header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ),
            Body::from(multipart(&png(10, 10))),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not their return");
    assert_eq!(photos_of(&t, code, 1).await.len(), 2);

    // Store staff at any desk see them on the return, and so does the back office.
    let desk = Visitor::login(&router, "winkel@slaapwereld.nl", "slaapwel-demo-winkel").await;
    let at_desk = format!("/store/returns/{code}/photos/{}", ids[0]);
    let (status, headers, _) = desk.get(&at_desk).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    let (_, _, html) = desk.get(&format!("/store/returns/{code}")).await;
    let html = String::from_utf8(html).expect("html");
    assert!(html.contains(&format!("src=\"{at_desk}\"")));
    assert!(
        !html.contains("multipart/form-data"),
        "the desk looks, the customer adds"
    );
    let office = BackOffice::new(&t).await;
    let (status, body) = office
        .call(http::Method::GET, &format!("/api/v1/returns/{code}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["lines"][0]["photos"], serde_json::json!(ids[..2]));
    let (status, _) = office
        .call(
            http::Method::GET,
            &format!("/api/v1/returns/{code}/photos/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Once the return is checked, its photos stay as they were.
    let staff = common::number(
        &t.db,
        "SELECT id FROM users WHERE email = $1",
        "winkel@slaapwereld.nl",
    )
    .await;
    let utrecht = common::number(&t.db, "SELECT id FROM stores WHERE code = $1", "UTR").await;
    inspect(
        &t.db,
        &common::mail_context(),
        Actor {
            user_id: Some(staff),
            role: app::accounts::Role::StoreStaff,
            store_id: Some(utrecht),
        },
        code,
        &[
            Inspection {
                line: 1,
                outcome: Outcome::Accepted,
                reason: None,
            },
            Inspection {
                line: 2,
                outcome: Outcome::Accepted,
                reason: None,
            },
        ],
        None,
    )
    .await
    .expect("inspected");
    assert_eq!(
        anna.add_photo(code, "1", &png(10, 10)).await,
        format!("/account/returns/{code}?photo_error=closed&line=1#line-1")
    );
    let (status, headers, _) = anna
        .send(
            Request::post(format!("/account/returns/{code}/photos/{}/delete", ids[0])),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/account/returns/{code}?photo_error=closed")
    );
    assert_eq!(photos_of(&t, code, 1).await, ids[..2].to_vec());
    let (_, _, html) = anna.get(&format!("/account/returns/{code}")).await;
    let html = String::from_utf8(html).expect("html");
    assert!(!html.contains("multipart/form-data"));
    assert!(html.contains(&format!("src=\"{photo}\"")), "still shown");

    // Every photo added and removed is in the return's audit trail.
    let (id, _, _) = app::returns::repo::find_by_code(&t.db, code)
        .await
        .expect("q")
        .expect("return");
    let steps = app::returns::repo::steps(&t.db, id).await.expect("steps");
    let added = steps.iter().filter(|s| s.action == "photo_added").count();
    let removed = steps.iter().filter(|s| s.action == "photo_removed").count();
    assert_eq!((added, removed), (3, 1));
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_as_too_large() {
    let t = TestDb::new().await;
    server::seed::demo(&t.db).await.expect("demo");
    let r = damaged_return(&t).await;
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let anna = Visitor::login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let huge = vec![0xFFu8; app::returns::photos::MAX_UPLOAD_BYTES + 200 * 1024];
    assert_eq!(
        anna.add_photo(&r.code, "1", &huge).await,
        format!(
            "/account/returns/{}?photo_error=too_large&line=1#line-1",
            r.code
        )
    );
    assert!(photos_of(&t, &r.code, 1).await.is_empty());
}

/// A request body that notes whether anyone read it.
struct WatchedBody {
    data: Option<axum::body::Bytes>,
    read: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl axum::body::HttpBody for WatchedBody {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        self.read.store(true, std::sync::atomic::Ordering::SeqCst);
        std::task::Poll::Ready(self.data.take().map(|d| Ok(http_body::Frame::data(d))))
    }
}

#[tokio::test]
async fn an_upload_is_not_read_before_the_sender_is_known_to_own_the_return() {
    let t = common::demo().await;
    let r = damaged_return(&t).await;
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let post = |cookie: Option<&str>, line: &str| {
        let read = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let body = WatchedBody {
            data: Some(multipart(&png(40, 30)).into()),
            read: read.clone(),
        };
        let mut req = Request::post(format!("/account/returns/{}/lines/{line}/photos", r.code))
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            );
        if let Some(cookie) = cookie {
            req = req.header(header::COOKIE, cookie);
        }
        (req.body(Body::new(body)).expect("request"), read)
    };
    let send = |req| router.clone().oneshot(req);

    // Not logged in: sent to the login page, the upload untouched.
    let (req, read) = post(None, "1");
    let res = send(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        !read.load(std::sync::atomic::Ordering::SeqCst),
        "read before the session was checked"
    );

    // Someone else's return: the same "not found" as an unknown one, the upload untouched.
    let other = Visitor::login(
        &router,
        "inkoop@zeeuwsestromen.nl",
        "slaapwel-demo-zakelijk",
    )
    .await;
    let (req, read) = post(Some(&other.cookie), "1");
    let res = send(req).await.expect("response");
    assert_ne!(
        res.status(),
        StatusCode::SEE_OTHER,
        "no way back to her return page"
    );
    assert!(
        !read.load(std::sync::atomic::Ordering::SeqCst),
        "read for someone else's return"
    );

    // A line that asks for no photo: refused by the line, the upload untouched.
    let anna = Visitor::login(&router, "anna@example.nl", "slaapwel-demo-klant").await;
    let (req, read) = post(Some(&anna.cookie), "2");
    let res = send(req).await.expect("response");
    assert_eq!(
        res.headers()[header::LOCATION],
        format!(
            "/account/returns/{}?photo_error=not_needed&line=2#line-2",
            r.code
        )
    );
    assert!(!read.load(std::sync::atomic::Ordering::SeqCst));

    // Her own damaged line: read and stored.
    let (req, read) = post(Some(&anna.cookie), "1");
    let res = send(req).await.expect("response");
    assert_eq!(
        res.headers()[header::LOCATION],
        format!("/account/returns/{}?photo=added#line-1", r.code)
    );
    assert!(read.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(photos_of(&t, &r.code, 1).await.len(), 1);
}

/// Photos of damage go a while after their return was settled (RETENTION_RETURN_PHOTOS_DAYS,
/// default 90); those of open returns and of recently settled ones stay.
#[tokio::test]
async fn photos_of_settled_returns_are_removed_after_their_period() {
    let t = common::demo().await;
    let settled = damaged_return(&t).await;
    let now = app::db::Timestamp::now();
    let mut tx = t.db.begin().await.expect("begin");
    let id = common::number(
        &t.db,
        "SELECT id FROM returns WHERE code = $1",
        &settled.code,
    )
    .await;
    app::returns::photo_repo::insert_photo(
        &mut tx,
        &app::returns::photo_repo::NewPhoto {
            return_id: id,
            line_no: 1,
            jpeg: b"not really a jpeg",
            width: 1,
            height: 1,
            uploaded_by: None,
        },
        now,
    )
    .await
    .expect("photo");
    tx.commit().await.expect("commit");
    let retention = server::jobs::Retention::default();
    // Still open: kept, however old.
    let later = now + retention.return_photos + chrono::TimeDelta::days(1);
    server::jobs::housekeeping_once(&t.db, &t.audit_key(), later, &retention).await;
    assert_eq!(t.count("return_photos").await, 1);
    // Refunded now (the status set directly: this test is about the clean-up, the
    // way there is in returns.rs): kept until the period has passed since.
    let sql = "UPDATE returns SET status = 'refunded', updated_at = $1 WHERE id = $2";
    match &t.db {
        app::db::Db::Sqlite(p) => sqlx::query(sql)
            .bind(now)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()),
        app::db::Db::Postgres(p) => sqlx::query(sql)
            .bind(now)
            .bind(id)
            .execute(p)
            .await
            .map(|_| ()),
    }
    .expect("settle");
    server::jobs::housekeeping_once(
        &t.db,
        &t.audit_key(),
        now + chrono::TimeDelta::days(89),
        &retention,
    )
    .await;
    assert_eq!(t.count("return_photos").await, 1);
    server::jobs::housekeeping_once(&t.db, &t.audit_key(), later, &retention).await;
    assert_eq!(t.count("return_photos").await, 0);
    assert!(photos_of(&t, &settled.code, 1).await.is_empty());
}
