//! Typed configuration. Sources, later ones winning: built-in defaults, an optional TOML
//! file (`--config FILE`, `CONFIG_FILE`, or `portal.toml` in the working directory when it
//! exists), then environment variables with the same names in capitals (`PORT=8080`).
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use app::branding::{Branding, parse_hex_colour};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://data/portal.db` (default) or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Largest number of database connections of this process.
    pub database_max_connections: u32,
    /// Address to listen on.
    pub host: IpAddr,
    pub port: u16,
    /// The address customers use, e.g. `https://mijn.example.nl`: used in links in e-mails;
    /// an `https` address makes cookies `Secure` and turns on HSTS.
    pub public_url: String,
    /// Where SQLite databases, mails written to disk and other runtime files live.
    pub data_dir: PathBuf,
    /// Compiled site (wasm, js, css, assets), as written by cargo-leptos.
    pub site_root: PathBuf,
    pub retailer_name: String,
    pub brand_colour: String,
    pub logo_url: Option<String>,
    /// `smtp://user:pass@host:587?tls=required` or `smtps://…`; without it mails are written
    /// as `.eml` files to `DATA_DIR/mail`.
    pub smtp_url: Option<String>,
    /// Sender of the portal's mails, e.g. `Slaapwereld <service@slaapwereld.nl>`.
    pub mail_from: String,
    /// The development mail viewer at `/dev/mail`, which shows every mail written to
    /// disk — password reset links included: `""` off (the default), `1` on while the
    /// server listens on a loopback address only, `force` on whatever the address.
    /// `serve --demo` turns it on (`1`). Never there with `SMTP_URL`.
    pub dev_mail: String,
    pub log_format: LogFormat,
    /// A `tracing` filter such as `info` or `server=debug,sqlx=warn`; `RUST_LOG` wins.
    pub log_level: String,
    /// Requests per minute one API key may make to `/api/v1`, counted over all server
    /// processes (in the database); more get 429 with `Retry-After`.
    pub api_rate_limit_per_minute: u32,
    /// Where events for the back office are POSTed (cancellation requests, returns…);
    /// without it they are written as JSON files to `DATA_DIR/webhooks`.
    pub webhook_url: Option<String>,
    /// `whsec_…` (base64 of 24–64 random bytes), shared with the back office; it signs
    /// every webhook (Standard Webhooks). `server webhook-secret` makes one.
    pub webhook_secret: Option<String>,
    /// The key the audit trail is sealed with: base64 of at least 32 random bytes
    /// (`server audit key` makes one). Unset: kept in `DATA_DIR/audit.key`, made at the
    /// first start. Several processes on one database must share one key.
    pub audit_key: Option<String>,
    /// The webshop's "add to basket" address, where "buy again" sends consumers, with
    /// `{items}` standing for `SKU:quantity,…`, e.g.
    /// `https://www.example.nl/basket/add?items={items}`. Without it consumers see no
    /// "buy again" button (B2B buyers send a reorder request instead).
    pub shop_basket_url: Option<String>,
    /// Where customers send returns by post, printed on the return label; lines separated
    /// by `|`, e.g. `Retourcentrum|Postbus 2001|3500 GA Utrecht`.
    pub return_address: String,
    /// Reverse proxies (load balancer, CDN) whose `Forwarded` / `X-Forwarded-For` headers
    /// are believed: addresses or CIDR ranges, comma-separated (`10.0.0.0/8, ::1`). Empty
    /// (the default): the connection's address is the client's. See `client_addr`.
    pub trusted_proxies: String,
    /// How long records that only matter for a while are kept (the hourly housekeeping,
    /// `server/src/jobs.rs`; README "What is logged and kept how long"), in days.
    pub retention_login_attempts_days: u32,
    pub retention_claim_attempts_days: u32,
    pub retention_used_links_days: u32,
    pub retention_outbox_days: u32,
    pub retention_mail_files_days: u32,
    /// Photos of damage, counted from when their return was settled (refunded,
    /// exchanged, credited or cancelled).
    pub retention_return_photos_days: u32,
    /// API idempotency keys, in hours.
    pub retention_idempotency_hours: u32,
    /// The audit trail (`audit_log`): its oldest rows go after this many days.
    pub retention_audit_days: u32,
    /// "Delete my account": the days between confirming and erasing, in which the
    /// customer can cancel (0: erased at the next hourly run).
    pub erasure_cooling_off_days: u32,
    /// `/metrics` (Prometheus text) on the portal's own address for a scraper that sends
    /// `Authorization: Bearer <token>`; at least 24 characters. Unset: no `/metrics` there.
    pub metrics_token: Option<String>,
    /// An admin-only address (e.g. `127.0.0.1:9464`) where `/metrics` is served without a
    /// token: keep it off the public network.
    pub metrics_addr: Option<std::net::SocketAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/portal.db".into(),
            database_max_connections: 10,
            host: IpAddr::from([127, 0, 0, 1]),
            port: 3000,
            public_url: String::new(),
            data_dir: PathBuf::from("data"),
            site_root: PathBuf::from("target/site"),
            retailer_name: "Slaapwereld".into(),
            brand_colour: "#1f5f8b".into(),
            logo_url: None,
            smtp_url: None,
            mail_from: "Slaapwereld <service@slaapwereld.example>".into(),
            dev_mail: String::new(),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            api_rate_limit_per_minute: 1200,
            webhook_url: None,
            webhook_secret: None,
            audit_key: None,
            shop_basket_url: None,
            return_address: "Retourcentrum|Postbus 2001|3500 GA Utrecht".into(),
            trusted_proxies: String::new(),
            retention_login_attempts_days: 90,
            retention_claim_attempts_days: 90,
            retention_used_links_days: 7,
            retention_outbox_days: 30,
            retention_mail_files_days: 7,
            retention_return_photos_days: 90,
            erasure_cooling_off_days: 14,
            retention_idempotency_hours: 24,
            retention_audit_days: 730,
            metrics_token: None,
            metrics_addr: None,
        }
    }
}

/// The variables read from the environment, documented in README.md.
pub const ENV_VARS: &[&str] = &[
    "DATABASE_URL",
    "DATABASE_MAX_CONNECTIONS",
    "HOST",
    "PORT",
    "PUBLIC_URL",
    "DATA_DIR",
    "SITE_ROOT",
    "RETAILER_NAME",
    "BRAND_COLOUR",
    "LOGO_URL",
    "SMTP_URL",
    "MAIL_FROM",
    "DEV_MAIL",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "API_RATE_LIMIT_PER_MINUTE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "AUDIT_KEY",
    "SHOP_BASKET_URL",
    "RETURN_ADDRESS",
    "TRUSTED_PROXIES",
    "RETENTION_LOGIN_ATTEMPTS_DAYS",
    "RETENTION_CLAIM_ATTEMPTS_DAYS",
    "RETENTION_USED_LINKS_DAYS",
    "RETENTION_OUTBOX_DAYS",
    "RETENTION_MAIL_FILES_DAYS",
    "RETENTION_RETURN_PHOTOS_DAYS",
    "RETENTION_IDEMPOTENCY_HOURS",
    "RETENTION_AUDIT_DAYS",
    "ERASURE_COOLING_OFF_DAYS",
    "METRICS_TOKEN",
    "METRICS_ADDR",
];

/// How long records that only matter for a while are kept: from the configuration
/// (`RETENTION_*`, see `Config::retention`), defaults in README "What is logged and kept
/// how long".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Login attempts (e-mail, address, time): the throttle needs minutes, recognising a
    /// customer's own devices (`throttle::KNOWN_FOR`) up to 90 days.
    pub login_attempts: chrono::TimeDelta,
    /// Card-link and receipt-claim tries (user, address, number): evidence of guessing.
    pub claim_attempts: chrono::TimeDelta,
    /// A used or expired link is kept a while, so clicking it again still says "used"
    /// or "expired" rather than "unknown".
    pub used_links: chrono::TimeDelta,
    /// A sent (or given up) mail or webhook row, for questions like "did the back office
    /// get that event?" (a sent mail's text is blanked at once).
    pub outbox: chrono::TimeDelta,
    /// The mail viewer's `.eml` files: long enough to click a link in one.
    pub mail_files: chrono::TimeDelta,
    /// Photos of damage, after their return was settled.
    pub return_photos: chrono::TimeDelta,
    /// `Idempotency-Key`s: clients retry within minutes; a day is generous, as Stripe does.
    pub idempotency_keys: chrono::TimeDelta,
    /// The audit trail: long enough to answer "who looked at my account last year?" and
    /// to investigate an incident found late; not forever (it names staff and customers).
    pub audit: chrono::TimeDelta,
}

impl Default for Retention {
    fn default() -> Self {
        Config::default().retention()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the configuration file {0} does not exist")]
    MissingFile(String),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Reads defaults, the file and the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Self::from_figment(Self::figment(file, Env::raw().only(ENV_VARS))?)
    }

    fn figment(file: Option<&Path>, env: Env) -> Result<Figment, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let explicit = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("CONFIG_FILE").map(PathBuf::from));
        match explicit {
            Some(path) if !path.exists() => {
                return Err(ConfigError::MissingFile(path.display().to_string()));
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None if Path::new("portal.toml").exists() => {
                figment = figment.merge(Toml::file("portal.toml"))
            }
            None => {}
        }
        Ok(figment.merge(env))
    }

    fn from_figment(figment: Figment) -> Result<Config, ConfigError> {
        let mut config: Config = figment.extract().map_err(|e| {
            // figment names the key and the source; keep the first error only.
            let first = e
                .into_iter()
                .next()
                .map(|e| e.to_string())
                .unwrap_or_default();
            ConfigError::Invalid(first)
        })?;
        config.validate()?;
        if config.public_url.is_empty() {
            config.public_url = format!("http://{}:{}", config.host, config.port);
        }
        config.public_url = config.public_url.trim_end_matches('/').to_string();
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self
            .metrics_token
            .as_deref()
            .is_some_and(|token| token.trim().len() < 24)
        {
            return Err(ConfigError::Invalid(
                "METRICS_TOKEN must be at least 24 characters (e.g. `openssl rand -hex 24`)".into(),
            ));
        }
        if parse_hex_colour(&self.brand_colour).is_none() {
            return Err(ConfigError::Invalid(format!(
                "BRAND_COLOUR must look like #1f5f8b (got \"{}\")",
                self.brand_colour
            )));
        }
        if !self.public_url.is_empty() {
            let url = url::Url::parse(&self.public_url).map_err(|e| {
                ConfigError::Invalid(format!(
                    "PUBLIC_URL \"{}\" is not a URL: {e}",
                    self.public_url
                ))
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(ConfigError::Invalid(format!(
                    "PUBLIC_URL must start with http:// or https:// (got \"{}\")",
                    self.public_url
                )));
            }
        }
        if self.retailer_name.trim().is_empty() {
            return Err(ConfigError::Invalid(
                "RETAILER_NAME must not be empty".into(),
            ));
        }
        if let Some(url) = self.webhook_url.as_deref().filter(|u| !u.is_empty()) {
            let parsed = url::Url::parse(url).map_err(|e| {
                ConfigError::Invalid(format!("WEBHOOK_URL \"{url}\" is not a URL: {e}"))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(ConfigError::Invalid(format!(
                    "WEBHOOK_URL must start with http:// or https:// (got \"{url}\")"
                )));
            }
            let secret = self.webhook_secret.as_deref().unwrap_or_default();
            if secret.is_empty() {
                return Err(ConfigError::Invalid(
                    "WEBHOOK_URL is set, so WEBHOOK_SECRET is needed too (make one with `server webhook-secret`)".into(),
                ));
            }
            crate::webhook_secret::parse_secret(secret).map_err(ConfigError::Invalid)?;
        }
        if let Some(key) = self.audit_key.as_deref().filter(|k| !k.trim().is_empty()) {
            app::audit::chain::AuditKey::parse(key).map_err(|e| {
                ConfigError::Invalid(format!("AUDIT_KEY: {e} (make one with `server audit key`)"))
            })?;
        }
        if let Some(url) = self.shop_basket() {
            let parsed = url::Url::parse(url).map_err(|e| {
                ConfigError::Invalid(format!("SHOP_BASKET_URL \"{url}\" is not a URL: {e}"))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") || !url.contains("{items}") {
                return Err(ConfigError::Invalid(format!(
                    "SHOP_BASKET_URL must be an http(s) address containing {{items}} (got \"{url}\")"
                )));
            }
        }
        crate::client_addr::parse_trusted(&self.trusted_proxies).map_err(ConfigError::Invalid)?;
        for (name, value, most) in [
            (
                "RETENTION_LOGIN_ATTEMPTS_DAYS",
                self.retention_login_attempts_days,
                3650,
            ),
            (
                "RETENTION_CLAIM_ATTEMPTS_DAYS",
                self.retention_claim_attempts_days,
                3650,
            ),
            (
                "RETENTION_USED_LINKS_DAYS",
                self.retention_used_links_days,
                3650,
            ),
            ("RETENTION_OUTBOX_DAYS", self.retention_outbox_days, 3650),
            (
                "RETENTION_MAIL_FILES_DAYS",
                self.retention_mail_files_days,
                3650,
            ),
            (
                "RETENTION_RETURN_PHOTOS_DAYS",
                self.retention_return_photos_days,
                3650,
            ),
            ("RETENTION_AUDIT_DAYS", self.retention_audit_days, 3650),
            // An idempotency key must outlive a client's retries of one request.
            (
                "RETENTION_IDEMPOTENCY_HOURS",
                self.retention_idempotency_hours,
                24 * 365,
            ),
        ] {
            if value == 0 || value > most {
                return Err(ConfigError::Invalid(format!(
                    "{name} must be between 1 and {most} (got {value})"
                )));
            }
        }
        if self.erasure_cooling_off_days > 90 {
            return Err(ConfigError::Invalid(format!(
                "ERASURE_COOLING_OFF_DAYS must be between 0 and 90 (got {})",
                self.erasure_cooling_off_days
            )));
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::Invalid(
                "DATABASE_MAX_CONNECTIONS must be at least 1".into(),
            ));
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// Whether `/dev/mail` is served: asked for (`DEV_MAIL` or `serve --demo`), mails
    /// written to disk (no `SMTP_URL`), and only reachable from this machine unless forced.
    pub fn dev_mail_viewer(&self) -> bool {
        let asked = matches!(self.dev_mail.trim(), "1" | "true" | "force");
        let forced = self.dev_mail.trim() == "force";
        asked
            && self.smtp_url.as_deref().is_none_or(str::is_empty)
            && (self.host.is_loopback() || forced)
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `SHOP_BASKET_URL`, when set.
    pub fn shop_basket(&self) -> Option<&str> {
        self.shop_basket_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
    }

    /// The webshop's origin (`https://www.example.nl`): "buy again" forms may lead there.
    pub fn shop_origin(&self) -> Option<String> {
        let url = url::Url::parse(self.shop_basket()?).ok()?;
        Some(url.origin().ascii_serialization())
    }

    /// The retention periods, for the housekeeping job.
    pub fn retention(&self) -> Retention {
        let days = |d: u32| chrono::TimeDelta::days(i64::from(d));
        Retention {
            login_attempts: days(self.retention_login_attempts_days),
            claim_attempts: days(self.retention_claim_attempts_days),
            used_links: days(self.retention_used_links_days),
            outbox: days(self.retention_outbox_days),
            mail_files: days(self.retention_mail_files_days),
            return_photos: days(self.retention_return_photos_days),
            idempotency_keys: chrono::TimeDelta::hours(i64::from(self.retention_idempotency_hours)),
            audit: days(self.retention_audit_days),
        }
    }

    pub fn branding(&self) -> Branding {
        Branding {
            retailer_name: self.retailer_name.clone(),
            logo_url: self.logo_url.clone().filter(|u| !u.is_empty()),
            brand_colour: self.brand_colour.clone(),
        }
    }
}

#[cfg(test)]
// figment's test jail returns its own (large) error type; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load_in_jail() -> Result<Config, ConfigError> {
        Config::from_figment(Config::figment(None, Env::raw().only(ENV_VARS))?)
    }

    #[test]
    fn retention_periods_come_from_the_environment_and_must_be_sensible() {
        Jail::expect_with(|jail| {
            let config = load_in_jail().expect("defaults are valid");
            assert_eq!(
                config.retention().login_attempts,
                chrono::TimeDelta::days(90)
            );
            assert_eq!(
                config.retention().idempotency_keys,
                chrono::TimeDelta::hours(24)
            );
            jail.set_env("RETENTION_RETURN_PHOTOS_DAYS", "30");
            let config = load_in_jail().expect("valid");
            assert_eq!(
                config.retention().return_photos,
                chrono::TimeDelta::days(30)
            );
            jail.set_env("RETENTION_OUTBOX_DAYS", "0");
            let err = load_in_jail().expect_err("zero days");
            assert!(
                err.to_string()
                    .contains("RETENTION_OUTBOX_DAYS must be between 1 and 3650"),
                "{err}"
            );
            Ok(())
        });
    }

    #[test]
    fn every_variable_in_the_readme_is_read_and_every_one_read_is_in_the_readme() {
        let readme = include_str!("../../README.md");
        let documented: std::collections::BTreeSet<&str> = readme
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split_once('`').map(|(name, _)| name))
            .filter(|name| name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .collect();
        let read: std::collections::BTreeSet<&str> = ENV_VARS.iter().copied().collect();
        assert_eq!(
            documented, read,
            "README's variable table and ENV_VARS differ"
        );
    }

    #[test]
    fn erasure_cooling_off_and_audit_key_come_from_the_environment() {
        Jail::expect_with(|jail| {
            jail.set_env("ERASURE_COOLING_OFF_DAYS", "3");
            assert_eq!(load_in_jail().expect("valid").erasure_cooling_off_days, 3);
            jail.set_env("AUDIT_KEY", "dGUga29ydA==");
            let err = load_in_jail().expect_err("short key");
            assert!(
                err.to_string()
                    .contains("AUDIT_KEY: the audit key is too short"),
                "{err}"
            );
            let key = app::audit::chain::AuditKey::generate().to_text();
            jail.set_env("AUDIT_KEY", &key);
            assert_eq!(
                load_in_jail().expect("valid").audit_key.as_deref(),
                Some(key.as_str())
            );
            Ok(())
        });
    }

    #[test]
    fn defaults_serve_sqlite_on_localhost_3000() {
        Jail::expect_with(|_| {
            let config = load_in_jail().expect("defaults are valid");
            assert_eq!(config.database_url, "sqlite://data/portal.db");
            assert_eq!(config.listen_addr().to_string(), "127.0.0.1:3000");
            assert_eq!(config.public_url, "http://127.0.0.1:3000");
            assert!(!config.is_https());
            Ok(())
        });
    }

    #[test]
    fn file_then_environment() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "portal.toml",
                "port = 4000\nretailer_name = \"Beddenhuis\"\n",
            )?;
            jail.set_env("PORT", "5000");
            let config = load_in_jail().expect("valid");
            assert_eq!(config.port, 5000, "environment wins over the file");
            assert_eq!(config.retailer_name, "Beddenhuis");
            Ok(())
        });
    }

    #[test]
    fn bad_values_are_one_clear_sentence() {
        Jail::expect_with(|jail| {
            jail.set_env("BRAND_COLOUR", "red");
            let err = load_in_jail().expect_err("red is not #rrggbb").to_string();
            assert!(err.contains("BRAND_COLOUR must look like #1f5f8b"), "{err}");
            Ok(())
        });
        Jail::expect_with(|jail| {
            jail.set_env("PORT", "seventy");
            let err = load_in_jail().expect_err("not a number").to_string();
            assert!(err.starts_with("invalid configuration:"), "{err}");
            assert!(err.to_lowercase().contains("port"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn a_webhook_url_needs_a_good_secret() {
        Jail::expect_with(|jail| {
            jail.set_env("WEBHOOK_URL", "https://erp.example.nl/hooks");
            let err = load_in_jail().expect_err("no secret").to_string();
            assert!(err.contains("WEBHOOK_SECRET is needed"), "{err}");
            jail.set_env("WEBHOOK_SECRET", "geheim");
            let err = load_in_jail().expect_err("bad secret").to_string();
            assert!(err.contains("whsec_"), "{err}");
            jail.set_env("WEBHOOK_SECRET", crate::webhook_secret::new_secret());
            assert!(load_in_jail().is_ok());
            Ok(())
        });
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        Jail::expect_with(|jail| {
            jail.set_env("PUBLIC_URL", "https://mijn.example.nl/");
            let config = load_in_jail().expect("valid");
            assert!(config.is_https());
            assert_eq!(config.public_url, "https://mijn.example.nl");
            Ok(())
        });
    }
}
