//! The last line of defence: a request that panicked gets a plain error page in both
//! languages (the app's own error pages need a working render) and the panic is logged.
use std::any::Any;

use axum::body::Body;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{Response, StatusCode};

const PANIC_PAGE: &str = "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Er ging iets mis · Something went wrong</title></head><body>\
<main><h1>Er ging iets mis</h1><p>Dit is niet jouw fout. Probeer het over een paar minuten opnieuw.</p>\
<p><a href=\"/\">Naar de startpagina</a></p>\
<h1 lang=\"en\">Something went wrong</h1><p lang=\"en\">This is not your fault. Please try again in a few minutes.</p>\
<p lang=\"en\"><a href=\"/\">Go to the home page</a></p></main></body></html>";

/// A 503 (the database away for a moment) tells browsers, load balancers and API clients
/// when to try again, unless the answer said so itself.
pub async fn retry_after_when_unavailable(
    req: http::Request<Body>,
    next: axum::middleware::Next,
) -> Response<Body> {
    let mut res = next.run(req).await;
    if res.status() == StatusCode::SERVICE_UNAVAILABLE
        && !res.headers().contains_key(http::header::RETRY_AFTER)
    {
        res.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    res
}

/// Seconds: a database restart or failover takes about this long.
pub const RETRY_AFTER_SECONDS: &str = "10";

pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = message, "request handler panicked");
    let mut res = Response::new(Body::from(PANIC_PAGE));
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(
        CONTENT_TYPE,
        http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut()
        .insert(CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_500_page_in_both_languages() {
        let res = panic_response(Box::new("boom".to_string()));
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            PANIC_PAGE.contains("Er ging iets mis") && PANIC_PAGE.contains("Something went wrong")
        );
    }
}
