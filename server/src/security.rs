//! Security headers on every response. Each response gets its own CSP nonce; Leptos puts
//! the same nonce on the hydration script and inline styles it renders (router.rs hands
//! it over), so no inline script runs without it.
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use http::HeaderValue;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use rand::RngCore;

use crate::state::AppState;

/// The nonce of this request, read by the Leptos context (router.rs).
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// `form_target`: another origin a form may lead to (the webshop, for "buy again").
pub fn content_security_policy(nonce: &str, form_target: Option<&str>) -> String {
    let form_target = form_target.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data: https:; \
         connect-src 'self'; \
         worker-src 'self'; \
         font-src 'self'; \
         object-src 'none'; \
         base-uri 'self'; \
         form-action 'self'{form_target}; \
         frame-ancestors 'none'"
    )
}

pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    let csp = content_security_policy(&nonce.0, state.shop_origin.as_deref());
    req.extensions_mut().insert(nonce);
    let personal = is_personal(req.uri().path());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    // Every page names who is logged in, and the account's pages, downloads and answers
    // carry their data: no browser or proxy cache may keep them (the back button after
    // logging out shows nothing). A response that chose its own caching keeps it.
    let html = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if (html || personal) && !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(), microphone=(), payment=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.is_https() {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Paths whose answers are about someone: the account and staff pages with their
/// downloads, server functions and the JSON API, the development mail viewer.
fn is_personal(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    ["/account", "/store", "/admin", "/api", "/dev"]
        .into_iter()
        .any(under)
}

/// CSRF protection for every state-changing request from a browser (forms and server
/// functions, with or without JavaScript): its `Origin` (or, failing that, `Referer`) must
/// be this site. Together with the SameSite=Lax session cookie this refuses requests that
/// another site makes a visitor's browser send. The JSON API (`/api/v1`) is exempt: it
/// authenticates with bearer keys, not cookies.
pub async fn same_origin_writes(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    use axum::response::IntoResponse;
    use http::Method;
    use http::header::{HOST, ORIGIN, REFERER};

    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The API (bearer keys) and carrier webhooks (signed) carry no cookies to forge.
    let path = req.uri().path();
    if safe || path.starts_with("/api/v1/") || path.starts_with("/webhooks/") {
        return next.run(req).await;
    }
    let headers = req.headers();
    let claimed = headers
        .get(ORIGIN)
        .or_else(|| headers.get(REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok());
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let allowed = claimed.is_some_and(|url| {
        let authority = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        host == Some(authority.as_str())
            || url.origin().ascii_serialization() == state.config.public_url
    });
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site or origin-less write");
        (
            http::StatusCode::FORBIDDEN,
            "This request did not come from this site and was refused.",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_differ_and_fit_in_a_header() {
        let a = CspNonce::generate().0;
        let b = CspNonce::generate().0;
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(HeaderValue::from_str(&content_security_policy(&a, None)).is_ok());
    }

    #[test]
    fn personal_paths_are_the_account_staff_and_api_ones() {
        for path in [
            "/account",
            "/account/orders/1/receipt.pdf",
            "/store/returns",
            "/admin/returns",
            "/api/fn/my_orders",
            "/api/v1/orders/1",
            "/dev/mail",
        ] {
            assert!(is_personal(path), "{path}");
        }
        for path in [
            "/",
            "/stores",
            "/storefront",
            "/accounts",
            "/pkg/mijn-portaal.css",
            "/healthz",
        ] {
            assert!(!is_personal(path), "{path}");
        }
    }

    #[test]
    fn forms_may_lead_to_the_webshop_only_when_configured() {
        let plain = content_security_policy("n", None);
        assert!(plain.contains("form-action 'self';"));
        let shop = content_security_policy("n", Some("https://www.example.nl"));
        assert!(shop.contains("form-action 'self' https://www.example.nl;"));
    }
}
