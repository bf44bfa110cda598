//! All routes of the portal and the layers around them.
use app::App;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use http::Request;
use http::request::Parts;
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::health::{healthz, readyz};
use crate::language::switch_language;
use crate::security::{CspNonce, same_origin_writes, security_headers};
use crate::sessions::PortalSessionStore;
use crate::state::AppState;

/// The cookie that carries the session id.
pub const SESSION_COOKIE: &str = "portal_session";

/// What every page render and server-function call can ask for (see `app::context`).
fn provide_request_context(state: &AppState) {
    provide_context(state.db.clone());
    provide_context(app::accounts::current::RequestCache::default());
    provide_context(state.branding.clone());
    provide_context(state.config.clone());
    provide_context(state.audit_key.clone());
    provide_context(app::context::PublicUrl(state.config.public_url.clone()));
    provide_context(app::privacy::erasure::CoolingOffDays(i64::from(
        state.config.erasure_cooling_off_days,
    )));
    provide_context(app::context::ShopBasketUrl(
        state.config.shop_basket().map(str::to_string),
    ));
    let nonce =
        use_context::<Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        // Replaces the nonce leptos_axum generated: it must match our CSP header.
        provide_context(Nonce::from_value(nonce));
    }
}

async fn server_fn_handler(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_request_context(&state), req).await
}

pub fn build_router(state: AppState, session_store: PortalSessionStore) -> Router {
    // Counters count from now on, whether or not anyone scrapes them.
    crate::metrics::handle();
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_request_context(&state)
    };
    let sessions = SessionManagerLayer::new(session_store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.is_https())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));

    let mut router = Router::new();
    if state.config.dev_mail_viewer() {
        router = router
            .route("/dev/mail", get(crate::dev_mail::list))
            .route("/dev/mail/{file}", get(crate::dev_mail::show));
    }
    let demo_basket = format!("{}{}", state.config.public_url, crate::dev_basket::PATH);
    if state
        .config
        .shop_basket()
        .is_some_and(|url| url.starts_with(&demo_basket))
    {
        router = router.route(crate::dev_basket::PATH, get(crate::dev_basket::show));
    }
    router
        .nest("/api/v1", crate::api::router())
        .route(
            "/webhooks/carriers/{carrier}",
            axum::routing::post(crate::carrier_webhooks::receive),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::metrics::scrape_with_token))
        .route("/language/{code}", get(switch_language))
        .route(
            "/account/orders/{number}/receipt.pdf",
            get(crate::receipt_pdf::download),
        )
        .route(
            "/account/company/invoices/{number}/invoice.pdf",
            get(crate::invoice_pdf::download),
        )
        .route(
            "/account/returns/{code}/label.pdf",
            get(crate::return_label::download),
        )
        .route(
            "/account/privacy/export/{code}",
            get(crate::data_export::download),
        )
        .route("/admin/audit.csv", get(crate::audit::csv_download))
        .route(
            "/admin/advisors/{key}/definition.json",
            get(crate::advisor_definition::download),
        )
        .merge(crate::return_photos::routes())
        .merge(crate::quick_order_upload::routes())
        .nest(
            "/pkg",
            crate::static_files::pkg_routes(&state.config.site_root),
        )
        .route(
            "/api/fn/{*fn_name}",
            get(server_fn_handler).post(server_fn_handler),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        // Inside the session layer: it keeps typed values in the session.
        .layer(axum::middleware::from_fn(
            crate::form_errors::keep_typed_values_out_of_urls,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            // Validated when the configuration was loaded.
            std::sync::Arc::new(
                crate::client_addr::parse_trusted(&state.config.trusted_proxies)
                    .unwrap_or_default(),
            ),
            crate::client_addr::resolve_client,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            same_origin_writes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(CatchPanicLayer::custom(crate::errors::panic_response))
        .layer(axum::middleware::from_fn(
            crate::errors::retry_after_when_unavailable,
        ))
        // A ZIP (the data export) is compressed already, and it carries its length so the
        // browser can show the download's progress.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/zip")),
        ))
        .layer(TraceLayer::new_for_http())
        // Outermost: the time counted is the whole answer's (per route: `Router::layer`
        // wraps each route, so the matched route is known here).
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .with_state(state)
}
