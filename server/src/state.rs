use std::sync::Arc;

use app::branding::Branding;
use app::db::Db;
use leptos::config::LeptosOptions;

use crate::config::Config;

/// Everything a request handler may need; cheap to clone.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub branding: Branding,
    pub leptos_options: LeptosOptions,
    /// Requests per API key (`API_RATE_LIMIT_PER_MINUTE`). Per process: behind a load
    /// balancer each instance counts on its own.
    pub api_limiter: Arc<ApiRateLimiter>,
    /// The webshop's origin from `SHOP_BASKET_URL`, allowed as a form target in the CSP.
    pub shop_origin: Option<String>,
    /// The key the audit trail is sealed with (`crate::audit::load_key`).
    pub audit_key: app::audit::chain::AuditKey,
}

pub type ApiRateLimiter = governor::DefaultKeyedRateLimiter<i64>;

impl AppState {
    pub fn new(db: Db, config: Config, audit_key: app::audit::chain::AuditKey) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name(app::OUTPUT_NAME)
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            // Hashed file names when cargo-leptos wrote their hashes (see `app::assets`).
            .hash_files(app::assets::hashes().is_hashed())
            .site_addr(config.listen_addr())
            .env(leptos::config::Env::PROD)
            .build();
        let per_minute = std::num::NonZeroU32::new(config.api_rate_limit_per_minute)
            .unwrap_or(std::num::NonZeroU32::MIN);
        AppState {
            api_limiter: Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
                per_minute,
            ))),
            db,
            branding: config.branding(),
            shop_origin: config.shop_origin(),
            config: Arc::new(config),
            leptos_options,
            audit_key,
        }
    }

    /// What mails sent outside a page request (e.g. from the API) need.
    pub fn mail_context(&self) -> app::accounts::mails::MailContext {
        app::accounts::mails::MailContext {
            public_url: self.config.public_url.clone(),
            retailer: self.branding.retailer_name.clone(),
            brand_colour: self.branding.brand_colour.clone(),
        }
    }
}
