//! From configuration to a running server. Every way start-up can fail is one sentence an
//! operator can act on, never a panic trace.
use std::io;
use std::time::Duration;

use app::db::{Db, DbError, PoolSettings, redact_url};
use tokio::net::TcpListener;
use tower_sessions::ExpiredDeletion;

use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::jobs::OutboxWorker;
use crate::mail::MailSender;
use crate::router::build_router;
use crate::seed;
use crate::sessions::PortalSessionStore;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot prepare the session table: {0}")]
    Sessions(String),
    #[error("cannot load the demo data: {0}")]
    Seed(String),
    #[error(
        "port {port} on {host} is already in use; stop the other program or choose another port with PORT=…"
    )]
    PortInUse { host: String, port: u16 },
    #[error("cannot listen on {addr}: {reason}")]
    Listen { addr: String, reason: String },
    #[error("{0}")]
    Command(String),
    #[error("the audit trail's chain is broken (see above)")]
    AuditBroken,
    #[error("the server stopped with an error: {0}")]
    Serve(String),
}

/// Opens the database named by the configuration and brings its schema up to date.
pub async fn open_database(config: &Config) -> Result<Db, StartError> {
    let settings = PoolSettings {
        max_connections: config.database_max_connections,
        ..PoolSettings::default()
    };
    let db = Db::connect(&config.database_url, &settings).await?;
    db.migrate().await?;
    PortalSessionStore::new(&db)
        .migrate()
        .await
        .map_err(|e| StartError::Sessions(e.to_string()))?;
    // Customers from before the customer search existed get their search terms.
    let indexed = app::customers::service::index_unindexed(&db)
        .await
        .map_err(|e| StartError::Seed(format!("customer search index: {e:?}")))?;
    if indexed > 0 {
        tracing::info!(customers = indexed, "customer search index filled in");
    }
    tracing::info!(
        backend = db.backend().name(),
        url = %redact_url(&config.database_url),
        "database ready"
    );
    Ok(db)
}

pub async fn load_demo_if_new(db: &Db) -> Result<bool, StartError> {
    let loaded = seed::demo_loaded(db)
        .await
        .map_err(|e| StartError::Seed(e.to_string()))?;
    if loaded {
        return Ok(false);
    }
    seed::demo(db)
        .await
        .map_err(|e| StartError::Seed(e.to_string()))?;
    Ok(true)
}

pub async fn bind(config: &Config) -> Result<TcpListener, StartError> {
    let addr = config.listen_addr();
    TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => StartError::PortInUse {
            host: config.host.to_string(),
            port: config.port,
        },
        _ => StartError::Listen {
            addr: addr.to_string(),
            reason: e.to_string(),
        },
    })
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests under way.
pub async fn serve(mut config: Config, demo: bool) -> Result<(), StartError> {
    if demo && config.dev_mail.trim().is_empty() {
        // The demo shows its mails in the browser (on this machine only, see Config).
        config.dev_mail = "1".into();
    }
    let dev_mail_viewer = config.dev_mail_viewer();
    if dev_mail_viewer {
        tracing::warn!(
            "the mail viewer /dev/mail is on: it shows every mail, password reset links \
             included, to anyone who reaches this server (DEV_MAIL / serve --demo)"
        );
    } else if !config.dev_mail.trim().is_empty() && config.smtp_url.is_none() {
        tracing::warn!(
            host = %config.host,
            "DEV_MAIL is ignored: /dev/mail is only served on a loopback address (DEV_MAIL=force to override)"
        );
    }
    if demo && config.shop_basket().is_none() {
        // No webshop in the demo: "buy again" shows what the webshop would receive.
        config.shop_basket_url = Some(format!(
            "{}{}?items={}",
            config.public_url,
            crate::dev_basket::PATH,
            app::reorders::service::ITEMS_PLACEHOLDER
        ));
    }
    if !config.site_root.join("pkg").exists() {
        tracing::warn!(
            site_root = %config.site_root.display(),
            "no compiled site found: pages render, but without styles and scripts (build with `make run` or `cargo leptos build`)"
        );
    }
    let db = open_database(&config).await?;
    if demo && load_demo_if_new(&db).await? {
        tracing::info!("demo data loaded");
    }
    let listener = bind(&config).await?;
    let public_url = config.public_url.clone();
    let session_store = PortalSessionStore::new(&db);
    let config_for_workers = config.clone();
    let audit_key = crate::audit::load_key(&config, true).map_err(StartError::Command)?;
    crate::audit::check_key_at_start(&db, &audit_key).await;
    let metrics_addr = config.metrics_addr;
    let state = AppState::new(db.clone(), config, audit_key.clone());
    let state_mail_context = state.mail_context();
    let admin_metrics = match metrics_addr {
        Some(addr) => {
            let listener = TcpListener::bind(addr).await.map_err(|e| {
                StartError::Command(format!("cannot listen on METRICS_ADDR {addr}: {e}"))
            })?;
            tracing::info!(%addr, "/metrics served on the admin address");
            let admin = crate::metrics::admin_router(state.clone());
            Some(tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, admin).await {
                    tracing::error!(%error, "the metrics address stopped");
                }
            }))
        }
        None => None,
    };
    let router = build_router(state, session_store.clone());

    let cleanup =
        tokio::spawn(session_store.continuously_delete_expired(Duration::from_secs(3600)));
    let tracking = tokio::spawn(crate::jobs::tracking_checks(
        db.clone(),
        state_mail_context.clone(),
    ));
    let help_sessions = tokio::spawn(crate::jobs::help_sessions(
        db.clone(),
        audit_key.clone(),
        state_mail_context.clone(),
    ));
    let exports = tokio::spawn(crate::jobs::data_exports(db.clone(), state_mail_context));
    let mail = MailSender::from_config(&config_for_workers).map_err(StartError::Command)?;
    let mail_to_files = mail.writes_files();
    let mail_held = mail.holds();
    let housekeeping = tokio::spawn(crate::jobs::housekeeping(
        db.clone(),
        config_for_workers.retention(),
        audit_key,
        mail_to_files.then(|| crate::mail::mail_dir(&config_for_workers)),
    ));
    if mail_to_files {
        tracing::info!(
            dir = %crate::mail::mail_dir(&config_for_workers).display(),
            "no SMTP_URL: mails are written as .eml files for /dev/mail"
        );
    } else if mail_held {
        tracing::warn!(
            "no SMTP_URL: mails are NOT sent; they wait in the outbox and go out once SMTP_URL is set"
        );
    }
    let webhooks = crate::webhooks::WebhookSender::from_config(&config_for_workers)
        .map_err(StartError::Command)?;
    if webhooks.writes_files() {
        tracing::info!(
            dir = %crate::webhooks::webhook_dir(&config_for_workers).display(),
            "no WEBHOOK_URL: webhook events are written as .json files"
        );
    }
    let outbox = tokio::spawn(
        OutboxWorker {
            db: db.clone(),
            mail: Arc::new(mail),
            webhooks: Arc::new(webhooks),
        }
        .run(),
    );

    tracing::info!(url = %public_url, "Mijn Portaal is listening");
    println!("\n  Mijn Portaal is running at {public_url}\n");
    if demo {
        println!(
            "{}  Log in at {public_url}/login\n",
            seed::demo_logins_text()
        );
    }
    if mail_to_files && dev_mail_viewer {
        println!(
            "  No SMTP_URL: mails are not sent but listed at {public_url}/dev/mail\n  \
             WARNING: that page shows every mail, password reset links included, to anyone\n  \
             who reaches this server. For development and the demo only (DEV_MAIL).\n"
        );
    } else if mail_held {
        println!(
            "  WARNING: no SMTP_URL. Mails (verification, password reset, order news) are not\n  \
             sent: they wait in the outbox and go out once SMTP_URL is set.\n"
        );
    }
    println!("  Stop it with Ctrl-C.\n");

    let result = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    cleanup.abort();
    housekeeping.abort();
    tracking.abort();
    help_sessions.abort();
    exports.abort();
    outbox.abort();
    if let Some(admin) = admin_metrics {
        admin.abort();
    }
    db.close().await;
    tracing::info!("stopped");
    result.map_err(|e| StartError::Serve(e.to_string()))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
