//! `/pkg/`: the stylesheet, script and wasm bundle cargo-leptos built.
//!
//! A release build (`cargo leptos build --release --precompress`) writes `.br` and `.gz`
//! copies compressed once at the highest level; they are sent as they are, instead of
//! compressing on every request. With hashed names (see `app::assets`) browsers keep the
//! files for a year; without, they check again each time.
use std::path::Path;

use axum::Router;
use http::HeaderValue;
use http::header::CACHE_CONTROL;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let files = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let cache = if app::assets::hashes().is_hashed() {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static(cache),
        ))
}
