//! The integration API contract, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
mod common;

use app::apikeys::service::{create, revoke};
use app::stores::service::search_stores;
use axum::Router;
use axum::body::{Body, to_bytes};
use common::TestDb;
use http::{Request, StatusCode, header};
use serde_json::{Value, json};
use server::router::build_router;
use server::sessions::PortalSessionStore;
use tower::ServiceExt;

async fn setup(scopes: &[&str]) -> (TestDb, Router, String) {
    let t = TestDb::new().await;
    let router = build_router(t.state(), PortalSessionStore::new(&t.db));
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    let key = create(&t.db, "webshop", &scopes).await.expect("key");
    (t, router, key)
}

async fn put(
    router: &Router,
    path: &str,
    key: Option<&str>,
    body: String,
) -> (StatusCode, http::HeaderMap, Value) {
    let mut req = Request::put(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = to_bytes(res.into_body(), 4 * 1024 * 1024)
        .await
        .expect("body");
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn store_json() -> Value {
    let day = json!({"opens": "09:30", "closes": "18:00"});
    json!({
        "name": "Slaapwereld Zwolle",
        "street": "Diezerstraat 1",
        "postcode": "8011 RA",
        "city": "Zwolle",
        "phone": "038 555 0106",
        "opening_hours": [day, day, day, day, day, day, null]
    })
}

fn assert_problem(headers: &http::HeaderMap) {
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
}

#[tokio::test]
async fn put_store_creates_then_repeats_harmlessly() {
    let (t, router, key) = setup(&["stores:write"]).await;
    let (status, _, body) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        store_json().to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code"], "ZWO");
    assert_eq!(body["city"], "Zwolle");
    let (again, _, _) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        store_json().to_string(),
    )
    .await;
    assert_eq!(again, StatusCode::OK);
    let stores = search_stores(&t.db, "zwolle").await.expect("search");
    assert_eq!(stores.len(), 1, "idempotent by code");
    assert_eq!(stores[0].phone.as_deref(), Some("038 555 0106"));
}

#[tokio::test]
async fn bad_input_names_each_field_and_changes_nothing() {
    let (t, router, key) = setup(&["stores:write"]).await;
    let mut missing = store_json();
    missing.as_object_mut().expect("object").remove("city");
    let (status, headers, body) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        missing.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&headers);
    assert_eq!(body["errors"][0]["field"], "city");
    assert_eq!(body["errors"][0]["code"], "required");

    let mut wrong_type = store_json();
    wrong_type["opening_hours"] = json!("always");
    let (status, _, body) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        wrong_type.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "opening_hours");
    assert_eq!(body["errors"][0]["code"], "wrong_type");

    let mut bad_values = store_json();
    bad_values["name"] = json!(" ");
    bad_values["opening_hours"][2] = json!({"opens": "18:00", "closes": "09:00"});
    let (status, _, body) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        bad_values.to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default(),
                e["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [("name", "required"), ("opening_hours[2]", "invalid_times")]
    );

    let (status, headers, _) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        "{not json".into(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_problem(&headers);

    assert!(
        search_stores(&t.db, "").await.expect("search").is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn keys_are_checked_and_scopes_enforced() {
    let (t, router, key) = setup(&["orders:write"]).await;
    let (status, headers, _) = put(
        &router,
        "/api/v1/stores/ZWO",
        None,
        store_json().to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_problem(&headers);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");

    let forged = format!("{}x", &key[..key.len() - 1]);
    let (status, _, _) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&forged),
        store_json().to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _, body) = put(
        &router,
        "/api/v1/stores/ZWO",
        Some(&key),
        store_json().to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "orders:write does not allow stores:write"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("stores:write")
    );

    let writer = create(&t.db, "tills", &["stores:write".to_string()])
        .await
        .expect("key");
    assert_eq!(
        put(
            &router,
            "/api/v1/stores/ZWO",
            Some(&writer),
            store_json().to_string()
        )
        .await
        .0,
        StatusCode::OK
    );
    assert!(revoke(&t.db, "tills").await.expect("revoke"));
    assert_eq!(
        put(
            &router,
            "/api/v1/stores/ZWO",
            Some(&writer),
            store_json().to_string()
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED,
        "a revoked key stops working at once"
    );
}

#[tokio::test]
async fn oversized_bodies_and_unknown_endpoints_are_problems_too() {
    let (_t, router, key) = setup(&["stores:write"]).await;
    let huge = format!(
        "{{\"name\": \"{}\"}}",
        "x".repeat(server::api::BODY_LIMIT + 10)
    );
    let (status, headers, _) = put(&router, "/api/v1/stores/ZWO", Some(&key), huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_problem(&headers);
    let (status, headers, _) = put(&router, "/api/v1/nothing-here", Some(&key), "{}".into()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_problem(&headers);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api_and_is_public() {
    let (_t, router, _key) = setup(&["stores:write"]).await;
    let res = router
        .clone()
        .oneshot(
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = to_bytes(res.into_body(), 1024 * 1024).await.expect("body");
    let doc: Value = serde_json::from_slice(&bytes).expect("json");
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert!(
        doc["paths"]["/api/v1/stores/{code}"]["put"].is_object(),
        "the stores endpoint is documented"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    for schema in ["Store", "StoreInput", "DayHours", "Problem", "FieldProblem"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }

    let page = router
        .clone()
        .oneshot(
            Request::get("/api/v1/docs")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(page.status(), StatusCode::OK);
    let html = String::from_utf8(
        to_bytes(page.into_body(), 1024 * 1024)
            .await
            .expect("body")
            .to_vec(),
    )
    .expect("utf8");
    assert!(html.contains("PUT /api/v1/stores/{code}"));
}
