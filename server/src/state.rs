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
    /// The webshop's origin from `SHOP_BASKET_URL`, allowed as a form target in the CSP.
    pub shop_origin: Option<String>,
    /// The key the audit trail is sealed with (`crate::audit::load_key`).
    pub audit_key: app::audit::chain::AuditKey,
}

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
        AppState {
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
