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
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name(app::OUTPUT_NAME)
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(config.listen_addr())
            .env(leptos::config::Env::PROD)
            .build();
        AppState {
            db,
            branding: config.branding(),
            config: Arc::new(config),
            leptos_options,
        }
    }
}
