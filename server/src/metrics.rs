//! `/metrics` for operators, in Prometheus' text format: requests and their latency per
//! route, the database pool, the outbox (waiting, oldest waiting, given up, per kind),
//! background jobs' last round, throttled logins and rate-limited requests, failed
//! deliveries. The counters are this process's (Prometheus adds processes up); the
//! outbox figures are read from the database at each scrape, so every process tells the
//! same, whole truth about it.
//!
//! Served on the portal's address to a scraper with `Authorization: Bearer METRICS_TOKEN`,
//! or without a token on `METRICS_ADDR` (an admin-only address); with neither, nowhere.
use std::sync::OnceLock;
use std::time::Instant;

use app::db::{Db, Timestamp};
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{Request, StatusCode};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

const DURATION: &str = "portal_http_request_duration_seconds";
/// From a cached page (a few ms) to a slow PDF or a request waiting out the database.
const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder, installed on first use (once per process: tests build many
/// routers).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), DURATION_BUCKETS)
            .expect("bucket list is not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (never in the server binary); the
        // handle then renders only what this one saw, which is nothing: said in the log.
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed before; /metrics stays empty");
        }
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        "portal_http_requests_total",
        "HTTP requests answered, by method, route and status"
    );
    metrics::describe_histogram!(
        DURATION,
        metrics::Unit::Seconds,
        "Time to answer a request, by method and route"
    );
    metrics::describe_gauge!(
        "portal_db_pool_connections",
        "Database connections of this process, by state (in_use, idle) and the maximum"
    );
    metrics::describe_gauge!(
        "portal_outbox_waiting",
        "Mails and webhooks not sent yet, by kind (all processes)"
    );
    metrics::describe_gauge!(
        "portal_outbox_oldest_waiting_seconds",
        "Age of the oldest mail or webhook not sent yet, by kind (0: none waiting)"
    );
    metrics::describe_gauge!(
        "portal_outbox_given_up",
        "Mails and webhooks given up after every retry, by kind, still kept (all processes)"
    );
    metrics::describe_counter!(
        "portal_outbox_sent_total",
        "Mails and webhooks this process delivered, by kind"
    );
    metrics::describe_counter!(
        "portal_outbox_failures_total",
        "Failed deliveries by this process, by kind and outcome (retry, gave_up)"
    );
    metrics::describe_gauge!(
        "portal_job_last_run_timestamp_seconds",
        "When a background job of this process last finished a round (Unix time)"
    );
    metrics::describe_counter!(
        "portal_login_throttled_total",
        "Logins refused for too many failures"
    );
    metrics::describe_counter!(
        "portal_rate_limited_total",
        "Requests refused by a rate limit, by limit"
    );
}

/// Counts every request and its time, by the route it matched (not the raw path: one
/// series per route, whatever the order number).
pub async fn track(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("portal_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(DURATION, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `/metrics` on the portal's address: only with the token.
pub async fn scrape_with_token(State(state): State<AppState>, req: Request<Body>) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compared as digests: how long the comparison takes tells nothing about the token.
    use sha2::{Digest, Sha256};
    if Sha256::digest(given.as_bytes()) != Sha256::digest(expected.trim().as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(http::header::WWW_AUTHENTICATE, "Bearer")],
            "a metrics token is needed",
        )
            .into_response();
    }
    scrape(State(state)).await
}

/// `/metrics` on the admin address, and after the token check.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let handle = handle();
    observe_pool(&state.db, state.config.database_max_connections);
    if let Err(error) = observe_outbox(&state.db, Timestamp::now()).await {
        // The rest still tells something (requests answered 503, say).
        tracing::warn!(%error, "metrics: cannot read the outbox");
    }
    handle.run_upkeep();
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        handle.render(),
    )
        .into_response()
}

fn observe_pool(db: &Db, max: u32) {
    let (size, idle) = match db {
        Db::Sqlite(pool) => (pool.size(), pool.num_idle()),
        Db::Postgres(pool) => (pool.size(), pool.num_idle()),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
    metrics::gauge!("portal_db_pool_connections", "state" => "in_use").set(f64::from(size - idle));
    metrics::gauge!("portal_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("portal_db_pool_connections", "state" => "max").set(f64::from(max));
}

async fn observe_outbox(db: &Db, now: Timestamp) -> Result<(), sqlx::Error> {
    let figures = app::outbox::repo::figures(db).await?;
    for kind in [app::outbox::KIND_MAIL, app::outbox::KIND_WEBHOOK] {
        let figure = figures.iter().find(|f| f.kind == kind);
        let waiting = figure.map_or(0, |f| f.waiting);
        let given_up = figure.map_or(0, |f| f.given_up);
        let oldest = figure
            .and_then(|f| f.oldest_waiting)
            .map_or(0.0, |at| (now.0 - at.0).as_seconds_f64().max(0.0));
        metrics::gauge!("portal_outbox_waiting", "kind" => kind).set(waiting as f64);
        metrics::gauge!("portal_outbox_given_up", "kind" => kind).set(given_up as f64);
        metrics::gauge!("portal_outbox_oldest_waiting_seconds", "kind" => kind).set(oldest);
    }
    Ok(())
}

/// The admin address's own little server: `/metrics` and nothing else.
pub fn admin_router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .with_state(state)
}
